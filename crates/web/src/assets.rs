//! The stylesheet and script compiled into the binary by build.rs (GOV.UK Frontend, pinned).

use axum::http::header;
use axum::response::IntoResponse;

static CSS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/beacon.css"));
static JS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/govuk-frontend.min.js"));

const CACHE: &str = "public, max-age=3600";

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        CSS,
    )
}

pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        JS,
    )
}
