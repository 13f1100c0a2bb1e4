//! Upserting a council and its units, officers and frames by ref.

use crate::encode::opt_text;
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::frame::Frame;
use beacon_domain::organisation::{Council, Officer, Unit};
use std::collections::BTreeMap;

/// Inserts or updates the council, which locks its row until the transaction ends; returns its
/// row id.
pub(super) async fn council(conn: &mut Db<'_>, c: &Council) -> Result<i64, StoreError> {
    let row = conn
        .sql(
            "INSERT INTO councils (ref, name, tolerance_percent, colour, risk_matrix, projection, exceptions)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (ref) DO UPDATE SET
             name = excluded.name,
             tolerance_percent = excluded.tolerance_percent,
             colour = excluded.colour,
             risk_matrix = excluded.risk_matrix,
             projection = excluded.projection,
             exceptions = excluded.exceptions,
             revision = councils.revision + 1
         RETURNING id",
        )
        .bind(c.reference.as_str())
        .bind(&c.name)
        .bind(opt_text(c.tolerance_percent.as_ref()))
        .bind(&c.colour)
        .bind(
            c.risk_matrix
                .as_ref()
                .and_then(|m| m.form())
                .map(|f| f.to_string()),
        )
        .bind(c.projection.map(|p| p.as_str()))
        .bind(c.exceptions.map(|e| e.as_str()))
        .fetch_one(&mut *conn)
        .await
        .map_err(db("upsert into councils"))?;
    row.try_get("id").map_err(db("upsert into councils"))
}

pub(super) async fn unit(conn: &mut Db<'_>, council_id: i64, u: &Unit) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO units (council_id, ref, name, kind, parent, head) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (council_id, ref) DO UPDATE SET
             name = excluded.name,
             kind = excluded.kind,
             parent = excluded.parent,
             head = excluded.head",
    )
    .bind(council_id)
    .bind(u.reference.as_str())
    .bind(&u.name)
    .bind(u.kind.as_str())
    .bind(u.parent.as_ref().map(|r| r.as_str()))
    .bind(u.head.as_ref().map(|r| r.as_str()))
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into units"))?;
    Ok(())
}

pub(super) async fn officer(
    conn: &mut Db<'_>,
    council_id: i64,
    o: &Officer,
) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO officers (council_id, ref, name, role, unit, aliases) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (council_id, ref) DO UPDATE SET
             name = excluded.name,
             role = excluded.role,
             unit = excluded.unit,
             aliases = excluded.aliases",
    )
    .bind(council_id)
    .bind(o.reference.as_str())
    .bind(&o.name)
    .bind(&o.role)
    .bind(o.unit.as_ref().map(|r| r.as_str()))
    .words(&o.aliases)
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into officers"))?;
    Ok(())
}

/// Upserts frames by ref, the last of any ref given twice winning, as one row after another
/// would.
pub(super) async fn frames(
    conn: &mut Db<'_>,
    council_id: i64,
    frames: &[Frame],
) -> Result<(), StoreError> {
    let last: BTreeMap<&str, &Frame> = frames.iter().map(|f| (f.reference.as_str(), f)).collect();
    let mut rows = Inserts::new(
        "INSERT INTO frames (council_id, ref, kind, title, number, parent)",
        6,
        "upsert into frames",
    )
    .on_conflict(
        "ON CONFLICT (council_id, ref) DO UPDATE SET
             kind = excluded.kind,
             title = excluded.title,
             number = excluded.number,
             parent = excluded.parent",
    );
    for f in frames {
        if !last
            .get(f.reference.as_str())
            .is_some_and(|l| std::ptr::eq(*l, f))
        {
            continue;
        }
        rows.add(conn, |q| {
            q.bind(council_id)
                .bind(f.reference.as_str())
                .bind(f.kind.as_str())
                .bind(&f.title)
                .bind(f.number.map(i64::from))
                .bind(f.parent.as_ref().map(|r| r.as_str()))
        })
        .await?;
    }
    rows.finish(conn).await
}

/// A library definition, kept as its JSON form under its ref.
pub(super) async fn library_indicator(
    conn: &mut Db<'_>,
    council_id: i64,
    d: &beacon_domain::library::LibraryIndicator,
) -> Result<(), StoreError> {
    let definition = serde_json::to_string(d)
        .map_err(|e| StoreError::Failed(format!("library indicator {}: {e}", d.reference)))?;
    conn.sql(
        "INSERT INTO library_indicators (council_id, ref, definition) VALUES ($1, $2, $3)
         ON CONFLICT (council_id, ref) DO UPDATE SET definition = excluded.definition",
    )
    .bind(council_id)
    .bind(d.reference.as_str())
    .bind(definition)
    .execute(&mut *conn)
    .await
    .map_err(db("upsert into library_indicators"))?;
    Ok(())
}

/// A library definition removed: its row goes (plans no longer name it; the use case checks).
pub(super) async fn remove_library_indicator(
    conn: &mut Db<'_>,
    council_id: i64,
    d: &beacon_domain::library::LibraryIndicator,
) -> Result<(), StoreError> {
    conn.sql("DELETE FROM library_indicators WHERE council_id = $1 AND ref = $2")
        .bind(council_id)
        .bind(d.reference.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("delete from library_indicators"))?;
    Ok(())
}
