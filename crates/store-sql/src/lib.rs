//! Beacon's SQL core: one store, [`SqlStore`], for both databases Beacon runs on.
//!
//! Everything about how the domain is kept in tables lives here once: the statements, mapping
//! rows to domain values and back (`columns`, `encode`), assembling a council from its tables
//! (`read`), the order of a change set's writes and the locks it takes (`write`), and the
//! governance rules: quarter guards and steps, users and sessions, publications and the
//! hash-chained audit trail (`governance`).
//!
//! The backends are thin crates that open a database and hand it over:
//!
//! * `beacon-store-sqlite` sets up the connection (WAL, `synchronous=FULL`, foreign keys, a busy
//!   timeout), runs its migrations and supplies its [`Dialect`];
//! * `beacon-store-postgres` does the same for a server (a UTF-8 check, its own migrations)
//!   and recognises and redacts PostgreSQL URLs.
//!
//! The two schemas have the same tables and columns, every table keyed by council (SQLite's
//! `0011_council_keys.sql` added `council_id` to the child tables it lacked), so one statement
//! serves both. What still differs is small and stated once:
//!
//! * how values bind and decode is `exec`, the only code that names a driver: a statement is
//!   written with `$1`-style parameters, which both drivers number alike; a list of words is a
//!   JSON array in SQLite and `TEXT[]` in PostgreSQL;
//! * how a transaction begins and which locks a writer takes are the [`Dialect`], supplied by
//!   the backend: SQLite's `BEGIN IMMEDIATE` makes writers take turns for the whole file, while
//!   on PostgreSQL writers to one council take turns on that council's row, a quarter's row is
//!   read `FOR UPDATE`, the audit head is locked last, and reads run in one REPEATABLE READ
//!   snapshot.
//!
//! The store is dispatched to its driver once, in `exec`, rather than method by method: the
//! command line and the web serve whichever database they were given through this one type.

mod calendar;
mod columns;
mod encode;
mod error;
mod exec;
mod governance;
mod notices;
mod read;
mod schema;
mod stats;
mod write;

pub use error::message;
pub use exec::Pool;

use beacon_app::{ChangeSet, CouncilData, Stats, Store, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use error::db;
use exec::{Conn, Tx};
use sqlx::migrate::Migrator;

/// The SQL that differs between the databases, supplied by each backend crate.
#[derive(Debug)]
pub struct Dialect {
    /// Begins a transaction that writes: it must make two writers to one council take turns,
    /// each seeing what the one before it committed.
    pub begin_write: &'static str,
    /// Begins a transaction that reads one consistent snapshot of the database.
    pub begin_snapshot: &'static str,
    /// Ends a `SELECT` of rows the transaction will then update, locking them until it ends
    /// (empty where `begin_write` excludes other writers already).
    pub lock_rows: &'static str,
    /// Run before a writer reads the audit trail's head, so appends take turns (`None` where
    /// `begin_write` excludes other writers already).
    pub lock_audit: Option<&'static str>,
    /// Written between a column list and `VALUES` to insert rows with the ids they had before.
    pub keep_ids: &'static str,
    /// Run after users are restored with their ids, so that the next user added gets a new one;
    /// `$1` is the highest id restored.
    pub after_restoring_users: Option<&'static str>,
    /// The same for the outbox's notices, after they are restored with their ids.
    pub after_restoring_notices: Option<&'static str>,
    /// Lists the schema's tables, one per row in a column `name`.
    pub list_tables: &'static str,
    /// Run when the store is closed, before its pool is.
    pub on_close: Option<&'static str>,
    /// The schema every migration leaves, as one script, for a database without tables: it
    /// is created in one transaction and every migration recorded as applied, instead of
    /// replaying them one by one (`None` to always replay them). The backend's tests check
    /// that the script and the migrations make the same schema.
    pub fresh_schema: Option<&'static str>,
}

/// A Beacon database: SQLite or PostgreSQL, whichever the backend crate opened.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: Pool,
    dialect: &'static Dialect,
    migrator: &'static Migrator,
}

impl SqlStore {
    /// The store over a pool speaking `dialect`, whose schema `migrator`'s migrations make;
    /// [`SqlStore::migrate`] brings it up to date.
    pub fn new(pool: Pool, dialect: &'static Dialect, migrator: &'static Migrator) -> SqlStore {
        SqlStore {
            pool,
            dialect,
            migrator,
        }
    }

    /// The connection pool, for crates and tests that query the tables directly.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn conn(&self) -> Result<Conn, StoreError> {
        self.pool
            .acquire(self.dialect)
            .await
            .map_err(db("acquire a connection"))
    }

    async fn write_tx(&self) -> Result<Tx, StoreError> {
        self.pool
            .begin(self.dialect, self.dialect.begin_write)
            .await
            .map_err(db("begin a write"))
    }

    async fn snapshot(&self) -> Result<Tx, StoreError> {
        self.pool
            .begin(self.dialect, self.dialect.begin_snapshot)
            .await
            .map_err(db("begin a read"))
    }
}

impl Tx {
    /// Commits on success; on failure rolls back and returns the error (with the rollback's,
    /// if that fails too).
    async fn finish<T>(self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        match result {
            Ok(v) => {
                self.commit().await.map_err(db("commit"))?;
                Ok(v)
            }
            Err(e) => match self.rollback().await {
                Ok(()) => Err(e),
                Err(r) => Err(StoreError::Failed(format!(
                    "{e}; and rolling back failed: {r}"
                ))),
            },
        }
    }
}

impl Store for SqlStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        read::councils(&mut self.conn().await?.db()).await
    }

    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        // One snapshot for every query, so the council is read as it stood at one moment.
        let mut tx = self.snapshot().await?;
        let data = read::council_data(&mut tx.db(), council).await;
        tx.finish(data).await
    }

    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = write::apply(&mut tx.db(), changes).await;
        tx.finish(r).await
    }

    async fn stats(&self) -> Result<Stats, StoreError> {
        stats::stats(&mut self.conn().await?.db()).await
    }

    async fn plan_versions(
        &self,
        council: &CouncilRef,
        plan: &beacon_domain::Ref,
    ) -> Result<Vec<u32>, StoreError> {
        read::plan_versions(&mut self.conn().await?.db(), council, plan).await
    }

    async fn plan_version(
        &self,
        council: &CouncilRef,
        plan: &beacon_domain::Ref,
        version: u32,
    ) -> Result<Option<beacon_domain::plan::PlanDocument>, StoreError> {
        read::plan_version(&mut self.conn().await?.db(), council, plan, version).await
    }

    async fn revision(&self, council: &CouncilRef) -> Result<Option<i64>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let row = c
            .sql("SELECT revision FROM councils WHERE ref = $1")
            .bind(council.as_str())
            .fetch_optional(&mut c)
            .await
            .map_err(db("select from councils"))?;
        row.map(|r| r.try_get("revision"))
            .transpose()
            .map_err(db("read councils"))
    }
}
