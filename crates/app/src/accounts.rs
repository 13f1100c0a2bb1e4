//! Accounts and sign-in: passwords hashed with Argon2id (m = 19 456 KiB, t = 2, p = 1, OWASP's
//! minimum), sessions kept in the database under the SHA-256 of their token, idle and absolute
//! timeouts, and sign-in failures throttled per account and client, whether or not the account
//! exists, so no answer tells which names are real (`throttle`).

use crate::access::{Grant, Principal};
use crate::audit::{Actor, AuditNote, hex};
use crate::error::AppError;
use crate::ports::Governance;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::throttle::Client;

/// How long a session lasts without use.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// How long a session lasts however much it is used.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Failed sign-ins allowed per account from one client in [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

impl UserRecord {
    /// Whether the user holds any role on the council.
    pub fn has_role_on(&self, council: &CouncilRef) -> bool {
        self.grants.iter().any(|g| &g.council == council)
    }

    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            grants: self.grants.clone(),
        }
    }
}

/// A user to be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub grants: Vec<Grant>,
}

/// A change to a user: each ends every session the user has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    Disable,
    Enable,
    Password(String),
    /// Replaces every grant the user holds.
    Grants(Vec<Grant>),
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the token in the cookie: a copy of the database gives no live session.
    pub id_hash: String,
    pub user_id: i64,
    /// The form token that proves a request came from one of Beacon's own pages.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl SessionRecord {
    /// Whether the session has timed out at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at > IDLE_TIMEOUT || now - self.created_at > ABSOLUTE_TIMEOUT
    }
}

/// The Argon2id hasher at Beacon's parameters.
fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19_456, 2, 1, None)
        .map_err(|e| AppError::Invalid(format!("Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf)
        .map_err(|e| AppError::Invalid(format!("no randomness from the system: {e}")))?;
    Ok(buf)
}

/// A fresh random token, 256 bits as hex.
pub fn new_token() -> Result<String, AppError> {
    Ok(hex(&random_bytes::<32>()?))
}

/// The SHA-256 of a session token, as stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A username as stored and looked up: trimmed and in lower case, so `Bob ` is `bob`.
pub fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// What a password must be.
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 12 {
        return Err(AppError::Invalid(
            "A password must be at least 12 characters long".into(),
        ));
    }
    Ok(())
}

/// A new random password: 20 characters from an alphabet without look-alikes (about 100
/// bits), for a new account or a reset, shown once to whoever hands it over.
pub fn generate_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    Ok(random_bytes::<20>()?
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// Hashes a password with Argon2id and a random salt, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AppError::Invalid(format!("salt: {e}")))?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AppError::Invalid(format!("hashing the password: {e}")))?
        .to_string())
}

/// [`hash_password`] on a blocking thread, a few at a time (`throttle::hashing`).
pub async fn hashed(password: &str) -> Result<String, AppError> {
    let p = password.to_string();
    crate::throttle::hashing(move || hash_password(&p)).await?
}

/// Whether `password` matches a stored hash. Hashes that do not parse never match.
pub fn password_matches(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of no one's password, verified against when the account does not exist so that an
/// unknown name takes as long to refuse as a wrong password.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("beacon decoy password").unwrap_or_default())
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the cookie token (only ever given to the browser) and the session.
    Ok {
        token: String,
        session: SessionRecord,
        user: UserRecord,
    },
    /// Wrong name or password, or a disabled account: one answer for all three.
    Refused,
    /// Too many failures for this name lately; try again after the wait.
    Throttled { retry_after: Duration },
}

/// The message a page shows for a refused sign-in: the same whatever the reason.
pub const REFUSED_MESSAGE: &str = "The username or password is not right";

/// What a name and password come to, before any session: the same throttle and the same
/// single answer for a wrong name, a wrong password and a disabled account, for signing in and
/// for proving who you are again (changing your own password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    Right(UserRecord),
    Refused,
    Throttled { retry_after: Duration },
}

