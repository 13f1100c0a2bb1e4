//! The life of each unit's quarter: guards checked and versions moved on inside a
//! data write, steps taken with their publication, and publications read back.
//!
//! A writer locks the quarter's council first (its row, as a data write does), then the
//! quarter's row (the dialect's `lock_rows`), so two writers to one quarter take turns and the second sees
//! what the first left. The new status is written only if the stored version is still the one
//! read, which also covers a quarter nobody had written to before (there is no row to lock).

use super::audit::append;
use crate::error::{db, unreadable};
use crate::exec::{Db, Row};
use beacon_app::audit::{AuditNote, parse_stamp, stamp};
use beacon_app::lifecycle::{QuarterStatus, Transition, changed_since};
use beacon_app::publication::{AuditAnchor, Publication, PublicationMeta, PublishedFile};
use beacon_app::{QuarterGuard, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;

fn status(r: &Row) -> Result<QuarterStatus, StoreError> {
    let get = |c: &'static str| -> Result<String, StoreError> {
        r.try_get(c).map_err(db("read quarter_states"))
    };
    let (unit, quarter, state, at) = (
        get("unit_ref")?,
        get("quarter")?,
        get("state")?,
        get("changed_at")?,
    );
    Ok(QuarterStatus {
        unit: unit
            .parse()
            .map_err(|e| unreadable("quarter_states", "unit_ref", &unit, e))?,
        quarter: quarter
            .parse()
            .map_err(|e| unreadable("quarter_states", "quarter", &quarter, e))?,
        state: state
            .parse()
            .map_err(|e| unreadable("quarter_states", "state", &state, e))?,
        version: r.try_get("version").map_err(db("read quarter_states"))?,
        changed_by: get("changed_by")?,
        changed_at: parse_stamp(&at)
            .ok_or_else(|| unreadable("quarter_states", "changed_at", &at, "not a time"))?,
        reason: r.try_get("reason").map_err(db("read quarter_states"))?,
    })
}

/// Locks the council's row until the transaction ends, moving its revision on (the quarter is
/// about to change). A council not stored yet has no row, and nothing is locked.
pub(crate) async fn lock_council(
    conn: &mut Db<'_>,
    council: &CouncilRef,
) -> Result<(), StoreError> {
    conn.sql("UPDATE councils SET revision = revision + 1 WHERE ref = $1")
        .bind(council.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("update councils"))?;
    Ok(())
}

