//! The status use cases: every indicator, milestone, risk and budget statement of a council's
//! quarter with its computed status, direction of travel and reason, and any status set by
//! hand; and setting a status by hand, with its reason.

use crate::dataset::CouncilData;
use crate::error::AppError;
use crate::ports::{CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::budget::{Amounts, OutturnProjection, Statement, StatementKind};
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::money::{Pence, Scale};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{FinancialYear, Period, Quarter, QuarterNo};
use beacon_domain::plan::PlanDocument;
use beacon_domain::risk::{Band, RiskAssessment};
use beacon_domain::status::budget::{Reconciliation, projected_outturn, projection_for, reconcile};
use beacon_domain::status::indicator::{
    Basis, Forecast, ProgressInput, basis, forecast, progress, travel,
};
use beacon_domain::status::overrides::{ItemKind, Override};
use beacon_domain::status::risk::{Trend, residual_above_initial};
use beacon_domain::status::{Assessed, Progress, Settings, Travel, milestone};
use serde::Serialize;

/// Which quarter, and optionally which plan or unit.
#[derive(Debug, Clone)]
pub struct StatusQuery {
    pub quarter: Quarter,
    pub plan: Option<Ref>,
    pub unit: Option<Ref>,
}

/// A status set by hand, as listings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetByHand {
    pub by: String,
    #[serde(serialize_with = "rfc3339")]
    pub at: chrono::DateTime<chrono::Utc>,
    pub reason: String,
}

/// A time in listings as the files write it (RFC 3339).
fn rfc3339<S: serde::Serializer>(
    at: &chrono::DateTime<chrono::Utc>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&beacon_domain::status::overrides::time_text(*at))
}

/// An indicator's status for the quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorStatus {
    pub plan: Ref,
    pub reference: Ref,
    /// The codes as a report prints them ("NI075 SCS CYP03").
    pub codes: String,
    pub description: String,
    pub target: Option<Measure>,
    pub value: Option<(Period, Measure)>,
    pub last_year: Option<(Period, Measure)>,
    /// What the rules give.
    pub computed: Assessed<Progress>,
    /// What the report shows: the computed status, or the one set by hand.
    pub status: Progress,
    pub set_by_hand: Option<SetByHand>,
    pub travel: Assessed<Travel>,
}

/// A milestone's status for the quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneStatus {
    pub plan: Ref,
    pub objective: Ref,
    pub reference: Ref,
    pub text: String,
    pub due: String,
    pub computed: Assessed<Progress>,
    pub status: Progress,
    pub set_by_hand: Option<SetByHand>,
}

/// A risk with its bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskStatus {
    pub plan: Ref,
    /// The risk ref, or the objective ref for an objective's own assessment.
    pub reference: Ref,
    pub objective: Option<Ref>,
    pub description: String,
    pub initial: Option<Assessed<Band>>,
    pub residual: Option<Assessed<Band>>,
    /// The residual risk is above the initial one.
    pub residual_above_initial: bool,
    /// The risk's likelihood and impact this quarter, where the quarter's update records them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Assessed<Band>>,
}

/// A budget statement's variance, reconciliation and projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementStatus {
    pub reference: Ref,
    pub title: String,
    pub unit: Ref,
    pub kind: StatementKind,
    /// The scale its amounts are printed in (£, £'000, £m).
    pub scale: Scale,
    /// The statement's grand total (its first top-level group), if it has one.
    pub total: Option<(String, Amounts)>,
    /// Variance to date of that total: budget to date − spend; an overspend is negative.
    /// None for a kind without one (a budget book).
    pub variance: Option<Pence>,
    pub reconciliation: Assessed<Reconciliation>,
    /// How its outturn is projected (`none` for the kinds that are not projected).
    pub projection: OutturnProjection,
    /// The projected outturn, labelled by `projection` wherever it is printed.
    pub projected: Option<Assessed<Pence>>,
}

