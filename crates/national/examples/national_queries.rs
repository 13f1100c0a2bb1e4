//! Times the three reads of the national benchmark on a loaded database, best of several runs,
//! as `scripts/bench-national` prints them: `national_queries DB_URL PERIOD INDICATOR COUNCIL`.
//! The database is opened as the store opens it (SQLite: WAL and the memory map).

use beacon_national::NationalDb;
use std::time::Instant;

async fn best<F, Fut, T>(label: &str, reps: usize, mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut best = f64::MAX;
    for _ in 0..reps {
        let s = Instant::now();
        std::hint::black_box(f().await);
        best = best.min(s.elapsed().as_secs_f64());
    }
    println!("{label:28} {:10.2} ms", best * 1000.0);
    best
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, period, indicator, council] = args.as_slice() else {
        return Err("usage: national_queries DB_URL PERIOD INDICATOR COUNCIL".into());
    };
    // Opened as the server and `beacon national position` open it, with the store's settings
    // (on SQLite: WAL, the memory map).
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
    let one = db
        .summary(indicator, period)
        .await
        .map_err(|e| e.to_string())?;
    println!("check: {indicator} in {period}: {one:?}");
    best("q_one", 20, || db.summary(indicator, period)).await;
    best("q_all", 10, || db.period_summaries(period)).await;
    best("rank", 10, || db.council_positions(council, period)).await;
    Ok(())
}
