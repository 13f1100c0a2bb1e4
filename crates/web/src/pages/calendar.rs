//! The council's calendar (a year's dates, quarter by quarter), what is missing from a quarter
//! (for the performance officer), the outbox of notices (for the administrator), and the
//! "your items due" panel of a contributor's council home. Each renders one use case's answer.

use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::extract::{CouncilPath, QuarterPath};
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use beacon_app::CouncilData;
use beacon_app::calendar::calendar_of;
use beacon_app::missing::{UnitProgress, missing_report};
use beacon_app::notices::Notice;
use beacon_domain::calendar::QuarterDates;
use beacon_domain::period::FinancialYear;
use chrono::NaiveDate;
use std::sync::Arc;

fn day(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// One date of a quarter, as the calendar shows it.
pub struct DateRow {
    pub what: String,
    pub when: String,
    pub by_hand: bool,
}

pub struct QuarterBlock {
    pub title: String,
    pub span: String,
    pub dates: Vec<DateRow>,
    pub missing: String,
}

fn block(c: &str, d: &QuarterDates) -> QuarterBlock {
    let hand = |k: &str| d.set_by_hand.contains(&k);
    let mut dates = vec![
        DateRow {
            what: "Collection opens".into(),
            when: day(d.opens),
            by_hand: hand("opens"),
        },
        DateRow {
            what: "Reminder to those with items missing".into(),
            when: day(d.remind),
            by_hand: false,
        },
        DateRow {
            what: "Collection closes".into(),
            when: day(d.closes),
            by_hand: hand("closes"),
        },
        DateRow {
            what: "Sign-off by".into(),
            when: day(d.sign_off),
            by_hand: hand("sign_off"),
        },
    ];
    match (d.papers, d.board) {
        (Some(p), Some(b)) => {
            dates.push(DateRow {
                what: format!("Papers due for the {}", d.committee),
                when: day(p),
                by_hand: hand("papers"),
            });
            dates.push(DateRow {
                what: format!("{} meets", d.committee),
                when: day(b),
                by_hand: hand("board"),
            });
        }
        _ => dates.push(DateRow {
            what: format!("{} meets", d.committee),
            when: "Not set".into(),
            by_hand: false,
        }),
    }
    QuarterBlock {
        title: format!("Quarter {} {}", d.quarter.q.number(), d.quarter.year),
        span: format!(
            "{} to {}",
            d.quarter.first_day().format("%-d %B %Y"),
            d.quarter.last_day().format("%-d %B %Y")
        ),
        dates,
        missing: paths::missing(c, d.quarter),
    }
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    council_name: String,
    year: String,
    rule: String,
    default: bool,
    quarters: Vec<QuarterBlock>,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn year<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(council): CouncilPath,
    Path((_, year)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let y: FinancialYear = year
        .replace('-', "/")
        .parse()
        .map_err(|_| WebError::NotFound)?;
    let data = state.council(council.as_str()).await?;
    let c = data.council.reference.as_str();
    let cal = calendar_of(&state.store, &council).await?;
    render(&CalendarPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Home),
        council_name: data.council.name.clone(),
        year: y.to_string(),
        rule: beacon_app::calendar::describe(&cal.calendar),
        default: cal.default,
        quarters: cal.year(y).iter().map(|d| block(c, d)).collect(),
        previous: y.previous().map(|p| paths::calendar(c, p)),
        next: y.next().map(|n| paths::calendar(c, n)),
    })
}

#[derive(Template)]
#[template(path = "missing.html")]
struct MissingPage {
    chrome: Chrome,
    council_name: String,
    quarter: String,
    closes: String,
    sign_off: String,
    calendar: String,
    total: usize,
    units: Vec<UnitView>,
}

/// A unit's progress with the link to its entry page.
pub struct UnitView {
    pub p: UnitProgress,
    pub entry: String,
}

pub async fn missing<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    QuarterPath { council, quarter }: QuarterPath,
) -> Result<Html<String>, WebError> {
    let data = state.council(council.as_str()).await?;
    let c = data.council.reference.as_str();
    let statuses = state.store.quarter_statuses(&council).await?;
    let users = state.store.users().await?;
    let report = missing_report(&data, &statuses, &users, quarter);
    let dates = calendar_of(&state.store, &council)
        .await?
        .calendar
        .dates(quarter);
    render(&MissingPage {
        chrome: Chrome::council(&data, Some(quarter), Section::Quarter),
        council_name: data.council.name.clone(),
        quarter: format!("Quarter {} {}", quarter.q.number(), quarter.year),
        closes: day(dates.closes),
        sign_off: day(dates.sign_off),
        calendar: paths::calendar(c, quarter.year),
        total: report.total_missing(),
        units: report
            .units
            .into_iter()
            .map(|p| UnitView {
                entry: paths::entry(c, quarter, p.unit.as_str()),
                p,
            })
            .collect(),
    })
}

