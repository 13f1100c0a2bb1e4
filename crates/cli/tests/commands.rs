//! The `beacon` binary as a user runs it: the demo loads the example council, stats count it,
//! bad input gives a message on stderr and a non-zero exit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn beacon(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .output()
        .expect("beacon runs")
}

#[test]
fn demo_loads_the_example_council_and_stats_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = beacon(&db, &["demo", "--no-serve"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Halton Borough Council (halton):"), "{text}");
    assert!(text.contains("plan CYPD-2011-14: Children & Young People's Directorate Plan (2011/12-2013/14): 12 objectives, 84 milestones, 96 indicators"), "{text}");
    assert!(text.contains("quarter CED 2012/13 Q2: Directorate Performance Overview Report (23 values, 39 commentary paragraphs)"), "{text}");

    let out = beacon(&db, &["stats", "--json"]);
    assert!(out.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["councils"], 1);
    assert_eq!(stats["plans"], 4);
    assert_eq!(stats["objectives"], 12 + 12 + 4 + 5);
    assert_eq!(stats["milestones"], 84 + 20 + 45 + 42);
    assert_eq!(stats["indicators"], 96 + 23 + 21 + 17);
    assert_eq!(stats["quarter_values"], 23);
    assert_eq!(stats["commentary"], 39);
    assert_eq!(stats["budget_statements"], 6);

    // Running the demo again changes nothing.
    let out = beacon(&db, &["demo", "--no-serve"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Nothing changed"), "{text}");
}

#[test]
fn a_bad_file_is_reported_on_stderr_with_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[council]\nref = \"Halton Council\"\nname = \"x\"\n").unwrap();
    assert!(beacon(&db, &["init"]).status.success());
    let out = beacon(&db, &["load", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml:2: field `ref`"), "{err}");
    assert!(err.contains("a council ref"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn export_writes_a_plan_file_that_loads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    assert!(beacon(&db, &["demo", "--no-serve"]).status.success());
    let out_dir = dir.path().join("out");
    let out = beacon(
        &db,
        &[
            "export",
            "plan",
            "SS-2009-12",
            "-o",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = out_dir.join("ss-2009-12.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("ref = \"SS-2009-12\""));
    let out = beacon(&db, &["load", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing changed"));

    let out = beacon(
        &db,
        &["export", "plan", "NOPE", "-o", out_dir.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no plan NOPE in council halton"));
}

#[test]
fn status_lists_every_kpi_with_its_reason_and_shows_a_status_set_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(beacon(&db, &["demo", "--no-serve"]).status.success());
    let q = ["--council", "halton", "--year", "2012/13", "--quarter", "2"];
    let mut args = vec!["status"];
    args.extend(q);
    args.extend(["--plan", "CED-2012-13", "--json"]);
    let out = beacon(&db, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let indicators = json["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 23);
    let cyp09 = indicators
        .iter()
        .find(|i| i["reference"] == "SCS CYP09")
        .unwrap();
    assert_eq!(cyp09["status"], "red");
    assert_eq!(
        cyp09["computed"]["reason"],
        "2012/13 Q2 76% against a target of 84%; higher is better; 8 points below target, outside the 5% tolerance → Red"
    );
    assert_eq!(json["milestones"].as_array().unwrap().len(), 20);

    // Without a reason: refused, with a message, and nothing changes.
    let mut set = vec!["set-status"];
    set.extend(q);
    set.extend([
        "--plan",
        "CED-2012-13",
        "--indicator",
        "CFS LI07",
        "--status",
        "amber",
        "--by",
        "TC",
        "--reason",
        " ",
    ]);
    let out = beacon(&db, &set);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("a reason is required"));

    let last = set.len() - 1;
    set[last] = "Uncertain at this stage if the target will be met";
    let out = beacon(&db, &set);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut args = vec!["status"];
    args.extend(q);
    args.extend(["--plan", "CED-2012-13"]);
    let text = String::from_utf8(beacon(&db, &args).stdout).unwrap();
    assert!(text.contains("CFS LI07 SCS [Percentage of referrals to social care that had been subject to CAF in the previous 12 months]: Amber (set by hand)"), "{text}");
    assert!(text.contains("set by hand by TC at "), "{text}");
    assert!(
        text.contains(": Uncertain at this stage if the target will be met (the rules gave Red)"),
        "{text}"
    );
}

/// `beacon national link` ties a Beacon council to its code in the national register and says
/// whether it will contribute; an unknown council or a code the register does not hold is
/// refused, naming it.
#[test]
fn national_link_links_a_council_that_exists_to_a_code_the_register_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    assert!(beacon(&db, &["demo", "--no-serve"]).status.success());
    let out = beacon(
        &db,
        &[
            "national",
            "link",
            "--council",
            "halton",
            "--code",
            "E99999999",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"E99999999\" is not in the national register"),
        "{err}"
    );
    let out = beacon(
        &db,
        &[
            "national",
            "link",
            "--council",
            "nowhere",
            "--code",
            "E06000006",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no council \"nowhere\""), "{err}");
    let out = beacon(
        &db,
        &[
            "national",
            "link",
            "--council",
            "halton",
            "--code",
            "E06000006",
            "--contribute",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("halton is linked to E06000006"), "{text}");
    assert!(
        text.contains("each publication gives its published values"),
        "{text}"
    );
}
