//! The year's other reports on screen, each a page like the monitoring report's (the report in a
//! frame, downloads in every format): the board's cover report of a unit's quarter, a unit's
//! annual outturn report and target review, and the community strategy's annual progress
//! report. The reports are built by `beacon_reports`; the cover report's committee and meeting
//! date come from the council's calendar.

use super::report::{Download, PathFile, format_of, send, show};
use crate::error::WebError;
use crate::extract::{UnitQuarterPath, UnitYearPath, YearPath};
use crate::view::Section;
use crate::{AppState, Backend, paths};
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use beacon_app::CouncilData;
use beacon_app::calendar::calendar_of;
use beacon_domain::period::{FinancialYear, Quarter};
use beacon_reports::model::Report;
use beacon_reports::{CommunityQuery, CoverText, MonitoringQuery, YearQuery};
use std::sync::Arc;

/// A report the builders refuse (no such unit, no data for the year) is "Page not found".
fn found(r: Result<Report, beacon_reports::ReportError>) -> Result<Report, WebError> {
    r.map_err(|_| WebError::NotFound)
}

async fn cover<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    place: &UnitQuarterPath,
) -> Result<Report, WebError> {
    let dates = calendar_of(&state.store, &place.council)
        .await?
        .calendar
        .dates(place.quarter);
    let text = CoverText {
        committee: Some(dates.committee.clone()).filter(|c| !c.trim().is_empty()),
        meeting: dates.board.map(|d| d.format("%-d %B %Y").to_string()),
        ..CoverText::default()
    };
    let query = MonitoringQuery {
        unit: place.unit.clone(),
        quarter: place.quarter,
    };
    found(beacon_reports::cover_report(data, &query, &text))
}

fn quarter_crumbs(data: &CouncilData, q: Quarter, unit: &str) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    vec![
        (data.council.name.clone(), paths::council(c)),
        (
            format!("Quarter {} {}", q.q.number(), q.year),
            paths::dashboard(c, q, Some(unit)),
        ),
    ]
}

fn council_crumbs(data: &CouncilData) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    vec![(data.council.name.clone(), paths::council(c))]
}

fn link(label: String, href: String) -> Download {
    Download { label, href }
}

pub async fn cover_page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
) -> Result<Html<String>, WebError> {
    let data = state.council(place.council.as_str()).await?;
    let report = cover(&state, &data, &place).await?;
    let c = data.council.reference.as_str();
    let (q, u) = (place.quarter, place.unit.as_str());
    let related = vec![link(
        "The monitoring report on its own".into(),
        paths::report(c, q, u),
    )];
    show(
        &data,
        &report,
        &paths::cover(c, q, u),
        quarter_crumbs(&data, q, u),
        related,
        Section::Quarter,
    )
}

pub async fn cover_file<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitQuarterPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    let ext = format_of(&file)?;
    let data = state.council(place.council.as_str()).await?;
    let report = cover(&state, &data, &place).await?;
    let stem = format!(
        "{}-{}-{}-q{}-cover",
        data.council.reference,
        paths::seg(place.unit.as_str()),
        paths::year(place.quarter.year),
        place.quarter.q.number()
    );
    send(&report, ext, &stem)
}

/// Which of a unit's year reports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitYear {
    Outturn,
    TargetReview,
}

impl UnitYear {
    fn build(self, data: &CouncilData, place: &UnitYearPath) -> Result<Report, WebError> {
        let q = YearQuery {
            unit: place.unit.clone(),
            year: place.year,
        };
        found(match self {
            UnitYear::Outturn => beacon_reports::outturn_report(data, &q),
            UnitYear::TargetReview => beacon_reports::target_review(data, &q),
        })
    }

    fn path(self, c: &str, y: FinancialYear, unit: &str) -> String {
        match self {
            UnitYear::Outturn => paths::outturn(c, y, unit),
            UnitYear::TargetReview => paths::target_review(c, y, unit),
        }
    }

    fn slug(self) -> &'static str {
        match self {
            UnitYear::Outturn => "outturn",
            UnitYear::TargetReview => "target-review",
        }
    }
}

