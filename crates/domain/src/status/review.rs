//! The annual review of targets: for each indicator, the target proposed for next year and why,
//! for the board to agree. The rule, written once:
//!
//! 1. Nothing is proposed for an indicator that does not say which direction is better (kept
//!    "for information"): its next-year target is kept as it stands.
//! 2. The year is judged on its forecast (the result when it is in; else the projection or the
//!    latest value, as progress is judged). With no forecast, next year's numeric target is
//!    kept, or, with none, left for the service to set.
//! 3. This year's target **not met**: next year's target is kept (the gap is closed first);
//!    with no numeric next-year target, this year's target is carried forward.
//! 4. This year's target **met**, or no numeric target this year: next year's target is kept if
//!    it is at least as demanding as the forecast; else it is raised to the forecast, so a
//!    target never asks for less than has been achieved ("stretch"). With no numeric next-year
//!    target, the forecast is proposed.

use super::indicator::{Forecast, at_least, with_unit};
use crate::indicator::{Better, MeasureUnit};
use crate::measure::Measure;
use crate::period::FinancialYear;
use serde::Serialize;

crate::word_enum! {
    /// What the review proposes for next year's target.
    Proposal {
        Keep = "keep",
        Raise = "raise",
        CarryForward = "carry-forward",
        Set = "set",
        None = "none",
    }
}

impl Proposal {
    /// The word printed.
    pub fn label(self) -> &'static str {
        match self {
            Proposal::Keep => "Keep",
            Proposal::Raise => "Raise",
            Proposal::CarryForward => "Carry forward",
            Proposal::Set => "Set",
            Proposal::None => "No proposal",
        }
    }
}

/// What the rule needs to know of an indicator.
#[derive(Debug, Clone)]
pub struct ReviewInput<'a> {
    pub better: Option<Better>,
    pub unit: Option<MeasureUnit>,
    /// The year reviewed.
    pub year: FinancialYear,
    /// This year's target.
    pub target: Option<&'a Measure>,
    /// The year's forecast, or why there is none.
    pub forecast: Result<&'a Forecast, &'a str>,
    /// Next year's target as the plans stand.
    pub next: Option<&'a Measure>,
}

/// The proposal: what to do, the target proposed (as it would be printed) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetProposal {
    pub proposal: Proposal,
    pub target: Option<String>,
    pub rationale: String,
}

fn proposal(proposal: Proposal, target: Option<String>, rationale: String) -> TargetProposal {
    TargetProposal {
        proposal,
        target,
        rationale,
    }
}

/// Proposes next year's target by the rule above.
pub fn propose(input: &ReviewInput<'_>) -> TargetProposal {
    let year = input.year;
    let next_year = year
        .next()
        .map_or_else(|| "next year".to_string(), |y| y.to_string());
    let next = input.next.and_then(|m| m.value().map(|v| (m, v)));
    let keep_next = |why: String| match next.map(|(m, _)| m) {
        Some(m) => proposal(
            Proposal::Keep,
            Some(m.text().to_string()),
            format!("{why}: keep the {next_year} target of {}", m.text()),
        ),
        None => proposal(
            Proposal::None,
            None,
            match input.next {
                Some(m) => format!(
                    "{why}; the {next_year} target reads \u{201c}{}\u{201d}: for the service to propose",
                    m.text()
                ),
                None => format!("{why}; no {next_year} target is set: for the service to propose"),
            },
        ),
    };
    let better = match input.better {
        Some(b @ (Better::Higher | Better::Lower)) => b,
        _ => return keep_next("for information: neither higher nor lower is better".into()),
    };
    let f = match input.forecast {
        Ok(f) => f,
        Err(why) => return keep_next(format!("no forecast for {year} ({why})")),
    };
    let target = input.target.and_then(|m| m.value().map(|v| (m, v)));
    if let Some((tm, t)) = target
        && !at_least(f.value, t, better)
    {
        let why = format!(
            "{year} target of {} not met (forecast {})",
            tm.text(),
            f.text
        );
        return match next {
            Some(_) => keep_next(why),
            None => proposal(
                Proposal::CarryForward,
                Some(tm.text().to_string()),
                format!("{why}; no numeric {next_year} target: carry {year}'s forward"),
            ),
        };
    }
    let why = match target {
        Some((tm, _)) => format!("{year} target of {} met (forecast {})", tm.text(), f.text),
        None => format!("no numeric {year} target; forecast {}", f.text),
    };
    let proposed = with_unit(f.value.round_dp(2), input.unit);
    match next {
        Some((nm, n)) if at_least(n, f.value, better) => proposal(
            Proposal::Keep,
            Some(nm.text().to_string()),
            format!(
                "{why}; the {next_year} target of {} already asks for at least that: keep it",
                nm.text()
            ),
        ),
        Some((nm, _)) => proposal(
            Proposal::Raise,
            Some(proposed.clone()),
            format!(
                "{why}; the {next_year} target of {} asks for less than the forecast: raise it to {proposed}",
                nm.text()
            ),
        ),
        None => proposal(
            Proposal::Set,
            Some(proposed.clone()),
            format!("{why}; no numeric {next_year} target: set it at the forecast, {proposed}"),
        ),
    }
}

