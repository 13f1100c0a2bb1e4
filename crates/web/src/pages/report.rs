//! The monitoring report page: the report rendered in the page (the same standalone HTML the
//! `beacon report` command writes, shown in a frame) with downloads in every format.

use crate::AppState;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use beacon_app::{CouncilData, Store};
use beacon_reports::model::Report;
use beacon_reports::{MonitoringQuery, monitoring_report, render};
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

/// The formats, with file extension, content type and label.
pub(crate) const FORMATS: &[(&str, &str, &str)] = &[
    ("html", "text/html; charset=utf-8", "Web page (HTML)"),
    ("pdf", "application/pdf", "PDF"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (DOCX)",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel workbook (XLSX)",
    ),
    ("zip", "application/zip", "CSV files, one per table (ZIP)"),
    ("json", "application/json", "JSON (the report model)"),
];

pub(crate) fn build(
    data: &CouncilData,
    year: &str,
    quarter: u8,
    unit: &str,
) -> Result<Report, WebError> {
    let q = paths::quarter(year, quarter).ok_or(WebError::NotFound)?;
    let unit = unit.parse().map_err(|_| WebError::NotFound)?;
    monitoring_report(data, &MonitoringQuery { unit, quarter: q }).map_err(|_| WebError::NotFound)
}

pub async fn page<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, unit)): Path<(String, String, u8, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let report = build(&data, &year, quarter, &unit)?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let c = data.council.reference.as_str();
    let base = paths::report(c, q, &unit);
    let page = ReportPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Quarter).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, Some(&unit)),
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
    let internal = |e: String| WebError::Internal(e);
    Ok(match ext {
        "html" => render::html::render(report).map_err(|e| internal(e.to_string()))?,
        "pdf" => beacon_reports_pdf::render(report).map_err(|e| internal(e.to_string()))?,
        "docx" => render::docx::render(report).map_err(|e| internal(e.to_string()))?,
        "xlsx" => render::xlsx::render(report).map_err(|e| internal(e.to_string()))?,
        "zip" => render::csv::zip(report).map_err(|e| internal(e.to_string()))?,
        _ => render::json::render(report).map_err(|e| internal(e.to_string()))?,
    })
}

pub async fn download<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, unit, file)): Path<(String, String, u8, String, String)>,
) -> Result<Response, WebError> {
    let ext = file.strip_prefix("report.").ok_or(WebError::NotFound)?;
    let (_, content_type, _) = FORMATS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .ok_or(WebError::NotFound)?;
    let data = state.council(&council).await?;
    let report = build(&data, &year, quarter, &unit)?;
    let bytes = render_format(&report, ext)?;
    let name = format!(
        "{}-{}-{}-q{}.{ext}",
        data.council.reference,
        paths::seg(&unit),
        year,
        quarter
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
