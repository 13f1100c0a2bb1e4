//! A budget statement set up and changed on screen: its own fields, its groups (with the
//! totals the source states) and its lines in one form, with the reconciliation of every
//! group's stated total against the sum of its lines shown beside the form. "Check totals"
//! recomputes it on the server without saving; with JavaScript it follows the officer's typing
//! (`/assets/beacon/budget.js`). Saving goes through `app::budget::save_statement`.

use super::edit::fields::{self, Field};
use super::edit::{Control, capitalise, control, unit_refs};
use super::entry::FieldError;
use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use beacon_app::audit::Actor;
use beacon_app::budget::{item_name, save_statement};
use beacon_app::plans::edit::{EditError, Outcome};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use beacon_domain::budget::{Amounts, Group, Line, OutturnProjection, Statement, StatementKind};
use beacon_domain::money::{Pence, Scale};
use beacon_domain::period::{Quarter, QuarterNo};
use beacon_domain::status::budget::reconcile;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The most groups and lines one form takes: a statement larger than any council prints, and a
/// bound on the work one request can ask for.
const MAX_GROUPS: usize = 200;
const MAX_LINES: usize = 1_000;
/// Blank rows offered for adding groups and lines; "Add more rows" offers this many again.
const BLANK_GROUPS: usize = 2;
const BLANK_LINES: usize = 5;

/// `/c/{council}/q/{year}/{quarter}/budget/{statement}/edit`.
pub fn edit_path(c: &str, q: Quarter, s: &str) -> String {
    format!("{}/edit", paths::statement(c, q, s))
}

/// `/c/{council}/q/{year}/{quarter}/new-statement`.
pub fn new_path(c: &str, q: Quarter) -> String {
    format!("{}/new-statement", paths::dashboard(c, q, None))
}

/// One box of a row: its id (also its name), what it holds and its error.
pub struct Cell {
    pub id: String,
    /// Its label, visually hidden: the row and the column (`Line 3: annual budget`).
    pub label: String,
    pub value: String,
    pub error: String,
}

/// A group's row: key, parent, label, heading and the three totals the source states.
pub struct GroupRow {
    pub n: usize,
    pub key: Cell,
    pub parent: Cell,
    pub label: Cell,
    pub heading: Cell,
    pub stated: [Cell; 3],
}

/// A line's row: its group, label, three amounts and note; a transcriber's note is carried.
pub struct LineRow {
    pub n: usize,
    pub group: Cell,
    pub label: Cell,
    pub amounts: [Cell; 3],
    pub note: Cell,
    pub source_note: String,
    /// A line the statement had: it can be marked to remove.
    pub existing: bool,
}

/// A group's total in the reconciliation: computed from its lines, and as stated.
pub struct TotalRow {
    pub key: String,
    pub label: String,
    pub computed: Vec<String>,
    pub stated: Vec<String>,
    /// "Reconciles", "Does not reconcile" or "No total stated".
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "statement_edit.html")]
struct EditPage {
    chrome: Chrome,
    heading: String,
    caption: String,
    action: String,
    back: String,
    controls: Vec<Control>,
    columns: Vec<String>,
    scale: String,
    groups: Vec<GroupRow>,
    lines: Vec<LineRow>,
    totals: Vec<TotalRow>,
    reconciles: bool,
    reconciliation: String,
    checked: bool,
    errors: Vec<FieldError>,
}

/// What the form holds: each box's text by its name.
pub(crate) type Typed = HashMap<String, String>;

fn cell(typed: &Typed, errors: &[FieldError], id: String, label: String) -> Cell {
    Cell {
        label,
        value: typed.get(&id).cloned().unwrap_or_default(),
        error: FieldError::for_field(errors, &id)
            .unwrap_or_default()
            .to_string(),
        id,
    }
}

/// How many rows of `what` the form had (a hidden count), bounded.
pub(crate) fn rows(typed: &Typed, what: &str, max: usize) -> usize {
    typed
        .get(what)
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(max)
}

fn amount_text(p: Pence, scale: Scale) -> String {
    p.display(scale, false)
}

