//! The national benchmarking set (issue 19): a register of English councils, comparison groups
//! and every council's values per indicator and period, loaded from tidy or wide files, with
//! England's quartiles, each council's rank and quartile and each group's average computed once
//! at import, stored on SQLite or PostgreSQL, and read back without computing again.

pub mod catalog;
mod codec;
pub mod column;
mod copy;
pub mod db;
pub mod describe;
pub mod generate;
pub mod import;
mod insert;
pub mod load;
pub mod model;
pub mod position;
pub mod problem;
pub mod query;

pub use column::{QUARTILE_HEADING, QUARTILE_KEY, quartile_cells};
pub use db::NationalDb;
pub use describe::{Described, describe, figure};
pub use import::Progress;
pub use load::{LoadReport, contribute, contribute_known, load, load_groups};
pub use model::{CouncilType, Polarity};
pub use position::{Place, Summary, ordinal, quartile_label};
pub use problem::{NationalError, Problem};
pub use query::{CouncilPosition, GroupAverage, SliceSummary};
