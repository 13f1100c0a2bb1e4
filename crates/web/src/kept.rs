//! What the council overview reads besides the council's data, kept between requests: the
//! quarters' states (every step of a quarter moves the council's revision in the same
//! transaction, so they are kept per revision) and the missing report of the quarter being
//! collected (which also names users: kept per revision and revocation counter, which every
//! change to a user or a grant moves, whichever process makes it), and the council's calendar
//! (setting it moves the council's revision in the same transaction, so it is kept per revision).

use crate::error::WebError;
use crate::{AppState, Backend};
use beacon_app::CouncilData;
use beacon_app::calendar::{Calendar, calendar_of};
use beacon_app::lifecycle::QuarterStatus;
use beacon_app::missing::{MissingReport, missing_report};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// One council's kept reads.
struct Entry {
    revision: i64,
    statuses: Arc<Vec<QuarterStatus>>,
    /// The missing report with the revocation counter and quarter it was made for.
    missing: Option<(i64, Quarter, Arc<MissingReport>)>,
    /// The council's calendar at this revision, once read.
    calendar: Option<Arc<Calendar>>,
}

/// The kept reads of every council.
#[derive(Default)]
pub struct Kept {
    by_council: RwLock<HashMap<CouncilRef, Entry>>,
}

impl Kept {
    fn statuses(&self, council: &CouncilRef, revision: i64) -> Option<Arc<Vec<QuarterStatus>>> {
        let kept = self.by_council.read().ok()?;
        let e = kept.get(council).filter(|e| e.revision == revision)?;
        Some(Arc::clone(&e.statuses))
    }

    fn calendar(&self, council: &CouncilRef, revision: i64) -> Option<Arc<Calendar>> {
        let kept = self.by_council.read().ok()?;
        let e = kept.get(council).filter(|e| e.revision == revision)?;
        e.calendar.clone()
    }

    fn missing(
        &self,
        council: &CouncilRef,
        revision: i64,
        counter: i64,
        quarter: Quarter,
    ) -> Option<Arc<MissingReport>> {
        let kept = self.by_council.read().ok()?;
        let e = kept.get(council).filter(|e| e.revision == revision)?;
        match &e.missing {
            Some((c, q, report)) if *c == counter && *q == quarter => Some(Arc::clone(report)),
            _ => None,
        }
    }
}

impl<S: Backend> AppState<S> {
    /// The council's quarters' states as of `revision` (the council's, read before), from
    /// memory while the revision stands.
    pub(crate) async fn statuses_at(
        &self,
        council: &CouncilRef,
        revision: Option<i64>,
    ) -> Result<Arc<Vec<QuarterStatus>>, WebError> {
        if let Some(rev) = revision
            && let Some(statuses) = self.kept.statuses(council, rev)
        {
            return Ok(statuses);
        }
        let statuses = Arc::new(self.store.quarter_statuses(council).await?);
        if let Some(rev) = revision
            && let Ok(mut kept) = self.kept.by_council.write()
        {
            let keep = kept.get(council).is_none_or(|e| e.revision <= rev);
            if keep {
                kept.insert(
                    council.clone(),
                    Entry {
                        revision: rev,
                        statuses: Arc::clone(&statuses),
                        missing: None,
                        calendar: None,
                    },
                );
            }
        }
        Ok(statuses)
    }

    /// The council's calendar as of `revision`, from memory while the revision stands (after
    /// [`Self::statuses_at`] has kept the revision's entry).
    pub(crate) async fn calendar_at(
        &self,
        council: &CouncilRef,
        revision: Option<i64>,
    ) -> Result<Arc<Calendar>, WebError> {
        if let Some(rev) = revision
            && let Some(calendar) = self.kept.calendar(council, rev)
        {
            return Ok(calendar);
        }
        let calendar = Arc::new(calendar_of(&self.store, council).await?);
        if let Some(rev) = revision
            && let Ok(mut kept) = self.kept.by_council.write()
            && let Some(e) = kept.get_mut(council)
            && e.revision == rev
        {
            e.calendar = Some(Arc::clone(&calendar));
        }
        Ok(calendar)
    }

    /// What is missing from `quarter`, unit by unit, with who is responsible: made once per
    /// revision of the council and of people (the revocation counter), while both stand.
    pub(crate) async fn missing_at(
        &self,
        data: &CouncilData,
        revision: Option<i64>,
        statuses: &[QuarterStatus],
        quarter: Quarter,
    ) -> Result<Arc<MissingReport>, WebError> {
        let council = &data.council.reference;
        let counter = self.sessions.counter();
        if let (Some(rev), Some(c)) = (revision, counter)
            && let Some(report) = self.kept.missing(council, rev, c, quarter)
        {
            return Ok(report);
        }
        let users = self.store.users().await?;
        let report = Arc::new(missing_report(data, statuses, &users, quarter));
        if let (Some(rev), Some(c)) = (revision, counter)
            && let Ok(mut kept) = self.kept.by_council.write()
            && let Some(e) = kept.get_mut(council)
            && e.revision == rev
        {
            e.missing = Some((c, quarter, Arc::clone(&report)));
        }
        Ok(report)
    }
}
