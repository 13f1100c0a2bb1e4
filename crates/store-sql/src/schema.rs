//! The schema as a whole: which of the backend's compiled migrations the database has applied,
//! applying the rest, whether the schema is current, each table's rows, and the pool's use.

use crate::SqlStore;
use crate::error::{db, message};
use crate::exec::{Inserts, Pool};
use beacon_app::StoreError;
use sqlx::migrate::MigrateError;
use std::collections::BTreeMap;

/// A migration as the database records it: its version, checksum and whether it finished.
type Applied = (i64, Vec<u8>, bool);

impl SqlStore {
    /// The compiled migrations not yet applied ("0004 notices"), after checking that those
    /// applied are the ones compiled in. A database without the migrations table has every
    /// migration pending.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        let applied = self.applied().await?;
        let mut pending = Vec::new();
        for m in self
            .migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
        {
            let name = format!("{:04} {}", m.version, m.description);
            match applied.iter().find(|(v, _, _)| *v == m.version) {
                Some((_, sum, true)) if sum.as_slice() == &*m.checksum => {}
                Some((_, _, false)) => {
                    return Err(StoreError::Failed(format!(
                        "migration {name} failed part-way earlier; restore the backup taken \
                         before the upgrade"
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

    async fn applied(&self) -> Result<Vec<Applied>, StoreError> {
        if !self.tables().await?.iter().any(|t| t == "_sqlx_migrations") {
            return Ok(Vec::new());
        }
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let rows = c
            .sql("SELECT version, checksum, success FROM _sqlx_migrations")
            .fetch_all(&mut c)
            .await
            .map_err(db("read _sqlx_migrations"))?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("version")?,
                    r.try_get("checksum")?,
                    r.try_get("success")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db("read _sqlx_migrations"))
    }

    /// Applies the pending migrations and names them. When none is pending nothing runs, so a
    /// role that may only read and write rows (no CREATE) opens an up-to-date database.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let pending = self.pending_migrations().await?;
        if pending.is_empty() {
            return Ok(pending);
        }
        if let Some(schema) = self.dialect.fresh_schema
            && self.tables().await?.is_empty()
        {
            self.create_fresh(schema).await?;
            return Ok(pending);
        }
        let ran = match &self.pool {
            Pool::Sqlite(p) => self.migrator.run(p).await,
            Pool::Postgres(p) => self.migrator.run(p).await,
        };
        ran.map_err(|e| {
            let why = match &e {
                MigrateError::Execute(inner) | MigrateError::ExecuteMigration(inner, _) => {
                    message(inner)
                }
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
                "migrate (pending: {}): {why}{needs}",
                pending.join(", ")
            ))
        })?;
        Ok(pending)
    }

    /// Creates the schema of a database without tables from `schema`, and records every
    /// migration as applied, in one transaction.
    async fn create_fresh(&self, schema: &'static str) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let made = async {
            c.script(schema).await.map_err(db("create the schema"))?;
            let mut applied = Inserts::new(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum,
                     execution_time)",
                5,
                "record the migrations",
            );
            for m in self
                .migrator
                .iter()
                .filter(|m| m.migration_type.is_up_migration())
            {
                applied
                    .add(&mut c, |q| {
                        q.bind(m.version)
                            .bind(&*m.description)
                            .bind(true)
                            .bind(&*m.checksum)
                            .bind(0_i64)
                    })
                    .await?;
            }
            applied.finish(&mut c).await
        }
        .await;
        tx.finish(made).await
    }

    /// Whether the database answers and its schema is the one this build expects: for
    /// readiness checks.
    pub async fn schema_check(&self) -> Result<(), StoreError> {
        match self.pending_migrations().await?.first() {
            None => Ok(()),
            Some(m) => Err(StoreError::Failed(format!(
                "the schema is not current: migration {m} is not applied"
            ))),
        }
    }

    /// The schema's tables, by name.
    async fn tables(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let rows = c
            .sql(self.dialect.list_tables)
            .fetch_all(&mut c)
            .await
            .map_err(db("list the tables"))?;
        rows.iter()
            .map(|r| r.try_get("name"))
            .collect::<Result<_, _>>()
            .map_err(db("list the tables"))
    }

    /// How many rows each of the schema's tables holds, by table name.
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let tables = self.tables().await?;
        let mut counts = BTreeMap::new();
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        for t in tables {
            // The name comes from the catalogue, quoted as an identifier.
            let sql = format!("SELECT count(*) AS n FROM \"{}\"", t.replace('"', "\"\""));
            let n: i64 = c
                .sql(sql)
                .fetch_one(&mut c)
                .await
                .and_then(|r| r.try_get("n"))
                .map_err(db("count a table's rows"))?;
            counts.insert(t, n);
        }
        Ok(counts)
    }

    /// The pool's connections: (open, idle, most allowed).
    pub fn pool_use(&self) -> (u32, usize, u32) {
        match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Pool::Postgres(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        }
    }

    /// Finishes with the database: runs the dialect's `on_close` (SQLite moves everything in
    /// its write-ahead log into the file, so the file alone holds the whole database) and
    /// closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        if let Some(sql) = self.dialect.on_close {
            let mut conn = self.conn().await?;
            let mut c = conn.db();
            c.sql(sql)
                .execute(&mut c)
                .await
                .map_err(db("finish with the database"))?;
        }
        self.pool.close().await;
        Ok(())
    }
}
