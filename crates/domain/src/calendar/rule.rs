//! The council's rule for a quarter's dates (collection opens and closes, sign-off, the board's
//! papers deadline and meeting, each counted in working days from the quarter's end), the dates
//! changed by hand for one quarter, and the dates that result, checked to follow in order.

use super::working;
use crate::period::{FinancialYear, Quarter, QuarterNo};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most working days any date may lie after the quarter's end (about half a year).
pub const MAX_AFTER: u16 = 130;
/// The most working days a reminder or papers deadline may come before its date.
pub const MAX_BEFORE: u16 = 40;

/// The council's rule, in working days from the day the quarter ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Collection opens this many working days after the quarter ends (0: on its last day).
    pub opens_after: u16,
    /// Collection closes this many working days after the quarter ends.
    pub closes_after: u16,
    /// Directors sign off by this many working days after the quarter ends.
    pub sign_off_after: u16,
    /// The board meets this many working days after the quarter ends; `None`: only where a
    /// quarter's meeting date is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board_after: Option<u16>,
    /// The board's papers are due this many working days before it meets.
    pub papers_before: u16,
    /// Contributors with items missing are reminded this many working days before collection
    /// closes, and again on the day.
    pub remind_before: u16,
    /// The committee that receives the report.
    pub committee: String,
}

impl Default for Rule {
    /// Collection open from the first working day after the quarter, closing after 15 working
    /// days; sign-off 5 days later; the board six weeks (30 working days) after the quarter,
    /// its papers 5 working days before; reminders 3 working days before the close.
    fn default() -> Rule {
        Rule {
            opens_after: 1,
            closes_after: 15,
            sign_off_after: 20,
            board_after: Some(30),
            papers_before: 5,
            remind_before: 3,
            committee: "Policy and Performance Board".into(),
        }
    }
}

/// Dates set by hand for one quarter, in place of the rule's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterChange {
    pub quarter: Quarter,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub papers: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<NaiveDate>,
}

impl QuarterChange {
    /// No date changed yet.
    pub fn new(quarter: Quarter) -> QuarterChange {
        QuarterChange {
            quarter,
            opens: None,
            closes: None,
            sign_off: None,
            papers: None,
            board: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.opens.is_none()
            && self.closes.is_none()
            && self.sign_off.is_none()
            && self.papers.is_none()
            && self.board.is_none()
    }
}

/// A council's calendar: its rule and the quarters changed by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilCalendar {
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quarters: Vec<QuarterChange>,
}

/// One quarter's dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterDates {
    pub quarter: Quarter,
    pub opens: NaiveDate,
    pub closes: NaiveDate,
    /// Contributors with items missing are reminded on this day and on the closing day.
    pub remind: NaiveDate,
    pub sign_off: NaiveDate,
    pub papers: Option<NaiveDate>,
    pub board: Option<NaiveDate>,
    pub committee: String,
    /// Which dates were set by hand for this quarter ("opens", "closes", …).
    pub set_by_hand: Vec<&'static str>,
}

/// Why a calendar cannot be used, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CalendarError(pub String);

/// A reminder due on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reminder {
    /// Collection closes in this many working days.
    Before(u16),
    /// Collection closes today.
    OnTheDay,
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

impl Rule {
    /// The rule's own consistency: dates in order and within bounds.
    pub fn check(&self) -> Result<(), CalendarError> {
        let mut wrong = Vec::new();
        for (name, n) in [
            ("opens_after", self.opens_after),
            ("closes_after", self.closes_after),
            ("sign_off_after", self.sign_off_after),
            ("board_after", self.board_after.unwrap_or(0)),
        ] {
            if n > MAX_AFTER {
                wrong.push(format!(
                    "{name} is {n}; expected at most {MAX_AFTER} working days"
                ));
            }
        }
        for (name, n) in [
            ("papers_before", self.papers_before),
            ("remind_before", self.remind_before),
        ] {
            if n > MAX_BEFORE {
                wrong.push(format!(
                    "{name} is {n}; expected at most {MAX_BEFORE} working days"
                ));
            }
        }
        if self.closes_after < self.opens_after.max(1) {
            wrong.push(format!("collection closes {} working days after the quarter, before or when it opens ({}); expected closes_after greater than opens_after", self.closes_after, self.opens_after));
        }
        if self.sign_off_after < self.closes_after {
            wrong.push(format!("sign-off ({} working days) comes before collection closes ({}); expected sign_off_after at least closes_after", self.sign_off_after, self.closes_after));
        }
        if let Some(b) = self.board_after
            && b < self.sign_off_after.saturating_add(self.papers_before)
        {
            wrong.push(format!("the board meets {b} working days after the quarter, so its papers ({} days before) would be due before sign-off ({}); expected board_after at least sign_off_after + papers_before", self.papers_before, self.sign_off_after));
        }
        if self.committee.trim().is_empty() {
            wrong.push(
                "committee is empty; expected the name of the committee that receives the report"
                    .into(),
            );
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(CalendarError(wrong.join("; ")))
        }
    }

