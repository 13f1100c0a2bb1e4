//! The one error type at the HTTP edge: internals are logged and shown as an opaque 500.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A failure while handling a request.
#[derive(Debug)]
pub enum WebError {
    /// Something went wrong inside; the detail goes to the log, never to the page.
    Internal(String),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html("<!DOCTYPE html><html lang=\"en\"><title>Sorry, there is a problem with the service</title><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></html>"),
                )
                    .into_response()
            }
        }
    }
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
