//! `beacon setup FILE…`: bulk set-up of indicator definitions, targets and values from XLSX or
//! CSV files, all or nothing, with a progress bar on a terminal for long files.

use crate::store::AnyStore;
use beacon_app::Store;
use beacon_domain::organisation::CouncilRef;
use beacon_interchange::sheets::{Limits, bulk, problem::report, read_book};
use std::io::IsTerminal;
use std::path::PathBuf;

pub async fn run(
    store: &AnyStore,
    files: &[PathBuf],
    council: &str,
    dry_run: bool,
) -> Result<(), String> {
    let council: CouncilRef = council.parse().map_err(|e| format!("--council: {e}"))?;
    let data = store
        .council_data(&council)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no council {council} in the database"))?;
    let limits = Limits::default();
    let mut books = Vec::new();
    for f in files {
        let bytes = super::collect::read_limited(f, &limits)?;
        let name = f
            .file_name()
            .map_or("file".into(), |n| n.to_string_lossy().into_owned());
        books.push(read_book(&bytes, &name, &limits).map_err(|e| format!("{}: {e}", f.display()))?);
    }
    // A bar only on a terminal, and only for files long enough to wait for.
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::hidden();
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let mut shown = false;
    let mut progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            if !shown && total >= 2_000 {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown = true;
            }
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let result = bulk::set_up(
        store,
        &books,
        &data,
        &crate::actor::cli_actor(),
        dry_run,
        &mut progress,
    )
    .await;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let done = match result {
        Ok(done) => done,
        Err(bulk::SetupRefusal::Problems(ps)) => return Err(report(&ps)),
        Err(bulk::SetupRefusal::Failed(e)) => return Err(e.to_string()),
    };
    let summary = done.changes.summary();
    match done.loaded {
        None => println!("The files are valid: {summary}; nothing was loaded (--dry-run)."),
        Some(r) => {
            print!("{}", crate::output::load(&r));
            println!("{summary}.");
        }
    }
    Ok(())
}
