//! Multi-factor sign-in: time-based one-time codes (TOTP, RFC 6238: HMAC-SHA1, six digits,
//! thirty-second steps, computed by the `totp-rs` crate) from an authenticator app, one step
//! of clock skew either way and each step accepted once; ten one-time recovery codes kept only
//! as SHA-256; the second step of sign-in for users who turned it on; councils that require it
//! of administrators and performance officers. Every change is audited.

use crate::access::{Grant, Role};
use crate::accounts::{SessionRecord, UserRecord, new_token, random_bytes, token_hash};
use crate::audit::{Actor, AuditNote, hex};
use crate::error::AppError;
use crate::ports::Governance;
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Seconds per time step (RFC 6238's default, what every authenticator app uses).
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: u8 = 6;
/// Steps of clock difference allowed either way.
pub const SKEW_STEPS: u16 = 1;
/// Recovery codes issued at a time.
pub const RECOVERY_CODES: usize = 10;
/// How long the second step of sign-in waits after the password.
pub const PENDING_TIMEOUT: Duration = Duration::minutes(10);
/// Wrong codes allowed in one sign-in; then the password must be given again (and the
/// password is throttled), so codes cannot be guessed at speed.
pub const MAX_CODE_FAILURES: i64 = 5;
/// The name authenticator apps show for the account.
pub const ISSUER: &str = "Beacon";

/// A user's second factor as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRecord {
    pub user_id: i64,
    /// Base32, as authenticator apps take it.
    pub secret: String,
    /// When the user confirmed it with a code; `None` while being set up.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The last time step a code was accepted at; only later steps are accepted.
    pub last_step: i64,
    /// Recovery codes not yet used.
    pub recovery_left: i64,
}

impl MfaRecord {
    /// Whether sign-in asks for a code.
    pub fn is_on(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// A sign-in that has passed the password and waits for its second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// SHA-256 of the token in the browser's cookie.
    pub id_hash: String,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    /// Wrong codes so far.
    pub failures: i64,
}

/// What a user needs to set up an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Base32, for typing into the app.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
}

fn totp(secret: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|e| AppError::Invalid(format!("the stored MFA secret is not base32: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret)
        .build()
        .map_err(|e| AppError::Invalid(format!("the stored MFA secret: {e:?}")))
}

fn unix_seconds(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp()).unwrap_or(0)
}

/// The code an app shows at `time` for a secret (for the command line and tests).
pub fn code_at(secret: &str, time: DateTime<Utc>) -> Result<String, AppError> {
    Ok(totp(secret)?.generate(unix_seconds(time)).to_string())
}

/// The time step a code belongs to, if it is right at `now` give or take one step. Spaces in
/// the code are ignored, as apps show `123 456`.
pub fn step_of(secret: &str, code: &str, now: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    Ok(totp(secret)?
        .check(&code, unix_seconds(now))
        .and_then(|s| i64::try_from(s).ok()))
}

/// A new random secret: 160 bits, as RFC 4226 recommends, in base32.
pub fn new_secret() -> Result<String, AppError> {
    Ok(Secret::from(random_bytes::<20>()?.to_vec()).to_base32())
}

/// The `otpauth://totp/…` address for an app (the Key Uri Format apps read from QR codes).
pub fn setup_uri(secret: &str, username: &str) -> String {
    let label: String = username
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "otpauth://totp/{ISSUER}:{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )
}

/// A recovery code as compared: letters and digits only, in lower case.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The SHA-256 a recovery code is stored as. Each code holds 80 random bits, so a plain hash
/// is enough: there is nothing to guess from.
pub fn recovery_hash(code: &str) -> String {
    hex(&Sha256::digest(normalise_recovery(code).as_bytes()))
}

/// Fresh recovery codes: 16 characters each (80 bits), shown as four groups of four.
fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789"; // 31 signs, no look-alikes
    (0..RECOVERY_CODES)
        .map(|_| {
            let bytes = random_bytes::<16>()?;
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect();
            Ok(chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-"))
        })
        .collect()
}

/// Whether the user must use MFA: they hold an administrator's or performance officer's role
/// on a council that requires it.
pub fn is_required(user: &UserRecord, requiring: &[CouncilRef]) -> bool {
    requiring_roles(&user.grants).any(|g| requiring.contains(&g.council))
}

/// The grants whose role a council may require MFA for.
fn requiring_roles(grants: &[Grant]) -> impl Iterator<Item = &Grant> {
    grants
        .iter()
        .filter(|g| matches!(g.role, Role::Administrator | Role::PerformanceOfficer))
}

/// Whether the user must use MFA, asking the store which councils require it.
pub async fn required_for<G: Governance>(store: &G, user: &UserRecord) -> Result<bool, AppError> {
    required_for_grants(store, &user.grants).await
}

/// Whether a holder of these grants must use MFA; the store is asked only when one of them is
/// a role a council may require it for.
pub async fn required_for_grants<G: Governance>(
    store: &G,
    grants: &[Grant],
) -> Result<bool, AppError> {
    if requiring_roles(grants).next().is_none() {
        return Ok(false);
    }
    let requiring = store.mfa_required_councils().await?;
    Ok(requiring_roles(grants).any(|g| requiring.contains(&g.council)))
}

fn note(username: &str, by: &Actor, field: &str, old: &str, new: &str) -> AuditNote {
    AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: None,
        entity: format!("user {username}"),
        item: None,
        field: field.to_string(),
        old: Some(old.to_string()),
        new: Some(new.to_string()),
        reason: by.reason.clone(),
    }
}

