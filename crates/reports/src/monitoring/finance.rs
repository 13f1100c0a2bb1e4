//! The financial statement (7.0): each budget statement of the unit and the units under it,
//! every total computed from its lines, with its reconciliation and projected outturn.

use super::exceptions::Exception;
use super::{Builder, col, item_row, para, table};
use crate::cells::{money_cell, slug};
use crate::model::{Block, Cell, ColumnKind, Row, RowKind, Section, Subsection};
use beacon_domain::budget::{Group, Statement, StatementKind};

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn finance(&mut self) -> Section {
        let mut subsections = Vec::new();
        let statements = std::mem::take(&mut self.items.statements);
        for (i, (st, status)) in statements.iter().enumerate() {
            let id = slug(st.reference.as_str());
            let (a, b, c) = match st.kind {
                StatementKind::Revenue => {
                    ("Annual Budget", "Budget to Date", "Expenditure to Date")
                }
                StatementKind::Capital => {
                    ("Capital Allocation", "Allocation to Date", "Actual to Date")
                }
            };
            let unit = st.scale.label();
            let mut t = table(
                format!("statement-{id}"),
                st.title.clone(),
                vec![
                    col("", ColumnKind::Text),
                    col(&format!("{a} {unit}"), ColumnKind::Money),
                    col(&format!("{b} {unit}"), ColumnKind::Money),
                    col(&format!("{c} {unit}"), ColumnKind::Money),
                    col(
                        &format!("Variance to Date (overspend) {unit}"),
                        ColumnKind::Money,
                    ),
                ],
            );
            let totals = st.totals().unwrap_or_default();
            for g in st.children(None) {
                statement_rows(st, g, &totals, &mut t.rows, 0);
            }
            let mut caption = format!(
                "Every total is computed from the lines above it; {}.",
                status.reconciliation.reason
            );
            if let Some(p) = &status.projected {
                caption.push_str(&format!(
                    " Projected outturn at year end: {} {unit} ({}).",
                    p.status.display(st.scale, true),
                    p.reason.trim_end_matches('.')
                ));
            }
            t.caption = Some(caption);
            if !status.reconciliation.status.reconciles {
                self.exceptions.push(Exception {
                    rank: 3,
                    order: 10_000 + i,
                    reference: st.reference.to_string(),
                    item: st.title.clone(),
                    priority: "Financial Statement".into(),
                    status: None,
                    what: "Totals do not reconcile".into(),
                    reason: status.reconciliation.reason.clone(),
                });
            }
            let mut blocks = vec![Block::Table(t)];
            if let Some(n) = &st.notes {
                blocks.push(self.text_block(None, n, &[], &[]));
            }
            subsections.push(Subsection {
                id: format!("statement-{id}"),
                heading: st.title.clone(),
                blocks,
            });
        }
        let mut blocks = Vec::new();
        if subsections.is_empty() {
            blocks.push(para("No budget statements are recorded for this quarter."));
        } else {
            blocks.push(para(
                "Amounts as the statements give them. Variance to date is budget to date less expenditure to date; an overspend is shown in brackets.",
            ));
        }
        Section {
            id: "financial-statement".into(),
            number: Some("7.0".into()),
            heading: "Financial Statement".into(),
            blocks,
            subsections,
        }
    }
}

/// A group's rows: its heading, its child groups, its own lines, then its total.
fn statement_rows(
    st: &Statement,
    g: &Group,
    totals: &[beacon_domain::budget::GroupTotal],
    rows: &mut Vec<Row>,
    depth: usize,
) {
    if depth > st.groups.len() {
        return;
    }
    if let Some(h) = &g.heading {
        rows.push(Row {
            kind: RowKind::Heading,
            cells: vec![Cell::text(h)],
        });
    }
    for child in st.children(Some(&g.key)) {
        statement_rows(st, child, totals, rows, depth + 1);
    }
    let money = |a: &beacon_domain::budget::Amounts| {
        vec![
            money_cell(a.annual, st.scale, false),
            money_cell(a.to_date, st.scale, false),
            money_cell(a.spent, st.scale, false),
            a.variance()
                .map_or(Cell::Empty, |v| money_cell(v, st.scale, true)),
        ]
    };
    for l in st.lines_in(&g.key) {
        let label = match &l.note {
            Some(n) => format!("{} ({n})", l.label),
            None => l.label.clone(),
        };
        let mut cells = vec![Cell::text(label)];
        cells.extend(money(&l.amounts));
        rows.push(item_row(cells));
    }
    if let Some(t) = totals.iter().find(|t| t.key == g.key) {
        let mut cells = vec![Cell::text(&g.label)];
        cells.extend(money(&t.computed));
        rows.push(Row {
            kind: RowKind::Total,
            cells,
        });
    }
}
