//! Changing a plan one item at a time (its own fields, an objective, a milestone, an indicator,
//! a risk, an equality action), as the plan pages do: the change is applied to the whole plan,
//! checked by the same checks as plan files, refused where it would change what a signed-off
//! quarter reported, made a new version (with a reason) where the plan is approved, and written
//! in one transaction with a field-level audit note of every change.

use crate::CouncilData;
use crate::access::Principal;
use crate::audit::Actor;
use crate::commit;
use crate::error::AppError;
use crate::plans::diff::diff;
use crate::ports::{ChangeSet, CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::budget::{BudgetChange, ChangeTotal};
use beacon_domain::equality::EqualityAction;
use beacon_domain::indicator::Indicator;
use beacon_domain::library;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::period::{FinancialYear, Period, Quarter};
use beacon_domain::plan::{Plan, PlanDocument, PlanStatus};
use beacon_domain::risk::Risk;

/// One item of a plan, as an edit gives it whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The plan's own fields (a new plan when the edit names none before).
    Plan(Box<Plan>),
    /// An objective's own fields; its milestones are kept.
    Objective(Box<Objective>),
    /// A milestone, under the objective named.
    Milestone {
        objective: Ref,
        milestone: Milestone,
    },
    Indicator(Box<Indicator>),
    Risk(Box<Risk>),
    Equality(Box<EqualityAction>),
    /// The plan's budget changes and the totals it states for them, all together: they are one
    /// table in the plan, edited as one.
    Budget {
        changes: Vec<BudgetChange>,
        totals: Vec<ChangeTotal>,
    },
}

impl Item {
    /// What the item is, as messages and the audit trail name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Item::Plan(_) => "plan",
            Item::Objective(_) => "objective",
            Item::Milestone { .. } => "milestone",
            Item::Indicator(_) => "indicator",
            Item::Risk(_) => "risk",
            Item::Equality(_) => "equality action",
            Item::Budget { .. } => "budget changes",
        }
    }
}

/// A change to one plan: add an item (`was` none), replace the item that had ref `was`, or
/// remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub plan: Ref,
    pub was: Option<Ref>,
    pub item: Item,
    pub remove: bool,
}

/// A problem the checks found with the plan as it would be: the item (`milestone CFS1/2`),
/// the field (as plan files and forms name it) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub item: String,
    pub field: String,
    pub message: String,
}

/// Why an edit was not made.
#[derive(Debug)]
pub enum EditError {
    /// The plan as it would be breaks a rule: every problem, nothing written.
    Refused(Vec<Finding>),
    Failed(AppError),
}

impl From<AppError> for EditError {
    fn from(e: AppError) -> Self {
        EditError::Failed(e)
    }
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Saved { version: u32 },
    Unchanged,
}

/// The checks a plan must pass, as the plan files' loader makes them: given the council before
/// and as it would be after, the problems the change brings (`interchange::check::new_findings`).
pub type Checks<'a> = &'a (dyn Fn(&CouncilData, &CouncilData) -> Vec<Finding> + Sync);

fn invalid(item: &str, field: &str, message: impl Into<String>) -> EditError {
    EditError::Refused(vec![Finding {
        item: item.into(),
        field: field.into(),
        message: message.into(),
    }])
}

/// The next free ref for a milestone of `objective` that a form left without one:
/// `<objective>/<n>`, as plan files number them.
pub fn next_milestone_ref(doc: &PlanDocument, objective: &Ref) -> Ref {
    let taken = |r: &str| doc.milestones().any(|(_, m)| m.reference.as_str() == r);
    let mut n = doc
        .objectives
        .iter()
        .find(|o| &o.reference == objective)
        .map_or(0, |o| o.milestones.len())
        + 1;
    loop {
        let r = format!("{objective}/{n}");
        if !taken(&r)
            && let Ok(r) = r.parse()
        {
            return r;
        }
        n += 1;
    }
}

/// Replaces the element with ref `was` (or adds one), or removes it.
fn put<T: Clone>(
    list: &mut Vec<T>,
    key: impl Fn(&T) -> &Ref,
    was: Option<&Ref>,
    new: Option<T>,
    what: &str,
) -> Result<(), EditError> {
    match (was, new) {
        (None, Some(n)) => list.push(n),
        (Some(w), new) => {
            let i = list.iter().position(|x| key(x) == w).ok_or_else(|| {
                invalid(
                    &format!("{what} {w}"),
                    "ref",
                    format!("there is no {what} {w} in the plan"),
                )
            })?;
            match new {
                Some(n) => list[i] = n,
                None => {
                    list.remove(i);
                }
            }
        }
        (None, None) => {}
    }
    Ok(())
}

