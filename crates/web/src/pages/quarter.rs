//! The quarter dashboard for a council, directorate or department: counts of statuses grouped
//! by priority, the exceptions first, risks by band and budget variance.

use crate::AppState;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, StatusView, latest_quarter};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use beacon_app::benchmark::QuartileColumn;
use beacon_app::status::{
    IndicatorStatus, MilestoneStatus, StatusQuery, StatusReport, status_report,
};
use beacon_app::{CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::risk::Band;
use beacon_domain::status::Progress;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Counts of each status.
#[derive(Default, Clone)]
pub struct Counts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub not_assessed: usize,
}

impl Counts {
    fn add(&mut self, p: Progress) {
        match p {
            Progress::Green => self.green += 1,
            Progress::Amber => self.amber += 1,
            Progress::Red => self.red += 1,
            Progress::NotAssessed => self.not_assessed += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.green + self.amber + self.red + self.not_assessed
    }
}

/// One item in a table of the dashboard.
pub struct Row {
    pub kind: &'static str,
    pub codes: String,
    pub text: String,
    pub status: StatusView,
    pub travel: Option<StatusView>,
    pub value: String,
    pub target: String,
    /// Why it is an exception.
    pub because: String,
    pub href: String,
    /// The national quartile and rank, for an indicator with a national code.
    pub national: Option<String>,
}

/// A priority's section.
pub struct PrioritySection {
    pub title: String,
    pub id: String,
    pub indicator_counts: Counts,
    pub milestone_counts: Counts,
    pub indicators: Vec<Row>,
    pub milestones: Vec<Row>,
}

/// A budget statement's headline.
pub struct BudgetRow {
    pub title: String,
    pub total: String,
    pub variance: String,
    pub overspent: bool,
    pub reconciles: bool,
    pub reason: String,
    pub href: String,
}

/// A unit the dashboard can be narrowed to.
pub struct UnitLink {
    pub name: String,
    /// The unit's ref, or empty for the whole council.
    pub value: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    heading: String,
    scope: String,
    units: Vec<UnitLink>,
    action: String,
    saved: bool,
    indicators: Counts,
    milestones: Counts,
    exceptions: Vec<Row>,
    priorities: Vec<PrioritySection>,
    risks: Vec<(String, usize, usize)>,
    budget: Vec<BudgetRow>,
    entry: Option<String>,
    report: Option<String>,
    /// The board's cover report and the year's outturn report of the unit with the record.
    cover: Option<String>,
    outturn: Option<String>,
    /// The indicator tables' headings: with "National quartile" for a council linked to the
    /// national set.
    kpi_headers: Vec<String>,
    /// The national quartile column's key, when the tables have the column.
    national_key: Option<String>,
}

/// The dashboard's query: an optional unit.
#[derive(Deserialize)]
pub struct UnitQuery {
    pub unit: Option<String>,
    /// Set after data entry saved, to say so.
    pub saved: Option<String>,
}

/// Where an item belongs: its own unit, else its plan's.
fn in_scope(
    data: &CouncilData,
    own: Option<&Ref>,
    plan_unit: &Ref,
    selected: Option<&Ref>,
) -> bool {
    selected.is_none_or(|s| data.tree().within(own.unwrap_or(plan_unit), s))
}

fn indicator_row(c: &str, i: &IndicatorStatus, national: Option<&QuartileColumn>) -> Row {
    let because = if i.set_by_hand.is_some() {
        "Set by hand"
    } else if i.status == Progress::Red {
        "Red"
    } else if i.value.as_ref().is_none_or(|(_, m)| m.value().is_none()) {
        "No value"
    } else {
        ""
    };
    Row {
        kind: "Indicator",
        codes: i.codes.clone(),
        text: i.description.clone(),
        status: StatusView::progress(i.status, &i.computed, i.set_by_hand.as_ref()),
        travel: Some(StatusView::travel(&i.travel)),
        value: i
            .value
            .as_ref()
            .map_or_else(String::new, |(_, m)| m.to_string()),
        target: i
            .target
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        because: because.into(),
        href: paths::indicator(c, i.plan.as_str(), i.reference.as_str()),
        national: national
            .and_then(|n| n.cell(i.plan.as_str(), i.reference.as_str()))
            .map(str::to_string),
    }
}

fn milestone_row(c: &str, m: &MilestoneStatus) -> Row {
    let because = if m.set_by_hand.is_some() {
        "Set by hand"
    } else if m.computed.reason.contains("overdue") || m.computed.reason.contains("it was due by") {
        "Overdue"
    } else if m.status == Progress::Red {
        "Red"
    } else {
        ""
    };
    Row {
        kind: "Milestone",
        codes: m.reference.to_string(),
        text: m.text.clone(),
        status: StatusView::progress(m.status, &m.computed, m.set_by_hand.as_ref()),
        travel: None,
        value: String::new(),
        target: m.due.clone(),
        because: because.into(),
        href: paths::objective(c, m.plan.as_str(), m.objective.as_str()),
        national: None,
    }
}

pub async fn dashboard<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter)): Path<(String, String, u8)>,
    Query(query): Query<UnitQuery>,
    uri: axum::http::Uri,
) -> Result<Html<String>, WebError> {
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    // The national quartile column changes with the national set: its revision is in the key.
    let key = state.national_key(uri.to_string()).await;
    let set = state.national.as_ref();
    state
        .page_async(&council, key, |data| async move {
            let selected: Option<Ref> = match &query.unit {
                Some(u) if !u.is_empty() => {
                    let r: Ref = u.parse().map_err(|_| WebError::NotFound)?;
                    if !data.units.iter().any(|x| x.reference == r) {
                        return Err(WebError::NotFound);
                    }
                    Some(r)
                }
                _ => None,
            };
            let national = crate::benchmark::column(set, &data, q).await;
            let mut page = build(&data, q, selected.as_ref(), national.as_ref());
            page.saved = query.saved.is_some();
            Ok(page.render()?)
        })
        .await
}

