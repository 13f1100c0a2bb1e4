//! Service objectives and their key milestones, listed per financial year of the plan.

use crate::ParseError;
use crate::Ref;
use crate::period::{FinancialYear, Month};
use crate::risk::RiskAssessment;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A service objective, with a ref unique within its plan (`CFS1`, `SS3`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Objective {
    #[serde(rename = "ref")]
    pub reference: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Ref>,
    pub statement: String,
    /// Frame refs: corporate priority, area of focus, ECM outcome, CYPP codes…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Ref>,
    /// Other objectives, possibly in other plans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_refs: Vec<Ref>,
    /// Officer ref or the words printed ("DM CIC").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_risk: Option<RiskAssessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_risk: Option<RiskAssessment>,
    /// Refs of this plan's indicators that measure it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Ref>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

/// A key milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Unique in the plan; files may leave it out and get `<objective>/<n>`.
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The financial year it is listed under.
    pub year: FinancialYear,
    pub text: String,
    #[serde(default, skip_serializing_if = "Due::is_none")]
    pub due: Due,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    /// The frame ref that groups it in the quarterly report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Ref>,
    /// Carried into a refreshed plan, not complete, from this year of the plan it refreshes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<FinancialYear>,
}

/// When a milestone is due.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Due {
    /// By the end of the month ("by March 2012").
    Month(Month),
    /// By that day.
    Day(NaiveDate),
    /// Recurring; the words say how often ("termly").
    Recurring(String),
    #[default]
    None,
}

impl Due {
    pub fn is_none(&self) -> bool {
        matches!(self, Due::None)
    }
    /// The last day by which it is due, if it has one.
    pub fn deadline(&self) -> Option<NaiveDate> {
        match self {
            Due::Month(m) => Some(m.last_day()),
            Due::Day(d) => Some(*d),
            Due::Recurring(_) | Due::None => None,
        }
    }
    /// As a report prints it: "March 2012", "26 September 2012", "termly".
    pub fn describe(&self) -> String {
        match self {
            Due::Month(m) => m.long(),
            Due::Day(d) => d.format("%-d %B %Y").to_string(),
            Due::Recurring(w) => w.clone(),
            Due::None => String::new(),
        }
    }
}

impl FromStr for Due {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let expected = "a due date: 2012-03 (by the end of that month), 2012-09-26 (by that day) or \"recurring: termly\"";
        if t.is_empty() {
            return Ok(Due::None);
        }
        if let Some(words) = t.strip_prefix("recurring:") {
            let words = words.trim();
            return if words.is_empty() {
                Err(ParseError::new(s, expected))
            } else {
                Ok(Due::Recurring(words.to_string()))
            };
        }
        if t.len() == 10 {
            return NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Due::Day)
                .map_err(|_| ParseError::new(s, expected));
        }
        t.parse()
            .map(Due::Month)
            .map_err(|_| ParseError::new(s, expected))
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Month(m) => m.fmt(f),
            Due::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Due::Recurring(w) => write!(f, "recurring: {w}"),
            Due::None => Ok(()),
        }
    }
}
crate::serde_via_str!(Due);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_forms_round_trip() {
        for s in ["2012-03", "2012-09-26", "recurring: termly", ""] {
            let d: Due = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        let d: Due = "2012-03".parse().unwrap();
        assert_eq!(d.deadline(), NaiveDate::from_ymd_opt(2012, 3, 31));
        assert_eq!(d.describe(), "March 2012");
        assert!("March 2012".parse::<Due>().is_err());
        assert!("2012-02-30".parse::<Due>().is_err());
        assert!("recurring:".parse::<Due>().is_err());
    }
}
