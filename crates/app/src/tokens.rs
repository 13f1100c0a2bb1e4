//! Personal API tokens: made by a signed-in person on their account page, shown once, kept
//! only as a SHA-256; each named, reaching one council, reading or reading and writing, with
//! an expiry; never more than the person's own roles (a token acts with the roles its owner
//! holds now, on its council, and a read token as a councillor would); revocable at once.

use crate::access::{Action, Grant, Principal, Role};
use crate::accounts::{new_token, token_hash};
use crate::audit::{Actor, AuditNote};
use crate::error::AppError;
use crate::ports::Governance;
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenScope {
    /// Read the council's data, as a councillor would.
    Read,
    /// Read, and write what the owner's roles allow.
    ReadWrite,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read-write",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenScope::Read => "Read only",
            TokenScope::ReadWrite => "Read and write",
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TokenScope {
    type Err = String;
    fn from_str(s: &str) -> Result<TokenScope, String> {
        match s.trim() {
            "read" => Ok(TokenScope::Read),
            "read-write" => Ok(TokenScope::ReadWrite),
            other => Err(format!(
                "{other:?} is not a token scope: choose read or read-write"
            )),
        }
    }
}

/// A token as stored (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub name: String,
    pub user_id: i64,
    pub council: CouncilRef,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl TokenRecord {
    /// Whether the token may be used at `now`.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        !self.revoked && now < self.expires_at
    }
}

/// The longest a token may live.
pub const MAX_DAYS: i64 = 366;
/// The longest name a token may have.
pub const MAX_NAME: usize = 100;
/// Every token starts with this, so one found in a log or a repository is recognisable.
pub const PREFIX: &str = "bcn_";

/// A token asked for on the account page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub name: String,
    pub council: String,
    pub scope: String,
    /// How many days it lasts, as typed.
    pub days: String,
}

/// Which field of a [`TokenRequest`] a problem is about, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> TokenProblem {
    TokenProblem {
        field,
        message: message.into(),
    }
}

/// Whether the person's roles on the council allow anything beyond reading.
pub fn may_write(who: &Principal, council: &CouncilRef) -> bool {
    who.grants.iter().any(|g| {
        &g.council == council
            && [
                Action::Enter,
                Action::SignOff,
                Action::Manage,
                Action::Administer,
            ]
            .iter()
            .any(|a| g.role.allows(*a))
    })
}

/// Checks a request against the person's roles: every problem at once.
pub fn check(
    who: &Principal,
    req: &TokenRequest,
) -> Result<(String, CouncilRef, TokenScope, i64), Vec<TokenProblem>> {
    let mut problems = Vec::new();
    let name = req.name.trim().to_string();
    if name.is_empty() {
        problems.push(problem(
            "name",
            "Enter a name for the token, saying what will use it",
        ));
    } else if name.chars().count() > MAX_NAME {
        problems.push(problem(
            "name",
            format!("A token's name must be {MAX_NAME} characters or fewer"),
        ));
    }
    let council = req
        .council
        .trim()
        .parse::<CouncilRef>()
        .ok()
        .filter(|c| who.belongs_to(c));
    if council.is_none() {
        problems.push(problem(
            "council",
            "Choose one of the councils you have a role on",
        ));
    }
    let scope = match req.scope.parse::<TokenScope>() {
        Ok(s) => Some(s),
        Err(_) => {
            problems.push(problem(
                "scope",
                "Choose whether the token may only read, or read and write",
            ));
            None
        }
    };
    if let (Some(c), Some(TokenScope::ReadWrite)) = (&council, scope)
        && !may_write(who, c)
    {
        problems.push(problem(
            "scope",
            format!("Your roles on {c} only let you read, so a token of yours can only read"),
        ));
    }
    let days = match req.days.trim().parse::<i64>() {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
        _ => {
            problems.push(problem(
                "days",
                format!("Enter how many days the token lasts, a whole number from 1 to {MAX_DAYS}"),
            ));
            None
        }
    };
    match (council, scope, days) {
        (Some(c), Some(s), Some(d)) if problems.is_empty() => Ok((name, c, s, d)),
        _ => Err(problems),
    }
}

/// A token made: the token itself (shown once) and what is stored of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub token: String,
    pub record: TokenRecord,
}

/// Makes a token for the person, or says every problem with the request.
pub async fn create<G: Governance>(
    store: &G,
    who: &Principal,
    req: &TokenRequest,
    now: DateTime<Utc>,
) -> Result<Result<Made, Vec<TokenProblem>>, AppError> {
    let (name, council, scope, days) = match check(who, req) {
        Ok(ok) => ok,
        Err(p) => return Ok(Err(p)),
    };
    let token = format!("{PREFIX}{}", new_token()?);
    let mut record = TokenRecord {
        id: 0,
        token_hash: token_hash(&token),
        name,
        user_id: who.user_id,
        council,
        scope,
        created_at: now,
        expires_at: now + Duration::days(days),
        revoked: false,
        last_used_at: None,
    };
    let note = note(
        who,
        &record,
        now,
        None,
        Some(format!(
            "{} until {}",
            scope,
            record.expires_at.format("%Y-%m-%d")
        )),
    );
    record.id = store.create_token(&record, &note).await?;
    Ok(Ok(Made { token, record }))
}

