//! Two plans side by side (a refresh with its original, or any two plans of the council), and
//! the form that refreshes a plan for the next year, through the same use cases as
//! `beacon diff plan` and `beacon refresh plan`.

use super::entry::FieldError;
use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use beacon_app::AppError;
use beacon_app::CouncilData;
use beacon_app::audit::Actor;
use beacon_app::plans::diff::{Change, KINDS, diff};
use beacon_app::plans::refresh::{RefreshRequest, next_first_year, refresh as refresh_plan};
use beacon_app::plans::versions::version_of;
use beacon_domain::plan::PlanDocument;
use serde::Deserialize;
use std::sync::Arc;

/// `?with=REF`: the plan to compare with, and `?done=refreshed` after a refresh; or
/// `?from=1&to=3`: two versions of this plan (`to` left out: the current one).
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    pub with: Option<String>,
    pub done: Option<String>,
    pub from: Option<u32>,
    pub to: Option<u32>,
}

/// One field of a changed item: its name and both sides.
pub struct FieldRow {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// One item added, removed or changed.
pub struct ItemRow {
    pub kind: String,
    pub reference: String,
    pub title: String,
    pub change: &'static str,
    /// `added`, `removed`, `changed`: the tag's modifier.
    pub class: &'static str,
    pub fields: Vec<FieldRow>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    chrome: Chrome,
    title: String,
    reference: String,
    /// The other plans to choose from: (ref, title, chosen).
    choices: Vec<(String, String, bool)>,
    action: String,
    /// Set once a plan is chosen.
    with_title: String,
    with_reference: String,
    summary: Summary,
    items: Vec<ItemRow>,
    refreshed: bool,
    /// The two sides as the comparison names them: a plan's ref, or `version 3`.
    from_label: String,
    to_label: String,
    /// The plan's kept versions: (version, chosen as from, chosen as to).
    versions: Vec<(u32, bool, bool)>,
}

fn find<'a>(data: &'a CouncilData, plan: &str) -> Result<&'a PlanDocument, WebError> {
    data.plan(plan).ok_or(WebError::NotFound)
}

fn crumbs(data: &CouncilData, p: &PlanDocument) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    vec![
        (data.council.name.clone(), paths::council(c)),
        (
            p.plan.title.clone(),
            paths::plan(c, p.plan.reference.as_str()),
        ),
    ]
}

/// Per kind of item: how many were added, removed and changed.
type Summary = Vec<(String, usize, usize, usize)>;

fn rows(from: &PlanDocument, to: &PlanDocument) -> (Summary, Vec<ItemRow>) {
    let d = diff(from, to);
    let summary = KINDS
        .iter()
        .map(|k| {
            (
                (*k).to_string(),
                d.count(k, Change::Added),
                d.count(k, Change::Removed),
                d.count(k, Change::Changed),
            )
        })
        .filter(|(_, a, r, c)| a + r + c > 0)
        .collect();
    let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let items = d
        .items
        .iter()
        .map(|i| ItemRow {
            kind: i.kind.to_string(),
            reference: i.reference.clone(),
            title: i.title.clone(),
            change: i.change.word(),
            class: match i.change {
                Change::Added => "green",
                Change::Removed => "red",
                Change::Changed => "yellow",
            },
            fields: i
                .fields
                .iter()
                .map(|f| FieldRow {
                    field: f.field.clone(),
                    from: side(&f.from),
                    to: side(&f.to),
                })
                .collect(),
        })
        .collect();
    (summary, items)
}

/// The plan to compare with when none is chosen: the one it refreshes, else the one that
/// refreshes it.
fn default_with(data: &CouncilData, p: &PlanDocument) -> Option<String> {
    p.plan
        .refreshes
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| {
            data.plans
                .iter()
                .find(|x| x.plan.refreshes.as_ref() == Some(&p.plan.reference))
                .map(|x| x.plan.reference.to_string())
        })
}

/// Two versions of one plan compared: the rows and the two sides' labels.
async fn version_rows<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    p: &PlanDocument,
    (from, to): (u32, u32),
) -> Result<(Summary, Vec<ItemRow>), WebError> {
    let r = &p.plan.reference;
    let old = version_of(&state.store, data, r, from).await?;
    let new = version_of(&state.store, data, r, to).await?;
    Ok(rows(&old, &new))
}

pub async fn page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan)): Path<(String, String)>,
    Query(q): Query<CompareQuery>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let p = find(&data, &plan)?;
    let c = data.council.reference.as_str();
    let kept = state
        .store
        .plan_versions(&data.council.reference, &p.plan.reference)
        .await?;
    let between = q.from.map(|f| (f, q.to.unwrap_or(p.plan.version)));
    if let Some(pair) = between {
        let (summary, items) = version_rows(&state, &data, p, pair).await?;
        let (from_label, to_label) = (format!("version {}", pair.0), format!("version {}", pair.1));
        return render(&ComparePage {
            chrome: Chrome::council(&data, latest_quarter(&data), Section::Plans)
                .with_crumbs(crumbs(&data, p)),
            title: p.plan.title.clone(),
            reference: p.plan.reference.to_string(),
            choices: plan_choices(&data, p, None),
            action: format!("{}/compare", paths::plan(c, p.plan.reference.as_str())),
            with_title: p.plan.title.clone(),
            with_reference: from_label.clone(),
            summary,
            items,
            refreshed: false,
            from_label,
            to_label,
            versions: kept
                .iter()
                .map(|v| (*v, *v == pair.0, *v == pair.1))
                .collect(),
        });
    }
    let with = q
        .with
        .filter(|w| !w.is_empty())
        .or_else(|| default_with(&data, p));
    let other = match &with {
        Some(w) => Some(find(&data, w)?),
        None => None,
    };
    let (summary, items) = other.map_or_else(|| (Vec::new(), Vec::new()), |o| rows(o, p));
    render(&ComparePage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Plans)
            .with_crumbs(crumbs(&data, p)),
        title: p.plan.title.clone(),
        reference: p.plan.reference.to_string(),
        choices: plan_choices(&data, p, with.as_deref()),
        action: format!("{}/compare", paths::plan(c, p.plan.reference.as_str())),
        with_title: other.map_or_else(String::new, |o| o.plan.title.clone()),
        with_reference: other.map_or_else(String::new, |o| o.plan.reference.to_string()),
        summary,
        items,
        refreshed: q.done.as_deref() == Some("refreshed"),
        from_label: other.map_or_else(String::new, |o| o.plan.reference.to_string()),
        to_label: p.plan.reference.to_string(),
        versions: kept
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i + 2 == kept.len(), i + 1 == kept.len()))
            .collect(),
    })
}

