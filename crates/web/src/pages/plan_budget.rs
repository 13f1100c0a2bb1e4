//! A plan's budget changes (investments, savings, grant reductions) and the totals it states for
//! them, changed on screen as one table, as the plan prints them: each stated total is checked
//! against the changes it counts (the domain's `ChangeTotal::reconcile`, as plan files are),
//! and the whole goes through the one use case that changes a plan (`app::plans::edit`), so an
//! approved plan makes a new version with a reason and every change is audited.

use super::edit::{capitalise, hub};
use super::entry::FieldError;
use super::render;
use super::statement_edit::{Cell, Typed, more_rows, shown_again};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use beacon_app::audit::Actor;
use beacon_app::plans::edit::{Edit, EditError, Item, Outcome, save};
use beacon_app::{AppError, CouncilData};
use beacon_domain::budget::{BudgetChange, ChangeKind, ChangeTotal};
use beacon_domain::money::{Pence, Scale};
use beacon_domain::period::FinancialYear;
use beacon_domain::plan::{PlanDocument, PlanStatus};
use std::sync::Arc;

/// The most rows one form takes: a bound on the work one request can ask for.
const MAX_ROWS: usize = 500;
const BLANK_CHANGES: usize = 3;
const BLANK_TOTALS: usize = 2;

/// `/c/{council}/plans/{plan}/edit/budget`.
pub fn path(c: &str, p: &str) -> String {
    format!("{}/budget", hub(c, p))
}

/// A budget change's row: kind, year, description, amount.
pub struct ChangeRow {
    pub n: usize,
    pub kind: Cell,
    pub year: Cell,
    pub description: Cell,
    pub amount: Cell,
    pub existing: bool,
}

/// A stated total's row, with whether the changes it counts add up to it.
pub struct TotalRow {
    pub n: usize,
    pub label: Cell,
    pub kind: Cell,
    pub year: Cell,
    pub stated: Cell,
    pub check: String,
}

#[derive(Template)]
#[template(path = "plan_budget.html")]
struct BudgetPage {
    chrome: Chrome,
    title: String,
    action: String,
    back: String,
    scale: String,
    scale_error: String,
    scales: Vec<(String, String)>,
    kinds: Vec<String>,
    changes: Vec<ChangeRow>,
    totals: Vec<TotalRow>,
    reason_hint: String,
    reason: String,
    reason_error: String,
    checked: bool,
    errors: Vec<FieldError>,
}

fn rows(typed: &Typed, what: &str) -> usize {
    super::statement_edit::rows(typed, what, MAX_ROWS)
}

/// The plan's budget changes and totals as the form shows them, in one scale: the first
/// change's (or total's), else £'000. A plan whose changes use several scales is shown, and
/// saved, in that one.
fn typed_from(doc: &PlanDocument) -> Typed {
    let scale = doc
        .budget_changes
        .first()
        .map(|c| c.scale)
        .or(doc.budget_totals.first().map(|t| t.scale))
        .unwrap_or(Scale::Thousands);
    let mut t = Typed::new();
    t.insert("scale".into(), scale.to_string());
    for (i, c) in doc.budget_changes.iter().enumerate() {
        t.insert(format!("change-{i}-kind"), c.kind.to_string());
        t.insert(format!("change-{i}-year"), c.year.to_string());
        t.insert(format!("change-{i}-description"), c.description.clone());
        if let Some(a) = c.amount {
            t.insert(format!("change-{i}-amount"), a.display(scale, false));
        }
    }
    for (i, x) in doc.budget_totals.iter().enumerate() {
        t.insert(format!("total-{i}-label"), x.label.clone());
        if let Some(k) = x.kind {
            t.insert(format!("total-{i}-kind"), k.to_string());
        }
        if let Some(y) = x.year {
            t.insert(format!("total-{i}-year"), y.to_string());
        }
        t.insert(format!("total-{i}-stated"), x.stated.display(scale, false));
    }
    t.insert(
        "changes".into(),
        (doc.budget_changes.len() + BLANK_CHANGES).to_string(),
    );
    t.insert(
        "totals".into(),
        (doc.budget_totals.len() + BLANK_TOTALS).to_string(),
    );
    t
}

