//! The sign-off page of a unit's quarter: where it is in its life (open, submitted, signed
//! off, published), who moved it there and why, the steps the viewer may take, and the
//! published versions. Publishing freezes the monitoring report in every format.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::extract::UnitQuarterPath;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::access::Principal;
use beacon_app::audit::Actor;
use beacon_app::keys;
use beacon_app::lifecycle::{QuarterState, QuarterStatus, Step};
use beacon_app::steps::{Standing, StepRequest, standing};
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use serde::Deserialize;
use std::sync::Arc;

/// A step the viewer may take, as a form.
pub struct StepForm {
    pub action: String,
    pub label: &'static str,
    pub reason_label: Option<&'static str>,
    pub warning: bool,
    /// What is wrong with the reason given with this step, if it was refused for it.
    pub reason_error: Option<String>,
}

/// Why a step was refused: the quarter's state (shown above the page), or the reason given
/// with one step (shown at that step's reason field, and linked from the summary).
pub enum Refusal {
    State(String),
    Reason(Step, String),
}

/// A published version, as listed.
pub struct Version {
    pub number: i64,
    pub at: String,
    pub by: String,
    pub hash: String,
    pub note: Option<String>,
    pub href: String,
    /// The audit trail's last row when published.
    pub anchor: Option<String>,
}

#[derive(Template)]
#[template(path = "lifecycle.html")]
struct LifecyclePage {
    chrome: Chrome,
    unit_name: String,
    heading: String,
    state: QuarterState,
    status: QuarterStatus,
    changed_at: String,
    steps: Vec<StepForm>,
    versions: Vec<Version>,
    history: Vec<super::history::HistoryRow>,
    entry_href: String,
    report_href: String,
    error: Option<String>,
    /// The reason field the error concerns, for the summary's link.
    error_field: Option<String>,
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%-d %B %Y at %H:%M UTC").to_string()
}

async fn render_page<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    viewer: &Viewer,
    unit: &Ref,
    q: Quarter,
    refusal: Option<Refusal>,
) -> Result<Response, WebError> {
    let (code, html) = page_html(state, data, viewer, unit, q, refusal).await?;
    Ok((code, Html(html)).into_response())
}

/// The page's status code and HTML. Besides the council's data it shows the quarter's
/// state, publications and history (each moves the council's revision on when it changes)
/// and the steps the viewer may take.
async fn page_html<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    viewer: &Viewer,
    unit: &Ref,
    q: Quarter,
    refusal: Option<Refusal>,
) -> Result<(axum::http::StatusCode, String), WebError> {
    let c = data.council.reference.as_str();
    let Standing {
        status,
        publications,
    } = standing(&state.store, data, unit, q).await?;
    let unit_name = data
        .units
        .iter()
        .find(|u| &u.reference == unit)
        .map_or_else(|| unit.to_string(), |u| u.name.clone());
    let base = paths::sign_off(c, q, unit.as_str());
    let may = |step: Step| {
        viewer
            .principal()
            .is_some_and(|p: &Principal| p.may_on_unit(data, unit, step.needs()))
    };
    let published_before = !publications.is_empty();
    let steps: Vec<StepForm> = Step::from_state(status.state)
        .into_iter()
        .filter(|s| may(*s))
        .map(|s| StepForm {
            reason_error: match &refusal {
                Some(Refusal::Reason(step, m)) if *step == s => Some(m.clone()),
                _ => None,
            },
            action: format!("{base}/{}", s.as_str()),
            label: s.label(),
            reason_label: s.needs_reason(published_before).then_some(match s {
                Step::Publish => "What changed since the last publication",
                Step::SendBack => "Why it is being sent back",
                _ => "Why it is being reopened",
            }),
            warning: matches!(s, Step::SendBack | Step::Reopen),
        })
        .collect();
    let versions = publications
        .into_iter()
        .map(|p| Version {
            number: p.version,
            at: when(p.published_at),
            by: p.published_by.clone(),
            hash: p.content_hash.clone(),
            note: p.note.clone(),
            anchor: p.anchor.as_ref().map(ToString::to_string),
            href: paths::published_file(c, unit.as_str(), q, p.version, "report.html"),
        })
        .collect();
    let history = super::history::of(&state.store, c, &[keys::quarter(unit, q)]).await?;
    let error_field = steps
        .iter()
        .position(|s| s.reason_error.is_some())
        .map(|i| format!("reason-{}", i + 1));
    let error = match refusal {
        Some(Refusal::State(m) | Refusal::Reason(_, m)) => Some(m),
        None => None,
    };
    // A refused reason is the form's to mend (422); a refused state is a conflict (409).
    let code = match (&error, &error_field) {
        (None, _) => axum::http::StatusCode::OK,
        (Some(_), Some(_)) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        (Some(_), None) => axum::http::StatusCode::CONFLICT,
    };
    let page = LifecyclePage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Quarter).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, Some(unit.as_str())),
            ),
        ]),
        heading: format!("Sign-off: Quarter {} {}", q.q.number(), q.year),
        unit_name,
        state: status.state,
        changed_at: if status.version == 0 {
            String::new()
        } else {
            when(status.changed_at)
        },
        status,
        steps,
        versions,
        history,
        entry_href: paths::entry(c, q, unit.as_str()),
        report_href: paths::report(c, q, unit.as_str()),
        error,
        error_field,
    };
    Ok((code, page.render()?))
}