/// The statement as the form shows it, every box filled in.
fn typed_from(st: &Statement) -> Typed {
    let mut t = Typed::new();
    let value = serde_json::to_value(st).unwrap_or(Value::Null);
    for f in fields::STATEMENT {
        t.insert(f.id(), fields::text_of(&value, f));
    }
    let s = st.scale;
    for (i, g) in st.groups.iter().enumerate() {
        t.insert(format!("group-{i}-key"), g.key.to_string());
        t.insert(
            format!("group-{i}-parent"),
            g.parent
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        t.insert(format!("group-{i}-label"), g.label.clone());
        t.insert(
            format!("group-{i}-heading"),
            g.heading.clone().unwrap_or_default(),
        );
        if let Some(a) = &g.stated {
            for (c, p) in ["annual", "to_date", "spent"]
                .iter()
                .zip([a.annual, a.to_date, a.spent])
            {
                t.insert(format!("group-{i}-{c}"), amount_text(p, s));
            }
        }
    }
    for (i, l) in st.lines.iter().enumerate() {
        t.insert(format!("line-{i}-group"), l.group.to_string());
        t.insert(format!("line-{i}-label"), l.label.clone());
        for (c, p) in ["annual", "to_date", "spent"].iter().zip([
            l.amounts.annual,
            l.amounts.to_date,
            l.amounts.spent,
        ]) {
            t.insert(format!("line-{i}-{c}"), amount_text(p, s));
        }
        t.insert(format!("line-{i}-note"), l.note.clone().unwrap_or_default());
        t.insert(
            format!("line-{i}-source_note"),
            l.source_note.clone().unwrap_or_default(),
        );
    }
    t.insert(
        "groups".into(),
        (st.groups.len() + BLANK_GROUPS).to_string(),
    );
    t.insert("lines".into(), (st.lines.len() + BLANK_LINES).to_string());
    t
}

/// The statement's own fields shown: a new statement's ref and all the rest.
fn own_fields(is_new: bool) -> Vec<Field> {
    fields::STATEMENT
        .iter()
        .filter(|f| is_new || f.path != "ref")
        .copied()
        .collect()
}

/// Reads one box: blank is `None`; otherwise the domain's parser for it, or the message.
fn text_box(typed: &Typed, id: &str, label: &str) -> Result<Option<String>, String> {
    let t = typed.get(id).map_or("", |s| s.trim());
    if let Some(c) = beacon_domain::text::control_character(t) {
        return Err(beacon_domain::text::refusal(c, label));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// Three amount boxes: all blank is `None`; otherwise all three, each read in the scale.
fn amounts(
    typed: &Typed,
    prefix: &str,
    what: &str,
    kind: StatementKind,
    scale: Scale,
    errors: &mut Vec<FieldError>,
) -> Option<Amounts> {
    let cols = ["annual", "to_date", "spent"];
    let texts: Vec<&str> = cols
        .iter()
        .map(|c| typed.get(&format!("{prefix}-{c}")).map_or("", |s| s.trim()))
        .collect();
    if texts.iter().all(|t| t.is_empty()) {
        return None;
    }
    let mut got = [Pence::ZERO; 3];
    let mut ok = true;
    for (i, (c, t)) in cols.iter().zip(&texts).enumerate() {
        let name = kind.columns()[i].to_lowercase();
        let field = format!("{prefix}-{c}");
        if t.is_empty() {
            errors.push(FieldError {
                field,
                message: format!("{what}: enter the {name}, or leave all three blank"),
            });
            ok = false;
            continue;
        }
        match Pence::parse(t, scale) {
            Ok(p) => got[i] = p,
            Err(e) => {
                errors.push(FieldError {
                    field,
                    message: format!("{what}: {name}: {e}"),
                });
                ok = false;
            }
        }
    }
    let a = Amounts {
        annual: got[0],
        to_date: got[1],
        spent: got[2],
    };
    if ok && let Err(m) = kind.check_amounts(&a, scale) {
        errors.push(FieldError {
            field: format!("{prefix}-spent"),
            message: format!("{what}: {m}"),
        });
    }
    Some(a)
}

/// A box that may be blank: its text, or its problem added to `errors`.
fn optional(typed: &Typed, id: &str, label: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    text_box(typed, id, label).unwrap_or_else(|message| {
        errors.push(FieldError {
            field: id.into(),
            message,
        });
        None
    })
}

/// A box that must be filled in: its text, or its problem (`missing` when blank).
fn required(
    typed: &Typed,
    id: &str,
    label: &str,
    missing: String,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let message = match text_box(typed, id, label) {
        Ok(Some(t)) => return Some(t),
        Ok(None) => missing,
        Err(m) => m,
    };
    errors.push(FieldError {
        field: id.into(),
        message,
    });
    None
}

/// A ref read from a box already read as text.
fn as_ref(
    text: Option<String>,
    id: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Ref> {
    text.and_then(|t| match t.parse::<Ref>() {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(FieldError {
                field: id.into(),
                message: format!("{label}: {e}"),
            });
            None
        }
    })
}

/// Whether every one of a row's boxes is blank.
fn blank_row(typed: &Typed, prefix: &str, boxes: &[&str]) -> bool {
    boxes.iter().all(|f| {
        typed
            .get(&format!("{prefix}-{f}"))
            .is_none_or(|t| t.trim().is_empty())
    })
}

/// The groups the form gives, in order; blank rows are skipped.
fn read_groups(
    typed: &Typed,
    kind: StatementKind,
    scale: Scale,
    errors: &mut Vec<FieldError>,
) -> Vec<Group> {
    let mut out = Vec::new();
    for i in 0..rows(typed, "groups", MAX_GROUPS) {
        let prefix = format!("group-{i}");
        let id = |f: &str| format!("{prefix}-{f}");
        let boxes = [
            "key", "parent", "label", "heading", "annual", "to_date", "spent",
        ];
        if blank_row(typed, &prefix, &boxes) {
            continue;
        }
        let what = format!("Group {}", i + 1);
        let key_label = format!("{what}: key");
        let key = required(
            typed,
            &id("key"),
            &key_label,
            format!("{what}: enter its key, such as net or expenditure"),
            errors,
        );
        let key = as_ref(key, &id("key"), &key_label, errors);
        let parent_label = format!("{what}: parent");
        let parent = optional(typed, &id("parent"), &parent_label, errors);
        let parent = as_ref(parent, &id("parent"), &parent_label, errors);
        let label = required(
            typed,
            &id("label"),
            &format!("{what}: label"),
            format!("{what}: enter the label its total line prints"),
            errors,
        );
        let heading = optional(typed, &id("heading"), &format!("{what}: heading"), errors);
        let stated = amounts(typed, &prefix, &what, kind, scale, errors);
        if let (Some(key), Some(label)) = (key, label) {
            out.push(Group {
                key,
                parent,
                label,
                heading,
                stated,
            });
        }
    }
    out
}

/// The lines the form gives, in order; blank rows and rows marked to remove are skipped.
fn read_lines(
    typed: &Typed,
    kind: StatementKind,
    scale: Scale,
    errors: &mut Vec<FieldError>,
) -> Vec<Line> {
    let mut out = Vec::new();
    for i in 0..rows(typed, "lines", MAX_LINES) {
        let prefix = format!("line-{i}");
        let id = |f: &str| format!("{prefix}-{f}");
        let boxes = ["group", "label", "annual", "to_date", "spent", "note"];
        if blank_row(typed, &prefix, &boxes) || typed.get(&id("remove")).is_some_and(|r| r == "yes")
        {
            continue;
        }
        let what = format!("Line {}", i + 1);
        let group_label = format!("{what}: group");
        let group = required(
            typed,
            &id("group"),
            &group_label,
            format!("{what}: enter the key of its group"),
            errors,
        );
        let group = as_ref(group, &id("group"), &group_label, errors);
        let label = required(
            typed,
            &id("label"),
            &format!("{what}: label"),
            format!("{what}: enter its label"),
            errors,
        );
        let note = optional(typed, &id("note"), &format!("{what}: note"), errors);
        let source_note = optional(
            typed,
            &id("source_note"),
            &format!("{what}: source note"),
            errors,
        );
        let a = amounts(typed, &prefix, &what, kind, scale, errors);
        if a.is_none() {
            errors.push(FieldError {
                field: id("annual"),
                message: format!("{what}: enter its {}", kind.expected_amounts()),
            });
        }
        if let (Some(group), Some(label), Some(amounts)) = (group, label, a) {
            out.push(Line {
                group,
                label,
                amounts,
                note,
                source_note,
            });
        }
    }
    out
}

/// The statement the form gives, or every problem with it, by box.
fn read(
    data: &CouncilData,
    q: Quarter,
    existing: Option<&Statement>,
    typed: &Typed,
) -> Result<Statement, Vec<FieldError>> {
    let mut value = Value::Object(serde_json::Map::new());
    let own = own_fields(existing.is_none());
    let problems = fields::fill(
        &mut value,
        &own,
        typed,
        &unit_refs(data),
        data.settings().matrix.side,
    );
    let mut errors: Vec<FieldError> = problems
        .into_iter()
        .map(|(field, message)| FieldError { field, message })
        .collect();
    let word = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    let kind = word("kind").and_then(|k| k.parse::<StatementKind>().ok());
    let scale = word("scale").and_then(|k| k.parse::<Scale>().ok());
    let (Some(kind), Some(scale)) = (kind, scale) else {
        return Err(errors);
    };
    let groups = read_groups(typed, kind, scale, &mut errors);
    let lines = read_lines(typed, kind, scale, &mut errors);
    let projection = word("projection").and_then(|p| p.parse::<OutturnProjection>().ok());
    if projection.is_some() && !kind.projects() {
        errors.push(FieldError {
            field: "projection".into(),
            message: format!(
                "Projected outturn: a {kind} statement has no projected outturn: only a revenue statement may set one"
            ),
        });
    }
    let reference = match existing {
        Some(s) => Some(s.reference.clone()),
        None => word("ref").and_then(|r| r.parse::<Ref>().ok()),
    };
    let unit = word("unit").and_then(|u| u.parse::<Ref>().ok());
    let (Some(reference), Some(unit), Some(title), true) =
        (reference, unit, word("title"), errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(Statement {
        reference,
        period: if kind.is_annual() {
            q.year.quarter(QuarterNo::Q1)
        } else {
            q
        },
        unit,
        kind,
        title,
        scale,
        notes: word("notes"),
        projection,
        groups,
        lines,
    })
}

/// The reconciliation of a statement as read: each group's computed and stated totals.
fn totals_of(st: &Statement) -> (Vec<TotalRow>, bool, String) {
    let r = reconcile(st);
    let cells = |a: &Amounts| -> Vec<String> {
        [a.annual, a.to_date, a.spent]
            .iter()
            .map(|p| p.display(st.scale, true))
            .collect()
    };
    let rows = st
        .totals()
        .unwrap_or_default()
        .iter()
        .map(|t| TotalRow {
            key: t.key.to_string(),
            label: t.label.clone(),
            computed: cells(&t.computed),
            stated: t.stated.as_ref().map(cells).unwrap_or_default(),
            state: match t.stated {
                None => "No total stated",
                Some(_) if t.reconciles() => "Reconciles",
                Some(_) => "Does not reconcile",
            },
        })
        .collect();
    (rows, r.status.reconciles, r.reason)
}

struct Shown<'a> {
    data: &'a CouncilData,
    q: Quarter,
    existing: Option<&'a Statement>,
    typed: Typed,
    /// The statement as last read, for the reconciliation.
    read: Option<Statement>,
    checked: bool,
    errors: Vec<FieldError>,
}

fn page(s: Shown<'_>) -> EditPage {
    let c = s.data.council.reference.as_str();
    let q = s.q;
    let own = own_fields(s.existing.is_none());
    let controls = own
        .iter()
        .map(|f| {
            let id = f.id();
            let err = FieldError::for_field(&s.errors, &id)
                .unwrap_or_default()
                .to_string();
            control(
                f,
                s.typed.get(&id).cloned().unwrap_or_default(),
                err,
                s.data,
            )
        })
        .collect();
    let shown = s.read.as_ref().or(s.existing);
    // The columns and scale as read, else as chosen on the form, else a revenue statement's.
    let chosen = |k: &str| s.typed.get(k).map(|t| t.trim().to_string());
    let kind = shown
        .map(|st| st.kind)
        .or_else(|| chosen("kind").and_then(|k| k.parse().ok()))
        .unwrap_or(StatementKind::Revenue);
    let scale = shown
        .map(|st| st.scale)
        .or_else(|| chosen("scale").and_then(|k| k.parse().ok()))
        .unwrap_or(Scale::Thousands);
    let ng = rows(&s.typed, "groups", MAX_GROUPS).max(BLANK_GROUPS);
    let nl = rows(&s.typed, "lines", MAX_LINES).max(BLANK_LINES);
    let t = &s.typed;
    let e = &s.errors;
    let groups = (0..ng)
        .map(|i| {
            let id = |f: &str| format!("group-{i}-{f}");
            let l = |what: &str| format!("Group {}: {what}", i + 1);
            let mut col = 0;
            GroupRow {
                n: i + 1,
                key: cell(t, e, id("key"), l("key")),
                parent: cell(t, e, id("parent"), l("parent")),
                label: cell(t, e, id("label"), l("label of its total")),
                heading: cell(t, e, id("heading"), l("heading")),
                stated: ["annual", "to_date", "spent"].map(|f| {
                    col += 1;
                    let name = kind.columns()[col - 1].to_lowercase();
                    cell(t, e, id(f), l(&format!("stated {name}")))
                }),
            }
        })
        .collect();
    let lines = (0..nl)
        .map(|i| {
            let id = |f: &str| format!("line-{i}-{f}");
            let l = |what: &str| format!("Line {}: {what}", i + 1);
            let mut col = 0;
            LineRow {
                n: i + 1,
                group: cell(t, e, id("group"), l("group key")),
                label: cell(t, e, id("label"), l("label")),
                amounts: ["annual", "to_date", "spent"].map(|f| {
                    col += 1;
                    let name = kind.columns()[col - 1].to_lowercase();
                    cell(t, e, id(f), l(&name))
                }),
                note: cell(t, e, id("note"), l("note")),
                existing: i < s.existing.map_or(0, |st| st.lines.len()),
                source_note: t.get(&id("source_note")).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let (totals, reconciles, reconciliation) = shown.map(totals_of).unwrap_or_default();
    let (heading, action, back) = match s.existing {
        Some(st) => (
            format!("Change {}", st.title),
            edit_path(c, st.period, st.reference.as_str()),
            paths::statement(c, st.period, st.reference.as_str()),
        ),
        None => (
            "Add a budget statement".to_string(),
            new_path(c, q),
            paths::budget(c, q),
        ),
    };
    EditPage {
        chrome: Chrome::council(s.data, latest_quarter(s.data), Section::Budget).with_crumbs(vec![
            (s.data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, None),
            ),
            ("Budget".into(), paths::budget(c, q)),
        ]),
        heading,
        caption: format!("Budget, Quarter {} {}", q.q.number(), q.year),
        action,
        back,
        controls,
        columns: kind.columns().iter().map(|c| (*c).to_string()).collect(),
        scale: scale.label().to_string(),
        groups,
        lines,
        totals,
        reconciles,
        reconciliation,
        checked: s.checked,
        errors: s.errors,
    }
}

/// The quarter a page's path names, or not found.
pub(crate) fn quarter_of(year: &str, quarter: u8) -> Result<Quarter, WebError> {
    paths::quarter(year, quarter).ok_or(WebError::NotFound)
}

/// The council's statement `r` of quarter `q`, or not found.
pub(crate) fn find<'a>(
    data: &'a CouncilData,
    q: Quarter,
    r: &str,
) -> Result<&'a Statement, WebError> {
    data.statements
        .iter()
        .find(|s| s.period == q && s.reference.as_str() == r)
        .ok_or(WebError::NotFound)
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, statement)): Path<(String, String, u8, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let q = quarter_of(&year, quarter)?;
    let st = find(&data, q, &statement)?;
    render(&page(Shown {
        data: &data,
        q,
        existing: Some(st),
        typed: typed_from(st),
        read: None,
        checked: false,
        errors: Vec::new(),
    }))
}

pub async fn new_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter)): Path<(String, String, u8)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let q = quarter_of(&year, quarter)?;
    let mut typed = Typed::new();
    typed.insert("kind".into(), StatementKind::Revenue.to_string());
    typed.insert("scale".into(), Scale::Thousands.to_string());
    typed.insert("groups".into(), BLANK_GROUPS.to_string());
    typed.insert("lines".into(), BLANK_LINES.to_string());
    render(&page(Shown {
        data: &data,
        q,
        existing: None,
        typed,
        read: None,
        checked: false,
        errors: Vec::new(),
    }))
}

