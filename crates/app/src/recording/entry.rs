//! A unit's quarter as entered, before any rule is applied: every field as text, as the edge
//! received it. A field that is `None` is not carried (the stored one stays); `Some("")`
//! clears it. An edge lists only the items it carries.

use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};

/// What the writer saw when they began: a form shows a version of the quarter and must send
/// it back; a file made offline has none and is checked item by item instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// The version the form was shown with, as sent (missing or garbled is refused).
    Form(Option<String>),
    /// A workbook or CSV file.
    File,
}

/// Who is entering: the signed-in person, and the officer whose initials the entry carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The signed-in user's name (or `cli:NAME`), recorded in the audit trail.
    pub user: String,
    /// Their name as people know it, to find them among the council's officers.
    pub display_name: String,
    /// The user may enter on an officer's behalf (a performance officer).
    pub may_enter_for_others: bool,
    /// The officer's initials chosen in "who is entering", when entering on their behalf.
    pub on_behalf_of: Option<String>,
    /// When, from the edge's clock.
    pub at: DateTime<Utc>,
}

/// One indicator's fields, as every edge hands them over (the JSON API reads them straight
/// from its body: absent keeps what is stored, `""` clears).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// The indicator's ref or one of its codes.
    pub indicator: String,
    /// The period the value describes; blank or `None` for the quarter.
    pub period: Option<String>,
    pub value: Option<String>,
    pub words: Option<String>,
    pub qualifier: Option<String>,
    pub commentary: Option<String>,
    /// A status set by hand (`green`, `amber`, `red`, `not-assessed`); blank keeps the rules'.
    pub status: Option<String>,
    pub reason: Option<String>,
    /// The officer this item is entered for (a workbook row's Officer), when the author may
    /// enter for others; else the entry's author.
    pub officer: Option<String>,
}

/// One milestone's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    pub milestone: String,
    /// `on-track`, `at-risk`, `off-track` or `complete` (spaces and capitals allowed).
    pub progress: Option<String>,
    /// The completion date: 2012-09-14 or 14/09/2012.
    pub completed: Option<String>,
    pub commentary: Option<String>,
    pub status: Option<String>,
    pub reason: Option<String>,
    /// As for an indicator.
    pub officer: Option<String>,
}

/// One risk's update for the quarter: progress on its treatment and its likelihood and impact
/// now, each a whole number on the council's matrix (absent keeps what is stored, `""` clears).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskInput {
    /// The risk's ref (or the objective's, for an objective's own risk).
    pub risk: String,
    pub progress: Option<String>,
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    /// The officer this update is entered for (a workbook row's Officer), when the author may
    /// enter for others; else the entry's author, else whoever wrote the update before.
    pub officer: Option<String>,
}

/// One equality action's progress update for the quarter.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EqualityInput {
    pub action: String,
    pub progress: Option<String>,
}

/// A key development or emerging issue to add.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NarrativeInput {
    pub kind: NarrativeKind,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NarrativeKind {
    KeyDevelopment,
    EmergingIssue,
}

impl NarrativeKind {
    pub fn label(self) -> &'static str {
        match self {
            NarrativeKind::KeyDevelopment => "key development",
            NarrativeKind::EmergingIssue => "emerging issue",
        }
    }
}

/// A unit's quarter as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub unit: Ref,
    pub quarter: Quarter,
    /// The plan, when the edge names one (a workbook says which).
    pub plan: Option<Ref>,
    pub seen: Seen,
    pub author: Author,
    pub indicators: Vec<IndicatorInput>,
    pub milestones: Vec<MilestoneInput>,
    pub narratives: Vec<NarrativeInput>,
    pub risks: Vec<RiskInput>,
    pub equalities: Vec<EqualityInput>,
}
