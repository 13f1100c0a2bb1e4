//! The plan browser: a plan's objectives with their milestones and indicators, an objective's
//! page, an indicator's page (definition, targets, values, status and direction of travel with
//! their reasons, commentary history, comparators and a chart), and the risk register.

use super::history::{self, HistoryRow};
use super::render;
use crate::chart::{Chart, layout};
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, StatusView, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use beacon_app::status::{StatusQuery, StatusReport, status_report};
use beacon_app::{CouncilData, Store};
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::period::Period;
use beacon_domain::plan::PlanDocument;
use beacon_domain::risk::RiskAssessment;
use beacon_domain::status::risk::Matrix;
use std::collections::BTreeMap;
use std::sync::Arc;

fn find_plan<'a>(data: &'a CouncilData, plan: &str) -> Result<&'a PlanDocument, WebError> {
    data.plan(plan).ok_or(WebError::NotFound)
}

fn frame_title(data: &CouncilData, r: &str) -> String {
    data.frames
        .iter()
        .find(|f| f.reference.as_str() == r)
        .map_or_else(
            || r.to_string(),
            |f| format!("{} ({})", f.title, f.reference),
        )
}

fn unit_name(data: &CouncilData, r: &str) -> String {
    data.units
        .iter()
        .find(|u| u.reference.as_str() == r)
        .map_or_else(|| r.to_string(), |u| u.name.clone())
}

fn crumbs(data: &CouncilData, plan: &PlanDocument) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    vec![
        (data.council.name.clone(), paths::council(c)),
        (
            plan.plan.title.clone(),
            paths::plan(c, plan.plan.reference.as_str()),
        ),
    ]
}

fn assessment(matrix: &Matrix, a: &Option<RiskAssessment>) -> String {
    a.as_ref().and_then(|a| matrix.assess(a)).map_or_else(
        || "Not recorded".into(),
        |x| format!("{} ({})", x.status, x.reason),
    )
}

/// A milestone as listed.
pub struct MilestoneItem {
    pub reference: String,
    pub year: String,
    pub text: String,
    pub due: String,
    pub officer: String,
    /// "Carried from 2012/13" for a milestone a refresh carried, not complete.
    pub carried: String,
}

/// An objective as the plan browser lists it.
pub struct ObjectiveItem {
    pub reference: String,
    pub statement: String,
    pub unit: String,
    pub href: String,
    pub milestones: usize,
    pub links: Vec<String>,
}

/// An indicator as the plan browser lists it.
pub struct IndicatorItem {
    pub codes: String,
    pub description: String,
    pub href: String,
    pub targets: Vec<String>,
}

