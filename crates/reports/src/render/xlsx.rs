//! XLSX: a contents sheet, then one sheet per table; a chart's sheet holds its figures and a
//! bar chart of them. Statuses are text (shape and word, marked
//! when set by hand) with conditional formatting that tints them; each status column is
//! followed by its reasons. Money is written as numbers in the statement's scale, overspends
//! in brackets by number format. The document's dates are the report's `as_at`, so the same
//! report gives the same bytes. Text a spreadsheet would take for a formula is neutralised
//! (`sheets::neutralise`), as in every sheet Beacon writes.

use super::{FlatColumn, flat_columns, flat_text};
use crate::error::ReportError;
use crate::model::{Cell, Chart, ColumnKind, Flat, Report, RowKind, StatusCell, Table};
use beacon_interchange::sheets::neutralise::neutralise;
use rust_xlsxwriter::{
    Chart as XlsxChart, ChartDataLabel, ChartType, ConditionalFormatText,
    ConditionalFormatTextRule, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

fn err(e: XlsxError) -> ReportError {
    ReportError::render("XLSX", e)
}

/// The formats of a workbook.
struct Formats {
    title: Format,
    header: Format,
    wrap: Format,
    bold: Format,
    money: Format,
    money_total: Format,
    variance: Format,
    variance_total: Format,
    good: Format,
    mid: Format,
    bad: Format,
}

impl Formats {
    fn new() -> Formats {
        let money = "#,##0.##;-#,##0.##;0";
        let variance = "#,##0.##;(#,##0.##);0";
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0xE8E8E8)
                .set_border_bottom(FormatBorder::Medium),
            wrap: Format::new().set_text_wrap(),
            bold: Format::new().set_bold().set_text_wrap(),
            money: Format::new().set_num_format(money),
            money_total: Format::new().set_num_format(money).set_bold(),
            variance: Format::new().set_num_format(variance),
            variance_total: Format::new().set_num_format(variance).set_bold(),
            good: Format::new().set_background_color(0xCCE2D8),
            mid: Format::new().set_background_color(0xFFF2CC),
            bad: Format::new().set_background_color(0xF4CDC6),
        }
    }
}

