//! The public pages: only what has been published. Each version of a published quarter keeps
//! its files, byte for byte, at a URL that never changes; later edits to the live data never
//! reach them.

use super::render;
use crate::error::WebError;
use crate::extract::UnitQuarterPath;
use crate::paths;
use crate::view::Chrome;
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use beacon_app::publication::PublicationMeta;
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use std::sync::Arc;

/// A published quarter as listed.
pub struct Listed {
    pub title: String,
    pub href: String,
    pub latest: String,
}

#[derive(Template)]
#[template(path = "public_council.html")]
struct CouncilPage {
    chrome: Chrome,
    name: String,
    quarters: Vec<Listed>,
}

/// A file of a version.
pub struct FileLink {
    pub label: String,
    pub href: String,
}

/// A version of a published quarter.
pub struct VersionView {
    pub number: i64,
    pub at: String,
    pub by: String,
    pub hash: String,
    pub note: Option<String>,
    pub files: Vec<FileLink>,
    /// The audit trail's last row when published, as "row N, SHA-256 …".
    pub anchor: Option<String>,
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    chrome: Chrome,
    title: String,
    council_href: String,
    latest: VersionView,
    earlier: Vec<VersionView>,
}

fn label(file: &str) -> String {
    match file {
        "report.html" => "Web page (HTML)",
        "report.pdf" => "PDF",
        "report.docx" => "Word document (DOCX)",
        "report.xlsx" => "Excel workbook (XLSX)",
        "report.zip" => "CSV files, one per table (ZIP)",
        "report.json" => "JSON (the report model)",
        "open-data.csv" => "Open data: one row per indicator (CSV)",
        "open-data.json" => "Open data: one row per indicator (JSON)",
        other => other,
    }
    .to_string()
}

async fn council_name<S: Backend>(state: &AppState<S>, c: &CouncilRef) -> Result<String, WebError> {
    Ok(state
        .store
        .councils()
        .await?
        .into_iter()
        .find(|x| &x.reference == c)
        .ok_or(WebError::NotFound)?
        .name)
}

pub async fn council<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
) -> Result<Html<String>, WebError> {
    let c: CouncilRef = council.parse().map_err(|_| WebError::NotFound)?;
    let name = council_name(&state, &c).await?;
    let mut quarters: Vec<Listed> = Vec::new();
    for p in state.store.publications(&c).await? {
        let href = paths::publication(c.as_str(), p.unit.as_str(), p.quarter);
        let latest = format!(
            "version {}, {}",
            p.version,
            p.published_at.format("%-d %B %Y")
        );
        match quarters.iter_mut().find(|l| l.href == href) {
            Some(l) => l.latest = latest,
            None => quarters.push(Listed {
                title: format!(
                    "{}: Quarter {} {}",
                    p.unit,
                    p.quarter.q.number(),
                    p.quarter.year
                ),
                href,
                latest,
            }),
        }
    }
    render(&CouncilPage {
        chrome: Chrome::plain(),
        name,
        quarters,
    })
}

fn view(c: &str, p: &PublicationMeta) -> VersionView {
    VersionView {
        number: p.version,
        at: p.published_at.format("%-d %B %Y at %H:%M UTC").to_string(),
        by: p.published_by.clone(),
        hash: p.content_hash.clone(),
        note: p.note.clone(),
        anchor: p.anchor.as_ref().map(ToString::to_string),
        files: p
            .files
            .iter()
            .map(|f| FileLink {
                label: label(f),
                href: paths::published_file(c, p.unit.as_str(), p.quarter, p.version, f),
            })
            .collect(),
    }
}

pub async fn publication<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    UnitQuarterPath {
        council: c,
        quarter: q,
        unit: u,
    }: UnitQuarterPath,
) -> Result<Html<String>, WebError> {
    let name = council_name(&state, &c).await?;
    let mut versions: Vec<PublicationMeta> = state
        .store
        .publications(&c)
        .await?
        .into_iter()
        .filter(|p| p.unit == u && p.quarter == q)
        .collect();
    versions.sort_by_key(|p| std::cmp::Reverse(p.version));
    let mut views = versions.iter().map(|p| view(c.as_str(), p));
    let latest = views.next().ok_or(WebError::NotFound)?;
    render(&PublicationPage {
        chrome: Chrome::plain(),
        title: format!("{name}: {u}, Quarter {} {}", q.q.number(), q.year),
        council_href: paths::public(c.as_str()),
        latest,
        earlier: views.collect(),
    })
}

pub async fn file<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, unit, year, quarter, version, file)): Path<(
        String,
        String,
        String,
        u8,
        String,
        String,
    )>,
) -> Result<Response, WebError> {
    let c: CouncilRef = council.parse().map_err(|_| WebError::NotFound)?;
    let u: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let v: i64 = version
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .ok_or(WebError::NotFound)?;
    let f = state
        .store
        .published_file(&c, &u, q, v, &file)
        .await?
        .ok_or(WebError::NotFound)?;
    let disposition = if f.name.ends_with(".html") {
        "inline".to_string()
    } else {
        format!(
            "attachment; filename=\"{}-{}-{}-q{}-v{v}-{}\"",
            paths::seg(c.as_str()),
            paths::seg(u.as_str()),
            year,
            quarter,
            f.name
        )
    };
    Ok((
        axum::Extension(crate::auth::Verbatim),
        [
            (header::CONTENT_TYPE, f.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
        ],
        f.bytes,
    )
        .into_response())
}