/// Reads the rows into the plan's budget changes and totals, or every problem by box.
struct Reader<'a> {
    typed: &'a Typed,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    fn text(&self, id: &str) -> &str {
        self.typed.get(id).map_or("", |s| s.trim())
    }
    fn bad(&mut self, id: &str, message: String) {
        self.errors.push(FieldError {
            field: id.into(),
            message,
        });
    }
    /// A box read by `parse`; blank is `None`, or a problem when `required` names it.
    fn read<T>(
        &mut self,
        id: &str,
        what: &str,
        required: Option<&str>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let t = self.text(id).to_string();
        if let Some(c) = beacon_domain::text::control_character(&t) {
            self.bad(id, beacon_domain::text::refusal(c, what));
            return None;
        }
        if t.is_empty() {
            if let Some(m) = required {
                self.bad(id, format!("{what}: {m}"));
            }
            return None;
        }
        parse(&t)
            .map_err(|e| self.bad(id, format!("{what}: {e}")))
            .ok()
    }
    fn blank(&self, prefix: &str, boxes: &[&str]) -> bool {
        boxes
            .iter()
            .all(|b| self.text(&format!("{prefix}-{b}")).is_empty())
    }

    fn changes(&mut self, scale: Scale) -> Vec<BudgetChange> {
        let mut out = Vec::new();
        for i in 0..rows(self.typed, "changes") {
            let p = format!("change-{i}");
            if self.blank(&p, &["kind", "year", "description", "amount"])
                || self.text(&format!("{p}-remove")) == "yes"
            {
                continue;
            }
            let what = format!("Budget change {}", i + 1);
            let kind = self.read(
                &format!("{p}-kind"),
                &format!("{what}: kind"),
                Some("choose its kind"),
                |t| t.parse::<ChangeKind>().map_err(|e| e.to_string()),
            );
            let year = self.read(
                &format!("{p}-year"),
                &format!("{what}: year"),
                Some("enter its year, such as 2012/13"),
                |t| t.parse::<FinancialYear>().map_err(|e| e.to_string()),
            );
            let description = self.read(
                &format!("{p}-description"),
                &format!("{what}: description"),
                Some("say what it is"),
                |t| Ok(t.to_string()),
            );
            let amount = self.read(
                &format!("{p}-amount"),
                &format!("{what}: amount"),
                None,
                |t| Pence::parse(t, scale).map_err(|e| e.to_string()),
            );
            if let (Some(kind), Some(year), Some(description)) = (kind, year, description) {
                out.push(BudgetChange {
                    kind,
                    year,
                    description,
                    amount,
                    scale,
                });
            }
        }
        out
    }

    fn totals(&mut self, scale: Scale, changes: &[BudgetChange]) -> Vec<ChangeTotal> {
        let mut out = Vec::new();
        for i in 0..rows(self.typed, "totals") {
            let p = format!("total-{i}");
            if self.blank(&p, &["label", "kind", "year", "stated"]) {
                continue;
            }
            let what = format!("Stated total {}", i + 1);
            let label = self.read(
                &format!("{p}-label"),
                &format!("{what}: label"),
                Some("enter the label the plan prints"),
                |t| Ok(t.to_string()),
            );
            let kind = self.read(&format!("{p}-kind"), &format!("{what}: kind"), None, |t| {
                t.parse::<ChangeKind>().map_err(|e| e.to_string())
            });
            let year = self.read(&format!("{p}-year"), &format!("{what}: year"), None, |t| {
                t.parse::<FinancialYear>().map_err(|e| e.to_string())
            });
            let stated = self.read(
                &format!("{p}-stated"),
                &format!("{what}: stated"),
                Some("enter the total the plan states"),
                |t| Pence::parse(t, scale).map_err(|e| e.to_string()),
            );
            if let (Some(label), Some(stated)) = (label, stated) {
                let t = ChangeTotal {
                    label,
                    kind,
                    year,
                    stated,
                    scale,
                };
                // The plan files' own rule and words: a stated total must add up.
                if let Err(m) = t.reconcile(changes) {
                    self.bad(&format!("{p}-stated"), format!("{:?}: {m}", t.label));
                }
                out.push(t);
            }
        }
        out
    }
}

