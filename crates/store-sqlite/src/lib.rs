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
use std::collections::BTreeMap;
use std::time::Duration;

/// The schema's migrations, compiled into the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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
        Ok(SqliteStore::open_reporting(path, true).await?.0)
    }

    /// As `open`, creating the file only when `create` is set (otherwise a missing file is
    /// refused), and saying which migrations this opening applied ("0003 publication anchor").
    pub async fn open_reporting(
        path: &str,
        create: bool,
    ) -> Result<(SqliteStore, Vec<String>), StoreError> {
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
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Failed(format!("open {file:?}: {e}")))?;
        let store = SqliteStore { pool };
        let pending = store.pending().await?;
        if !pending.is_empty() {
            MIGRATOR
                .run(&store.pool)
                .await
                .map_err(|e| StoreError::Failed(format!("migrate {file:?}: {e}")))?;
        }
        Ok((store, pending))
    }

    /// The compiled migrations not yet applied ("0004 notices"), after checking that those
    /// applied are the ones compiled in.
    async fn pending(&self) -> Result<Vec<String>, StoreError> {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(error::db("read the schema"))?;
        let applied: Vec<(i64, Vec<u8>, bool)> = if exists {
            sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations")
                .fetch_all(&self.pool)
                .await
                .map_err(error::db("read _sqlx_migrations"))?
        } else {
            Vec::new()
        };
        let mut pending = Vec::new();
        for m in MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
        {
            let name = format!("{:04} {}", m.version, m.description);
            match applied.iter().find(|(v, _, _)| *v == m.version) {
                Some((_, sum, true)) if sum.as_slice() == &*m.checksum => {}
                Some(_) => {
                    return Err(StoreError::Failed(format!(
                        "migration {name} in the database failed or is not the one this build holds"
                    )));
                }
                None => pending.push(name),
            }
        }
        Ok(pending)
    }

    /// Whether the database answers and its schema is the one this build expects: for
    /// readiness checks.
    pub async fn schema_check(&self) -> Result<(), StoreError> {
        match self.pending().await?.first() {
            None => Ok(()),
            Some(m) => Err(StoreError::Failed(format!(
                "the schema is not current: migration {m} is not applied"
            ))),
        }
    }

    /// How many rows each of the schema's tables holds, by table name.
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("list the tables"))?;
        let mut counts = BTreeMap::new();
        for t in tables {
            // The name comes from the catalogue, quoted as an identifier.
            let sql = format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\""));
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&self.pool)
                .await
                .map_err(error::db("count a table's rows"))?;
            counts.insert(t, n);
        }
        Ok(counts)
    }

    /// Writes a consistent copy of the whole database into `file` (`VACUUM INTO`), which must
    /// not exist or be empty: one self-contained file, with nothing left in a `-wal` file.
    pub async fn vacuum_into(&self, file: &std::path::Path) -> Result<(), StoreError> {
        let name = file
            .to_str()
            .ok_or_else(|| StoreError::Failed(format!("{}: not a UTF-8 path", file.display())))?;
        sqlx::query("VACUUM INTO ?")
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(error::db("vacuum into the backup file"))?;
        Ok(())
    }

    /// Moves everything in the write-ahead log into the database file and closes the pool, so
    /// the `.db` file alone holds the whole database (for copies made to be carried away).
    pub async fn close(self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
            .map_err(error::db("checkpoint the write-ahead log"))?;
        self.pool.close().await;
        Ok(())
    }

    /// The pool's connections: (open, idle, most allowed).
    pub fn pool_use(&self) -> (u32, usize, u32) {
        (
            self.pool.size(),
            self.pool.num_idle(),
            self.pool.options().get_max_connections(),
        )
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