/// Starts (or resumes) setting up an app: the secret being set up, made if there is none.
/// Refused if the user already has MFA on.
pub async fn begin_setup<G: Governance>(store: &G, user: &UserRecord) -> Result<Setup, AppError> {
    let secret = match store.mfa(user.id).await? {
        Some(m) if m.is_on() => {
            return Err(AppError::Refused(
                "Multi-factor sign-in is already on for your account".into(),
            ));
        }
        Some(m) => m.secret,
        None => {
            let s = new_secret()?;
            store.begin_mfa(user.id, &s).await?;
            s
        }
    };
    Ok(Setup {
        uri: setup_uri(&secret, &user.username),
        secret,
    })
}

/// How confirming a code ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// MFA is on; the recovery codes, shown once and never again.
    On { recovery_codes: Vec<String> },
    /// The code is not the app's current one (or was used already).
    WrongCode,
}

/// Turns MFA on when the code is the app's current one; issues recovery codes.
pub async fn confirm_setup<G: Governance>(
    store: &G,
    user: &UserRecord,
    code: &str,
    by: &Actor,
) -> Result<Confirmed, AppError> {
    let Some(m) = store.mfa(user.id).await? else {
        return Err(AppError::Refused(
            "Start setting up multi-factor sign-in again: the setup was not found".into(),
        ));
    };
    if m.is_on() {
        return Err(AppError::Refused(
            "Multi-factor sign-in is already on for your account".into(),
        ));
    }
    let Some(step) = step_of(&m.secret, code, by.at)? else {
        return Ok(Confirmed::WrongCode);
    };
    let codes = new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    let n = note(&user.username, by, "mfa", "off", "on");
    store.confirm_mfa(user.id, step, &hashes, by.at, &n).await?;
    Ok(Confirmed::On {
        recovery_codes: codes,
    })
}

/// Checks a code from the app or a recovery code, using it up: an app code's step is never
/// accepted again, a recovery code works once (and its use is audited).
pub async fn use_code<G: Governance>(
    store: &G,
    user: &UserRecord,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(m) = store.mfa(user.id).await?.filter(MfaRecord::is_on) else {
        return Ok(false);
    };
    let recovery = normalise_recovery(code);
    if recovery.len() > usize::from(DIGITS) {
        let n = note(
            &user.username,
            &Actor::new(user.username.clone(), now),
            "mfa recovery code",
            &format!("{} unused", m.recovery_left),
            &format!("{} unused", (m.recovery_left - 1).max(0)),
        );
        return Ok(store
            .use_recovery_code(user.id, &recovery_hash(code), now, &n)
            .await?);
    }
    match step_of(&m.secret, code, now)? {
        Some(step) => Ok(store.use_mfa_step(user.id, step).await?),
        None => Ok(false),
    }
}

/// Turns MFA off for the user, given a current code (or a recovery code); refused when a
/// council requires it of them.
pub async fn turn_off<G: Governance>(
    store: &G,
    user: &UserRecord,
    code: &str,
    by: &Actor,
) -> Result<bool, AppError> {
    if required_for(store, user).await? {
        return Err(AppError::Refused(
            "Your council requires multi-factor sign-in for your role, so it cannot be turned off"
                .into(),
        ));
    }
    if !use_code(store, user, code, by.at).await? {
        return Ok(false);
    }
    let n = note(&user.username, by, "mfa", "on", "off");
    store.remove_mfa(user.id, &n).await?;
    Ok(true)
}

