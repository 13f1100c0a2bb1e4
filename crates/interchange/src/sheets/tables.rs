//! Exports: any list Beacon holds (indicators, values, milestones, risks, budget lines) as a
//! table, written to XLSX or CSV. Every text cell is neutralised (`neutralise`), so a cell that
//! a spreadsheet would take for a formula arrives as inert text.

use crate::sheets::neutralise::neutralise;
use crate::sheets::problem::SheetError;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::measure::Measure;
use beacon_domain::period::Period;
use beacon_domain::plan::PlanDocument;
use beacon_domain::risk::RiskAssessment;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, Workbook};
use std::collections::BTreeSet;

beacon_domain::word_enum! {
    /// The lists that can be exported.
    TableKind {
        Indicators = "indicators",
        Values = "values",
        Milestones = "milestones",
        Risks = "risks",
        BudgetLines = "budget-lines",
    }
}

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A number, written as a number so a spreadsheet can sum it.
    Number(Decimal),
    /// An amount in pounds, written with two decimals.
    Money(Decimal),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
    fn opt(s: Option<impl ToString>) -> Cell {
        s.map_or(Cell::Empty, |v| Cell::text(v.to_string()))
    }
    /// The text a CSV file holds: neutralised text, exact decimals.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(t) => neutralise(t),
            Cell::Number(n) => n.normalize().to_string(),
            Cell::Money(n) => format!("{:.2}", n),
            Cell::Empty => String::new(),
        }
    }
}

/// A table: a name (the sheet's), headings and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn plans<'a>(data: &'a CouncilData, plan: Option<&Ref>) -> Result<Vec<&'a PlanDocument>, String> {
    match plan {
        Some(p) => data
            .plan(p.as_str())
            .map(|d| vec![d])
            .ok_or_else(|| format!("no plan {p} in council {}", data.council.reference)),
        None => Ok(data.plans.iter().collect()),
    }
}

fn describe(a: &Option<RiskAssessment>) -> Cell {
    match a {
        None => Cell::Empty,
        Some(a) => Cell::text(match (a.likelihood, a.impact, a.score(), a.band) {
            (Some(l), Some(i), _, _) => format!("likelihood {l} × impact {i} = {}", l * i),
            (_, _, Some(s), _) => format!("score {s}"),
            (_, _, None, Some(b)) => format!("band {b}"),
            _ => String::new(),
        }),
    }
}

