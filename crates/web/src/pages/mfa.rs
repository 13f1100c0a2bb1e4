//! Multi-factor sign-in pages: setting up an authenticator app from the account page (a QR
//! code and the secret as text, confirmed with a current code; recovery codes shown once),
//! turning it off or getting new recovery codes, and the second step of sign-in (the code, or
//! setting up an app when the council requires one). The rules live in `beacon_app::mfa`.

use crate::auth::{Viewer, cookie, set_cookie};
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::view::Chrome;
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::AppError;
use beacon_app::accounts::UserRecord;
use beacon_app::audit::Actor;
use beacon_app::mfa::{self, AfterPassword, Confirmed, SecondStep, Setup};
use serde::Deserialize;
use std::sync::Arc;

/// Between the password and the second step, this cookie holds the pending sign-in's token.
pub const PENDING_COOKIE: &str = "beacon_mfa";

/// The form field a code is typed into.
const CODE: &str = "code";

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct SetupPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    action: &'static str,
    /// The secret in groups of four, for typing.
    secret: String,
    qr: String,
    next: String,
    required: bool,
}

#[derive(Template)]
#[template(path = "mfa_code.html")]
struct CodePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    next: String,
    expired: bool,
}

impl SetupPage {
    fn code_error(&self) -> &str {
        FieldError::for_field(&self.errors, CODE).unwrap_or("")
    }
}

impl CodePage {
    fn code_error(&self) -> &str {
        FieldError::for_field(&self.errors, CODE).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "mfa_recovery.html")]
struct RecoveryPage {
    chrome: Chrome,
    heading: &'static str,
    codes: Vec<String>,
    continue_to: String,
}

/// A page no cache may keep: it holds a secret, a code or the way to one.
fn private<T: Template>(page: &T, status: StatusCode) -> Result<Response, WebError> {
    let mut r = (status, Html(page.render()?)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

fn field_error(message: impl Into<String>) -> Vec<FieldError> {
    vec![FieldError {
        field: CODE.into(),
        message: message.into(),
    }]
}

/// The QR code of the setup address as inline SVG, labelled for screen readers.
fn qr_svg(uri: &str) -> Result<String, WebError> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| WebError::from(AppError::Invalid(format!("QR code: {e}"))))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Keep the drawing only: the XML declaration has no place inside HTML.
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code for your authenticator app\" focusable=\"false\" ",
        1,
    ))
}

fn setup_page(
    setup: &Setup,
    action: &'static str,
    next: String,
    required: bool,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let grouped: Vec<String> = setup
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    private(
        &SetupPage {
            chrome: Chrome::plain(),
            errors,
            action,
            secret: grouped.join(" "),
            qr: qr_svg(&setup.uri)?,
            next,
            required,
        },
        status,
    )
}

/// The signed-in user's stored record.
async fn me<S: Backend>(state: &AppState<S>, viewer: &Viewer) -> Result<UserRecord, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    state
        .store
        .user(p.user_id)
        .await
        .map_err(AppError::from)?
        .ok_or(WebError::Forbidden("Sign in to do this."))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// For the account page: whether MFA is on, the recovery codes left, and whether a council
/// requires it of the user.
/// For the account page: whether MFA is on and the recovery codes left, from the user's
/// second factor as read.
pub(crate) fn account_state(record: Option<mfa::MfaRecord>) -> (bool, i64) {
    match record.filter(mfa::MfaRecord::is_on) {
        Some(m) => (true, m.recovery_left),
        None => (false, 0),
    }
}

