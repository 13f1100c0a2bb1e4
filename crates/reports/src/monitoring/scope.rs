//! What a unit's report covers, worked out once: the unit, the units under it, the record and
//! plans it reports from, and the unit above whose record or plans are cut down to it.

use super::MonitoringQuery;
use crate::error::ReportError;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::objective::Objective;
use beacon_domain::organisation::Unit;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;

/// What the report covers, worked out once.
pub(crate) struct Scope<'a> {
    pub(crate) data: &'a CouncilData,
    pub(crate) unit: &'a Unit,
    /// The unit and every unit below it.
    pub(crate) subtree: Vec<&'a Ref>,
    pub(crate) quarter: Quarter,
    pub(crate) record: Option<&'a QuarterRecord>,
    pub(crate) plans: Vec<&'a PlanDocument>,
    /// The unit above whose record or plans are cut down to this unit.
    pub(crate) above: Option<&'a Unit>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(
        data: &'a CouncilData,
        q: &MonitoringQuery,
    ) -> Result<Scope<'a>, ReportError> {
        let unit = data
            .units
            .iter()
            .find(|u| u.reference == q.unit)
            .ok_or_else(|| {
                let known: Vec<&str> = data.units.iter().map(|u| u.reference.as_str()).collect();
                ReportError::NotFound(format!(
                    "no unit {} in council {}; its units are: {}",
                    q.unit,
                    data.council.reference,
                    known.join(", ")
                ))
            })?;
        let tree = data.tree();
        let subtree = tree.subtree(&unit.reference);
        for at in tree.line(&unit.reference) {
            let Some(u) = tree.unit(at) else { break };
            if let Some((record, plans)) = Self::sources(data, u, q.quarter)? {
                // A record or plan of a unit above is cut down to this unit's subtree, and so
                // is a unit's own record kept on a plan of a unit above it.
                let owner = plans
                    .iter()
                    .find(|p| p.plan.unit != unit.reference)
                    .and_then(|p| tree.unit(&p.plan.unit))
                    .filter(|o| tree.within(&unit.reference, &o.reference));
                return Ok(Scope {
                    data,
                    unit,
                    subtree,
                    quarter: q.quarter,
                    record,
                    plans,
                    above: (u.reference != unit.reference).then_some(u).or(owner),
                });
            }
        }
        Err(ReportError::NotFound(format!(
            "unit {} has no quarterly record for {} and no plan covering {}, nor has any unit above it",
            unit.reference, q.quarter, q.quarter.year
        )))
    }

    /// A unit's own record for the quarter and the plan it monitors, or its plans for the year.
    #[allow(clippy::type_complexity)]
    fn sources(
        data: &'a CouncilData,
        u: &Unit,
        quarter: Quarter,
    ) -> Result<Option<(Option<&'a QuarterRecord>, Vec<&'a PlanDocument>)>, ReportError> {
        if let Some(r) = data
            .quarters
            .iter()
            .find(|r| r.header.unit == u.reference && r.header.period == quarter)
        {
            let plan = data.plan(r.header.plan.as_str()).ok_or_else(|| {
                ReportError::NotFound(format!(
                    "the {} record of {} monitors plan {}, which is not stored",
                    quarter, u.reference, r.header.plan
                ))
            })?;
            return Ok(Some((Some(r), vec![plan])));
        }
        let plans: Vec<&PlanDocument> = data
            .plans
            .iter()
            .filter(|p| p.plan.unit == u.reference && p.reaches(quarter.year))
            .collect();
        Ok((!plans.is_empty()).then_some((None, plans)))
    }

    pub(crate) fn in_subtree(&self, unit: Option<&Ref>) -> bool {
        unit.is_some_and(|u| self.subtree.contains(&u))
    }

    pub(crate) fn objective_included(&self, o: &Objective) -> bool {
        self.above.is_none() || self.in_subtree(o.unit.as_ref())
    }

    pub(crate) fn indicator_included(&self, plan: &PlanDocument, ind: &Indicator) -> bool {
        self.above.is_none()
            || self.in_subtree(ind.unit.as_ref())
            || plan
                .objectives
                .iter()
                .filter(|o| self.objective_included(o))
                .any(|o| o.indicators.iter().any(|r| ind.answers_to(r.as_str())))
    }

    /// True if any of these initials is an officer of the unit or a unit below it.
    pub(crate) fn signed_here(&self, initials: &[Ref]) -> bool {
        initials.iter().any(|i| {
            self.data
                .officers
                .iter()
                .any(|o| o.answers_to(i.as_str()) && self.in_subtree(o.unit.as_ref()))
        })
    }
}
