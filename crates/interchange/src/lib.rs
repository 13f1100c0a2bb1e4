//! Plan files in and out: TOML files a performance officer can write by hand and review in
//! git (`docs/plan-format.md`), read into a checked dataset and written back the same way.

pub mod check;
pub mod export;
pub mod file_form;
pub mod loader;
pub mod parse;
pub mod problem;
pub mod sheets;
pub mod source;

pub use loader::{
    ParsedSources, load_dataset, load_sources, parse_sources, read_dataset, read_parsed,
};
pub use problem::{LoadError, Problem};
pub use source::{Source, read_paths};
