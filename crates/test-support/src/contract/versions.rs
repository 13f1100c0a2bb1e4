//! Plan versions kept whole: every approved version of a plan, as written, read back exactly,
//! so any two can be compared.

use crate::halton_sources;
use beacon_app::Store;
use beacon_app::{ChangeSet, CouncilChanges};
use beacon_domain::organisation::CouncilRef;

/// The example council's approved plan is kept as version 1 when loaded; written again as
/// versions 2 and 3, each is kept, and version 1 reads back as it was loaded.
pub async fn every_approved_version_of_a_plan_is_kept_whole<S: Store>(store: &S) {
    crate::load_files(store, &halton_sources())
        .await
        .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
    let council: CouncilRef = "halton".parse().unwrap();
    let plan = "CED-2012-13".parse().unwrap();
    let data = store.council_data(&council).await.unwrap().unwrap();
    let original = data.plan("CED-2012-13").unwrap().clone();
    assert_eq!(store.plan_versions(&council, &plan).await.unwrap(), [1]);
    for v in [2, 3] {
        let data = store.council_data(&council).await.unwrap().unwrap();
        let mut doc = data.plan("CED-2012-13").unwrap().clone();
        doc.plan.version = v;
        doc.objectives[0].statement = format!("Version {v}");
        let mut changes = CouncilChanges::council_only(&data.council);
        changes.plans.push(doc);
        let mut set = ChangeSet::default();
        beacon_app::commit::stage(&mut set, Some(&data), changes, &crate::tester(), None);
        store.apply(&set).await.unwrap();
    }
    assert_eq!(
        store.plan_versions(&council, &plan).await.unwrap(),
        [1, 2, 3]
    );
    assert_eq!(
        store.plan_version(&council, &plan, 1).await.unwrap(),
        Some(original)
    );
    let third = store
        .plan_version(&council, &plan, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(third.objectives[0].statement, "Version 3");
    assert_eq!(store.plan_version(&council, &plan, 4).await.unwrap(), None);
}
