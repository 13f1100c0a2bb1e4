//! Reading councils back: the list of councils, and one council's whole data with a fixed
//! number of queries (each table is read once per council, by its `council_id`, and its rows
//! grouped by parent), sent to the database as one script.

mod indicator;
mod objective;
mod organisation;
mod overrides;
mod plan;
mod quarter;
mod risk;
mod statement;

use crate::columns::Cols;
use crate::error::db;
use crate::exec::{Db, Prefetch, Row};
use beacon_app::{CouncilData, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use std::collections::HashMap;

/// Every council, by ref (byte order, as SQLite sorts, whatever the database's collation).
pub(crate) async fn councils(conn: &mut Db<'_>) -> Result<Vec<Council>, StoreError> {
    let rows = conn.sql(
        "SELECT id, ref, name, tolerance_percent, colour, risk_matrix, projection, exceptions FROM councils ORDER BY ref COLLATE \"C\"",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db("select from councils"))?;
    rows.iter()
        .map(|r| organisation::council(&Cols::new("councils", r)))
        .collect()
}

/// One council's whole data, normalised; `None` if no council has that ref.
pub(crate) async fn council_data(
    conn: &mut Db<'_>,
    reference: &CouncilRef,
) -> Result<Option<CouncilData>, StoreError> {
    let row = conn
        .sql("SELECT id, ref, name, tolerance_percent, colour, risk_matrix, projection, exceptions FROM councils WHERE ref = $1")
        .bind(reference.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from councils"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let cols = Cols::new("councils", &row);
    let id = cols.id("id")?;
    let mut data = CouncilData::new(organisation::council(&cols)?);
    // The reads run once against nothing to learn their statements, which then go to the
    // database as one script; the reads proper take their rows from its answers. A read whose
    // statement was not gathered runs as before. On PostgreSQL that is one round trip for
    // thirty-odd statements; on SQLite one hand-over to the connection's thread, and the
    // council's read fell from 10.8 to 8.3 ms (docs/performance.md).
    conn.prefetch = Some(Prefetch::Gather(Vec::new()));
    let mut nothing = CouncilData::new(data.council.clone());
    let _ = lists(conn, id, &mut nothing).await;
    if let Some(Prefetch::Gather(statements)) = conn.prefetch.take() {
        let sets = conn
            .fetch_script(&statements)
            .await
            .map_err(db("read the council's tables"))?;
        conn.prefetch = Some(Prefetch::Answered(
            statements.into_iter().zip(sets).collect(),
        ));
    }
    let read = lists(conn, id, &mut data).await;
    conn.prefetch = None;
    read?;
    data.normalise();
    Ok(Some(data))
}

/// Everything of the council `id` besides its own row.
async fn lists(conn: &mut Db<'_>, id: i64, data: &mut CouncilData) -> Result<(), StoreError> {
    data.units = organisation::units(conn, id).await?;
    data.officers = organisation::officers(conn, id).await?;
    data.frames = organisation::frames(conn, id).await?;
    data.library = organisation::library(conn, id).await?;
    data.plans = plan::plans(conn, id).await?;
    data.quarters = quarter::quarters(conn, id).await?;
    data.statements = statement::statements(conn, id).await?;
    data.overrides = overrides::overrides(conn, id).await?;
    Ok(())
}

pub(crate) use plan::{version as plan_version, versions as plan_versions};

/// Runs a query that takes one id (the council's) and returns all its rows.
pub(crate) async fn rows(
    conn: &mut Db<'_>,
    table: &'static str,
    sql: &'static str,
    id: i64,
) -> Result<Vec<Row>, StoreError> {
    match &mut conn.prefetch {
        Some(Prefetch::Gather(statements)) => {
            if !sql.contains("$2") {
                statements.push((sql, id));
            }
            return Ok(Vec::new());
        }
        Some(Prefetch::Answered(answers)) => {
            if let Some(rows) = answers.remove(&(sql, id)) {
                return Ok(rows);
            }
        }
        None => {}
    }
    conn.sql(sql)
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| StoreError::Failed(format!("select from {table}: {e}")))
}

/// Items by the id of the row they belong to, each list in the order the rows came.
pub(crate) type Children<T> = HashMap<i64, Vec<T>>;

/// Reads each row with `item` and groups the items by the parent id in column `parent`.
pub(crate) fn children<T>(
    table: &'static str,
    parent: &str,
    rows: &[Row],
    mut item: impl FnMut(&Cols<'_>) -> Result<T, StoreError>,
) -> Result<Children<T>, StoreError> {
    let mut out: Children<T> = HashMap::new();
    for r in rows {
        let cols = Cols::new(table, r);
        out.entry(cols.id(parent)?).or_default().push(item(&cols)?);
    }
    Ok(out)
}

/// The items that belong to `id` (none if it has none).
pub(crate) fn take<T>(map: &mut Children<T>, id: i64) -> Vec<T> {
    map.remove(&id).unwrap_or_default()
}
