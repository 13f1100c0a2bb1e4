//! Beacon's reports as PDF, typeset by typst: page numbers ("Page 3 of 21"), table headers
//! repeated across pages, fonts embedded (typst's own, compiled into the binary: the output
//! does not depend on the machine's fonts). A crate of its own because typst is heavy.
//!
//! The report model goes to the template as JSON in `sys.inputs`, never pasted into markup, so
//! a council's `*`, `#`, `$` or `_` stays a character.

mod child;

pub use child::{ChildTypesetter, render_in_child, typeset_in_child_processes};

use beacon_reports::Report;
use std::sync::LazyLock;
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart};
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;

/// The template, compiled in.
const TEMPLATE: &str = include_str!("report.typ");

/// Fonts are read once per process: loading them is most of the cost of a small document.
static ENGINE: LazyLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = LazyLock::new(|| {
    TypstEngine::builder()
        .main_file(TEMPLATE)
        .search_fonts_with(
            TypstKitFontOptions::default()
                .include_system_fonts(false)
                .include_embedded_fonts(true),
        )
        .build()
});

/// A PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot pass the report to the typesetter: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot typeset the report: {0}")]
    Typeset(String),
}

/// The report as a PDF: typeset by a child process when a server asked for that
/// ([`typeset_in_child_processes`]), here otherwise.
pub fn render(report: &Report) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_vec(report)?;
    match child::configured() {
        Some(c) => render_in_child(c, json),
        None => render_json(json),
    }
}

/// A report's JSON (as [`Report`] serialises it) as a PDF, typeset in this process (what the
/// child process runs).
pub fn render_json(json: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    let heading: serde_json::Value = serde_json::from_slice(&json)?;
    let field = |name: &str| heading[name].as_str().unwrap_or_default().to_string();
    let (title, as_at) = (field("title"), field("as_at"));
    let mut inputs = Dict::new();
    inputs.insert("report".into(), Bytes::new(json).into_value());
    let doc: PagedDocument = ENGINE
        .compile_with_input(inputs)
        .output
        .map_err(|e| match e {
            typst_as_lib::TypstAsLibError::TypstSource(diags) => {
                PdfError::Typeset(describe(&diags))
            }
            other => PdfError::Typeset(other.to_string()),
        })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("beacon:{title}:{as_at}")),
        timestamp: timestamp(&as_at),
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Typeset(describe(&e)));
    // Typst memoizes its work; the compile above drops what is not reused, but the export's
    // memos would stay until the next report. A server keeps no document's memos.
    typst::comemo::evict(0);
    pdf
}

/// Typst's diagnostics in words, each with the template line it points at.
fn describe(diags: &[typst::diag::SourceDiagnostic]) -> String {
    use typst::syntax::{DiagSpanKind, Source};
    let words: Vec<String> = diags
        .iter()
        .map(|d| {
            let line = match d.span.get() {
                DiagSpanKind::Number { id, num, sub_range } => {
                    let src = Source::new(id, TEMPLATE.to_string());
                    src.range(num, sub_range)
                        .and_then(|r| src.lines().byte_to_line(r.start))
                }
                DiagSpanKind::Range { range, .. } => {
                    Source::detached(TEMPLATE).lines().byte_to_line(range.start)
                }
                DiagSpanKind::Detached => None,
            };
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            format!(
                "{}{}{}",
                line.map_or(String::new(), |l| format!("report.typ line {}: ", l + 1)),
                d.message,
                if hints.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", hints.join("; "))
                }
            )
        })
        .collect();
    words.join("; ")
}

/// The report's date as the PDF's creation date, so the same report gives the same bytes.
fn timestamp(as_at: &str) -> Option<typst_pdf::Timestamp> {
    let mut it = as_at.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Datetime::from_ymd(y, m, d).map(typst_pdf::Timestamp::new_utc)
}
