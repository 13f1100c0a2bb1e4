//! `beacon serve`: serve the web app until SIGTERM or Ctrl+C, then let the requests in flight
//! finish; with `--metrics-addr`, Prometheus metrics on a second listener.

use crate::args::{MailArgs, WebArgs};
use crate::store::AnyStore;
use beacon_web::ops::{Ops, PoolUse, Readiness};
use std::sync::Arc;

pub async fn run(
    store: AnyStore,
    addr: &str,
    web: &WebArgs,
    mail: &MailArgs,
) -> Result<(), String> {
    let public_origin = web
        .public_origin
        .as_deref()
        .map(beacon_web::ops::check_public_origin)
        .transpose()?;
    // PDFs are typeset by a child process each, so the typesetter's memory leaves with it.
    if let Ok(program) = std::env::current_exe() {
        beacon_reports_pdf::typeset_in_child_processes(beacon_reports_pdf::ChildTypesetter::new(
            program,
            vec!["typeset-pdf".into()],
        ));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let ops = operations(&store);
    if let Some(metrics_addr) = &web.metrics_addr {
        let metrics = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .map_err(|e| format!("cannot listen on --metrics-addr {metrics_addr}: {e}"))?;
        let app = beacon_web::ops::metrics_router(ops.clone());
        say(format_args!(
            "Metrics at http://{}/metrics",
            metrics.local_addr().map_err(|e| e.to_string())?
        ));
        tokio::spawn(async move {
            if let Err(e) = beacon_web::serve(metrics, app).await {
                tracing::error!(target: "beacon::server", "the metrics listener stopped: {e}");
            }
        });
    }
    // Browsers keep secure cookies for http://localhost, not for http://127.0.0.1.
    let shown = if local.ip().is_loopback() {
        format!("http://localhost:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    match &public_origin {
        Some(origin) => say(format_args!(
            "Beacon is serving at {shown} for {origin}/ (press Ctrl+C to stop)"
        )),
        None => say(format_args!(
            "Beacon is serving at {shown} (press Ctrl+C to stop)"
        )),
    }
    // Notices: reminders and sending run beside the pages; a bad --smtp stops the start.
    super::notify::mailer(mail)?;
    if mail.smtp.is_none() {
        say(format_args!(
            "No SMTP server is configured (--smtp): notices are kept in the outbox."
        ));
    }
    tokio::spawn(super::notify::scheduler(
        store.clone(),
        mail.clone(),
        beacon_web::paths::PageLinks::new(public_origin.as_deref()),
    ));
    let options = beacon_web::Options {
        secure_cookies: !web.insecure_cookies,
        public_origin,
        ops,
        national: Some(super::national::national_db(&store)),
        api_rate: web.api_rate(),
        ..beacon_web::Options::default()
    };
    let app = beacon_web::router_with(store, options);
    beacon_web::serve_within(listener, app, beacon_web::ops::stop_signal(), web.limits())
        .await
        .map_err(|e| format!("the server stopped: {e}"))?;
    say(format_args!(
        "Beacon has stopped; every request in flight was answered."
    ));
    Ok(())
}

/// One line to standard output. A server outlives whoever started it: if its output was closed
/// (a service manager, a test that stopped reading), the line is dropped rather than ending the
/// server with a panic, as `println!` would.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// The readiness check and pool use of the store, for `/readyz` and the metrics.
fn operations(store: &AnyStore) -> Ops {
    let ready_store = store.clone();
    let readiness: Readiness = Arc::new(move || {
        let s = ready_store.clone();
        Box::pin(async move { s.schema_check().await.map_err(|e| e.to_string()) })
    });
    let pool_store = store.clone();
    let pool_use: PoolUse = Arc::new(move || pool_store.pool_use());
    Ops {
        readiness: Some(readiness),
        pool_use: Some(pool_use),
        ..Ops::default()
    }
}
