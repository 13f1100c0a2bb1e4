//! Multi-factor sign-in (migration 0010): each user's secret and last accepted time step, their recovery code hashes, sign-ins waiting for their second step, and the councils
//! that require MFA. Code reuse is refused by a conditional UPDATE, so two requests with the
//! same code cannot both pass.

use super::audit::append;
use crate::error::{db, unreadable};
use crate::exec::{Db, Row};
use beacon_app::StoreError;
use beacon_app::audit::{AuditNote, parse_stamp, stamp};
use beacon_app::mfa::{MfaRecord, PendingSignIn};
use beacon_app::migrate::{RecoveryCode, UserMfa};
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};

fn time(table: &str, column: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_stamp(s).ok_or_else(|| unreadable(table, column, s, "not a time"))
}

pub(crate) async fn get(conn: &mut Db<'_>, user_id: i64) -> Result<Option<MfaRecord>, StoreError> {
    let row = conn
        .sql(
            "SELECT secret, confirmed_at, last_step,
                (SELECT COUNT(*) FROM mfa_recovery_codes
                  WHERE user_id = $1 AND used_at IS NULL) AS recovery_left
           FROM user_mfa WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from user_mfa"))?;
    row.map(|r| record(&r, user_id)).transpose()
}

/// A row of `user_mfa` with the count of recovery codes left (`recovery_left`).
pub(crate) fn record(r: &Row, user_id: i64) -> Result<MfaRecord, StoreError> {
    let confirmed: Option<String> = r.try_get("confirmed_at").map_err(db("read user_mfa"))?;
    Ok(MfaRecord {
        user_id,
        secret: r.try_get("secret").map_err(db("read user_mfa"))?,
        confirmed_at: confirmed
            .map(|c| time("user_mfa", "confirmed_at", &c))
            .transpose()?,
        last_step: r.try_get("last_step").map_err(db("read user_mfa"))?,
        recovery_left: r.try_get("recovery_left").map_err(db("read user_mfa"))?,
    })
}

pub(crate) async fn begin(conn: &mut Db<'_>, user_id: i64, secret: &str) -> Result<(), StoreError> {
    let done = conn
        .sql(
            "INSERT INTO user_mfa (user_id, secret) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret
         WHERE user_mfa.confirmed_at IS NULL",
        )
        .bind(user_id)
        .bind(secret)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into user_mfa"))?;
    if done == 0 {
        return Err(StoreError::Refused(
            "Multi-factor sign-in is already on for this account".into(),
        ));
    }
    Ok(())
}

pub(crate) async fn replace_codes(
    conn: &mut Db<'_>,
    user_id: i64,
    hashes: &[String],
) -> Result<(), StoreError> {
    conn.sql("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from mfa_recovery_codes"))?;
    for h in hashes {
        conn.sql(
            "INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(h)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into mfa_recovery_codes"))?;
    }
    Ok(())
}

pub(crate) async fn confirm(
    conn: &mut Db<'_>,
    user_id: i64,
    step: i64,
    hashes: &[String],
    at: DateTime<Utc>,
    note: &AuditNote,
) -> Result<(), StoreError> {
    let done = conn
        .sql(
            "UPDATE user_mfa SET confirmed_at = $2, last_step = $3
          WHERE user_id = $1 AND confirmed_at IS NULL",
        )
        .bind(user_id)
        .bind(stamp(at))
        .bind(step)
        .execute(&mut *conn)
        .await
        .map_err(db("update user_mfa"))?;
    if done == 0 {
        return Err(StoreError::Refused(
            "There is no multi-factor sign-in being set up for this account".into(),
        ));
    }
    replace_codes(conn, user_id, hashes).await?;
    append(conn, std::slice::from_ref(note)).await
}

pub(crate) async fn remove(
    conn: &mut Db<'_>,
    user_id: i64,
    note: &AuditNote,
) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM user_mfa WHERE user_id = $1",
        "DELETE FROM mfa_recovery_codes WHERE user_id = $1",
        "DELETE FROM mfa_pending WHERE user_id = $1",
    ] {
        conn.sql(sql)
            .bind(user_id)
            .execute(&mut *conn)
            .await
            .map_err(db("delete an account's MFA"))?;
    }
    append(conn, std::slice::from_ref(note)).await
}

