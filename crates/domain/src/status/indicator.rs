//! Indicator progress and direction of travel.
//!
//! Progress: with a numeric target for the year and a usable value, a final outturn is Green if
//! it meets the target and Red if not; a cumulative count is projected to year end (straight
//! line, or the quarterly profile); a snapshot is judged on its latest value. A projection or
//! snapshot short of target is Amber within the tolerance and Red beyond it.

use super::{Assessed, Progress, Settings, Travel, show};
use crate::indicator::{Accumulation, Better, MeasureUnit};
use crate::measure::Measure;
use crate::period::{Period, Quarter};
use rust_decimal::Decimal;

/// How a value is to be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The year's result is in: met or not.
    FinalOutturn,
    /// A count through the year, projected to year end from this many quarters.
    Projected { quarters: u8 },
    /// A level judged on its latest value.
    Latest,
}

/// What the progress rule needs to know of an indicator.
#[derive(Debug, Clone)]
pub struct ProgressInput<'a> {
    pub better: Option<Better>,
    pub unit: Option<MeasureUnit>,
    pub basis: Basis,
    /// The target for the year, as printed.
    pub target: Option<&'a Measure>,
    /// The cumulative target expected by the end of the value's quarter, from a profile.
    pub profile_to_date: Option<&'a Measure>,
    /// The value judged, with the period it describes.
    pub value: Option<(Period, &'a Measure)>,
    /// Overrides the council's tolerance.
    pub tolerance_percent: Option<Decimal>,
}

pub(crate) fn with_unit(d: Decimal, unit: Option<MeasureUnit>) -> String {
    match unit {
        Some(MeasureUnit::Percent) => format!("{}%", show(d)),
        Some(MeasureUnit::Pounds) => format!("£{}", show(d)),
        _ => show(d),
    }
}

fn gap_words(gap: Decimal, unit: Option<MeasureUnit>) -> String {
    match unit {
        Some(MeasureUnit::Percent) => format!("{} points", gap.round_dp(1)),
        _ => show(gap.round_dp(2)),
    }
}

/// True if `a` is at least as good as `b` given which direction is better.
pub(crate) fn at_least(a: Decimal, b: Decimal, better: Better) -> bool {
    match better {
        Better::Higher => a >= b,
        Better::Lower => a <= b,
        Better::None => a == b,
    }
}

/// What progress is judged on, once every reason not to judge it is ruled out.
struct Judgeable<'a> {
    target: &'a Measure,
    t: Decimal,
    better: Better,
    period: Period,
    value: &'a Measure,
    v: Decimal,
}

/// The numbers to judge, or why progress is not assessed.
fn judgeable<'a>(
    input: &ProgressInput<'a>,
    settings: &Settings,
) -> Result<Judgeable<'a>, Assessed<Progress>> {
    let na = |reason: String| Assessed::new(Progress::NotAssessed, reason);
    let Some(target) = input.target else {
        return Err(na("no target is set for the year".into()));
    };
    let Some(t) = target.value() else {
        return Err(na(format!("no numeric target (\"{}\")", target.text())));
    };
    let better = match input.better {
        None => {
            return Err(na(
                "the indicator does not say which direction is better".into()
            ));
        }
        Some(Better::None) => {
            return Err(na(
                "for information: neither higher nor lower is better".into()
            ));
        }
        Some(b) => b,
    };
    let Some((period, value)) = input.value else {
        return Err(na("no value has been reported for the year".into()));
    };
    let Some(v) = value.value() else {
        return Err(na(format!(
            "no numeric value for {period} (\"{}\")",
            value.text()
        )));
    };
    if let Some(q) = value
        .qualifiers()
        .iter()
        .find(|q| settings.unusable.contains(q))
    {
        return Err(na(format!(
            "the {period} value is {q}, which this council does not assess"
        )));
    }
    Ok(Judgeable {
        target,
        t,
        better,
        period,
        value,
        v,
    })
}

/// The value's qualifiers its printed words do not already say, as " (a, b)", or nothing.
fn unsaid_qualifiers(value: &Measure) -> String {
    let lower = value.text().to_lowercase();
    let unsaid: Vec<&str> = value
        .qualifiers()
        .iter()
        .map(|q| q.as_str())
        .filter(|q| !lower.contains(q))
        .collect();
    if unsaid.is_empty() {
        String::new()
    } else {
        format!(" ({})", unsaid.join(", "))
    }
}

