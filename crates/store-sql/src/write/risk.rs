//! Writing a risk with its assessments and treatments; risk assessments of objectives too.

use crate::encode::position;
use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::risk::{Risk, RiskAssessment};

pub(super) async fn risk(
    conn: &mut Db<'_>,
    council_id: i64,
    plan_id: i64,
    i: usize,
    r: &Risk,
) -> Result<(), StoreError> {
    let row = conn
        .sql(
            "INSERT INTO risks (council_id, plan_id, position, ref, objective, description)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(council_id)
        .bind(plan_id)
        .bind(position("risks", i)?)
        .bind(r.reference.as_str())
        .bind(r.objective.as_ref().map(|o| o.as_str()))
        .bind(&r.description)
        .fetch_one(&mut *conn)
        .await
        .map_err(db("insert into risks"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into risks"))?;

    const ASSESS: &str = "INSERT INTO risk_assessments
             (council_id, risk_id, stage, score, likelihood, impact, band)
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    const DOING: &str = "insert into risk_assessments";
    if let Some(a) = &r.initial {
        assessment(conn, ASSESS, DOING, council_id, id, "initial", a).await?;
    }
    if let Some(a) = &r.residual {
        assessment(conn, ASSESS, DOING, council_id, id, "residual", a).await?;
    }
    for (j, t) in r.treatment.iter().enumerate() {
        conn.sql(
            "INSERT INTO risk_treatments (council_id, risk_id, position, text) VALUES ($1, $2, $3, $4)",
        )
        .bind(council_id)
        .bind(id)
        .bind(position("risk_treatments", j)?)
        .bind(t)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into risk_treatments"))?;
    }
    Ok(())
}

/// Inserts one stage of an owner's risk assessment with `sql`, which takes the council, the
/// owner, the stage, score, likelihood, impact and band.
pub(super) async fn assessment(
    conn: &mut Db<'_>,
    sql: &'static str,
    doing: &'static str,
    council_id: i64,
    owner: i64,
    stage: &str,
    a: &RiskAssessment,
) -> Result<(), StoreError> {
    conn.sql(sql)
        .bind(council_id)
        .bind(owner)
        .bind(stage)
        .bind(a.score.map(i32::from))
        .bind(a.likelihood.map(i32::from))
        .bind(a.impact.map(i32::from))
        .bind(a.band.map(|b| b.as_str()))
        .execute(&mut *conn)
        .await
        .map_err(db(doing))?;
    Ok(())
}
