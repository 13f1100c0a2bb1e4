//! Reading a council's objectives with their frame links, cross references, indicator refs,
//! risk assessments and milestones.

use super::risk::{Assessments, stages};
use super::{Children, children, rows, take};
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::Ref;
use beacon_domain::objective::{Milestone, Objective};

pub(super) async fn objectives(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<Objective>, StoreError> {
    let rows_a = rows(
        conn,
        "objective_assessments",
        "SELECT a.objective_id, a.stage, a.score, a.likelihood, a.impact, a.band
         FROM objective_assessments a
         WHERE a.council_id = $1",
        council_id,
    )
    .await?;
    let mut assessments: Assessments =
        children("objective_assessments", "objective_id", &rows_a, |c| {
            Ok((c.get("stage")?, c.assessment()?))
        })?;
    let rows_l = rows(
        conn,
        "objective_links",
        "SELECT l.objective_id, l.kind, l.ref
         FROM objective_links l
         WHERE l.council_id = $1 ORDER BY l.objective_id, l.kind, l.position",
        council_id,
    )
    .await?;
    let mut links: Children<(String, Ref)> =
        children("objective_links", "objective_id", &rows_l, |c| {
            Ok((c.get("kind")?, c.parse("ref")?))
        })?;
    let mut milestones = milestones(conn, council_id).await?;
    let rows = rows(
        conn,
        "objectives",
        "SELECT o.id, o.plan_id, o.ref, o.unit, o.statement, o.officer, o.starts, o.ends
         FROM objectives o
         WHERE o.council_id = $1 ORDER BY o.plan_id, o.position",
        council_id,
    )
    .await?;
    children("objectives", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let (initial_risk, residual_risk) =
            stages("objective_assessments", take(&mut assessments, id))?;
        let (mut frames, mut cross_refs, mut indicators) = (Vec::new(), Vec::new(), Vec::new());
        for (kind, r) in take(&mut links, id) {
            match kind.as_str() {
                "frame" => frames.push(r),
                "cross_ref" => cross_refs.push(r),
                "indicator" => indicators.push(r),
                other => {
                    return Err(unreadable(
                        "objective_links",
                        "kind",
                        other,
                        "not frame, cross_ref or indicator",
                    ));
                }
            }
        }
        Ok(Objective {
            reference: c.parse("ref")?,
            unit: c.parse_opt("unit")?,
            statement: c.get("statement")?,
            links: frames,
            cross_refs,
            officer: c.get("officer")?,
            initial_risk,
            residual_risk,
            indicators,
            starts: c.parse_opt("starts")?,
            ends: c.parse_opt("ends")?,
            milestones: take(&mut milestones, id),
        })
    })
}

async fn milestones(conn: &mut Db<'_>, council_id: i64) -> Result<Children<Milestone>, StoreError> {
    let rows = rows(
        conn,
        "milestones",
        "SELECT m.objective_id, m.ref, m.year, m.text, m.due_kind, m.due, m.officer, m.priority,
             m.carried_from, m.due_written, m.before_plan
         FROM milestones m
         WHERE m.council_id = $1 ORDER BY m.objective_id, m.position",
        council_id,
    )
    .await?;
    children("milestones", "objective_id", &rows, |c| {
        Ok(Milestone {
            reference: c.parse("ref")?,
            year: c.parse("year")?,
            text: c.get("text")?,
            due: c.due()?,
            officer: c.get("officer")?,
            priority: c.parse_opt("priority")?,
            before_plan: c.get("before_plan")?,
            carried_from: c.parse_opt("carried_from")?,
        })
    })
}
