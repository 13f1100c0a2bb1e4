//! The storage port: what the use cases need of a database. `store-sqlite` implements it, and
//! `store-postgres` will; both must pass the contract suite in `test-support`.

use crate::accounts::{NewUser, SessionRecord, UserChange, UserRecord};
use crate::audit::{AuditEntry, AuditNote, AuditTrail};
use crate::dataset::CouncilData;
use crate::error::StoreError;
use crate::lifecycle::{QuarterStatus, Transition};
use crate::mfa::{MfaRecord, PendingSignIn};
use crate::migrate::{GovernanceDump, UserMfa};
use crate::publication::{Publication, PublicationMeta, PublishedFile};
use crate::stats::Stats;
use crate::tokens::TokenRecord;
use beacon_domain::Ref;
use beacon_domain::budget::Statement;
use beacon_domain::frame::Frame;
use beacon_domain::library::LibraryIndicator;
use beacon_domain::organisation::{Council, CouncilRef, Officer, Unit};
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::status::overrides::Override;
use chrono::{DateTime, Utc};
use std::future::Future;

/// What one load changes for one council. Items are whole: a plan, quarter or statement given
/// here replaces the stored one with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilChanges {
    /// Inserted or updated.
    pub council: Council,
    pub units: Vec<Unit>,
    pub officers: Vec<Officer>,
    pub frames: Vec<Frame>,
    /// Library definitions, upserted by ref.
    pub library: Vec<LibraryIndicator>,
    /// Library definitions deleted by ref: each as it was stored, for the audit trail.
    pub removed_library: Vec<LibraryIndicator>,
    pub plans: Vec<PlanDocument>,
    /// Versions of plans kept whole as they were (earlier versions, carried by a copy between
    /// databases): written to the plans' kept versions only, never over a plan itself.
    pub kept_versions: Vec<PlanDocument>,
    pub quarters: Vec<QuarterRecord>,
    pub statements: Vec<Statement>,
    /// Deleted by ref and period, groups and lines with them: each as it was stored, for the
    /// audit trail and its quarter's guard.
    pub removed_statements: Vec<Statement>,
    /// Upserted by plan, item and quarter.
    pub overrides: Vec<Override>,
}

impl CouncilChanges {
    /// The council's own row and nothing else; add what a use case writes.
    pub fn council_only(council: &Council) -> CouncilChanges {
        CouncilChanges {
            council: council.clone(),
            units: Vec::new(),
            officers: Vec::new(),
            frames: Vec::new(),
            library: Vec::new(),
            removed_library: Vec::new(),
            plans: Vec::new(),
            kept_versions: Vec::new(),
            quarters: Vec::new(),
            statements: Vec::new(),
            removed_statements: Vec::new(),
            overrides: Vec::new(),
        }
    }

    /// Everything a council holds, as changes (to copy it whole).
    pub fn everything(d: &CouncilData) -> CouncilChanges {
        CouncilChanges {
            council: d.council.clone(),
            units: d.units.clone(),
            officers: d.officers.clone(),
            frames: d.frames.clone(),
            library: d.library.clone(),
            removed_library: Vec::new(),
            plans: d.plans.clone(),
            kept_versions: Vec::new(),
            quarters: d.quarters.clone(),
            statements: d.statements.clone(),
            removed_statements: Vec::new(),
            overrides: d.overrides.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
            && self.officers.is_empty()
            && self.frames.is_empty()
            && self.library.is_empty()
            && self.removed_library.is_empty()
            && self.plans.is_empty()
            && self.kept_versions.is_empty()
            && self.quarters.is_empty()
            && self.statements.is_empty()
            && self.removed_statements.is_empty()
            && self.overrides.is_empty()
    }
}

/// A unit's quarter that a change set writes to. The store refuses the whole set if the
/// quarter is signed off or published, or if its version is no longer `expected`; otherwise it
/// moves the quarter's version on and records who changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterGuard {
    pub council: CouncilRef,
    pub unit: Ref,
    pub quarter: Quarter,
    /// The version the writer read; `None` when it does not matter (a file load).
    pub expected: Option<i64>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Everything one use case writes, applied in one transaction with its audit notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub councils: Vec<CouncilChanges>,
    /// Who changed what: appended to the audit trail in the same transaction.
    pub audit: Vec<AuditNote>,
    pub guards: Vec<QuarterGuard>,
}

