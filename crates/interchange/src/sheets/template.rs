//! The collection workbook: one unit's quarter as a workbook to fill in offline. Sheets for
//! indicators, milestones and risks hold the council's data in locked cells and the cells to fill
//! in unlocked (text-formatted, so `54.1%` stays as typed); qualifier, words, progress,
//! likelihood and impact cells have drop-down lists; an About sheet records the council, unit,
//! quarter and plan. What is already recorded for the quarter is filled in, so the workbook can
//! be sent round again. The same content is offered as one CSV file.

use crate::sheets::layout::{self, Column};
use crate::sheets::neutralise::neutralise;
use crate::sheets::problem::SheetError;
use crate::sheets::scope::Scope;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::{Measure, Qualifier};
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::period::{Period, Quarter};
use beacon_domain::quarter::{CommentaryAbout, ProgressStatus, QuarterRecord};
use beacon_domain::risk::{Risk, RiskAssessment};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, Formula,
    ProtectionOptions, Workbook, Worksheet,
};

/// Whose quarter a workbook is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRequest {
    pub unit: Ref,
    pub quarter: Quarter,
    /// The plan, needed only when several plans cover the quarter for the unit.
    pub plan: Option<Ref>,
}

/// One row of a sheet: the text of each column, by key.
type Row = Vec<(&'static str, String)>;

/// The rows a template holds, shared by the workbook and the CSV.
struct Content {
    council: String,
    unit: String,
    unit_name: String,
    quarter: Quarter,
    plan: String,
    indicators: Vec<Row>,
    milestones: Vec<Row>,
    risks: Vec<Row>,
    matrix_side: u8,
}

/// A stored measure as (value, words, qualifier) cells, as every form shows it.
pub(crate) fn measure_cells(m: &Measure) -> (String, String, String) {
    beacon_app::recording::value::as_entered(m)
}

/// The commentary paragraphs that speak of this item alone, joined by a blank line, with the
/// first initials given.
pub(crate) fn own_commentary(
    record: Option<&QuarterRecord>,
    about: CommentaryAbout,
    is_item: impl Fn(&str) -> bool,
) -> (String, String) {
    record.map_or_else(Default::default, |r| {
        let (text, initials) = beacon_app::recording::own_commentary(r, about, is_item);
        let officer = initials
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        (text, officer)
    })
}

fn describe(a: &Option<RiskAssessment>) -> String {
    match a {
        None => String::new(),
        Some(a) => match (a.likelihood, a.impact, a.score(), a.band) {
            (Some(l), Some(i), _, _) => format!("likelihood {l} × impact {i} = {}", l * i),
            (_, _, Some(s), _) => format!("score {s}"),
            (_, _, None, Some(b)) => format!("band {b}"),
            _ => String::new(),
        },
    }
}

/// The value the indicator had in the same period last year (or, failing that, last year's
/// outturn), with the period in brackets.
fn last_year(data: &CouncilData, scope: &Scope<'_>, ind: &Indicator) -> String {
    let q = scope.quarter;
    let reported = |p: Period| -> Option<Measure> {
        ind.values.get(&p).cloned().or_else(|| {
            data.quarters
                .iter()
                .filter(|r| r.header.plan == scope.plan.plan.reference)
                .flat_map(|r| r.values.iter())
                .find(|v| v.period == p && ind.answers_to(v.indicator.as_str()))
                .map(|v| v.value.clone())
        })
    };
    let same = q
        .same_quarter_last_year()
        .map(Period::Quarter)
        .and_then(|p| reported(p).map(|m| (p, m)));
    let outturn = q
        .year
        .previous()
        .map(Period::FinancialYear)
        .and_then(|p| reported(p).map(|m| (p, m)));
    match same.or(outturn) {
        Some((p, m)) => format!("{m} ({p})"),
        None => String::new(),
    }
}

/// An indicator's row: its definition, and the value and commentary recorded for the quarter.
fn indicator_row(data: &CouncilData, scope: &Scope<'_>, q: Quarter, ind: &Indicator) -> Row {
    let record = scope.record;
    // The value for the quarter itself, else the latest-ending one reported in it.
    let entry = record.and_then(|r| {
        let mine = || {
            r.values
                .iter()
                .filter(|v| ind.answers_to(v.indicator.as_str()))
        };
        mine()
            .find(|v| v.period == Period::Quarter(q))
            .or_else(|| mine().max_by_key(|v| (v.period.last_day(), v.period)))
    });
    let (value, words, qualifier) = entry.map_or_else(
        || (String::new(), String::new(), String::new()),
        |e| measure_cells(&e.value),
    );
    let (commentary, _) =
        own_commentary(record, CommentaryAbout::Indicators, |x| ind.answers_to(x));
    // The officer who entered the value; commentary keeps its own initials.
    let officer = entry
        .and_then(|e| e.officer.as_ref().map(|o| o.to_string()))
        .unwrap_or_default();
    vec![
        ("ref", ind.reference.to_string()),
        ("description", ind.description.clone()),
        (
            "measured_in",
            ind.measure.map(|m| m.to_string()).unwrap_or_default(),
        ),
        (
            "better",
            ind.better.map(|b| b.to_string()).unwrap_or_default(),
        ),
        (
            "target",
            ind.targets
                .get(&Period::FinancialYear(q.year))
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
        ("last_year", last_year(data, scope, ind)),
        (
            "period",
            entry.map_or(Period::Quarter(q), |e| e.period).to_string(),
        ),
        ("value", value),
        ("words", words),
        ("qualifier", qualifier),
        ("commentary", commentary),
        ("officer", officer),
    ]
}

/// A milestone's row: its definition, and the progress and commentary recorded for the quarter.
fn milestone_row(record: Option<&QuarterRecord>, o: &Objective, m: &Milestone) -> Row {
    let progress = record.and_then(|r| r.progress.iter().find(|p| p.milestone == m.reference));
    let (commentary, _) = own_commentary(record, CommentaryAbout::Milestones, |x| {
        x == m.reference.as_str()
    });
    vec![
        ("ref", m.reference.to_string()),
        ("objective", o.reference.to_string()),
        ("milestone", m.text.clone()),
        ("due", m.due.describe()),
        (
            "progress",
            progress.map(|p| p.status.to_string()).unwrap_or_default(),
        ),
        (
            "completed",
            progress
                .and_then(|p| p.completed)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        ("commentary", commentary),
        (
            "officer",
            progress
                .and_then(|p| p.initials.first().map(|i| i.to_string()))
                .unwrap_or_default(),
        ),
    ]
}

/// A risk's row: its assessments, and the quarter's progress on treatment with the likelihood
/// and impact recorded this quarter, as the entry form shows them (`recording::risk_as_entered`).
fn risk_row(record: Option<&QuarterRecord>, r: &Risk) -> Row {
    let (text, l, i) = record.map_or((String::new(), None, None), |rec| {
        beacon_app::recording::risk_as_entered(rec, &r.reference)
    });
    let officer = record
        .into_iter()
        .flat_map(|rec| rec.risk_updates.iter())
        .filter(|u| u.risk == r.reference)
        .flat_map(|u| u.initials.first())
        .next()
        .map(|i| i.to_string())
        .unwrap_or_default();
    vec![
        ("ref", r.reference.to_string()),
        ("risk", r.description.clone()),
        ("initial", describe(&r.initial)),
        ("current", describe(&r.residual)),
        ("likelihood", l.map(|x| x.to_string()).unwrap_or_default()),
        ("impact", i.map(|x| x.to_string()).unwrap_or_default()),
        ("progress", text),
        ("officer", officer),
    ]
}

fn content(data: &CouncilData, req: &TemplateRequest) -> Result<Content, SheetError> {
    let scope = Scope::resolve(data, &req.unit, req.quarter, req.plan.as_ref())
        .map_err(SheetError::Scope)?;
    let record = scope.record;
    let q = req.quarter;
    let indicators = scope
        .indicators
        .iter()
        .map(|ind| indicator_row(data, &scope, q, ind))
        .collect();
    let milestones = scope
        .milestones
        .iter()
        .map(|(o, m)| milestone_row(record, o, m))
        .collect();
    let risks = scope.risks.iter().map(|r| risk_row(record, r)).collect();
    Ok(Content {
        council: data.council.reference.to_string(),
        unit: scope.unit.reference.to_string(),
        unit_name: scope.unit.name.clone(),
        quarter: q,
        plan: scope.plan.plan.reference.to_string(),
        indicators,
        milestones,
        risks,
        matrix_side: beacon_app::status::settings(data).matrix.side,
    })
}

struct Formats {
    heading: Format,
    locked: Format,
    input: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_num_format("@");
    Formats {
        heading: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xD9D9D9)),
        locked: base.clone(),
        input: base
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF2CC)),
    }
}

