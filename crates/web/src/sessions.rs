//! Sessions kept in memory between requests, so a signed-in page does not read the session,
//! the user and their grants from the database each time. Each request asks the database for
//! one number instead: the revocation counter, which the database bumps in the same
//! transaction as any sign-out, timeout, disabled user, new password or changed grant,
//! whichever process made it (`beacon user disable` on the command line included). While the
//! counter stands where it stood when a session was read, the session still stands; when it
//! moves, every kept session is dropped and read again. A kept session is also read again
//! after a minute, which is when `accounts::resume` touches it for the idle timeout.

use beacon_app::access::Principal;
use beacon_app::accounts::{self, SessionRecord};
use beacon_app::{AppError, Governance};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// How long a kept session is trusted before it is read (and touched) again.
const REREAD_AFTER: Duration = Duration::minutes(1);
/// The most sessions kept; past it the store starts again.
const MAX_KEPT: usize = 50_000;

struct Kept {
    read_at: DateTime<Utc>,
    session: SessionRecord,
    principal: Principal,
}

/// The sessions this process has read, with the revocation counter they were read at.
#[derive(Default)]
pub struct Sessions {
    kept: RwLock<(i64, HashMap<String, Kept>)>,
    /// Whether the counter has been read at all (a store may have none).
    known: AtomicBool,
}

impl Sessions {
    /// The revocation counter as last read by any request (at least the value this request
    /// read, if it resumed a session): what was read about people after it is as new.
    pub fn counter(&self) -> Option<i64> {
        if !self.known.load(Ordering::Acquire) {
            return None;
        }
        self.kept.read().ok().map(|kept| kept.0)
    }

    /// The live session behind a cookie's token (`hash` is its `accounts::token_hash`, which
    /// the caller has already) and its user's principal, from memory when nothing has been
    /// revoked since it was read, else from the store. `counter` is the revocation counter,
    /// read by the caller just before (with a council's revision in one round trip, or alone;
    /// either shared with requests that arrived while another read was in flight,
    /// `shared_read`): a revocation that lands after that read moves it, so what is read here
    /// is never kept under a counter older than itself.
    pub async fn resume_at<G: Governance>(
        &self,
        store: &G,
        token: &str,
        hash: &str,
        now: DateTime<Utc>,
        counter: Option<i64>,
    ) -> Result<Option<(SessionRecord, Principal)>, AppError> {
        let Some(counter) = counter else {
            let found = accounts::resume(store, token, now).await?;
            return Ok(found.map(|(s, u)| (s, u.principal())));
        };
        if let Ok(kept) = self.kept.read()
            && kept.0 == counter
            && let Some(k) = kept.1.get(hash)
            && now >= k.read_at
            && now - k.read_at < REREAD_AFTER
            && !k.session.expired(now)
        {
            return Ok(Some((k.session.clone(), k.principal.clone())));
        }
        let found = accounts::resume(store, token, now)
            .await?
            .map(|(s, u)| (s, u.principal()));
        if let Ok(mut kept) = self.kept.write() {
            self.known.store(true, Ordering::Release);
            if kept.0 < counter {
                *kept = (counter, HashMap::new());
            } else if kept.1.len() >= MAX_KEPT {
                kept.1.clear();
            }
            if kept.0 == counter {
                match &found {
                    Some((session, principal)) => {
                        kept.1.insert(
                            hash.to_string(),
                            Kept {
                                read_at: now,
                                session: session.clone(),
                                principal: principal.clone(),
                            },
                        );
                    }
                    None => {
                        kept.1.remove(hash);
                    }
                }
            }
        }
        Ok(found)
    }
}
