//! The council's organisation (units, officers) and strategic frame (priorities, areas of
//! focus, themes) set up and changed on screen, one item a form, through
//! `app::organisation::save_org` and the plan files' own checks.

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
use beacon_app::organisation::{OrgItem, save_org};
use beacon_app::plans::edit::{EditError, Outcome};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// What a form edits: a unit, an officer or a frame entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Unit,
    Officer,
    Frame,
}

impl What {
    fn parse(s: &str) -> Option<What> {
        match s {
            "unit" => Some(What::Unit),
            "officer" => Some(What::Officer),
            "frame" => Some(What::Frame),
            _ => None,
        }
    }
    fn slug(self) -> &'static str {
        match self {
            What::Unit => "unit",
            What::Officer => "officer",
            What::Frame => "frame",
        }
    }
    fn name(self) -> &'static str {
        match self {
            What::Unit => "unit",
            What::Officer => "officer",
            What::Frame => "priority",
        }
    }
    fn fields(self) -> &'static [Field] {
        match self {
            What::Unit => fields::UNIT,
            What::Officer => fields::OFFICER,
            What::Frame => fields::FRAME,
        }
    }
    fn stored(self, data: &CouncilData, r: &str) -> Option<Value> {
        match self {
            What::Unit => data.units.iter().find(|x| x.reference.as_str() == r).map(v),
            What::Officer => data
                .officers
                .iter()
                .find(|x| x.reference.as_str() == r)
                .map(v),
            What::Frame => data
                .frames
                .iter()
                .find(|x| x.reference.as_str() == r)
                .map(v),
        }
    }
}

/// `/c/{council}/organisation`.
pub fn hub(c: &str) -> String {
    format!("{}/organisation", paths::council(c))
}

fn item_path(c: &str, what: What, item: &str) -> String {
    format!("{}/{}/{}", hub(c), what.slug(), paths::seg(item))
}

fn page(
    data: &CouncilData,
    what: What,
    item: &str,
    typed: &HashMap<String, String>,
    errors: Vec<FieldError>,
) -> ItemPage {
    let c = data.council.reference.as_str();
    let err = |id: &str| {
        FieldError::for_field(&errors, id)
            .unwrap_or_default()
            .to_string()
    };
    let controls = what
        .fields()
        .iter()
        .filter(|f| !(item != "new" && f.path == "ref"))
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
    ItemPage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Administration).with_crumbs(
            vec![
                (data.council.name.clone(), paths::council(c)),
                ("Organisation and priorities".into(), hub(c)),
            ],
        ),
        plan_title: data.council.name.clone(),
        heading: if item == "new" {
            format!("Add a {}", what.name())
        } else {
            format!("Change {} {item}", what.name())
        },
        action: item_path(c, what, item),
        controls,
        objectives: Vec::new(),
        objective_error: String::new(),
        reason_hint: String::new(),
        reason: String::new(),
        reason_error: String::new(),
        removable: false,
        back: hub(c),
        errors,
    }
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, kind, item)): Path<(String, String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let what = What::parse(&kind).ok_or(WebError::NotFound)?;
    let typed = if item == "new" {
        HashMap::new()
    } else {
        let value = what.stored(&data, &item).ok_or(WebError::NotFound)?;
        what.fields()
            .iter()
            .map(|f| (f.id(), fields::text_of(&value, f)))
            .collect()
    };
    render(&page(&data, what, &item, &typed, Vec::new()))
}

fn item_of(what: What, value: Value) -> Result<OrgItem, serde_json::Error> {
    Ok(match what {
        What::Unit => OrgItem::Unit(serde_json::from_value(value)?),
        What::Officer => OrgItem::Officer(serde_json::from_value(value)?),
        What::Frame => OrgItem::Frame(serde_json::from_value(value)?),
    })
}

