//! Renderers: each writes the one report model in a format; all say the same thing.

pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod xlsx;

use crate::model::{Cell, ColumnKind, Table};

/// A column as flat formats (CSV, XLSX) write it: a status column is followed by a column of
/// the reasons, when its statuses have any.
#[derive(Debug, Clone)]
pub(crate) struct FlatColumn {
    pub label: String,
    pub index: usize,
    pub kind: ColumnKind,
    /// This column holds the reasons of the status column `index`.
    pub reason: bool,
}

pub(crate) fn flat_columns(t: &Table) -> Vec<FlatColumn> {
    let mut out = Vec::new();
    for (i, c) in t.columns.iter().enumerate() {
        out.push(FlatColumn {
            label: c.label.clone(),
            index: i,
            kind: c.kind,
            reason: false,
        });
        let has_reasons = t
            .rows
            .iter()
            .any(|r| matches!(r.cells.get(i), Some(Cell::Status(s)) if !s.reason.is_empty()));
        if c.kind == ColumnKind::Status && has_reasons {
            out.push(FlatColumn {
                label: format!("{}: reason", c.label),
                index: i,
                kind: ColumnKind::Text,
                reason: true,
            });
        }
    }
    out
}

/// A cell as a flat format writes it: statuses as their word (marked when set by hand), money
/// as a plain number in the statement's scale, everything else as printed.
pub(crate) fn flat_text(cell: Option<&Cell>, col: &FlatColumn) -> String {
    match (cell, col.reason) {
        (Some(Cell::Status(s)), true) => s.reason.clone(),
        (_, true) => String::new(),
        (Some(Cell::Status(s)), false) => {
            if s.set_by_hand.is_some() {
                format!("{} (set by hand)", s.word)
            } else {
                s.word.clone()
            }
        }
        (Some(Cell::Money(m)), false) => plain_money(m.pence, &m.scale),
        (Some(c), false) => c.plain(),
        (None, false) => String::new(),
    }
}

/// Pence as a plain number in the scale, exact: `20504`, `-30`, `432.3`.
pub(crate) fn plain_money(pence: i64, scale: &str) -> String {
    beacon_domain::money::Pence(pence).in_scale(scale_of(scale))
}

/// A money cell's scale from its word; pounds for a word Beacon does not write.
pub(crate) fn scale_of(word: &str) -> beacon_domain::money::Scale {
    word.parse().unwrap_or(beacon_domain::money::Scale::Pounds)
}
