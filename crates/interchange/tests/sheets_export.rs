//! Exports and open data, read back by real readers: calamine for XLSX, the csv crate for CSV,
//! serde_json for JSON. A cell that a spreadsheet would take for a formula comes out inert.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::{CouncilData, Store};
use beacon_interchange::sheets::open_data::{self, SCHEMA};
use beacon_interchange::sheets::tables::{self, TableKind};
use beacon_test_support::TempDb;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

async fn halton() -> CouncilData {
    let db = TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

const LINK: &str = "=HYPERLINK(\"http://x\",\"y\")";

#[tokio::test]
async fn a_formula_in_the_data_comes_out_inert_in_xlsx_and_csv() {
    let mut data = halton().await;
    let ind = &mut data.plans[0].indicators[0];
    ind.description = LINK.into();
    let reference = ind.reference.to_string();
    let table = tables::table(&data, TableKind::Indicators, None).unwrap();

    let bytes = tables::to_xlsx(std::slice::from_ref(&table)).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Indicators").unwrap();
    let row = range
        .rows()
        .find(|r| r.get(1) == Some(&Data::String(reference.clone())))
        .unwrap();
    assert_eq!(
        row[4],
        Data::String(format!("'{LINK}")),
        "a string, not a formula"
    );
    let formulas = wb.worksheet_formula("Indicators").unwrap();
    assert!(
        formulas.used_cells().next().is_none(),
        "the sheet holds no formula at all"
    );

    let csv = tables::to_csv(&table).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let found = r
        .records()
        .map(|x| x.unwrap())
        .find(|x| x.get(1) == Some(reference.as_str()))
        .unwrap();
    assert_eq!(found.get(4), Some(format!("'{LINK}").as_str()));
}

#[tokio::test]
async fn every_list_exports_with_its_rows() {
    let data = halton().await;
    let plan = "CED-2012-13".parse().unwrap();
    let ced = data.plan("CED-2012-13").unwrap();
    let t = tables::table(&data, TableKind::Indicators, Some(&plan)).unwrap();
    assert_eq!(t.rows.len(), ced.indicators.len());
    assert!(t.headings.contains(&"Target 2012/13".to_string()));

    let t = tables::table(&data, TableKind::Values, Some(&plan)).unwrap();
    let q2 = data
        .quarters
        .iter()
        .find(|q| q.header.plan == ced.plan.reference)
        .unwrap();
    let plan_values: usize = ced.indicators.iter().map(|i| i.values.len()).sum();
    assert_eq!(t.rows.len(), plan_values + q2.values.len());

    let t = tables::table(&data, TableKind::Milestones, Some(&plan)).unwrap();
    assert_eq!(t.rows.len(), ced.milestones().count());

    let t = tables::table(&data, TableKind::Risks, Some(&plan)).unwrap();
    assert_eq!(t.rows.len(), ced.risks.len());
    let las1 = t
        .rows
        .iter()
        .find(|r| r[1] == tables::Cell::Text("LAS1".into()))
        .unwrap();
    assert_eq!(
        las1[5],
        tables::Cell::Text("high".into()),
        "the initial band"
    );

    // Budget lines: amounts in pounds, exact, and the variance an overspend shows as negative.
    let t = tables::table(&data, TableKind::BudgetLines, None).unwrap();
    let lines: usize = data.statements.iter().map(|s| s.lines.len()).sum();
    assert_eq!(t.rows.len(), lines);
    let csv = String::from_utf8(tables::to_csv(&t).unwrap()).unwrap();
    let repairs = csv
        .lines()
        .find(|l| l.contains("Repairs & Maintenance"))
        .unwrap();
    assert!(
        repairs.contains(",2484000.00,1265000.00,1295000.00,-30000.00,"),
        "{repairs}"
    );

    // A workbook with several tables reads back with a sheet each.
    let all: Vec<_> = TableKind::ALL
        .iter()
        .map(|k| tables::table(&data, *k, None).unwrap())
        .collect();
    let bytes = tables::to_xlsx(&all).unwrap();
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Indicators",
            "Values",
            "Milestones",
            "Risks",
            "Budget lines"
        ]
    );
    assert!(tables::table(&data, TableKind::Risks, Some(&"NOPE".parse().unwrap())).is_err());
}

#[tokio::test]
async fn open_data_gives_a_row_per_indicator_with_status_and_reason() {
    let data = halton().await;
    let q = "2012/13 Q2".parse().unwrap();
    let od = open_data::open_data(&data, q);
    let json: serde_json::Value =
        serde_json::from_slice(&open_data::to_json(&od).unwrap()).unwrap();
    assert_eq!(json["schema"], SCHEMA);
    assert_eq!(json["quarter"], "2012/13 Q2");
    let rows = json["rows"].as_array().unwrap();
    let ni072 = rows.iter().find(|r| r["indicator"] == "NI072").unwrap();
    assert_eq!(ni072["value"], "54.1%");
    assert_eq!(ni072["value_number"], "54.1");
    assert_eq!(ni072["target"], "56%");
    assert_eq!(ni072["status"], "Red");
    assert!(
        ni072["status_reason"].as_str().unwrap().contains("target"),
        "{ni072}"
    );
    assert_eq!(ni072["codes"], "NI072 SCS CYP01");
    let covering: usize = data
        .plans
        .iter()
        .filter(|p| p.plan.years.contains(q.year))
        .map(|p| p.indicators.len())
        .sum();
    assert_eq!(rows.len(), covering);

    let csv = open_data::to_csv(&od).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        open_data::CSV_COLUMNS
    );
    assert_eq!(r.records().count(), covering);
}
