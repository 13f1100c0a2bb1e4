//! The council's calendar as stored: its port, reading it (the default rule where the council
//! has set none) and setting it, checked whole and written with its audit note.

use crate::access::{Action, Principal};
use crate::audit::{Actor, AuditNote};
use crate::error::{AppError, StoreError};
use beacon_domain::calendar::{CouncilCalendar, QuarterDates};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::FinancialYear;
use serde::Serialize;
use std::future::Future;

/// Where a council's calendar is kept.
pub trait CalendarStore: Send + Sync {
    /// The council's calendar, if one was set.
    fn calendar(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Option<CouncilCalendar>, StoreError>> + Send;
    /// Replaces the council's calendar whole (rule and quarters), with its audit note, in one
    /// transaction.
    fn set_calendar(
        &self,
        council: &CouncilRef,
        calendar: &CouncilCalendar,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A council's calendar and whether it is the council's own or the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    pub calendar: CouncilCalendar,
    /// No calendar was set: the default rule applies.
    pub default: bool,
}

impl Calendar {
    /// The year's four quarters' dates.
    pub fn year(&self, year: FinancialYear) -> Vec<QuarterDates> {
        self.calendar.year(year)
    }
}

/// The council's calendar, or the default rule.
pub async fn calendar_of<S: CalendarStore>(
    store: &S,
    council: &CouncilRef,
) -> Result<Calendar, AppError> {
    Ok(match store.calendar(council).await? {
        Some(calendar) => Calendar {
            calendar,
            default: false,
        },
        None => Calendar {
            calendar: CouncilCalendar::default(),
            default: true,
        },
    })
}

/// Sets the council's calendar: only a performance officer or administrator of the whole
/// council may; refused whole, naming every wrong date, if it does not hold together.
pub async fn set_calendar<S: CalendarStore>(
    store: &S,
    who: &Principal,
    council: &CouncilRef,
    calendar: &CouncilCalendar,
    by: &Actor,
) -> Result<(), AppError> {
    if !who.may(council, Action::Manage) {
        return Err(AppError::Forbidden(format!(
            "only a performance officer or administrator of {council} may set its calendar"
        )));
    }
    apply_calendar(store, council, calendar, by).await?;
    Ok(())
}

/// Writes the council's calendar if it differs from the one stored, checked whole first (the
/// refusal says "The calendar was not changed: " and every wrong date), with its audit note.
/// The one path for every way of setting a calendar: the page and `beacon calendar` (through
/// [`set_calendar`], after its access check) and loading the council's file (`beacon load`).
/// True if it wrote.
pub async fn apply_calendar<S: CalendarStore>(
    store: &S,
    council: &CouncilRef,
    calendar: &CouncilCalendar,
    by: &Actor,
) -> Result<bool, AppError> {
    check_calendar(calendar).map_err(AppError::Invalid)?;
    let old = store.calendar(council).await?;
    if old.as_ref() == Some(calendar) {
        return Ok(false);
    }
    let note = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(council.to_string()),
        entity: crate::keys::calendar(council),
        item: None,
        field: "calendar".into(),
        old: old.as_ref().map(describe),
        new: Some(describe(calendar)),
        reason: by.reason.clone(),
    };
    store.set_calendar(council, calendar, &note).await?;
    Ok(true)
}

/// The calendar's checks, in the words every edge shows.
pub fn check_calendar(calendar: &CouncilCalendar) -> Result<(), String> {
    calendar
        .check()
        .map_err(|e| format!("The calendar was not changed: {e}"))
}

/// The calendar in one line, for the audit trail.
pub fn describe(c: &CouncilCalendar) -> String {
    let r = &c.rule;
    let board = r.board_after.map_or("set per quarter".to_string(), |b| {
        format!("{b} working days after")
    });
    let mut s = format!(
        "collection opens {} and closes {} working days after the quarter; sign-off {} after; {} meets {board}, papers {} before; reminders {} before the close",
        r.opens_after,
        r.closes_after,
        r.sign_off_after,
        r.committee,
        r.papers_before,
        r.remind_before
    );
    for q in &c.quarters {
        let dates: Vec<String> = [
            ("opens", q.opens),
            ("closes", q.closes),
            ("sign-off", q.sign_off),
            ("papers", q.papers),
            ("board", q.board),
        ]
        .iter()
        .filter_map(|(n, d)| d.map(|d| format!("{n} {d}")))
        .collect();
        s.push_str(&format!("; {}: {}", q.quarter, dates.join(", ")));
    }
    s
}
