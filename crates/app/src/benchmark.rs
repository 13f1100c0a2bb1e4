//! Benchmarking against the national set (docs/national.md): which of a council's values go
//! into the set when it publishes, under which national codes and period labels, and what the
//! quarter dashboard and the monitoring report ask the set for their national quartile column.
//! The positions themselves are computed once, at import, by the national set (crate
//! `beacon-national`); this module says what to ask and carries the answers. The set is
//! reached through [`Benchmark`], implemented once at the edge (`web::benchmark`).

use crate::CouncilData;
use crate::error::AppError;
use crate::lifecycle::{QuarterState, QuarterStatus};
use crate::ports::Governance;
use beacon_domain::indicator::Indicator;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{Period, Quarter};
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;
use std::future::Future;

/// One published value as it goes into the national set.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The indicator's codes, its own ref first, then its printed ref and aliases: the set
    /// files the value under the first one it holds, and passes over an indicator it holds
    /// under none (a council's own measure is not a national one).
    pub codes: Vec<String>,
    /// The period as the national set labels it (see [`national_period`]).
    pub period: String,
    pub value: f64,
}

/// An indicator the quartile column asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The indicator as [`QuartileColumn::cell`] finds it again (plan and ref).
    pub key: String,
    /// Its codes, own ref first.
    pub codes: Vec<String>,
}

/// The national quartile column of the dashboard's and the report's indicator tables.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct QuartileColumn {
    /// The column's heading.
    pub heading: String,
    /// What the column says, for the key printed with it.
    pub key: String,
    /// Each indicator with a national code: its quartile and rank in words, with the period.
    pub cells: BTreeMap<String, String>,
}

impl QuartileColumn {
    /// The cell of a plan's indicator; None when the indicator has no national code.
    pub fn cell(&self, plan: &str, indicator: &str) -> Option<&str> {
        self.cells.get(&key(plan, indicator)).map(String::as_str)
    }
}

fn key(plan: &str, indicator: &str) -> String {
    format!("{plan}\u{1f}{indicator}")
}

/// The national benchmarking set, as the use cases reach it.
pub trait Benchmark: Send + Sync {
    /// Puts the council's values into the set (each replacing what the council gave before
    /// for the same indicator and period, so giving them twice changes nothing), when the
    /// council is linked to the set and has chosen to contribute. How many values went in;
    /// None when the council does not contribute.
    fn contribute(
        &self,
        council: &CouncilRef,
        values: &[Contribution],
    ) -> impl Future<Output = Result<Option<usize>, AppError>> + Send;

    /// The council's national quartile and rank on each indicator asked about that the set
    /// holds, in the latest period up to `up_to` in which the council has a value; None when
    /// the council is not linked to the set (the column is then left out).
    fn quartiles(
        &self,
        council: &CouncilRef,
        asks: &[Ask],
        up_to: &str,
    ) -> impl Future<Output = Result<Option<QuartileColumn>, AppError>> + Send;

    /// A number that changes whenever the set or a council's link to it changes, for caching
    /// what was read from it.
    fn revision(&self) -> impl Future<Output = Result<i64, AppError>> + Send;
}

/// A period as the national set labels it, the way published local-authority tables write
/// it: financial year 2012/13 is `2012-13`, its second quarter `2012-13 Q2`; any other period
/// as Beacon writes it.
pub fn national_period(p: Period) -> String {
    match p {
        Period::FinancialYear(y) => fy(y.to_string()),
        Period::Quarter(q) => format!("{} Q{}", fy(q.year.to_string()), q.q.number()),
        other => other.to_string(),
    }
}

fn fy(label: String) -> String {
    label.replacen('/', "-", 1)
}

/// An indicator's codes: its ref, printed ref and aliases, in that order.
pub fn codes(ind: &Indicator) -> Vec<String> {
    std::iter::once(&ind.reference)
        .chain(ind.printed_ref.iter())
        .chain(ind.aliases.iter())
        .map(ToString::to_string)
        .collect()
}

/// Every indicator of every plan of the council, for the quartile column.
pub fn asks(data: &CouncilData) -> Vec<Ask> {
    data.plans
        .iter()
        .flat_map(|p| {
            p.indicators.iter().map(|i| Ask {
                key: key(p.plan.reference.as_str(), i.reference.as_str()),
                codes: codes(i),
            })
        })
        .collect()
}

/// Whether a unit's quarter stands published: its own publication, or that of a unit above it
/// (a directorate's report covers its departments), and not reopened since.
fn published(
    data: &CouncilData,
    statuses: &[QuarterStatus],
    unit: &beacon_domain::Ref,
    q: Quarter,
) -> bool {
    crate::access::ancestry(&data.units, unit)
        .into_iter()
        .any(|u| QuarterStatus::of(statuses, u, q).state == QuarterState::Published)
}

/// Every value the council has published and not reopened: the values of each quarterly
/// record whose quarter stands published, with a number, under the codes of the plan's
/// indicator it reports on.
pub fn published_values(data: &CouncilData, statuses: &[QuarterStatus]) -> Vec<Contribution> {
    let mut out = Vec::new();
    for r in &data.quarters {
        if !published(data, statuses, &r.header.unit, r.header.period) {
            continue;
        }
        let plan = data
            .plans
            .iter()
            .find(|p| p.plan.reference == r.header.plan);
        for v in &r.values {
            let Some(ind) = plan.and_then(|p| p.indicator(v.indicator.as_str())) else {
                continue;
            };
            let Some(value) = v.value.value().and_then(|d| d.to_f64()) else {
                continue;
            };
            out.push(Contribution {
                codes: codes(ind),
                period: national_period(v.period),
                value,
            });
        }
    }
    out
}

/// Puts every value the council has published into the national set (when it contributes):
/// called after each publication. It gives everything published, not only the new quarter, so
/// a contribution that failed once (the set's database busy) is made good by the next, and
/// giving the same values again changes nothing.
pub async fn contribute_published<G: Governance, B: Benchmark>(
    store: &G,
    set: &B,
    data: &CouncilData,
) -> Result<Option<usize>, AppError> {
    let statuses = store.quarter_statuses(&data.council.reference).await?;
    let values = published_values(data, &statuses);
    set.contribute(&data.council.reference, &values).await
}

/// The national quartile column for a quarter: positions up to the quarter's own period.
pub async fn quartile_column<B: Benchmark>(
    set: &B,
    data: &CouncilData,
    quarter: Quarter,
) -> Result<Option<QuartileColumn>, AppError> {
    set.quartiles(
        &data.council.reference,
        &asks(data),
        &national_period(Period::Quarter(quarter)),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_take_the_national_tables_labels() {
        let p = |s: &str| national_period(s.parse().unwrap());
        assert_eq!(p("2012/13"), "2012-13");
        assert_eq!(p("2012/13 Q2"), "2012-13 Q2");
        assert_eq!(p("1999/00 Q4"), "1999-00 Q4");
    }
}
