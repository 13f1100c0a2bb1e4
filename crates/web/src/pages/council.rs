//! The list of councils, a council's overview (its plans and quarters) and search.

use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::extract::CouncilPath;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Query, State};
use axum::response::Html;
use beacon_app::lifecycle::{QuarterState, QuarterStatus};
use beacon_app::{CouncilData, Store};
use serde::Deserialize;
use std::sync::Arc;

/// A council as the home page lists it.
pub struct CouncilRow {
    pub name: String,
    /// The published reports, for everyone.
    pub public: String,
    /// The live pages, for the council's own users.
    pub live: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    councils: Vec<CouncilRow>,
    signed_in: bool,
}

pub async fn home<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Html<String>, WebError> {
    let councils = state
        .store
        .councils()
        .await?
        .into_iter()
        .map(|c| CouncilRow {
            name: c.name.clone(),
            public: paths::public(c.reference.as_str()),
            live: viewer
                .principal()
                .filter(|p| p.belongs_to(&c.reference))
                .map(|_| paths::council(c.reference.as_str())),
        })
        .collect();
    render(&Home {
        chrome: Chrome::plain(),
        councils,
        signed_in: viewer.principal().is_some(),
    })
}

/// A plan row on the overview.
pub struct PlanRow {
    pub reference: String,
    pub title: String,
    pub years: String,
    pub status: String,
    pub objectives: usize,
    pub indicators: usize,
    pub href: String,
}

/// A quarterly record on the overview.
pub struct QuarterRow {
    pub title: String,
    pub unit: String,
    pub period: String,
    pub dashboard: String,
    pub entry: String,
    pub report: String,
    /// The board's cover report, with the monitoring report appended.
    pub cover: String,
    pub sign_off: String,
    /// Where the quarter is in its life: open, submitted, signed off or published.
    pub state: QuarterState,
}

#[derive(Template)]
#[template(path = "council.html")]
struct Overview {
    chrome: Chrome,
    name: String,
    plans: Vec<PlanRow>,
    quarters: Vec<QuarterRow>,
    /// The year's reports (outturn, target review, community strategy), newest year first.
    year_reports: Vec<super::annual::YearReports>,
    search: String,
    /// The viewer's items due in the quarter being collected.
    due: Option<super::calendar::Due>,
    calendar: String,
    /// What is missing from the quarter being collected, for a performance officer.
    missing: Option<String>,
    /// The outbox, for an administrator.
    notices: Option<String>,
    /// The form that creates a plan, for those who manage the council's plans.
    new_plan: Option<String>,
    /// The organisation and priorities, for the same people.
    organisation: Option<String>,
    /// The council's indicator library, for the same people.
    library: Option<String>,
}

pub async fn overview<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    CouncilPath(council): CouncilPath,
) -> Result<Html<String>, WebError> {
    let (revision, data) = state.council_at(council.as_str()).await?;
    // The quarters' states, the calendar and the missing report are kept per revision.
    let states = state.statuses_at(&council, revision).await?;
    let cal = state.calendar_at(&council, revision).await?;
    let due = super::calendar::due_for(&state, (&data, revision), &states, &cal, &viewer).await?;
    let today = (state.clock)().date_naive();
    let collecting = cal.calendar.current(today).map(|d| d.quarter);
    let may =
        |a: beacon_app::access::Action| viewer.principal().is_some_and(|p| p.may(&council, a));
    let c = data.council.reference.as_str();
    let unit_name = |u: &str| {
        data.units
            .iter()
            .find(|x| x.reference.as_str() == u)
            .map_or_else(|| u.to_string(), |x| x.name.clone())
    };
    let plans = data
        .plans
        .iter()
        .rev()
        .map(|p| PlanRow {
            reference: p.plan.reference.to_string(),
            title: p.plan.title.clone(),
            years: p.plan.years.to_string(),
            status: p.plan.status.to_string(),
            objectives: p.objectives.len(),
            indicators: p.indicators.len(),
            href: paths::plan(c, p.plan.reference.as_str()),
        })
        .collect();
    let quarters = data
        .quarters
        .iter()
        .rev()
        .map(|q| {
            let u = q.header.unit.as_str();
            QuarterRow {
                title: q.header.title.clone(),
                unit: unit_name(u),
                period: format!(
                    "Quarter {} {}",
                    q.header.period.q.number(),
                    q.header.period.year
                ),
                dashboard: paths::dashboard(c, q.header.period, Some(u)),
                entry: paths::entry(c, q.header.period, u),
                report: paths::report(c, q.header.period, u),
                cover: paths::cover(c, q.header.period, u),
                sign_off: paths::sign_off(c, q.header.period, u),
                state: QuarterStatus::of(&states, &q.header.unit, q.header.period).state,
            }
        })
        .collect();
    render(&Overview {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Home),
        name: data.council.name.clone(),
        plans,
        year_reports: super::annual::council_links(&data),
        quarters,
        search: paths::search(c),
        due,
        calendar: paths::calendar(c, beacon_domain::period::FinancialYear::containing(today)),
        missing: collecting
            .filter(|_| may(beacon_app::access::Action::Manage))
            .map(|q| paths::missing(c, q)),
        notices: may(beacon_app::access::Action::Administer).then(|| paths::notices(c)),
        new_plan: may(beacon_app::access::Action::Manage)
            .then(|| format!("{}/new-plan", paths::council(c))),
        organisation: may(beacon_app::access::Action::Manage).then(|| super::organisation::hub(c)),
        library: may(beacon_app::access::Action::Manage).then(|| super::library::hub(c)),
    })
}

