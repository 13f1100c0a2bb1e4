//! Writing an objective with its frame links, cross references, indicator refs, risk
//! assessments and milestones.

use super::risk::assessment;
use crate::encode::{due, due_written, opt_text, position};
use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::objective::Objective;

pub(super) async fn objective(
    conn: &mut Db<'_>,
    council_id: i64,
    plan_id: i64,
    i: usize,
    o: &Objective,
) -> Result<(), StoreError> {
    let row = conn
        .sql(
            "INSERT INTO objectives (council_id, plan_id, position, ref, unit, statement, officer,
             starts, ends)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(council_id)
        .bind(plan_id)
        .bind(position("objectives", i)?)
        .bind(o.reference.as_str())
        .bind(o.unit.as_ref().map(|r| r.as_str()))
        .bind(&o.statement)
        .bind(&o.officer)
        .bind(opt_text(o.starts.as_ref()))
        .bind(opt_text(o.ends.as_ref()))
        .fetch_one(&mut *conn)
        .await
        .map_err(db("insert into objectives"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into objectives"))?;

    const ASSESS: &str = "INSERT INTO objective_assessments
             (council_id, objective_id, stage, score, likelihood, impact, band)
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    const DOING: &str = "insert into objective_assessments";
    if let Some(a) = &o.initial_risk {
        assessment(conn, ASSESS, DOING, council_id, id, "initial", a).await?;
    }
    if let Some(a) = &o.residual_risk {
        assessment(conn, ASSESS, DOING, council_id, id, "residual", a).await?;
    }
    for (kind, refs) in [
        ("frame", &o.links),
        ("cross_ref", &o.cross_refs),
        ("indicator", &o.indicators),
    ] {
        for (j, r) in refs.iter().enumerate() {
            conn.sql(
                "INSERT INTO objective_links (council_id, objective_id, kind, position, ref)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(council_id)
            .bind(id)
            .bind(kind)
            .bind(position("objective_links", j)?)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db("insert into objective_links"))?;
        }
    }
    for (j, m) in o.milestones.iter().enumerate() {
        let (due_kind, due_text) = due(&m.due);
        conn.sql(
            "INSERT INTO milestones (council_id, plan_id, objective_id, position, ref, year, text,
                 due_kind, due, officer, priority, carried_from, due_written, before_plan)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(council_id)
        .bind(plan_id)
        .bind(id)
        .bind(position("milestones", j)?)
        .bind(m.reference.as_str())
        .bind(m.year.to_string())
        .bind(&m.text)
        .bind(due_kind)
        .bind(due_text)
        .bind(&m.officer)
        .bind(m.priority.as_ref().map(|r| r.as_str()))
        .bind(m.carried_from.map(|y| y.to_string()))
        .bind(due_written(&m.due))
        .bind(&m.before_plan)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into milestones"))?;
    }
    Ok(())
}
