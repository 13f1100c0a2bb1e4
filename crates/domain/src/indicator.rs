//! Performance indicators: definitions, baselines, targets per year (with an optional
//! quarterly profile), values per period and comparators.

use crate::Ref;
use crate::measure::Measure;
use crate::period::Period;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::word_enum! {
    /// The category plan tables group indicators by.
    Category {
        CorporateHealth = "corporate-health",
        CostEfficiency = "cost-efficiency",
        Quality = "quality",
        FairAccess = "fair-access",
        ServiceDelivery = "service-delivery",
    }
}

crate::word_enum! {
    /// What the numbers count.
    MeasureUnit {
        Percent = "percent",
        Count = "count",
        Rate = "rate",
        Points = "points",
        Pounds = "pounds",
        TonnesCo2e = "tonnes-co2e",
        Days = "days",
        Ratio = "ratio",
        Other = "other",
    }
}

crate::word_enum! {
    /// Which direction is better; `none` for measures kept "for information rather than target setting".
    Better { Higher = "higher", Lower = "lower", None = "none" }
}

crate::word_enum! {
    /// How often values are collected.
    Frequency {
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        Termly = "termly",
        Annual = "annual",
    }
}

crate::word_enum! {
    /// Whether values accumulate through the year (a count) or stand alone (a rate, a percentage).
    Accumulation { Snapshot = "snapshot", Cumulative = "cumulative" }
}

crate::word_enum! {
    /// Which calendar an indicator's values describe.
    Calendar { Financial = "financial", Academic = "academic", Calendar = "calendar" }
}

crate::word_enum! {
    /// Kinds of comparator.
    ComparatorKind {
        EnglandTopQuartile = "england-top-quartile",
        EnglandMiddleQuartile = "england-middle-quartile",
        EnglandBottomQuartile = "england-bottom-quartile",
        National = "national",
        Regional = "regional",
        StatisticalNeighbours = "statistical-neighbours",
    }
}

/// A value with the period it describes: a baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub period: Period,
    pub value: Measure,
}

/// A comparator value for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Comparator {
    pub period: Period,
    pub kind: ComparatorKind,
    pub value: Measure,
}

fn snapshot() -> Accumulation {
    Accumulation::Snapshot
}
fn is_snapshot(a: &Accumulation) -> bool {
    *a == Accumulation::Snapshot
}
fn financial() -> Calendar {
    Calendar::Financial
}
fn is_financial(c: &Calendar) -> bool {
    *c == Calendar::Financial
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// The values an indicator can take, where the council says otherwise than its measure does:
/// by default a percentage is from 0 to 100 and a count is a whole number, not negative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Quality {
    /// The smallest possible value (replaces 0 for a percentage or a count).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::organisation::opt_decimal"
    )]
    pub minimum: Option<Decimal>,
    /// The largest possible value (replaces 100 for a percentage).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::organisation::opt_decimal"
    )]
    pub maximum: Option<Decimal>,
    /// A count may have a fractional part (an average per week, say).
    #[serde(default, skip_serializing_if = "is_false")]
    pub fractions: bool,
}

impl Quality {
    pub fn is_default(&self) -> bool {
        *self == Quality::default()
    }
}

/// A performance indicator as a plan holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Unique in the plan.
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The code as printed, where the plan prints one code for two measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_ref: Option<Ref>,
    /// Other codes the indicator carries (`SCS CYP03`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Ref>,
    pub description: String,
    /// The responsible unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Ref>,
    /// The table it is printed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// A key indicator.
    #[serde(default, skip_serializing_if = "is_false")]
    pub key: bool,
    /// What the numbers count; omitted where the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<MeasureUnit>,
    /// Which direction is better; omitted where the source does not say (progress is then
    /// not assessed rather than guessed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
    /// How often values are collected; omitted where the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    #[serde(default = "snapshot", skip_serializing_if = "is_snapshot")]
    pub accumulation: Accumulation,
    #[serde(default = "financial", skip_serializing_if = "is_financial")]
    pub calendar: Calendar,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Ref>,
    /// The frame ref that groups it in the quarterly report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Ref>,
    /// Overrides the council's tolerance band.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::organisation::opt_decimal"
    )]
    pub tolerance_percent: Option<Decimal>,
    /// Which values are possible, beyond what the measure implies.
    #[serde(default, skip_serializing_if = "Quality::is_default")]
    pub quality: Quality,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub targets: BTreeMap<Period, Measure>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profile: BTreeMap<Period, Measure>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<Period, Measure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparators: Vec<Comparator>,
}

impl Indicator {
    /// The code reports print: the printed ref when set, else the ref.
    pub fn display_ref(&self) -> &Ref {
        self.printed_ref.as_ref().unwrap_or(&self.reference)
    }
    /// The ref with its aliases, as the seed's report prints them ("NI075 SCS CYP03").
    pub fn all_codes(&self) -> String {
        std::iter::once(self.display_ref().as_str())
            .chain(self.aliases.iter().map(Ref::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// True when its values are results for a whole year (annual, or an academic-year result
    /// reported during the financial year), judged as final outturns.
    pub fn reports_annual_results(&self) -> bool {
        self.frequency == Some(Frequency::Annual) || self.calendar == Calendar::Academic
    }
    /// Whether a value is expected in a quarter: every quarter, except where the values are
    /// results for a whole year (annual, or academic-year results), expected at the year's end.
    pub fn expected_in(&self, q: crate::period::QuarterNo) -> bool {
        !self.reports_annual_results() || q == crate::period::QuarterNo::Q4
    }
    /// True if the code is this indicator's ref, printed ref or an alias.
    pub fn answers_to(&self, code: &str) -> bool {
        self.reference.as_str() == code
            || self
                .printed_ref
                .as_ref()
                .is_some_and(|r| r.as_str() == code)
            || self.aliases.iter().any(|a| a.as_str() == code)
    }
}
