//! Saving statuses set by hand: one per item per quarter, replaced when set again.

use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::status::overrides::{Override, time_text};

/// Inserts the override, or replaces the one stored for the same item and quarter.
pub(super) async fn upsert(
    conn: &mut Db<'_>,
    council_id: i64,
    o: &Override,
) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO status_overrides
            (council_id, plan, kind, item, quarter, computed, chosen, reason, chosen_by, chosen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (council_id, plan, kind, item, quarter) DO UPDATE SET
            computed = excluded.computed, chosen = excluded.chosen, reason = excluded.reason,
            chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at",
    )
    .bind(council_id)
    .bind(o.plan.as_str())
    .bind(o.kind.as_str())
    .bind(o.item.as_str())
    .bind(o.quarter.to_string())
    .bind(o.computed.as_str())
    .bind(o.chosen.as_str())
    .bind(&o.reason)
    .bind(&o.by)
    .bind(time_text(o.at))
    .execute(&mut *conn)
    .await
    .map_err(db("insert into status_overrides"))?;
    Ok(())
}