/// Everything of a quarter, with statuses and reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusReport {
    pub council: CouncilRef,
    pub quarter: Quarter,
    pub settings: Settings,
    pub indicators: Vec<IndicatorStatus>,
    pub milestones: Vec<MilestoneStatus>,
    pub risks: Vec<RiskStatus>,
    pub statements: Vec<StatementStatus>,
}

/// The council's status settings.
pub fn settings(data: &CouncilData) -> Settings {
    data.settings()
}

fn in_scope(p: &PlanDocument, q: &StatusQuery) -> bool {
    p.reaches(q.quarter.year)
        && q.plan.as_ref().is_none_or(|r| r == &p.plan.reference)
        && q.unit.as_ref().is_none_or(|u| u == &p.plan.unit)
}

/// An indicator's values as reported up to the end of `upto`: plan values for periods that have
/// ended by then, and values reported in the plan's quarterly records of that year; each with
/// the date it became known (the period's end, or the end of the quarter that reported it).
fn values_known<'a>(
    data: &'a CouncilData,
    plan: &'a PlanDocument,
    ind: &'a Indicator,
    upto: Quarter,
) -> Vec<(chrono::NaiveDate, Period, &'a Measure)> {
    let mut out: Vec<(chrono::NaiveDate, Period, &Measure)> = ind
        .values
        .iter()
        .filter(|(p, _)| p.last_day() <= upto.last_day())
        .map(|(p, m)| (p.last_day(), *p, m))
        .collect();
    for q in &data.quarters {
        let h = &q.header;
        if h.plan != plan.plan.reference || h.period > upto {
            continue;
        }
        for v in q
            .values
            .iter()
            .filter(|v| ind.answers_to(v.indicator.as_str()))
        {
            out.push((h.period.last_day(), v.period, &v.value));
        }
    }
    out.sort_by_key(|(d, p, _)| (*d, *p));
    out
}

fn set_by_hand<'a>(
    data: &'a CouncilData,
    plan: &Ref,
    kind: ItemKind,
    item: &Ref,
    quarter: Quarter,
) -> Option<&'a Override> {
    data.overrides
        .iter()
        .find(|o| &o.plan == plan && o.kind == kind && &o.item == item && o.quarter == quarter)
}

fn indicator_status(
    data: &CouncilData,
    plan: &PlanDocument,
    ind: &Indicator,
    q: Quarter,
    settings: &Settings,
) -> IndicatorStatus {
    assess(data, plan, ind, q, settings).0
}

/// An indicator at the end of a financial year: what the annual reports print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearEnd {
    /// The indicator judged at the year's last quarter, by the same rules as every quarter:
    /// `value` is the year-end value (the latest reported for the year by then), `status` its
    /// progress against the year's target, `travel` its direction against the previous year.
    pub status: IndicatorStatus,
    /// What the year ends at by the progress rule (`domain::status::indicator::forecast`), or
    /// why there is no figure.
    pub forecast: Result<Forecast, String>,
}

/// An indicator of a plan at the end of `year` (its fourth quarter), whether or not the plan's
/// years cover it: the plan's values and its quarterly records up to then. Pure: no IO.
pub fn year_end(
    data: &CouncilData,
    plan: &PlanDocument,
    ind: &Indicator,
    year: FinancialYear,
) -> YearEnd {
    let (status, forecast) = assess(
        data,
        plan,
        ind,
        year.quarter(QuarterNo::Q4),
        &settings(data),
    );
    YearEnd { status, forecast }
}

/// A plan's risk as assessed in each quarter of a year whose update records its likelihood
/// and impact (the last such update of the quarter), in quarter order.
pub fn risk_quarters(
    data: &CouncilData,
    plan: &Ref,
    risk: &Ref,
    year: FinancialYear,
) -> Vec<(Quarter, RiskAssessment)> {
    let mut out: Vec<(Quarter, RiskAssessment)> = data
        .quarters
        .iter()
        .filter(|r| &r.header.plan == plan && r.header.period.year == year)
        .filter_map(|r| {
            r.risk_updates
                .iter()
                .rev()
                .filter(|u| &u.risk == risk)
                .find_map(|u| u.assessment())
                .map(|a| (r.header.period, a))
        })
        .collect();
    out.sort_by_key(|(q, _)| *q);
    out.dedup_by_key(|(q, _)| *q);
    out
}

