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
        writeln!(f, "{n} problem{} found; nothing was loaded:", if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// The 1-based line of a byte offset in a text.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// The line, within `span` of `text`, where `field = …` is written; the span's first line if it
/// is not written there (a default, or a nested form).
pub fn field_line(text: &str, span: &std::ops::Range<usize>, field: &str) -> usize {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    let mut offset = start;
    for line in text.get(start..end).unwrap_or("").split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(field)
            && rest.trim_start().starts_with('=')
        {
            return line_of(text, offset);
        }
        offset += line.len();
    }
    line_of(text, start)
}
