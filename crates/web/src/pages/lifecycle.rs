//! The sign-off page of a unit's quarter: where it is in its life (open, submitted, signed
//! off, published), who moved it there and why, the steps the viewer may take, and the
//! published versions. Publishing freezes the monitoring report in every format.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::report::{FORMATS, build, render_format};
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::CouncilData;
use beacon_app::access::Principal;
use beacon_app::audit::{Actor, AuditNote};
use beacon_app::lifecycle::{QuarterState, QuarterStatus, Step, plan_step};
use beacon_app::publication::{Publication, PublicationMeta, PublishedFile, content_hash};
use beacon_app::{AppError, Governance};
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

/// The quarter's status as stored, or a fresh one.
pub(crate) async fn status_of<S: Governance>(
    store: &S,
    data: &CouncilData,
    unit: &Ref,
    quarter: Quarter,
) -> Result<QuarterStatus, WebError> {
    let statuses = store.quarter_statuses(&data.council.reference).await?;
    Ok(QuarterStatus::of(&statuses, unit, quarter))
}

fn item_key(unit: &Ref, quarter: Quarter) -> String {
    format!("quarter {unit} {quarter}")
}

async fn render_page<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    viewer: &Viewer,
    unit: &Ref,
    q: Quarter,
    refusal: Option<Refusal>,
) -> Result<Response, WebError> {
    let c = data.council.reference.as_str();
    let status = status_of(&state.store, data, unit, q).await?;
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
    let publications: Vec<PublicationMeta> = state
        .store
        .publications(&data.council.reference)
        .await?
        .into_iter()
        .filter(|p| &p.unit == unit && p.quarter == q)
        .collect();
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
    let history = super::history::of(&state.store, c, &[item_key(unit, q)]).await?;
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
    Ok((code, Html(page.render()?)).into_response())
}

type QuarterPath = Path<(String, String, u8, String)>;

fn place(
    data: &CouncilData,
    year: &str,
    quarter: u8,
    unit: &str,
) -> Result<(Ref, Quarter), WebError> {
    let q = paths::quarter(year, quarter).ok_or(WebError::NotFound)?;
    let unit: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
    if !data.units.iter().any(|u| u.reference == unit) {
        return Err(WebError::NotFound);
    }
    Ok((unit, q))
}

pub async fn page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, unit)): QuarterPath,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let (unit, q) = place(&data, &year, quarter, &unit)?;
    render_page(&state, &data, &viewer, &unit, q, None).await
}

#[derive(Deserialize)]
pub struct StepFields {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    reason: Option<String>,
}

