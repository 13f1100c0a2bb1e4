//! `beacon export`: write stored data back as plan files.

use crate::args::Export;
use crate::store::AnyStore;
use beacon_app::Store;
use beacon_app::calendar::CalendarStore;
use beacon_domain::organisation::CouncilRef;
use beacon_interchange::export;

pub(super) async fn council(
    store: &AnyStore,
    reference: Option<&str>,
) -> Result<beacon_app::CouncilData, String> {
    let cref: CouncilRef = match reference {
        Some(r) => r.parse().map_err(|e| format!("--council: {e}"))?,
        None => {
            let all = store.councils().await.map_err(|e| e.to_string())?;
            match all.as_slice() {
                [one] => one.reference.clone(),
                [] => return Err("the database holds no council".into()),
                _ => {
                    let names: Vec<String> = all.iter().map(|c| c.reference.to_string()).collect();
                    return Err(format!(
                        "the database holds several councils ({}); name one with --council",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    store
        .council_data(&cref)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no council {cref} in the database"))
}

pub async fn run(store: &AnyStore, what: Export) -> Result<(), String> {
    let (files, out) = match what {
        Export::Plan {
            reference,
            council: c,
            out,
            targets,
        } => {
            let data = council(store, c.as_deref()).await?;
            let plan = data.plan(&reference).ok_or_else(|| {
                format!("no plan {reference} in council {}", data.council.reference)
            })?;
            let mut plan = plan.clone();
            if let Some(path) = targets {
                let agreed = agreed_targets(&path)?;
                for line in beacon_domain::status::review::apply_agreed(&mut plan, &agreed) {
                    eprintln!("{line}");
                }
            }
            let name = format!("{}.toml", export::file_stem(&reference));
            (
                vec![(
                    name.into(),
                    export::to_text(&export::plan_file(&data, &plan))?,
                )],
                out,
            )
        }
        Export::Council { reference, out } => {
            let data = council(store, Some(&reference)).await?;
            let calendar = store
                .calendar(&data.council.reference)
                .await
                .map_err(|e| e.to_string())?;
            (export::council_files(&data, calendar.as_ref())?, out)
        }
        other => return super::collect::export(store, other).await,
    };
    for p in export::write_files(&out, &files)? {
        println!("wrote {}", p.display());
    }
    Ok(())
}

/// The agreed targets of a CSV file with the columns Indicator, Year and Target (others, such
/// as Plan, are ignored), each line checked: an error names the file, the line and the column.
fn agreed_targets(
    path: &std::path::Path,
) -> Result<Vec<beacon_domain::status::review::Agreed>, String> {
    let name = path.display();
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let header = r.headers().map_err(|e| format!("{name}: {e}"))?.clone();
    let col = |c: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(c))
            .ok_or_else(|| format!("{name}: no column {c} (expected Indicator, Year and Target)"))
    };
    let (i, y, t) = (col("Indicator")?, col("Year")?, col("Target")?);
    let mut out = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| format!("{name}, line {line}: {e}"))?;
        let cell = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let year = cell(y)
            .parse()
            .map_err(|e| format!("{name}, line {line}, column Year: {e}"))?;
        let target = beacon_domain::measure::Measure::parse(&cell(t))
            .map_err(|e| format!("{name}, line {line}, column Target: {e}"))?;
        out.push(beacon_domain::status::review::Agreed {
            indicator: cell(i),
            year,
            target,
        });
    }
    Ok(out)
}
