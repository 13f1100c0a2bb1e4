//! Service objectives (actions, with the dates they start and end) and their key milestones:
//! listed under a financial year of the plan, judged in the quarters of the year their due date
//! falls in.

use crate::ParseError;
use crate::Ref;
use crate::dates::{Recurrence, When};
use crate::period::{FinancialYear, Month, Quarter, YearSpan};
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
    /// When the action starts, where the plan says (it may be before the plan's first year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<When>,
    /// When the action ends, where the plan says (it may be after the plan's last year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<When>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

impl Objective {
    /// "April 2011 – March 2013", "from April 2011", "until March 2013", or `None`.
    pub fn runs(&self) -> Option<String> {
        match (self.starts, self.ends) {
            (Some(a), Some(b)) => Some(format!("{} – {}", a.describe(), b.describe())),
            (Some(a), None) => Some(format!("from {}", a.describe())),
            (None, Some(b)) => Some(format!("until {}", b.describe())),
            (None, None) => None,
        }
    }
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
    /// The plan's note allowing a due date before its first year ("carried forward from the
    /// 2010/11 plan"); printed with the milestone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_plan: Option<String>,
    /// Carried into a refreshed plan, not complete, from this year of the plan it refreshes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<FinancialYear>,
}

impl Milestone {
    /// Its text as reports print it: with the plan's note on a date before its first year,
    /// "… (Note: carried forward from the 2010/11 plan)".
    pub fn text_with_note(&self) -> String {
        match &self.before_plan {
            Some(note) => format!("{} (Note: {note})", self.text),
            None => self.text.clone(),
        }
    }
    /// Whether the milestone is judged in the quarters of `year`, in a plan covering `span`.
    /// A dated milestone is judged in the year its date falls in (each date of a list; the end
    /// of a range), a date before the plan's first year in that first year; "from … onwards"
    /// in every year of the plan from its start; the rest in the year they are listed under.
    pub fn judged_in(&self, year: FinancialYear, span: YearSpan) -> bool {
        let in_plan = |d: NaiveDate| FinancialYear::containing(d).max(span.first());
        match &self.due {
            Due::From(start) => {
                in_plan(start.first_day()) <= year && year <= span.last().max(self.year)
            }
            due => match due.dates() {
                Some(dates) => dates.into_iter().any(|d| in_plan(d) == year),
                None => self.year == year,
            },
        }
    }
}

/// When a milestone is due, kept in the form the plan writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Due {
    /// By the end of the month ("by March 2012").
    Month(Month),
    /// By that day.
    Day(NaiveDate),
    /// Between two dates ("Dec 2010 – Mar 2011"): due by the end of the second.
    Range(When, When),
    /// By each of several dates, in order ("July, December 2011 and March 2012").
    Dates(Vec<When>),
    /// From a date onwards, with no end.
    From(When),
    /// Ongoing: no date.
    Ongoing,
    /// Again and again, at dates Beacon knows ("each term", "annually in July").
    Every(Recurrence),
    /// Recurring; the words say how often ("termly"), and give no dates.
    Recurring(String),
    #[default]
    None,
}

const DUE_FORMS: &str = "a due date: 2012-03 (by the end of that month), 2012-09-26 (by that day), \"2010-12 to 2011-03\" (a range), \"2011-07, 2011-12, 2012-03\" (a list of dates), \"from 2011-09 onwards\", \"ongoing\", \"each term\", \"each month\", \"each quarter\", \"annually in July\" or \"recurring: \" and words";