/// The year's result is in: Green if it meets the target, Red if not.
fn final_outturn(j: &Judgeable<'_>, qualifier: &str, direction: &str) -> Assessed<Progress> {
    let met = at_least(j.v, j.t, j.better);
    let verdict = match (met, j.v == j.t) {
        (true, true) => "target met",
        (true, false) => "target exceeded",
        (false, _) => "target not met",
    };
    let status = if met { Progress::Green } else { Progress::Red };
    let arrow = if met { "Green" } else { "Red" };
    Assessed::new(
        status,
        format!(
            "{} result {}{qualifier} against a target of {}; {direction}; the year's result is in: {verdict} → {arrow}",
            j.period,
            j.value.text(),
            j.target.text()
        ),
    )
}

/// A count through the year projected to year end: against the profile to date where there
/// is one, else in a straight line from `quarters` quarters. The projection and its words.
fn projected(
    j: &Judgeable<'_>,
    input: &ProgressInput<'_>,
    quarters: u8,
    qualifier: &str,
) -> (Decimal, String) {
    let (period, v, t) = (j.period, j.v, j.t);
    let q = Decimal::from(quarters.clamp(1, 4));
    match input.profile_to_date.and_then(Measure::value) {
        Some(p) if !p.is_zero() => (
            v / p * t,
            format!(
                "{period} {}{qualifier} against a profile of {} to date, projecting {} for the year against a target of {}",
                j.value.text(),
                show(p),
                with_unit(v / p * t, input.unit).trim_end_matches(".0"),
                j.target.text()
            ),
        ),
        _ => {
            let projection = (v * Decimal::from(4) / q).round_dp(2);
            (
                projection,
                format!(
                    "{period} {}{qualifier} after {quarters} quarter{}, projecting {} for the year (straight line) against a target of {}",
                    j.value.text(),
                    if quarters == 1 { "" } else { "s" },
                    with_unit(projection, input.unit),
                    j.target.text()
                ),
            )
        }
    }
}

/// A projection or latest value against the target: Green at or better than it, else Amber
/// within the tolerance and Red beyond it.
fn against_target(
    judged: Decimal,
    j: &Judgeable<'_>,
    tolerance: Decimal,
    unit: Option<MeasureUnit>,
    said: (&str, &str),
) -> Assessed<Progress> {
    let (what, direction) = said;
    let (t, better) = (j.t, j.better);
    if at_least(judged, t, better) {
        let how = if judged == t {
            "on target"
        } else {
            "better than target"
        };
        return Assessed::new(
            Progress::Green,
            format!("{what}; {direction}; {how} → Green"),
        );
    }
    let gap = (judged - t).abs();
    let allowed = (t.abs() * tolerance / Decimal::from(100)).round_dp(4);
    let side = if better == Better::Higher {
        "below"
    } else {
        "above"
    };
    let (status, inside) = if gap <= allowed {
        (Progress::Amber, "within")
    } else {
        (Progress::Red, "outside")
    };
    Assessed::new(
        status,
        format!(
            "{what}; {direction}; {} {side} target, {inside} the {}% tolerance → {}",
            gap_words(gap, unit),
            show(tolerance),
            status.label()
        ),
    )
}

/// The figure progress is judged on for a value not yet final, and its words: a count's
/// projection to year end, or a level's latest value.
fn judged(j: &Judgeable<'_>, input: &ProgressInput<'_>, qualifier: &str) -> (Decimal, String) {
    match input.basis {
        Basis::Projected { quarters } => projected(j, input, quarters, qualifier),
        Basis::FinalOutturn | Basis::Latest => (
            j.v,
            format!(
                "{} {}{qualifier} against a target of {}",
                j.period,
                j.value.text(),
                j.target.text()
            ),
        ),
    }
}

/// Judges progress against the year's target.
pub fn progress(input: &ProgressInput<'_>, settings: &Settings) -> Assessed<Progress> {
    let j = match judgeable(input, settings) {
        Ok(j) => j,
        Err(not_assessed) => return not_assessed,
    };
    let qualifier = unsaid_qualifiers(j.value);
    let direction = match j.better {
        Better::Higher => "higher is better",
        _ => "lower is better",
    };
    let tolerance = input
        .tolerance_percent
        .unwrap_or(settings.tolerance_percent);
    if input.basis == Basis::FinalOutturn {
        return final_outturn(&j, &qualifier, direction);
    }
    let (figure, what) = judged(&j, input, &qualifier);
    against_target(figure, &j, tolerance, input.unit, (&what, direction))
}

