//! Writing a council's changes: every use case that changes data goes through here, so each
//! change carries its audit notes and the guards that keep signed-off quarters locked and
//! concurrent edits from overwriting each other.
//!
//! One rule for units' quarters (docs/governance.md): a write to a unit's quarter is guarded
//! by that quarter and by the same quarter of every unit above it, so signing off or
//! publishing a directorate locks its departments' entry, upload, set-status and import too.

use crate::CouncilData;
use crate::audit::{Actor, change_notes};
use crate::error::AppError;
use crate::ports::{ChangeSet, CouncilChanges, QuarterGuard, Store};
use beacon_domain::Ref;
use beacon_domain::council::Tree;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::overrides::{ItemKind, Override};

/// The unit whose item a status set by hand is about: the indicator's or the objective's
/// unit, when the plan assigns one.
fn item_unit<'a>(plan: &'a PlanDocument, o: &Override) -> Option<&'a Ref> {
    match o.kind {
        ItemKind::Indicator => plan
            .indicator(o.item.as_str())
            .and_then(|i| i.unit.as_ref()),
        ItemKind::Milestone => plan
            .milestones()
            .find(|(_, m)| m.reference == o.item)
            .and_then(|(ob, _)| ob.unit.as_ref()),
    }
}

/// The units' quarters that `changes` write to: quarter records, budget statements written or
/// removed, and statuses set by hand (through their plan's unit and the item's own unit).
pub fn touched_quarters(
    stored: Option<&CouncilData>,
    changes: &CouncilChanges,
) -> Vec<(Ref, Quarter)> {
    let mut out: Vec<(Ref, Quarter)> = Vec::new();
    let mut add = |u: &Ref, q: Quarter| {
        if !out.iter().any(|(x, y)| x == u && *y == q) {
            out.push((u.clone(), q));
        }
    };
    for q in &changes.quarters {
        add(&q.header.unit, q.header.period);
    }
    for s in changes.statements.iter().chain(&changes.removed_statements) {
        add(&s.unit, s.period);
    }
    for o in &changes.overrides {
        let plan = changes
            .plans
            .iter()
            .chain(stored.map(|s| s.plans.as_slice()).unwrap_or_default())
            .find(|p| p.plan.reference == o.plan);
        if let Some(p) = plan {
            add(&p.plan.unit, o.quarter);
            if let Some(u) = item_unit(p, o) {
                add(u, o.quarter);
            }
        }
    }
    out
}

/// The guards for writing to `quarters`: each quarter, then the same quarter of every unit
/// above each of them. `read` is the unit's quarter the writer read and its version then; the
/// others are checked for their lock only.
pub fn guards(
    stored: Option<&CouncilData>,
    changes: &CouncilChanges,
    quarters: &[(Ref, Quarter)],
    read: Option<(&Ref, Quarter, i64)>,
    by: &Actor,
) -> Vec<QuarterGuard> {
    let units = if changes.units.is_empty() {
        stored.map(|s| s.units.as_slice()).unwrap_or_default()
    } else {
        changes.units.as_slice()
    };
    let tree = Tree::new(units);
    let mut list: Vec<(Ref, Quarter)> = Vec::new();
    for (u, q) in read
        .map(|(u, q, _)| (u, q))
        .into_iter()
        .chain(quarters.iter().map(|(u, q)| (u, *q)))
    {
        for at in tree.line(u) {
            if !list.iter().any(|(x, y)| x == at && *y == q) {
                list.push((at.clone(), q));
            }
        }
    }
    list.into_iter()
        .map(|(unit, quarter)| QuarterGuard {
            council: changes.council.reference.clone(),
            expected: read.and_then(|(u, q, v)| (u == &unit && q == quarter).then_some(v)),
            unit,
            quarter,
            by: by.name.clone(),
            at: by.at,
        })
        .collect()
}

/// Adds one council's changes to a change set, with their audit notes and guards.
/// `expected` is the version of the quarter the writer read, when it read one; it is checked
/// against every quarter the changes write to.
pub fn stage(
    set: &mut ChangeSet,
    stored: Option<&CouncilData>,
    changes: CouncilChanges,
    by: &Actor,
    expected: Option<i64>,
) {
    let touched = touched_quarters(stored, &changes);
    let mut gs = guards(stored, &changes, &touched, None, by);
    if expected.is_some() {
        for g in gs
            .iter_mut()
            .filter(|g| touched.iter().any(|(u, q)| u == &g.unit && *q == g.quarter))
        {
            g.expected = expected;
        }
    }
    set.audit.extend(change_notes(stored, &changes, by));
    set.guards.extend(gs);
    set.councils.push(changes);
}

/// Adds one council's changes that could alter what the units' `quarters` reported (a plan's
/// targets or definitions): each is checked for its lock, as a quarter written is.
pub fn stage_touching(
    set: &mut ChangeSet,
    stored: Option<&CouncilData>,
    changes: CouncilChanges,
    by: &Actor,
    quarters: &[(Ref, Quarter)],
) {
    let mut touched = touched_quarters(stored, &changes);
    for (u, q) in quarters {
        if !touched.iter().any(|(x, y)| x == u && y == q) {
            touched.push((u.clone(), *q));
        }
    }
    set.guards
        .extend(guards(stored, &changes, &touched, None, by));
    set.audit.extend(change_notes(stored, &changes, by));
    set.councils.push(changes);
}

/// Adds changes made through one unit's quarter that the writer read at version `expected`:
/// that quarter's version is checked; every quarter written and every one above them is
/// checked for its lock.
pub fn stage_read(
    set: &mut ChangeSet,
    stored: Option<&CouncilData>,
    changes: CouncilChanges,
    by: &Actor,
    read: (&Ref, Quarter, i64),
) {
    let touched = touched_quarters(stored, &changes);
    set.guards
        .extend(guards(stored, &changes, &touched, Some(read), by));
    set.audit.extend(change_notes(stored, &changes, by));
    set.councils.push(changes);
}

/// Writes one council's changes in one transaction.
pub async fn write<S: Store>(
    store: &S,
    stored: Option<&CouncilData>,
    changes: CouncilChanges,
    by: &Actor,
    expected: Option<i64>,
) -> Result<(), AppError> {
    let mut set = ChangeSet::default();
    stage(&mut set, stored, changes, by, expected);
    store.apply(&set).await?;
    Ok(())
}