/// A plan's risk's trend across a year's quarters, scored and banded by the council's matrix:
/// "Q1 12 High → Q2 9 Medium, falling".
pub fn risk_trend(data: &CouncilData, plan: &Ref, risk: &Ref, year: FinancialYear) -> Trend {
    settings(data)
        .matrix
        .trend(&risk_quarters(data, plan, risk, year))
}

/// An indicator's status for a quarter, with the forecast its progress is judged on.
fn assess(
    data: &CouncilData,
    plan: &PlanDocument,
    ind: &Indicator,
    q: Quarter,
    settings: &Settings,
) -> (IndicatorStatus, Result<Forecast, String>) {
    let known = values_known(data, plan, ind, q);
    // The value for this year: reported during the year, describing this year or earlier.
    let this_year = known
        .iter()
        .rev()
        .find(|(d, _, _)| q.year.first_day() <= *d)
        .map(|(_, p, m)| (*p, *m));
    let target = ind.targets.get(&Period::FinancialYear(q.year));
    let how = this_year.map_or(Basis::Latest, |(p, _)| {
        basis(ind.accumulation, ind.reports_annual_results(), p, q)
    });
    let profile = this_year.and_then(|(p, _)| match p {
        Period::Quarter(pq) => ind.profile.get(&Period::Quarter(pq)),
        _ => None,
    });
    let input = ProgressInput {
        better: ind.better,
        unit: ind.measure,
        basis: how,
        target,
        profile_to_date: profile,
        value: this_year,
        tolerance_percent: ind.tolerance_percent,
    };
    let computed = progress(&input, settings);
    let forecast = forecast(&input, settings);
    // Last year: the same period a year earlier; else, for anything but a year-to-date count,
    // last year's outturn.
    let last_year = this_year.and_then(|(p, _)| {
        let earlier = p.a_year_earlier()?;
        let same = known
            .iter()
            .find(|(_, kp, _)| *kp == earlier)
            .map(|(_, kp, m)| (*kp, *m));
        let outturn = || {
            let prev = Period::FinancialYear(q.year.previous()?);
            known
                .iter()
                .find(|(_, kp, _)| *kp == prev)
                .map(|(_, kp, m)| (*kp, *m))
        };
        match how {
            Basis::Projected { .. } => same,
            _ => same.or_else(outturn),
        }
    });
    let travel = travel(ind.better, this_year, last_year, settings);
    let hand = set_by_hand(
        data,
        &plan.plan.reference,
        ItemKind::Indicator,
        &ind.reference,
        q,
    );
    let status = IndicatorStatus {
        plan: plan.plan.reference.clone(),
        reference: ind.reference.clone(),
        codes: ind.all_codes(),
        description: ind.description.clone(),
        target: target.cloned(),
        value: this_year.map(|(p, m)| (p, m.clone())),
        last_year: last_year.map(|(p, m)| (p, m.clone())),
        status: hand.map_or(computed.status, |o| o.chosen),
        set_by_hand: hand.map(|o| SetByHand {
            by: o.by.clone(),
            at: o.at,
            reason: o.reason.clone(),
        }),
        computed,
        travel,
    };
    (status, forecast)
}

