//! Writing through the same use cases as the pages: a unit's quarter's entries
//! (`app::recording`, the same rules and problems as the entry form, each naming its item and
//! field), a status set by hand (the same use case, one item), and the steps of a quarter's
//! life (`app::steps`). Every write carries the version read (`If-Match`) and is audited with
//! the token's owner as the actor.

use super::auth::Caller;
use super::body::{if_match, json, still};
use super::json::{ApiError, ApiResult, Problem};
use crate::extract::UnitQuarterPath;
use crate::{AppState, Backend};
use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use beacon_app::access::Action;
use beacon_app::audit::Actor;
use beacon_app::lifecycle::{QuarterStatus, Step};
use beacon_app::publication::PublicationMeta;
use beacon_app::recording::{
    self, Author, Entry, EqualityInput, Field, IndicatorInput, MilestoneInput, NarrativeInput,
    Problem as EntryProblem, Refusal, RiskInput, Seen, Spot,
};
use beacon_app::steps::StepRequest;
use beacon_app::{AppError, CouncilData};
use serde::{Deserialize, Serialize};
use serde_json::json as value;
use std::sync::Arc;

/// A unit's quarter's entries, as `POST …/entries` takes them.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Entry)]
pub(crate) struct EntryBody {
    /// The plan, when the unit reports on more than one.
    pub plan: Option<String>,
    /// The officer's initials, when a performance officer enters on their behalf.
    pub on_behalf_of: Option<String>,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
    #[serde(default)]
    pub milestones: Vec<MilestoneInput>,
    #[serde(default)]
    pub narratives: Vec<NarrativeInput>,
    /// Risk updates: progress on the treatment, likelihood and impact this quarter.
    #[serde(default)]
    pub risks: Vec<RiskInput>,
    /// Equality action progress updates.
    #[serde(default)]
    pub equalities: Vec<EqualityInput>,
}

/// The unit's quarter as it stands, after checking the unit is the council's.
async fn standing<S: Backend>(
    state: &AppState<S>,
    place: &UnitQuarterPath,
) -> Result<(Arc<CouncilData>, Vec<QuarterStatus>), ApiError> {
    let data = state.council(place.council.as_str()).await?;
    if !data.units.iter().any(|u| u.reference == place.unit) {
        return Err(crate::error::WebError::NotFound.into());
    }
    let statuses = state
        .store
        .quarter_statuses(&data.council.reference)
        .await?;
    Ok((data, statuses))
}

fn field_name(spot: Spot, field: Field) -> &'static str {
    match (spot, field) {
        (Spot::Entry, Field::Version) => "If-Match",
        (Spot::Entry, _) => "on_behalf_of",
        (Spot::Indicator(_), Field::Item) => "indicator",
        (Spot::Milestone(_), Field::Item) => "milestone",
        (Spot::Risk(_), Field::Item) => "risk",
        (Spot::Equality(_), Field::Item) => "action",
        (Spot::Risk(_) | Spot::Equality(_), Field::Text) => "progress",
        (_, Field::Item) => "kind",
        (_, Field::Value) => "value",
        (_, Field::Words) => "words",
        (_, Field::Qualifier) => "qualifier",
        (_, Field::Period) => "period",
        (_, Field::Commentary) => "commentary",
        (_, Field::Progress) => "progress",
        (_, Field::Completed) => "completed",
        (_, Field::Status) => "status",
        (_, Field::Reason) => "reason",
        (_, Field::Title) => "title",
        (_, Field::Text) => "text",
        (_, Field::Officer) => "officer",
        (_, Field::Version) => "If-Match",
        (_, Field::Likelihood) => "likelihood",
        (_, Field::Impact) => "impact",
    }
}

/// Each problem with the item it names (as sent), its field and a JSON pointer into the body.
fn problems(body: &EntryBody, ps: &[EntryProblem]) -> Problem {
    let errors: Vec<serde_json::Value> = ps
        .iter()
        .map(|p| {
            let field = field_name(p.spot, p.field);
            let (pointer, item) = match p.spot {
                Spot::Entry => (format!("/{field}"), None),
                Spot::Indicator(n) => (
                    format!("/indicators/{n}/{field}"),
                    body.indicators.get(n).map(|i| i.indicator.clone()),
                ),
                Spot::Milestone(n) => (
                    format!("/milestones/{n}/{field}"),
                    body.milestones.get(n).map(|m| m.milestone.clone()),
                ),
                Spot::Narrative(n) => (format!("/narratives/{n}/{field}"), None),
                Spot::Risk(n) => (
                    format!("/risks/{n}/{field}"),
                    body.risks.get(n).map(|r| r.risk.clone()),
                ),
                Spot::Equality(n) => (
                    format!("/equalities/{n}/{field}"),
                    body.equalities.get(n).map(|a| a.action.clone()),
                ),
            };
            value!({"item": item, "field": field, "pointer": pointer, "message": p.message})
        })
        .collect();
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Nothing was saved: put right every problem in errors and send the entry again.",
    )
    .with("errors", serde_json::Value::Array(errors))
}

fn entry_of(place: &UnitQuarterPath, body: &EntryBody, author: Author, read: i64) -> Entry {
    Entry {
        unit: place.unit.clone(),
        quarter: place.quarter,
        plan: body.plan.as_deref().and_then(|p| p.parse().ok()),
        seen: Seen::Form(Some(read.to_string())),
        author,
        indicators: body.indicators.clone(),
        milestones: body.milestones.clone(),
        narratives: body.narratives.clone(),
        risks: body.risks.clone(),
        equalities: body.equalities.clone(),
    }
}

