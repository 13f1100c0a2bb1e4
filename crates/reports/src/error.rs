//! What can stop a report being built or written, in words a person can act on.

/// A report could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The council holds nothing that answers the request.
    #[error("{0}")]
    NotFound(String),
    /// A renderer failed (a library error, carried as words).
    #[error("cannot write the {format}: {message}")]
    Render {
        format: &'static str,
        message: String,
    },
}

impl ReportError {
    /// A renderer's failure.
    pub fn render(format: &'static str, e: impl std::fmt::Display) -> ReportError {
        ReportError::Render {
            format,
            message: e.to_string(),
        }
    }
}
