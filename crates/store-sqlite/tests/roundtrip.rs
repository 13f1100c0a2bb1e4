//! The store keeps a council's data exactly: what is applied reads back equal, applying the
//! same change twice changes nothing, councils are kept apart, a failed change leaves nothing
//! behind, and the file runs in WAL mode with synchronous=FULL and foreign keys on.

// Test helpers build fixed, known-good values: a failure to build one is a broken test.
#![allow(clippy::unwrap_used)]

use beacon_app::{ChangeSet, CouncilChanges, Stats, Store};
use beacon_domain::budget::Statement;
use beacon_domain::organisation::{Council, CouncilRef, Unit, UnitKind};
use beacon_store_sql::SqlStore;
use beacon_store_sqlite::SqliteStore;
use rust_decimal::Decimal;
use tempfile::TempDir;

// The rich council and its parts are the contract suite's fixtures, shared with PostgreSQL.
use beacon_test_support::contract::fixtures::*;

async fn store(dir: &TempDir) -> SqlStore {
    let path = dir.path().join("beacon.db");
    SqliteStore::open(path.to_str().unwrap()).await.unwrap()
}

#[tokio::test]
async fn a_rich_council_reads_back_exactly() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();

    let back = store
        .council_data(&d.council.reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, d);
    // Decimals keep their scale, not only their value.
    assert_eq!(back.council.tolerance_percent.unwrap().to_string(), "5.50");
    let ind = &back.plan("CYPD-2011-14").unwrap().indicators[0];
    assert_eq!(
        ind.targets[&p("2012/13")].value().unwrap().to_string(),
        "5.80"
    );
    assert_eq!(ind.values[&p("2012/13 Q4")].value(), Some(Decimal::MAX));
    // Lists come back in the order given, not sorted.
    let objectives: Vec<&str> = back
        .plan("CYPD-2011-14")
        .unwrap()
        .objectives
        .iter()
        .map(|o| o.reference.as_str())
        .collect();
    assert_eq!(objectives, ["CFS1", "CFS2", "AA0"]);

    assert_eq!(store.councils().await.unwrap(), vec![d.council.clone()]);
    assert!(
        store
            .council_data(&"nobody".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn stats_count_each_kind_of_row() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    assert_eq!(store.stats().await.unwrap(), Stats::default());
    store.apply(&everything(&rich_council())).await.unwrap();
    let s = store.stats().await.unwrap();
    let expected = Stats {
        councils: 1,
        units: 2,
        officers: 2,
        frames: 3,
        plans: 2,
        objectives: 3,
        milestones: 5,
        indicators: 2,
        targets: 4,
        values: 7,
        comparators: 2,
        risks: 2,
        equality_actions: 2,
        budget_changes: 2,
        quarters: 2,
        narratives: 3 + 2 + 1,
        quarter_values: 2,
        milestone_progress: 2,
        commentary: 3,
        budget_statements: 2,
        budget_lines: 4,
        overrides: 2,
    };
    assert_eq!(s, expected);
}

#[tokio::test]
async fn applying_the_same_change_twice_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let first = store.stats().await.unwrap();
    store.apply(&everything(&d)).await.unwrap();
    assert_eq!(store.stats().await.unwrap(), first);
    assert_eq!(
        store
            .council_data(&d.council.reference)
            .await
            .unwrap()
            .unwrap(),
        d
    );
}