/// Checks a name and password from a client the edge cannot tell apart from others: as
/// [`check_credentials_from`].
pub async fn check_credentials<G: Governance>(
    store: &G,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Credentials, AppError> {
    check_credentials_from(store, username, password, &Client::default(), now).await
}

/// Checks a name and password: refuses at once when the client is throttled for the account,
/// records a failure when they are wrong, clears the client's failures when they are right
/// (`throttle`).
pub async fn check_credentials_from<G: Governance>(
    store: &G,
    username: &str,
    password: &str,
    client: &Client<'_>,
    now: DateTime<Utc>,
) -> Result<Credentials, AppError> {
    crate::throttle::check(store, username, password, client, now).await
}

/// Signs in: checks the credentials (throttle first), then starts a new session (a new id at
/// every sign-in, so a session id planted before sign-in is worth nothing).
pub async fn sign_in<G: Governance>(
    store: &G,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    sign_in_from(store, username, password, &Client::default(), now).await
}

/// Signs in a client the edge can tell apart (its address, its device cookie): as
/// [`sign_in`], throttled per account and client.
pub async fn sign_in_from<G: Governance>(
    store: &G,
    username: &str,
    password: &str,
    client: &Client<'_>,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    let user = match check_credentials_from(store, username, password, client, now).await? {
        Credentials::Right(user) => user,
        Credentials::Refused => return Ok(SignIn::Refused),
        Credentials::Throttled { retry_after } => return Ok(SignIn::Throttled { retry_after }),
    };
    let token = new_token()?;
    let session = SessionRecord {
        id_hash: token_hash(&token),
        user_id: user.id,
        csrf_token: new_token()?,
        created_at: now,
        last_seen_at: now,
    };
    store.create_session(&session).await?;
    Ok(SignIn::Ok {
        token,
        session,
        user,
    })
}

/// The user behind a session cookie, if the session is live; a timed-out session is ended.
/// Touches the session so idle time starts again.
pub async fn resume<G: Governance>(
    store: &G,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(SessionRecord, UserRecord)>, AppError> {
    let hash = token_hash(token);
    let Some(session) = store.session(&hash).await? else {
        return Ok(None);
    };
    if session.expired(now) {
        store.end_session(&hash).await?;
        return Ok(None);
    }
    let Some(user) = store.user(session.user_id).await? else {
        return Ok(None);
    };
    if user.disabled {
        store.end_sessions_of(user.id).await?;
        return Ok(None);
    }
    // Writing on every request would serialise readers on SQLite; a minute is fine-grained
    // enough for a thirty-minute idle timeout.
    if now - session.last_seen_at > Duration::minutes(1) {
        store.touch_session(&hash, now).await?;
    }
    Ok(Some((session, user)))
}

/// Adds a user with a password and grants.
pub async fn add_user<G: Governance>(
    store: &G,
    username: &str,
    display_name: &str,
    password: &str,
    grants: Vec<Grant>,
    by: &Actor,
) -> Result<i64, AppError> {
    checked_username(username)?;
    check_password(password)?;
    let hash = hashed(password).await?;
    add_user_hashed(store, username, display_name, &hash, grants, by).await
}

/// Adds a user whose password was hashed beforehand, as a PHC string at Beacon's parameters
/// (the demo's users, whose published password is hashed once in the source rather than at
/// every start). A string that is not a PHC hash is refused.
pub async fn add_user_hashed<G: Governance>(
    store: &G,
    username: &str,
    display_name: &str,
    password_hash: &str,
    grants: Vec<Grant>,
    by: &Actor,
) -> Result<i64, AppError> {
    let (user, note) = checked_new_user(
        NewUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            password_hash: password_hash.to_string(),
            grants,
        },
        by,
    )?;
    store.add_user(&user, &note).await.map_err(AppError::from)
}

/// Adds users whose passwords were hashed beforehand, as [`add_user_hashed`] adds one, in one
/// transaction: all of them, or none if any is refused. Returns their ids.
pub async fn add_users_hashed<G: Governance>(
    store: &G,
    users: Vec<NewUser>,
    by: &Actor,
) -> Result<Vec<i64>, AppError> {
    let checked = users
        .into_iter()
        .map(|user| checked_new_user(user, by))
        .collect::<Result<Vec<_>, _>>()?;
    store.add_users(&checked).await.map_err(AppError::from)
}

