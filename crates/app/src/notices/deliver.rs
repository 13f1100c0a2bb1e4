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

/// Sends one plain-text message.
pub trait Mailer: Send + Sync {
    fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

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
    subject: String,
    body: String,
    ids: Vec<i64>,
    attempts: i64,
}

fn messages(due: Vec<Notice>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    let mut digests: Vec<(String, Vec<Notice>)> = Vec::new();
    for n in due {
        if n.notice.delivery == Delivery::Digest && !n.notice.recipient.is_empty() {
            match digests.iter_mut().find(|(to, _)| *to == n.notice.recipient) {
                Some((_, list)) => list.push(n),
                None => digests.push((n.notice.recipient.clone(), vec![n])),
            }
        } else {
            out.push(Message {
                to: n.notice.recipient.clone(),
                subject: n.notice.subject.clone(),
                body: n.notice.body.clone(),
                ids: vec![n.id],
                attempts: n.attempts,
            });
        }
    }
    for (to, list) in digests {
        let parts: Vec<String> = list
            .iter()
            .map(|n| format!("== {} ==\n\n{}", n.notice.subject, n.notice.body))
            .collect();
        out.push(Message {
            to,
            subject: format!("Beacon: your daily digest ({} notices)", list.len()),
            body: parts.join("\n\n"),
            ids: list.iter().map(|n| n.id).collect(),
            attempts: list.iter().map(|n| n.attempts).max().unwrap_or(0),
        });
    }
    out
}

/// Sends every notice due by `now`.
pub async fn deliver<O: Outbox, M: Mailer>(
    store: &O,
    mailer: &M,
    now: DateTime<Utc>,
) -> Result<Delivered, AppError> {
    let mut done = Delivered::default();
    for m in messages(store.due(now, BATCH).await?) {
        if m.to.is_empty() {
            for id in &m.ids {
                store
                    .mark_failed(*id, now, "the person has no email address: set one with `beacon notify contact USER --email …`", None)
                    .await?;
                done.given_up += 1;
            }
            continue;
        }
        match mailer.send(&m.to, &m.subject, &m.body).await {
            Ok(()) => {
                done.messages += 1;
                done.sent += usize::try_from(store.mark_sent(&m.ids, now).await?).unwrap_or(0);
            }
            Err(e) => {
                let attempts = m.attempts + 1;
                let retry = (attempts < MAX_ATTEMPTS).then(|| now + backoff(attempts));
                for id in &m.ids {
                    store.mark_failed(*id, now, &e, retry).await?;
                }
                if retry.is_some() {
                    done.retrying += m.ids.len();
                } else {
                    done.given_up += m.ids.len();
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