    /// The quarter's dates by the rule alone.
    pub fn dates(&self, quarter: Quarter) -> QuarterDates {
        let end = quarter.last_day();
        let closes = working::after(end, self.closes_after);
        let board = self.board_after.map(|n| working::after(end, n));
        QuarterDates {
            quarter,
            opens: working::after(end, self.opens_after),
            remind: working::before(closes, self.remind_before),
            closes,
            sign_off: working::after(end, self.sign_off_after),
            papers: board.map(|b| working::before(b, self.papers_before)),
            board,
            committee: self.committee.clone(),
            set_by_hand: Vec::new(),
        }
    }
}

impl CouncilCalendar {
    /// The quarter's dates: the rule's, with any set by hand for the quarter. A board date set
    /// by hand moves the papers deadline with it unless that is set too; a closing date moves
    /// the reminder.
    pub fn dates(&self, quarter: Quarter) -> QuarterDates {
        let mut d = self.rule.dates(quarter);
        let Some(c) = self.quarters.iter().find(|c| c.quarter == quarter) else {
            return d;
        };
        if let Some(x) = c.opens {
            d.opens = x;
            d.set_by_hand.push("opens");
        }
        if let Some(x) = c.closes {
            d.closes = x;
            d.remind = working::before(x, self.rule.remind_before);
            d.set_by_hand.push("closes");
        }
        if let Some(x) = c.sign_off {
            d.sign_off = x;
            d.set_by_hand.push("sign_off");
        }
        if let Some(x) = c.board {
            d.board = Some(x);
            d.papers = Some(working::before(x, self.rule.papers_before));
            d.set_by_hand.push("board");
        }
        if let Some(x) = c.papers {
            d.papers = Some(x);
            d.set_by_hand.push("papers");
        }
        d
    }

    /// The year's four quarters.
    pub fn year(&self, year: FinancialYear) -> Vec<QuarterDates> {
        QuarterNo::ALL
            .iter()
            .map(|q| self.dates(year.quarter(*q)))
            .collect()
    }

    /// Checks the rule, and that every quarter changed by hand keeps its dates in order.
    pub fn check(&self) -> Result<(), CalendarError> {
        self.rule.check()?;
        let mut wrong = Vec::new();
        for (n, c) in self.quarters.iter().enumerate() {
            if self.quarters[..n].iter().any(|o| o.quarter == c.quarter) {
                wrong.push(format!(
                    "{} is changed twice; expected one change per quarter",
                    c.quarter
                ));
                continue;
            }
            if let Err(e) = self.dates(c.quarter).check() {
                wrong.push(e.0);
            }
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(CalendarError(wrong.join("; ")))
        }
    }
}

impl QuarterDates {
    /// The dates follow in order: the quarter starts, collection opens, closes, sign-off, the
    /// papers deadline, the meeting; nothing a year or more after the quarter ends.
    pub fn check(&self) -> Result<(), CalendarError> {
        let q = self.quarter;
        let mut order: Vec<(&str, NaiveDate)> = vec![
            ("the quarter starts", q.first_day()),
            ("collection opens", self.opens),
            ("collection closes", self.closes),
            ("sign-off", self.sign_off),
        ];
        if let Some(p) = self.papers {
            order.push(("the board's papers are due", p));
        }
        if let Some(b) = self.board {
            order.push(("the board meets", b));
        }
        let mut wrong = Vec::new();
        for w in order.windows(2) {
            let ((a, da), (b, db)) = (w[0], w[1]);
            let strict = a == "collection opens" || b == "the board meets";
            if db < da || (strict && db == da) {
                wrong.push(format!(
                    "{q}: {b} on {} is not after {a} on {}",
                    long(db),
                    long(da)
                ));
            }
        }
        let limit = q.last_day() + chrono::Duration::days(365);
        if let Some((what, d)) = order.iter().skip(1).find(|(_, d)| *d > limit) {
            wrong.push(format!("{q}: {what} on {} is a year or more after the quarter ends; expected a date before {}", long(*d), long(limit)));
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(CalendarError(wrong.join("; ")))
        }
    }

    /// The reminder due on a day, if one is.
    pub fn reminder_on(&self, day: NaiveDate, rule: &Rule) -> Option<Reminder> {
        if day == self.closes {
            Some(Reminder::OnTheDay)
        } else if day == self.remind && self.remind >= self.opens && self.remind < self.closes {
            Some(Reminder::Before(rule.remind_before))
        } else {
            None
        }
    }

    /// Whether collection is open on the day.
    pub fn collecting_on(&self, day: NaiveDate) -> bool {
        self.opens <= day && day <= self.closes
    }
}

/// The quarter before.
pub fn previous(q: Quarter) -> Option<Quarter> {
    match q.q {
        QuarterNo::Q1 => q.year.previous().map(|y| y.quarter(QuarterNo::Q4)),
        QuarterNo::Q2 => Some(q.year.quarter(QuarterNo::Q1)),
        QuarterNo::Q3 => Some(q.year.quarter(QuarterNo::Q2)),
        QuarterNo::Q4 => Some(q.year.quarter(QuarterNo::Q3)),
    }
}