/// The year-end forecast: the figure progress is judged on, as a number with the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    pub value: Decimal,
    /// The figure as printed with its unit ("57.5%", "274").
    pub text: String,
    /// How it was reached, in words.
    pub how: String,
}

/// What the year will end at, by the same rule progress is judged on: the year's result when it
/// is in, a count projected to year end (straight line, or the profile), or a level's latest
/// value. Where progress cannot be judged, the reason.
pub fn forecast(input: &ProgressInput<'_>, settings: &Settings) -> Result<Forecast, String> {
    let j = judgeable(input, settings).map_err(|a| a.reason)?;
    let qualifier = unsaid_qualifiers(j.value);
    let (value, how) = match input.basis {
        Basis::FinalOutturn => (
            j.v,
            format!("the year's result is in: {} {}", j.period, j.value.text()),
        ),
        Basis::Projected { .. } => judged(&j, input, &qualifier),
        Basis::Latest => (
            j.v,
            format!(
                "the latest value, {} {}{qualifier}, stands for the year",
                j.period,
                j.value.text()
            ),
        ),
    };
    Ok(Forecast {
        value,
        text: with_unit(value.round_dp(2), input.unit),
        how,
    })
}

/// Direction of travel: this value against the same period last year (or last year's outturn),
/// "the same" when within `settings.same_percent` of the larger of the two.
pub fn travel(
    better: Option<Better>,
    now: Option<(Period, &Measure)>,
    before: Option<(Period, &Measure)>,
    settings: &Settings,
) -> Assessed<Travel> {
    let na = |reason: String| Assessed::new(Travel::NotComparable, reason);
    let better = match better {
        None | Some(Better::None) => {
            return na("no direction is better, so there is no better or worse".into());
        }
        Some(b) => b,
    };
    let Some((pn, n)) = now else {
        return na("no value this period".into());
    };
    let Some(nv) = n.value() else {
        return na(format!("no numeric value for {pn} (\"{}\")", n.text()));
    };
    let Some((pb, b)) = before else {
        return na(format!(
            "no value for the same period last year to compare {pn} with"
        ));
    };
    let Some(bv) = b.value() else {
        return na(format!(
            "last year's {pb} value has no number (\"{}\")",
            b.text()
        ));
    };
    let allowed = nv.abs().max(bv.abs()) * settings.same_percent / Decimal::from(100);
    let t = if (nv - bv).abs() <= allowed {
        Travel::Same
    } else if at_least(nv, bv, better) {
        Travel::Better
    } else {
        Travel::Worse
    };
    let which = match better {
        Better::Higher => "higher is better",
        _ => "lower is better",
    };
    Assessed::new(
        t,
        format!(
            "{pn} {} against {pb} {}; {which} → {}",
            n.text(),
            b.text(),
            t.label()
        ),
    )
}

