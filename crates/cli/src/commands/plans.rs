//! `beacon diff plan` and `beacon refresh plan`: comparing two plans, and making next year's.

use super::export::council;
use crate::actor::cli_actor;
use crate::args::{Diff, PlanAt, Refresh};
use crate::store::AnyStore;
use beacon_app::accounts::acting_as;
use beacon_app::plans::diff::{diff as compare, to_text};
use beacon_app::plans::refresh::{RefreshRequest, refresh as refresh_plan};

pub async fn diff(store: &AnyStore, what: Diff) -> Result<(), String> {
    let Diff::Plan {
        from,
        to,
        council: c,
        json,
    } = what;
    let data = council(store, c.as_deref()).await?;
    let mut d = compare(
        &side(store, &data, &from).await?,
        &side(store, &data, &to).await?,
    );
    // Two versions of one plan are told apart by their numbers.
    if let Some(v) = from.version {
        d.from_title = format!("version {v}: {}", d.from_title);
    }
    if let Some(v) = to.version {
        d.to_title = format!("version {v}: {}", d.to_title);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&d).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", to_text(&d));
    }
    Ok(())
}

/// A plan as it stands, or the version asked for (`REF@2`).
async fn side(
    store: &AnyStore,
    data: &beacon_app::CouncilData,
    at: &PlanAt,
) -> Result<beacon_domain::plan::PlanDocument, String> {
    match at.version {
        Some(v) => beacon_app::plans::versions::version_of(store, data, &at.plan, v)
            .await
            .map_err(|e| e.to_string()),
        None => data
            .plan(at.plan.as_str())
            .cloned()
            .ok_or_else(|| format!("no plan {} in council {}", at.plan, data.council.reference)),
    }
}

pub async fn refresh(store: &AnyStore, what: Refresh) -> Result<(), String> {
    let Refresh::Plan {
        reference,
        new_ref,
        title,
        council: c,
        user,
    } = what;
    let data = council(store, c.as_deref()).await?;
    let who = acting_as(store, &user)
        .await
        .map_err(|e| format!("--as: {e}"))?;
    let by = beacon_app::audit::Actor {
        name: who.username.clone(),
        ..cli_actor()
    }
    .because(format!("refreshed {reference} for the next year"));
    let req = RefreshRequest {
        plan: reference,
        new_ref,
        title,
    };
    let checks = |a: &beacon_app::CouncilData, b: &beacon_app::CouncilData| {
        beacon_interchange::check::new_findings(a, b)
    };
    let r = refresh_plan(store, &who, &data, req, &by, &checks)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Plan {} refreshed as {} (draft, {}).",
        r.from, r.to, r.years
    );
    let list = |v: &[beacon_domain::Ref]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!("Milestones carried, not complete: {}.", list(&r.carried));
    println!("Milestones complete, left behind: {}.", list(&r.completed));
    println!(
        "Indicators with no target for {}: {}.",
        r.years.last(),
        list(&r.targets_to_set)
    );
    println!(
        "Review it with `beacon diff plan {} {}`, then approve it.",
        r.from, r.to
    );
    Ok(())
}
