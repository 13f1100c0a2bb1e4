//! Users, sessions, quarters' lives, publications and the audit trail in PostgreSQL: the
//! `Governance` port. Each change runs in one READ COMMITTED transaction with its audit notes;
//! writers take their locks in one order (councils by ref, then quarters, then the audit head
//! last), so they wait for each other rather than deadlock.

pub(crate) mod audit;
mod mfa;
mod quarters;
mod restore;
mod users;

pub(crate) use quarters::{guard, lock_council};

use crate::PostgresStore;
use crate::error::db;
use beacon_app::accounts::{NewUser, SessionRecord, UserChange, UserRecord};
use beacon_app::audit::{AuditEntry, AuditNote, AuditTrail};
use beacon_app::lifecycle::{QuarterStatus, Transition};
use beacon_app::mfa::{MfaRecord, PendingSignIn};
use beacon_app::migrate::GovernanceDump;
use beacon_app::publication::{Publication, PublicationMeta, PublishedFile};
use beacon_app::{Governance, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Transaction};

/// How every write begins: each statement sees what committed before it, so a writer that
/// waited for a lock reads what the writer before it left.
pub(crate) const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";

impl PostgresStore {
    async fn conn(&self) -> Result<PoolConnection<Postgres>, StoreError> {
        self.pool
            .acquire()
            .await
            .map_err(db("acquire a connection"))
    }

    pub(crate) async fn write_tx(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        self.pool
            .begin_with(BEGIN_WRITE)
            .await
            .map_err(db("begin a write"))
    }
}

/// Commits on success; on failure rolls back and returns the error (with the rollback's, if
/// that fails too).
pub(crate) async fn finish<T>(
    tx: Transaction<'static, Postgres>,
    result: Result<T, StoreError>,
) -> Result<T, StoreError> {
    match result {
        Ok(v) => {
            tx.commit().await.map_err(db("commit the write"))?;
            Ok(v)
        }
        Err(e) => match tx.rollback().await {
            Ok(()) => Err(e),
            Err(r) => Err(StoreError::Failed(format!(
                "{e}; and rolling back failed: {r}"
            ))),
        },
    }
}

impl Governance for PostgresStore {
    async fn add_user(&self, user: &NewUser, note: &AuditNote) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = users::add(&mut tx, user, note).await;
        finish(tx, r).await
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let mut c = self.conn().await?;
        Ok(users::find(&mut c, Some(username), None).await?.pop())
    }

    async fn user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        let mut c = self.conn().await?;
        Ok(users::find(&mut c, None, Some(id)).await?.pop())
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let mut c = self.conn().await?;
        users::find(&mut c, None, None).await
    }

    async fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = users::change(&mut tx, id, change, note).await;
        finish(tx, r).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::create_session(&mut c, session).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let mut c = self.conn().await?;
        users::session(&mut c, id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::touch_session(&mut c, id_hash, at).await
    }

    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::end_session(&mut c, id_hash).await
    }

    async fn end_sessions_of(&self, user_id: i64) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::end_sessions_of(&mut c, user_id).await
    }

    async fn revocations(&self) -> Result<Option<i64>, StoreError> {
        let mut c = self.conn().await?;
        sqlx::query_scalar("SELECT counter FROM revocations WHERE id = 1")
            .fetch_optional(&mut *c)
            .await
            .map_err(db("select from revocations"))
    }

    async fn sign_in_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let mut c = self.conn().await?;
        users::failures(&mut c, username, since).await
    }

    async fn record_sign_in_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::record_failure(&mut c, username, at).await
    }

    async fn clear_sign_in_failures(&self, username: &str) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::clear_failures(&mut c, username).await
    }

    async fn forget_sign_in_failures_before(
        &self,
        before: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        users::forget_failures_before(&mut c, before).await
    }

    async fn quarter_statuses(
        &self,
        council: &CouncilRef,
    ) -> Result<Vec<QuarterStatus>, StoreError> {
        let mut c = self.conn().await?;
        quarters::statuses(&mut c, council).await
    }

    async fn transition(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = quarters::transition(&mut tx, step, publication, notes).await;
        finish(tx, r).await
    }

    async fn publications(&self, council: &CouncilRef) -> Result<Vec<PublicationMeta>, StoreError> {
        let mut c = self.conn().await?;
        quarters::publications(&mut c, council).await
    }

    async fn published_file(
        &self,
        council: &CouncilRef,
        unit: &Ref,
        quarter: Quarter,
        version: i64,
        name: &str,
    ) -> Result<Option<PublishedFile>, StoreError> {
        let mut c = self.conn().await?;
        quarters::published_file(&mut c, council, unit, quarter, version, name).await
    }

    async fn audit_trail(&self) -> Result<AuditTrail, StoreError> {
        // One snapshot for the rows and the head, so they agree however many are appended.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(db("begin a read"))?;
        let trail = audit::trail(&mut tx).await?;
        tx.commit().await.map_err(db("end a read"))?;
        Ok(trail)
    }

    async fn audit_of_item(
        &self,
        council: &CouncilRef,
        item: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut c = self.conn().await?;
        audit::of_item(&mut c, council.as_str(), item).await
    }

    async fn restore(&self, dump: &GovernanceDump) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = restore::restore(&mut tx, dump).await;
        finish(tx, r).await
    }
    async fn mfa(&self, user_id: i64) -> Result<Option<MfaRecord>, StoreError> {
        let mut c = self.conn().await?;
        mfa::get(&mut c, user_id).await
    }

    async fn begin_mfa(&self, user_id: i64, secret: &str) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        mfa::begin(&mut c, user_id, secret).await
    }

    async fn confirm_mfa(
        &self,
        user_id: i64,
        step: i64,
        recovery_hashes: &[String],
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::confirm(&mut tx, user_id, step, recovery_hashes, at, note).await;
        finish(tx, r).await
    }

    async fn replace_recovery_codes(
        &self,
        user_id: i64,
        recovery_hashes: &[String],
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = async {
            mfa::replace_codes(&mut tx, user_id, recovery_hashes).await?;
            audit::append(&mut tx, std::slice::from_ref(note)).await
        }
        .await;
        finish(tx, r).await
    }

    async fn remove_mfa(&self, user_id: i64, note: &AuditNote) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::remove(&mut tx, user_id, note).await;
        finish(tx, r).await
    }

    async fn use_mfa_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        let mut c = self.conn().await?;
        mfa::use_step(&mut c, user_id, step).await
    }

    async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::use_recovery(&mut tx, user_id, code_hash, at, note).await;
        finish(tx, r).await
    }

    async fn mfa_required_councils(&self) -> Result<Vec<CouncilRef>, StoreError> {
        let mut c = self.conn().await?;
        mfa::required(&mut c).await
    }

    async fn set_mfa_required(
        &self,
        council: &CouncilRef,
        required: bool,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::set_required(&mut tx, council, required, note).await;
        finish(tx, r).await
    }

    async fn create_pending_sign_in(&self, pending: &PendingSignIn) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::create_pending(&mut tx, pending).await;
        finish(tx, r).await
    }

    async fn pending_sign_in(&self, id_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        let mut c = self.conn().await?;
        mfa::pending(&mut c, id_hash).await
    }

    async fn count_pending_failure(&self, id_hash: &str) -> Result<i64, StoreError> {
        let mut c = self.conn().await?;
        mfa::count_failure(&mut c, id_hash).await
    }

    async fn end_pending_sign_in(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        mfa::end_pending(&mut c, id_hash).await
    }
}
