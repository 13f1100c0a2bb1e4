//! Beacon's SQLite store: every council's organisation, frames, plans, quarters and budget
//! statements in normalised tables of one database file, written one change set per transaction.

mod columns;
mod encode;
mod error;
mod governance;
mod read;
mod stats;
mod write;

use beacon_app::{ChangeSet, CouncilData, Stats, Store, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::time::Duration;

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A Beacon database in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens the database at `path` (a file path, `sqlite://PATH` or `sqlite:PATH`), creating
    /// the file if it is missing, and brings its schema up to date.
    ///
    /// Every connection runs in WAL mode with `synchronous=FULL` and foreign keys enforced.
    pub async fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let file = strip_scheme(path);
        if file.is_empty() {
            return Err(StoreError::Failed(format!("open {path:?}: no file named")));
        }
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Failed(format!("open {file:?}: {e}")))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Failed(format!("migrate {file:?}: {e}")))?;
        Ok(SqliteStore { pool })
    }

    /// The connection pool, for crates that query the tables directly.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// The file path of a `sqlite://PATH`, `sqlite:PATH` or plain `PATH`.
fn strip_scheme(path: &str) -> &str {
    path.strip_prefix("sqlite://")
        .or_else(|| path.strip_prefix("sqlite:"))
        .unwrap_or(path)
}

impl Store for SqliteStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(error::db("acquire a connection"))?;
        read::councils(&mut conn).await
    }

    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        // One read transaction, so the council is read as it stood at one moment.
        let mut tx = self.pool.begin().await.map_err(error::db("begin a read"))?;
        let data = read::council_data(&mut tx, council).await?;
        tx.commit().await.map_err(error::db("end a read"))?;
        Ok(data)
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        // IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout)
        // instead of failing part-way when its read snapshot turns out to be stale.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(error::db("begin a write"))?;
        match write::apply(&mut tx, changes).await {
            Ok(()) => tx.commit().await.map_err(error::db("commit the write")),
            Err(e) => match tx.rollback().await {
                Ok(()) => Err(e),
                Err(r) => Err(StoreError::Failed(format!(
                    "{}; and rolling back failed: {r}",
                    e
                ))),
            },
        }
    }

    async fn stats(&self) -> Result<Stats, StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(error::db("acquire a connection"))?;
        stats::stats(&mut conn).await
    }

    async fn revision(&self, council: &CouncilRef) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT revision FROM councils WHERE ref = ?")
            .bind(council.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db("select from councils"))
    }
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
