//! `beacon load PATH…`: load plan files, all or nothing.

use crate::output;
use crate::store::AnyStore;
use std::path::PathBuf;

pub async fn run(store: &AnyStore, paths: &[PathBuf]) -> Result<(), String> {
    let sources = beacon_interchange::read_paths(paths).map_err(|e| e.to_string())?;
    let report = beacon_interchange::load_sources(store, &sources, &crate::actor::cli_actor())
        .await
        .map_err(|e| e.to_string())?;
    print!("{}", output::load(&report));
    Ok(())
}
