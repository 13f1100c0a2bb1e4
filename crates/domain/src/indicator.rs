//! Performance indicators: definitions, baselines, targets per year (with an optional
//! quarterly profile), values per period and comparators.

use crate::Ref;
use crate::dates::MonthOfYear;
use crate::measure::Measure;
use crate::period::{Period, QuarterNo};
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
        /// Each half term: a value in every quarter.
        HalfTermly = "half-termly",
        /// Each term (ending December, March and July): Q2, Q3 and Q4.
        Termly = "termly",
        /// Every six months: Q2 and Q4.
        SixMonthly = "six-monthly",
        /// Twice a year, as a plan may print it: Q2 and Q4.
        TwiceYearly = "twice-yearly",
        /// A named return reporting in given months (`census`).
        Census = "census",
        Annual = "annual",
    }
}

/// A census-based collection: the return that reports and the months it reports in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Census {
    /// The return, as the plan names it ("School Census", "SSDA903").
    #[serde(rename = "return")]
    pub name: String,
    /// The months it reports in, in the order of the year.
    pub months: Vec<MonthOfYear>,
}

impl Census {
    /// "School Census (January, May and October)".
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.months.iter().map(|m| m.name()).collect();
        let months = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        format!("{} ({months})", self.name)
    }
    /// Whether one of its months falls in quarter `q` of a financial year.
    pub fn reports_in(&self, q: QuarterNo) -> bool {
        self.months.iter().any(|m| {
            let n = m.number();
            let quarter = if n <= 3 { 4 } else { (n - 1) / 3 };
            u32::from(q.number()) == quarter
        })
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
        /// The England average.
        EnglandAverage = "england-average",
        /// The region (`name` names it: "North West").
        Regional = "regional",
        /// The statistical neighbours' average.
        StatisticalNeighbours = "statistical-neighbours",
        /// Another council's value (`name` names the council).
        Council = "council",
        /// A named group of councils (`name` names it: "Core cities").
        Group = "group",
    }
}

impl ComparatorKind {
    /// True for the kinds that need the council or group named.
    pub fn needs_name(self) -> bool {
        matches!(self, ComparatorKind::Council | ComparatorKind::Group)
    }
    /// How a report heads it: "England average", "Statistical neighbours", …
    pub fn label(self) -> &'static str {
        match self {
            ComparatorKind::EnglandTopQuartile => "England top quartile",
            ComparatorKind::EnglandMiddleQuartile => "England middle quartile",
            ComparatorKind::EnglandBottomQuartile => "England bottom quartile",
            ComparatorKind::National => "National",
            ComparatorKind::EnglandAverage => "England average",
            ComparatorKind::Regional => "Region",
            ComparatorKind::StatisticalNeighbours => "Statistical neighbours",
            ComparatorKind::Council => "Council",
            ComparatorKind::Group => "Group",
        }
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
    /// The council, group or region it is ("Warrington", "North West"); required for
    /// `council` and `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the value comes from ("DfE SFR 27/2010").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub value: Measure,
}

impl Comparator {
    /// What it is, as a report prints it: "Warrington 2009/10", "Statistical neighbours
    /// 2009/10", "Region (North West) 2009/10".
    pub fn describe(&self) -> String {
        let what = match (&self.name, self.kind.needs_name()) {
            (Some(n), true) => n.clone(),
            (Some(n), false) => format!("{} ({n})", self.kind.label()),
            (None, _) => self.kind.label().to_string(),
        };
        format!("{what} {}", self.period)
    }
}

pub(crate) fn snapshot() -> Accumulation {
    Accumulation::Snapshot
}
pub(crate) fn is_snapshot(a: &Accumulation) -> bool {
    *a == Accumulation::Snapshot
}
pub(crate) fn financial() -> Calendar {
    Calendar::Financial
}
pub(crate) fn is_financial(c: &Calendar) -> bool {
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
    /// The council's indicator library entry this indicator takes its definition from
    /// (`crate::library`); its definition fields are then the library's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<Ref>,
    /// Required, unless the definition comes from the library.
    #[serde(default, skip_serializing_if = "String::is_empty")]
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
    /// The return and its months, for a `census` frequency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub census: Option<Census>,
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
    /// Whether a value is expected in a quarter. A census return in the quarters of its
    /// months; results for a whole year (annual, or academic-year results) at the year's end;
    /// termly in Q2, Q3 and Q4 (terms end in July, December and March); six-monthly or twice
    /// yearly in Q2 and Q4; the rest (weekly, monthly, quarterly, half-termly, not said) every
    /// quarter.
    pub fn expected_in(&self, q: QuarterNo) -> bool {
        if let (Some(Frequency::Census), Some(c)) = (self.frequency, &self.census) {
            return c.reports_in(q);
        }
        if self.reports_annual_results() {
            return q == QuarterNo::Q4;
        }
        match self.frequency {
            Some(Frequency::Termly) => q != QuarterNo::Q1,
            Some(Frequency::SixMonthly | Frequency::TwiceYearly) => {
                matches!(q, QuarterNo::Q2 | QuarterNo::Q4)
            }
            _ => true,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(frequency: &str, census: Option<serde_json::Value>) -> Indicator {
        let mut v = serde_json::json!({ "ref": "X1", "description": "x", "frequency": frequency });
        if let Some(c) = census {
            v["census"] = c;
        }
        serde_json::from_value(v).unwrap()
    }

    fn due_in(i: &Indicator) -> Vec<u8> {
        QuarterNo::ALL
            .iter()
            .filter(|q| i.expected_in(**q))
            .map(|q| q.number())
            .collect()
    }

    #[test]
    fn the_frequency_says_which_quarters_a_value_is_due_in() {
        assert_eq!(due_in(&indicator("termly", None)), [2, 3, 4]);
        assert_eq!(due_in(&indicator("half-termly", None)), [1, 2, 3, 4]);
        assert_eq!(due_in(&indicator("six-monthly", None)), [2, 4]);
        assert_eq!(due_in(&indicator("twice-yearly", None)), [2, 4]);
        assert_eq!(due_in(&indicator("annual", None)), [4]);
        assert_eq!(due_in(&indicator("monthly", None)), [1, 2, 3, 4]);
        let census = indicator(
            "census",
            Some(
                serde_json::json!({ "return": "School Census", "months": ["January", "May", "October"] }),
            ),
        );
        assert_eq!(due_in(&census), [1, 3, 4]);
        assert_eq!(
            census.census.unwrap().describe(),
            "School Census (January, May and October)"
        );
    }

    #[test]
    fn a_comparator_names_the_council_or_group() {
        let c: Comparator = serde_json::from_value(serde_json::json!({
            "period": "2009/10", "kind": "council", "name": "Warrington", "value": "62%"
        }))
        .unwrap();
        assert_eq!(c.describe(), "Warrington 2009/10");
        let c: Comparator = serde_json::from_value(serde_json::json!({
            "period": "2009/10", "kind": "regional", "name": "North West", "value": "60%"
        }))
        .unwrap();
        assert_eq!(c.describe(), "Region (North West) 2009/10");
    }
}
