//! SQLite's bulk write of computed slices: every slice of a load in the load's one transaction,
//! by prepared multi-row `INSERT`s of up to [`ROWS`] slices each (the statement is prepared once
//! and reused from the connection's cache), so a national-scale load makes a few thousand
//! statements rather than one a slice. PostgreSQL's is binary `COPY` (`copy`).

use crate::catalog::Catalog;
use crate::db::{SLICE_COLUMNS, SliceRow, delete_slices};
use crate::load::build_slice;
use crate::problem::NationalError;
use indicatif::ProgressBar;
use sqlx::Sqlite;

/// Slices per statement: 13 parameters each, far below SQLite's limit of 32,766.
const ROWS: usize = 32;
const COLUMNS: usize = 13;

/// `INSERT … VALUES ($1, …, $13), ($14, …)` for `rows` slices.
fn statement(rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=COLUMNS)
                .map(|c| format!("${}", r * COLUMNS + c))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO national_slices ({SLICE_COLUMNS}) VALUES {}",
        tuples.join(", ")
    )
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    batch: &mut Vec<SliceRow>,
    sql: &str,
) -> Result<(), NationalError> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in batch.drain(..) {
        let s = row.summary;
        q = q
            .bind(row.period as i32)
            .bind(row.indicator as i32)
            .bind(row.polarity.key())
            .bind(s.map_or(0, |s| s.count as i32))
            .bind(s.map(|s| s.mean))
            .bind(s.map(|s| s.min))
            .bind(s.map(|s| s.max))
            .bind(s.map(|s| s.q1))
            .bind(s.map(|s| s.median))
            .bind(s.map(|s| s.q3))
            .bind(row.vals)
            .bind(row.positions)
            .bind(row.group_means);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Removes the stored slices the load replaces, then computes and inserts every slice.
pub async fn insert_slices(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    catalog: &Catalog,
    work: Vec<((u32, u32), Vec<f64>, bool)>,
    bar: &ProgressBar,
) -> Result<(), NationalError> {
    let stored: Vec<(u32, u32)> = work
        .iter()
        .filter(|(_, _, stored)| *stored)
        .map(|(key, _, _)| *key)
        .collect();
    delete_slices!(tx, &stored, Sqlite);
    let full = statement(ROWS);
    let mut batch = Vec::with_capacity(ROWS);
    for (i, ((ind, per), vals, _)) in work.into_iter().enumerate() {
        batch.push(build_slice(catalog, ind, per, vals));
        if batch.len() == ROWS {
            insert(tx, &mut batch, &full).await?;
            bar.set_position(i as u64 + 1);
        }
    }
    if !batch.is_empty() {
        let last = statement(batch.len());
        insert(tx, &mut batch, &last).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_statement_numbers_every_parameter_once() {
        let s = super::statement(2);
        assert!(s.ends_with("VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13), ($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"), "{s}");
    }
}
