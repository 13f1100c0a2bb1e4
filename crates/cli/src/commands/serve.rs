//! `beacon serve`: serve the web app.

use crate::store::AnyStore;

pub async fn run(store: AnyStore, addr: &str) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Beacon is serving at http://{local}/ (press Ctrl+C to stop)");
    beacon_web::serve(listener, beacon_web::router(store))
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}
