//! Moving a database's governance (users with their grants and password hashes, every
//! quarter's place in its life, every publication with its frozen files, and the whole audit
//! trail with its head, and multi-factor sign-in: each user's secret, last accepted time step
//! and recovery code hashes, and the councils that require it) from one store to another
//! verbatim, so that nothing is lost in a migration and the audit chain verifies on the target
//! hash for hash, and each council's calendar with people's notice addresses, the
//! subscribers and the whole outbox (sent, waiting and failed notices, by id). Sessions, failed sign-ins and sign-ins waiting for their code are not moved:
//! they belong to the server a person signed in to, and last minutes, not longer.

use crate::accounts::UserRecord;
use crate::audit::{AuditEntry, AuditTrail};
use crate::calendar::CalendarStore;
use crate::error::StoreError;
use crate::lifecycle::QuarterStatus;
use crate::notices::{Contact, Notice, Outbox};
use crate::ports::{Governance, Store};
use crate::publication::Publication;
use beacon_domain::calendar::CouncilCalendar;
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};

/// Every quarter status of one council.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilQuarters {
    pub council: CouncilRef,
    pub statuses: Vec<QuarterStatus>,
}

/// One user's second factor exactly as stored, recovery codes (used or not) included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMfa {
    pub user_id: i64,
    /// Base32, as authenticator apps take it.
    pub secret: String,
    /// `None` while being set up.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The last time step a code was accepted at: carried over, so a code used on the source
    /// is not accepted again on the target.
    pub last_step: i64,
    /// The recovery codes by hash.
    pub recovery_codes: Vec<RecoveryCode>,
}

/// One recovery code as stored: its SHA-256, and when it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    pub code_hash: String,
    pub used_at: Option<DateTime<Utc>>,
}

/// Everything a store holds through the `Governance` port apart from sessions, failed
/// sign-ins and sign-ins waiting for their second step, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GovernanceDump {
    /// Every user with their id, password hash and grants (in order), by username.
    pub users: Vec<UserRecord>,
    /// Every council's quarter statuses, councils by ref; councils with none are left out.
    pub quarters: Vec<CouncilQuarters>,
    /// Every publication with its files, council by council, in the order each council lists
    /// them.
    pub publications: Vec<Publication>,
    /// The whole audit trail in seq order.
    pub audit: Vec<AuditEntry>,
    /// The head (last seq and hash) the store recorded.
    pub audit_head: Option<(i64, String)>,
    /// Every user's second factor, by user id; recovery codes by hash.
    pub mfa: Vec<UserMfa>,
    /// The councils that require multi-factor sign-in, by ref.
    pub mfa_required: Vec<CouncilRef>,
    /// The calendars and the notices.
    pub notices: NoticeDump,
}

/// The councils' calendars and everything about notices, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeDump {
    /// Each council's calendar, if one was set, by council ref.
    pub calendars: Vec<(CouncilRef, CouncilCalendar)>,
    /// People's addresses and choices, by user id.
    pub contacts: Vec<Contact>,
    /// The addresses told of each council's publications, by council then address.
    pub subscribers: Vec<(CouncilRef, String)>,
    /// The whole outbox, by id: what was sent stays sent, what waits is still due.
    pub outbox: Vec<Notice>,
}

impl NoticeDump {
    /// Whether there is nothing to restore.
    pub fn is_empty(&self) -> bool {
        self.calendars.is_empty()
            && self.contacts.is_empty()
            && self.subscribers.is_empty()
            && self.outbox.is_empty()
    }
}

impl GovernanceDump {
    /// Whether there is nothing to restore.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
            && self.quarters.iter().all(|c| c.statuses.is_empty())
            && self.publications.is_empty()
            && self.audit.is_empty()
            && self.audit_head.is_none()
            && self.mfa.is_empty()
            && self.mfa_required.is_empty()
            && self.notices.is_empty()
    }

    /// How many quarter statuses there are, over every council.
    pub fn quarter_count(&self) -> usize {
        self.quarters.iter().map(|c| c.statuses.len()).sum()
    }

    /// The audit trail as `Governance::audit_trail` gives it.
    pub fn trail(&self) -> AuditTrail {
        (self.audit.clone(), self.audit_head.clone())
    }
}

/// Reads a store's whole governance through the port: users, each council's quarter statuses
/// and publications (with every file), the audit trail, and multi-factor sign-in. Quarter statuses and publications
/// are read for the councils the store holds.
pub async fn export_governance<S: Store + Governance + CalendarStore + Outbox>(
    store: &S,
) -> Result<GovernanceDump, StoreError> {
    let users = store.users().await?;
    let mut quarters = Vec::new();
    let mut publications = Vec::new();
    let mut notices = NoticeDump {
        contacts: store.contacts().await?,
        outbox: store.notices(None, i64::MAX).await?,
        ..NoticeDump::default()
    };
    notices.outbox.sort_by_key(|n| n.id);
    for council in store.councils().await? {
        let reference = council.reference;
        if let Some(c) = store.calendar(&reference).await? {
            notices.calendars.push((reference.clone(), c));
        }
        for email in store.subscribers(&reference).await? {
            notices.subscribers.push((reference.clone(), email));
        }
        let statuses = store.quarter_statuses(&reference).await?;
        if !statuses.is_empty() {
            quarters.push(CouncilQuarters {
                council: reference.clone(),
                statuses,
            });
        }
        for meta in store.publications(&reference).await? {
            let mut files = Vec::with_capacity(meta.files.len());
            for name in &meta.files {
                let file = store
                    .published_file(&reference, &meta.unit, meta.quarter, meta.version, name)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Failed(format!(
                            "publication {} {} {} version {} lists {name}, which is not stored",
                            reference, meta.unit, meta.quarter, meta.version
                        ))
                    })?;
                files.push(file);
            }
            publications.push(Publication { meta, files });
        }
    }
    let (audit, audit_head) = store.audit_trail().await?;
    Ok(GovernanceDump {
        users,
        quarters,
        publications,
        audit,
        audit_head,
        mfa: store.every_mfa().await?,
        mfa_required: store.mfa_required_councils().await?,
        notices,
    })
}

/// The refusal a store gives when asked to restore into a database that already holds
/// governance.
pub const NOT_EMPTY: &str = "the database already holds users, quarter states, publications or an audit trail: governance is restored only into a database without any";
