//! The HTTP server around the router, bounded against clients that hold connections open: at
//! most [`MAX_CONNECTIONS`] at once (past it, new connections wait in the kernel's queue), a
//! request's line and headers must arrive within [`HEADER_TIMEOUT`], and a whole request
//! (body included) is answered or abandoned within [`REQUEST_TIMEOUT`]. An operator (or a
//! test) may set other bounds ([`Limits`]). Each connection's address reaches the handlers as
//! `ConnectInfo`, for throttling sign-ins per client. Built on hyper's own connection builder,
//! since `axum::serve` offers none of these settings.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// Time allowed for a request line and its headers to arrive.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole request, its body included (a 32 MiB workbook at 2 Mbit/s fits).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(180);
/// Time connections are given to finish once the server is asked to stop.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The bounds on connections: how many at once, and how long a request's head and a whole
/// request may take to arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait in the kernel's queue until one ends.
    pub max_connections: usize,
    /// Time allowed for a request line and its headers to arrive (an idle connection is
    /// closed after it too).
    pub header_timeout: Duration,
    /// Time allowed for a whole request, its body included; then it is answered 408.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: MAX_CONNECTIONS,
            header_timeout: HEADER_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `stop` completes, then lets open requests
/// finish (for up to thirty seconds).
pub async fn run(
    listener: TcpListener,
    app: Router,
    stop: impl Future<Output = ()> + Send,
    limits: Limits,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let request_timeout = limits.request_timeout;
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // No Nagle delay: a response's last partial segment would wait for the client's
        // delayed acknowledgement (see docs/performance.md).
        if let Err(e) = stream.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY on a connection: {e}");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let answer = app.clone().oneshot(req.map(Body::new));
            async move {
                match tokio::time::timeout(request_timeout, answer).await {
                    Ok(r) => r,
                    Err(_) => {
                        tracing::warn!(target: "beacon::security", event = "request_timeout", client = %peer.ip(), "a request took too long and was abandoned");
                        Ok(crate::error::plain(
                            StatusCode::REQUEST_TIMEOUT,
                            "The request took too long to arrive. Try again.",
                        )
                        .into_response())
                    }
                }
            }
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(client = %peer.ip(), "connection ended: {e}");
            }
            drop(permit);
        });
    }
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {DRAIN_TIMEOUT:?}; stopping anyway");
    }
    Ok(())
}
