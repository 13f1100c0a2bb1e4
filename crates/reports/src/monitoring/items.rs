//! The plan items a report covers, with their statuses: milestones of the year, indicators
//! and risks of the objectives in scope, and the budget statements of the unit and the units
//! under it in reading order.

use super::scope::Scope;
use beacon_app::status::{
    IndicatorStatus, MilestoneStatus, RiskStatus, StatementStatus, StatusQuery, status_report,
};
use beacon_domain::Ref;
use beacon_domain::budget::{Statement, StatementKind};
use beacon_domain::indicator::Indicator;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::plan::PlanDocument;

/// The plan items in scope with their statuses.
#[derive(Default)]
pub(crate) struct Items<'a> {
    pub(crate) milestones: Vec<(&'a Milestone, MilestoneStatus)>,
    pub(crate) indicators: Vec<(&'a PlanDocument, &'a Indicator, IndicatorStatus)>,
    pub(crate) risks: Vec<RiskStatus>,
    pub(crate) statements: Vec<(&'a Statement, StatementStatus)>,
    /// Milestone refs and indicator codes in scope, for matching commentary.
    pub(crate) refs: Vec<String>,
}

impl<'a> Items<'a> {
    /// The items a scope covers, with their statuses for its quarter.
    pub(crate) fn collect(scope: &Scope<'a>) -> Items<'a> {
        let mut items = Items::default();
        let data = scope.data;
        for plan in &scope.plans {
            let report = status_report(
                data,
                &StatusQuery {
                    quarter: scope.quarter,
                    plan: Some(plan.plan.reference.clone()),
                    unit: None,
                },
            );
            let included: Vec<&Objective> = plan
                .objectives
                .iter()
                .filter(|o| scope.objective_included(o))
                .collect();
            for (o, m) in plan.milestones() {
                if !m.judged_in(scope.quarter.year, plan.plan.years)
                    || !included.iter().any(|x| x.reference == o.reference)
                {
                    continue;
                }
                if let Some(s) = report
                    .milestones
                    .iter()
                    .find(|s| s.reference == m.reference)
                {
                    items.refs.push(m.reference.to_string());
                    items.milestones.push((m, s.clone()));
                }
            }
            for ind in &plan.indicators {
                if !scope.indicator_included(plan, ind) {
                    continue;
                }
                if let Some(s) = report
                    .indicators
                    .iter()
                    .find(|s| s.reference == ind.reference)
                {
                    items.refs.push(ind.reference.to_string());
                    items
                        .refs
                        .extend(ind.printed_ref.iter().map(|r| r.to_string()));
                    items.refs.extend(ind.aliases.iter().map(|r| r.to_string()));
                    items.indicators.push((plan, ind, s.clone()));
                }
            }
            for r in report.risks {
                let keep = scope.above.is_none()
                    || r.objective
                        .as_ref()
                        .is_some_and(|o| included.iter().any(|x| &x.reference == o));
                if keep {
                    items.risks.push(r);
                }
            }
        }
        let all = status_report(
            data,
            &StatusQuery {
                quarter: scope.quarter,
                plan: None,
                unit: None,
            },
        );
        let mut statements: Vec<(&Statement, StatementStatus)> = data
            .statements
            .iter()
            .filter(|s| s.period == scope.quarter && scope.in_subtree(Some(&s.unit)))
            .filter_map(|s| {
                all.statements
                    .iter()
                    .find(|x| x.reference == s.reference)
                    .map(|x| (s, x.clone()))
            })
            .collect();
        // Revenue before capital; the unit's own before those of units below it (in the order
        // of the organisation tree); the fullest statement (most levels of totals) first.
        let position = |u: &Ref| {
            scope
                .subtree
                .iter()
                .position(|x| *x == u)
                .unwrap_or(usize::MAX)
        };
        statements.sort_by_key(|(s, _)| {
            (
                s.kind == StatementKind::Capital,
                position(&s.unit),
                std::cmp::Reverse(depth(s)),
                s.reference.clone(),
            )
        });
        items.statements = statements;
        items
    }
}

/// Levels of totals in a statement: the deepest chain of groups.
fn depth(st: &Statement) -> usize {
    st.groups
        .iter()
        .map(|g| {
            let mut d = 1;
            let mut at = g.parent.as_ref();
            while let Some(p) = at {
                d += 1;
                if d > st.groups.len() {
                    break;
                }
                at = st
                    .groups
                    .iter()
                    .find(|x| &x.key == p)
                    .and_then(|x| x.parent.as_ref());
            }
            d
        })
        .max()
        .unwrap_or(0)
}
