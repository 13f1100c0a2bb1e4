//! Applying a change set: councils, units, officers and frames are upserted by ref; plans,
//! quarters and statements replace the stored one with the same key, children and all; a
//! statement removed is deleted with its groups and lines, a library definition removed by its
//! ref.
//! The caller runs it in one transaction.
//!
//! Writers to one council take turns: the council's row is upserted first, which locks it until
//! the transaction ends, so a second writer to the same council waits instead of failing on a
//! half-replaced plan. Councils are locked in ref order, so two change sets that touch the same
//! councils cannot deadlock. Writers to different councils do not wait for each other.
//!
//! The set's quarter guards are checked once its councils are locked (a council only guarded
//! is locked in its turn too), before any of its data is written; its audit notes are appended
//! last, after the audit head is locked. A refused guard rolls the whole set back.

mod indicator;
mod objective;
mod organisation;
mod overrides;
mod plan;
mod quarter;
mod risk;
mod statement;

use crate::exec::Db;
use crate::governance;
use beacon_app::{ChangeSet, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use std::collections::{BTreeMap, BTreeSet};

/// The ids of `count` rows inserted with `RETURNING id, position`, in position order; refused
/// if any position did not come back.
fn ids_by_position(
    returned: Vec<crate::exec::Row>,
    count: usize,
    doing: &'static str,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = vec![None; count];
    for r in returned {
        let id: i64 = r.try_get("id").map_err(crate::error::db(doing))?;
        let position: i32 = r.try_get("position").map_err(crate::error::db(doing))?;
        if let Some(slot) = usize::try_from(position).ok().and_then(|p| ids.get_mut(p)) {
            *slot = Some(id);
        }
    }
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            id.ok_or_else(|| StoreError::Failed(format!("{doing}: no id came back for row {i}")))
        })
        .collect()
}

/// Writes every change of the set through `conn`.
pub(crate) async fn apply(conn: &mut Db<'_>, changes: &ChangeSet) -> Result<(), StoreError> {
    // Lock every council first, in ref order: one with changes by upserting it, one that is
    // only guarded by moving its revision on.
    let mut ids = BTreeMap::new();
    let mut by_ref: Vec<(&CouncilRef, Option<&Council>)> = changes
        .councils
        .iter()
        .map(|c| (&c.council.reference, Some(&c.council)))
        .chain(changes.guards.iter().map(|g| (&g.council, None)))
        .collect();
    // Stable, so a council with changes comes before a guard of it and is upserted, not bumped.
    by_ref.sort_by(|a, b| a.0.cmp(b.0));
    let mut locked = BTreeSet::new();
    for (reference, council) in by_ref {
        match council {
            Some(c) => {
                let id = organisation::council(conn, c).await?;
                ids.insert(reference.clone(), id);
            }
            None if !locked.contains(reference) => {
                governance::lock_council(conn, reference).await?;
            }
            None => {}
        }
        locked.insert(reference);
    }
    for g in &changes.guards {
        governance::guard(conn, g).await?;
    }
    for c in &changes.councils {
        let Some(&council_id) = ids.get(&c.council.reference) else {
            return Err(StoreError::Failed(format!(
                "council {} was not written",
                c.council.reference
            )));
        };
        for u in &c.units {
            organisation::unit(conn, council_id, u).await?;
        }
        for o in &c.officers {
            organisation::officer(conn, council_id, o).await?;
        }
        organisation::frames(conn, council_id, &c.frames).await?;
        for d in &c.library {
            organisation::library_indicator(conn, council_id, d).await?;
        }
        for d in &c.removed_library {
            organisation::remove_library_indicator(conn, council_id, d).await?;
        }
        for p in &c.plans {
            plan::replace(conn, council_id, p).await?;
        }
        for p in &c.kept_versions {
            plan::keep_version(conn, council_id, p).await?;
        }
        for q in &c.quarters {
            quarter::replace(conn, council_id, q).await?;
        }
        for s in &c.removed_statements {
            statement::remove(conn, council_id, s).await?;
        }
        for s in &c.statements {
            statement::replace(conn, council_id, s).await?;
        }
        for o in &c.overrides {
            overrides::upsert(conn, council_id, o).await?;
        }
    }
    governance::audit::append(conn, &changes.audit).await
}
