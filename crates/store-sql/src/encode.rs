//! The forms values are written in: positions, lists of words, measures and due dates.
//! `columns` reads each form back.

use crate::error::unwritable;
use crate::exec::Query;
use beacon_app::StoreError;
use beacon_domain::measure::Measure;
use beacon_domain::objective::Due;
use std::fmt::Display;

/// A list index as the `position` column (INTEGER) holds it.
pub(crate) fn position(table: &str, index: usize) -> Result<i32, StoreError> {
    i32::try_from(index).map_err(|e| unwritable(table, "position", e))
}

/// An optional value in its text form.
pub(crate) fn opt_text<T: Display>(v: Option<&T>) -> Option<String> {
    v.map(ToString::to_string)
}

impl Query {
    /// Binds a measure as its four columns: `text`, `number`, `qualifiers`, `as_at`.
    pub(crate) fn measure(self, m: &Measure) -> Self {
        self.bind(m.text())
            .bind(m.value().map(|n| n.to_string()))
            .words(m.qualifiers())
            .bind(m.as_at().map(|p| p.to_string()))
    }
}

/// A milestone's `due_kind` and `due`: both `None` when there is no date, or when the date is
/// in another form (`due_written`). Recurring words are kept exactly, not through `Due`'s text
/// form, which trims them.
pub(crate) fn due(d: &Due) -> (Option<&'static str>, Option<String>) {
    match d {
        Due::Month(m) => (Some("month"), Some(m.to_string())),
        Due::Day(day) => (Some("day"), Some(day.to_string())),
        Due::Recurring(words) => (Some("recurring"), Some(words.clone())),
        _ => (None, None),
    }
}

/// A milestone's `due_written`: a due date in a form other than a month, a day or recurring
/// words ("2010-12 to 2011-03", "ongoing", "each term"), as the plan file writes it.
pub(crate) fn due_written(d: &Due) -> Option<String> {
    match d {
        Due::Month(_) | Due::Day(_) | Due::Recurring(_) | Due::None => None,
        other => Some(other.to_string()),
    }
}
