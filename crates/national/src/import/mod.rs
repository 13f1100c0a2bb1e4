//! Reading national files, all or nothing: the kind of each file is told from its extension and
//! header, every problem is collected with its file, row and column, and nothing is returned
//! for storing unless every file read cleanly.

mod lists;
mod tidy;
mod wide;

use crate::catalog::{Catalog, Cube};
use crate::problem::{NationalError, Problem, Problems};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;

pub use lists::read_groups;

/// What a cell holds once read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Number(f64),
    /// A suppression or not-available mark (`x`, `..`, `c`, `-`, `:`, `*`) or a blank.
    Suppressed,
    Invalid,
}

/// The marks published local-authority tables use for a value they do not give:
/// `x` suppressed (small numbers), `..` not available, `c` confidential, `-` nil or not
/// applicable, `:` not available, `*` suppressed; and a blank cell.
pub const SUPPRESSION_MARKS: [&str; 6] = ["x", "..", "c", "-", ":", "*"];

/// Reads a value: a decimal number (thousands separators and a trailing % allowed), a
/// suppression mark or a blank.
pub fn parse_cell(text: &str) -> Cell {
    let t = text.trim();
    if t.is_empty() || SUPPRESSION_MARKS.iter().any(|m| t.eq_ignore_ascii_case(m)) {
        return Cell::Suppressed;
    }
    if let Ok(v) = t.parse::<f64>() {
        return if v.is_finite() {
            Cell::Number(v)
        } else {
            Cell::Invalid
        };
    }
    let cleaned: String = t
        .strip_suffix('%')
        .unwrap_or(t)
        .chars()
        .filter(|c| *c != ',')
        .collect();
    match cleaned.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Cell::Number(v),
        _ => Cell::Invalid,
    }
}

/// What a load read, for the report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReadReport {
    pub files: Vec<String>,
    pub values: u64,
    pub suppressed: u64,
    pub registered: usize,
    pub indicators_defined: usize,
    /// Comparison groups set by a groups file (`council,kind,member`).
    pub groups: usize,
}

/// Whether to draw progress bars (on a terminal) or not (tests, pipes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Shown,
    Hidden,
}

impl Progress {
    /// A bar of `len` units with a message; drawn only on a terminal.
    pub fn bar(self, len: u64, message: &str) -> ProgressBar {
        let target = match self {
            Progress::Shown => ProgressDrawTarget::stderr(),
            Progress::Hidden => ProgressDrawTarget::hidden(),
        };
        let bar = ProgressBar::with_draw_target(Some(len), target);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:24} [{bar:40}] {percent:>3}% {elapsed_precise} left {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_string());
        bar
    }
}

/// Reads every file into the catalog and a cube of values. Errors list every problem found.
pub fn read_files(
    paths: &[&Path],
    catalog: &mut Catalog,
    progress: Progress,
) -> Result<(Cube, ReadReport), NationalError> {
    let mut cube = Cube::default();
    let mut report = ReadReport::default();
    let mut problems = Problems::default();
    for path in paths {
        let name = path.display().to_string();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "ods" => {
                wide::read_workbook(path, &name, catalog, &mut cube, &mut problems)
            }
            "csv" => read_csv(
                path,
                &name,
                catalog,
                &mut cube,
                &mut report,
                &mut problems,
                progress,
            ),
            _ => problems.push(Problem {
                file: name.clone(),
                sheet: None,
                row: None,
                column: None,
                message: "not a national file: expected .csv (tidy, wide, register or \
                          indicators) or .xlsx (wide, one sheet per indicator)"
                    .to_string(),
            }),
        }
        report.files.push(name);
        if problems.full() {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(NationalError::Input(problems.list));
    }
    report.values = cube.values;
    report.suppressed = cube.suppressed;
    Ok((cube, report))
}

/// A CSV file: told apart by its header.
fn read_csv(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    cube: &mut Cube,
    report: &mut ReadReport,
    problems: &mut Problems,
    progress: Progress,
) {
    let fail = |problems: &mut Problems, message: String| {
        problems.push(Problem {
            file: name.to_string(),
            sheet: None,
            row: None,
            column: None,
            message,
        })
    };
    let header = match first_line(path) {
        Ok(h) => h,
        Err(e) => return fail(problems, format!("cannot read: {e}")),
    };
    let cols: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    match cols.as_slice() {
        ["council", "indicator", "period", "value"] => {
            tidy::read(path, name, catalog, cube, problems, progress)
        }
        ["code", "name", "region", "type", ..] => {
            report.registered += lists::read_register(path, name, catalog, problems)
        }
        ["indicator", "name", "polarity", ..] => {
            report.indicators_defined += lists::read_indicators(path, name, catalog, problems)
        }
        // After the register in the same load: its councils must be registered.
        ["council", "kind", "member"] => {
            report.groups += lists::read_groups_into(path, name, catalog, problems)
        }
        _ => wide::read_csv(path, name, catalog, cube, problems),
    }
}

fn first_line(path: &Path) -> std::io::Result<String> {
    use std::io::{BufRead, Read};
    let f = std::fs::File::open(path)?;
    let mut line = String::new();
    std::io::BufReader::new(f)
        .take(64 * 1024)
        .read_line(&mut line)?;
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_marks_and_formatted_numbers_are_read() {
        for m in ["x", "..", "c", "-", "", " X ", ":"] {
            assert_eq!(parse_cell(m), Cell::Suppressed, "{m:?}");
        }
        assert_eq!(parse_cell("12.5"), Cell::Number(12.5));
        assert_eq!(parse_cell("1,234"), Cell::Number(1234.0));
        assert_eq!(parse_cell("45.2%"), Cell::Number(45.2));
        assert_eq!(parse_cell("twelve"), Cell::Invalid);
        assert_eq!(parse_cell("NaN"), Cell::Invalid);
        assert_eq!(parse_cell("inf"), Cell::Invalid);
    }
}
