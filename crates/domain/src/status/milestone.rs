//! Milestone progress: the symbol follows what the officer recorded, except where the dates
//! contradict it: overdue and not complete is Red, due this quarter and not complete is at
//! least Amber. A list of dates is judged by its next date (its last, once all have passed), a
//! range by its end; work that recurs ("each term") is judged as recorded, with its next date
//! named, and is never overdue.

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
    if let Due::Every(r) = due {
        return recurring(r.next_on_or_after(quarter.first_day()), recorded, quarter);
    }
    let as_at = quarter.last_day();
    let deadline = due.judged_by(quarter);
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
            _ => match due.starts() {
                Some(s) if s > as_at => format!("; it starts on {}", when(s)),
                _ => String::new(),
            },
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
    let (status, words) = words(recorded);
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

fn when(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn words(p: ProgressStatus) -> (Progress, &'static str) {
    match p {
        ProgressStatus::OnTrack => (Progress::Green, "recorded as on track"),
        ProgressStatus::AtRisk => (Progress::Amber, "recorded as at risk"),
        ProgressStatus::OffTrack => (Progress::Red, "recorded as off track"),
        ProgressStatus::Complete => (Progress::Green, "recorded as complete"),
    }
}

/// Recurring work: as recorded, naming the date it next falls due (`next`).
fn recurring(
    next: NaiveDate,
    recorded: Option<(ProgressStatus, Option<NaiveDate>)>,
    quarter: Quarter,
) -> Assessed<Progress> {
    let this = if next <= quarter.last_day() {
        ", this quarter"
    } else {
        ""
    };
    let Some((p, _)) = recorded else {
        return Assessed::new(
            Progress::NotAssessed,
            format!(
                "no progress recorded for {quarter}; it recurs, next by {}{this}",
                when(next)
            ),
        );
    };
    let (status, words) = words(p);
    Assessed::new(
        status,
        format!(
            "{words}; it recurs, next by {}{this} → {}",
            when(next),
            status.label()
        ),
    )
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

    #[test]
    fn a_list_is_judged_by_its_next_date_then_its_last() {
        let list = due("2012-07, 2012-12, 2013-03");
        let a = assess(&list, Some((ProgressStatus::OnTrack, None)), q2());
        assert_eq!(a.status, Progress::Amber);
        assert!(
            a.reason.contains("due by 31 July 2012, this quarter"),
            "{}",
            a.reason
        );
        let q1_next: Quarter = "2013/14 Q1".parse().unwrap();
        let a = assess(&list, Some((ProgressStatus::OnTrack, None)), q1_next);
        assert_eq!(
            a.reason,
            "overdue since 31 March 2013 and not complete → Red"
        );
    }

    #[test]
    fn a_range_is_due_by_its_end() {
        let range = due("2012-05 to 2012-09");
        let a = assess(&range, Some((ProgressStatus::OnTrack, None)), q2());
        assert_eq!(a.status, Progress::Amber);
        let q1: Quarter = "2012/13 Q1".parse().unwrap();
        assert_eq!(
            assess(&range, Some((ProgressStatus::OnTrack, None)), q1).status,
            Progress::Green
        );
    }

    #[test]
    fn recurring_work_is_judged_as_recorded_and_names_its_next_date() {
        let a = assess(
            &due("each term"),
            Some((ProgressStatus::OnTrack, None)),
            q2(),
        );
        assert_eq!(a.status, Progress::Green);
        assert_eq!(
            a.reason,
            "recorded as on track; it recurs, next by 31 July 2012, this quarter → Green"
        );
        let a = assess(&due("annually in January"), None, q2());
        assert_eq!(a.status, Progress::NotAssessed);
        assert_eq!(
            a.reason,
            "no progress recorded for 2012/13 Q2; it recurs, next by 31 January 2013"
        );
        let a = assess(&due("from 2012-11 onwards"), None, q2());
        assert_eq!(
            a.reason,
            "no progress recorded for 2012/13 Q2; it starts on 1 November 2012"
        );
        let a = assess(&due("ongoing"), Some((ProgressStatus::AtRisk, None)), q2());
        assert_eq!(a.status, Progress::Amber);
    }
}
