//! The second example council (examples/riverside, an invented council with a children's
//! services business plan for 2011/12) loads whole and survives a round trip through export.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_test_support::{TempDb, riverside_sources};

fn council() -> beacon_domain::organisation::CouncilRef {
    "riverside".parse().unwrap()
}

#[tokio::test]
async fn the_invented_council_loads_and_round_trips_through_export() {
    let first = TempDb::new().await;
    beacon_test_support::load_files(&first.store, &riverside_sources())
        .await
        .unwrap_or_else(|e| panic!("the invented council loads:\n{e}"));
    let data = first.store.council_data(&council()).await.unwrap().unwrap();
    let plan = data.plan("CS-2011-12").unwrap();
    let objectives: Vec<&str> = plan
        .objectives
        .iter()
        .map(|o| o.reference.as_str())
        .collect();
    assert_eq!(objectives, ["SFS1", "SFS2", "EH1", "LI1", "LI2", "CR1"]);
    assert_eq!(plan.indicators.len(), 11);
    assert_eq!(plan.risks.len(), 3);
    assert_eq!(plan.equality_actions.len(), 6);

    let dir = tempfile::tempdir().unwrap();
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();
    let second = TempDb::new().await;
    let sources = beacon_interchange::read_paths(&[dir.path()]).unwrap();
    beacon_test_support::load_files(&second.store, &sources)
        .await
        .unwrap();
    let again = second
        .store
        .council_data(&council())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, data);
    // Exported again, the same bytes.
    let files2 = beacon_interchange::export::council_files(&again, None).unwrap();
    assert_eq!(files2, files);
}

/// The invented plan uses the forms another council's plan needs (docs/plan-format.md): its
/// dates are kept as written and decide the quarters each milestone is judged in; its census
/// and termly indicators are due in their own quarters; its comparators name the council and
/// source; its equality objectives give no impact.
#[tokio::test]
async fn the_invented_plan_s_dates_collections_and_comparators_mean_what_it_says() {
    use beacon_domain::period::QuarterNo;
    let db = TempDb::new().await;
    beacon_test_support::load_files(&db.store, &riverside_sources())
        .await
        .unwrap();
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let plan = data.plan("CS-2011-12").unwrap();
    let dues: Vec<String> = plan.milestones().map(|(_, m)| m.due.describe()).collect();
    for form in [
        "December 2010 – March 2011",
        "June 2011 – December 2011",
        "from September 2011 onwards",
        "each term",
        "each quarter",
        "October 2011, January 2012 and April 2012",
        "ongoing",
        "annually in July",
    ] {
        assert!(dues.iter().any(|d| d == form), "{form} not in {dues:?}");
    }
    // In 2012/13 the one-year plan is reported on for the milestones its dates reach.
    let next = "2012/13".parse().unwrap();
    assert!(plan.reaches(next));
    let judged: Vec<&str> = plan
        .milestones()
        .filter(|(_, m)| m.judged_in(next, plan.plan.years))
        .map(|(_, m)| m.reference.as_str())
        .collect();
    assert_eq!(judged, ["LI1/3", "CR1/3"]);
    let report = beacon_app::status::status_report(
        &data,
        &beacon_app::status::StatusQuery {
            quarter: "2012/13 Q1".parse().unwrap(),
            plan: None,
            unit: None,
        },
    );
    let reasons: Vec<&str> = report
        .milestones
        .iter()
        .map(|m| m.computed.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "no progress recorded for 2012/13 Q1; it is due by 30 April 2012, this quarter",
            "no progress recorded for 2012/13 Q1; it is due by 30 April 2012, this quarter",
        ]
    );
    assert!(report.indicators.is_empty());
    // The census return reports in January, May and October; termly values come in Q2–Q4.
    let due_in = |code: &str| -> Vec<u8> {
        let i = plan.indicator(code).unwrap();
        QuarterNo::ALL
            .iter()
            .filter(|q| i.expected_in(**q))
            .map(|q| q.number())
            .collect()
    };
    assert_eq!(due_in("CS 8"), [1, 3, 4]);
    assert_eq!(due_in("CS 5"), [2, 3, 4]);
    let named: Vec<String> = plan
        .indicator("CS 3")
        .unwrap()
        .comparators
        .iter()
        .map(|c| c.describe())
        .collect();
    assert_eq!(
        named,
        [
            "Statistical neighbours 2009/10",
            "Eastbrook Borough Council (invented) 2009/10",
            "England average 2009/10"
        ]
    );
    let objectives: Vec<(&str, bool, bool)> = plan
        .equality_actions
        .iter()
        .filter(|a| !a.themes.is_empty())
        .map(|a| (a.reference.as_str(), a.impact.is_none(), a.completed))
        .collect();
    assert_eq!(objectives, [("EO1", true, false), ("EO2", true, true)]);
}

