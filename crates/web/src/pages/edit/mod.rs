//! Plans set up and changed on screen: a new plan, then its objectives, milestones,
//! indicators (definition, baseline, targets, profile), risks and equality actions, one form
//! each, through the one use case that changes a plan (`app::plans::edit`) and the plan files'
//! own checks. The plan's edit page lists everything with a link to change it or add another.

pub mod fields;

use super::entry::FieldError;
use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use beacon_app::audit::Actor;
use beacon_app::plans::edit::{Edit, EditError, Item, Outcome, next_milestone_ref, save};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use beacon_domain::library::LibraryIndicator;
use beacon_domain::plan::{PlanDocument, PlanStatus};
use fields::{Field, Kind};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The kinds of item a form edits, as URLs name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Plan,
    Objective,
    Milestone,
    Indicator,
    /// An indicator that takes its definition from the council's library.
    FromLibrary,
    Risk,
    Equality,
}

impl What {
    fn parse(s: &str) -> Option<What> {
        Some(match s {
            "plan" => What::Plan,
            "objective" => What::Objective,
            "milestone" => What::Milestone,
            "indicator" => What::Indicator,
            "from-library" => What::FromLibrary,
            "risk" => What::Risk,
            "equality" => What::Equality,
            _ => return None,
        })
    }
    fn slug(self) -> &'static str {
        match self {
            What::Plan => "plan",
            What::Objective => "objective",
            What::Milestone => "milestone",
            What::Indicator => "indicator",
            What::FromLibrary => "from-library",
            What::Risk => "risk",
            What::Equality => "equality",
        }
    }
    /// As a heading says it.
    fn name(self) -> &'static str {
        match self {
            What::Plan => "plan",
            What::Objective => "objective",
            What::Milestone => "milestone",
            What::Indicator | What::FromLibrary => "indicator",
            What::Risk => "risk",
            What::Equality => "equality action",
        }
    }
    fn fields(self) -> &'static [Field] {
        match self {
            What::Plan => fields::PLAN,
            What::Objective => fields::OBJECTIVE,
            What::Milestone => fields::MILESTONE,
            What::Indicator => fields::INDICATOR,
            What::FromLibrary => fields::FROM_LIBRARY,
            What::Risk => fields::RISK,
            What::Equality => fields::EQUALITY,
        }
    }
}

/// The page of a plan's edit forms: `/c/{council}/plans/{plan}/edit`.
pub fn hub(c: &str, p: &str) -> String {
    format!("{}/edit", paths::plan(c, p))
}

/// One item's form; `new` adds one.
pub fn item_path(c: &str, p: &str, what: What, item: &str) -> String {
    format!("{}/{}/{}", hub(c, p), what.slug(), paths::seg(item))
}

pub(crate) fn unit_refs(data: &CouncilData) -> Vec<Ref> {
    data.units.iter().map(|u| u.reference.clone()).collect()
}

fn side(data: &CouncilData) -> u8 {
    data.settings().matrix.side
}

/// The item as stored, in its file form, and the objective a milestone is under.
fn stored(doc: &PlanDocument, what: What, item: &str) -> Option<(Value, Option<Ref>)> {
    match what {
        What::Plan => Some((v(&doc.plan), None)),
        What::Objective => doc
            .objectives
            .iter()
            .find(|o| o.reference.as_str() == item)
            .map(|o| {
                let mut x = v(o);
                if let Some(m) = x.as_object_mut() {
                    m.remove("milestones");
                }
                (x, None)
            }),
        What::Milestone => doc
            .milestones()
            .find(|(_, m)| m.reference.as_str() == item)
            .map(|(o, m)| (v(m), Some(o.reference.clone()))),
        What::Indicator => doc
            .indicators
            .iter()
            .find(|i| i.reference.as_str() == item)
            .map(|i| (v(i), None)),
        What::FromLibrary => doc
            .indicators
            .iter()
            .find(|i| i.reference.as_str() == item && i.library.is_some())
            .map(|i| (v(&LibraryIndicator::own_fields(i)), None)),
        What::Risk => doc
            .risks
            .iter()
            .find(|r| r.reference.as_str() == item)
            .map(|r| (v(r), None)),
        What::Equality => doc
            .equality_actions
            .iter()
            .find(|e| e.reference.as_str() == item)
            .map(|e| (v(e), None)),
    }
}

