//! Applying an entry's items to the stored quarterly record: a value, progress or commentary
//! sent back as it is stored changes nothing (and keeps who entered it); only what differs is
//! written, each change described in words for the answer.

use super::entry::{IndicatorInput, MilestoneInput, NarrativeInput, NarrativeKind};
use super::problem::{Field, Problem, Problems, Spot};
use super::value;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::objective::Milestone;
use beacon_domain::period::{Period, Quarter};
use beacon_domain::quarter::{
    Commentary, CommentaryAbout, Narrative, Progress, ProgressStatus, QuarterRecord, ValueEntry,
};
use chrono::NaiveDate;

/// The longest text a commentary, title or narrative takes.
pub const MAX_TEXT: usize = 5_000;

/// Something the rules must look at once the whole entry is merged.
pub(crate) enum Follow {
    /// The indicator's value changed: commentary is required if it is Red or words only.
    Value(usize, Ref),
    /// The milestone's progress changed to at risk or off track.
    AtRisk(usize, Ref, ProgressStatus),
}

/// The record being changed, and what changed.
pub(crate) struct Merge {
    pub(crate) record: QuarterRecord,
    pub(crate) quarter: Quarter,
    pub(crate) initials: Vec<Ref>,
    /// The council's officers, when the author may name the officer of each item.
    pub(crate) officers: Option<Vec<beacon_domain::organisation::Officer>>,
    pub(crate) described: Vec<String>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) follow: Vec<Follow>,
}

/// Text from a field, refused when too long or holding control characters.
pub(crate) fn text(t: &str, field: Field, label: &str, p: &mut Problems<'_>) -> Option<String> {
    let t = t.trim().replace("\r\n", "\n");
    if t.chars().count() > MAX_TEXT {
        p.at(
            field,
            format!("{label} must be {MAX_TEXT} characters or fewer"),
        );
        return None;
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        p.at(
            field,
            format!("{label} holds a control character; remove it"),
        );
        return None;
    }
    Some(t)
}

/// The single-item paragraphs of an item's own commentary, joined, and the first initials.
pub fn own_commentary(
    record: &QuarterRecord,
    about: CommentaryAbout,
    is_item: impl Fn(&str) -> bool,
) -> (String, Vec<Ref>) {
    let own: Vec<&Commentary> = record
        .commentary
        .iter()
        .filter(|c| {
            c.about == about && c.refs.len() == 1 && c.refs.iter().all(|x| is_item(x.as_str()))
        })
        .collect();
    let text = own
        .iter()
        .map(|c| c.text.trim())
        .collect::<Vec<_>>()
        .join("\n\n");
    let initials = own.first().map(|c| c.initials.clone()).unwrap_or_default();
    (text, initials)
}

/// Puts an item's own commentary in place: replaces the paragraphs that speak of it alone (at
/// the first one's position), or follows its section's last paragraph, or goes at the end.
fn put_commentary(
    record: &mut QuarterRecord,
    c: Option<Commentary>,
    about: CommentaryAbout,
    priority: Option<&Ref>,
    is_item: impl Fn(&str) -> bool,
) {
    let own = |x: &Commentary| {
        x.about == about && x.refs.len() == 1 && x.refs.iter().all(|r| is_item(r.as_str()))
    };
    let at = record.commentary.iter().position(own).or_else(|| {
        record
            .commentary
            .iter()
            .rposition(|x| x.priority.as_ref() == priority && x.about == about)
            .map(|i| i + 1)
    });
    record.commentary.retain(|x| !own(x));
    if let Some(c) = c {
        let at = at.map_or(record.commentary.len(), |i| i.min(record.commentary.len()));
        record.commentary.insert(at, c);
    }
}

/// The same value as stored: the same number and qualifiers (and, without a number, the same
/// words). A value sent back unchanged keeps the words it was printed with.
pub fn same_value(stored: &Measure, new: &Measure) -> bool {
    stored.value() == new.value()
        && stored.qualifiers() == new.qualifiers()
        && (stored.value().is_some() || stored.text() == new.text())
}

impl Merge {
    /// The initials an item carries: its own officer's, when the author may name one, else
    /// the entry's. `Err` after reporting initials no officer has.
    pub(super) fn item_initials(
        &self,
        officer: Option<&str>,
        p: &mut Problems<'_>,
    ) -> Result<Vec<Ref>, ()> {
        let t = officer.map(str::trim).unwrap_or("");
        let Some(officers) = self.officers.as_ref().filter(|_| !t.is_empty()) else {
            return Ok(self.initials.clone());
        };
        match officers.iter().find(|o| o.answers_to(t)) {
            Some(_) => Ok(t.parse().map(|r| vec![r]).unwrap_or_default()),
            None => {
                let known: Vec<&str> = officers
                    .iter()
                    .take(12)
                    .map(|o| o.reference.as_str())
                    .collect();
                let more = if officers.len() > known.len() {
                    ", …"
                } else {
                    ""
                };
                p.at(Field::Officer, format!("no officer has the initials {t:?}; expected an officer's initials as reports print them ({}{more})", known.join(", ")));
                Err(())
            }
        }
    }

