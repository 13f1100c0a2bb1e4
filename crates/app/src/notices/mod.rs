//! Notices by email: who is told what when a quarter moves on or its collection is about to
//! close. Every notice is written to the outbox first and sent from there (`deliver`), so none
//! is lost while the mail server is down, and none is sent twice.

pub mod compose;
pub mod contacts;
pub mod deliver;
pub mod schedule;

use crate::audit::AuditNote;
use crate::error::StoreError;
use crate::lifecycle::Transition;
use crate::publication::Publication;
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::future::Future;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A quarter was submitted: to its approvers.
    Submitted,
    /// A quarter was sent back: to whoever submitted it, with the reason.
    SentBack,
    /// A quarter was signed off: to the performance officers.
    SignedOff,
    /// A report was published: to the subscribers, with its public link.
    Published,
    /// Collection closes in a few working days: to whoever has items missing.
    ReminderBefore,
    /// Collection closes today: to whoever has items missing.
    ReminderToday,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::Submitted,
        NoticeKind::SentBack,
        NoticeKind::SignedOff,
        NoticeKind::Published,
        NoticeKind::ReminderBefore,
        NoticeKind::ReminderToday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Submitted => "submitted",
            NoticeKind::SentBack => "sent-back",
            NoticeKind::SignedOff => "signed-off",
            NoticeKind::Published => "published",
            NoticeKind::ReminderBefore => "reminder-before",
            NoticeKind::ReminderToday => "reminder-today",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the person's role needs it: everything but the early reminder, which a person
    /// may turn off (the reminder on the closing day still comes).
    pub fn essential(self) -> bool {
        self != NoticeKind::ReminderBefore
    }
}

impl fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a person takes their notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Each as it happens.
    Each,
    /// One message a day, at [`deliver::DIGEST_HOUR`].
    Digest,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Each => "each",
            Delivery::Digest => "digest",
        }
    }
}

/// A person's address and choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub user_id: i64,
    pub email: String,
    pub delivery: Delivery,
    /// Only the notices their role needs ([`NoticeKind::essential`]).
    pub essential_only: bool,
}

/// A notice to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewNotice {
    pub council: CouncilRef,
    pub kind: NoticeKind,
    /// What makes it this notice: a second with the same key is not written.
    pub dedupe: String,
    /// The email address; empty when the person has none (the notice then fails, visibly).
    pub recipient: String,
    pub username: Option<String>,
    pub subject: String,
    /// Plain text.
    pub body: String,
    pub delivery: Delivery,
}

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeState {
    Waiting,
    Sent,
    Failed,
}

impl NoticeState {
    pub fn label(self) -> &'static str {
        match self {
            NoticeState::Waiting => "Waiting",
            NoticeState::Sent => "Sent",
            NoticeState::Failed => "Failed",
        }
    }
}

/// A notice in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub id: i64,
    #[serde(flatten)]
    pub notice: NewNotice,
    pub created_at: DateTime<Utc>,
    /// When it is next tried; none once sent or given up.
    pub due_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Notice {
    pub fn state(&self) -> NoticeState {
        if self.sent_at.is_some() {
            NoticeState::Sent
        } else if self.failed_at.is_some() {
            NoticeState::Failed
        } else {
            NoticeState::Waiting
        }
    }
}

/// The outbox and the addresses it sends to.
pub trait Outbox: Send + Sync {
    /// Takes a step in a quarter's life exactly as `Governance::transition` does, and writes
    /// the notices it sends to the outbox in the same transaction.
    fn transition_with_notices(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
        notices: &[(NewNotice, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Writes the notices not already there (by `dedupe`), due at `due` (digest notices at
    /// the time given for them); how many were new.
    fn enqueue(
        &self,
        notices: &[(NewNotice, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<usize, StoreError>> + Send;
    /// The notices due by `now`, oldest first.
    fn due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Notice>, StoreError>> + Send;
    /// Claims notices for one sender: those of `ids` still due by `now` are moved to `until`
    /// in one statement, so a second sender (another `beacon notify`, another server) cannot
    /// take them too; the ids claimed. A sender that dies holding a claim leaves the notice due
    /// again at `until`.
    fn claim(
        &self,
        ids: &[i64],
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;
    /// Marks notices sent, unless they already were; how many were marked.
    fn mark_sent(
        &self,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// Records a failed attempt: tried again at `retry`, or given up when `None`.
    fn mark_failed(
        &self,
        id: i64,
        at: DateTime<Utc>,
        error: &str,
        retry: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The latest notices (of one council, or all), newest first.
    fn notices(
        &self,
        council: Option<&CouncilRef>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Notice>, StoreError>> + Send;
    /// Every person's address and choices.
    fn contacts(&self) -> impl Future<Output = Result<Vec<Contact>, StoreError>> + Send;
    /// Writes a person's address and choices with the audit note saying so, in one
    /// transaction (`contacts::set_contact`).
    fn set_contact(
        &self,
        contact: &Contact,
        note: &AuditNote,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The addresses told of the council's publications.
    fn subscribers(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    fn set_subscriber(
        &self,
        council: &CouncilRef,
        email: &str,
        subscribed: bool,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// An address as a person would type it: something@somewhere, no spaces or angle brackets.
pub fn check_email(email: &str) -> Result<String, String> {
    let e = email.trim();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && e.matches('@').count() == 1
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    if ok {
        Ok(e.to_string())
    } else {
        Err(format!(
            "{email:?} is not an email address; expected one such as name@council.gov.uk"
        ))
    }
}
