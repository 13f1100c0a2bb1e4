//! JSON: the report model itself, documented in `docs/report-json.md`.

use crate::error::ReportError;
use crate::model::Report;

/// The report as pretty-printed JSON, ending with a newline.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut out = serde_json::to_vec_pretty(report).map_err(|e| ReportError::render("JSON", e))?;
    out.push(b'\n');
    Ok(out)
}