    fn commentary(
        &mut self,
        about: CommentaryAbout,
        item: &Ref,
        priority: Option<&Ref>,
        is_item: impl Fn(&str) -> bool + Copy,
        new: &str,
    ) {
        let (existing, said_by) = own_commentary(&self.record, about, is_item);
        if existing == new {
            return;
        }
        let initials = if self.initials.is_empty() {
            said_by
        } else {
            self.initials.clone()
        };
        let c = (!new.is_empty()).then(|| Commentary {
            priority: priority.cloned(),
            about,
            text: new.to_string(),
            initials,
            refs: vec![item.clone()],
        });
        put_commentary(&mut self.record, c, about, priority, is_item);
        let kind = match about {
            CommentaryAbout::Indicators => "indicator",
            CommentaryAbout::Milestones => "milestone",
        };
        self.described.push(format!("commentary on {kind} {item}"));
    }

    fn period(&self, t: &str, p: &mut Problems<'_>) -> Option<Period> {
        let q = self.quarter;
        if t.trim().is_empty() {
            return Some(Period::Quarter(q));
        }
        match t.trim().parse::<Period>() {
            Ok(x) if x.first_day() > q.last_day() => {
                p.at(Field::Period, format!("{x} begins after {q} ends; a value describes this quarter or an earlier period"));
                None
            }
            Ok(x) => Some(x),
            Err(e) => {
                p.at(Field::Period, e.to_string());
                None
            }
        }
    }

    pub(crate) fn indicator(&mut self, n: usize, ind: &Indicator, input: &IndicatorInput) {
        let mut list = Vec::new();
        let mut p = Problems {
            list: &mut list,
            spot: Spot::Indicator(n),
        };
        let entry_initials = self.initials.clone();
        if let Ok(i) = self.item_initials(input.officer.as_deref(), &mut p) {
            self.initials = i;
        }
        let codes = ind.all_codes();
        let period = self.period(input.period.as_deref().unwrap_or(""), &mut p);
        let comment = input.commentary.as_deref().and_then(|c| {
            text(
                c,
                Field::Commentary,
                &format!("The commentary on {codes}"),
                &mut p,
            )
        });
        if let (Some(period), true) = (period, input.value.is_some() || input.words.is_some()) {
            let at = self
                .record
                .values
                .iter()
                .position(|v| v.period == period && ind.answers_to(v.indicator.as_str()));
            let stored = at.and_then(|i| self.record.values.get(i)).map(|v| &v.value);
            let read = value::read(
                ind,
                input.value.as_deref().unwrap_or(""),
                input.words.as_deref().unwrap_or(""),
                input.qualifier.as_deref().unwrap_or(""),
                stored,
                &mut p,
            );
            match (read, at) {
                (Err(()), _) | (Ok(None), None) => {}
                (Ok(None), Some(i)) => {
                    self.record.values.remove(i);
                    self.described
                        .push(format!("value of {} for {period}: removed", ind.reference));
                }
                (Ok(Some(m)), at) => {
                    if stored.is_none_or(|s| !same_value(s, &m)) {
                        let entry = ValueEntry {
                            indicator: ind.reference.clone(),
                            period,
                            value: m,
                            officer: self.initials.first().cloned(),
                        };
                        self.described.push(format!(
                            "value of {} for {period}: {}",
                            ind.reference, entry.value
                        ));
                        match at.and_then(|i| self.record.values.get_mut(i)) {
                            Some(v) => *v = entry,
                            None => self.record.values.push(entry),
                        }
                        self.follow.push(Follow::Value(n, ind.reference.clone()));
                    }
                }
            }
        }
        if let Some(c) = comment {
            self.commentary(
                CommentaryAbout::Indicators,
                &ind.reference,
                ind.priority.as_ref(),
                |x| ind.answers_to(x),
                &c,
            );
        }
        self.problems.append(&mut list);
        self.initials = entry_initials;
    }

    fn date(&self, t: &str, p: &mut Problems<'_>) -> Result<Option<NaiveDate>, ()> {
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
            .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d %H:%M:%S"));
        match d {
            Ok(d) if d > self.quarter.last_day() => {
                p.at(Field::Completed, format!("{d} is after {} ends; a milestone is recorded complete on or before the quarter's last day", self.quarter));
                Err(())
            }
            Ok(d) => Ok(Some(d)),
            Err(_) => {
                p.at(
                    Field::Completed,
                    format!(
                        "{t:?} is not a date; expected a date such as 2012-09-14 (or 14/09/2012)"
                    ),
                );
                Err(())
            }
        }
    }