fn put_milestone(
    doc: &mut PlanDocument,
    was: Option<&Ref>,
    objective: &Ref,
    new: Option<Milestone>,
) -> Result<(), EditError> {
    let mut position = None;
    if let Some(w) = was {
        let mut found = false;
        for o in &mut doc.objectives {
            if let Some(i) = o.milestones.iter().position(|m| &m.reference == w) {
                o.milestones.remove(i);
                if &o.reference == objective {
                    position = Some(i);
                }
                found = true;
            }
        }
        if !found {
            return Err(invalid(
                &format!("milestone {w}"),
                "ref",
                format!("there is no milestone {w} in the plan"),
            ));
        }
    }
    let Some(m) = new else { return Ok(()) };
    let o = doc
        .objectives
        .iter_mut()
        .find(|o| &o.reference == objective)
        .ok_or_else(|| {
            invalid(
                &format!("milestone {}", m.reference),
                "objective",
                format!("there is no objective {objective} in the plan"),
            )
        })?;
    match position {
        Some(i) => o.milestones.insert(i, m),
        None => o.milestones.push(m),
    }
    Ok(())
}

/// The item to put in, unless the edit removes it.
fn keep<T>(remove: bool, x: T) -> Option<T> {
    (!remove).then_some(x)
}

/// The plan as it would be after the edit. Pure.
pub fn apply(data: &CouncilData, edit: &Edit) -> Result<PlanDocument, EditError> {
    let stored = data.plan(edit.plan.as_str());
    if let Item::Plan(p) = &edit.item
        && edit.was.is_none()
    {
        if stored.is_some() || data.plan(p.reference.as_str()).is_some() {
            return Err(invalid(
                &format!("plan {}", p.reference),
                "ref",
                format!(
                    "there is already a plan {}: each plan's ref is unique in the council",
                    p.reference
                ),
            ));
        }
        return Ok(PlanDocument {
            plan: (**p).clone(),
            objectives: Vec::new(),
            indicators: Vec::new(),
            risks: Vec::new(),
            equality_actions: Vec::new(),
            budget_changes: Vec::new(),
            budget_totals: Vec::new(),
        });
    }
    let mut doc = stored
        .ok_or_else(|| {
            EditError::Failed(AppError::NotFound(format!(
                "no plan {} in council {}",
                edit.plan, data.council.reference
            )))
        })?
        .clone();
    let was = edit.was.as_ref();
    let remove = edit.remove;
    match &edit.item {
        Item::Plan(p) => {
            if p.reference != doc.plan.reference {
                return Err(invalid(
                    &format!("plan {}", doc.plan.reference),
                    "ref",
                    "a plan's ref cannot change: refresh it as a new plan instead",
                ));
            }
            if edit.remove {
                return Err(invalid(
                    &format!("plan {}", doc.plan.reference),
                    "ref",
                    "a plan is not removed from its pages",
                ));
            }
            doc.plan = (**p).clone();
        }
        Item::Objective(o) => {
            let mut o = (**o).clone();
            if let Some(old) = was.and_then(|w| doc.objectives.iter().find(|x| &x.reference == w)) {
                o.milestones = old.milestones.clone();
            }
            put(
                &mut doc.objectives,
                |x| &x.reference,
                was,
                keep(remove, o),
                "objective",
            )?;
        }
        Item::Milestone {
            objective,
            milestone,
        } => {
            put_milestone(&mut doc, was, objective, keep(remove, milestone.clone()))?;
        }
        Item::Indicator(i) => {
            // One that refers to the library takes the library's definition.
            let mut i = (**i).clone();
            if let Some(d) = i
                .library
                .as_ref()
                .and_then(|r| library::find(&data.library, r))
            {
                d.apply_to(&mut i);
            }
            put(
                &mut doc.indicators,
                |x| &x.reference,
                was,
                keep(remove, i),
                "indicator",
            )?
        }
        Item::Risk(r) => put(
            &mut doc.risks,
            |x| &x.reference,
            was,
            keep(remove, (**r).clone()),
            "risk",
        )?,
        Item::Equality(e) => put(
            &mut doc.equality_actions,
            |x| &x.reference,
            was,
            keep(remove, (**e).clone()),
            "equality action",
        )?,
        Item::Budget { changes, totals } => {
            doc.budget_changes = if remove { Vec::new() } else { changes.clone() };
            doc.budget_totals = if remove { Vec::new() } else { totals.clone() };
        }
    }
    Ok(doc)
}