fn protect(ws: &mut Worksheet) {
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
}

fn col_num(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn row_num(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn write_table(
    ws: &mut Worksheet,
    name: &str,
    columns: &[Column],
    rows: &[Row],
    f: &Formats,
) -> Result<(), SheetError> {
    ws.set_name(name)?;
    for (c, spec) in columns.iter().enumerate() {
        ws.write_string_with_format(0, col_num(c), spec.heading, &f.heading)?;
        ws.set_column_width(col_num(c), f64::from(spec.width))?;
    }
    for (r, row) in rows.iter().enumerate() {
        // Wrapped text does not grow a row by itself in every program: size it for its text
        // (at most ten lines; the rest scrolls inside the cell).
        let lines = columns
            .iter()
            .map(|spec| {
                let text = row
                    .iter()
                    .find(|(k, _)| *k == spec.key)
                    .map_or("", |(_, v)| v.as_str());
                let width = usize::from(spec.width.max(1));
                text.split('\n')
                    .map(|l| l.chars().count() / width + 1)
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(1)
            .clamp(1, 10);
        ws.set_row_height(row_num(r + 1), 15.0 * lines as f64)?;
        for (c, spec) in columns.iter().enumerate() {
            let text = row
                .iter()
                .find(|(k, _)| *k == spec.key)
                .map_or("", |(_, v)| v.as_str());
            let fmt = if spec.input { &f.input } else { &f.locked };
            let (rr, cc) = (row_num(r + 1), col_num(c));
            if text.is_empty() {
                ws.write_blank(rr, cc, fmt)?;
            } else {
                ws.write_string_with_format(rr, cc, text, fmt)?;
            }
        }
    }
    ws.set_freeze_panes(1, 1)?;
    protect(ws);
    Ok(())
}

fn validate(
    ws: &mut Worksheet,
    columns: &[Column],
    rows: usize,
    key: &str,
    dv: &DataValidation,
) -> Result<(), SheetError> {
    if rows == 0 {
        return Ok(());
    }
    if let Some(c) = columns.iter().position(|s| s.key == key) {
        ws.add_data_validation(1, col_num(c), row_num(rows), col_num(c), dv)?;
    }
    Ok(())
}

fn list(range: &str, what: &str, strict: bool) -> Result<DataValidation, SheetError> {
    let dv = DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_title("Not in the list")?
        .set_error_message(format!(
            "Choose {what} from the list (see the Lists sheet)."
        ))?;
    Ok(if strict {
        dv
    } else {
        dv.set_error_style(DataValidationErrorStyle::Warning)
    })
}

const INSTRUCTIONS: &[&str] = &[
    "How to fill in this workbook",
    "",
    "Fill in the yellow cells only; the grey ones are the council's plan and are locked.",
    "Indicators: give the Value as a number in the indicator's usual form (54.1%, 1,118 or £432.30), or choose Words (such as \"Refer comment\") when there is no number. Not both.",
    "Qualifier: provisional, unvalidated or estimated, when the value is not final.",
    "Period: the period the value describes, when it is not this quarter (2011/12, AY 2011/12, 2012/13 Q1).",
    "Commentary: required when the value is \"Refer comment\", when the indicator misses its target (Red), and when a milestone is at risk or off track.",
    "Officer: the initials of the officer responsible, as reports print them.",
    "Milestones: Progress is on-track, at-risk, off-track or complete. A complete milestone needs its completion date, written 2012-09-14.",
    "Risks: Likelihood and Impact are each 1 to the size of the council's risk matrix; Progress on treatment says what has been done this quarter.",
    "A blank cell changes nothing: what is already recorded stays as it is.",
    "",
    "Loading it back: beacon collect import FILE.xlsx (or the upload on the data-entry page). Every mistake is listed with its sheet, row and column, and nothing is loaded until there are none.",
    "Do not rename the sheets or change the About sheet: it records whose quarter this is.",
];

/// The instructions sheet: what the workbook is for and how to fill it in.
fn instructions_sheet(
    wb: &mut Workbook,
    data: &CouncilData,
    c: &Content,
    f: &Formats,
) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::INSTRUCTIONS)?;
    ws.set_column_width(0, 120)?;
    let title = format!(
        "{} – {} ({}) – {} – plan {}",
        data.council.name, c.unit_name, c.unit, c.quarter, c.plan
    );
    ws.write_string_with_format(0, 0, neutralise(&title), &f.heading)?;
    for (i, line) in INSTRUCTIONS.iter().enumerate() {
        ws.write_string_with_format(row_num(i + 2), 0, *line, &f.locked)?;
    }
    protect(ws);
    Ok(())
}

/// The sheets to fill in: indicators, milestones and risks, with their drop-down lists.
fn item_sheets(wb: &mut Workbook, c: &Content, f: &Formats) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    write_table(
        ws,
        layout::INDICATORS,
        layout::INDICATOR_COLUMNS,
        &c.indicators,
        f,
    )?;
    let n = c.indicators.len();
    validate(
        ws,
        layout::INDICATOR_COLUMNS,
        n,
        "qualifier",
        &list("=Lists!$B$2:$B$4", "a qualifier", true)?,
    )?;
    validate(
        ws,
        layout::INDICATOR_COLUMNS,
        n,
        "words",
        &list(
            &format!("=Lists!$A$2:$A${}", layout::allowed_words().len() + 1),
            "words",
            false,
        )?,
    )?;

    let ws = wb.add_worksheet();
    write_table(
        ws,
        layout::MILESTONES,
        layout::MILESTONE_COLUMNS,
        &c.milestones,
        f,
    )?;
    validate(
        ws,
        layout::MILESTONE_COLUMNS,
        c.milestones.len(),
        "progress",
        &list("=Lists!$C$2:$C$5", "the progress", true)?,
    )?;

    let ws = wb.add_worksheet();
    write_table(ws, layout::RISKS, layout::RISK_COLUMNS, &c.risks, f)?;
    let side = format!("=Lists!$D$2:$D${}", u32::from(c.matrix_side) + 1);
    validate(
        ws,
        layout::RISK_COLUMNS,
        c.risks.len(),
        "likelihood",
        &list(&side, "a likelihood", true)?,
    )?;
    validate(
        ws,
        layout::RISK_COLUMNS,
        c.risks.len(),
        "impact",
        &list(&side, "an impact", true)?,
    )?;
    Ok(())
}

/// The lists the drop-downs choose from.
fn lists_sheet(wb: &mut Workbook, c: &Content, f: &Formats) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::LISTS)?;
    let lists: [(&str, Vec<String>); 4] = [
        (
            "Words",
            layout::allowed_words()
                .iter()
                .map(|w| w.to_string())
                .collect(),
        ),
        (
            "Qualifiers",
            Qualifier::ALL.iter().map(|q| q.to_string()).collect(),
        ),
        (
            "Progress",
            ProgressStatus::ALL.iter().map(|p| p.to_string()).collect(),
        ),
        (
            "Likelihood and impact",
            (1..=c.matrix_side).map(|n| n.to_string()).collect(),
        ),
    ];
    for (col, (heading, items)) in lists.iter().enumerate() {
        ws.write_string_with_format(0, col_num(col), *heading, &f.heading)?;
        ws.set_column_width(col_num(col), 38)?;
        for (r, item) in items.iter().enumerate() {
            ws.write_string_with_format(row_num(r + 1), col_num(col), item, &f.locked)?;
        }
    }
    protect(ws);
    Ok(())
}

