//! The database the command line names, behind the one `Store` port: every command works on
//! whichever backend `--db` selects.

use beacon_app::{ChangeSet, CouncilData, Stats, Store, StoreError};
use beacon_domain::organisation::{Council, CouncilRef};
use beacon_store_sqlite::SqliteStore;

/// A store of any backend this build supports.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
}

impl AnyStore {
    /// Opens the database `--db` names, creating it if needed: a SQLite path or `sqlite://PATH`.
    pub async fn open(db: &str) -> Result<AnyStore, String> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            return Err(format!(
                "{db}: PostgreSQL is not supported by this build yet; use a SQLite file path"
            ));
        }
        SqliteStore::open(db)
            .await
            .map(AnyStore::Sqlite)
            .map_err(|e| format!("cannot open the database {db}: {e}"))
    }
}

impl Store for AnyStore {
    async fn councils(&self) -> Result<Vec<Council>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.councils().await,
        }
    }
    async fn council_data(&self, council: &CouncilRef) -> Result<Option<CouncilData>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.council_data(council).await,
        }
    }
    async fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.apply(changes).await,
        }
    }
    async fn stats(&self) -> Result<Stats, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.stats().await,
        }
    }
}
