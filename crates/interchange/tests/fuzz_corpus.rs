//! Replays the saved fuzz corpus and every past crash (`fuzz/corpus`, `fuzz/artifacts`) through
//! the XLSX and CSV importers on stable Rust, on every test run: no input may panic, and every
//! refusal must say what is wrong. Hostile files are refused for the right reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::{CouncilData, Store};
use beacon_interchange::sheets::setup::read_setup;
use beacon_interchange::sheets::{self, Book, Expect, Limits, SheetError};
use beacon_test_support::{TempDb, repo_root};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

fn files(target: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["corpus", "artifacts"] {
        let d = repo_root().join("fuzz").join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        out.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    out.sort();
    out
}

/// Runs one input as a fuzz target would; returns how the file was read, or why not.
fn replay(bytes: &[u8], xlsx: bool, data: &CouncilData) -> Result<Book, SheetError> {
    let book = if xlsx {
        Book::from_xlsx(bytes, &Limits::default())?
    } else {
        Book::from_csv(bytes, "fuzz.csv", &Limits::default())?
    };
    if let Err(ps) = sheets::import_book(&book, data, &Expect::default()) {
        assert!(!ps.is_empty() && ps.iter().all(|p| !p.message.is_empty()));
    }
    if let Err(ps) = read_setup(std::slice::from_ref(&book), data, &mut |_, _| {}) {
        assert!(!ps.is_empty() && ps.iter().all(|p| !p.message.is_empty()));
    }
    Ok(book)
}

async fn halton() -> (TempDb, CouncilData) {
    let db = TempDb::with_halton().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    (db, data)
}

#[tokio::test]
async fn every_saved_input_and_past_crash_is_handled_without_a_panic() {
    let (_db, data) = halton().await;
    let mut ran = 0;
    let mut panics = Vec::new();
    for (target, xlsx) in [("collect_xlsx", true), ("collect_csv", false)] {
        let inputs = files(target);
        assert!(inputs.len() >= 10, "the {target} corpus is missing");
        for path in inputs {
            let bytes = std::fs::read(&path).unwrap();
            match catch_unwind(AssertUnwindSafe(|| replay(&bytes, xlsx, &data))) {
                Ok(Err(e)) => assert!(!e.to_string().is_empty(), "{}", path.display()),
                Ok(Ok(_)) => {}
                Err(_) => panics.push(path.display().to_string()),
            }
            // The auto-detecting entry point too.
            let r = catch_unwind(AssertUnwindSafe(|| {
                sheets::import_file(
                    &bytes,
                    "input",
                    &data,
                    &Expect::default(),
                    &Limits::default(),
                )
            }));
            if r.is_err() {
                panics.push(format!("{} (import_file)", path.display()));
            }
            ran += 1;
        }
    }
    assert!(panics.is_empty(), "these inputs panicked: {panics:#?}");
    assert!(ran >= 30, "{ran}");
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("fuzz/corpus").join(name)).unwrap()
}

#[tokio::test]
async fn hostile_workbooks_are_refused_before_they_are_unpacked() {
    let (_db, data) = halton().await;
    let refused = |name: &str, words: &str| {
        let e = replay(&corpus(&format!("collect_xlsx/{name}")), true, &data).unwrap_err();
        assert!(matches!(e, SheetError::Refused(_)), "{name}: {e:?}");
        assert!(e.to_string().contains(words), "{name}: {e}");
    };
    refused("bomb-ratio.xlsx", "a zip bomb?");
    refused("bomb-declared.xlsx", "unpacks to 4294967295 bytes");
    // The zip reader itself stops an entry that inflates past its declared size.
    let e = replay(&corpus("collect_xlsx/lying-size.xlsx"), true, &data).unwrap_err();
    assert!(e.to_string().contains("larger than its declared"), "{e}");
    refused("many-entries.xlsx", "1001 entries");
    refused("dotdot-path.xlsx", "outside the workbook");
    refused("absolute-path.xlsx", "outside the workbook");
    refused("backslash-path.xlsx", "outside the workbook");
    refused("far-cell.xlsx", "XFD1048576");
    let unreadable = |name: &str| {
        let e = replay(&corpus(&format!("collect_xlsx/{name}")), true, &data).unwrap_err();
        assert!(matches!(e, SheetError::Unreadable(_)), "{name}: {e:?}");
    };
    for name in [
        "truncated.xlsx",
        "truncated-directory.xlsx",
        "random.bin",
        "empty",
        "pk-only",
        "broken-xml.xlsx",
    ] {
        unreadable(name);
    }
    // A workbook without its workbook part reads as no sheets: not a collection workbook.
    let e = sheets::import_file(
        &corpus("collect_xlsx/no-workbook.xlsx"),
        "x.xlsx",
        &data,
        &Expect::default(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e[0].message.contains("no About sheet"), "{}", e[0]);
    let e = sheets::import_file(
        &corpus("collect_xlsx/old-xls.xls"),
        "old.xls",
        &data,
        &Expect::default(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e[0].message.contains("save it as .xlsx"), "{}", e[0]);
    // The real files in the corpus still load.
    let ok = sheets::import_file(
        &corpus("collect_xlsx/template.xlsx"),
        "t.xlsx",
        &data,
        &Expect::default(),
        &Limits::default(),
    )
    .unwrap();
    assert!(ok.changes.is_empty());
    let bad = sheets::import_file(
        &corpus("collect_csv/bad-utf8.csv"),
        "bad.csv",
        &data,
        &Expect::default(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(bad[0].message.contains("not UTF-8"), "{}", bad[0]);
}
