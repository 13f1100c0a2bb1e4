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
use std::collections::HashMap;
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
            prefetch: None,
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
            prefetch: None,
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
    /// Reads gathered to send at once, or their answers (see `read::council_data`).
    pub(crate) prefetch: Option<Prefetch>,
}

/// The reads of a council, gathered and sent as one script.
pub(crate) enum Prefetch {
    /// Each statement a read would run, in order, with the one id it takes.
    Gather(Vec<(&'static str, i64)>),
    /// The rows each of those statements gave, taken by the read that asks for them.
    Answered(HashMap<(&'static str, i64), Vec<Row>>),
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

impl Db<'_> {
    /// Runs statements that each take one id, `$1`, as one script: one round trip to
    /// PostgreSQL (one hand-over to SQLite's connection thread) for them all, not one each.
    /// The ids are integers written into the text, so nothing a person typed is; each
    /// statement's rows, in order.
    pub(crate) async fn fetch_script(
        &mut self,
        statements: &[(&'static str, i64)],
    ) -> Result<Vec<Vec<Row>>, sqlx::Error> {
        use futures_util::TryStreamExt as _;
        use sqlx::Either;
        let mut script = String::new();
        for (sql, id) in statements {
            script.push_str(&sql.replace("$1", &id.to_string()));
            script.push_str(";\n");
        }
        let mut sets: Vec<Vec<Row>> = vec![Vec::new()];
        macro_rules! take {
            ($c:expr, $row:path) => {{
                let mut stream = sqlx::raw_sql(AssertSqlSafe(script)).fetch_many(&mut **$c);
                while let Some(item) = stream.try_next().await? {
                    match item {
                        Either::Left(_) => sets.push(Vec::new()),
                        Either::Right(row) => {
                            if let Some(set) = sets.last_mut() {
                                set.push($row(row));
                            }
                        }
                    }
                }
            }};
        }
        match &mut self.driver {
            Inner::Sqlite(c) => take!(c, Row::Sqlite),
            Inner::Postgres(c) => take!(c, Row::Postgres),
        }
        sets.truncate(statements.len());
        if sets.len() != statements.len() {
            return Err(sqlx::Error::Protocol(format!(
                "a script of {} statements gave {} results",
                statements.len(),
                sets.len()
            )));
        }
        Ok(sets)
    }

    /// Runs a script of statements without parameters, one after another.
    pub(crate) async fn script(&mut self, text: &'static str) -> Result<(), sqlx::Error> {
        match &mut self.driver {
            Inner::Sqlite(c) => sqlx::raw_sql(text).execute(&mut **c).await.map(|_| ()),
            Inner::Postgres(c) => sqlx::raw_sql(text).execute(&mut **c).await.map(|_| ()),
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

/// The most parameters one multi-row `INSERT` binds: well inside SQLite's limit (32,766) and
/// PostgreSQL's (65,535), and a statement small enough to plan at once.
const INSERT_PARAMETERS: usize = 4_000;

/// Rows for one table, sent as multi-row `INSERT … VALUES (…), (…)` statements of up to
/// [`INSERT_PARAMETERS`] values each, not one statement a row: each statement is a hand-off to
/// SQLite's worker thread or a round trip to PostgreSQL, and a plan's hundreds of targets and
/// values were most of loading one (docs/performance.md). Rows go out when the statement is full
/// and at [`Inserts::finish`], which the writer calls before anything reads or deletes them.
pub(crate) struct Inserts {
    /// `INSERT INTO table (column, …)`.
    head: &'static str,
    /// Values in each row.
    width: usize,
    /// What is being done, for an error ("insert into milestones").
    doing: &'static str,
    /// The rows bound so far, and how many.
    pending: Option<(Query, usize)>,
    /// What to do with a row whose key is taken (`ON CONFLICT …`), if anything.
    on_conflict: &'static str,
    /// The columns each inserted row gives back (`id, position`), if any.
    returning: Option<&'static str>,
    /// The rows given back so far.
    returned: Vec<Row>,
}

impl Inserts {
    /// Rows of `width` values for `head` (`INSERT INTO table (column, …)`).
    pub(crate) fn new(head: &'static str, width: usize, doing: &'static str) -> Self {
        Inserts {
            head,
            width,
            doing,
            pending: None,
            on_conflict: "",
            returning: None,
            returned: Vec::new(),
        }
    }

    /// The same, a row whose key is taken handled by `clause` (`ON CONFLICT … DO UPDATE …`).
    /// PostgreSQL refuses a statement that would update one row twice, so the caller gives each
    /// key once.
    pub(crate) fn on_conflict(mut self, clause: &'static str) -> Self {
        self.on_conflict = clause;
        self
    }

    /// The same, each inserted row giving back `columns` (`id, position`) to
    /// [`Inserts::finish_returning`], in no particular order.
    pub(crate) fn returning(mut self, columns: &'static str) -> Self {
        self.returning = Some(columns);
        self
    }

    /// Adds one row, its `width` values bound by `bind` in column order; sends the rows when
    /// the statement is full.
    pub(crate) async fn add(
        &mut self,
        conn: &mut Db<'_>,
        bind: impl FnOnce(Query) -> Query,
    ) -> Result<(), beacon_app::StoreError> {
        let (query, rows) = match self.pending.take() {
            Some(p) => p,
            None => (conn.sql(""), 0),
        };
        let query = bind(query);
        if let Ok(args) = &query.args {
            let bound = match args {
                Inner::Sqlite(a) => a.len(),
                Inner::Postgres(a) => a.len(),
            };
            if bound != (rows + 1) * self.width {
                return Err(beacon_app::StoreError::Failed(format!(
                    "{}: a row bound {} values, not {}",
                    self.doing,
                    bound - rows * self.width,
                    self.width
                )));
            }
        }
        self.pending = Some((query, rows + 1));
        if (rows + 2) * self.width > INSERT_PARAMETERS {
            self.send(conn).await?;
        }
        Ok(())
    }

    /// Sends the rows not yet sent.
    pub(crate) async fn finish(mut self, conn: &mut Db<'_>) -> Result<(), beacon_app::StoreError> {
        self.send(conn).await
    }

    /// Sends the rows not yet sent; every row the statements gave back.
    pub(crate) async fn finish_returning(
        mut self,
        conn: &mut Db<'_>,
    ) -> Result<Vec<Row>, beacon_app::StoreError> {
        self.send(conn).await?;
        Ok(self.returned)
    }

    async fn send(&mut self, conn: &mut Db<'_>) -> Result<(), beacon_app::StoreError> {
        let Some((mut query, rows)) = self.pending.take() else {
            return Ok(());
        };
        // SQLite looks each `$N` up in a list of the names seen so far, which grows with the
        // statement: thousands of them cost tens of milliseconds to prepare. Plain `?`s, bound
        // in order, need no lookup; PostgreSQL numbers its parameters only.
        let numbered = matches!(query.args, Ok(Inner::Postgres(_)));
        let mut text = values_sql(self.head, self.width, rows, numbered);
        if !self.on_conflict.is_empty() {
            text.push(' ');
            text.push_str(self.on_conflict);
        }
        if let Some(columns) = self.returning {
            text.push_str(" RETURNING ");
            text.push_str(columns);
            query.text = text.into();
            let back = query
                .fetch_all(conn)
                .await
                .map_err(crate::error::db(self.doing))?;
            self.returned.extend(back);
        } else {
            query.text = text.into();
            query
                .execute(conn)
                .await
                .map_err(crate::error::db(self.doing))?;
        }
        Ok(())
    }
}

/// `head VALUES ($1, $2), ($3, $4)` for `rows` rows of `width` values; `(?, ?), (?, ?)` unless
/// `numbered`.
fn values_sql(head: &str, width: usize, rows: usize, numbered: bool) -> String {
    use std::fmt::Write as _;
    let mut sql = String::with_capacity(head.len() + 8 + rows * width * 7);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                // Writing to a String cannot fail.
                let _ = write!(sql, "${}", r * width + c + 1);
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::values_sql;

    #[test]
    fn numbers_each_rows_values_on_from_the_last() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2, true),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2, false),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a)", 1, 1, true),
            "INSERT INTO t (a) VALUES ($1)"
        );
    }
}
