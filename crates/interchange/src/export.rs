//! Writing plan files: a council's data back into the TOML format it was loaded from, one file
//! for the council (organisation and frames), one per plan, one per quarter and one per
//! unit-and-quarter of budget statements. Loading what this writes gives the same data.

use crate::file_form::{
    AmountForm, BudgetChangeForm, BudgetTotalForm, CouncilHeader, FileForm, GroupForm, LineForm,
    MilestoneForm, ObjectiveForm, StatementForm, StatementPeriod,
};
use beacon_app::CouncilData;
use beacon_domain::budget::{Amounts, Statement};
use beacon_domain::calendar::CouncilCalendar;
use beacon_domain::library::LibraryIndicator;
use beacon_domain::money::Scale;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use std::path::{Path, PathBuf};
use toml::Spanned;

fn s<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

fn empty(council: CouncilHeader) -> FileForm {
    FileForm {
        council: s(council),
        units: Vec::new(),
        officers: Vec::new(),
        frames: Vec::new(),
        library: Vec::new(),
        plan: None,
        objectives: Vec::new(),
        indicators: Vec::new(),
        risks: Vec::new(),
        equality_actions: Vec::new(),
        budget_changes: Vec::new(),
        budget_totals: Vec::new(),
        quarter: None,
        key_developments: Vec::new(),
        emerging_issues: Vec::new(),
        risk_updates: Vec::new(),
        equality_updates: Vec::new(),
        values: Vec::new(),
        progress: Vec::new(),
        commentary: Vec::new(),
        statements: Vec::new(),
        overrides: Vec::new(),
    }
}

fn ref_only(data: &CouncilData) -> CouncilHeader {
    CouncilHeader {
        reference: data.council.reference.clone(),
        name: None,
        tolerance_percent: None,
        colour: None,
        risk_matrix: None,
        projection: None,
        exceptions: None,
        calendar: None,
    }
}

fn amounts(a: &Amounts, scale: Scale) -> Vec<AmountForm> {
    [a.annual, a.to_date, a.spent]
        .iter()
        .map(|p| AmountForm::Text(p.in_scale(scale)))
        .collect()
}

/// The council file: the council with its settings (its calendar where it has set one),
/// units, officers and frames, each in the natural order of their refs (`BCI 2` before
/// `BCI 10`).
pub fn council_file(data: &CouncilData, calendar: Option<&CouncilCalendar>) -> FileForm {
    let c = &data.council;
    let mut f = empty(CouncilHeader {
        reference: c.reference.clone(),
        name: Some(c.name.clone()),
        tolerance_percent: c.tolerance_percent,
        colour: c.colour.clone(),
        risk_matrix: c.risk_matrix.clone(),
        projection: c.projection,
        exceptions: c.exceptions,
        calendar: calendar.cloned(),
    });
    let mut units = data.units.clone();
    units.sort_by(|a, b| a.reference.natural_cmp(&b.reference));
    let mut officers = data.officers.clone();
    officers.sort_by(|a, b| a.reference.natural_cmp(&b.reference));
    let mut frames = data.frames.clone();
    frames.sort_by(|a, b| a.reference.natural_cmp(&b.reference));
    f.units = units.into_iter().map(s).collect();
    f.officers = officers.into_iter().map(s).collect();
    f.frames = frames.into_iter().map(s).collect();
    let mut library = data.library.clone();
    library.sort_by(|a, b| a.reference.natural_cmp(&b.reference));
    f.library = library.into_iter().map(s).collect();
    f
}

/// A plan's file.
pub fn plan_file(data: &CouncilData, p: &PlanDocument) -> FileForm {
    let mut f = empty(ref_only(data));
    f.plan = Some(s(p.plan.clone()));
    f.objectives = p
        .objectives
        .iter()
        .map(|o| {
            s(ObjectiveForm {
                reference: o.reference.clone(),
                unit: o.unit.clone(),
                statement: o.statement.clone(),
                links: o.links.clone(),
                cross_refs: o.cross_refs.clone(),
                officer: o.officer.clone(),
                initial_risk: o.initial_risk.clone(),
                residual_risk: o.residual_risk.clone(),
                indicators: o.indicators.clone(),
                starts: o.starts,
                ends: o.ends,
                milestones: o
                    .milestones
                    .iter()
                    .map(|m| {
                        s(MilestoneForm {
                            reference: Some(m.reference.clone()),
                            year: Some(m.year),
                            text: m.text.clone(),
                            due: m.due.clone(),
                            officer: m.officer.clone(),
                            priority: m.priority.clone(),
                            before_plan: m.before_plan.clone(),
                            carried_from: m.carried_from,
                        })
                    })
                    .collect(),
            })
        })
        .collect();
    // An indicator that refers to the library is written with its own fields only.
    f.indicators = p
        .indicators
        .iter()
        .map(LibraryIndicator::own_fields)
        .map(s)
        .collect();
    f.risks = p.risks.iter().cloned().map(s).collect();
    f.equality_actions = p.equality_actions.iter().cloned().map(s).collect();
    f.budget_changes = p
        .budget_changes
        .iter()
        .map(|b| {
            s(BudgetChangeForm {
                kind: b.kind,
                year: b.year,
                description: b.description.clone(),
                amount: b.amount.map(|a| AmountForm::Text(a.in_scale(b.scale))),
                scale: b.scale,
            })
        })
        .collect();
    f.budget_totals = p
        .budget_totals
        .iter()
        .map(|t| {
            s(BudgetTotalForm {
                label: t.label.clone(),
                kind: t.kind,
                year: t.year,
                stated: AmountForm::Text(t.stated.in_scale(t.scale)),
                scale: t.scale,
            })
        })
        .collect();
    f
}

