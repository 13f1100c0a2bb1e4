//! `beacon bench-http URL`: a small HTTP/1.1 load generator for Beacon's own benchmarks
//! (`scripts/bench-api`): N keep-alive connections, each sending GET after GET for a fixed
//! time, then requests per second, the share that were not 2xx/304, and p50/p90/p99/max
//! latency. Plain HTTP on loopback only; no TLS, no downloads.

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What one connection saw.
#[derive(Default)]
struct Seen {
    /// Each answered request's time, in microseconds.
    latencies: Vec<u32>,
    /// Answers that were neither 2xx nor 304.
    refused: u64,
}

/// Host, port and path of an `http://` URL.
fn split(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url:?}: expected an http:// URL"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok((authority.to_string(), path.to_string()))
}

/// Reads one answer: its status, and its body to the end (`Content-Length`).
async fn answer(r: &mut BufReader<TcpStream>, line: &mut String) -> std::io::Result<u16> {
    line.clear();
    r.read_line(line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {line:?}")))?;
    let mut length = 0usize;
    loop {
        line.clear();
        if r.read_line(line).await? == 0 {
            return Err(std::io::Error::other("the server closed the connection"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    r.read_exact(&mut body).await?;
    Ok(status)
}

async fn connection(authority: String, request: Vec<u8>, until: Instant) -> std::io::Result<Seen> {
    let stream = TcpStream::connect(&authority).await?;
    stream.set_nodelay(true)?;
    let mut r = BufReader::with_capacity(64 * 1024, stream);
    let mut seen = Seen::default();
    let mut line = String::new();
    while Instant::now() < until {
        let start = Instant::now();
        r.get_mut().write_all(&request).await?;
        let status = answer(&mut r, &mut line).await?;
        let took = start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        seen.latencies.push(took);
        if !(200..300).contains(&status) && status != 304 {
            seen.refused += 1;
        }
    }
    Ok(seen)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

/// Runs the load and prints one line of figures (and JSON with `--json`).
pub async fn run(
    url: &str,
    connections: usize,
    secs: f64,
    headers: &[String],
    json: bool,
) -> Result<(), String> {
    let (authority, path) = split(url)?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\n");
    for h in headers {
        if !h.contains(':') || h.contains('\r') || h.contains('\n') {
            return Err(format!("--header {h:?}: expected Name: value"));
        }
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(secs.max(0.1));
    let tasks: Vec<_> = (0..connections.max(1))
        .map(|_| {
            tokio::spawn(connection(
                authority.clone(),
                request.clone().into_bytes(),
                until,
            ))
        })
        .collect();
    let mut all = Vec::new();
    let mut refused = 0;
    for t in tasks {
        let seen = t
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{url}: {e}"))?;
        all.extend(seen.latencies);
        refused += seen.refused;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let rps = all.len() as f64 / elapsed;
    let (p50, p90, p99) = (
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
    );
    let max = all.last().map_or(0.0, |m| f64::from(*m) / 1000.0);
    if json {
        println!(
            "{}",
            serde_json::json!({
                "url": url, "connections": connections, "seconds": elapsed, "requests": all.len(),
                "refused": refused, "requests_per_second": rps,
                "p50_ms": p50, "p90_ms": p90, "p99_ms": p99, "max_ms": max,
            })
        );
    } else {
        println!(
            "{url}: {} requests in {elapsed:.1} s over {connections} connections: {rps:.0} requests/s, p50 {p50:.2} ms, p90 {p90:.2} ms, p99 {p99:.2} ms, max {max:.2} ms; {refused} not 2xx/304",
            all.len()
        );
    }
    if refused > 0 {
        return Err(format!("{refused} answers were not 2xx or 304"));
    }
    Ok(())
}
