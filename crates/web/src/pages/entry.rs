//! Data entry for a unit's quarter: one form listing the unit's indicators and milestones with
//! last year's same-period value and the target beside each input; value, words, qualifier,
//! commentary, milestone progress, status set by hand with its required reason, key
//! developments and emerging issues, each risk's progress with its likelihood and impact this
//! quarter, and each equality action's progress. Validation shows the GOV.UK error summary, keeps what was
//! typed, and saves nothing until everything is valid; then all is saved in one transaction.

use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, StatusView, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::Extension;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::CouncilData;
use beacon_app::access::Action;
use beacon_app::lifecycle::QuarterStatus;
use beacon_app::recording::{
    self, Author, Entry, EqualityInput, Field, Home, IndicatorInput, MilestoneInput,
    NarrativeInput, NarrativeKind, Problem, Refusal, RiskInput, Seen, Spot, lock, own_commentary,
};
use beacon_app::status::{StatusQuery, StatusReport, risk_trend, status_report};
use beacon_domain::Ref;
use beacon_domain::measure::Qualifier;
use beacon_domain::period::{Period, Quarter};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{CommentaryAbout, QuarterRecord};
use std::collections::HashMap;
use std::sync::Arc;

/// An error shown in the summary and beside its field.
#[derive(Clone)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// The message for one field among a form's errors, for templates to show beside it.
    pub fn for_field<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// An indicator's row of the form.
pub struct IndicatorField {
    pub n: usize,
    pub reference: String,
    pub codes: String,
    pub description: String,
    pub target: String,
    pub last_year: String,
    pub status: Option<StatusView>,
    pub value: String,
    pub words: String,
    pub qualifier: String,
    pub comment: String,
    pub chosen: String,
    pub reason: String,
    pub error: HashMap<String, String>,
}

impl IndicatorField {
    /// The message for one of the row's fields (`value`, `comment`…), or empty.
    pub fn err(&self, field: &str) -> &str {
        self.error.get(field).map_or("", String::as_str)
    }
}

/// A milestone's row of the form.
pub struct MilestoneField {
    pub n: usize,
    pub reference: String,
    pub text: String,
    pub due: String,
    pub status: Option<StatusView>,
    pub progress: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub comment: String,
    pub chosen: String,
    pub reason: String,
    pub error: HashMap<String, String>,
}

impl MilestoneField {
    /// The message for one of the row's fields (`progress`, `comment`…), or empty.
    pub fn err(&self, field: &str) -> &str {
        self.error.get(field).map_or("", String::as_str)
    }
}

/// A risk's row of the form: progress on its treatment, its likelihood and impact now.
pub struct RiskField {
    pub n: usize,
    pub reference: String,
    pub description: String,
    /// The plan's residual assessment, in words.
    pub residual: String,
    /// The year's quarters assessed so far, in words ("Q1 12 High").
    pub trend: String,
    pub progress: String,
    pub likelihood: String,
    pub impact: String,
    pub error: HashMap<String, String>,
}

impl RiskField {
    /// The message for one of the row's fields (`progress`, `likelihood`, `impact`), or empty.
    pub fn err(&self, field: &str) -> &str {
        self.error.get(field).map_or("", String::as_str)
    }
}

/// An equality action's row of the form.
pub struct EqualityField {
    pub n: usize,
    pub reference: String,
    pub action: String,
    pub area: String,
    pub progress: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    heading: String,
    unit_name: String,
    plan_title: String,
    action: String,
    errors: Vec<FieldError>,
    officers: Vec<(String, String)>,
    /// "Entering on someone's behalf" is offered (to a performance officer).
    may_enter_for_others: bool,
    officer: String,
    officer_error: String,
    indicators: Vec<IndicatorField>,
    milestones: Vec<MilestoneField>,
    risks: Vec<RiskField>,
    equalities: Vec<EqualityField>,
    /// The side of the council's risk matrix, for the hint.
    side: u8,
    qualifiers: Vec<&'static str>,
    progress_choices: Vec<(&'static str, &'static str)>,
    status_choices: Vec<(&'static str, &'static str)>,
    narratives: Vec<NarrativeField>,
    /// The quarter's version when the page was shown; the store refuses a save over a later one.
    version: i64,
    /// Why the quarter cannot be changed (signed off or published), if it cannot.
    locked: Option<String>,
    sign_off: String,
    workbook: String,
    upload: String,
}

