//! Periods: financial years (`2012/13`), their quarters (`2012/13 Q2`), academic years
//! (`AY 2011/12`), calendar years (`2012`) and months (`2012-03`), with the forms the seeds use.

use crate::ParseError;
use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// The first and last year Beacon accepts, so that every date it computes exists.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

fn year_in_range(y: i32, found: &str, expected: &str) -> Result<i32, ParseError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&y) {
        Ok(y)
    } else {
        Err(ParseError::new(found, expected))
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // Every caller passes a year in MIN_YEAR..=MAX_YEAR and a real month/day, so this always
    // exists; the fallback keeps the function total without a panic.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date(ny, nm, 1).pred_opt().unwrap_or_default()
}

/// Parses `2012/13` (also `2012-13`, `2012/2013`, `2012-2013`) into the year it starts.
fn parse_split_year(s: &str, expected: &str) -> Result<i32, ParseError> {
    let t = s.trim();
    let (a, b) = t
        .split_once(['/', '-'])
        .ok_or_else(|| ParseError::new(s, expected))?;
    let start: i32 = a.trim().parse().map_err(|_| ParseError::new(s, expected))?;
    if a.trim().len() != 4 {
        return Err(ParseError::new(s, expected));
    }
    let start = year_in_range(start, s, expected)?;
    let end_txt = b.trim();
    let end: i32 = end_txt.parse().map_err(|_| ParseError::new(s, expected))?;
    let ok = match end_txt.len() {
        2 => end == (start + 1).rem_euclid(100),
        4 => end == start + 1,
        _ => false,
    };
    if ok {
        Ok(start)
    } else {
        Err(ParseError::new(s, expected))
    }
}

/// A financial year, 1 April to 31 March, written `2012/13`. Holds the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FinancialYear(i32);

impl FinancialYear {
    const EXPECTED: &'static str = "a financial year such as 2012/13";

    pub fn starting(year: i32) -> Result<Self, ParseError> {
        year_in_range(year, &year.to_string(), Self::EXPECTED).map(FinancialYear)
    }
    /// The calendar year in which it starts (2012 for 2012/13).
    pub fn start_year(self) -> i32 {
        self.0
    }
    pub fn first_day(self) -> NaiveDate {
        date(self.0, 4, 1)
    }
    pub fn last_day(self) -> NaiveDate {
        date(self.0 + 1, 3, 31)
    }
    /// The financial year a date falls in.
    pub fn containing(d: NaiveDate) -> Self {
        FinancialYear(if d.month() >= 4 {
            d.year()
        } else {
            d.year() - 1
        })
    }
    /// The year before, if it is in range.
    pub fn previous(self) -> Option<Self> {
        Self::starting(self.0 - 1).ok()
    }
    pub fn next(self) -> Option<Self> {
        Self::starting(self.0 + 1).ok()
    }
    /// The short form reports print in column heads: `12/13`.
    pub fn short(self) -> String {
        format!(
            "{:02}/{:02}",
            self.0.rem_euclid(100),
            (self.0 + 1).rem_euclid(100)
        )
    }
    pub fn quarter(self, q: QuarterNo) -> Quarter {
        Quarter { year: self, q }
    }
}

impl FromStr for FinancialYear {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_split_year(s, Self::EXPECTED).map(FinancialYear)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}
crate::serde_via_str!(FinancialYear);

/// Quarter number within a financial year: Q1 April–June … Q4 January–March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuarterNo {
    Q1 = 1,
    Q2 = 2,
    Q3 = 3,
    Q4 = 4,
}

impl QuarterNo {
    pub const ALL: [QuarterNo; 4] = [QuarterNo::Q1, QuarterNo::Q2, QuarterNo::Q3, QuarterNo::Q4];
    pub fn number(self) -> u8 {
        self as u8
    }
    pub fn from_number(n: u8) -> Result<Self, ParseError> {
        match n {
            1 => Ok(QuarterNo::Q1),
            2 => Ok(QuarterNo::Q2),
            3 => Ok(QuarterNo::Q3),
            4 => Ok(QuarterNo::Q4),
            _ => Err(ParseError::new(
                n.to_string(),
                "a quarter number from 1 to 4",
            )),
        }
    }
}

/// A quarter of a financial year, written `2012/13 Q2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: FinancialYear,
    pub q: QuarterNo,
}

impl Quarter {
    const EXPECTED: &'static str = "a quarter such as 2012/13 Q2";

