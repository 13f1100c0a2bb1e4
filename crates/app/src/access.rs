//! Who may do what: roles granted on a council, or on one unit of its organisation tree and
//! everything under it. The web edge asks these questions of every request; the rules live
//! here so the CLI and the pages cannot disagree.

use crate::CouncilData;
use crate::error::AppError;
use beacon_domain::Ref;
use beacon_domain::organisation::{CouncilRef, Unit};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a user is to a council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Manages the council's users; can do everything a performance officer can.
    Administrator,
    /// Runs the quarter: edits definitions and targets, publishes signed-off quarters.
    PerformanceOfficer,
    /// Enters values, progress and commentary for their own units.
    Contributor,
    /// An operational or strategic director: signs off their units' quarters.
    Approver,
    /// Reads everything of their council, signed off or not; changes nothing.
    Councillor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::PerformanceOfficer,
        Role::Contributor,
        Role::Approver,
        Role::Councillor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::PerformanceOfficer => "performance-officer",
            Role::Contributor => "contributor",
            Role::Approver => "approver",
            Role::Councillor => "councillor",
        }
    }

    /// As a person would say it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::PerformanceOfficer => "Performance officer",
            Role::Contributor => "Contributor",
            Role::Approver => "Approver",
            Role::Councillor => "Councillor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a role: expected one of administrator, performance-officer, contributor, approver, councillor"
                )
            })
    }
}

/// A role on a council, or on one unit and the units under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Grant {
    pub role: Role,
    pub council: CouncilRef,
    /// `None`: the whole council.
    pub unit: Option<Ref>,
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Some(u) => write!(f, "{} of {} in {}", self.role, u, self.council),
            None => write!(f, "{} of {}", self.role, self.council),
        }
    }
}

/// What a request may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Read the council's live data (signed off or not).
    Read,
    /// Enter values, progress and commentary, and submit the quarter.
    Enter,
    /// Sign off, send back or reopen a quarter.
    SignOff,
    /// Set a status by hand, publish, edit definitions and targets.
    Manage,
    /// Add, disable and reset users.
    Administer,
}

impl Role {
    /// Whether the role allows the action (within its scope).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Administrator => true,
            Role::PerformanceOfficer => matches!(action, Read | Enter | Manage),
            Role::Contributor => matches!(action, Read | Enter),
            Role::Approver => matches!(action, Read | SignOff),
            Role::Councillor => matches!(action, Read),
        }
    }
}

/// A signed-in user as the edge sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
}

impl Principal {
    /// Whether the user holds any role on the council.
    pub fn belongs_to(&self, council: &CouncilRef) -> bool {
        self.grants.iter().any(|g| &g.council == council)
    }

    /// Whether the user may do `action` on the council as a whole.
    pub fn may(&self, council: &CouncilRef, action: Action) -> bool {
        self.grants
            .iter()
            .any(|g| &g.council == council && g.unit.is_none() && g.role.allows(action))
            || (action == Action::Read && self.belongs_to(council))
    }

    /// Whether the user may do `action` on `unit` of the council: a grant on the council, on
    /// the unit or on any unit above it.
    pub fn may_on_unit(&self, data: &CouncilData, unit: &Ref, action: Action) -> bool {
        let council = &data.council.reference;
        if action == Action::Read && self.belongs_to(council) {
            return true;
        }
        let line = data.tree().line(unit);
        self.grants.iter().any(|g| {
            &g.council == council
                && g.role.allows(action)
                && g.unit.as_ref().is_none_or(|u| line.contains(&u))
        })
    }

    /// Refused unless the user may manage `unit` of the council (the council as a whole when
    /// `unit` is none): set-up and plan changes are for its performance officers and
    /// administrators, and the refusal says so, with what was asked (`change its plans`).
    pub fn must_manage(
        &self,
        data: &CouncilData,
        unit: Option<&Ref>,
        doing: &str,
    ) -> Result<(), AppError> {
        let council = &data.council.reference;
        let may = match unit {
            Some(u) => self.may_on_unit(data, u, Action::Manage),
            None => self.may(council, Action::Manage),
        };
        if may {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only a performance officer or administrator of {council} may {doing}"
            )))
        }
    }

    /// The units on which the user may do `action`, or `None` for all of them.
    pub fn units_for(&self, data: &CouncilData, action: Action) -> Option<Vec<Ref>> {
        if self.may(&data.council.reference, action) && action != Action::Read {
            return None;
        }
        Some(
            data.units
                .iter()
                .filter(|u| self.may_on_unit(data, &u.reference, action))
                .map(|u| u.reference.clone())
                .collect(),
        )
    }
}

/// A unit and every unit above it, nearest first. Stops at a cycle.
pub fn ancestry<'a>(units: &'a [Unit], unit: &'a Ref) -> Vec<&'a Ref> {
    beacon_domain::council::Tree::new(units).line(unit)
}
