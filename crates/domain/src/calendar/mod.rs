//! The council's calendar: England and Wales bank holidays and working days, and the rule that
//! gives each quarter its collection, sign-off and board dates. Pure: "today" is passed in.

pub mod holidays;
pub mod rule;
pub mod working;

pub use holidays::{BankHoliday, bank_holiday, bank_holidays, easter_sunday, is_working_day};
pub use rule::{CalendarError, CouncilCalendar, QuarterChange, QuarterDates, Reminder, Rule};
