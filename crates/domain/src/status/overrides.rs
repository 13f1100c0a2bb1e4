//! Overrides: a responsible officer may set another status than the computed one, only with a
//! written reason. Both are kept, with who chose and when, and reports mark the status as set
//! by hand.

use super::Progress;
use crate::Ref;
use crate::period::Quarter;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// What kind of item a status belongs to.
    ItemKind { Indicator = "indicator", Milestone = "milestone" }
}

/// A status set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub plan: Ref,
    pub kind: ItemKind,
    /// The indicator or milestone ref.
    pub item: Ref,
    pub quarter: Quarter,
    /// What the rules gave when the override was set.
    pub computed: Progress,
    pub chosen: Progress,
    /// Why; never blank.
    pub reason: String,
    /// Who chose (officer ref or user name).
    pub by: String,
    /// When, as an RFC 3339 time given by the caller.
    pub at: String,
}

impl Override {
    /// Checks what a person must supply: a reason that says something, who and when.
    pub fn check(&self) -> Result<(), String> {
        if self.reason.trim().is_empty() {
            return Err("a reason is required to set a status by hand; say why the computed status is wrong".into());
        }
        if self.reason.chars().count() > 2000 {
            return Err("the reason is longer than 2,000 characters".into());
        }
        if self.by.trim().is_empty() {
            return Err("say who is setting the status".into());
        }
        if chrono::DateTime::parse_from_rfc3339(&self.at).is_err() {
            return Err(format!(
                "{:?} is not a time such as 2012-10-15T09:30:00Z",
                self.at
            ));
        }
        Ok(())
    }

    /// The key an override is stored under: one per item per quarter.
    pub fn key(&self) -> (Ref, ItemKind, Ref, Quarter) {
        (
            self.plan.clone(),
            self.kind,
            self.item.clone(),
            self.quarter,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(reason: &str, at: &str) -> Override {
        Override {
            plan: "P".parse().unwrap(),
            kind: ItemKind::Indicator,
            item: "NI075".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            computed: Progress::Red,
            chosen: Progress::Amber,
            reason: reason.into(),
            by: "TC".into(),
            at: at.into(),
        }
    }

    #[test]
    fn a_reason_is_required() {
        assert!(
            o("  ", "2012-10-15T09:30:00Z")
                .check()
                .unwrap_err()
                .contains("a reason is required")
        );
        assert!(o("uncertain at this stage", "yesterday").check().is_err());
        o("uncertain at this stage", "2012-10-15T09:30:00Z")
            .check()
            .unwrap();
    }
}
