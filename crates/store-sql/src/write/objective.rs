//! Writing an objective with its frame links, cross references, indicator refs, risk
//! assessments and milestones.

use super::ids_by_position;
use super::risk::assessment;
use crate::encode::{due, due_written, opt_text, position};
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

/// Inserts a plan's objectives, a few statements for all of them, then each one's lists.
pub(super) async fn objectives(
    conn: &mut Db<'_>,
    rows: &mut ObjectiveRows,
    council_id: i64,
    plan_id: i64,
    list: &[Objective],
) -> Result<(), StoreError> {
    const DOING: &str = "insert into objectives";
    let mut inserts = Inserts::new(
        "INSERT INTO objectives (council_id, plan_id, position, ref, unit, statement, officer,
             starts, ends)",
        9,
        DOING,
    )
    .returning("id, position");
    for (i, o) in list.iter().enumerate() {
        let position = position("objectives", i)?;
        inserts
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(o.reference.as_str())
                    .bind(o.unit.as_ref().map(|r| r.as_str()))
                    .bind(&o.statement)
                    .bind(&o.officer)
                    .bind(opt_text(o.starts.as_ref()))
                    .bind(opt_text(o.ends.as_ref()))
            })
            .await?;
    }
    let returned = inserts.finish_returning(conn).await?;
    for (o, id) in list
        .iter()
        .zip(ids_by_position(returned, list.len(), DOING)?)
    {
        lists(conn, rows, council_id, plan_id, id, o).await?;
    }
    Ok(())
}

/// An objective's assessments, links and milestones, once its row is in as `id`.
async fn lists(
    conn: &mut Db<'_>,
    rows: &mut ObjectiveRows,
    council_id: i64,
    plan_id: i64,
    id: i64,
    o: &Objective,
) -> Result<(), StoreError> {
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
