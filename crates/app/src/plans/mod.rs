//! Plans as wholes: comparing two of them (or two versions of one), and refreshing one for the
//! next year.

pub mod diff;
pub mod edit;
pub mod refresh;
pub mod versions;
