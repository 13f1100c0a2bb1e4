//! What operators need from the running service: a request id and an access-log line for
//! every request (target `beacon::access`), the request id on error pages, `/readyz` (the
//! database answers and its schema is current; 503 otherwise, within seconds), Prometheus
//! metrics for a separate loopback listener, and stopping on SIGTERM or Ctrl+C once the
//! requests in flight have finished.

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The header a request id comes in (from a proxy: nginx's `$request_id`) and goes out in.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(3);

tokio::task_local! {
    /// The id of the request being handled, for error pages.
    static REQUEST_ID: String;
}

/// The id of the request being handled, if any.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Checks that the database answers and its schema is current; the error says why not.
pub type Readiness =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// The connection pool's use: (open, idle, most allowed).
pub type PoolUse = Arc<dyn Fn() -> (u32, usize, u32) + Send + Sync>;

/// What the operations endpoints are given by whoever starts the server.
#[derive(Clone, Default)]
pub struct Ops {
    /// The readiness check; without one, `/readyz` asks the store for its councils.
    pub readiness: Option<Readiness>,
    /// The pool's use, for the metrics.
    pub pool_use: Option<PoolUse>,
    /// Where requests are counted.
    pub metrics: Arc<Metrics>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

/// The service's Prometheus metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    sign_in_failures: Counter,
    csrf_refusals: Counter,
    pool_open: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    next_id: AtomicU64,
    /// Makes request ids differ between runs of the process.
    boot: u64,
}

/// The latency buckets: 1 ms to about 33 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("beacon");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let (sign_in_failures, csrf_refusals) = (Counter::default(), Counter::default());
        let (pool_open, pool_idle, pool_max) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register(
            "http_requests",
            "Requests answered, by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by method and route",
            latency.clone(),
        );
        registry.register(
            "sign_in_failures",
            "Sign-ins refused (wrong username or password, disabled, throttled)",
            sign_in_failures.clone(),
        );
        registry.register(
            "csrf_refusals",
            "Forms refused because their Origin or token was not this site's",
            csrf_refusals.clone(),
        );
        registry.register(
            "db_pool_connections_open",
            "Database connections open",
            pool_open.clone(),
        );
        registry.register(
            "db_pool_connections_idle",
            "Database connections idle",
            pool_idle.clone(),
        );
        registry.register(
            "db_pool_connections_max",
            "Database connections allowed",
            pool_max.clone(),
        );
        // The edge reads the clock: only to tell this run's request ids from the last run's.
        #[allow(clippy::disallowed_methods)]
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Metrics {
            registry,
            requests,
            latency,
            sign_in_failures,
            csrf_refusals,
            pool_open,
            pool_idle,
            pool_max,
            next_id: AtomicU64::new(1),
            boot,
        }
    }
}

impl Metrics {
    /// Counts a form refused by the CSRF check.
    pub fn csrf_refused(&self) {
        self.csrf_refusals.inc();
    }

