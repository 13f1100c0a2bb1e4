//! England and Wales bank holidays, computed by rule (Easter by the Gregorian computus, the May
//! and August Mondays, substitute days when Christmas, Boxing Day or New Year's Day fall at a
//! weekend) with the one-off changes made by royal proclamation kept in a small table.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// One bank holiday: its date and the name it goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHoliday {
    pub date: NaiveDate,
    pub name: &'static str,
}

/// A change to the usual rule for one year, made by royal proclamation.
enum OneOff {
    /// A holiday of the usual rule moved to another day: (usual name, new date).
    Moved(&'static str, (i32, u32, u32)),
    /// An extra holiday.
    Extra(&'static str, (i32, u32, u32)),
}

const EARLY_MAY: &str = "Early May bank holiday";
const SPRING: &str = "Spring bank holiday";

/// The known one-off changes since the present pattern began in 1978.
const ONE_OFFS: &[(i32, OneOff)] = &[
    (1995, OneOff::Moved(EARLY_MAY, (1995, 5, 8))),
    (
        1999,
        OneOff::Extra("Millennium celebrations", (1999, 12, 31)),
    ),
    (2002, OneOff::Moved(SPRING, (2002, 6, 4))),
    (2002, OneOff::Extra("Golden Jubilee", (2002, 6, 3))),
    (2011, OneOff::Extra("Royal wedding", (2011, 4, 29))),
    (2012, OneOff::Moved(SPRING, (2012, 6, 4))),
    (2012, OneOff::Extra("Diamond Jubilee", (2012, 6, 5))),
    (2020, OneOff::Moved(EARLY_MAY, (2020, 5, 8))),
    (2022, OneOff::Moved(SPRING, (2022, 6, 2))),
    (2022, OneOff::Extra("Platinum Jubilee", (2022, 6, 3))),
    (
        2022,
        OneOff::Extra("State funeral of Queen Elizabeth II", (2022, 9, 19)),
    ),
    (
        2023,
        OneOff::Extra("Coronation of King Charles III", (2023, 5, 8)),
    ),
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Every caller passes a real date in a year chrono supports.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    let first = ymd(year, month, 1);
    let ahead = (7 - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(ahead))
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let last = ymd(ny, nm, 1) - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_monday()))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// New Year's Day, or the Monday after when it falls at a weekend.
fn new_year(year: i32) -> BankHoliday {
    let d = ymd(year, 1, 1);
    match d.weekday() {
        Weekday::Sat => BankHoliday {
            date: d + Duration::days(2),
            name: "New Year's Day (substitute day)",
        },
        Weekday::Sun => BankHoliday {
            date: d + Duration::days(1),
            name: "New Year's Day (substitute day)",
        },
        _ => BankHoliday {
            date: d,
            name: "New Year's Day",
        },
    }
}

/// Christmas Day and Boxing Day, each moved to the next free weekday when at a weekend.
fn christmas(year: i32) -> [BankHoliday; 2] {
    let xmas = ymd(year, 12, 25);
    let boxing = ymd(year, 12, 26);
    let (x, b) = match xmas.weekday() {
        // Saturday: Monday 27th and Tuesday 28th.
        Weekday::Sat => (xmas + Duration::days(2), boxing + Duration::days(2)),
        // Sunday: Boxing Day stays Monday 26th, Christmas moves to Tuesday 27th.
        Weekday::Sun => (xmas + Duration::days(2), boxing),
        // Friday: Boxing Day moves from Saturday to Monday 28th.
        Weekday::Fri => (xmas, boxing + Duration::days(2)),
        _ => (xmas, boxing),
    };
    let sub = |moved: bool, name: &'static str, sub: &'static str| if moved { sub } else { name };
    [
        BankHoliday {
            date: x,
            name: sub(x != xmas, "Christmas Day", "Christmas Day (substitute day)"),
        },
        BankHoliday {
            date: b,
            name: sub(b != boxing, "Boxing Day", "Boxing Day (substitute day)"),
        },
    ]
}

/// Every England and Wales bank holiday of a calendar year, in date order.
pub fn bank_holidays(year: i32) -> Vec<BankHoliday> {
    let easter = easter_sunday(year);
    let mut days = vec![
        new_year(year),
        BankHoliday {
            date: easter - Duration::days(2),
            name: "Good Friday",
        },
        BankHoliday {
            date: easter + Duration::days(1),
            name: "Easter Monday",
        },
        BankHoliday {
            date: first_monday(year, 5),
            name: EARLY_MAY,
        },
        BankHoliday {
            date: last_monday(year, 5),
            name: SPRING,
        },
        BankHoliday {
            date: last_monday(year, 8),
            name: "Summer bank holiday",
        },
    ];
    days.extend(christmas(year));
    for (y, change) in ONE_OFFS {
        if *y != year {
            continue;
        }
        match change {
            OneOff::Moved(name, (y, m, d)) => {
                if let Some(h) = days.iter_mut().find(|h| h.name == *name) {
                    h.date = ymd(*y, *m, *d);
                }
            }
            OneOff::Extra(name, (y, m, d)) => days.push(BankHoliday {
                date: ymd(*y, *m, *d),
                name,
            }),
        }
    }
    days.sort_by_key(|h| h.date);
    days
}

/// The bank holiday on a date, if it is one.
pub fn bank_holiday(d: NaiveDate) -> Option<BankHoliday> {
    bank_holidays(d.year()).into_iter().find(|h| h.date == d)
}

/// A weekday that is not a bank holiday.
pub fn is_working_day(d: NaiveDate) -> bool {
    !is_weekend(d) && bank_holiday(d).is_none()
}

/// Working days asked about one after another: each year's bank holidays are worked out once,
/// not once a day asked (counting fifteen working days asked about twenty days, and the council
/// overview counts several hundred on every request).
#[derive(Default)]
pub(crate) struct WorkingDays {
    /// The year whose holidays are kept, and their dates (a year's holidays, substitute days
    /// included, all fall within it).
    kept: Option<(i32, Vec<NaiveDate>)>,
}

impl WorkingDays {
    /// As [`is_working_day`].
    pub(crate) fn is_working_day(&mut self, d: NaiveDate) -> bool {
        if is_weekend(d) {
            return false;
        }
        let year = d.year();
        let dates = match &mut self.kept {
            Some((y, dates)) if *y == year => dates,
            kept => {
                let dates = bank_holidays(year).into_iter().map(|h| h.date).collect();
                &mut kept.insert((year, dates)).1
            }
        };
        !dates.contains(&d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_holidays_answer_as_the_rule_does_across_years() {
        let mut days = WorkingDays::default();
        let mut d = ymd(1994, 12, 1);
        while d < ymd(2027, 1, 31) {
            assert_eq!(days.is_working_day(d), is_working_day(d), "{d}");
            d += Duration::days(1);
        }
        // Asked out of order, across a new year both ways.
        for s in [
            "2012-12-25",
            "2013-01-01",
            "2012-12-27",
            "2022-09-19",
            "2013-01-02",
        ] {
            let d: NaiveDate = s.parse().unwrap();
            assert_eq!(days.is_working_day(d), is_working_day(d), "{d}");
        }
    }

    fn dates(year: i32) -> Vec<String> {
        bank_holidays(year)
            .iter()
            .map(|h| h.date.format("%Y-%m-%d").to_string())
            .collect()
    }

    #[test]
    fn easter_by_the_computus() {
        let known = [
            (1961, 4, 2),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2012, 4, 8),
            (2013, 3, 31),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2038, 4, 25),
            (2285, 3, 22),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), ymd(y, m, d), "Easter {y}");
        }
    }

    #[test]
    fn an_ordinary_year() {
        // 2013: as published for England and Wales.
        assert_eq!(
            dates(2013),
            [
                "2013-01-01",
                "2013-03-29",
                "2013-04-01",
                "2013-05-06",
                "2013-05-27",
                "2013-08-26",
                "2013-12-25",
                "2013-12-26"
            ]
        );
    }

    #[test]
    fn substitute_days_when_christmas_and_new_year_fall_at_weekends() {
        // 2010: Christmas on Saturday, Boxing Day on Sunday.
        assert!(dates(2010).ends_with(&["2010-12-27".into(), "2010-12-28".into()]));
        // 2011: New Year's Day on Saturday; Christmas on Sunday (Boxing Monday, Christmas Tuesday).
        let y2011 = dates(2011);
        assert_eq!(y2011[0], "2011-01-03");
        assert!(y2011.ends_with(&["2011-12-26".into(), "2011-12-27".into()]));
        // 2017: New Year's Day on Sunday.
        assert_eq!(dates(2017)[0], "2017-01-02");
        // 2020: Boxing Day on Saturday.
        assert!(dates(2020).ends_with(&["2020-12-25".into(), "2020-12-28".into()]));
        let h = bank_holiday(ymd(2020, 12, 28)).unwrap();
        assert_eq!(h.name, "Boxing Day (substitute day)");
    }

    #[test]
    fn the_one_off_changes() {
        // 2012: late May moved to 4 June, Diamond Jubilee 5 June; 28 May a working day.
        let y = dates(2012);
        assert!(y.contains(&"2012-06-04".into()) && y.contains(&"2012-06-05".into()));
        assert!(!y.contains(&"2012-05-28".into()));
        assert!(is_working_day(ymd(2012, 5, 28)));
        // 2020: early May moved to Friday 8 May for VE day.
        assert!(dates(2020).contains(&"2020-05-08".into()));
        assert!(is_working_day(ymd(2020, 5, 4)));
        // 2022: spring moved to 2 June, Jubilee 3 June, state funeral 19 September.
        let y = dates(2022);
        for d in ["2022-06-02", "2022-06-03", "2022-09-19"] {
            assert!(y.contains(&d.into()), "{d}");
        }
        assert!(!y.contains(&"2022-05-30".into()));
        assert_eq!(y.len(), 10);
        // 2023: the coronation, beside the usual early May Monday.
        let y = dates(2023);
        assert!(y.contains(&"2023-05-01".into()) && y.contains(&"2023-05-08".into()));
        assert_eq!(y.len(), 9);
    }

    #[test]
    fn working_days() {
        assert!(!is_working_day(ymd(2013, 3, 29))); // Good Friday
        assert!(!is_working_day(ymd(2013, 3, 30))); // Saturday
        assert!(is_working_day(ymd(2013, 4, 2)));
        assert_eq!(
            bank_holiday(ymd(2025, 8, 25)).unwrap().name,
            "Summer bank holiday"
        );
    }
}
