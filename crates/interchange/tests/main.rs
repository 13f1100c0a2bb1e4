//! beacon-interchange's integration tests as one test binary: each file beside this one is a module of it.
//! One binary links once and holds one copy of its dependencies, where a binary for each of the
//! 11 files took 11 (a clean CI build once ran out of disk). One file's tests:
//! `cargo test -p beacon-interchange --test interchange <file>::`.

mod bad_files;
mod budget_files;
mod example_council;
mod fuzz_corpus;
mod hostile_input;
mod indicator_library;
mod plan_dates;
mod riverside;
mod sheets_collect;
mod sheets_export;
mod sheets_setup;
