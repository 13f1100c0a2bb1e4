//! Reading what an API client sends: a JSON body (at most a form's size), and the quarter's
//! version in `If-Match`, which every write must carry (428 without it, 412 when the quarter
//! has moved on).

use super::json::Problem;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// The body as `T`, or a problem saying what was wrong with it. An empty body is `{}`.
pub(crate) async fn json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, Problem> {
    let limit = crate::routes::FORM_BODY_LIMIT;
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Beacon takes at most {} here: nothing was saved.",
                crate::routes::size_words(limit)
            ),
        )
    })?;
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| {
            let v = v.split(';').next().unwrap_or("").trim();
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        });
    if !json_type {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON, with Content-Type: application/json.",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Problem::bad(format!(
            "The body is not what this operation takes: {e}. Nothing was saved."
        ))
    })
}

/// The version the writer read, from `If-Match` (`"3"`, as the unit's quarter's ETag gives it).
pub(crate) fn if_match(headers: &HeaderMap) -> Result<i64, Problem> {
    let Some(given) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "Send If-Match with the quarter's version (the ETag of the unit's quarter), so that your change cannot overwrite someone else's. Nothing was saved.",
        ));
    };
    given
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| {
            Problem::bad(
                "If-Match is not a version of the quarter: send the ETag of the unit's quarter, such as \"3\". Nothing was saved.",
            )
        })
}

/// Refuses a write when the quarter has moved on since the writer read it.
pub(crate) fn still(read: i64, now: i64) -> Result<(), Problem> {
    if read == now {
        return Ok(());
    }
    Err(Problem::new(
        StatusCode::PRECONDITION_FAILED,
        format!(
            "The quarter has changed since you read it (you read version {read}; it is now at version {now}). Nothing was saved: read it again and make your changes there."
        ),
    )
    .with("version", serde_json::json!(now)))
}