pub(crate) async fn use_step(
    conn: &mut Db<'_>,
    user_id: i64,
    step: i64,
) -> Result<bool, StoreError> {
    let done = conn
        .sql(
            "UPDATE user_mfa SET last_step = $2
          WHERE user_id = $1 AND last_step < $2 AND confirmed_at IS NOT NULL",
        )
        .bind(user_id)
        .bind(step)
        .execute(&mut *conn)
        .await
        .map_err(db("update user_mfa"))?;
    Ok(done == 1)
}

pub(crate) async fn use_recovery(
    conn: &mut Db<'_>,
    user_id: i64,
    code_hash: &str,
    at: DateTime<Utc>,
    note: &AuditNote,
) -> Result<bool, StoreError> {
    let done = conn
        .sql(
            "UPDATE mfa_recovery_codes SET used_at = $3
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(code_hash)
        .bind(stamp(at))
        .execute(&mut *conn)
        .await
        .map_err(db("update mfa_recovery_codes"))?;
    if done != 1 {
        return Ok(false);
    }
    append(conn, std::slice::from_ref(note)).await?;
    Ok(true)
}

pub(crate) async fn required(conn: &mut Db<'_>) -> Result<Vec<CouncilRef>, StoreError> {
    let rows = conn
        .sql("SELECT council_ref FROM council_mfa ORDER BY council_ref")
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from council_mfa"))?;
    rows.iter()
        .map(|row| {
            let r: String = row.try_get("council_ref").map_err(db("read council_mfa"))?;
            r.parse()
                .map_err(|e| unreadable("council_mfa", "council_ref", &r, e))
        })
        .collect()
}

pub(crate) async fn set_required(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    required: bool,
    note: &AuditNote,
) -> Result<(), StoreError> {
    let sql: &'static str = if required {
        "INSERT INTO council_mfa (council_ref) VALUES ($1) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM council_mfa WHERE council_ref = $1"
    };
    conn.sql(sql)
        .bind(council.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("write council_mfa"))?;
    append(conn, std::slice::from_ref(note)).await
}

/// Keeps one pending sign-in per user: a new one replaces any before, so the table holds at
/// most one row per user however many passwords are tried.
pub(crate) async fn create_pending(conn: &mut Db<'_>, p: &PendingSignIn) -> Result<(), StoreError> {
    conn.sql("DELETE FROM mfa_pending WHERE user_id = $1")
        .bind(p.user_id)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from mfa_pending"))?;
    conn.sql(
        "INSERT INTO mfa_pending (id_hash, user_id, created_at, failures) VALUES ($1, $2, $3, $4)",
    )
    .bind(&p.id_hash)
    .bind(p.user_id)
    .bind(stamp(p.created_at))
    .bind(p.failures)
    .execute(&mut *conn)
    .await
    .map_err(db("insert into mfa_pending"))?;
    Ok(())
}

pub(crate) async fn pending(
    conn: &mut Db<'_>,
    id_hash: &str,
) -> Result<Option<PendingSignIn>, StoreError> {
    let row = conn
        .sql("SELECT user_id, created_at, failures FROM mfa_pending WHERE id_hash = $1")
        .bind(id_hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from mfa_pending"))?;
    row.map(|r| {
        let created: String = r.try_get("created_at").map_err(db("read mfa_pending"))?;
        Ok(PendingSignIn {
            id_hash: id_hash.to_string(),
            user_id: r.try_get("user_id").map_err(db("read mfa_pending"))?,
            created_at: time("mfa_pending", "created_at", &created)?,
            failures: r.try_get("failures").map_err(db("read mfa_pending"))?,
        })
    })
    .transpose()
}

/// One more wrong code; the count so far (`i64::MAX` if the sign-in is gone).
pub(crate) async fn count_failure(conn: &mut Db<'_>, id_hash: &str) -> Result<i64, StoreError> {
    let n: Option<i64> = conn
        .sql("UPDATE mfa_pending SET failures = failures + 1 WHERE id_hash = $1 RETURNING failures")
        .bind(id_hash)
        .fetch_optional(&mut *conn)
        .await
        .and_then(|r| r.map(|r| r.try_get("failures")).transpose())
        .map_err(db("update mfa_pending"))?;
    Ok(n.unwrap_or(i64::MAX))
}

pub(crate) async fn end_pending(conn: &mut Db<'_>, id_hash: &str) -> Result<(), StoreError> {
    conn.sql("DELETE FROM mfa_pending WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from mfa_pending"))?;
    Ok(())
}

