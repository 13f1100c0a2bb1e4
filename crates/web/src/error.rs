//! The one error type at the HTTP edge: a missing page is a GOV.UK "Page not found"; internals
//! are logged and shown as an opaque "Sorry, there is a problem with the service".

use crate::view::Chrome;
use askama::Template;
use axum::http::StatusCode;
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
}

fn page(status: StatusCode, heading: &'static str, message: impl Into<String>) -> Response {
    let message = message.into();
    let html = ErrorPage {
        chrome: Chrome::plain(),
        heading,
        message,
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
