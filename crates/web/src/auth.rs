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
/// Where the token is filled in: only the value of a `csrf_token` field as the templates write
/// it. Text users typed is escaped (a `"` becomes `&#34;`), so no user content can ever read as
/// this and have a viewer's token written into it.
const CSRF_SLOT: &str = "name=\"csrf_token\" value=\"__BEACON_CSRF__\"";
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
    // The API reads no cookie: its caller is the bearer token's (`api`), never a session.
    let api = crate::api::is_api(req.uri().path());
    if api {
        viewer.presession = None;
    }
    // A signed-in read of a council's page reads the council's revision with the revocation
    // counter, in one round trip, and the page uses it (`AppState::council_at`).
    let mut read = None;
    if let Some(token) = cookie(req.headers(), SESSION_COOKIE).filter(|_| !api) {
        match resume_session(&state, req.method(), req.uri().path(), &token, now).await {
            Ok((found, council_read)) => {
                read = council_read;
                clear_session = found.is_none();
                viewer.user = found;
            }
            Err(e) => return crate::error::WebError::from(e).into_response(),
        }
    }
    req.extensions_mut().insert(viewer.clone());
    let response = match read {
        Some(read) => crate::READ_REVISION.scope(read, next.run(req)).await,
        None => next.run(req).await,
    };
    let verbatim = response.extensions().get::<Verbatim>().is_some();
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
    protect(headers, &state, verbatim, viewer.user.is_some());
    response
}

/// The session behind the cookie's `token` on a request of `method` to `path`, and, for a
/// signed-in read of a council's page, what was read with the revocation counter. The counter
/// is read first (with the council's revision in one round trip, or alone), each read shared
/// with requests that arrived while another was in flight (`shared_read`): a revocation that
/// lands after it moves it, so what is read next is never kept under a counter older than
/// itself.
async fn resume_session<S: Backend>(
    state: &AppState<S>,
    method: &Method,
    path: &str,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<(SessionRecord, Principal)>, Option<crate::ReadAt>), beacon_app::AppError> {
    let session = accounts::token_hash(token);
    let at = std::time::Instant::now();
    if method != Method::GET && method != Method::HEAD {
        // Its pages from now on must show what it sends.
        state.writers.note(session.clone(), at);
    }
    let (counter, read) = match crate::council_read(method, path) {
        Some(council) => {
            let start = state
                .first_reads
                .read(&council, || state.store.revocations_and_revision(&council))
                .await?;
            let read = crate::ReadAt {
                council,
                revision: start.revision,
                national: start.national,
                may_lag: !state.writers.wrote_lately(&session, at),
            };
            (start.revocations, Some(read))
        }
        None => {
            let counter = state
                .counter_reads
                .read(&(), || state.store.revocations())
                .await?;
            (counter, None)
        }
    };
    let found = state
        .sessions
        .resume_at(&state.store, token, &session, now, counter)
        .await?;
    Ok((found, read))
}

