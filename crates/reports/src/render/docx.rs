//! DOCX: an editable Word document (boards often need to edit the pack). The WordprocessingML
//! is written here, through askama templates that escape every value, and zipped: no
//! well-kept Rust crate writes DOCX with what this needs (repeated table headers, page
//! numbers, styles Word and LibreOffice both honour) without pulling in an image stack.
//! Headings use Word's built-in heading styles, so the navigation pane and a table of contents
//! work; a table's header row repeats on every page; statuses are shape and word, tinted, with
//! the reason as a numbered note under the table. A chart is a table of statuses and counts with
//! its bars drawn in block characters. Page numbers are in the footer.

use crate::error::ReportError;
use crate::model::{Block, Cell, ColumnKind, Part, Report, RowKind, Section, Table};
use askama::Template;
use std::io::Write;

/// The width of the text on an A4 page with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH: u32 = 11906 - 2 * 1134;

#[derive(Template)]
#[template(path = "docx/document.xml", escape = "html", whitespace = "minimize")]
struct Document<'a> {
    r: &'a Report,
}

impl Document<'_> {
    fn table_width(&self) -> u32 {
        TEXT_WIDTH
    }

    /// Column widths: shares of the text width by what each column holds.
    fn grid(&self, t: &Table) -> Vec<u32> {
        let weight = |k: ColumnKind| match k {
            ColumnKind::Ref => 12,
            ColumnKind::Text => 40,
            ColumnKind::Measure => 14,
            ColumnKind::Date => 12,
            ColumnKind::Money => 12,
            ColumnKind::Status => 15,
        };
        let total: u32 = t.columns.iter().map(|c| weight(c.kind)).sum::<u32>().max(1);
        t.columns
            .iter()
            .map(|c| TEXT_WIDTH * weight(c.kind) / total)
            .collect()
    }

    fn fill(&self, tone: &str) -> &'static str {
        match tone {
            "good" => "CCE2D8",
            "mid" => "FFF2CC",
            "bad" => "F4CDC6",
            _ => "F3F2F1",
        }
    }

    /// A chart bar's colour, darker than a status cell's tint so it shows as a bar.
    fn bar_colour(&self, tone: &str) -> &'static str {
        match tone {
            "good" => "3D7D5E",
            "mid" => "B58A00",
            "bad" => "B8412F",
            _ => "6F777B",
        }
    }

    fn section_heading(&self, s: &Section) -> String {
        match &s.number {
            Some(n) => format!("{n} {}", s.heading),
            None => s.heading.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "docx/core.xml", escape = "html")]
struct Core<'a> {
    r: &'a Report,
}

const CONTENT_TYPES: &str = include_str!("../../templates/docx/content_types.xml");
const RELS: &str = include_str!("../../templates/docx/rels.xml");
const DOCUMENT_RELS: &str = include_str!("../../templates/docx/document.xml.rels");
const STYLES: &str = include_str!("../../templates/docx/styles.xml");
const FOOTER: &str = include_str!("../../templates/docx/footer1.xml");

/// The report as a DOCX document.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let e = |e: &dyn std::fmt::Display| ReportError::render("DOCX", e);
    let document = Document { r: report }.render().map_err(|x| e(&x))?;
    let core = Core { r: report }.render().map_err(|x| e(&x))?;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("docProps/core.xml", core.as_str()),
        ("word/document.xml", document.as_str()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/footer1.xml", FOOTER),
    ] {
        z.start_file(name, opts).map_err(|x| e(&x))?;
        z.write_all(text.as_bytes()).map_err(|x| e(&x))?;
    }
    z.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|x| e(&x))
}
