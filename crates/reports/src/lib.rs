//! Beacon's reports: one model per report, independent of any output format, and the renderers
//! that draw from it. The quarterly monitoring report (`monitoring`) and the plan document
//! (`plan_document`) build a [`model::Report`]; `render` writes it as HTML, CSV, JSON, XLSX or
//! DOCX (PDF is in the `beacon-reports-pdf` crate, because typst is heavy).

pub mod cells;
pub mod error;
pub mod model;
pub mod monitoring;
pub mod plan_document;
pub mod render;
pub mod symbols;

pub use error::ReportError;
pub use model::Report;
pub use monitoring::{MonitoringQuery, monitoring_report, monitoring_report_with};
pub use plan_document::plan_document;