/// A quarter's file.
pub fn quarter_file(data: &CouncilData, q: &QuarterRecord) -> FileForm {
    let mut f = empty(ref_only(data));
    f.quarter = Some(s(q.header.clone()));
    f.key_developments = q.key_developments.iter().cloned().map(s).collect();
    f.emerging_issues = q.emerging_issues.iter().cloned().map(s).collect();
    f.risk_updates = q.risk_updates.iter().cloned().map(s).collect();
    f.equality_updates = q.equality_updates.iter().cloned().map(s).collect();
    f.values = q.values.iter().cloned().map(s).collect();
    f.progress = q.progress.iter().cloned().map(s).collect();
    f.commentary = q.commentary.iter().cloned().map(s).collect();
    f
}

fn statement_form(st: &Statement) -> StatementForm {
    StatementForm {
        reference: st.reference.clone(),
        period: if st.kind.is_annual() {
            StatementPeriod::Year(st.period.year)
        } else {
            StatementPeriod::Quarter(st.period)
        },
        unit: st.unit.clone(),
        kind: st.kind,
        title: st.title.clone(),
        scale: st.scale,
        notes: st.notes.clone(),
        projection: st.projection,
        groups: st
            .groups
            .iter()
            .map(|g| {
                s(GroupForm {
                    key: g.key.clone(),
                    parent: g.parent.clone(),
                    label: g.label.clone(),
                    heading: g.heading.clone(),
                    stated: g.stated.as_ref().map(|a| amounts(a, st.scale)),
                })
            })
            .collect(),
        lines: st
            .lines
            .iter()
            .map(|l| {
                s(LineForm {
                    group: l.group.clone(),
                    label: l.label.clone(),
                    amounts: amounts(&l.amounts, st.scale),
                    note: l.note.clone(),
                    source_note: l.source_note.clone(),
                })
            })
            .collect(),
    }
}

/// A file of budget statements.
pub fn statements_file(data: &CouncilData, statements: &[&Statement]) -> FileForm {
    let mut f = empty(ref_only(data));
    f.statements = statements.iter().map(|st| s(statement_form(st))).collect();
    f
}

/// A file name from a ref: letters, digits and `-`, lower-case.
pub fn file_stem(r: &str) -> String {
    let stem: String = r
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    stem.trim_matches('-').to_string()
}

/// Renders a file form as TOML text.
pub fn to_text(form: &FileForm) -> Result<String, String> {
    let body = toml::to_string_pretty(form).map_err(|e| format!("cannot write TOML: {e}"))?;
    Ok(format!(
        "# Written by `beacon export`. The format is described in docs/plan-format.md.\n\n{body}"
    ))
}

/// Every file of a council, as relative paths and text; its calendar, where it has set one, in
/// the council file.
pub fn council_files(
    data: &CouncilData,
    calendar: Option<&CouncilCalendar>,
) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = vec![(
        PathBuf::from("council.toml"),
        to_text(&council_file(data, calendar))?,
    )];
    for p in &data.plans {
        out.push((
            PathBuf::from("plans").join(format!("{}.toml", file_stem(p.plan.reference.as_str()))),
            to_text(&plan_file(data, p))?,
        ));
    }
    for q in &data.quarters {
        let name = format!("{}-{}", q.header.unit, q.header.period);
        out.push((
            PathBuf::from("quarters").join(format!("{}.toml", file_stem(&name))),
            to_text(&quarter_file(data, q))?,
        ));
    }
    let keys: std::collections::BTreeSet<(String, String)> = data
        .statements
        .iter()
        .map(|st| (st.unit.to_string(), st.period.to_string()))
        .collect();
    for (unit, period) in keys {
        let group: Vec<&Statement> = data
            .statements
            .iter()
            .filter(|st| st.unit.as_str() == unit && st.period.to_string() == period)
            .collect();
        out.push((
            PathBuf::from("budgets")
                .join(format!("{}.toml", file_stem(&format!("{unit}-{period}")))),
            to_text(&statements_file(data, &group))?,
        ));
    }
    if !data.overrides.is_empty() {
        let mut f = empty(ref_only(data));
        f.overrides = data.overrides.iter().cloned().map(s).collect();
        out.push((PathBuf::from("overrides.toml"), to_text(&f)?));
    }
    Ok(out)
}

/// Writes files under `dir`, creating folders as needed. Returns the paths written.
pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: cannot create folder: {e}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
