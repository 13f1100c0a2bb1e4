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

/// The lists a quarter holds, each by the quarter's id.
struct Lists {
    narratives: Children<(String, Narrative)>,
    risk_updates: Children<RiskUpdate>,
    equality_updates: Children<EqualityUpdate>,
    values: Children<ValueEntry>,
    progress: Children<Progress>,
    commentary: Children<Commentary>,
}

/// Every quarter of the council, by unit and period.
pub(super) async fn quarters(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<QuarterRecord>, StoreError> {
    let mut lists = lists(conn, council_id).await?;
    let rows = rows(
        conn,
        "quarters",
        "SELECT id, unit, period, plan, title, introduction, equality_summary
         FROM quarters WHERE council_id = $1 ORDER BY unit, period",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| record(&Cols::new("quarters", r), &mut lists))
        .collect()
}

/// Reads a child table's rows and groups them by their quarter.
async fn by_quarter<T>(
    conn: &mut Db<'_>,
    council_id: i64,
    table: &'static str,
    sql: &'static str,
    item: impl FnMut(&Cols<'_>) -> Result<T, StoreError>,
) -> Result<Children<T>, StoreError> {
    let found = rows(conn, table, sql, council_id).await?;
    children(table, "quarter_id", &found, item)
}

/// Every list of every quarter of the council, in stored order.
async fn lists(conn: &mut Db<'_>, council_id: i64) -> Result<Lists, StoreError> {
    let narratives = by_quarter(
        conn,
        council_id,
        "quarter_narratives",
        "SELECT n.quarter_id, n.kind, n.title, n.text, n.initials
         FROM quarter_narratives n
         WHERE n.council_id = $1 ORDER BY n.quarter_id, n.kind, n.position",
        |c| {
            Ok((
                c.get("kind")?,
                Narrative {
                    title: c.get("title")?,
                    text: c.get("text")?,
                    initials: c.list("initials")?,
                },
            ))
        },
    )
    .await?;
    let risk_updates = by_quarter(
        conn,
        council_id,
        "risk_updates",
        "SELECT u.quarter_id, u.risk, u.title, u.text, u.initials, u.likelihood, u.impact
         FROM risk_updates u
         WHERE u.council_id = $1 ORDER BY u.quarter_id, u.position",
        |c| {
            Ok(RiskUpdate {
                risk: c.parse("risk")?,
                title: c.get("title")?,
                likelihood: c.opt_int("likelihood")?,
                impact: c.opt_int("impact")?,
                text: c.get("text")?,
                initials: c.list("initials")?,
            })
        },
    )
    .await?;
    let equality_updates = by_quarter(
        conn,
        council_id,
        "equality_updates",
        "SELECT u.quarter_id, u.action, u.text, u.initials
         FROM equality_updates u
         WHERE u.council_id = $1 ORDER BY u.quarter_id, u.position",
        |c| {
            Ok(EqualityUpdate {
                action: c.parse("action")?,
                text: c.get("text")?,
                initials: c.list("initials")?,
            })
        },
    )
    .await?;
    let (values, progress, commentary) = entries(conn, council_id).await?;
    Ok(Lists {
        narratives,
        risk_updates,
        equality_updates,
        values,
        progress,
        commentary,
    })
}

/// What was entered for the quarters: values, milestone progress and commentary.
async fn entries(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<
    (
        Children<ValueEntry>,
        Children<Progress>,
        Children<Commentary>,
    ),
    StoreError,
> {
    let values = by_quarter(
        conn,
        council_id,
        "quarter_values",
        "SELECT v.quarter_id, v.indicator, v.period, v.text, v.number, v.qualifiers, v.as_at, v.officer
         FROM quarter_values v
         WHERE v.council_id = $1 ORDER BY v.quarter_id, v.position",
        |c| {
            Ok(ValueEntry {
                indicator: c.parse("indicator")?,
                period: c.parse("period")?,
                value: c.measure()?,
                officer: c.parse_opt("officer")?,
            })
        },
    )
    .await?;
    let progress = by_quarter(
        conn,
        council_id,
        "milestone_progress",
        "SELECT m.quarter_id, m.milestone, m.status, m.completed, m.initials
         FROM milestone_progress m
         WHERE m.council_id = $1 ORDER BY m.quarter_id, m.position",
        |c| {
            Ok(Progress {
                milestone: c.parse("milestone")?,
                status: c.parse("status")?,
                completed: c.parse_opt("completed")?,
                initials: c.list("initials")?,
            })
        },
    )
    .await?;
    let commentary = by_quarter(
        conn,
        council_id,
        "commentary",
        "SELECT m.quarter_id, m.priority, m.about, m.text, m.initials, m.refs
         FROM commentary m
         WHERE m.council_id = $1 ORDER BY m.quarter_id, m.position",
        |c| {
            Ok(Commentary {
                priority: c.parse_opt("priority")?,
                about: c.parse("about")?,
                text: c.get("text")?,
                initials: c.list("initials")?,
                refs: c.list("refs")?,
            })
        },
    )
    .await?;
    Ok((values, progress, commentary))
}

/// One quarter's row with its lists taken from `lists`.
fn record(c: &Cols<'_>, lists: &mut Lists) -> Result<QuarterRecord, StoreError> {
    let id = c.id("id")?;
    let (mut key_developments, mut emerging_issues) = (Vec::new(), Vec::new());
    for (kind, n) in take(&mut lists.narratives, id) {
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
        risk_updates: take(&mut lists.risk_updates, id),
        equality_updates: take(&mut lists.equality_updates, id),
        values: take(&mut lists.values, id),
        progress: take(&mut lists.progress, id),
        commentary: take(&mut lists.commentary, id),
    })
}
