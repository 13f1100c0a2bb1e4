//! Signing in and out. One answer for a wrong name, a wrong password and a disabled account;
//! a new session id at every sign-in; signing out ends every session the user has.

use crate::auth::{SESSION_COOKIE, Viewer, set_cookie};
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::view::Chrome;
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use beacon_app::accounts::{self, SignIn};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    username: String,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Only a path on this site: never `//elsewhere` or `https://…`.
fn local(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/")
        .to_string()
}

fn render(page: &SignInPage, status: StatusCode) -> Result<Response, WebError> {
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn form(Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    render(
        &SignInPage {
            chrome: Chrome::plain(),
            errors: Vec::new(),
            username: String::new(),
            next: local(q.next.as_deref()),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<SignInForm>,
) -> Result<Response, WebError> {
    let now = (state.clock)();
    let next = local(f.next.as_deref());
    let mut errors = Vec::new();
    if f.username.trim().is_empty() {
        errors.push(FieldError {
            field: "username".into(),
            message: "Enter your username".into(),
        });
    }
    if f.password.is_empty() {
        errors.push(FieldError {
            field: "password".into(),
            message: "Enter your password".into(),
        });
    }
    if errors.is_empty() {
        match accounts::sign_in(&state.store, &f.username, &f.password, now).await? {
            SignIn::Ok { token, .. } => {
                // A session the browser held before is ended: the new id replaces it.
                if let Some((old, _)) = &viewer.user {
                    state.store.end_session(&old.id_hash).await?;
                }
                return Ok((
                    StatusCode::SEE_OTHER,
                    [
                        (header::LOCATION, next),
                        (
                            header::SET_COOKIE,
                            set_cookie(SESSION_COOKIE, &token, state.secure_cookies, None)
                                .to_str()
                                .unwrap_or_default()
                                .to_string(),
                        ),
                    ],
                )
                    .into_response());
            }
            SignIn::Refused => errors.push(FieldError {
                field: "username".into(),
                message: accounts::REFUSED_MESSAGE.into(),
            }),
            SignIn::Throttled { retry_after } => errors.push(FieldError {
                field: "username".into(),
                message: format!(
                    "There have been too many attempts to sign in with this username. Wait {} minutes and try again",
                    (retry_after.num_seconds() + 59) / 60
                ),
            }),
        }
    }
    render(
        &SignInPage {
            chrome: Chrome::plain(),
            errors,
            username: f.username,
            next,
        },
        StatusCode::UNAUTHORIZED,
    )
}

/// Ends every session of the user, everywhere, and clears the cookie.
pub async fn sign_out<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, WebError> {
    if let Some((session, _)) = &viewer.user {
        state.store.end_sessions_of(session.user_id).await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_string()),
            (
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", state.secure_cookies, Some(0))
                    .to_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
        ],
    )
        .into_response())
}
