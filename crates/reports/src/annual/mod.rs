//! The year's reports besides the quarterly one: the annual outturn report (`outturn`), the
//! community strategy's annual progress report (`community`) and the annual review of targets
//! (`target_review`). Each builds the same [`Report`](crate::model::Report) model, so every
//! format draws it. What they share lives here: an indicator followed across the council's
//! plans (targets and year-end values by year), and the status charts.
//!
//! No rule is written here: a year-end value, its status and direction of travel are
//! `beacon_app::status::year_end` (the status engine at the year's fourth quarter); a proposed
//! target is `beacon_domain::status::review::propose`.

pub mod community;
pub mod outturn;
mod priorities;
pub mod target_review;

use crate::cells::measure_cell;
use crate::model::{Bar, Cell, Chart, Fact, StatusCell, StatusKind};
use crate::symbols::progress_symbol;
use beacon_app::CouncilData;
use beacon_app::status::{YearEnd, year_end};
use beacon_domain::Ref;
use beacon_domain::indicator::{Baseline, Indicator};
use beacon_domain::measure::Measure;
use beacon_domain::period::{FinancialYear, Period};
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::{Progress, Travel};

/// Which year-end report: a unit's financial year.
#[derive(Debug, Clone)]
pub struct YearQuery {
    pub unit: Ref,
    pub year: FinancialYear,
}

/// An indicator followed across the council's plans: the plan it was found in first, then
/// every other plan holding the same code (a refreshed plan carries it on). Each year's target
/// and year-end value come from the first of them that has one.
pub(crate) struct Across<'a> {
    data: &'a CouncilData,
    holders: Vec<(&'a PlanDocument, &'a Indicator)>,
}

impl<'a> Across<'a> {
    pub(crate) fn new(data: &'a CouncilData, plan: &'a PlanDocument, ind: &'a Indicator) -> Self {
        let mut holders = vec![(plan, ind)];
        for p in &data.plans {
            if p.plan.reference == plan.plan.reference {
                continue;
            }
            if let Some(other) = p
                .indicators
                .iter()
                .find(|i| i.answers_to(ind.reference.as_str()))
            {
                holders.push((p, other));
            }
        }
        Across { data, holders }
    }

    /// The baseline, from the first plan that states one.
    pub(crate) fn baseline(&self) -> Option<&'a Baseline> {
        self.holders.iter().find_map(|(_, i)| i.baseline.as_ref())
    }

    /// The target for a year, from the first plan that sets one.
    pub(crate) fn target(&self, year: FinancialYear) -> Option<&'a Measure> {
        self.holders
            .iter()
            .find_map(|(_, i)| i.targets.get(&Period::FinancialYear(year)))
    }

    /// The indicator at the end of a year, judged in the first plan that has a value for it
    /// (else in the plan it was found in).
    pub(crate) fn year_end(&self, year: FinancialYear) -> YearEnd {
        let mut first = None;
        for (p, i) in &self.holders {
            let y = year_end(self.data, p, i, year);
            if y.status.value.is_some() {
                return y;
            }
            first.get_or_insert(y);
        }
        first.unwrap_or_else(|| {
            let (p, i) = self.holders[0];
            year_end(self.data, p, i, year)
        })
    }

    /// Every financial year before `before` with a year-end value, oldest first.
    pub(crate) fn history(&self, before: FinancialYear) -> Vec<(FinancialYear, YearEnd)> {
        let mut years: Vec<FinancialYear> = self
            .holders
            .iter()
            .flat_map(|(_, i)| {
                i.values
                    .keys()
                    .map(|p| FinancialYear::containing(p.last_day()))
            })
            .filter(|y| *y < before)
            .collect();
        years.sort();
        years.dedup();
        years
            .into_iter()
            .map(|y| (y, self.year_end(y)))
            .filter(|(_, e)| e.status.value.is_some())
            .collect()
    }

    /// The years any plan sets a target for.
    pub(crate) fn target_years(&self) -> impl Iterator<Item = FinancialYear> + '_ {
        self.holders.iter().flat_map(|(_, i)| {
            i.targets.keys().filter_map(|p| match p {
                Period::FinancialYear(y) => Some(*y),
                _ => None,
            })
        })
    }
}

