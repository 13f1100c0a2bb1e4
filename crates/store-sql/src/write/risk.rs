//! Writing a risk with its assessments and treatments; risk assessments of objectives too.

use crate::encode::position;
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::risk::{Risk, RiskAssessment};

/// The rows of a plan's risks' assessments and treatments, sent together once every risk's row
/// is in.
pub(super) struct RiskRows {
    assessments: Inserts,
    treatments: Inserts,
}

impl RiskRows {
    pub(super) fn new() -> Self {
        RiskRows {
            assessments: Inserts::new(
                "INSERT INTO risk_assessments
                     (council_id, risk_id, stage, score, likelihood, impact, band)",
                7,
                "insert into risk_assessments",
            ),
            treatments: Inserts::new(
                "INSERT INTO risk_treatments (council_id, risk_id, position, text)",
                4,
                "insert into risk_treatments",
            ),
        }
    }

    /// Sends the rows not yet sent.
    pub(super) async fn finish(self, conn: &mut Db<'_>) -> Result<(), StoreError> {
        self.assessments.finish(conn).await?;
        self.treatments.finish(conn).await
    }
}

pub(super) async fn risk(
    conn: &mut Db<'_>,
    rows: &mut RiskRows,
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

    for (stage, a) in [("initial", &r.initial), ("residual", &r.residual)] {
        if let Some(a) = a {
            assessment(conn, &mut rows.assessments, council_id, id, stage, a).await?;
        }
    }
    for (j, t) in r.treatment.iter().enumerate() {
        let position = position("risk_treatments", j)?;
        rows.treatments
            .add(conn, |q| q.bind(council_id).bind(id).bind(position).bind(t))
            .await?;
    }
    Ok(())
}

/// Adds one stage of an owner's risk assessment to `rows`, whose columns are the council, the
/// owner, the stage, score, likelihood, impact and band.
pub(super) async fn assessment(
    conn: &mut Db<'_>,
    rows: &mut Inserts,
    council_id: i64,
    owner: i64,
    stage: &'static str,
    a: &RiskAssessment,
) -> Result<(), StoreError> {
    rows.add(conn, |q| {
        q.bind(council_id)
            .bind(owner)
            .bind(stage)
            .bind(a.score.map(i32::from))
            .bind(a.likelihood.map(i32::from))
            .bind(a.impact.map(i32::from))
            .bind(a.band.map(|b| b.as_str()))
    })
    .await
}
