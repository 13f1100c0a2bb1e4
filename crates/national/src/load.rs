//! Loading the set: files read all or nothing, then every slice they touch is merged with what
//! is stored, its positions and group means computed, and the lot written in one transaction.
//! When polarities, regions or groups change, every stored slice is computed again.

use crate::catalog::{Catalog, Cube};
use crate::codec;
use crate::db::{BUMP_REVISION, NationalDb, SliceRow, delete_slices, write_catalog};
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
    let catalog = db.catalog().await?;
    contribute_to(db, catalog, council, values).await
}

/// Adds a Beacon council's published values, each given with its indicator's codes (its own
/// ref first, then its printed ref and aliases): a value goes in under the first code the set
/// holds, and a value whose indicator the set holds under no code is left out (a council's own
/// measure is not a national one). A value given twice for one indicator and period counts
/// once, the last one given. Giving the same values again changes no position. Returns how
/// many values went in.
pub async fn contribute_known(
    db: &NationalDb,
    council: &str,
    values: &[(Vec<String>, String, f64)],
) -> Result<usize, NationalError> {
    let catalog = db.catalog().await?;
    let mut picked: Vec<(String, String, f64)> = Vec::new();
    for (codes, period, v) in values {
        let Some(code) = codes.iter().find(|c| catalog.indicator(c).is_some()) else {
            continue;
        };
        match picked.iter_mut().find(|(c, p, _)| c == code && p == period) {
            Some(x) => x.2 = *v,
            None => picked.push((code.clone(), period.clone(), *v)),
        }
    }
    picked.retain(|(_, _, v)| v.is_finite());
    contribute_to(db, catalog, council, &picked).await?;
    Ok(picked.len())
}

async fn contribute_to(
    db: &NationalDb,
    mut catalog: Catalog,
    council: &str,
    values: &[(String, String, f64)],
) -> Result<usize, NationalError> {
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
    let touched: Vec<(u32, u32)> = cube
        .keys
        .iter()
        .filter(|k| existing.contains(k))
        .copied()
        .collect();
    let mut olds = db.slices_values(&touched).await?;
    for (key, mut vals) in cube.keys.into_iter().zip(cube.slices) {
        let stored = existing.contains(&key);
        if stored {
            let old = olds.remove(&key).unwrap_or_default();
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
        let rest: Vec<(u32, u32)> = existing
            .iter()
            .filter(|k| !in_cube.contains(k))
            .copied()
            .collect();
        let mut values = db.slices_values(&rest).await?;
        for key in rest {
            let vals = values.remove(&key).unwrap_or_default();
            work.push((key, vals, true));
        }
    }
    // Period-major order: the order of the table's key, so the writes append.
    work.sort_unstable_by_key(|((i, p), _, _)| (*p, *i));
    let n = work.len();
    let bar = progress.bar(n as u64, "computing positions");
    match db {
        NationalDb::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            write_catalog!(&mut tx, catalog, sqlx::Sqlite);
            sqlx::query(BUMP_REVISION).execute(&mut *tx).await?;
            crate::insert::insert_slices(&mut tx, catalog, work, &bar).await?;
            tx.commit().await?;
        }
        NationalDb::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            write_catalog!(&mut tx, catalog, sqlx::Postgres);
            sqlx::query(BUMP_REVISION).execute(&mut *tx).await?;
            let stored: Vec<(u32, u32)> = work
                .iter()
                .filter(|(_, _, stored)| *stored)
                .map(|(key, _, _)| *key)
                .collect();
            delete_slices!(&mut tx, &stored, sqlx::Postgres);
            crate::copy::copy_slices(&mut tx, catalog, work, &bar).await?;
            tx.commit().await?;
        }
    }
    bar.finish_and_clear();
    Ok(n)
}
