//! Equality impact assessments and their high-priority actions.

use crate::Ref;
use crate::period::FinancialYear;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// The assessed equality impact of a strategy, policy or service.
    Impact { High = "high", Low = "low", None = "none" }
}

/// An equality action with its timetable and responsible officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EqualityAction {
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The strategy, policy or service assessed.
    pub area: String,
    pub impact: Impact,
    pub action: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<FinancialYear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}