    pub fn first_day(self) -> NaiveDate {
        let (y, m) = self.first_month();
        date(y, m, 1)
    }
    pub fn last_day(self) -> NaiveDate {
        let (y, m) = self.first_month();
        let (ly, lm) = if m + 2 > 12 {
            (y + 1, m + 2 - 12)
        } else {
            (y, m + 2)
        };
        last_day_of_month(ly, lm)
    }
    fn first_month(self) -> (i32, u32) {
        let y = self.year.start_year();
        match self.q {
            QuarterNo::Q1 => (y, 4),
            QuarterNo::Q2 => (y, 7),
            QuarterNo::Q3 => (y, 10),
            QuarterNo::Q4 => (y + 1, 1),
        }
    }
    /// The quarter a date falls in.
    pub fn containing(d: NaiveDate) -> Self {
        let q = match d.month() {
            4..=6 => QuarterNo::Q1,
            7..=9 => QuarterNo::Q2,
            10..=12 => QuarterNo::Q3,
            _ => QuarterNo::Q4,
        };
        Quarter {
            year: FinancialYear::containing(d),
            q,
        }
    }
    /// The same quarter a year earlier, for direction of travel.
    pub fn same_quarter_last_year(self) -> Option<Self> {
        self.year.previous().map(|year| Quarter { year, q: self.q })
    }
    /// How many quarters of the year have ended at the end of this one (1–4).
    pub fn elapsed(self) -> u8 {
        self.q.number()
    }
    /// "Quarter 2, Period 1 July 2012 – 30 September 2012", as the seed's report heads it.
    pub fn reporting_period(self) -> String {
        format!(
            "Quarter {}, Period {} – {}",
            self.q.number(),
            self.first_day().format("%-d %B %Y"),
            self.last_day().format("%-d %B %Y")
        )
    }
}

impl FromStr for Quarter {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (y, q) = t
            .rsplit_once(' ')
            .ok_or_else(|| ParseError::new(s, Self::EXPECTED))?;
        let q = q.trim();
        let n = q
            .strip_prefix('Q')
            .or_else(|| q.strip_prefix('q'))
            .and_then(|n| n.parse::<u8>().ok())
            .ok_or_else(|| ParseError::new(s, Self::EXPECTED))?;
        let q = QuarterNo::from_number(n).map_err(|_| ParseError::new(s, Self::EXPECTED))?;
        let year = parse_split_year(y, Self::EXPECTED)
            .map(FinancialYear)
            .map_err(|_| ParseError::new(s, Self::EXPECTED))?;
        Ok(Quarter { year, q })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.q.number())
    }
}
crate::serde_via_str!(Quarter);

/// A calendar month, written `2012-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    const EXPECTED: &'static str = "a month such as 2012-03";
    pub fn new(year: i32, month: u32) -> Result<Self, ParseError> {
        let found = format!("{year}-{month:02}");
        let year = year_in_range(year, &found, Self::EXPECTED)?;
        if (1..=12).contains(&month) {
            Ok(Month { year, month })
        } else {
            Err(ParseError::new(found, Self::EXPECTED))
        }
    }
    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn first_day(self) -> NaiveDate {
        date(self.year, self.month, 1)
    }
    pub fn last_day(self) -> NaiveDate {
        last_day_of_month(self.year, self.month)
    }
    /// "March 2012".
    pub fn long(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }
}

impl FromStr for Month {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (y, m) = t
            .split_once('-')
            .ok_or_else(|| ParseError::new(s, Self::EXPECTED))?;
        if y.len() != 4 || m.len() != 2 {
            return Err(ParseError::new(s, Self::EXPECTED));
        }
        let y: i32 = y.parse().map_err(|_| ParseError::new(s, Self::EXPECTED))?;
        let m: u32 = m.parse().map_err(|_| ParseError::new(s, Self::EXPECTED))?;
        Month::new(y, m).map_err(|_| ParseError::new(s, Self::EXPECTED))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}
crate::serde_via_str!(Month);

/// The period a value describes. Data often lags the reporting quarter, so the period a value
/// describes and the quarter in which it is reported are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    FinancialYear(FinancialYear),
    Quarter(Quarter),
    /// September to August, written `AY 2011/12`; holds the year it starts.
    AcademicYear(i32),
    CalendarYear(i32),
    Month(Month),
}

impl Period {
    const EXPECTED: &'static str = "a period: 2012/13 (financial year), 2012/13 Q2, AY 2011/12 (academic year), 2012 (calendar year) or 2012-03 (month)";

