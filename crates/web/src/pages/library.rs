//! The council's indicator library on screen: every definition listed with the plans that take
//! it, and one form a definition (through `edit::fields::LIBRARY`), saved by
//! `app::library::save_definition` with the plan files' own checks, or removed by
//! `app::library::remove_definition` once no plan takes it.

use super::edit::fields::{self, Field};
use super::edit::{ItemPage, capitalise, control, placed, unit_refs, v};
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
use beacon_app::library::{remove_definition, save_definition};
use beacon_app::plans::edit::{EditError, Outcome};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use beacon_domain::library::{self, LibraryIndicator};
use beacon_domain::plan::PlanStatus;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// `/c/{council}/library`.
pub fn hub(c: &str) -> String {
    format!("{}/library", paths::council(c))
}

fn entry_path(c: &str, entry: &str) -> String {
    format!("{}/{}", hub(c), paths::seg(entry))
}

fn stored(data: &CouncilData, entry: &str) -> Option<Value> {
    data.library
        .iter()
        .find(|d| d.reference.as_str() == entry)
        .map(v)
}

/// The form's fields: a definition's ref does not change once made.
fn shown(entry: &str) -> Vec<Field> {
    fields::LIBRARY
        .iter()
        .filter(|f| !(entry != "new" && f.path == "ref"))
        .copied()
        .collect()
}

fn page(
    data: &CouncilData,
    entry: &str,
    typed: &HashMap<String, String>,
    errors: Vec<FieldError>,
) -> ItemPage {
    let c = data.council.reference.as_str();
    let err = |id: &str| {
        FieldError::for_field(&errors, id)
            .unwrap_or_default()
            .to_string()
    };
    let controls = shown(entry)
        .iter()
        .map(|f| {
            let id = f.id();
            control(
                f,
                typed.get(&id).cloned().unwrap_or_default(),
                err(&id),
                data,
            )
        })
        .collect();
    let approved: Vec<String> = entry
        .parse::<Ref>()
        .ok()
        .map(|r| {
            data.plans
                .iter()
                .filter(|p| p.plan.status == PlanStatus::Approved && library::uses(p, &r))
                .map(|p| p.plan.reference.to_string())
                .collect()
        })
        .unwrap_or_default();
    ItemPage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Administration).with_crumbs(
            vec![
                (data.council.name.clone(), paths::council(c)),
                ("Indicator library".into(), hub(c)),
            ],
        ),
        plan_title: "Indicator library".into(),
        heading: if entry == "new" {
            "Add a library indicator".into()
        } else {
            format!("Change library indicator {entry}")
        },
        action: entry_path(c, entry),
        controls,
        objectives: Vec::new(),
        objective_error: String::new(),
        reason_hint: if approved.is_empty() {
            String::new()
        } else {
            format!(
                "Approved plans take this definition ({}): a change makes the next version of each, and the audit trail keeps your reason",
                approved.join(", ")
            )
        },
        reason: typed.get("reason").cloned().unwrap_or_default(),
        reason_error: err("reason"),
        removable: entry != "new",
        back: hub(c),
        errors,
    }
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, entry)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let typed = if entry == "new" {
        HashMap::new()
    } else {
        let value = stored(&data, &entry).ok_or(WebError::NotFound)?;
        fields::LIBRARY
            .iter()
            .map(|f| (f.id(), fields::text_of(&value, f)))
            .collect()
    };
    render(&page(&data, &entry, &typed, Vec::new()))
}

/// What the form sent, as a definition and the reason; or the problems by field.
fn read_definition(
    data: &CouncilData,
    entry: &str,
    typed: &HashMap<String, String>,
) -> Result<(Option<Ref>, LibraryIndicator, Option<String>), Vec<FieldError>> {
    let (mut value, was) = if entry == "new" {
        (Value::Object(serde_json::Map::new()), None)
    } else {
        let value = stored(data, entry).unwrap_or(Value::Null);
        (value, entry.parse::<Ref>().ok())
    };
    let side = data.settings().matrix.side;
    let mut problems = fields::fill(&mut value, &shown(entry), typed, &unit_refs(data), side);
    let reason = typed
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if let Some(c) = reason
        .as_deref()
        .and_then(beacon_domain::text::control_character)
    {
        problems.push((
            "reason".into(),
            beacon_domain::text::refusal(c, "The reason"),
        ));
    }
    let first = fields::LIBRARY[0].id();
    let errors = |ps: Vec<(String, String)>| -> Vec<FieldError> {
        ps.into_iter()
            .map(|(field, message)| FieldError { field, message })
            .collect()
    };
    if !problems.is_empty() {
        return Err(errors(problems));
    }
    let definition = serde_json::from_value(value)
        .map_err(|e| errors(vec![(first, capitalise(&e.to_string()))]))?;
    Ok((was, definition, reason))
}