impl Due {
    pub fn is_none(&self) -> bool {
        matches!(self, Due::None)
    }
    /// The dates it falls due on, where it has any: one for a month or a day, the end of a
    /// range, each date of a list.
    pub fn dates(&self) -> Option<Vec<NaiveDate>> {
        match self {
            Due::Month(m) => Some(vec![m.last_day()]),
            Due::Day(d) => Some(vec![*d]),
            Due::Range(_, to) => Some(vec![to.last_day()]),
            Due::Dates(ds) => Some(ds.iter().map(|d| d.last_day()).collect()),
            _ => None,
        }
    }
    /// The last day by which it is due, if it has one (the last of a list).
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.dates().and_then(|ds| ds.last().copied())
    }
    /// The date it is judged by in `quarter`: its deadline; for a list, the next date not
    /// before the quarter starts, else the last.
    pub fn judged_by(&self, quarter: Quarter) -> Option<NaiveDate> {
        let dates = self.dates()?;
        dates
            .iter()
            .copied()
            .find(|d| *d >= quarter.first_day())
            .or_else(|| dates.last().copied())
    }
    /// The first day of a range or of "from … onwards".
    pub fn starts(&self) -> Option<NaiveDate> {
        match self {
            Due::Range(from, _) | Due::From(from) => Some(from.first_day()),
            _ => None,
        }
    }
    /// As a report prints it: "March 2012", "26 September 2012", "December 2010 – March
    /// 2011", "July 2011, December 2011 and March 2012", "from September 2011 onwards",
    /// "ongoing", "each term", "termly".
    pub fn describe(&self) -> String {
        match self {
            Due::Month(m) => m.long(),
            Due::Day(d) => d.format("%-d %B %Y").to_string(),
            Due::Range(a, b) => format!("{} – {}", a.describe(), b.describe()),
            Due::Dates(ds) => {
                let words: Vec<String> = ds.iter().map(|d| d.describe()).collect();
                match words.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => words.join(""),
                }
            }
            Due::From(a) => format!("from {} onwards", a.describe()),
            Due::Ongoing => "ongoing".to_string(),
            Due::Every(r) => r.to_string(),
            Due::Recurring(w) => w.clone(),
            Due::None => String::new(),
        }
    }
}

fn when(s: &str, whole: &str) -> Result<When, ParseError> {
    s.parse().map_err(|_| ParseError::new(whole, DUE_FORMS))
}

