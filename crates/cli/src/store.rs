//! The database the command line names, behind the one `Store` port: every command works on
//! whichever backend `--db` selects: a SQLite file, or a PostgreSQL database by URL.

use beacon_app::{ChangeSet, CouncilData, Stats, Store, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use beacon_store_postgres::PostgresStore;
use beacon_store_sqlite::SqliteStore;

/// A store of any backend this build supports.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Opens the database `--db` names and brings its schema up to date: `postgres://…` (or
    /// `postgresql://…`) for PostgreSQL, which must exist; otherwise a SQLite file path or
    /// `sqlite://PATH`, created if needed.
    pub async fn open(db: &str) -> Result<AnyStore, String> {
        if beacon_store_postgres::is_postgres_url(db) {
            return PostgresStore::open(db)
                .await
                .map(AnyStore::Postgres)
                .map_err(|e| format!("cannot open the PostgreSQL database: {e}"));
        }
        SqliteStore::open(db)
            .await
            .map(AnyStore::Sqlite)
            .map_err(|e| format!("cannot open the database {db}: {e}"))
    }

    /// The database as messages may show it: a PostgreSQL URL without its password.
    pub fn describe(db: &str) -> String {
        beacon_store_postgres::redact(db)
    }
}

impl Store for AnyStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.councils().await,
            AnyStore::Postgres(s) => s.councils().await,
        }
    }
    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.council_data(council).await,
            AnyStore::Postgres(s) => s.council_data(council).await,
        }
    }
    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.apply(changes).await,
            AnyStore::Postgres(s) => s.apply(changes).await,
        }
    }
    async fn stats(&self) -> Result<Stats, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.stats().await,
            AnyStore::Postgres(s) => s.stats().await,
        }
    }
    async fn revision(&self, council: &CouncilRef) -> Result<Option<i64>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.revision(council).await,
            AnyStore::Postgres(s) => s.revision(council).await,
        }
    }
}