/// The budget changes and totals the form gives, or every problem by box.
fn read(typed: &Typed) -> Result<(Vec<BudgetChange>, Vec<ChangeTotal>), Vec<FieldError>> {
    let mut r = Reader {
        typed,
        errors: Vec::new(),
    };
    let Some(scale) = r.read("scale", "Amounts written in", Some("choose one"), |t| {
        t.parse::<Scale>().map_err(|e| e.to_string())
    }) else {
        return Err(r.errors);
    };
    let changes = r.changes(scale);
    let totals = r.totals(scale, &changes);
    if r.errors.is_empty() {
        Ok((changes, totals))
    } else {
        Err(r.errors)
    }
}

struct Shown<'a> {
    data: &'a CouncilData,
    doc: &'a PlanDocument,
    typed: Typed,
    /// What was read, for each total's check.
    read: Option<(Vec<BudgetChange>, Vec<ChangeTotal>)>,
    checked: bool,
    errors: Vec<FieldError>,
}

fn cell(s: &Shown<'_>, id: String, label: String) -> Cell {
    Cell {
        value: s.typed.get(&id).cloned().unwrap_or_default(),
        error: FieldError::for_field(&s.errors, &id)
            .unwrap_or_default()
            .to_string(),
        id,
        label,
    }
}

fn page(s: Shown<'_>) -> BudgetPage {
    let c = s.data.council.reference.as_str();
    let pr = s.doc.plan.reference.as_str();
    let changes = (0..rows(&s.typed, "changes").max(BLANK_CHANGES))
        .map(|i| {
            let id = |f: &str| format!("change-{i}-{f}");
            let l = |f: &str| format!("Budget change {}: {f}", i + 1);
            ChangeRow {
                n: i + 1,
                kind: cell(&s, id("kind"), l("kind")),
                year: cell(&s, id("year"), l("year")),
                description: cell(&s, id("description"), l("description")),
                amount: cell(&s, id("amount"), l("amount")),
                existing: i < s.doc.budget_changes.len(),
            }
        })
        .collect();
    let checks: Vec<String> = match &s.read {
        Some((changes, totals)) => totals
            .iter()
            .map(|t| match t.reconcile(changes) {
                Ok(()) => "Adds up".to_string(),
                Err(m) => capitalise(&m),
            })
            .collect(),
        None => Vec::new(),
    };
    let mut n_total = 0;
    let totals = (0..rows(&s.typed, "totals").max(BLANK_TOTALS))
        .map(|i| {
            let id = |f: &str| format!("total-{i}-{f}");
            let l = |f: &str| format!("Stated total {}: {f}", i + 1);
            let filled = !s
                .typed
                .get(&id("label"))
                .is_none_or(|t| t.trim().is_empty());
            let check = if filled {
                n_total += 1;
                checks.get(n_total - 1).cloned().unwrap_or_default()
            } else {
                String::new()
            };
            TotalRow {
                n: i + 1,
                label: cell(&s, id("label"), l("label")),
                kind: cell(&s, id("kind"), l("kind of change it counts")),
                year: cell(&s, id("year"), l("year it counts")),
                stated: cell(&s, id("stated"), l("stated amount")),
                check,
            }
        })
        .collect();
    let approved = s.doc.plan.status == PlanStatus::Approved;
    BudgetPage {
        chrome: Chrome::council(s.data, latest_quarter(s.data), Section::Plans).with_crumbs(vec![
            (s.data.council.name.clone(), paths::council(c)),
            (s.doc.plan.title.clone(), hub(c, pr)),
        ]),
        title: s.doc.plan.title.clone(),
        action: path(c, pr),
        back: hub(c, pr),
        scale: s.typed.get("scale").cloned().unwrap_or_default(),
        scale_error: FieldError::for_field(&s.errors, "scale")
            .unwrap_or_default()
            .to_string(),
        scales: Scale::ALL
            .iter()
            .map(|x| (x.to_string(), format!("{} ({})", x.label(), x)))
            .collect(),
        kinds: ChangeKind::ALL.iter().map(ToString::to_string).collect(),
        changes,
        totals,
        reason_hint: if approved {
            format!(
                "The plan is approved: this change makes version {}, and the audit trail keeps your reason",
                s.doc.plan.version + 1
            )
        } else {
            String::new()
        },
        reason: s.typed.get("reason").cloned().unwrap_or_default(),
        reason_error: FieldError::for_field(&s.errors, "reason")
            .unwrap_or_default()
            .to_string(),
        checked: s.checked,
        errors: s.errors,
    }
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let doc = data.plan(&plan).ok_or(WebError::NotFound)?;
    render(&page(Shown {
        data: &data,
        doc,
        typed: typed_from(doc),
        read: Some((doc.budget_changes.clone(), doc.budget_totals.clone())),
        checked: false,
        errors: Vec::new(),
    }))
}

