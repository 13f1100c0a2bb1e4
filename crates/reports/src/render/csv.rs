//! CSV: one file per table (a chart's figures are a table), named `NN-<table id>.csv` in report order. A status column is
//! followed by its reasons; money is a plain number in the statement's scale (`-30`, not
//! `(30)`); a heading row has only its first cell. `zip` packs the files into one archive.
//! Text a spreadsheet would take for a formula is neutralised (`sheets::neutralise`).

use super::{flat_columns, flat_text};
use crate::error::ReportError;
use crate::model::{Report, Table};
use beacon_interchange::sheets::neutralise::neutralise;
use std::io::Write;

/// A CSV file: its name and its bytes (UTF-8, comma-separated, CRLF-free).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One file per table of the report (a chart's figures are a table), in order.
pub fn render(report: &Report) -> Result<Vec<CsvFile>, ReportError> {
    report
        .flat()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let t = f.table();
            Ok(CsvFile {
                name: format!("{:02}-{}.csv", i + 1, t.id),
                bytes: table(t)?,
            })
        })
        .collect()
}

/// One table as CSV.
pub fn table(t: &Table) -> Result<Vec<u8>, ReportError> {
    let cols = flat_columns(t);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cols.iter().map(|c| neutralise(&c.label)))
        .map_err(|e| ReportError::render("CSV", e))?;
    for row in &t.rows {
        w.write_record(
            cols.iter()
                .map(|c| neutralise(&flat_text(row.cells.get(c.index), c))),
        )
        .map_err(|e| ReportError::render("CSV", e))?;
    }
    w.into_inner().map_err(|e| ReportError::render("CSV", e))
}

/// The CSV files in one zip archive (stored with a fixed date, so the bytes are reproducible).
pub fn zip(report: &Report) -> Result<Vec<u8>, ReportError> {
    let files = render(report)?;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for f in files {
        z.start_file(f.name.as_str(), opts)
            .map_err(|e| ReportError::render("CSV zip", e))?;
        z.write_all(&f.bytes)
            .map_err(|e| ReportError::render("CSV zip", e))?;
    }
    z.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| ReportError::render("CSV zip", e))
}