/// New recovery codes in place of the old, given a current code.
pub async fn replace_recovery_codes<G: Governance>(
    store: &G,
    user: &UserRecord,
    code: &str,
    by: &Actor,
) -> Result<Option<Vec<String>>, AppError> {
    if !use_code(store, user, code, by.at).await? {
        return Ok(None);
    }
    let codes = new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    let n = note(&user.username, by, "mfa recovery codes", "old", "replaced");
    store.replace_recovery_codes(user.id, &hashes, &n).await?;
    Ok(Some(codes))
}

/// Clears a user's MFA (a lost device), for an administrator: they set it up again at their
/// next sign-in if their council requires it. Ends the user's sessions. `false` if the user
/// had none.
pub async fn reset<G: Governance>(store: &G, username: &str, by: &Actor) -> Result<bool, AppError> {
    let name = crate::accounts::username_key(username);
    let user = store
        .user_by_name(&name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no user {username:?}")))?;
    let Some(m) = store.mfa(user.id).await? else {
        return Ok(false);
    };
    let old = if m.is_on() { "on" } else { "being set up" };
    store
        .remove_mfa(user.id, &note(&name, by, "mfa", old, "reset"))
        .await?;
    store.end_sessions_of(user.id).await?;
    Ok(true)
}

/// Makes a council require MFA of its administrators and performance officers, or not.
/// `false` if it already was as asked.
pub async fn set_required<G: Governance>(
    store: &G,
    council: &CouncilRef,
    required: bool,
    by: &Actor,
) -> Result<bool, AppError> {
    let was = store.mfa_required_councils().await?.contains(council);
    if was == required {
        return Ok(false);
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let n = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(council.as_str().to_string()),
        entity: format!("council {council}"),
        item: None,
        field: "mfa required".into(),
        old: Some(yes_no(was).into()),
        new: Some(yes_no(required).into()),
        reason: by.reason.clone(),
    };
    store.set_mfa_required(council, required, &n).await?;
    Ok(true)
}

/// What follows a right password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterPassword {
    /// No second step: the session stands.
    Done,
    /// Ask for a code; the session was ended and this token (for a cookie) stands for the
    /// sign-in in between.
    Code { token: String },
    /// The user must set up an app first (their council requires it); same token.
    Setup { token: String },
}

/// Decides whether a sign-in whose password was right needs a second step. If it does, the
/// session just made is ended before its token ever reaches the browser, and a pending
/// sign-in takes its place.
pub async fn after_password<G: Governance>(
    store: &G,
    session: &SessionRecord,
    user: &UserRecord,
    now: DateTime<Utc>,
) -> Result<AfterPassword, AppError> {
    let on = store.mfa(user.id).await?.is_some_and(|m| m.is_on());
    if !on && !required_for(store, user).await? {
        return Ok(AfterPassword::Done);
    }
    store.end_session(&session.id_hash).await?;
    let token = new_token()?;
    store
        .create_pending_sign_in(&PendingSignIn {
            id_hash: token_hash(&token),
            user_id: user.id,
            created_at: now,
            failures: 0,
        })
        .await?;
    Ok(if on {
        AfterPassword::Code { token }
    } else {
        AfterPassword::Setup { token }
    })
}

/// The user of a live pending sign-in; an expired one is ended.
pub async fn pending_user<G: Governance>(
    store: &G,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserRecord>, AppError> {
    let hash = token_hash(token);
    let Some(p) = store.pending_sign_in(&hash).await? else {
        return Ok(None);
    };
    if now - p.created_at > PENDING_TIMEOUT || p.failures >= MAX_CODE_FAILURES {
        store.end_pending_sign_in(&hash).await?;
        return Ok(None);
    }
    Ok(store.user(p.user_id).await?.filter(|u| !u.disabled))
}

/// How the second step of sign-in ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondStep {
    /// Signed in: the cookie token and the session.
    SignedIn {
        token: String,
        session: SessionRecord,
        user: UserRecord,
    },
    /// Set up and signed in: the recovery codes to show once, too.
    SetUp {
        token: String,
        session: SessionRecord,
        user: UserRecord,
        recovery_codes: Vec<String>,
    },
    /// Not the right code; this many tries are left.
    Wrong { tries_left: i64 },
    /// The sign-in has expired or had too many wrong codes: start again with the password.
    Expired,
}