pub async fn save<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, kind, item)): Path<(String, String, String)>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let what = What::parse(&kind).ok_or(WebError::NotFound)?;
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let again = |errors: Vec<FieldError>| -> Result<Response, WebError> {
        let p = render(&page(&data, what, &item, &typed, errors))?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
    };
    let (mut value, was) = if item == "new" {
        (Value::Object(serde_json::Map::new()), None)
    } else {
        let value = what.stored(&data, &item).ok_or(WebError::NotFound)?;
        (
            value,
            Some(item.parse::<Ref>().map_err(|_| WebError::NotFound)?),
        )
    };
    let shown: Vec<Field> = what
        .fields()
        .iter()
        .filter(|f| !(was.is_some() && f.path == "ref"))
        .copied()
        .collect();
    let side = data.settings().matrix.side;
    let problems = fields::fill(&mut value, &shown, &typed, &unit_refs(&data), side);
    if !problems.is_empty() {
        return again(
            problems
                .into_iter()
                .map(|(field, message)| FieldError { field, message })
                .collect(),
        );
    }
    let first = what.fields()[0].id();
    let org = match item_of(what, value) {
        Ok(x) => x,
        Err(e) => {
            return again(vec![FieldError {
                field: first,
                message: capitalise(&e.to_string()),
            }]);
        }
    };
    let name = format!(
        "{} {}",
        org.kind(),
        match &org {
            OrgItem::Unit(u) => u.reference.to_string(),
            OrgItem::Officer(o) => o.reference.to_string(),
            OrgItem::Frame(f) => f.reference.to_string(),
        }
    );
    let by = Actor::new(who.username.clone(), (state.clock)());
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    match save_org(&state.store, who, &data, was.as_ref(), org, &by, &checks).await {
        Ok(outcome) => {
            let done = if outcome == Outcome::Unchanged {
                "nothing-changed"
            } else {
                "saved"
            };
            let c = data.council.reference.as_str();
            Ok(Redirect::to(&format!(
                "{}?done={done}&item={}",
                hub(c),
                paths::seg(&name)
            ))
            .into_response())
        }
        Err(EditError::Refused(findings)) => {
            again(placed(findings, what.fields(), |item: &str| item == name))
        }
        Err(EditError::Failed(AppError::Invalid(m) | AppError::Refused(m))) => {
            again(vec![FieldError {
                field: first,
                message: m,
            }])
        }
        Err(EditError::Failed(e)) => Err(e.into()),
    }
}

/// An item on the hub, with its change link.
pub struct Row {
    pub reference: String,
    pub text: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct HubPage {
    chrome: Chrome,
    council: String,
    done: String,
    lists: Vec<(&'static str, String, String, Vec<Row>)>,
}

#[derive(Debug, serde::Deserialize)]
pub struct HubQuery {
    pub done: Option<String>,
    pub item: Option<String>,
}

pub async fn list<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
    Query(q): Query<HubQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let c = data.council.reference.as_str();
    let row = |what: What, r: &Ref, text: String| Row {
        reference: r.to_string(),
        text,
        href: item_path(c, what, r.as_str()),
    };
    let item = capitalise(q.item.as_deref().unwrap_or_default());
    let done = match q.done.as_deref() {
        Some("saved") => format!("{item} saved."),
        Some("nothing-changed") => format!("Nothing changed: {item} is as it was."),
        _ => String::new(),
    };
    render(&HubPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Administration)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        council: data.council.name.clone(),
        done,
        lists: vec![
            (
                "Units",
                "Add a unit".into(),
                item_path(c, What::Unit, "new"),
                data.units
                    .iter()
                    .map(|u| row(What::Unit, &u.reference, format!("{} ({})", u.name, u.kind)))
                    .collect(),
            ),
            (
                "Officers",
                "Add an officer".into(),
                item_path(c, What::Officer, "new"),
                data.officers
                    .iter()
                    .map(|o| row(What::Officer, &o.reference, o.name.clone()))
                    .collect(),
            ),
            (
                "Priorities, areas of focus and themes",
                "Add a priority".into(),
                item_path(c, What::Frame, "new"),
                data.frames
                    .iter()
                    .map(|f| row(What::Frame, &f.reference, f.title.clone()))
                    .collect(),
            ),
        ],
    })
}
