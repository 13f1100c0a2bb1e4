//! The annual outturn report of a directorate or department: every indicator it monitors with
//! its year-end value against the year's target, its status and its direction of travel
//! against the previous year, grouped by priority with a chart of each priority's statuses.
//! Covers what the quarterly report for the year's fourth quarter covers (`monitoring::scope`),
//! judged by the status engine at that quarter.

use super::priorities::{priority_heading, sort_priorities};
use super::{
    Across, YearQuery, progress_chart, progress_counts, target_cell, travel_counts, travel_words,
    value_cell, year_fact,
};
use crate::cells::{Notes, measure_cell};
use crate::error::ReportError;
use crate::model::{
    Block, Cell, ColumnKind, FORMAT_VERSION, Fact, Report, ReportKind, Row, Section, Subsection,
    Table,
};
use crate::monitoring::items::Items;
use crate::monitoring::scope::Scope;
use crate::monitoring::{MonitoringQuery, col, item_row, kind_label, para, table};
use crate::symbols::{progress_cell, travel_cell};
use beacon_app::CouncilData;
use beacon_app::status::{IndicatorStatus, YearEnd};
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::period::{FinancialYear, Period, QuarterNo};
use beacon_domain::plan::PlanDocument;

/// Builds the annual outturn report of a unit. Pure: no IO.
pub fn outturn_report(data: &CouncilData, q: &YearQuery) -> Result<Report, ReportError> {
    let quarter = q.year.quarter(QuarterNo::Q4);
    let scope = Scope::new(
        data,
        &MonitoringQuery {
            unit: q.unit.clone(),
            quarter,
        },
    )?;
    let items = Items::collect(&scope);
    let rows: Vec<(&PlanDocument, &Indicator, &IndicatorStatus)> = items
        .indicators
        .iter()
        .map(|(p, i, s)| (*p, *i, s))
        .collect();
    let mut named: Vec<Option<Ref>> = Vec::new();
    for (_, i, _) in &rows {
        if !named.contains(&i.priority) {
            named.push(i.priority.clone());
        }
    }
    sort_priorities(data, &mut named);
    let mut notes = Notes::default();
    let mut subsections = Vec::new();
    let mut summary = summary_table();
    for p in &named {
        let these: Vec<_> = rows.iter().filter(|(_, i, _)| &i.priority == p).collect();
        let (line, sub) = priority_part(data, q, p, &these, &mut notes);
        summary.rows.push(line);
        subsections.push(sub);
    }
    let all: Vec<_> = rows.iter().map(|(_, _, s)| s.status).collect();
    let travels: Vec<_> = rows.iter().map(|(_, _, s)| s.travel.status).collect();
    let overall = progress_chart(
        "outturn-overall".into(),
        format!("All indicators: status at year end {}", q.year),
        &all,
    );
    let mut summary_blocks = vec![para(overall.summary.clone())];
    summary_blocks.push(para(format!(
        "Against the previous year: {}.",
        travel_words(&travels)
    )));
    if rows.is_empty() {
        summary_blocks.push(para("No performance indicators are monitored this year."));
    } else {
        summary_blocks.push(Block::Table(summary));
    }
    let unit = scope.unit;
    let kind = kind_label(unit.kind);
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::Outturn,
        council: data.council.name.clone(),
        title: format!("Annual Outturn Report {}", q.year),
        facts: vec![
            Fact {
                label: kind.to_string(),
                value: unit.name.clone(),
            },
            year_fact("Year", q.year),
        ],
        as_at: q.year.last_day().format("%Y-%m-%d").to_string(),
        sections: vec![
            Section {
                id: "summary".into(),
                number: Some("1.0".into()),
                heading: "Summary".into(),
                blocks: summary_blocks,
                subsections: Vec::new(),
            },
            Section {
                id: "outturn".into(),
                number: Some("2.0".into()),
                heading: "Outturn by Priority".into(),
                blocks: vec![para(format!(
                    "Each indicator's value at the end of {} against the year's target, its status and its direction of travel against the previous year, grouped by priority.",
                    q.year
                ))],
                subsections,
            },
            how_read(q),
        ],
    })
}

/// The summary table's columns: each priority's count of indicators, by status and by
/// direction of travel.
fn summary_table() -> Table {
    table(
        "outturn-summary".into(),
        "Outturn by priority".into(),
        [
            ("Priority", ColumnKind::Text),
            ("Indicators", ColumnKind::Measure),
            ("● Green", ColumnKind::Measure),
            ("▲ Amber", ColumnKind::Measure),
            ("■ Red", ColumnKind::Measure),
            ("— Not assessed", ColumnKind::Measure),
            ("↑ Better", ColumnKind::Measure),
            ("→ The same", ColumnKind::Measure),
            ("↓ Worse", ColumnKind::Measure),
            ("— N/A", ColumnKind::Measure),
        ]
        .into_iter()
        .map(|(l, k)| col(l, k))
        .collect(),
    )
}

