//! The database the command line names: a SQLite file, or a PostgreSQL database by URL. Either
//! opens as the one store type of `beacon-store-sql`, which dispatches to its driver itself, so
//! every command works on whichever backend `--db` selects.

/// A store of any backend this build supports.
pub use beacon_store_sql::SqlStore as AnyStore;

/// Opens the database `--db` names and brings its schema up to date: `postgres://…` (or
/// `postgresql://…`) for PostgreSQL, which must exist; otherwise a SQLite file path or
/// `sqlite://PATH`, created if needed.
pub async fn open(db: &str) -> Result<AnyStore, String> {
    if beacon_store_postgres::is_postgres_url(db) {
        return beacon_store_postgres::PostgresStore::open(db)
            .await
            .map_err(|e| format!("cannot open the PostgreSQL database: {e}"));
    }
    beacon_store_sqlite::SqliteStore::open(db)
        .await
        .map_err(|e| format!("cannot open the database {db}: {e}"))
}

/// The database as messages may show it: a PostgreSQL URL without its password.
pub fn describe(db: &str) -> String {
    beacon_store_postgres::redact(db)
}
