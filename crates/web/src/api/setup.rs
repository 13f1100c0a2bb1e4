//! Bulk set-up over the API: indicator definitions, targets and values as JSON rows, one table
//! each, with the columns of the set-up files (`docs/spreadsheet-formats.md`). The rows become
//! the tables `beacon setup` reads and go through the same use case
//! (`interchange::sheets::bulk::set_up`): checked whole, every problem named by table, row and
//! column in the command's words, and nothing loaded unless there are none. Audited with the
//! token's owner as the actor.

use super::auth::Caller;
use super::body::json;
use super::json::{ApiResult, Problem};
use crate::extract::CouncilPath;
use crate::{AppState, Backend};
use axum::Extension;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use beacon_app::audit::Actor;
use beacon_domain::text::{control_character, refusal};
use beacon_interchange::sheets::bulk::{SetupRefusal, set_up};
use beacon_interchange::sheets::layout::Column;
use beacon_interchange::sheets::setup::SetupTable;
use beacon_interchange::sheets::{Book, CellProblem, Sheet};
use serde::{Deserialize, Serialize};
use serde_json::json as value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A cell as JSON may give it: text, or a number (read as the text it prints as).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Cell {
    Text(String),
    Number(serde_json::Number),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// One row: column to cell.
pub(crate) type Row = BTreeMap<String, Cell>;

/// The tables of a set-up, as `POST …/setup` takes them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetupBody {
    #[serde(default)]
    pub indicators: Vec<Row>,
    #[serde(default)]
    pub targets: Vec<Row>,
    #[serde(default)]
    pub values: Vec<Row>,
}

/// `?dry_run=true` checks and says what would change, loading nothing.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SetupQuery {
    #[serde(default)]
    pub dry_run: bool,
}

/// What a set-up did (or would do).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SetupDone {
    /// True when nothing was loaded because it was asked for a check only.
    pub dry_run: bool,
    /// In the words `beacon setup` prints.
    pub summary: String,
    pub indicators_added: usize,
    pub indicators_updated: usize,
    pub targets: usize,
    pub values: usize,
    /// The plans the rows change.
    pub plans: Vec<String>,
    /// What was written (new or changed), as `beacon load` lists it; empty for a dry run.
    pub written: Vec<String>,
}

/// The tables of the body, in the order the use case reads them, with their JSON names.
pub(crate) const TABLES: [(&str, &str, SetupTable); 3] = [
    ("indicators", "Indicators", SetupTable::Indicators),
    ("targets", "Targets", SetupTable::Targets),
    ("values", "Values", SetupTable::Values),
];

/// The rows of one table as a sheet: a heading row of the columns given, then a row each.
/// Columns the table does not have are problems, named as the file's would be.
fn sheet(
    name: &str,
    key: &str,
    columns: &[Column],
    rows: &[Row],
    problems: &mut Vec<Value>,
) -> Sheet {
    let mut s = Sheet::new(name);
    s.csv = true;
    let heads: Vec<&str> = columns
        .iter()
        .map(|c| c.key)
        .filter(|k| rows.iter().any(|r| r.contains_key(*k)))
        .collect();
    for (n, r) in rows.iter().enumerate() {
        for k in r.keys() {
            if !columns.iter().any(|c| c.key == k) {
                problems.push(value!({
                    "table": key, "row": n + 2, "column": k,
                    "pointer": format!("/{key}/{n}/{}", pointer_escape(k)),
                    "message": format!("{name}, row {}, column {k:?}: not a column of this table; expected {}", n + 2,
                        columns.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")),
                }));
            }
        }
    }
    for (c, h) in heads.iter().enumerate() {
        s.set(0, c as u32, *h);
    }
    for (n, r) in rows.iter().enumerate() {
        for (c, h) in heads.iter().enumerate() {
            let Some(cell) = r.get(*h) else { continue };
            let text = cell.text();
            // As a file's cells are: a control character is refused, not stored.
            if let Some(ch) = control_character(&text) {
                problems.push(value!({
                    "table": key, "row": n + 2, "column": h,
                    "pointer": format!("/{key}/{n}/{}", pointer_escape(h)),
                    "message": refusal(ch, &format!("{name}, row {}, column {h:?}", n + 2)),
                }));
            }
            s.set(n as u32 + 1, c as u32, text);
        }
    }
    s
}

type Value = serde_json::Value;

fn pointer_escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

/// A problem of the use case, placed in the body: its table, row (as the file would number
/// it, the headings being row 1), column and JSON pointer, in `beacon setup`'s words.
fn placed(p: &CellProblem) -> Value {
    let key = TABLES
        .iter()
        .find(|(_, name, _)| *name == p.at.sheet)
        .map_or("", |(k, _, _)| *k);
    let mut pointer = if key.is_empty() {
        String::new()
    } else {
        format!("/{key}")
    };
    if !key.is_empty() && p.at.row >= 2 {
        pointer.push_str(&format!("/{}", p.at.row - 2));
        if !p.at.column.is_empty() {
            pointer.push_str(&format!("/{}", pointer_escape(&p.at.column)));
        }
    }
    value!({
        "table": key, "row": p.at.row, "column": p.at.column, "pointer": pointer,
        "message": p.to_string(),
    })
}

fn refused(errors: Vec<Value>) -> Problem {
    let n = errors.len();
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "{n} problem{} found; nothing was loaded: put right every problem in errors and send the rows again.",
            if n == 1 { "" } else { "s" }
        ),
    )
    .with("errors", Value::Array(errors))
}

pub async fn setup<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(caller): Extension<Caller>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<SetupQuery>,
    req: Request,
) -> ApiResult {
    let (parts, raw) = req.into_parts();
    let body: SetupBody = json(&parts.headers, raw).await?;
    let data = state.council(c.as_str()).await?;
    let mut problems = Vec::new();
    let mut book = Book::default();
    for (key, name, table) in TABLES {
        let rows = match table {
            SetupTable::Indicators => &body.indicators,
            SetupTable::Targets => &body.targets,
            SetupTable::Values => &body.values,
        };
        if !rows.is_empty() {
            book.sheets
                .push(sheet(name, key, table.columns(), rows, &mut problems));
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems).into());
    }
    let by = Actor::new(caller.principal.username.clone(), (state.clock)());
    let done = match set_up(&state.store, &[book], &data, &by, q.dry_run, &mut |_, _| {}).await {
        Ok(done) => done,
        Err(SetupRefusal::Problems(ps)) => {
            return Err(refused(ps.iter().map(placed).collect()).into());
        }
        Err(SetupRefusal::Failed(e)) => return Err(e.into()),
    };
    let answer = SetupDone {
        dry_run: q.dry_run,
        summary: done.changes.summary(),
        indicators_added: done.changes.indicators_added,
        indicators_updated: done.changes.indicators_updated,
        targets: done.changes.targets,
        values: done.changes.values,
        plans: done
            .changes
            .plans
            .iter()
            .map(|p| p.plan.reference.to_string())
            .collect(),
        written: done.loaded.map(|l| l.written).unwrap_or_default(),
    };
    super::json::ok_json(&answer)
}