/// One priority's part of the report: its line in the summary table, and its subsection (a
/// chart of its statuses, its direction of travel in words, and its indicators' table).
fn priority_part(
    data: &CouncilData,
    q: &YearQuery,
    p: &Option<Ref>,
    these: &[&(&PlanDocument, &Indicator, &IndicatorStatus)],
    notes: &mut Notes,
) -> (Row, Subsection) {
    let (id, title) = priority_heading(data, p, "Other measures");
    let statuses: Vec<_> = these.iter().map(|(_, _, s)| s.status).collect();
    let travels: Vec<_> = these.iter().map(|(_, _, s)| s.travel.status).collect();
    let mut cells = vec![Cell::text(&title), Cell::text(these.len().to_string())];
    cells.extend(
        progress_counts(&statuses)
            .into_iter()
            .map(|(_, n)| n)
            .chain(travel_counts(&travels).into_iter().map(|(_, n)| n))
            .map(|n| Cell::text(n.to_string())),
    );
    let line = item_row(cells);
    let chart = progress_chart(
        format!("{id}-chart"),
        format!("{title}: status at year end"),
        &statuses,
    );
    let mut t = table(
        format!("{id}-outturn"),
        format!("{title}: Outturn {}", q.year),
        indicator_columns(q),
    );
    for (plan, ind, s) in these {
        let previous = q
            .year
            .previous()
            .map(|y| (y, Across::new(data, plan, ind).year_end(y)));
        let row = indicator_row(notes, &mut t, previous.as_ref(), s, q);
        t.rows.push(item_row(row));
    }
    let sub = Subsection {
        id,
        heading: title,
        blocks: vec![
            Block::Chart(chart),
            para(format!("Direction of travel: {}.", travel_words(&travels))),
            Block::Table(t),
        ],
    };
    (line, sub)
}

fn indicator_columns(q: &YearQuery) -> Vec<crate::model::Column> {
    let prev = q
        .year
        .previous()
        .map_or_else(|| "Previous year".to_string(), |y| y.short());
    let this = q.year.short();
    vec![
        col("Ref", ColumnKind::Ref),
        col("Measure", ColumnKind::Text),
        col(&format!("{prev} Outturn"), ColumnKind::Measure),
        col(&format!("{this} Target"), ColumnKind::Measure),
        col(&format!("{this} Outturn"), ColumnKind::Measure),
        col("Status", ColumnKind::Status),
        col("Direction of Travel", ColumnKind::Status),
    ]
}

fn indicator_row(
    notes: &mut Notes,
    t: &mut crate::model::Table,
    previous: Option<&(FinancialYear, YearEnd)>,
    s: &IndicatorStatus,
    q: &YearQuery,
) -> Vec<Cell> {
    let codes = s.codes.clone();
    let progress = notes.attach(
        t,
        &format!("{codes}, status at year end"),
        progress_cell(s.status, &s.computed, s.set_by_hand.as_ref()),
    );
    let travel = notes.attach(
        t,
        &format!("{codes}, direction of travel"),
        travel_cell(&s.travel),
    );
    vec![
        Cell::text(&codes),
        Cell::text(&s.description),
        previous.map_or(Cell::Empty, |(y, e)| value_cell(e, *y)),
        target_cell(s.target.as_ref(), q.year),
        s.value.as_ref().map_or(Cell::Empty, |(p, m)| {
            measure_cell(m, Some(*p), *p != Period::FinancialYear(q.year))
        }),
        progress,
        travel,
    ]
}

/// How the figures are read: the rules, in words.
fn how_read(q: &YearQuery) -> Section {
    Section {
        id: "how-read".into(),
        number: Some("3.0".into()),
        heading: "How the Figures Are Read".into(),
        blocks: vec![
            para(format!(
                "The outturn is the latest value reported for {} by the end of its fourth quarter: the year's result where it is in, otherwise the latest quarter's value. Where that value describes another period (a quarter, an academic year), the period is printed beside it.",
                q.year
            )),
            para(
                "Statuses follow the quarterly report's rules at the fourth quarter: a year's result is Green if it meets its target and Red if not; a count not yet final is projected to year end and a level is judged on its latest value, Amber within the council's tolerance and Red beyond it. Not assessed means there is no numeric target or value, or the indicator does not say which direction is better; the reason is given for each.",
            ),
            para(
                "Direction of travel compares the outturn with the same period of the previous year, or the previous year's outturn: Better, The same (within the council's margin) or Worse, judged by which direction is better for the indicator; N/A where there is nothing to compare with.",
            ),
            para(
                "Symbols: ● Green, ▲ Amber, ■ Red, — Not assessed; ↑ Better, → The same, ↓ Worse, — N/A. Every status is also written in words.",
            ),
        ],
        subsections: Vec::new(),
    }
}
