//! The monitoring report page: the report rendered in the page (the same standalone HTML the
//! `beacon report` command writes, shown in a frame) with downloads in every format. `show` and
//! `send` draw every report's page and files (the year's other reports use them too).

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
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    title: String,
    frame: String,
    downloads: Vec<Download>,
    related: Vec<Download>,
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
    // Rendered once per revision of the council (and of the national set, whose quartiles the
    // report shows): building the report is the page's whole cost. The page holds nothing
    // personal; the account bar and form token are filled in on the way out (`auth::viewer`).
    let c = council.as_str();
    let base = paths::report(c, q, unit.as_str());
    let key = state.national_key(base.clone()).await;
    let set = state.national.as_ref();
    state
        .page_async(c, key, |data| async move {
            let national = crate::benchmark::column(set, &data, q).await;
            let report = build_with(&data, &unit, q, national.as_ref())?;
            let crumbs = vec![
                (data.council.name.clone(), paths::council(c)),
                (
                    format!("Quarter {} {}", q.q.number(), q.year),
                    paths::dashboard(c, q, Some(unit.as_str())),
                ),
            ];
            let related = vec![Download {
                label: "The cover report for the board, with this report appended".into(),
                href: paths::cover(c, q, unit.as_str()),
            }];
            Ok(show(&data, &report, &base, crumbs, related, Section::Quarter)?.0)
        })
        .await
}

/// A report's page: its title, downloads in every format, links to related reports, and the
/// report itself in a frame (`{base}/report.html`).
pub(crate) fn show(
    data: &CouncilData,
    report: &Report,
    base: &str,
    crumbs: Vec<(String, String)>,
    related: Vec<Download>,
    section: Section,
) -> Result<Html<String>, WebError> {
    let page = ReportPage {
        chrome: Chrome::council(data, latest_quarter(data), section).with_crumbs(crumbs),
        title: report.title.clone(),
        frame: format!("{base}/report.html"),
        downloads: FORMATS
            .iter()
            .map(|(ext, _, label)| Download {
                label: (*label).to_string(),
                href: format!("{base}/report.{ext}"),
            })
            .collect(),
        related,
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
    pub(crate) file: String,
}

pub async fn download<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    let ext = format_of(&file)?;
    let data = state.council(place.council.as_str()).await?;
    let national = crate::benchmark::column(state.national.as_ref(), &data, place.quarter).await;
    let report = build_with(&data, &place.unit, place.quarter, national.as_ref())?;
    let name = format!(
        "{}-{}-{}-q{}",
        data.council.reference,
        paths::seg(place.unit.as_str()),
        paths::year(place.quarter.year),
        place.quarter.q.number()
    );
    send(&report, ext, &name)
}

/// The format a `report.{ext}` file name asks for, if Beacon writes it.
pub(crate) fn format_of(file: &str) -> Result<&str, WebError> {
    let ext = file.strip_prefix("report.").ok_or(WebError::NotFound)?;
    FORMATS
        .iter()
        .any(|(e, _, _)| *e == ext)
        .then_some(ext)
        .ok_or(WebError::NotFound)
}

/// A report in one format as a download named `{stem}.{ext}` (HTML shown inline).
pub(crate) fn send(report: &Report, ext: &str, stem: &str) -> Result<Response, WebError> {
    let (_, content_type, _) = FORMATS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .ok_or(WebError::NotFound)?;
    let bytes = render_format(report, ext)?;
    let name = format!("{stem}.{ext}");
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