/// The report as an XLSX workbook.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let date = ymd(&report.as_at)
        .and_then(|(y, m, d)| ExcelDateTime::from_ymd(y, m, d).ok())
        .ok_or_else(|| ReportError::render("XLSX", format!("bad as_at date {:?}", report.as_at)))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&report.title)
            .set_company(&report.council)
            .set_author("Beacon")
            .set_creation_datetime(&date),
    );
    let f = Formats::new();
    let flat = report.flat();
    let tables: Vec<&Table> = flat.iter().map(Flat::table).collect();
    let names = sheet_names(&tables);
    {
        let ws = wb.add_worksheet();
        ws.set_name("Contents").map_err(err)?;
        ws.write_string_with_format(0, 0, &report.council, &f.bold)
            .map_err(err)?;
        ws.write_string_with_format(1, 0, &report.title, &f.title)
            .map_err(err)?;
        let mut row = 2;
        for fact in &report.facts {
            ws.write_string_with_format(row, 0, &fact.label, &f.bold)
                .map_err(err)?;
            ws.write_string(row, 1, neutralise(&fact.value))
                .map_err(err)?;
            row += 1;
        }
        row += 1;
        ws.write_string_with_format(row, 0, "Sheet", &f.header)
            .map_err(err)?;
        ws.write_string_with_format(row, 1, "Table", &f.header)
            .map_err(err)?;
        for (t, name) in tables.iter().zip(&names) {
            row += 1;
            ws.write_string(row, 0, name).map_err(err)?;
            ws.write_string(row, 1, neutralise(&t.title)).map_err(err)?;
        }
        ws.set_column_width(0, 32).map_err(err)?;
        ws.set_column_width(1, 90).map_err(err)?;
    }
    for (item, name) in flat.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        sheet(ws, item.table(), &f)?;
        if let Flat::Chart(c, _) = item {
            bar_chart(ws, name, c)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// A chart's bars drawn beside its figures (which stay in the sheet as text and numbers: the
/// chart only pictures them).
fn bar_chart(ws: &mut Worksheet, sheet: &str, c: &Chart) -> Result<(), ReportError> {
    let n =
        u32::try_from(c.bars.len()).map_err(|_| ReportError::render("XLSX", "too many bars"))?;
    if n == 0 {
        return Ok(());
    }
    // The figures sit under the header row (row 3), statuses in column A, counts in column B,
    // written again as numbers so the chart can draw them.
    for (i, b) in (3u32..).zip(&c.bars) {
        ws.write_number(i, 1, f64::from(b.count)).map_err(err)?;
    }
    let mut chart = XlsxChart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(&c.counts)
        .set_categories((sheet, 3, 0, 2 + n, 0))
        .set_values((sheet, 3, 1, 2 + n, 1))
        .set_data_label(ChartDataLabel::new().show_value());
    chart.title().set_name(&neutralise(&c.title));
    chart.legend().set_hidden();
    chart.x_axis().set_name(&c.counts);
    ws.insert_chart(1, 4, &chart).map_err(err)?;
    Ok(())
}

fn ymd(s: &str) -> Option<(u16, u8, u8)> {
    let mut it = s.split('-');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

/// Sheet names from table titles: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_names(tables: &[&Table]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tables {
        let clean: String = t
            .title
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
            .collect();
        let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
        let clean = clean.trim_matches('\'').to_string();
        let base: String = clean
            .chars()
            .take(31)
            .collect::<String>()
            .trim_end()
            .to_string();
        let base = if base.is_empty() {
            t.id.chars().take(31).collect()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.iter().any(|x| x.eq_ignore_ascii_case(&name)) || name == "Contents" {
            let suffix = format!(" ({n})");
            let keep = 31usize.saturating_sub(suffix.chars().count());
            name = format!(
                "{}{suffix}",
                base.chars().take(keep).collect::<String>().trim_end()
            );
            n += 1;
        }
        out.push(name);
    }
    out
}

fn width(c: &FlatColumn) -> f64 {
    match (c.kind, c.reason) {
        (_, true) => 50.0,
        (ColumnKind::Ref, _) => 16.0,
        (ColumnKind::Text, _) => 50.0,
        (ColumnKind::Measure, _) => 18.0,
        (ColumnKind::Date, _) => 16.0,
        (ColumnKind::Money, _) => 14.0,
        (ColumnKind::Status, _) => 20.0,
    }
}

fn sheet(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), ReportError> {
    let cols = flat_columns(t);
    ws.write_string_with_format(0, 0, neutralise(&t.title), &f.title)
        .map_err(err)?;
    let header = 2u32;
    for (i, c) in cols.iter().enumerate() {
        let i = col_index(i)?;
        ws.write_string_with_format(header, i, neutralise(&c.label), &f.header)
            .map_err(err)?;
        ws.set_column_width(i, width(c)).map_err(err)?;
    }
    ws.set_freeze_panes(header + 1, 0).map_err(err)?;
    let mut row = header;
    for r in &t.rows {
        row += 1;
        let total = r.kind == RowKind::Total;
        if r.kind == RowKind::Heading {
            let text = neutralise(&r.cells.iter().map(Cell::plain).collect::<String>());
            ws.write_string_with_format(row, 0, &text, &f.bold)
                .map_err(err)?;
            continue;
        }
        for (i, c) in cols.iter().enumerate() {
            let i = col_index(i)?;
            let cell = r.cells.get(c.index);
            match (cell, c.reason) {
                (Some(Cell::Money(m)), false) => {
                    let fmt = match (m.brackets, total) {
                        (true, true) => &f.variance_total,
                        (true, false) => &f.variance,
                        (false, true) => &f.money_total,
                        (false, false) => &f.money,
                    };
                    // A spreadsheet number is a double: the exact amount is kept in the model
                    // and the JSON; here it is only displayed.
                    let per_unit = super::scale_of(&m.scale).pence_per_unit();
                    #[allow(clippy::cast_precision_loss)]
                    let n = m.pence as f64 / per_unit as f64;
                    ws.write_number_with_format(row, i, n, fmt).map_err(err)?;
                }
                (Some(Cell::Status(s)), false) => {
                    ws.write_string(row, i, status_text(s)).map_err(err)?;
                }
                (Some(Cell::Empty) | None, false) => {}
                (cell, _) => {
                    let text = neutralise(&flat_text(cell, c));
                    if !text.is_empty() {
                        let fmt = if total { &f.bold } else { &f.wrap };
                        ws.write_string_with_format(row, i, &text, fmt)
                            .map_err(err)?;
                    }
                }
            }
        }
    }
    if row > header {
        for (i, c) in cols.iter().enumerate() {
            if c.kind != ColumnKind::Status || c.reason {
                continue;
            }
            let i = col_index(i)?;
            for (word, fmt) in [
                ("Green", &f.good),
                ("Better", &f.good),
                ("Low", &f.good),
                ("Amber", &f.mid),
                ("The same", &f.mid),
                ("Medium", &f.mid),
                ("Red", &f.bad),
                ("Worse", &f.bad),
                ("High", &f.bad),
            ] {
                let cf = ConditionalFormatText::new()
                    .set_rule(ConditionalFormatTextRule::Contains(word.to_string()))
                    .set_format(fmt);
                ws.add_conditional_format(header + 1, i, row, i, &cf)
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// A status as text: shape and word, marked when set by hand.
fn status_text(s: &StatusCell) -> String {
    s.label()
}

fn col_index(i: usize) -> Result<u16, ReportError> {
    u16::try_from(i).map_err(|_| ReportError::render("XLSX", "too many columns"))
}