type Plans<'a> = HashMap<&'a str, &'a PlanDocument>;

/// The items of the quarter grouped by the priority they serve, with their counts and the
/// exceptions among them.
struct Grouped<'a> {
    data: &'a CouncilData,
    c: &'a str,
    selected: Option<&'a Ref>,
    national: Option<&'a QuartileColumn>,
    plans: Plans<'a>,
    frames: HashMap<&'a str, &'a beacon_domain::frame::Frame>,
    indicators: Counts,
    milestones: Counts,
    exceptions: Vec<Row>,
    sections: Vec<PrioritySection>,
}

impl<'a> Grouped<'a> {
    fn new(
        data: &'a CouncilData,
        c: &'a str,
        selected: Option<&'a Ref>,
        national: Option<&'a QuartileColumn>,
    ) -> Grouped<'a> {
        Grouped {
            data,
            c,
            selected,
            national,
            plans: plans_of(data),
            frames: data
                .frames
                .iter()
                .map(|f| (f.reference.as_str(), f))
                .collect(),
            indicators: Counts::default(),
            milestones: Counts::default(),
            exceptions: Vec::new(),
            sections: Vec::new(),
        }
    }

    /// The section of the priority an item serves (or its plan's "other measures"), made when
    /// first needed.
    fn section(&mut self, r: Option<&Ref>, plan: &PlanDocument) -> &mut PrioritySection {
        let (title, id) = match r.and_then(|r| self.frames.get(r.as_str())) {
            Some(f) => (
                f.title.clone(),
                format!("priority-{}", paths::seg(f.reference.as_str())),
            ),
            None => (
                format!("Other measures: {}", plan.plan.title),
                format!("plan-{}", paths::seg(plan.plan.reference.as_str())),
            ),
        };
        let i = match self.sections.iter().position(|s| s.title == title) {
            Some(i) => i,
            None => {
                self.sections.push(PrioritySection {
                    title,
                    id,
                    indicator_counts: Counts::default(),
                    milestone_counts: Counts::default(),
                    indicators: Vec::new(),
                    milestones: Vec::new(),
                });
                self.sections.len() - 1
            }
        };
        &mut self.sections[i]
    }

    fn indicator(&mut self, i: &IndicatorStatus) {
        let Some(plan) = self.plans.get(i.plan.as_str()).copied() else {
            return;
        };
        let Some(ind) = plan.indicators.iter().find(|x| x.reference == i.reference) else {
            return;
        };
        if !in_scope(self.data, ind.unit.as_ref(), &plan.plan.unit, self.selected) {
            return;
        }
        self.indicators.add(i.status);
        let row = indicator_row(self.c, i, self.national);
        if !row.because.is_empty() {
            self.exceptions
                .push(indicator_row(self.c, i, self.national));
        }
        let s = self.section(ind.priority.as_ref(), plan);
        s.indicator_counts.add(i.status);
        s.indicators.push(row);
    }

    fn milestone(&mut self, m: &MilestoneStatus) {
        let Some(plan) = self.plans.get(m.plan.as_str()).copied() else {
            return;
        };
        let Some(obj) = plan.objectives.iter().find(|o| o.reference == m.objective) else {
            return;
        };
        if !in_scope(self.data, obj.unit.as_ref(), &plan.plan.unit, self.selected) {
            return;
        }
        self.milestones.add(m.status);
        let row = milestone_row(self.c, m);
        if !row.because.is_empty() {
            self.exceptions.push(milestone_row(self.c, m));
        }
        let ms = obj.milestones.iter().find(|x| x.reference == m.reference);
        let s = self.section(ms.and_then(|x| x.priority.as_ref()), plan);
        s.milestone_counts.add(m.status);
        s.milestones.push(row);
    }

    /// Sections in the order of the council's priorities; exceptions Red first, then
    /// overdue, set by hand and missing values.
    fn sort(&mut self) {
        let order: HashMap<String, u32> = self
            .data
            .frames
            .iter()
            .map(|f| (f.title.clone(), f.number.unwrap_or(0)))
            .collect();
        self.sections.sort_by_key(|s| {
            (
                order.get(&s.title).copied().unwrap_or(u32::MAX),
                s.title.clone(),
            )
        });
        self.exceptions.sort_by_key(|r| match r.because.as_str() {
            "Red" => 0,
            "Overdue" => 1,
            "Set by hand" => 2,
            _ => 3,
        });
    }
}

