//! Writing a council's changes: every use case that changes data goes through here, so each
//! change carries its audit notes and the guards that keep signed-off quarters locked and
//! concurrent edits from overwriting each other.

use crate::CouncilData;
use crate::audit::{Actor, change_notes};
use crate::error::AppError;
use crate::ports::{ChangeSet, CouncilChanges, QuarterGuard, Store};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;

/// The units' quarters that `changes` write to: quarter records, budget statements and
/// statuses set by hand (through their plan's unit).
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
    for s in &changes.statements {
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
        }
    }
    out
}

/// Adds one council's changes to a change set, with their audit notes and guards.
/// `expected` is the version of the quarter the writer read, when it read one.
pub fn stage(
    set: &mut ChangeSet,
    stored: Option<&CouncilData>,
    changes: CouncilChanges,
    by: &Actor,
    expected: Option<i64>,
) {
    set.audit.extend(change_notes(stored, &changes, by));
    for (unit, quarter) in touched_quarters(stored, &changes) {
        set.guards.push(QuarterGuard {
            council: changes.council.reference.clone(),
            unit,
            quarter,
            expected,
            by: by.name.clone(),
            at: by.at,
        });
    }
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
