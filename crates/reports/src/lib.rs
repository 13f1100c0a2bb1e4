//! Beacon's reports: one model per report, independent of any output format, and the renderers
//! that draw from it. The quarterly monitoring report (`monitoring`) and the plan document
//! (`plan_document`) build a [`model::Report`]; `render` writes it as HTML, CSV, JSON, XLSX or
//! DOCX (PDF is in the `beacon-reports-pdf` crate, because typst is heavy).

pub mod annual;
pub mod cells;
pub mod cover;
pub mod error;
pub mod model;
pub mod monitoring;
pub mod plan_budget;
pub mod plan_document;
pub mod render;
pub mod symbols;

pub use annual::YearQuery;
pub use annual::community::{CommunityQuery, community_report};
pub use annual::outturn::outturn_report;
pub use annual::target_review::target_review;
pub use cover::{CoverText, cover_report};
pub use error::ReportError;
pub use model::Report;
pub use monitoring::{MonitoringQuery, monitoring_report, monitoring_report_with};
pub use plan_document::plan_document;