/// How a value for `period`, reported in `quarter`, is judged for an indicator.
pub fn basis(
    accumulation: Accumulation,
    annual_result: bool,
    period: Period,
    quarter: Quarter,
) -> Basis {
    let whole_year = matches!(
        period,
        Period::FinancialYear(_) | Period::AcademicYear(_) | Period::CalendarYear(_)
    );
    if whole_year || annual_result {
        return Basis::FinalOutturn;
    }
    match (accumulation, period) {
        (Accumulation::Cumulative, Period::Quarter(q)) => Basis::Projected {
            quarters: q.elapsed(),
        },
        (Accumulation::Cumulative, _) => Basis::Projected {
            quarters: quarter.elapsed(),
        },
        (Accumulation::Snapshot, _) => Basis::Latest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Measure {
        Measure::parse(s).unwrap()
    }
    fn q2() -> Period {
        "2012/13 Q2".parse().unwrap()
    }

    fn latest(better: Better, v: &Measure, t: &Measure, basis: Basis) -> Assessed<Progress> {
        progress(
            &ProgressInput {
                better: Some(better),
                unit: Some(MeasureUnit::Percent),
                basis,
                target: Some(t),
                profile_to_date: None,
                value: Some((q2(), v)),
                tolerance_percent: None,
            },
            &Settings::default(),
        )
    }

    #[test]
    fn the_issue_example_reads_as_stated() {
        let a = latest(Better::Higher, &m("76%"), &m("84%"), Basis::Latest);
        assert_eq!(a.status, Progress::Red);
        assert_eq!(
            a.reason,
            "2012/13 Q2 76% against a target of 84%; higher is better; 8 points below target, outside the 5% tolerance → Red"
        );
        let a = latest(Better::Higher, &m("81%"), &m("84%"), Basis::Latest);
        assert_eq!(a.status, Progress::Amber, "{}", a.reason);
        let a = latest(Better::Higher, &m("84%"), &m("84%"), Basis::Latest);
        assert_eq!(a.status, Progress::Green);
        assert!(a.reason.ends_with("on target → Green"));
    }

    #[test]
    fn a_final_outturn_that_misses_is_red_whatever_the_tolerance() {
        let a = latest(Better::Higher, &m("54.1%"), &m("56%"), Basis::FinalOutturn);
        assert_eq!(a.status, Progress::Red);
        assert!(a.reason.contains("target not met → Red"), "{}", a.reason);
    }

    #[test]
    fn a_cumulative_count_is_projected() {
        let a = latest(
            Better::Lower,
            &m("45"),
            &m("137"),
            Basis::Projected { quarters: 2 },
        );
        assert_eq!(a.status, Progress::Green);
        assert!(a.reason.contains("projecting 90"), "{}", a.reason);
    }

    #[test]
    fn words_and_unusable_values_are_not_assessed() {
        let a = latest(
            Better::Higher,
            &m("Refer comment"),
            &m("84%"),
            Basis::Latest,
        );
        assert_eq!(a.status, Progress::NotAssessed);
        assert!(a.reason.contains("Refer comment"));
        let a = latest(
            Better::Higher,
            &m("50%"),
            &m("Target not appropriate"),
            Basis::Latest,
        );
        assert_eq!(a.status, Progress::NotAssessed);
        assert!(a.reason.contains("no numeric target"));
        let v = m("59% provisional");
        let a = latest(Better::Higher, &v, &m("55.5%"), Basis::FinalOutturn);
        assert_eq!(a.status, Progress::Green);
        assert_eq!(
            a.reason,
            "2012/13 Q2 result 59% provisional against a target of 55.5%; higher is better; the year's result is in: target exceeded → Green"
        );
        let settings = Settings {
            unusable: vec![crate::measure::Qualifier::Provisional],
            ..Settings::default()
        };
        let input = ProgressInput {
            better: Some(Better::Higher),
            unit: None,
            basis: Basis::Latest,
            target: Some(&m("55.5%")),
            profile_to_date: None,
            value: Some((q2(), &v)),
            tolerance_percent: None,
        };
        assert_eq!(progress(&input, &settings).status, Progress::NotAssessed);
    }

    fn dec() -> impl Strategy<Value = Decimal> {
        (-100_000i64..100_000).prop_map(|n| Decimal::new(n, 1))
    }
    fn basis_s() -> impl Strategy<Value = Basis> {
        prop_oneof![
            Just(Basis::Latest),
            Just(Basis::FinalOutturn),
            (1u8..=4).prop_map(|quarters| Basis::Projected { quarters })
        ]
    }
    fn status_of(better: Better, v: Decimal, t: Decimal, b: Basis) -> Progress {
        latest(better, &Measure::number(v), &Measure::number(t), b).status
    }

    proptest! {
        #[test]
        fn improving_a_value_never_worsens_its_status(v in dec(), t in dec(), up in 0i64..10_000, b in basis_s(), higher in any::<bool>()) {
            let better = if higher { Better::Higher } else { Better::Lower };
            let step = Decimal::new(up, 1);
            let improved = if higher { v + step } else { v - step };
            let before = status_of(better, v, t, b).rank().unwrap();
            let after = status_of(better, improved, t, b).rank().unwrap();
            prop_assert!(after >= before, "{v} → {improved} against {t}: {before} → {after}");
        }

        #[test]
        fn reversing_the_direction_mirrors_the_result(v in dec(), t in dec(), b in basis_s()) {
            let mirrored = t + t - v;
            let quarters_scale = match b { Basis::Projected { quarters } => Decimal::from(quarters), _ => Decimal::ONE };
            // Projection scales the value, so mirror the projected figure, not the raw value.
            let mirrored = if quarters_scale == Decimal::ONE { mirrored } else {
                let projected = (v * Decimal::from(4) / quarters_scale).round_dp(2);
                ((t + t - projected) * quarters_scale / Decimal::from(4)).round_dp(6)
            };
            prop_assume!(match b { Basis::Projected { quarters } => {
                let back = (mirrored * Decimal::from(4) / Decimal::from(quarters)).round_dp(2);
                let projected = (v * Decimal::from(4) / Decimal::from(quarters)).round_dp(2);
                back == t + t - projected
            } _ => true });
            prop_assert_eq!(status_of(Better::Higher, v, t, b), status_of(Better::Lower, mirrored, t, b));
        }

        #[test]
        fn direction_of_travel_is_antisymmetric(a in dec(), b in dec(), higher in any::<bool>()) {
            let better = Some(if higher { Better::Higher } else { Better::Lower });
            let (ma, mb) = (Measure::number(a), Measure::number(b));
            let p: Period = "2012/13".parse().unwrap();
            let l: Period = "2011/12".parse().unwrap();
            let s = Settings::default();
            let fwd = travel(better, Some((p, &ma)), Some((l, &mb)), &s).status;
            let back = travel(better, Some((l, &mb)), Some((p, &ma)), &s).status;
            prop_assert_eq!(fwd, back.reversed());
        }
    }
}

/// The status rules at the edges of their bands, with the council's settings as
/// `council::settings` gives them to every page and report.
#[cfg(test)]
mod boundaries {
    use super::*;
    use crate::council::settings;
    use crate::organisation::Council;

    fn m(s: &str) -> Measure {
        Measure::parse(s).unwrap()
    }

    fn council(tolerance: Option<&str>) -> Settings {
        settings(&Council {
            reference: "halton".parse().unwrap(),
            name: "Halton".into(),
            tolerance_percent: tolerance.map(|t| t.parse().unwrap()),
            colour: None,
            risk_matrix: None,
            projection: None,
            exceptions: None,
        })
    }

    fn status(v: &str, t: &str, own: Option<&str>, s: &Settings) -> Assessed<Progress> {
        progress(
            &ProgressInput {
                better: Some(Better::Higher),
                unit: Some(MeasureUnit::Count),
                basis: Basis::Latest,
                target: Some(&m(t)),
                profile_to_date: None,
                value: Some(("2012/13 Q2".parse().unwrap(), &m(v))),
                tolerance_percent: own.map(|t| t.parse().unwrap()),
            },
            s,
        )
    }

    #[test]
    fn a_council_tolerance_of_ten_percent_is_the_band_edge() {
        let s = council(Some("10"));
        // 10% of 80 is 8: 72 is just inside (Amber), 71.9 just outside (Red).
        let a = status("72", "80", None, &s);
        assert_eq!(a.status, Progress::Amber, "{}", a.reason);
        assert!(
            a.reason.contains("within the 10% tolerance"),
            "{}",
            a.reason
        );
        let a = status("71.9", "80", None, &s);
        assert_eq!(a.status, Progress::Red, "{}", a.reason);
        assert!(
            a.reason.contains("outside the 10% tolerance"),
            "{}",
            a.reason
        );
        // The default 5% would make 72 Red.
        assert_eq!(
            status("72", "80", None, &council(None)).status,
            Progress::Red
        );
    }

    #[test]
    fn an_indicator_s_own_tolerance_replaces_the_council_s() {
        let s = council(Some("10"));
        // 2.5% of 80 is 2: 78 is just inside, 77.99 just outside.
        let a = status("78", "80", Some("2.5"), &s);
        assert_eq!(a.status, Progress::Amber, "{}", a.reason);
        assert!(a.reason.contains("the 2.5% tolerance"), "{}", a.reason);
        assert_eq!(status("77.99", "80", Some("2.5"), &s).status, Progress::Red);
        assert_eq!(status("80", "80", Some("2.5"), &s).status, Progress::Green);
    }

    #[test]
    fn the_same_band_of_direction_of_travel_is_one_percent_of_the_larger() {
        let s = council(Some("10"));
        let t = |now: &str, before: &str| {
            travel(
                Some(Better::Higher),
                Some(("2012/13 Q2".parse().unwrap(), &m(now))),
                Some(("2011/12 Q2".parse().unwrap(), &m(before))),
                &s,
            )
            .status
        };
        // 1% of 100 is 1: 99 and 101 are the same; 98.9 is worse; 101.1 (1% of it is
        // 1.011) is just outside, better.
        assert_eq!(t("101", "100"), Travel::Same);
        assert_eq!(t("99", "100"), Travel::Same);
        assert_eq!(t("98.9", "100"), Travel::Worse);
        assert_eq!(t("101.1", "100"), Travel::Better);
        assert_eq!(t("101.01", "100"), Travel::Same);
    }
}
