//! Running a statement on whichever driver the store was opened with: the one place that
//! dispatches to SQLite or PostgreSQL.
//!
//! Statements are written once, with `$1`-style parameters: PostgreSQL numbers them itself, and
//! sqlx binds SQLite's `$N` by its number too (not by order of first appearance), so a
//! parameter may appear twice or out of order on both. A value binds through a type both
//! drivers encode alike (text, integers, booleans, bytes, and `Option`s of them); a small list
//! of words binds through [`Query::words`], which SQLite keeps as a JSON array and PostgreSQL
//! as `TEXT[]`.

use crate::Dialect;
use sqlx::error::BoxDynError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{
    Arguments, AssertSqlSafe, Decode, Encode, PgConnection, PgPool, Postgres, Row as _, Sqlite,
    SqliteConnection, SqlitePool, Transaction, Type,
};
use std::borrow::Cow;
use std::fmt::Display;

/// A connection pool of either driver.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// The SQLite pool, if this is one.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(p) => Some(p),
            Pool::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, if this is one.
    pub fn postgres(&self) -> Option<&PgPool> {
        match self {
            Pool::Postgres(p) => Some(p),
            Pool::Sqlite(_) => None,
        }
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    pub(crate) async fn acquire(&self, dialect: &'static Dialect) -> Result<Conn, sqlx::Error> {
        let inner = match self {
            Pool::Sqlite(p) => Inner::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Inner::Postgres(p.acquire().await?),
        };
        Ok(Conn { inner, dialect })
    }

    /// Begins a transaction with `statement` (one of the dialect's `BEGIN`s).
    pub(crate) async fn begin(
        &self,
        dialect: &'static Dialect,
        statement: &'static str,
    ) -> Result<Tx, sqlx::Error> {
        let inner = match self {
            Pool::Sqlite(p) => Inner::Sqlite(p.begin_with(statement).await?),
            Pool::Postgres(p) => Inner::Postgres(p.begin_with(statement).await?),
        };
        Ok(Tx { inner, dialect })
    }
}

/// A pooled connection or a transaction of either driver.
pub(crate) enum Inner<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// A connection from the pool, for statements that need no transaction.
pub(crate) struct Conn {
    inner: Inner<PoolConnection<Sqlite>, PoolConnection<Postgres>>,
    dialect: &'static Dialect,
}

impl Conn {
    pub(crate) fn db(&mut self) -> Db<'_> {
        let driver = match &mut self.inner {
            Inner::Sqlite(c) => Inner::Sqlite(&mut **c),
            Inner::Postgres(c) => Inner::Postgres(&mut **c),
        };
        Db {
            driver,
            dialect: self.dialect,
        }
    }
}

/// A transaction, rolled back if dropped before `finish`.
pub(crate) struct Tx {
    inner: Inner<Transaction<'static, Sqlite>, Transaction<'static, Postgres>>,
    dialect: &'static Dialect,
}

impl Tx {
    pub(crate) fn db(&mut self) -> Db<'_> {
        let driver = match &mut self.inner {
            Inner::Sqlite(t) => Inner::Sqlite(&mut **t),
            Inner::Postgres(t) => Inner::Postgres(&mut **t),
        };
        Db {
            driver,
            dialect: self.dialect,
        }
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::Sqlite(t) => t.commit().await,
            Inner::Postgres(t) => t.commit().await,
        }
    }

    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::Sqlite(t) => t.rollback().await,
            Inner::Postgres(t) => t.rollback().await,
        }
    }
}

/// The connection statements run on, and the dialect of the database behind it.
pub(crate) struct Db<'c> {
    driver: Inner<&'c mut SqliteConnection, &'c mut PgConnection>,
    pub(crate) dialect: &'static Dialect,
}

impl Db<'_> {
    /// A statement to bind values to and run on this database.
    pub(crate) fn sql(&self, text: impl Into<Cow<'static, str>>) -> Query {
        let args = match self.driver {
            Inner::Sqlite(_) => Inner::Sqlite(SqliteArguments::default()),
            Inner::Postgres(_) => Inner::Postgres(PgArguments::default()),
        };
        Query {
            text: text.into(),
            args: Ok(args),
        }
    }
}

/// A statement and the values bound to it so far; the first value that fails to encode is
/// reported when the statement runs.
pub(crate) struct Query {
    text: Cow<'static, str>,
    args: Result<Inner<SqliteArguments, PgArguments>, BoxDynError>,
}

