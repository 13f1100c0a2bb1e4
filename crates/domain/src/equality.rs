//! Equality impact assessments and their actions, and equality objectives: themes, the measure
//! of success, evidence, a target date and whether it is done.

use crate::Ref;
use crate::objective::Due;
use crate::period::FinancialYear;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// The assessed equality impact of a strategy, policy or service.
    Impact { High = "high", Low = "low", None = "none" }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An equality action or objective with its timetable and responsible officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EqualityAction {
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The strategy, policy or service assessed.
    pub area: String,
    /// The assessed impact, where the plan gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    pub action: String,
    /// The equality themes or protected characteristics it serves ("Disability", "Race").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// How the council will know it has succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_measure: Option<String>,
    /// The evidence behind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// When it is to be done, in any form a milestone's due date takes.
    #[serde(default, skip_serializing_if = "Due::is_none")]
    pub target_date: Due,
    /// Done.
    #[serde(default, skip_serializing_if = "is_false")]
    pub completed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<FinancialYear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}

impl EqualityAction {
    /// The impact as a report prints it: "high", or "" where the plan gives none.
    pub fn impact_words(&self) -> &'static str {
        self.impact.map_or("", Impact::as_str)
    }
}
