//! Errors by layer: `StoreError` is what a storage backend reports; `AppError` is what a use
//! case reports to its caller (the CLI or the web edge), in words a user can act on.

/// A storage backend failed. The message is for logs and operators; it never reaches a page.
#[derive(Debug, thiserror::Error)]
#[error("database: {0}")]
pub struct StoreError(pub String);

/// A use case could not be done.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request or the data is invalid; the message says what was expected.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}