/// `beacon export` writes frames, units and officers in the natural order of their refs
/// ("BP 2" before "BP 10"), keeps a one-year plan's year as written once, the council's
/// choice of where its exceptions go, and every number as it was written.
#[tokio::test]
async fn export_writes_refs_in_natural_order_and_numbers_as_written() {
    let mut sources = riverside_sources();
    let frames = sources
        .iter_mut()
        .find(|s| s.name.ends_with("business-priorities-2011-12.toml"))
        .unwrap();
    frames.text.push_str(
        "\n[[frames]]\nref = \"BP 10\"\nkind = \"other\"\ntitle = \"Ten\"\n\n[[frames]]\nref = \"BP 9\"\nkind = \"other\"\ntitle = \"Nine\"\n",
    );
    let council_toml = sources
        .iter_mut()
        .find(|s| s.name.ends_with("council.toml"))
        .unwrap();
    council_toml.text = council_toml.text.replacen(
        "tolerance_percent = \"5\"",
        "tolerance_percent = \"5.50\"\nexceptions = \"first\"",
        1,
    );
    let plan = sources
        .iter_mut()
        .find(|s| s.name.ends_with("plans/cs-2011-12.toml"))
        .unwrap();
    plan.text = plan.text.replacen(
        "[indicators.targets]\n\"2011/12\" = \"500\"",
        "quality = { minimum = \"0\", maximum = \"900\" }\n\n[indicators.targets]\n\"2011/12\" = { text = \"500 assessments\", number = \"500\" }",
        1,
    );
    let db = TempDb::new().await;
    beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let text = |name: &str| {
        files
            .iter()
            .find(|(p, _)| p.to_string_lossy().ends_with(name))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let council_file = text("council.toml");
    let at = |r: &str| council_file.find(&format!("ref = \"{r}\"")).unwrap();
    assert!(at("BP 1") < at("BP 2"));
    assert!(at("BP 2") < at("BP 9"));
    assert!(at("BP 9") < at("BP 10"));
    assert!(council_file.contains("tolerance_percent = \"5.50\""));
    assert!(council_file.contains("exceptions = \"first\""));
    assert_eq!(
        data.council.exceptions,
        Some(beacon_domain::organisation::ExceptionsPlacement::First)
    );

    let plan_file = text("plans/cs-2011-12.toml");
    assert!(plan_file.contains("years = \"2011/12\"\n"), "{plan_file}");
    for written in [
        "\"2011/12\" = \"80%\"",
        "value = \"71.4%\"",
        "value = \"54.2% (provisional)\"",
        "\"2011/12\" = \"30\"",
        "number = \"500\"",
        "minimum = \"0\"",
        "maximum = \"900\"",
        "likelihood = 3",
    ] {
        assert!(
            plan_file.contains(written),
            "{written} is not in:\n{plan_file}"
        );
    }
    assert!(
        !plan_file.contains(".0\""),
        "a number gained a fraction:\n{plan_file}"
    );
}
