//! Milestone progress: the symbol follows what the officer recorded, except where the dates
//! contradict it: overdue and not complete is Red, due this quarter and not complete is at
//! least Amber.

use super::{Assessed, Progress};
use crate::objective::Due;
use crate::period::Quarter;
use crate::quarter::ProgressStatus;
use chrono::NaiveDate;

/// Judges a milestone as at the end of `quarter`, from the latest recorded progress (if any).
pub fn assess(
    due: &Due,
    recorded: Option<(ProgressStatus, Option<NaiveDate>)>,
    quarter: Quarter,
) -> Assessed<Progress> {
    let as_at = quarter.last_day();
    let deadline = due.deadline();
    let when = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    if let Some((ProgressStatus::Complete, completed)) = recorded {
        let reason = match (completed, deadline) {
            (Some(c), Some(d)) if c > d => {
                format!("complete on {} (due {}) → Green", when(c), when(d))
            }
            (Some(c), _) => format!("complete on {} → Green", when(c)),
            (None, _) => "recorded as complete → Green".to_string(),
        };
        return Assessed::new(Progress::Green, reason);
    }
    let Some((recorded, _)) = recorded else {
        let note = match deadline {
            Some(d) if d < quarter.first_day() => format!("; it was due by {}", when(d)),
            Some(d) if d <= as_at => format!("; it is due by {}, this quarter", when(d)),
            _ => String::new(),
        };
        return Assessed::new(
            Progress::NotAssessed,
            format!("no progress recorded for {quarter}{note}"),
        );
    };
    if let Some(d) = deadline
        && d < quarter.first_day()
    {
        return Assessed::new(
            Progress::Red,
            format!("overdue since {} and not complete → Red", when(d)),
        );
    }
    let (status, words) = match recorded {
        ProgressStatus::OnTrack => (Progress::Green, "recorded as on track"),
        ProgressStatus::AtRisk => (Progress::Amber, "recorded as at risk"),
        ProgressStatus::OffTrack => (Progress::Red, "recorded as off track"),
        ProgressStatus::Complete => (Progress::Green, "recorded as complete"),
    };
    if let Some(d) = deadline
        && d <= as_at
        && status == Progress::Green
    {
        return Assessed::new(
            Progress::Amber,
            format!(
                "{words}, but due by {}, this quarter, and not complete → Amber",
                when(d)
            ),
        );
    }
    Assessed::new(status, format!("{words} → {}", status.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q2() -> Quarter {
        "2012/13 Q2".parse().unwrap()
    }
    fn due(s: &str) -> Due {
        s.parse().unwrap()
    }

    #[test]
    fn overdue_and_not_complete_is_red_whatever_was_recorded() {
        let a = assess(&due("2012-06"), Some((ProgressStatus::OnTrack, None)), q2());
        assert_eq!(a.status, Progress::Red);
        assert_eq!(
            a.reason,
            "overdue since 30 June 2012 and not complete → Red"
        );
    }

    #[test]
    fn due_this_quarter_and_not_complete_is_at_least_amber() {
        let a = assess(&due("2012-09"), Some((ProgressStatus::OnTrack, None)), q2());
        assert_eq!(a.status, Progress::Amber);
        assert!(a.reason.contains("due by 30 September 2012, this quarter"));
        let a = assess(
            &due("2012-09"),
            Some((ProgressStatus::OffTrack, None)),
            q2(),
        );
        assert_eq!(a.status, Progress::Red);
        let a = assess(&due("2012-09"), None, q2());
        assert_eq!(a.status, Progress::NotAssessed);
        assert_eq!(
            a.reason,
            "no progress recorded for 2012/13 Q2; it is due by 30 September 2012, this quarter"
        );
        let a = assess(&due("2012-06"), None, q2());
        assert_eq!(
            a.reason,
            "no progress recorded for 2012/13 Q2; it was due by 30 June 2012"
        );
    }

    #[test]
    fn recorded_progress_gives_the_symbol() {
        let a = assess(&due("2013-03"), Some((ProgressStatus::AtRisk, None)), q2());
        assert_eq!(a.status, Progress::Amber);
        let a = assess(&due("2013-03"), None, q2());
        assert_eq!(a.status, Progress::NotAssessed);
        assert_eq!(a.reason, "no progress recorded for 2012/13 Q2");
        let done = NaiveDate::from_ymd_opt(2012, 7, 2);
        let a = assess(
            &due("2012-06"),
            Some((ProgressStatus::Complete, done)),
            q2(),
        );
        assert_eq!(a.status, Progress::Green);
        assert_eq!(
            a.reason,
            "complete on 2 July 2012 (due 30 June 2012) → Green"
        );
        let a = assess(
            &Due::Recurring("termly".into()),
            Some((ProgressStatus::OnTrack, None)),
            q2(),
        );
        assert_eq!(a.status, Progress::Green);
    }
}
