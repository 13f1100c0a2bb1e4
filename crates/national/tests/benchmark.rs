//! What a Beacon council gets from and gives to the national set: its published values go in
//! under the first of an indicator's codes the set holds, once however often they are given;
//! its quartile column reads the latest position up to a quarter; and every write moves the
//! set's revision on, so page caches see it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_national::{NationalDb, Progress, QUARTILE_KEY, contribute_known, quartile_cells};
use beacon_store_sqlite::SqliteStore;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Six councils; H higher-is-better, L lower-is-better, in 2023-24:
/// A 10, B 20, C 20, D 40, E suppressed, F 50.
async fn small(dir: &Path) -> NationalDb {
    let store = SqliteStore::open(dir.join("beacon.db").to_str().unwrap())
        .await
        .unwrap();
    let db = NationalDb::Sqlite(store.pool().sqlite().unwrap().clone());
    let files = [
        write(
            dir,
            "register.csv",
            "code,name,region,type\nA,Alpha,North West,unitary\nB,Beta,North West,unitary\n\
             C,Gamma,North West,unitary\nD,Delta,London,London borough\n\
             E,Epsilon,London,London borough\nF,Phi,London,London borough\n",
        ),
        write(
            dir,
            "indicators.csv",
            "indicator,name,polarity\nH,Higher,higher\nL,Lower,lower\n",
        ),
        write(
            dir,
            "values.csv",
            "council,indicator,period,value\nA,H,2023-24,10\nB,H,2023-24,20\nC,H,2023-24,20\n\
             D,H,2023-24,40\nE,H,2023-24,x\nF,H,2023-24,50\nA,L,2023-24,10\nB,L,2023-24,20\n\
             C,L,2023-24,20\nD,L,2023-24,40\nE,L,2023-24,x\nF,L,2023-24,50\n",
        ),
    ];
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    beacon_national::load(&db, &paths, Progress::Hidden)
        .await
        .unwrap();
    db
}

fn codes(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn published_values_go_in_under_a_national_code_once_however_often_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = small(dir.path()).await;
    let values = vec![
        // A's own ref first, its alias H the national code: A moves from 10 (last) to 60 (first).
        (codes(&["A-LOCAL", "H"]), "2023-24".to_string(), 60.0),
        // A council's own measure, unknown to the set: left out.
        (codes(&["CFS LI03"]), "2023-24".to_string(), 286.0),
        // A period the set did not hold: added, A alone in it.
        (codes(&["H"]), "2024-25 Q1".to_string(), 12.0),
    ];
    let before = db.revision().await.unwrap();
    assert_eq!(contribute_known(&db, "A", &values).await.unwrap(), 2);
    assert!(
        db.revision().await.unwrap() > before,
        "the revision moved on"
    );
    let check = || async {
        let h = db
            .council_positions("A", "2023-24")
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.indicator == "H")
            .unwrap();
        assert_eq!(h.value, Some(60.0));
        assert_eq!(h.england.unwrap().count, 5, "A's value replaced, not added");
        assert_eq!(h.place.unwrap().rank, 1);
        assert_eq!(h.place.unwrap().quartile, 1);
        assert!(db.indicator("CFS LI03").await.unwrap().is_none());
        assert!(db.indicator("A-LOCAL").await.unwrap().is_none());
        let q1 = db.summary("H", "2024-25 Q1").await.unwrap().unwrap();
        assert_eq!(q1.england.unwrap().count, 1);
    };
    check().await;
    // Given again (a second publication gives every published value again): nothing doubles.
    let again = db.revision().await.unwrap();
    assert_eq!(contribute_known(&db, "A", &values).await.unwrap(), 2);
    check().await;
    assert!(db.revision().await.unwrap() > again);
    // A council not in the register is refused, and nothing changes.
    let at = db.revision().await.unwrap();
    assert!(contribute_known(&db, "Z", &values).await.is_err());
    assert_eq!(db.revision().await.unwrap(), at);
}

#[tokio::test]
async fn the_quartile_column_reads_the_latest_position_up_to_the_quarter() {
    let dir = tempfile::tempdir().unwrap();
    let db = small(dir.path()).await;
    contribute_known(&db, "B", &[(codes(&["H"]), "2024-25 Q2".into(), 5.0)])
        .await
        .unwrap();
    let asks = vec![
        ("plan-1 B-LOCAL".to_string(), codes(&["B-LOCAL", "H"])),
        ("plan-1 LOW".to_string(), codes(&["L"])),
        ("plan-1 OWN".to_string(), codes(&["OWN"])),
    ];
    // Up to 2024-25 Q1: B's 2023-24 figures. By hand, sorted 10, 20, 20, 40, 50: the 25th
    // percentile is 20, the median 20, the 75th 40. H (higher is better): F 50 and D 40 above
    // B's 20, which ties with C, so 3rd (joint); at the median, the second quartile. L (lower
    // is better): only A's 10 below, so 2nd (joint); on the 25th percentile, which takes the
    // better quartile: the top.
    let cells = quartile_cells(&db, "B", &asks, "2024-25 Q1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cells["plan-1 B-LOCAL"],
        "Second quartile: 3rd (joint) of 5 (2023-24)"
    );
    assert_eq!(
        cells["plan-1 LOW"],
        "Top quartile: 2nd (joint) of 5 (2023-24)"
    );
    assert!(
        !cells.contains_key("plan-1 OWN"),
        "no national code, no cell"
    );
    // Up to 2024-25 Q2: B's own later figure, alone in its period.
    let cells = quartile_cells(&db, "B", &asks, "2024-25 Q2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cells["plan-1 B-LOCAL"],
        "Top quartile: 1st of 1 (2024-25 Q2)"
    );
    // E's value is suppressed: said, not ranked.
    let cells = quartile_cells(&db, "E", &asks, "2024-25 Q1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cells["plan-1 LOW"], "No value in the national set");
    // A code the register does not hold: no column at all.
    assert!(
        quartile_cells(&db, "Z", &asks, "2024-25 Q1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(QUARTILE_KEY.contains("best"));
}

#[tokio::test]
async fn every_write_to_the_set_moves_its_revision_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = small(dir.path()).await;
    let r0 = db.revision().await.unwrap();
    assert!(r0 >= 1, "the load moved it on");
    db.link("halton", "A", true).await.unwrap();
    let r1 = db.revision().await.unwrap();
    assert_eq!(r1, r0 + 1);
    let groups = write(
        dir.path(),
        "groups.csv",
        "council,kind,member\nA,statistical neighbours,B\n",
    );
    beacon_national::load_groups(&db, &groups, Progress::Hidden)
        .await
        .unwrap();
    assert_eq!(db.revision().await.unwrap(), r1 + 1);
    // Reading changes nothing.
    db.council_history("A", "H").await.unwrap();
    assert_eq!(db.revision().await.unwrap(), r1 + 1);
}
