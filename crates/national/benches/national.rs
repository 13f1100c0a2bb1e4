//! The national set at a small scale (100 councils × 200 indicators × 8 quarters = 160,000
//! values): ingest with positions into SQLite, and the three reads the issue times. The full
//! scale, with PostgreSQL and the DuckDB/pandas peer, is `scripts/bench-national`.

use beacon_national::{NationalDb, Progress};
use beacon_store_sqlite::SqliteStore;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const COUNCILS: u32 = 100;
const INDICATORS: u32 = 200;
const PERIODS: u32 = 8;

fn national(c: &mut Criterion) {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return eprintln!("no runtime: {e}"),
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return eprintln!("no temporary directory: {e}"),
    };
    let csv = dir.path().join("national.csv");
    let written = std::fs::File::create(&csv).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        beacon_national::generate::write_tidy(&mut w, COUNCILS, INDICATORS, PERIODS, 1)
    });
    if let Err(e) = written {
        return eprintln!("cannot write the data: {e}");
    }
    let mut n = 0u32;
    c.bench_function("ingest 160k values with positions (SQLite)", |b| {
        b.iter(|| {
            n += 1;
            let path = dir.path().join(format!("ingest{n}.db"));
            rt.block_on(async {
                let Ok(store) = SqliteStore::open(&path.to_string_lossy()).await else {
                    return;
                };
                let Some(pool) = store.pool().sqlite() else {
                    return;
                };
                let db = NationalDb::Sqlite(pool.clone());
                black_box(
                    beacon_national::load(&db, &[csv.as_path()], Progress::Hidden)
                        .await
                        .ok(),
                );
            });
        })
    });
    let db = rt.block_on(async {
        let store = SqliteStore::open(&dir.path().join("read.db").to_string_lossy())
            .await
            .ok()?;
        let db = NationalDb::Sqlite(store.pool().sqlite()?.clone());
        beacon_national::load(&db, &[csv.as_path()], Progress::Hidden)
            .await
            .ok()?;
        Some(db)
    });
    let Some(db) = db else {
        return eprintln!("the data did not load");
    };
    let last = (PERIODS - 1).to_string();
    c.bench_function("quartiles of one indicator in one period", |b| {
        b.iter(|| rt.block_on(async { black_box(db.summary("17", &last).await.ok()) }))
    });
    c.bench_function("quartiles of every indicator in one period", |b| {
        b.iter(|| rt.block_on(async { black_box(db.period_summaries(&last).await.ok()) }))
    });
    c.bench_function(
        "one council's position on every indicator in one period",
        |b| {
            b.iter(|| {
                rt.block_on(async { black_box(db.council_positions("23", &last).await.ok()) })
            })
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = national
}
criterion_main!(benches);
