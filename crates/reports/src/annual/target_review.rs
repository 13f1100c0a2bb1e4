//! The annual review of targets (seed 001, "Proposed Target Revisions resulting from the Annual
//! Light Touch Review"): for each indicator a unit monitors, its history, the year's target,
//! outturn and forecast, next year's target as the plans stand, and the target proposed with
//! its rationale (`beacon_domain::status::review::propose`), for the board to agree. The
//! proposals are also listed as a plan file takes them (plan, indicator, year, target), ready to
//! go into the plan's next version.

use super::priorities::{priority_heading, sort_priorities};
use super::{Across, YearQuery, target_cell, value_cell};
use crate::error::ReportError;
use crate::model::{
    Block, Cell, ColumnKind, FORMAT_VERSION, Fact, Report, ReportKind, Row, RowKind, Section, Table,
};
use crate::monitoring::items::Items;
use crate::monitoring::scope::Scope;
use crate::monitoring::{MonitoringQuery, col, item_row, kind_label, para, table};
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::period::{FinancialYear, QuarterNo};
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::review::{Proposal, ReviewInput, TargetProposal, propose};

/// One indicator's review.
struct Reviewed<'a> {
    plan: &'a PlanDocument,
    ind: &'a Indicator,
    proposal: TargetProposal,
}

/// Builds the annual target review of a unit. Pure: no IO.
pub fn target_review(data: &CouncilData, q: &YearQuery) -> Result<Report, ReportError> {
    let scope = Scope::new(
        data,
        &MonitoringQuery {
            unit: q.unit.clone(),
            quarter: q.year.quarter(QuarterNo::Q4),
        },
    )?;
    let items = Items::collect(&scope);
    let next = q.year.next().ok_or_else(|| {
        ReportError::NotFound(format!("{} has no next year to set targets for", q.year))
    })?;
    let mut named: Vec<Option<Ref>> = Vec::new();
    for (_, i, _) in &items.indicators {
        if !named.contains(&i.priority) {
            named.push(i.priority.clone());
        }
    }
    sort_priorities(data, &mut named);
    let mut t = review_table(q.year, next);
    let mut reviewed = Vec::new();
    for p in &named {
        let (_, title) = priority_heading(data, p, "Other measures");
        t.rows.push(Row {
            kind: RowKind::Heading,
            cells: vec![Cell::text(title)],
        });
        for (plan, ind, _) in items.indicators.iter().filter(|(_, i, _)| &i.priority == p) {
            let r = review(data, plan, ind, q.year, next, &mut t);
            reviewed.push(r);
        }
    }
    let changes: Vec<&Reviewed> = reviewed
        .iter()
        .filter(|r| {
            matches!(
                r.proposal.proposal,
                Proposal::Raise | Proposal::Set | Proposal::CarryForward
            )
        })
        .collect();
    let plan_lines = proposed_lines(&changes, next);
    let count = |k: Proposal| reviewed.iter().filter(|r| r.proposal.proposal == k).count();
    let summary = format!(
        "{} indicators reviewed: {} to keep, {} to raise, {} to carry forward, {} to set, {} with no proposal.",
        reviewed.len(),
        count(Proposal::Keep),
        count(Proposal::Raise),
        count(Proposal::CarryForward),
        count(Proposal::Set),
        count(Proposal::None)
    );
    let unit = scope.unit;
    let mut agree = vec![para(format!(
        "The board is asked to agree the proposed {next} targets below, or to amend them. Agreed targets are carried into the plan's next version when it is refreshed: each line gives the plan, the indicator and the target as a plan file's [indicators.targets] table takes them (\"{next}\" = \"<target>\")."
    ))];
    if changes.is_empty() {
        agree.push(para("No target changes are proposed."));
    } else {
        agree.push(Block::Table(plan_lines));
    }
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::TargetReview,
        council: data.council.name.clone(),
        title: format!("Annual Review of Targets {next}"),
        facts: vec![
            Fact {
                label: kind_label(unit.kind).into(),
                value: unit.name.clone(),
            },
            Fact {
                label: "Year reviewed".into(),
                value: q.year.to_string(),
            },
            Fact {
                label: "Targets for".into(),
                value: next.to_string(),
            },
        ],
        as_at: q.year.last_day().format("%Y-%m-%d").to_string(),
        sections: vec![
            Section {
                id: "review".into(),
                number: Some("1.0".into()),
                heading: "Proposed Targets".into(),
                blocks: vec![para(summary), para(RULE), Block::Table(t)],
                subsections: Vec::new(),
            },
            Section {
                id: "agree".into(),
                number: Some("2.0".into()),
                heading: "For the Board to Agree".into(),
                blocks: agree,
                subsections: Vec::new(),
            },
        ],
    })
}

