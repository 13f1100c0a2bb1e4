//! The wide shape of published local-authority tables: one sheet per indicator (or one CSV
//! file), councils as rows, periods as columns, with the suppression marks such tables use.
//! See docs/national.md for the rules:
//! - the indicator is the sheet's name (the file's name for a CSV) unless a cell above the
//!   header reads `Indicator:` with the code beside it (or `Indicator: CODE` in one cell);
//! - the header row is the first whose cell reads `LA code`, `ONS code`, `Local authority code`,
//!   `Area code`, `Code`, `la_code`, `new_la_code` or `Council`: that column holds the codes;
//! - a header with a digit in it (`2021-22`, `2023 Q1`, `2021`) is a period; other headers
//!   (`LA name`, `Region`) are descriptions and are not read;
//! - rows with no code or nothing in any period column (titles, notes, footnotes), and England, region and UK totals (codes starting
//!   E92, E12, E13, K0) are passed over;
//! - sheets named Contents, Cover, Notes, Metadata or Index, with no header row, are passed over.

use super::{Cell, parse_cell};
use crate::catalog::{Catalog, Cube};
use crate::model::check_text;
use crate::problem::{Problem, Problems, column_letter};
use calamine::{Data, Reader};
use std::path::Path;

/// A cell of a grid, as read from a workbook or a CSV.
#[derive(Debug, Clone)]
enum GridCell {
    Empty,
    Number(f64),
    Text(String),
    /// A formula error or a date, which no value is.
    Other(String),
}

impl GridCell {
    fn text(&self) -> String {
        match self {
            GridCell::Empty => String::new(),
            GridCell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            GridCell::Number(v) => v.to_string(),
            GridCell::Text(t) | GridCell::Other(t) => t.trim().to_string(),
        }
    }
}

const CODE_HEADERS: [&str; 8] = [
    "la code",
    "ons code",
    "local authority code",
    "area code",
    "code",
    "la_code",
    "new_la_code",
    "council",
];
const NOTE_SHEETS: [&str; 5] = ["contents", "cover", "notes", "metadata", "index"];
const TOTAL_PREFIXES: [&str; 4] = ["E92", "E12", "E13", "K0"];

/// The largest sheet read: a million rows by 1,000 columns.
const MAX_ROWS: usize = 1_000_000;
const MAX_COLUMNS: usize = 1_000;

pub fn read_workbook(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    cube: &mut Cube,
    problems: &mut Problems,
) {
    let mut book = match calamine::open_workbook_auto(path) {
        Ok(b) => b,
        Err(e) => {
            return problems.push(Problem {
                file: name.to_string(),
                sheet: None,
                row: None,
                column: None,
                message: format!("not a readable workbook: {e}"),
            });
        }
    };
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    file: name.to_string(),
                    sheet: Some(sheet.clone()),
                    row: None,
                    column: None,
                    message: format!("cannot read the sheet: {e}"),
                });
                continue;
            }
        };
        let (h, w) = range.get_size();
        if h > MAX_ROWS || w > MAX_COLUMNS {
            problems.push(Problem {
                file: name.to_string(),
                sheet: Some(sheet.clone()),
                row: None,
                column: None,
                message: format!(
                    "{h} rows by {w} columns; at most {MAX_ROWS} by {MAX_COLUMNS} are read"
                ),
            });
            continue;
        }
        // Rows are numbered as the spreadsheet numbers them, from the range's first row.
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let grid: Vec<Vec<GridCell>> = range
            .rows()
            .map(|r| {
                let mut row = vec![GridCell::Empty; first_col];
                row.extend(r.iter().map(|d| match d {
                    Data::Empty => GridCell::Empty,
                    Data::Float(f) => GridCell::Number(*f),
                    Data::Int(i) => GridCell::Number(*i as f64),
                    Data::String(s) => GridCell::Text(s.clone()),
                    other => GridCell::Other(other.to_string()),
                }));
                row
            })
            .collect();
        read_grid(
            name,
            Some(&sheet),
            &sheet,
            first_row,
            &grid,
            catalog,
            cube,
            problems,
        );
        if problems.full() {
            return;
        }
    }
}

pub fn read_csv(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    cube: &mut Cube,
    problems: &mut Problems,
) {
    let mut reader = match csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
    {
        Ok(r) => r,
        Err(e) => {
            return problems.push(Problem {
                file: name.to_string(),
                sheet: None,
                row: None,
                column: None,
                message: format!("cannot read: {e}"),
            });
        }
    };
    let mut grid = Vec::new();
    for (i, r) in reader.records().enumerate() {
        match r {
            Ok(r) if i < MAX_ROWS && r.len() <= MAX_COLUMNS => grid.push(
                r.iter()
                    .map(|c| match c.trim() {
                        "" => GridCell::Empty,
                        t => GridCell::Text(t.trim_start_matches('\u{feff}').to_string()),
                    })
                    .collect(),
            ),
            Ok(_) => {
                return problems.push(Problem {
                    file: name.to_string(),
                    sheet: None,
                    row: Some(i + 1),
                    column: None,
                    message: format!(
                        "too large: at most {MAX_ROWS} rows of {MAX_COLUMNS} columns are read"
                    ),
                });
            }
            Err(e) => {
                return problems.push(Problem {
                    file: name.to_string(),
                    sheet: None,
                    row: Some(i + 1),
                    column: None,
                    message: format!("not CSV: {e}"),
                });
            }
        }
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    read_grid(name, None, &stem, 0, &grid, catalog, cube, problems);
}

/// Where a table was read from, to name a problem's place.
struct Place<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    /// The grid's first row in the sheet (0-based).
    first_row: usize,
}

