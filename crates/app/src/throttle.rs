//! Sign-in throttling, after OWASP's device-cookie pattern. Failures are counted per account
//! *and* per client: five wrong passwords from one address throttle that address for that
//! account, twenty from strangers together throttle strangers, and a browser that has signed
//! in to the account before (it holds a device cookie only a right password earns) is counted
//! on its own, so strangers cannot lock its owner out. Counting and checking are one step: the
//! attempts on one account take turns in this process, and the database keeps the count for
//! every process. Passwords are checked on blocking threads, a few at a time, so a flood of
//! sign-ins never stalls the pages; failures older than the window are forgotten, so names
//! made up by the thousand do not grow a table without bound.

use crate::accounts::{
    Credentials, MAX_FAILURES, THROTTLE_WINDOW, UserRecord, decoy_hash, password_matches,
    username_key,
};
use crate::error::AppError;
use crate::ports::Governance;
use blake2::Blake2bMac;
use blake2::digest::consts::U32;
use blake2::digest::{KeyInit, Mac};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use tokio::sync::{Mutex, Semaphore};

/// Failed sign-ins allowed from all strangers together per account in [`THROTTLE_WINDOW`]
/// (strangers: clients without a device cookie for the account).
pub const MAX_STRANGER_FAILURES: i64 = 20;
/// Passwords checked at once in this process (each check takes 19 MiB and tens of
/// milliseconds of one core).
pub const MAX_CONCURRENT_HASHES: usize = 2;
/// The device cookie: set when a password was right, so the browser is trusted next time.
pub const DEVICE_COOKIE: &str = "beacon_device";
/// How long a browser stays trusted, in seconds (a year).
pub const DEVICE_MAX_AGE: i64 = 365 * 24 * 60 * 60;

/// Who is trying to sign in, as far as the edge can tell.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    /// The address the request came from; `None` when the edge cannot tell (then every
    /// attempt counts against the account as one client).
    pub address: Option<IpAddr>,
    /// The device cookie the browser sent, if any.
    pub device: Option<&'a str>,
}

/// The throttle counters an attempt is counted under, each with its limit; the first is the
/// client's own, cleared when the password is right.
fn counters(name: &str, client: &Client<'_>, device: Option<&str>) -> Vec<(String, i64)> {
    match (device, client.address) {
        (Some(nonce), _) => vec![(format!("{name} device {nonce}"), MAX_FAILURES)],
        (None, Some(ip)) => vec![
            (format!("{name} from {ip}"), MAX_FAILURES),
            (format!("{name} strangers"), MAX_STRANGER_FAILURES),
        ],
        (None, None) => vec![(name.to_string(), MAX_FAILURES)],
    }
}

/// Attempts on one account take turns: a fixed set of locks, an account's chosen by its name,
/// so the set never grows.
fn account_lock(name: &str) -> &'static Mutex<()> {
    static LOCKS: OnceLock<Vec<Mutex<()>>> = OnceLock::new();
    let locks = LOCKS.get_or_init(|| (0..64).map(|_| Mutex::new(())).collect());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    let i = usize::try_from(h.finish() % 64).unwrap_or(0);
    &locks[i]
}

static HASHING: Semaphore = Semaphore::const_new(MAX_CONCURRENT_HASHES);
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most password hashes this process has run at once (for tests and metrics).
pub fn peak_concurrent_hashes() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Runs a password hash or check on a blocking thread, at most [`MAX_CONCURRENT_HASHES`] at
/// once, so the threads that serve requests stay free.
pub async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Invalid(format!("password hashing stopped: {e}")))?;
    let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    PEAK.fetch_max(now, Ordering::SeqCst);
    let out = tokio::task::spawn_blocking(work).await;
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    out.map_err(|e| AppError::Invalid(format!("password hashing failed: {e}")))
}

/// The key a user's device cookies are signed with: derived from their password hash, a
/// secret only the database holds, so a new password makes every earlier device a stranger.
fn device_key(user: &UserRecord) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"beacon device cookie\0");
    h.update(user.password_hash.as_bytes());
    h.finalize().into()
}

fn device_tag(user: &UserRecord, nonce: &[u8]) -> Option<Blake2bMac<U32>> {
    let mut mac = <Blake2bMac<U32> as KeyInit>::new_from_slice(&device_key(user)).ok()?;
    mac.update(user.username.as_bytes());
    mac.update(b"\0");
    mac.update(nonce);
    Some(mac)
}

/// A new device cookie for a user who has just given the right password: a random nonce and
/// its keyed BLAKE2b tag, as hex.
pub fn device_cookie(user: &UserRecord) -> Result<String, AppError> {
    let nonce = crate::accounts::random_bytes::<16>()?;
    let tag = device_tag(user, &nonce)
        .ok_or_else(|| AppError::Invalid("the device key has the wrong length".into()))?
        .finalize()
        .into_bytes();
    Ok(format!(
        "{}{}",
        crate::audit::hex(&nonce),
        crate::audit::hex(&tag)
    ))
}

