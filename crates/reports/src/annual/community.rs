//! The community strategy's annual progress report (seed 001, "The Sustainable Community
//! Strategy for Halton 2011 - 2016, Annual Progress Report"): the indicators linked to each of
//! the strategy's themes (frames of kind `community-strategy`, linked by an indicator's `links`
//! or `priority`, to the theme or an entry under it), theme by theme, with the baseline, each
//! year's target and outturn, and the year's progress and direction of travel.

use super::{Across, progress_chart, target_cell, value_cell, year_fact};
use crate::cells::{Notes, measure_cell, slug};
use crate::error::ReportError;
use crate::model::{
    Block, Cell, Column, ColumnKind, FORMAT_VERSION, Report, ReportKind, Section, Subsection, Table,
};
use crate::monitoring::{col, item_row, para, table};
use crate::symbols::{progress_cell, travel_cell};
use beacon_app::CouncilData;
use beacon_domain::frame::{Frame, FrameKind};
use beacon_domain::indicator::Indicator;
use beacon_domain::period::FinancialYear;
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::Progress;

/// Which report: the council's community strategy in a financial year.
#[derive(Debug, Clone)]
pub struct CommunityQuery {
    pub year: FinancialYear,
}

/// The strategy's themes, in number order.
fn themes(data: &CouncilData) -> Vec<&Frame> {
    let mut t: Vec<&Frame> = data
        .frames
        .iter()
        .filter(|f| f.kind == FrameKind::CommunityStrategy && f.parent.is_none())
        .collect();
    t.sort_by_key(|f| (f.number.unwrap_or(u32::MAX), f.reference.clone()));
    t
}

/// True if the indicator links to the theme or to an entry under it.
fn linked(data: &CouncilData, theme: &Frame, ind: &Indicator) -> bool {
    ind.links.iter().chain(ind.priority.iter()).any(|l| {
        *l == theme.reference
            || data
                .frames
                .iter()
                .any(|f| &f.reference == l && f.parent.as_ref() == Some(&theme.reference))
    })
}

/// Builds the community strategy's annual progress report. Pure: no IO.
pub fn community_report(data: &CouncilData, q: &CommunityQuery) -> Result<Report, ReportError> {
    let themes = themes(data);
    if themes.is_empty() {
        return Err(ReportError::NotFound(format!(
            "council {} has no community strategy themes: add frames of kind \"community-strategy\" and link indicators to them with links = [\"<theme ref>\"]",
            data.council.reference
        )));
    }
    if !data.plans.iter().any(|p| p.plan.years.contains(q.year)) {
        return Err(ReportError::NotFound(format!(
            "no plan of council {} covers {}",
            data.council.reference, q.year
        )));
    }
    // The plans covering the year, each indicator once (the first plan that holds it).
    let mut indicators: Vec<(&PlanDocument, &Indicator)> = Vec::new();
    for p in data.plans.iter().filter(|p| p.plan.years.contains(q.year)) {
        for i in &p.indicators {
            if !indicators.iter().any(|(_, x)| x.reference == i.reference) {
                indicators.push((p, i));
            }
        }
    }
    let in_themes: Vec<_> = indicators
        .iter()
        .filter(|(_, i)| themes.iter().any(|t| linked(data, t, i)))
        .copied()
        .collect();
    let years = years_shown(data, &in_themes, q.year);
    let mut notes = Notes::default();
    let mut subsections = Vec::new();
    let mut counted = 0usize;
    for theme in &themes {
        let rows: Vec<_> = indicators
            .iter()
            .filter(|(_, i)| linked(data, theme, i))
            .collect();
        if rows.is_empty() {
            continue;
        }
        counted += rows.len();
        let id = format!("theme-{}", slug(theme.reference.as_str()));
        let mut t = table(
            format!("{id}-measures"),
            format!("{}: Measures", theme.title),
            columns(&years, q.year),
        );
        let mut statuses = Vec::new();
        for (plan, ind) in rows {
            statuses.push(measure_row(
                data, plan, ind, &years, q.year, &mut notes, &mut t,
            ));
        }
        let chart = progress_chart(
            format!("{id}-chart"),
            format!("{}: progress {}", theme.title, q.year),
            &statuses,
        );
        subsections.push(Subsection {
            id,
            heading: theme.title.clone(),
            blocks: vec![Block::Chart(chart), Block::Table(t)],
        });
    }
    let mut intro = vec![para(format!(
        "This report summarises progress in {} towards the targets of the council's community strategy, theme by theme: {} measures linked to the strategy's themes, each with its baseline, each year's target and outturn, and progress against the {} target.",
        q.year, counted, q.year
    ))];
    let empty: Vec<&str> = themes
        .iter()
        .filter(|t| !subsections.iter().any(|s| s.heading == t.title))
        .map(|t| t.title.as_str())
        .collect();
    if !empty.is_empty() {
        intro.push(para(format!(
            "No measure of a plan covering {} is linked to: {}.",
            q.year,
            empty.join("; ")
        )));
    }
    intro.push(para("Progress: ● Green, the target is likely to be achieved or exceeded; ▲ Amber, achieving it is uncertain; ■ Red, it is highly unlikely to be or will not be achieved; — Not assessed, with the reason. Direction of travel against the previous year: ↑ Better, → The same, ↓ Worse, — N/A. The outturn is the latest value reported for the year; where it describes another period, the period is printed beside it."));
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::Community,
        council: data.council.name.clone(),
        title: format!("Community Strategy Annual Progress Report {}", q.year),
        facts: vec![year_fact("Reporting Period", q.year)],
        as_at: q.year.last_day().format("%Y-%m-%d").to_string(),
        sections: vec![
            Section {
                id: "introduction".into(),
                number: Some("1.0".into()),
                heading: "Introduction".into(),
                blocks: intro,
                subsections: Vec::new(),
            },
            Section {
                id: "themes".into(),
                number: Some("2.0".into()),
                heading: "Progress by Theme".into(),
                blocks: Vec::new(),
                subsections,
            },
        ],
    })
}