fn plans_of(data: &CouncilData) -> Plans<'_> {
    data.plans
        .iter()
        .map(|p| (p.plan.reference.as_str(), p))
        .collect()
}

/// Risks by band: (band, initial count, current count).
fn risk_counts(
    data: &CouncilData,
    report: &StatusReport,
    selected: Option<&Ref>,
) -> Vec<(String, usize, usize)> {
    let plans = plans_of(data);
    let mut risks = vec![
        ("High".to_string(), 0, 0),
        ("Medium".to_string(), 0, 0),
        ("Low".to_string(), 0, 0),
    ];
    let idx = |b: Band| match b {
        Band::High => 0,
        Band::Medium => 1,
        Band::Low => 2,
    };
    for r in &report.risks {
        let Some(plan) = plans.get(r.plan.as_str()) else {
            continue;
        };
        if !in_scope(data, None, &plan.plan.unit, selected) {
            continue;
        }
        if let Some(a) = &r.initial {
            risks[idx(a.status)].1 += 1;
        }
        if let Some(a) = &r.residual {
            risks[idx(a.status)].2 += 1;
        }
    }
    risks
}

/// Each budget statement's total and variance, for the units in view.
fn budget_rows(
    data: &CouncilData,
    report: &StatusReport,
    q: Quarter,
    selected: Option<&Ref>,
) -> Vec<BudgetRow> {
    let c = data.council.reference.as_str();
    report
        .statements
        .iter()
        .filter(|s| selected.is_none_or(|u| data.tree().within(&s.unit, u)))
        .map(|s| BudgetRow {
            title: s.title.clone(),
            total: s.total.as_ref().map_or_else(String::new, |(l, a)| {
                format!(
                    "{l}: {} {}",
                    a.annual.display(s.scale, true),
                    s.scale.label()
                )
            }),
            variance: s.variance.map_or_else(
                || "n/a".into(),
                |v| format!("{} {}", v.display(s.scale, true), s.scale.label()),
            ),
            overspent: s.variance.is_some_and(|v| v.0 < 0),
            reconciles: s.reconciliation.status.reconciles,
            reason: s.reconciliation.reason.clone(),
            href: paths::statement(c, q, s.reference.as_str()),
        })
        .collect()
}

