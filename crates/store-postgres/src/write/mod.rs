//! Applying a change set: councils, units, officers and frames are upserted by ref; plans,
//! quarters and statements replace the stored one with the same key, children and all.
//! The caller runs it in one transaction.
//!
//! Writers to one council take turns: the council's row is upserted first, which locks it until
//! the transaction ends, so a second writer to the same council waits instead of failing on a
//! half-replaced plan. Councils are locked in ref order, so two change sets that touch the same
//! councils cannot deadlock. Writers to different councils do not wait for each other.

mod indicator;
mod objective;
mod organisation;
mod overrides;
mod plan;
mod quarter;
mod risk;
mod statement;

use beacon_app::{ChangeSet, StoreError};
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// Writes every change of the set through `conn`.
pub(crate) async fn apply(conn: &mut PgConnection, changes: &ChangeSet) -> Result<(), StoreError> {
    // Lock (upsert) every council first, in ref order.
    let mut ids = BTreeMap::new();
    let mut by_ref: Vec<_> = changes.councils.iter().collect();
    by_ref.sort_by(|a, b| a.council.reference.cmp(&b.council.reference));
    for c in by_ref {
        let id = organisation::council(conn, &c.council).await?;
        ids.insert(c.council.reference.clone(), id);
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
        for f in &c.frames {
            organisation::frame(conn, council_id, f).await?;
        }
        for p in &c.plans {
            plan::replace(conn, council_id, p).await?;
        }
        for q in &c.quarters {
            quarter::replace(conn, council_id, q).await?;
        }
        for s in &c.statements {
            statement::replace(conn, council_id, s).await?;
        }
        for o in &c.overrides {
            overrides::upsert(conn, council_id, o).await?;
        }
    }
    Ok(())
}
