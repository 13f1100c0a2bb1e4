//! `beacon export`: write stored data back as plan files.

use crate::args::Export;
use crate::store::AnyStore;
use beacon_app::Store;
use beacon_app::calendar::CalendarStore;
use beacon_domain::organisation::CouncilRef;
use beacon_interchange::export;

async fn council(
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
        } => {
            let data = council(store, c.as_deref()).await?;
            let plan = data.plan(&reference).ok_or_else(|| {
                format!("no plan {reference} in council {}", data.council.reference)
            })?;
            let name = format!("{}.toml", export::file_stem(&reference));
            (
                vec![(
                    name.into(),
                    export::to_text(&export::plan_file(&data, plan))?,
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
