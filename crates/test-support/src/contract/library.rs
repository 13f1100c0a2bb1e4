//! The indicator library's stories: definitions kept once for the council, plans' indicators
//! that refer to them read back with the definition and their own targets, and a change to a
//! definition reaching every plan that takes it.

use crate::{halton_with_library, source};
use beacon_app::{ChangeSet, CouncilChanges, CouncilData, Store};
use beacon_domain::indicator::Better;
use beacon_domain::organisation::CouncilRef;

fn halton() -> CouncilRef {
    "halton".parse().unwrap()
}

async fn read<S: Store>(store: &S) -> CouncilData {
    store.council_data(&halton()).await.unwrap().unwrap()
}

/// A library and a plan that refers to it: the definitions are stored once, the plan's
/// indicators read back with them and with their own targets, loading again writes nothing,
/// and the exported files say `library = "…"` with only the plan's own fields.
pub async fn an_indicator_library_is_kept_once_and_plans_take_its_definitions<S: Store>(store: &S) {
    let report = crate::load_files(store, &halton_with_library())
        .await
        .unwrap_or_else(|e| panic!("the library and its plan load:\n{e}"));
    assert!(
        report
            .written
            .contains(&"library indicator NI 155".to_string()),
        "{:?}",
        report.written
    );
    let data = read(store).await;
    assert_eq!(data.library.len(), 2);
    let plan = data.plan("HOUSING-2013-14").unwrap();
    let ni155 = plan.indicator("NI 155").unwrap();
    assert_eq!(ni155.library.as_ref().unwrap().as_str(), "NI 155");
    assert_eq!(
        ni155.description,
        "Number of affordable homes delivered (gross)"
    );
    assert_eq!(ni155.better, Some(Better::Higher));
    assert_eq!(ni155.targets.values().next().unwrap().to_string(), "200");
    let h2 = plan
        .indicator("SCS H2")
        .expect("the library's alias finds it");
    assert_eq!(h2.reference.as_str(), "H2");
    assert_eq!(h2.quality.maximum.unwrap().to_string(), "100");

    // Loading the same files again writes nothing.
    let again = crate::load_files(store, &halton_with_library())
        .await
        .unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);

    // Exported: the library in the council file, the plan's indicators by reference.
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let council_file = &files[0].1;
    assert!(
        council_file.contains("[[library]]\nref = \"LOCAL H2\""),
        "{council_file}"
    );
    let plan_file = files
        .iter()
        .find(|(p, _)| p.to_string_lossy().to_lowercase().contains("housing"))
        .map(|(_, t)| t.clone())
        .unwrap();
    assert!(plan_file.contains("library = \"NI 155\""), "{plan_file}");
    assert!(!plan_file.contains("affordable homes"), "{plan_file}");

    // A definition changed in the council's file reaches the stored plan that takes it.
    let changed = crate::LIBRARY_FILE.replace(
        "Number of affordable homes delivered (gross)",
        "Affordable homes delivered (gross)",
    );
    let report = crate::load_files(store, &[source("library.toml", &changed)])
        .await
        .unwrap();
    assert!(
        report.written.contains(&"plan HOUSING-2013-14".to_string()),
        "{:?}",
        report.written
    );
    let data = read(store).await;
    let ni155 = data
        .plan("HOUSING-2013-14")
        .unwrap()
        .indicator("NI 155")
        .unwrap();
    assert_eq!(ni155.description, "Affordable homes delivered (gross)");
    assert_eq!(ni155.targets.values().next().unwrap().to_string(), "200");
}

/// A definition removed goes by its ref; the others, and the plans that take them, stay.
pub async fn a_removed_library_definition_is_gone_and_the_others_stay<S: Store>(store: &S) {
    crate::load_files(store, &halton_with_library())
        .await
        .unwrap_or_else(|e| panic!("the library and its plan load:\n{e}"));
    let before = read(store).await;
    let mut spare = before.library[0].clone();
    spare.reference = "NI 999".parse().unwrap();
    spare.aliases.clear();
    let apply = |changes: CouncilChanges| async move {
        store
            .apply(&ChangeSet {
                councils: vec![changes],
                ..Default::default()
            })
            .await
            .unwrap();
    };
    let mut add = CouncilChanges::council_only(&before.council);
    add.library.push(spare.clone());
    apply(add).await;
    assert_eq!(read(store).await.library.len(), before.library.len() + 1);
    let mut remove = CouncilChanges::council_only(&before.council);
    remove.removed_library.push(spare);
    apply(remove).await;
    assert_eq!(read(store).await, before);
}
