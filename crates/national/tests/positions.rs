//! The national set end to end on a real SQLite file and a real PostgreSQL server: small files
//! whose quartiles, ranks, ties, polarity and group averages are worked out by hand in the
//! comments, loaded, stored and read back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_national::{LoadReport, NationalDb, NationalError, Place, Progress};
use beacon_store_sqlite::SqliteStore;
use beacon_test_support::postgres::TempPg;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

async fn sqlite(dir: &Path) -> NationalDb {
    let store = SqliteStore::open(dir.join("beacon.db").to_str().unwrap())
        .await
        .unwrap();
    NationalDb::Sqlite(store.pool().sqlite().unwrap().clone())
}

async fn postgres() -> (TempPg, NationalDb) {
    let db = TempPg::new().await;
    let n = NationalDb::Postgres(db.pool().clone());
    (db, n)
}

/// Six councils: A, B, C in the North West, D, E, F in London.
const REGISTER: &str = "code,name,region,type\n\
    A,Alpha,North West,unitary\nB,Beta,North West,metropolitan district\n\
    C,Gamma,North West,unitary\nD,Delta,London,London borough\n\
    E,Epsilon,London,London borough\nF,Phi,London,London borough\n";

/// H is higher-is-better and L lower-is-better, both with the same values:
/// A 10, B 20, C 20, D 40, E suppressed (x), F 50.
const VALUES: &str = "council,indicator,period,value\n\
    A,H,2023-24,10\nB,H,2023-24,20\nC,H,2023-24,20\nD,H,2023-24,40\nE,H,2023-24,x\nF,H,2023-24,50\n\
    A,L,2023-24,10\nB,L,2023-24,20\nC,L,2023-24,20\nD,L,2023-24,40\nE,L,2023-24,x\nF,L,2023-24,50\n";

const INDICATORS: &str =
    "indicator,name,polarity\nH,Higher is better,higher\nL,Lower is better,lower\n";

/// A's statistical neighbours are B, D and E.
const GROUPS: &str = "council,kind,member\nA,statistical neighbours,B\n\
    A,statistical neighbours,D\nA,statistical neighbours,E\n";

/// The small set's register, indicators and values, by file name.
const SMALL_FILES: [(&str, &str); 3] = [
    ("register.csv", REGISTER),
    ("indicators.csv", INDICATORS),
    ("values.csv", VALUES),
];

/// Writes the named files into `dir` and loads them, in that order, as one load.
async fn load_files(
    db: &NationalDb,
    dir: &Path,
    files: &[(&str, &str)],
) -> Result<LoadReport, NationalError> {
    let files: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| write(dir, name, text))
        .collect();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    beacon_national::load(db, &paths, Progress::Hidden).await
}

async fn load_small(db: &NationalDb, dir: &Path) {
    let report = load_files(db, dir, &SMALL_FILES).await.unwrap();
    assert_eq!(report.read.values, 10);
    assert_eq!(report.read.suppressed, 2);
    assert_eq!(report.slices, 2);
    assert!(report.polarity_assumed.is_empty());
    let groups = write(dir, "groups.csv", GROUPS);
    assert_eq!(
        beacon_national::load_groups(db, &groups, Progress::Hidden)
            .await
            .unwrap(),
        1
    );
}

fn place(rank: u16, quartile: u8, tied: bool) -> Option<Place> {
    Some(Place {
        rank,
        quartile,
        tied,
    })
}

