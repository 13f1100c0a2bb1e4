//! The database the command line names, behind the one `Store` port: every command works on
//! whichever backend `--db` selects: a SQLite file, or a PostgreSQL database by URL.

use beacon_app::accounts::{NewUser, SessionRecord, UserChange, UserRecord};
use beacon_app::audit::{AuditEntry, AuditNote, AuditTrail};
use beacon_app::lifecycle::{QuarterStatus, Transition};
use beacon_app::mfa::{MfaRecord, PendingSignIn};
use beacon_app::migrate::GovernanceDump;
use beacon_app::publication::{Publication, PublicationMeta, PublishedFile};
use beacon_app::{ChangeSet, CouncilData, Governance, Stats, Store, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::{Council, CouncilRef};
use beacon_domain::period::Quarter;
use beacon_store_postgres::PostgresStore;
use beacon_store_sqlite::SqliteStore;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::Path;

/// Calls the same method on whichever backend this is.
macro_rules! either {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $call,
            AnyStore::Postgres($s) => $call,
        }
    };
}

/// A store of any backend this build supports.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Opens the database `--db` names and brings its schema up to date: `postgres://…` (or
    /// `postgresql://…`) for PostgreSQL, which must exist; otherwise a SQLite file path or
    /// `sqlite://PATH`, created if needed.
    pub async fn open(db: &str) -> Result<AnyStore, String> {
        Ok(AnyStore::open_reporting(db, true).await?.0)
    }

    /// As `open`; a missing SQLite file is created only when `create` is set, and the answer
    /// names the migrations this opening applied.
    pub async fn open_reporting(db: &str, create: bool) -> Result<(AnyStore, Vec<String>), String> {
        check_scheme(db)?;
        if beacon_store_postgres::is_postgres_url(db) {
            return PostgresStore::open_reporting(db, Default::default())
                .await
                .map(|(s, applied)| (AnyStore::Postgres(s), applied))
                .map_err(|e| format!("cannot open the PostgreSQL database: {e}"));
        }
        SqliteStore::open_reporting(db, create)
            .await
            .map(|(s, applied)| (AnyStore::Sqlite(s), applied))
            .map_err(|e| format!("cannot open the database {db}: {e}"))
    }

    /// The database as messages may show it: a URL without its password.
    pub fn describe(db: &str) -> String {
        beacon_store_postgres::redact(db)
    }

    /// Whether the database answers and its schema is current (for `/readyz`).
    pub async fn schema_check(&self) -> Result<(), String> {
        either!(self, s => s.schema_check().await).map_err(|e| e.to_string())
    }

    /// Rows in each table, by name.
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>, String> {
        either!(self, s => s.table_counts().await).map_err(|e| e.to_string())
    }

    /// The pool's connections: (open, idle, most allowed).
    pub fn pool_use(&self) -> (u32, usize, u32) {
        either!(self, s => s.pool_use())
    }

    /// Finishes with the database: a SQLite file is checkpointed, so that the `.db` file alone
    /// holds everything.
    pub async fn close(self) -> Result<(), String> {
        match self {
            AnyStore::Sqlite(s) => s.close().await.map_err(|e| e.to_string()),
            AnyStore::Postgres(s) => {
                s.pool().close().await;
                Ok(())
            }
        }
    }
}

/// The SQLite file a `--db` that is not a PostgreSQL URL names.
pub fn sqlite_path(db: &str) -> &Path {
    Path::new(
        db.strip_prefix("sqlite://")
            .or_else(|| db.strip_prefix("sqlite:"))
            .unwrap_or(db),
    )
}

/// Refuses a URL whose scheme is neither PostgreSQL's nor SQLite's (`postgre://…`,
/// `mysql://…`) instead of taking it for a file name, without showing its password.
pub fn check_scheme(db: &str) -> Result<(), String> {
    let postgres = beacon_store_postgres::is_postgres_url(db);
    let sqlite = db.starts_with("sqlite:");
    let lower = db.to_ascii_lowercase();
    let looks_like_url = db.contains("://") || (lower.starts_with("postgres") && db.contains(':'));
    if !postgres && !sqlite && looks_like_url {
        return Err(format!(
            "{} is not a database Beacon can open: use postgres://USER@HOST/DATABASE (or \
             postgresql://) for PostgreSQL, or a file path or sqlite://PATH for SQLite",
            beacon_store_postgres::redact(db)
        ));
    }
    Ok(())
}

impl Store for AnyStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.councils().await,
            AnyStore::Postgres(s) => s.councils().await,
        }
    }
    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.council_data(council).await,
            AnyStore::Postgres(s) => s.council_data(council).await,
        }
    }
    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.apply(changes).await,
            AnyStore::Postgres(s) => s.apply(changes).await,
        }
    }
    async fn stats(&self) -> Result<Stats, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.stats().await,
            AnyStore::Postgres(s) => s.stats().await,
        }
    }
    async fn revision(&self, council: &CouncilRef) -> Result<Option<i64>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.revision(council).await,
            AnyStore::Postgres(s) => s.revision(council).await,
        }
    }
}

