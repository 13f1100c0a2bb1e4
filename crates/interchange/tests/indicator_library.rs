//! The council's indicator library in plan files: a plan's indicator says `library = "…"` and
//! gives only its own fields; the files export, load into an empty database and export again
//! byte for byte; an unknown library ref, or a plan indicator that both refers to the library
//! and redefines its definition, is refused naming the file, line and field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_test_support::{LIBRARY_PLAN_FILE, TempDb, halton_with_library, load_files, source};

fn council() -> beacon_domain::organisation::CouncilRef {
    "halton".parse().unwrap()
}

#[tokio::test]
async fn a_council_with_a_library_exports_loads_into_an_empty_database_and_exports_byte_for_byte() {
    let first = TempDb::new().await;
    load_files(&first.store, &halton_with_library())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let data = first.store.council_data(&council()).await.unwrap().unwrap();
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();

    let second = TempDb::new().await;
    let sources = beacon_interchange::read_paths(&[dir.path()]).unwrap();
    load_files(&second.store, &sources)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let again = second
        .store
        .council_data(&council())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, data);
    let files_again = beacon_interchange::export::council_files(&again, None).unwrap();
    assert_eq!(files_again, files);
    let plan_file = &files
        .iter()
        .find(|(p, _)| p.to_string_lossy().to_lowercase().contains("housing"))
        .unwrap()
        .1;
    assert!(
        plan_file.contains("ref = \"H2\"\nlibrary = \"LOCAL H2\"\n"),
        "{plan_file}"
    );
    assert!(!plan_file.contains("better"), "{plan_file}");
}

async fn refusal(plan: &str) -> String {
    let db = TempDb::new().await;
    let mut sources = halton_with_library();
    sources.pop();
    sources.push(source("plans/housing-2013-14.toml", plan));
    let e = load_files(&db.store, &sources).await.unwrap_err();
    assert!(
        db.store.council_data(&council()).await.unwrap().is_none(),
        "nothing is loaded"
    );
    e.to_string()
}

#[tokio::test]
async fn an_unknown_library_ref_is_refused_naming_file_line_and_field() {
    let plan = LIBRARY_PLAN_FILE.replace("library = \"LOCAL H2\"", "library = \"LOCAL H9\"");
    let e = refusal(&plan).await;
    let line = plan.lines().position(|l| l.contains("LOCAL H9")).unwrap() + 1;
    assert!(
        e.contains(&format!("plans/housing-2013-14.toml:{line}"))
            && e.contains("indicators.library")
            && e.contains("unknown library indicator \"LOCAL H9\""),
        "{e}"
    );
}

#[tokio::test]
async fn a_plan_indicator_that_refers_to_the_library_and_redefines_it_is_refused() {
    let plan = LIBRARY_PLAN_FILE.replace(
        "ref = \"H2\"\nlibrary = \"LOCAL H2\"\n",
        "ref = \"H2\"\nlibrary = \"LOCAL H2\"\nbetter = \"lower\"\n",
    );
    let e = refusal(&plan).await;
    let line = plan
        .lines()
        .position(|l| l.contains("better = \"lower\""))
        .unwrap()
        + 1;
    assert!(
        e.contains(&format!("plans/housing-2013-14.toml:{line}"))
            && e.contains("indicators.better")
            && e.contains("takes its definition from library indicator \"LOCAL H2\""),
        "{e}"
    );
}
