//! Reading a council's definitions: the council, its units, officers, strategic frames
//! (priorities, areas of focus, community-strategy themes), plans (with their versions),
//! objectives, milestones, indicators with targets, values and national position, risks,
//! equality actions and budget statements; lists filtered by plan, unit, period and kind and
//! paged by cursor. Each is the domain's own serialised form, as plan files and `beacon
//! export` write it.

use super::auth::Caller;
use super::json::{ApiResult, Cache, ListQuery, Problem, page, respond};
use crate::extract::CouncilPath;
use crate::{AppState, Backend};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::frame::FrameKind;
use beacon_domain::period::FinancialYear;
use beacon_domain::plan::PlanDocument;
use beacon_national::Described;
use serde::Serialize;
use std::sync::Arc;

/// An item of a plan, with the plan it belongs to.
#[derive(Serialize)]
pub(crate) struct InPlan<'a, T> {
    pub plan: &'a Ref,
    #[serde(flatten)]
    pub item: &'a T,
}

/// A financial year as a URL writes it, `2012-13`.
pub(crate) fn year(text: &str) -> Result<FinancialYear, Problem> {
    text.replace('-', "/").parse().map_err(|_| {
        Problem::bad(format!(
            "period {text:?} is not a financial year: write it as 2012-13"
        ))
    })
}

/// The plans a list's filters pick: by ref, owning unit and a year they cover.
fn chosen<'a>(data: &'a CouncilData, q: &ListQuery) -> Result<Vec<&'a PlanDocument>, Problem> {
    let period = q.period.as_deref().map(year).transpose()?;
    Ok(data
        .plans
        .iter()
        .filter(|p| {
            q.plan
                .as_deref()
                .is_none_or(|r| p.plan.reference.as_str() == r)
        })
        .filter(|p| q.unit.as_deref().is_none_or(|u| p.plan.unit.as_str() == u))
        .filter(|p| period.is_none_or(|y| p.plan.years.contains(y)))
        .collect())
}

fn key(parts: &[&str]) -> String {
    parts.join("\u{1f}")
}

/// The councils the token reaches (one).
pub async fn councils<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(caller.token.council.as_str()).await?;
    respond(&headers, &vec![&data.council], Cache::Private)
}

pub async fn council<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    respond(&headers, &data.council, Cache::Private)
}

pub async fn units<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let items = data
        .units
        .iter()
        .map(|u| (u.reference.to_string(), u))
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

/// The council's officers, by unit.
pub async fn officers<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let items = data
        .officers
        .iter()
        .filter(|o| {
            q.unit
                .as_deref()
                .is_none_or(|u| o.unit.as_ref().is_some_and(|r| r.as_str() == u))
        })
        .map(|o| (o.reference.to_string(), o))
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

/// The council's strategic frames (corporate priorities, areas of focus, community-strategy
/// themes…), by kind.
pub async fn frames<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let kind = q
        .kind
        .as_deref()
        .map(|k| {
            k.parse::<FrameKind>().map_err(|_| {
                Problem::bad(format!(
                    "kind {k:?} is not a kind of frame: write one of {}",
                    FrameKind::choices()
                ))
            })
        })
        .transpose()?;
    let items = data
        .frames
        .iter()
        .filter(|f| kind.is_none_or(|k| f.kind == k))
        .map(|f| (f.reference.to_string(), f))
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

pub async fn plans<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let items = chosen(&data, &q)?
        .into_iter()
        .map(|p| (p.plan.reference.to_string(), &p.plan))
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}

pub async fn plan<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Path(params): Path<Vec<(String, String)>>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let wanted = params
        .iter()
        .find(|(k, _)| k == "plan")
        .map_or("", |(_, v)| v.as_str());
    let plan = data.plan(wanted).ok_or(crate::error::WebError::NotFound)?;
    respond(&headers, plan, Cache::Private)
}

macro_rules! plan_items {
    ($name:ident, |$p:ident| $items:expr) => {
        pub async fn $name<S: Backend>(
            State(state): State<Arc<AppState<S>>>,
            CouncilPath(c): CouncilPath,
            Query(q): Query<ListQuery>,
            headers: HeaderMap,
        ) -> ApiResult {
            let data = state.council(c.as_str()).await?;
            let mut items = Vec::new();
            for $p in chosen(&data, &q)? {
                items.extend($items);
            }
            respond(&headers, &page(items, &q)?, Cache::Private)
        }
    };
}

