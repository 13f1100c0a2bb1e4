//! The description served: `openapi.json` (built once, from the registry) and a readable
//! reference page listing every operation, drawn from the same description. Nothing is
//! fetched from elsewhere: no script or style from a CDN.

use super::openapi::{OPERATIONS, api_routes};
use crate::error::WebError;
use crate::view::Chrome;
use askama::Template;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use std::sync::OnceLock;

/// The description as JSON, built once.
pub fn openapi_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        super::openapi::document()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_string())
    })
}

pub async fn openapi_json(headers: HeaderMap) -> Response {
    super::json::respond_bytes(
        &headers,
        openapi_text().as_bytes().to_vec(),
        "application/json",
        super::json::Cache::Public,
    )
}

/// An operation as the page lists it.
pub struct Listed {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub query: String,
    /// The body's schema, by name.
    pub body: Option<String>,
    pub token: bool,
    pub writes: bool,
    pub if_match: bool,
}

/// The name of a body's schema.
fn body_name(f: super::schemas::SchemaFn) -> Option<String> {
    match f(&mut Vec::new()) {
        utoipa::openapi::RefOr::Ref(r) => r.ref_location.rsplit('/').next().map(str::to_string),
        utoipa::openapi::RefOr::T(_) => None,
    }
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct ReferencePage {
    chrome: Chrome,
    operations: Vec<Listed>,
}

pub async fn reference() -> Result<Response, WebError> {
    let operations = api_routes()
        .filter_map(|spec| {
            let o = OPERATIONS.iter().find(|o| o.name == spec.name)?;
            Some(Listed {
                method: spec.method,
                path: spec.path,
                summary: o.summary,
                tag: o.tag,
                query: o.query.join(", "),
                body: o.body.and_then(body_name),
                token: spec.access != crate::routes::Access::Public,
                writes: spec.writes(),
                if_match: super::openapi::takes_if_match(spec),
            })
        })
        .filter(|l| l.path != "/api/v1")
        .collect();
    let page = ReferencePage {
        chrome: Chrome::plain(),
        operations,
    };
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Html(page.render()?),
    )
        .into_response())
}
