//! Data entry for a unit's quarter: one form listing the unit's indicators and milestones with
//! last year's same-period value and the target beside each input; value, words, qualifier,
//! commentary, milestone progress, status set by hand with its required reason, key
//! developments and emerging issues. Validation shows the GOV.UK error summary, keeps what was
//! typed, and saves nothing until everything is valid; then all is saved in one transaction.

use super::quarter::within;
use super::render;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::lifecycle::status_of;
use crate::paths;
use crate::view::{Chrome, Section, StatusView, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::Extension;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::lifecycle::QuarterStatus;
use beacon_app::status::{StatusQuery, status_report};
use beacon_app::{CouncilChanges, CouncilData};
use beacon_domain::Ref;
use beacon_domain::measure::{Measure, Qualifier, read_number};
use beacon_domain::period::{Period, Quarter};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{
    Commentary, CommentaryAbout, Narrative, Progress as Recorded, ProgressStatus, QuarterHeader,
    QuarterRecord, ValueEntry,
};
use beacon_domain::status::Progress;
use beacon_domain::status::overrides::{ItemKind, Override};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// The longest text any field takes.
const MAX_TEXT: usize = 5_000;

/// An error shown in the summary and beside its field.
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
    officer: String,
    officer_error: String,
    indicators: Vec<IndicatorField>,
    milestones: Vec<MilestoneField>,
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

/// What the form is about: the unit, the quarter and the plan whose items it lists.
struct Scope<'a> {
    data: &'a CouncilData,
    unit: Ref,
    quarter: Quarter,
    plan: &'a PlanDocument,
}

impl<'a> Scope<'a> {
    fn find(data: &'a CouncilData, unit: &str, quarter: Quarter) -> Result<Scope<'a>, WebError> {
        let unit: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
        if !data.units.iter().any(|u| u.reference == unit) {
            return Err(WebError::NotFound);
        }
        // The plan of this unit's record for the quarter, else the newest plan covering the
        // year that the unit sits in (owned by it or by a unit above it).
        let recorded = data
            .quarters
            .iter()
            .find(|r| r.header.unit == unit && r.header.period == quarter)
            .and_then(|r| data.plan(r.header.plan.as_str()));
        let plan = recorded
            .or_else(|| {
                data.plans
                    .iter()
                    .filter(|p| {
                        p.plan.years.contains(quarter.year) && within(data, &unit, &p.plan.unit)
                    })
                    .max_by_key(|p| p.plan.years.first())
            })
            .ok_or(WebError::NotFound)?;
        Ok(Scope {
            data,
            unit,
            quarter,
            plan,
        })
    }

    fn mine(&self, own: Option<&Ref>) -> bool {
        within(self.data, own.unwrap_or(&self.plan.plan.unit), &self.unit)
            || self.unit == self.plan.plan.unit
    }

    fn indicators(&self) -> Vec<&'a beacon_domain::indicator::Indicator> {
        self.plan
            .indicators
            .iter()
            .filter(|i| self.mine(i.unit.as_ref()))
            .collect()
    }

    fn milestones(
        &self,
    ) -> Vec<(
        &'a beacon_domain::objective::Objective,
        &'a beacon_domain::objective::Milestone,
    )> {
        self.plan
            .milestones()
            .filter(|(o, m)| m.year == self.quarter.year && self.mine(o.unit.as_ref()))
            .collect()
    }

