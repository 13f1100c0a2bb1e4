//! A user's own records for their account page (second factor, tokens, how they are told) in
//! one statement: on PostgreSQL each statement is a round trip, and three were what kept the
//! account page below the pages' aim under load (docs/performance.md).

use super::{mfa, tokens};
use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_app::accounts::OwnRecords;

/// One row per token (one row if none), each carrying the second factor and the contact, whose
/// columns are null where the user has none.
const OWN: &str = "SELECT me.uid AS user_id,
        t.id, t.token_hash, t.name, t.council_ref, t.scope, t.created_at, t.expires_at,
        t.revoked, t.last_used_at,
        m.secret, m.confirmed_at, m.last_step,
        (SELECT COUNT(*) FROM mfa_recovery_codes
          WHERE user_id = me.uid AND used_at IS NULL) AS recovery_left,
        c.email, c.delivery, c.scope AS contact_scope
   FROM (SELECT CAST($1 AS BIGINT) AS uid) me
   LEFT JOIN user_mfa m ON m.user_id = me.uid
   LEFT JOIN notice_contacts c ON c.user_id = me.uid
   LEFT JOIN api_tokens t ON t.user_id = me.uid
  ORDER BY t.id DESC";

pub(crate) async fn read(conn: &mut Db<'_>, user_id: i64) -> Result<OwnRecords, StoreError> {
    let rows = conn
        .sql(OWN)
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("read the user's own records"))?;
    let mut own = OwnRecords {
        mfa: None,
        tokens: Vec::new(),
        contact: None,
    };
    let present = |r: &crate::exec::Row, column: &str| -> Result<bool, StoreError> {
        let v: Option<String> = r
            .try_get(column)
            .map_err(db("read the user's own records"))?;
        Ok(v.is_some())
    };
    if let Some(first) = rows.first() {
        if present(first, "secret")? {
            own.mfa = Some(mfa::record(first, user_id)?);
        }
        if present(first, "email")? {
            own.contact = Some(crate::notices::contact(first, "contact_scope")?);
        }
    }
    for r in &rows {
        if present(r, "token_hash")? {
            own.tokens.push(tokens::record(r)?);
        }
    }
    Ok(own)
}
