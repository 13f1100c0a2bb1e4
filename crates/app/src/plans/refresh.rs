//! Refreshing a plan for the next year: the years roll on by one, milestones of the year that
//! drops out are carried (marked so) unless the plan's quarters record them complete,
//! indicators keep their definitions and values, targets stay with their years, and the new
//! plan starts as a draft that refreshes the old one, for the officer to review and approve.

use crate::CouncilData;
use crate::access::{Action, Principal};
use crate::audit::Actor;
use crate::commit;
use crate::error::AppError;
use crate::ports::{CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::objective::Milestone;
use beacon_domain::period::{FinancialYear, Period, YearSpan};
use beacon_domain::plan::{PlanDocument, PlanStatus};
use serde::Serialize;

/// What a refresh did, item by item, for the officer to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refreshed {
    pub from: Ref,
    pub to: Ref,
    pub years: YearSpan,
    /// Milestones of the year that dropped out, not complete, carried into the new first year.
    pub carried: Vec<Ref>,
    /// Milestones of that year recorded complete, left behind.
    pub completed: Vec<Ref>,
    /// Indicators with no target for the new last year: the officer sets one.
    pub targets_to_set: Vec<Ref>,
}

/// Whether the plan's quarters record the milestone complete.
fn completed(data: &CouncilData, plan: &Ref, milestone: &Ref) -> bool {
    data.quarters
        .iter()
        .filter(|q| &q.header.plan == plan)
        .flat_map(|q| &q.progress)
        .any(|p| &p.milestone == milestone && p.completed.is_some())
}

fn next_span(years: YearSpan) -> Result<YearSpan, AppError> {
    let (Some(first), Some(last)) = (years.first().next(), years.last().next()) else {
        return Err(AppError::Invalid(format!(
            "the plan's years ({years}) cannot roll on a year"
        )));
    };
    YearSpan::new(first, last).map_err(|e| AppError::Invalid(e.to_string()))
}

/// Keeps the entries of years the new plan covers (a period outside any financial year, such
/// as an academic year, is kept as it is).
fn within<V: Clone>(
    map: &std::collections::BTreeMap<Period, V>,
    years: YearSpan,
) -> std::collections::BTreeMap<Period, V> {
    map.iter()
        .filter(|(p, _)| p.financial_year().is_none_or(|y| years.contains(y)))
        .map(|(p, v)| (*p, v.clone()))
        .collect()
}

/// The milestones an objective keeps: those of the new years as they are, those of the year
/// that dropped out carried into the new first year unless complete.
fn roll_milestones(
    data: &CouncilData,
    plan: &Ref,
    milestones: &[Milestone],
    years: YearSpan,
    report: &mut Refreshed,
) -> Vec<Milestone> {
    let mut kept = Vec::new();
    for m in milestones {
        if years.contains(m.year) {
            kept.push(m.clone());
        } else if m.year < years.first() {
            if completed(data, plan, &m.reference) {
                report.completed.push(m.reference.clone());
            } else {
                report.carried.push(m.reference.clone());
                kept.push(Milestone {
                    year: years.first(),
                    carried_from: Some(m.carried_from.unwrap_or(m.year)),
                    ..m.clone()
                });
            }
        }
    }
    kept
}

/// The next year's plan made from `plan`, with what was done to it. Pure.
pub fn refreshed(
    data: &CouncilData,
    plan: &PlanDocument,
    new_ref: Ref,
    title: Option<String>,
) -> Result<(PlanDocument, Refreshed), AppError> {
    if data.plan(new_ref.as_str()).is_some() {
        return Err(AppError::Invalid(format!(
            "there is already a plan {new_ref}: choose another ref for the refreshed plan"
        )));
    }
    let years = next_span(plan.plan.years)?;
    let old = &plan.plan.reference;
    let mut report = Refreshed {
        from: old.clone(),
        to: new_ref.clone(),
        years,
        carried: Vec::new(),
        completed: Vec::new(),
        targets_to_set: Vec::new(),
    };
    let mut doc = plan.clone();
    doc.plan.reference = new_ref;
    doc.plan.title = title.unwrap_or_else(|| plan.plan.title.clone());
    doc.plan.years = years;
    doc.plan.status = PlanStatus::Draft;
    doc.plan.version = 1;
    doc.plan.refreshes = Some(old.clone());
    for o in &mut doc.objectives {
        o.milestones = roll_milestones(data, old, &o.milestones, years, &mut report);
    }
    let last = Period::FinancialYear(years.last());
    for i in &mut doc.indicators {
        i.targets = within(&i.targets, years);
        i.profile = within(&i.profile, years);
        if !i.targets.is_empty() && !i.targets.contains_key(&last) {
            report.targets_to_set.push(i.reference.clone());
        }
    }
    for e in &mut doc.equality_actions {
        let dropped = e.years.iter().any(|y| *y < years.first());
        e.years.retain(|y| years.contains(*y));
        if dropped && e.years.is_empty() {
            e.years.push(years.first());
        }
    }
    doc.budget_changes.retain(|c| years.contains(c.year));
    Ok((doc, report))
}

/// What a person asks for: refresh `plan` as `new_ref`, with a new title or the old one.
#[derive(Debug, Clone)]
pub struct RefreshRequest {
    pub plan: Ref,
    pub new_ref: Ref,
    pub title: Option<String>,
}

/// Refreshes a plan of the council and writes the new draft, with its audit notes, in one
/// transaction: for a performance officer or administrator of the council.
pub async fn refresh<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    req: RefreshRequest,
    by: &Actor,
) -> Result<Refreshed, AppError> {
    let council = &data.council.reference;
    if !who.may(council, Action::Manage) {
        return Err(AppError::Forbidden(format!(
            "only a performance officer or administrator of {council} may refresh its plans"
        )));
    }
    let RefreshRequest {
        plan,
        new_ref,
        title,
    } = req;
    if let Some(t) = &title {
        if t.trim().is_empty() {
            return Err(AppError::Invalid(
                "the refreshed plan's title is empty: give a title, or none to keep the old one"
                    .into(),
            ));
        }
        if let Some(c) = beacon_domain::text::control_character(t) {
            return Err(AppError::Invalid(beacon_domain::text::refusal(
                c,
                "The title",
            )));
        }
    }
    let old = data.plan(plan.as_str()).ok_or_else(|| {
        AppError::NotFound(format!(
            "no plan {plan} in council {}",
            data.council.reference
        ))
    })?;
    let (doc, report) = refreshed(data, old, new_ref, title.map(|t| t.trim().to_string()))?;
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.plans.push(doc);
    commit::write(store, Some(data), changes, by, None).await?;
    Ok(report)
}

/// The year a refresh of a plan covering `years` would start, as the button names it.
pub fn next_first_year(years: YearSpan) -> Option<FinancialYear> {
    years.first().next()
}