impl CouncilCalendar {
    /// The quarter being collected or signed off on a day: the latest quarter that has ended
    /// whose sign-off date has not passed, else the last quarter that ended.
    pub fn current(&self, day: NaiveDate) -> Option<QuarterDates> {
        let this = Quarter::containing(day);
        let last = previous(this)?;
        let before = previous(last);
        [before, Some(last)]
            .into_iter()
            .flatten()
            .map(|q| self.dates(q))
            .find(|d| day <= d.sign_off)
            .or_else(|| Some(self.dates(last)))
    }
}

impl fmt::Display for Reminder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reminder::Before(1) => f.write_str("collection closes tomorrow (next working day)"),
            Reminder::Before(n) => write!(f, "collection closes in {n} working days"),
            Reminder::OnTheDay => f.write_str("collection closes today"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_rule_for_quarter_two_2012() {
        let c = CouncilCalendar::default();
        let x = c.dates(q("2012/13 Q2"));
        assert_eq!(x.opens, d("2012-10-01"));
        assert_eq!(x.closes, d("2012-10-19"));
        assert_eq!(x.remind, d("2012-10-16"));
        assert_eq!(x.sign_off, d("2012-10-26"));
        assert_eq!(x.board, Some(d("2012-11-09")));
        assert_eq!(x.papers, Some(d("2012-11-02")));
        assert!(x.check().is_ok());
        assert!(x.set_by_hand.is_empty());
    }

    #[test]
    fn a_quarter_changed_by_hand() {
        // The seed's board met on 3 January 2013 for Q2.
        let c = CouncilCalendar {
            rule: Rule::default(),
            quarters: vec![QuarterChange {
                quarter: q("2012/13 Q2"),
                board: Some(d("2013-01-03")),
                closes: Some(d("2012-10-26")),
                sign_off: Some(d("2012-11-30")),
                ..QuarterChange::new(q("2012/13 Q2"))
            }],
        };
        assert!(c.check().is_ok());
        let x = c.dates(q("2012/13 Q2"));
        assert_eq!(x.board, Some(d("2013-01-03")));
        // Five working days back over Christmas and New Year.
        assert_eq!(x.papers, Some(d("2012-12-24")));
        assert_eq!(x.remind, d("2012-10-23"));
        assert_eq!(x.set_by_hand, ["closes", "sign_off", "board"]);
        // Other quarters keep the rule.
        assert_eq!(c.dates(q("2012/13 Q3")).closes, d("2013-01-22"));
    }

    #[test]
    fn dates_out_of_order_are_refused_with_the_reason() {
        let c = CouncilCalendar {
            rule: Rule::default(),
            quarters: vec![QuarterChange {
                quarter: q("2012/13 Q2"),
                closes: Some(d("2012-09-20")),
                ..QuarterChange::new(q("2012/13 Q2"))
            }],
        };
        let e = c.check().unwrap_err().0;
        assert!(e.contains("2012/13 Q2: collection closes on 20 September 2012 is not after collection opens on 1 October 2012"), "{e}");
        let bad = Rule {
            closes_after: 25,
            ..Rule::default()
        };
        let e = bad.check().unwrap_err().0;
        assert!(e.contains("sign_off_after at least closes_after"), "{e}");
        let far = Rule {
            closes_after: 400,
            ..Rule::default()
        };
        assert!(far.check().unwrap_err().0.contains("closes_after is 400"));
    }

    #[test]
    fn reminders_and_the_current_quarter() {
        let c = CouncilCalendar::default();
        let x = c.dates(q("2012/13 Q2"));
        assert_eq!(
            x.reminder_on(d("2012-10-16"), &c.rule),
            Some(Reminder::Before(3))
        );
        assert_eq!(
            x.reminder_on(d("2012-10-19"), &c.rule),
            Some(Reminder::OnTheDay)
        );
        assert_eq!(x.reminder_on(d("2012-10-17"), &c.rule), None);
        assert!(x.collecting_on(d("2012-10-10")));
        assert!(!x.collecting_on(d("2012-10-22")));
        assert_eq!(c.current(d("2012-10-10")).unwrap().quarter, q("2012/13 Q2"));
        assert_eq!(c.current(d("2012-12-01")).unwrap().quarter, q("2012/13 Q2"));
        assert_eq!(c.current(d("2013-01-05")).unwrap().quarter, q("2012/13 Q3"));
        assert_eq!(c.current(d("2013-04-03")).unwrap().quarter, q("2012/13 Q4"));
    }

    #[test]
    fn a_calendar_reads_from_toml_shaped_data() {
        let c: CouncilCalendar = serde_json::from_str(
            r#"{"rule":{"opens_after":0,"closes_after":10,"sign_off_after":15,"papers_before":5,"remind_before":2,"committee":"Cabinet"},
                "quarters":[{"quarter":"2013/14 Q1","board":"2013-09-12"}]}"#,
        )
        .unwrap();
        assert_eq!(c.rule.board_after, None);
        assert_eq!(c.dates(q("2013/14 Q2")).board, None);
        assert_eq!(c.dates(q("2013/14 Q1")).board, Some(d("2013-09-12")));
        assert!(c.check().is_ok());
    }
}
