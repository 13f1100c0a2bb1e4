//! Beacon's web application. Handlers extract, call one use case or store read, and render a
//! template compiled into the binary. The server takes a listener so tests can bind port 0.

mod error;
mod pages;

use axum::Router;
use axum::routing::get;
use beacon_app::Store;
use std::sync::Arc;

/// What every handler can reach.
pub struct AppState<S> {
    pub store: S,
}

/// The application's routes.
pub fn router<S: Store + 'static>(store: S) -> Router {
    let state = Arc::new(AppState { store });
    Router::new()
        .route("/", get(pages::home::<S>))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

/// Serves the router on a listener until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}
