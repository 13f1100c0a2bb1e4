//! The storage port: what the use cases need of a database. `store-sqlite` implements it, and
//! `store-postgres` will; both must pass the contract suite in `test-support`.

use crate::dataset::CouncilData;
use crate::error::StoreError;
use crate::stats::Stats;
use beacon_domain::budget::Statement;
use beacon_domain::frame::Frame;
use beacon_domain::organisation::{Council, CouncilRef, Officer, Unit};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::status::overrides::Override;
use std::future::Future;

/// What one load changes for one council. Items are whole: a plan, quarter or statement given
/// here replaces the stored one with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilChanges {
    /// Inserted or updated.
    pub council: Council,
    pub units: Vec<Unit>,
    pub officers: Vec<Officer>,
    pub frames: Vec<Frame>,
    pub plans: Vec<PlanDocument>,
    pub quarters: Vec<QuarterRecord>,
    pub statements: Vec<Statement>,
    /// Upserted by plan, item and quarter.
    pub overrides: Vec<Override>,
}

impl CouncilChanges {
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
            && self.officers.is_empty()
            && self.frames.is_empty()
            && self.plans.is_empty()
            && self.quarters.is_empty()
            && self.statements.is_empty()
            && self.overrides.is_empty()
    }
}

/// Everything one use case writes, applied in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub councils: Vec<CouncilChanges>,
}

/// A Beacon database.
pub trait Store: Send + Sync {
    /// Every council, by ref.
    fn councils(&self) -> impl Future<Output = Result<Vec<Council>, StoreError>> + Send;
    /// One council's whole data, normalised; `None` if there is no such council.
    fn council_data(
        &self,
        council: &CouncilRef,
    ) -> impl Future<Output = Result<Option<CouncilData>, StoreError>> + Send;
    /// Applies all changes in one transaction: all of them, or none.
    fn apply(&self, changes: &ChangeSet) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Counts of what is stored.
    fn stats(&self) -> impl Future<Output = Result<Stats, StoreError>> + Send;
    /// A number that changes whenever the council's data changes, so a reader may keep what it
    /// read until then; `None` if the council does not exist or the backend cannot tell (then
    /// nothing is cached).
    fn revision(
        &self,
        _council: &CouncilRef,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send {
        async { Ok(None) }
    }
}
