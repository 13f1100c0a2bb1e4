//! A governance dump written verbatim into a database that has none: users with their ids
//! (the id sequence then moved past them, so later users do not collide),
//! quarter statuses, publications with their files, multi-factor sign-in (secrets, last
//! accepted steps, recovery code hashes, the councils that require it), the calendars and the
//! notices (addresses, subscribers, the outbox by id), and the audit rows and
//! head exactly as they were stored elsewhere.

use super::quarters::publish;
use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_app::migrate::{GovernanceDump, NOT_EMPTY};

/// Writes the dump in the caller's transaction; refused if any governance is stored already.
pub(crate) async fn restore(conn: &mut Db<'_>, dump: &GovernanceDump) -> Result<(), StoreError> {
    // Every writer of the audit trail takes this lock before it commits, so one racing the
    // restore has either committed already (and the check below sees it) or waits for the
    // restore to end; whichever of the two fails is rolled back whole.
    super::audit::lock(conn).await?;
    let held: bool = conn
        .sql(
            "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM quarter_states)
                 OR EXISTS (SELECT 1 FROM publications) OR EXISTS (SELECT 1 FROM audit)
                 OR EXISTS (SELECT 1 FROM audit_head) OR EXISTS (SELECT 1 FROM council_mfa)
                 OR EXISTS (SELECT 1 FROM notices) OR EXISTS (SELECT 1 FROM council_calendars)
                 AS held",
        )
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| r.try_get("held"))
        .map_err(db("select from the governance tables"))?;
    if held {
        return Err(StoreError::Refused(NOT_EMPTY.into()));
    }
    for u in &dump.users {
        conn.sql(format!(
            "INSERT INTO users (id, username, display_name, password_hash, disabled) {}
             VALUES ($1, $2, $3, $4, $5)",
            conn.dialect.keep_ids
        ))
        .bind(u.id)
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.disabled)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into users"))?;
        super::users::insert_grants(conn, u.id, &u.grants).await?;
    }
    let top = dump.users.iter().map(|u| u.id).max();
    if let (Some(top), Some(sql)) = (top, conn.dialect.after_restoring_users) {
        // The next user added gets the id after the highest restored one.
        conn.sql(sql)
            .bind(top)
            .execute(&mut *conn)
            .await
            .map_err(db("move the users id sequence on"))?;
    }
    super::mfa::restore(conn, &dump.mfa, &dump.mfa_required).await?;
    crate::notices::restore(conn, &dump.notices).await?;
    for c in &dump.quarters {
        for s in &c.statuses {
            // No row yet (the database holds no governance), so nothing to have changed since.
            super::quarters::put(conn, &c.council, s, 0).await?;
        }
    }
    // Publications take new ids from their own identity column: nothing outside the
    // database names them by id.
    for p in &dump.publications {
        publish(conn, p, p.meta.anchor.as_ref()).await?;
    }
    super::audit::insert(conn, &dump.audit).await?;
    if let Some((seq, hash)) = &dump.audit_head {
        super::audit::set_head(conn, *seq, hash).await?;
    }
    Ok(())
}
