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
