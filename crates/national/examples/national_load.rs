//! Loads national files into a database, as `beacon national load` does, for
//! `scripts/bench-national` (which times it under /usr/bin/time -v without building the whole
//! command line in release): `national_load DB_URL FILE…`. The schema is made first (migrations).

use beacon_national::{NationalDb, Progress};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((url, files)) = args.split_first() else {
        return Err("usage: national_load DB_URL FILE…".into());
    };
    let store = if url.starts_with("postgres") {
        beacon_store_postgres::PostgresStore::open(url).await
    } else {
        beacon_store_sqlite::SqliteStore::open(url).await
    }
    .map_err(|e| e.to_string())?;
    let db = match store.pool() {
        beacon_store_sql::Pool::Postgres(p) => NationalDb::Postgres(p.clone()),
        beacon_store_sql::Pool::Sqlite(p) => NationalDb::Sqlite(p.clone()),
    };
    let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let began = Instant::now();
    let r = beacon_national::load(&db, &paths, Progress::Hidden)
        .await
        .map_err(|e| e.to_string())?;
    let secs = began.elapsed().as_secs_f64();
    println!(
        "loaded {} values, {} slices with positions, in {secs:.2} s: {:.2} M values/s",
        r.read.values,
        r.slices,
        r.read.values as f64 / secs / 1e6
    );
    Ok(())
}