fn note(
    who: &Principal,
    t: &TokenRecord,
    at: DateTime<Utc>,
    old: Option<String>,
    new: Option<String>,
) -> AuditNote {
    let by = Actor::new(who.username.clone(), at);
    AuditNote {
        at: by.at,
        actor: by.name,
        council: Some(t.council.to_string()),
        entity: crate::keys::user(&who.username),
        item: Some(format!("API token {:?}", t.name)),
        field: "api token".into(),
        old,
        new,
        reason: None,
    }
}

/// Revokes one of the person's tokens; at once, everywhere. `NotFound` if it is not theirs.
pub async fn revoke<G: Governance>(
    store: &G,
    who: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> Result<TokenRecord, AppError> {
    let token = store
        .tokens_of(who.user_id)
        .await?
        .into_iter()
        .find(|t| t.id == id && !t.revoked)
        .ok_or_else(|| AppError::NotFound("You have no such token".into()))?;
    let note = note(
        who,
        &token,
        now,
        Some(token.scope.to_string()),
        Some("revoked".into()),
    );
    store.revoke_token(token.id, &note).await?;
    Ok(TokenRecord {
        revoked: true,
        ..token
    })
}

/// The principal a token acts as: its owner's grants on the token's council as they stand
/// now; for a read token, those grants as a councillor's (reading only).
pub fn principal_of(owner: &Principal, token: &TokenRecord) -> Principal {
    let grants = owner
        .grants
        .iter()
        .filter(|g| g.council == token.council)
        .map(|g| Grant {
            role: match token.scope {
                TokenScope::Read => Role::Councillor,
                TokenScope::ReadWrite => g.role,
            },
            ..g.clone()
        })
        .collect();
    Principal {
        grants,
        ..owner.clone()
    }
}

/// Whom a bearer token acts as, if it is live and its owner is enabled and still has a role
/// on its council; touches its last use at most once a minute.
pub async fn authenticate<G: Governance>(
    store: &G,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(TokenRecord, Principal)>, AppError> {
    if !token.starts_with(PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    let Some(record) = store.token(&token_hash(token)).await? else {
        return Ok(None);
    };
    if !record.live(now) {
        return Ok(None);
    }
    let Some(user) = store.user(record.user_id).await? else {
        return Ok(None);
    };
    if user.disabled || !user.has_role_on(&record.council) {
        return Ok(None);
    }
    if record
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        store.touch_token(record.id, now).await?;
    }
    let principal = principal_of(&user.principal(), &record);
    Ok(Some((record, principal)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn person(role: Role) -> Principal {
        Principal {
            user_id: 1,
            username: "ann".into(),
            display_name: "Ann".into(),
            grants: vec![Grant {
                role,
                council: "halton".parse().unwrap(),
                unit: None,
            }],
        }
    }

    fn req(council: &str, scope: &str, days: &str) -> TokenRequest {
        TokenRequest {
            name: "warehouse".into(),
            council: council.into(),
            scope: scope.into(),
            days: days.into(),
        }
    }

    #[test]
    fn a_token_is_never_more_than_its_owner() {
        let cllr = person(Role::Councillor);
        let refused = check(&cllr, &req("halton", "read-write", "30"))
            .err()
            .unwrap_or_default();
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].message.contains("only let you read"),
            "{refused:?}"
        );
        assert!(check(&cllr, &req("halton", "read", "30")).is_ok());
        let other = check(&person(Role::Administrator), &req("knowsley", "read", "0"))
            .err()
            .unwrap_or_default();
        assert_eq!(
            other.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["council", "days"]
        );
    }

    #[test]
    fn a_read_token_reads_as_a_councillor() {
        let admin = person(Role::Administrator);
        let t = TokenRecord {
            id: 1,
            token_hash: String::new(),
            name: "x".into(),
            user_id: 1,
            council: "halton".parse().unwrap(),
            scope: TokenScope::Read,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            expires_at: DateTime::<Utc>::UNIX_EPOCH + Duration::days(1),
            revoked: false,
            last_used_at: None,
        };
        let p = principal_of(&admin, &t);
        assert!(p.may(&t.council, Action::Read));
        assert!(!p.may(&t.council, Action::Enter));
        let rw = principal_of(
            &admin,
            &TokenRecord {
                scope: TokenScope::ReadWrite,
                ..t.clone()
            },
        );
        assert!(rw.may(&t.council, Action::Manage));
        assert!(!t.live(DateTime::<Utc>::UNIX_EPOCH + Duration::days(2)));
    }
}