    /// A new request id: this run's start and a counter, 16 hex digits.
    fn new_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}{:08x}", self.boot & 0xffff_ffff, n & 0xffff_ffff)
    }

    /// The metrics in Prometheus's text format, with the pool's use read now.
    fn encode(&self, pool_use: Option<&PoolUse>) -> Result<String, std::fmt::Error> {
        if let Some(pool) = pool_use {
            let (open, idle, max) = pool();
            self.pool_open.set(i64::from(open));
            self.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
            self.pool_max.set(i64::from(max));
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// A request id given by the proxy, if it is a plain token.
fn given_id(req: &Request) -> Option<String> {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map(str::to_string)
}

/// Gives the request an id, answers it, then writes one access-log line and counts it.
pub async fn access(State(ops): State<Ops>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = given_id(&req).unwrap_or_else(|| ops.metrics.new_id());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let mut response = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    let elapsed = started.elapsed();
    let status = response.status();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    tracing::info!(
        target: "beacon::access",
        request_id = %id,
        method = %method,
        path = %path,
        route = %route,
        status = status.as_u16(),
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    let m = &ops.metrics;
    m.requests
        .get_or_create(&RequestLabels {
            method: method.to_string(),
            route: route.clone(),
            status: status.as_u16(),
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels {
            method: method.to_string(),
            route: route.clone(),
        })
        .observe(elapsed.as_secs_f64());
    if method == Method::POST && route == "/sign-in" && status == StatusCode::UNAUTHORIZED {
        m.sign_in_failures.inc();
    }
    response
}

/// `/readyz`: 200 while the database answers and its schema is current; otherwise 503 within
/// a few seconds, with the reason in the log.
pub async fn ready(ops: &Ops, fallback: impl Future<Output = Result<(), String>>) -> Response {
    let check = async {
        match &ops.readiness {
            Some(r) => r().await,
            None => fallback.await,
        }
    };
    let why = match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(())) => return (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(e)) => e,
        Err(_) => format!(
            "the database did not answer within {} seconds",
            READY_TIMEOUT.as_secs()
        ),
    };
    tracing::warn!(target: "beacon::ready", %why, "not ready");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        "not ready: the database does not answer or its schema is not current (see the log)\n",
    )
        .into_response()
}

/// The metrics listener's routes: `/metrics` only. Serve it on loopback, apart from the pages.
pub fn metrics_router(ops: Ops) -> Router {
    Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let ops = ops.clone();
            async move {
                match ops.metrics.encode(ops.pool_use.as_ref()) {
                    Ok(text) => (
                        [(
                            header::CONTENT_TYPE,
                            "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        )],
                        text,
                    )
                        .into_response(),
                    Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                }
            }
        }),
    )
}

/// Completes on SIGTERM (systemd's stop) or SIGINT (Ctrl+C).
pub async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!(target: "beacon::server", "stopping: finishing the requests in flight");
}

/// `/readyz` for the router: the given readiness check, or the store's councils.
pub(crate) async fn ready_route<S: crate::Backend>(
    State(state): State<Arc<crate::AppState<S>>>,
) -> Response {
    let fallback = async {
        state
            .store
            .councils()
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    ready(&state.ops, fallback).await
}

/// Checks `--public-origin` as users' browsers will send it in `Origin`: `https://` (or
/// `http://`) and a host with an optional port, nothing after it. Answers it in lower case.
pub fn check_public_origin(origin: &str) -> Result<String, String> {
    let explain = "give the scheme and host users type, with no path or trailing slash, \
                   such as https://beacon.example.gov.uk";
    let Some((scheme, host)) = origin
        .split_once("://")
        .filter(|(s, _)| s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"))
    else {
        return Err(format!(
            "--public-origin {origin:?} does not start with https:// or http://: {explain}"
        ));
    };
    if let Some(stripped) = host.strip_suffix('/')
        && !stripped.contains('/')
    {
        return Err(format!(
            "--public-origin {origin:?} ends with a slash, which browsers never send: use {}://{stripped}",
            scheme.to_ascii_lowercase()
        ));
    }
    let fine = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']');
    if host.is_empty() || !host.bytes().all(fine) {
        return Err(format!(
            "--public-origin {origin:?} is not a scheme and a host alone: {explain}"
        ));
    }
    Ok(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::check_public_origin;

    #[test]
    fn a_public_origin_is_a_scheme_and_host_and_nothing_else() {
        assert_eq!(
            check_public_origin("https://Beacon.Example.gov.uk").as_deref(),
            Ok("https://beacon.example.gov.uk")
        );
        assert_eq!(
            check_public_origin("https://127.0.0.1:8443").as_deref(),
            Ok("https://127.0.0.1:8443")
        );
        let slash = check_public_origin("https://beacon.example.gov.uk/").unwrap_err();
        assert!(
            slash.contains("use https://beacon.example.gov.uk"),
            "{slash}"
        );
        let bare = check_public_origin("beacon.example.gov.uk").unwrap_err();
        assert!(bare.contains("does not start with https://"), "{bare}");
        let path = check_public_origin("https://example.gov.uk/beacon").unwrap_err();
        assert!(path.contains("no path"), "{path}");
        assert!(check_public_origin("https://").is_err());
    }
}
