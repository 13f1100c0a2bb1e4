//! What can be wrong with a spreadsheet: a problem in one cell (sheet, row, column and what was
//! expected), or a file that cannot be read at all.

use std::fmt;

/// Where a value was read: the sheet (or CSV file), the 1-based row, the column's heading and,
/// for a workbook, the cell's A1 reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// The sheet's name, or the CSV file's name.
    pub sheet: String,
    /// 1-based row; 0 for the whole sheet.
    pub row: usize,
    /// The column's heading as the file writes it; empty for a whole row or sheet.
    pub column: String,
    /// The cell as a spreadsheet names it (`H5`); empty for CSV files and whole rows.
    pub cell: String,
}

impl Loc {
    /// The whole of a sheet.
    pub fn sheet(sheet: &str) -> Loc {
        Loc {
            sheet: sheet.to_string(),
            row: 0,
            column: String::new(),
            cell: String::new(),
        }
    }
}

/// One thing wrong in a spreadsheet, with where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellProblem {
    pub at: Loc,
    /// What is wrong and what would have been accepted.
    pub message: String,
}

impl CellProblem {
    pub fn new(at: &Loc, message: impl Into<String>) -> Self {
        CellProblem {
            at: at.clone(),
            message: message.into(),
        }
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.at;
        write!(f, "{}", a.sheet)?;
        if a.row > 0 {
            write!(f, ", row {}", a.row)?;
        }
        if !a.column.is_empty() {
            write!(f, ", column {:?}", a.column)?;
        }
        if !a.cell.is_empty() {
            write!(f, " ({})", a.cell)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found, in sheet and row order, as one message: nothing was loaded.
pub fn report(problems: &[CellProblem]) -> String {
    let n = problems.len();
    let mut out = format!(
        "{n} problem{} found; nothing was loaded:\n",
        if n == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str(&format!("  {p}\n"));
    }
    out
}

/// A file that cannot be read or written as a spreadsheet at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// The file breaks a limit (size, entries, a path in the archive): it was not unpacked.
    #[error("{0}")]
    Refused(String),
    /// The file is not a readable XLSX workbook or CSV file.
    #[error("{0}")]
    Unreadable(String),
    /// What the file or request names does not exist or does not fit (a unit, plan, quarter).
    #[error("{0}")]
    Scope(String),
    /// A workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Write(String),
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError::Write(e.to_string())
    }
}

/// The A1 name of a 0-based cell: (4, 7) is `H5`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// The letters of a 0-based column: 0 is `A`, 26 is `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cells_as_spreadsheets_do() {
        assert_eq!(cell_name(4, 7), "H5");
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn a_problem_names_sheet_row_column_and_cell() {
        let p = CellProblem::new(
            &Loc {
                sheet: "Indicators".into(),
                row: 5,
                column: "Value".into(),
                cell: "H5".into(),
            },
            "expected a number",
        );
        assert_eq!(
            p.to_string(),
            "Indicators, row 5, column \"Value\" (H5): expected a number"
        );
    }
}
