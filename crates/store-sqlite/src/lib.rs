//! Beacon's SQLite backend: opens one database file as a [`SqlStore`], with the connection
//! settings, migrations and [`Dialect`] SQLite needs. The statements, the mapping of the domain
//! to tables and the rules live once, in `beacon-store-sql`.

use beacon_app::StoreError;
use beacon_store_sql::{Dialect, Pool, SqlStore, message};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

/// The schema's migrations, compiled into the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of the database file each connection reads through a memory map (1 GiB).
const MMAP_SIZE: u64 = 1 << 30;
/// Rows handed over from SQLite's worker thread at a time, at most.
const ROW_BUFFER: usize = 1024;

/// What SQLite says differently. One writer holds the whole file at a time, so no row or table
/// needs locking inside a write.
static DIALECT: Dialect = Dialect {
    // IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout) instead
    // of failing part-way when its read snapshot turns out to be stale.
    begin_write: "BEGIN IMMEDIATE",
    // In WAL mode a transaction reads the file as it stood at its first read.
    begin_snapshot: "BEGIN",
    lock_rows: "",
    lock_audit: None,
    keep_ids: "",
    after_restoring_users: None,
    after_restoring_notices: None,
    list_tables: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                  ORDER BY name",
    // Everything in the write-ahead log moved into the file, so the file alone holds it all.
    on_close: Some("PRAGMA wal_checkpoint(TRUNCATE)"),
    // Replaying the migrations (one transaction and sync each, and table rebuilds) was a third
    // of `beacon demo`'s start; a new file gets the schema they leave in one step.
    fresh_schema: Some(FRESH_SCHEMA),
};

/// The schema the migrations leave, generated from them by the `fresh_schema` test
/// (`BEACON_BLESS=1`), which fails while the two differ.
pub const FRESH_SCHEMA: &str = include_str!("../schema.sql");

/// The migrations, for tests that compare their schema with [`FRESH_SCHEMA`].
pub fn migrator() -> &'static Migrator {
    &MIGRATOR
}

/// Beacon's databases in SQLite files.
pub struct SqliteStore;

impl SqliteStore {
    /// Opens the database at `path` (a file path, `sqlite://PATH` or `sqlite:PATH`), creating
    /// the file if it is missing, and brings its schema up to date.
    ///
    /// Every connection runs in WAL mode with `synchronous=FULL` and foreign keys enforced, and
    /// reads through a memory map of up to 1 GiB; each change set is written in one transaction.
    pub async fn open(path: &str) -> Result<SqlStore, StoreError> {
        Ok(SqliteStore::open_reporting(path, true).await?.0)
    }

    /// As `open`, creating the file only when `create` is set (otherwise a missing file is
    /// refused), and saying which migrations this opening applied ("0003 publication anchor").
    pub async fn open_reporting(
        path: &str,
        create: bool,
    ) -> Result<(SqlStore, Vec<String>), StoreError> {
        let file = strip_scheme(path);
        if file.is_empty() {
            return Err(StoreError::Failed(format!("open {path:?}: no file named")));
        }
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Reads through memory-mapped pages rather than a read call per page: the national
            // set's packed arrays span overflow pages, and one council's position on every
            // indicator fell from about 15 ms to 1 ms in SQLite (docs/performance.md). The map
            // is address space, shared with the operating system's page cache, not memory
            // taken; a file larger than it is read past the map as before.
            .pragma("mmap_size", MMAP_SIZE.to_string())
            // Rows a query's worker thread may hand over before the reader takes them: a read of
            // thousands of small rows (a council's position on every national indicator) then
            // costs a few thread switches, not one every 50 rows.
            .row_buffer_size(ROW_BUFFER)
            // PostgreSQL's byte-order collation, which the core's statements name.
            .collation("C", |a: &str, b: &str| a.cmp(b));
        let pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Failed(format!("open {file:?}: {e}")))?;
        let store = SqlStore::new(Pool::Sqlite(pool), &DIALECT, &MIGRATOR);
        let applied = store
            .migrate()
            .await
            .map_err(|e| StoreError::Failed(format!("{file:?}: {e}")))?;
        Ok((store, applied))
    }

    /// Writes a consistent copy of the whole database `store` holds into `file` (`VACUUM
    /// INTO`), which must not exist or be empty: one self-contained file, with nothing left in
    /// a `-wal` file.
    pub async fn vacuum_into(store: &SqlStore, file: &Path) -> Result<(), StoreError> {
        let name = file
            .to_str()
            .ok_or_else(|| StoreError::Failed(format!("{}: not a UTF-8 path", file.display())))?;
        let pool = store
            .pool()
            .sqlite()
            .ok_or_else(|| StoreError::Failed("only a SQLite database can be vacuumed".into()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(name)
            .execute(pool)
            .await
            .map_err(|e| {
                StoreError::Failed(format!("vacuum into the backup file: {}", message(&e)))
            })?;
        Ok(())
    }
}

/// The file path of a `sqlite://PATH`, `sqlite:PATH` or plain `PATH`.
fn strip_scheme(path: &str) -> &str {
    path.strip_prefix("sqlite://")
        .or_else(|| path.strip_prefix("sqlite:"))
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::strip_scheme;

    #[test]
    fn strips_either_scheme() {
        assert_eq!(strip_scheme("sqlite:///tmp/b.db"), "/tmp/b.db");
        assert_eq!(strip_scheme("sqlite://b.db"), "b.db");
        assert_eq!(strip_scheme("sqlite:b.db"), "b.db");
        assert_eq!(strip_scheme("/tmp/b.db"), "/tmp/b.db");
    }
}
