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

#[test]
fn the_targets_the_board_agreed_go_into_the_plan_that_covers_next_year() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    // The review's proposals as CSV, as the board amended them.
    let csv = dir.path().join("review-csv");
    let mut a = args("target-review");
    a.extend(["--format", "csv", "-o", csv.to_str().unwrap()]);
    ok(&beacon(&db, &a));
    let proposed = std::fs::read_dir(&csv)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("proposed-targets.csv"))
        .expect("the review's proposed targets as a file");
    let lines = std::fs::read_to_string(&proposed).unwrap();
    assert!(lines.starts_with("Plan,Indicator,Year,Target"), "{lines}");
    assert!(lines.contains("CED-2012-13,NI072,2013/14,56%"), "{lines}");
    let agreed = dir.path().join("agreed.csv");
    std::fs::write(
        &agreed,
        format!("{lines}CED-2012-13,NI075,2013/14,60%\nCED-2012-13,NI075,2016/17,70%\n"),
    )
    .unwrap();
    // The 2011-14 plan covers 2013/14 and holds NI072 and NI075 ("Not set" for 2013/14).
    let out = dir.path().join("next");
    let res = beacon(
        &db,
        &[
            "export",
            "plan",
            "CYPD-2011-14",
            "-o",
            out.to_str().unwrap(),
            "--targets",
            agreed.to_str().unwrap(),
        ],
    );
    ok(&res);
    let said = text(&res);
    assert!(said.contains("NI072 2013/14: 56% (was Not set)"), "{said}");
    // A line added later amends the proposal: the last line for an indicator and year wins.
    assert!(said.contains("NI075 2013/14: 60% (was 59%)"), "{said}");
    assert!(
        said.contains("NI075 2016/17: not applied, plan CYPD-2011-14 does not cover 2016/17"),
        "{said}"
    );
    assert!(
        said.contains(
            "SCS CYP09 2013/14: not applied, plan CYPD-2011-14 has no indicator SCS CYP09"
        ),
        "{said}"
    );
    let file = std::fs::read_to_string(out.join("cypd-2011-14.toml")).unwrap();
    let ni072 = &file[file.find("ref = \"NI072\"").unwrap()..];
    let ni072 = &ni072[..ni072.find("[[indicators]]").unwrap_or(ni072.len())];
    assert!(ni072.contains("\"2013/14\" = \"56%\""), "{ni072}");
    // The file loads as the plan's next version would: into a fresh database with the rest.
    let fresh = dir.path().join("fresh.db");
    let halton = beacon_test_support::halton_dir();
    let copy = dir.path().join("halton");
    copy_dir(&halton, &copy);
    std::fs::copy(
        out.join("cypd-2011-14.toml"),
        copy.join("plans").join("cypd-2011-14.toml"),
    )
    .unwrap();
    ok(&beacon(&fresh, &["init", copy.to_str().unwrap()]));
    // A file that is not the review's is refused, naming the line and column.
    std::fs::write(&agreed, "Indicator,Year,Target\nNI072,next year,56%\n").unwrap();
    let res = beacon(
        &db,
        &[
            "export",
            "plan",
            "CYPD-2011-14",
            "-o",
            out.to_str().unwrap(),
            "--targets",
            agreed.to_str().unwrap(),
        ],
    );
    assert!(!res.status.success());
    assert!(text(&res).contains("line 2, column Year"), "{}", text(&res));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
