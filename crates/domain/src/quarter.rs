//! A unit's quarterly monitoring record: key developments, emerging issues, risk and equality
//! updates, indicator values, milestone progress and supporting commentary with initials.

use crate::Ref;
use crate::measure::Measure;
use crate::period::{Period, Quarter};
use crate::risk::RiskAssessment;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// What an officer records of a milestone's progress.
    ProgressStatus {
        OnTrack = "on-track",
        AtRisk = "at-risk",
        OffTrack = "off-track",
        Complete = "complete",
    }
}

crate::word_enum! {
    /// Which table of a priority section a commentary paragraph follows.
    CommentaryAbout { Milestones = "milestones", Indicators = "indicators" }
}

/// A titled narrative paragraph set with the initials of the officers responsible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub initials: Vec<Ref>,
}

/// Progress on a high risk's treatment, and the risk's likelihood and impact this quarter
/// where the officer assessed it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskUpdate {
    pub risk: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The risk's likelihood this quarter, on the council's matrix (given with `impact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<u8>,
    /// The risk's impact this quarter (given with `likelihood`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<u8>,
    pub text: String,
    #[serde(default)]
    pub initials: Vec<Ref>,
}

impl RiskUpdate {
    /// The quarter's assessment of the risk, where the update records any part of one (the
    /// council's matrix checks and bands it: `Matrix::check`, `Matrix::assess`).
    pub fn assessment(&self) -> Option<RiskAssessment> {
        (self.likelihood.is_some() || self.impact.is_some()).then_some(RiskAssessment {
            score: None,
            likelihood: self.likelihood,
            impact: self.impact,
            band: None,
        })
    }
}

/// Progress on a high-priority equality action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EqualityUpdate {
    pub action: Ref,
    pub text: String,
    #[serde(default)]
    pub initials: Vec<Ref>,
}

/// An indicator value reported this quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValueEntry {
    /// Any ref or alias of a plan indicator.
    pub indicator: Ref,
    /// The period the value describes (may differ from the quarter).
    pub period: Period,
    pub value: Measure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<Ref>,
}

/// Milestone progress recorded this quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MilestoneProgress))]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub milestone: Ref,
    pub status: ProgressStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<NaiveDate>,
    #[serde(default)]
    pub initials: Vec<Ref>,
}

/// A supporting-commentary paragraph: of a priority section of the report, or of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Commentary {
    /// The report section it belongs to; none for commentary on an item outside any priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Ref>,
    pub about: CommentaryAbout,
    pub text: String,
    #[serde(default)]
    pub initials: Vec<Ref>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<Ref>,
}

/// The quarter's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuarterHeader {
    pub unit: Ref,
    pub period: Quarter,
    pub plan: Ref,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equality_summary: Option<String>,
}

/// A unit's whole quarterly monitoring record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterRecord {
    pub header: QuarterHeader,
    pub key_developments: Vec<Narrative>,
    pub emerging_issues: Vec<Narrative>,
    pub risk_updates: Vec<RiskUpdate>,
    pub equality_updates: Vec<EqualityUpdate>,
    pub values: Vec<ValueEntry>,
    pub progress: Vec<Progress>,
    pub commentary: Vec<Commentary>,
}