impl Governance for AnyStore {
    async fn add_user(&self, user: &NewUser, note: &AuditNote) -> Result<i64, StoreError> {
        either!(self, s => s.add_user(user, note).await)
    }
    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        either!(self, s => s.user_by_name(username).await)
    }
    async fn user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        either!(self, s => s.user(id).await)
    }
    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        either!(self, s => s.users().await)
    }
    async fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        either!(self, s => s.change_user(id, change, note).await)
    }
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        either!(self, s => s.create_session(session).await)
    }
    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        either!(self, s => s.session(id_hash).await)
    }
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        either!(self, s => s.touch_session(id_hash, at).await)
    }
    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        either!(self, s => s.end_session(id_hash).await)
    }
    async fn end_sessions_of(&self, user_id: i64) -> Result<(), StoreError> {
        either!(self, s => s.end_sessions_of(user_id).await)
    }
    async fn revocations(&self) -> Result<Option<i64>, StoreError> {
        either!(self, s => s.revocations().await)
    }
    async fn sign_in_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        either!(self, s => s.sign_in_failures(username, since).await)
    }
    async fn record_sign_in_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        either!(self, s => s.record_sign_in_failure(username, at).await)
    }
    async fn clear_sign_in_failures(&self, username: &str) -> Result<(), StoreError> {
        either!(self, s => s.clear_sign_in_failures(username).await)
    }
    async fn forget_sign_in_failures_before(
        &self,
        before: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        either!(self, s => s.forget_sign_in_failures_before(before).await)
    }
    async fn quarter_statuses(
        &self,
        council: &CouncilRef,
    ) -> Result<Vec<QuarterStatus>, StoreError> {
        either!(self, s => s.quarter_statuses(council).await)
    }
    async fn transition(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
    ) -> Result<(), StoreError> {
        either!(self, s => s.transition(step, publication, notes).await)
    }
    async fn publications(&self, council: &CouncilRef) -> Result<Vec<PublicationMeta>, StoreError> {
        either!(self, s => s.publications(council).await)
    }
    async fn published_file(
        &self,
        council: &CouncilRef,
        unit: &Ref,
        quarter: Quarter,
        version: i64,
        name: &str,
    ) -> Result<Option<PublishedFile>, StoreError> {
        either!(self, s => s.published_file(council, unit, quarter, version, name).await)
    }
    async fn audit_trail(&self) -> Result<AuditTrail, StoreError> {
        either!(self, s => s.audit_trail().await)
    }
    async fn audit_of_item(
        &self,
        council: &CouncilRef,
        item: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        either!(self, s => s.audit_of_item(council, item).await)
    }
    async fn restore(&self, dump: &GovernanceDump) -> Result<(), StoreError> {
        either!(self, s => s.restore(dump).await)
    }
    async fn mfa(&self, user_id: i64) -> Result<Option<MfaRecord>, StoreError> {
        either!(self, s => s.mfa(user_id).await)
    }
    async fn begin_mfa(&self, user_id: i64, secret: &str) -> Result<(), StoreError> {
        either!(self, s => s.begin_mfa(user_id, secret).await)
    }
    async fn confirm_mfa(
        &self,
        user_id: i64,
        step: i64,
        recovery_hashes: &[String],
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        either!(self, s => s.confirm_mfa(user_id, step, recovery_hashes, at, note).await)
    }
    async fn replace_recovery_codes(
        &self,
        user_id: i64,
        recovery_hashes: &[String],
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        either!(self, s => s.replace_recovery_codes(user_id, recovery_hashes, note).await)
    }
    async fn remove_mfa(&self, user_id: i64, note: &AuditNote) -> Result<(), StoreError> {
        either!(self, s => s.remove_mfa(user_id, note).await)
    }
    async fn use_mfa_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        either!(self, s => s.use_mfa_step(user_id, step).await)
    }
    async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> Result<bool, StoreError> {
        either!(self, s => s.use_recovery_code(user_id, code_hash, at, note).await)
    }
    async fn mfa_required_councils(&self) -> Result<Vec<CouncilRef>, StoreError> {
        either!(self, s => s.mfa_required_councils().await)
    }
    async fn set_mfa_required(
        &self,
        council: &CouncilRef,
        required: bool,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        either!(self, s => s.set_mfa_required(council, required, note).await)
    }
    async fn create_pending_sign_in(&self, pending: &PendingSignIn) -> Result<(), StoreError> {
        either!(self, s => s.create_pending_sign_in(pending).await)
    }
    async fn pending_sign_in(&self, id_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        either!(self, s => s.pending_sign_in(id_hash).await)
    }
    async fn count_pending_failure(&self, id_hash: &str) -> Result<i64, StoreError> {
        either!(self, s => s.count_pending_failure(id_hash).await)
    }
    async fn end_pending_sign_in(&self, id_hash: &str) -> Result<(), StoreError> {
        either!(self, s => s.end_pending_sign_in(id_hash).await)
    }
}
