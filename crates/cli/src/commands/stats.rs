//! `beacon stats`: counts of what the database holds.

use crate::output;
use crate::store::AnyStore;
use beacon_app::Store;

pub async fn run(store: &AnyStore, json: bool) -> Result<(), String> {
    let stats = store.stats().await.map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", output::stats(&stats));
    }
    Ok(())
}
