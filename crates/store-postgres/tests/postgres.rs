//! What only the PostgreSQL store has to show (the contract suite in `beacon-test-support`
//! covers what both stores do): the schema is keyed by council throughout, the per-council and
//! per-period indexes are used, bad databases and bad stored values give clear errors, and
//! errors never show a password.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::{ChangeSet, Store};
use beacon_store_postgres::PostgresStore;
use beacon_test_support::TempPg;
use beacon_test_support::contract::fixtures::{everything, rich_council};
use sqlx::Row;

/// The governance tables (users, sessions, quarters' lives, publications, the audit trail) name
/// councils by ref, as the SQLite store's do: a grant or an audit row may outlive, or come
/// before, the council's data.
const NAMED_BY_REF: &str = "'audit', 'audit_head', 'grants', 'publication_files', \
     'publications', 'quarter_states', 'revocations', 'sessions', 'sign_in_failures', 'users', \
     'user_mfa', 'mfa_recovery_codes', 'mfa_pending', 'council_mfa', 'api_tokens', \
     'council_calendars', 'calendar_quarters', 'notice_contacts', 'notice_subscribers', 'notices'";

/// Every council data table (all but `councils`, the governance tables and the national
/// benchmarking set's `national_*` tables, which belong to no one council) leads its primary
/// key, unique constraints and foreign keys with `council_id`, so each can be distributed by
/// council (Citus) and every lookup of a council's rows is an index range.
#[tokio::test]
async fn every_table_is_keyed_by_council() {
    let db = TempPg::new().await;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text AS kind,
                (SELECT a.attname FROM pg_attribute a
                  WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) AS first_column
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')
            AND c.conrelid::regclass::text NOT IN ('councils', '_sqlx_migrations', {NAMED_BY_REF})
            AND c.conrelid::regclass::text NOT LIKE 'national%'"
    )))
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut tables = std::collections::BTreeSet::new();
    for r in &rows {
        let (table, name, first): (String, String, String) =
            (r.get("tbl"), r.get("conname"), r.get("first_column"));
        assert_eq!(first, "council_id", "{table}: constraint {name}");
        tables.insert(table);
    }
    let all: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
           AND tablename NOT IN ('councils', '_sqlx_migrations', {NAMED_BY_REF})
           AND tablename NOT LIKE 'national%' ORDER BY 1"
    )))
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(all.len() >= 31, "{all:?}");
    assert_eq!(tables.into_iter().collect::<Vec<_>>(), all);
    for table in &all {
        let not_null: bool = sqlx::query_scalar(
            "SELECT attnotnull FROM pg_attribute
              WHERE attrelid = $1::regclass AND attname = 'council_id'",
        )
        .bind(table)
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{table} has council_id: {e}"));
        assert!(not_null, "{table}.council_id is NOT NULL");
    }
}

/// A council's quarter is found by index, not by reading every council's rows.
#[tokio::test]
async fn per_council_per_period_lookups_use_an_index() {
    let db = TempPg::new().await;
    db.store.apply(&everything(&rich_council())).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    sqlx::query("SET enable_seqscan = off")
        .execute(&mut *conn)
        .await
        .unwrap();
    for sql in [
        "EXPLAIN SELECT * FROM quarters WHERE council_id = 1 AND period = '2012/13 Q2'",
        "EXPLAIN SELECT * FROM statements WHERE council_id = 1 AND period = '2012/13 Q2'",
        "EXPLAIN SELECT * FROM quarter_values WHERE council_id = 1 AND period = '2012/13 Q2'",
        "EXPLAIN SELECT * FROM status_overrides WHERE council_id = 1 AND quarter = '2012/13 Q2'",
        "EXPLAIN SELECT * FROM indicator_measures WHERE council_id = 1 AND period = '2012/13'",
        "EXPLAIN SELECT * FROM milestones WHERE council_id = 1",
    ] {
        let plan: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut *conn).await.unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("Index"), "{sql}:\n{plan}");
    }
}

/// A decimal column holds only a plain decimal, so SQL can always read it as numeric.
#[tokio::test]
async fn decimal_columns_refuse_anything_but_a_decimal() {
    let db = TempPg::new().await;
    let err = sqlx::query(
        "INSERT INTO councils (ref, name, tolerance_percent) VALUES ('x', 'X', '1.2.3')",
    )
    .execute(db.pool())
    .await
    .unwrap_err();
    assert!(err.to_string().contains("check constraint"), "{err}");
    db.store.apply(&everything(&rich_council())).await.unwrap();
    let total: String = sqlx::query_scalar(
        "SELECT sum(number::numeric)::text FROM indicator_measures WHERE number IS NOT NULL AND kind = 'target'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(total, "112.10", "52.3 + 54 + 5.80, to the penny");
}

/// PostgreSQL cannot store the NUL character (SQLite can): such a change is refused with an
/// error naming the table, and nothing is written.
#[tokio::test]
async fn text_with_a_nul_character_is_refused_whole() {
    let db = TempPg::new().await;
    let mut d = rich_council();
    d.plans[0].plan.title = "before\0after".into();
    let err = db.store.apply(&everything(&d)).await.unwrap_err();
    assert!(err.to_string().contains("insert into plans"), "{err}");
    assert_eq!(db.store.stats().await.unwrap(), Default::default());
}

/// Opening again runs no migration twice and keeps the data.
#[tokio::test]
async fn reopening_keeps_the_data() {
    let db = TempPg::new().await;
    let d = rich_council();
    db.store.apply(&everything(&d)).await.unwrap();
    let again = PostgresStore::open(&db.url).await.unwrap();
    assert_eq!(
        again.council_data(&d.council.reference).await.unwrap(),
        Some(d)
    );
    again.apply(&ChangeSet::default()).await.unwrap();
    let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(again.pool().postgres().unwrap())
        .await
        .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(migrations, files as i64);
}

/// A missing database, a wrong server and a database that is not UTF-8 are each refused with a
/// message saying so, and no message shows the password.
#[tokio::test]
async fn bad_databases_are_refused_clearly_without_showing_the_password() {
    let db = TempPg::new().await;
    let base = db.url.rsplit_once('/').unwrap().0.to_string();
    let with_password = base.replacen("beacon@", "beacon:hunter2@", 1);

    let err = PostgresStore::open(&format!("{with_password}/no_such_database"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no_such_database"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!err.contains("hunter2") && err.contains("***"), "{err}");

    let latin1 = format!("{}_latin1", db.url.rsplit_once('/').unwrap().1);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {latin1} ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
    )))
    .execute(db.pool())
    .await
    .unwrap();
    let err = PostgresStore::open(&format!("{base}/{latin1}"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("LATIN1") && err.contains("UTF8"), "{err}");

    let err = PostgresStore::open("postgres://nobody:hunter2@127.0.0.1:1/x?connect_timeout=2")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("127.0.0.1:1"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
