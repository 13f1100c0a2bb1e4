//! The exceptions list, where the council puts it (section 9.0 after the appendix, or a page
//! before section 1.0): every Red, every status set by hand, every missing value or progress
//! report and every statement that does not reconcile, with the reason.

use super::{Builder, col, item_row, para, table};
use crate::model::{Block, Cell, ColumnKind, Section, StatusCell};
use beacon_app::status::{IndicatorStatus, MilestoneStatus};
use beacon_domain::objective::Milestone;
use beacon_domain::organisation::ExceptionsPlacement;
use beacon_domain::status::Progress;

/// An item of the exceptions page.
pub(super) struct Exception {
    /// 0 Red, 1 set by hand, 2 missing value, 3 budget; then document order.
    pub(super) rank: u8,
    pub(super) order: usize,
    pub(super) reference: String,
    pub(super) item: String,
    pub(super) priority: String,
    pub(super) status: Option<StatusCell>,
    pub(super) what: String,
    pub(super) reason: String,
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn exception_milestone(
        &mut self,
        order: usize,
        priority: &str,
        m: &Milestone,
        s: &MilestoneStatus,
        cell: &StatusCell,
    ) {
        let base = |rank: u8, what: &str, reason: &str| Exception {
            rank,
            order,
            reference: m.printed_ref().to_string(),
            item: m.text.clone(),
            priority: priority.to_string(),
            status: Some(cell.clone()),
            what: what.to_string(),
            reason: reason.to_string(),
        };
        let e = if s.status == Progress::Red {
            Some(base(0, "Red", &cell.reason))
        } else if let Some(h) = &s.set_by_hand {
            Some(base(1, &format!("Set by hand by {}", h.by), &h.reason))
        } else if s.computed.status == Progress::NotAssessed {
            Some(base(2, "No progress recorded", &s.computed.reason))
        } else {
            None
        };
        self.exceptions.extend(e);
    }

    pub(super) fn exception_indicator(
        &mut self,
        order: usize,
        priority: &str,
        s: &IndicatorStatus,
        cell: &StatusCell,
    ) {
        let mut what = Vec::new();
        let mut rank = 3;
        if s.status == Progress::Red {
            what.push("Red".to_string());
            rank = 0;
        }
        if let Some(h) = &s.set_by_hand {
            what.push(format!("Set by hand by {}", h.by));
            rank = rank.min(1);
        }
        match &s.value {
            None => {
                what.push(format!("No value for {}", self.scope.quarter));
                rank = rank.min(2);
            }
            Some((_, m)) if m.value().is_none() => {
                what.push(format!("No numeric value (\u{201c}{}\u{201d})", m.text()));
                rank = rank.min(2);
            }
            _ => {}
        }
        if what.is_empty() {
            return;
        }
        self.exceptions.push(Exception {
            rank,
            order,
            reference: s.codes.clone(),
            item: s.description.clone(),
            priority: priority.to_string(),
            status: Some(cell.clone()),
            what: what.join("; "),
            reason: cell.reason.clone(),
        });
    }

    pub(super) fn exceptions_section(&mut self) -> Section {
        let mut ex = std::mem::take(&mut self.exceptions);
        ex.sort_by_key(|e| (e.rank, e.order));
        let red = ex.iter().filter(|e| e.what.contains("Red")).count();
        let hand = ex.iter().filter(|e| e.what.contains("Set by hand")).count();
        let missing = ex
            .iter()
            .filter(|e| {
                e.what.contains("No value")
                    || e.what.contains("No numeric value")
                    || e.what.contains("No progress")
            })
            .count();
        let first = self.placement() == ExceptionsPlacement::First;
        let opening = if first {
            "What needs the reader's attention first"
        } else {
            "What needs the reader's attention, gathered from the sections above"
        };
        let mut blocks = vec![para(format!(
            "{opening}: every Red status ({red}), every status set by hand ({hand}) and every missing value or progress report ({missing}), with the reason for each."
        ))];
        if ex.is_empty() {
            blocks.push(para("No exceptions this quarter."));
        } else {
            let mut t = table(
                "exceptions".into(),
                "Exceptions".into(),
                vec![
                    col("Ref", ColumnKind::Ref),
                    col("Item", ColumnKind::Text),
                    col("Priority", ColumnKind::Text),
                    col("Status", ColumnKind::Status),
                    col("Exception", ColumnKind::Text),
                    col("Reason", ColumnKind::Text),
                ],
            );
            for e in ex {
                t.rows.push(item_row(vec![
                    Cell::text(e.reference),
                    Cell::text(e.item),
                    Cell::text(e.priority),
                    // The reason has its own column here.
                    e.status.map_or(Cell::Empty, |s| {
                        Cell::Status(StatusCell {
                            reason: String::new(),
                            ..s
                        })
                    }),
                    Cell::text(e.what),
                    Cell::text(e.reason),
                ]));
            }
            blocks.push(Block::Table(t));
        }
        Section {
            id: "exceptions".into(),
            number: (!first).then(|| "9.0".to_string()),
            heading: "Exceptions".into(),
            blocks,
            subsections: Vec::new(),
        }
    }
}