/// The headers every answer carries against framing, sniffing, leaking the address and
/// loading from elsewhere; HSTS behind HTTPS; `no-store` for a signed-in viewer's pages.
fn protect<S: Backend>(
    headers: &mut HeaderMap,
    state: &AppState<S>,
    verbatim: bool,
    signed_in: bool,
) {
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
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if verbatim {
            crate::csp::FILE_POLICY
        } else {
            crate::csp::POLICY
        }),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(crate::csp::PERMISSIONS),
    );
    if state
        .public_origin
        .as_deref()
        .is_some_and(|o| o.starts_with("https://"))
    {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(crate::csp::HSTS),
        );
    }
    if signed_in {
        // Pages for a signed-in user are theirs alone.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
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
    let Ok(html) = std::str::from_utf8(&bytes) else {
        return Ok((Response::from_parts(parts, Body::from(bytes)), None));
    };
    let mut new_token = None;
    let token = match viewer.csrf_token() {
        Some(t) => t,
        None if html.contains(CSRF_SLOT) => new_token.insert(accounts::new_token()?),
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
    let html = fill_slots(
        html,
        &bar,
        &format!("name=\"{CSRF_FIELD}\" value=\"{token}\""),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok((Response::from_parts(parts, Body::from(html)), new_token))
}

/// `html` with every account slot holding `bar` and every form token slot `token` (the bar's
/// own sign-out form's too), in one copy of the page (it is every signed-in page's last step:
/// two `str::replace`s copied a 70 KB dashboard twice more and searched it with a
/// general-purpose search each time).
fn fill_slots(html: &str, bar: &str, token: &str) -> String {
    use memchr::memmem::find_iter;
    let bar: &str = &bar.replace(CSRF_SLOT, token);
    let page = html.as_bytes();
    let mut slots: Vec<(usize, usize, &str)> = find_iter(page, ACCOUNT_PLACEHOLDER)
        .map(|at| (at, ACCOUNT_PLACEHOLDER.len(), bar))
        .chain(find_iter(page, CSRF_SLOT).map(|at| (at, CSRF_SLOT.len(), token)))
        .collect();
    slots.sort_unstable_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(html.len() + bar.len() + slots.len() * token.len());
    let mut from = 0;
    for (at, len, with) in slots {
        // Both slots are ASCII and cannot overlap, so every cut falls between characters.
        out.push_str(html.get(from..at).unwrap_or_default());
        out.push_str(with);
        from = at + len;
    }
    out.push_str(html.get(from..).unwrap_or_default());
    out
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

/// Says in the log why a form was refused as coming from another site: the origin the browser
/// sent and the one expected, so that an operator behind a proxy can set `--public-origin`
/// or pass the Host header on.
fn log_cross_origin(headers: &HeaderMap, public_origin: Option<&str>) {
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|h: &HeaderValue| h.to_str().ok())
    };
    // The Referer's scheme and host only: its path and query are the user's business.
    let seen = header_text(header::ORIGIN)
        .map(str::to_string)
        .or_else(|| {
            header_text(header::REFERER).map(|r| {
                let after = r.find("://").map_or(0, |i| i + 3);
                let end = r[after..].find('/').map_or(r.len(), |i| after + i);
                r[..end].to_string()
            })
        })
        .unwrap_or_else(|| "none (no Origin or Referer header)".to_string());
    let expected = match public_origin {
        Some(p) => format!("{p} (--public-origin)"),
        None => format!(
            "http(s)://{} (the Host header; set --public-origin behind a proxy)",
            header_text(header::HOST).unwrap_or("?")
        ),
    };
    tracing::warn!(
        target: "beacon::csrf",
        origin = %seen,
        expected = %expected,
        request_id = crate::ops::request_id().unwrap_or_default(),
        "refused a form: it did not come from this site's own pages"
    );
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
    if let Some(why) = crate::security::control_in_uri(req.uri()) {
        // The API answers in its own form (a problem body), the pages with a page.
        if crate::api::is_api(req.uri().path()) {
            return crate::error::problem(StatusCode::BAD_REQUEST, &why);
        }
        return crate::error::plain(StatusCode::BAD_REQUEST, why);
    }
    // The API takes no cookie, so a page of another site cannot make a browser write
    // through it: its writes need a bearer token instead of a form token.
    if matches!(*req.method(), Method::GET | Method::HEAD) || crate::api::is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let client = crate::security::client_of(&req);
    if !same_origin(req.headers(), state.public_origin.as_deref()) {
        crate::security::csrf_refused(&path, client, "origin");
        log_cross_origin(req.headers(), state.public_origin.as_deref());
        state.ops.metrics.csrf_refused();
        return refused("The request did not come from this site's own pages.");
    }
    let viewer = req.extensions().get::<Viewer>();
    let expected = viewer.and_then(|v| v.csrf_token().map(str::to_string));
    // The body is read only up to what the route takes, and not at all when the request says
    // it is larger: nobody can make the server hold a large body before being checked.
    let limit = crate::routes::body_limit(&path, viewer.is_some_and(|v| v.user.is_some()));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        crate::security::too_large(&path, client, declared, limit);
        return too_large(limit);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        crate::security::too_large(&path, client, declared, limit);
        return too_large(limit);
    };
    let given = form_token(&parts.headers, &bytes).await;
    if let Some(why) = crate::security::control_in_form(&parts.headers, &bytes).await {
        return crate::error::plain(StatusCode::UNPROCESSABLE_ENTITY, why);
    }
    match (expected, given) {
        (Some(e), Some(g)) if tokens_equal(&e, &g) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => {
            crate::security::csrf_refused(&path, client, "token");
            refused(
                "The form had expired or did not come from this site. Go back, reload the page and try again.",
            )
        }
    }
}

/// The answer to a body larger than the route takes, in plain words.
fn too_large(limit: usize) -> Response {
    crate::error::plain(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Beacon takes at most {} here: nothing was saved. A collection workbook may be at most 32 MiB; send a smaller file.",
            crate::routes::size_words(limit)
        ),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the two `str::replace`s did, which `fill_slots` must give in one copy.
    fn replaced(html: &str, bar: &str, token: &str) -> String {
        html.replace(ACCOUNT_PLACEHOLDER, bar)
            .replace(CSRF_SLOT, token)
    }

    #[test]
    fn slots_are_filled_wherever_they_are_and_nothing_else_moves() {
        let bar = format!("<p>Signed in as Zoë</p><form><input {CSRF_SLOT}></form>");
        let token = "name=\"csrf_token\" value=\"abc123\"";
        let pages = [
            String::new(),
            "no slots at all: <!--beacon:accoun--> name=\"csrf_token\" value=\"\"".to_string(),
            format!("é{ACCOUNT_PLACEHOLDER}ü<form><input {CSRF_SLOT}></form>✓"),
            format!("<form {CSRF_SLOT}>{ACCOUNT_PLACEHOLDER}<form {CSRF_SLOT}><form {CSRF_SLOT}>"),
            format!("{CSRF_SLOT}{CSRF_SLOT}{ACCOUNT_PLACEHOLDER}{ACCOUNT_PLACEHOLDER}"),
        ];
        for page in &pages {
            assert_eq!(
                fill_slots(page, &bar, token),
                replaced(page, &bar, token),
                "{page}"
            );
        }
        // Three forms on the page and the bar's sign-out form.
        let filled = fill_slots(&pages[3], &bar, token);
        assert_eq!(filled.matches("abc123").count(), 4);
        assert!(!filled.contains("__BEACON_CSRF__"), "{filled}");
        assert_eq!(filled.matches("Zoë").count(), 1);
    }
}
