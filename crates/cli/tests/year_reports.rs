#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `beacon report cover|outturn|community|target-review`: the year's other reports written by
//! the real binary in every format and read back (JSON parsed, CSV read with a CSV reader, PDF
//! with pdftotext); the cover report takes the officer's words from a TOML file; a bad unit or
//! a misspelt key is refused in words.

mod common;

use common::{beacon, text};
use std::path::Path;
use std::process::Output;

fn ok(out: &Output) {
    assert!(out.status.success(), "beacon failed: {}", text(out));
}

fn init(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("beacon.db");
    let halton = beacon_test_support::halton_dir();
    ok(&beacon(&db, &["init", halton.to_str().unwrap()]));
    db
}

fn args(what: &str) -> Vec<&str> {
    match what {
        "cover" => vec![
            "report",
            "cover",
            "--council",
            "halton",
            "--unit",
            "CED",
            "--year",
            "2012/13",
            "--quarter",
            "2",
        ],
        "community" => vec![
            "report",
            "community",
            "--council",
            "halton",
            "--year",
            "2012/13",
        ],
        other => vec![
            "report",
            other,
            "--council",
            "halton",
            "--unit",
            "CED",
            "--year",
            "2012/13",
        ],
    }
}

#[test]
fn each_of_the_years_reports_is_written_in_every_format_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    for (what, title, kind) in [
        (
            "cover",
            "Performance Management Report for Quarter 2 of 2012/13",
            "cover",
        ),
        ("outturn", "Annual Outturn Report 2012/13", "outturn"),
        (
            "community",
            "Community Strategy Annual Progress Report 2012/13",
            "community",
        ),
        (
            "target-review",
            "Annual Review of Targets 2013/14",
            "target-review",
        ),
    ] {
        for (format, magic) in [
            ("html", &b"<!DOCTYPE html>"[..]),
            ("json", b"{"),
            ("xlsx", b"PK"),
            ("docx", b"PK"),
            ("pdf", b"%PDF-"),
        ] {
            let path = dir.path().join(format!("{what}.{format}"));
            let mut a = args(what);
            a.extend(["--format", format, "-o", path.to_str().unwrap()]);
            ok(&beacon(&db, &a));
            let bytes = std::fs::read(&path).unwrap();
            assert!(bytes.starts_with(magic), "{what}.{format}");
        }
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(format!("{what}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["title"], title);
        assert_eq!(json["kind"], kind);
        let pdf = std::process::Command::new("pdftotext")
            .arg(dir.path().join(format!("{what}.pdf")))
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) runs");
        let pdf = String::from_utf8(pdf.stdout).unwrap();
        assert!(
            pdf.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(title),
            "{what}.pdf"
        );
        let csv = dir.path().join(format!("{what}-csv"));
        let mut a = args(what);
        a.extend(["--format", "csv", "-o", csv.to_str().unwrap()]);
        ok(&beacon(&db, &a));
        assert!(std::fs::read_dir(&csv).unwrap().count() > 0, "{what} csv");
    }
    // The outturn's figures, read from its CSV files.
    let csv = dir.path().join("outturn-csv");
    let mut found = None;
    for e in std::fs::read_dir(&csv).unwrap() {
        let e = e.unwrap();
        let mut r = csv::Reader::from_path(e.path()).unwrap();
        let header = r.headers().unwrap().clone();
        for rec in r.records() {
            let rec = rec.unwrap();
            if &rec[0] == "NI072 SCS CYP01" {
                found = Some(
                    header
                        .iter()
                        .zip(rec.iter())
                        .map(|(h, v)| (h.to_string(), v.to_string()))
                        .collect::<std::collections::BTreeMap<_, _>>(),
                );
            }
        }
    }
    let ni072 = found.expect("NI072 in the outturn's CSV");
    assert_eq!(ni072["11/12 Outturn"], "48.3%");
    assert_eq!(ni072["12/13 Target"], "56%");
    assert_eq!(ni072["12/13 Outturn"], "54.1% (2012/13 Q2)");
    assert_eq!(ni072["Status"], "Red");
    // The target review's proposals, read from its JSON.
    let review = std::fs::read_to_string(dir.path().join("target-review.json")).unwrap();
    assert!(review.contains("raise it to 79%"));
}

#[test]
fn the_cover_report_takes_the_officers_words_from_a_file_and_refuses_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    let words = dir.path().join("cover.toml");
    std::fs::write(
        &words,
        "committee = \"Children, Young People and Families Policy and Performance Board\"\n\
         meeting = \"3 January 2013\"\n\
         policy = \"There are no policy implications associated with this report.\"\n",
    )
    .unwrap();
    let out = dir.path().join("cover.html");
    let mut a = args("cover");
    a.extend([
        "--text",
        words.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    ok(&beacon(&db, &a));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("3 January 2013"));
    assert!(html.contains("There are no policy implications associated with this report."));
    assert!(html.contains("[To complete: the financial implications"));
    std::fs::write(&words, "polcy = \"typo\"\n").unwrap();
    let res = beacon(&db, &a);
    assert!(!res.status.success());
    let said = text(&res);
    assert!(
        said.contains("polcy") && said.contains("expected any of committee"),
        "{said}"
    );
    // An unknown unit is refused in words, for the year's reports too.
    let x = dir.path().join("x.html");
    let mut a = args("outturn");
    a[5] = "NOPE";
    a.extend(["--format", "html", "-o", x.to_str().unwrap()]);
    let res = beacon(&db, &a);
    assert!(!res.status.success());
    assert!(
        text(&res).contains("no unit NOPE in council halton"),
        "{}",
        text(&res)
    );
}
