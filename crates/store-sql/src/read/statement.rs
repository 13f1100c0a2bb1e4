//! Reading a council's budget statements: groups in declaration order, lines in stored order.

use super::{children, rows, take};
use crate::columns::Cols;
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::budget::{Group, Line, Statement};

/// Every budget statement of the council.
pub(super) async fn statements(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<Statement>, StoreError> {
    let rows_g = rows(
        conn,
        "statement_groups",
        "SELECT g.statement_id, g.group_key, g.parent, g.label, g.heading,
             g.stated_annual, g.stated_to_date, g.stated_spent
         FROM statement_groups g
         WHERE g.council_id = $1 ORDER BY g.statement_id, g.position",
        council_id,
    )
    .await?;
    let mut groups = children("statement_groups", "statement_id", &rows_g, |c| {
        Ok(Group {
            key: c.parse("group_key")?,
            parent: c.parse_opt("parent")?,
            label: c.get("label")?,
            heading: c.get("heading")?,
            stated: c.amounts("stated_")?,
        })
    })?;
    let rows_l = rows(
        conn,
        "statement_lines",
        "SELECT l.statement_id, l.group_key, l.label, l.annual, l.to_date, l.spent, l.note, l.source_note
         FROM statement_lines l
         WHERE l.council_id = $1 ORDER BY l.statement_id, l.position",
        council_id,
    )
    .await?;
    let mut lines = children("statement_lines", "statement_id", &rows_l, |c| {
        Ok(Line {
            group: c.parse("group_key")?,
            label: c.get("label")?,
            amounts: c.amounts("")?.ok_or_else(|| {
                unreadable(
                    "statement_lines",
                    "annual",
                    "NULL",
                    "a line needs its three amounts",
                )
            })?,
            note: c.get("note")?,
            source_note: c.get("source_note")?,
        })
    })?;
    let rows = rows(
        conn,
        "statements",
        "SELECT id, ref, period, unit, kind, title, scale, notes, projection
         FROM statements WHERE council_id = $1 ORDER BY period, ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("statements", r);
            let id = c.id("id")?;
            Ok(Statement {
                reference: c.parse("ref")?,
                period: c.parse("period")?,
                unit: c.parse("unit")?,
                kind: c.parse("kind")?,
                title: c.get("title")?,
                scale: c.parse("scale")?,
                notes: c.get("notes")?,
                projection: c.parse_opt("projection")?,
                groups: take(&mut groups, id),
                lines: take(&mut lines, id),
            })
        })
        .collect()
}