/// Replaces the user's recovery codes and writes the note.
pub(crate) async fn replace_codes_noting(
    conn: &mut Db<'_>,
    user_id: i64,
    hashes: &[String],
    note: &AuditNote,
) -> Result<(), StoreError> {
    replace_codes(conn, user_id, hashes).await?;
    append(conn, std::slice::from_ref(note)).await
}

fn optional_time(
    table: &str,
    column: &str,
    s: Option<String>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.map(|s| time(table, column, &s)).transpose()
}

/// Every user's second factor as stored, by user id, with every recovery code by hash.
pub(crate) async fn every(conn: &mut Db<'_>) -> Result<Vec<UserMfa>, StoreError> {
    let rows = conn
        .sql("SELECT user_id, secret, confirmed_at, last_step FROM user_mfa ORDER BY user_id")
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from user_mfa"))?;
    let mut every = Vec::with_capacity(rows.len());
    for r in &rows {
        every.push(UserMfa {
            user_id: r.try_get("user_id").map_err(db("read user_mfa"))?,
            secret: r.try_get("secret").map_err(db("read user_mfa"))?,
            confirmed_at: optional_time(
                "user_mfa",
                "confirmed_at",
                r.try_get("confirmed_at").map_err(db("read user_mfa"))?,
            )?,
            last_step: r.try_get("last_step").map_err(db("read user_mfa"))?,
            recovery_codes: Vec::new(),
        });
    }
    let codes = conn
        .sql("SELECT user_id, code_hash, used_at FROM mfa_recovery_codes ORDER BY user_id, code_hash")
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from mfa_recovery_codes"))?;
    for r in &codes {
        let user_id: i64 = r
            .try_get("user_id")
            .map_err(db("read mfa_recovery_codes"))?;
        let code = RecoveryCode {
            code_hash: r
                .try_get("code_hash")
                .map_err(db("read mfa_recovery_codes"))?,
            used_at: optional_time(
                "mfa_recovery_codes",
                "used_at",
                r.try_get("used_at")
                    .map_err(db("read mfa_recovery_codes"))?,
            )?,
        };
        // Codes are kept only with a secret (turning MFA off removes both), so every code's
        // user is listed; one that is not would be lost, so it is an error.
        let owner = every
            .iter_mut()
            .find(|m| m.user_id == user_id)
            .ok_or_else(|| {
                unreadable(
                    "mfa_recovery_codes",
                    "user_id",
                    &user_id.to_string(),
                    "no secret for this user in user_mfa",
                )
            })?;
        owner.recovery_codes.push(code);
    }
    Ok(every)
}

/// Writes users' second factors and the councils that require it verbatim (`restore`).
pub(crate) async fn restore(
    conn: &mut Db<'_>,
    every: &[UserMfa],
    required: &[CouncilRef],
) -> Result<(), StoreError> {
    for m in every {
        conn.sql(
            "INSERT INTO user_mfa (user_id, secret, confirmed_at, last_step) VALUES ($1, $2, $3, $4)",
        )
        .bind(m.user_id)
        .bind(&m.secret)
        .bind(m.confirmed_at.map(stamp))
        .bind(m.last_step)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into user_mfa"))?;
        for c in &m.recovery_codes {
            conn.sql(
                "INSERT INTO mfa_recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, $3)",
            )
            .bind(m.user_id)
            .bind(&c.code_hash)
            .bind(c.used_at.map(stamp))
            .execute(&mut *conn)
            .await
            .map_err(db("insert into mfa_recovery_codes"))?;
        }
    }
    for council in required {
        conn.sql("INSERT INTO council_mfa (council_ref) VALUES ($1)")
            .bind(council.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db("insert into council_mfa"))?;
    }
    Ok(())
}
