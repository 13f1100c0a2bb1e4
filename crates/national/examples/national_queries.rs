//! Times the three reads of the national benchmark on a loaded database, best of several runs,
//! as `scripts/bench-national` prints them: `national_queries DB_URL PERIOD INDICATOR COUNCIL`.

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
    let db = if url.starts_with("postgres") {
        NationalDb::Postgres(
            sqlx::PgPool::connect(url)
                .await
                .map_err(|e| e.to_string())?,
        )
    } else {
        NationalDb::Sqlite(
            sqlx::SqlitePool::connect(url)
                .await
                .map_err(|e| e.to_string())?,
        )
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