/// The other reports of the same year, linked from each.
fn year_links(data: &CouncilData, y: FinancialYear, unit: Option<&str>) -> Vec<Download> {
    let c = data.council.reference.as_str();
    let mut out = Vec::new();
    if let Some(u) = unit {
        out.push(link(
            format!("Annual outturn report {y}"),
            paths::outturn(c, y, u),
        ));
        out.push(link(
            format!("Annual review of targets for {}", y.next().unwrap_or(y)),
            paths::target_review(c, y, u),
        ));
    }
    out.push(link(
        format!("Community strategy annual progress report {y}"),
        paths::community(c, y),
    ));
    out
}

async fn unit_year_page<S: Backend>(
    state: &AppState<S>,
    place: UnitYearPath,
    which: UnitYear,
) -> Result<Html<String>, WebError> {
    let data = state.council(place.council.as_str()).await?;
    let report = which.build(&data, &place)?;
    let c = data.council.reference.as_str();
    let u = place.unit.as_str();
    let base = which.path(c, place.year, u);
    let related = year_links(&data, place.year, Some(u))
        .into_iter()
        .filter(|d| d.href != base)
        .collect();
    show(
        &data,
        &report,
        &base,
        council_crumbs(&data),
        related,
        Section::Home,
    )
}

async fn unit_year_file<S: Backend>(
    state: &AppState<S>,
    place: UnitYearPath,
    file: &str,
    which: UnitYear,
) -> Result<Response, WebError> {
    let ext = format_of(file)?;
    let data = state.council(place.council.as_str()).await?;
    let report = which.build(&data, &place)?;
    let stem = format!(
        "{}-{}-{}-{}",
        data.council.reference,
        paths::seg(place.unit.as_str()),
        paths::year(place.year),
        which.slug()
    );
    send(&report, ext, &stem)
}

pub async fn outturn_page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitYearPath,
) -> Result<Html<String>, WebError> {
    unit_year_page(&state, place, UnitYear::Outturn).await
}

pub async fn outturn_file<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitYearPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    unit_year_file(&state, place, &file, UnitYear::Outturn).await
}

pub async fn review_page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitYearPath,
) -> Result<Html<String>, WebError> {
    unit_year_page(&state, place, UnitYear::TargetReview).await
}

pub async fn review_file<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: UnitYearPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    unit_year_file(&state, place, &file, UnitYear::TargetReview).await
}

fn community(data: &CouncilData, year: FinancialYear) -> Result<Report, WebError> {
    found(beacon_reports::community_report(
        data,
        &CommunityQuery { year },
    ))
}

pub async fn community_page<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: YearPath,
) -> Result<Html<String>, WebError> {
    let data = state.council(place.council.as_str()).await?;
    let report = community(&data, place.year)?;
    let base = paths::community(data.council.reference.as_str(), place.year);
    show(
        &data,
        &report,
        &base,
        council_crumbs(&data),
        Vec::new(),
        Section::Home,
    )
}

pub async fn community_file<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    place: YearPath,
    Path(PathFile { file }): Path<PathFile>,
) -> Result<Response, WebError> {
    let ext = format_of(&file)?;
    let data = state.council(place.council.as_str()).await?;
    let report = community(&data, place.year)?;
    let stem = format!(
        "{}-{}-community",
        data.council.reference,
        paths::year(place.year)
    );
    send(&report, ext, &stem)
}

/// The year's reports a council page links to: for each year and unit with a quarterly record,
/// the unit's outturn report and target review; and the year's community strategy report.
pub(crate) fn council_links(data: &CouncilData) -> Vec<YearReports> {
    let mut pairs: Vec<(FinancialYear, String)> = data
        .quarters
        .iter()
        .map(|q| (q.header.period.year, q.header.unit.to_string()))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs.reverse();
    let has_strategy = data
        .frames
        .iter()
        .any(|f| f.kind == beacon_domain::frame::FrameKind::CommunityStrategy);
    pairs
        .into_iter()
        .map(|(y, u)| {
            let unit = data
                .units
                .iter()
                .find(|x| x.reference.as_str() == u)
                .map_or_else(|| u.clone(), |x| x.name.clone());
            let links = year_links(data, y, Some(&u))
                .into_iter()
                .filter(|d| has_strategy || !d.href.ends_with("/community"))
                .collect();
            YearReports {
                year: y.to_string(),
                unit,
                links,
            }
        })
        .collect()
}

/// A row of the council page's "The year's reports".
pub struct YearReports {
    pub year: String,
    pub unit: String,
    pub links: Vec<Download>,
}