fn measure_cells(m: &Measure) -> [Cell; 4] {
    [
        Cell::text(m.text()),
        m.value().map_or(Cell::Empty, Cell::Number),
        Cell::text(
            m.qualifiers()
                .iter()
                .map(|q| q.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Cell::opt(m.as_at()),
    ]
}

fn headings(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

/// The table of one list of a council, optionally only one plan's (budget lines: the plan's
/// unit's statements).
pub fn table(data: &CouncilData, kind: TableKind, plan: Option<&Ref>) -> Result<Table, String> {
    let docs = plans(data, plan)?;
    Ok(match kind {
        TableKind::Indicators => indicators(&docs),
        TableKind::Values => values(data, &docs),
        TableKind::Milestones => milestones(data, &docs),
        TableKind::Risks => risks(data, &docs),
        TableKind::BudgetLines => budget_lines(data, &docs, plan),
    })
}

/// Every indicator with its targets by year.
fn indicators(docs: &[&PlanDocument]) -> Table {
    let mut rows = Vec::new();
    let years: BTreeSet<Period> = docs
        .iter()
        .flat_map(|d| d.indicators.iter().flat_map(|i| i.targets.keys().copied()))
        .collect();
    let mut h = headings(&[
        "Plan",
        "Ref",
        "Printed ref",
        "Aliases",
        "Description",
        "Unit",
        "Group",
        "Category",
        "Key",
        "Measured in",
        "Better is",
        "Frequency",
        "Accumulation",
        "Calendar",
        "Priority",
        "Officer",
        "Baseline period",
        "Baseline",
    ]);
    h.extend(years.iter().map(|y| format!("Target {y}")));
    h.extend(headings(&["Data source", "Notes"]));
    for d in docs {
        for i in &d.indicators {
            let mut row = vec![
                Cell::text(d.plan.reference.to_string()),
                Cell::text(i.reference.to_string()),
                Cell::opt(i.printed_ref.as_ref()),
                Cell::text(
                    i.aliases
                        .iter()
                        .map(Ref::as_str)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Cell::text(&i.description),
                Cell::opt(i.unit.as_ref()),
                Cell::opt(i.group.as_ref()),
                Cell::opt(i.category),
                Cell::text(if i.key { "yes" } else { "no" }),
                Cell::opt(i.measure),
                Cell::opt(i.better),
                Cell::opt(i.frequency),
                Cell::text(i.accumulation.to_string()),
                Cell::text(i.calendar.to_string()),
                Cell::opt(i.priority.as_ref()),
                Cell::opt(i.officer.as_ref()),
                Cell::opt(i.baseline.as_ref().map(|b| b.period)),
                Cell::opt(i.baseline.as_ref().map(|b| b.value.to_string())),
            ];
            row.extend(years.iter().map(|y| Cell::opt(i.targets.get(y))));
            row.push(Cell::opt(i.data_source.as_ref()));
            row.push(Cell::opt(i.notes.as_ref()));
            rows.push(row);
        }
    }
    Table {
        name: "Indicators".into(),
        headings: h,
        rows,
    }
}

/// Every value: the plans' own and those reported in quarters.
fn values(data: &CouncilData, docs: &[&PlanDocument]) -> Table {
    let mut rows = Vec::new();
    let h = headings(&[
        "Plan",
        "Indicator",
        "Description",
        "Period",
        "Value",
        "Number",
        "Qualifiers",
        "As at",
        "Reported in",
        "Officer",
    ]);
    for d in docs {
        for i in &d.indicators {
            for (p, m) in &i.values {
                let mut row = vec![
                    Cell::text(d.plan.reference.to_string()),
                    Cell::text(i.reference.to_string()),
                    Cell::text(&i.description),
                    Cell::text(p.to_string()),
                ];
                row.extend(measure_cells(m));
                row.push(Cell::text("plan"));
                row.push(Cell::Empty);
                rows.push(row);
            }
            for q in data
                .quarters
                .iter()
                .filter(|q| q.header.plan == d.plan.reference)
            {
                for v in q
                    .values
                    .iter()
                    .filter(|v| i.answers_to(v.indicator.as_str()))
                {
                    let mut row = vec![
                        Cell::text(d.plan.reference.to_string()),
                        Cell::text(i.reference.to_string()),
                        Cell::text(&i.description),
                        Cell::text(v.period.to_string()),
                    ];
                    row.extend(measure_cells(&v.value));
                    row.push(Cell::text(format!("{} {}", q.header.unit, q.header.period)));
                    row.push(Cell::opt(v.officer.as_ref()));
                    rows.push(row);
                }
            }
        }
    }
    Table {
        name: "Values".into(),
        headings: h,
        rows,
    }
}

/// Every milestone with its latest progress.
fn milestones(data: &CouncilData, docs: &[&PlanDocument]) -> Table {
    let mut rows = Vec::new();
    let h = headings(&[
        "Plan",
        "Objective",
        "Ref",
        "Year",
        "Milestone",
        "Due",
        "Officer",
        "Priority",
        "Latest progress",
        "Recorded in",
        "Completed on",
    ]);
    for d in docs {
        for (o, m) in d.milestones() {
            let latest = data
                .quarters
                .iter()
                .filter(|q| q.header.plan == d.plan.reference)
                .flat_map(|q| q.progress.iter().map(move |p| (q.header.period, p)))
                .filter(|(_, p)| p.milestone == m.reference)
                .max_by_key(|(q, _)| *q);
            rows.push(vec![
                Cell::text(d.plan.reference.to_string()),
                Cell::text(o.reference.to_string()),
                Cell::text(m.reference.to_string()),
                Cell::text(m.year.to_string()),
                Cell::text(&m.text),
                Cell::text(m.due.describe()),
                Cell::opt(m.officer.as_ref()),
                Cell::opt(m.priority.as_ref()),
                Cell::opt(latest.map(|(_, p)| p.status)),
                Cell::opt(latest.map(|(q, _)| q)),
                Cell::opt(latest.and_then(|(_, p)| p.completed)),
            ]);
        }
    }
    Table {
        name: "Milestones".into(),
        headings: h,
        rows,
    }
}

/// Every risk with its assessments banded by the council's matrix.
fn risks(data: &CouncilData, docs: &[&PlanDocument]) -> Table {
    let mut rows = Vec::new();
    let matrix = beacon_app::status::settings(data).matrix;
    let band = |a: &Option<RiskAssessment>| {
        Cell::opt(a.as_ref().and_then(|a| matrix.assess(a)).map(|b| b.status))
    };
    let h = headings(&[
        "Plan",
        "Ref",
        "Objective",
        "Risk",
        "Initial assessment",
        "Initial band",
        "Current assessment",
        "Current band",
        "Treatment",
    ]);
    for d in docs {
        for r in &d.risks {
            rows.push(vec![
                Cell::text(d.plan.reference.to_string()),
                Cell::text(r.reference.to_string()),
                Cell::opt(r.objective.as_ref()),
                Cell::text(&r.description),
                describe(&r.initial),
                band(&r.initial),
                describe(&r.residual),
                band(&r.residual),
                Cell::text(r.treatment.join("; ")),
            ]);
        }
    }
    Table {
        name: "Risks".into(),
        headings: h,
        rows,
    }
}

/// Every budget line (of the plans' units' statements when one plan is asked for): a monitoring
/// line's amounts in the monitoring columns, a budget book's in expenditure, income and net.
fn budget_lines(data: &CouncilData, docs: &[&PlanDocument], plan: Option<&Ref>) -> Table {
    let mut rows = Vec::new();
    let units: Option<Vec<&Ref>> = plan.map(|_| docs.iter().map(|d| &d.plan.unit).collect());
    let pounds = |p: beacon_domain::money::Pence| Cell::Money(Decimal::new(p.0, 2));
    let h = headings(&[
        "Statement",
        "Period",
        "Unit",
        "Kind",
        "Title",
        "Group",
        "Line",
        "Annual budget (£)",
        "Budget to date (£)",
        "Spend to date (£)",
        "Variance to date (£)",
        "Expenditure (£)",
        "Income (£)",
        "Net (£)",
        "Note",
    ]);
    for s in data
        .statements
        .iter()
        .filter(|s| units.as_ref().is_none_or(|u| u.contains(&&s.unit)))
    {
        for l in &s.lines {
            let group = s.groups.iter().find(|g| g.key == l.group);
            let a = &l.amounts;
            let (monitoring, book) = if s.kind.is_annual() {
                (
                    vec![Cell::Empty; 4],
                    vec![pounds(a.annual), pounds(a.to_date), pounds(a.spent)],
                )
            } else {
                let variance = s.kind.variance(a).map_or(Cell::Empty, pounds);
                let m = vec![
                    pounds(a.annual),
                    pounds(a.to_date),
                    pounds(a.spent),
                    variance,
                ];
                (m, vec![Cell::Empty; 3])
            };
            let mut row = vec![
                Cell::text(s.reference.to_string()),
                Cell::text(if s.kind.is_annual() {
                    s.period.year.to_string()
                } else {
                    s.period.to_string()
                }),
                Cell::text(s.unit.to_string()),
                Cell::text(s.kind.to_string()),
                Cell::text(&s.title),
                Cell::text(group.map_or(l.group.to_string(), |g| {
                    g.heading.clone().unwrap_or_else(|| g.label.clone())
                })),
                Cell::text(&l.label),
            ];
            row.extend(monitoring);
            row.extend(book);
            row.push(Cell::opt(l.note.as_ref()));
            rows.push(row);
        }
    }
    Table {
        name: "Budget lines".into(),
        headings: h,
        rows,
    }
}

/// The table as CSV (UTF-8, a heading row, text neutralised).
pub fn to_csv(t: &Table) -> Result<Vec<u8>, SheetError> {
    let err = |e: csv::Error| SheetError::Write(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(t.headings.iter().map(|h| neutralise(h)))
        .map_err(err)?;
    for row in &t.rows {
        w.write_record(row.iter().map(Cell::csv)).map_err(err)?;
    }
    w.into_inner().map_err(|e| SheetError::Write(e.to_string()))
}

/// The tables as one workbook, a sheet each: headings bold and frozen, a filter on them,
/// numbers as numbers, text neutralised.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9D9D9));
    let money = Format::new().set_num_format("#,##0.00;-#,##0.00");
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(&t.name)?;
        let width = u16::try_from(t.headings.len())
            .map_err(|_| SheetError::Write("too many columns".into()))?;
        for (c, h) in (0u16..).zip(&t.headings) {
            ws.write_string_with_format(0, c, neutralise(h), &heading)?;
            ws.set_column_width(c, 16)?;
        }
        for (r, row) in (1u32..).zip(&t.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, neutralise(s))?;
                    }
                    // XLSX stores every number as an IEEE double; the exact decimal is kept
                    // in CSV exports and in Beacon itself.
                    Cell::Number(n) => {
                        ws.write_number(r, c, n.to_f64().unwrap_or_default())?;
                    }
                    Cell::Money(n) => {
                        ws.write_number_with_format(r, c, n.to_f64().unwrap_or_default(), &money)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if width > 0 {
            let last = u32::try_from(t.rows.len()).unwrap_or(u32::MAX);
            ws.autofilter(0, 0, last, width - 1)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}