/// The financial years whose reported figures a change between two versions of a plan could
/// alter: a target's or profile's own year, a milestone's year, else every year of the plan.
fn years_touched(old: &PlanDocument, new: &PlanDocument) -> Vec<FinancialYear> {
    let d = diff(old, new);
    let mut years: Vec<FinancialYear> = Vec::new();
    let all: Vec<FinancialYear> = old
        .plan
        .years
        .years()
        .chain(new.plan.years.years())
        .collect();
    for item in &d.items {
        // A plan's version and status say nothing a quarter reported.
        let own = |f: &str| item.kind == "plan" && matches!(f, "version" | "status");
        for f in item.fields.iter().filter(|f| !own(&f.field)) {
            let year = f
                .field
                .strip_prefix("targets.")
                .or_else(|| f.field.strip_prefix("profile."))
                .and_then(|p| p.parse::<Period>().ok())
                .and_then(Period::financial_year)
                .or_else(|| {
                    (item.kind == "milestone" && f.field != "year")
                        .then(|| {
                            old.milestones()
                                .chain(new.milestones())
                                .find(|(_, m)| m.reference.as_str() == item.reference)
                                .map(|(_, m)| m.year)
                        })
                        .flatten()
                });
            match year {
                Some(y) => years.push(y),
                None => years.extend(all.iter().copied()),
            }
        }
    }
    years.sort();
    years.dedup();
    years
}

/// The units' quarters of the plan that the change could alter what they reported.
pub(crate) fn quarters_touched(
    data: &CouncilData,
    old: &PlanDocument,
    new: &PlanDocument,
) -> Vec<(Ref, Quarter)> {
    let years = years_touched(old, new);
    data.quarters
        .iter()
        .filter(|q| q.header.plan == old.plan.reference && years.contains(&q.header.period.year))
        .map(|q| (q.header.unit.clone(), q.header.period))
        .collect()
}

/// Makes an edit: checks who may, applies it, checks the plan as it would be, makes a new
/// version of an approved plan (which needs a reason), refuses what would change a signed-off
/// quarter's figures, and writes it with its audit notes in one transaction.
pub async fn save<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    edit: &Edit,
    by: &Actor,
    checks: Checks<'_>,
) -> Result<Outcome, EditError> {
    let mut doc = apply(data, edit)?;
    who.must_manage(data, Some(&doc.plan.unit), "change its plans")?;
    let old = data.plan(doc.plan.reference.as_str());
    if old == Some(&doc) {
        return Ok(Outcome::Unchanged);
    }
    if let Some(old) = old
        && old.plan.status == PlanStatus::Approved
    {
        if by.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(invalid(
                &format!("plan {}", old.plan.reference),
                "reason",
                format!(
                    "{} is approved, so a change makes version {}: say why it changes",
                    old.plan.reference,
                    old.plan.version + 1
                ),
            ));
        }
        doc.plan.version = old.plan.version + 1;
    }
    let mut after = data.clone();
    match after
        .plans
        .iter_mut()
        .find(|p| p.plan.reference == doc.plan.reference)
    {
        Some(p) => *p = doc.clone(),
        None => after.plans.push(doc.clone()),
    }
    let findings = checks(data, &after);
    if !findings.is_empty() {
        return Err(EditError::Refused(findings));
    }
    let touched = old
        .map(|o| quarters_touched(data, o, &doc))
        .unwrap_or_default();
    let version = doc.plan.version;
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.plans.push(doc);
    let mut set = ChangeSet::default();
    commit::stage_touching(&mut set, Some(data), changes, by, &touched);
    store.apply(&set).await.map_err(AppError::from)?;
    Ok(Outcome::Saved { version })
}

/// One event in a plan's life, from its audit trail: made, approved, or changed into a new
/// version (with the reason given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: u32,
    pub event: &'static str,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub reason: Option<String>,
}

/// The plan's versions and who approved each, from the audit rows about the plan (oldest
/// first), as the plan page lists them.
pub fn versions(entries: &[crate::audit::AuditEntry]) -> Vec<Version> {
    let mut out: Vec<Version> = Vec::new();
    let mut current = 1;
    for e in entries {
        let n = &e.note;
        let event = match (n.field.as_str(), n.new.as_deref()) {
            ("", _) => "made",
            ("plan.version", Some(v)) => {
                current = v.parse().unwrap_or(current);
                "changed"
            }
            ("plan.status", Some("approved")) => "approved",
            ("plan.status", Some("draft")) => "returned to draft",
            _ => continue,
        };
        out.push(Version {
            version: current,
            event,
            by: n.actor.clone(),
            at: n.at,
            reason: n.reason.clone(),
        });
    }
    out
}