/// The form an item is changed on: an indicator that takes its definition from the library is
/// changed on the library form (its definition is changed in the library).
fn settle(doc: &PlanDocument, what: What, item: &str) -> What {
    let from_library = doc
        .indicators
        .iter()
        .any(|i| i.reference.as_str() == item && i.library.is_some());
    if what == What::Indicator && from_library {
        What::FromLibrary
    } else {
        what
    }
}

/// An item in its file form.
pub(crate) fn v<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// A form control as the template draws it.
pub struct Control {
    pub id: String,
    pub label: &'static str,
    pub hint: &'static str,
    pub error: String,
    pub value: String,
    /// text, textarea, select or checkbox.
    pub widget: &'static str,
    pub options: Vec<(String, String)>,
    pub rows: usize,
}

pub(crate) fn control(field: &Field, value: String, error: String, data: &CouncilData) -> Control {
    let (widget, options) = match field.kind {
        Kind::Choice(words) => (
            "select",
            words
                .iter()
                .map(|w| ((*w).to_string(), (*w).to_string()))
                .collect(),
        ),
        Kind::Unit => (
            "select",
            data.units
                .iter()
                .map(|u| {
                    (
                        u.reference.to_string(),
                        format!("{} ({})", u.name, u.reference),
                    )
                })
                .collect(),
        ),
        Kind::Library => (
            "select",
            data.library
                .iter()
                .map(|d| {
                    (
                        d.reference.to_string(),
                        format!("{}: {}", d.reference, d.description),
                    )
                })
                .collect(),
        ),
        Kind::Long | Kind::Lines | Kind::Measures | Kind::Blocks(..) | Kind::Comparators => {
            ("textarea", Vec::new())
        }
        Kind::Bool => ("checkbox", Vec::new()),
        _ => ("text", Vec::new()),
    };
    let rows = match field.kind {
        Kind::Measures | Kind::Comparators => 4,
        Kind::Blocks(..) => 10,
        Kind::Long | Kind::Lines => 3,
        _ => 1,
    };
    Control {
        id: field.id(),
        label: field.label,
        hint: field.hint,
        error,
        value,
        widget,
        options,
        rows,
    }
}

#[derive(Template)]
#[template(path = "edit_item.html")]
pub(crate) struct ItemPage {
    pub(crate) chrome: Chrome,
    pub(crate) plan_title: String,
    pub(crate) heading: String,
    pub(crate) action: String,
    pub(crate) controls: Vec<Control>,
    /// For a milestone: the objectives to put it under (ref, label, chosen).
    pub(crate) objectives: Vec<(String, String, bool)>,
    pub(crate) objective_error: String,
    /// The plan is approved: a change needs a reason, and makes the next version.
    pub(crate) reason_hint: String,
    pub(crate) reason: String,
    pub(crate) reason_error: String,
    pub(crate) removable: bool,
    pub(crate) back: String,
    pub(crate) errors: Vec<FieldError>,
}

#[derive(Debug, Deserialize)]
pub struct ItemQuery {
    pub objective: Option<String>,
}

struct Shown<'a> {
    data: &'a CouncilData,
    doc: Option<&'a PlanDocument>,
    what: What,
    item: &'a str,
    typed: HashMap<String, String>,
    errors: Vec<FieldError>,
}

