//! The one error type at the HTTP edge: a missing page is a GOV.UK "Page not found"; internals
//! are logged and shown as an opaque "Sorry, there is a problem with the service". Rejections
//! the framework makes itself (a path, query or form it cannot read, a method a route does not
//! take) become the same pages in plain words, and a client that asked for JSON gets an RFC
//! 9457 problem body instead of a page.

use crate::view::Chrome;
use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// A failure while handling a request.
#[derive(Debug)]
pub enum WebError {
    /// No such council, plan, item or page.
    NotFound,
    /// The viewer may not do this; the message says what they can do instead.
    Forbidden(&'static str),
    /// Refused because of the state of what it would change; the message is for the user.
    Refused(String),
    /// Something went wrong inside; the detail goes to the log, never to the page.
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: &'static str,
    message: String,
    /// The request's id, to quote to the service desk (it is in the access log).
    request_id: Option<String>,
}

fn page(status: StatusCode, heading: &'static str, message: impl Into<String>) -> Response {
    let message = message.into();
    let html = ErrorPage {
        chrome: Chrome::plain(),
        heading,
        message,
        request_id: crate::ops::request_id(),
    }
    .render()
    .unwrap_or_else(|_| heading.to_string());
    (status, Html(html)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you followed a link, the item may have been renamed.",
            ),
            WebError::Forbidden(why) => page(StatusCode::FORBIDDEN, "You cannot do this", why),
            WebError::Refused(why) => page(StatusCode::CONFLICT, "Nothing was changed", why),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Try again later.",
                )
            }
        }
    }
}

/// The heading of the page for a status.
fn heading_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => "You cannot do this",
        StatusCode::METHOD_NOT_ALLOWED => "This page cannot be used that way",
        StatusCode::PAYLOAD_TOO_LARGE => "What you sent is too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "What you sent is not in a form Beacon reads",
        StatusCode::REQUEST_TIMEOUT => "The request took too long",
        StatusCode::CONFLICT => "Nothing was changed",
        StatusCode::UNPROCESSABLE_ENTITY => "There is a problem",
        StatusCode::PRECONDITION_FAILED => "The quarter has changed since you read it",
        StatusCode::PRECONDITION_REQUIRED => "Say which version of the quarter you read",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        s if s.is_server_error() => "Sorry, there is a problem with the service",
        _ => "Sorry, Beacon could not read that request",
    }
}

/// A page in plain words for a status, with its usual heading.
pub(crate) fn plain(status: StatusCode, message: impl Into<String>) -> Response {
    page(status, heading_for(status), message)
}

/// What the user is told when the framework refused a request it could not read.
fn plain_words(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => {
            "If you typed the web address, check it is correct. If you followed a link, the item may have been renamed."
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            "This address does not take that kind of request. Go back to the page you came from and use its links and buttons."
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            "A form may send at most 1 MiB, and a workbook upload at most 32 MiB. Send something smaller."
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "Send the form from Beacon's own page: it was sent in a format Beacon does not read."
        }
        _ => {
            "The web address or the form was not in the form Beacon expects. Go back, reload the page and try again."
        }
    }
}

/// The error as a problem body, in the words its page would say.
pub(crate) fn problem_of(e: WebError) -> Response {
    match e {
        WebError::NotFound => problem(StatusCode::NOT_FOUND, plain_words(StatusCode::NOT_FOUND)),
        WebError::Forbidden(why) => problem(StatusCode::FORBIDDEN, why),
        WebError::Refused(why) => problem(StatusCode::CONFLICT, &why),
        WebError::Internal(detail) => {
            tracing::error!(%detail, "request failed");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "Try again later.")
        }
    }
}

/// Whether the client asked for JSON rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    (accept.contains("application/json") || accept.contains("application/problem+json"))
        && !accept.contains("text/html")
}

/// An RFC 9457 problem body.
pub(crate) fn problem(status: StatusCode, detail: &str) -> Response {
    problem_with(status, detail, serde_json::Map::new())
}

/// An RFC 9457 problem body with members of its own (`errors`, each naming item and field).
pub(crate) fn problem_with(
    status: StatusCode,
    detail: &str,
    extra: serde_json::Map<String, serde_json::Value>,
) -> Response {
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": heading_for(status),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let Some(b) = body.as_object_mut() {
        b.extend(extra);
    }
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        body.to_string(),
    )
        .into_response()
}

fn is_type(response: &Response, prefix: &str) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(prefix))
}

/// Replaces the framework's own rejections (plain text such as "Failed to deserialize form
/// body", or an empty 405) with a page in plain words; gives a client that asked for JSON a
/// problem body for every error. The framework's text goes to the log, never to the user.
pub async fn plain_rejections(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let json = wants_json(req.headers()) || crate::api::is_api(&path);
    let response = next.run(req).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    if is_type(&response, "application/json") || is_type(&response, "application/problem+json") {
        return response;
    }
    let ours = is_type(&response, "text/html");
    if !ours {
        let (_, body) = response.into_parts();
        let said = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
        tracing::info!(
            status = status.as_u16(),
            %path,
            framework = %String::from_utf8_lossy(&said),
            "a request was refused before it reached a page"
        );
        return if json {
            problem(status, plain_words(status))
        } else {
            plain(status, plain_words(status))
        };
    }
    if json {
        return problem(status, plain_words(status));
    }
    response
}

/// The fallback for unknown paths.
pub async fn not_found() -> Response {
    WebError::NotFound.into_response()
}

impl From<beacon_app::StoreError> for WebError {
    fn from(e: beacon_app::StoreError) -> Self {
        beacon_app::AppError::from(e).into()
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<beacon_app::AppError> for WebError {
    fn from(e: beacon_app::AppError) -> Self {
        match e {
            beacon_app::AppError::NotFound(_) => WebError::NotFound,
            beacon_app::AppError::Forbidden(_) => WebError::Forbidden(
                "You do not have permission to do this. Ask your council's Beacon administrator if you need it.",
            ),
            beacon_app::AppError::Refused(why) | beacon_app::AppError::Invalid(why) => {
                WebError::Refused(why)
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}
