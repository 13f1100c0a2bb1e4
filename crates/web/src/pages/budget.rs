//! The budget pages: the quarter's statements, and one statement laid out as its tree of groups
//! and lines in its kind's columns (a variance only for the kinds that have one), every total
//! computed from the lines beneath it.

use super::render;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::extract::QuarterPath;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use beacon_app::Store;
use beacon_app::access::Action;
use beacon_domain::Ref;
use beacon_domain::budget::{Amounts, Statement};
use beacon_domain::status::budget::reconcile;
use std::sync::Arc;

/// A row of a statement as printed.
pub struct LineRow {
    pub label: String,
    pub cells: Vec<String>,
    /// A heading, a line or a total.
    pub kind: &'static str,
    pub depth: usize,
    pub note: Option<String>,
    pub overspent: bool,
}

fn cells(a: &Amounts, st: &Statement) -> (Vec<String>, bool) {
    let mut cells = vec![
        a.annual.display(st.scale, true),
        a.to_date.display(st.scale, true),
        a.spent.display(st.scale, true),
    ];
    if st.kind.derived_column().is_none() {
        return (cells, false);
    }
    let v = st.kind.variance(a);
    cells.push(v.map_or_else(|| "?".into(), |v| v.display(st.scale, true)));
    (cells, v.is_some_and(|v| v.0 < 0))
}

/// A column heading as pages write them: sentence case.
fn sentence(label: &str) -> String {
    let lower = label.to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn rows_of(st: &Statement, key: &Ref, depth: usize, out: &mut Vec<LineRow>) {
    let Some(g) = st.groups.iter().find(|g| &g.key == key) else {
        return;
    };
    if let Some(h) = &g.heading {
        out.push(LineRow {
            label: h.clone(),
            cells: Default::default(),
            kind: "heading",
            depth,
            note: None,
            overspent: false,
        });
    }
    for child in st.children(Some(key)) {
        rows_of(st, &child.key, depth + 1, out);
    }
    for l in st.lines_in(key) {
        let (c, overspent) = cells(&l.amounts, st);
        out.push(LineRow {
            label: l.label.clone(),
            cells: c,
            kind: "line",
            depth: depth + 1,
            note: l.note.clone(),
            overspent,
        });
    }
    let totals = st.totals().unwrap_or_default();
    if let Some(t) = totals.iter().find(|t| &t.key == key) {
        let (c, overspent) = cells(&t.computed, st);
        out.push(LineRow {
            label: g.label.clone(),
            cells: c,
            kind: "total",
            depth,
            note: None,
            overspent,
        });
    }
}

/// A statement in the list.
pub struct StatementLink {
    pub title: String,
    pub href: String,
    pub lines: usize,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct Statements {
    chrome: Chrome,
    heading: String,
    statements: Vec<StatementLink>,
    /// For those who may manage the council: where to add a statement.
    add: Option<String>,
    /// After a statement is removed: said so.
    done: String,
}

/// Whether the viewer may set up and change the council's budget statements.
fn manages(viewer: &Viewer, data: &beacon_app::CouncilData) -> bool {
    viewer
        .principal()
        .is_some_and(|who| who.may(&data.council.reference, Action::Manage))
}

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

pub async fn statements<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    QuarterPath {
        council,
        quarter: q,
    }: QuarterPath,
    Query(dq): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(council.as_str()).await?;
    let c = data.council.reference.as_str();
    let statements = data
        .statements
        .iter()
        .filter(|s| s.period == q)
        .map(|s| StatementLink {
            title: s.title.clone(),
            href: paths::statement(c, q, s.reference.as_str()),
            lines: s.lines.len(),
        })
        .collect();
    render(&Statements {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Budget).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, None),
            ),
        ]),
        heading: format!("Budget statements, Quarter {} {}", q.q.number(), q.year),
        statements,
        add: manages(&viewer, &data).then(|| super::statement_edit::new_path(c, q)),
        done: match dq.done.as_deref() {
            Some("removed") => {
                "Budget statement removed. The audit trail keeps it as it was.".into()
            }
            _ => String::new(),
        },
    })
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage {
    chrome: Chrome,
    title: String,
    unit_label: String,
    heads: Vec<String>,
    has_variance: bool,
    rows: Vec<LineRow>,
    notes: Vec<String>,
    reconciles: bool,
    reconciliation: String,
    /// For those who may manage the council: where to change it, and to remove it.
    edit: Option<String>,
    remove: Option<String>,
    /// After a change: what happened.
    done: String,
}

pub async fn statement<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, reference)): Path<(String, String, u8, String)>,
    Query(dq): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let q = super::statement_edit::quarter_of(&year, quarter)?;
    let st = super::statement_edit::find(&data, q, &reference)?;
    let c = data.council.reference.as_str();
    let mut rows = Vec::new();
    for root in st.children(None) {
        rows_of(st, &root.key, 0, &mut rows);
    }
    let unit = st.scale.label();
    let heads = st
        .kind
        .columns()
        .into_iter()
        .chain(st.kind.derived_column())
        .map(|h| format!("{} {unit}", sentence(h)))
        .collect();
    let r = reconcile(st);
    render(&StatementPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Budget).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, None),
            ),
            ("Budget".into(), paths::budget(c, q)),
        ]),
        title: st.title.clone(),
        unit_label: st.scale.label().to_string(),
        heads,
        has_variance: st.kind.derived_column().is_some(),
        rows,
        notes: st
            .notes
            .as_deref()
            .unwrap_or("")
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        reconciles: r.status.reconciles,
        reconciliation: r.reason,
        edit: manages(&viewer, &data)
            .then(|| super::statement_edit::edit_path(c, q, st.reference.as_str())),
        remove: manages(&viewer, &data)
            .then(|| super::statement_remove::remove_path(c, q, st.reference.as_str())),
        done: match dq.done.as_deref() {
            Some("saved") => "Statement saved.".into(),
            Some("nothing-changed") => "Nothing changed: the statement is as it was.".into(),
            _ => String::new(),
        },
    })
}
