//! Applying a change set: councils, units, officers and frames are upserted by ref; plans,
//! quarters and statements replace the stored one with the same key, children and all.
//! The caller runs it in one transaction.

mod indicator;
mod objective;
mod organisation;
mod overrides;
mod plan;
mod quarter;
mod risk;
mod statement;

use beacon_app::{ChangeSet, StoreError};
use sqlx::SqliteConnection;

/// Writes every change of the set through `conn`.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    changes: &ChangeSet,
) -> Result<(), StoreError> {
    for g in &changes.guards {
        crate::governance::guard(conn, g).await?;
    }
    for c in &changes.councils {
        let council_id = organisation::council(conn, &c.council).await?;
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
    crate::governance::audit::append(conn, &changes.audit).await
}
