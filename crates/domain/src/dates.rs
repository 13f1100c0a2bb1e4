//! The dates plans write besides a period: a month or a day (`2012-03`, `2012-09-26`), a month
//! of every year (`July`), and a recurrence councils print ("each term", "annually in July"),
//! with the dates each falls on.

use crate::ParseError;
use crate::period::Month;
use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A month or a day a plan writes: `2012-03` (by the end of that month) or `2012-09-26`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum When {
    Month(Month),
    Day(NaiveDate),
}

impl When {
    const EXPECTED: &'static str = "a month such as 2012-03 or a day such as 2012-09-26";

    /// The first day it covers.
    pub fn first_day(self) -> NaiveDate {
        match self {
            When::Month(m) => m.first_day(),
            When::Day(d) => d,
        }
    }
    /// The last day it covers: the end of the month, or the day.
    pub fn last_day(self) -> NaiveDate {
        match self {
            When::Month(m) => m.last_day(),
            When::Day(d) => d,
        }
    }
    /// As a report prints it: "March 2012", "26 September 2012".
    pub fn describe(self) -> String {
        match self {
            When::Month(m) => m.long(),
            When::Day(d) => d.format("%-d %B %Y").to_string(),
        }
    }
}

impl FromStr for When {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseError::new(s, Self::EXPECTED);
        if t.len() == 10 {
            let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| err())?;
            // Through Month, so the year is one Beacon accepts.
            Month::new(d.year(), d.month()).map_err(|_| err())?;
            return Ok(When::Day(d));
        }
        t.parse().map(When::Month).map_err(|_| err())
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Month(m) => m.fmt(f),
            When::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}
crate::serde_via_str!(When);

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month of every year, written by its name (`July`): when a census return reports, or
/// when an annual milestone falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MonthOfYear(u32);

impl MonthOfYear {
    /// 1 for January … 12 for December.
    pub fn number(self) -> u32 {
        self.0
    }
    pub fn name(self) -> &'static str {
        MONTH_NAMES[(self.0 - 1) as usize]
    }
    /// The last day of this month in the calendar year `year`.
    fn last_day_in(self, year: i32) -> NaiveDate {
        Month::new(year, self.0)
            .map(Month::last_day)
            .unwrap_or_default()
    }
}

impl FromStr for MonthOfYear {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        MONTH_NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(t))
            .map(|i| MonthOfYear(i as u32 + 1))
            .ok_or_else(|| ParseError::new(s, "a month's name, such as July"))
    }
}

impl fmt::Display for MonthOfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
crate::serde_via_str!(MonthOfYear);

/// A recurrence a plan prints for work done again and again: "each term", "each month",
/// "each quarter", "annually in July". Terms are taken to end in December, March and July.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recurrence {
    EachTerm,
    EachMonth,
    EachQuarter,
    Annually(MonthOfYear),
}

impl Recurrence {
    /// The forms, for messages.
    pub const FORMS: &'static str =
        "\"each term\", \"each month\", \"each quarter\" or \"annually in July\"";

    /// The next day it falls due on or after `from` (the last day of the month it falls in).
    pub fn next_on_or_after(self, from: NaiveDate) -> NaiveDate {
        let months: Vec<u32> = match self {
            Recurrence::EachMonth => (1..=12).collect(),
            Recurrence::EachQuarter => vec![3, 6, 9, 12],
            Recurrence::EachTerm => vec![3, 7, 12],
            Recurrence::Annually(m) => vec![m.number()],
        };
        (from.year()..=from.year() + 1)
            .flat_map(|y| months.iter().map(move |m| MonthOfYear(*m).last_day_in(y)))
            .find(|d| *d >= from)
            .unwrap_or(from)
    }
}

impl FromStr for Recurrence {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t {
            "each term" => Ok(Recurrence::EachTerm),
            "each month" => Ok(Recurrence::EachMonth),
            "each quarter" => Ok(Recurrence::EachQuarter),
            _ => t
                .strip_prefix("annually in ")
                .and_then(|m| m.parse().ok())
                .map(Recurrence::Annually)
                .ok_or_else(|| ParseError::new(s, Self::FORMS)),
        }
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recurrence::EachTerm => f.write_str("each term"),
            Recurrence::EachMonth => f.write_str("each month"),
            Recurrence::EachQuarter => f.write_str("each quarter"),
            Recurrence::Annually(m) => write!(f, "annually in {m}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_recurrence_falls_next_at_the_end_of_its_next_month() {
        let term: Recurrence = "each term".parse().unwrap();
        assert_eq!(term.next_on_or_after(day(2012, 4, 1)), day(2012, 7, 31));
        assert_eq!(term.next_on_or_after(day(2012, 8, 1)), day(2012, 12, 31));
        assert_eq!(term.next_on_or_after(day(2013, 1, 1)), day(2013, 3, 31));
        let july: Recurrence = "annually in July".parse().unwrap();
        assert_eq!(july.next_on_or_after(day(2012, 8, 1)), day(2013, 7, 31));
        assert_eq!(july.to_string(), "annually in July");
        assert!("annually in Juli".parse::<Recurrence>().is_err());
        assert!("termly".parse::<Recurrence>().is_err());
    }

    #[test]
    fn when_reads_a_month_or_a_day() {
        assert_eq!(
            "2012-03".parse::<When>().unwrap().last_day(),
            day(2012, 3, 31)
        );
        assert_eq!(
            "2012-09-26".parse::<When>().unwrap().to_string(),
            "2012-09-26"
        );
        assert!("2012-02-30".parse::<When>().is_err());
        assert!("March 2012".parse::<When>().is_err());
    }
}
