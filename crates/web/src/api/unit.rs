//! Reading a council's quarters: where each unit's quarter stands (state and version), the
//! statuses of a quarter with their reasons and direction of travel (the status engine's own
//! answer), one unit's quarter as recorded, its monitoring report (the report model, as
//! `docs/report-json.md` describes it) and the council's publications.

use super::json::{ApiResult, Cache, ListQuery, page, respond};
use crate::extract::{CouncilPath, QuarterPath, UnitQuarterPath};
use crate::{AppState, Backend};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use beacon_app::lifecycle::QuarterStatus;
use beacon_app::status::{StatusQuery, status_report};
use beacon_domain::Ref;
use serde::Serialize;
use std::sync::Arc;

pub async fn publications<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let period = q.period.as_deref().map(super::read::year).transpose()?;
    let items = state
        .store
        .publications(&data.council.reference)
        .await?
        .into_iter()
        .filter(|p| q.unit.as_deref().is_none_or(|u| p.unit.as_str() == u))
        .filter(|p| period.is_none_or(|y| p.quarter.year == y))
        .map(|p| {
            (
                format!("{}\u{1f}{}\u{1f}{:09}", p.unit, p.quarter, p.version),
                p,
            )
        })
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

/// Every unit's quarter of the council for the quarter in the path: open ones too.
pub async fn states<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    QuarterPath { council, quarter }: QuarterPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(council.as_str()).await?;
    let stored = state
        .store
        .quarter_statuses(&data.council.reference)
        .await?;
    let items = data
        .units
        .iter()
        .filter(|u| q.unit.as_deref().is_none_or(|w| u.reference.as_str() == w))
        .map(|u| {
            (
                u.reference.to_string(),
                QuarterStatus::of(&stored, &u.reference, quarter),
            )
        })
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

/// The quarter's statuses, as the status engine gives them: each with its reasons, what was
/// set by hand and the direction of travel; filtered by plan and unit.
pub async fn statuses<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    QuarterPath { council, quarter }: QuarterPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(council.as_str()).await?;
    let parse = |r: &Option<String>, what: &str| {
        r.as_deref()
            .map(|t| {
                t.parse::<Ref>()
                    .map_err(|_| super::json::Problem::bad(format!("{what} {t:?} is not a ref")))
            })
            .transpose()
    };
    let report = status_report(
        &data,
        &StatusQuery {
            quarter,
            plan: parse(&q.plan, "plan")?,
            unit: parse(&q.unit, "unit")?,
        },
    );
    respond(&headers, &report, Cache::Private)
}

/// A unit's quarter: where it stands, and what is recorded for it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UnitQuarter<'a> {
    status: QuarterStatus,
    /// What is recorded for the quarter; null when nothing is yet.
    record: Option<&'a beacon_domain::quarter::QuarterRecord>,
}

/// The unit's quarter. Its `ETag` is the quarter's version (`"3"`): send it back as `If-Match`
/// with a write, which is refused (412) if the quarter has moved on since.
pub async fn unit_quarter<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(place.council.as_str()).await?;
    if !data.units.iter().any(|u| u.reference == place.unit) {
        return Err(crate::error::WebError::NotFound.into());
    }
    let stored = state
        .store
        .quarter_statuses(&data.council.reference)
        .await?;
    let status = QuarterStatus::of(&stored, &place.unit, place.quarter);
    let home = beacon_app::recording::Home::find(&data, &place.unit, place.quarter, None).ok();
    let version = status.version;
    let body = UnitQuarter {
        status,
        record: home.and_then(|h| h.record),
    };
    let bytes =
        serde_json::to_vec(&body).map_err(|e| crate::error::WebError::Internal(e.to_string()))?;
    Ok(super::json::respond_tagged(
        &headers,
        bytes,
        "application/json",
        Cache::Private,
        &format!("\"{version}\""),
    ))
}

/// The monitoring report of a unit's quarter, as its JSON model (the same bytes as the
/// report page's `report.json`).
pub async fn report<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(place.council.as_str()).await?;
    let report = crate::pages::report::build(&data, &place.unit, place.quarter)?;
    let bytes = crate::pages::report::render_format(&report, "json")?;
    Ok(super::json::respond_bytes(
        &headers,
        bytes,
        "application/json",
        Cache::Private,
    ))
}
