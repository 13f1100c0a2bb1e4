//! Turning sqlx's errors into `StoreError`s that say what was being done, and to which table.

use beacon_app::StoreError;

/// Wraps a sqlx error with what was being done ("insert into objectives").
pub(crate) fn db(doing: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::Failed(format!("{doing}: {}", message(&e)))
}

/// A sqlx error as an operator reads it: PostgreSQL's own message, with its detail and hint,
/// without the position in the server's C source ("at line 334") that sqlx appends; any other
/// error as sqlx says it.
pub fn message(e: &sqlx::Error) -> String {
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

/// A value that could not be written: `table.column` and why.
pub(crate) fn unwritable(table: &str, column: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Failed(format!("{table}.{column}: cannot store the value: {why}"))
}

/// A stored value that does not read back as the domain value it should be.
pub(crate) fn unreadable(
    table: &str,
    column: &str,
    value: &str,
    why: impl std::fmt::Display,
) -> StoreError {
    StoreError::Failed(format!(
        "{table}.{column}: stored value {value:?} does not read back: {why}"
    ))
}
