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
    /// Something went wrong inside; the detail goes to the log, never to the page.
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: &'static str,
    message: &'static str,
}

fn page(status: StatusCode, heading: &'static str, message: &'static str) -> Response {
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
        WebError::Internal(e.to_string())
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
            other => WebError::Internal(other.to_string()),
        }
    }
}
