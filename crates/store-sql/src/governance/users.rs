//! Users and their grants, sessions and failed sign-ins.

use super::audit::append;
use crate::error::{db, unreadable};
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_app::access::Grant;
use beacon_app::accounts::{NewUser, SessionRecord, UserChange, UserRecord};
use beacon_app::audit::{AuditNote, parse_stamp, stamp};
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};

/// Adds the user and their grants; refused if the name is taken, even by a user being added at
/// the same moment (the insert waits for the other and then does nothing).
pub(crate) async fn add(
    conn: &mut Db<'_>,
    user: &NewUser,
    note: &AuditNote,
) -> Result<i64, StoreError> {
    let row = conn
        .sql(
            "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(&user.password_hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("insert into users"))?;
    let Some(id) = row
        .map(|r| r.try_get::<i64>("id"))
        .transpose()
        .map_err(db("insert into users"))?
    else {
        return Err(StoreError::Refused(format!(
            "There is already a user called {}",
            user.username
        )));
    };
    insert_grants(conn, id, &user.grants).await?;
    append(conn, std::slice::from_ref(note)).await?;
    Ok(id)
}

/// Writes a user's grants in order.
pub(super) async fn insert_grants(
    conn: &mut Db<'_>,
    id: i64,
    grants: &[Grant],
) -> Result<(), StoreError> {
    for (position, g) in grants.iter().enumerate() {
        conn.sql(
            "INSERT INTO grants (user_id, role, council_ref, unit_ref, position)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(g.role.as_str())
        .bind(g.council.as_str())
        .bind(g.unit.as_ref().map(|u| u.as_str()))
        .bind(position as i64)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into grants"))?;
    }
    Ok(())
}

async fn grants(conn: &mut Db<'_>, user_id: i64) -> Result<Vec<Grant>, StoreError> {
    let rows = conn
        .sql("SELECT role, council_ref, unit_ref FROM grants WHERE user_id = $1 ORDER BY position")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from grants"))?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role").map_err(db("read grants"))?;
            let council: String = r.try_get("council_ref").map_err(db("read grants"))?;
            let unit: Option<String> = r.try_get("unit_ref").map_err(db("read grants"))?;
            Ok(Grant {
                role: role
                    .parse()
                    .map_err(|e| unreadable("grants", "role", &role, e))?,
                council: council
                    .parse()
                    .map_err(|e| unreadable("grants", "council_ref", &council, e))?,
                unit: unit
                    .map(|u| {
                        u.parse()
                            .map_err(|e| unreadable("grants", "unit_ref", &u, e))
                    })
                    .transpose()?,
            })
        })
        .collect()
}

/// The user with the name, the user with the id, or (neither given) every user, by username.
pub(crate) async fn find(
    conn: &mut Db<'_>,
    by_name: Option<&str>,
    by_id: Option<i64>,
) -> Result<Vec<UserRecord>, StoreError> {
    let rows = conn
        .sql(
            "SELECT id, username, display_name, password_hash, disabled FROM users
         WHERE (CAST($1 AS TEXT) IS NULL OR username = $1)
           AND (CAST($2 AS BIGINT) IS NULL OR id = $2)
         ORDER BY username",
        )
        .bind(by_name)
        .bind(by_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from users"))?;
    let mut users = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id").map_err(db("read users"))?;
        users.push(UserRecord {
            id,
            username: r.try_get("username").map_err(db("read users"))?,
            display_name: r.try_get("display_name").map_err(db("read users"))?,
            password_hash: r.try_get("password_hash").map_err(db("read users"))?,
            disabled: r.try_get("disabled").map_err(db("read users"))?,
            grants: grants(conn, id).await?,
        });
    }
    Ok(users)
}