impl FromStr for Due {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseError::new(s, DUE_FORMS);
        if t.is_empty() {
            return Ok(Due::None);
        }
        if let Some(words) = t.strip_prefix("recurring:") {
            let words = words.trim();
            return if words.is_empty() {
                Err(err())
            } else {
                Ok(Due::Recurring(words.to_string()))
            };
        }
        if t == "ongoing" {
            return Ok(Due::Ongoing);
        }
        if let Some(start) = t
            .strip_prefix("from ")
            .and_then(|r| r.strip_suffix(" onwards"))
        {
            return when(start, s).map(Due::From);
        }
        if let Some((a, b)) = t.split_once(" to ") {
            let (a, b) = (when(a, s)?, when(b, s)?);
            return if a.last_day() < b.last_day() {
                Ok(Due::Range(a, b))
            } else {
                Err(ParseError::new(
                    s,
                    "a range whose first date comes before its last, such as \"2010-12 to 2011-03\"",
                ))
            };
        }
        if t.contains(',') {
            let ds = t
                .split(',')
                .map(|d| when(d, s))
                .collect::<Result<Vec<When>, _>>()?;
            return if ds.windows(2).all(|w| w[0].last_day() < w[1].last_day()) {
                Ok(Due::Dates(ds))
            } else {
                Err(ParseError::new(
                    s,
                    "a list of dates in order, each after the one before, such as \"2011-07, 2011-12, 2012-03\"",
                ))
            };
        }
        if t.starts_with("each ") || t.starts_with("annually ") {
            return t.parse().map(Due::Every).map_err(|_| err());
        }
        if t.len() == 10 {
            return NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Due::Day)
                .map_err(|_| err());
        }
        t.parse().map(Due::Month).map_err(|_| err())
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Month(m) => m.fmt(f),
            Due::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Due::Range(a, b) => write!(f, "{a} to {b}"),
            Due::Dates(ds) => {
                let ds: Vec<String> = ds.iter().map(When::to_string).collect();
                f.write_str(&ds.join(", "))
            }
            Due::From(a) => write!(f, "from {a} onwards"),
            Due::Ongoing => f.write_str("ongoing"),
            Due::Every(r) => r.fmt(f),
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

    #[test]
    fn the_forms_councils_write_are_kept_as_written() {
        for (s, says) in [
            ("2010-12 to 2011-03", "December 2010 – March 2011"),
            (
                "2011-07, 2011-12, 2012-03",
                "July 2011, December 2011 and March 2012",
            ),
            ("from 2011-09 onwards", "from September 2011 onwards"),
            ("ongoing", "ongoing"),
            ("each term", "each term"),
            ("annually in July", "annually in July"),
        ] {
            let d: Due = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
            assert_eq!(d.describe(), says);
        }
        assert!("2011-03 to 2010-12".parse::<Due>().is_err());
        assert!("2012-03, 2011-07".parse::<Due>().is_err());
        assert!("from September onwards".parse::<Due>().is_err());
        assert!("each fortnight".parse::<Due>().is_err());
    }

    fn milestone(year: &str, due: &str) -> Milestone {
        Milestone {
            reference: "A1/1".parse().unwrap(),
            year: year.parse().unwrap(),
            text: "x".into(),
            due: due.parse().unwrap(),
            officer: None,
            priority: None,
            before_plan: None,
            carried_from: None,
        }
    }

    fn judged(m: &Milestone, span: &str) -> Vec<String> {
        let span: YearSpan = span.parse().unwrap();
        (2009..2015)
            .map(|y| FinancialYear::starting(y).unwrap())
            .filter(|y| m.judged_in(*y, span))
            .map(|y| y.to_string())
            .collect()
    }

    #[test]
    fn a_milestone_is_judged_in_the_year_its_date_falls_in() {
        // Due April 2012 in a 2011/12 plan: judged in 2012/13.
        assert_eq!(
            judged(&milestone("2011/12", "2012-04"), "2011/12-2011/12"),
            ["2012/13"]
        );
        // Dated before the plan: judged (overdue) in its first year.
        assert_eq!(
            judged(&milestone("2011/12", "2010-12"), "2011/12-2011/12"),
            ["2011/12"]
        );
        // A range by its end; a list in each year it has a date in.
        assert_eq!(
            judged(
                &milestone("2011/12", "2010-12 to 2012-06"),
                "2011/12-2012/13"
            ),
            ["2012/13"]
        );
        assert_eq!(
            judged(&milestone("2011/12", "2011-07, 2012-07"), "2011/12-2011/12"),
            ["2011/12", "2012/13"]
        );
        // From … onwards: every year of the plan from its start.
        assert_eq!(
            judged(
                &milestone("2011/12", "from 2011-09 onwards"),
                "2010/11-2012/13"
            ),
            ["2011/12", "2012/13"]
        );
        // No date: the year it is listed under.
        assert_eq!(
            judged(&milestone("2012/13", "ongoing"), "2011/12-2013/14"),
            ["2012/13"]
        );
        assert_eq!(
            judged(&milestone("2012/13", "each term"), "2011/12-2013/14"),
            ["2012/13"]
        );
    }

    #[test]
    fn a_list_is_judged_by_its_next_date_and_then_its_last() {
        let d: Due = "2011-07, 2011-12, 2012-03".parse().unwrap();
        let q = |s: &str| s.parse::<Quarter>().unwrap();
        assert_eq!(
            d.judged_by(q("2011/12 Q2")),
            NaiveDate::from_ymd_opt(2011, 7, 31)
        );
        assert_eq!(
            d.judged_by(q("2011/12 Q3")),
            NaiveDate::from_ymd_opt(2011, 12, 31)
        );
        assert_eq!(
            d.judged_by(q("2012/13 Q1")),
            NaiveDate::from_ymd_opt(2012, 3, 31)
        );
    }
}
