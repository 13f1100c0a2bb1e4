//! Replacing a budget statement: the statement row, its groups in declaration order and its
//! lines, with amounts in pence.

use crate::encode::position;
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::budget::Statement;

/// Deletes the stored statement with the same ref and period as `s`; its groups and lines go
/// with it.
pub(super) async fn remove(
    conn: &mut Db<'_>,
    council_id: i64,
    s: &Statement,
) -> Result<(), StoreError> {
    conn.sql("DELETE FROM statements WHERE council_id = $1 AND ref = $2 AND period = $3")
        .bind(council_id)
        .bind(s.reference.as_str())
        .bind(s.period.to_string())
        .execute(&mut *conn)
        .await
        .map_err(db("delete from statements"))?;
    Ok(())
}

/// Deletes the stored statement with the same ref and period and inserts this one.
pub(super) async fn replace(
    conn: &mut Db<'_>,
    council_id: i64,
    s: &Statement,
) -> Result<(), StoreError> {
    remove(conn, council_id, s).await?;
    let period = s.period.to_string();
    let row = conn
        .sql(
            "INSERT INTO statements (council_id, ref, period, unit, kind, title, scale, notes,
             projection)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(council_id)
        .bind(s.reference.as_str())
        .bind(&period)
        .bind(s.unit.as_str())
        .bind(s.kind.as_str())
        .bind(&s.title)
        .bind(s.scale.as_str())
        .bind(&s.notes)
        .bind(s.projection.map(|p| p.as_str()))
        .fetch_one(&mut *conn)
        .await
        .map_err(db("insert into statements"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into statements"))?;

    let mut groups = Inserts::new(
        "INSERT INTO statement_groups (council_id, statement_id, position, group_key, parent,
             label, heading, stated_annual, stated_to_date, stated_spent)",
        10,
        "insert into statement_groups",
    );
    for (i, g) in s.groups.iter().enumerate() {
        let position = position("statement_groups", i)?;
        groups
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(id)
                    .bind(position)
                    .bind(g.key.as_str())
                    .bind(g.parent.as_ref().map(|r| r.as_str()))
                    .bind(&g.label)
                    .bind(&g.heading)
                    .bind(g.stated.map(|a| a.annual.0))
                    .bind(g.stated.map(|a| a.to_date.0))
                    .bind(g.stated.map(|a| a.spent.0))
            })
            .await?;
    }
    groups.finish(conn).await?;
    let mut lines = Inserts::new(
        "INSERT INTO statement_lines (council_id, statement_id, position, group_key, label,
             annual, to_date, spent, note, source_note)",
        10,
        "insert into statement_lines",
    );
    for (i, l) in s.lines.iter().enumerate() {
        let position = position("statement_lines", i)?;
        lines
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(id)
                    .bind(position)
                    .bind(l.group.as_str())
                    .bind(&l.label)
                    .bind(l.amounts.annual.0)
                    .bind(l.amounts.to_date.0)
                    .bind(l.amounts.spent.0)
                    .bind(&l.note)
                    .bind(&l.source_note)
            })
            .await?;
    }
    lines.finish(conn).await
}
