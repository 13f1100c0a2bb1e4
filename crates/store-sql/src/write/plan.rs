//! Replacing a whole plan document: the plan row and its sections, factors, objectives,
//! indicators, risks, equality actions, budget changes and their totals, each list in the order given.

use super::indicator::{IndicatorRows, indicators};
use super::objective::{ObjectiveRows, objectives};
use super::risk::{RiskRows, risks};
use crate::encode::position;
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::plan::PlanDocument;

/// Deletes the stored plan with the same ref (its children go with it) and inserts this one.
pub(super) async fn replace(
    conn: &mut Db<'_>,
    council_id: i64,
    doc: &PlanDocument,
) -> Result<(), StoreError> {
    let p = &doc.plan;
    conn.sql("DELETE FROM plans WHERE council_id = $1 AND ref = $2")
        .bind(council_id)
        .bind(p.reference.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("delete from plans"))?;
    let row = conn.sql(
        "INSERT INTO plans (council_id, ref, title, unit, years, status, version, refreshes, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(council_id)
    .bind(p.reference.as_str())
    .bind(&p.title)
    .bind(p.unit.as_str())
    .bind(p.years.to_string())
    .bind(p.status.as_str())
    .bind(i64::from(p.version))
    .bind(p.refreshes.as_ref().map(|r| r.as_str()))
    .bind(&p.source)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into plans"))?;
    let plan_id: i64 = row.try_get("id").map_err(db("insert into plans"))?;

    let mut sections = Inserts::new(
        "INSERT INTO plan_sections (council_id, plan_id, position, kind, heading, text)",
        6,
        "insert into plan_sections",
    );
    for (i, s) in p.sections.iter().enumerate() {
        let position = position("plan_sections", i)?;
        sections
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(s.kind.as_str())
                    .bind(&s.heading)
                    .bind(&s.text)
            })
            .await?;
    }
    sections.finish(conn).await?;
    let mut factors = Inserts::new(
        "INSERT INTO plan_factors (council_id, plan_id, position, category, heading, text)",
        6,
        "insert into plan_factors",
    );
    for (i, f) in p.factors.iter().enumerate() {
        let position = position("plan_factors", i)?;
        factors
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(f.category.as_str())
                    .bind(&f.heading)
                    .bind(&f.text)
            })
            .await?;
    }
    factors.finish(conn).await?;
    let mut rows = ObjectiveRows::new();
    objectives(conn, &mut rows, council_id, plan_id, &doc.objectives).await?;
    rows.finish(conn).await?;
    if beacon_app::plans::versions::kept(doc) {
        keep_version(conn, council_id, doc).await?;
    }
    let mut rows = IndicatorRows::new();
    indicators(conn, &mut rows, council_id, plan_id, &doc.indicators).await?;
    rows.finish(conn).await?;
    let mut rows = RiskRows::new();
    risks(conn, &mut rows, council_id, plan_id, &doc.risks).await?;
    rows.finish(conn).await?;
    equality_actions(conn, council_id, plan_id, doc).await?;
    budget(conn, council_id, plan_id, doc).await?;
    Ok(())
}

/// The plan's equality actions and objectives, in order.
async fn equality_actions(
    conn: &mut Db<'_>,
    council_id: i64,
    plan_id: i64,
    doc: &PlanDocument,
) -> Result<(), StoreError> {
    let mut rows = Inserts::new(
        "INSERT INTO equality_actions (council_id, plan_id, position, ref, area, impact, action,
             years, officer, themes, success_measure, evidence, target_date, completed)",
        14,
        "insert into equality_actions",
    );
    for (i, a) in doc.equality_actions.iter().enumerate() {
        let position = position("equality_actions", i)?;
        rows.add(conn, |q| {
            q.bind(council_id)
                .bind(plan_id)
                .bind(position)
                .bind(a.reference.as_str())
                .bind(&a.area)
                .bind(a.impact_words())
                .bind(&a.action)
                .words(&a.years)
                .bind(&a.officer)
                .words(&a.themes)
                .bind(&a.success_measure)
                .bind(&a.evidence)
                .bind((!a.target_date.is_none()).then(|| a.target_date.to_string()))
                .bind(a.completed)
        })
        .await?;
    }
    rows.finish(conn).await
}

/// The plan's budget changes and the totals it states for them, in order.
async fn budget(
    conn: &mut Db<'_>,
    council_id: i64,
    plan_id: i64,
    doc: &PlanDocument,
) -> Result<(), StoreError> {
    let mut changes = Inserts::new(
        "INSERT INTO budget_changes (council_id, plan_id, position, kind, year, description,
             amount, scale)",
        8,
        "insert into budget_changes",
    );
    for (i, b) in doc.budget_changes.iter().enumerate() {
        let position = position("budget_changes", i)?;
        changes
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(b.kind.as_str())
                    .bind(b.year.to_string())
                    .bind(&b.description)
                    .bind(b.amount.map(|p| p.0))
                    .bind(b.scale.as_str())
            })
            .await?;
    }
    changes.finish(conn).await?;
    let mut totals = Inserts::new(
        "INSERT INTO budget_totals (council_id, plan_id, position, label, kind, year, stated,
             scale)",
        8,
        "insert into budget_totals",
    );
    for (i, t) in doc.budget_totals.iter().enumerate() {
        let position = position("budget_totals", i)?;
        totals
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(&t.label)
                    .bind(t.kind.map(|k| k.as_str()))
                    .bind(t.year.map(|y| y.to_string()))
                    .bind(t.stated.0)
                    .bind(t.scale.as_str())
            })
            .await?;
    }
    totals.finish(conn).await
}

/// Keeps this version of the plan whole (its JSON form), replacing what was kept for the same
/// version.
pub(super) async fn keep_version(
    conn: &mut Db<'_>,
    council_id: i64,
    doc: &PlanDocument,
) -> Result<(), StoreError> {
    let document = serde_json::to_string(doc)
        .map_err(|e| StoreError::Failed(format!("plan {}: {e}", doc.plan.reference)))?;
    conn.sql(
        "INSERT INTO plan_versions (council_id, plan_ref, version, document) VALUES ($1, $2, $3, $4)
         ON CONFLICT (council_id, plan_ref, version) DO UPDATE SET document = excluded.document",
    )
    .bind(council_id)
    .bind(doc.plan.reference.as_str())
    .bind(i64::from(doc.plan.version))
    .bind(document)
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into plan_versions"))?;
    Ok(())
}
