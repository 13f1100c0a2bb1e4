//! `beacon status` lists a quarter's statuses with their reasons; `beacon set-status` sets one
//! by hand, with a reason.

use crate::args::QuarterArgs;
use crate::store::AnyStore;
use beacon_app::status::{OverrideRequest, StatusQuery, StatusReport, quarter_status, set_status};
use beacon_domain::status::overrides::ItemKind;

fn parse_ref(flag: &str, s: &str) -> Result<beacon_domain::Ref, String> {
    s.parse().map_err(|e| format!("{flag}: {e}"))
}

pub async fn list(
    store: &AnyStore,
    q: &QuarterArgs,
    plan: Option<&str>,
    unit: Option<&str>,
    json: bool,
) -> Result<(), String> {
    let (council, quarter) = (q.council.clone(), q.quarter());
    let query = StatusQuery {
        quarter,
        plan: plan.map(|p| parse_ref("--plan", p)).transpose()?,
        unit: unit.map(|u| parse_ref("--unit", u)).transpose()?,
    };
    let report = quarter_status(store, &council, &query)
        .await
        .map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", text(&report));
    }
    Ok(())
}

fn hand(s: &Option<beacon_app::status::SetByHand>, computed: &str) -> String {
    match s {
        Some(h) => format!(
            "\n      set by hand by {} at {}: {} (the rules gave {computed})",
            h.by,
            beacon_domain::status::overrides::time_text(h.at),
            h.reason
        ),
        None => String::new(),
    }
}

/// The listing as text: one block per item, the status as a word, the reason beneath.
pub fn text(r: &StatusReport) -> String {
    let mut out = format!("{} {}: statuses\n", r.council, r.quarter);
    out.push_str(&format!("\nIndicators ({})\n", r.indicators.len()));
    for i in &r.indicators {
        let marker = if i.set_by_hand.is_some() {
            " (set by hand)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {} {} [{}]: {}{}; direction of travel {}\n      why: {}\n      travel: {}{}\n",
            i.plan,
            i.codes,
            i.description,
            i.status.label(),
            marker,
            i.travel.status.label(),
            i.computed.reason,
            i.travel.reason,
            hand(&i.set_by_hand, i.computed.status.label())
        ));
    }
    out.push_str(&format!("\nMilestones ({})\n", r.milestones.len()));
    for m in &r.milestones {
        let marker = if m.set_by_hand.is_some() {
            " (set by hand)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {} {} [{}]: {}{}\n      why: {}{}\n",
            m.plan,
            m.reference,
            m.text,
            m.status.label(),
            marker,
            m.computed.reason,
            hand(&m.set_by_hand, m.computed.status.label())
        ));
    }
    out.push_str(&format!("\nRisks ({})\n", r.risks.len()));
    for k in &r.risks {
        let band = |a: &Option<beacon_domain::status::Assessed<beacon_domain::risk::Band>>| {
            a.as_ref().map_or("not assessed".to_string(), |a| {
                format!("{} ({})", a.status, a.reason)
            })
        };
        out.push_str(&format!(
            "  {} {}: initial {}; residual {}{}\n",
            k.plan,
            k.reference,
            band(&k.initial),
            band(&k.residual),
            if k.residual_above_initial {
                "; RESIDUAL ABOVE INITIAL"
            } else {
                ""
            }
        ));
    }
    out.push_str(&format!("\nBudget statements ({})\n", r.statements.len()));
    for s in &r.statements {
        let unit = s.scale.label();
        let variance = s.variance.map_or("n/a".to_string(), |v| {
            format!("{} ({unit})", v.display(s.scale, true))
        });
        out.push_str(&format!(
            "  {} [{}, {}]: variance to date {variance}; {}\n",
            s.reference, s.title, s.kind, s.reconciliation.reason
        ));
        if let Some(p) = &s.projected {
            out.push_str(&format!(
                "      {} {} ({unit}): {}\n",
                s.projection.label().to_lowercase(),
                p.status.display(s.scale, true),
                p.reason
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub async fn set(
    store: &AnyStore,
    q: &QuarterArgs,
    plan: &str,
    indicator: Option<String>,
    milestone: Option<String>,
    status: &str,
    reason: &str,
    by: &str,
) -> Result<(), String> {
    let (council, quarter) = (q.council.clone(), q.quarter());
    let (kind, item) = match (indicator, milestone) {
        (Some(i), None) => (ItemKind::Indicator, parse_ref("--indicator", &i)?),
        (None, Some(m)) => (ItemKind::Milestone, parse_ref("--milestone", &m)?),
        _ => return Err("give --indicator or --milestone".into()),
    };
    // The edge reads the clock; the domain is given the time.
    #[allow(clippy::disallowed_methods)]
    let at = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
    let o = set_status(
        store,
        &council,
        OverrideRequest {
            plan: parse_ref("--plan", plan)?,
            kind,
            item,
            quarter,
            chosen: status.parse().map_err(|e| format!("--status: {e}"))?,
            reason: reason.to_string(),
            by: by.to_string(),
            at,
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "{} {} in {} for {}: set by hand to {} (the rules gave {}), by {}: {}",
        o.kind,
        o.item,
        o.plan,
        o.quarter,
        o.chosen.label(),
        o.computed.label(),
        o.by,
        o.reason
    );
    Ok(())
}
