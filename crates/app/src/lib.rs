//! Beacon's use cases and the storage ports they need. One unit of work per use case: each
//! either completes in one transaction or changes nothing.

pub mod access;
pub mod accounts;
pub mod administration;
pub mod audit;
pub mod benchmark;
pub mod budget;
pub mod calendar;
pub mod commit;
pub mod dataset;
pub mod error;
pub mod integrity;
pub mod keys;
pub mod library;
pub mod lifecycle;
pub mod load;
pub mod mfa;
pub mod migrate;
pub mod missing;
pub mod notices;
pub mod organisation;
pub mod plans;
pub mod ports;
pub mod priorities;
pub mod publication;
pub mod recording;
pub mod stats;
pub mod status;
pub mod steps;
pub mod throttle;
pub mod tokens;

pub use dataset::{CouncilData, Dataset};
pub use error::{AppError, StoreError};
pub use load::{LoadReport, load};
pub use ports::{ChangeSet, CouncilChanges, Governance, QuarterGuard, Store};
pub use stats::Stats;