pub async fn save<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, statement)): Path<(String, String, u8, String)>,
    Form(typed): Form<Typed>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let q = quarter_of(&year, quarter)?;
    let st = find(&data, q, &statement)?;
    submit(&state, &viewer, &data, q, Some(st), typed).await
}

pub async fn create<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter)): Path<(String, String, u8)>,
    Form(typed): Form<Typed>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let q = quarter_of(&year, quarter)?;
    submit(&state, &viewer, &data, q, None, typed).await
}

/// A form of rows shown again: 200 when it holds no problem (its totals checked, rows added),
/// 422 when it does.
pub(crate) fn shown_again(page: Html<String>, problems: bool) -> Response {
    let status = if problems {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, page).into_response()
}

/// "Add more rows": each count of rows (`what`, its step, its bound) raised by its step.
pub(crate) fn more_rows(typed: &mut Typed, counts: &[(&str, usize, usize)]) {
    for (what, step, max) in counts {
        let more = (rows(typed, what, *max) + step).min(*max);
        typed.insert((*what).into(), more.to_string());
    }
}

/// Where a finding of the checks goes: beside the statement's own field it names, else at the
/// top of the form.
fn placed(findings: Vec<beacon_app::plans::edit::Finding>, name: &str) -> Vec<FieldError> {
    findings
        .into_iter()
        .map(|f| {
            let own = fields::STATEMENT.iter().find(|x| x.path == f.field);
            match own {
                Some(x) if f.item == name => FieldError {
                    field: x.id(),
                    message: capitalise(&f.message),
                },
                _ => FieldError {
                    field: "title".into(),
                    message: format!("{}: {}", capitalise(&f.item), f.message),
                },
            }
        })
        .collect()
}