pub async fn submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, plan)): Path<(String, String)>,
    Form(mut typed): Form<Typed>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let doc = data.plan(&plan).ok_or(WebError::NotFound)?;
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let action = typed.remove("action").unwrap_or_default();
    let again = |typed: Typed, read, checked, errors: Vec<FieldError>| {
        let problems = !errors.is_empty();
        let p = render(&page(Shown {
            data: &data,
            doc,
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
                ("changes", BLANK_CHANGES, MAX_ROWS),
                ("totals", BLANK_TOTALS, MAX_ROWS),
            ],
        );
        return again(typed, None, false, Vec::new());
    }
    let (changes, totals) = match read(&typed) {
        Ok(x) => x,
        Err(errors) => return again(typed, None, false, errors),
    };
    if action == "check" {
        return again(typed, Some((changes, totals)), true, Vec::new());
    }
    let reason = typed
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let mut by = Actor::new(who.username.clone(), (state.clock)());
    if let Some(r) = reason {
        by = by.because(r);
    }
    let edit = Edit {
        plan: doc.plan.reference.clone(),
        was: None,
        item: Item::Budget {
            changes: changes.clone(),
            totals: totals.clone(),
        },
        remove: false,
    };
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    let c = data.council.reference.as_str();
    match save(&state.store, who, &data, &edit, &by, &checks).await {
        Ok(outcome) => {
            let done = match outcome {
                Outcome::Unchanged => "nothing-changed".to_string(),
                Outcome::Saved { version } => format!("saved-v{version}"),
            };
            let to = format!(
                "{}?done={done}&item=budget%20changes",
                hub(c, doc.plan.reference.as_str())
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(EditError::Refused(findings)) => {
            let errors = findings
                .into_iter()
                .map(|f| FieldError {
                    field: if f.field == "reason" {
                        "reason"
                    } else {
                        "scale"
                    }
                    .into(),
                    message: if f.field == "reason" {
                        capitalise(&f.message)
                    } else {
                        format!("{}: {}", capitalise(&f.item), f.message)
                    },
                })
                .collect();
            again(typed, Some((changes, totals)), false, errors)
        }
        Err(EditError::Failed(AppError::Refused(m) | AppError::Invalid(m))) => again(
            typed,
            Some((changes, totals)),
            false,
            vec![FieldError {
                field: "scale".into(),
                message: m,
            }],
        ),
        Err(EditError::Failed(e)) => Err(e.into()),
    }
}
