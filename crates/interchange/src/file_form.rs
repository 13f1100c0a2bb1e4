//! The shape of a plan file, as serde reads and writes it. Where the file form differs from the
//! domain (milestone refs that may be left out, money written in a statement's scale) it has
//! its own type here; everything else is the domain type itself.

use beacon_domain::Ref;
use beacon_domain::budget::{ChangeKind, OutturnProjection, StatementKind};
use beacon_domain::calendar::CouncilCalendar;
use beacon_domain::dates::When;
use beacon_domain::equality::EqualityAction;
use beacon_domain::frame::Frame;
use beacon_domain::indicator::Indicator;
use beacon_domain::library::LibraryIndicator;
use beacon_domain::money::Scale;
use beacon_domain::objective::Due;
use beacon_domain::organisation::{CouncilRef, ExceptionsPlacement, Officer, Unit};
use beacon_domain::period::{FinancialYear, Quarter};
use beacon_domain::plan::Plan;
use beacon_domain::quarter::{
    Commentary, EqualityUpdate, Narrative, Progress, QuarterHeader, RiskUpdate, ValueEntry,
};
use beacon_domain::risk::{Risk, RiskAssessment};
use beacon_domain::status::overrides::Override;
use beacon_domain::status::risk::Matrix;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The `[council]` table every file starts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilHeader {
    #[serde(rename = "ref")]
    pub reference: CouncilRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "beacon_domain::organisation::opt_decimal"
    )]
    pub tolerance_percent: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// `[council.risk_matrix]`: side, low, medium.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "beacon_domain::status::risk::matrix_form"
    )]
    pub risk_matrix: Option<Matrix>,
    /// How revenue statements' outturn is projected where a statement does not say:
    /// straight-line (when not set) | profile | none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<OutturnProjection>,
    /// Where the quarterly report lists its exceptions: `appendix` (the default) or `first`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<ExceptionsPlacement>,
    /// `[council.calendar.rule]` and `[[council.calendar.quarters]]`: the format of
    /// `beacon calendar load`'s file, under `council.calendar`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CouncilCalendar>,
}

impl CouncilHeader {
    /// True where the table gives any of the council's settings (only the file that names the
    /// council may).
    pub fn has_settings(&self) -> bool {
        self.tolerance_percent.is_some()
            || self.colour.is_some()
            || self.risk_matrix.is_some()
            || self.projection.is_some()
            || self.exceptions.is_some()
            || self.calendar.is_some()
    }
}

/// A milestone as written: its ref may be left out, and its year where its due date gives one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneForm {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<FinancialYear>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Due::is_none")]
    pub due: Due,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_plan: Option<String>,
    /// Carried into a refreshed plan from this year, not complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<FinancialYear>,
}

/// An objective as written, with its milestones in file form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveForm {
    #[serde(rename = "ref")]
    pub reference: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Ref>,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Ref>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_refs: Vec<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_risk: Option<RiskAssessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_risk: Option<RiskAssessment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Ref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<When>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Spanned<MilestoneForm>>,
}

/// Money as written: a string ("20,504", "(30)") or an integer, in the statement's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AmountForm {
    Integer(i64),
    Text(String),
}

/// A budget change as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetChangeForm {
    pub kind: ChangeKind,
    pub year: FinancialYear,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<AmountForm>,
    #[serde(default = "thousands")]
    pub scale: Scale,
}

fn thousands() -> Scale {
    Scale::Thousands
}

/// A total the plan states for its budget changes, as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetTotalForm {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ChangeKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<FinancialYear>,
    pub stated: AmountForm,
    #[serde(default = "thousands")]
    pub scale: Scale,
}

/// A statement's period as written: a quarter (`2012/13 Q2`) for monitoring statements, a
/// year (`2011/12`) for a budget book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementPeriod {
    Quarter(Quarter),
    Year(FinancialYear),
}

impl Serialize for StatementPeriod {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StatementPeriod::Quarter(q) => s.collect_str(q),
            StatementPeriod::Year(y) => s.collect_str(y),
        }
    }
}

impl<'de> Deserialize<'de> for StatementPeriod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if let Ok(q) = text.parse() {
            return Ok(StatementPeriod::Quarter(q));
        }
        text.parse().map(StatementPeriod::Year).map_err(|_| {
            serde::de::Error::custom(format!(
                "{text:?} is not a quarter such as 2012/13 Q2 (or, for a budget book, a year such as 2011/12)"
            ))
        })
    }
}

/// A statement group as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupForm {
    pub key: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Ref>,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<Vec<AmountForm>>,
}

/// A statement line as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineForm {
    pub group: Ref,
    pub label: String,
    pub amounts: Vec<AmountForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A note about the source, never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
}

/// A budget statement as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementForm {
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub period: StatementPeriod,
    pub unit: Ref,
    pub kind: StatementKind,
    pub title: String,
    pub scale: Scale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<OutturnProjection>,
    #[serde(default)]
    pub groups: Vec<Spanned<GroupForm>>,
    #[serde(default)]
    pub lines: Vec<Spanned<LineForm>>,
}

/// A whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileForm {
    pub council: Spanned<CouncilHeader>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Spanned<Unit>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<Spanned<Officer>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Spanned<Frame>>,
    /// `[[library]]`: the council's indicator library, which plans' indicators refer to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub library: Vec<Spanned<LibraryIndicator>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Spanned<Plan>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<Spanned<ObjectiveForm>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Spanned<Indicator>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Spanned<Risk>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equality_actions: Vec<Spanned<EqualityAction>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget_changes: Vec<Spanned<BudgetChangeForm>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget_totals: Vec<Spanned<BudgetTotalForm>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarter: Option<Spanned<QuarterHeader>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_developments: Vec<Spanned<Narrative>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emerging_issues: Vec<Spanned<Narrative>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risk_updates: Vec<Spanned<RiskUpdate>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equality_updates: Vec<Spanned<EqualityUpdate>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Spanned<ValueEntry>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<Spanned<Progress>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commentary: Vec<Spanned<Commentary>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Spanned<StatementForm>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Spanned<Override>>,
}
