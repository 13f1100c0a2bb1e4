//! The dates, collections and comparisons a plan that is not Halton's writes: actions with start
//! and end dates, milestones due as a range, a list, from a date onwards, ongoing or recurring
//! (listed under the year of their date when `year` is left out, one dated before the plan with
//! the plan's note), termly and census indicators, comparators naming a council or group, and
//! equality objectives without an impact. They load, read back, and export and load again to the
//! same bytes; each malformed form is refused naming the file, line and field and what was
//! expected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_interchange::LoadError;
use beacon_test_support::{TempDb, source};

const PLAN: &str = r#"[council]
ref = "halton"

[plan]
ref = "DATES-2011-12"
title = "A one-year plan written as another council writes"
unit = "CFS"
years = "2011/12-2011/12"
status = "approved"

[[objectives]]
ref = "D1"
statement = "Close the attainment gap for children in care"
starts = "2010-09"
ends = "2013-03"

[[objectives.milestones]]
text = "Pilot the virtual school"
due = "2010-12 to 2011-03"
before_plan = "Carried forward from the 2010/11 plan"

[[objectives.milestones]]
text = "Personal education plans reviewed"
due = "2011-07, 2011-12, 2012-03"

[[objectives.milestones]]
text = "Tracking meetings held"
due = "each term"
year = "2011/12"

[[objectives.milestones]]
text = "Annual report to the board"
due = "annually in July"
year = "2011/12"

[[objectives.milestones]]
text = "Mentoring offered to every child"
due = "from 2011-09 onwards"

[[objectives.milestones]]
text = "Work with schools"
due = "ongoing"
year = "2011/12"

[[objectives.milestones]]
text = "Evaluate the pilot"
due = "2012-04"

[[indicators]]
ref = "D LI1"
description = "Children in care with a personal education plan"
measure = "percent"
better = "higher"
frequency = "termly"

[[indicators.comparators]]
period = "2009/10"
kind = "council"
name = "Warrington"
source = "DfE SFR 27/2010"
value = "61%"

[[indicators.comparators]]
period = "2009/10"
kind = "statistical-neighbours"
value = "58.5%"

[[indicators]]
ref = "D LI2"
description = "Pupils persistently absent"
measure = "percent"
better = "lower"
frequency = "census"
census = { return = "School Census", months = ["January", "May", "October"] }

[[equality_actions]]
ref = "EO1"
area = ""
action = "Narrow the gap in attainment between children in care and their peers"
themes = ["Age", "Disability"]
success_measure = "Gap at Key Stage 2 below 20 points"
evidence = "Virtual school head's annual report"
target_date = "2012-03"
completed = true
"#;

fn plan_ref() -> &'static str {
    "DATES-2011-12"
}

async fn loaded() -> TempDb {
    let db = TempDb::with_halton().await;
    beacon_test_support::load_files(&db.store, &[source("dates.toml", PLAN)])
        .await
        .unwrap();
    db
}