/// The other plans to compare with: (ref, title, chosen).
fn plan_choices(
    data: &CouncilData,
    p: &PlanDocument,
    with: Option<&str>,
) -> Vec<(String, String, bool)> {
    data.plans
        .iter()
        .filter(|x| x.plan.reference != p.plan.reference)
        .map(|x| {
            let r = x.plan.reference.to_string();
            let chosen = with == Some(r.as_str());
            (r, x.plan.title.clone(), chosen)
        })
        .collect()
}

/// The refresh form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct RefreshFields {
    #[serde(default)]
    pub new_ref: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Template)]
#[template(path = "refresh.html")]
struct RefreshPage {
    chrome: Chrome,
    title: String,
    reference: String,
    years: String,
    next_year: String,
    action: String,
    new_ref: String,
    new_title: String,
    errors: Vec<FieldError>,
}

impl RefreshPage {
    fn error(&self, field: &str) -> Option<&str> {
        FieldError::for_field(&self.errors, field)
    }
}

/// A ref for the refreshed plan: the old one with its years moved on, where it ends in them.
fn suggested_ref(p: &PlanDocument) -> String {
    let r = p.plan.reference.to_string();
    let (first, last) = (p.plan.years.first(), p.plan.years.last());
    let (Some(f2), Some(l2)) = (first.next(), last.next()) else {
        return String::new();
    };
    let years = |a: beacon_domain::period::FinancialYear,
                 b: beacon_domain::period::FinancialYear| {
        format!("{}-{:02}", a.start_year(), (b.start_year() + 1) % 100)
    };
    if let Some(stem) = r.strip_suffix(&years(first, last)) {
        return format!("{stem}{}", years(f2, l2));
    }
    format!("{r}-{}", f2.start_year())
}

fn refresh_page(
    data: &CouncilData,
    p: &PlanDocument,
    f: RefreshFields,
    errors: Vec<FieldError>,
) -> RefreshPage {
    let c = data.council.reference.as_str();
    RefreshPage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Plans)
            .with_crumbs(crumbs(data, p)),
        title: p.plan.title.clone(),
        reference: p.plan.reference.to_string(),
        years: p.plan.years.to_string(),
        next_year: next_first_year(p.plan.years).map_or_else(String::new, |y| y.to_string()),
        action: paths::refresh(c, p.plan.reference.as_str()),
        new_ref: f.new_ref,
        new_title: f.title,
        errors,
    }
}

pub async fn refresh_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let p = find(&data, &plan)?;
    let f = RefreshFields {
        new_ref: suggested_ref(p),
        title: p.plan.title.clone(),
    };
    render(&refresh_page(&data, p, f, Vec::new()))
}

pub async fn refresh<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, plan)): Path<(String, String)>,
    Form(f): Form<RefreshFields>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let p = find(&data, &plan)?;
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let new_ref = match f.new_ref.trim().parse::<beacon_domain::Ref>() {
        Ok(r) => r,
        Err(e) => {
            let errors = vec![FieldError {
                field: "new_ref".into(),
                message: format!("Enter the new plan's ref: {e}"),
            }];
            return refused(&data, p, f, errors);
        }
    };
    let title = Some(f.title.clone()).filter(|t| !t.trim().is_empty() && *t != p.plan.title);
    let by = Actor::new(who.username.clone(), (state.clock)())
        .because(format!("refreshed {} for the next year", p.plan.reference));
    let req = RefreshRequest {
        plan: p.plan.reference.clone(),
        new_ref: new_ref.clone(),
        title,
    };
    let checks = |a: &CouncilData, b: &CouncilData| beacon_interchange::check::new_findings(a, b);
    match refresh_plan(&state.store, who, &data, req, &by, &checks).await {
        Ok(_) => {
            let c = data.council.reference.as_str();
            let to = format!(
                "{}&done=refreshed",
                paths::compare(c, new_ref.as_str(), p.plan.reference.as_str())
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(m)) | Err(AppError::Refused(m)) => {
            let field = if m.contains("title") {
                "title"
            } else {
                "new_ref"
            };
            let errors = vec![FieldError {
                field: field.into(),
                message: m,
            }];
            refused(&data, p, f, errors)
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again with what was typed and the errors, as 422.
fn refused(
    data: &CouncilData,
    p: &PlanDocument,
    f: RefreshFields,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let page = render(&refresh_page(data, p, f, errors))?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
