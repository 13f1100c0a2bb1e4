//! Replacing a whole plan document: the plan row and its sections, factors, objectives (with
//! links, risk assessments and milestones), indicators (with aliases, links, measures and
//! comparators), risks, equality actions and budget changes.

use crate::encode::{MeasureCols, due, json_list, opt_text, position};
use crate::error::db;
use beacon_app::StoreError;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::objective::Objective;
use beacon_domain::period::Period;
use beacon_domain::plan::PlanDocument;
use beacon_domain::risk::{Risk, RiskAssessment};
use sqlx::{Row, SqliteConnection};

/// Deletes the stored plan with the same ref (its children go with it) and inserts this one.
pub(super) async fn replace(
    conn: &mut SqliteConnection,
    council_id: i64,
    doc: &PlanDocument,
) -> Result<(), StoreError> {
    let p = &doc.plan;
    sqlx::query("DELETE FROM plans WHERE council_id = ? AND ref = ?")
        .bind(council_id)
        .bind(p.reference.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("delete from plans"))?;
    let row = sqlx::query(
        "INSERT INTO plans (council_id, ref, title, unit, years, status, version, refreshes, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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

    for (i, s) in p.sections.iter().enumerate() {
        sqlx::query("INSERT INTO plan_sections (plan_id, position, kind, heading, text) VALUES (?, ?, ?, ?, ?)")
            .bind(plan_id)
            .bind(position("plan_sections", i)?)
            .bind(s.kind.as_str())
            .bind(&s.heading)
            .bind(&s.text)
            .execute(&mut *conn)
            .await
            .map_err(db("insert into plan_sections"))?;
    }
    for (i, f) in p.factors.iter().enumerate() {
        sqlx::query("INSERT INTO plan_factors (plan_id, position, category, heading, text) VALUES (?, ?, ?, ?, ?)")
            .bind(plan_id)
            .bind(position("plan_factors", i)?)
            .bind(f.category.as_str())
            .bind(&f.heading)
            .bind(&f.text)
            .execute(&mut *conn)
            .await
            .map_err(db("insert into plan_factors"))?;
    }
    for (i, o) in doc.objectives.iter().enumerate() {
        objective(conn, plan_id, i, o).await?;
    }
    for (i, ind) in doc.indicators.iter().enumerate() {
        indicator(conn, plan_id, i, ind).await?;
    }
    for (i, r) in doc.risks.iter().enumerate() {
        risk(conn, plan_id, i, r).await?;
    }
    for (i, a) in doc.equality_actions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO equality_actions (plan_id, position, ref, area, impact, action, years, officer)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(plan_id)
        .bind(position("equality_actions", i)?)
        .bind(a.reference.as_str())
        .bind(&a.area)
        .bind(a.impact.as_str())
        .bind(&a.action)
        .bind(json_list("equality_actions", "years", &a.years)?)
        .bind(&a.officer)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into equality_actions"))?;
    }
    for (i, b) in doc.budget_changes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO budget_changes (plan_id, position, kind, year, description, amount, scale)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(plan_id)
        .bind(position("budget_changes", i)?)
        .bind(b.kind.as_str())
        .bind(b.year.to_string())
        .bind(&b.description)
        .bind(b.amount.map(|p| p.0))
        .bind(b.scale.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("insert into budget_changes"))?;
    }
    Ok(())
}

