//! The collection workbook's layout, shared by the writer and the reader: sheet names, columns
//! (which are the council's, locked, and which are to fill in), the "About" keys that record
//! whose quarter the file is for, and the one-file CSV form of the same.

use crate::sheets::grid::Sheet;
use crate::sheets::problem::{CellProblem, Loc};
use std::collections::HashMap;

/// Written in the About sheet; a file with another format is refused.
pub const FORMAT: &str = "beacon-collection-1";

pub const INDICATORS: &str = "Indicators";
pub const MILESTONES: &str = "Milestones";
pub const RISKS: &str = "Risks";
pub const INSTRUCTIONS: &str = "Instructions";
pub const ABOUT: &str = "About";
pub const LISTS: &str = "Lists";

/// A column of a collection sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The key the reader knows it by (and the CSV heading).
    pub key: &'static str,
    /// The heading the workbook prints.
    pub heading: &'static str,
    /// True for a cell to fill in (unlocked); false for the council's own data (locked).
    pub input: bool,
    /// Width in characters.
    pub width: u16,
}

const fn col(key: &'static str, heading: &'static str, input: bool, width: u16) -> Column {
    Column {
        key,
        heading,
        input,
        width,
    }
}

pub const INDICATOR_COLUMNS: &[Column] = &[
    col("ref", "Ref", false, 14),
    col("description", "Description", false, 48),
    col("measured_in", "Measured in", false, 11),
    col("better", "Better is", false, 9),
    col("target", "Target this year", false, 16),
    col("last_year", "Same period last year", false, 18),
    col("period", "Period", true, 12),
    col("value", "Value", true, 12),
    col("words", "Words", true, 20),
    col("qualifier", "Qualifier", true, 12),
    col("commentary", "Commentary", true, 60),
    col("officer", "Officer", true, 9),
];

pub const MILESTONE_COLUMNS: &[Column] = &[
    col("ref", "Ref", false, 10),
    col("objective", "Objective", false, 10),
    col("milestone", "Milestone", false, 60),
    col("due", "Due", false, 14),
    col("progress", "Progress", true, 12),
    col("completed", "Completed on", true, 13),
    col("commentary", "Commentary", true, 60),
    col("officer", "Officer", true, 9),
];

pub const RISK_COLUMNS: &[Column] = &[
    col("ref", "Ref", false, 10),
    col("risk", "Risk", false, 50),
    col("initial", "Initial assessment", false, 18),
    col("current", "Current assessment", false, 18),
    col("likelihood", "Likelihood", true, 11),
    col("impact", "Impact", true, 9),
    col("progress", "Progress on treatment", true, 60),
    col("officer", "Officer", true, 9),
];

/// The About sheet's keys, in order: column A holds the key, column B the value.
pub const ABOUT_KEYS: &[&str] = &["format", "council", "unit", "quarter", "plan"];

/// The one-file CSV form: one row per item, `kind` saying which.
pub const CSV_COLUMNS: &[&str] = &[
    "council",
    "unit",
    "quarter",
    "plan",
    "kind",
    "ref",
    "description",
    "period",
    "value",
    "words",
    "qualifier",
    "progress",
    "completed",
    "likelihood",
    "impact",
    "commentary",
    "officer",
];

/// The words a value may be given as instead of a number (beside the words already stored
/// for it), matched without regard to case.
pub fn allowed_words() -> Vec<&'static str> {
    beacon_domain::measure::KNOWN_WORDS.to_vec()
}

fn norm(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Finds the columns of a sheet by their headings in row `header_row`: each column's heading or
/// key, without regard to case, so columns may be moved. Missing input columns are problems.
pub fn find_columns(
    sheet: &Sheet,
    header_row: u32,
    columns: &[Column],
) -> Result<HashMap<&'static str, (u32, &'static str)>, Vec<CellProblem>> {
    let mut found = HashMap::new();
    for c in 0..sheet.width() {
        let h = norm(sheet.get(header_row, c));
        if h.is_empty() {
            continue;
        }
        if let Some(spec) = columns
            .iter()
            .find(|s| norm(s.heading) == h || norm(s.key) == h)
        {
            found.entry(spec.key).or_insert((c, spec.heading));
        }
    }
    let missing: Vec<CellProblem> = columns
        .iter()
        .filter(|s| (s.input || s.key == "ref") && !found.contains_key(s.key))
        .map(|s| {
            CellProblem::new(
                &Loc {
                    sheet: sheet.name.clone(),
                    row: header_row as usize + 1,
                    column: s.heading.to_string(),
                    cell: String::new(),
                },
                format!(
                    "no column headed {:?}; expected the headings Beacon wrote in row {}",
                    s.heading,
                    header_row + 1
                ),
            )
        })
        .collect();
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}
