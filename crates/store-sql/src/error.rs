//! Turning sqlx's errors into `StoreError`s that say what was being done, and to which table.

use beacon_app::StoreError;

/// Wraps a sqlx error with what was being done ("insert into objectives").
pub(crate) fn db(doing: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::Failed(format!("{doing}: {e}"))
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
