//! Loading the set: files read all or nothing, then every slice they touch is merged with what
//! is stored, its positions and group means computed, and the lot written in one transaction.
//! When polarities, regions or groups change, every stored slice is computed again.

use crate::catalog::{Catalog, Cube};
use crate::codec;
use crate::db::{DELETE_SLICE, NationalDb, SLICE_COLUMNS, SliceRow, write_catalog};
use crate::import::{self, Progress, ReadReport};
use crate::position;
use crate::problem::NationalError;
use std::collections::HashSet;
use std::path::Path;

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub read: ReadReport,
    /// Slices (indicator × period) whose positions were computed and stored.
    pub slices: usize,
    pub councils: usize,
    pub indicators: usize,
    pub periods: usize,
    /// Indicators no file has given a polarity: higher is assumed better.
    pub polarity_assumed: Vec<String>,
}

/// Loads files (tidy or wide values, register, indicators) into the set, all or nothing.
pub async fn load(
    db: &NationalDb,
    paths: &[&Path],
    progress: Progress,
) -> Result<LoadReport, NationalError> {
    let mut catalog = db.catalog().await?;
    let (cube, read) = import::read_files(paths, &mut catalog, progress)?;
    let slices = store(db, &catalog, cube, progress).await?;
    Ok(LoadReport {
        read,
        slices,
        councils: catalog.councils.len(),
        indicators: catalog.indicators.len(),
        periods: catalog.periods.len(),
        polarity_assumed: catalog
            .indicators
            .iter()
            .filter(|i| !i.polarity_stated)
            .map(|i| i.code.clone())
            .take(20)
            .collect(),
    })
}

/// Loads a groups file (`council,kind,member`) and computes every group's means again.
pub async fn load_groups(
    db: &NationalDb,
    path: &Path,
    progress: Progress,
) -> Result<usize, NationalError> {
    let mut catalog = db.catalog().await?;
    let n = import::read_groups(path, &mut catalog)?;
    store(db, &catalog, Cube::default(), progress).await?;
    Ok(n)
}

/// Adds one council's values (indicator code, period label, value), as when a Beacon council
/// publishes, and computes the slices they touch again. The council must be in the register.
pub async fn contribute(
    db: &NationalDb,
    council: &str,
    values: &[(String, String, f64)],
) -> Result<usize, NationalError> {
    let mut catalog = db.catalog().await?;
    let slot = catalog.council(council).ok_or_else(|| {
        NationalError::NotFound(format!("{council:?} is not in the national register"))
    })?;
    let mut cube = Cube::default();
    for (ind, per, v) in values {
        if !v.is_finite() {
            continue;
        }
        let i = catalog.intern_indicator(ind);
        let p = catalog.intern_period(per);
        cube.set(i, p, slot, *v)
            .map_err(|e| NationalError::NotFound(format!("{ind} {per}: {e}")))?;
    }
    store(db, &catalog, cube, Progress::Hidden).await
}

/// Computes one slice's row.
pub fn build_slice(catalog: &Catalog, indicator: u32, period: u32, mut vals: Vec<f64>) -> SliceRow {
    vals.resize(catalog.councils.len(), f64::NAN);
    let polarity = catalog
        .indicators
        .get(indicator as usize)
        .map_or(crate::model::Polarity::Higher, |i| i.polarity);
    let pos = position::compute(&vals, polarity);
    let mut v = Vec::new();
    codec::encode_values(&vals, &mut v);
    let mut p = Vec::new();
    codec::encode_places(&pos.places, &mut p);
    let mut g = Vec::with_capacity(catalog.groups.len() * codec::GROUP_BYTES);
    for group in &catalog.groups {
        codec::encode_group(position::group_mean(&vals, &group.members), &mut g);
    }
    SliceRow {
        period,
        indicator,
        polarity,
        summary: pos.summary,
        vals: v,
        positions: p,
        group_means: g,
    }
}

/// Merges the cube with the stored slices it touches (all of them when the catalog says so),
/// computes each and writes everything in one transaction. Returns the slices written.
async fn store(
    db: &NationalDb,
    catalog: &Catalog,
    cube: Cube,
    progress: Progress,
) -> Result<usize, NationalError> {
    let existing: HashSet<(u32, u32)> = db.slice_keys().await?.into_iter().collect();
    let mut work: Vec<((u32, u32), Vec<f64>, bool)> = Vec::with_capacity(cube.keys.len());
    let in_cube: HashSet<(u32, u32)> = cube.keys.iter().copied().collect();
    for (key, mut vals) in cube.keys.into_iter().zip(cube.slices) {
        let stored = existing.contains(&key);
        if stored {
            let old = db.slice_values(key.0, key.1).await?;
            vals.resize(vals.len().max(old.len()), f64::NAN);
            for (v, o) in vals.iter_mut().zip(old) {
                if v.is_nan() {
                    *v = o;
                }
            }
        }
        work.push((key, vals, stored));
    }
    if catalog.recompute_all {
        for key in existing.iter().filter(|k| !in_cube.contains(k)) {
            work.push((*key, db.slice_values(key.0, key.1).await?, true));
        }
    }
    // Period-major order: the order of the table's key, so the writes append.
    work.sort_unstable_by_key(|((i, p), _, _)| (*p, *i));
    let n = work.len();
    let bar = progress.bar(n as u64, "computing positions");
    match db {
        NationalDb::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            write_catalog!(&mut tx, catalog);
            let insert = format!(
                "INSERT INTO national_slices ({SLICE_COLUMNS}) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            );
            for (i, ((ind, per), vals, stored)) in work.into_iter().enumerate() {
                if stored {
                    sqlx::query(DELETE_SLICE)
                        .bind(per as i32)
                        .bind(ind as i32)
                        .execute(&mut *tx)
                        .await?;
                }
                let row = build_slice(catalog, ind, per, vals);
                let s = row.summary;
                sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
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
                    .bind(row.group_means)
                    .execute(&mut *tx)
                    .await?;
                if i & 1023 == 0 {
                    bar.set_position(i as u64);
                }
            }
            tx.commit().await?;
        }
        NationalDb::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            write_catalog!(&mut tx, catalog);
            for ((ind, per), _, stored) in &work {
                if *stored {
                    sqlx::query(DELETE_SLICE)
                        .bind(*per as i32)
                        .bind(*ind as i32)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            crate::copy::copy_slices(&mut tx, catalog, work, &bar).await?;
            tx.commit().await?;
        }
    }
    bar.finish_and_clear();
    Ok(n)
}
