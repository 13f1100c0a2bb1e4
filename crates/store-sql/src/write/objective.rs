//! Writing an objective with its frame links, cross references, indicator refs, risk
//! assessments and milestones.

use super::risk::assessment;
use crate::encode::{due, due_written, opt_text, position};
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::objective::Objective;

/// The rows of a plan's objectives' lists, sent together once every objective's row is in.
pub(super) struct ObjectiveRows {
    assessments: Inserts,
    links: Inserts,
    milestones: Inserts,
}

impl ObjectiveRows {
    pub(super) fn new() -> Self {
        ObjectiveRows {
            assessments: Inserts::new(
                "INSERT INTO objective_assessments
                     (council_id, objective_id, stage, score, likelihood, impact, band)",
                7,
                "insert into objective_assessments",
            ),
            links: Inserts::new(
                "INSERT INTO objective_links (council_id, objective_id, kind, position, ref)",
                5,
                "insert into objective_links",
            ),
            milestones: Inserts::new(
                "INSERT INTO milestones (council_id, plan_id, objective_id, position, ref, year,
                     text, due_kind, due, officer, priority, carried_from, due_written,
                     before_plan)",
                14,
                "insert into milestones",
            ),
        }
    }

    /// Sends the rows not yet sent.
    pub(super) async fn finish(self, conn: &mut Db<'_>) -> Result<(), StoreError> {
        self.assessments.finish(conn).await?;
        self.links.finish(conn).await?;
        self.milestones.finish(conn).await
    }
}

pub(super) async fn objective(
    conn: &mut Db<'_>,
    rows: &mut ObjectiveRows,
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

    for (stage, a) in [("initial", &o.initial_risk), ("residual", &o.residual_risk)] {
        if let Some(a) = a {
            assessment(conn, &mut rows.assessments, council_id, id, stage, a).await?;
        }
    }
    for (kind, refs) in [
        ("frame", &o.links),
        ("cross_ref", &o.cross_refs),
        ("indicator", &o.indicators),
    ] {
        for (j, r) in refs.iter().enumerate() {
            let position = position("objective_links", j)?;
            rows.links
                .add(conn, |q| {
                    q.bind(council_id)
                        .bind(id)
                        .bind(kind)
                        .bind(position)
                        .bind(r.as_str())
                })
                .await?;
        }
    }
    for (j, m) in o.milestones.iter().enumerate() {
        let (due_kind, due_text) = due(&m.due);
        let position = position("milestones", j)?;
        rows.milestones
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(id)
                    .bind(position)
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
            })
            .await?;
    }
    Ok(())
}
