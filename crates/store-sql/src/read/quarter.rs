//! Reading a council's quarterly monitoring records with all their lists in stored order.

use super::{Children, children, rows, take};
use crate::columns::Cols;
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::quarter::{
    Commentary, EqualityUpdate, Narrative, Progress, QuarterHeader, QuarterRecord, RiskUpdate,
    ValueEntry,
};

/// Every quarter of the council, by unit and period.
pub(super) async fn quarters(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<QuarterRecord>, StoreError> {
    let rows_n = rows(
        conn,
        "quarter_narratives",
        "SELECT n.quarter_id, n.kind, n.title, n.text, n.initials
         FROM quarter_narratives n
         WHERE n.council_id = $1 ORDER BY n.quarter_id, n.kind, n.position",
        council_id,
    )
    .await?;
    let mut narratives: Children<(String, Narrative)> =
        children("quarter_narratives", "quarter_id", &rows_n, |c| {
            Ok((
                c.get("kind")?,
                Narrative {
                    title: c.get("title")?,
                    text: c.get("text")?,
                    initials: c.list("initials")?,
                },
            ))
        })?;
    let rows_r = rows(
        conn,
        "risk_updates",
        "SELECT u.quarter_id, u.risk, u.title, u.text, u.initials
         FROM risk_updates u
         WHERE u.council_id = $1 ORDER BY u.quarter_id, u.position",
        council_id,
    )
    .await?;
    let mut risk_updates = children("risk_updates", "quarter_id", &rows_r, |c| {
        Ok(RiskUpdate {
            risk: c.parse("risk")?,
            title: c.get("title")?,
            text: c.get("text")?,
            initials: c.list("initials")?,
        })
    })?;
    let rows_e = rows(
        conn,
        "equality_updates",
        "SELECT u.quarter_id, u.action, u.text, u.initials
         FROM equality_updates u
         WHERE u.council_id = $1 ORDER BY u.quarter_id, u.position",
        council_id,
    )
    .await?;
    let mut equality_updates = children("equality_updates", "quarter_id", &rows_e, |c| {
        Ok(EqualityUpdate {
            action: c.parse("action")?,
            text: c.get("text")?,
            initials: c.list("initials")?,
        })
    })?;
    let rows_v = rows(
        conn,
        "quarter_values",
        "SELECT v.quarter_id, v.indicator, v.period, v.text, v.number, v.qualifiers, v.as_at, v.officer
         FROM quarter_values v
         WHERE v.council_id = $1 ORDER BY v.quarter_id, v.position",
        council_id,
    )
    .await?;
    let mut values = children("quarter_values", "quarter_id", &rows_v, |c| {
        Ok(ValueEntry {
            indicator: c.parse("indicator")?,
            period: c.parse("period")?,
            value: c.measure()?,
            officer: c.parse_opt("officer")?,
        })
    })?;
    let rows_p = rows(
        conn,
        "milestone_progress",
        "SELECT m.quarter_id, m.milestone, m.status, m.completed, m.initials
         FROM milestone_progress m
         WHERE m.council_id = $1 ORDER BY m.quarter_id, m.position",
        council_id,
    )
    .await?;
    let mut progress = children("milestone_progress", "quarter_id", &rows_p, |c| {
        Ok(Progress {
            milestone: c.parse("milestone")?,
            status: c.parse("status")?,
            completed: c.parse_opt("completed")?,
            initials: c.list("initials")?,
        })
    })?;
    let rows_c = rows(
        conn,
        "commentary",
        "SELECT m.quarter_id, m.priority, m.about, m.text, m.initials, m.refs
         FROM commentary m
         WHERE m.council_id = $1 ORDER BY m.quarter_id, m.position",
        council_id,
    )
    .await?;
    let mut commentary = children("commentary", "quarter_id", &rows_c, |c| {
        Ok(Commentary {
            priority: c.parse_opt("priority")?,
            about: c.parse("about")?,
            text: c.get("text")?,
            initials: c.list("initials")?,
            refs: c.list("refs")?,
        })
    })?;
    let rows = rows(
        conn,
        "quarters",
        "SELECT id, unit, period, plan, title, introduction, equality_summary
         FROM quarters WHERE council_id = $1 ORDER BY unit, period",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("quarters", r);
            let id = c.id("id")?;
            let (mut key_developments, mut emerging_issues) = (Vec::new(), Vec::new());
            for (kind, n) in take(&mut narratives, id) {
                match kind.as_str() {
                    "key_development" => key_developments.push(n),
                    "emerging_issue" => emerging_issues.push(n),
                    other => {
                        return Err(unreadable(
                            "quarter_narratives",
                            "kind",
                            other,
                            "not key_development or emerging_issue",
                        ));
                    }
                }
            }
            Ok(QuarterRecord {
                header: QuarterHeader {
                    unit: c.parse("unit")?,
                    period: c.parse("period")?,
                    plan: c.parse("plan")?,
                    title: c.get("title")?,
                    introduction: c.get("introduction")?,
                    equality_summary: c.get("equality_summary")?,
                },
                key_developments,
                emerging_issues,
                risk_updates: take(&mut risk_updates, id),
                equality_updates: take(&mut equality_updates, id),
                values: take(&mut values, id),
                progress: take(&mut progress, id),
                commentary: take(&mut commentary, id),
            })
        })
        .collect()
}
