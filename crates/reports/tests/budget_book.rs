#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A plan's budget book and budget changes in the plan document, read back from HTML, CSV and
//! XLSX with their column labels and scale; and a revenue statement's projected outturn labelled
//! with how it was projected, never printed for a capital statement.

use beacon_app::{CouncilData, Store};
use beacon_reports::model::{Cell, RowKind};
use beacon_reports::{MonitoringQuery, monitoring_report, plan_document, render};

async fn with_budget() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    beacon_test_support::load_files(
        &db.store,
        &beacon_test_support::budget_files::budget_sources(),
    )
    .await
    .unwrap();
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_plan_document_prints_the_budget_book_and_changes_with_totals_and_scale() {
    let data = with_budget().await;
    let r = plan_document(&data, "CFS-BUDGET-2012-13").unwrap();
    let book = r
        .tables()
        .into_iter()
        .find(|t| t.id == "budget-book-cfs-budget")
        .expect("the budget book is printed");
    let labels: Vec<&str> = book.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["", "Expenditure £'000", "Income £'000", "Net £'000"]
    );
    let rows: Vec<(RowKind, Vec<String>)> = book
        .rows
        .iter()
        .map(|r| (r.kind, r.cells.iter().map(Cell::plain).collect()))
        .collect();
    assert_eq!(rows[0].1, ["Early help"]);
    assert_eq!(rows[1].1, ["Children's centres", "5,200", "1,150", "4,050"]);
    assert_eq!(
        rows[3],
        (
            RowKind::Total,
            vec![
                "Total early help".into(),
                "6,800".into(),
                "1,400".into(),
                "5,400".into()
            ]
        )
    );
    assert_eq!(
        rows.last().unwrap().1,
        [
            "Total Children and Families Services",
            "9,300",
            "1,900",
            "7,400"
        ]
    );
    assert!(book.caption.as_ref().unwrap().contains("amounts in £'000"));
    assert!(
        book.caption
            .as_ref()
            .unwrap()
            .contains("all 2 stated totals equal the sum of their lines")
    );

    let changes = r
        .tables()
        .into_iter()
        .find(|t| t.id == "budget-changes")
        .unwrap();
    let labels: Vec<&str> = changes.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Kind", "Year", "Description", "Amount £'000"]);
    let totals: Vec<Vec<String>> = changes
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Total)
        .map(|r| r.cells.iter().map(Cell::plain).collect())
        .collect();
    assert_eq!(
        totals,
        [
            ["saving", "2012/13", "Total savings 2012/13", "200"],
            ["all kinds", "2012/13", "All changes 2012/13", "250"]
        ]
    );

    // HTML: the headings with their scale, no variance column.
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    let book_html = &html[html.find("budget-book-cfs-budget").unwrap()..];
    let book_html = &book_html[..book_html.find("</table>").unwrap()];
    for label in ["Expenditure £", "Income £", "Net £"] {
        assert!(book_html.contains(label), "{label} in {book_html}");
    }
    assert!(book_html.contains("000"));
    assert!(!book_html.contains("Variance"));

    // CSV: the book's file, headings with the scale and the amounts in it.
    let csv = render::csv::render(&r).unwrap();
    let file = csv
        .iter()
        .find(|f| f.name.contains("budget-book-cfs-budget"))
        .unwrap();
    let text = String::from_utf8(file.bytes.clone()).unwrap();
    assert!(
        text.contains(",Expenditure £'000,Income £'000,Net £'000"),
        "{text}"
    );
    assert!(text.contains("Children's centres,5200,1150,4050"), "{text}");

    // XLSX: the sheet reads back with the same headings and numbers.
    use calamine::{Data, Reader, Xlsx};
    let bytes = render::xlsx::render(&r).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    let found = names.iter().find_map(|n| {
        let range = wb.worksheet_range(n).ok()?;
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        rows.iter()
            .any(|r| r.contains(&Data::String("Net £'000".into())))
            .then_some(rows)
    });
    let rows = found.expect("a sheet with the budget book's headings");
    let centres = rows
        .iter()
        .find(|r| r.first() == Some(&Data::String("Children's centres".into())))
        .unwrap();
    assert_eq!(
        centres[1..4],
        [
            Data::Float(5200.0),
            Data::Float(1150.0),
            Data::Float(4050.0)
        ]
    );
}

