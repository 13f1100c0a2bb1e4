//! `beacon missing`: what is missing from a quarter, unit by unit, with who is responsible,
//! through the same use case as the performance officer's page (`beacon_app::missing`).

use crate::store::AnyStore;
use beacon_app::calendar::calendar_of;
use beacon_app::missing::{MissingReport, missing};
use beacon_domain::calendar::QuarterDates;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;

pub async fn run(
    store: &AnyStore,
    council: &CouncilRef,
    quarter: Quarter,
    json: bool,
) -> Result<(), String> {
    let report = missing(store, council, quarter)
        .await
        .map_err(|e| e.to_string())?;
    let dates = calendar_of(store, council)
        .await
        .map_err(|e| e.to_string())?
        .calendar
        .dates(quarter);
    if json {
        let out = serde_json::json!({ "report": report, "dates": dates });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", text(&report, &dates));
    }
    Ok(())
}

/// The report as text: a line per unit, then its missing items with who is responsible.
pub fn text(r: &MissingReport, dates: &QuarterDates) -> String {
    let mut out = format!(
        "{} {}: collection closes {}, sign-off by {}. {} item{} missing.\n",
        r.council,
        r.quarter,
        dates.closes.format("%-d %B %Y"),
        dates.sign_off.format("%-d %B %Y"),
        r.total_missing(),
        if r.total_missing() == 1 { "" } else { "s" }
    );
    for u in &r.units {
        out.push_str(&format!(
            "\n{} {}: {} of {} entered, {} commentary missing; {}\n",
            u.unit,
            u.name,
            u.entered,
            u.expected,
            u.commentary_missing,
            u.state.label().to_lowercase()
        ));
        for m in &u.missing {
            out.push_str(&format!(
                "  {} {}: {} ({})\n",
                m.kind,
                m.codes,
                m.gap.describe(),
                m.responsible.describe()
            ));
        }
    }
    out
}