/// A narrative to add: a key development or an emerging issue.
pub struct NarrativeField {
    pub prefix: &'static str,
    pub label: &'static str,
    pub title: String,
    pub text: String,
    pub title_error: String,
    pub text_error: String,
}

/// What the form is about: the unit's home for the quarter (the plan and record its entries
/// go to) and its items.
struct Scope<'a> {
    data: &'a CouncilData,
    unit: Ref,
    quarter: Quarter,
    home: Home<'a>,
}

impl<'a> Scope<'a> {
    fn find(data: &'a CouncilData, unit: &str, quarter: Quarter) -> Result<Scope<'a>, WebError> {
        let unit: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
        let home = Home::find(data, &unit, quarter, None).map_err(|_| WebError::NotFound)?;
        Ok(Scope {
            data,
            unit,
            quarter,
            home,
        })
    }

    fn plan(&self) -> &'a PlanDocument {
        self.home.plan()
    }

    fn indicators(&self) -> Vec<&'a beacon_domain::indicator::Indicator> {
        self.home.share.indicators.clone()
    }

    fn milestones(
        &self,
    ) -> Vec<(
        &'a beacon_domain::objective::Objective,
        &'a beacon_domain::objective::Milestone,
    )> {
        self.home.share.milestones.clone()
    }

    fn record(&self) -> Option<&'a QuarterRecord> {
        self.home.record
    }
}

fn status_choices() -> Vec<(&'static str, &'static str)> {
    vec![
        ("", "Keep the status the rules give"),
        ("green", "Green"),
        ("amber", "Amber"),
        ("red", "Red"),
        ("not-assessed", "Not assessed"),
    ]
}

fn progress_choices() -> Vec<(&'static str, &'static str)> {
    vec![
        ("", "Not recorded"),
        ("on-track", "On track"),
        ("at-risk", "At risk"),
        ("off-track", "Off track"),
        ("complete", "Complete"),
    ]
}

/// The form's fields as typed (or as stored, on first view).
type Fields = HashMap<String, String>;

/// What was typed and what was wrong with it, looked up by field name.
struct Typed<'a> {
    fields: &'a Fields,
    errors: HashMap<&'a str, &'a str>,
}

impl<'a> Typed<'a> {
    fn new(fields: &'a Fields, errors: &'a [FieldError]) -> Typed<'a> {
        Typed {
            fields,
            errors: errors
                .iter()
                .map(|e| (e.field.as_str(), e.message.as_str()))
                .collect(),
        }
    }

    fn get(&self, k: String) -> String {
        self.fields.get(&k).cloned().unwrap_or_default()
    }

    fn error(&self, k: &str) -> String {
        self.errors
            .get(k)
            .map(|m| (*m).to_string())
            .unwrap_or_default()
    }

    /// The errors of one item's fields, by the field's name after the item's prefix.
    fn errors_for(&self, prefix: &str) -> HashMap<String, String> {
        self.errors
            .iter()
            .filter_map(|(f, m)| {
                f.strip_prefix(prefix)
                    .map(|rest| (rest.to_string(), (*m).to_string()))
            })
            .collect()
    }
}

