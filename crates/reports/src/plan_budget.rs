//! The plan document's budget: the budget books of the plan's unit for the plan's years (each in
//! its columns, with the scale in every heading, totals computed and reconciled), then the budget
//! changes the plan states with the totals it states for them, in their scale.

use crate::cells::{money_cell, slug};
use crate::model::{Block, Cell, Column, ColumnKind, Row, RowKind, Section, Subsection, Table};
use crate::monitoring::finance::statement_table;
use beacon_app::CouncilData;
use beacon_domain::budget::StatementKind;
use beacon_domain::money::Scale;
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::budget::reconcile;

/// The budget book section and the budget changes section, where the plan has them.
pub fn sections(data: &CouncilData, doc: &PlanDocument) -> Vec<Section> {
    let mut out = Vec::new();
    if let Some(s) = book_section(data, doc) {
        out.push(s);
    }
    if let Some(s) = changes_section(doc) {
        out.push(s);
    }
    out
}

/// The budget books of the plan's unit and the units under it, for the plan's years.
fn book_section(data: &CouncilData, doc: &PlanDocument) -> Option<Section> {
    let plan = &doc.plan;
    let tree = data.tree();
    let subsections: Vec<Subsection> = data
        .statements
        .iter()
        .filter(|s| {
            s.kind == StatementKind::BudgetBook
                && plan.years.contains(s.period.year)
                && tree.within(&s.unit, &plan.unit)
        })
        .map(|st| {
            let id = format!("budget-book-{}", slug(st.reference.as_str()));
            let mut t = statement_table(st, id.clone());
            let r = reconcile(st);
            t.caption = Some(format!(
                "{}, amounts in {}. Every total is computed from the lines above it; {}.",
                st.period.year,
                st.scale.label(),
                r.reason
            ));
            let mut blocks = vec![Block::Table(t)];
            if let Some(n) = &st.notes {
                blocks.push(Block::Text(crate::model::TextBlock {
                    title: None,
                    parts: crate::model::parts(n),
                    initials: Vec::new(),
                    refs: Vec::new(),
                }));
            }
            Subsection {
                id,
                heading: st.title.clone(),
                blocks,
            }
        })
        .collect();
    if subsections.is_empty() {
        return None;
    }
    Some(Section {
        id: "budget-book".into(),
        number: None,
        heading: "Budget".into(),
        blocks: vec![crate::monitoring::para(
            "The budget by service line: expenditure, income and net (expenditure less income).",
        )],
        subsections,
    })
}

fn col(label: &str, kind: ColumnKind) -> Column {
    Column {
        label: label.into(),
        kind,
    }
}

/// The plan's budget changes, then the totals it states for them, each checked at load.
fn changes_section(doc: &PlanDocument) -> Option<Section> {
    if doc.budget_changes.is_empty() && doc.budget_totals.is_empty() {
        return None;
    }
    let scales: Vec<Scale> = doc
        .budget_changes
        .iter()
        .map(|c| c.scale)
        .chain(doc.budget_totals.iter().map(|t| t.scale))
        .collect();
    // One scale: in the amount's heading, as plans print it; several: a column of its own.
    let one = scales
        .first()
        .copied()
        .filter(|f| scales.iter().all(|s| s == f));
    let mut columns = vec![
        col("Kind", ColumnKind::Text),
        col("Year", ColumnKind::Text),
        col("Description", ColumnKind::Text),
    ];
    match one {
        Some(s) => columns.push(col(&format!("Amount {}", s.label()), ColumnKind::Money)),
        None => {
            columns.push(col("Amount", ColumnKind::Money));
            columns.push(col("Scale", ColumnKind::Text));
        }
    }
    let scale_cell = |s: Scale| one.is_none().then(|| Cell::text(s.label()));
    let mut t = Table {
        id: "budget-changes".into(),
        title: "Budget changes".into(),
        columns,
        rows: Vec::new(),
        notes: Vec::new(),
        caption: None,
    };
    for c in &doc.budget_changes {
        let mut cells = vec![
            Cell::text(c.kind.as_str()),
            Cell::text(c.year.to_string()),
            Cell::text(&c.description),
            c.amount
                .map_or(Cell::Empty, |a| money_cell(a, c.scale, false)),
        ];
        cells.extend(scale_cell(c.scale));
        t.rows.push(Row {
            kind: RowKind::Item,
            cells,
        });
    }
    for total in &doc.budget_totals {
        let mut cells = vec![
            Cell::text(total.kind.map_or("all kinds", |k| k.as_str())),
            Cell::text(total.year.map_or("all years".into(), |y| y.to_string())),
            Cell::text(&total.label),
            money_cell(total.stated, total.scale, false),
        ];
        cells.extend(scale_cell(total.scale));
        t.rows.push(Row {
            kind: RowKind::Total,
            cells,
        });
    }
    if !doc.budget_totals.is_empty() {
        t.caption =
            Some("Each total is as the plan states it, and equals the changes it counts.".into());
    }
    Some(Section {
        id: "budget-changes".into(),
        number: None,
        heading: "Budget changes".into(),
        blocks: vec![Block::Table(t)],
        subsections: Vec::new(),
    })
}
