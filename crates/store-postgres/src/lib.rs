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
use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

pub use url::{is_postgres_url, os_user, redact, with_user};

/// How long a request waits for a free connection (or for the server) before giving up: short,
/// so that pages fail fast with an error (and `/readyz` says so) while the server is down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema's migrations, compiled into the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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
        Ok(PostgresStore::open_reporting(url, pool).await?.0)
    }

    /// As `open_with`, also saying which migrations this opening applied ("0003
    /// publication anchor"), so that commands can tell the operator.
    pub async fn open_reporting(
        url: &str,
        pool: PgPoolOptions,
    ) -> Result<(PostgresStore, Vec<String>), StoreError> {
        let options = connect_options(url)?;
        let shown = redact(url);
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
        let applied = migrate(&mut conn, &shown).await?;
        conn.close()
            .await
            .map_err(|e| StoreError::Failed(format!("{shown}: {}", message(&e))))?;
        let pool = pool
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok((PostgresStore { pool }, applied))
    }

    /// Whether the database answers and its schema is the one this build expects: for
    /// readiness checks.
    pub async fn schema_check(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(|e| {
            StoreError::Failed(format!("the database does not answer: {}", message(&e)))
        })?;
        let pending = pending(&mut *conn).await?;
        match pending.first() {
            None => Ok(()),
            Some(m) => Err(StoreError::Failed(format!(
                "the schema is not current: migration {m} is not applied"
            ))),
        }
    }

    /// How many rows each of the schema's tables holds, by table name.
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(error::db("acquire a connection"))?;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(error::db("list the tables"))?;
        let mut counts = BTreeMap::new();
        for t in tables {
            // The name comes from the catalogue, quoted as an identifier.
            let sql = format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\""));
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *conn)
                .await
                .map_err(error::db("count a table's rows"))?;
            counts.insert(t, n);
        }
        Ok(counts)
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

/// A sqlx error as an operator reads it: PostgreSQL's own message, with its detail and hint,
/// without the position in the server's C source ("at line 334") that sqlx appends.
pub(crate) fn message(e: &sqlx::Error) -> String {
    let Some(pg) = e
        .as_database_error()
        .and_then(|d| d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
    else {
        return e.to_string();
    };
    let mut text = pg.message().to_string();
    if let Some(detail) = pg.detail() {
        text.push_str(&format!(" ({detail})"));
    }
    if let Some(hint) = pg.hint() {
        text.push_str(&format!("; {hint}"));
    }
    text
}

/// The compiled migrations not yet applied to the database ("0004 notices"), after checking
/// that those applied are the ones compiled in. A database without the migrations table has
/// every migration pending.
async fn pending(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::Failed(message(&e)))?;
    let applied: Vec<(i64, Vec<u8>, bool)> = if exists {
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| StoreError::Failed(format!("read _sqlx_migrations: {}", message(&e))))?
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
            Some((_, sum, ok)) if *ok && sum.as_slice() == &*m.checksum => {}
            Some((_, _, false)) => {
                return Err(StoreError::Failed(format!(
                    "migration {name} failed part-way earlier; restore the backup taken before the upgrade"
                )));
            }
            Some(_) => {
                return Err(StoreError::Failed(format!(
                    "migration {name} in the database is not the one this build holds"
                )));
            }
            None => pending.push(name),
        }
    }
    Ok(pending)
}

/// Applies the pending migrations, holding PostgreSQL's advisory lock, and names them. When
/// none is pending nothing is run, so a role that may only read and write rows (no CREATE)
/// opens an up-to-date database.
async fn migrate(conn: &mut PgConnection, shown: &str) -> Result<Vec<String>, StoreError> {
    let pending = pending(conn).await?;
    if pending.is_empty() {
        return Ok(pending);
    }
    MIGRATOR.run(&mut *conn).await.map_err(|e| {
        let why = match &e {
            sqlx::migrate::MigrateError::Execute(inner)
            | sqlx::migrate::MigrateError::ExecuteMigration(inner, _) => message(inner),
            other => other.to_string(),
        };
        let needs = if why.contains("permission denied") {
            "; applying migrations needs a role that may create tables in the database (its \
             owner): run one beacon command (such as `beacon stats`) as the owner once, then \
             the service's role needs only to read and write rows"
        } else {
            ""
        };
        StoreError::Failed(format!(
            "migrate {shown} (pending: {}): {why}{needs}",
            pending.join(", ")
        ))
    })?;
    Ok(pending)
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