/// The nonce of a device cookie that this user's right password earned, or `None`.
fn trusted_nonce(cookie: &str, user: &UserRecord) -> Option<String> {
    if cookie.len() != 96 || !cookie.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cookie.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&cookie[i..i + 2], 16).ok())
        .collect();
    let bytes = bytes?;
    let (nonce, tag) = bytes.split_at(16);
    device_tag(user, nonce)?.verify_slice(tag).ok()?;
    Some(cookie[..32].to_string())
}

/// When the failures of the window were last forgotten, in seconds since 1970.
static LAST_PRUNE: AtomicI64 = AtomicI64::new(0);

/// Checks a name and password, throttled per account and client (see the module's notes):
/// a throttled client is refused before any password is checked; a wrong password counts a
/// failure against every counter the client is under; a right one clears the client's own.
pub(crate) async fn check<G: Governance>(
    store: &G,
    username: &str,
    password: &str,
    client: &Client<'_>,
    now: DateTime<Utc>,
) -> Result<Credentials, AppError> {
    let name = username_key(username);
    let _turn = account_lock(&name).lock().await;
    let user = store.user_by_name(&name).await?;
    let device = client
        .device
        .and_then(|d| user.as_ref().and_then(|u| trusted_nonce(d, u)));
    let counters = counters(&name, client, device.as_deref());
    for (key, max) in &counters {
        let failures = store.sign_in_failures(key, now - THROTTLE_WINDOW).await?;
        if failures.len() as i64 >= *max {
            let oldest = failures.iter().min().copied().unwrap_or(now);
            let retry_after = (oldest + THROTTLE_WINDOW - now).max(Duration::seconds(1));
            return Ok(Credentials::Throttled { retry_after });
        }
    }
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_string(), |u| u.password_hash.clone());
    let given = password.to_string();
    let matches = hashing(move || password_matches(&given, &hash)).await?;
    match user {
        Some(user) if matches && !user.disabled => {
            if let Some((own, _)) = counters.first() {
                store.clear_sign_in_failures(own).await?;
            }
            Ok(Credentials::Right(user))
        }
        _ => {
            for (key, _) in &counters {
                store.record_sign_in_failure(key, now).await?;
            }
            forget_old_failures(store, now).await?;
            Ok(Credentials::Refused)
        }
    }
}

/// Forgets failures older than the window, at most once a minute per process.
async fn forget_old_failures<G: Governance>(store: &G, now: DateTime<Utc>) -> Result<(), AppError> {
    let last = LAST_PRUNE.load(Ordering::Relaxed);
    let at = now.timestamp();
    if at - last >= 60
        && LAST_PRUNE
            .compare_exchange(last, at, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok()
    {
        store
            .forget_sign_in_failures_before(now - THROTTLE_WINDOW)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(hash: &str) -> UserRecord {
        UserRecord {
            id: 1,
            username: "bob".into(),
            display_name: "Bob".into(),
            password_hash: hash.into(),
            disabled: false,
            grants: Vec::new(),
        }
    }

    #[test]
    fn a_device_cookie_is_trusted_only_for_its_user_and_password() {
        let bob = user("$argon2id$one");
        let cookie = device_cookie(&bob).unwrap_or_default();
        assert_eq!(cookie.len(), 96);
        assert_eq!(trusted_nonce(&cookie, &bob).as_deref(), Some(&cookie[..32]));
        let new_password = user("$argon2id$two");
        assert_eq!(trusted_nonce(&cookie, &new_password), None);
        let alice = UserRecord {
            username: "alice".into(),
            ..bob.clone()
        };
        assert_eq!(trusted_nonce(&cookie, &alice), None);
        let mut forged = cookie.clone();
        forged.replace_range(95..96, if cookie.ends_with('0') { "1" } else { "0" });
        assert_eq!(trusted_nonce(&forged, &bob), None);
        assert_eq!(trusted_nonce("00", &bob), None);
        assert_eq!(trusted_nonce(&"é".repeat(48), &bob), None);
    }

    #[test]
    fn strangers_are_counted_per_address_and_together_trusted_browsers_alone() {
        let ip: IpAddr = [192, 0, 2, 7].into();
        let stranger = Client {
            address: Some(ip),
            device: None,
        };
        assert_eq!(
            counters("bob", &stranger, None),
            [
                ("bob from 192.0.2.7".to_string(), MAX_FAILURES),
                ("bob strangers".to_string(), MAX_STRANGER_FAILURES)
            ]
        );
        assert_eq!(
            counters("bob", &stranger, Some("ab")),
            [("bob device ab".to_string(), MAX_FAILURES)]
        );
        assert_eq!(
            counters("bob", &Client::default(), None),
            [("bob".to_string(), MAX_FAILURES)]
        );
    }
}