/// The indicators' rows: what the plan says, the status now, and what was typed.
fn indicator_fields(
    scope: &Scope<'_>,
    report: &StatusReport,
    t: &Typed<'_>,
) -> Vec<IndicatorField> {
    let q = scope.quarter;
    scope
        .indicators()
        .iter()
        .enumerate()
        .map(|(n, ind)| {
            let s = report
                .indicators
                .iter()
                .find(|s| s.reference == ind.reference);
            IndicatorField {
                n,
                reference: ind.reference.to_string(),
                codes: ind.all_codes(),
                description: ind.description.clone(),
                target: ind
                    .targets
                    .get(&Period::FinancialYear(q.year))
                    .map_or_else(|| "None set".into(), ToString::to_string),
                last_year: s
                    .and_then(|s| s.last_year.as_ref())
                    .map_or_else(|| "None recorded".into(), |(p, m)| format!("{m} ({p})")),
                status: s
                    .map(|s| StatusView::progress(s.status, &s.computed, s.set_by_hand.as_ref())),
                value: t.get(format!("i{n}-value")),
                words: t.get(format!("i{n}-words")),
                qualifier: t.get(format!("i{n}-qualifier")),
                comment: t.get(format!("i{n}-comment")),
                chosen: t.get(format!("i{n}-status")),
                reason: t.get(format!("i{n}-reason")),
                error: t.errors_for(&format!("i{n}-")),
            }
        })
        .collect()
}

/// The milestones' rows: what the plan says, the status now, and what was typed.
fn milestone_fields(
    scope: &Scope<'_>,
    report: &StatusReport,
    t: &Typed<'_>,
) -> Vec<MilestoneField> {
    scope
        .milestones()
        .iter()
        .enumerate()
        .map(|(n, (_, m))| {
            let s = report
                .milestones
                .iter()
                .find(|s| s.reference == m.reference);
            MilestoneField {
                n,
                reference: m.reference.to_string(),
                text: m.text.clone(),
                due: m.due.describe(),
                status: s
                    .map(|s| StatusView::progress(s.status, &s.computed, s.set_by_hand.as_ref())),
                progress: t.get(format!("m{n}-progress")),
                day: t.get(format!("m{n}-day")),
                month: t.get(format!("m{n}-month")),
                year: t.get(format!("m{n}-year")),
                comment: t.get(format!("m{n}-comment")),
                chosen: t.get(format!("m{n}-status")),
                reason: t.get(format!("m{n}-reason")),
                error: t.errors_for(&format!("m{n}-")),
            }
        })
        .collect()
}

/// The risks' rows: the plan's residual assessment, the year so far, and what was typed.
fn risk_fields(scope: &Scope<'_>, t: &Typed<'_>) -> Vec<RiskField> {
    let data = scope.data;
    let matrix = data.settings().matrix;
    let plan = scope.plan();
    scope
        .home
        .risks()
        .into_iter()
        .enumerate()
        .map(|(n, (r, description))| {
            let residual = plan
                .risks
                .iter()
                .find(|x| &x.reference == r)
                .and_then(|x| x.residual.as_ref())
                .or_else(|| {
                    plan.objectives
                        .iter()
                        .find(|o| &o.reference == r)
                        .and_then(|o| o.residual_risk.as_ref())
                })
                .and_then(|a| matrix.assess(a))
                .map_or_else(|| "Not recorded".into(), |a| a.reason);
            let trend = risk_trend(data, &plan.plan.reference, r, scope.quarter.year);
            RiskField {
                n,
                reference: r.to_string(),
                description,
                residual,
                trend: if trend.is_empty() {
                    "None assessed yet".into()
                } else {
                    trend.to_string()
                },
                progress: t.get(format!("r{n}-progress")),
                likelihood: t.get(format!("r{n}-likelihood")),
                impact: t.get(format!("r{n}-impact")),
                error: t.errors_for(&format!("r{n}-")),
            }
        })
        .collect()
}

/// The equality actions' rows.
fn equality_fields(scope: &Scope<'_>, t: &Typed<'_>) -> Vec<EqualityField> {
    scope
        .home
        .equality_actions()
        .into_iter()
        .enumerate()
        .map(|(n, a)| EqualityField {
            n,
            reference: a.reference.to_string(),
            action: a.action.clone(),
            area: a.area.clone(),
            progress: t.get(format!("e{n}-progress")),
            error: t.error(&format!("e{n}-progress")),
        })
        .collect()
}

