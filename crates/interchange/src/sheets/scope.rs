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

fn select<'a>(
    data: &'a CouncilData,
    unit: &'a Unit,
    quarter: Quarter,
    plan: &'a PlanDocument,
) -> Scope<'a> {
    let share = data.tree().share(plan, &unit.reference, quarter.year);
    Scope {
        unit,
        quarter,
        plan,
        indicators: share.indicators,
        milestones: share.milestones,
        risks: share.risks,
        record: record_of(data, plan, quarter),
    }
}

/// The quarterly record a unit's entries for `plan` live in: the record of the unit that owns
/// the plan (docs/governance.md, "Units' quarters").
fn record_of<'a>(
    data: &'a CouncilData,
    plan: &PlanDocument,
    quarter: Quarter,
) -> Option<&'a QuarterRecord> {
    data.quarters
        .iter()
        .find(|q| q.header.unit == plan.plan.unit && q.header.period == quarter)
}

impl<'a> Scope<'a> {
    fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.milestones.is_empty() && self.risks.is_empty()
    }

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
        let covers = |p: &&PlanDocument| p.reaches(quarter.year);
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
        // The plans the unit reports on (its own, else the nearest unit's above it) that
        // hold anything of the unit's.
        let candidates: Vec<&PlanDocument> = data
            .tree()
            .plans_for(&data.plans, unit, quarter.year)
            .into_iter()
            .filter(|p| p.plan.unit == *unit || !select(data, u, quarter, p).is_empty())
            .collect();
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
