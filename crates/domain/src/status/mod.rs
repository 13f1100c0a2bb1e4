//! The status engine: the rules that turn data into the symbols a board reads (progress Green,
//! Amber or Red; direction of travel; risk bands; budget variance), each with its reason in
//! plain words. Pure functions; the rules are written out in `docs/status-rules.md`.

pub mod budget;
pub mod indicator;
pub mod milestone;
pub mod overrides;
pub mod review;
pub mod risk;

use crate::measure::Qualifier;
use rust_decimal::Decimal;
use serde::Serialize;

crate::word_enum! {
    /// Progress against the seeds' symbol key.
    Progress {
        /// On course to be achieved.
        Green = "green",
        /// Uncertain or too early to say.
        Amber = "amber",
        /// Will not be achieved without intervention.
        Red = "red",
        /// Not assessed: no numeric target, no value, or nothing to judge by.
        NotAssessed = "not-assessed",
    }
}

impl Progress {
    /// The word a report prints beside the symbol.
    pub fn label(self) -> &'static str {
        match self {
            Progress::Green => "Green",
            Progress::Amber => "Amber",
            Progress::Red => "Red",
            Progress::NotAssessed => "Not assessed",
        }
    }
    /// How good the status is, for ordering: Red 0, Amber 1, Green 2; not assessed has none.
    pub fn rank(self) -> Option<u8> {
        match self {
            Progress::Red => Some(0),
            Progress::Amber => Some(1),
            Progress::Green => Some(2),
            Progress::NotAssessed => None,
        }
    }
}

crate::word_enum! {
    /// Direction of travel against the same period last year.
    Travel {
        Better = "better",
        Same = "same",
        Worse = "worse",
        /// N/A: nothing comparable.
        NotComparable = "n/a",
    }
}

impl Travel {
    pub fn label(self) -> &'static str {
        match self {
            Travel::Better => "Better",
            Travel::Same => "The same",
            Travel::Worse => "Worse",
            Travel::NotComparable => "N/A",
        }
    }
    /// The opposite judgement (last year against this year).
    pub fn reversed(self) -> Travel {
        match self {
            Travel::Better => Travel::Worse,
            Travel::Worse => Travel::Better,
            t => t,
        }
    }
}

/// A status with the reason for it, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessed<T> {
    pub status: T,
    pub reason: String,
}

impl<T> Assessed<T> {
    pub fn new(status: T, reason: impl Into<String>) -> Self {
        Assessed {
            status,
            reason: reason.into(),
        }
    }
}

/// The settings a council can change. Every default is the one `docs/status-rules.md` states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settings {
    /// How far short of target (percent of the target) is still Amber rather than Red.
    pub tolerance_percent: Decimal,
    /// How close two values must be (percent of the larger) to count as "the same".
    pub same_percent: Decimal,
    /// Qualifiers that make a value unusable for judging progress.
    pub unusable: Vec<Qualifier>,
    /// The risk matrix.
    pub matrix: risk::Matrix,
    /// How revenue statements' outturn is projected where a statement does not say.
    pub projection: crate::budget::OutturnProjection,
    /// Where the quarterly report lists its exceptions.
    pub exceptions: crate::organisation::ExceptionsPlacement,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tolerance_percent: Decimal::new(5, 0),
            same_percent: Decimal::new(1, 0),
            unusable: Vec::new(),
            matrix: risk::Matrix::default(),
            projection: crate::budget::OutturnProjection::StraightLine,
            exceptions: crate::organisation::ExceptionsPlacement::default(),
        }
    }
}

/// A number as reasons print it: no trailing zeros, thousands commas kept out.
pub(crate) fn show(d: Decimal) -> String {
    d.normalize().to_string()
}