async fn objective(
    conn: &mut SqliteConnection,
    plan_id: i64,
    i: usize,
    o: &Objective,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "INSERT INTO objectives (plan_id, position, ref, unit, statement, officer)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(plan_id)
    .bind(position("objectives", i)?)
    .bind(o.reference.as_str())
    .bind(o.unit.as_ref().map(|r| r.as_str()))
    .bind(&o.statement)
    .bind(&o.officer)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into objectives"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into objectives"))?;

    const ASSESS: &str =
        "INSERT INTO objective_assessments (objective_id, stage, score, likelihood, impact, band)
                          VALUES (?, ?, ?, ?, ?, ?)";
    if let Some(a) = &o.initial_risk {
        assessment(
            conn,
            ASSESS,
            "insert into objective_assessments",
            id,
            "initial",
            a,
        )
        .await?;
    }
    if let Some(a) = &o.residual_risk {
        assessment(
            conn,
            ASSESS,
            "insert into objective_assessments",
            id,
            "residual",
            a,
        )
        .await?;
    }
    for (kind, refs) in [
        ("frame", &o.links),
        ("cross_ref", &o.cross_refs),
        ("indicator", &o.indicators),
    ] {
        for (j, r) in refs.iter().enumerate() {
            sqlx::query("INSERT INTO objective_links (objective_id, kind, position, ref) VALUES (?, ?, ?, ?)")
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
        sqlx::query(
            "INSERT INTO milestones (plan_id, objective_id, position, ref, year, text, due_kind, due, officer, priority)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
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
        .execute(&mut *conn)
        .await
        .map_err(db("insert into milestones"))?;
    }
    Ok(())
}

async fn indicator(
    conn: &mut SqliteConnection,
    plan_id: i64,
    i: usize,
    ind: &Indicator,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "INSERT INTO indicators (plan_id, position, ref, printed_ref, description, unit, group_name,
             category, is_key, measure, better, frequency, accumulation, calendar, data_source, notes,
             priority, tolerance_percent, officer)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(plan_id)
    .bind(position("indicators", i)?)
    .bind(ind.reference.as_str())
    .bind(ind.printed_ref.as_ref().map(|r| r.as_str()))
    .bind(&ind.description)
    .bind(ind.unit.as_ref().map(|r| r.as_str()))
    .bind(&ind.group)
    .bind(ind.category.map(|c| c.as_str()))
    .bind(ind.key)
    .bind(ind.measure.map(|m| m.as_str()))
    .bind(ind.better.map(|b| b.as_str()))
    .bind(ind.frequency.as_str())
    .bind(ind.accumulation.as_str())
    .bind(ind.calendar.as_str())
    .bind(&ind.data_source)
    .bind(&ind.notes)
    .bind(ind.priority.as_ref().map(|r| r.as_str()))
    .bind(opt_text(ind.tolerance_percent.as_ref()))
    .bind(&ind.officer)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into indicators"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into indicators"))?;

    refs(
        conn,
        "INSERT INTO indicator_aliases (indicator_id, position, ref) VALUES (?, ?, ?)",
        "insert into indicator_aliases",
        id,
        &ind.aliases,
    )
    .await?;
    refs(
        conn,
        "INSERT INTO indicator_links (indicator_id, position, ref) VALUES (?, ?, ?)",
        "insert into indicator_links",
        id,
        &ind.links,
    )
    .await?;
    if let Some(b) = &ind.baseline {
        measure(conn, id, "baseline", &b.period, &b.value).await?;
    }
    for (kind, map) in [
        ("target", &ind.targets),
        ("profile", &ind.profile),
        ("value", &ind.values),
    ] {
        for (period, m) in map {
            measure(conn, id, kind, period, m).await?;
        }
    }
    for (j, c) in ind.comparators.iter().enumerate() {
        let m = MeasureCols::new("indicator_comparators", &c.value)?;
        sqlx::query(
            "INSERT INTO indicator_comparators (indicator_id, position, period, kind, text, number, qualifiers, as_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position("indicator_comparators", j)?)
        .bind(c.period.to_string())
        .bind(c.kind.as_str())
        .bind(m.text)
        .bind(m.number)
        .bind(m.qualifiers)
        .bind(m.as_at)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into indicator_comparators"))?;
    }
    Ok(())
}

async fn measure(
    conn: &mut SqliteConnection,
    indicator_id: i64,
    kind: &str,
    period: &Period,
    value: &Measure,
) -> Result<(), StoreError> {
    let m = MeasureCols::new("indicator_measures", value)?;
    sqlx::query(
        "INSERT INTO indicator_measures (indicator_id, kind, period, text, number, qualifiers, as_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(indicator_id)
    .bind(kind)
    .bind(period.to_string())
    .bind(m.text)
    .bind(m.number)
    .bind(m.qualifiers)
    .bind(m.as_at)
    .execute(&mut *conn)
    .await
    .map_err(db("insert into indicator_measures"))?;
    Ok(())
}

async fn risk(
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

async fn assessment(
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

/// Inserts a list of refs as `(owner, position, ref)` rows.
async fn refs(
    conn: &mut SqliteConnection,
    sql: &'static str,
    doing: &'static str,
    owner: i64,
    list: &[Ref],
) -> Result<(), StoreError> {
    for (j, r) in list.iter().enumerate() {
        sqlx::query(sql)
            .bind(owner)
            .bind(position(doing, j)?)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db(doing))?;
    }
    Ok(())
}
