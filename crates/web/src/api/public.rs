//! Open data without a token: only what has been published, read-only, at URLs that do not
//! change. Each version's report is the JSON frozen when it was published, byte for byte;
//! later edits to the live data never reach it.

use super::json::{ApiResult, Cache, ListQuery, page, respond, respond_bytes};
use crate::error::WebError;
use crate::extract::CouncilPath;
use crate::paths;
use crate::{AppState, Backend};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use beacon_app::publication::{AuditAnchor, PublicationMeta};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// A published version, with where its files are. Its fields are the publication's own
/// (`PublicationMeta`), with each file's name beside its stable public URL.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Published {
    council: CouncilRef,
    unit: Ref,
    quarter: Quarter,
    /// 1 for the first publication of the quarter, then 2, 3…
    version: i64,
    published_at: DateTime<Utc>,
    published_by: String,
    /// SHA-256 over every file's name and SHA-256, in name order.
    content_hash: String,
    /// What changed since the version before (none for the first).
    note: Option<String>,
    /// The audit trail's last row when this version was published.
    anchor: Option<AuditAnchor>,
    /// The report model, frozen (JSON), on this API.
    report: String,
    /// Every frozen file, in name order, at its stable public URL.
    files: Vec<PublishedFileLink>,
}

/// A frozen file of a publication.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct PublishedFileLink {
    /// "report.pdf", "open-data.csv"…
    name: String,
    /// Its public URL (a path on this server), the same for as long as the version exists.
    url: String,
}

fn published(c: &str, p: PublicationMeta) -> Published {
    let year = paths::year(p.quarter.year);
    let base = format!(
        "/api/v1/public/councils/{}/publications/{}/{}/{}/v{}",
        paths::seg(c),
        paths::seg(p.unit.as_str()),
        year,
        p.quarter.q.number(),
        p.version
    );
    let files = p
        .files
        .iter()
        .map(|f| PublishedFileLink {
            name: f.clone(),
            url: paths::published_file(c, p.unit.as_str(), p.quarter, p.version, f),
        })
        .collect();
    Published {
        report: format!("{base}/report"),
        files,
        council: p.council,
        unit: p.unit,
        quarter: p.quarter,
        version: p.version,
        published_at: p.published_at,
        published_by: p.published_by,
        content_hash: p.content_hash,
        note: p.note,
        anchor: p.anchor,
    }
}

pub async fn publications<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let period = q.period.as_deref().map(super::read::year).transpose()?;
    let all = state.store.publications(&c).await?;
    if all.is_empty() && state.store.revision(&c).await?.is_none() {
        return Err(WebError::NotFound.into());
    }
    let items = all
        .into_iter()
        .filter(|p| q.unit.as_deref().is_none_or(|u| p.unit.as_str() == u))
        .filter(|p| period.is_none_or(|y| p.quarter.year == y))
        .map(|p| {
            (
                format!("{}\u{1f}{}\u{1f}{:09}", p.unit, p.quarter, p.version),
                published(c.as_str(), p),
            )
        })
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Public)
}

/// The frozen report model of one published version (`v2`, or `latest`).
pub async fn report<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, unit, year, quarter, version)): Path<(String, String, String, u8, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c: CouncilRef = council.parse().map_err(|_| WebError::NotFound)?;
    let u: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let v: i64 = if version == "latest" {
        state
            .store
            .publications(&c)
            .await?
            .iter()
            .filter(|p| p.unit == u && p.quarter == q)
            .map(|p| p.version)
            .max()
            .ok_or(WebError::NotFound)?
    } else {
        version
            .strip_prefix('v')
            .unwrap_or(&version)
            .parse()
            .map_err(|_| WebError::NotFound)?
    };
    let f = state
        .store
        .published_file(&c, &u, q, v, "report.json")
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(respond_bytes(
        &headers,
        f.bytes,
        "application/json",
        Cache::Public,
    ))
}
