//! `beacon demo`: load the bundled example council, say what was loaded, and serve it.

use crate::store::AnyStore;
use crate::{example, output};
use beacon_app::Store;

pub async fn run(store: &AnyStore, db: &str, addr: &str, no_serve: bool) -> Result<(), String> {
    let sources = example::halton();
    let report = beacon_interchange::load_sources(store, &sources, &crate::actor::cli_actor())
        .await
        .map_err(|e| e.to_string())?;
    println!("Database: {db}");
    print!("{}", output::load(&report));
    for council in store.councils().await.map_err(|e| e.to_string())? {
        let Some(data) = store
            .council_data(&council.reference)
            .await
            .map_err(|e| e.to_string())?
        else {
            continue;
        };
        println!("\n{} ({}):", council.name, council.reference);
        for p in &data.plans {
            let milestones = p
                .objectives
                .iter()
                .map(|o| o.milestones.len())
                .sum::<usize>();
            println!(
                "  plan {}: {} ({}): {} objectives, {} milestones, {} indicators",
                p.plan.reference,
                p.plan.title,
                p.plan.years,
                p.objectives.len(),
                milestones,
                p.indicators.len()
            );
        }
        for q in &data.quarters {
            println!(
                "  quarter {} {}: {} ({} values, {} commentary paragraphs)",
                q.header.unit,
                q.header.period,
                q.header.title,
                q.values.len(),
                q.commentary.len()
            );
        }
        for s in &data.statements {
            println!(
                "  budget statement {} {}: {} ({} lines)",
                s.reference,
                s.period,
                s.title,
                s.lines.len()
            );
        }
    }
    println!();
    print!(
        "{}",
        output::stats(&store.stats().await.map_err(|e| e.to_string())?)
    );
    if no_serve {
        return Ok(());
    }
    super::serve::run(store.clone(), addr).await
}
