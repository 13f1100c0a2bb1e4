//! The forms values are written in: positions, lists of words, measures and due dates.
//! `columns` reads each form back.

use crate::error::unwritable;
use beacon_app::StoreError;
use beacon_domain::measure::Measure;
use beacon_domain::objective::Due;
use std::fmt::Display;

/// A list index as the `position` column (INTEGER) holds it.
pub(crate) fn position(table: &str, index: usize) -> Result<i32, StoreError> {
    i32::try_from(index).map_err(|e| unwritable(table, "position", e))
}

/// A small list (initials, qualifiers, years, aliases) as its words.
pub(crate) fn words<T: Display>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// An optional value in its text form.
pub(crate) fn opt_text<T: Display>(v: Option<&T>) -> Option<String> {
    v.map(ToString::to_string)
}

/// The columns of a measure: `text`, `number`, `qualifiers`, `as_at`.
pub(crate) struct MeasureCols {
    pub text: String,
    pub number: Option<String>,
    pub qualifiers: Vec<String>,
    pub as_at: Option<String>,
}

impl MeasureCols {
    pub(crate) fn new(m: &Measure) -> Self {
        MeasureCols {
            text: m.text().to_string(),
            number: m.value().map(|n| n.to_string()),
            qualifiers: words(m.qualifiers()),
            as_at: m.as_at().map(|p| p.to_string()),
        }
    }
}

/// A milestone's `due_kind` and `due`: both `None` when there is no date. Recurring words are
/// kept exactly, not through `Due`'s text form, which trims them.
pub(crate) fn due(d: &Due) -> (Option<&'static str>, Option<String>) {
    match d {
        Due::Month(m) => (Some("month"), Some(m.to_string())),
        Due::Day(day) => (Some("day"), Some(day.to_string())),
        Due::Recurring(words) => (Some("recurring"), Some(words.clone())),
        Due::None => (None, None),
    }
}
