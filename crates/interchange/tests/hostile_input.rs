//! Hostile input: workbooks that pass every zip limit and still try to exhaust memory once
//! read, and text holding control characters (a NUL) that no store should keep.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_interchange::sheets::{Book, Limits, SheetError};
use beacon_test_support::hostile::shared_string_bomb;
use std::sync::Arc;

#[test]
fn one_long_shared_string_in_thousands_of_cells_is_refused_with_a_message() {
    // 1 MB used by 5,000 cells: 5 GB of text read naively, from a file of a few hundred KB.
    let bomb = shared_string_bomb(1024 * 1024, 5_000);
    assert!(
        bomb.len() < 1024 * 1024,
        "the file is small: {}",
        bomb.len()
    );
    let err = Book::from_xlsx(&bomb, &Limits::default()).unwrap_err();
    let SheetError::Refused(message) = &err else {
        panic!("refused, not {err:?}");
    };
    assert!(
        message.contains("MiB of text") && message.contains("\"Bomb\""),
        "{message}"
    );
}

#[test]
fn cells_that_use_one_shared_string_share_one_copy() {
    // Under the text limit (64 cells of 64 KB = 4 MiB), the string is held once.
    let book = Book::from_xlsx(&shared_string_bomb(64 * 1024, 64), &Limits::default()).unwrap();
    let cells: Vec<&Arc<str>> = book.sheets[0].cells.values().collect();
    assert_eq!(cells.len(), 64);
    assert_eq!(cells[0].len(), 64 * 1024);
    assert!(cells.iter().all(|c| Arc::ptr_eq(c, cells[0])));
}

#[test]
fn a_nul_in_a_csv_cell_is_refused_naming_the_line_and_column() {
    let err = Book::from_csv(b"a,b\n1,x\0y\n", "values.csv", &Limits::default()).unwrap_err();
    let SheetError::Refused(message) = &err else {
        panic!("refused, not {err:?}");
    };
    assert!(
        message.contains("values.csv, line 2, column 2") && message.contains("NUL (U+0000)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_nul_in_a_plan_file_is_refused_naming_the_key_and_nothing_is_loaded() {
    use beacon_app::Store;
    let db = beacon_test_support::TempDb::with_halton().await;
    let stats = db.store.stats().await.unwrap();
    let text = r#"[council]
ref = "halton"

[plan]
ref = "TEST-2012-13"
title = "A plan\u0000 with a NUL"
unit = "CFS"
years = "2012/13-2013/14"
status = "draft"
"#;
    let err = beacon_test_support::load_files(
        &db.store,
        &[beacon_test_support::source("nul.toml", text)],
    )
    .await
    .unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = &err.problems[0];
    assert_eq!(
        (p.file.as_str(), p.field.as_str()),
        ("nul.toml", "plan.title")
    );
    assert!(p.message.contains("NUL (U+0000)"), "{}", p.message);
    assert_eq!(db.store.stats().await.unwrap(), stats, "nothing was loaded");
}
