//! The life of a unit's quarter: open → submitted (by the unit) → signed off (by its approver,
//! who may send it back with a reason) → published (by the performance officer). Signed-off
//! and published quarters are locked; an approver reopens one, with a reason, to change it.
//! Every step and every write to the quarter moves its version on, so a form read at one
//! version cannot overwrite a later one.

use crate::access::{Action, Principal};
use crate::audit::Actor;
use crate::error::AppError;
use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Where a quarter is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum QuarterState {
    Open,
    Submitted,
    SignedOff,
    Published,
}

impl QuarterState {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarterState::Open => "open",
            QuarterState::Submitted => "submitted",
            QuarterState::SignedOff => "signed-off",
            QuarterState::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuarterState::Open => "Open",
            QuarterState::Submitted => "Submitted",
            QuarterState::SignedOff => "Signed off",
            QuarterState::Published => "Published",
        }
    }

    /// Whether the quarter's data may not change in this state.
    pub fn is_locked(self) -> bool {
        matches!(self, QuarterState::SignedOff | QuarterState::Published)
    }
}

impl fmt::Display for QuarterState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QuarterState {
    type Err = String;
    fn from_str(s: &str) -> Result<QuarterState, String> {
        [
            QuarterState::Open,
            QuarterState::Submitted,
            QuarterState::SignedOff,
            QuarterState::Published,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| format!("{s:?} is not a quarter state"))
    }
}

/// A unit's quarter as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterStatus {
    pub unit: Ref,
    pub quarter: Quarter,
    pub state: QuarterState,
    /// Moves on with every step and every write to the quarter's data.
    pub version: i64,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
    /// The reason given for the last step, when it needed one.
    pub reason: Option<String>,
}

impl QuarterStatus {
    /// A quarter nobody has written to yet.
    pub fn fresh(unit: Ref, quarter: Quarter) -> QuarterStatus {
        QuarterStatus {
            unit,
            quarter,
            state: QuarterState::Open,
            version: 0,
            changed_by: String::new(),
            changed_at: DateTime::<Utc>::UNIX_EPOCH,
            reason: None,
        }
    }

    /// The unit's quarter among the statuses stored, or a fresh one.
    pub fn of(statuses: &[QuarterStatus], unit: &Ref, quarter: Quarter) -> QuarterStatus {
        statuses
            .iter()
            .find(|s| &s.unit == unit && s.quarter == quarter)
            .cloned()
            .unwrap_or_else(|| QuarterStatus::fresh(unit.clone(), quarter))
    }
}

/// A step in a quarter's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Submit,
    SendBack,
    SignOff,
    Reopen,
    Publish,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Submit,
        Step::SendBack,
        Step::SignOff,
        Step::Reopen,
        Step::Publish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::SendBack => "send-back",
            Step::SignOff => "sign-off",
            Step::Reopen => "reopen",
            Step::Publish => "publish",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Submit => "Submit for sign-off",
            Step::SendBack => "Send back",
            Step::SignOff => "Sign off",
            Step::Reopen => "Reopen",
            Step::Publish => "Publish",
        }
    }

    /// The state the step starts from and the one it leads to.
    pub fn edge(self) -> (&'static [QuarterState], QuarterState) {
        use QuarterState::*;
        match self {
            Step::Submit => (&[Open], Submitted),
            Step::SendBack => (&[Submitted], Open),
            Step::SignOff => (&[Submitted], SignedOff),
            Step::Reopen => (&[SignedOff, Published], Open),
            Step::Publish => (&[SignedOff, Published], Published),
        }
    }

    /// What the user must be allowed to do on the unit to take the step.
    pub fn needs(self) -> Action {
        match self {
            Step::Submit => Action::Enter,
            Step::SendBack | Step::SignOff | Step::Reopen => Action::SignOff,
            Step::Publish => Action::Manage,
        }
    }

    /// Whether a reason must be given (sending back, reopening; publishing again says what
    /// changed since the version before).
    pub fn needs_reason(self, published_before: bool) -> bool {
        match self {
            Step::SendBack | Step::Reopen => true,
            Step::Publish => published_before,
            _ => false,
        }
    }

    /// The steps open from a state.
    pub fn from_state(state: QuarterState) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|s| s.edge().0.contains(&state))
            .collect()
    }
}

impl FromStr for Step {
    type Err = String;
    fn from_str(s: &str) -> Result<Step, String> {
        Step::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not a step"))
    }
}

/// A step to be stored: the new status, checked against the version the user saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub council: beacon_domain::organisation::CouncilRef,
    pub step: Step,
    pub from: QuarterStatus,
    pub to: QuarterStatus,
    /// The version the user acted on; the store refuses the step if it has moved on.
    pub expected_version: i64,
}

/// Checks a step and works out the quarter's next status. `current` is as stored;
/// `seen_version` what the user's page showed; `published_before` whether a version of the
/// quarter has been published already. Does not write.
pub fn plan_step(
    who: &Principal,
    data: &crate::CouncilData,
    current: &QuarterStatus,
    step: Step,
    seen_version: i64,
    published_before: bool,
    by: &Actor,
) -> Result<Transition, AppError> {
    if !who.may_on_unit(data, &current.unit, step.needs()) {
        return Err(AppError::Forbidden(format!(
            "You cannot {} quarters of {}",
            step.label().to_lowercase(),
            current.unit
        )));
    }
    if current.version != seen_version {
        return Err(AppError::Refused(changed_since(current)));
    }
    let (from, to) = step.edge();
    if !from.contains(&current.state) {
        return Err(AppError::Refused(format!(
            "{} {} is {}: it cannot be {}",
            current.unit,
            current.quarter,
            current.state.label().to_lowercase(),
            match step {
                Step::Submit => "submitted",
                Step::SendBack => "sent back",
                Step::SignOff => "signed off",
                Step::Reopen => "reopened",
                Step::Publish => "published",
            }
        )));
    }
    let reason = by
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if step.needs_reason(published_before) && reason.is_none() {
        return Err(AppError::Invalid(match step {
            Step::Publish => "Say what changed since the last publication".into(),
            Step::SendBack => "Give a reason for sending the quarter back".into(),
            _ => "Give a reason for reopening the quarter".into(),
        }));
    }
    Ok(Transition {
        council: data.council.reference.clone(),
        step,
        from: current.clone(),
        to: QuarterStatus {
            unit: current.unit.clone(),
            quarter: current.quarter,
            state: to,
            version: current.version + 1,
            changed_by: by.name.clone(),
            changed_at: by.at,
            reason: reason.map(str::to_string),
        },
        expected_version: seen_version,
    })
}

/// "Changed by X at T" for a quarter that moved on since a page showed it.
pub fn changed_since(current: &QuarterStatus) -> String {
    format!(
        "{} {} was changed by {} at {} after you opened this page. Nothing was saved: reload the page to see the changes, then make yours again.",
        current.unit,
        current.quarter,
        current.changed_by,
        current.changed_at.format("%H:%M on %-d %B %Y")
    )
}
