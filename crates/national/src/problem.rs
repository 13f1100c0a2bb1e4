//! What was wrong with an input file, named by file, sheet, row and column, and the errors the
//! set's operations return.

use std::fmt;

/// One thing wrong with an input, where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub sheet: Option<String>,
    /// 1-based, as a spreadsheet numbers rows.
    pub row: Option<usize>,
    /// The column's letter or header.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, ", sheet {s:?}")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// How many problems a load lists before it stops reading.
pub const MAX_PROBLEMS: usize = 50;

/// Why an operation on the national set failed.
#[derive(Debug)]
pub enum NationalError {
    /// The input is wrong; nothing was changed.
    Input(Vec<Problem>),
    /// The database failed; nothing was changed.
    Database(String),
    /// Something asked for is not in the set.
    NotFound(String),
}

impl fmt::Display for NationalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NationalError::Input(problems) => {
                writeln!(
                    f,
                    "nothing was loaded: {} problem{} found",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )?;
                for p in problems {
                    writeln!(f, "  {p}")?;
                }
                if problems.len() >= MAX_PROBLEMS {
                    writeln!(f, "  (reading stopped after {MAX_PROBLEMS} problems)")?;
                }
                Ok(())
            }
            NationalError::Database(e) => write!(f, "the national set's database failed: {e}"),
            NationalError::NotFound(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for NationalError {}

impl From<sqlx::Error> for NationalError {
    fn from(e: sqlx::Error) -> Self {
        NationalError::Database(e.to_string())
    }
}

/// A problem list that stops growing at [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        }
    }
    pub fn full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The spreadsheet letter of a 0-based column ("A", "Z", "AA").
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(super::column_letter(0), "A");
        assert_eq!(super::column_letter(25), "Z");
        assert_eq!(super::column_letter(26), "AA");
        assert_eq!(super::column_letter(27), "AB");
    }
}