impl Place<'_> {
    fn at(&self, row: usize, col: Option<(usize, &str)>, message: String) -> Problem {
        Problem {
            file: self.file.to_string(),
            sheet: self.sheet.map(str::to_string),
            row: Some(self.first_row + row + 1),
            column: col.map(|(c, h)| {
                if h.is_empty() {
                    column_letter(c)
                } else {
                    format!("{} ({h})", column_letter(c))
                }
            }),
            message,
        }
    }
}

/// The header row (its index, the code column and every header) and the indicator's code:
/// the one an "Indicator" cell above the header names, else `default_code`.
fn find_header(
    grid: &[Vec<GridCell>],
    default_code: &str,
) -> (String, Option<(usize, usize, Vec<String>)>) {
    let mut indicator = default_code.trim().to_string();
    for (r, row) in grid.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(GridCell::text).collect();
        if let Some(c) = texts
            .iter()
            .position(|t| CODE_HEADERS.contains(&t.to_ascii_lowercase().as_str()))
        {
            return (indicator, Some((r, c, texts)));
        }
        if let Some(c) = texts
            .iter()
            .position(|t| t.to_ascii_lowercase().starts_with("indicator"))
        {
            let t = &texts[c];
            let inline = t.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
            indicator = if inline.is_empty() {
                texts.get(c + 1).cloned().unwrap_or_default()
            } else {
                inline.to_string()
            };
        }
    }
    (indicator, None)
}

/// One council's row: each period's cell stored, suppressed or reported as not a number.
#[allow(clippy::too_many_arguments)]
fn read_row(
    place: &Place<'_>,
    r: usize,
    row: &[GridCell],
    ind: u32,
    slot: u32,
    periods: &[(usize, u32, String)],
    cube: &mut Cube,
    problems: &mut Problems,
) {
    for (c, period, h) in periods {
        let cell = row.get(*c).unwrap_or(&GridCell::Empty);
        let read = match cell {
            GridCell::Empty => Cell::Suppressed,
            GridCell::Number(v) if v.is_finite() => Cell::Number(*v),
            GridCell::Number(_) | GridCell::Other(_) => Cell::Invalid,
            GridCell::Text(t) => parse_cell(t),
        };
        match read {
            Cell::Number(v) => {
                if let Err(e) = cube.set(ind, *period, slot, v) {
                    problems.push(place.at(r, Some((*c, h)), e));
                }
            }
            Cell::Suppressed => cube.suppressed += 1,
            Cell::Invalid => problems.push(place.at(
                r,
                Some((*c, h)),
                format!(
                    "{:?} is not a number; expected a decimal such as 12.5, a suppression \
                     mark (x, .., c, -) or a blank",
                    cell.text().chars().take(40).collect::<String>()
                ),
            )),
        }
    }
}

/// Reads one indicator's table. `default_code` is the sheet's or file's name.
#[allow(clippy::too_many_arguments)]
fn read_grid(
    file: &str,
    sheet: Option<&str>,
    default_code: &str,
    first_row: usize,
    grid: &[Vec<GridCell>],
    catalog: &mut Catalog,
    cube: &mut Cube,
    problems: &mut Problems,
) {
    let place = Place {
        file,
        sheet,
        first_row,
    };
    let (indicator, header) = find_header(grid, default_code);
    let Some((hr, code_col, headers)) = header else {
        if sheet.is_some_and(|s| NOTE_SHEETS.contains(&s.trim().to_ascii_lowercase().as_str())) {
            return;
        }
        return problems.push(
            place.at(
                0,
                None,
                "no header row: expected a row with a cell reading \"LA code\", \"ONS code\" or \
             \"Code\" above the councils"
                    .to_string(),
            ),
        );
    };
    if let Err(e) = check_text(&indicator, "indicator code") {
        return problems.push(place.at(hr, None, e));
    }
    let ind = catalog.intern_indicator(&indicator);
    // Period columns: headers with a digit in them.
    let mut periods = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        if c != code_col && h.chars().any(|ch| ch.is_ascii_digit()) {
            match check_text(h, "period") {
                Ok(()) => periods.push((c, catalog.intern_period(h), h.clone())),
                Err(e) => problems.push(place.at(hr, Some((c, "")), e)),
            }
        }
    }
    if periods.is_empty() {
        return problems.push(
            place.at(
                hr,
                None,
                "no period columns: expected headers such as 2022-23 or 2023 Q1 beside the codes"
                    .to_string(),
            ),
        );
    }
    for (r, row) in grid.iter().enumerate().skip(hr + 1) {
        let code = row.get(code_col).map(GridCell::text).unwrap_or_default();
        // Notes and footnotes: no code, or nothing in any period column.
        let blank = periods
            .iter()
            .all(|(c, _, _)| matches!(row.get(*c), None | Some(GridCell::Empty)));
        if code.is_empty() || blank || TOTAL_PREFIXES.iter().any(|p| code.starts_with(p)) {
            continue;
        }
        let slot =
            match check_text(&code, "council code").and_then(|()| catalog.intern_council(&code)) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(place.at(r, Some((code_col, &headers[code_col])), e));
                    continue;
                }
            };
        read_row(&place, r, row, ind, slot, &periods, cube, problems);
        if problems.full() {
            return;
        }
    }
}