/// Saves the statement, or shows the form again: with its problems (422), with the totals
/// checked, or with more blank rows.
async fn submit<S: Backend>(
    state: &AppState<S>,
    viewer: &Viewer,
    data: &CouncilData,
    q: Quarter,
    existing: Option<&Statement>,
    mut typed: Typed,
) -> Result<Response, WebError> {
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let action = typed.remove("action").unwrap_or_default();
    let read_result = read(data, q, existing, &typed);
    let again = |typed: Typed, read: Option<Statement>, checked: bool, errors: Vec<FieldError>| {
        let problems = !errors.is_empty();
        let p = render(&page(Shown {
            data,
            q,
            existing,
            typed,
            read,
            checked,
            errors,
        }))?;
        Ok::<Response, WebError>(shown_again(p, problems))
    };
    if action == "more" {
        more_rows(
            &mut typed,
            &[
                ("groups", BLANK_GROUPS, MAX_GROUPS),
                ("lines", BLANK_LINES, MAX_LINES),
            ],
        );
        return again(typed, read_result.ok(), false, Vec::new());
    }
    let st = match read_result {
        Ok(st) => st,
        Err(errors) => return again(typed, None, false, errors),
    };
    if action == "check" {
        return again(typed, Some(st), true, Vec::new());
    }
    let by = Actor::new(who.username.clone(), (state.clock)());
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    let name = item_name(&st);
    let c = data.council.reference.as_str();
    let to = paths::statement(c, st.period, st.reference.as_str());
    let was = existing.map(|s| s.reference.clone());
    match save_statement(
        &state.store,
        who,
        data,
        was.as_ref(),
        st.clone(),
        &by,
        &checks,
    )
    .await
    {
        Ok(outcome) => {
            let done = match outcome {
                Outcome::Unchanged => "nothing-changed",
                Outcome::Saved { .. } => "saved",
            };
            Ok(Redirect::to(&format!("{to}?done={done}")).into_response())
        }
        Err(EditError::Refused(findings)) => again(typed, Some(st), false, placed(findings, &name)),
        Err(EditError::Failed(AppError::Refused(m) | AppError::Invalid(m))) => again(
            typed,
            Some(st),
            false,
            vec![FieldError {
                field: "title".into(),
                message: m,
            }],
        ),
        Err(EditError::Failed(e)) => Err(e.into()),
    }
}