pub struct NoticeRow {
    pub id: i64,
    pub state: &'static str,
    pub state_class: &'static str,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub created: String,
    pub detail: String,
}

fn notice_row(n: &Notice) -> NoticeRow {
    let t = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.format("%H:%M on %-d %B %Y").to_string())
            .unwrap_or_default()
    };
    let s = n.state();
    let detail = match s {
        beacon_app::notices::NoticeState::Sent => format!("Sent at {}", t(n.sent_at)),
        beacon_app::notices::NoticeState::Waiting if n.attempts == 0 => {
            format!("Due at {}", t(n.due_at))
        }
        beacon_app::notices::NoticeState::Waiting => format!(
            "Tried {} times; next try at {}. Last error: {}",
            n.attempts,
            t(n.due_at),
            n.last_error.clone().unwrap_or_default()
        ),
        beacon_app::notices::NoticeState::Failed => format!(
            "Given up at {} after {} tries: {}",
            t(n.failed_at),
            n.attempts,
            n.last_error.clone().unwrap_or_default()
        ),
    };
    NoticeRow {
        id: n.id,
        state: s.label(),
        state_class: match s {
            beacon_app::notices::NoticeState::Sent => "govuk-tag--green",
            beacon_app::notices::NoticeState::Waiting => "govuk-tag--yellow",
            beacon_app::notices::NoticeState::Failed => "govuk-tag--red",
        },
        kind: n.notice.kind.to_string(),
        to: if n.notice.recipient.is_empty() {
            format!(
                "{} (no address)",
                n.notice.username.clone().unwrap_or_default()
            )
        } else {
            n.notice.recipient.clone()
        },
        subject: n.notice.subject.clone(),
        created: t(Some(n.created_at)),
        detail,
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    council_name: String,
    sent: usize,
    waiting: usize,
    failed: usize,
    notices: Vec<NoticeRow>,
}

/// The most notices the page lists.
const NOTICES_SHOWN: i64 = 500;

pub async fn notices<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(council): CouncilPath,
) -> Result<Html<String>, WebError> {
    let data = state.council(council.as_str()).await?;
    let list = state.store.notices(Some(&council), NOTICES_SHOWN).await?;
    let count =
        |s: beacon_app::notices::NoticeState| list.iter().filter(|n| n.state() == s).count();
    render(&NoticesPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Home),
        council_name: data.council.name.clone(),
        sent: count(beacon_app::notices::NoticeState::Sent),
        waiting: count(beacon_app::notices::NoticeState::Waiting),
        failed: count(beacon_app::notices::NoticeState::Failed),
        notices: list.iter().map(notice_row).collect(),
    })
}

/// A contributor's items due, for the council home.
pub struct Due {
    pub closes: String,
    pub quarter: String,
    pub items: Vec<DueItem>,
}

pub struct DueItem {
    pub text: String,
    pub unit: String,
    pub href: String,
}

/// The viewer's items still missing from the quarter being collected, if any: from the
/// council's data and quarters' states as of `revision`, and its calendar, read by the caller.
pub async fn due_for<S: Backend>(
    state: &AppState<S>,
    (data, revision): (&CouncilData, Option<i64>),
    statuses: &[beacon_app::lifecycle::QuarterStatus],
    cal: &beacon_app::calendar::Calendar,
    viewer: &Viewer,
) -> Result<Option<Due>, WebError> {
    let Some(p) = viewer.principal() else {
        return Ok(None);
    };
    let council = &data.council.reference;
    let today = (state.clock)().date_naive();
    let Some(dates) = cal.calendar.current(today) else {
        return Ok(None);
    };
    let report = state
        .missing_at(data, revision, statuses, dates.quarter)
        .await?;
    let c = council.as_str();
    let items: Vec<DueItem> = report
        .for_user(&p.username)
        .filter(|(u, _)| u.chasing())
        .map(|(u, m)| DueItem {
            text: format!("{} {}: {}", m.kind, m.codes, m.gap.describe()),
            unit: u.name.clone(),
            href: paths::entry(c, dates.quarter, u.unit.as_str()),
        })
        .collect();
    Ok((!items.is_empty()).then(|| Due {
        closes: day(dates.closes),
        quarter: format!(
            "Quarter {} {}",
            dates.quarter.q.number(),
            dates.quarter.year
        ),
        items,
    }))
}
