//! `beacon serve`: serve the web app.

use crate::args::WebArgs;
use crate::store::AnyStore;

pub async fn run(store: AnyStore, addr: &str, web: &WebArgs) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    // Browsers keep secure cookies for http://localhost, not for http://127.0.0.1.
    let shown = if local.ip().is_loopback() {
        format!("http://localhost:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    println!("Beacon is serving at {shown} (press Ctrl+C to stop)");
    let options = beacon_web::Options {
        secure_cookies: !web.insecure_cookies,
        public_origin: web.public_origin.clone(),
        ..beacon_web::Options::default()
    };
    beacon_web::serve(listener, beacon_web::router_with(store, options))
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}
