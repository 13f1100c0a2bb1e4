//! The tidy CSV: `council,indicator,period,value`, one value a row, the shape the DuckDB and
//! pandas peer writes. Councils, indicators and periods are integer ids or codes; a value is a
//! decimal number, a suppression mark or blank. Built for 32 million rows: records are read as
//! bytes into one reused buffer, and the last code of each column is remembered so a run of rows
//! for the same council costs no lookup.

use super::{Cell, Progress, parse_cell};
use crate::catalog::{Catalog, Cube};
use crate::model::check_text;
use crate::problem::{Problem, Problems};
use std::path::Path;

/// The last code read in a column and what it was interned as.
#[derive(Default)]
struct Last {
    text: Vec<u8>,
    id: Option<u32>,
}

/// Reads a column's code, interning it the first time it is seen.
fn code(
    last: &mut Last,
    bytes: &[u8],
    what: &str,
    intern: &mut dyn FnMut(&str) -> Result<u32, String>,
) -> Result<u32, String> {
    if let Some(id) = last.id
        && last.text == bytes
    {
        return Ok(id);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| format!("the {what} is not UTF-8"))?;
    let text = text.trim();
    check_text(text, what)?;
    let id = intern(text)?;
    last.text.clear();
    last.text.extend_from_slice(bytes);
    last.id = Some(id);
    Ok(id)
}

pub fn read(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    cube: &mut Cube,
    problems: &mut Problems,
    progress: Progress,
) {
    let problem = |row: Option<usize>, column: Option<&str>, message: String| Problem {
        file: name.to_string(),
        sheet: None,
        row,
        column: column.map(str::to_string),
        message,
    };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut reader = match csv::ReaderBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 20)
        .from_path(path)
    {
        Ok(r) => r,
        Err(e) => return problems.push(problem(None, None, format!("cannot read: {e}"))),
    };
    let bar = progress.bar(size, "reading values");
    let mut record = csv::ByteRecord::new();
    let (mut lc, mut li, mut lp) = (Last::default(), Last::default(), Last::default());
    let mut row = 1usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(problem(Some(row + 1), None, format!("not CSV: {e}")));
                break;
            }
        }
        row += 1;
        if row & 0xffff == 0 {
            bar.set_position(reader.position().byte());
        }
        if record.len() != 4 {
            problems.push(problem(
                Some(row),
                None,
                format!(
                    "{} fields; expected 4 (council,indicator,period,value)",
                    record.len()
                ),
            ));
        } else if let Err((column, message)) =
            row_into(&record, catalog, cube, [&mut lc, &mut li, &mut lp])
        {
            problems.push(problem(Some(row), Some(column), message));
        }
        if problems.full() {
            break;
        }
    }
    bar.finish_and_clear();
}

/// Stores one record's value; Err names the column at fault.
fn row_into(
    record: &csv::ByteRecord,
    catalog: &mut Catalog,
    cube: &mut Cube,
    [lc, li, lp]: [&mut Last; 3],
) -> Result<(), (&'static str, String)> {
    let council = code(lc, &record[0], "council", &mut |t| {
        catalog.intern_council(t)
    })
    .map_err(|e| ("council", e))?;
    let indicator = code(li, &record[1], "indicator", &mut |t| {
        Ok(catalog.intern_indicator(t))
    })
    .map_err(|e| ("indicator", e))?;
    let period = code(lp, &record[2], "period", &mut |t| {
        Ok(catalog.intern_period(t))
    })
    .map_err(|e| ("period", e))?;
    let text = std::str::from_utf8(&record[3]).map_err(|_| ("value", "not UTF-8".to_string()))?;
    match parse_cell(text) {
        Cell::Number(v) => cube
            .set(indicator, period, council, v)
            .map_err(|e| ("value", e)),
        Cell::Suppressed => {
            cube.suppressed += 1;
            Ok(())
        }
        Cell::Invalid => Err((
            "value",
            format!(
                "{:?} is not a number; expected a decimal such as 12.5, or a suppression mark \
                 (x, .., c, -) or a blank",
                text.chars().take(40).collect::<String>()
            ),
        )),
    }
}
