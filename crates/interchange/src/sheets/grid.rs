//! A spreadsheet as Beacon reads it: named sheets of text cells. Workbooks are read cell by
//! cell (never as a dense range, so a cell at `XFD1048576` costs one cell, not a billion), after
//! the zip limits are checked; CSV files become one sheet. Numbers and dates a spreadsheet
//! stored as numbers come back as the text a person would type. A shared string is held once
//! however many cells use it, and the text of the whole workbook is bounded.

use crate::sheets::limits::{Limits, check_xlsx};
use crate::sheets::problem::{Loc, SheetError, cell_name};
use beacon_domain::text::{control_character, refusal};
use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

/// One sheet: text cells by 0-based (row, column). Empty cells are not stored; cells that
/// hold the same shared string share one copy of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Arc<str>>,
    /// True for a CSV file: locations name no A1 cell.
    pub csv: bool,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }
    /// The text of a cell, `""` when empty.
    pub fn get(&self, row: u32, col: u32) -> &str {
        self.cells.get(&(row, col)).map_or("", |t| &**t)
    }
    /// Sets a cell (an empty text clears it).
    pub fn set(&mut self, row: u32, col: u32, text: impl Into<String>) {
        let t: String = text.into();
        if t.is_empty() {
            self.cells.remove(&(row, col));
        } else {
            self.cells.insert((row, col), Arc::from(t));
        }
    }
    /// How many rows, counting to the last non-empty one.
    pub fn height(&self) -> u32 {
        self.cells.keys().next_back().map_or(0, |(r, _)| r + 1)
    }
    /// How many columns, counting to the last non-empty one (reads every cell: call once).
    pub fn width(&self) -> u32 {
        self.cells.keys().map(|(_, c)| c + 1).max().unwrap_or(0)
    }
    /// The cells of one row, from column 0 to the row's last non-empty cell.
    pub fn row(&self, row: u32) -> Vec<&str> {
        let last = self
            .cells
            .range((row, 0)..=(row, u32::MAX))
            .next_back()
            .map_or(0, |((_, c), _)| c + 1);
        (0..last).map(|c| self.get(row, c)).collect()
    }
    /// True when every cell of the row is empty or blank.
    pub fn row_is_blank(&self, row: u32) -> bool {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .all(|(_, t)| t.trim().is_empty())
    }
    /// Where a cell is, for messages: `heading` is the column's heading.
    pub fn loc(&self, row: u32, col: u32, heading: &str) -> Loc {
        Loc {
            sheet: self.name.clone(),
            row: row as usize + 1,
            column: heading.to_string(),
            cell: if self.csv {
                String::new()
            } else {
                cell_name(row, col)
            },
        }
    }
    /// Where a whole row is.
    pub fn row_loc(&self, row: u32) -> Loc {
        Loc {
            sheet: self.name.clone(),
            row: row as usize + 1,
            column: String::new(),
            cell: String::new(),
        }
    }
}

/// A workbook (or a CSV file as a one-sheet book).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

