//! Counting what the database holds, across all councils, in one query.

use crate::columns::Cols;
use crate::error::db;
use crate::exec::Db;
use beacon_app::{Stats, StoreError};

/// One count per `Stats` field.
pub(crate) async fn stats(conn: &mut Db<'_>) -> Result<Stats, StoreError> {
    let row = conn
        .sql(
            "SELECT
            (SELECT COUNT(*) FROM councils) AS councils,
            (SELECT COUNT(*) FROM units) AS units,
            (SELECT COUNT(*) FROM officers) AS officers,
            (SELECT COUNT(*) FROM frames) AS frames,
            (SELECT COUNT(*) FROM plans) AS plans,
            (SELECT COUNT(*) FROM objectives) AS objectives,
            (SELECT COUNT(*) FROM milestones) AS milestones,
            (SELECT COUNT(*) FROM indicators) AS indicators,
            (SELECT COUNT(*) FROM indicator_measures WHERE kind = 'target') AS targets,
            (SELECT COUNT(*) FROM indicator_measures WHERE kind = 'value') AS \"values\",
            (SELECT COUNT(*) FROM indicator_comparators) AS comparators,
            (SELECT COUNT(*) FROM risks) AS risks,
            (SELECT COUNT(*) FROM equality_actions) AS equality_actions,
            (SELECT COUNT(*) FROM budget_changes) AS budget_changes,
            (SELECT COUNT(*) FROM quarters) AS quarters,
            (SELECT COUNT(*) FROM quarter_narratives)
                + (SELECT COUNT(*) FROM risk_updates)
                + (SELECT COUNT(*) FROM equality_updates) AS narratives,
            (SELECT COUNT(*) FROM quarter_values) AS quarter_values,
            (SELECT COUNT(*) FROM milestone_progress) AS milestone_progress,
            (SELECT COUNT(*) FROM commentary) AS commentary,
            (SELECT COUNT(*) FROM statements) AS budget_statements,
            (SELECT COUNT(*) FROM statement_lines) AS budget_lines,
            (SELECT COUNT(*) FROM status_overrides) AS overrides",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(db("count rows"))?;
    let c = Cols::new("stats", &row);
    Ok(Stats {
        councils: c.big("councils")?,
        units: c.big("units")?,
        officers: c.big("officers")?,
        frames: c.big("frames")?,
        plans: c.big("plans")?,
        objectives: c.big("objectives")?,
        milestones: c.big("milestones")?,
        indicators: c.big("indicators")?,
        targets: c.big("targets")?,
        values: c.big("values")?,
        comparators: c.big("comparators")?,
        risks: c.big("risks")?,
        equality_actions: c.big("equality_actions")?,
        budget_changes: c.big("budget_changes")?,
        quarters: c.big("quarters")?,
        narratives: c.big("narratives")?,
        quarter_values: c.big("quarter_values")?,
        milestone_progress: c.big("milestone_progress")?,
        commentary: c.big("commentary")?,
        budget_statements: c.big("budget_statements")?,
        budget_lines: c.big("budget_lines")?,
        overrides: c.big("overrides")?,
    })
}