/// A target the board agreed for a year: the indicator's code (ref, printed ref or alias), as
/// the review's "for the board to agree" table and its CSV file give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreed {
    pub indicator: String,
    pub year: FinancialYear,
    pub target: Measure,
}

/// Writes agreed targets into a plan (the version that covers their year): each line where the
/// plan holds the indicator and covers the year, replacing the target it had. Returns what
/// became of each line, in words, in order; a line that does not fit the plan changes nothing.
pub fn apply_agreed(plan: &mut crate::plan::PlanDocument, agreed: &[Agreed]) -> Vec<String> {
    let reference = plan.plan.reference.clone();
    let years = plan.plan.years;
    agreed
        .iter()
        .map(|a| {
            if !years.contains(a.year) {
                return format!(
                    "{} {}: not applied, plan {reference} does not cover {}",
                    a.indicator, a.year, a.year
                );
            }
            let Some(ind) = plan
                .indicators
                .iter_mut()
                .find(|i| i.answers_to(&a.indicator))
            else {
                return format!(
                    "{} {}: not applied, plan {reference} has no indicator {}",
                    a.indicator, a.year, a.indicator
                );
            };
            let old = ind.targets.insert(
                crate::period::Period::FinancialYear(a.year),
                a.target.clone(),
            );
            match old {
                Some(o) if o == a.target => format!(
                    "{} {}: {} (unchanged)",
                    a.indicator,
                    a.year,
                    a.target.text()
                ),
                Some(o) => format!(
                    "{} {}: {} (was {})",
                    a.indicator,
                    a.year,
                    a.target.text(),
                    o.text()
                ),
                None => format!("{} {}: {} (new)", a.indicator, a.year, a.target.text()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn m(s: &str) -> Measure {
        Measure::parse(s).unwrap()
    }

    fn f(v: &str) -> Forecast {
        let value: Decimal = v.parse().unwrap();
        Forecast {
            value,
            text: format!("{v}%"),
            how: String::new(),
        }
    }

    fn run(better: Better, target: &str, forecast: &str, next: Option<&str>) -> TargetProposal {
        let t = m(target);
        let fc = f(forecast);
        let n = next.map(m);
        propose(&ReviewInput {
            better: Some(better),
            unit: Some(MeasureUnit::Percent),
            year: "2012/13".parse().unwrap(),
            target: Some(&t),
            forecast: Ok(&fc),
            next: n.as_ref(),
        })
    }

    #[test]
    fn a_missed_target_keeps_next_years_or_is_carried_forward() {
        let p = run(Better::Higher, "84%", "76", Some("85%"));
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::Keep, Some("85%"))
        );
        assert!(
            p.rationale.contains("target of 84% not met"),
            "{}",
            p.rationale
        );
        let p = run(Better::Higher, "84%", "76", Some("Not set"));
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::CarryForward, Some("84%"))
        );
    }

    #[test]
    fn a_met_target_stretches_next_years_to_at_least_the_forecast() {
        let p = run(Better::Higher, "55.5%", "59", Some("56%"));
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::Raise, Some("59%"))
        );
        let p = run(Better::Higher, "55.5%", "59", Some("60%"));
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::Keep, Some("60%"))
        );
        let p = run(Better::Lower, "12%", "13", Some("11.5%"));
        assert_eq!(p.proposal, Proposal::Keep, "13 misses a lower-is-better 12");
        let p = run(Better::Lower, "24%", "20", None);
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::Set, Some("20%"))
        );
    }

    #[test]
    fn no_direction_or_no_forecast_proposes_nothing_new() {
        let t = m("5%");
        let n = m("6%");
        let p = propose(&ReviewInput {
            better: Some(Better::None),
            unit: None,
            year: "2012/13".parse().unwrap(),
            target: Some(&t),
            forecast: Err("no value"),
            next: Some(&n),
        });
        assert_eq!(
            (p.proposal, p.target.as_deref()),
            (Proposal::Keep, Some("6%"))
        );
        let p = propose(&ReviewInput {
            better: Some(Better::Higher),
            unit: None,
            year: "2012/13".parse().unwrap(),
            target: Some(&t),
            forecast: Err("no value has been reported for the year"),
            next: None,
        });
        assert_eq!(p.proposal, Proposal::None);
        assert!(
            p.rationale.contains("no value has been reported"),
            "{}",
            p.rationale
        );
    }
}
