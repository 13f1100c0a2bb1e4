//! What every API answer shares: JSON with a strong `ETag` (a `304` when `If-None-Match`
//! names it), lists a page at a time behind an opaque cursor, and problems as RFC 9457
//! bodies in the pages' words.

use crate::error::{WebError, problem_with};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A refusal, as a problem body: its status, the words, and members of its own.
#[derive(Debug)]
pub(crate) struct Problem {
    pub status: StatusCode,
    pub detail: String,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            detail: detail.into(),
            extra: serde_json::Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: serde_json::Value) -> Problem {
        self.extra.insert(key.to_string(), value);
        self
    }

    pub fn bad(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        problem_with(self.status, &self.detail, self.extra)
    }
}

/// An API error: a problem of its own, or the edge's error in the pages' words.
#[derive(Debug)]
pub(crate) enum ApiError {
    Problem(Problem),
    Web(WebError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Problem(p) => p.into_response(),
            ApiError::Web(e) => crate::error::problem_of(e),
        }
    }
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError::Problem(p)
    }
}

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError::Web(e)
    }
}

impl From<beacon_app::AppError> for ApiError {
    fn from(e: beacon_app::AppError) -> Self {
        ApiError::Web(e.into())
    }
}

impl From<beacon_app::StoreError> for ApiError {
    fn from(e: beacon_app::StoreError) -> Self {
        ApiError::Web(e.into())
    }
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// Who may keep a copy of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cache {
    /// A token's answer: the client may keep it but must ask again (with its ETag).
    Private,
    /// Published open data: anyone may keep it for a minute.
    Public,
}

/// A value as JSON with its ETag, or `304 Not Modified` when the client holds it already.
pub(crate) fn respond(headers: &HeaderMap, value: &impl Serialize, cache: Cache) -> ApiResult {
    let body = serde_json::to_vec(value).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(respond_bytes(headers, body, "application/json", cache))
}

/// Bytes with their ETag, or `304` when `If-None-Match` names it (or is `*`).
pub(crate) fn respond_bytes(
    headers: &HeaderMap,
    body: Vec<u8>,
    content_type: &'static str,
    cache: Cache,
) -> Response {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", beacon_app::audit::hex(&digest[..16]));
    respond_tagged(headers, body, content_type, cache, &etag)
}

/// Bytes with the ETag given, or `304` when `If-None-Match` names it (or is `*`).
pub(crate) fn respond_tagged(
    headers: &HeaderMap,
    body: Vec<u8>,
    content_type: &'static str,
    cache: Cache,
    etag: &str,
) -> Response {
    let control = match cache {
        Cache::Private => "private, no-cache",
        Cache::Public => "public, max-age=60",
    };
    let matched = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let etag_value = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matched {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value)],
            [(header::CACHE_CONTROL, control)],
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, content_type)],
        [(header::ETAG, etag_value)],
        [(header::CACHE_CONTROL, control)],
        body,
    )
        .into_response()
}

/// The filters and paging a list takes.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    /// A plan's ref.
    pub plan: Option<String>,
    /// A unit's ref.
    pub unit: Option<String>,
    /// A financial year, `2012-13`.
    pub period: Option<String>,
    /// A frame's kind (`area-of-focus`…).
    pub kind: Option<String>,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
    /// How many items a page holds: 1 to 500, 100 when not given.
    pub limit: Option<usize>,
}

/// The most items a page may hold.
pub(crate) const MAX_LIMIT: usize = 500;

/// The answer to a write: what it did, with the quarter's new version as its `ETag` (the
/// `If-Match` of the next write).
pub(crate) fn written(value: &impl Serialize, version: i64) -> ApiResult {
    let etag = HeaderValue::from_str(&format!("\"{version}\""))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let mut res = ok_json(value)?;
    res.headers_mut().insert(header::ETAG, etag);
    Ok(res)
}

/// The answer to a write that has no version: what it did, as JSON.
pub(crate) fn ok_json(value: &impl Serialize) -> ApiResult {
    let body = serde_json::to_vec(value).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    /// Give this as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The page of `items` (each with a unique key) after the cursor, in key order.
pub(crate) fn page<T>(mut items: Vec<(String, T)>, q: &ListQuery) -> Result<Page<T>, Problem> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::bad(format!(
            "limit must be a whole number from 1 to {MAX_LIMIT}"
        )));
    }
    let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(unhex(c).ok_or_else(|| {
            Problem::bad("cursor is not one this API gave: use the next_cursor of the page before")
        })?),
    };
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(k, _)| after.as_ref().is_none_or(|a| k > a))
        .collect();
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next_cursor = more
        .then(|| {
            rest.last()
                .map(|(k, _)| beacon_app::audit::hex(k.as_bytes()))
        })
        .flatten();
    Ok(Page {
        items: rest.into_iter().map(|(_, v)| v).collect(),
        next_cursor,
    })
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) || s.len() > 2048 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}