#[tokio::test]
async fn a_replaced_plan_leaves_no_orphans_and_upserts_update() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let mut d = rich_council();
    store.apply(&everything(&d)).await.unwrap();

    // Replace the rich plan by a bare one with the same ref; rename a unit and the council.
    let mut changes = CouncilChanges {
        council: Council {
            name: "Halton BC".into(),
            tolerance_percent: None,
            ..d.council.clone()
        },
        units: vec![Unit {
            name: "Renamed".into(),
            ..d.units[0].clone()
        }],
        officers: vec![],
        frames: vec![],
        library: vec![],
        plans: vec![bare_plan("CYPD-2011-14")],
        quarters: vec![bare_quarter("CED", "2012/13 Q2")],
        statements: vec![Statement {
            groups: vec![],
            lines: vec![],
            ..revenue_statement()
        }],
        removed_statements: vec![],
        removed_library: vec![],
        kept_versions: vec![],
        overrides: vec![],
    };
    store
        .apply(&ChangeSet {
            councils: vec![changes.clone()],
            ..Default::default()
        })
        .await
        .unwrap();

    d.council = changes.council.clone();
    d.units[0] = changes.units.remove(0);
    for doc in &mut d.plans {
        if doc.plan.reference.as_str() == "CYPD-2011-14" {
            *doc = bare_plan("CYPD-2011-14");
        }
    }
    for q in &mut d.quarters {
        if q.header.period.to_string() == "2012/13 Q2" {
            *q = bare_quarter("CED", "2012/13 Q2");
        }
    }
    for s in &mut d.statements {
        if s.reference.as_str() == "CED-revenue" {
            s.groups.clear();
            s.lines.clear();
        }
    }
    d.normalise();
    assert_eq!(
        store
            .council_data(&d.council.reference)
            .await
            .unwrap()
            .unwrap(),
        d
    );

    let s = store.stats().await.unwrap();
    assert_eq!(
        (
            s.plans,
            s.objectives,
            s.milestones,
            s.indicators,
            s.targets,
            s.risks
        ),
        (2, 0, 0, 0, 0, 0)
    );
    assert_eq!(
        (s.quarters, s.narratives, s.quarter_values, s.budget_lines),
        (2, 0, 0, 0)
    );
    // No child row outlives its parent.
    let orphans: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM objective_links) + (SELECT COUNT(*) FROM indicator_aliases)
              + (SELECT COUNT(*) FROM objective_assessments) + (SELECT COUNT(*) FROM risk_treatments)
              + (SELECT COUNT(*) FROM statement_groups) + (SELECT COUNT(*) FROM plan_sections)",
    )
    .fetch_one(store.pool().sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(orphans, 0);
}

#[tokio::test]
async fn councils_in_one_file_are_kept_apart() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let a = rich_council();
    let b = other_council();
    let mut both = everything(&a);
    both.councils.extend(everything(&b).councils);
    store.apply(&both).await.unwrap();

    assert_eq!(
        store
            .council_data(&a.council.reference)
            .await
            .unwrap()
            .unwrap(),
        a
    );
    assert_eq!(
        store
            .council_data(&b.council.reference)
            .await
            .unwrap()
            .unwrap(),
        b
    );
    let refs: Vec<CouncilRef> = store
        .councils()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reference)
        .collect();
    assert_eq!(
        refs,
        vec![a.council.reference.clone(), b.council.reference.clone()]
    );

    // Replacing the second council's plan, quarter and statement leaves the first's alone.
    store.apply(&everything(&b)).await.unwrap();
    assert_eq!(
        store
            .council_data(&a.council.reference)
            .await
            .unwrap()
            .unwrap(),
        a
    );
    assert_eq!(
        store
            .council_data(&b.council.reference)
            .await
            .unwrap()
            .unwrap(),
        b
    );
}

