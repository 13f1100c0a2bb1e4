//! The council model: the organisation tree walked in one place (a unit's line of units above
//! it, its subtree, one cycle guard), which plan a unit reports on for a year and which of its
//! items are the unit's share, and the council's settings (tolerance, risk matrix, outturn
//! projection, where the quarterly report's exceptions go) that every page and report uses.

use crate::Ref;
use crate::indicator::Indicator;
use crate::objective::{Milestone, Objective};
use crate::organisation::{Council, Unit};
use crate::period::FinancialYear;
use crate::plan::PlanDocument;
use crate::risk::Risk;
use crate::status::Settings;

/// The council's settings for statuses and risks: its tolerance band where it sets one, and
/// the risk matrix; the rest as the framework's defaults.
pub fn settings(council: &Council) -> Settings {
    let mut s = Settings::default();
    if let Some(t) = council.tolerance_percent {
        s.tolerance_percent = t;
    }
    if let Some(m) = &council.risk_matrix {
        s.matrix = m.clone();
    }
    if let Some(p) = council.projection {
        s.projection = p;
    }
    if let Some(e) = council.exceptions {
        s.exceptions = e;
    }
    s
}

/// The organisation tree of one council, read from its units.
#[derive(Debug, Clone, Copy)]
pub struct Tree<'a> {
    units: &'a [Unit],
}

impl<'a> Tree<'a> {
    pub fn new(units: &'a [Unit]) -> Tree<'a> {
        Tree { units }
    }

    pub fn units(&self) -> &'a [Unit] {
        self.units
    }

