//! A bad plan file loads nothing, and its one message names the file, the line and the field
//! and says what was expected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_interchange::LoadError;
use beacon_test_support::{TempDb, source};

const GOOD: &str = r#"[council]
ref = "halton"

[plan]
ref = "TEST-2012-13"
title = "A small test plan"
unit = "CFS"
years = "2012/13-2013/14"
status = "draft"

[[objectives]]
ref = "T1"
statement = "Test objective"
indicators = ["TPI1"]

[[objectives.milestones]]
year = "2012/13"
text = "Do a thing by March 2013"
due = "2013-03"

[[indicators]]
ref = "TPI1"
description = "A test indicator"
measure = "percent"
better = "higher"

[indicators.targets]
"2012/13" = "50%"
"#;

/// Loads `text` as `bad.toml` over the example council and returns the one problem, after
/// checking that nothing in the database changed.
async fn one_problem(text: &str) -> beacon_interchange::Problem {
    let db = TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let before = db.store.council_data(&council).await.unwrap();
    let stats = db.store.stats().await.unwrap();
    let err: LoadError = beacon_test_support::load_files(&db.store, &[source("bad.toml", text)])
        .await
        .unwrap_err();
    assert_eq!(
        db.store.council_data(&council).await.unwrap(),
        before,
        "the database changed"
    );
    assert_eq!(db.store.stats().await.unwrap(), stats);
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = err.problems[0].clone();
    assert_eq!(p.file, "bad.toml");
    p
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[tokio::test]
async fn the_good_file_loads() {
    let db = TempDb::with_halton().await;
    let report = beacon_test_support::load_files(&db.store, &[source("good.toml", GOOD)])
        .await
        .unwrap();
    assert_eq!(report.written, ["plan TEST-2012-13"]);
}

#[tokio::test]
async fn a_wrong_type_names_the_field_and_what_was_expected() {
    let text = GOOD.replace(r#"status = "draft""#, "status = 3");
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "status = 3"));
    assert_eq!(p.field, "status");
    assert!(
        p.message.contains("draft | approved") || p.message.contains("string"),
        "{}",
        p.message
    );

    let text = GOOD.replace(r#"better = "higher""#, r#"better = "up""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, r#"better = "up""#));
    assert_eq!(p.field, "better");
    assert!(p.message.contains("higher | lower | none"), "{}", p.message);
}

#[tokio::test]
async fn an_unknown_ref_names_the_field() {
    let text = GOOD.replace(r#"indicators = ["TPI1"]"#, r#"indicators = ["TPI9"]"#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "TPI9"));
    assert_eq!(p.field, "objectives.indicators");
    assert!(
        p.message.contains(r#"unknown indicator "TPI9""#),
        "{}",
        p.message
    );

    let text = GOOD.replace(r#"unit = "CFS""#, r#"unit = "NOPE""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "NOPE"));
    assert_eq!(p.field, "plan.unit");
    assert!(
        p.message.contains(r#"unknown unit "NOPE""#),
        "{}",
        p.message
    );
}

#[tokio::test]
async fn a_duplicate_ref_names_the_second_one() {
    let text = format!("{GOOD}\n[[objectives]]\nref = \"T1\"\nstatement = \"Again\"\n");
    let p = one_problem(&text).await;
    assert_eq!(p.line, text.lines().count() - 1);
    assert_eq!(p.field, "objectives.ref");
    assert!(
        p.message.contains(r#"duplicate objective ref "T1""#),
        "{}",
        p.message
    );
}

#[tokio::test]
async fn an_unparsable_period_says_what_a_period_looks_like() {
    let text = GOOD.replace(r#""2012/13" = "50%""#, r#""2012/14" = "50%""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "2012/14"));
    assert!(
        p.message.contains("2012/13 (financial year)"),
        "{}",
        p.message
    );

    let text = GOOD.replace(r#"years = "2012/13-2013/14""#, r#"years = "2012-2014""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "2012-2014"));
    assert_eq!(p.field, "years");
    assert!(p.message.contains("2011/12-2013/14"), "{}", p.message);
}

#[tokio::test]
async fn a_missing_field_is_named() {
    // An indicator's description may come from the council's library instead (`library =`),
    // so without either it is refused by name, at the indicator.
    let text = GOOD.replace("description = \"A test indicator\"\n", "");
    let p = one_problem(&text).await;
    assert!(
        p.message
            .contains("the description is blank; expected the indicator's description"),
        "{}",
        p.message
    );
    assert!(
        p.line >= line_of(&text, "[[indicators]]"),
        "line {}",
        p.line
    );
}

#[tokio::test]
async fn one_bad_file_among_good_ones_loads_nothing() {
    let db = TempDb::new().await;
    let mut sources = beacon_test_support::halton_sources();
    sources.push(source(
        "bad.toml",
        &GOOD.replace(r#"due = "2013-03""#, r#"due = "March 2013""#),
    ));
    let err = beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(
        err.problems[0].message.contains("a due date: 2012-03"),
        "{err}"
    );
    assert!(
        db.store.councils().await.unwrap().is_empty(),
        "nothing was loaded"
    );
    assert_eq!(
        db.store.stats().await.unwrap(),
        beacon_app::Stats::default()
    );
}

/// A quarter file giving CED's 2012/13 Q1 risk update with its likelihood and impact.
const Q1: &str = r#"[council]
ref = "halton"

[quarter]
unit = "CED"
period = "2012/13 Q1"
plan = "CED-2012-13"
title = "Directorate Performance Overview Report"

[[risk_updates]]
risk = "CFS1"
likelihood = 3
impact = 4
text = "CareFirst6 is live in two teams."
initials = ["TC"]
"#;

#[tokio::test]
async fn a_quarter_s_risk_scores_load_export_and_load_again_unchanged() {
    let db = TempDb::with_halton().await;
    beacon_test_support::load_files(&db.store, &[source("q1.toml", Q1)])
        .await
        .unwrap();
    let council = "halton".parse().unwrap();
    let data = db.store.council_data(&council).await.unwrap().unwrap();
    let q1 = data
        .quarters
        .iter()
        .find(|q| q.header.period.to_string() == "2012/13 Q1")
        .unwrap();
    assert_eq!(
        (q1.risk_updates[0].likelihood, q1.risk_updates[0].impact),
        (Some(3), Some(4))
    );
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let exported = files
        .iter()
        .find(|(_, t)| t.contains("period = \"2012/13 Q1\""))
        .map(|(_, t)| t.clone())
        .expect("the quarter's file");
    assert!(
        exported.contains("likelihood = 3\nimpact = 4\n"),
        "{exported}"
    );
    let fresh = TempDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();
    let sources = beacon_interchange::source::read_paths(&[dir.path().to_path_buf()]).unwrap();
    beacon_test_support::load_files(&fresh.store, &sources)
        .await
        .unwrap();
    let again = fresh.store.council_data(&council).await.unwrap().unwrap();
    assert_eq!(
        beacon_interchange::export::council_files(&again, None).unwrap(),
        files,
        "byte for byte"
    );
}

#[tokio::test]
async fn a_quarter_s_risk_scores_beyond_the_council_s_matrix_are_refused_at_their_line() {
    let text = Q1.replace("likelihood = 3", "likelihood = 5");
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "likelihood = 5"));
    assert_eq!(p.field, "risk_updates.likelihood");
    assert!(
        p.message
            .contains("the assessment does not fit the council's 4 × 4 risk matrix"),
        "{}",
        p.message
    );
    let text = Q1.replace("impact = 4\n", "");
    let p = one_problem(&text).await;
    assert!(
        p.message
            .contains("likelihood and impact must be given together"),
        "{}",
        p.message
    );
}