#[tokio::test]
async fn the_forms_councils_write_load_and_keep_their_words() {
    let db = loaded().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let plan = data.plan(plan_ref()).unwrap();
    let o = &plan.objectives[0];
    assert_eq!(o.runs().unwrap(), "September 2010 – March 2013");
    let listed: Vec<(String, String)> = o
        .milestones
        .iter()
        .map(|m| (m.year.to_string(), m.due.describe()))
        .collect();
    assert_eq!(
        listed,
        [
            // Before the plan: listed under its first year, with the plan's note.
            ("2011/12", "December 2010 – March 2011"),
            ("2011/12", "July 2011, December 2011 and March 2012"),
            ("2011/12", "each term"),
            ("2011/12", "annually in July"),
            ("2011/12", "from September 2011 onwards"),
            ("2011/12", "ongoing"),
            // After the plan: listed under its last year, judged in 2012/13.
            ("2011/12", "April 2012"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        o.milestones[0].text_with_note(),
        "Pilot the virtual school (Note: Carried forward from the 2010/11 plan)"
    );
    let next_year = "2012/13".parse().unwrap();
    assert!(plan.reaches(next_year));
    let judged: Vec<&str> = o
        .milestones
        .iter()
        .filter(|m| m.judged_in(next_year, plan.plan.years))
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(judged, ["Evaluate the pilot"]);
    let census = plan.indicators[1].census.as_ref().unwrap();
    assert_eq!(
        census.describe(),
        "School Census (January, May and October)"
    );
    let eo = &plan.equality_actions[0];
    assert_eq!((eo.impact, eo.completed), (None, true));
    assert_eq!(eo.themes, ["Age", "Disability"]);
}

/// In 2012/13 the one-year plan is reported on for the milestone its date reaches: `beacon
/// status` judges it (overdue since April 2012 by Q2) and nothing else of the plan.
#[tokio::test]
async fn a_milestone_due_after_the_plan_is_judged_in_the_year_of_its_date() {
    let db = loaded().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let query = beacon_app::status::StatusQuery {
        quarter: "2012/13 Q2".parse().unwrap(),
        plan: Some(plan_ref().parse().unwrap()),
        unit: None,
    };
    let report = beacon_app::status::status_report(&data, &query);
    let ms: Vec<(&str, &str)> = report
        .milestones
        .iter()
        .map(|m| (m.text.as_str(), m.computed.reason.as_str()))
        .collect();
    assert_eq!(
        ms,
        [(
            "Evaluate the pilot",
            "no progress recorded for 2012/13 Q2; it was due by 30 April 2012"
        )]
    );
    assert!(report.indicators.is_empty());
    // In 2011/12 Q1 the termly indicator is not due, the census one is (May).
    let missing_q1: Vec<bool> = data
        .plan(plan_ref())
        .unwrap()
        .indicators
        .iter()
        .map(|i| i.expected_in(beacon_domain::period::QuarterNo::Q1))
        .collect();
    assert_eq!(missing_q1, [false, true]);
}

#[tokio::test]
async fn the_forms_export_and_load_back_to_the_same_bytes() {
    let db = loaded().await;
    let council = "halton".parse().unwrap();
    let data = db.store.council_data(&council).await.unwrap().unwrap();
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let (_, plan_file) = files.iter().find(|(_, t)| t.contains(plan_ref())).unwrap();
    for written in [
        "due = \"2010-12 to 2011-03\"",
        "before_plan = \"Carried forward from the 2010/11 plan\"",
        "due = \"2011-07, 2011-12, 2012-03\"",
        "due = \"each term\"",
        "due = \"from 2011-09 onwards\"",
        "starts = \"2010-09\"",
        "frequency = \"census\"",
        "name = \"Warrington\"",
        "target_date = \"2012-03\"",
        "completed = true",
    ] {
        assert!(plan_file.contains(written), "{written} not in {plan_file}");
    }
    assert!(!plan_file.contains("impact"), "{plan_file}");
    let second = TempDb::new().await;
    let sources: Vec<beacon_interchange::Source> = files
        .iter()
        .map(|(p, t)| source(&p.display().to_string(), t))
        .collect();
    beacon_test_support::load_files(&second.store, &sources)
        .await
        .unwrap();
    let data2 = second.store.council_data(&council).await.unwrap().unwrap();
    assert_eq!(data2, data);
    assert_eq!(
        beacon_interchange::export::council_files(&data2, None).unwrap(),
        files
    );
}

/// Loads `text` over the example council and returns the one problem; nothing is loaded.
async fn one_problem(text: &str) -> beacon_interchange::Problem {
    let db = TempDb::with_halton().await;
    let stats = db.store.stats().await.unwrap();
    let err: LoadError = beacon_test_support::load_files(&db.store, &[source("bad.toml", text)])
        .await
        .unwrap_err();
    assert_eq!(db.store.stats().await.unwrap(), stats);
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = err.problems[0].clone();
    assert_eq!(p.file, "bad.toml");
    p
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Each malformed form: (what replaces what, the line it is on, the field, words the message
/// must hold).
#[tokio::test]
async fn each_malformed_form_is_named_with_what_was_expected() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "due = \"2010-12 to 2011-03\"",
            "due = \"2011-03 to 2010-12\"",
            "due",
            "a range whose first date comes before its last",
            "2011-03 to 2010-12",
        ),
        (
            "due = \"2011-07, 2011-12, 2012-03\"",
            "due = \"2011-12, 2011-07\"",
            "due",
            "a list of dates in order",
            "2011-12, 2011-07",
        ),
        (
            "due = \"each term\"",
            "due = \"each fortnight\"",
            "due",
            "\"annually in July\"",
            "each fortnight",
        ),
        (
            "due = \"from 2011-09 onwards\"",
            "due = \"from September onwards\"",
            "due",
            "\"from 2011-09 onwards\"",
            "from September onwards",
        ),
        (
            "before_plan = \"Carried forward from the 2010/11 plan\"\n",
            "",
            "objectives.milestones.due",
            "is before the plan's first year 2011/12; where the plan lists it so, give its note in before_plan",
            "due = \"2010-12 to 2011-03\"",
        ),
        (
            "due = \"ongoing\"\nyear = \"2011/12\"",
            "due = \"ongoing\"",
            "objectives.milestones.year",
            "a milestone with a due date of \"ongoing\" needs the financial year the plan lists it under",
            "text = \"Work with schools\"",
        ),
        (
            "ends = \"2013-03\"",
            "ends = \"2010-06\"",
            "objectives.ends",
            "the action ends (2010-06) before it starts (2010-09)",
            "ends = \"2010-06\"",
        ),
        (
            "census = { return = \"School Census\", months = [\"January\", \"May\", \"October\"] }\n",
            "",
            "indicators.census",
            "a census indicator needs its return and the months it reports in",
            "ref = \"D LI2\"",
        ),
        (
            "months = [\"January\", \"May\", \"October\"]",
            "months = [\"Janvier\"]",
            "census",
            "a month's name, such as July",
            "Janvier",
        ),
        (
            "frequency = \"termly\"",
            "frequency = \"fortnightly\"",
            "frequency",
            "half-termly | termly | six-monthly | twice-yearly | census",
            "fortnightly",
        ),
        (
            "name = \"Warrington\"\n",
            "",
            "indicators.comparators",
            "a council comparator (2009/10) needs the council or group named",
            "ref = \"D LI1\"",
        ),
        (
            "target_date = \"2012-03\"",
            "target_date = \"by March\"",
            "target_date",
            "a due date",
            "by March",
        ),
    ];
    for (from, to, field, says, on) in cases {
        assert!(PLAN.contains(from), "{from}");
        let text = PLAN.replacen(from, to, 1);
        let p = one_problem(&text).await;
        assert_eq!(p.field, *field, "{from} → {to}: {p:?}");
        assert!(p.message.contains(says), "{from} → {to}: {}", p.message);
        // A field that is missing is named on its table's first line.
        let l = line_of(&text, on);
        assert!(p.line == l || p.line + 1 == l, "{from} → {to}: {p:?}");
    }
}