/// The quarter as stored, its row locked until the transaction ends.
async fn current(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    unit: &Ref,
    quarter: Quarter,
) -> Result<QuarterStatus, StoreError> {
    let row = conn
        .sql(format!(
            "SELECT unit_ref, quarter, state, version, changed_by, changed_at, reason
             FROM quarter_states WHERE council_ref = $1 AND unit_ref = $2 AND quarter = $3{}",
            conn.dialect.lock_rows
        ))
        .bind(council.as_str())
        .bind(unit.as_str())
        .bind(quarter.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from quarter_states"))?;
    match row {
        Some(r) => status(&r),
        None => Ok(QuarterStatus::fresh(unit.clone(), quarter)),
    }
}

/// Writes the quarter's new status if its stored version is still `was` (0: no row yet);
/// refused, as changed since, if another writer got there first.
pub(super) async fn put(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    s: &QuarterStatus,
    was: i64,
) -> Result<(), StoreError> {
    let written = conn.sql(
        "INSERT INTO quarter_states (council_ref, unit_ref, quarter, state, version, changed_by,
                                     changed_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (council_ref, unit_ref, quarter) DO UPDATE SET
             state = excluded.state, version = excluded.version,
             changed_by = excluded.changed_by, changed_at = excluded.changed_at,
             reason = excluded.reason
         WHERE quarter_states.version = $9",
    )
    .bind(council.as_str())
    .bind(s.unit.as_str())
    .bind(s.quarter.to_string())
    .bind(s.state.as_str())
    .bind(s.version)
    .bind(&s.changed_by)
    .bind(stamp(s.changed_at))
    .bind(&s.reason)
    .bind(was)
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into quarter_states"))?;
    if written == 0 {
        let now = current(conn, council, &s.unit, s.quarter).await?;
        return Err(StoreError::Refused(changed_since(&now)));
    }
    Ok(())
}

/// Refuses a write to a locked or moved-on quarter; otherwise moves its version on. The
/// caller has locked the council (`write::apply` locks every council it writes or guards).
pub(crate) async fn guard(conn: &mut Db<'_>, g: &QuarterGuard) -> Result<(), StoreError> {
    let now = current(conn, &g.council, &g.unit, g.quarter).await?;
    if now.state.is_locked() {
        return Err(StoreError::Refused(format!(
            "{} {} is {} (by {} at {}): an approver must reopen it before it can change",
            g.unit,
            g.quarter,
            now.state.label().to_lowercase(),
            now.changed_by,
            now.changed_at.format("%H:%M on %-d %B %Y")
        )));
    }
    if g.expected.is_some_and(|v| v != now.version) {
        return Err(StoreError::Refused(changed_since(&now)));
    }
    let was = now.version;
    let next = QuarterStatus {
        version: now.version + 1,
        changed_by: g.by.clone(),
        changed_at: g.at,
        ..now
    };
    put(conn, &g.council, &next, was).await
}

pub(crate) async fn statuses(
    conn: &mut Db<'_>,
    council: &CouncilRef,
) -> Result<Vec<QuarterStatus>, StoreError> {
    let rows = conn
        .sql(
            "SELECT unit_ref, quarter, state, version, changed_by, changed_at, reason
         FROM quarter_states WHERE council_ref = $1 ORDER BY unit_ref, quarter",
        )
        .bind(council.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from quarter_states"))?;
    rows.iter().map(status).collect()
}

pub(crate) async fn transition(
    conn: &mut Db<'_>,
    t: &Transition,
    publication: Option<&Publication>,
    notes: &[AuditNote],
) -> Result<(), StoreError> {
    lock_council(conn, &t.council).await?;
    let now = current(conn, &t.council, &t.from.unit, t.from.quarter).await?;
    if now.version != t.expected_version || now.state != t.from.state {
        return Err(StoreError::Refused(changed_since(&now)));
    }
    put(conn, &t.council, &t.to, now.version).await?;
    if let Some(p) = publication {
        let anchor = super::audit::head(conn)
            .await?
            .map(|(seq, hash)| AuditAnchor { seq, hash });
        publish(conn, p, anchor.as_ref()).await?;
    }
    append(conn, notes).await
}

/// Writes a publication with its files, anchored at the given audit row.
pub(crate) async fn publish(
    conn: &mut Db<'_>,
    p: &Publication,
    anchor: Option<&AuditAnchor>,
) -> Result<(), StoreError> {
    let m = &p.meta;
    let id = conn
        .sql(
            "INSERT INTO publications (council_ref, unit_ref, quarter, version, published_at,
                                   published_by, content_hash, note, audit_seq, audit_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(m.council.as_str())
        .bind(m.unit.as_str())
        .bind(m.quarter.to_string())
        .bind(m.version)
        .bind(stamp(m.published_at))
        .bind(&m.published_by)
        .bind(&m.content_hash)
        .bind(&m.note)
        .bind(anchor.map(|a| a.seq))
        .bind(anchor.map(|a| a.hash.as_str()))
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| r.try_get::<i64>("id"))
        .map_err(db("insert into publications"))?;
    for f in &p.files {
        conn.sql(
            "INSERT INTO publication_files (publication_id, name, media_type, bytes)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&f.name)
        .bind(&f.media_type)
        .bind(&f.bytes)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into publication_files"))?;
    }
    Ok(())
}

pub(crate) async fn publications(
    conn: &mut Db<'_>,
    council: &CouncilRef,
) -> Result<Vec<PublicationMeta>, StoreError> {
    let rows = conn
        .sql(
            "SELECT p.unit_ref, p.quarter, p.version, p.published_at, p.published_by,
                p.content_hash, p.note, p.audit_seq, p.audit_hash,
                (SELECT string_agg(f.name, '\n' ORDER BY f.name) FROM publication_files f
                  WHERE f.publication_id = p.id) AS files
         FROM publications p WHERE p.council_ref = $1
         ORDER BY p.quarter, p.unit_ref, p.version",
        )
        .bind(council.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from publications"))?;
    rows.iter()
        .map(|r| {
            let get = |c: &'static str| -> Result<String, StoreError> {
                r.try_get(c).map_err(db("read publications"))
            };
            let (unit, quarter, at) = (get("unit_ref")?, get("quarter")?, get("published_at")?);
            let files: Option<String> = r.try_get("files").map_err(db("read publications"))?;
            Ok(PublicationMeta {
                council: council.clone(),
                unit: unit
                    .parse()
                    .map_err(|e| unreadable("publications", "unit_ref", &unit, e))?,
                quarter: quarter
                    .parse()
                    .map_err(|e| unreadable("publications", "quarter", &quarter, e))?,
                version: r.try_get("version").map_err(db("read publications"))?,
                published_at: parse_stamp(&at)
                    .ok_or_else(|| unreadable("publications", "published_at", &at, "not a time"))?,
                published_by: get("published_by")?,
                content_hash: get("content_hash")?,
                note: r.try_get("note").map_err(db("read publications"))?,
                files: files
                    .map(|f| f.lines().map(str::to_string).collect())
                    .unwrap_or_default(),
                anchor: match (
                    r.try_get::<Option<i64>>("audit_seq")
                        .map_err(db("read publications"))?,
                    r.try_get::<Option<String>>("audit_hash")
                        .map_err(db("read publications"))?,
                ) {
                    (Some(seq), Some(hash)) => Some(AuditAnchor { seq, hash }),
                    _ => None,
                },
            })
        })
        .collect()
}

pub(crate) async fn published_file(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    unit: &Ref,
    quarter: Quarter,
    version: i64,
    name: &str,
) -> Result<Option<PublishedFile>, StoreError> {
    let row = conn
        .sql(
            "SELECT f.media_type, f.bytes FROM publication_files f
         JOIN publications p ON p.id = f.publication_id
         WHERE p.council_ref = $1 AND p.unit_ref = $2 AND p.quarter = $3 AND p.version = $4
           AND f.name = $5",
        )
        .bind(council.as_str())
        .bind(unit.as_str())
        .bind(quarter.to_string())
        .bind(version)
        .bind(name)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from publication_files"))?;
    row.map(|r| {
        Ok(PublishedFile {
            name: name.to_string(),
            media_type: r
                .try_get("media_type")
                .map_err(db("read publication_files"))?,
            bytes: r.try_get("bytes").map_err(db("read publication_files"))?,
        })
    })
    .transpose()
}