fn page(s: Shown<'_>) -> ItemPage {
    let c = s.data.council.reference.as_str();
    let err = |id: &str| {
        FieldError::for_field(&s.errors, id)
            .unwrap_or_default()
            .to_string()
    };
    let controls = s
        .what
        .fields()
        .iter()
        .filter(|f| !(s.what == What::Plan && s.doc.is_some() && f.path == "ref"))
        .map(|f| {
            let id = f.id();
            let value = s.typed.get(&id).cloned().unwrap_or_default();
            control(f, value, err(&id), s.data)
        })
        .collect();
    let chosen = s.typed.get("objective").cloned().unwrap_or_default();
    let (heading, action, back, plan_title) = match s.doc {
        Some(doc) => {
            let pr = doc.plan.reference.as_str();
            let heading = if s.item == "new" && s.what == What::FromLibrary {
                "Add an indicator from the library".to_string()
            } else if s.item == "new" {
                format!(
                    "Add {} {}",
                    if s.what == What::Objective
                        || s.what == What::Indicator
                        || s.what == What::Equality
                    {
                        "an"
                    } else {
                        "a"
                    },
                    s.what.name()
                )
            } else {
                format!("Change {} {}", s.what.name(), s.item)
            };
            (
                heading,
                item_path(c, pr, s.what, s.item),
                hub(c, pr),
                doc.plan.title.clone(),
            )
        }
        None => (
            "Create a plan".to_string(),
            format!("{}/new-plan", paths::council(c)),
            paths::council(c),
            s.data.council.name.clone(),
        ),
    };
    let approved = s.doc.filter(|d| d.plan.status == PlanStatus::Approved);
    ItemPage {
        chrome: Chrome::council(s.data, latest_quarter(s.data), Section::Plans).with_crumbs(vec![
            (s.data.council.name.clone(), paths::council(c)),
            (plan_title.clone(), back.clone()),
        ]),
        plan_title,
        heading,
        action,
        controls,
        objectives: s
            .doc
            .map(|d| {
                d.objectives
                    .iter()
                    .map(|o| {
                        let r = o.reference.to_string();
                        let label = if o.statement.is_empty() { r.clone() } else { format!("{r}: {}", o.statement) };
                        let is = r == chosen;
                        (r, label, is)
                    })
                    .collect()
            })
            .filter(|_| s.what == What::Milestone)
            .unwrap_or_default(),
        objective_error: err("objective"),
        reason_hint: approved.map_or_else(String::new, |d| {
            format!(
                "The plan is approved: this change makes version {}, and the audit trail keeps your reason",
                d.plan.version + 1
            )
        }),
        reason: s.typed.get("reason").cloned().unwrap_or_default(),
        reason_error: err("reason"),
        removable: s.doc.is_some() && s.item != "new" && s.what != What::Plan,
        back,
        errors: s.errors,
    }
}

fn manager(viewer: &Viewer) -> Result<&beacon_app::access::Principal, WebError> {
    viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))
}

/// The form as stored: each field's text.
fn typed_from(value: &Value, what: What, objective: Option<Ref>) -> HashMap<String, String> {
    let mut typed: HashMap<String, String> = what
        .fields()
        .iter()
        .map(|f| (f.id(), fields::text_of(value, f)))
        .collect();
    if let Some(o) = objective {
        typed.insert("objective".into(), o.to_string());
    }
    typed
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan, kind, item)): Path<(String, String, String, String)>,
    Query(q): Query<ItemQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let doc = data.plan(&plan).ok_or(WebError::NotFound)?;
    let what = settle(doc, What::parse(&kind).ok_or(WebError::NotFound)?, &item);
    let typed = if item == "new" && what != What::Plan {
        let mut t = HashMap::new();
        if let Some(o) = q.objective {
            t.insert("objective".to_string(), o);
        }
        t
    } else {
        if what == What::Plan && item != doc.plan.reference.as_str() {
            return Err(WebError::NotFound);
        }
        let (value, objective) = stored(doc, what, &item).ok_or(WebError::NotFound)?;
        typed_from(&value, what, objective)
    };
    render(&page(Shown {
        data: &data,
        doc: Some(doc),
        what,
        item: &item,
        typed,
        errors: Vec::new(),
    }))
}

/// "Check your answers" before a new plan is created: each answer with a link back to change
/// it (the form opens with every answer as given), and the button that creates the plan.
#[derive(Template)]
#[template(path = "check_plan.html")]
struct CheckPage {
    chrome: Chrome,
    action: String,
    /// (question, answer, where to change it).
    rows: Vec<(&'static str, String, String)>,
    /// Every answer, sent again with the confirmation.
    answers: Vec<(String, String)>,
}

fn check_answers(data: &CouncilData, typed: &HashMap<String, String>) -> CheckPage {
    let c = data.council.reference.as_str();
    let form = format!("{}/new-plan", paths::council(c));
    let answers: Vec<(String, String)> = fields::PLAN
        .iter()
        .map(|f| (f.id(), typed.get(&f.id()).cloned().unwrap_or_default()))
        .collect();
    let query = answers
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", paths::seg(v)))
        .collect::<Vec<_>>()
        .join("&");
    let rows = fields::PLAN
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Blocks(..)))
        .map(|f| {
            let v = typed.get(&f.id()).map_or("", |v| v.trim());
            let shown = match f.kind {
                Kind::Unit => data
                    .units
                    .iter()
                    .find(|u| u.reference.as_str() == v)
                    .map_or_else(|| v.to_string(), |u| format!("{} ({v})", u.name)),
                _ if v.is_empty() => "Not given".to_string(),
                _ => v.to_string(),
            };
            (f.label, shown, format!("{form}?{query}#{}", f.id()))
        })
        .collect();
    CheckPage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Plans)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        action: form,
        rows,
        answers,
    }
}

