//! `beacon copy --from DB --to DB`: moves a whole database between backends (a council that
//! started on a laptop's SQLite file moves to a PostgreSQL server, or back), in one transaction,
//! then checks that every council reads back from the target exactly as from the source.
//!
//! The target must hold no council: copying never merges into or overwrites existing data.

use crate::store::AnyStore;
use beacon_app::{ChangeSet, CouncilChanges, Store};

/// Copies every council of `from` into the empty database `to`.
pub async fn run(from: &str, to: &str) -> Result<(), String> {
    let (shown_from, shown_to) = (AnyStore::describe(from), AnyStore::describe(to));
    if from == to {
        return Err(format!(
            "--from and --to are the same database ({shown_from})"
        ));
    }
    if !beacon_store_postgres::is_postgres_url(from) {
        let path = from
            .strip_prefix("sqlite://")
            .or_else(|| from.strip_prefix("sqlite:"))
            .unwrap_or(from);
        if !std::path::Path::new(path).is_file() {
            return Err(format!("--from {from}: no such database file"));
        }
    }
    let source = AnyStore::open(from)
        .await
        .map_err(|e| format!("--from: {e}"))?;
    let target = AnyStore::open(to).await.map_err(|e| format!("--to: {e}"))?;

    let already = target.councils().await.map_err(|e| e.to_string())?;
    if !already.is_empty() {
        let refs: Vec<String> = already.iter().map(|c| c.reference.to_string()).collect();
        return Err(format!(
            "--to {shown_to} already holds {} ({}); copy into an empty database",
            if refs.len() == 1 {
                "a council"
            } else {
                "councils"
            },
            refs.join(", ")
        ));
    }

    let mut datasets = Vec::new();
    for council in source.councils().await.map_err(|e| e.to_string())? {
        let data = source
            .council_data(&council.reference)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("council {} vanished while copying", council.reference))?;
        datasets.push(data);
    }
    let by = crate::actor::cli_actor().because(format!("copied from {shown_from}"));
    let mut changes = ChangeSet::default();
    for d in &datasets {
        let all = CouncilChanges {
            council: d.council.clone(),
            units: d.units.clone(),
            officers: d.officers.clone(),
            frames: d.frames.clone(),
            plans: d.plans.clone(),
            quarters: d.quarters.clone(),
            statements: d.statements.clone(),
            overrides: d.overrides.clone(),
        };
        beacon_app::commit::stage(&mut changes, None, all, &by, None);
    }
    target
        .apply(&changes)
        .await
        .map_err(|e| format!("writing to {shown_to} failed, and nothing was written: {e}"))?;

    // Check: every council reads back as it was read, and every count matches.
    for want in &datasets {
        let got = target
            .council_data(&want.council.reference)
            .await
            .map_err(|e| e.to_string())?;
        if got.as_ref() != Some(want) {
            return Err(format!(
                "council {} does not read back from {shown_to} as it was in {shown_from}",
                want.council.reference
            ));
        }
    }
    let (before, after) = (
        source.stats().await.map_err(|e| e.to_string())?,
        target.stats().await.map_err(|e| e.to_string())?,
    );
    if before != after {
        return Err(format!(
            "the counts differ after copying: {shown_from} has {before:?}, {shown_to} has {after:?}"
        ));
    }
    println!(
        "Copied {} {} from {shown_from} to {shown_to}; every council reads back the same.",
        datasets.len(),
        if datasets.len() == 1 {
            "council"
        } else {
            "councils"
        }
    );
    print!("{}", crate::output::stats(&after));
    Ok(())
}
