//! What serves a priority: the objectives, milestones and indicators of every plan that link
//! to a strategic frame entry (a corporate priority, an area of focus, a theme) or to an entry
//! under it, each with its status in the latest quarter its plan has recorded.

use crate::CouncilData;
use crate::status::{IndicatorStatus, MilestoneStatus, StatusQuery, status_report};
use beacon_domain::Ref;
use beacon_domain::frame::Frame;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;

/// An objective that serves the frame, in its plan.
#[derive(Debug, Clone)]
pub struct ServingObjective {
    pub plan: Ref,
    pub objective: Ref,
    pub statement: String,
    /// The frame refs it links to that are this frame or under it.
    pub through: Vec<Ref>,
}

/// A milestone that serves the frame, with its status when its plan has a quarter.
#[derive(Debug, Clone)]
pub struct ServingMilestone {
    pub plan: Ref,
    pub objective: Ref,
    pub reference: Ref,
    pub text: String,
    pub status: Option<MilestoneStatus>,
}

/// An indicator that serves the frame, with its status when its plan has a quarter.
#[derive(Debug, Clone)]
pub struct ServingIndicator {
    pub plan: Ref,
    pub reference: Ref,
    pub codes: String,
    pub description: String,
    pub status: Option<IndicatorStatus>,
}

/// Everything that serves one frame entry, across plans.
#[derive(Debug, Clone)]
pub struct Serving {
    pub frame: Frame,
    /// The entry it sits under, if any.
    pub parent: Option<Frame>,
    /// The entries under it (a priority's areas of focus).
    pub children: Vec<Frame>,
    /// Each plan with items here, and the quarter its statuses are from.
    pub quarters: Vec<(Ref, Option<Quarter>)>,
    pub objectives: Vec<ServingObjective>,
    pub milestones: Vec<ServingMilestone>,
    pub indicators: Vec<ServingIndicator>,
}

/// The frame and every entry under it, at any depth (stops at a cycle).
fn family(data: &CouncilData, frame: &Ref) -> Vec<Ref> {
    let mut out = vec![frame.clone()];
    let mut i = 0;
    while i < out.len() {
        let here = out[i].clone();
        for f in data
            .frames
            .iter()
            .filter(|f| f.parent.as_ref() == Some(&here))
        {
            if !out.contains(&f.reference) {
                out.push(f.reference.clone());
            }
        }
        i += 1;
    }
    out
}

/// The latest quarter recorded for a plan.
pub fn plan_quarter(data: &CouncilData, plan: &PlanDocument) -> Option<Quarter> {
    data.quarters
        .iter()
        .filter(|q| q.header.plan == plan.plan.reference)
        .map(|q| q.header.period)
        .max()
}

/// What serves frame entry `frame`, or none when the council has no such entry. Pure.
pub fn serving(data: &CouncilData, frame: &str) -> Option<Serving> {
    let f = data.frames.iter().find(|f| f.reference.as_str() == frame)?;
    let fam = family(data, &f.reference);
    let here =
        |refs: &[Ref]| -> Vec<Ref> { refs.iter().filter(|r| fam.contains(r)).cloned().collect() };
    let mut s = Serving {
        frame: f.clone(),
        parent: f
            .parent
            .as_ref()
            .and_then(|p| data.frames.iter().find(|x| &x.reference == p).cloned()),
        children: data
            .frames
            .iter()
            .filter(|x| x.parent.as_ref() == Some(&f.reference))
            .cloned()
            .collect(),
        quarters: Vec::new(),
        objectives: Vec::new(),
        milestones: Vec::new(),
        indicators: Vec::new(),
    };
    for plan in &data.plans {
        let before = (s.objectives.len(), s.milestones.len(), s.indicators.len());
        let quarter = plan_quarter(data, plan);
        let report = quarter.map(|q| {
            status_report(
                data,
                &StatusQuery {
                    quarter: q,
                    plan: Some(plan.plan.reference.clone()),
                    unit: None,
                },
            )
        });
        let pr = &plan.plan.reference;
        let mut measured: Vec<&Ref> = Vec::new();
        for o in &plan.objectives {
            let through = here(&o.links);
            let serves = !through.is_empty();
            if serves {
                measured.extend(&o.indicators);
                s.objectives.push(ServingObjective {
                    plan: pr.clone(),
                    objective: o.reference.clone(),
                    statement: o.statement.clone(),
                    through,
                });
            }
            for m in &o.milestones {
                if serves || m.priority.as_ref().is_some_and(|p| fam.contains(p)) {
                    s.milestones.push(ServingMilestone {
                        plan: pr.clone(),
                        objective: o.reference.clone(),
                        reference: m.reference.clone(),
                        text: m.text.clone(),
                        status: report.as_ref().and_then(|r| {
                            r.milestones
                                .iter()
                                .find(|x| x.reference == m.reference)
                                .cloned()
                        }),
                    });
                }
            }
        }
        for i in &plan.indicators {
            let linked = i
                .links
                .iter()
                .chain(i.priority.iter())
                .any(|l| fam.contains(l));
            let by_objective = measured.iter().any(|r| i.answers_to(r.as_str()));
            if linked || by_objective {
                s.indicators.push(ServingIndicator {
                    plan: pr.clone(),
                    reference: i.reference.clone(),
                    codes: i.all_codes(),
                    description: i.description.clone(),
                    status: report.as_ref().and_then(|r| {
                        r.indicators
                            .iter()
                            .find(|x| x.reference == i.reference)
                            .cloned()
                    }),
                });
            }
        }
        if before != (s.objectives.len(), s.milestones.len(), s.indicators.len()) {
            s.quarters.push((pr.clone(), quarter));
        }
    }
    Some(s)
}
