//! Counting working days (Monday to Friday, not a bank holiday) forwards and backwards.

use super::holidays::WorkingDays;
use chrono::{Duration, NaiveDate};

/// The `n`th working day after `from` (`from` itself when `n` is 0, working day or not).
pub fn after(from: NaiveDate, n: u16) -> NaiveDate {
    step(from, n, 1)
}

/// The `n`th working day before `from` (`from` itself when `n` is 0).
pub fn before(from: NaiveDate, n: u16) -> NaiveDate {
    step(from, n, -1)
}

fn step(from: NaiveDate, n: u16, dir: i64) -> NaiveDate {
    let mut days = WorkingDays::default();
    let mut at = from;
    let mut left = n;
    while left > 0 {
        at += Duration::days(dir);
        if days.is_working_day(at) {
            left -= 1;
        }
    }
    at
}

/// How many working days come after `from` up to and including `to` (0 if `to` is not later).
pub fn between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut days = WorkingDays::default();
    let mut n = 0;
    let mut at = from;
    while at < to {
        at += Duration::days(1);
        if days.is_working_day(at) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn fifteen_working_days_after_quarter_ends() {
        // Q1 2025/26 ends Monday 30 June: no holidays in July.
        assert_eq!(after(d("2025-06-30"), 15), d("2025-07-21"));
        // Q4 2012/13 ends Sunday 31 March 2013; Easter Monday 1 April is not counted.
        assert_eq!(after(d("2013-03-31"), 1), d("2013-04-02"));
        assert_eq!(after(d("2013-03-31"), 15), d("2013-04-22"));
        // Q3 2012/13 ends Monday 31 December; 1 January is a holiday.
        assert_eq!(after(d("2012-12-31"), 1), d("2013-01-02"));
        // Q1 2012/13 ends 30 June 2012, after the Jubilee; Q2 ends Sunday 30 September.
        assert_eq!(after(d("2012-09-30"), 15), d("2012-10-19"));
        assert_eq!(after(d("2012-09-30"), 0), d("2012-09-30"));
    }

    #[test]
    fn counting_back_and_between() {
        // Five working days before Thursday 3 January 2013, over New Year's Day and Christmas.
        assert_eq!(before(d("2013-01-03"), 5), d("2012-12-24"));
        assert_eq!(between(d("2012-12-24"), d("2013-01-03")), 5);
        assert_eq!(between(d("2013-01-03"), d("2012-12-24")), 0);
        for n in 0..40 {
            let start = d("2022-05-27");
            assert_eq!(between(start, after(start, n)), u32::from(n));
            assert_eq!(before(after(start, n), n), start, "{n}");
        }
    }
}
