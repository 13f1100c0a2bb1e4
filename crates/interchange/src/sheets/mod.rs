//! Spreadsheets in and out: the quarter's collection workbook (written per unit, filled in
//! offline, loaded back with every mistake named and nothing half-loaded), bulk set-up of
//! indicator definitions, targets and values from XLSX or CSV, exports of any list to XLSX and
//! CSV with formula-like cells neutralised, and the open-data files of a quarter.
//! Hostile files are refused before they are unpacked (`limits`); formats are documented in
//! `docs/spreadsheet-formats.md`.

pub mod bulk;
pub mod collect;
pub mod grid;
pub mod layout;
pub mod limits;
pub mod neutralise;
pub mod open_data;
pub mod problem;
pub mod scope;
pub mod setup;
pub mod tables;
pub mod template;

pub use collect::{
    Expect, QuarterChanges, apply, change_set, council_named, import, import_book, import_file,
    read_book,
};
pub use grid::{Book, Sheet};
pub use limits::Limits;
pub use problem::{CellProblem, Loc, SheetError};
pub use template::{TemplateRequest, template, template_csv};
