//! Beacon's web application: server-rendered pages in GOV.UK Design System patterns. Handlers
//! extract, call one use case or store read, and render a template compiled into the binary.
//! The server takes a listener so tests can bind port 0.

mod assets;
mod chart;
mod error;
mod pages;
pub mod paths;
mod view;

use axum::Router;
use axum::routing::get;
use beacon_app::{CouncilData, Store};
use beacon_domain::organisation::CouncilRef;
use error::WebError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What every handler can reach.
pub struct AppState<S> {
    pub store: S,
    /// Councils as last read, with the revision they were read at.
    cache: RwLock<HashMap<CouncilRef, (i64, Arc<CouncilData>)>>,
    /// Pages as last rendered, by path, with the council revision they were rendered at.
    pages: RwLock<HashMap<String, (i64, Arc<String>)>>,
}

/// The most rendered pages kept; past it the page cache starts again.
const MAX_CACHED_PAGES: usize = 512;

impl<S: Store> AppState<S> {
    /// A council's whole data, or 404.
    pub(crate) async fn council(&self, reference: &str) -> Result<Arc<CouncilData>, WebError> {
        Ok(self.council_at(reference).await?.1)
    }

    /// A council's data with the revision it was read at. Read once per revision: while nothing
    /// changes, a page costs one small query.
    async fn council_at(
        &self,
        reference: &str,
    ) -> Result<(Option<i64>, Arc<CouncilData>), WebError> {
        let cref: CouncilRef = reference.parse().map_err(|_| WebError::NotFound)?;
        let revision = self.store.revision(&cref).await?;
        if let Some(rev) = revision
            && let Ok(cache) = self.cache.read()
            && let Some((cached, data)) = cache.get(&cref)
            && *cached == rev
        {
            return Ok((revision, Arc::clone(data)));
        }
        let data = self
            .store
            .council_data(&cref)
            .await?
            .map(Arc::new)
            .ok_or(WebError::NotFound)?;
        if let Some(rev) = revision
            && let Ok(mut cache) = self.cache.write()
        {
            cache.insert(cref, (rev, Arc::clone(&data)));
        }
        Ok((revision, data))
    }

    /// A page that depends only on the council's data and its path: rendered once per revision
    /// of the council's data.
    pub(crate) async fn page(
        &self,
        council: &str,
        path: String,
        render: impl FnOnce(&CouncilData) -> Result<String, WebError>,
    ) -> Result<axum::response::Html<String>, WebError> {
        let cref: CouncilRef = council.parse().map_err(|_| WebError::NotFound)?;
        let revision = self.store.revision(&cref).await?;
        if let Some(rev) = revision
            && let Ok(pages) = self.pages.read()
            && let Some((at, html)) = pages.get(&path)
            && *at == rev
        {
            return Ok(axum::response::Html(html.as_ref().clone()));
        }
        let (_, data) = self.council_at(council).await?;
        let html = render(&data)?;
        if let Some(rev) = revision
            && let Ok(mut pages) = self.pages.write()
        {
            if pages.len() >= MAX_CACHED_PAGES {
                pages.clear();
            }
            pages.insert(path, (rev, Arc::new(html.clone())));
        }
        Ok(axum::response::Html(html))
    }
}

/// The application's routes.
pub fn router<S: Store + 'static>(store: S) -> Router {
    let state = Arc::new(AppState {
        store,
        cache: RwLock::new(HashMap::new()),
        pages: RwLock::new(HashMap::new()),
    });
    Router::new()
        .route("/", get(pages::council::home::<S>))
        .route("/c/{council}", get(pages::council::overview::<S>))
        .route("/c/{council}/search", get(pages::council::search::<S>))
        .route(
            "/c/{council}/q/{year}/{quarter}",
            get(pages::quarter::dashboard::<S>),
        )
        .route(
            "/c/{council}/q/{year}/{quarter}/budget",
            get(pages::budget::statements::<S>),
        )
        .route(
            "/c/{council}/q/{year}/{quarter}/budget/{statement}",
            get(pages::budget::statement::<S>),
        )
        .route(
            "/c/{council}/q/{year}/{quarter}/entry/{unit}",
            get(pages::entry::form::<S>).post(pages::entry::submit::<S>),
        )
        .route(
            "/c/{council}/q/{year}/{quarter}/report/{unit}",
            get(pages::report::page::<S>),
        )
        .route(
            "/c/{council}/q/{year}/{quarter}/report/{unit}/{file}",
            get(pages::report::download::<S>),
        )
        .route("/c/{council}/plans/{plan}", get(pages::plan::browser::<S>))
        .route(
            "/c/{council}/plans/{plan}/objectives/{objective}",
            get(pages::plan::objective::<S>),
        )
        .route(
            "/c/{council}/plans/{plan}/indicators/{indicator}",
            get(pages::plan::indicator::<S>),
        )
        .route(
            "/c/{council}/plans/{plan}/risks",
            get(pages::plan::risks::<S>),
        )
        .route("/assets/beacon.css", get(assets::css))
        .route("/assets/govuk-frontend.min.js", get(assets::js))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(error::not_found)
        .with_state(state)
}

/// Serves the router on a listener until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}
