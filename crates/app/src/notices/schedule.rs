//! The reminders of a day: for each council whose calendar has a reminder due (some working
//! days before collection closes, and on the closing day), one notice to each person with items
//! still missing. Run by the scheduler inside `beacon serve` and by `beacon notify`; a second
//! run on the same day writes nothing new.

use super::compose::{Audience, Links, reminders};
use super::{NewNotice, Outbox};
use crate::calendar::{CalendarStore, calendar_of};
use crate::error::AppError;
use crate::missing::missing_report;
use crate::ports::{Governance, Store};
use chrono::{DateTime, Utc};

/// The reminders of a run.
#[derive(Debug, Clone, Default)]
pub struct Reminded {
    /// Every reminder due (new, or written by an earlier run the same day).
    pub due: Vec<NewNotice>,
    /// How many were new to the outbox (none on a dry run).
    pub written: usize,
}

/// The reminders due at `now` across every council; written to the outbox unless `dry_run`.
pub async fn remind<S: Store + Governance + Outbox + CalendarStore>(
    store: &S,
    links: &impl Links,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Reminded, AppError> {
    let today = now.date_naive();
    let users = store.users().await?;
    let contacts = store.contacts().await?;
    let mut out = Reminded::default();
    for council in store.councils().await? {
        let c = &council.reference;
        let cal = calendar_of(store, c).await?;
        let Some(dates) = cal.calendar.current(today) else {
            continue;
        };
        let Some(due) = dates.reminder_on(today, &cal.calendar.rule) else {
            continue;
        };
        let Some(data) = store.council_data(c).await? else {
            continue;
        };
        let statuses = store.quarter_statuses(c).await?;
        let missing = missing_report(&data, &statuses, &users, dates.quarter);
        let audience = Audience {
            users: &users,
            contacts: &contacts,
            subscribers: &[],
        };
        let notices = reminders(&data, &audience, &missing, &dates, due, now, links);
        if !dry_run {
            out.written += store.enqueue(&notices, now).await?;
        }
        out.due.extend(notices.into_iter().map(|(n, _)| n));
    }
    Ok(out)
}