/// The quarter's statuses, computed from the council's data. Pure: no IO.
pub fn status_report(data: &CouncilData, query: &StatusQuery) -> StatusReport {
    let settings = settings(data);
    let q = query.quarter;
    let plans: Vec<&PlanDocument> = data.plans.iter().filter(|p| in_scope(p, query)).collect();
    let mut indicators = Vec::new();
    let mut milestones = Vec::new();
    let mut risks = Vec::new();
    for plan in &plans {
        // In a year after the plan's own, only the milestones its dates reach.
        let own_year = plan.plan.years.contains(q.year);
        for ind in plan.indicators.iter().filter(|_| own_year) {
            indicators.push(indicator_status(data, plan, ind, q, &settings));
        }
        for (o, m) in plan
            .milestones()
            .filter(|(_, m)| m.judged_in(q.year, plan.plan.years))
        {
            let recorded = data
                .quarters
                .iter()
                .filter(|r| {
                    r.header.plan == plan.plan.reference
                        && r.header.period.year == q.year
                        && r.header.period <= q
                })
                .flat_map(|r| r.progress.iter().map(move |p| (r.header.period, p)))
                .filter(|(_, p)| p.milestone == m.reference)
                .max_by_key(|(period, _)| *period)
                .map(|(_, p)| (p.status, p.completed));
            let computed = milestone::assess(&m.due, recorded, q);
            let hand = set_by_hand(
                data,
                &plan.plan.reference,
                ItemKind::Milestone,
                &m.reference,
                q,
            );
            milestones.push(MilestoneStatus {
                plan: plan.plan.reference.clone(),
                objective: o.reference.clone(),
                reference: m.reference.clone(),
                text: m.text.clone(),
                due: m.due.describe(),
                status: hand.map_or(computed.status, |h| h.chosen),
                set_by_hand: hand.map(|h| SetByHand {
                    by: h.by.clone(),
                    at: h.at,
                    reason: h.reason.clone(),
                }),
                computed,
            });
        }
        let matrix = &settings.matrix;
        let current = |r: &Ref| {
            risk_quarters(data, &plan.plan.reference, r, q.year)
                .into_iter()
                .find(|(at, _)| *at == q)
                .and_then(|(_, a)| matrix.assess(&a))
        };
        for o in plan.objectives.iter().filter(|_| own_year) {
            if o.initial_risk.is_none() && o.residual_risk.is_none() {
                continue;
            }
            risks.push(RiskStatus {
                plan: plan.plan.reference.clone(),
                reference: o.reference.clone(),
                objective: Some(o.reference.clone()),
                description: format!("Risk to objective {}", o.reference),
                initial: o.initial_risk.as_ref().and_then(|a| matrix.assess(a)),
                residual: o.residual_risk.as_ref().and_then(|a| matrix.assess(a)),
                residual_above_initial: matches!((&o.initial_risk, &o.residual_risk), (Some(i), Some(r)) if residual_above_initial(matrix, i, r)),
                current: current(&o.reference),
            });
        }
        for r in plan.risks.iter().filter(|_| own_year) {
            risks.push(RiskStatus {
                plan: plan.plan.reference.clone(),
                reference: r.reference.clone(),
                objective: r.objective.clone(),
                description: r.description.clone(),
                initial: r.initial.as_ref().and_then(|a| matrix.assess(a)),
                residual: r.residual.as_ref().and_then(|a| matrix.assess(a)),
                residual_above_initial: matches!((&r.initial, &r.residual), (Some(i), Some(x)) if residual_above_initial(matrix, i, x)),
                current: current(&r.reference),
            });
        }
    }
    let statements = data
        .statements
        .iter()
        .filter(|s| s.period == q && query.unit.as_ref().is_none_or(|u| u == &s.unit))
        .map(|s| statement_status(s, q, &settings))
        .collect();
    StatusReport {
        council: data.council.reference.clone(),
        quarter: q,
        settings,
        indicators,
        milestones,
        risks,
        statements,
    }
}

/// A statement's grand total with what its kind computes from it: a variance for the kinds
/// that monitor spending, a projected outturn as the statement or the council says.
fn statement_status(s: &Statement, q: Quarter, settings: &Settings) -> StatementStatus {
    let totals = s.totals().unwrap_or_default();
    let root = s.children(None).next();
    let total = root
        .and_then(|g| totals.iter().find(|t| t.key == g.key))
        .map(|t| (t.label.clone(), t.computed));
    let projection = projection_for(s, settings.projection);
    StatementStatus {
        reference: s.reference.clone(),
        title: s.title.clone(),
        unit: s.unit.clone(),
        kind: s.kind,
        scale: s.scale,
        variance: total.as_ref().and_then(|(_, a)| s.kind.variance(a)),
        projection,
        projected: total
            .as_ref()
            .and_then(|(_, a)| projected_outturn(a, q, projection)),
        reconciliation: reconcile(s),
        total,
    }
}

