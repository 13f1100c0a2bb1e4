//! Datasets: everything a council holds (organisation, frames, plans, quarters, statements),
//! the shape in which files are loaded, stores are read and databases are compared.

use beacon_domain::budget::Statement;
use beacon_domain::frame::Frame;
use beacon_domain::library::LibraryIndicator;
use beacon_domain::organisation::{Council, Officer, Unit};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::status::overrides::Override;
use serde::Serialize;

/// One council's whole data, each list in a stable order (by ref, or by unit and period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilData {
    pub council: Council,
    pub units: Vec<Unit>,
    pub officers: Vec<Officer>,
    pub frames: Vec<Frame>,
    /// The council's indicator library: definitions plans refer to.
    pub library: Vec<LibraryIndicator>,
    pub plans: Vec<PlanDocument>,
    pub quarters: Vec<QuarterRecord>,
    pub statements: Vec<Statement>,
    /// Statuses set by hand, with their reasons.
    pub overrides: Vec<Override>,
}

impl CouncilData {
    pub fn new(council: Council) -> Self {
        CouncilData {
            council,
            units: Vec::new(),
            officers: Vec::new(),
            frames: Vec::new(),
            library: Vec::new(),
            plans: Vec::new(),
            quarters: Vec::new(),
            statements: Vec::new(),
            overrides: Vec::new(),
        }
    }

    /// Puts every list in its stable order, so two datasets with the same content compare
    /// equal whatever order they were read in.
    pub fn normalise(&mut self) {
        self.units.sort_by(|a, b| a.reference.cmp(&b.reference));
        self.officers.sort_by(|a, b| a.reference.cmp(&b.reference));
        self.frames.sort_by(|a, b| a.reference.cmp(&b.reference));
        self.library.sort_by(|a, b| a.reference.cmp(&b.reference));
        self.plans
            .sort_by(|a, b| a.plan.reference.cmp(&b.plan.reference));
        self.quarters.sort_by(|a, b| {
            (&a.header.unit, a.header.period).cmp(&(&b.header.unit, b.header.period))
        });
        self.statements
            .sort_by(|a, b| (a.period, &a.reference).cmp(&(b.period, &b.reference)));
        self.overrides.sort_by_key(Override::key);
    }

    /// The council's organisation tree.
    pub fn tree(&self) -> beacon_domain::council::Tree<'_> {
        beacon_domain::council::Tree::new(&self.units)
    }

    /// The council's status settings (tolerance, risk matrix), for every page and report.
    pub fn settings(&self) -> beacon_domain::status::Settings {
        beacon_domain::council::settings(&self.council)
    }

    pub fn plan(&self, reference: &str) -> Option<&PlanDocument> {
        self.plans
            .iter()
            .find(|p| p.plan.reference.as_str() == reference)
    }
}

/// Several councils' data: what a set of files holds, or a whole database.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Dataset {
    pub councils: Vec<CouncilData>,
    /// Calendars the council files set (`[council.calendar]`), by council; kept apart from
    /// the council's data as the store keeps them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<(
        beacon_domain::organisation::CouncilRef,
        beacon_domain::calendar::CouncilCalendar,
    )>,
}
