//! Replacing a unit's quarterly monitoring record: the quarter row and its narratives, risk and
//! equality updates, values, milestone progress and commentary.

use crate::encode::position;
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::quarter::QuarterRecord;

/// Deletes the stored quarter for the same unit and period (its children go with it) and
/// inserts this one.
pub(super) async fn replace(
    conn: &mut Db<'_>,
    council_id: i64,
    q: &QuarterRecord,
) -> Result<(), StoreError> {
    let id = header(conn, council_id, q).await?;
    narratives(conn, council_id, id, q).await?;
    entries(conn, council_id, id, q).await
}

/// Replaces the quarter's row (its lists go with the old one) and gives the new row's id.
async fn header(conn: &mut Db<'_>, council_id: i64, q: &QuarterRecord) -> Result<i64, StoreError> {
    let h = &q.header;
    let period = h.period.to_string();
    conn.sql("DELETE FROM quarters WHERE council_id = $1 AND unit = $2 AND period = $3")
        .bind(council_id)
        .bind(h.unit.as_str())
        .bind(&period)
        .execute(&mut *conn)
        .await
        .map_err(db("delete from quarters"))?;
    let row = conn.sql(
        "INSERT INTO quarters (council_id, unit, period, plan, title, introduction, equality_summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(council_id)
    .bind(h.unit.as_str())
    .bind(&period)
    .bind(h.plan.as_str())
    .bind(&h.title)
    .bind(&h.introduction)
    .bind(&h.equality_summary)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into quarters"))?;
    row.try_get("id").map_err(db("insert into quarters"))
}

/// The quarter's words: key developments, emerging issues, risk and equality updates.
async fn narratives(
    conn: &mut Db<'_>,
    council_id: i64,
    id: i64,
    q: &QuarterRecord,
) -> Result<(), StoreError> {
    let mut rows = Inserts::new(
        "INSERT INTO quarter_narratives (council_id, quarter_id, kind, position, title, text,
             initials)",
        7,
        "insert into quarter_narratives",
    );
    for (kind, list) in [
        ("key_development", &q.key_developments),
        ("emerging_issue", &q.emerging_issues),
    ] {
        for (i, n) in list.iter().enumerate() {
            let position = position("quarter_narratives", i)?;
            rows.add(conn, |r| {
                r.bind(council_id)
                    .bind(id)
                    .bind(kind)
                    .bind(position)
                    .bind(&n.title)
                    .bind(&n.text)
                    .words(&n.initials)
            })
            .await?;
        }
    }
    rows.finish(conn).await?;
    let mut rows = Inserts::new(
        "INSERT INTO risk_updates (council_id, quarter_id, position, risk, title, text, initials,
             likelihood, impact)",
        9,
        "insert into risk_updates",
    );
    for (i, u) in q.risk_updates.iter().enumerate() {
        let position = position("risk_updates", i)?;
        rows.add(conn, |r| {
            r.bind(council_id)
                .bind(id)
                .bind(position)
                .bind(u.risk.as_str())
                .bind(&u.title)
                .bind(&u.text)
                .words(&u.initials)
                .bind(u.likelihood.map(i32::from))
                .bind(u.impact.map(i32::from))
        })
        .await?;
    }
    rows.finish(conn).await?;
    let mut rows = Inserts::new(
        "INSERT INTO equality_updates (council_id, quarter_id, position, action, text, initials)",
        6,
        "insert into equality_updates",
    );
    for (i, u) in q.equality_updates.iter().enumerate() {
        let position = position("equality_updates", i)?;
        rows.add(conn, |r| {
            r.bind(council_id)
                .bind(id)
                .bind(position)
                .bind(u.action.as_str())
                .bind(&u.text)
                .words(&u.initials)
        })
        .await?;
    }
    rows.finish(conn).await
}

/// What was entered for the quarter: values, milestone progress and commentary.
async fn entries(
    conn: &mut Db<'_>,
    council_id: i64,
    id: i64,
    q: &QuarterRecord,
) -> Result<(), StoreError> {
    let mut rows = Inserts::new(
        "INSERT INTO quarter_values (council_id, quarter_id, position, indicator, period, text,
             number, qualifiers, as_at, officer)",
        10,
        "insert into quarter_values",
    );
    for (i, v) in q.values.iter().enumerate() {
        let position = position("quarter_values", i)?;
        rows.add(conn, |r| {
            r.bind(council_id)
                .bind(id)
                .bind(position)
                .bind(v.indicator.as_str())
                .bind(v.period.to_string())
                .measure(&v.value)
                .bind(v.officer.as_ref().map(|r| r.as_str()))
        })
        .await?;
    }
    rows.finish(conn).await?;
    let mut rows = Inserts::new(
        "INSERT INTO milestone_progress (council_id, quarter_id, position, milestone, status,
             completed, initials)",
        7,
        "insert into milestone_progress",
    );
    for (i, p) in q.progress.iter().enumerate() {
        let position = position("milestone_progress", i)?;
        rows.add(conn, |r| {
            r.bind(council_id)
                .bind(id)
                .bind(position)
                .bind(p.milestone.as_str())
                .bind(p.status.as_str())
                .bind(p.completed.map(|d| d.to_string()))
                .words(&p.initials)
        })
        .await?;
    }
    rows.finish(conn).await?;
    let mut rows = Inserts::new(
        "INSERT INTO commentary (council_id, quarter_id, position, priority, about, text,
             initials, refs)",
        8,
        "insert into commentary",
    );
    for (i, c) in q.commentary.iter().enumerate() {
        let position = position("commentary", i)?;
        rows.add(conn, |r| {
            r.bind(council_id)
                .bind(id)
                .bind(position)
                .bind(c.priority.as_ref().map(|r| r.as_str()))
                .bind(c.about.as_str())
                .bind(&c.text)
                .words(&c.initials)
                .words(&c.refs)
        })
        .await?;
    }
    rows.finish(conn).await
}
