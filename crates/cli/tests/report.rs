#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `beacon report`: the example council's Quarter 2 report and the CYPD plan written by the real
//! binary into a real directory, in every format; a unit that does not exist is refused in words.

use std::path::Path;
use std::process::{Command, Output};

fn beacon(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "beacon failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn writes_the_quarter_2_report_in_every_format_and_the_plan_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("beacon.db");
    let halton = beacon_test_support::halton_dir();
    ok(&beacon(&db, &["init", halton.to_str().unwrap()]));
    let q2 = [
        "report",
        "monitoring",
        "--council",
        "halton",
        "--unit",
        "CED",
        "--year",
        "2012/13",
        "--quarter",
        "2",
        "--format",
    ];
    for (format, magic) in [
        ("html", &b"<!DOCTYPE html>"[..]),
        ("json", b"{"),
        ("xlsx", b"PK"),
        ("docx", b"PK"),
        ("pdf", b"%PDF-"),
    ] {
        let path = dir.path().join(format!("q2.{format}"));
        let mut args = q2.to_vec();
        args.extend([format, "-o", path.to_str().unwrap()]);
        ok(&beacon(&db, &args));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{format} does not start as one");
    }
    let html = std::fs::read_to_string(dir.path().join("q2.html")).unwrap();
    assert!(html.contains("Directorate Performance Overview Report"));
    assert!(html.contains("48,911"));
    // CSV: a directory of one file per table, or one zip.
    let csv = dir.path().join("csv");
    let mut args = q2.to_vec();
    args.extend(["csv", "-o", csv.to_str().unwrap()]);
    ok(&beacon(&db, &args));
    let mut names: Vec<String> = std::fs::read_dir(&csv)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 19);
    // The exceptions list follows the report's own sections (the council's default).
    assert_eq!(names[18], "19-exceptions.csv");
    let zip = dir.path().join("q2.zip");
    let mut args = q2.to_vec();
    args.extend(["csv", "-o", zip.to_str().unwrap()]);
    ok(&beacon(&db, &args));
    assert!(std::fs::read(&zip).unwrap().starts_with(b"PK"));
    // The plan document.
    let plan = dir.path().join("plan.html");
    ok(&beacon(
        &db,
        &[
            "report",
            "plan",
            "--plan",
            "CYPD-2011-14",
            "--format",
            "html",
            "-o",
            plan.to_str().unwrap(),
        ],
    ));
    let html = std::fs::read_to_string(&plan).unwrap();
    assert!(html.contains("Children &#38; Young People&#39;s Directorate Plan"));
    assert!(html.contains("Awaiting information to set target"));
}

#[test]
fn a_unit_that_does_not_exist_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("beacon.db");
    let halton = beacon_test_support::halton_dir();
    ok(&beacon(&db, &["init", halton.to_str().unwrap()]));
    let out_path = dir.path().join("x.html");
    let out = beacon(
        &db,
        &[
            "report",
            "monitoring",
            "--council",
            "halton",
            "--unit",
            "NOPE",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--format",
            "html",
            "-o",
            out_path.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no unit NOPE in council halton; its units are: CED"),
        "{err}"
    );
    assert!(!out_path.exists());
}