pub async fn new_plan_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
    Query(given): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let mut typed = HashMap::new();
    typed.insert("status".to_string(), "draft".to_string());
    // Answers given back by "Check your answers" (the plan's own fields only).
    for f in fields::PLAN {
        if let Some(v) = given.get(&f.id()) {
            typed.insert(f.id(), v.clone());
        }
    }
    render(&page(Shown {
        data: &data,
        doc: None,
        what: What::Plan,
        item: "new",
        typed,
        errors: Vec::new(),
    }))
}

/// The item an edit gives, from its file form.
fn item_of(what: What, value: Value, objective: Option<Ref>) -> Result<Item, String> {
    let e = |e: serde_json::Error| e.to_string();
    Ok(match what {
        What::Plan => Item::Plan(Box::new(serde_json::from_value(value).map_err(e)?)),
        What::Objective => Item::Objective(Box::new(serde_json::from_value(value).map_err(e)?)),
        What::Milestone => Item::Milestone {
            objective: objective.ok_or("Choose the objective it is under")?,
            milestone: serde_json::from_value(value).map_err(e)?,
        },
        What::Indicator | What::FromLibrary => {
            Item::Indicator(Box::new(serde_json::from_value(value).map_err(e)?))
        }
        What::Risk => Item::Risk(Box::new(serde_json::from_value(value).map_err(e)?)),
        What::Equality => Item::Equality(Box::new(serde_json::from_value(value).map_err(e)?)),
    })
}

/// Where a finding of the checks goes on a form of `fields`: beside its field when it is about
/// the item being changed (`here` says which items are), else in the summary, naming its item.
pub(crate) fn placed(
    findings: Vec<beacon_app::plans::edit::Finding>,
    fields: &[Field],
    here: impl Fn(&str) -> bool,
) -> Vec<FieldError> {
    let first = fields.first().map_or_else(String::new, Field::id);
    findings
        .into_iter()
        .map(|f| {
            if f.field == "reason" {
                return FieldError {
                    field: "reason".into(),
                    message: capitalise(&f.message),
                };
            }
            let field = fields
                .iter()
                .find(|x| x.path == f.field || x.path.split('.').next() == Some(f.field.as_str()))
                .map(Field::id);
            match (here(&f.item), field) {
                (true, Some(id)) => FieldError {
                    field: id,
                    message: capitalise(&f.message),
                },
                _ => FieldError {
                    field: first.clone(),
                    message: format!("{}: {}", capitalise(&f.item), f.message),
                },
            }
        })
        .collect()
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// What a form sent, read and made into an edit; or the problems, by field.
fn read_edit(
    data: &CouncilData,
    doc: Option<&PlanDocument>,
    what: What,
    item: &str,
    typed: &HashMap<String, String>,
) -> Result<Edit, Vec<FieldError>> {
    let key = match (what, doc) {
        (What::Plan, Some(d)) => d.plan.reference.as_str(),
        _ => item,
    };
    let existing = if item == "new" && what != What::Plan {
        None
    } else {
        doc.and_then(|d| stored(d, what, key))
    };
    let was: Option<Ref> = existing.as_ref().and_then(|_| key.parse().ok());
    let mut value = existing.map_or_else(|| Value::Object(serde_json::Map::new()), |(v, _)| v);
    let fields: Vec<Field> = what
        .fields()
        .iter()
        .filter(|f| !(what == What::Plan && doc.is_some() && f.path == "ref"))
        .copied()
        .collect();
    let mut problems = fields::fill(&mut value, &fields, typed, &unit_refs(data), side(data));
    let objective: Option<Ref> = typed.get("objective").and_then(|o| o.parse().ok());
    if what == What::Milestone {
        if objective.is_none() {
            problems.push((
                "objective".into(),
                "Choose the objective it is under".into(),
            ));
        } else if value.get("ref").is_none()
            && let (Some(d), Some(o)) = (doc, &objective)
        {
            let r = next_milestone_ref(d, o);
            value["ref"] = Value::String(r.to_string());
        }
    }
    if what == What::FromLibrary
        && value.get("ref").is_none()
        && let Some(l) = value.get("library").cloned()
    {
        // Its code in the plan is the library's, unless the form gives another.
        value["ref"] = l;
    }
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|(field, message)| FieldError { field, message })
            .collect());
    }
    let item_value = item_of(what, value, objective).map_err(|m| {
        vec![FieldError {
            field: fields.first().map_or_else(String::new, Field::id),
            message: capitalise(&m),
        }]
    })?;
    let plan = match (doc, &item_value) {
        (Some(d), _) => d.plan.reference.clone(),
        (None, Item::Plan(p)) => p.reference.clone(),
        (None, _) => {
            return Err(vec![FieldError {
                field: "ref".into(),
                message: "Create the plan first".into(),
            }]);
        }
    };
    Ok(Edit {
        plan,
        was,
        item: item_value,
        remove: typed.get("remove").is_some_and(|r| r == "yes"),
    })
}