/// A user with a hashed password as stored (the username as its key, the name trimmed), and
/// the audit note of their creation; refused if the username is not one or the hash is not a
/// PHC string.
fn checked_new_user(user: NewUser, by: &Actor) -> Result<(NewUser, AuditNote), AppError> {
    let name = checked_username(&user.username)?;
    PasswordHash::new(&user.password_hash)
        .map_err(|e| AppError::Invalid(format!("{:?}: not a password hash: {e}", user.username)))?;
    let user = NewUser {
        username: name.clone(),
        display_name: user.display_name.trim().to_string(),
        ..user
    };
    let note = user_note(&name, by, "created", None, Some(grants_text(&user.grants)));
    Ok((user, note))
}

/// The username as stored, if it is one: letters, digits and `. - _ @`.
fn checked_username(username: &str) -> Result<String, AppError> {
    let name = username_key(username);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        return Err(AppError::Invalid(format!(
            "{username:?} is not a username: use letters, digits and . - _ @"
        )));
    }
    Ok(name)
}

/// Disables or re-enables a user, sets a new password or replaces their grants; ends all the
/// user's sessions.
pub async fn change_user<G: Governance>(
    store: &G,
    username: &str,
    change: UserChange,
    by: &Actor,
) -> Result<(), AppError> {
    let name = username_key(username);
    let user = store
        .user_by_name(&name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no user {username:?}")))?;
    let (field, old, new) = match &change {
        UserChange::Disable => ("disabled", user.disabled.to_string(), "true".to_string()),
        UserChange::Enable => ("disabled", user.disabled.to_string(), "false".to_string()),
        UserChange::Password(p) => {
            check_password(p)?;
            ("password", "(hidden)".into(), "(changed)".into())
        }
        UserChange::Grants(g) => ("roles", grants_text(&user.grants), grants_text(g)),
    };
    let change = match change {
        UserChange::Password(p) => UserChange::Password(hashed(&p).await?),
        other => other,
    };
    let note = user_note(&name, by, field, Some(old), Some(new));
    store.change_user(user.id, &change, &note).await?;
    Ok(())
}

fn grants_text(grants: &[Grant]) -> String {
    grants
        .iter()
        .map(Grant::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The user a command line names with `--as`, with their roles: refused if there is no such
/// user or the user is disabled. The roles are checked by each use case, as for a page.
pub async fn acting_as<G: Governance>(store: &G, username: &str) -> Result<Principal, AppError> {
    let user = store
        .user_by_name(&username_key(username))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no user {username:?}")))?;
    if user.disabled {
        return Err(AppError::Forbidden(format!(
            "The user {username:?} is disabled"
        )));
    }
    Ok(user.principal())
}

fn user_note(
    username: &str,
    by: &Actor,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> AuditNote {
    AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: None,
        entity: crate::keys::user(username),
        item: None,
        field: field.to_string(),
        old,
        new,
        reason: by.reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let h = hash_password("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(password_matches("correct horse battery", &h));
        assert!(!password_matches("correct horse batterz", &h));
        assert!(!password_matches("anything", "not a hash"));
        let again = hash_password("correct horse battery").unwrap_or_default();
        assert_ne!(h, again, "each hash has its own salt");
    }

    #[test]
    fn sessions_time_out_when_idle_and_absolutely() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let s = SessionRecord {
            id_hash: String::new(),
            user_id: 1,
            csrf_token: String::new(),
            created_at: t0,
            last_seen_at: t0,
        };
        assert!(!s.expired(t0 + Duration::minutes(29)));
        assert!(s.expired(t0 + Duration::minutes(31)));
        let busy = SessionRecord {
            last_seen_at: t0 + Duration::hours(12),
            ..s
        };
        assert!(!busy.expired(t0 + Duration::hours(12)));
        assert!(busy.expired(t0 + Duration::hours(12) + Duration::minutes(1)));
    }
}

/// A user's own records, as their account page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnRecords {
    /// Their second factor, set up or being set up.
    pub mfa: Option<crate::mfa::MfaRecord>,
    /// Their API tokens, newest first.
    pub tokens: Vec<crate::tokens::TokenRecord>,
    /// How they are told of notices, if they said.
    pub contact: Option<crate::notices::Contact>,
}

/// The user's own records for their account page, read together.
pub async fn own_records<G: Governance>(store: &G, user_id: i64) -> Result<OwnRecords, AppError> {
    Ok(store.own_records(user_id).await?)
}
