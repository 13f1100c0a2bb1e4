//! The database the command line names: a SQLite file, or a PostgreSQL database by URL. Either
//! opens as the one store type of `beacon-store-sql`, which dispatches to its driver itself, so
//! every command works on whichever backend `--db` selects.

use std::path::Path;

/// A store of any backend this build supports.
pub use beacon_store_sql::SqlStore as AnyStore;

/// Opens the database `--db` names and brings its schema up to date: `postgres://…` (or
/// `postgresql://…`) for PostgreSQL, which must exist; otherwise a SQLite file path or
/// `sqlite://PATH`, created if needed.
pub async fn open(db: &str) -> Result<AnyStore, String> {
    Ok(open_reporting(db, true).await?.0)
}

/// As `open`; a missing SQLite file is created only when `create` is set, and the answer names
/// the migrations this opening applied.
pub async fn open_reporting(db: &str, create: bool) -> Result<(AnyStore, Vec<String>), String> {
    check_scheme(db)?;
    if beacon_store_postgres::is_postgres_url(db) {
        return beacon_store_postgres::PostgresStore::open_reporting(db, Default::default())
            .await
            .map_err(|e| format!("cannot open the PostgreSQL database: {e}"));
    }
    beacon_store_sqlite::SqliteStore::open_reporting(db, create)
        .await
        .map_err(|e| format!("cannot open the database {db}: {e}"))
}

/// The database as messages may show it: a URL without its password.
pub fn describe(db: &str) -> String {
    beacon_store_postgres::redact(db)
}

/// The SQLite file a `--db` that is not a PostgreSQL URL names.
pub fn sqlite_path(db: &str) -> &Path {
    Path::new(
        db.strip_prefix("sqlite://")
            .or_else(|| db.strip_prefix("sqlite:"))
            .unwrap_or(db),
    )
}

/// Refuses a URL whose scheme is neither PostgreSQL's nor SQLite's (`postgre://…`,
/// `mysql://…`) instead of taking it for a file name, without showing its password.
pub fn check_scheme(db: &str) -> Result<(), String> {
    let postgres = beacon_store_postgres::is_postgres_url(db);
    let sqlite = db.starts_with("sqlite:");
    let lower = db.to_ascii_lowercase();
    let looks_like_url = db.contains("://") || (lower.starts_with("postgres") && db.contains(':'));
    if !postgres && !sqlite && looks_like_url {
        return Err(format!(
            "{} is not a database Beacon can open: use postgres://USER@HOST/DATABASE (or \
             postgresql://) for PostgreSQL, or a file path or sqlite://PATH for SQLite",
            beacon_store_postgres::redact(db)
        ));
    }
    Ok(())
}
