//! The audit trail: notes chained onto the head and appended in the caller's
//! transaction, which first locks `audit_head` so that two writers take turns and the chain
//! never forks; the trail read back for verification and for an item's history.

use crate::error::{db, unreadable};
use crate::exec::{Db, Inserts, Row};
use beacon_app::StoreError;
use beacon_app::audit::{AuditEntry, AuditNote, AuditTrail, chain, parse_stamp, stamp};

/// Appends notes after the current head, in the caller's write transaction (which reads the
/// head after the lock is granted, as the last writer left it).
pub(crate) async fn append(conn: &mut Db<'_>, notes: &[AuditNote]) -> Result<(), StoreError> {
    if notes.is_empty() {
        return Ok(());
    }
    // Every writer takes this lock last, after any council or quarter locks.
    lock(conn).await?;
    let head = head(conn).await?;
    let entries = chain(head, notes);
    insert(conn, &entries).await?;
    if let Some(last) = entries.last() {
        set_head(conn, last.seq, &last.hash).await?;
    }
    Ok(())
}

/// Writes rows of the trail as they are, hashes and all.
pub(crate) async fn insert(conn: &mut Db<'_>, entries: &[AuditEntry]) -> Result<(), StoreError> {
    let mut rows = Inserts::new(
        "INSERT INTO audit (seq, at, actor, council_ref, entity, item, field, old_value,
                            new_value, reason, prev_hash, hash)",
        12,
        "insert into audit",
    );
    for e in entries {
        let n = &e.note;
        rows.add(conn, |q| {
            q.bind(e.seq)
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
        })
        .await?;
    }
    rows.finish(conn).await
}

/// Moves the head to the row `seq` with `hash`.
pub(crate) async fn set_head(conn: &mut Db<'_>, seq: i64, hash: &str) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )
    .bind(seq)
    .bind(hash)
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into audit_head"))?;
    Ok(())
}

/// Locks the audit head until the transaction ends, letting plain reads of it through but no
/// other writer (nothing to do where the write transaction excludes other writers already).
pub(crate) async fn lock(conn: &mut Db<'_>) -> Result<(), StoreError> {
    if let Some(sql) = conn.dialect.lock_audit {
        conn.sql(sql)
            .execute(&mut *conn)
            .await
            .map_err(db("lock audit_head"))?;
    }
    Ok(())
}

/// The last seq and hash written.
pub(crate) async fn head(conn: &mut Db<'_>) -> Result<Option<(i64, String)>, StoreError> {
    let row = conn
        .sql("SELECT seq, hash FROM audit_head WHERE id = 1")
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

fn entry(r: &Row) -> Result<AuditEntry, StoreError> {
    let text =
        |c: &'static str| -> Result<String, StoreError> { r.try_get(c).map_err(db("read audit")) };
    let maybe = |c: &'static str| -> Result<Option<String>, StoreError> {
        r.try_get(c).map_err(db("read audit"))
    };
    let at = text("at")?;
    Ok(AuditEntry {
        seq: r.try_get("seq").map_err(db("read audit"))?,
        note: AuditNote {
            at: parse_stamp(&at).ok_or_else(|| unreadable("audit", "at", &at, "not a time"))?,
            actor: text("actor")?,
            council: maybe("council_ref")?,
            entity: text("entity")?,
            item: maybe("item")?,
            field: text("field")?,
            old: maybe("old_value")?,
            new: maybe("new_value")?,
            reason: maybe("reason")?,
        },
        prev_hash: text("prev_hash")?,
        hash: text("hash")?,
    })
}

/// Every row in seq order, and the head; the caller gives one snapshot for both.
pub(crate) async fn trail(conn: &mut Db<'_>) -> Result<AuditTrail, StoreError> {
    let rows = conn
        .sql(
            "SELECT seq, at, actor, council_ref, entity, item, field, old_value, new_value, reason,
                prev_hash, hash FROM audit ORDER BY seq",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from audit"))?;
    let entries = rows.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    Ok((entries, head(conn).await?))
}

/// The rows about one item of a council, oldest first.
pub(crate) async fn of_item(
    conn: &mut Db<'_>,
    council: &str,
    item: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = conn
        .sql(
            "SELECT seq, at, actor, council_ref, entity, item, field, old_value, new_value, reason,
                prev_hash, hash FROM audit WHERE council_ref = $1 AND item = $2 ORDER BY seq",
        )
        .bind(council)
        .bind(item)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from audit"))?;
    rows.iter().map(entry).collect()
}
