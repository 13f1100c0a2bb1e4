//! The spreadsheet commands as a user runs them: `collect template` and `collect import`,
//! `setup`, `export table` and `export open-data`, on the example council.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn beacon(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .output()
        .expect("beacon runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_template_goes_out_and_comes_back_and_mistakes_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ok(&beacon(&db, &["demo", "--no-serve"]));
    let quarter = [
        "--council",
        "halton",
        "--year",
        "2012/13",
        "--quarter",
        "2",
        "--unit",
        "CED",
    ];

    let xlsx = dir.path().join("ced.xlsx");
    let mut args = vec!["collect", "template"];
    args.extend(quarter);
    args.extend(["-o", xlsx.to_str().unwrap()]);
    ok(&beacon(&db, &args));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let text = ok(&beacon(&db, &["collect", "import", xlsx.to_str().unwrap()]));
    assert!(
        text.contains("Nothing changed: CED 2012/13 Q2 (plan CED-2012-13)"),
        "{text}"
    );

    let csv = dir.path().join("ced.csv");
    let mut args = vec!["collect", "template"];
    args.extend(quarter);
    args.extend(["-o", csv.to_str().unwrap()]);
    ok(&beacon(&db, &args));
    let filled =
        std::fs::read_to_string(&csv)
            .unwrap()
            .replacen(",2012/13 Q2,76%,", ",2012/13 Q2,81%,", 1);
    std::fs::write(&csv, &filled).unwrap();
    let text = ok(&beacon(
        &db,
        &["collect", "import", "--dry-run", csv.to_str().unwrap()],
    ));
    assert!(
        text.contains("value of SCS CYP09 for 2012/13 Q2: 81%"),
        "{text}"
    );
    let text = ok(&beacon(&db, &["collect", "import", csv.to_str().unwrap()]));
    assert!(text.starts_with("Loaded CED 2012/13 Q2"), "{text}");
    let text = ok(&beacon(&db, &["collect", "import", csv.to_str().unwrap()]));
    assert!(text.contains("Nothing changed"), "{text}");

    std::fs::write(
        &csv,
        filled.replacen(",81%,", ",eighty,", 1).replacen(
            ",CED-2012-13,indicator,NI072,",
            ",CED-2012-13,indicator,NI999,",
            1,
        ),
    )
    .unwrap();
    let out = beacon(&db, &["collect", "import", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2 problems found; nothing was loaded"),
        "{err}"
    );
    assert!(
        err.contains("ced.csv, row 2, column \"value\": \"eighty\" is not a number"),
        "{err}"
    );
    assert!(
        err.contains("no indicator \"NI999\" in plan CED-2012-13"),
        "{err}"
    );

    let out = beacon(
        &db,
        &[
            "collect",
            "import",
            "--unit",
            "CED-CFD",
            xlsx.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("this file is for unit CED, not CED-CFD"),
        "{err}"
    );
}

#[test]
fn exports_open_data_and_bulk_set_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&beacon(&db, &["demo", "--no-serve"]));
    exports_tables(&db, dir.path());
    exports_open_data(&db, dir.path());
    sets_up_values_from_a_csv(&db, dir.path());
}

/// Indicators as XLSX, budget lines as CSV; an unknown list is named with the lists there are.
fn exports_tables(db: &std::path::Path, dir: &std::path::Path) {
    let x = dir.join("ind.xlsx");
    ok(&beacon(
        db,
        &[
            "export",
            "table",
            "indicators",
            "--council",
            "halton",
            "--plan",
            "CED-2012-13",
            "-o",
            x.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&x).unwrap().starts_with(b"PK"));
    let c = dir.join("lines.txt");
    ok(&beacon(
        db,
        &[
            "export",
            "table",
            "budget-lines",
            "--council",
            "halton",
            "--format",
            "csv",
            "-o",
            c.to_str().unwrap(),
        ],
    ));
    assert!(
        std::fs::read_to_string(&c)
            .unwrap()
            .starts_with("Statement,Period,Unit,Kind,Title,Group,Line,")
    );
    let out = beacon(
        db,
        &[
            "export",
            "table",
            "people",
            "--council",
            "halton",
            "-o",
            c.to_str().unwrap(),
        ],
    );
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("one of indicators | values | milestones | risks | budget-lines")
    );
}

/// The quarter's open data, as JSON and CSV.
fn exports_open_data(db: &std::path::Path, dir: &std::path::Path) {
    let od = dir.join("open");
    ok(&beacon(
        db,
        &[
            "export",
            "open-data",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "-o",
            od.to_str().unwrap(),
        ],
    ));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(od.join("halton-2012-13-q2.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "beacon-open-data-2");
    assert!(
        std::fs::read_to_string(od.join("halton-2012-13-q2.csv"))
            .unwrap()
            .starts_with("council,quarter,plan,indicator,")
    );
}

/// Bulk set-up from a CSV of values: a dry run says what it would do, a bad row is named.
fn sets_up_values_from_a_csv(db: &std::path::Path, dir: &std::path::Path) {
    let values = dir.join("values.csv");
    std::fs::write(&values, "plan,indicator,period,value\nCED-2012-13,NI072,2010/11,44.2%\nCED-2012-13,NI072,2009/10,40%\n").unwrap();
    let text = ok(&beacon(
        db,
        &[
            "setup",
            "--council",
            "halton",
            "--dry-run",
            values.to_str().unwrap(),
        ],
    ));
    assert!(
        text.contains("0 indicators added, 0 updated, 0 targets and 2 values given, in 1 plan"),
        "{text}"
    );
    let text = ok(&beacon(
        db,
        &["setup", "--council", "halton", values.to_str().unwrap()],
    ));
    assert!(text.contains("plan CED-2012-13"), "{text}");
    std::fs::write(
        &values,
        "plan,indicator,period,value\nCED-2012-13,NI072,twenty,1\n",
    )
    .unwrap();
    let out = beacon(
        db,
        &["setup", "--council", "halton", values.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("values.csv, row 2, column \"period\"")
    );
}
