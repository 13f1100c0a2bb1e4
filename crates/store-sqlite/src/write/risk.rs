//! Writing a risk with its assessments and treatments; risk assessments of objectives too.

use crate::encode::position;
use crate::error::db;
use beacon_app::StoreError;
use beacon_domain::risk::{Risk, RiskAssessment};
use sqlx::{Row, SqliteConnection};

pub(super) async fn risk(
    conn: &mut SqliteConnection,
    plan_id: i64,
    i: usize,
    r: &Risk,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "INSERT INTO risks (plan_id, position, ref, objective, description) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(plan_id)
    .bind(position("risks", i)?)
    .bind(r.reference.as_str())
    .bind(r.objective.as_ref().map(|o| o.as_str()))
    .bind(&r.description)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into risks"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into risks"))?;

    const ASSESS: &str =
        "INSERT INTO risk_assessments (risk_id, stage, score, likelihood, impact, band)
                          VALUES (?, ?, ?, ?, ?, ?)";
    if let Some(a) = &r.initial {
        assessment(
            conn,
            ASSESS,
            "insert into risk_assessments",
            id,
            "initial",
            a,
        )
        .await?;
    }
    if let Some(a) = &r.residual {
        assessment(
            conn,
            ASSESS,
            "insert into risk_assessments",
            id,
            "residual",
            a,
        )
        .await?;
    }
    for (j, t) in r.treatment.iter().enumerate() {
        sqlx::query("INSERT INTO risk_treatments (risk_id, position, text) VALUES (?, ?, ?)")
            .bind(id)
            .bind(position("risk_treatments", j)?)
            .bind(t)
            .execute(&mut *conn)
            .await
            .map_err(db("insert into risk_treatments"))?;
    }
    Ok(())
}

pub(super) async fn assessment(
    conn: &mut SqliteConnection,
    sql: &'static str,
    doing: &'static str,
    owner: i64,
    stage: &str,
    a: &RiskAssessment,
) -> Result<(), StoreError> {
    sqlx::query(sql)
        .bind(owner)
        .bind(stage)
        .bind(a.score.map(i64::from))
        .bind(a.likelihood.map(i64::from))
        .bind(a.impact.map(i64::from))
        .bind(a.band.map(|b| b.as_str()))
        .execute(&mut *conn)
        .await
        .map_err(db(doing))?;
    Ok(())
}
