//! The formats a publication freezes, for the publishing use case (`beacon_app::steps`): the
//! monitoring report in every format the report page offers, and the quarter's open data as
//! CSV and JSON. The web app and `beacon publish` pass the same [`ReportFormats`], so a quarter
//! published from either holds the same files.

use beacon_app::publication::{Formats, PublishedFile};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use beacon_interchange::sheets::open_data::{self, NationalCells};
use beacon_national::NationalDb;
use beacon_reports::model::Report;
use beacon_reports::{MonitoringQuery, monitoring_report_with, render};
use std::collections::HashMap;

/// The report formats: file extension, media type and label, as the report page lists them.
pub const REPORT_FORMATS: &[(&str, &str, &str)] = &[
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

/// A report in one format, by file extension (`zip`: the CSV tables; anything unknown: JSON).
pub fn render_report(report: &Report, ext: &str) -> Result<Vec<u8>, String> {
    let e = |x: beacon_reports::ReportError| x.to_string();
    match ext {
        "html" => render::html::render(report).map_err(e),
        "pdf" => beacon_reports_pdf::render(report).map_err(|x| x.to_string()),
        "docx" => render::docx::render(report).map_err(e),
        "xlsx" => render::xlsx::render(report).map_err(e),
        "zip" => render::csv::zip(report).map_err(e),
        _ => render::json::render(report).map_err(e),
    }
}

/// Every report format and the open data, as published: the report with the council's national
/// quartile column when it is linked to the national set, and the open data with its national
/// position on each indicator; both read before the step (as `benchmark::take_step` does), so
/// publishing itself reads nothing.
#[derive(Debug, Clone, Default)]
pub struct ReportFormats {
    pub national: Option<beacon_app::benchmark::QuartileColumn>,
    /// (plan, indicator) to its position, as its indicator page shows it.
    pub positions: HashMap<(String, String), NationalCells>,
}

impl ReportFormats {
    /// The council's national position on every indicator of its plans, from the national set
    /// (none without a set, or when the council is not linked to it).
    pub async fn positions(
        db: Option<&NationalDb>,
        data: &CouncilData,
    ) -> HashMap<(String, String), NationalCells> {
        let mut positions = HashMap::new();
        if db.is_some() {
            for p in &data.plans {
                for ind in &p.indicators {
                    let view = crate::pages::national::for_indicator(
                        db,
                        data.council.reference.as_str(),
                        &data.council.name,
                        ind,
                    )
                    .await;
                    if let Some(cells) = view.and_then(|v| cells(&v)) {
                        positions.insert(
                            (p.plan.reference.to_string(), ind.reference.to_string()),
                            cells,
                        );
                    }
                }
            }
        }
        positions
    }

    /// The position on an indicator of a plan, as the open data writes it.
    pub fn position(&self, plan: &str, indicator: &str) -> Option<NationalCells> {
        self.positions
            .get(&(plan.to_string(), indicator.to_string()))
            .cloned()
    }
}

/// The open-data columns of a position: the latest period with a value.
fn cells(v: &crate::pages::national::NationalView) -> Option<NationalCells> {
    let d = v.latest.as_ref()?;
    Some(NationalCells {
        indicator: v.indicator.clone(),
        period: d.period.clone(),
        rank: d.rank.clone(),
        quartile: d.quartile.clone(),
    })
}

impl Formats for ReportFormats {
    fn report(
        &self,
        data: &CouncilData,
        unit: &Ref,
        quarter: Quarter,
    ) -> Result<Vec<PublishedFile>, AppError> {
        let query = MonitoringQuery {
            unit: unit.clone(),
            quarter,
        };
        let report = monitoring_report_with(data, &query, self.national.as_ref())
            .map_err(|e| AppError::Refused(e.to_string()))?;
        REPORT_FORMATS
            .iter()
            .map(|(ext, media_type, _)| {
                Ok(PublishedFile {
                    name: format!("report.{ext}"),
                    media_type: (*media_type).to_string(),
                    bytes: render_report(&report, ext).map_err(AppError::Refused)?,
                })
            })
            .collect()
    }

    fn open_data(
        &self,
        data: &CouncilData,
        quarter: Quarter,
        plans: &[Ref],
    ) -> Result<Vec<PublishedFile>, AppError> {
        let mut open =
            open_data::open_data(data, quarter).with_national(|plan, ind| self.position(plan, ind));
        open.rows
            .retain(|r| plans.iter().any(|p| p.as_str() == r.plan));
        let failed = |e: beacon_interchange::sheets::SheetError| AppError::Refused(e.to_string());
        Ok(vec![
            PublishedFile {
                name: "open-data.csv".into(),
                media_type: "text/csv; charset=utf-8".into(),
                bytes: open_data::to_csv(&open).map_err(failed)?,
            },
            PublishedFile {
                name: "open-data.json".into(),
                media_type: "application/json".into(),
                bytes: open_data::to_json(&open).map_err(failed)?,
            },
        ])
    }
}
