//! `beacon submit | sign-off | send-back | reopen | publish`: a unit's quarter through its life
//! from the command line, as the user named with `--as`, through the same use case as the
//! sign-off page (`beacon_app::steps`), so a quarter can be run headless and scripted.

use crate::args::StepArgs;
use crate::store::AnyStore;
use beacon_app::Store;
use beacon_app::accounts::acting_as;
use beacon_app::audit::Actor;
use beacon_app::lifecycle::Step;
use beacon_app::steps::{StepRequest, take_step};
use beacon_web::formats::ReportFormats;
use beacon_web::paths::PageLinks;

/// Takes the step as `--as`, with the reason or note given, and says what it did.
pub async fn run(
    store: &AnyStore,
    args: &StepArgs,
    step: Step,
    reason: Option<String>,
) -> Result<(), String> {
    let who = acting_as(store, &args.user)
        .await
        .map_err(|e| format!("--as: {e}"))?;
    let data = store
        .council_data(&args.council)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("--council: there is no council {}", args.council))?;
    // The edge reads the clock; the domain is given the time.
    #[allow(clippy::disallowed_methods)]
    let mut by = Actor::new(who.username.clone(), chrono::Utc::now());
    if let Some(r) = reason {
        by = by.because(r);
    }
    let request = StepRequest {
        unit: args.unit.clone(),
        quarter: args.quarter(),
        step,
        seen_version: None,
    };
    let links = PageLinks::new(std::env::var("BEACON_PUBLIC_ORIGIN").ok().as_deref());
    let db = super::national::national_db(store);
    let formats = ReportFormats::for_step(step, Some(&db), &data).await;
    let taken = take_step(store, &formats, &links, &who, &data, &request, &by)
        .await
        .map_err(|e| e.to_string())?;
    let s = &taken.status;
    println!(
        "{} {} {}: {} by {} (version {}).",
        data.council.reference,
        s.unit,
        s.quarter,
        s.state.label().to_lowercase(),
        s.changed_by,
        s.version
    );
    if let Some(p) = &taken.publication {
        println!(
            "Published version {} (SHA-256 {}): {}.",
            p.version,
            p.content_hash,
            p.files.join(", ")
        );
    }
    Ok(())
}
