//! What the report builders share: cells from domain values, numbered notes for statuses, ids.

use crate::model::{Cell, MeasureCell, MoneyCell, Note, StatusCell, Table};
use beacon_domain::measure::Measure;
use beacon_domain::money::{Pence, Scale};
use beacon_domain::period::Period;

/// A measure as printed, with the period when it is not the one the column names.
pub fn measure_cell(m: &Measure, period: Option<Period>, show_period: bool) -> Cell {
    let mut text = m.to_string();
    if show_period && let Some(p) = period {
        text = format!("{text} ({p})");
    }
    Cell::Measure(MeasureCell {
        text,
        number: m.value().map(|d| d.normalize().to_string()),
        qualifiers: m
            .qualifiers()
            .iter()
            .map(|q| q.as_str().to_string())
            .collect(),
        period: period.map(|p| p.to_string()),
    })
}

/// An amount of money as the statement prints it; variances in brackets when negative.
pub fn money_cell(p: Pence, scale: Scale, brackets: bool) -> Cell {
    Cell::Money(MoneyCell {
        pence: p.0,
        text: p.display(scale, brackets),
        scale: scale.as_str().to_string(),
        brackets,
    })
}

/// Hands out note numbers in document order, across the whole report.
#[derive(Debug, Default)]
pub struct Notes {
    next: u32,
}

impl Notes {
    /// Numbers the status's reason and adds it to the table's notes; returns the cell.
    /// `what` names the item and column ("NI075, current progress").
    pub fn attach(&mut self, table: &mut Table, what: &str, mut cell: StatusCell) -> Cell {
        self.next += 1;
        let n = self.next;
        let text = match &cell.set_by_hand {
            Some(h) => format!(
                "{what}: {}, set by hand by {} on {}: {}. The rules gave {}: {}.",
                cell.word,
                h.by,
                h.at.get(..10).unwrap_or(&h.at),
                trim_stop(&h.reason),
                h.computed,
                trim_stop(&h.computed_reason)
            ),
            None => format!("{what}: {}: {}.", cell.word, trim_stop(&cell.reason)),
        };
        table.notes.push(Note { number: n, text });
        cell.note = Some(n);
        Cell::Status(cell)
    }
}

fn trim_stop(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

/// An id from a ref or title: lower-case letters, digits and single `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("CED-COMM"), "ced-comm");
        assert_eq!(slug("NI112 adjusted / x"), "ni112-adjusted-x");
        assert_eq!(slug("--A--"), "a");
    }
}