    pub fn first_day(self) -> NaiveDate {
        match self {
            Period::FinancialYear(y) => y.first_day(),
            Period::Quarter(q) => q.first_day(),
            Period::AcademicYear(y) => date(y, 9, 1),
            Period::CalendarYear(y) => date(y, 1, 1),
            Period::Month(m) => m.first_day(),
        }
    }
    pub fn last_day(self) -> NaiveDate {
        match self {
            Period::FinancialYear(y) => y.last_day(),
            Period::Quarter(q) => q.last_day(),
            Period::AcademicYear(y) => date(y + 1, 8, 31),
            Period::CalendarYear(y) => date(y, 12, 31),
            Period::Month(m) => m.last_day(),
        }
    }
    /// The same period a year earlier, if in range.
    pub fn a_year_earlier(self) -> Option<Period> {
        Some(match self {
            Period::FinancialYear(y) => Period::FinancialYear(y.previous()?),
            Period::Quarter(q) => Period::Quarter(q.same_quarter_last_year()?),
            Period::AcademicYear(y) if y > MIN_YEAR => Period::AcademicYear(y - 1),
            Period::CalendarYear(y) if y > MIN_YEAR => Period::CalendarYear(y - 1),
            Period::Month(m) => Period::Month(Month::new(m.year() - 1, m.month()).ok()?),
            _ => return None,
        })
    }
    /// The financial year a period belongs to, where it lies inside one.
    pub fn financial_year(self) -> Option<FinancialYear> {
        let fy = FinancialYear::containing(self.first_day());
        (FinancialYear::containing(self.last_day()) == fy).then_some(fy)
    }
}

impl FromStr for Period {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseError::new(s, Self::EXPECTED);
        if let Some(rest) = t.strip_prefix("AY ") {
            return parse_split_year(rest, Self::EXPECTED)
                .map(Period::AcademicYear)
                .map_err(|_| err());
        }
        if t.contains(' ') {
            return t.parse().map(Period::Quarter).map_err(|_| err());
        }
        if t.contains('/') {
            return t.parse().map(Period::FinancialYear).map_err(|_| err());
        }
        if t.len() == 7 && t.as_bytes().get(4) == Some(&b'-') {
            return t.parse().map(Period::Month).map_err(|_| err());
        }
        if t.len() == 4 {
            let y: i32 = t.parse().map_err(|_| err())?;
            return year_in_range(y, s, Self::EXPECTED).map(Period::CalendarYear);
        }
        Err(err())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::FinancialYear(y) => y.fmt(f),
            Period::Quarter(q) => q.fmt(f),
            Period::AcademicYear(y) => write!(f, "AY {}/{:02}", y, (y + 1).rem_euclid(100)),
            Period::CalendarYear(y) => write!(f, "{y}"),
            Period::Month(m) => m.fmt(f),
        }
    }
}
crate::serde_via_str!(Period);

/// Consecutive financial years a plan covers, written `2011/12-2013/14`, or `2012/13` for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearSpan {
    first: FinancialYear,
    last: FinancialYear,
}

impl YearSpan {
    const EXPECTED: &'static str = "financial years such as 2011/12-2013/14 (first year, a dash, last year), or one year such as 2011/12";
    pub fn new(first: FinancialYear, last: FinancialYear) -> Result<Self, ParseError> {
        if first <= last {
            Ok(YearSpan { first, last })
        } else {
            Err(ParseError::new(format!("{first}-{last}"), Self::EXPECTED))
        }
    }
    pub fn first(self) -> FinancialYear {
        self.first
    }
    pub fn last(self) -> FinancialYear {
        self.last
    }
    pub fn contains(self, y: FinancialYear) -> bool {
        self.first <= y && y <= self.last
    }
    pub fn years(self) -> impl Iterator<Item = FinancialYear> {
        (self.first.start_year()..=self.last.start_year())
            .filter_map(|y| FinancialYear::starting(y).ok())
    }
}

impl FromStr for YearSpan {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseError::new(s, Self::EXPECTED);
        let t = s.trim();
        // The separator is the dash that follows a "/yy" part: `2011/12-2013/14`.
        let slash = t.find('/').ok_or_else(err)?;
        // A one-year plan may write its year once: `2012/13`.
        let Some(dash) = t[slash..].find('-').map(|i| i + slash) else {
            let year: FinancialYear = t.parse().map_err(|_| err())?;
            return YearSpan::new(year, year);
        };
        let first: FinancialYear = t[..dash].parse().map_err(|_| err())?;
        let last: FinancialYear = t[dash + 1..].parse().map_err(|_| err())?;
        YearSpan::new(first, last).map_err(|_| err())
    }
}

