//! Personal API tokens on the account page: made (and shown once), listed with their council,
//! scope, expiry and last use, and revoked, through `app::tokens`.

use super::account::account_page_with;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::{AppState, Backend};
use axum::extract::{Extension, Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use beacon_app::AppError;
use beacon_app::access::Principal;
use beacon_app::tokens::{self, TokenRequest};
use serde::Deserialize;
use std::sync::Arc;

/// The form to make a token, as filled in.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub council: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub days: String,
}

impl Default for TokenForm {
    fn default() -> Self {
        TokenForm {
            name: String::new(),
            council: String::new(),
            scope: "read".into(),
            days: "90".into(),
        }
    }
}

/// A token as listed.
pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub council: String,
    pub scope: &'static str,
    pub expires: String,
    pub last_used: String,
    /// Live, expired or revoked, in words.
    pub state: &'static str,
    pub live: bool,
}

/// What the account page shows of tokens.
pub struct TokensPart {
    pub list: Vec<TokenLine>,
    /// The councils the user has a role on: (ref, name).
    pub councils: Vec<(String, String)>,
    pub form: TokenForm,
    /// A token just made: shown now and never again.
    pub made: Option<String>,
}

/// The account page's tokens part, from the user's tokens as read.
pub(crate) async fn part<S: Backend>(
    state: &AppState<S>,
    p: &Principal,
    tokens: Vec<beacon_app::tokens::TokenRecord>,
    form: TokenForm,
    made: Option<String>,
) -> Result<TokensPart, WebError> {
    let now = (state.clock)();
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%-d %B %Y").to_string();
    let list = tokens
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            name: t.name.clone(),
            council: t.council.to_string(),
            scope: t.scope.label(),
            expires: when(t.expires_at),
            last_used: t.last_used_at.map_or_else(|| "Never".into(), when),
            state: if t.revoked {
                "Revoked"
            } else if t.live(now) {
                "Live"
            } else {
                "Expired"
            },
            live: t.live(now),
        })
        .collect();
    let mut councils: Vec<(String, String)> = Vec::new();
    for g in &p.grants {
        let c = g.council.to_string();
        if !councils.iter().any(|(r, _)| *r == c) {
            let name = state
                .council_for_names(&c)
                .await
                .map_or_else(|| c.clone(), |d| d.council.name.clone());
            councils.push((c, name));
        }
    }
    Ok(TokensPart {
        list,
        councils,
        form,
        made,
    })
}

/// Makes a token and shows it once; or shows the form again with every problem.
pub async fn create<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let mut form = f.clone();
    if form.council.is_empty() && p.grants.len() == 1 {
        form.council = p.grants[0].council.to_string();
    }
    let req = TokenRequest {
        name: form.name.clone(),
        council: form.council.clone(),
        scope: form.scope.clone(),
        days: form.days.clone(),
    };
    match tokens::create(&state.store, p, &req, (state.clock)()).await? {
        Ok(made) => {
            tracing::info!(target: "beacon::api", token = made.record.id, user = %p.username, "an API token was made");
            account_page_with(
                &state,
                &viewer,
                Vec::new(),
                TokenForm::default(),
                Some(made.token),
                None,
            )
            .await
        }
        Err(problems) => {
            let errors = problems
                .into_iter()
                .map(|pr| FieldError {
                    field: format!("token-{}", pr.field),
                    message: pr.message,
                })
                .collect();
            account_page_with(&state, &viewer, errors, form, None, None).await
        }
    }
}

/// Revokes one of the viewer's tokens: refused at once wherever it is used.
pub async fn revoke<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    match tokens::revoke(&state.store, p, id, (state.clock)()).await {
        Ok(t) => {
            tracing::info!(target: "beacon::api", token = t.id, user = %p.username, "an API token was revoked");
            Ok(Redirect::to("/account#api-tokens").into_response())
        }
        Err(AppError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
