//! Beacon's PostgreSQL store: every council's organisation, frames, plans, quarters and budget
//! statements in normalised tables keyed by council, written one change set per transaction.
//! It passes the same contract suite as the SQLite store (`beacon-test-support`).

mod columns;
mod encode;
mod error;
mod governance;
mod read;
mod stats;
mod url;
mod write;

use beacon_app::{ChangeSet, CouncilData, Stats, Store, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::str::FromStr;
use std::time::Duration;

pub use url::{is_postgres_url, redact};

/// How long a command waits for a free connection (or for the server) before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// A Beacon database on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or
    /// `postgres:///DATABASE?host=/run/postgresql` for a local socket) and brings its schema up
    /// to date. The database must exist and be UTF-8; errors never show the password.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::open_with(url, PgPoolOptions::new()).await
    }

    /// As `open`, with the pool's size and timeouts chosen by the caller.
    pub async fn open_with(url: &str, pool: PgPoolOptions) -> Result<PostgresStore, StoreError> {
        let shown = redact(url);
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Failed(format!("{shown}: not a PostgreSQL URL: {e}")))?
            .application_name("beacon");
        // One connection first, so that a wrong URL, a missing database or a server that is
        // down fails at once with its own message, rather than after the pool's retries.
        let mut conn = PgConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::Failed(format!("connect to {shown}: {e}")))?;
        let encoding: String = sqlx::query_scalar("SHOW server_encoding")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {e}")))?;
        if encoding != "UTF8" {
            return Err(StoreError::Failed(format!(
                "{shown}: the database's encoding is {encoding}; Beacon needs UTF8 \
                 (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)"
            )));
        }
        sqlx::migrate!("./migrations")
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Failed(format!("migrate {shown}: {e}")))?;
        conn.close()
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {e}")))?;
        let pool = pool
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok(PostgresStore { pool })
    }

    /// The connection pool, for crates that query the tables directly.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl Store for PostgresStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(error::db("acquire a connection"))?;
        read::councils(&mut conn).await
    }

    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        // One snapshot for every query, so the council is read as it stood at one moment.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(error::db("begin a read"))?;
        let data = read::council_data(&mut tx, council).await?;
        tx.commit().await.map_err(error::db("end a read"))?;
        Ok(data)
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = write::apply(&mut tx, changes).await;
        governance::finish(tx, r).await
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
        sqlx::query_scalar("SELECT revision FROM councils WHERE ref = $1")
            .bind(council.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db("select from councils"))
    }
}