    pub fn unit(&self, reference: &Ref) -> Option<&'a Unit> {
        self.units.iter().find(|u| &u.reference == reference)
    }

    /// The unit and every unit above it, nearest first. The one walk up the tree: it stops at
    /// a unit not in the council and at the first unit seen twice (a cycle in bad data).
    pub fn line<'b>(&self, unit: &'b Ref) -> Vec<&'b Ref>
    where
        'a: 'b,
    {
        let mut line = vec![unit];
        let mut at = unit;
        while let Some(parent) = self.unit(at).and_then(|u| u.parent.as_ref()) {
            if line.contains(&parent) || line.len() > self.units.len() {
                break;
            }
            line.push(parent);
            at = parent;
        }
        line
    }

    /// The units above `unit`, nearest first.
    pub fn ancestors(&self, unit: &Ref) -> Vec<&'a Ref> {
        let Some(u) = self.unit(unit) else {
            return Vec::new();
        };
        self.line(&u.reference).into_iter().skip(1).collect()
    }

    /// True if `unit` is `top` or lies below it.
    pub fn within(&self, unit: &Ref, top: &Ref) -> bool {
        self.line(unit).contains(&top)
    }

    /// `top` and every unit below it, in the council's order of units.
    pub fn subtree(&self, top: &Ref) -> Vec<&'a Ref> {
        self.units
            .iter()
            .filter(|u| self.within(&u.reference, top))
            .map(|u| &u.reference)
            .collect()
    }

    /// The plans a unit reports on for a year: its own plans covering the year, else those of
    /// the nearest unit above it that has any. A department inside a directorate's plan
    /// reports on the directorate's plan.
    pub fn plans_for(
        &self,
        plans: &'a [PlanDocument],
        unit: &Ref,
        year: FinancialYear,
    ) -> Vec<&'a PlanDocument> {
        for at in self.line(unit) {
            let found: Vec<&PlanDocument> = plans
                .iter()
                .filter(|p| &p.plan.unit == at && p.reaches(year))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// The part of `plan` that is `unit`'s for `year`: everything when the unit owns the plan;
    /// else the objectives assigned to the unit or a unit below it (with their milestones
    /// judged that year and their risks) and the indicators assigned there or that those
    /// objectives measure. In a year after the plan's own (which its milestones' dates reach),
    /// only those milestones.
    pub fn share(&self, plan: &'a PlanDocument, unit: &Ref, year: FinancialYear) -> Share<'a> {
        let share = self.share_within(plan, unit, year);
        if plan.plan.years.contains(year) {
            return share;
        }
        Share {
            indicators: Vec::new(),
            risks: Vec::new(),
            ..share
        }
    }

    fn share_within(&self, plan: &'a PlanDocument, unit: &Ref, year: FinancialYear) -> Share<'a> {
        let whole = &plan.plan.unit == unit;
        let mine = |u: &Option<Ref>| whole || u.as_ref().is_some_and(|u| self.within(u, unit));
        let objectives: Vec<&Objective> =
            plan.objectives.iter().filter(|o| mine(&o.unit)).collect();
        let measured = |i: &Indicator| {
            objectives
                .iter()
                .any(|o| o.indicators.iter().any(|r| i.answers_to(r.as_str())))
        };
        let indicators = plan
            .indicators
            .iter()
            .filter(|i| mine(&i.unit) || measured(i))
            .collect();
        let milestones = objectives
            .iter()
            .flat_map(|o| o.milestones.iter().map(move |m| (*o, m)))
            .filter(|(_, m)| m.judged_in(year, plan.plan.years))
            .collect();
        let risks = plan
            .risks
            .iter()
            .filter(|r| {
                whole
                    || r.objective
                        .as_ref()
                        .is_some_and(|o| objectives.iter().any(|x| &x.reference == o))
            })
            .collect();
        Share {
            plan,
            whole,
            objectives,
            indicators,
            milestones,
            risks,
        }
    }
}

/// A unit's part of a plan for a year.
#[derive(Debug, Clone)]
pub struct Share<'a> {
    pub plan: &'a PlanDocument,
    /// The unit owns the plan: everything in it is the unit's.
    pub whole: bool,
    pub objectives: Vec<&'a Objective>,
    pub indicators: Vec<&'a Indicator>,
    pub milestones: Vec<(&'a Objective, &'a Milestone)>,
    pub risks: Vec<&'a Risk>,
}

impl Share<'_> {
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.milestones.is_empty() && self.risks.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::UnitKind;

    fn unit(r: &str, parent: Option<&str>) -> Unit {
        Unit {
            reference: r.parse().unwrap(),
            name: r.into(),
            kind: UnitKind::Department,
            parent: parent.map(|p| p.parse().unwrap()),
            head: None,
        }
    }

    fn r(s: &str) -> Ref {
        s.parse().unwrap()
    }

    #[test]
    fn walks_up_and_down_the_tree() {
        let units = vec![
            unit("CED", None),
            unit("CED-CFD", Some("CED")),
            unit("CED-CFD-T1", Some("CED-CFD")),
            unit("HWB", None),
        ];
        let t = Tree::new(&units);
        let leaf = r("CED-CFD-T1");
        let line: Vec<&str> = t.line(&leaf).iter().map(|r| r.as_str()).collect();
        assert_eq!(line, ["CED-CFD-T1", "CED-CFD", "CED"]);
        assert_eq!(t.ancestors(&r("CED-CFD")), vec![&r("CED")]);
        assert!(t.within(&r("CED-CFD-T1"), &r("CED")));
        assert!(!t.within(&r("CED"), &r("CED-CFD")));
        let below: Vec<&str> = t.subtree(&r("CED")).iter().map(|r| r.as_str()).collect();
        assert_eq!(below, ["CED", "CED-CFD", "CED-CFD-T1"]);
    }

    #[test]
    fn a_cycle_in_bad_data_ends_the_walk() {
        let units = vec![unit("A", Some("B")), unit("B", Some("A"))];
        let t = Tree::new(&units);
        assert_eq!(t.line(&r("A")).len(), 2);
        assert_eq!(t.subtree(&r("A")).len(), 2);
        assert!(!t.within(&r("A"), &r("C")));
    }
}