/// Both drivers' arguments for one query, matched to the connection it runs on.
type Bound<'a> =
    Inner<(&'a mut SqliteConnection, SqliteArguments), (&'a mut PgConnection, PgArguments)>;

impl Query {
    /// Binds the next parameter.
    pub(crate) fn bind<'t, T>(mut self, value: T) -> Self
    where
        T: Encode<'t, Sqlite> + Type<Sqlite> + Encode<'t, Postgres> + Type<Postgres>,
    {
        let added = match &mut self.args {
            Ok(Inner::Sqlite(a)) => a.add(value),
            Ok(Inner::Postgres(a)) => a.add(value),
            Err(_) => Ok(()),
        };
        if let Err(e) = added {
            self.args = Err(e);
        }
        self
    }

    /// Binds a small list (initials, qualifiers, years, aliases) as its words.
    pub(crate) fn words<T: Display>(mut self, items: &[T]) -> Self {
        let words: Vec<String> = items.iter().map(ToString::to_string).collect();
        let added = match &mut self.args {
            Ok(Inner::Sqlite(a)) => serde_json::to_string(&words)
                .map_err(BoxDynError::from)
                .and_then(|json| a.add(json)),
            Ok(Inner::Postgres(a)) => a.add(words),
            Err(_) => Ok(()),
        };
        if let Err(e) = added {
            self.args = Err(e);
        }
        self
    }

    fn on<'a>(self, db: &'a mut Db<'_>) -> Result<(Cow<'static, str>, Bound<'a>), sqlx::Error> {
        let args = self.args.map_err(sqlx::Error::Encode)?;
        let bound = match (&mut db.driver, args) {
            (Inner::Sqlite(c), Inner::Sqlite(a)) => Inner::Sqlite((&mut **c, a)),
            (Inner::Postgres(c), Inner::Postgres(a)) => Inner::Postgres((&mut **c, a)),
            _ => {
                return Err(sqlx::Error::Protocol(
                    "a statement was bound for one driver and run on the other".into(),
                ));
            }
        };
        Ok((self.text, bound))
    }

    /// Runs the statement; the number of rows it changed.
    pub(crate) async fn execute(self, db: &mut Db<'_>) -> Result<u64, sqlx::Error> {
        Ok(match self.on(db)? {
            (text, Inner::Sqlite((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .execute(c)
                .await?
                .rows_affected(),
            (text, Inner::Postgres((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    /// Every row the statement returns.
    pub(crate) async fn fetch_all(self, db: &mut Db<'_>) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match self.on(db)? {
            (text, Inner::Sqlite((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            (text, Inner::Postgres((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// The first row the statement returns, if any.
    pub(crate) async fn fetch_optional(self, db: &mut Db<'_>) -> Result<Option<Row>, sqlx::Error> {
        Ok(match self.on(db)? {
            (text, Inner::Sqlite((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .fetch_optional(c)
                .await?
                .map(Row::Sqlite),
            (text, Inner::Postgres((c, a))) => sqlx::query_with(AssertSqlSafe(text), a)
                .fetch_optional(c)
                .await?
                .map(Row::Postgres),
        })
    }

    /// The one row the statement must return.
    pub(crate) async fn fetch_one(self, db: &mut Db<'_>) -> Result<Row, sqlx::Error> {
        self.fetch_optional(db)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}

/// A row of either driver.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// A column as a type both drivers decode alike.
    pub(crate) fn try_get<'r, T>(&'r self, column: &str) -> Result<T, sqlx::Error>
    where
        T: Decode<'r, Sqlite> + Type<Sqlite> + Decode<'r, Postgres> + Type<Postgres>,
    {
        match self {
            Row::Sqlite(r) => r.try_get(column),
            Row::Postgres(r) => r.try_get(column),
        }
    }

    /// A small list of words, as [`Query::words`] wrote it.
    pub(crate) fn words(&self, column: &str) -> Result<Vec<String>, sqlx::Error> {
        match self {
            Row::Sqlite(r) => {
                let json: String = r.try_get(column)?;
                serde_json::from_str(&json).map_err(|e| sqlx::Error::ColumnDecode {
                    index: column.to_string(),
                    source: format!("stored value {json:?} is not a list of words: {e}").into(),
                })
            }
            Row::Postgres(r) => r.try_get(column),
        }
    }
}