#[tokio::test]
async fn a_failing_apply_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let before = store.stats().await.unwrap();

    // The first plan is fine and replaces a stored one; the second repeats an objective ref,
    // which the UNIQUE (plan, ref) constraint refuses after much has been written.
    let mut bad = bare_plan("BAD");
    let mut objective = rich_plan().objectives.remove(1);
    bad.objectives = vec![objective.clone(), {
        objective.statement = "same ref again".into();
        objective
    }];
    let mut changes = everything(&d).councils.remove(0);
    changes.council.name = "Renamed in a failed change".into();
    changes.units.push(Unit {
        reference: r("NEW"),
        name: "New".into(),
        kind: UnitKind::Team,
        parent: None,
        head: None,
    });
    changes.plans = vec![bare_plan("CYPD-2011-14"), bad];
    let mut set = ChangeSet {
        councils: vec![changes],
        ..Default::default()
    };
    set.councils.extend(everything(&other_council()).councils);

    let err = store.apply(&set).await.unwrap_err();
    assert!(err.to_string().contains("objectives"), "{err}");
    assert_eq!(store.stats().await.unwrap(), before);
    assert_eq!(
        store
            .council_data(&d.council.reference)
            .await
            .unwrap()
            .unwrap(),
        d
    );
    assert_eq!(store.councils().await.unwrap().len(), 1);

    // The store still works after the rollback.
    store.apply(&everything(&other_council())).await.unwrap();
    assert_eq!(store.councils().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_failing_apply_on_an_empty_file_leaves_it_empty() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let mut changes = everything(&rich_council()).councils.remove(0);
    let mut dup = revenue_statement();
    dup.groups.push(dup.groups[0].clone());
    changes.statements.push(dup);
    let err = store
        .apply(&ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("statement_groups"), "{err}");
    assert_eq!(store.stats().await.unwrap(), Stats::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_applies_both_land() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let (a, b) = (rich_council(), other_council());
    let (sa, sb) = (everything(&a), everything(&b));
    let (ra, rb) = tokio::join!(store.apply(&sa), store.apply(&sb));
    ra.unwrap();
    rb.unwrap();
    assert_eq!(
        store
            .council_data(&a.council.reference)
            .await
            .unwrap()
            .unwrap(),
        a
    );
    assert_eq!(
        store
            .council_data(&b.council.reference)
            .await
            .unwrap()
            .unwrap(),
        b
    );
}

#[tokio::test]
async fn the_file_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    // Hold several pooled connections at once so each one's settings are checked.
    let mut conns = Vec::new();
    for _ in 0..3 {
        conns.push(store.pool().sqlite().unwrap().acquire().await.unwrap());
    }
    for conn in &mut conns {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert!(timeout > 0);
    }
    drop(conns);
    assert!(dir.path().join("beacon.db-wal").exists());

    // Foreign keys are enforced: a child row needs its parent.
    let err = sqlx::query(
        "INSERT INTO units (council_id, ref, name, kind) VALUES (999, 'X', 'X', 'team')",
    )
    .execute(store.pool().sqlite().unwrap())
    .await
    .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("foreign key"),
        "{err}"
    );
}

#[tokio::test]
async fn reopening_keeps_the_data_and_accepts_sqlite_urls() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("sub.db");
    let d = rich_council();
    {
        let store = SqliteStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store.apply(&everything(&d)).await.unwrap();
        store.pool().close().await;
    }
    assert!(path.exists());
    let store = SqliteStore::open(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    assert_eq!(
        store
            .council_data(&d.council.reference)
            .await
            .unwrap()
            .unwrap(),
        d
    );
}

#[tokio::test]
async fn a_stored_value_that_does_not_parse_is_an_error_naming_table_and_value() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir).await;
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    sqlx::query("UPDATE units SET kind = 'castle' WHERE ref = 'CED'")
        .execute(store.pool().sqlite().unwrap())
        .await
        .unwrap();
    let err = store
        .council_data(&d.council.reference)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("units.kind") && err.contains("castle"),
        "{err}"
    );

    sqlx::query("UPDATE units SET kind = 'team'")
        .execute(store.pool().sqlite().unwrap())
        .await
        .unwrap();
    sqlx::query("UPDATE indicator_measures SET number = '1.2.3' WHERE kind = 'target'")
        .execute(store.pool().sqlite().unwrap())
        .await
        .unwrap();
    let err = store
        .council_data(&d.council.reference)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("indicator_measures.number") && err.contains("1.2.3"),
        "{err}"
    );
}

#[tokio::test]
async fn opening_a_path_in_a_missing_folder_is_an_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("no-such-folder").join("b.db");
    let err = SqliteStore::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}
