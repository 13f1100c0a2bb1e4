//! A database made before the child tables carried `council_id` (migrations 0001–0003 only)
//! opens, upgrades and reads back exactly, and from then on a row filed under another council
//! than its parent's is refused.

#![allow(clippy::unwrap_used)]

use beacon_app::Store;
use beacon_store_sqlite::SqliteStore;
use beacon_test_support::contract::fixtures::{everything, rich_council};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, Connection, Row, SqliteConnection};
use std::path::Path;
use tempfile::TempDir;

/// The migrations before the one that added `council_id` to the child tables.
const BEFORE: [&str; 3] = [
    "0001_foundation.sql",
    "0002_governance.sql",
    "0003_publication_anchor.sql",
];

/// A file with the schema as those migrations left it, and `from`'s rows in it.
async fn old_file(dir: &Path, from: &Path) -> String {
    let migrations = dir.join("old-migrations");
    std::fs::create_dir(&migrations).unwrap();
    for name in BEFORE {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(name);
        std::fs::copy(source, migrations.join(name)).unwrap();
    }
    let file = dir.join("old.db");
    let options = SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    let migrator = Migrator::new(migrations.as_path()).await.unwrap();
    migrator.run(&mut conn).await.unwrap();
    let attach = format!("ATTACH DATABASE '{}' AS new", from.display());
    sqlx::query(AssertSqlSafe(attach))
        .execute(&mut conn)
        .await
        .unwrap();
    // Every table the old schema has, parents first (the order they were created in), with the
    // columns it has.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM main.sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY rowid",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for t in tables {
        let columns: Vec<String> = sqlx::query(AssertSqlSafe(format!("PRAGMA table_info({t})")))
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
        let list = columns.join(", ");
        let copy = format!("INSERT INTO main.{t} ({list}) SELECT {list} FROM new.{t}");
        sqlx::query(AssertSqlSafe(copy))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
    file.to_str().unwrap().to_string()
}

#[tokio::test]
async fn an_old_file_upgrades_and_reads_back_exactly() {
    let dir = TempDir::new().unwrap();
    // An old file has no risk matrix (migration 0014 added it): the council uses the default.
    // Nor the council's choice of where its exceptions go, nor budget lines' source notes
    // (migration 0020), nor how its outturn is projected (migration 0018).
    let mut d = rich_council();
    let matrix = d.council.risk_matrix.take();
    let exceptions = d.council.exceptions.take();
    let projection = d.council.projection.take();
    let totals: Vec<_> = d
        .plans
        .iter_mut()
        .map(|p| std::mem::take(&mut p.budget_totals))
        .collect();
    let statement_projections: Vec<_> = d
        .statements
        .iter_mut()
        .map(|s| s.projection.take())
        .collect();
    let source_notes: Vec<Option<String>> = d
        .statements
        .iter_mut()
        .flat_map(|s| s.lines.iter_mut().map(|l| l.source_note.take()))
        .collect();
    // Nor a quarter's risk scores (migration 0025).
    let risk_scores: Vec<(Option<u8>, Option<u8>)> = d
        .quarters
        .iter_mut()
        .flat_map(|q| q.risk_updates.iter_mut())
        .map(|u| (u.likelihood.take(), u.impact.take()))
        .collect();
    let written = dir.path().join("written.db");
    let store = SqliteStore::open(written.to_str().unwrap()).await.unwrap();
    store.apply(&everything(&d)).await.unwrap();
    store.close().await.unwrap();

    let old = old_file(dir.path(), &written).await;
    let (store, applied) = SqliteStore::open_reporting(&old, false).await.unwrap();
    assert!(
        applied.contains(&"0011 council keys".to_string()),
        "{applied:?}"
    );
    assert_eq!(
        store.council_data(&d.council.reference).await.unwrap(),
        Some(d.clone())
    );
    // Writing again replaces the plans and quarters through the upgraded tables, and the
    // council's matrix is kept from now on.
    d.council.risk_matrix = matrix;
    d.council.exceptions = exceptions;
    d.council.projection = projection;
    for (p, t) in d.plans.iter_mut().zip(totals) {
        p.budget_totals = t;
    }
    for (s, p) in d.statements.iter_mut().zip(statement_projections) {
        s.projection = p;
    }
    for (l, n) in d
        .statements
        .iter_mut()
        .flat_map(|s| s.lines.iter_mut())
        .zip(source_notes)
    {
        l.source_note = n;
    }
    for (u, (l, i)) in d
        .quarters
        .iter_mut()
        .flat_map(|q| q.risk_updates.iter_mut())
        .zip(risk_scores)
    {
        (u.likelihood, u.impact) = (l, i);
    }
    store.apply(&everything(&d)).await.unwrap();
    assert_eq!(
        store.council_data(&d.council.reference).await.unwrap(),
        Some(d)
    );

    let pool = store.pool().sqlite().unwrap();
    let err = sqlx::query(
        "INSERT INTO plan_sections (council_id, plan_id, position, kind, heading, text)
         SELECT council_id + 1, id, 99, 'introduction', 'h', 't' FROM plans LIMIT 1",
    )
    .execute(pool)
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("plan_sections.council_id must be the council of its plan"),
        "{err}"
    );
}