fn page(scope: &Scope<'_>, fields: &Fields, errors: Vec<FieldError>) -> EntryPage {
    let data = scope.data;
    let c = data.council.reference.as_str();
    let q = scope.quarter;
    let report = status_report(
        data,
        &StatusQuery {
            quarter: q,
            plan: Some(scope.plan().plan.reference.clone()),
            unit: None,
        },
    );
    // The errors go into the page whole; this copy is looked up by field.
    let by_field = errors.clone();
    let t = Typed::new(fields, &by_field);
    let indicators = indicator_fields(scope, &report, &t);
    let milestones = milestone_fields(scope, &report, &t);
    let unit_name = data
        .units
        .iter()
        .find(|u| u.reference == scope.unit)
        .map_or_else(|| scope.unit.to_string(), |u| u.name.clone());
    EntryPage {
        may_enter_for_others: false,
        version: 0,
        locked: None,
        sign_off: paths::sign_off(c, q, scope.unit.as_str()),
        workbook: paths::workbook(c, q, scope.unit.as_str()),
        upload: paths::workbook_upload(c, q, scope.unit.as_str()),
        chrome: Chrome::council(data, latest_quarter(data), Section::Quarter).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, Some(scope.unit.as_str())),
            ),
        ]),
        heading: format!("Enter data for Quarter {} {}", q.q.number(), q.year),
        unit_name,
        plan_title: scope.plan().plan.title.clone(),
        action: paths::entry(c, q, scope.unit.as_str()),
        officer: t.get("officer".into()),
        officer_error: t.error("officer"),
        officers: data
            .officers
            .iter()
            .map(|o| {
                (
                    o.reference.to_string(),
                    format!("{} ({})", o.name, o.reference),
                )
            })
            .collect(),
        indicators,
        milestones,
        risks: risk_fields(scope, &t),
        equalities: equality_fields(scope, &t),
        side: data.settings().matrix.side,
        qualifiers: Qualifier::ALL.iter().map(|q| q.as_str()).collect(),
        progress_choices: progress_choices(),
        status_choices: status_choices(),
        narratives: [("kd", "key development"), ("ei", "emerging issue")]
            .into_iter()
            .map(|(prefix, label)| NarrativeField {
                prefix,
                label,
                title: t.get(format!("{prefix}-title")),
                text: t.get(format!("{prefix}-text")),
                title_error: t.error(&format!("{prefix}-title")),
                text_error: t.error(&format!("{prefix}-text")),
            })
            .collect(),
        errors,
    }
}

/// The stored quarter's values as form fields, for the first view.
fn stored_fields(scope: &Scope<'_>) -> Fields {
    let mut f = Fields::new();
    let Some(record) = scope.record() else {
        return f;
    };
    let period = Period::Quarter(scope.quarter);
    for (n, ind) in scope.indicators().iter().enumerate() {
        if let Some(v) = record
            .values
            .iter()
            .find(|v| ind.answers_to(v.indicator.as_str()) && v.period == period)
        {
            // As every form shows a value, so that saving it again changes nothing.
            let (value, words, qualifier) = recording::value::as_entered(&v.value);
            f.insert(format!("i{n}-value"), value);
            f.insert(format!("i{n}-words"), words);
            f.insert(format!("i{n}-qualifier"), qualifier);
        }
        let (said, _) = own_commentary(record, CommentaryAbout::Indicators, |x| ind.answers_to(x));
        f.insert(format!("i{n}-comment"), said);
    }
    for (n, (_, m)) in scope.milestones().iter().enumerate() {
        if let Some(p) = record.progress.iter().find(|p| p.milestone == m.reference) {
            f.insert(format!("m{n}-progress"), p.status.as_str().to_string());
            if let Some(d) = p.completed {
                f.insert(format!("m{n}-day"), d.format("%-d").to_string());
                f.insert(format!("m{n}-month"), d.format("%-m").to_string());
                f.insert(format!("m{n}-year"), d.format("%Y").to_string());
            }
        }
        let (said, _) = own_commentary(record, CommentaryAbout::Milestones, |x| {
            x == m.reference.as_str()
        });
        f.insert(format!("m{n}-comment"), said);
    }
    for (n, (r, _)) in scope.home.risks().into_iter().enumerate() {
        let (progress, l, i) = recording::risk_as_entered(record, r);
        f.insert(format!("r{n}-progress"), progress);
        f.insert(
            format!("r{n}-likelihood"),
            l.map_or_else(String::new, |x| x.to_string()),
        );
        f.insert(
            format!("r{n}-impact"),
            i.map_or_else(String::new, |x| x.to_string()),
        );
    }
    for (n, a) in scope.home.equality_actions().into_iter().enumerate() {
        f.insert(
            format!("e{n}-progress"),
            recording::equality_as_entered(record, &a.reference),
        );
    }
    f
}