impl fmt::Display for YearSpan {
    /// `2011/12-2013/14`; one year as itself, `2012/13`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}
crate::serde_via_str!(YearSpan);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_seed_forms() {
        let y: FinancialYear = "2012/13".parse().unwrap();
        assert_eq!(y.start_year(), 2012);
        assert_eq!("2012-13".parse::<FinancialYear>().unwrap(), y);
        assert_eq!("2012/2013".parse::<FinancialYear>().unwrap(), y);
        assert_eq!(y.short(), "12/13");
        assert_eq!(
            "1999/00".parse::<FinancialYear>().unwrap().to_string(),
            "1999/00"
        );
        assert!("2012/14".parse::<FinancialYear>().is_err());
        let q: Quarter = "2012/13 Q2".parse().unwrap();
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2012, 7, 1).unwrap());
        assert_eq!(q.last_day(), NaiveDate::from_ymd_opt(2012, 9, 30).unwrap());
        assert_eq!(
            q.reporting_period(),
            "Quarter 2, Period 1 July 2012 – 30 September 2012"
        );
        let q4: Quarter = "2012/13 Q4".parse().unwrap();
        assert_eq!(q4.last_day(), NaiveDate::from_ymd_opt(2013, 3, 31).unwrap());
        assert!("2012/13 Q5".parse::<Quarter>().is_err());
        let span: YearSpan = "2011/12-2013/14".parse().unwrap();
        assert_eq!(span.years().count(), 3);
        let one: YearSpan = "2011/12".parse().unwrap();
        assert_eq!(one, "2011/12-2011/12".parse().unwrap());
        assert_eq!(one.years().count(), 1);
        assert_eq!(one.to_string(), "2011/12");
        assert!("2013/14-2011/12".parse::<YearSpan>().is_err());
        assert_eq!(
            "AY 2011/12".parse::<Period>().unwrap(),
            Period::AcademicYear(2011)
        );
        assert_eq!(
            "2012-03".parse::<Period>().unwrap().last_day(),
            NaiveDate::from_ymd_opt(2012, 3, 31).unwrap()
        );
        assert!("March 2012".parse::<Period>().is_err());
        assert!("2012-13-01".parse::<Period>().is_err());
    }

    fn any_period() -> impl Strategy<Value = Period> {
        let fy = (1901i32..2199).prop_map(|y| FinancialYear::starting(y).unwrap());
        prop_oneof![
            fy.clone().prop_map(Period::FinancialYear),
            (fy, 1u8..=4)
                .prop_map(|(y, q)| Period::Quarter(y.quarter(QuarterNo::from_number(q).unwrap()))),
            (1901i32..2199).prop_map(Period::AcademicYear),
            (1901i32..2199).prop_map(Period::CalendarYear),
            (1901i32..2199, 1u32..=12).prop_map(|(y, m)| Period::Month(Month::new(y, m).unwrap())),
        ]
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_period(p in any_period()) {
            prop_assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
        }

        #[test]
        fn a_period_starts_before_it_ends(p in any_period()) {
            prop_assert!(p.first_day() <= p.last_day());
        }

        #[test]
        fn every_day_lies_in_the_quarter_and_year_that_contain_it(days in 0i64..100_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let q = Quarter::containing(d);
            prop_assert!(q.first_day() <= d && d <= q.last_day());
            let y = FinancialYear::containing(d);
            prop_assert!(y.first_day() <= d && d <= y.last_day());
            prop_assert_eq!(q.year, y);
        }

        #[test]
        fn quarters_tile_their_year(y in 1901i32..2199) {
            let fy = FinancialYear::starting(y).unwrap();
            let qs: Vec<Quarter> = QuarterNo::ALL.iter().map(|q| fy.quarter(*q)).collect();
            prop_assert_eq!(qs[0].first_day(), fy.first_day());
            prop_assert_eq!(qs[3].last_day(), fy.last_day());
            for w in qs.windows(2) {
                prop_assert_eq!(w[0].last_day().succ_opt().unwrap(), w[1].first_day());
            }
        }

        #[test]
        fn a_year_earlier_is_one_year_back(p in any_period()) {
            let e = p.a_year_earlier().unwrap();
            prop_assert!(e < p);
            prop_assert_eq!(e.first_day().year() + 1, p.first_day().year());
        }
    }
}