/// The whole council, then every directorate and department, to narrow the dashboard to.
fn unit_links(data: &CouncilData, selected: Option<&Ref>) -> Vec<UnitLink> {
    let mut units = vec![UnitLink {
        name: "Whole council".into(),
        value: String::new(),
        current: selected.is_none(),
    }];
    for u in data.units.iter().filter(|u| {
        matches!(
            u.kind,
            beacon_domain::organisation::UnitKind::Directorate
                | beacon_domain::organisation::UnitKind::Department
        )
    }) {
        units.push(UnitLink {
            name: u.name.clone(),
            value: u.reference.to_string(),
            current: selected == Some(&u.reference),
        });
    }
    units
}

fn build(
    data: &CouncilData,
    q: Quarter,
    selected: Option<&Ref>,
    national: Option<&QuartileColumn>,
) -> Dashboard {
    let c = data.council.reference.as_str();
    let report = status_report(
        data,
        &StatusQuery {
            quarter: q,
            plan: None,
            unit: None,
        },
    );
    let mut grouped = Grouped::new(data, c, selected, national);
    for i in &report.indicators {
        grouped.indicator(i);
    }
    for m in &report.milestones {
        grouped.milestone(m);
    }
    grouped.sort();
    let unit_name = |u: &Ref| {
        data.units
            .iter()
            .find(|x| &x.reference == u)
            .map_or_else(|| u.to_string(), |x| x.name.clone())
    };
    let record_unit = data
        .quarters
        .iter()
        .find(|r| r.header.period == q && selected.is_none_or(|s| &r.header.unit == s))
        .map(|r| r.header.unit.clone());
    Dashboard {
        chrome: Chrome::council(data, latest_quarter(data), Section::Quarter)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        heading: format!("Quarter {} {}", q.q.number(), q.year),
        scope: selected.map_or_else(|| data.council.name.clone(), unit_name),
        units: unit_links(data, selected),
        action: paths::dashboard(c, q, None),
        saved: false,
        indicators: grouped.indicators,
        milestones: grouped.milestones,
        exceptions: grouped.exceptions,
        priorities: grouped.sections,
        risks: risk_counts(data, &report, selected),
        budget: budget_rows(data, &report, q, selected),
        entry: selected.map(|u| paths::entry(c, q, u.as_str())),
        report: record_unit
            .as_ref()
            .map(|u| paths::report(c, q, u.as_str())),
        cover: record_unit.as_ref().map(|u| paths::cover(c, q, u.as_str())),
        outturn: record_unit.map(|u| paths::outturn(c, q.year, u.as_str())),
        kpi_headers: [
            "Ref",
            "Measure",
            "Target",
            "Value",
            "Progress",
            "Direction of travel",
        ]
        .into_iter()
        .map(str::to_string)
        .chain(national.map(|n| n.heading.clone()))
        .collect(),
        national_key: national.map(|n| n.key.clone()),
    }
}
