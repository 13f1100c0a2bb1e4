//! Fixtures for Beacon's tests: the example council's files as they are in the repository,
//! fresh SQLite databases in temporary directories (real files, never in memory), fresh
//! databases on a throwaway PostgreSQL server (`postgres`), and the store contract suite that
//! both backends must pass (`contract`).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod budget_files;
pub mod contract;
pub mod hostile;
pub mod postgres;
pub mod totp;

pub use postgres::TempPg;

use beacon_interchange::Source;
use beacon_store_sql::SqlStore;
use beacon_store_sqlite::SqliteStore;
use std::path::PathBuf;

/// Who tests act as in the audit trail, at a fixed time in the example council's quarter.
pub fn tester() -> beacon_app::audit::Actor {
    use chrono::TimeZone;
    beacon_app::audit::Actor::new(
        "tester",
        chrono::Utc
            .with_ymd_and_hms(2012, 10, 15, 9, 30, 0)
            .single()
            .expect("a valid time"),
    )
}

/// Loads files as the tester.
pub async fn load_files<S: beacon_app::Store>(
    store: &S,
    sources: &[Source],
) -> Result<beacon_app::LoadReport, beacon_interchange::LoadError> {
    beacon_interchange::load_sources(store, sources, &tester()).await
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example council's directory.
pub fn halton_dir() -> PathBuf {
    repo_root().join("examples/halton")
}

/// The example council's files.
pub fn halton_sources() -> Vec<Source> {
    beacon_interchange::read_paths(&[halton_dir()])
        .expect("the example council's files are readable")
}

/// The second example council's files (examples/riverside, an invented council).
pub fn riverside_sources() -> Vec<Source> {
    beacon_interchange::read_paths(&[repo_root().join("examples/riverside")])
        .expect("the invented example council's files are readable")
}

/// A new, empty database in its own temporary directory, removed when dropped.
pub struct TempDb {
    pub store: SqlStore,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TempDb {
    pub async fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("beacon.db");
        let store = SqliteStore::open(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("a new database opens");
        TempDb {
            store,
            path,
            _dir: dir,
        }
    }

    /// The file's connection pool, for tests that read or change the tables directly.
    pub fn pool(&self) -> &sqlx::SqlitePool {
        self.store
            .pool()
            .sqlite()
            .expect("a TempDb is a SQLite file")
    }

    /// A new database with the example council loaded.
    pub async fn with_halton() -> TempDb {
        let db = TempDb::new().await;
        crate::load_files(&db.store, &halton_sources())
            .await
            .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
        db
    }
}

/// A source from text, for tests that write a small file inline.
pub fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.to_string(),
        text: text.to_string(),
    }
}

/// A council file's indicator library for the example council: two definitions.
pub const LIBRARY_FILE: &str = r#"[council]
ref = "halton"

[[library]]
ref = "NI 155"
description = "Number of affordable homes delivered (gross)"
measure = "count"
better = "higher"
frequency = "quarterly"
accumulation = "cumulative"
data_source = "Housing strategy returns"

[[library]]
ref = "LOCAL H2"
aliases = ["SCS H2"]
description = "Repairs completed within target time"
measure = "percent"
better = "higher"
frequency = "monthly"
tolerance_percent = "2"
quality = { maximum = "100" }
"#;

/// A plan whose indicators take their definitions from [`LIBRARY_FILE`], each with its own
/// baseline and targets.
pub const LIBRARY_PLAN_FILE: &str = r#"[council]
ref = "halton"

[plan]
ref = "HOUSING-2013-14"
title = "Housing Plan 2013/14"
unit = "CED"
years = "2013/14-2013/14"
status = "approved"

[[indicators]]
ref = "NI 155"
library = "NI 155"
unit = "CED"
baseline = { period = "2012/13", value = "180" }
targets = { "2013/14" = "200" }

[[indicators]]
ref = "H2"
library = "LOCAL H2"
targets = { "2013/14" = "95%" }
"#;

/// The example council's files with an indicator library and a plan that refers to it.
pub fn halton_with_library() -> Vec<Source> {
    let mut sources = halton_sources();
    sources.push(source("library.toml", LIBRARY_FILE));
    sources.push(source("plans/housing-2013-14.toml", LIBRARY_PLAN_FILE));
    sources
}
