//! Published local-authority tables in their wide shape (one sheet per indicator, councils as
//! rows, years as columns, suppression marks), written as real XLSX files and loaded as
//! docs/national.md documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_national::{NationalDb, NationalError, Progress};
use beacon_store_sqlite::SqliteStore;
use rust_xlsxwriter::Workbook;
use std::path::Path;

async fn sqlite(dir: &Path) -> NationalDb {
    let store = SqliteStore::open(dir.join("beacon.db").to_str().unwrap())
        .await
        .unwrap();
    NationalDb::Sqlite(store.pool().sqlite().unwrap().clone())
}

/// A table as the DfE and DLUHC publish them: a title, a note, the header, an England total,
/// councils with x, .., c and - marks, and a footnote.
fn published(path: &Path, bad_cell: Option<&str>) {
    let mut book = Workbook::new();
    let notes = book.add_worksheet().set_name("Notes").unwrap();
    notes.write(0, 0, "About these tables").unwrap();
    let s = book.add_worksheet().set_name("Table 3").unwrap();
    s.write(
        0,
        0,
        "Table 3: Percentage of care leavers in suitable accommodation",
    )
    .unwrap();
    s.write(1, 0, "Indicator:").unwrap();
    s.write(1, 1, "NI147").unwrap();
    for (c, h) in ["LA code", "LA name", "Region", "2021-22", "2022-23"]
        .iter()
        .enumerate()
    {
        s.write(3, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, &str, &str); 6] = [
        ("E92000001", "England", "", "88", "89"),
        ("E06000006", "Halton", "North West", "90", "x"),
        ("E06000007", "Warrington", "North West", "..", "85"),
        ("E08000011", "Knowsley", "North West", "c", "91"),
        ("E08000012", "Liverpool", "North West", "80", "-"),
        (
            "E06000008",
            "Blackburn",
            "North West",
            "70",
            bad_cell.unwrap_or("75.5"),
        ),
    ];
    for (r, (code, name, region, a, b)) in rows.iter().enumerate() {
        let r = 4 + r as u32;
        s.write(r, 0, *code).unwrap();
        s.write(r, 1, *name).unwrap();
        s.write(r, 2, *region).unwrap();
        for (c, v) in [(3u16, a), (4u16, b)] {
            match v.parse::<f64>() {
                Ok(n) => s.write(r, c, n).unwrap(),
                Err(_) => s.write(r, c, *v).unwrap(),
            };
        }
    }
    s.write(11, 0, "Source: synthetic figures for a test")
        .unwrap();
    book.save(path).unwrap();
}

#[tokio::test]
async fn a_published_table_with_suppression_marks_loads_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("care-leavers.xlsx");
    published(&file, None);
    let db = sqlite(dir.path()).await;
    let r = beacon_national::load(&db, &[file.as_path()], Progress::Hidden)
        .await
        .unwrap();
    // Five councils by two years = 10 cells: 4 marks (x, .., c, -), 6 values; the England
    // row, the Notes sheet and the footnote are passed over.
    assert_eq!((r.read.values, r.read.suppressed), (6, 4));
    assert_eq!((r.councils, r.indicators, r.periods), (5, 1, 2));
    assert_eq!(r.polarity_assumed, ["NI147"]);
    // 2021-22: Halton 90, Liverpool 80, Blackburn 70 (Warrington .., Knowsley c): median 80.
    let s = db.summary("NI147", "2021-22").await.unwrap().unwrap();
    let e = s.england.unwrap();
    assert_eq!((e.count, e.median, e.q1, e.q3), (3, 80.0, 75.0, 85.0));
    let halton = db.council_positions("E06000006", "2021-22").await.unwrap();
    assert_eq!(halton[0].place.unwrap().rank, 1);
    assert_eq!(halton[0].place.unwrap().quartile, 1);
    // 2022-23: Halton's x leaves it unranked.
    let halton = db.council_positions("E06000006", "2022-23").await.unwrap();
    assert_eq!((halton[0].value, halton[0].place), (None, None));
}

#[tokio::test]
async fn a_cell_that_is_no_number_nor_mark_is_named_by_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("care-leavers.xlsx");
    published(&file, Some("n/a"));
    let db = sqlite(dir.path()).await;
    let err = beacon_national::load(&db, &[file.as_path()], Progress::Hidden)
        .await
        .unwrap_err();
    assert!(matches!(err, NationalError::Input(_)));
    let text = err.to_string();
    assert!(
        text.contains("care-leavers.xlsx, sheet \"Table 3\", row 10, column E (2022-23): \"n/a\" is not a number"),
        "{text}"
    );
    assert!(db.summary("NI147", "2021-22").await.unwrap().is_none());
}

#[tokio::test]
async fn a_wide_csv_takes_its_indicator_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("NI075.csv");
    std::fs::write(
        &file,
        "LA code,LA name,2022-23\nE06000006,Halton,55\nE06000007,Warrington,..\nE06000008,Blackburn,45\n",
    )
    .unwrap();
    let db = sqlite(dir.path()).await;
    let r = beacon_national::load(&db, &[file.as_path()], Progress::Hidden)
        .await
        .unwrap();
    assert_eq!((r.read.values, r.read.suppressed), (2, 1));
    let s = db.summary("NI075", "2022-23").await.unwrap().unwrap();
    assert_eq!(s.england.unwrap().median, 50.0);
}
