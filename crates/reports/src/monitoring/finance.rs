//! The financial statement (7.0): each budget statement of the unit and the units under it, in
//! its kind's columns with the scale in every heading, every total computed from its lines,
//! with its reconciliation and, for revenue, its projected outturn labelled with how it was
//! projected.

use super::exceptions::Exception;
use super::{Builder, col, item_row, para, table};
use crate::cells::{money_cell, slug};
use crate::model::{Block, Cell, ColumnKind, Row, RowKind, Section, Subsection, Table};
use beacon_app::status::StatementStatus;
use beacon_domain::budget::{Group, Statement, StatementKind};

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn finance(&mut self) -> Section {
        let mut subsections = Vec::new();
        let statements = std::mem::take(&mut self.items.statements);
        for (i, (st, status)) in statements.iter().enumerate() {
            let id = slug(st.reference.as_str());
            let unit = st.scale.label();
            let mut t = statement_table(st, format!("statement-{id}"));
            let mut caption = format!(
                "Every total is computed from the lines above it; {}.",
                status.reconciliation.reason
            );
            if let Some(p) = &status.projected {
                caption.push_str(&format!(
                    " {} at year end: {} {unit} ({}).",
                    status.projection.label(),
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
            blocks.push(para(intro(&statements)));
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

/// A statement as a table: its kind's columns, each heading with the scale, and its rows.
pub(crate) fn statement_table(st: &Statement, id: String) -> Table {
    let unit = st.scale.label();
    let mut columns = vec![col("", ColumnKind::Text)];
    for c in st
        .kind
        .columns()
        .into_iter()
        .chain(st.kind.derived_column())
    {
        columns.push(col(&format!("{c} {unit}"), ColumnKind::Money));
    }
    let mut t = table(id, st.title.clone(), columns);
    let totals = st.totals().unwrap_or_default();
    for g in st.children(None) {
        statement_rows(st, g, &totals, &mut t.rows, 0);
    }
    t
}

/// What the section says of its statements' columns, for the kinds it holds.
fn intro(statements: &[(&Statement, StatementStatus)]) -> String {
    let mut words = vec![
        "Amounts as the statements give them, in the scale each column heading states.".to_string(),
    ];
    if statements
        .iter()
        .any(|(s, _)| s.kind.derived_column().is_some())
    {
        words.push("Variance to date is budget to date less expenditure to date; an overspend is shown in brackets.".into());
    }
    if statements
        .iter()
        .any(|(s, _)| s.kind == StatementKind::BudgetBook)
    {
        words.push("A budget book's net is its expenditure less its income.".into());
    }
    words.join(" ")
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
        let mut cells = vec![
            money_cell(a.annual, st.scale, false),
            money_cell(a.to_date, st.scale, false),
            money_cell(a.spent, st.scale, false),
        ];
        if st.kind.derived_column().is_some() {
            cells.push(
                st.kind
                    .variance(a)
                    .map_or(Cell::Empty, |v| money_cell(v, st.scale, true)),
            );
        }
        cells
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