/// A year-end value as printed, with its period when it is not the year itself.
pub(crate) fn value_cell(e: &YearEnd, year: FinancialYear) -> Cell {
    e.status.value.as_ref().map_or(Cell::Empty, |(p, m)| {
        measure_cell(m, Some(*p), *p != Period::FinancialYear(year))
    })
}

/// A measure for a year as printed.
pub(crate) fn target_cell(m: Option<&Measure>, year: FinancialYear) -> Cell {
    m.map_or(Cell::Empty, |m| {
        measure_cell(m, Some(Period::FinancialYear(year)), false)
    })
}

fn bar(kind: StatusKind, value: &str, symbol: &str, word: &str, count: u32) -> Bar {
    Bar {
        status: StatusCell {
            kind,
            value: value.to_string(),
            symbol: symbol.to_string(),
            word: word.to_string(),
            reason: String::new(),
            set_by_hand: None,
            note: None,
        },
        count,
    }
}

/// How many of each progress status, in the key's order.
pub(crate) fn progress_counts(statuses: &[Progress]) -> Vec<(Progress, u32)> {
    [
        Progress::Green,
        Progress::Amber,
        Progress::Red,
        Progress::NotAssessed,
    ]
    .into_iter()
    .map(|p| {
        let n = statuses.iter().filter(|s| **s == p).count();
        (p, u32::try_from(n).unwrap_or(u32::MAX))
    })
    .collect()
}

/// How many of each direction of travel, in the key's order.
pub(crate) fn travel_counts(travels: &[Travel]) -> Vec<(Travel, u32)> {
    [
        Travel::Better,
        Travel::Same,
        Travel::Worse,
        Travel::NotComparable,
    ]
    .into_iter()
    .map(|t| {
        let n = travels.iter().filter(|s| **s == t).count();
        (t, u32::try_from(n).unwrap_or(u32::MAX))
    })
    .collect()
}

/// Counts in words: "2 Green, 1 Amber, 0 Red and 3 Not assessed".
pub(crate) fn counts_words(counts: &[(String, u32)]) -> String {
    let parts: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A bar chart of how many indicators have each progress status.
pub(crate) fn progress_chart(id: String, title: String, statuses: &[Progress]) -> Chart {
    let counts = progress_counts(statuses);
    let words: Vec<(String, u32)> = counts
        .iter()
        .map(|(p, n)| (p.label().to_string(), *n))
        .collect();
    Chart {
        id,
        summary: format!(
            "{title}: {} of {} indicators.",
            counts_words(&words),
            statuses.len()
        ),
        title,
        counts: "Indicators".into(),
        bars: counts
            .into_iter()
            .map(|(p, n)| {
                bar(
                    StatusKind::Progress,
                    p.as_str(),
                    progress_symbol(p),
                    p.label(),
                    n,
                )
            })
            .collect(),
    }
}

/// The words of a direction-of-travel count, for summaries.
pub(crate) fn travel_words(travels: &[Travel]) -> String {
    let words: Vec<(String, u32)> = travel_counts(travels)
        .into_iter()
        .map(|(t, n)| (t.label().to_string(), n))
        .collect();
    counts_words(&words)
}

/// A year-end report's fact naming its year: "2012/13, 1 April 2012 to 31 March 2013".
pub(crate) fn year_fact(label: &str, year: FinancialYear) -> Fact {
    Fact {
        label: label.into(),
        value: format!(
            "{}, {} to {}",
            year,
            year.first_day().format("%-d %B %Y"),
            year.last_day().format("%-d %B %Y")
        ),
    }
}