#[tokio::test]
async fn a_budget_book_in_a_quarter_s_report_has_no_variance_and_no_projection() {
    let data = with_budget().await;
    let r = monitoring_report(
        &data,
        &MonitoringQuery {
            unit: "CFS".parse().unwrap(),
            quarter: "2012/13 Q1".parse().unwrap(),
        },
    )
    .unwrap();
    let t = r
        .tables()
        .into_iter()
        .find(|t| t.id == "statement-cfs-budget")
        .unwrap();
    assert_eq!(t.columns.len(), 4);
    let caption = t.caption.as_ref().unwrap();
    assert!(!caption.contains("Projected outturn"), "{caption}");
}

#[tokio::test]
async fn the_straight_line_projection_is_labelled_and_capital_is_not_projected() {
    let data = with_budget().await;
    let r = monitoring_report(
        &data,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap();
    let caption = |id: &str| {
        r.tables()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap()
            .caption
            .clone()
            .unwrap()
    };
    let revenue = caption("statement-ced-revenue");
    assert!(
        revenue.contains("Projected outturn (straight line) at year end: 16,424 £'000 (straight line: spend to date over 2 quarter(s), extended to four;"),
        "{revenue}"
    );
    assert!(!caption("statement-ced-capital").contains("Projected outturn"));

    // A council that turns straight-line projection off sees none; one statement may still
    // project by its profile.
    let mut off = data.clone();
    off.council.projection = Some(beacon_domain::budget::OutturnProjection::Off);
    for s in &mut off.statements {
        if s.reference.as_str() == "CED-revenue" {
            s.projection = Some(beacon_domain::budget::OutturnProjection::Profile);
        }
    }
    let r = monitoring_report(
        &off,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap();
    let tables = r.tables();
    let caption = |id: &str| {
        tables
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .caption
            .clone()
            .unwrap()
    };
    assert!(
        caption("statement-ced-revenue")
            .contains("Projected outturn (by budget profile) at year end:")
    );
    assert!(!caption("statement-ced-divisional").contains("Projected outturn"));
}

#[tokio::test]
async fn the_invented_council_s_plan_prints_its_budget_book_and_changes_with_totals() {
    let db = beacon_test_support::TempDb::new().await;
    beacon_test_support::load_files(&db.store, &beacon_test_support::riverside_sources())
        .await
        .unwrap();
    let data = db
        .store
        .council_data(&"riverside".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let r = plan_document(&data, "CS-2011-12").unwrap();
    let book = r
        .tables()
        .into_iter()
        .find(|t| t.id == "budget-book-cs-budget")
        .expect("the budget book is printed with the plan");
    let labels: Vec<&str> = book.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["", "Expenditure £'000", "Income £'000", "Net £'000"]
    );
    let totals: Vec<Vec<String>> = book
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Total)
        .map(|r| r.cells.iter().map(Cell::plain).collect())
        .collect();
    assert_eq!(
        totals,
        [
            [
                "Total Safeguarding & Family Support",
                "22,500",
                "2,450",
                "20,050"
            ],
            ["Total Learning & Inclusion", "10,200", "2,140", "8,060"],
            ["Total Commissioning & Resources", "9,200", "5,950", "3,250"],
            ["Total Children's Services", "41,900", "10,540", "31,360"],
        ]
    );
    assert!(
        book.caption
            .as_ref()
            .unwrap()
            .contains("all 4 stated totals equal the sum of their lines")
    );
    let changes = r
        .tables()
        .into_iter()
        .find(|t| t.id == "budget-changes")
        .unwrap();
    assert_eq!(changes.columns.last().unwrap().label, "Amount £'000");
    let totals: Vec<String> = changes
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Total)
        .map(|r| format!("{} {}", r.cells[2].plain(), r.cells[3].plain()))
        .collect();
    assert_eq!(
        totals,
        [
            "Total savings 900",
            "Total grant reductions 620",
            "Total growth 440"
        ]
    );
}
