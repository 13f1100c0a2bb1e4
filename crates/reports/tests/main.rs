//! beacon-reports' integration tests as one test binary: each file beside this one is a module of it.
//! One binary links once and holds one copy of its dependencies, where a binary for each of the
//! 7 files took 7 (a clean CI build once ran out of disk). One file's tests:
//! `cargo test -p beacon-reports --test reports <file>::`.

mod annual_reports;
mod budget_book;
mod formula_injection;
mod monitoring_report;
mod national_column;
mod plan_document;
mod riverside_plan;