/// The edit made, or the form again with its problems (422).
async fn submit<S: Backend>(
    state: &AppState<S>,
    viewer: &Viewer,
    data: &CouncilData,
    doc: Option<&PlanDocument>,
    what: What,
    item: &str,
    typed: HashMap<String, String>,
) -> Result<Response, WebError> {
    let who = manager(viewer)?;
    let again =
        |errors: Vec<FieldError>, typed: HashMap<String, String>| -> Result<Response, WebError> {
            let p = render(&page(Shown {
                data,
                doc,
                what,
                item,
                typed,
                errors,
            }))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        };
    let edit = match read_edit(data, doc, what, item, &typed) {
        Ok(e) => e,
        Err(errors) => return again(errors, typed),
    };
    if doc.is_none() && typed.get("confirm").is_none_or(|c| c != "yes") {
        return Ok(render(&check_answers(data, &typed))?.into_response());
    }
    let reason = typed
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if let Some(r) = &reason
        && let Some(c) = beacon_domain::text::control_character(r)
    {
        return again(
            vec![FieldError {
                field: "reason".into(),
                message: beacon_domain::text::refusal(c, "The reason"),
            }],
            typed,
        );
    }
    let mut by = Actor::new(who.username.clone(), (state.clock)());
    if let Some(r) = reason {
        by = by.because(r);
    }
    let name = match &edit.item {
        Item::Plan(p) => format!("plan {}", p.reference),
        Item::Objective(o) => format!("objective {}", o.reference),
        Item::Milestone { milestone, .. } => format!("milestone {}", milestone.reference),
        Item::Indicator(i) => format!("indicator {}", i.reference),
        Item::Risk(r) => format!("risk {}", r.reference),
        Item::Equality(e) => format!("equality action {}", e.reference),
        Item::Budget { .. } => "budget changes".to_string(),
    };
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    match save(&state.store, who, data, &edit, &by, &checks).await {
        Ok(outcome) => {
            let c = data.council.reference.as_str();
            let done = match (outcome, edit.remove) {
                (Outcome::Unchanged, _) => "nothing-changed".to_string(),
                (_, true) => "removed".to_string(),
                (Outcome::Saved { version }, false) => format!("saved-v{version}"),
            };
            let to = format!(
                "{}?done={done}&item={}",
                hub(c, edit.plan.as_str()),
                paths::seg(&name)
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(EditError::Refused(findings)) => {
            let here =
                |item: &str| item == name || (what == What::Plan && item.starts_with("plan "));
            again(placed(findings, what.fields(), here), typed)
        }
        Err(EditError::Failed(AppError::Refused(m) | AppError::Invalid(m))) => again(
            vec![FieldError {
                field: what.fields()[0].id(),
                message: m,
            }],
            typed,
        ),
        Err(EditError::Failed(e)) => Err(e.into()),
    }
}

pub async fn save_item<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, plan, kind, item)): Path<(String, String, String, String)>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let doc = data.plan(&plan).ok_or(WebError::NotFound)?;
    let what = settle(doc, What::parse(&kind).ok_or(WebError::NotFound)?, &item);
    let key = if what == What::Plan {
        doc.plan.reference.as_str()
    } else {
        item.as_str()
    };
    if (item != "new" || what == What::Plan)
        && (stored(doc, what, key).is_none() || (what == What::Plan && item != key))
    {
        return Err(WebError::NotFound);
    }
    submit(&state, &viewer, &data, Some(doc), what, &item, typed).await
}

pub async fn create_plan<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path(council): Path<String>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    submit(&state, &viewer, &data, None, What::Plan, "new", typed).await
}

/// One item on the edit page, with its change link.
pub struct Row {
    pub reference: String,
    pub text: String,
    pub href: String,
}

/// An objective on the edit page, with its milestones.
pub struct ObjectiveRows {
    pub row: Row,
    pub milestones: Vec<Row>,
    pub add_milestone: String,
}

