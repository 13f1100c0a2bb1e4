//! A plan's lists as spreadsheets, from its page: indicators, values, milestones, risks and
//! budget lines, as XLSX or CSV. Cells a spreadsheet would read as formulas come out inert.

use crate::error::WebError;
use crate::paths;
use crate::{AppState, Backend};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use beacon_domain::Ref;
use beacon_interchange::sheets::tables::{TableKind, table, to_csv, to_xlsx};
use std::sync::Arc;

/// The lists offered, with their labels.
pub const KINDS: [(&str, &str); 5] = [
    ("indicators", "Indicators"),
    ("values", "Indicator values"),
    ("milestones", "Milestones"),
    ("risks", "Risks"),
    ("budget-lines", "Budget lines"),
];

pub async fn download<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan, file)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let (kind, ext) = file.rsplit_once('.').ok_or(WebError::NotFound)?;
    let kind: TableKind = kind.parse().map_err(|_| WebError::NotFound)?;
    let plan: Ref = plan.parse().map_err(|_| WebError::NotFound)?;
    let t = table(&data, kind, Some(&plan)).map_err(|_| WebError::NotFound)?;
    let internal = |e: beacon_interchange::sheets::SheetError| WebError::Internal(e.to_string());
    let (bytes, media_type) = match ext {
        "csv" => (to_csv(&t).map_err(internal)?, "text/csv; charset=utf-8"),
        "xlsx" => (
            to_xlsx(std::slice::from_ref(&t)).map_err(internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(WebError::NotFound),
    };
    let name = format!(
        "{}-{}-{}.{ext}",
        paths::seg(data.council.reference.as_str()),
        paths::seg(plan.as_str()),
        kind
    );
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
