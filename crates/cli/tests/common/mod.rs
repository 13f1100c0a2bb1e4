//! What the command-line tests share: running the built `beacon` on a database and reading
//! what it said.

#![allow(dead_code, clippy::expect_used)]

use std::ffi::OsStr;
use std::process::{Command, Output};

/// Runs `beacon --db DB ARGS…` with no database named by the environment.
pub fn beacon(db: impl AsRef<OsStr>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .output()
        .expect("beacon runs")
}

/// Everything a command printed, standard output then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