/// The search form's query.
#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

/// A search result.
pub struct Hit {
    pub kind: &'static str,
    pub reference: String,
    pub text: String,
    pub plan: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    hits: Vec<Hit>,
    searched: bool,
}

/// The most results a search shows.
const MAX_HITS: usize = 200;

/// The longest search kept with the council's pages (longer ones are searched each time).
const MAX_KEPT_QUERY: usize = 100;

pub async fn search<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    CouncilPath(council): CouncilPath,
    Query(query): Query<SearchQuery>,
) -> Result<Html<String>, WebError> {
    let (revision, data) = state.council_at(council.as_str()).await?;
    let q = query.q.trim().to_string();
    if q.len() > MAX_KEPT_QUERY {
        return Ok(Html(results(&data, q)?));
    }
    // Kept per council revision and query: nothing on it is personal.
    let key = format!("{}/search?q={q}", paths::council(council.as_str()));
    state
        .page_of(
            (revision, data),
            key,
            |data| async move { results(&data, q) },
        )
        .await
}

/// The search page for `q` (trimmed).
fn results(data: &CouncilData, q: String) -> Result<String, WebError> {
    let c = data.council.reference.as_str();
    let needle = q.to_lowercase();
    let mut hits = Vec::new();
    if !needle.is_empty() {
        let found = |hay: &str| hay.to_lowercase().contains(&needle);
        for p in data.plans.iter().rev() {
            let pr = p.plan.reference.as_str();
            for i in &p.indicators {
                if found(&i.all_codes()) || found(i.reference.as_str()) || found(&i.description) {
                    hits.push(Hit {
                        kind: "Indicator",
                        reference: i.all_codes(),
                        text: i.description.clone(),
                        plan: p.plan.title.clone(),
                        href: paths::indicator(c, pr, i.reference.as_str()),
                    });
                }
            }
            for o in &p.objectives {
                if found(o.reference.as_str()) || found(&o.statement) {
                    hits.push(Hit {
                        kind: "Objective",
                        reference: o.reference.to_string(),
                        text: o.statement.clone(),
                        plan: p.plan.title.clone(),
                        href: paths::objective(c, pr, o.reference.as_str()),
                    });
                }
                for m in o
                    .milestones
                    .iter()
                    .filter(|m| found(m.reference.as_str()) || found(&m.text))
                {
                    hits.push(Hit {
                        kind: "Milestone",
                        reference: m.reference.to_string(),
                        text: m.text.clone(),
                        plan: p.plan.title.clone(),
                        href: paths::objective(c, pr, o.reference.as_str()),
                    });
                }
            }
        }
    }
    hits.truncate(MAX_HITS);
    let page = SearchPage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Search),
        searched: !q.is_empty(),
        q,
        hits,
    };
    Ok(page.render()?)
}