pub async fn save<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, entry)): Path<(String, String)>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    if entry != "new" && stored(&data, &entry).is_none() {
        return Err(WebError::NotFound);
    }
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let again = |mut errors: Vec<FieldError>| -> Result<Response, WebError> {
        // A definition's code is not a box once it is made: its problems go to the first box.
        if entry != "new" {
            for e in errors.iter_mut().filter(|e| e.field == "ref") {
                e.field = fields::LIBRARY[1].id();
            }
        }
        let p = render(&page(&data, &entry, &typed, errors))?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
    };
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    let c = data.council.reference.as_str();
    if typed.get("remove").is_some_and(|r| r == "yes")
        && let Ok(r) = entry.parse::<Ref>()
    {
        let name = format!("library indicator {r}");
        let by = Actor::new(who.username.clone(), (state.clock)());
        return match remove_definition(&state.store, who, &data, &r, &by, &checks).await {
            Ok(()) => Ok(Redirect::to(&format!(
                "{}?done=removed&item={}",
                hub(c),
                paths::seg(&name)
            ))
            .into_response()),
            Err(EditError::Refused(findings)) => {
                again(placed(findings, fields::LIBRARY, |item: &str| item == name))
            }
            Err(EditError::Failed(AppError::Invalid(m) | AppError::Refused(m))) => {
                again(vec![FieldError {
                    field: fields::LIBRARY[1].id(),
                    message: m,
                }])
            }
            Err(EditError::Failed(e)) => Err(e.into()),
        };
    }
    let (was, definition, reason) = match read_definition(&data, &entry, &typed) {
        Ok(x) => x,
        Err(errors) => return again(errors),
    };
    let name = format!("library indicator {}", definition.reference);
    let mut by = Actor::new(who.username.clone(), (state.clock)());
    if let Some(r) = reason {
        by = by.because(r);
    }
    match save_definition(
        &state.store,
        who,
        &data,
        was.as_ref(),
        definition,
        &by,
        &checks,
    )
    .await
    {
        Ok(outcome) => {
            let done = if outcome == Outcome::Unchanged {
                "nothing-changed"
            } else {
                "saved"
            };
            Ok(Redirect::to(&format!(
                "{}?done={done}&item={}",
                hub(c),
                paths::seg(&name)
            ))
            .into_response())
        }
        Err(EditError::Refused(findings)) => {
            again(placed(findings, fields::LIBRARY, |item: &str| item == name))
        }
        Err(EditError::Failed(AppError::Invalid(m) | AppError::Refused(m))) => {
            again(vec![FieldError {
                field: fields::LIBRARY[0].id(),
                message: m,
            }])
        }
        Err(EditError::Failed(e)) => Err(e.into()),
    }
}

/// A definition on the library page.
pub struct Row {
    pub reference: String,
    pub description: String,
    pub details: String,
    pub plans: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    chrome: Chrome,
    council: String,
    done: String,
    add: String,
    rows: Vec<Row>,
}

#[derive(Debug, serde::Deserialize)]
pub struct HubQuery {
    pub done: Option<String>,
    pub item: Option<String>,
}

/// What a definition says in brief: its measure, direction and frequency.
fn details(d: &LibraryIndicator) -> String {
    let mut parts = Vec::new();
    if let Some(m) = d.measure {
        parts.push(m.to_string());
    }
    if let Some(b) = d.better {
        parts.push(format!("{b} is better"));
    }
    if let Some(f) = d.frequency {
        parts.push(f.to_string());
    }
    if !d.aliases.is_empty() {
        let codes: Vec<&str> = d.aliases.iter().map(Ref::as_str).collect();
        parts.push(format!("also {}", codes.join(", ")));
    }
    parts.join("; ")
}

pub async fn list<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
    Query(q): Query<HubQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let c = data.council.reference.as_str();
    let item = capitalise(q.item.as_deref().unwrap_or_default());
    let done = match q.done.as_deref() {
        Some("saved") => format!("{item} saved."),
        Some("nothing-changed") => format!("Nothing changed: {item} is as it was."),
        Some("removed") => format!("{item} removed."),
        _ => String::new(),
    };
    let rows = data
        .library
        .iter()
        .map(|d| {
            let plans: Vec<String> = data
                .plans
                .iter()
                .filter(|p| library::uses(p, &d.reference))
                .map(|p| p.plan.reference.to_string())
                .collect();
            Row {
                reference: d.reference.to_string(),
                description: d.description.clone(),
                details: details(d),
                plans: if plans.is_empty() {
                    "None yet".into()
                } else {
                    plans.join(", ")
                },
                href: entry_path(c, d.reference.as_str()),
            }
        })
        .collect();
    render(&LibraryPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Administration)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        council: data.council.name.clone(),
        done,
        add: entry_path(c, "new"),
        rows,
    })
}
