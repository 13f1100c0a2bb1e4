//! Users, sessions, quarters' lives, publications and the audit trail: the `Governance` port.
//! Each change runs in one write transaction with its audit notes; writers take their locks in
//! one order (councils by ref, then quarters, then the audit head last), so on a database that
//! locks rows they wait for each other rather than deadlock.

pub(crate) mod audit;
mod mfa;
mod own;
mod quarters;
mod restore;
mod tokens;
mod users;

pub(crate) use quarters::{guard, lock_council, transition};

use crate::SqlStore;
use beacon_app::accounts::{NewUser, SessionRecord, UserChange, UserRecord};
use beacon_app::audit::{AuditEntry, AuditNote, AuditTrail};
use beacon_app::lifecycle::{QuarterStatus, Transition};
use beacon_app::mfa::{MfaRecord, PendingSignIn};
use beacon_app::migrate::{GovernanceDump, UserMfa};
use beacon_app::publication::{Publication, PublicationMeta, PublishedFile};
use beacon_app::tokens::TokenRecord;
use beacon_app::{Governance, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};

impl Governance for SqlStore {
    async fn add_users(&self, users: &[(NewUser, AuditNote)]) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut ids = Vec::with_capacity(users.len());
        for (user, note) in users {
            match users::add(&mut tx.db(), user, note).await {
                Ok(id) => ids.push(id),
                Err(e) => return tx.finish(Err(e)).await,
            }
        }
        tx.finish(Ok(ids)).await
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(
            users::find(&mut self.conn().await?.db(), Some(username), None)
                .await?
                .pop(),
        )
    }

    async fn user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        Ok(users::find(&mut self.conn().await?.db(), None, Some(id))
            .await?
            .pop())
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        users::find(&mut self.conn().await?.db(), None, None).await
    }

    async fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = users::change(&mut tx.db(), id, change, note).await;
        tx.finish(r).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        users::create_session(&mut self.conn().await?.db(), session).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        users::session(&mut self.conn().await?.db(), id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        users::touch_session(&mut self.conn().await?.db(), id_hash, at).await
    }

    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        users::end_session(&mut self.conn().await?.db(), id_hash).await
    }

    async fn end_sessions_of(&self, user_id: i64) -> Result<(), StoreError> {
        users::end_sessions_of(&mut self.conn().await?.db(), user_id).await
    }

    async fn revocations(&self) -> Result<Option<i64>, StoreError> {
        users::revocations(&mut self.conn().await?.db()).await
    }

    async fn revocations_and_revision(
        &self,
        council: &CouncilRef,
    ) -> Result<beacon_app::ports::ReadAtStart, StoreError> {
        users::revocations_and_revision(&mut self.conn().await?.db(), council).await
    }

    async fn sign_in_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        users::failures(&mut self.conn().await?.db(), username, since).await
    }

    async fn record_sign_in_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        users::record_failure(&mut self.conn().await?.db(), username, at).await
    }

    async fn clear_sign_in_failures(&self, username: &str) -> Result<(), StoreError> {
        users::clear_failures(&mut self.conn().await?.db(), username).await
    }

    async fn forget_sign_in_failures_before(
        &self,
        before: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        users::forget_failures_before(&mut self.conn().await?.db(), before).await
    }

    async fn quarter_statuses(
        &self,
        council: &CouncilRef,
    ) -> Result<Vec<QuarterStatus>, StoreError> {
        quarters::statuses(&mut self.conn().await?.db(), council).await
    }

    async fn transition(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = quarters::transition(&mut tx.db(), step, publication, notes).await;
        tx.finish(r).await
    }

    async fn publications(&self, council: &CouncilRef) -> Result<Vec<PublicationMeta>, StoreError> {
        quarters::publications(&mut self.conn().await?.db(), council).await
    }

    async fn published_file(
        &self,
        council: &CouncilRef,
        unit: &Ref,
        quarter: Quarter,
        version: i64,
        name: &str,
    ) -> Result<Option<PublishedFile>, StoreError> {
        quarters::published_file(
            &mut self.conn().await?.db(),
            council,
            unit,
            quarter,
            version,
            name,
        )
        .await
    }

    async fn audit_trail(&self) -> Result<AuditTrail, StoreError> {
        // One snapshot for the rows and the head, so they agree however many are appended.
        let mut tx = self.snapshot().await?;
        let trail = audit::trail(&mut tx.db()).await;
        tx.finish(trail).await
    }

    async fn audit_of_item(
        &self,
        council: &CouncilRef,
        item: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        audit::of_item(&mut self.conn().await?.db(), council.as_str(), item).await
    }

    async fn restore(&self, dump: &GovernanceDump) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = restore::restore(&mut tx.db(), dump).await;
        tx.finish(r).await
    }
    async fn every_mfa(&self) -> Result<Vec<UserMfa>, StoreError> {
        // One snapshot for the secrets and the codes, so they agree.
        let mut tx = self.snapshot().await?;
        let every = mfa::every(&mut tx.db()).await;
        tx.finish(every).await
    }

    async fn mfa(&self, user_id: i64) -> Result<Option<MfaRecord>, StoreError> {
        mfa::get(&mut self.conn().await?.db(), user_id).await
    }

    async fn begin_mfa(&self, user_id: i64, secret: &str) -> Result<(), StoreError> {
        mfa::begin(&mut self.conn().await?.db(), user_id, secret).await
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
        let r = mfa::confirm(&mut tx.db(), user_id, step, recovery_hashes, at, note).await;
        tx.finish(r).await
    }

    async fn replace_recovery_codes(
        &self,
        user_id: i64,
        recovery_hashes: &[String],
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::replace_codes_noting(&mut tx.db(), user_id, recovery_hashes, note).await;
        tx.finish(r).await
    }

    async fn remove_mfa(&self, user_id: i64, note: &AuditNote) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::remove(&mut tx.db(), user_id, note).await;
        tx.finish(r).await
    }

    async fn use_mfa_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        mfa::use_step(&mut self.conn().await?.db(), user_id, step).await
    }

    async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::use_recovery(&mut tx.db(), user_id, code_hash, at, note).await;
        tx.finish(r).await
    }

    async fn mfa_required_councils(&self) -> Result<Vec<CouncilRef>, StoreError> {
        mfa::required(&mut self.conn().await?.db()).await
    }

    async fn set_mfa_required(
        &self,
        council: &CouncilRef,
        required: bool,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::set_required(&mut tx.db(), council, required, note).await;
        tx.finish(r).await
    }

    async fn create_pending_sign_in(&self, pending: &PendingSignIn) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = mfa::create_pending(&mut tx.db(), pending).await;
        tx.finish(r).await
    }

    async fn pending_sign_in(&self, id_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        mfa::pending(&mut self.conn().await?.db(), id_hash).await
    }

    async fn count_pending_failure(&self, id_hash: &str) -> Result<i64, StoreError> {
        mfa::count_failure(&mut self.conn().await?.db(), id_hash).await
    }

    async fn end_pending_sign_in(&self, id_hash: &str) -> Result<(), StoreError> {
        mfa::end_pending(&mut self.conn().await?.db(), id_hash).await
    }

    async fn create_token(&self, token: &TokenRecord, note: &AuditNote) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = tokens::create(&mut tx.db(), token, note).await;
        tx.finish(r).await
    }

    async fn own_records(
        &self,
        user_id: i64,
    ) -> Result<beacon_app::accounts::OwnRecords, StoreError> {
        own::read(&mut self.conn().await?.db(), user_id).await
    }

    async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRecord>, StoreError> {
        tokens::of_user(&mut self.conn().await?.db(), user_id).await
    }

    async fn token(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        tokens::by_hash(&mut self.conn().await?.db(), token_hash).await
    }

    async fn revoke_token(&self, id: i64, note: &AuditNote) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = tokens::revoke(&mut tx.db(), id, note).await;
        tx.finish(r).await
    }

    async fn touch_token(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        tokens::touch(&mut self.conn().await?.db(), id, at).await
    }
}
