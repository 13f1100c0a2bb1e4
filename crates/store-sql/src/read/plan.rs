//! Reading a council's plan documents: each plan with its sections and factors, and the
//! objectives, indicators, risks, equality actions, budget changes and their totals it holds, in stored order.

use super::indicator::indicators;
use super::objective::objectives;
use super::risk::risks;
use super::{Children, children, rows, take};
use crate::columns::Cols;
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::budget::{BudgetChange, ChangeTotal};
use beacon_domain::equality::EqualityAction;
use beacon_domain::money::Pence;
use beacon_domain::plan::{Factor, Plan, PlanDocument, Section};

/// Every plan document of the council, by ref.
pub(super) async fn plans(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<PlanDocument>, StoreError> {
    let mut sections = sections(conn, council_id).await?;
    let mut factors = factors(conn, council_id).await?;
    let mut objectives = objectives(conn, council_id).await?;
    let mut indicators = indicators(conn, council_id).await?;
    let mut risks = risks(conn, council_id).await?;
    let mut equality = equality_actions(conn, council_id).await?;
    let mut budget = budget_changes(conn, council_id).await?;
    let mut totals = budget_totals(conn, council_id).await?;
    let rows = rows(
        conn,
        "plans",
        "SELECT id, ref, title, unit, years, status, version, refreshes, source
         FROM plans WHERE council_id = $1 ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("plans", r);
            let id = c.id("id")?;
            Ok(PlanDocument {
                plan: Plan {
                    reference: c.parse("ref")?,
                    title: c.get("title")?,
                    unit: c.parse("unit")?,
                    years: c.parse("years")?,
                    status: c.parse("status")?,
                    version: c.big("version")?,
                    refreshes: c.parse_opt("refreshes")?,
                    source: c.get("source")?,
                    sections: take(&mut sections, id),
                    factors: take(&mut factors, id),
                },
                objectives: take(&mut objectives, id),
                indicators: take(&mut indicators, id),
                risks: take(&mut risks, id),
                equality_actions: take(&mut equality, id),
                budget_changes: take(&mut budget, id),
                budget_totals: take(&mut totals, id),
            })
        })
        .collect()
}

async fn sections(conn: &mut Db<'_>, council_id: i64) -> Result<Children<Section>, StoreError> {
    let rows = rows(
        conn,
        "plan_sections",
        "SELECT s.plan_id, s.kind, s.heading, s.text
         FROM plan_sections s
         WHERE s.council_id = $1 ORDER BY s.plan_id, s.position",
        council_id,
    )
    .await?;
    children("plan_sections", "plan_id", &rows, |c| {
        Ok(Section {
            kind: c.parse("kind")?,
            heading: c.get("heading")?,
            text: c.get("text")?,
        })
    })
}

async fn factors(conn: &mut Db<'_>, council_id: i64) -> Result<Children<Factor>, StoreError> {
    let rows = rows(
        conn,
        "plan_factors",
        "SELECT f.plan_id, f.category, f.heading, f.text
         FROM plan_factors f
         WHERE f.council_id = $1 ORDER BY f.plan_id, f.position",
        council_id,
    )
    .await?;
    children("plan_factors", "plan_id", &rows, |c| {
        Ok(Factor {
            category: c.parse("category")?,
            heading: c.get("heading")?,
            text: c.get("text")?,
        })
    })
}

async fn equality_actions(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<EqualityAction>, StoreError> {
    let rows = rows(
        conn,
        "equality_actions",
        "SELECT e.plan_id, e.ref, e.area, e.impact, e.action, e.years, e.officer, e.themes,
             e.success_measure, e.evidence, e.target_date, e.completed
         FROM equality_actions e
         WHERE e.council_id = $1 ORDER BY e.plan_id, e.position",
        council_id,
    )
    .await?;
    children("equality_actions", "plan_id", &rows, |c| {
        // '' where the plan gives no impact (migration 0019).
        let impact: String = c.get("impact")?;
        let impact = (!impact.is_empty())
            .then(|| impact.parse())
            .transpose()
            .map_err(|e| unreadable("equality_actions", "impact", &impact, e))?;
        Ok(EqualityAction {
            reference: c.parse("ref")?,
            area: c.get("area")?,
            impact,
            action: c.get("action")?,
            themes: c.list("themes")?,
            success_measure: c.get("success_measure")?,
            evidence: c.get("evidence")?,
            target_date: c.parse_opt("target_date")?.unwrap_or_default(),
            completed: c.get("completed")?,
            years: c.list("years")?,
            officer: c.get("officer")?,
        })
    })
}

async fn budget_changes(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<BudgetChange>, StoreError> {
    let rows = rows(
        conn,
        "budget_changes",
        "SELECT b.plan_id, b.kind, b.year, b.description, b.amount, b.scale
         FROM budget_changes b
         WHERE b.council_id = $1 ORDER BY b.plan_id, b.position",
        council_id,
    )
    .await?;
    children("budget_changes", "plan_id", &rows, |c| {
        Ok(BudgetChange {
            kind: c.parse("kind")?,
            year: c.parse("year")?,
            description: c.get("description")?,
            amount: c.get::<Option<i64>>("amount")?.map(Pence),
            scale: c.parse("scale")?,
        })
    })
}

async fn budget_totals(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<ChangeTotal>, StoreError> {
    let rows = rows(
        conn,
        "budget_totals",
        "SELECT t.plan_id, t.label, t.kind, t.year, t.stated, t.scale
         FROM budget_totals t
         WHERE t.council_id = $1 ORDER BY t.plan_id, t.position",
        council_id,
    )
    .await?;
    children("budget_totals", "plan_id", &rows, |c| {
        Ok(ChangeTotal {
            label: c.get("label")?,
            kind: c.parse_opt("kind")?,
            year: c.parse_opt("year")?,
            stated: Pence(c.get::<i64>("stated")?),
            scale: c.parse("scale")?,
        })
    })
}

/// The versions of a plan kept whole, oldest first.
pub(crate) async fn versions(
    conn: &mut Db<'_>,
    council: &beacon_domain::organisation::CouncilRef,
    plan: &beacon_domain::Ref,
) -> Result<Vec<u32>, StoreError> {
    let rows = conn
        .sql(
            "SELECT v.version FROM plan_versions v JOIN councils c ON c.id = v.council_id
             WHERE c.ref = $1 AND v.plan_ref = $2 ORDER BY v.version",
        )
        .bind(council.as_str())
        .bind(plan.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(crate::error::db("select from plan_versions"))?;
    rows.iter()
        .map(|r| crate::columns::Cols::new("plan_versions", r).big("version"))
        .collect()
}

/// One kept version of a plan, read back from its JSON form.
pub(crate) async fn version(
    conn: &mut Db<'_>,
    council: &beacon_domain::organisation::CouncilRef,
    plan: &beacon_domain::Ref,
    version: u32,
) -> Result<Option<PlanDocument>, StoreError> {
    let row = conn
        .sql(
            "SELECT v.document FROM plan_versions v JOIN councils c ON c.id = v.council_id
             WHERE c.ref = $1 AND v.plan_ref = $2 AND v.version = $3",
        )
        .bind(council.as_str())
        .bind(plan.as_str())
        .bind(i64::from(version))
        .fetch_optional(&mut *conn)
        .await
        .map_err(crate::error::db("select from plan_versions"))?;
    let Some(row) = row else { return Ok(None) };
    let text: String = crate::columns::Cols::new("plan_versions", &row).get("document")?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Failed(format!("plan_versions.document is not a plan: {e}")))
}