/// The council's data and the unit's quarter the path names; "Page not found" if the council
/// has no such unit.
async fn place<S: Backend>(
    state: &AppState<S>,
    path: UnitQuarterPath,
) -> Result<(Arc<CouncilData>, Ref, Quarter), WebError> {
    let data = state.council(path.council.as_str()).await?;
    if !data.units.iter().any(|u| u.reference == path.unit) {
        return Err(WebError::NotFound);
    }
    Ok((data, path.unit, path.quarter))
}

pub async fn page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    path: UnitQuarterPath,
) -> Result<Response, WebError> {
    let (revision, data) = state.council_at(path.council.as_str()).await?;
    if !data.units.iter().any(|u| u.reference == path.unit) {
        return Err(WebError::NotFound);
    }
    let (unit, q) = (path.unit, path.quarter);
    // Kept per revision and per the steps the viewer may take: viewers who may take the same
    // steps see the same page (the form token and account bar are filled in on the way out).
    let may: String = Step::ALL
        .iter()
        .map(|s| {
            let allowed = viewer
                .principal()
                .is_some_and(|p| p.may_on_unit(&data, &unit, s.needs()));
            if allowed { '1' } else { '0' }
        })
        .collect();
    let key = format!(
        "{}#steps-{may}",
        paths::sign_off(data.council.reference.as_str(), q, unit.as_str())
    );
    let st = &state;
    let html = state
        .page_of((revision, Arc::clone(&data)), key, |data| async move {
            Ok(page_html(st, &data, &viewer, &unit, q, None).await?.1)
        })
        .await?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct StepFields {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    reason: Option<String>,
}

/// Takes the step through the use case, and shows the page again with the reason it was
/// refused, if it was.
async fn take<S: Backend>(
    state: Arc<AppState<S>>,
    viewer: Viewer,
    path: UnitQuarterPath,
    step: Step,
    f: StepFields,
) -> Result<Response, WebError> {
    let (data, unit, q) = place(&state, path).await?;
    let principal = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let mut by = Actor::new(principal.username.clone(), (state.clock)());
    if let Some(r) = f.reason {
        by = by.because(r);
    }
    let request = StepRequest {
        unit: unit.clone(),
        quarter: q,
        step,
        seen_version: Some(f.version),
    };
    let refusal = match crate::benchmark::take_step(
        &state.store,
        state.national.as_ref(),
        &paths::PageLinks::new(state.public_origin.as_deref()),
        principal,
        &data,
        &request,
        &by,
    )
    .await
    {
        Ok(_) => {
            let to = paths::sign_off(data.council.reference.as_str(), q, unit.as_str());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(AppError::Forbidden(_)) => {
            return Err(WebError::Forbidden(
                "You do not have permission to do this. Ask your council's Beacon administrator if you need it.",
            ));
        }
        Err(AppError::Invalid(m)) => Refusal::Reason(step, m),
        Err(AppError::Refused(m)) => Refusal::State(m),
        Err(e) => return Err(e.into()),
    };
    render_page(&state, &data, &viewer, &unit, q, Some(refusal)).await
}

macro_rules! step_handler {
    ($name:ident, $step:expr) => {
        pub async fn $name<S: Backend>(
            State(state): State<Arc<AppState<S>>>,
            Extension(viewer): Extension<Viewer>,
            path: UnitQuarterPath,
            Form(f): Form<StepFields>,
        ) -> Result<Response, WebError> {
            take(state, viewer, path, $step, f).await
        }
    };
}

step_handler!(submit, Step::Submit);
step_handler!(send_back, Step::SendBack);
step_handler!(sign_off, Step::SignOff);
step_handler!(reopen, Step::Reopen);
step_handler!(publish, Step::Publish);
