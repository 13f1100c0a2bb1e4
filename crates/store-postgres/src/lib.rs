//! Beacon's PostgreSQL backend: connects to a database as a [`SqlStore`], with the checks,
//! migrations and [`Dialect`] PostgreSQL needs. Every table is keyed by council; the
//! statements, the mapping of the domain to tables and the rules live once, in
//! `beacon-store-sql`, and pass the same contract suite as on SQLite (`beacon-test-support`).

mod url;

use beacon_app::StoreError;
use beacon_store_sql::{Dialect, Pool, SqlStore, message};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::time::Duration;

pub use url::{is_postgres_url, os_user, redact, with_user};

/// The schema's migrations, compiled into the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a request waits for a free connection (or for the server) before giving up: short,
/// so that pages fail fast with an error (and `/readyz` says so) while the server is down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// What PostgreSQL says differently. Writers to one council take turns on the council's row
/// (every write upserts or updates it first, councils in ref order), then on the quarter's row,
/// then on the audit head, always in that order, so they wait for each other rather than
/// deadlock; writers to different councils do not wait for each other.
static DIALECT: Dialect = Dialect {
    // Each statement sees what committed before it, so a writer that waited for a lock reads
    // what the writer before it left.
    begin_write: "BEGIN ISOLATION LEVEL READ COMMITTED",
    // One snapshot for every query, so a council is read as it stood at one moment.
    begin_snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    lock_rows: " FOR UPDATE",
    // EXCLUSIVE lets plain reads of the head through but no other writer.
    lock_audit: Some("LOCK TABLE audit_head IN EXCLUSIVE MODE"),
    keep_ids: "OVERRIDING SYSTEM VALUE",
    after_restoring_users: Some(
        "SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST($1, 1))",
    ),
    after_restoring_notices: Some(
        "SELECT setval(pg_get_serial_sequence('notices', 'id'), GREATEST($1, 1))",
    ),
    list_tables: "SELECT tablename::text AS name FROM pg_tables \
                  WHERE schemaname = current_schema() ORDER BY tablename",
    on_close: None,
    // A server's database is made once; replaying the migrations then costs nothing worth
    // keeping a second copy of the schema for.
    fresh_schema: None,
};

/// Beacon's databases on a PostgreSQL server.
pub struct PostgresStore;

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or
    /// `postgres:///DATABASE?host=/run/postgresql` for a local socket) and brings its schema up
    /// to date. The database must exist and be UTF-8; errors never show the password.
    pub async fn open(url: &str) -> Result<SqlStore, StoreError> {
        PostgresStore::open_with(url, PgPoolOptions::new()).await
    }

    /// As `open`, with the pool's size and timeouts chosen by the caller.
    pub async fn open_with(url: &str, pool: PgPoolOptions) -> Result<SqlStore, StoreError> {
        Ok(PostgresStore::open_reporting(url, pool).await?.0)
    }

    /// As `open_with`, also saying which migrations this opening applied ("0003
    /// publication anchor"), so that commands can tell the operator.
    pub async fn open_reporting(
        url: &str,
        pool: PgPoolOptions,
    ) -> Result<(SqlStore, Vec<String>), StoreError> {
        let shown = redact(url);
        let options = connect_options(url)?;
        // One connection first, so that a wrong URL, a missing database or a server that is
        // down fails at once with its own message, rather than after the pool's retries.
        let mut conn = PgConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::Failed(format!("connect to {shown}: {}", message(&e))))?;
        let encoding: String = sqlx::query_scalar("SHOW server_encoding")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {}", message(&e))))?;
        if encoding != "UTF8" {
            return Err(StoreError::Failed(format!(
                "{shown}: the database's encoding is {encoding}; Beacon needs UTF8 \
                 (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)"
            )));
        }
        conn.close()
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {}", message(&e))))?;
        let pool = pool
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        let store = SqlStore::new(Pool::Postgres(pool), &DIALECT, &MIGRATOR);
        let applied = store
            .migrate()
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {e}")))?;
        Ok((store, applied))
    }
}

/// The options to connect with: the URL's, as the operating-system user when it names none
/// (see [`with_user`]), and named `beacon` in `pg_stat_activity`.
pub fn connect_options(url: &str) -> Result<PgConnectOptions, StoreError> {
    let shown = redact(url);
    let url =
        with_user(url, std::env::var("PGUSER").ok(), os_user()).map_err(StoreError::Failed)?;
    Ok(PgConnectOptions::from_str(&url)
        .map_err(|e| StoreError::Failed(format!("{shown}: not a PostgreSQL URL: {e}")))?
        .application_name("beacon"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::connect_options;

    #[test]
    fn the_socket_url_connects_as_the_operating_system_user_not_anonymous() {
        let options = connect_options("postgres:///beacon?host=/run/postgresql").unwrap();
        let want = std::env::var("PGUSER").unwrap_or_else(|_| whoami::username().unwrap());
        assert_ne!(options.get_username(), "anonymous");
        assert_eq!(options.get_username(), want);
    }
}
