//! What a unit reports for a quarter: the plan that covers the quarter and the unit's items in
//! it (indicators, the year's milestones, risks), with the unit's stored quarterly record.
//! A plan owned by the unit gives all its items; a plan owned by a unit above it gives the items
//! assigned to the unit or a unit below it.

use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::organisation::Unit;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::risk::Risk;
use std::collections::HashSet;

/// A unit's items for a quarter.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub unit: &'a Unit,
    pub quarter: Quarter,
    pub plan: &'a PlanDocument,
    pub indicators: Vec<&'a Indicator>,
    pub milestones: Vec<(&'a Objective, &'a Milestone)>,
    pub risks: Vec<&'a Risk>,
    /// The unit's stored record for the quarter, if there is one.
    pub record: Option<&'a QuarterRecord>,
}

/// The unit and every unit below it.
fn subtree<'a>(data: &'a CouncilData, unit: &Ref) -> HashSet<&'a str> {
    let mut set: HashSet<&str> = data
        .units
        .iter()
        .filter(|u| &u.reference == unit)
        .map(|u| u.reference.as_str())
        .collect();
    // Grow until nothing more joins; bounded by the number of units.
    for _ in 0..data.units.len() {
        let before = set.len();
        for u in &data.units {
            if u.parent.as_ref().is_some_and(|p| set.contains(p.as_str())) {
                set.insert(u.reference.as_str());
            }
        }
        if set.len() == before {
            break;
        }
    }
    set
}

/// The units above `unit`, nearest first.
fn ancestors<'a>(data: &'a CouncilData, unit: &Unit) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut at = unit.parent.as_ref();
    while let Some(p) = at {
        if out.contains(&p.as_str()) || out.len() > data.units.len() {
            break;
        }
        match data.units.iter().find(|u| &u.reference == p) {
            Some(u) => {
                out.push(u.reference.as_str());
                at = u.parent.as_ref();
            }
            None => break,
        }
    }
    out
}

fn select<'a>(
    data: &'a CouncilData,
    unit: &'a Unit,
    quarter: Quarter,
    plan: &'a PlanDocument,
) -> Scope<'a> {
    let whole = plan.plan.unit == unit.reference;
    let below = subtree(data, &unit.reference);
    let mine = |u: &Option<Ref>| whole || u.as_ref().is_some_and(|u| below.contains(u.as_str()));
    let objectives: Vec<&Objective> = plan.objectives.iter().filter(|o| mine(&o.unit)).collect();
    let objective_refs: HashSet<&str> = objectives.iter().map(|o| o.reference.as_str()).collect();
    let measured: HashSet<&str> = objectives
        .iter()
        .flat_map(|o| o.indicators.iter().map(Ref::as_str))
        .collect();
    let indicators = plan
        .indicators
        .iter()
        .filter(|i| mine(&i.unit) || measured.contains(i.reference.as_str()))
        .collect();
    let milestones = objectives
        .iter()
        .flat_map(|o| o.milestones.iter().map(move |m| (*o, m)))
        .filter(|(_, m)| m.year == quarter.year)
        .collect();
    let risks = plan
        .risks
        .iter()
        .filter(|r| {
            whole
                || r.objective
                    .as_ref()
                    .is_some_and(|o| objective_refs.contains(o.as_str()))
        })
        .collect();
    let record = data
        .quarters
        .iter()
        .find(|q| q.header.unit == unit.reference && q.header.period == quarter);
    Scope {
        unit,
        quarter,
        plan,
        indicators,
        milestones,
        risks,
        record,
    }
}

impl<'a> Scope<'a> {
    /// Finds the unit's plan for the quarter (`plan` names it when there could be several) and
    /// its items. The error says what was expected.
    pub fn resolve(
        data: &'a CouncilData,
        unit: &Ref,
        quarter: Quarter,
        plan: Option<&Ref>,
    ) -> Result<Scope<'a>, String> {
        let council = &data.council.reference;
        let u = data
            .units
            .iter()
            .find(|u| &u.reference == unit)
            .ok_or_else(|| {
                format!("no unit {unit} in council {council}; expected one of its unit refs")
            })?;
        let record = data
            .quarters
            .iter()
            .find(|q| &q.header.unit == unit && q.header.period == quarter);
        let covers = |p: &&PlanDocument| p.plan.years.contains(quarter.year);
        if let Some(pref) = plan.or(record.map(|r| &r.header.plan)) {
            let p = data
                .plan(pref.as_str())
                .ok_or_else(|| format!("no plan {pref} in council {council}"))?;
            if !covers(&p) {
                return Err(format!(
                    "plan {pref} covers {}, not {quarter}",
                    p.plan.years
                ));
            }
            if let Some(r) = record
                && &r.header.plan != pref
            {
                return Err(format!(
                    "unit {unit}'s record for {quarter} reports on plan {}, not {pref}",
                    r.header.plan
                ));
            }
            return Ok(select(data, u, quarter, p));
        }
        let own: Vec<&PlanDocument> = data
            .plans
            .iter()
            .filter(covers)
            .filter(|p| p.plan.unit == *unit)
            .collect();
        let candidates: Vec<&PlanDocument> = if own.is_empty() {
            let above = ancestors(data, u);
            data.plans
                .iter()
                .filter(covers)
                .filter(|p| above.contains(&p.plan.unit.as_str()))
                .filter(|p| {
                    let s = select(data, u, quarter, p);
                    !(s.indicators.is_empty() && s.milestones.is_empty() && s.risks.is_empty())
                })
                .collect()
        } else {
            own
        };
        match candidates.as_slice() {
            [one] => Ok(select(data, u, quarter, one)),
            [] => Err(format!(
                "no plan covering {} has items for unit {unit}; load its plan first",
                quarter.year
            )),
            many => Err(format!(
                "several plans cover {} for unit {unit} ({}); name one with --plan",
                quarter.year,
                many.iter()
                    .map(|p| p.plan.reference.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}