/// One measure's row in its theme's table: codes, description, baseline, each year's target
/// and (up to this year) outturn, progress and direction of travel. Its progress at the year's
/// end is returned for the theme's chart.
fn measure_row(
    data: &CouncilData,
    plan: &PlanDocument,
    ind: &Indicator,
    years: &[FinancialYear],
    year: FinancialYear,
    notes: &mut Notes,
    t: &mut Table,
) -> Progress {
    let across = Across::new(data, plan, ind);
    let now = across.year_end(year);
    let codes = now.status.codes.clone();
    let mut cells = vec![
        Cell::text(&codes),
        Cell::text(&ind.description),
        across.baseline().map_or(Cell::Empty, |b| {
            measure_cell(&b.value, Some(b.period), true)
        }),
    ];
    for y in years {
        cells.push(target_cell(across.target(*y), *y));
        if *y <= year {
            cells.push(value_cell(&across.year_end(*y), *y));
        }
    }
    let s = &now.status;
    cells.push(notes.attach(
        t,
        &format!("{codes}, progress {}", year),
        progress_cell(s.status, &s.computed, s.set_by_hand.as_ref()),
    ));
    cells.push(notes.attach(
        t,
        &format!("{codes}, direction of travel"),
        travel_cell(&s.travel),
    ));
    t.rows.push(item_row(cells));
    now.status.status
}

/// The years shown: every year a measure in the report has a target for, from two years before the
/// report's year to two after, and the report's year itself.
fn years_shown(
    data: &CouncilData,
    indicators: &[(&PlanDocument, &Indicator)],
    year: FinancialYear,
) -> Vec<FinancialYear> {
    let lo = year
        .previous()
        .and_then(FinancialYear::previous)
        .unwrap_or(year);
    let hi = year.next().and_then(FinancialYear::next).unwrap_or(year);
    let mut years = vec![year];
    for (p, i) in indicators {
        years.extend(
            Across::new(data, p, i)
                .target_years()
                .filter(|y| *y >= lo && *y <= hi),
        );
    }
    years.sort();
    years.dedup();
    years
}

fn columns(years: &[FinancialYear], year: FinancialYear) -> Vec<Column> {
    let mut c = vec![
        col("Ref", ColumnKind::Ref),
        col("Measure", ColumnKind::Text),
        col("Baseline", ColumnKind::Measure),
    ];
    for y in years {
        c.push(col(&format!("{} Target", y.short()), ColumnKind::Measure));
        if *y <= year {
            c.push(col(&format!("{} Outturn", y.short()), ColumnKind::Measure));
        }
    }
    c.push(col(
        &format!("{} Progress", year.short()),
        ColumnKind::Status,
    ));
    c.push(col("Direction of Travel", ColumnKind::Status));
    c
}
