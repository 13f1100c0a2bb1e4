//! Who is asking, and whether the request may change anything: the session cookie resolved
//! to a viewer on every request, the CSRF check (an Origin that is this site, and a form
//! token that is the session's) on every request that is not a GET, and the last touches to
//! every HTML page (the account bar and the form token, which the shared page cache leaves
//! as placeholders).

use crate::{AppState, Backend};
use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use beacon_app::access::Principal;
use beacon_app::accounts::{self, SessionRecord};
use std::sync::Arc;

/// The session cookie: a random 256-bit token; the database keeps only its SHA-256.
pub const SESSION_COOKIE: &str = "beacon_session";
/// Before sign-in, the form token lives in this cookie (double submit).
pub const PRESESSION_COOKIE: &str = "beacon_csrf";
/// The form field every state-changing form carries.
pub const CSRF_FIELD: &str = "csrf_token";
/// Stands for the viewer's form token in rendered pages.
pub const CSRF_PLACEHOLDER: &str = "__BEACON_CSRF__";
/// Stands for the account bar in rendered pages.
pub const ACCOUNT_PLACEHOLDER: &str = "<!--beacon:account-->";
/// The largest request body read (a collection workbook fits well inside).
const MAX_BODY: usize = 32 * 1024 * 1024;

/// Marks a response whose bytes must go out exactly as they are (published and downloaded
/// files): no placeholder is filled in.
#[derive(Debug, Clone, Copy)]
pub struct Verbatim;

/// The signed-in user (if any) behind a request.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<(SessionRecord, Principal)>,
    /// The pre-session form token from its cookie, for the sign-in form.
    pub presession: Option<String>,
}

impl Viewer {
    pub fn principal(&self) -> Option<&Principal> {
        self.user.as_ref().map(|(_, p)| p)
    }

    /// The token forms must carry.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.user {
            Some((s, _)) => Some(&s.csrf_token),
            None => self.presession.as_deref(),
        }
    }

    /// Who the audit trail names.
    pub fn name(&self) -> String {
        self.principal()
            .map_or_else(|| "anonymous".to_string(), |p| p.username.clone())
    }
}

/// The value of one cookie. Written by hand: the `Cookie` header is `name=value` pairs
/// separated by `; `, and Beacon's own cookies hold only hex.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A `Set-Cookie` value for one of Beacon's cookies.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountBar<'a> {
    name: Option<&'a str>,
    roles: String,
    /// The users pages of the councils the viewer administers.
    admin: Vec<(String, String)>,
}

/// Resolves the viewer, runs the request, and finishes HTML pages for them.
pub async fn viewer<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    mut req: Request,
    next: Next,
) -> Response {
    let now = (state.clock)();
    let mut viewer = Viewer {
        user: None,
        presession: cookie(req.headers(), PRESESSION_COOKIE),
    };
    let mut clear_session = false;
    if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match state.sessions.resume(&state.store, &token, now).await {
            Ok(Some(found)) => viewer.user = Some(found),
            Ok(None) => clear_session = true,
            Err(e) => return crate::error::WebError::from(e).into_response(),
        }
    }
    req.extensions_mut().insert(viewer.clone());
    let response = next.run(req).await;
    let (mut response, new_presession) = match finish_html(response, &viewer).await {
        Ok(finished) => finished,
        Err(e) => return crate::error::WebError::from(e).into_response(),
    };
    let headers = response.headers_mut();
    if let Some(t) = new_presession {
        headers.append(
            header::SET_COOKIE,
            set_cookie(PRESESSION_COOKIE, &t, state.secure_cookies, None),
        );
    }
    if clear_session && !headers.contains_key(header::SET_COOKIE) {
        headers.append(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", state.secure_cookies, Some(0)),
        );
    }
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if viewer.user.is_some() {
        // Pages for a signed-in user are theirs alone.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Fills the placeholders of an HTML page for the viewer. A visitor without a form token is
/// given a new one (returned, for its cookie) only if the page carries a form: assets and
/// plain pages set no cookie.
async fn finish_html(
    response: Response,
    viewer: &Viewer,
) -> Result<(Response, Option<String>), beacon_app::AppError> {
    if response.extensions().get::<Verbatim>().is_some() {
        return Ok((response, None));
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return Ok((response, None));
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Ok((StatusCode::INTERNAL_SERVER_ERROR.into_response(), None));
    };
    let Ok(html) = String::from_utf8(bytes.to_vec()) else {
        return Ok((Response::from_parts(parts, Body::from(bytes)), None));
    };
    let mut new_token = None;
    let token = match viewer.csrf_token() {
        Some(t) => t,
        None if html.contains(CSRF_PLACEHOLDER) => new_token.insert(accounts::new_token()?),
        None => "",
    };
    let bar = AccountBar {
        name: viewer.principal().map(|p| p.display_name.as_str()),
        roles: viewer
            .principal()
            .map(|p| {
                let mut roles: Vec<&str> = p.grants.iter().map(|g| g.role.label()).collect();
                roles.dedup();
                roles.join(", ")
            })
            .unwrap_or_default(),
        admin: viewer
            .principal()
            .map(|p| {
                let mut councils: Vec<_> = p
                    .grants
                    .iter()
                    .map(|g| &g.council)
                    .filter(|c| beacon_app::administration::administers(p, c))
                    .collect();
                councils.sort();
                councils.dedup();
                let many = councils.len() > 1;
                councils
                    .into_iter()
                    .map(|c| {
                        let label = if many {
                            format!("Manage users of {c}")
                        } else {
                            "Manage users".to_string()
                        };
                        (crate::paths::users(c.as_str()), label)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
    .render()
    .unwrap_or_default();
    let html = html
        .replace(ACCOUNT_PLACEHOLDER, &bar)
        .replace(CSRF_PLACEHOLDER, token);
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok((Response::from_parts(parts, Body::from(html)), new_token))
}

/// Whether the request's Origin (or, without one, its Referer) is this site.
fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    let Some(claimed) = claimed else {
        return false;
    };
    let Some(rest) = claimed
        .strip_prefix("http://")
        .or_else(|| claimed.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    if let Some(public) = public_origin {
        return claimed == public || claimed.starts_with(&format!("{public}/"));
    }
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// Compares two tokens in time that does not depend on where they differ.
fn tokens_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The `csrf_token` field of a form body, URL-encoded or multipart.
async fn form_token(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body)
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let bytes = axum::body::Bytes::copy_from_slice(body);
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

/// Refuses any request but GET and HEAD whose Origin is not this site or whose form token is
/// missing or not the viewer's. Runs inside `viewer`.
pub async fn csrf<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    if !same_origin(req.headers(), state.public_origin.as_deref()) {
        return refused("The request did not come from this site's own pages.");
    }
    let expected = req
        .extensions()
        .get::<Viewer>()
        .and_then(|v| v.csrf_token().map(str::to_string));
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    };
    let given = form_token(&parts.headers, &bytes).await;
    match (expected, given) {
        (Some(e), Some(g)) if tokens_equal(&e, &g) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refused(
            "The form had expired or did not come from this site. Go back, reload the page and try again.",
        ),
    }
}

fn refused(why: &'static str) -> Response {
    let mut r = crate::error::WebError::Forbidden(why).into_response();
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

/// A redirect to the sign-in page that comes back to `next`.
pub fn to_sign_in(next: &str) -> Response {
    let to = format!("/sign-in?next={}", crate::paths::seg(next));
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, to)],
        Html(String::new()),
    )
        .into_response()
}