    fn record(&self) -> Option<&'a QuarterRecord> {
        self.data
            .quarters
            .iter()
            .find(|r| r.header.unit == self.unit && r.header.period == self.quarter)
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

fn page(scope: &Scope<'_>, fields: &Fields, errors: Vec<FieldError>) -> EntryPage {
    let data = scope.data;
    let c = data.council.reference.as_str();
    let q = scope.quarter;
    let report = status_report(
        data,
        &StatusQuery {
            quarter: q,
            plan: Some(scope.plan.plan.reference.clone()),
            unit: None,
        },
    );
    let get = |k: String| fields.get(&k).cloned().unwrap_or_default();
    let err_map: HashMap<&str, &str> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    let errs_for = |prefix: &str| -> HashMap<String, String> {
        err_map
            .iter()
            .filter_map(|(f, m)| {
                f.strip_prefix(prefix)
                    .map(|rest| (rest.to_string(), (*m).to_string()))
            })
            .collect()
    };
    let indicators = scope
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
                value: get(format!("i{n}-value")),
                words: get(format!("i{n}-words")),
                qualifier: get(format!("i{n}-qualifier")),
                comment: get(format!("i{n}-comment")),
                chosen: get(format!("i{n}-status")),
                reason: get(format!("i{n}-reason")),
                error: errs_for(&format!("i{n}-")),
            }
        })
        .collect();
    let milestones = scope
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
                progress: get(format!("m{n}-progress")),
                day: get(format!("m{n}-day")),
                month: get(format!("m{n}-month")),
                year: get(format!("m{n}-year")),
                comment: get(format!("m{n}-comment")),
                chosen: get(format!("m{n}-status")),
                reason: get(format!("m{n}-reason")),
                error: errs_for(&format!("m{n}-")),
            }
        })
        .collect();
    let unit_name = data
        .units
        .iter()
        .find(|u| u.reference == scope.unit)
        .map_or_else(|| scope.unit.to_string(), |u| u.name.clone());
    EntryPage {
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
        plan_title: scope.plan.plan.title.clone(),
        action: paths::entry(c, q, scope.unit.as_str()),
        officer: get("officer".into()),
        officer_error: err_map
            .get("officer")
            .map(|m| (*m).to_string())
            .unwrap_or_default(),
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
        qualifiers: Qualifier::ALL.iter().map(|q| q.as_str()).collect(),
        progress_choices: progress_choices(),
        status_choices: status_choices(),
        narratives: [("kd", "key development"), ("ei", "emerging issue")]
            .into_iter()
            .map(|(prefix, label)| NarrativeField {
                prefix,
                label,
                title: get(format!("{prefix}-title")),
                text: get(format!("{prefix}-text")),
                title_error: err_map
                    .get(format!("{prefix}-title").as_str())
                    .map(|m| (*m).to_string())
                    .unwrap_or_default(),
                text_error: err_map
                    .get(format!("{prefix}-text").as_str())
                    .map(|m| (*m).to_string())
                    .unwrap_or_default(),
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
            let m = &v.value;
            // A plain number goes back in the value box; anything with words or qualifiers
            // goes in the words box with its number, so saving the form again changes nothing.
            if m.words().is_none() && m.qualifiers().is_empty() {
                f.insert(format!("i{n}-value"), m.text().to_string());
            } else {
                f.insert(format!("i{n}-words"), m.text().to_string());
                if let Some(x) = m.value() {
                    f.insert(format!("i{n}-value"), x.normalize().to_string());
                }
                if let Some(q) = m.qualifiers().first() {
                    f.insert(format!("i{n}-qualifier"), q.as_str().to_string());
                }
            }
            if let Some(o) = &v.officer {
                f.insert("officer".into(), o.to_string());
            }
        }
        if let Some(c) = record
            .commentary
            .iter()
            .find(|c| c.refs == [ind.reference.clone()] && c.about == CommentaryAbout::Indicators)
        {
            f.insert(format!("i{n}-comment"), c.text.clone());
        }
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
        if let Some(c) = record
            .commentary
            .iter()
            .find(|c| c.refs == [m.reference.clone()] && c.about == CommentaryAbout::Milestones)
        {
            f.insert(format!("m{n}-comment"), c.text.clone());
        }
    }
    f
}

/// Puts the quarter's version and lock on the page.
fn with_status(mut p: EntryPage, status: &QuarterStatus) -> EntryPage {
    p.version = status.version;
    if status.state.is_locked() {
        p.locked = Some(format!(
            "This quarter is {} (by {} on {}). Its figures cannot be changed unless an approver reopens it.",
            status.state.label().to_lowercase(),
            status.changed_by,
            status.changed_at.format("%-d %B %Y at %H:%M UTC")
        ));
    }
    p
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, unit)): Path<(String, String, u8, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let scope = Scope::find(&data, &unit, q)?;
    let status = status_of(&state.store, &data, &scope.unit, q).await?;
    render(&with_status(
        page(&scope, &stored_fields(&scope), Vec::new()),
        &status,
    ))
}

