//! PostgreSQL's binary `COPY` of computed slices: the fastest way in, streamed in chunks of a
//! few megabytes so memory stays flat. The format (a signature, then per row a field count and
//! each field's length and bytes, big-endian) is PostgreSQL's documented `COPY BINARY`; it is a
//! few lines, so written here rather than taken from a library.

use crate::catalog::Catalog;
use crate::db::SLICE_COLUMNS;
use crate::load::build_slice;
use crate::problem::NationalError;
use indicatif::ProgressBar;
use sqlx::Postgres;

const CHUNK: usize = 4 << 20;

fn int4(out: &mut Vec<u8>, v: i32) {
    out.extend_from_slice(&4i32.to_be_bytes());
    out.extend_from_slice(&v.to_be_bytes());
}
fn float8(out: &mut Vec<u8>, v: Option<f64>) {
    match v {
        Some(v) => {
            out.extend_from_slice(&8i32.to_be_bytes());
            out.extend_from_slice(&v.to_bits().to_be_bytes());
        }
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}
fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as i32).to_be_bytes());
    out.extend_from_slice(b);
}

pub async fn copy_slices(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    catalog: &Catalog,
    work: Vec<((u32, u32), Vec<f64>, bool)>,
    bar: &ProgressBar,
) -> Result<(), NationalError> {
    let statement = format!("COPY national_slices ({SLICE_COLUMNS}) FROM STDIN (FORMAT binary)");
    let mut copy = tx.copy_in_raw(&statement).await?;
    let mut buf = Vec::with_capacity(CHUNK + 64 * 1024);
    buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    buf.extend_from_slice(&0i32.to_be_bytes());
    buf.extend_from_slice(&0i32.to_be_bytes());
    for (i, ((ind, per), vals, _)) in work.into_iter().enumerate() {
        let row = build_slice(catalog, ind, per, vals);
        let s = row.summary;
        buf.extend_from_slice(&13i16.to_be_bytes());
        int4(&mut buf, row.period as i32);
        int4(&mut buf, row.indicator as i32);
        bytes(&mut buf, row.polarity.key().as_bytes());
        int4(&mut buf, s.map_or(0, |s| s.count as i32));
        float8(&mut buf, s.map(|s| s.mean));
        float8(&mut buf, s.map(|s| s.min));
        float8(&mut buf, s.map(|s| s.max));
        float8(&mut buf, s.map(|s| s.q1));
        float8(&mut buf, s.map(|s| s.median));
        float8(&mut buf, s.map(|s| s.q3));
        bytes(&mut buf, &row.vals);
        bytes(&mut buf, &row.positions);
        bytes(&mut buf, &row.group_means);
        if buf.len() >= CHUNK {
            copy.send(std::mem::take(&mut buf)).await?;
            buf.reserve(CHUNK + 64 * 1024);
            bar.set_position(i as u64);
        }
    }
    buf.extend_from_slice(&(-1i16).to_be_bytes());
    copy.send(buf).await?;
    copy.finish().await?;
    Ok(())
}