async fn check_small(db: &NationalDb) {
    // Sorted: 10, 20, 20, 40, 50 (E has none): n = 5, mean 140/5 = 28. Type 7 percentiles:
    // 25th at h = 1 -> 20; median at h = 2 -> 20; 75th at h = 3 -> 40.
    let s = db.summary("H", "2023-24").await.unwrap().unwrap();
    let e = s.england.unwrap();
    assert_eq!((e.count, e.mean, e.min, e.max), (5, 28.0, 10.0, 50.0));
    assert_eq!((e.q1, e.median, e.q3), (20.0, 20.0, 40.0));

    let pos = |code: &'static str, ind: &'static str| async move {
        db.council_positions(code, "2023-24")
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.indicator == ind)
            .unwrap()
    };
    // Higher is better: F 50 and D 40 are at or above the 75th percentile (40): top quartile,
    // ranks 1 and 2. B and C (20) share rank 3, on the median: second quartile (a value on a
    // boundary takes the better one). A (10) is below the 25th: bottom, rank 5 (3, 3, then 5).
    assert_eq!(pos("F", "H").await.place, place(1, 1, false));
    assert_eq!(pos("D", "H").await.place, place(2, 1, false));
    assert_eq!(pos("B", "H").await.place, place(3, 2, true));
    assert_eq!(pos("C", "H").await.place, place(3, 2, true));
    assert_eq!(pos("A", "H").await.place, place(5, 4, false));
    // E's value was suppressed: no rank, no quartile, not counted.
    let e_pos = pos("E", "H").await;
    assert_eq!((e_pos.value, e_pos.place), (None, None));

    // Lower is better, same values: A (10) is best; B and C (20), at or below the 25th
    // percentile (20), are top quartile too, sharing rank 2; D (40) on the 75th: third; F worst.
    assert_eq!(pos("A", "L").await.place, place(1, 1, false));
    assert_eq!(pos("B", "L").await.place, place(2, 1, true));
    assert_eq!(pos("D", "L").await.place, place(4, 3, false));
    assert_eq!(pos("F", "L").await.place, place(5, 4, false));

    // A's groups: its statistical neighbours B 20, D 40, E none -> 30 from 2 of 3; its region,
    // the North West: A 10, B 20, C 20 -> 50/3.
    let a = pos("A", "H").await;
    assert_eq!(a.value, Some(10.0));
    let nb = a
        .groups
        .iter()
        .find(|g| g.kind == "statistical neighbours")
        .unwrap();
    assert_eq!((nb.mean, nb.reported, nb.members), (Some(30.0), 2, 3));
    let region = a.groups.iter().find(|g| g.kind == "region").unwrap();
    assert_eq!(region.name, "North West");
    assert_eq!(region.reported, 3);
    assert!((region.mean.unwrap() - 50.0 / 3.0).abs() < 1e-12);
    // London's councils do not see the North West.
    let d = pos("D", "H").await;
    assert_eq!(d.groups.len(), 1);
    assert_eq!(d.groups[0].name, "London");
    assert_eq!(d.groups[0].mean, Some(45.0));
}

#[tokio::test]
async fn quartiles_ranks_and_polarity_match_the_hand_worked_values_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    load_small(&db, dir.path()).await;
    check_small(&db).await;
}

#[tokio::test]
async fn quartiles_ranks_and_polarity_match_the_hand_worked_values_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let (_pg, db) = postgres().await;
    load_small(&db, dir.path()).await;
    check_small(&db).await;
}

/// The groups file given to the same load as the register, indicators and values (one
/// transaction, as `beacon demo` loads its set) gives the same hand-worked places and group
/// averages as loading it on its own afterwards.
async fn groups_in_one_load(db: &NationalDb, dir: &Path) {
    let mut files = SMALL_FILES.to_vec();
    files.push(("groups.csv", GROUPS));
    let report = load_files(db, dir, &files).await.unwrap();
    assert_eq!((report.read.values, report.read.groups), (10, 1));
    check_small(db).await;
}

#[tokio::test]
async fn groups_loaded_with_the_values_match_the_hand_worked_values_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    groups_in_one_load(&db, dir.path()).await;
}

#[tokio::test]
async fn groups_loaded_with_the_values_match_the_hand_worked_values_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let (_pg, db) = postgres().await;
    groups_in_one_load(&db, dir.path()).await;
}

#[tokio::test]
async fn a_groups_file_before_its_register_names_the_council_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    let files = [
        ("groups.csv", GROUPS),
        ("register.csv", REGISTER),
        ("values.csv", VALUES),
    ];
    let Err(NationalError::Input(problems)) = load_files(&db, dir.path(), &files).await else {
        panic!("a groups file naming unregistered councils was loaded");
    };
    assert_eq!(
        problems[0].file,
        dir.path().join("groups.csv").display().to_string()
    );
    assert_eq!(problems[0].row, Some(2));
    assert_eq!(problems[0].column.as_deref(), Some("A (council)"));
    assert!(
        problems[0].message.contains("\"A\" is not in the register"),
        "{}",
        problems[0].message
    );
    // Nothing went in: not the register, not the values.
    let catalog = db.catalog().await.unwrap();
    assert_eq!((catalog.councils.len(), catalog.periods.len()), (0, 0));
}

#[tokio::test]
async fn positions_are_read_as_stored_not_computed_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    load_small(&db, dir.path()).await;
    let NationalDb::Sqlite(pool) = &db else {
        unreachable!()
    };
    sqlx::query("UPDATE national_slices SET median = 99")
        .execute(pool)
        .await
        .unwrap();
    let s = db.summary("H", "2023-24").await.unwrap().unwrap();
    assert_eq!(s.england.unwrap().median, 99.0);
}