#[derive(Template)]
#[template(path = "edit_plan.html")]
struct HubPage {
    chrome: Chrome,
    title: String,
    reference: String,
    plan_rows: Vec<(String, String)>,
    plan_href: String,
    objectives: Vec<ObjectiveRows>,
    /// Indicators, risks and equality actions: (heading, rows).
    lists: Vec<(&'static str, Vec<Row>)>,
    add: Vec<(String, String)>,
    done: String,
    view: String,
    /// The plan's budget changes in a few words, and where to change them.
    budget: String,
    budget_href: String,
}

#[derive(Debug, Deserialize)]
pub struct HubQuery {
    pub done: Option<String>,
    pub item: Option<String>,
}

fn done_words(q: &HubQuery) -> String {
    let item = q.item.clone().unwrap_or_default();
    match q.done.as_deref() {
        Some("nothing-changed") => format!("Nothing changed: {item} is as it was."),
        Some("removed") => format!("{} removed.", capitalise(&item)),
        Some(d) if d.starts_with("saved-v") => {
            format!("{} saved (plan version {}).", capitalise(&item), &d[7..])
        }
        _ => String::new(),
    }
}

pub async fn plan_hub<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan)): Path<(String, String)>,
    Query(q): Query<HubQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let doc = data.plan(&plan).ok_or(WebError::NotFound)?;
    let c = data.council.reference.as_str();
    let pr = doc.plan.reference.as_str();
    let row = |what: What, r: &Ref, text: &str| Row {
        reference: r.to_string(),
        text: text.to_string(),
        href: item_path(c, pr, what, r.as_str()),
    };
    let new = |what: What| item_path(c, pr, what, "new");
    render(&HubPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Plans).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (doc.plan.title.clone(), paths::plan(c, pr)),
        ]),
        title: doc.plan.title.clone(),
        reference: pr.to_string(),
        plan_rows: vec![
            ("Title".into(), doc.plan.title.clone()),
            ("Owning unit".into(), doc.plan.unit.to_string()),
            ("Years".into(), doc.plan.years.to_string()),
            (
                "Status".into(),
                format!("{} (version {})", doc.plan.status, doc.plan.version),
            ),
        ],
        plan_href: item_path(c, pr, What::Plan, pr),
        objectives: doc
            .objectives
            .iter()
            .map(|o| ObjectiveRows {
                row: row(What::Objective, &o.reference, &o.statement),
                milestones: o
                    .milestones
                    .iter()
                    .map(|m| row(What::Milestone, &m.reference, &m.text))
                    .collect(),
                add_milestone: format!(
                    "{}?objective={}",
                    new(What::Milestone),
                    paths::seg(o.reference.as_str())
                ),
            })
            .collect(),
        lists: vec![
            (
                "Indicators",
                doc.indicators
                    .iter()
                    .map(|i| match &i.library {
                        Some(l) => row(
                            What::FromLibrary,
                            &i.reference,
                            &format!("{} (from the library: {l})", i.description),
                        ),
                        None => row(What::Indicator, &i.reference, &i.description),
                    })
                    .collect(),
            ),
            (
                "Risks",
                doc.risks
                    .iter()
                    .map(|r| row(What::Risk, &r.reference, &r.description))
                    .collect(),
            ),
            (
                "Equality actions",
                doc.equality_actions
                    .iter()
                    .map(|e| row(What::Equality, &e.reference, &e.action))
                    .collect(),
            ),
        ],
        add: [What::Objective, What::Indicator, What::Risk, What::Equality]
            .iter()
            .map(|w| {
                (
                    format!(
                        "Add {} {}",
                        if matches!(w, What::Risk) { "a" } else { "an" },
                        w.name()
                    ),
                    new(*w),
                )
            })
            .chain((!data.library.is_empty()).then(|| {
                (
                    "Add an indicator from the library".to_string(),
                    new(What::FromLibrary),
                )
            }))
            .collect(),
        done: done_words(&q),
        view: paths::plan(c, pr),
        budget: format!(
            "{} budget {}, {} stated {}",
            doc.budget_changes.len(),
            if doc.budget_changes.len() == 1 {
                "change"
            } else {
                "changes"
            },
            doc.budget_totals.len(),
            if doc.budget_totals.len() == 1 {
                "total"
            } else {
                "totals"
            },
        ),
        budget_href: super::plan_budget::path(c, pr),
    })
}
