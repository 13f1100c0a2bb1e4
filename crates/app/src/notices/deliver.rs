//! Sending what the outbox holds: each notice due is handed to the mailer and marked sent once
//! accepted; a failure is tried again after a back-off that doubles (1 minute, 2, 4 … up to 6
//! hours) and given up after [`MAX_ATTEMPTS`]; digest notices go as one message per address.
//! With no mailer configured nothing is sent and nothing is lost: the notices wait.

use super::{Delivery, Notice, Outbox};
use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Serialize;
use std::future::Future;

/// The hour (UTC) the daily digest goes out.
pub const DIGEST_HOUR: u32 = 7;
/// Attempts before a notice is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// The most notices one run sends.
pub const BATCH: i64 = 200;

/// Sends one plain-text message. `id` is the same every time the same notices are sent (the
/// local part of the message's `Message-ID`), so a repeat after a crash can be recognised.
pub trait Mailer: Send + Sync {
    fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        id: &str,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

/// How long a sender holds the notices it is sending: one message's SMTP exchange is bounded
/// well inside this (20 s), and a sender that dies mid-send leaves them due again after it.
pub const CLAIM: Duration = Duration::minutes(10);

/// The next digest time after `at`.
pub fn digest_time(at: DateTime<Utc>) -> DateTime<Utc> {
    let hour = NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or_default();
    let today = at.date_naive().and_time(hour).and_utc();
    if today > at {
        today
    } else {
        today + Duration::days(1)
    }
}

/// How long to wait after the `attempts`th failure.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let minutes = 1_i64.checked_shl(exp).unwrap_or(i64::MAX).min(360);
    Duration::minutes(minutes)
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Delivered {
    /// Messages accepted by the mail server (a digest counts once).
    pub messages: usize,
    /// Notices marked sent.
    pub sent: usize,
    /// Notices that failed this time and will be tried again.
    pub retrying: usize,
    /// Notices given up.
    pub given_up: usize,
}

/// One message: a notice, or a digest of several to one address.
struct Message {
    to: String,
    notices: Vec<Notice>,
}

impl Message {
    fn ids(&self) -> Vec<i64> {
        self.notices.iter().map(|n| n.id).collect()
    }

    /// The stable part of the `Message-ID`: the notices it carries.
    fn id(&self) -> String {
        let ids: Vec<String> = self.notices.iter().map(|n| n.id.to_string()).collect();
        format!("beacon-notice-{}", ids.join("."))
    }

    fn subject_and_body(&self) -> (String, String) {
        match self.notices.as_slice() {
            [one] if one.notice.delivery != Delivery::Digest => {
                (one.notice.subject.clone(), one.notice.body.clone())
            }
            list => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|n| format!("== {} ==\n\n{}", n.notice.subject, n.notice.body))
                    .collect();
                (
                    format!("Beacon: your daily digest ({} notices)", list.len()),
                    parts.join("\n\n"),
                )
            }
        }
    }

    fn attempts(&self) -> i64 {
        self.notices.iter().map(|n| n.attempts).max().unwrap_or(0)
    }
}

fn messages(due: Vec<Notice>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    let mut digests: Vec<Message> = Vec::new();
    for n in due {
        if n.notice.delivery == Delivery::Digest && !n.notice.recipient.is_empty() {
            match digests.iter_mut().find(|m| m.to == n.notice.recipient) {
                Some(m) => m.notices.push(n),
                None => digests.push(Message {
                    to: n.notice.recipient.clone(),
                    notices: vec![n],
                }),
            }
        } else {
            out.push(Message {
                to: n.notice.recipient.clone(),
                notices: vec![n],
            });
        }
    }
    out.extend(digests);
    out
}

/// Sends every notice due by `now`. Each message's notices are claimed before it is sent, so
/// two senders at once never send the same notice; see [`Outbox::claim`].
pub async fn deliver<O: Outbox, M: Mailer>(
    store: &O,
    mailer: &M,
    now: DateTime<Utc>,
) -> Result<Delivered, AppError> {
    let mut done = Delivered::default();
    for mut m in messages(store.due(now, BATCH).await?) {
        let claimed = store.claim(&m.ids(), now, now + CLAIM).await?;
        m.notices.retain(|n| claimed.contains(&n.id));
        if m.notices.is_empty() {
            continue;
        }
        let ids = m.ids();
        if m.to.is_empty() {
            for id in &ids {
                store
                    .mark_failed(*id, now, "the person has no email address: set one with `beacon notify contact USER --email …`", None)
                    .await?;
                done.given_up += 1;
            }
            continue;
        }
        let (subject, body) = m.subject_and_body();
        match mailer.send(&m.to, &subject, &body, &m.id()).await {
            Ok(()) => {
                done.messages += 1;
                done.sent += usize::try_from(store.mark_sent(&ids, now).await?).unwrap_or(0);
            }
            Err(e) => {
                let attempts = m.attempts() + 1;
                let retry = (attempts < MAX_ATTEMPTS).then(|| now + backoff(attempts));
                for id in &ids {
                    store.mark_failed(*id, now, &e, retry).await?;
                }
                if retry.is_some() {
                    done.retrying += ids.len();
                } else {
                    done.given_up += ids.len();
                }
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_to_six_hours() {
        let mins: Vec<i64> = (1..=11).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(mins, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
        assert_eq!(backoff(i64::MAX).num_minutes(), 360);
    }

    #[test]
    fn the_digest_goes_at_seven() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            digest_time(t("2012-10-16T06:59:00Z")),
            t("2012-10-16T07:00:00Z")
        );
        assert_eq!(
            digest_time(t("2012-10-16T07:00:00Z")),
            t("2012-10-17T07:00:00Z")
        );
        assert_eq!(
            digest_time(t("2012-10-16T15:00:00Z")),
            t("2012-10-17T07:00:00Z")
        );
    }
}
