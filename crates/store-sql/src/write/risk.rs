//! Writing a risk with its assessments and treatments; risk assessments of objectives too.

use super::ids_by_position;
use crate::encode::position;
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

/// Inserts a plan's risks, a few statements for all of them, then each one's assessments
/// and treatments.
pub(super) async fn risks(
    conn: &mut Db<'_>,
    rows: &mut RiskRows,
    council_id: i64,
    plan_id: i64,
    list: &[Risk],
) -> Result<(), StoreError> {
    const DOING: &str = "insert into risks";
    let mut inserts = Inserts::new(
        "INSERT INTO risks (council_id, plan_id, position, ref, objective, description)",
        6,
        DOING,
    )
    .returning("id, position");
    for (i, r) in list.iter().enumerate() {
        let position = position("risks", i)?;
        inserts
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(r.reference.as_str())
                    .bind(r.objective.as_ref().map(|o| o.as_str()))
                    .bind(&r.description)
            })
            .await?;
    }
    let returned = inserts.finish_returning(conn).await?;
    for (r, id) in list
        .iter()
        .zip(ids_by_position(returned, list.len(), DOING)?)
    {
        lists(conn, rows, council_id, id, r).await?;
    }
    Ok(())
}

/// A risk's assessments and treatments, once its row is in as `id`.
async fn lists(
    conn: &mut Db<'_>,
    rows: &mut RiskRows,
    council_id: i64,
    id: i64,
    r: &Risk,
) -> Result<(), StoreError> {
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