/// A Beacon database (the council's calendar included, so loading a council's file can set it).
pub trait Store: crate::calendar::CalendarStore + Send + Sync {
    /// Every council, by ref.
    fn councils(&self) -> impl Future<Output = Result<Vec<Council>, StoreError>> + Send;
    /// One council's whole data, normalised; `None` if there is no such council.
    fn council_data(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Option<CouncilData>, StoreError>> + Send;
    /// Applies all changes in one transaction: all of them, or none.
    fn apply(&self, changes: &ChangeSet) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The versions of a plan kept whole (`plans::versions::kept`), oldest first.
    fn plan_versions(
        &self,
        council: &CouncilRef,
        plan: &Ref,
    ) -> impl Future<Output = Result<Vec<u32>, StoreError>> + Send;
    /// One kept version of a plan, whole; `None` if that version is not kept.
    fn plan_version(
        &self,
        council: &CouncilRef,
        plan: &Ref,
        version: u32,
    ) -> impl Future<Output = Result<Option<PlanDocument>, StoreError>> + Send;
    /// Counts of what is stored.
    fn stats(&self) -> impl Future<Output = Result<Stats, StoreError>> + Send;
    /// A number that changes whenever the council's data changes, so a reader may keep what it
    /// read until then; `None` if the council does not exist or the backend cannot tell (then
    /// nothing is cached).
    fn revision(
        &self,
        _council: &CouncilRef,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send {
        async { Ok(None) }
    }
}

/// What a signed-in page of a council reads first, in one round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadAtStart {
    /// The revocation counter (`Governance::revocations`).
    pub revocations: Option<i64>,
    /// The council's revision (`Store::revision`), if read here.
    pub revision: Option<i64>,
    /// The national set's revision, if read here.
    pub national: Option<i64>,
}

/// Users, sessions, the life of each quarter, publications and the audit trail: what a
/// council's data needs around it to be official. Every method that changes a record writes
/// its audit notes in the same transaction.
pub trait Governance: Send + Sync {
    /// Adds users and their grants, each with its audit note, in one transaction and in
    /// order: all of them or, if any username is taken, none. Returns their ids.
    fn add_users(
        &self,
        users: &[(NewUser, AuditNote)],
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;
    /// Adds a user and their grants; refused if the username is taken.
    fn add_user(
        &self,
        user: &NewUser,
        note: &AuditNote,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        let one = [(user.clone(), note.clone())];
        async move {
            let ids = self.add_users(&one).await?;
            ids.first()
                .copied()
                .ok_or_else(|| StoreError::Failed("the user was not added".into()))
        }
    }
    /// A user by (lower-case) username.
    fn user_by_name(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<UserRecord>, StoreError>> + Send;
    fn user(&self, id: i64) -> impl Future<Output = Result<Option<UserRecord>, StoreError>> + Send;
    /// Every user, by username.
    fn users(&self) -> impl Future<Output = Result<Vec<UserRecord>, StoreError>> + Send;
    /// Disables, enables or sets a password; ends every session of the user.
    fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn create_session(
        &self,
        session: &SessionRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn session(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = Result<Option<SessionRecord>, StoreError>> + Send;
    fn touch_session(
        &self,
        id_hash: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn end_session(&self, id_hash: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn end_sessions_of(&self, user_id: i64) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// A number the database itself bumps, in the same transaction, whenever a session ends or
    /// a user or their grants change, whichever process made the change; while it stays the
    /// same, sessions read earlier still stand. `None`: the backend keeps no such number, and
    /// sessions are read on every request.
    fn revocations(&self) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send {
        async { Ok(None) }
    }
    /// The revocation counter and, in the same read, the revision of a council (as
    /// [`Store::revision`]) and of the national set: one round trip for a signed-in page of that
    /// council instead of three. A revision is `None` when the backend does not read it here
    /// (then the page reads it on its own) or the council does not exist.
    fn revocations_and_revision(
        &self,
        _council: &CouncilRef,
    ) -> impl Future<Output = Result<ReadAtStart, StoreError>> + Send {
        async move {
            Ok(ReadAtStart {
                revocations: self.revocations().await?,
                revision: None,
                national: None,
            })
        }
    }

    /// When each failed sign-in for the name since `since` happened.
    fn sign_in_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<DateTime<Utc>>, StoreError>> + Send;
    fn record_sign_in_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn clear_sign_in_failures(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Forgets every failed sign-in before `before`, whatever the name, so failures under
    /// made-up names do not pile up.
    fn forget_sign_in_failures_before(
        &self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every unit's quarter of the council that has been written to or moved on.
    fn quarter_statuses(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Vec<QuarterStatus>, StoreError>> + Send;
    /// Takes a step in a quarter's life, and stores the publication when the step publishes;
    /// refused if the quarter's version is no longer the one expected.
    fn transition(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every publication of the council, newest version last within each quarter.
    fn publications(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Vec<PublicationMeta>, StoreError>> + Send;
    /// One frozen file of one version.
    fn published_file(
        &self,
        council: &CouncilRef,
        unit: &Ref,
        quarter: Quarter,
        version: i64,
        name: &str,
    ) -> impl Future<Output = Result<Option<PublishedFile>, StoreError>> + Send;

    /// The whole audit trail in order, and the head (last seq and hash) the store recorded.
    fn audit_trail(&self) -> impl Future<Output = Result<AuditTrail, StoreError>> + Send;
    /// The audit rows about one item of a council (`indicator NI075`), oldest first.
    fn audit_of_item(
        &self,
        council: &CouncilRef,
        item: &str,
    ) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;

    /// Writes a dump taken from another store (`migrate::export_governance`) verbatim, in one
    /// transaction: users with their ids, password hashes and grants, quarter statuses,
    /// publications with their files, multi-factor sign-in, and the audit rows and head
    /// exactly as they were, so the chain verifies hash for hash. Refused (`migrate::NOT_EMPTY`), writing nothing, if
    /// the database holds any user, quarter state, publication or audit row.
    fn restore(&self, dump: &GovernanceDump)
    -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every user's second factor as stored, by user id, with every recovery code (used or
    /// not) by hash: for moving a database (`migrate`).
    fn every_mfa(&self) -> impl Future<Output = Result<Vec<UserMfa>, StoreError>> + Send;
    /// What the account page shows of the user's own, read in one go: their second factor,
    /// their tokens (newest first) and how they are told of notices.
    fn own_records(
        &self,
        user_id: i64,
    ) -> impl Future<Output = Result<crate::accounts::OwnRecords, StoreError>> + Send;
    /// The user's second factor (`mfa`), set up or being set up.
    fn mfa(
        &self,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<MfaRecord>, StoreError>> + Send;
    /// Keeps a secret being set up; refused if the user already has MFA on.
    fn begin_mfa(
        &self,
        user_id: i64,
        secret: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Turns the secret being set up on, at the step its first code was accepted at, with
    /// these recovery code hashes in place of any before; refused if there is no secret
    /// being set up.
    fn confirm_mfa(
        &self,
        user_id: i64,
        step: i64,
        recovery_hashes: &[String],
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Replaces the user's recovery codes.
    fn replace_recovery_codes(
        &self,
        user_id: i64,
        recovery_hashes: &[String],
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Removes the user's secret and recovery codes.
    fn remove_mfa(
        &self,
        user_id: i64,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Accepts a code's time step if it is later than every step accepted before, in one
    /// atomic step (so a code is never accepted twice, even by two requests at once).
    fn use_mfa_step(
        &self,
        user_id: i64,
        step: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Uses up a recovery code if it is the user's and unused, atomically, writing the note
    /// when it was.
    fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: DateTime<Utc>,
        note: &AuditNote,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// The councils that require MFA of administrators and performance officers.
    fn mfa_required_councils(
        &self,
    ) -> impl Future<Output = Result<Vec<CouncilRef>, StoreError>> + Send;
    fn set_mfa_required(
        &self,
        council: &CouncilRef,
        required: bool,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// A sign-in waiting for its second step.
    fn create_pending_sign_in(
        &self,
        pending: &PendingSignIn,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn pending_sign_in(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = Result<Option<PendingSignIn>, StoreError>> + Send;
    /// Counts one more wrong code, atomically; the count so far.
    fn count_pending_failure(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    fn end_pending_sign_in(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores a new API token (its hash) with its audit note; its id.
    fn create_token(
        &self,
        token: &TokenRecord,
        note: &AuditNote,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// A user's API tokens, newest first.
    fn tokens_of(
        &self,
        user_id: i64,
    ) -> impl Future<Output = Result<Vec<TokenRecord>, StoreError>> + Send;
    /// The API token with this hash.
    fn token(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<TokenRecord>, StoreError>> + Send;
    /// Revokes an API token, moving the revocation counter in the same transaction.
    fn revoke_token(
        &self,
        id: i64,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Records when an API token was last used.
    fn touch_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
