//! Problems found in plan files: each names the file, the line and the field, and says what was
//! expected. A load with any problem loads nothing.

use std::fmt;
use std::path::Path;

/// One thing wrong in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based; 0 when the problem is with the whole file.
    pub line: usize,
    /// The field (`objectives.indicators`), or empty for the whole file.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn file(path: &Path, message: String) -> Self {
        Problem {
            file: path.display().to_string(),
            line: 0,
            field: String::new(),
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, ": field `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything wrong with a set of files, in file and line order. Nothing was loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// `Err` with the problems sorted, if there are any.
    pub fn check(mut problems: Vec<Problem>) -> Result<(), LoadError> {
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        problems.dedup();
        Err(LoadError { problems })
    }
    /// A problem that is not about one file (the database failed).
    pub fn other(message: String) -> LoadError {
        LoadError {
            problems: vec![Problem {
                file: String::new(),
                line: 0,
                field: String::new(),
                message,
            }],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{n} problem{} found; nothing was loaded:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// The 1-based line of a byte offset in a text.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line where `field = …` is written in the item that starts at `span`: searched from the
/// item's start to the next table header (toml spans a table by its header alone), or within
/// the span for an inline item. The item's first line if the field is not written (a default).
pub fn field_line(text: &str, span: &std::ops::Range<usize>, field: &str) -> usize {
    let start = span.start.min(text.len());
    let mut offset = start;
    for (n, line) in text
        .get(start..)
        .unwrap_or("")
        .split_inclusive('\n')
        .enumerate()
    {
        let t = line.trim_start();
        if n > 0 && t.starts_with('[') && offset >= span.end {
            break;
        }
        if let Some(rest) = t.strip_prefix(field)
            && rest.trim_start().starts_with('=')
        {
            return line_of(text, offset);
        }
        offset += line.len();
    }
    line_of(text, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_field_in_a_table_below_its_header() {
        let text = "[council]\nref = \"x\"\n\n[plan]\nref = \"X\"\nunit = \"Z\"\n\n[[indicators]]\nunit = \"Q\"\n";
        let plan = text.find("[plan]").unwrap();
        assert_eq!(field_line(text, &(plan..plan + 6), "unit"), 6);
        let ind = text.find("[[indicators]]").unwrap();
        assert_eq!(field_line(text, &(ind..ind + 14), "unit"), 9);
        assert_eq!(field_line(text, &(ind..ind + 14), "ref"), 8);
    }
}
