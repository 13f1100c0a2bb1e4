//! The names the audit trail files its rows under: the record (`quarter CED 2012/13 Q2`,
//! `user alice`) and the plan item (`indicator NI075`). Built here and nowhere else, so the
//! writer of a row and a page asking for an item's history cannot disagree.

use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use std::fmt::Display;

/// A council's own record.
pub fn council(council: impl Display) -> String {
    format!("council {council}")
}

/// A unit of the organisation tree.
pub fn unit(unit: impl Display) -> String {
    format!("unit {unit}")
}

/// A council's calendar (the dates of its quarters).
pub fn calendar(council: impl Display) -> String {
    format!("calendar {council}")
}

pub fn officer(officer: impl Display) -> String {
    format!("officer {officer}")
}

pub fn frame(frame: impl Display) -> String {
    format!("frame {frame}")
}

/// A definition in the council's indicator library.
pub fn library(reference: impl Display) -> String {
    format!("library indicator {reference}")
}

pub fn plan(plan: impl Display) -> String {
    format!("plan {plan}")
}

/// A unit's quarter: its monitoring record, and its life (open, submitted, signed off…).
pub fn quarter(unit: &Ref, quarter: Quarter) -> String {
    format!("quarter {unit} {quarter}")
}

/// A budget statement of a period.
pub fn statement(statement: impl Display, period: impl Display) -> String {
    format!("statement {statement} {period}")
}

/// One published version of a unit's quarter.
pub fn publication(unit: &Ref, quarter: Quarter, version: i64) -> String {
    format!("publication {unit} {quarter} version {version}")
}

/// A user account.
pub fn user(username: &str) -> String {
    format!("user {username}")
}

/// A status set by hand on an item of a plan for a quarter.
pub fn status_set_by_hand(item: &str, plan: impl Display, quarter: impl Display) -> String {
    format!("status of {item} in {plan} {quarter}")
}

/// A plan item: `kind` is `indicator`, `milestone`, `objective`, `risk` or `equality action`.
pub fn item(kind: impl Display, reference: impl Display) -> String {
    format!("{kind} {reference}")
}

pub fn indicator(reference: impl Display) -> String {
    item("indicator", reference)
}

pub fn milestone(reference: impl Display) -> String {
    item("milestone", reference)
}

pub fn objective(reference: impl Display) -> String {
    item("objective", reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_the_trail_has_always_written_them() {
        let unit: Ref = "CED".parse().unwrap();
        let q: Quarter = "2012/13 Q2".parse().unwrap();
        assert_eq!(quarter(&unit, q), "quarter CED 2012/13 Q2");
        assert_eq!(
            publication(&unit, q, 2),
            "publication CED 2012/13 Q2 version 2"
        );
        assert_eq!(indicator("NI075"), "indicator NI075");
        assert_eq!(user("alice"), "user alice");
    }
}
