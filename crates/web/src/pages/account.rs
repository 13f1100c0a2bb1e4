//! Signing in and out. One answer for a wrong name, a wrong password and a disabled account;
//! a new session id at every sign-in; signing out ends every session the user has. The
//! user's own account page, where they change their password.

use crate::auth::{SESSION_COOKIE, Viewer, set_cookie};
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::paths;
use crate::security::{self, SignInOutcome};
use crate::view::Chrome;
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{ConnectInfo, Extension, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use beacon_app::AppError;
use beacon_app::accounts::{self, Client, Credentials, SignIn, UserChange, UserRecord};
use beacon_app::audit::Actor;
use beacon_app::throttle::{self, DEVICE_COOKIE, DEVICE_MAX_AGE};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    username: String,
    next: String,
    notice: Option<&'static str>,
}

impl SignInPage {
    /// The message for a field, or empty when it has none.
    fn error(&self, field: &str) -> &str {
        FieldError::for_field(&self.errors, field).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// Where to go after signing in: a path that names one of this site's pages, in plain URI
/// characters (no space, tab, CR, LF, backslash or anything a browser would read as another
/// host); anything else is the home page.
pub(crate) fn local(next: Option<&str>) -> String {
    next.filter(|n| {
        n.len() <= 2048
            && n.starts_with('/')
            && !n.starts_with("//")
            && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
            && crate::routes::names_a_page(n.split(['?', '#']).next().unwrap_or(""))
    })
    .unwrap_or("/")
    .to_string()
}

fn render<T: Template>(page: &T, status: StatusCode) -> Result<Response, WebError> {
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn form(Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    render(
        &SignInPage {
            chrome: Chrome::plain(),
            errors: Vec::new(),
            username: String::new(),
            next: local(q.next.as_deref()),
            notice: (q.done.as_deref() == Some("password"))
                .then_some("Your password has been changed. Sign in with your new password."),
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
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
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
        let device = crate::auth::cookie(&headers, DEVICE_COOKIE);
        let address =
            connection.map(|Extension(ConnectInfo(a))| security::client_address(a, &headers));
        let client = Client {
            address,
            device: device.as_deref(),
        };
        let outcome =
            accounts::sign_in_from(&state.store, &f.username, &f.password, &client, now).await?;
        security::sign_in(
            match &outcome {
                SignIn::Ok { .. } => SignInOutcome::Succeeded,
                SignIn::Refused => SignInOutcome::Refused,
                SignIn::Throttled { .. } => SignInOutcome::Throttled,
            },
            &f.username,
            address,
        );
        match outcome {
            SignIn::Ok {
                token,
                user,
                session,
            } => {
                // A session the browser held before is ended: the new id replaces it.
                if let Some((old, _)) = &viewer.user {
                    state.store.end_session(&old.id_hash).await?;
                }
                // Multi-factor sign-in: the code (or setting up an app) comes next.
                if let Some(second) =
                    super::mfa::after_password(&state, &session, &user, &next).await?
                {
                    return Ok(second);
                }
                let to = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
                return signed_in(&state, &token, &user, to);
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
            notice: None,
        },
        StatusCode::UNAUTHORIZED,
    )
}

/// A finished sign-in, by the password alone or with its second step (`super::mfa`): the
/// session cookie, and the device cookie by which this browser is trusted for the account from
/// now on, so it keeps signing in while strangers' wrong passwords throttle them (`throttle`).
/// A right password alone does not earn the device cookie when a second step is due: only a
/// sign-in that is complete does.
pub(crate) fn signed_in<S: Backend>(
    state: &AppState<S>,
    token: &str,
    user: &UserRecord,
    mut to: Response,
) -> Result<Response, WebError> {
    let secure = state.secure_cookies;
    let trusted = throttle::device_cookie(user)?;
    let h = to.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, token, secure, None),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(DEVICE_COOKIE, &trusted, secure, Some(DEVICE_MAX_AGE)),
    );
    Ok(to)
}

/// Ends every session of the user, everywhere, and clears the cookie.
pub async fn sign_out<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, WebError> {
    if let Some((session, _)) = &viewer.user {
        state.store.end_sessions_of(session.user_id).await?;
    }
    Ok(signed_out(&state, "/"))
}

/// A redirect that clears the session cookie.
fn signed_out<S: Backend>(state: &AppState<S>, to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, to.to_string()),
            (
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", state.secure_cookies, Some(0))
                    .to_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
        ],
    )
        .into_response()
}

/// One of the user's roles, as their account page lists it.
struct RoleLine {
    role: &'static str,
    scope: String,
    council: String,
    href: String,
    users_href: Option<String>,
}

#[derive(Template)]
#[template(path = "your_account.html")]
struct AccountPage {
    chrome: Chrome,
    name: String,
    username: String,
    roles: Vec<RoleLine>,
    errors: Vec<FieldError>,
    /// Multi-factor sign-in: on, recovery codes left, required by a council for a role.
    mfa_on: bool,
    recovery_left: i64,
    mfa_required: bool,
    /// API tokens: the user's, the form to make one, and a new one shown once.
    tokens: super::tokens::TokensPart,
    /// How the user is told of what needs them.
    contact: super::contact::ContactPart,
}

impl AccountPage {
    fn error(&self, field: &str) -> Option<&str> {
        FieldError::for_field(&self.errors, field)
    }
}

pub(crate) async fn account_page<S: Backend>(
    state: &AppState<S>,
    viewer: &Viewer,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    account_page_with(
        state,
        viewer,
        errors,
        super::tokens::TokenForm::default(),
        None,
        None,
    )
    .await
}

/// The account page, with the token form as filled in, a token just made (shown once), and
/// the notice form as filled in.
pub(crate) async fn account_page_with<S: Backend>(
    state: &AppState<S>,
    viewer: &Viewer,
    errors: Vec<FieldError>,
    form: super::tokens::TokenForm,
    made: Option<String>,
    contact: Option<super::contact::ContactForm>,
) -> Result<Response, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let mut roles = Vec::new();
    for g in &p.grants {
        let c = g.council.as_str();
        let data = state.council_for_names(c).await;
        roles.push(RoleLine {
            role: g.role.label(),
            scope: super::users::scope(data.as_deref(), g),
            council: data
                .as_ref()
                .map_or_else(|| c.to_string(), |d| d.council.name.clone()),
            href: paths::council(c),
            users_href: beacon_app::administration::administers(p, &g.council)
                .then(|| paths::users(c)),
        });
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // The user's own records in one read, shared by that user's requests arriving while
    // another's read is in flight (each still read after it arrived, so a token just made or
    // revoked is there). The principal's grants are the user's as of the revocation counter
    // (any change to a grant moves it), so the user's record need not be read again.
    let (own, mfa_required) = tokio::try_join!(
        state
            .own_reads
            .read(&p.user_id, || beacon_app::accounts::own_records(
                &state.store,
                p.user_id
            )),
        beacon_app::mfa::required_for_grants(&state.store, &p.grants),
    )?;
    let (mfa_on, recovery_left) = super::mfa::account_state(own.mfa);
    let tokens = super::tokens::part(state, p, own.tokens, form, made).await?;
    let contact = super::contact::part(own.contact, contact);
    let page = AccountPage {
        chrome: Chrome::plain(),
        name: p.display_name.clone(),
        username: p.username.clone(),
        roles,
        errors,
        mfa_on,
        recovery_left,
        mfa_required,
        tokens,
        contact,
    };
    render(&page, status)
}

/// The signed-in user's account: who they are, their roles, and changing their password.
pub async fn yours<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, WebError> {
    account_page(&state, &viewer, Vec::new()).await
}

#[derive(Deserialize)]
pub struct PasswordFields {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Changes the user's own password, given their current one (checked, and throttled, as a
/// sign-in is, without starting a session); then every session of theirs ends, this one too,
/// and they sign in afresh.
pub async fn change_password<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<PasswordFields>,
) -> Result<Response, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let error = |field: &str, message: String| FieldError {
        field: field.into(),
        message,
    };
    let mut errors = Vec::new();
    if f.current.is_empty() {
        errors.push(error("current", "Enter your current password".into()));
    }
    if let Err(AppError::Invalid(m)) = accounts::check_password(&f.new) {
        errors.push(error("new", m));
    } else if f.new != f.confirm {
        errors.push(error(
            "confirm",
            "The two new passwords are not the same".into(),
        ));
    }
    if errors.is_empty() {
        let now = (state.clock)();
        match accounts::check_credentials(&state.store, &p.username, &f.current, now).await? {
            Credentials::Right(_) => {
                let by = Actor::new(p.username.clone(), now);
                accounts::change_user(&state.store, &p.username, UserChange::Password(f.new), &by)
                    .await?;
                return Ok(signed_out(&state, "/sign-in?done=password"));
            }
            Credentials::Refused => errors.push(error(
                "current",
                "Your current password is not right".into(),
            )),
            Credentials::Throttled { retry_after } => errors.push(error(
                "current",
                format!(
                    "There have been too many wrong passwords for this account. Wait {} minutes and try again",
                    (retry_after.num_seconds() + 59) / 60
                ),
            )),
        }
    }
    account_page(&state, &viewer, errors).await
}
