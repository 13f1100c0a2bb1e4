//! Who is calling the API: the bearer token resolved to its owner's principal (kept in memory
//! while the revocation counter stands still, as sessions are, so revoking a token takes
//! effect on the next request), each use logged, and a token bucket per token that answers
//! 429 with `Retry-After` when a token asks too fast.

use crate::error::problem;
use crate::{AppState, Backend};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use beacon_app::access::Principal;
use beacon_app::accounts::token_hash;
use beacon_app::tokens::{self, TokenRecord};
use beacon_app::{AppError, Governance};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// The token behind an API request and whom it acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: TokenRecord,
    pub principal: Principal,
}

/// How long a kept token is trusted before it is read (and its last use touched) again.
const REREAD_AFTER: Duration = Duration::minutes(1);
/// The most tokens kept; past it the store starts again.
const MAX_KEPT: usize = 10_000;

/// Callers by token hash, with when each was read.
type Kept = HashMap<String, (DateTime<Utc>, Caller)>;

/// Tokens this process has read, with the revocation counter they were read at.
#[derive(Default)]
pub struct Tokens {
    kept: RwLock<(i64, Kept)>,
}

impl Tokens {
    /// The live token and its principal, from memory when nothing has been revoked since it
    /// was read, else from the store.
    pub async fn resume<G: Governance>(
        &self,
        store: &G,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Caller>, AppError> {
        let read = |found: Option<(TokenRecord, Principal)>| {
            found.map(|(token, principal)| Caller { token, principal })
        };
        let Some(counter) = store.revocations().await? else {
            return Ok(read(tokens::authenticate(store, token, now).await?));
        };
        let hash = token_hash(token);
        if let Ok(kept) = self.kept.read()
            && kept.0 == counter
            && let Some((at, c)) = kept.1.get(&hash)
            && now >= *at
            && now - *at < REREAD_AFTER
            && c.token.live(now)
        {
            return Ok(Some(c.clone()));
        }
        let found = read(tokens::authenticate(store, token, now).await?);
        if let Ok(mut kept) = self.kept.write() {
            if kept.0 < counter {
                *kept = (counter, HashMap::new());
            } else if kept.1.len() >= MAX_KEPT {
                kept.1.clear();
            }
            if kept.0 == counter {
                match &found {
                    Some(c) => {
                        kept.1.insert(hash, (now, c.clone()));
                    }
                    None => {
                        kept.1.remove(&hash);
                    }
                }
            }
        }
        Ok(found)
    }
}

/// How fast one token may ask: a burst, then a steady rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub burst: f64,
    pub per_second: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            burst: 600.0,
            per_second: 100.0,
        }
    }
}

/// A token bucket per token.
pub struct Limits {
    limit: RateLimit,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl Limits {
    pub fn new(limit: RateLimit) -> Limits {
        Limits {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the token's bucket, or says how many seconds until it may ask.
    pub fn take(&self, token: i64, now: Instant) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > MAX_KEPT {
            buckets.clear();
        }
        let (level, at) = buckets.entry(token).or_insert((self.limit.burst, now));
        let refilled = now.saturating_duration_since(*at).as_secs_f64() * self.limit.per_second;
        *level = (*level + refilled).min(self.limit.burst);
        *at = now;
        if *level >= 1.0 {
            *level -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - *level) / self.limit.per_second.max(f64::MIN_POSITIVE);
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

/// The answer to an API request that needs a token and has none, or a bad one.
pub(crate) fn unauthenticated_because(why: &str) -> Response {
    let mut r = problem(StatusCode::UNAUTHORIZED, why);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"beacon\""),
    );
    r
}

pub(crate) fn unauthenticated() -> Response {
    unauthenticated_because(
        "Send an API token: Authorization: Bearer followed by a token made on your account page.",
    )
}

/// Resolves the bearer token of an API request (no cookie is looked at), logs its use and
/// takes a request from its bucket. A request without one goes on as anonymous: public
/// routes answer it, the rest answer 401.
pub(crate) async fn bearer<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    mut req: Request,
    next: Next,
) -> Response {
    if !super::is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(given) = req.headers().get(header::AUTHORIZATION) else {
        return next.run(req).await;
    };
    let Some(token) = given
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return unauthenticated_because(
            "The Authorization header must say Bearer, a space, and a token made on your account page.",
        );
    };
    let now = (state.clock)();
    let caller = match state.tokens.resume(&state.store, token, now).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            tracing::info!(target: "beacon::api", path = %req.uri().path(), "refused an API token that is not live");
            return unauthenticated_because(
                "The API token is not valid: it may have expired or been revoked, or its owner no longer has a role on its council. Make a new one on your account page.",
            );
        }
        Err(e) => return crate::error::problem_of(e.into()),
    };
    if let Err(wait) = state.limits.take(caller.token.id, Instant::now()) {
        tracing::info!(target: "beacon::api", token = caller.token.id, wait, "an API token asked too fast");
        let mut r = problem(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("This token has made too many requests. Wait {wait} seconds and try again."),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    tracing::info!(
        target: "beacon::api",
        token = caller.token.id,
        name = %caller.token.name,
        user = %caller.principal.username,
        method = %req.method(),
        path = %req.uri().path(),
        "API token used"
    );
    req.extensions_mut().insert(caller);
    next.run(req).await
}