/// Reads the council and computes its quarter's statuses.
pub async fn quarter_status<S: Store>(
    store: &S,
    council: &CouncilRef,
    query: &StatusQuery,
) -> Result<StatusReport, AppError> {
    let data = store
        .council_data(council)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no council {council} in the database")))?;
    if let Some(p) = &query.plan
        && data.plan(p.as_str()).is_none()
    {
        return Err(AppError::NotFound(format!(
            "no plan {p} in council {council}"
        )));
    }
    Ok(status_report(&data, query))
}

/// What a person asks for when setting a status by hand.
#[derive(Debug, Clone)]
pub struct OverrideRequest {
    pub plan: Ref,
    pub kind: ItemKind,
    pub item: Ref,
    pub quarter: Quarter,
    pub chosen: Progress,
    pub reason: String,
    pub by: String,
    /// The time, from the caller's clock.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Sets a status by hand, keeping the computed one beside it. Refused without a reason.
pub async fn set_status<S: Store>(
    store: &S,
    council: &CouncilRef,
    req: OverrideRequest,
) -> Result<Override, AppError> {
    let data = store
        .council_data(council)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no council {council} in the database")))?;
    let o = override_for(&data, req)?;
    let by = crate::audit::Actor::new(o.by.clone(), o.at).because(o.reason.clone());
    let changes = CouncilChanges {
        overrides: vec![o.clone()],
        ..CouncilChanges::council_only(&data.council)
    };
    crate::commit::write(store, Some(&data), changes, &by, None).await?;
    Ok(o)
}

/// The status set by hand that `req` asks for, checked (the plan covers the quarter, the item
/// is in it, a reason that says something, who and when), with the status the rules give from
/// `data`. The one rule for every way of setting a status by hand: `beacon set-status` and
/// recording a quarter.
pub fn override_for(data: &CouncilData, req: OverrideRequest) -> Result<Override, AppError> {
    let council = &data.council.reference;
    let query = StatusQuery {
        quarter: req.quarter,
        plan: Some(req.plan.clone()),
        unit: None,
    };
    let plan = data
        .plan(req.plan.as_str())
        .ok_or_else(|| AppError::NotFound(format!("no plan {} in council {council}", req.plan)))?;
    if !plan.reaches(req.quarter.year) {
        return Err(AppError::Invalid(format!(
            "{} is outside plan {}'s years {}",
            req.quarter, req.plan, plan.plan.years
        )));
    }
    let report = status_report(data, &query);
    let (item, computed) = match req.kind {
        ItemKind::Indicator => {
            let ind = plan.indicator(req.item.as_str()).ok_or_else(|| {
                AppError::NotFound(format!("no indicator {} in plan {}", req.item, req.plan))
            })?;
            let s = report
                .indicators
                .iter()
                .find(|s| s.reference == ind.reference);
            (ind.reference.clone(), s.map(|s| s.computed.status))
        }
        ItemKind::Milestone => {
            let s = report
                .milestones
                .iter()
                .find(|s| s.reference == req.item)
                .ok_or_else(|| {
                    AppError::NotFound(format!(
                        "no milestone {} of {} in plan {}",
                        req.item, req.quarter.year, req.plan
                    ))
                })?;
            (s.reference.clone(), Some(s.computed.status))
        }
    };
    let o = Override {
        plan: req.plan,
        kind: req.kind,
        item,
        quarter: req.quarter,
        computed: computed.unwrap_or(Progress::NotAssessed),
        chosen: req.chosen,
        reason: req.reason.trim().to_string(),
        by: req.by,
        at: req.at,
    };
    o.check().map_err(AppError::Invalid)?;
    Ok(o)
}