    fn progress(
        &self,
        input: &MilestoneInput,
        m: &Milestone,
        p: &mut Problems<'_>,
    ) -> Result<Option<(ProgressStatus, Option<NaiveDate>)>, ()> {
        let raw = input.progress.as_deref().unwrap_or("").trim();
        let status = if raw.is_empty() {
            None
        } else {
            match raw
                .to_lowercase()
                .replace(' ', "-")
                .parse::<ProgressStatus>()
            {
                Ok(s) => Some(s),
                Err(_) => {
                    p.at(
                        Field::Progress,
                        format!(
                            "{raw:?} is not a progress of milestone {}; expected one of {}",
                            m.reference,
                            ProgressStatus::choices()
                        ),
                    );
                    return Err(());
                }
            }
        };
        let completed = self.date(input.completed.as_deref().unwrap_or(""), p)?;
        match (status, completed) {
            (Some(ProgressStatus::Complete), None) => {
                p.at(Field::Completed, format!("milestone {} is complete and needs the date it was completed, such as 2012-09-14", m.reference));
                Err(())
            }
            (Some(ProgressStatus::Complete), Some(_)) | (_, None) => {
                Ok(status.map(|s| (s, completed)))
            }
            (_, Some(_)) => {
                p.at(Field::Progress, format!("milestone {} has a completion date but its progress is not complete; clear the date or choose complete", m.reference));
                Err(())
            }
        }
    }

    pub(crate) fn milestone(&mut self, n: usize, m: &Milestone, input: &MilestoneInput) {
        let mut list = Vec::new();
        let mut p = Problems {
            list: &mut list,
            spot: Spot::Milestone(n),
        };
        let entry_initials = self.initials.clone();
        if let Ok(i) = self.item_initials(input.officer.as_deref(), &mut p) {
            self.initials = i;
        }
        let comment = input.commentary.as_deref().and_then(|c| {
            text(
                c,
                Field::Commentary,
                &format!("The commentary on milestone {}", m.reference),
                &mut p,
            )
        });
        if input.progress.is_some() || input.completed.is_some() {
            let at = self
                .record
                .progress
                .iter()
                .position(|x| x.milestone == m.reference);
            if let Ok(new) = self.progress(input, m, &mut p) {
                let old = at.and_then(|i| self.record.progress.get(i));
                let same = old.map(|o| (o.status, o.completed)) == new;
                match (new, same, at) {
                    (_, true, _) | (None, _, None) => {}
                    (None, _, Some(i)) => {
                        self.record.progress.remove(i);
                        self.described
                            .push(format!("progress of milestone {}: removed", m.reference));
                    }
                    (Some((status, completed)), false, at) => {
                        let rec = Progress {
                            milestone: m.reference.clone(),
                            status,
                            completed,
                            initials: self.initials.clone(),
                        };
                        match at.and_then(|i| self.record.progress.get_mut(i)) {
                            Some(x) => *x = rec,
                            None => self.record.progress.push(rec),
                        }
                        self.described
                            .push(format!("progress of milestone {}: {status}", m.reference));
                        if super::required::for_progress(status) {
                            self.follow
                                .push(Follow::AtRisk(n, m.reference.clone(), status));
                        }
                    }
                }
            }
        }
        if let Some(c) = comment {
            let r = m.reference.as_str();
            self.commentary(
                CommentaryAbout::Milestones,
                &m.reference,
                m.priority.as_ref(),
                |x| x == r,
                &c,
            );
        }
        self.problems.append(&mut list);
        self.initials = entry_initials;
    }

    pub(crate) fn narrative(&mut self, n: usize, input: &NarrativeInput) {
        let mut list = Vec::new();
        let mut p = Problems {
            list: &mut list,
            spot: Spot::Narrative(n),
        };
        let label = input.kind.label();
        let title = text(
            &input.title,
            Field::Title,
            &format!("The {label}'s title"),
            &mut p,
        );
        let body = text(&input.text, Field::Text, &format!("The {label}"), &mut p);
        if let (Some(title), Some(body)) = (title, body) {
            match (title.is_empty(), body.is_empty()) {
                (true, true) => {}
                (false, false) => {
                    let list = match input.kind {
                        NarrativeKind::KeyDevelopment => &mut self.record.key_developments,
                        NarrativeKind::EmergingIssue => &mut self.record.emerging_issues,
                    };
                    list.push(Narrative {
                        title: title.clone(),
                        text: body,
                        initials: self.initials.clone(),
                    });
                    self.described.push(format!("{label}: {title}"));
                }
                (true, false) => p.at(Field::Title, format!("Enter a title for the {label}")),
                (false, true) => p.at(Field::Text, format!("Enter the {label}")),
            }
        }
        self.problems.append(&mut list);
    }
}
