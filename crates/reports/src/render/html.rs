//! HTML: one standalone page (styles inline, no scripts), accessible and printable. A status
//! is a shape and a word with a tint, never colour alone; its reason is a disclosure on screen
//! and a numbered note in print. Written through an askama template compiled in, which escapes
//! every value.

use crate::error::ReportError;
use crate::model::{Block, Cell, Part, Report, RowKind};
use askama::Template;

#[derive(Template)]
#[template(path = "report.html", whitespace = "minimize")]
struct Page<'a> {
    r: &'a Report,
}

/// The report as a standalone HTML page.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    Page { r: report }
        .render()
        .map(String::into_bytes)
        .map_err(|e| ReportError::render("HTML", e))
}