pub(crate) async fn change(
    conn: &mut Db<'_>,
    id: i64,
    change: &UserChange,
    note: &AuditNote,
) -> Result<(), StoreError> {
    let update = match change {
        UserChange::Disable => Some(
            conn.sql("UPDATE users SET disabled = TRUE WHERE id = $1")
                .bind(id),
        ),
        UserChange::Enable => Some(
            conn.sql("UPDATE users SET disabled = FALSE WHERE id = $1")
                .bind(id),
        ),
        UserChange::Password(hash) => Some(
            conn.sql("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id),
        ),
        UserChange::Grants(grants) => {
            conn.sql("DELETE FROM grants WHERE user_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(db("delete from grants"))?;
            insert_grants(conn, id, grants).await?;
            None
        }
    };
    if let Some(q) = update {
        q.execute(&mut *conn).await.map_err(db("update users"))?;
    }
    end_sessions_of(conn, id).await?;
    append(conn, std::slice::from_ref(note)).await
}

pub(crate) async fn create_session(conn: &mut Db<'_>, s: &SessionRecord) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(s.user_id)
    .bind(&s.csrf_token)
    .bind(stamp(s.created_at))
    .bind(stamp(s.last_seen_at))
    .execute(&mut *conn)
    .await
    .map_err(db("insert into sessions"))?;
    Ok(())
}

fn time(table: &str, column: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_stamp(s).ok_or_else(|| unreadable(table, column, s, "not a time"))
}

pub(crate) async fn session(
    conn: &mut Db<'_>,
    id_hash: &str,
) -> Result<Option<SessionRecord>, StoreError> {
    let row = conn
        .sql(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from sessions"))?;
    row.map(|r| {
        let created: String = r.try_get("created_at").map_err(db("read sessions"))?;
        let seen: String = r.try_get("last_seen_at").map_err(db("read sessions"))?;
        Ok(SessionRecord {
            id_hash: id_hash.to_string(),
            user_id: r.try_get("user_id").map_err(db("read sessions"))?,
            csrf_token: r.try_get("csrf_token").map_err(db("read sessions"))?,
            created_at: time("sessions", "created_at", &created)?,
            last_seen_at: time("sessions", "last_seen_at", &seen)?,
        })
    })
    .transpose()
}

pub(crate) async fn touch_session(
    conn: &mut Db<'_>,
    id_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.sql("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(stamp(at))
        .bind(id_hash)
        .execute(&mut *conn)
        .await
        .map_err(db("update sessions"))?;
    Ok(())
}

pub(crate) async fn end_session(conn: &mut Db<'_>, id_hash: &str) -> Result<(), StoreError> {
    conn.sql("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from sessions"))?;
    Ok(())
}

pub(crate) async fn end_sessions_of(conn: &mut Db<'_>, user_id: i64) -> Result<(), StoreError> {
    conn.sql("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from sessions"))?;
    Ok(())
}

pub(crate) async fn failures(
    conn: &mut Db<'_>,
    username: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let rows = conn
        .sql("SELECT at FROM sign_in_failures WHERE username = $1 AND at >= $2 ORDER BY at")
        .bind(username)
        .bind(stamp(since))
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from sign_in_failures"))?;
    rows.iter()
        .map(|r| {
            let at: String = r.try_get("at").map_err(db("read sign_in_failures"))?;
            time("sign_in_failures", "at", &at)
        })
        .collect()
}

pub(crate) async fn record_failure(
    conn: &mut Db<'_>,
    username: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.sql("INSERT INTO sign_in_failures (username, at) VALUES ($1, $2)")
        .bind(username)
        .bind(stamp(at))
        .execute(&mut *conn)
        .await
        .map_err(db("insert into sign_in_failures"))?;
    Ok(())
}

pub(crate) async fn forget_failures_before(
    conn: &mut Db<'_>,
    before: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.sql("DELETE FROM sign_in_failures WHERE at < $1")
        .bind(stamp(before))
        .execute(&mut *conn)
        .await
        .map_err(db("delete old sign_in_failures"))?;
    Ok(())
}

pub(crate) async fn clear_failures(conn: &mut Db<'_>, username: &str) -> Result<(), StoreError> {
    conn.sql("DELETE FROM sign_in_failures WHERE username = $1")
        .bind(username)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from sign_in_failures"))?;
    Ok(())
}

/// The revocation counter and a council's revision, in one statement (one round trip).
pub(crate) async fn revocations_and_revision(
    conn: &mut Db<'_>,
    council: &CouncilRef,
) -> Result<beacon_app::ports::ReadAtStart, StoreError> {
    let row = conn
        .sql(
            "SELECT (SELECT counter FROM revocations WHERE id = 1) AS counter,
                    (SELECT revision FROM councils WHERE ref = $1) AS revision,
                    (SELECT revision FROM national_revision WHERE id = 1) AS national",
        )
        .bind(council.as_str())
        .fetch_one(&mut *conn)
        .await
        .map_err(db("select from revocations and councils"))?;
    let read = |column: &str| -> Result<Option<i64>, StoreError> {
        row.try_get(column)
            .map_err(db("read revocations and councils"))
    };
    Ok(beacon_app::ports::ReadAtStart {
        revocations: read("counter")?,
        revision: read("revision")?,
        national: read("national")?,
    })
}

/// The number every ending of a session or change to a user or grant moves on (migration
/// 0007's triggers); `None` if the database has no such row.
pub(crate) async fn revocations(conn: &mut Db<'_>) -> Result<Option<i64>, StoreError> {
    conn.sql("SELECT counter FROM revocations WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .and_then(|r| r.map(|r| r.try_get("counter")).transpose())
        .map_err(db("select from revocations"))
}
