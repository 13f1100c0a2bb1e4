//! The monitoring report page: the report rendered in the page (the same standalone HTML the
//! `beacon report` command writes, shown in a frame) with downloads in every format.

use crate::AppState;
use crate::error::WebError;
use crate::extract::UnitQuarterPath;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use beacon_app::benchmark::QuartileColumn;
use beacon_app::{CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use beacon_reports::model::Report;
use beacon_reports::{MonitoringQuery, monitoring_report_with};
use std::sync::Arc;

/// A download link.
pub struct Download {
    pub label: &'static str,
    pub href: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    title: String,
    frame: String,
    downloads: Vec<Download>,
}

/// The formats, with file extension, content type and label: the ones a publication freezes.
pub(crate) use crate::formats::REPORT_FORMATS as FORMATS;

pub(crate) fn build(data: &CouncilData, unit: &Ref, quarter: Quarter) -> Result<Report, WebError> {
    build_with(data, unit, quarter, None)
}

/// The report with the council's national quartile column, when it has one.
fn build_with(
    data: &CouncilData,
    unit: &Ref,
    quarter: Quarter,
    national: Option<&QuartileColumn>,
) -> Result<Report, WebError> {
    let query = MonitoringQuery {
        unit: unit.clone(),
        quarter,
    };
    monitoring_report_with(data, &query, national).map_err(|_| WebError::NotFound)
}

pub async fn page<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    UnitQuarterPath {
        council,
        quarter: q,
        unit,
    }: UnitQuarterPath,
) -> Result<Html<String>, WebError> {
    let data = state.council(council.as_str()).await?;
    let national = crate::benchmark::column(state.national.as_ref(), &data, q).await;
    let report = build_with(&data, &unit, q, national.as_ref())?;
    let c = data.council.reference.as_str();
    let base = paths::report(c, q, unit.as_str());
    let page = ReportPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Quarter).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, Some(unit.as_str())),
            ),
        ]),
        title: report.title.clone(),
        frame: format!("{base}/report.html"),
        downloads: FORMATS
            .iter()
            .map(|(ext, _, label)| Download {
                label,
                href: format!("{base}/report.{ext}"),
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

/// The report in one format, by file extension.
pub(crate) fn render_format(report: &Report, ext: &str) -> Result<Vec<u8>, WebError> {
    crate::formats::render_report(report, ext).map_err(WebError::Internal)
}

/// The `{file}` segment of a report file's path.
#[derive(serde::Deserialize)]
pub struct PathFile {
    file: String,
}

pub async fn download<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    let ext = file.strip_prefix("report.").ok_or(WebError::NotFound)?;
    let (_, content_type, _) = FORMATS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .ok_or(WebError::NotFound)?;
    let data = state.council(place.council.as_str()).await?;
    let national = crate::benchmark::column(state.national.as_ref(), &data, place.quarter).await;
    let report = build_with(&data, &place.unit, place.quarter, national.as_ref())?;
    let bytes = render_format(&report, ext)?;
    let name = format!(
        "{}-{}-{}-q{}.{ext}",
        data.council.reference,
        paths::seg(place.unit.as_str()),
        paths::year(place.quarter.year),
        place.quarter.q.number()
    );
    let disposition = if ext == "html" {
        "inline".to_string()
    } else {
        format!("attachment; filename=\"{name}\"")
    };
    Ok((
        axum::Extension(crate::auth::Verbatim),
        [
            (header::CONTENT_TYPE, (*content_type).to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