/// The About sheet: whose quarter the workbook is for, read back on import.
fn about_sheet(wb: &mut Workbook, c: &Content, f: &Formats) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::ABOUT)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 30)?;
    let values = [
        layout::FORMAT.to_string(),
        c.council.clone(),
        c.unit.clone(),
        c.quarter.to_string(),
        c.plan.clone(),
    ];
    for (r, (k, v)) in layout::ABOUT_KEYS.iter().zip(values).enumerate() {
        ws.write_string_with_format(row_num(r), 0, *k, &f.heading)?;
        ws.write_string_with_format(row_num(r), 1, neutralise(&v), &f.locked)?;
    }
    protect(ws);
    Ok(())
}

/// The collection workbook for a unit's quarter, as XLSX bytes.
pub fn template(data: &CouncilData, req: &TemplateRequest) -> Result<Vec<u8>, SheetError> {
    let c = content(data, req)?;
    let f = formats();
    let mut wb = Workbook::new();
    instructions_sheet(&mut wb, data, &c, &f)?;
    item_sheets(&mut wb, &c, &f)?;
    lists_sheet(&mut wb, &c, &f)?;
    about_sheet(&mut wb, &c, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// The same template as one CSV file: a row per item, `kind` saying which.
pub fn template_csv(data: &CouncilData, req: &TemplateRequest) -> Result<Vec<u8>, SheetError> {
    let c = content(data, req)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| SheetError::Write(e.to_string());
    w.write_record(layout::CSV_COLUMNS).map_err(err)?;
    let kinds: [(&str, &[Row]); 3] = [
        ("indicator", &c.indicators),
        ("milestone", &c.milestones),
        ("risk", &c.risks),
    ];
    for (kind, rows) in kinds {
        for row in rows {
            let get = |k: &str| {
                row.iter()
                    .find(|(key, _)| *key == k)
                    .map_or("", |(_, v)| v.as_str())
            };
            let record: Vec<String> = layout::CSV_COLUMNS
                .iter()
                .map(|col| match *col {
                    "council" => c.council.clone(),
                    "unit" => c.unit.clone(),
                    "quarter" => c.quarter.to_string(),
                    "plan" => c.plan.clone(),
                    "kind" => kind.to_string(),
                    "description" => match kind {
                        "milestone" => get("milestone").to_string(),
                        "risk" => get("risk").to_string(),
                        _ => get("description").to_string(),
                    },
                    other => get(other).to_string(),
                })
                .map(|t| neutralise(&t))
                .collect();
            w.write_record(&record).map_err(err)?;
        }
    }
    w.into_inner().map_err(|e| SheetError::Write(e.to_string()))
}
