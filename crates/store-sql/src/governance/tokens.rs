//! Personal API tokens: stored by the SHA-256 of the token, revoked by a flag whose change
//! moves the revocation counter (migration 0012's trigger).

use super::audit::append;
use crate::error::{db, unreadable};
use crate::exec::{Db, Row};
use beacon_app::StoreError;
use beacon_app::audit::{AuditNote, parse_stamp, stamp};
use beacon_app::tokens::TokenRecord;
use chrono::{DateTime, Utc};

const COLUMNS: &str = "id, token_hash, name, user_id, council_ref, scope, created_at, \
     expires_at, revoked, last_used_at";

fn time(column: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_stamp(s).ok_or_else(|| unreadable("api_tokens", column, s, "not a time"))
}

/// A row of `api_tokens`.
pub(crate) fn record(r: &Row) -> Result<TokenRecord, StoreError> {
    let read = db("read api_tokens");
    let text = |c: &str| -> Result<String, StoreError> {
        r.try_get::<String>(c).map_err(db("read api_tokens"))
    };
    let council = text("council_ref")?;
    let scope = text("scope")?;
    let last: Option<String> = r.try_get("last_used_at").map_err(db("read api_tokens"))?;
    Ok(TokenRecord {
        id: r.try_get("id").map_err(read)?,
        token_hash: text("token_hash")?,
        name: text("name")?,
        user_id: r.try_get("user_id").map_err(db("read api_tokens"))?,
        council: council
            .parse()
            .map_err(|e| unreadable("api_tokens", "council_ref", &council, e))?,
        scope: scope
            .parse()
            .map_err(|e| unreadable("api_tokens", "scope", &scope, e))?,
        created_at: time("created_at", &text("created_at")?)?,
        expires_at: time("expires_at", &text("expires_at")?)?,
        revoked: r.try_get("revoked").map_err(db("read api_tokens"))?,
        last_used_at: last.map(|l| time("last_used_at", &l)).transpose()?,
    })
}

pub(crate) async fn create(
    conn: &mut Db<'_>,
    t: &TokenRecord,
    note: &AuditNote,
) -> Result<i64, StoreError> {
    let row = conn
        .sql(
            "INSERT INTO api_tokens (token_hash, name, user_id, council_ref, scope, created_at,
                                     expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&t.token_hash)
        .bind(&t.name)
        .bind(t.user_id)
        .bind(t.council.as_str())
        .bind(t.scope.as_str())
        .bind(stamp(t.created_at))
        .bind(stamp(t.expires_at))
        .fetch_one(&mut *conn)
        .await
        .map_err(db("insert into api_tokens"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into api_tokens"))?;
    append(conn, std::slice::from_ref(note)).await?;
    Ok(id)
}

pub(crate) async fn of_user(
    conn: &mut Db<'_>,
    user_id: i64,
) -> Result<Vec<TokenRecord>, StoreError> {
    let rows = conn
        .sql(format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
        ))
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from api_tokens"))?;
    rows.iter().map(record).collect()
}

pub(crate) async fn by_hash(
    conn: &mut Db<'_>,
    hash: &str,
) -> Result<Option<TokenRecord>, StoreError> {
    let row = conn
        .sql(format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"
        ))
        .bind(hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from api_tokens"))?;
    row.as_ref().map(record).transpose()
}

pub(crate) async fn revoke(conn: &mut Db<'_>, id: i64, note: &AuditNote) -> Result<(), StoreError> {
    conn.sql("UPDATE api_tokens SET revoked = TRUE WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db("update api_tokens"))?;
    append(conn, std::slice::from_ref(note)).await
}

pub(crate) async fn touch(conn: &mut Db<'_>, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    conn.sql("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(stamp(at))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db("update api_tokens"))?;
    Ok(())
}