/// What a valid form changes.
struct Valid {
    record: QuarterRecord,
    overrides: Vec<(ItemKind, Ref, Progress, String)>,
}

fn text_field(fields: &Fields, key: &str, label: &str, errors: &mut Vec<FieldError>) -> String {
    let t = fields
        .get(key)
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if t.chars().count() > MAX_TEXT {
        errors.push(FieldError {
            field: key.into(),
            message: format!("{label} must be {MAX_TEXT} characters or fewer"),
        });
    }
    t
}

fn validate(scope: &Scope<'_>, fields: &Fields) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let q = scope.quarter;
    let period = Period::Quarter(q);
    let officer_text = fields
        .get("officer")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let officer: Option<Ref> = scope
        .data
        .officers
        .iter()
        .find(|o| o.reference.as_str() == officer_text)
        .map(|o| o.reference.clone());
    let mut record = scope.record().cloned().unwrap_or_else(|| QuarterRecord {
        header: QuarterHeader {
            unit: scope.unit.clone(),
            period: q,
            plan: scope.plan.plan.reference.clone(),
            title: "Quarterly monitoring".into(),
            introduction: None,
            equality_summary: None,
        },
        key_developments: Vec::new(),
        emerging_issues: Vec::new(),
        risk_updates: Vec::new(),
        equality_updates: Vec::new(),
        values: Vec::new(),
        progress: Vec::new(),
        commentary: Vec::new(),
    });
    let initials: Vec<Ref> = officer.iter().cloned().collect();
    let mut overrides = Vec::new();
    let mut anything = false;
    for (n, ind) in scope.indicators().iter().enumerate() {
        let key = |f: &str| format!("i{n}-{f}");
        let codes = ind.all_codes();
        let value = text_field(
            fields,
            &key("value"),
            &format!("The value of {codes}"),
            &mut errors,
        );
        let words = text_field(
            fields,
            &key("words"),
            &format!("The words for {codes}"),
            &mut errors,
        );
        let qualifier = fields
            .get(&key("qualifier"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let comment = text_field(
            fields,
            &key("comment"),
            &format!("The commentary on {codes}"),
            &mut errors,
        );
        let number = if value.is_empty() {
            None
        } else {
            match read_number(&value) {
                Some(n) => Some(n),
                None => {
                    errors.push(FieldError {
                        field: key("value"),
                        message: format!("Enter the value of {codes} as a number, like 54.1%, 1,118 or £432.30, or leave it blank and enter words"),
                    });
                    None
                }
            }
        };
        let qualifiers = match qualifier.as_str() {
            "" => Vec::new(),
            other => match other.parse::<Qualifier>() {
                Ok(x) => vec![x],
                Err(_) => {
                    errors.push(FieldError {
                        field: key("qualifier"),
                        message: format!(
                            "Choose provisional, unvalidated or estimated for {codes}, or none"
                        ),
                    });
                    Vec::new()
                }
            },
        };
        let previous = record
            .values
            .iter()
            .find(|v| ind.answers_to(v.indicator.as_str()) && v.period == period)
            .cloned();
        record
            .values
            .retain(|v| !(ind.answers_to(v.indicator.as_str()) && v.period == period));
        if number.is_some() || !words.is_empty() {
            anything = true;
            let text = if words.is_empty() {
                value.clone()
            } else {
                words.clone()
            };
            match Measure::new(&text, number, qualifiers, None) {
                // An unchanged value keeps the officer who entered it.
                Ok(m) => record.values.push(match previous.filter(|p| p.value == m) {
                    Some(p) => p,
                    None => ValueEntry {
                        indicator: ind.reference.clone(),
                        period,
                        value: m,
                        officer: officer.clone(),
                    },
                }),
                Err(e) => errors.push(FieldError {
                    field: key("value"),
                    message: format!("The value of {codes}: {e}"),
                }),
            }
        }
        record.commentary.retain(|c| {
            !(c.refs == [ind.reference.clone()] && c.about == CommentaryAbout::Indicators)
        });
        if !comment.is_empty() {
            anything = true;
            record.commentary.push(Commentary {
                priority: ind.priority.clone(),
                about: CommentaryAbout::Indicators,
                text: comment,
                initials: initials.clone(),
                refs: vec![ind.reference.clone()],
            });
        }
        if let Some(o) = chosen(fields, &key("status"), &key("reason"), &codes, &mut errors) {
            anything = true;
            overrides.push((ItemKind::Indicator, ind.reference.clone(), o.0, o.1));
        }
    }
    for (n, (_, m)) in scope.milestones().iter().enumerate() {
        let key = |f: &str| format!("m{n}-{f}");
        let r = m.reference.as_str();
        let progress = fields
            .get(&key("progress"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let comment = text_field(
            fields,
            &key("comment"),
            &format!("The commentary on milestone {r}"),
            &mut errors,
        );
        let status = match progress.as_str() {
            "" => None,
            p => match p.parse::<ProgressStatus>() {
                Ok(s) => Some(s),
                Err(_) => {
                    errors.push(FieldError {
                        field: key("progress"),
                        message: format!("Choose the progress of milestone {r}"),
                    });
                    None
                }
            },
        };
        let parts: Vec<String> = ["day", "month", "year"]
            .iter()
            .map(|f| {
                fields
                    .get(&key(f))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            })
            .collect();
        let completed = if parts.iter().all(String::is_empty) {
            None
        } else {
            let date = (|| {
                let d: u32 = parts[0].parse().ok()?;
                let mo: u32 = parts[1].parse().ok()?;
                let y: i32 = parts[2].parse().ok()?;
                if !(1900..=2200).contains(&y) {
                    return None;
                }
                NaiveDate::from_ymd_opt(y, mo, d)
            })();
            if date.is_none() {
                errors.push(FieldError {
                    field: key("day"),
                    message: format!(
                        "The completion date of milestone {r} must be a real date, like 27 3 2013"
                    ),
                });
            }
            date
        };
        if completed.is_some() && status != Some(ProgressStatus::Complete) {
            errors.push(FieldError {
                field: key("progress"),
                message: format!(
                    "Milestone {r} has a completion date: choose Complete, or remove the date"
                ),
            });
        }
        record.progress.retain(|p| p.milestone != m.reference);
        if let Some(s) = status {
            anything = true;
            record.progress.push(Recorded {
                milestone: m.reference.clone(),
                status: s,
                completed,
                initials: initials.clone(),
            });
        }
        record.commentary.retain(|c| {
            !(c.refs == [m.reference.clone()] && c.about == CommentaryAbout::Milestones)
        });
        if !comment.is_empty() {
            anything = true;
            record.commentary.push(Commentary {
                priority: m.priority.clone(),
                about: CommentaryAbout::Milestones,
                text: comment,
                initials: initials.clone(),
                refs: vec![m.reference.clone()],
            });
        }
        if let Some(o) = chosen(
            fields,
            &key("status"),
            &key("reason"),
            &format!("milestone {r}"),
            &mut errors,
        ) {
            anything = true;
            overrides.push((ItemKind::Milestone, m.reference.clone(), o.0, o.1));
        }
    }
    for (prefix, label, list) in [
        ("kd", "key development", &mut record.key_developments),
        ("ei", "emerging issue", &mut record.emerging_issues),
    ] {
        let title = text_field(
            fields,
            &format!("{prefix}-title"),
            &format!("The {label}'s title"),
            &mut errors,
        );
        let text = text_field(
            fields,
            &format!("{prefix}-text"),
            &format!("The {label}"),
            &mut errors,
        );
        match (title.is_empty(), text.is_empty()) {
            (true, true) => {}
            (false, false) => {
                anything = true;
                list.push(Narrative {
                    title,
                    text,
                    initials: initials.clone(),
                });
            }
            (true, false) => errors.push(FieldError {
                field: format!("{prefix}-title"),
                message: format!("Enter a title for the {label}"),
            }),
            (false, true) => errors.push(FieldError {
                field: format!("{prefix}-text"),
                message: format!("Enter the {label}"),
            }),
        }
    }
    if anything && officer.is_none() {
        errors.insert(
            0,
            FieldError {
                field: "officer".into(),
                message: "Select who is entering this data".into(),
            },
        );
    }
    if !anything && errors.is_empty() {
        errors.push(FieldError {
            field: "officer".into(),
            message: "Enter at least one value, progress, commentary or update before saving"
                .into(),
        });
    }
    if errors.is_empty() {
        Ok(Valid { record, overrides })
    } else {
        Err(errors)
    }
}

/// A status set by hand from the form, with its required reason.
fn chosen(
    fields: &Fields,
    status_key: &str,
    reason_key: &str,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<(Progress, String)> {
    let s = fields
        .get(status_key)
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if s.is_empty() {
        return None;
    }
    let Ok(p) = s.parse::<Progress>() else {
        errors.push(FieldError {
            field: status_key.into(),
            message: format!("Choose a status for {what}"),
        });
        return None;
    };
    let reason = fields
        .get(reason_key)
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if reason.is_empty() {
        errors.push(FieldError {
            field: reason_key.into(),
            message: format!("Enter why you are setting the status of {what} by hand"),
        });
        return None;
    }
    Some((p, reason))
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
    let status = status_of(&state.store, &data, &scope.unit, q).await?;
    let refused = |message: String| -> Result<Response, WebError> {
        let mut html = with_status(
            page(
                &scope,
                &fields,
                vec![FieldError {
                    field: "officer".into(),
                    message,
                }],
            ),
            &status,
        );
        html.heading = format!("Error: {}", html.heading);
        Ok((axum::http::StatusCode::CONFLICT, render(&html)?).into_response())
    };
    if status.state.is_locked() {
        return refused(format!(
            "Nothing was saved: {} {} is {}. An approver must reopen it before it can change.",
            scope.unit,
            q,
            status.state.label().to_lowercase()
        ));
    }
    let seen_version: Option<i64> = fields.get("version").and_then(|v| v.trim().parse().ok());
    let valid = match validate(&scope, &fields) {
        Ok(v) => v,
        Err(errors) => {
            let mut html = with_status(page(&scope, &fields, errors), &status);
            html.heading = format!("Error: {}", html.heading);
            return Ok(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&html)?).into_response(),
            );
        }
    };
    // The statuses the rules give with the new data, kept beside any set by hand.
    let mut after = (*data).clone();
    after
        .quarters
        .retain(|r| !(r.header.unit == scope.unit && r.header.period == q));
    after.quarters.push(valid.record.clone());
    let report = status_report(
        &after,
        &StatusQuery {
            quarter: q,
            plan: Some(scope.plan.plan.reference.clone()),
            unit: None,
        },
    );
    let by = valid
        .record
        .values
        .iter()
        .find_map(|v| v.officer.clone())
        .map_or_else(
            || fields.get("officer").cloned().unwrap_or_default(),
            |o| o.to_string(),
        );
    // The edge reads the clock; the domain is given the time.
    #[allow(clippy::disallowed_methods)]
    let now = chrono::Utc::now();
    let at = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let overrides = valid
        .overrides
        .into_iter()
        .map(|(kind, item, chosen, reason)| {
            let computed = match kind {
                ItemKind::Indicator => report
                    .indicators
                    .iter()
                    .find(|s| s.reference == item)
                    .map(|s| s.computed.status),
                ItemKind::Milestone => report
                    .milestones
                    .iter()
                    .find(|s| s.reference == item)
                    .map(|s| s.computed.status),
            };
            Override {
                plan: scope.plan.plan.reference.clone(),
                kind,
                item,
                quarter: q,
                computed: computed.unwrap_or(Progress::NotAssessed),
                chosen,
                reason,
                by: by.clone(),
                at: at.clone(),
            }
        })
        .collect();
    let changes = CouncilChanges {
        quarters: vec![valid.record],
        overrides,
        ..CouncilChanges::council_only(&data.council)
    };
    let actor = beacon_app::audit::Actor::new(viewer.name(), now);
    match beacon_app::commit::write(
        &state.store,
        Some(&data),
        changes,
        &actor,
        Some(seen_version.unwrap_or(status.version)),
    )
    .await
    {
        Ok(()) => {}
        Err(beacon_app::AppError::Refused(m)) => return refused(m),
        Err(e) => return Err(e.into()),
    }
    let to = format!(
        "{}&saved=1",
        paths::dashboard(
            data.council.reference.as_str(),
            q,
            Some(scope.unit.as_str())
        )
    );
    Ok(Redirect::to(&to).into_response())
}