/// `GET /account/mfa`: the QR code and secret of a new app.
pub async fn setup_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, WebError> {
    let user = me(&state, &viewer).await?;
    match mfa::begin_setup(&state.store, &user).await {
        Ok(setup) => setup_page(&setup, "/account/mfa", String::new(), false, Vec::new()),
        Err(AppError::Refused(_)) => Ok(Redirect::to("/account").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/mfa`: turns MFA on with a current code; shows the recovery codes once.
pub async fn setup_submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let user = me(&state, &viewer).await?;
    let setup = match mfa::begin_setup(&state.store, &user).await {
        Ok(setup) => setup,
        Err(AppError::Refused(_)) => return Ok(Redirect::to("/account").into_response()),
        Err(e) => return Err(e.into()),
    };
    let wrong = |code: &str| {
        setup_page(
            &setup,
            "/account/mfa",
            String::new(),
            false,
            field_error(wrong_code_message(code)),
        )
    };
    if f.code.trim().is_empty() {
        return wrong(&f.code);
    }
    let by = Actor::new(user.username.clone(), (state.clock)());
    match mfa::confirm_setup(&state.store, &user, &f.code, &by).await? {
        Confirmed::On { recovery_codes } => private(
            &RecoveryPage {
                chrome: Chrome::plain(),
                heading: "Multi-factor sign-in is on",
                codes: recovery_codes,
                continue_to: "/account".into(),
            },
            StatusCode::OK,
        ),
        Confirmed::WrongCode => wrong(&f.code),
    }
}

fn wrong_code_message(code: &str) -> String {
    if code.trim().is_empty() {
        "Enter the code your authenticator app shows".into()
    } else {
        "The code is not right. Enter the code your authenticator app shows now".into()
    }
}

/// `POST /account/mfa/off`: turns MFA off, given a current code or a recovery code.
pub async fn turn_off<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let user = me(&state, &viewer).await?;
    let by = Actor::new(user.username.clone(), (state.clock)());
    let message = match mfa::turn_off(&state.store, &user, &f.code, &by).await {
        Ok(true) => return Ok(Redirect::to("/account").into_response()),
        Ok(false) => wrong_code_message(&f.code),
        Err(AppError::Refused(m)) => m,
        Err(e) => return Err(e.into()),
    };
    super::account::account_page(&state, &viewer, field_error(message)).await
}

/// `POST /account/mfa/recovery-codes`: new recovery codes in place of the old.
pub async fn new_codes<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let user = me(&state, &viewer).await?;
    let by = Actor::new(user.username.clone(), (state.clock)());
    match mfa::replace_recovery_codes(&state.store, &user, &f.code, &by).await? {
        Some(codes) => private(
            &RecoveryPage {
                chrome: Chrome::plain(),
                heading: "Your new recovery codes",
                codes,
                continue_to: "/account".into(),
            },
            StatusCode::OK,
        ),
        None => {
            super::account::account_page(&state, &viewer, field_error(wrong_code_message(&f.code)))
                .await
        }
    }
}

/// After a right password: `None` when the sign-in is complete, else the redirect to its
/// second step, carrying the pending sign-in's cookie.
pub async fn after_password<S: Backend>(
    state: &AppState<S>,
    session: &beacon_app::accounts::SessionRecord,
    user: &UserRecord,
    next: &str,
) -> Result<Option<Response>, WebError> {
    let now = (state.clock)();
    let (token, to) = match mfa::after_password(&state.store, session, user, now).await? {
        AfterPassword::Done => return Ok(None),
        AfterPassword::Code { token } => (token, "/sign-in/code"),
        AfterPassword::Setup { token } => (token, "/sign-in/set-up"),
    };
    let location = format!("{to}?next={}", crate::paths::seg(next));
    let max_age = mfa::PENDING_TIMEOUT.num_seconds();
    Ok(Some(
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location)],
            [(
                header::SET_COOKIE,
                set_cookie(PENDING_COOKIE, &token, state.secure_cookies, Some(max_age)),
            )],
        )
            .into_response(),
    ))
}

#[derive(Deserialize, Default)]
pub struct NextOnly {
    #[serde(default)]
    next: Option<String>,
}

fn next_of(next: Option<&str>) -> String {
    super::account::local(next)
}

/// Signed in at last: the session and device cookies set as for a sign-in by password alone
/// (`super::account::signed_in`), the pending cookie cleared.
fn signed_in<S: Backend>(
    state: &AppState<S>,
    token: &str,
    user: &UserRecord,
    to: Response,
) -> Result<Response, WebError> {
    let mut r = super::account::signed_in(state, token, user, to)?;
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, "", state.secure_cookies, Some(0)),
    );
    Ok(r)
}

fn code_page(next: String, errors: Vec<FieldError>, expired: bool) -> Result<Response, WebError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    private(
        &CodePage {
            chrome: Chrome::plain(),
            errors,
            next,
            expired,
        },
        status,
    )
}

const EXPIRED: &str = "Your sign-in has timed out or had too many wrong codes. Sign in again";

/// `GET /sign-in/code`: asks for the code of a sign-in whose password was right.
pub async fn code_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(q): Query<NextOnly>,
) -> Result<Response, WebError> {
    let next = next_of(q.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return code_page(next, field_error(EXPIRED), true);
    };
    if mfa::pending_user(&state.store, &token, (state.clock)())
        .await?
        .is_none()
    {
        return code_page(next, field_error(EXPIRED), true);
    }
    code_page(next, Vec::new(), false)
}

/// `POST /sign-in/code`: the code from the app (or a recovery code) completes the sign-in.
pub async fn code_submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let next = next_of(f.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return code_page(next, field_error(EXPIRED), true);
    };
    if f.code.trim().is_empty() {
        return code_page(
            next,
            field_error("Enter the code your authenticator app shows"),
            false,
        );
    }
    match mfa::verify_pending(&state.store, &token, &f.code, (state.clock)()).await? {
        SecondStep::SignedIn { token, user, .. } => {
            signed_in(&state, &token, &user, Redirect::to(&next).into_response())
        }
        SecondStep::Wrong { tries_left } => code_page(
            next,
            field_error(format!(
                "The code is not right. Enter the code your app shows now, or a recovery code ({tries_left} {} left)",
                if tries_left == 1 { "try" } else { "tries" }
            )),
            false,
        ),
        SecondStep::Expired | SecondStep::SetUp { .. } => {
            code_page(next, field_error(EXPIRED), true)
        }
    }
}

/// `GET /sign-in/set-up`: a user whose council requires MFA sets up an app before signing in.
pub async fn pending_setup_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Query(q): Query<NextOnly>,
) -> Result<Response, WebError> {
    let next = next_of(q.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return code_page(next, field_error(EXPIRED), true);
    };
    match mfa::pending_setup(&state.store, &token, (state.clock)()).await {
        Ok(Some(setup)) => setup_page(&setup, "/sign-in/set-up", next, true, Vec::new()),
        Ok(None) => code_page(next, field_error(EXPIRED), true),
        // Already on (set up in another tab): ask for the code instead.
        Err(AppError::Refused(_)) => Ok(Redirect::to(&format!(
            "/sign-in/code?next={}",
            crate::paths::seg(&next)
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /sign-in/set-up`: confirms the new app with a code, signs in, shows recovery codes.
pub async fn pending_setup_submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let next = next_of(f.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return code_page(next, field_error(EXPIRED), true);
    };
    let now = (state.clock)();
    match mfa::confirm_pending_setup(&state.store, &token, &f.code, now).await? {
        SecondStep::SetUp {
            token: session_token,
            user,
            recovery_codes,
            ..
        } => {
            let page = private(
                &RecoveryPage {
                    chrome: Chrome::plain(),
                    heading: "Multi-factor sign-in is on",
                    codes: recovery_codes,
                    continue_to: next,
                },
                StatusCode::OK,
            )?;
            signed_in(&state, &session_token, &user, page)
        }
        SecondStep::Wrong { .. } => match mfa::pending_setup(&state.store, &token, now).await? {
            Some(setup) => setup_page(
                &setup,
                "/sign-in/set-up",
                next,
                true,
                field_error(wrong_code_message(&f.code)),
            ),
            None => code_page(next, field_error(EXPIRED), true),
        },
        SecondStep::Expired | SecondStep::SignedIn { .. } => {
            code_page(next, field_error(EXPIRED), true)
        }
    }
}
