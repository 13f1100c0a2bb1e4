//! The bulk set-up use case, as `beacon setup` and the JSON API's `POST …/setup` both run it:
//! the tables are checked whole against the council (`setup::read_setup`), and only when no
//! row has a problem are the plans they change loaded in one transaction (`beacon_app::load`),
//! each change audited as made by the caller. A dry run checks and says what would change.

use crate::sheets::grid::Book;
use crate::sheets::problem::CellProblem;
use crate::sheets::setup::{SetupChanges, read_setup};
use beacon_app::audit::Actor;
use beacon_app::{AppError, CouncilData, LoadReport, Store};

/// Why a set-up loaded nothing.
#[derive(Debug)]
pub enum SetupRefusal {
    /// The rows' problems, every one, each with its sheet (or table), row and column.
    Problems(Vec<CellProblem>),
    /// The store failed or refused the write.
    Failed(AppError),
}

/// What a set-up did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    pub changes: SetupChanges,
    /// What was written; `None` for a dry run.
    pub loaded: Option<LoadReport>,
}

impl SetupChanges {
    /// "3 indicators added, 1 updated, 4 targets and 0 values given, in 1 plan".
    pub fn summary(&self) -> String {
        format!(
            "{} indicators added, {} updated, {} targets and {} values given, in {} plan{}",
            self.indicators_added,
            self.indicators_updated,
            self.targets,
            self.values,
            self.plans.len(),
            if self.plans.len() == 1 { "" } else { "s" }
        )
    }
}

/// Checks the books against the council and, unless `dry_run`, loads what they change.
pub async fn set_up<S: Store>(
    store: &S,
    books: &[Book],
    data: &CouncilData,
    by: &Actor,
    dry_run: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<SetUp, SetupRefusal> {
    let changes = read_setup(books, data, progress).map_err(SetupRefusal::Problems)?;
    let loaded = if dry_run {
        None
    } else {
        Some(
            beacon_app::load(store, &changes.dataset(data), by)
                .await
                .map_err(SetupRefusal::Failed)?,
        )
    };
    Ok(SetUp { changes, loaded })
}