async fn start_session<G: Governance>(
    store: &G,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(String, SessionRecord), AppError> {
    let token = new_token()?;
    let session = SessionRecord {
        id_hash: token_hash(&token),
        user_id,
        csrf_token: new_token()?,
        created_at: now,
        last_seen_at: now,
    };
    store.create_session(&session).await?;
    Ok((token, session))
}

async fn wrong<G: Governance>(store: &G, token: &str) -> Result<SecondStep, AppError> {
    let hash = token_hash(token);
    let failures = store.count_pending_failure(&hash).await?;
    if failures >= MAX_CODE_FAILURES {
        store.end_pending_sign_in(&hash).await?;
        return Ok(SecondStep::Expired);
    }
    Ok(SecondStep::Wrong {
        tries_left: MAX_CODE_FAILURES - failures,
    })
}

/// The second step: a code from the app, or a recovery code.
pub async fn verify_pending<G: Governance>(
    store: &G,
    token: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SecondStep, AppError> {
    let Some(user) = pending_user(store, token, now).await? else {
        return Ok(SecondStep::Expired);
    };
    if !use_code(store, &user, code, now).await? {
        return wrong(store, token).await;
    }
    store.end_pending_sign_in(&token_hash(token)).await?;
    let (token, session) = start_session(store, user.id, now).await?;
    Ok(SecondStep::SignedIn {
        token,
        session,
        user,
    })
}

/// Setting up an app in the middle of signing in (the council requires it).
pub async fn pending_setup<G: Governance>(
    store: &G,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Setup>, AppError> {
    match pending_user(store, token, now).await? {
        Some(user) => Ok(Some(begin_setup(store, &user).await?)),
        None => Ok(None),
    }
}

/// Confirms the app set up while signing in, and signs in.
pub async fn confirm_pending_setup<G: Governance>(
    store: &G,
    token: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SecondStep, AppError> {
    let Some(user) = pending_user(store, token, now).await? else {
        return Ok(SecondStep::Expired);
    };
    let by = Actor::new(user.username.clone(), now);
    match confirm_setup(store, &user, code, &by).await? {
        Confirmed::WrongCode => wrong(store, token).await,
        Confirmed::On { recovery_codes } => {
            store.end_pending_sign_in(&token_hash(token)).await?;
            let (token, session) = start_session(store, user.id, now).await?;
            Ok(SecondStep::SetUp {
                token,
                session,
                user,
                recovery_codes,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the 8-digit codes for the ASCII secret
    /// "12345678901234567890". A 6-digit code is the last six digits of the same number.
    const RFC6238_SHA1: &[(i64, &str)] = &[
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    fn rfc_secret() -> String {
        Secret::from(b"12345678901234567890".to_vec()).to_base32()
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap_or_default()
    }

    #[test]
    fn codes_are_rfc_6238_test_vectors() {
        let s = rfc_secret();
        assert_eq!(s, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (t, code) in RFC6238_SHA1 {
            assert_eq!(
                code_at(&s, at(*t)).ok().as_deref(),
                Some(&code[2..]),
                "t={t}"
            );
            let step = t / 30;
            assert_eq!(step_of(&s, &code[2..], at(*t)).ok().flatten(), Some(step));
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let s = rfc_secret();
        let t = 1_111_111_111;
        let code = &RFC6238_SHA1[2].1[2..];
        assert!(step_of(&s, code, at(t + 30)).ok().flatten().is_some());
        assert!(step_of(&s, code, at(t - 30)).ok().flatten().is_some());
        assert!(step_of(&s, code, at(t + 90)).ok().flatten().is_none());
        assert!(step_of(&s, code, at(t - 90)).ok().flatten().is_none());
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(step_of(&s, &spaced, at(t)).ok().flatten().is_some());
        assert!(step_of(&s, "12345x", at(t)).ok().flatten().is_none());
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_however_typed() {
        let codes = new_recovery_codes().unwrap_or_default();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let c = &codes[0];
        assert_eq!(c.len(), 19, "{c}");
        assert_eq!(
            recovery_hash(c),
            recovery_hash(&c.to_uppercase().replace('-', " "))
        );
    }

    #[test]
    fn the_setup_uri_names_issuer_and_account() {
        assert_eq!(
            setup_uri("ABC", "ann@x.gov"),
            "otpauth://totp/Beacon:ann%40x.gov?secret=ABC&issuer=Beacon&algorithm=SHA1&digits=6&period=30"
        );
    }
}