/// A table of indicators.
pub struct IndicatorGroup {
    pub title: String,
    pub indicators: Vec<IndicatorItem>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct Browser {
    chrome: Chrome,
    title: String,
    reference: String,
    years: String,
    owner: String,
    status: String,
    source: String,
    year_heads: Vec<String>,
    objectives: Vec<ObjectiveItem>,
    groups: Vec<IndicatorGroup>,
    risks_href: String,
    /// Two plans side by side.
    compare_href: String,
    /// The refresh form and the year it starts, for those who may manage the council's plans.
    refresh: Option<(String, String)>,
    /// The plan's edit page, for the same people.
    edit: Option<String>,
    /// Its versions from the audit trail: (version, what happened, who, when, why).
    versions: Vec<VersionRow>,
    /// The plan this one refreshes: (title, link).
    refreshes: Option<(String, String)>,
    sections: Vec<(String, Vec<String>)>,
    /// The plan's lists as spreadsheets: (label, XLSX link, CSV link).
    tables: Vec<(&'static str, String, String)>,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A version as the plan page lists it: (version, what happened, who, when, why, and the link
/// comparing it with the version before, where both are kept).
type VersionRow = (u32, &'static str, String, String, String, String);

/// A plan's versions and who approved each, from its audit trail, as the plan page lists
/// them, each change linked to its comparison with the version before.
async fn versions_of<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    p: &PlanDocument,
) -> Result<Vec<VersionRow>, WebError> {
    let item = format!("plan {}", p.plan.reference);
    let entries = state
        .store
        .audit_of_item(&data.council.reference, &item)
        .await?;
    let kept = state
        .store
        .plan_versions(&data.council.reference, &p.plan.reference)
        .await?;
    let c = data.council.reference.as_str();
    let compare = |v: u32| {
        let before = v.checked_sub(1).filter(|b| kept.contains(b));
        match before {
            Some(b) if kept.contains(&v) || v == p.plan.version => format!(
                "{}/compare?from={b}&to={v}",
                paths::plan(c, p.plan.reference.as_str())
            ),
            _ => String::new(),
        }
    };
    Ok(beacon_app::plans::edit::versions(&entries)
        .into_iter()
        .map(|v| {
            (
                v.version,
                v.event,
                v.by,
                v.at.format("%-d %B %Y").to_string(),
                v.reason.unwrap_or_default(),
                if v.event == "changed" {
                    compare(v.version)
                } else {
                    String::new()
                },
            )
        })
        .collect())
}

/// A plan's page, kept per revision of the council's data (every change to the plan, and so to
/// its versions, moves it on) and per whether the viewer may manage plans (the edit, refresh
/// buttons): its versions are read from the audit trail only when it is rendered again.
pub async fn browser<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    axum::Extension(viewer): axum::Extension<crate::auth::Viewer>,
    Path((council, plan)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let (revision, data) = state.council_at(&council).await?;
    let p = find_plan(&data, &plan)?;
    let manager = viewer
        .principal()
        .is_some_and(|who| who.may(&data.council.reference, beacon_app::access::Action::Manage));
    let key = format!(
        "{} manager={manager}",
        paths::plan(data.council.reference.as_str(), p.plan.reference.as_str())
    );
    let st = Arc::clone(&state);
    state
        .page_of((revision, data), key, |data| async move {
            let p = find_plan(&data, &plan)?;
            let versions = versions_of(&st, &data, p).await?;
            Ok(render_browser(&data, p, manager, versions)?.0)
        })
        .await
}

/// The plan's page: its objectives, indicators by table, lists and versions.
fn render_browser(
    data: &CouncilData,
    p: &PlanDocument,
    manager: bool,
    versions: Vec<VersionRow>,
) -> Result<Html<String>, WebError> {
    let c = data.council.reference.as_str();
    let pr = p.plan.reference.as_str();
    let years: Vec<Period> = p.plan.years.years().map(Period::FinancialYear).collect();
    let manager = manager.then_some(());
    let objectives = p
        .objectives
        .iter()
        .map(|o| ObjectiveItem {
            reference: o.reference.to_string(),
            statement: o.statement.clone(),
            unit: o
                .unit
                .as_ref()
                .map_or_else(String::new, |u| unit_name(data, u.as_str())),
            href: paths::objective(c, pr, o.reference.as_str()),
            milestones: o.milestones.len(),
            links: o
                .links
                .iter()
                .map(|l| frame_title(data, l.as_str()))
                .collect(),
        })
        .collect();
    let mut groups: Vec<IndicatorGroup> = Vec::new();
    for i in &p.indicators {
        let title = i
            .group
            .clone()
            .or_else(|| i.priority.as_ref().map(|r| frame_title(data, r.as_str())))
            .unwrap_or_else(|| "Indicators".into());
        let item = IndicatorItem {
            codes: i.all_codes(),
            description: i.description.clone(),
            href: paths::indicator(c, pr, i.reference.as_str()),
            targets: years
                .iter()
                .map(|y| {
                    i.targets
                        .get(y)
                        .map_or_else(String::new, ToString::to_string)
                })
                .collect(),
        };
        match groups.iter_mut().find(|g| g.title == title) {
            Some(g) => g.indicators.push(item),
            None => groups.push(IndicatorGroup {
                title,
                indicators: vec![item],
            }),
        }
    }
    render(&Browser {
        chrome: Chrome::council(data, latest_quarter(data), Section::Plans)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        title: p.plan.title.clone(),
        reference: pr.to_string(),
        years: p.plan.years.to_string(),
        owner: unit_name(data, p.plan.unit.as_str()),
        status: p.plan.status.to_string(),
        source: p.plan.source.clone().unwrap_or_default(),
        year_heads: years.iter().map(ToString::to_string).collect(),
        objectives,
        groups,
        risks_href: paths::risks(c, pr),
        compare_href: format!("{}/compare", paths::plan(c, pr)),
        refresh: manager
            .and_then(|_| beacon_app::plans::refresh::next_first_year(p.plan.years))
            .map(|y| (paths::refresh(c, pr), y.to_string())),
        edit: manager.map(|_| super::edit::hub(c, pr)),
        versions,
        refreshes: p.plan.refreshes.as_ref().map(|r| {
            (
                data.plan(r.as_str())
                    .map_or_else(|| r.to_string(), |o| format!("{} ({r})", o.plan.title)),
                paths::plan(c, r.as_str()),
            )
        }),
        tables: super::export::KINDS
            .iter()
            .map(|(kind, label)| {
                (
                    *label,
                    paths::table(c, pr, &format!("{kind}.xlsx")),
                    paths::table(c, pr, &format!("{kind}.csv")),
                )
            })
            .collect(),
        sections: p
            .plan
            .sections
            .iter()
            .map(|s| (s.heading.clone(), paragraphs(&s.text)))
            .collect(),
    })
}

/// Progress recorded for a milestone in a quarter.
pub struct ProgressItem {
    pub quarter: String,
    pub status: String,
    pub completed: String,
    pub initials: String,
}

/// A milestone with its history.
pub struct MilestoneHistory {
    pub item: MilestoneItem,
    pub status: Option<StatusView>,
    pub history: Vec<ProgressItem>,
}

#[derive(Template)]
#[template(path = "objective.html")]
struct ObjectivePage {
    chrome: Chrome,
    history: Vec<HistoryRow>,
    plan_title: String,
    reference: String,
    statement: String,
    rows: Vec<(String, String)>,
    quarter: String,
    milestones: Vec<MilestoneHistory>,
    indicators: Vec<(String, String, String)>,
    /// The priorities it serves, linked to their pages.
    serves: Vec<(String, String)>,
}

/// The definition rows of an objective's page: plan, unit, officer, what it serves, risks.
fn objective_rows(data: &CouncilData, p: &PlanDocument, o: &Objective) -> Vec<(String, String)> {
    let matrix = data.settings().matrix;
    let mut rows = vec![("Plan".to_string(), p.plan.title.clone())];
    if let Some(u) = &o.unit {
        rows.push(("Responsible unit".into(), unit_name(data, u.as_str())));
    }
    if let Some(off) = &o.officer {
        rows.push(("Responsible officer".into(), off.clone()));
    }
    if !o.cross_refs.is_empty() {
        rows.push((
            "Cross-referenced to".into(),
            o.cross_refs
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    rows.push(("Initial risk".into(), assessment(&matrix, &o.initial_risk)));
    rows.push((
        "Residual risk".into(),
        assessment(&matrix, &o.residual_risk),
    ));
    rows
}

/// A milestone with its status this quarter and its progress in every quarter recorded.
fn milestone_history(
    data: &CouncilData,
    p: &PlanDocument,
    report: Option<&StatusReport>,
    m: &Milestone,
) -> MilestoneHistory {
    let history = data
        .quarters
        .iter()
        .filter(|r| r.header.plan == p.plan.reference)
        .flat_map(|r| {
            r.progress
                .iter()
                .filter(|x| x.milestone == m.reference)
                .map(move |x| ProgressItem {
                    quarter: r.header.period.to_string(),
                    status: x.status.to_string(),
                    completed: x
                        .completed
                        .map(|d| d.format("%-d %B %Y").to_string())
                        .unwrap_or_default(),
                    initials: x
                        .initials
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect();
    let status = report.and_then(|r| {
        r.milestones
            .iter()
            .find(|s| s.reference == m.reference)
            .map(|s| StatusView::progress(s.status, &s.computed, s.set_by_hand.as_ref()))
    });
    MilestoneHistory {
        item: MilestoneItem {
            reference: m.reference.to_string(),
            year: m.year.to_string(),
            text: m.text_with_note(),
            due: m.due.describe(),
            officer: m.officer.clone().unwrap_or_default(),
            carried: m
                .carried_from
                .map_or_else(String::new, |y| format!("Carried from {y}, not complete")),
        },
        status,
        history,
    }
}

pub async fn objective<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan, objective)): Path<(String, String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let p = find_plan(&data, &plan)?;
    let o = p
        .objectives
        .iter()
        .find(|o| o.reference.as_str() == objective)
        .ok_or(WebError::NotFound)?;
    let mut items = vec![format!("objective {}", o.reference)];
    items.extend(
        o.milestones
            .iter()
            .map(|m| format!("milestone {}", m.reference)),
    );
    let history = history::of(&state.store, &council, &items).await?;
    let c = data.council.reference.as_str();
    let q = beacon_app::priorities::plan_quarter(&data, p);
    let report = q.map(|q| {
        status_report(
            &data,
            &StatusQuery {
                quarter: q,
                plan: Some(p.plan.reference.clone()),
                unit: None,
            },
        )
    });
    let milestones = o
        .milestones
        .iter()
        .map(|m| milestone_history(&data, p, report.as_ref(), m))
        .collect();
    let indicators = o
        .indicators
        .iter()
        .filter_map(|r| p.indicator(r.as_str()))
        .map(|i| {
            (
                i.all_codes(),
                i.description.clone(),
                paths::indicator(c, p.plan.reference.as_str(), i.reference.as_str()),
            )
        })
        .collect();
    render(&ObjectivePage {
        history,
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Plans)
            .with_crumbs(crumbs(&data, p)),
        plan_title: p.plan.title.clone(),
        reference: o.reference.to_string(),
        statement: o.statement.clone(),
        rows: objective_rows(&data, p, o),
        serves: super::priority::links_up(&data, &o.links.iter().collect::<Vec<_>>()),
        quarter: q.map_or_else(String::new, |q| q.to_string()),
        milestones,
        indicators,
    })
}

/// A measure in a table: period, the words, qualifiers, and where it came from.
pub struct MeasureRow {
    pub period: String,
    pub text: String,
    pub qualifiers: String,
    pub source: String,
}

/// A commentary paragraph that speaks of the indicator.
pub struct CommentItem {
    pub quarter: String,
    pub text: String,
    pub initials: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    chrome: Chrome,
    history: Vec<HistoryRow>,
    codes: String,
    description: String,
    definition: Vec<(String, String)>,
    serves: Vec<(String, String)>,
    targets: Vec<MeasureRow>,
    values: Vec<MeasureRow>,
    quarter: String,
    status: Option<StatusView>,
    travel: Option<StatusView>,
    comments: Vec<CommentItem>,
    comparators: Vec<MeasureRow>,
    chart: Option<Chart>,
    national: Option<super::national::NationalView>,
}

fn measure_row(p: &Period, m: &Measure, source: String) -> MeasureRow {
    MeasureRow {
        period: p.to_string(),
        text: m.text().to_string(),
        qualifiers: m
            .qualifiers()
            .iter()
            .map(|q| q.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        source,
    }
}

/// Every value of an indicator: the plan's, and those reported in its quarterly records.
fn all_values(
    data: &CouncilData,
    plan: &PlanDocument,
    ind: &Indicator,
) -> (Vec<MeasureRow>, BTreeMap<Period, Measure>) {
    let mut rows: Vec<(Period, MeasureRow)> = ind
        .values
        .iter()
        .map(|(p, m)| (*p, measure_row(p, m, "Plan".into())))
        .collect();
    let mut series = ind.values.clone();
    for q in data
        .quarters
        .iter()
        .filter(|q| q.header.plan == plan.plan.reference)
    {
        for v in q
            .values
            .iter()
            .filter(|v| ind.answers_to(v.indicator.as_str()))
        {
            let by = v
                .officer
                .as_ref()
                .map_or_else(String::new, |o| format!(", entered by {o}"));
            rows.push((
                v.period,
                measure_row(
                    &v.period,
                    &v.value,
                    format!("Reported in {}{by}", q.header.period),
                ),
            ));
            series.insert(v.period, v.value.clone());
        }
    }
    rows.sort_by_key(|(p, _)| (p.last_day(), *p));
    (rows.into_iter().map(|(_, r)| r).collect(), series)
}

pub async fn indicator<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan, indicator)): Path<(String, String, String)>,
    uri: axum::http::Uri,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let ind = find_plan(&data, &plan)?
        .indicator(&indicator)
        .ok_or(WebError::NotFound)?;
    let mut items = vec![format!("indicator {}", ind.reference)];
    if let Some(printed) = &ind.printed_ref {
        items.push(format!("indicator {printed}"));
    }
    // The page is cached by the council's revision, which every change to the indicator (and so
    // every line of its history) moves on; the national set changes apart from it, so its
    // revision (one cheap read) is part of the key. The history and the set are read only when
    // the page is rendered again.
    let key = state.national_key(uri.to_string()).await;
    let set = state.national.as_ref();
    let store = &state.store;
    let council_ref = council.clone();
    state
        .page_async(&council_ref, key, |data| async move {
            let history = history::of(store, &council, &items).await?;
            let ind = find_plan(&data, &plan)?
                .indicator(&indicator)
                .ok_or(WebError::NotFound)?;
            let national =
                super::national::for_indicator(set, &council, &data.council.name, ind).await;
            indicator_page(&data, &plan, &indicator, history, national)
        })
        .await
}

/// An indicator's definition as rows: every field the plan gives, and the tolerance it is
/// judged by (its own, else the council's).
fn definition_rows(data: &CouncilData, p: &PlanDocument, ind: &Indicator) -> Vec<(String, String)> {
    let mut definition = vec![("Refs".to_string(), ind.all_codes())];
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            definition.push((k.to_string(), v));
        }
    };
    add("Plan", Some(p.plan.title.clone()));
    add(
        "Responsible unit",
        ind.unit.as_ref().map(|u| unit_name(data, u.as_str())),
    );
    add("Category", ind.category.map(|x| x.to_string()));
    add("Key indicator", ind.key.then(|| "Yes".to_string()));
    add("Unit of measure", ind.measure.map(|x| x.to_string()));
    add(
        "Better is",
        ind.better
            .map(|b| match b {
                beacon_domain::indicator::Better::None => "neither: for information".to_string(),
                b => b.to_string(),
            })
            .or_else(|| Some("not stated".into())),
    );
    add(
        "Frequency",
        ind.frequency.map(|x| match &ind.census {
            Some(c) => format!("{x}: {}", c.describe()),
            None => x.to_string(),
        }),
    );
    add("Accumulation", Some(ind.accumulation.to_string()));
    add("Calendar", Some(ind.calendar.to_string()));
    add(
        "Tolerance",
        Some(ind.tolerance_percent.map_or_else(
            || {
                format!(
                    "{}% of target (the council default)",
                    data.settings().tolerance_percent.normalize()
                )
            },
            |t| format!("{t}% of target"),
        )),
    );
    add("Data source", ind.data_source.clone());
    add("Definition notes", ind.notes.clone());
    add(
        "Baseline",
        ind.baseline
            .as_ref()
            .map(|b| format!("{} ({})", b.value, b.period)),
    );
    definition
}

/// The objectives an indicator measures (linked to their pages) and the priorities it serves.
fn serves(data: &CouncilData, p: &PlanDocument, ind: &Indicator) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    let mut serves: Vec<(String, String)> = p
        .objectives
        .iter()
        .filter(|o| o.indicators.iter().any(|r| ind.answers_to(r.as_str())))
        .map(|o| {
            (
                format!("Objective {}: {}", o.reference, o.statement),
                paths::objective(c, p.plan.reference.as_str(), o.reference.as_str()),
            )
        })
        .collect();
    let frames: Vec<&beacon_domain::Ref> = ind.links.iter().chain(ind.priority.iter()).collect();
    serves.extend(super::priority::links_up(data, &frames));
    serves
}

/// Every commentary paragraph about the indicator, quarter by quarter.
fn comments(data: &CouncilData, p: &PlanDocument, ind: &Indicator) -> Vec<CommentItem> {
    data.quarters
        .iter()
        .filter(|q| q.header.plan == p.plan.reference)
        .flat_map(|q| {
            q.commentary
                .iter()
                .filter(|x| x.refs.iter().any(|r| ind.answers_to(r.as_str())))
                .map(move |x| CommentItem {
                    quarter: q.header.period.to_string(),
                    text: x.text.clone(),
                    initials: x
                        .initials
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("/"),
                })
        })
        .collect()
}

fn indicator_page(
    data: &CouncilData,
    plan: &str,
    indicator: &str,
    history: Vec<HistoryRow>,
    national: Option<super::national::NationalView>,
) -> Result<String, WebError> {
    let p = find_plan(data, plan)?;
    let ind = p.indicator(indicator).ok_or(WebError::NotFound)?;
    let (values, series) = all_values(data, p, ind);
    let q = beacon_app::priorities::plan_quarter(data, p);
    let report = q.map(|q| {
        status_report(
            data,
            &StatusQuery {
                quarter: q,
                plan: Some(p.plan.reference.clone()),
                unit: None,
            },
        )
    });
    let st = report
        .as_ref()
        .and_then(|r| r.indicators.iter().find(|s| s.reference == ind.reference));
    Ok(IndicatorPage {
        history,
        chrome: Chrome::council(data, latest_quarter(data), Section::Plans)
            .with_crumbs(crumbs(data, p)),
        codes: ind.all_codes(),
        description: ind.description.clone(),
        definition: definition_rows(data, p, ind),
        serves: serves(data, p, ind),
        targets: ind
            .targets
            .iter()
            .map(|(p, m)| measure_row(p, m, String::new()))
            .collect(),
        chart: layout(&series, &ind.targets),
        values,
        quarter: q.map_or_else(String::new, |q| q.to_string()),
        status: st.map(|s| StatusView::progress(s.status, &s.computed, s.set_by_hand.as_ref())),
        travel: st.map(|s| StatusView::travel(&s.travel)),
        comments: comments(data, p, ind),
        comparators: ind
            .comparators
            .iter()
            .map(|x| {
                let mut what = x.kind.to_string();
                if let Some(n) = &x.name {
                    what = format!("{what}: {n}");
                }
                if let Some(s) = &x.source {
                    what = format!("{what} (source: {s})");
                }
                measure_row(&x.period, &x.value, what)
            })
            .collect(),
        national,
    }
    .render()?)
}

/// A risk in the register.
pub struct RiskItem {
    pub reference: String,
    pub objective: String,
    pub description: String,
    pub initial: String,
    pub residual: String,
    pub treatment: Vec<String>,
    pub flag: bool,
    /// Each year's quarterly assessments in words ("2012/13: Q1 12 High → Q2 9 Medium,
    /// falling"); empty when no quarter recorded one.
    pub trend: Vec<String>,
}

/// A risk's trend in each of the plan's years that assessed it quarter by quarter.
fn trends(data: &CouncilData, p: &PlanDocument, risk: &beacon_domain::Ref) -> Vec<String> {
    p.plan
        .years
        .years()
        .filter_map(|y| {
            let t = beacon_app::status::risk_trend(data, &p.plan.reference, risk, y);
            (!t.is_empty()).then(|| format!("{y}: {t}"))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "risks.html")]
struct RisksPage {
    chrome: Chrome,
    plan_title: String,
    grid: Vec<(u8, Vec<(u8, usize)>)>,
    by_score_only: usize,
    bands: Vec<(String, usize, usize)>,
    risks: Vec<RiskItem>,
}

pub async fn risks<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, plan)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let p = find_plan(&data, &plan)?;
    let matrix = data.settings().matrix;
    let mut items = Vec::new();
    let mut assessments: Vec<(Option<&RiskAssessment>, Option<&RiskAssessment>)> = Vec::new();
    for o in p
        .objectives
        .iter()
        .filter(|o| o.initial_risk.is_some() || o.residual_risk.is_some())
    {
        assessments.push((o.initial_risk.as_ref(), o.residual_risk.as_ref()));
        items.push(RiskItem {
            reference: o.reference.to_string(),
            objective: o.reference.to_string(),
            description: format!("Risk assessment of objective {}", o.reference),
            initial: assessment(&matrix, &o.initial_risk),
            residual: assessment(&matrix, &o.residual_risk),
            treatment: Vec::new(),
            flag: matches!((&o.initial_risk, &o.residual_risk), (Some(i), Some(r)) if beacon_domain::status::risk::residual_above_initial(&matrix, i, r)),
            trend: trends(&data, p, &o.reference),
        });
    }
    for r in &p.risks {
        assessments.push((r.initial.as_ref(), r.residual.as_ref()));
        items.push(RiskItem {
            reference: r.reference.to_string(),
            objective: r.objective.as_ref().map_or_else(String::new, ToString::to_string),
            description: r.description.clone(),
            initial: assessment(&matrix, &r.initial),
            residual: assessment(&matrix, &r.residual),
            treatment: r.treatment.clone(),
            flag: matches!((&r.initial, &r.residual), (Some(i), Some(x)) if beacon_domain::status::risk::residual_above_initial(&matrix, i, x)),
            trend: trends(&data, p, &r.reference),
        });
    }
    // The likelihood × impact grid of residual (else initial) assessments that give both.
    let mut grid: Vec<(u8, Vec<(u8, usize)>)> = (1..=matrix.side)
        .rev()
        .map(|l| (l, (1..=matrix.side).map(|i| (i, 0)).collect()))
        .collect();
    let mut by_score_only = 0;
    let mut bands = vec![
        ("High".to_string(), 0, 0),
        ("Medium".to_string(), 0, 0),
        ("Low".to_string(), 0, 0),
    ];
    let band_idx = |a: &RiskAssessment| {
        a.score()
            .map(|s| matrix.band(s))
            .or(a.band)
            .map(|b| match b {
                beacon_domain::risk::Band::High => 0,
                beacon_domain::risk::Band::Medium => 1,
                beacon_domain::risk::Band::Low => 2,
            })
    };
    for (initial, residual) in &assessments {
        if let Some(i) = initial.and_then(&band_idx) {
            bands[i].1 += 1;
        }
        if let Some(r) = residual.and_then(&band_idx) {
            bands[r].2 += 1;
        }
        match residual.or(*initial) {
            Some(RiskAssessment {
                likelihood: Some(l),
                impact: Some(i),
                ..
            }) => {
                if let Some(row) = grid.iter_mut().find(|(gl, _)| gl == l)
                    && let Some(cell) = row.1.iter_mut().find(|(gi, _)| gi == i)
                {
                    cell.1 += 1;
                }
            }
            Some(_) => by_score_only += 1,
            None => {}
        }
    }
    render(&RisksPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Plans)
            .with_crumbs(crumbs(&data, p)),
        plan_title: p.plan.title.clone(),
        grid,
        by_score_only,
        bands,
        risks: items,
    })
}
