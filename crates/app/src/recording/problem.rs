//! What is wrong with an entry: each problem names the item and the field it is about, so the
//! web form can show it beside the field and a workbook at its sheet, row and column.

use serde::Serialize;

/// Which part of an entry a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Spot {
    /// The entry as a whole (who is entering, its version, the quarter).
    Entry,
    /// The entry's n-th indicator, in the order the edge gave them.
    Indicator(usize),
    /// The entry's n-th milestone.
    Milestone(usize),
    /// The entry's n-th narrative.
    Narrative(usize),
    /// The entry's n-th risk update.
    Risk(usize),
    /// The entry's n-th equality action update.
    Equality(usize),
}

/// Which field of the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Item,
    Value,
    Words,
    Qualifier,
    Period,
    Commentary,
    Progress,
    Completed,
    Status,
    Reason,
    Title,
    Text,
    Officer,
    Version,
    Likelihood,
    Impact,
}

/// One thing wrong with an entry, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub spot: Spot,
    pub field: Field,
    pub message: String,
}

impl Problem {
    pub fn new(spot: Spot, field: Field, message: impl Into<String>) -> Problem {
        Problem {
            spot,
            field,
            message: message.into(),
        }
    }
}

/// Collects problems about one item.
pub(crate) struct Problems<'a> {
    pub(crate) list: &'a mut Vec<Problem>,
    pub(crate) spot: Spot,
}

impl Problems<'_> {
    pub(crate) fn at(&mut self, field: Field, message: impl Into<String>) {
        self.list.push(Problem::new(self.spot, field, message));
    }
}