#[tokio::test]
async fn a_later_load_merges_with_what_is_stored_and_moves_the_positions() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    load_small(&db, dir.path()).await;
    // E now reports 60 for H: the best. n = 6: 10, 20, 20, 40, 50, 60.
    let more = write(
        dir.path(),
        "more.csv",
        "council,indicator,period,value\nE,H,2023-24,60\n",
    );
    beacon_national::load(&db, &[more.as_path()], Progress::Hidden)
        .await
        .unwrap();
    let all = db.council_positions("E", "2023-24").await.unwrap();
    let h = all.iter().find(|p| p.indicator == "H").unwrap();
    assert_eq!(h.place, place(1, 1, false));
    assert_eq!(h.england.unwrap().count, 6);
    // A's neighbours now have E: (20 + 40 + 60) / 3 = 40, all three reported.
    let a = db.council_positions("A", "2023-24").await.unwrap();
    let nb = &a.iter().find(|p| p.indicator == "H").unwrap().groups;
    let nb = nb
        .iter()
        .find(|g| g.kind == "statistical neighbours")
        .unwrap();
    assert_eq!((nb.mean, nb.reported), (Some(40.0), 3));
}

#[tokio::test]
async fn a_bad_tidy_file_names_every_problem_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path()).await;
    let bad = write(
        dir.path(),
        "bad.csv",
        "council,indicator,period,value\nA,H,2023-24,10\nB,H,2023-24,ten\nA,H,2023-24,11\nC,H\n",
    );
    let err = beacon_national::load(&db, &[bad.as_path()], Progress::Hidden)
        .await
        .unwrap_err();
    let NationalError::Input(problems) = &err else {
        panic!("{err}")
    };
    let text = err.to_string();
    assert_eq!(problems.len(), 3, "{text}");
    assert!(
        text.contains("bad.csv, row 3, column value: \"ten\" is not a number"),
        "{text}"
    );
    assert!(
        text.contains(
            "row 4, column value: a value for this council, indicator and period was already given"
        ),
        "{text}"
    );
    assert!(text.contains("row 5"), "{text}");
    assert!(db.council_positions("A", "2023-24").await.is_err());
    assert!(db.summary("H", "2023-24").await.unwrap().is_none());
}

#[test]
fn the_generator_writes_the_same_file_every_time() {
    let mut a = Vec::new();
    let mut b = Vec::new();
    assert_eq!(
        beacon_national::generate::write_tidy(&mut a, 3, 2, 4, 7).unwrap(),
        24
    );
    beacon_national::generate::write_tidy(&mut b, 3, 2, 4, 7).unwrap();
    assert_eq!(a, b);
    let text = String::from_utf8(a).unwrap();
    assert!(text.starts_with("council,indicator,period,value\n0,0,0,"));
    assert_eq!(text.lines().count(), 25);
}

#[tokio::test]
async fn a_generated_set_loads_into_postgres_by_copy_and_reads_back_like_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("gen.csv");
    let mut f = std::fs::File::create(&csv).unwrap();
    beacon_national::generate::write_tidy(&mut f, 40, 5, 3, 1).unwrap();
    drop(f);
    let lite = sqlite(dir.path()).await;
    let (_pg, pg) = postgres().await;
    for db in [&lite, &pg] {
        let r = beacon_national::load(db, &[csv.as_path()], Progress::Hidden)
            .await
            .unwrap();
        assert_eq!((r.read.values, r.slices, r.councils), (600, 15, 40));
        assert_eq!(r.polarity_assumed.len(), 5);
    }
    for period in ["0", "2"] {
        assert_eq!(
            lite.period_summaries(period).await.unwrap(),
            pg.period_summaries(period).await.unwrap()
        );
        let l = lite.council_positions("17", period).await.unwrap();
        assert_eq!(l, pg.council_positions("17", period).await.unwrap());
        assert_eq!(l.len(), 5);
        // 40 councils, all reporting, no ties in generated values: every rank 1..=40 once.
        let mut ranks: Vec<u16> = Vec::new();
        for c in 0..40 {
            let p = lite
                .council_positions(&c.to_string(), period)
                .await
                .unwrap();
            ranks.push(p[0].place.unwrap().rank);
        }
        ranks.sort();
        assert_eq!(ranks, (1..=40).collect::<Vec<u16>>());
    }
    let h = lite.council_history("17", "3").await.unwrap();
    assert_eq!(
        h.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(),
        ["0", "1", "2"]
    );
}
