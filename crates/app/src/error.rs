//! Errors by layer: `StoreError` is what a storage backend reports; `AppError` is what a use
//! case reports to its caller (the CLI or the web edge), in words a user can act on.

/// A storage backend failed, or refused a change whose premise no longer holds.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed. The message is for logs and operators; it never reaches a page.
    #[error("database: {0}")]
    Failed(String),
    /// The change was refused and nothing was written: a signed-off quarter, a record changed
    /// by someone else since it was read, a name already taken. The message is for the user.
    #[error("{0}")]
    Refused(String),
}

/// A use case could not be done.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request or the data is invalid; the message says what was expected.
    #[error("{0}")]
    Invalid(String),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Refused because of the state of what it would change; the message says why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(why) => AppError::Refused(why),
            failed => AppError::Store(failed),
        }
    }
}
