//! Reading a council's statuses set by hand.

use super::rows;
use crate::columns::Cols;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::status::overrides::Override;

/// Every override of the council.
pub(super) async fn overrides(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<Override>, StoreError> {
    let rows = rows(
        conn,
        "status_overrides",
        "SELECT plan, kind, item, quarter, computed, chosen, reason, chosen_by, chosen_at
         FROM status_overrides WHERE council_id = $1 ORDER BY plan, kind, item, quarter",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("status_overrides", r);
            Ok(Override {
                plan: c.parse("plan")?,
                kind: c.parse("kind")?,
                item: c.parse("item")?,
                quarter: c.parse("quarter")?,
                computed: c.parse("computed")?,
                chosen: c.parse("chosen")?,
                reason: c.get("reason")?,
                by: c.get("chosen_by")?,
                at: c.parse("chosen_at")?,
            })
        })
        .collect()
}