/// What an entry (or a status by hand) changed, and where the quarter now stands.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Recorded {
    /// Each change, in the words of the audit trail; empty when the entry changed nothing.
    pub changes: Vec<String>,
    pub status: QuarterStatus,
}

/// Where the quarter stands after a step, and the version it published (publishing only).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Stepped {
    pub status: QuarterStatus,
    pub publication: Option<PublicationMeta>,
}

/// Records the entry through `app::recording`, as the entry form does.
async fn record<S: Backend>(
    state: &AppState<S>,
    caller: &Caller,
    place: &UnitQuarterPath,
    read: i64,
    body: &EntryBody,
) -> ApiResult {
    let (data, statuses) = standing(state, place).await?;
    still(
        read,
        QuarterStatus::of(&statuses, &place.unit, place.quarter).version,
    )?;
    let p = &caller.principal;
    let author = Author {
        user: p.username.clone(),
        display_name: p.display_name.clone(),
        may_enter_for_others: p.may_on_unit(&data, &place.unit, Action::Manage),
        on_behalf_of: body.on_behalf_of.clone(),
        at: (state.clock)(),
    };
    let entry = entry_of(place, body, author, read);
    match recording::record(&state.store, &data, &statuses, &entry).await {
        Ok(done) => {
            let now = state
                .store
                .quarter_statuses(&data.council.reference)
                .await?;
            let status = QuarterStatus::of(&now, &place.unit, place.quarter);
            let version = status.version;
            super::json::written(
                &Recorded {
                    changes: done.changes,
                    status,
                },
                version,
            )
        }
        Err(Refusal::Problems(ps)) => Err(problems(body, &ps).into()),
        Err(Refusal::Refused(m)) => Err(Problem::new(StatusCode::CONFLICT, m).into()),
        Err(Refusal::Failed(e)) => Err(e.into()),
    }
}

pub async fn entries<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(caller): Extension<Caller>,
    place: UnitQuarterPath,
    req: Request,
) -> ApiResult {
    let (parts, raw) = req.into_parts();
    let read = if_match(&parts.headers)?;
    let body: EntryBody = json(&parts.headers, raw).await?;
    record(&state, &caller, &place, read, &body).await
}

/// A status set by hand, as `PUT …/statuses/{kind}/{item}` takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = StatusByHand)]
pub(crate) struct StatusBody {
    pub status: String,
    #[serde(default)]
    pub reason: String,
    pub plan: Option<String>,
}

pub async fn status<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(caller): Extension<Caller>,
    place: UnitQuarterPath,
    Path(params): Path<Vec<(String, String)>>,
    req: Request,
) -> ApiResult {
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let (parts, raw) = req.into_parts();
    let read = if_match(&parts.headers)?;
    let b: StatusBody = json(&parts.headers, raw).await?;
    let mut body = EntryBody {
        plan: b.plan,
        ..EntryBody::default()
    };
    match get("kind").as_str() {
        "indicators" => body.indicators.push(IndicatorInput {
            indicator: get("item"),
            status: Some(b.status),
            reason: Some(b.reason),
            ..IndicatorInput::default()
        }),
        "milestones" => body.milestones.push(MilestoneInput {
            milestone: get("item"),
            status: Some(b.status),
            reason: Some(b.reason),
            ..MilestoneInput::default()
        }),
        _ => return Err(crate::error::WebError::NotFound.into()),
    }
    record(&state, &caller, &place, read, &body).await
}

/// What a step may carry.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Step)]
pub(crate) struct StepBody {
    /// Why (sending back, reopening, publishing again).
    pub reason: Option<String>,
}

/// Takes a step through `app::steps`, as the sign-off page does.
async fn take<S: Backend>(
    state: Arc<AppState<S>>,
    caller: Caller,
    place: UnitQuarterPath,
    step: Step,
    req: Request,
) -> ApiResult {
    let (parts, raw) = req.into_parts();
    let read = if_match(&parts.headers)?;
    let body: StepBody = json(&parts.headers, raw).await?;
    let (data, statuses) = standing(&state, &place).await?;
    still(
        read,
        QuarterStatus::of(&statuses, &place.unit, place.quarter).version,
    )?;
    let mut by = Actor::new(caller.principal.username.clone(), (state.clock)());
    if let Some(r) = body.reason {
        by = by.because(r);
    }
    let request = StepRequest {
        unit: place.unit.clone(),
        quarter: place.quarter,
        step,
        seen_version: Some(read),
    };
    match crate::benchmark::take_step(
        &state.store,
        state.national.as_ref(),
        &crate::paths::PageLinks::new(state.public_origin.as_deref()),
        &caller.principal,
        &data,
        &request,
        &by,
    )
    .await
    .map(|s| s.taken)
    {
        Ok(taken) => {
            let version = taken.status.version;
            super::json::written(
                &Stepped {
                    status: taken.status,
                    publication: taken.publication,
                },
                version,
            )
        }
        Err(AppError::Invalid(m)) => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was changed: put right the problem in errors and try again.",
        )
        .with(
            "errors",
            value!([{"item": null, "field": "reason", "pointer": "/reason", "message": m}]),
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

macro_rules! step_handler {
    ($name:ident, $step:expr) => {
        pub async fn $name<S: Backend>(
            State(state): State<Arc<AppState<S>>>,
            Extension(caller): Extension<Caller>,
            place: UnitQuarterPath,
            req: Request,
        ) -> ApiResult {
            take(state, caller, place, $step, req).await
        }
    };
}

step_handler!(submit, Step::Submit);
step_handler!(send_back, Step::SendBack);
step_handler!(sign_off, Step::SignOff);
step_handler!(reopen, Step::Reopen);
step_handler!(publish, Step::Publish);
