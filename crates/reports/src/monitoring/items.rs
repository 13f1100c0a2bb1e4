//! The plan items a report covers, with their statuses: milestones of the year, indicators
//! and risks of the objectives in scope, and the budget statements of the unit and the units
//! under it in reading order.

use super::Builder;
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
pub(super) struct Items<'a> {
    pub(super) milestones: Vec<(&'a Milestone, MilestoneStatus)>,
    pub(super) indicators: Vec<(&'a PlanDocument, &'a Indicator, IndicatorStatus)>,
    pub(super) risks: Vec<RiskStatus>,
    pub(super) statements: Vec<(&'a Statement, StatementStatus)>,
    /// Milestone refs and indicator codes in scope, for matching commentary.
    pub(super) refs: Vec<String>,
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn collect_items(&mut self) {
        let scope = self.scope;
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
                if m.year != scope.quarter.year
                    || !included.iter().any(|x| x.reference == o.reference)
                {
                    continue;
                }
                if let Some(s) = report
                    .milestones
                    .iter()
                    .find(|s| s.reference == m.reference)
                {
                    self.items.refs.push(m.reference.to_string());
                    self.items.milestones.push((m, s.clone()));
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
                    self.items.refs.push(ind.reference.to_string());
                    self.items
                        .refs
                        .extend(ind.printed_ref.iter().map(|r| r.to_string()));
                    self.items
                        .refs
                        .extend(ind.aliases.iter().map(|r| r.to_string()));
                    self.items.indicators.push((plan, ind, s.clone()));
                }
            }
            for r in report.risks {
                let keep = scope.above.is_none()
                    || r.objective
                        .as_ref()
                        .is_some_and(|o| included.iter().any(|x| &x.reference == o));
                if keep {
                    self.items.risks.push(r);
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
        self.items.statements = statements;
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