plan_items!(objectives, |p| p.objectives.iter().map(move |o| (
    key(&[p.plan.reference.as_str(), o.reference.as_str()]),
    InPlan {
        plan: &p.plan.reference,
        item: o
    }
)));

/// A milestone with its plan and objective.
#[derive(Serialize)]
pub(crate) struct MilestoneItem<'a> {
    plan: &'a Ref,
    objective: &'a Ref,
    #[serde(flatten)]
    milestone: &'a beacon_domain::objective::Milestone,
}

plan_items!(milestones, |p| p.milestones().map(move |(o, m)| (
    key(&[p.plan.reference.as_str(), m.reference.as_str()]),
    MilestoneItem {
        plan: &p.plan.reference,
        objective: &o.reference,
        milestone: m
    }
)));

plan_items!(indicators, |p| p.indicators.iter().map(move |i| (
    key(&[p.plan.reference.as_str(), i.reference.as_str()]),
    InPlan {
        plan: &p.plan.reference,
        item: i
    }
)));

plan_items!(risks, |p| p.risks.iter().map(move |r| (
    key(&[p.plan.reference.as_str(), r.reference.as_str()]),
    InPlan {
        plan: &p.plan.reference,
        item: r
    }
)));

plan_items!(equality_actions, |p| p.equality_actions.iter().map(
    move |e| (
        key(&[p.plan.reference.as_str(), e.reference.as_str()]),
        InPlan {
            plan: &p.plan.reference,
            item: e
        }
    )
));

/// An indicator in one plan, with the values recorded for it quarter by quarter and the
/// council's national position on it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct IndicatorValues<'a> {
    pub plan: &'a Ref,
    pub indicator: &'a beacon_domain::indicator::Indicator,
    /// Values recorded in the council's quarters (the plan's own are in `indicator.values`).
    pub recorded: Vec<&'a beacon_domain::quarter::ValueEntry>,
    /// Where the council stands in England on it, as the indicator page says it; null when
    /// no national set is loaded, the council is not linked to it, or it has no such indicator.
    pub national: Option<NationalPosition>,
}

/// The council's national position on an indicator, in the words and figures of the
/// indicator page (`beacon_national::describe`).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NationalPosition {
    /// The national indicator's code, as the set holds it.
    pub indicator: String,
    pub name: String,
    /// The council as the register names it, with its code.
    pub council: String,
    /// "Higher is better" or "Lower is better".
    pub better: String,
    /// The latest period in which the council has a value.
    pub latest: Option<Described>,
    /// Every period the set holds for the indicator, oldest first.
    pub periods: Vec<Described>,
}

impl From<crate::pages::national::NationalView> for NationalPosition {
    fn from(v: crate::pages::national::NationalView) -> Self {
        NationalPosition {
            indicator: v.indicator,
            name: v.name,
            council: v.council,
            better: v.better.to_string(),
            latest: v.latest,
            periods: v.rows,
        }
    }
}

/// One indicator (by ref or any of its codes) in every plan that has it, with its targets
/// and values.
pub async fn indicator<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let code = params
        .iter()
        .find(|(k, _)| k == "indicator")
        .map_or("", |(_, v)| v.as_str());
    let mut found: Vec<IndicatorValues<'_>> = chosen(&data, &q)?
        .into_iter()
        .filter_map(|p| {
            let ind = p.indicator(code)?;
            let recorded = data
                .quarters
                .iter()
                .filter(|r| r.header.plan == p.plan.reference)
                .flat_map(|r| r.values.iter())
                .filter(|v| ind.answers_to(v.indicator.as_str()))
                .collect();
            Some(IndicatorValues {
                plan: &p.plan.reference,
                indicator: ind,
                recorded,
                national: None,
            })
        })
        .collect();
    for f in &mut found {
        f.national = crate::pages::national::for_indicator(
            state.national.as_ref(),
            c.as_str(),
            &data.council.name,
            f.indicator,
        )
        .await
        .map(NationalPosition::from);
    }
    if found.is_empty() {
        return Err(crate::error::WebError::NotFound.into());
    }
    respond(&headers, &found, Cache::Private)
}

pub async fn budget_statements<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(c): CouncilPath,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let data = state.council(c.as_str()).await?;
    let period = q.period.as_deref().map(year).transpose()?;
    let items = data
        .statements
        .iter()
        .filter(|s| q.unit.as_deref().is_none_or(|u| s.unit.as_str() == u))
        .filter(|s| period.is_none_or(|y| s.period.year == y))
        .map(|s| (s.reference.to_string(), s))
        .collect();
    respond(&headers, &page(items, &q)?, Cache::Private)
}