impl Book {
    /// The sheet with this name, matched without regard to case or surrounding spaces.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        let want = name.trim().to_lowercase();
        self.sheets
            .iter()
            .find(|s| s.name.trim().to_lowercase() == want)
    }
    pub fn sheet_mut(&mut self, name: &str) -> Option<&mut Sheet> {
        let want = name.trim().to_lowercase();
        self.sheets
            .iter_mut()
            .find(|s| s.name.trim().to_lowercase() == want)
    }

    /// Reads an XLSX workbook: limits first, then every sheet cell by cell.
    pub fn from_xlsx(bytes: &[u8], limits: &Limits) -> Result<Book, SheetError> {
        check_xlsx(bytes, limits)?;
        // calamine is well tested, but a reader bug must become a message, never a crash: the
        // unwind is caught here and reported as an unreadable file.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx(bytes, limits))) {
            Ok(r) => r,
            Err(_) => Err(SheetError::Unreadable(
                "this workbook could not be read (the reader failed on its contents); save it again from your spreadsheet program and retry".into(),
            )),
        }
    }

    /// Reads a CSV file (UTF-8, comma-separated, a byte-order mark allowed) as one sheet named
    /// after the file.
    pub fn from_csv(bytes: &[u8], name: &str, limits: &Limits) -> Result<Book, SheetError> {
        let len = bytes.len() as u64;
        if len > limits.max_file_bytes {
            return Err(SheetError::Refused(format!(
                "the file is {len} bytes; a CSV file may be at most {} bytes",
                limits.max_file_bytes
            )));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut sheet = Sheet::new(name);
        sheet.csv = true;
        let mut cells = 0usize;
        for (r, rec) in reader.byte_records().enumerate() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(r as u64 + 1, |p| p.line());
                SheetError::Unreadable(format!("{name}, line {line}: not readable as CSV: {e}"))
            })?;
            if r >= limits.max_rows {
                return Err(SheetError::Refused(format!(
                    "{name} has more than {} rows; split it into smaller files",
                    limits.max_rows
                )));
            }
            for (c, field) in rec.iter().enumerate() {
                let text = std::str::from_utf8(field).map_err(|_| {
                    SheetError::Unreadable(format!(
                        "{name}, line {}: column {} is not UTF-8 text; save the file as \"CSV UTF-8\"",
                        rec.position().map_or(r as u64 + 1, |p| p.line()),
                        c + 1
                    ))
                })?;
                if text.trim().is_empty() {
                    continue;
                }
                if let Some(ch) = control_character(text) {
                    return Err(SheetError::Refused(refusal(
                        ch,
                        &format!(
                            "{name}, line {}, column {}",
                            rec.position().map_or(r as u64 + 1, |p| p.line()),
                            c + 1
                        ),
                    )));
                }
                let col = u32::try_from(c).unwrap_or(u32::MAX);
                if col >= limits.max_columns {
                    return Err(SheetError::Refused(format!(
                        "{name}, line {}: more than {} columns",
                        r + 1,
                        limits.max_columns
                    )));
                }
                cells += 1;
                if cells > limits.max_cells {
                    return Err(SheetError::Refused(format!(
                        "{name} has more than {} filled cells",
                        limits.max_cells
                    )));
                }
                let row = u32::try_from(r).unwrap_or(u32::MAX);
                sheet.cells.insert((row, col), Arc::from(text));
            }
        }
        Ok(Book {
            sheets: vec![sheet],
        })
    }

    /// Writes the cells as a plain workbook: every cell a text cell. For tests and corpora: a
    /// stand-in for a person filling a workbook in and saving it.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, SheetError> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for s in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&s.name)?;
            for ((r, c), text) in &s.cells {
                let col = u16::try_from(*c)
                    .map_err(|_| SheetError::Write(format!("column {c} is too far right")))?;
                ws.write_string(*r, col, &**text)?;
            }
        }
        Ok(wb.save_to_buffer()?)
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Book, SheetError> {
    let unreadable = |e: calamine::XlsxError| {
        SheetError::Unreadable(format!("this workbook cannot be read: {e}"))
    };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut book = Book::default();
    let mut cells = 0usize;
    let mut text_bytes = 0usize;
    // Shared strings by where calamine holds them: each is copied out once and then shared.
    let mut shared: HashMap<(usize, usize), Arc<str>> = HashMap::new();
    for name in wb.sheet_names() {
        let mut sheet = Sheet::new(&name);
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a sheet without cells: nothing to read.
            Err(calamine::XlsxError::WorksheetNotFound(_)) => {
                book.sheets.push(sheet);
                continue;
            }
            Err(e) => return Err(unreadable(e)),
        };
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            let text: Arc<str> = match cell.get_value() {
                DataRef::SharedString(s) => Arc::clone(
                    shared
                        .entry((s.as_ptr() as usize, s.len()))
                        .or_insert_with(|| Arc::from(*s)),
                ),
                other => Arc::from(text_of(other)),
            };
            if text.trim().is_empty() {
                continue;
            }
            if let Some(c) = control_character(&text) {
                return Err(SheetError::Refused(refusal(
                    c,
                    &format!("sheet {name:?}, cell {}", cell_name(row, col)),
                )));
            }
            text_bytes = text_bytes.saturating_add(text.len());
            if text_bytes > limits.max_text_bytes {
                return Err(SheetError::Refused(format!(
                    "the workbook holds more than {} MiB of text by cell {} of sheet {name:?} (a short text repeated in many cells counts each time); Beacon reads at most that much: split the workbook or shorten the text",
                    limits.max_text_bytes / (1024 * 1024),
                    cell_name(row, col),
                )));
            }
            if row as usize >= limits.max_rows {
                return Err(SheetError::Refused(format!(
                    "sheet {name:?} has a value at {}, beyond row {}; Beacon reads at most {} rows",
                    cell_name(row, col),
                    limits.max_rows,
                    limits.max_rows
                )));
            }
            if col >= limits.max_columns {
                return Err(SheetError::Refused(format!(
                    "sheet {name:?} has a value at {}, beyond the {} columns Beacon reads",
                    cell_name(row, col),
                    limits.max_columns
                )));
            }
            cells += 1;
            if cells > limits.max_cells {
                return Err(SheetError::Refused(format!(
                    "the workbook has more than {} filled cells",
                    limits.max_cells
                )));
            }
            sheet.cells.insert((row, col), text);
        }
        book.sheets.push(sheet);
    }
    Ok(book)
}

/// The text a person would have typed for a stored cell: numbers in their shortest exact
/// decimal form, whole numbers without a fraction, dates as `2012-09-14`.
fn text_of(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => float_text(d.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#ERROR {e}"),
        DataRef::Empty => String::new(),
    }
}

/// A stored number as text. Rust prints the shortest decimal that reads back as the same
/// double, so 54.1 stays "54.1"; whole numbers lose the ".0".
fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    let s = f.to_string();
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(float_text(54.1), "54.1");
        assert_eq!(float_text(1118.0), "1118");
        assert_eq!(float_text(-0.5), "-0.5");
        assert_eq!(float_text(f64::NAN), "");
    }

    #[test]
    fn a_csv_becomes_one_sheet_and_bad_bytes_are_named() {
        let b = Book::from_csv(
            b"\xEF\xBB\xBFa,b\n1,\"x, y\"\n",
            "f.csv",
            &Limits::default(),
        )
        .unwrap();
        let s = &b.sheets[0];
        assert_eq!(s.get(0, 0), "a");
        assert_eq!(s.get(1, 1), "x, y");
        assert_eq!(s.loc(1, 1, "b").cell, "");
        let e = Book::from_csv(b"a\n\xff\n", "f.csv", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    #[test]
    fn a_written_book_reads_back() {
        let mut s = Sheet::new("One");
        s.set(0, 0, "=HYPERLINK(\"x\")");
        s.set(4, 7, "54.1%");
        let bytes = Book {
            sheets: vec![s.clone()],
        }
        .to_xlsx()
        .unwrap();
        let back = Book::from_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(back.sheets, vec![s]);
    }
}
