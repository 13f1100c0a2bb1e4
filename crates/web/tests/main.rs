//! beacon-web's integration tests as one test binary: each file beside this one is a module of it.
//! One binary links once and holds one copy of its dependencies, where a binary for each of the
//! 17 files took 17 (a clean CI build once ran out of disk). One file's tests:
//! `cargo test -p beacon-web --test web <file>::`.

mod access;
mod api;
mod browser;
mod budget_editing;
mod budget_pages;
mod calendar;
mod common;
mod delivery;
mod indicator_library;
mod lifecycle;
mod mfa;
mod pages;
mod plan_editing;
mod plan_versions;
mod same_words;
mod security;
mod users;
mod year_reports;
