//! Reading a council's own row, its units, officers and frames.

use super::rows;
use crate::columns::Cols;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::frame::Frame;
use beacon_domain::organisation::{Council, Officer, Unit};

pub(super) fn council(c: &Cols<'_>) -> Result<Council, StoreError> {
    Ok(Council {
        reference: c.parse("ref")?,
        name: c.get("name")?,
        tolerance_percent: c.parse_opt("tolerance_percent")?,
        colour: c.get("colour")?,
        risk_matrix: c.parse_opt("risk_matrix")?,
        projection: c.parse_opt("projection")?,
        exceptions: c.parse_opt("exceptions")?,
    })
}

pub(super) async fn units(conn: &mut Db<'_>, council_id: i64) -> Result<Vec<Unit>, StoreError> {
    let rows = rows(
        conn,
        "units",
        "SELECT ref, name, kind, parent, head FROM units WHERE council_id = $1 ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("units", r);
            Ok(Unit {
                reference: c.parse("ref")?,
                name: c.get("name")?,
                kind: c.parse("kind")?,
                parent: c.parse_opt("parent")?,
                head: c.parse_opt("head")?,
            })
        })
        .collect()
}

pub(super) async fn officers(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<Officer>, StoreError> {
    let rows = rows(
        conn,
        "officers",
        "SELECT ref, name, role, unit, aliases FROM officers WHERE council_id = $1 ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("officers", r);
            Ok(Officer {
                reference: c.parse("ref")?,
                name: c.get("name")?,
                role: c.get("role")?,
                unit: c.parse_opt("unit")?,
                aliases: c.list("aliases")?,
            })
        })
        .collect()
}

pub(super) async fn frames(conn: &mut Db<'_>, council_id: i64) -> Result<Vec<Frame>, StoreError> {
    let rows = rows(
        conn,
        "frames",
        "SELECT ref, kind, title, number, parent FROM frames WHERE council_id = $1 ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("frames", r);
            Ok(Frame {
                reference: c.parse("ref")?,
                kind: c.parse("kind")?,
                title: c.get("title")?,
                number: c.opt_big("number")?,
                parent: c.parse_opt("parent")?,
            })
        })
        .collect()
}

/// The council's indicator library, by ref.
pub(super) async fn library(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Vec<beacon_domain::library::LibraryIndicator>, StoreError> {
    let rows = rows(
        conn,
        "library_indicators",
        "SELECT ref, definition FROM library_indicators WHERE council_id = $1 ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("library_indicators", r);
            let text: String = c.get("definition")?;
            serde_json::from_str(&text).map_err(|e| {
                StoreError::Failed(format!(
                    "library_indicators.definition is not a definition: {e}"
                ))
            })
        })
        .collect()
}