/// The review's table: its columns, one row per indicator to follow under its priority.
fn review_table(year: FinancialYear, next: FinancialYear) -> Table {
    table(
        "target-review".into(),
        format!("Targets for {next}: proposals"),
        vec![
            col("Ref", ColumnKind::Ref),
            col("Measure", ColumnKind::Text),
            col("History", ColumnKind::Text),
            col(&format!("{} Target", year.short()), ColumnKind::Measure),
            col(&format!("{} Outturn", year.short()), ColumnKind::Measure),
            col("Forecast", ColumnKind::Measure),
            col(
                &format!("{} Target (current)", next.short()),
                ColumnKind::Measure,
            ),
            col("Proposal", ColumnKind::Text),
            col(
                &format!("{} Target (proposed)", next.short()),
                ColumnKind::Measure,
            ),
            col("Rationale", ColumnKind::Text),
        ],
    )
}

/// The proposed targets as a plan file takes them: plan, indicator, year and target.
fn proposed_lines(changes: &[&Reviewed], next: FinancialYear) -> Table {
    let mut lines = table(
        "proposed-targets".into(),
        format!("Proposed {next} targets as the plan file takes them"),
        vec![
            col("Plan", ColumnKind::Ref),
            col("Indicator", ColumnKind::Ref),
            col("Year", ColumnKind::Date),
            col("Target", ColumnKind::Measure),
        ],
    );
    for r in changes {
        lines.rows.push(item_row(vec![
            Cell::text(r.plan.plan.reference.as_str()),
            Cell::text(r.ind.reference.as_str()),
            Cell::text(next.to_string()),
            Cell::text(r.proposal.target.clone().unwrap_or_default()),
        ]));
    }
    lines
}

/// The proposal rule in words, as the report prints it.
const RULE: &str = "How each proposal is made: the year is judged on its forecast (the result when it is in, else the projection to year end or the latest value). A target not met keeps next year's target (or, with none, is carried forward). A target met keeps next year's target when it already asks for at least the forecast, and otherwise raises it to the forecast, so no target asks for less than has been achieved. Measures kept for information, or with no figure for the year, keep the target they have. The rationale says which applied.";

fn review<'a>(
    data: &'a CouncilData,
    plan: &'a PlanDocument,
    ind: &'a Indicator,
    year: FinancialYear,
    next: FinancialYear,
    t: &mut crate::model::Table,
) -> Reviewed<'a> {
    let across = Across::new(data, plan, ind);
    let now = across.year_end(year);
    let target = now.status.target.as_ref();
    let next_target = across.target(next);
    let forecast = now.forecast.as_ref().map_err(String::as_str);
    let proposal = propose(&ReviewInput {
        better: ind.better,
        unit: ind.measure,
        year,
        target,
        forecast,
        next: next_target,
    });
    let history: Vec<String> = across
        .history(year)
        .iter()
        .filter_map(|(y, e)| {
            e.status.value.as_ref().map(|(p, m)| {
                if p.financial_year() == Some(*y)
                    && matches!(p, beacon_domain::period::Period::FinancialYear(_))
                {
                    format!("{y}: {m}")
                } else {
                    format!("{y}: {m} ({p})")
                }
            })
        })
        .collect();
    let codes = now.status.codes.clone();
    t.rows.push(item_row(vec![
        Cell::text(&codes),
        Cell::text(&ind.description),
        Cell::text(history.join("; ")),
        target_cell(target, year),
        value_cell(&now, year),
        Cell::text(match &now.forecast {
            Ok(f) => f.text.clone(),
            Err(_) => "None".to_string(),
        }),
        target_cell(next_target, next),
        Cell::text(proposal.proposal.label()),
        Cell::text(proposal.target.clone().unwrap_or_default()),
        Cell::text(&proposal.rationale),
    ]));
    Reviewed {
        plan,
        ind,
        proposal,
    }
}
