//! `beacon national`: load the national benchmarking set and read a council's position.

use crate::args::NationalCommand;
use crate::store::AnyStore;
use beacon_national::{NationalDb, Progress};
use beacon_store_sql::Pool;
use std::io::IsTerminal;
use std::path::Path;

/// The national set on the database `--db` names.
pub fn national_db(store: &AnyStore) -> NationalDb {
    match store.pool() {
        Pool::Sqlite(p) => NationalDb::Sqlite(p.clone()),
        Pool::Postgres(p) => NationalDb::Postgres(p.clone()),
    }
}

fn progress() -> Progress {
    if std::io::stderr().is_terminal() {
        Progress::Shown
    } else {
        Progress::Hidden
    }
}

pub async fn run(store: &AnyStore, command: NationalCommand) -> Result<(), String> {
    let db = national_db(store);
    match command {
        NationalCommand::Load { files } => {
            let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
            let began = std::time::Instant::now();
            let r = beacon_national::load(&db, &paths, progress())
                .await
                .map_err(|e| e.to_string())?;
            let secs = began.elapsed().as_secs_f64();
            println!(
                "Loaded {} values ({} suppressed or blank) from {} file{} in {secs:.1} s ({:.2} million values/s).",
                r.read.values,
                r.read.suppressed,
                r.read.files.len(),
                if r.read.files.len() == 1 { "" } else { "s" },
                r.read.values as f64 / secs.max(1e-9) / 1e6,
            );
            if r.read.registered > 0 {
                println!("Register: {} councils listed.", r.read.registered);
            }
            if r.read.indicators_defined > 0 {
                println!("Indicators: {} defined.", r.read.indicators_defined);
            }
            if r.read.groups > 0 {
                println!("Comparison groups: {} set.", r.read.groups);
            }
            println!(
                "Positions computed for {} indicator-periods. The set holds {} councils, {} indicators, {} periods.",
                r.slices, r.councils, r.indicators, r.periods
            );
            if !r.polarity_assumed.is_empty() {
                println!(
                    "No polarity stated for {}{}: higher is taken as better until an indicators \
                     file (indicator,name,polarity) says otherwise.",
                    r.polarity_assumed.join(", "),
                    if r.polarity_assumed.len() >= 20 {
                        " and more"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        NationalCommand::Groups { file } => {
            let n = beacon_national::load_groups(&db, &file, progress())
                .await
                .map_err(|e| e.to_string())?;
            println!("Loaded {n} comparison groups; group averages computed again.");
            Ok(())
        }
        NationalCommand::Position {
            council,
            period,
            json,
        } => position(&db, &council, &period, json).await,
        NationalCommand::Link {
            council,
            code,
            contribute,
        } => link(store, &db, &council, &code, contribute).await,
        NationalCommand::Generate {
            councils,
            indicators,
            periods,
            seed,
            out,
        } => {
            let f = std::fs::File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            let n =
                beacon_national::generate::write_tidy(&mut w, councils, indicators, periods, seed)
                    .and_then(|n| std::io::Write::flush(&mut w).map(|()| n))
                    .map_err(|e| format!("{}: {e}", out.display()))?;
            println!("Wrote {n} values to {}.", out.display());
            Ok(())
        }
    }
}

/// Links a Beacon council that exists to a code the register holds, and says what follows.
async fn link(
    store: &AnyStore,
    db: &NationalDb,
    council: &str,
    code: &str,
    contribute: bool,
) -> Result<(), String> {
    use beacon_app::Store;
    let cref: beacon_domain::organisation::CouncilRef = council
        .parse()
        .map_err(|e| format!("--council {council:?}: {e}"))?;
    if store
        .revision(&cref)
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err(format!("no council {council:?} in this database"));
    }
    let catalog = db.catalog().await.map_err(|e| e.to_string())?;
    if catalog.council(code).is_none() {
        return Err(format!(
            "{code:?} is not in the national register; load the register (code,name,region,type) \
             with `beacon national load` first"
        ));
    }
    db.link(council, code, contribute)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{council} is linked to {code} in the national set: its pages and reports show its \
         national position{}.",
        if contribute {
            "; each publication gives its published values to the set"
        } else {
            "; it does not give its values to the set (--contribute to do so)"
        }
    );
    Ok(())
}

async fn position(db: &NationalDb, council: &str, period: &str, json: bool) -> Result<(), String> {
    let all = db
        .council_positions(council, period)
        .await
        .map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    if all.is_empty() {
        return Err(format!(
            "the national set has nothing for period {period:?}"
        ));
    }
    println!(
        "{council} in {period}: position on {} indicators (1 is best; quartiles by linear interpolation, a value on a boundary takes the better quartile)",
        all.len()
    );
    println!(
        "{:<14} {:>12} {:<22} {:<16} {:>12} {:>12}  groups",
        "indicator", "value", "rank", "quartile", "median", "top boundary"
    );
    for p in &all {
        let d = beacon_national::describe(p);
        let groups: Vec<String> = d.groups.iter().map(|(n, v)| format!("{n} {v}")).collect();
        println!(
            "{:<14} {:>12} {:<22} {:<16} {:>12} {:>12}  {}",
            d.indicator,
            d.value,
            d.rank,
            d.quartile,
            d.median,
            d.top_boundary,
            groups.join("; ")
        );
    }
    Ok(())
}

static DEMO_SET: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../examples/national");

/// Loads the bundled synthetic national set and links the example council (Halton) to its
/// code, so its indicator pages show a position.
pub async fn load_demo(store: &AnyStore) -> Result<String, String> {
    let db = national_db(store);
    let dir = tempfile_dir()?;
    let mut paths = Vec::new();
    for name in ["register.csv", "indicators.csv", "values.csv", "groups.csv"] {
        let file = DEMO_SET
            .get_file(name)
            .ok_or_else(|| format!("the demo's national set has no {name}"))?;
        let path = dir.join(name);
        std::fs::write(&path, file.contents()).map_err(|e| format!("{}: {e}", path.display()))?;
        paths.push(path);
    }
    // One load, so one transaction: the groups file comes after the register it names.
    let files: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let r = beacon_national::load(&db, &files, Progress::Hidden)
        .await
        .map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    let r = r?;
    db.link("halton", "E06000006", false)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "National set (synthetic, examples/national): {} values for {} councils, {} indicators, {} periods; Halton is E06000006.",
        r.read.values, r.councils, r.indicators, r.periods
    ))
}

/// A fresh private directory under the system's temporary one. The CLI is an edge, so it may
/// read the clock: only to make the name unique.
#[allow(clippy::disallowed_methods)]
fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!(
        "beacon-national-demo-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