async fn take<S: Backend>(
    state: Arc<AppState<S>>,
    viewer: Viewer,
    (council, year, quarter, unit): (String, String, u8, String),
    step: Step,
    f: StepFields,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let (unit, q) = place(&data, &year, quarter, &unit)?;
    let principal = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let mut by = Actor::new(principal.username.clone(), (state.clock)());
    if let Some(r) = f.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        by = by.because(r);
    }
    let current = status_of(&state.store, &data, &unit, q).await?;
    let published_before = state
        .store
        .publications(&data.council.reference)
        .await?
        .iter()
        .any(|p| p.unit == unit && p.quarter == q);
    let transition = match plan_step(
        principal,
        &data,
        &current,
        step,
        f.version,
        published_before,
        &by,
    ) {
        Ok(t) => t,
        Err(AppError::Forbidden(_)) => {
            return Err(WebError::Forbidden(
                "You do not have permission to do this. Ask your council's Beacon administrator if you need it.",
            ));
        }
        Err(AppError::Invalid(m)) => {
            let refusal = Refusal::Reason(step, m);
            return render_page(&state, &data, &viewer, &unit, q, Some(refusal)).await;
        }
        Err(AppError::Refused(m)) => {
            let refusal = Refusal::State(m);
            return render_page(&state, &data, &viewer, &unit, q, Some(refusal)).await;
        }
        Err(e) => return Err(e.into()),
    };
    let note = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(data.council.reference.to_string()),
        entity: format!("quarter {unit} {q}"),
        item: Some(item_key(&unit, q)),
        field: "state".into(),
        old: Some(current.state.label().to_string()),
        new: Some(transition.to.state.label().to_string()),
        reason: by.reason.clone(),
    };
    let publication = if step == Step::Publish {
        Some(freeze(&state, &data, &unit, q, &year, quarter, &by).await?)
    } else {
        None
    };
    let mut notes = vec![note];
    if let Some(p) = &publication {
        notes.push(AuditNote {
            entity: format!("publication {unit} {q} version {}", p.meta.version),
            field: "content_hash".into(),
            old: None,
            new: Some(p.meta.content_hash.clone()),
            ..notes[0].clone()
        });
    }
    match state
        .store
        .transition(&transition, publication.as_ref(), &notes)
        .await
    {
        Ok(()) => Ok(Redirect::to(&paths::sign_off(
            data.council.reference.as_str(),
            q,
            unit.as_str(),
        ))
        .into_response()),
        Err(beacon_app::StoreError::Refused(m)) => {
            render_page(&state, &data, &viewer, &unit, q, Some(Refusal::State(m))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The monitoring report of the unit's quarter in every format, and its open data.
async fn freeze<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    unit: &Ref,
    q: Quarter,
    year: &str,
    quarter: u8,
    by: &Actor,
) -> Result<Publication, WebError> {
    let report = build(data, year, quarter, unit.as_str())?;
    let mut files = Vec::new();
    for (ext, media_type, _) in FORMATS {
        files.push(PublishedFile {
            name: format!("report.{ext}"),
            media_type: (*media_type).to_string(),
            bytes: render_format(&report, ext)?,
        });
    }
    let mut open = beacon_interchange::sheets::open_data::open_data(data, q);
    let plans: Vec<String> = data
        .plans
        .iter()
        .filter(|p| beacon_app::access::ancestry(&data.units, &p.plan.unit).contains(&unit))
        .map(|p| p.plan.reference.to_string())
        .collect();
    open.rows.retain(|r| plans.contains(&r.plan));
    let internal = |e: beacon_interchange::sheets::SheetError| WebError::Internal(e.to_string());
    files.push(PublishedFile {
        name: "open-data.csv".into(),
        media_type: "text/csv; charset=utf-8".into(),
        bytes: beacon_interchange::sheets::open_data::to_csv(&open).map_err(internal)?,
    });
    files.push(PublishedFile {
        name: "open-data.json".into(),
        media_type: "application/json".into(),
        bytes: beacon_interchange::sheets::open_data::to_json(&open).map_err(internal)?,
    });
    let version = state
        .store
        .publications(&data.council.reference)
        .await?
        .iter()
        .filter(|p| &p.unit == unit && p.quarter == q)
        .map(|p| p.version)
        .max()
        .unwrap_or(0)
        + 1;
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    Ok(Publication {
        meta: PublicationMeta {
            council: data.council.reference.clone(),
            unit: unit.clone(),
            quarter: q,
            version,
            published_at: by.at,
            published_by: by.name.clone(),
            content_hash: content_hash(&files),
            note: by.reason.clone(),
            files: names,
            anchor: None,
        },
        files,
    })
}

macro_rules! step_handler {
    ($name:ident, $step:expr) => {
        pub async fn $name<S: Backend>(
            State(state): State<Arc<AppState<S>>>,
            Extension(viewer): Extension<Viewer>,
            Path(p): QuarterPath,
            Form(f): Form<StepFields>,
        ) -> Result<Response, WebError> {
            take(state, viewer, p, $step, f).await
        }
    };
}

step_handler!(submit, Step::Submit);
step_handler!(send_back, Step::SendBack);
step_handler!(sign_off, Step::SignOff);
step_handler!(reopen, Step::Reopen);
step_handler!(publish, Step::Publish);