/// The form's field for a problem, to show it beside that field.
fn field_of(p: &Problem) -> String {
    let name = |f: Field| match f {
        Field::Value | Field::Item | Field::Period => "value",
        Field::Words => "words",
        Field::Qualifier => "qualifier",
        Field::Commentary => "comment",
        Field::Progress => "progress",
        Field::Completed => "day",
        Field::Status => "status",
        Field::Reason => "reason",
        Field::Title => "title",
        Field::Text => "text",
        Field::Officer | Field::Version => "officer",
        Field::Likelihood => "likelihood",
        Field::Impact => "impact",
    };
    match p.spot {
        Spot::Indicator(n) => format!("i{n}-{}", name(p.field)),
        Spot::Milestone(n) => format!("m{n}-{}", name(p.field)),
        Spot::Narrative(n) => format!("{}-{}", if n == 0 { "kd" } else { "ei" }, name(p.field)),
        Spot::Risk(n) => match p.field {
            Field::Likelihood | Field::Impact => format!("r{n}-{}", name(p.field)),
            _ => format!("r{n}-progress"),
        },
        Spot::Equality(n) => format!("e{n}-progress"),
        Spot::Entry => "officer".into(),
    }
}

/// The form's fields as an entry: only the items the form says it carries (by their hidden
/// ref fields), each field as typed.
fn entry_of(scope: &Scope<'_>, fields: &Fields, author: Author) -> Entry {
    let get = |k: String| Some(fields.get(&k).cloned().unwrap_or_default());
    let indicators = (0..scope.indicators().len())
        .filter_map(|n| {
            let indicator = fields.get(&format!("i{n}-ref"))?.clone();
            Some(IndicatorInput {
                indicator,
                period: None,
                value: get(format!("i{n}-value")),
                words: get(format!("i{n}-words")),
                qualifier: get(format!("i{n}-qualifier")),
                commentary: get(format!("i{n}-comment")),
                status: get(format!("i{n}-status")),
                reason: get(format!("i{n}-reason")),
                officer: None,
            })
        })
        .collect();
    let milestones = (0..scope.milestones().len())
        .filter_map(|n| {
            let milestone = fields.get(&format!("m{n}-ref"))?.clone();
            let part = |f: &str| fields.get(&format!("m{n}-{f}")).map_or("", |s| s.trim());
            let date = [part("day"), part("month"), part("year")];
            let completed = if date.iter().all(|d| d.is_empty()) {
                String::new()
            } else {
                date.join("/")
            };
            Some(MilestoneInput {
                milestone,
                progress: get(format!("m{n}-progress")),
                completed: Some(completed),
                commentary: get(format!("m{n}-comment")),
                status: get(format!("m{n}-status")),
                reason: get(format!("m{n}-reason")),
                officer: None,
            })
        })
        .collect();
    let narratives = [
        ("kd", NarrativeKind::KeyDevelopment),
        ("ei", NarrativeKind::EmergingIssue),
    ]
    .into_iter()
    .map(|(prefix, kind)| NarrativeInput {
        kind,
        title: fields
            .get(&format!("{prefix}-title"))
            .cloned()
            .unwrap_or_default(),
        text: fields
            .get(&format!("{prefix}-text"))
            .cloned()
            .unwrap_or_default(),
    })
    .collect();
    let risks = (0..scope.home.risks().len())
        .filter_map(|n| {
            Some(RiskInput {
                risk: fields.get(&format!("r{n}-ref"))?.clone(),
                progress: get(format!("r{n}-progress")),
                likelihood: get(format!("r{n}-likelihood")),
                impact: get(format!("r{n}-impact")),
                officer: None,
            })
        })
        .collect();
    let equalities = (0..scope.home.equality_actions().len())
        .filter_map(|n| {
            Some(EqualityInput {
                action: fields.get(&format!("e{n}-ref"))?.clone(),
                progress: get(format!("e{n}-progress")),
            })
        })
        .collect();
    Entry {
        unit: scope.unit.clone(),
        quarter: scope.quarter,
        plan: Some(scope.plan().plan.reference.clone()),
        seen: Seen::Form(fields.get("version").cloned()),
        author,
        indicators,
        milestones,
        narratives,
        risks,
        equalities,
    }
}

