//! Plans as wholes: comparing two of them, and refreshing one for the next year.

pub mod diff;
pub mod edit;
pub mod refresh;
