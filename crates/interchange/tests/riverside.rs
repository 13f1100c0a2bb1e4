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
    assert_eq!(plan.equality_actions.len(), 4);

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
        .find(|s| s.name.ends_with("cs-2011-12.toml"))
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

    let plan_file = text("cs-2011-12.toml");
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
