//! The audit trail in SQLite: notes chained onto the head and appended in the caller's
//! transaction; the trail read back for verification and for an item's history.

use crate::error::db;
use beacon_app::StoreError;
use beacon_app::audit::{AuditEntry, AuditNote, AuditTrail, chain, parse_stamp, stamp};
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};

/// Appends notes after the current head, in the caller's transaction.
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    notes: &[AuditNote],
) -> Result<(), StoreError> {
    if notes.is_empty() {
        return Ok(());
    }
    let head = head(conn).await?;
    let entries = chain(head, notes);
    for e in &entries {
        let n = &e.note;
        sqlx::query(
            "INSERT INTO audit (seq, at, actor, council_ref, entity, item, field, old_value,
                                new_value, reason, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.seq)
        .bind(stamp(n.at))
        .bind(&n.actor)
        .bind(&n.council)
        .bind(&n.entity)
        .bind(&n.item)
        .bind(&n.field)
        .bind(&n.old)
        .bind(&n.new)
        .bind(&n.reason)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into audit"))?;
    }
    if let Some(last) = entries.last() {
        sqlx::query(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )
        .bind(last.seq)
        .bind(&last.hash)
        .execute(&mut *conn)
        .await
        .map_err(db("upsert into audit_head"))?;
    }
    Ok(())
}

/// The last seq and hash written.
pub(crate) async fn head(conn: &mut SqliteConnection) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from audit_head"))?;
    row.map(|r| {
        Ok((
            r.try_get("seq").map_err(db("read audit_head"))?,
            r.try_get("hash").map_err(db("read audit_head"))?,
        ))
    })
    .transpose()
}

pub(crate) fn entry(r: &SqliteRow) -> Result<AuditEntry, StoreError> {
    let get = db("read audit");
    let at: String = r.try_get("at").map_err(db("read audit"))?;
    Ok(AuditEntry {
        seq: r.try_get("seq").map_err(db("read audit"))?,
        note: AuditNote {
            at: parse_stamp(&at)
                .ok_or_else(|| crate::error::unreadable("audit", "at", &at, "not a time"))?,
            actor: r.try_get("actor").map_err(db("read audit"))?,
            council: r.try_get("council_ref").map_err(db("read audit"))?,
            entity: r.try_get("entity").map_err(db("read audit"))?,
            item: r.try_get("item").map_err(db("read audit"))?,
            field: r.try_get("field").map_err(db("read audit"))?,
            old: r.try_get("old_value").map_err(db("read audit"))?,
            new: r.try_get("new_value").map_err(db("read audit"))?,
            reason: r.try_get("reason").map_err(db("read audit"))?,
        },
        prev_hash: r.try_get("prev_hash").map_err(db("read audit"))?,
        hash: r.try_get("hash").map_err(get)?,
    })
}

pub(crate) async fn trail(conn: &mut SqliteConnection) -> Result<AuditTrail, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, council_ref, entity, item, field, old_value, new_value, reason,
                prev_hash, hash FROM audit ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db("select from audit"))?;
    let entries = rows.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    Ok((entries, head(conn).await?))
}

pub(crate) async fn of_item(
    conn: &mut SqliteConnection,
    council: &str,
    item: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, council_ref, entity, item, field, old_value, new_value, reason,
                prev_hash, hash FROM audit WHERE council_ref = ? AND item = ? ORDER BY seq",
    )
    .bind(council)
    .bind(item)
    .fetch_all(&mut *conn)
    .await
    .map_err(db("select from audit"))?;
    rows.iter().map(entry).collect()
}
