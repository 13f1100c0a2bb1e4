//! Reading a council's risks with their assessments and treatments, and splitting stored risk
//! assessments into initial and residual ones (objectives have them too).

use super::{Children, children, rows, take};
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::risk::{Risk, RiskAssessment};

/// Assessments by owner id, as (stage, assessment).
pub(super) type Assessments = Children<(String, RiskAssessment)>;

/// Splits an owner's stored assessments into its initial and residual ones.
pub(super) fn stages(
    table: &'static str,
    list: Vec<(String, RiskAssessment)>,
) -> Result<(Option<RiskAssessment>, Option<RiskAssessment>), StoreError> {
    let (mut initial, mut residual) = (None, None);
    for (stage, a) in list {
        match stage.as_str() {
            "initial" => initial = Some(a),
            "residual" => residual = Some(a),
            other => return Err(unreadable(table, "stage", other, "not initial or residual")),
        }
    }
    Ok((initial, residual))
}

pub(super) async fn risks(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<Risk>, StoreError> {
    let rows_a = rows(
        conn,
        "risk_assessments",
        "SELECT a.risk_id, a.stage, a.score, a.likelihood, a.impact, a.band
         FROM risk_assessments a
         WHERE a.council_id = $1",
        council_id,
    )
    .await?;
    let mut assessments: Assessments = children("risk_assessments", "risk_id", &rows_a, |c| {
        Ok((c.get("stage")?, c.assessment()?))
    })?;
    let rows_t = rows(
        conn,
        "risk_treatments",
        "SELECT t.risk_id, t.text
         FROM risk_treatments t
         WHERE t.council_id = $1 ORDER BY t.risk_id, t.position",
        council_id,
    )
    .await?;
    let mut treatments: Children<String> =
        children("risk_treatments", "risk_id", &rows_t, |c| c.get("text"))?;
    let rows = rows(
        conn,
        "risks",
        "SELECT r.id, r.plan_id, r.ref, r.objective, r.description
         FROM risks r
         WHERE r.council_id = $1 ORDER BY r.plan_id, r.position",
        council_id,
    )
    .await?;
    children("risks", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let (initial, residual) = stages("risk_assessments", take(&mut assessments, id))?;
        Ok(Risk {
            reference: c.parse("ref")?,
            objective: c.parse_opt("objective")?,
            description: c.get("description")?,
            initial,
            residual,
            treatment: take(&mut treatments, id),
        })
    })
}