/// Puts the quarter's version, its lock and the on-behalf choice on the page.
fn finish(
    mut p: EntryPage,
    scope: &Scope<'_>,
    statuses: &[QuarterStatus],
    viewer: &Viewer,
) -> EntryPage {
    p.version = QuarterStatus::of(statuses, &scope.unit, scope.quarter).version;
    let own = QuarterStatus::of(statuses, &scope.unit, scope.quarter);
    p.locked = if own.state.is_locked() {
        Some(format!(
            "This quarter is {} (by {} on {}). Its figures cannot be changed unless an approver reopens it.",
            own.state.label().to_lowercase(),
            own.changed_by,
            own.changed_at.format("%-d %B %Y at %H:%M UTC")
        ))
    } else {
        lock(scope.data, statuses, &scope.unit, scope.quarter)
            .map(|why| format!("Its figures cannot be changed: {why}."))
    };
    p.may_enter_for_others = may_enter_for_others(scope.data, viewer, &scope.unit);
    p
}

fn may_enter_for_others(data: &CouncilData, viewer: &Viewer, unit: &Ref) -> bool {
    viewer
        .principal()
        .is_some_and(|p| p.may_on_unit(data, unit, Action::Manage))
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, unit)): Path<(String, String, u8, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let scope = Scope::find(&data, &unit, q)?;
    let statuses = state
        .store
        .quarter_statuses(&data.council.reference)
        .await?;
    render(&finish(
        page(&scope, &stored_fields(&scope), Vec::new()),
        &scope,
        &statuses,
        &viewer,
    ))
}

pub async fn submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, unit)): Path<(String, String, u8, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let scope = Scope::find(&data, &unit, q)?;
    let fields: Fields = pairs.into_iter().collect();
    let statuses = state
        .store
        .quarter_statuses(&data.council.reference)
        .await?;
    let author = Author {
        user: viewer.name(),
        display_name: viewer
            .principal()
            .map(|p| p.display_name.clone())
            .unwrap_or_default(),
        may_enter_for_others: may_enter_for_others(&data, &viewer, &scope.unit),
        on_behalf_of: fields.get("officer").cloned(),
        // The edge reads the clock; the use case is given the time.
        at: (state.clock)(),
    };
    let entry = entry_of(&scope, &fields, author);
    let (code, errors) = match recording::record(&state.store, &data, &statuses, &entry).await {
        Ok(_) => {
            let to = format!(
                "{}&saved=1",
                paths::dashboard(
                    data.council.reference.as_str(),
                    q,
                    Some(scope.unit.as_str())
                )
            );
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Refusal::Problems(ps)) => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ps.iter()
                .map(|p| FieldError {
                    field: field_of(p),
                    message: p.message.clone(),
                })
                .collect(),
        ),
        Err(Refusal::Refused(message)) => (
            axum::http::StatusCode::CONFLICT,
            vec![FieldError {
                field: "officer".into(),
                message,
            }],
        ),
        Err(Refusal::Failed(e)) => return Err(e.into()),
    };
    let mut html = finish(page(&scope, &fields, errors), &scope, &statuses, &viewer);
    html.heading = format!("Error: {}", html.heading);
    Ok((code, render(&html)?).into_response())
}
