//! beacon-reports-pdf's integration tests as one test binary: each file beside this one is a module of it.
//! One binary links once and holds one copy of its dependencies, where a binary for each of the
//! 4 files took 4 (a clean CI build once ran out of disk). One file's tests:
//! `cargo test -p beacon-reports-pdf --test reports_pdf <file>::`.

mod annual_pdf;
mod child;
mod pdf;
mod riverside_pdf;
