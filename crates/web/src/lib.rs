//! Beacon's web application: server-rendered pages in GOV.UK Design System patterns. Handlers
//! extract, call one use case or store read, and render a template compiled into the binary.
//! The server takes a listener so tests can bind port 0.

pub mod api;
mod assets;
pub mod auth;
pub mod benchmark;
mod chart;
mod compress;
mod csp;
mod encoding;
mod error;
mod extract;
mod flight;
pub mod formats;
mod kept;
pub mod ops;
mod pages;
pub mod paths;
pub mod routes;
mod security;
mod server;
pub use server::Limits;
mod sessions;
mod shared_read;
mod view;
mod writers;

use axum::Router;
use axum::middleware::from_fn_with_state;
use beacon_app::calendar::CalendarStore;
use beacon_app::notices::Outbox;
use beacon_app::{CouncilData, Governance, Store};
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};
use error::WebError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What the web application needs of a database.
pub trait Backend: Store + Governance + Outbox + CalendarStore + 'static {}
impl<T: Store + Governance + Outbox + CalendarStore + 'static> Backend for T {}

/// Where the time comes from: the system clock, or a test's.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How the application is served.
#[derive(Clone)]
pub struct Options {
    pub clock: Clock,
    /// Mark cookies `Secure` (sent over HTTPS only; browsers also send them to localhost).
    pub secure_cookies: bool,
    /// The origin pages are served from (`https://beacon.example.gov.uk`), when behind a
    /// proxy that changes the Host header; otherwise requests must come from their Host.
    pub public_origin: Option<String>,
    /// Readiness check, pool use and metrics for the operations endpoints.
    pub ops: ops::Ops,
    /// The national benchmarking set, when the database holds one: indicator pages show the
    /// council's position in it.
    pub national: Option<beacon_national::NationalDb>,
    /// How fast one API token may ask.
    pub api_rate: api::RateLimit,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            // The edge reads the clock; the domain is given the time.
            #[allow(clippy::disallowed_methods)]
            clock: Arc::new(Utc::now),
            secure_cookies: true,
            public_origin: None,
            ops: ops::Ops::default(),
            national: None,
            api_rate: api::RateLimit::default(),
        }
    }
}

/// What every handler can reach.
pub struct AppState<S> {
    pub store: S,
    pub clock: Clock,
    pub secure_cookies: bool,
    pub public_origin: Option<String>,
    /// Readiness, pool use and metrics.
    pub(crate) ops: ops::Ops,
    /// Councils as last read, with the revision they were read at.
    cache: RwLock<HashMap<CouncilRef, (i64, Arc<CouncilData>)>>,
    /// Pages as last rendered, by path, with the council revision they were rendered at.
    pages: RwLock<Pages>,
    /// One council read at a time per council, one rendering at a time per page.
    reading: flight::Flights,
    rendering: flight::Flights,
    /// The overview's other reads (quarters' states, the missing report), kept per revision.
    kept: kept::Kept,
    /// Sessions as last read, while nothing has been revoked.
    pub(crate) sessions: sessions::Sessions,
    /// The sessions that sent a form lately, which never see a page from before it.
    pub(crate) writers: writers::Writers,
    /// The statement every signed-in page of a council sends first, shared by the requests
    /// that arrive while another is in flight (each still read after it arrived).
    pub(crate) first_reads: shared_read::SharedReads<CouncilRef, beacon_app::ports::ReadAtStart>,
    /// The revocation counter, which a signed-in page outside a council reads first, shared
    /// the same way.
    pub(crate) counter_reads: shared_read::SharedReads<(), Option<i64>>,
    /// A user's own records (the account page's one personal statement), shared the same way
    /// by that user's requests alone.
    pub(crate) own_reads: shared_read::SharedReads<i64, beacon_app::accounts::OwnRecords>,
    /// The national benchmarking set, if any.
    pub(crate) national: Option<beacon_national::NationalDb>,
    /// API tokens as last read, while nothing has been revoked.
    pub(crate) tokens: api::Tokens,
    /// Each API token's bucket of requests.
    pub(crate) limits: api::Limits,
}

/// What the viewer middleware read for a signed-in GET of one of a council's pages.
pub(crate) struct ReadAt {
    pub(crate) council: CouncilRef,
    /// The council's revision, read with the revocation counter, so the page does not ask
    /// again.
    pub(crate) revision: Option<i64>,
    /// The national set's revision, read with them.
    pub(crate) national: Option<i64>,
    /// Whether the page may be the one kept a moment before while another request reads or
    /// renders the latest: never for a session that sent a form lately (`writers`).
    pub(crate) may_lag: bool,
}

tokio::task_local! {
    /// What was read at the start of this request, if it is a signed-in GET of a council's page.
    pub(crate) static READ_REVISION: ReadAt;
}

/// The council whose revision a request may read with the revocation counter: a GET or HEAD
/// of a page under `/c/{council}` (never a form's POST, whose page must see its own write).
pub(crate) fn council_read(method: &axum::http::Method, path: &str) -> Option<CouncilRef> {
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return None;
    }
    let rest = path.strip_prefix("/c/")?;
    rest.split('/').next()?.parse().ok()
}

/// The most bytes of rendered pages kept; past it the page cache starts again. A council's
/// every page for every quarter is about 2,000 pages of 10-70 KB; the ones people read fit.
const MAX_CACHED_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Rendered pages by key (path), each with the council revision it was rendered at, and the
/// bytes they hold in all.
#[derive(Default)]
struct Pages {
    bytes: usize,
    by_key: HashMap<String, (i64, Arc<str>)>,
}

impl Pages {
    /// The page under `key` if it was rendered at `revision` or later.
    fn get(&self, key: &str, revision: i64) -> Option<Arc<str>> {
        self.by_key
            .get(key)
            .filter(|(at, _)| *at >= revision)
            .map(|(_, html)| Arc::clone(html))
    }

    /// Keeps a page, starting again when the pages would hold more than the bound.
    fn put(&mut self, key: String, revision: i64, html: Arc<str>) {
        if self.bytes + html.len() + key.len() > MAX_CACHED_PAGE_BYTES {
            *self = Pages::default();
        }
        self.bytes += html.len() + key.len();
        if let Some((_, old)) = self.by_key.insert(key, (revision, html)) {
            self.bytes -= old.len();
        }
    }
}

impl<S: Store> AppState<S> {
    /// The council's revision: as read at the start of this request with the revocation
    /// counter, or read now.
    async fn revision(&self, cref: &CouncilRef) -> Result<Option<i64>, WebError> {
        let read = READ_REVISION.try_with(|r| if r.council == *cref { r.revision } else { None });
        match read {
            Ok(Some(rev)) => Ok(Some(rev)),
            _ => Ok(self.store.revision(cref).await?),
        }
    }

    /// Whether this request may be given what was kept of `cref` a moment before, rather than
    /// wait while another request reads or renders the latest.
    fn may_lag(cref: &CouncilRef) -> bool {
        READ_REVISION
            .try_with(|r| r.may_lag && r.council == *cref)
            .unwrap_or(false)
    }

    /// A council's whole data, or 404.
    pub(crate) async fn council(&self, reference: &str) -> Result<Arc<CouncilData>, WebError> {
        Ok(self.council_at(reference).await?.1)
    }

    /// A council's data with the revision it was read at. Read once per revision: while nothing
    /// changes, a page costs one small query.
    pub(crate) async fn council_at(
        &self,
        reference: &str,
    ) -> Result<(Option<i64>, Arc<CouncilData>), WebError> {
        let cref: CouncilRef = reference.parse().map_err(|_| WebError::NotFound)?;
        let revision = self.revision(&cref).await?;
        if let Some(data) = self.kept_council(&cref, revision) {
            return Ok((revision, data));
        }
        // One request reads the council while the others wait, then find it kept; or, if they
        // may, take it as it was kept before.
        let _turn = match self.reading.try_turn(cref.as_str()) {
            Some(turn) => turn,
            None => {
                if Self::may_lag(&cref)
                    && let Some((rev, data)) = self.last_council(&cref)
                {
                    return Ok((Some(rev), data));
                }
                self.reading.turn(cref.as_str()).await
            }
        };
        if let Some(data) = self.kept_council(&cref, revision) {
            return Ok((revision, data));
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

    /// A council's data for its names alone (the council's and its units', on pages outside
    /// it such as the account page): as last kept, whatever its revision, without asking the
    /// database; read only when no page of the council has been read yet. A renamed unit shows
    /// its new name here once any page of the council has been read since.
    pub(crate) async fn council_for_names(&self, reference: &str) -> Option<Arc<CouncilData>> {
        let cref: CouncilRef = reference.parse().ok()?;
        let kept = self
            .cache
            .read()
            .ok()
            .and_then(|cache| cache.get(&cref).map(|(_, data)| Arc::clone(data)));
        match kept {
            Some(data) => Some(data),
            None => self.council(reference).await.ok(),
        }
    }

    /// The council as last kept, whatever its revision.
    fn last_council(&self, cref: &CouncilRef) -> Option<(i64, Arc<CouncilData>)> {
        let cache = self.cache.read().ok()?;
        let (at, data) = cache.get(cref)?;
        Some((*at, Arc::clone(data)))
    }

    /// The council as kept, if it was read at `revision` or later.
    fn kept_council(&self, cref: &CouncilRef, revision: Option<i64>) -> Option<Arc<CouncilData>> {
        let rev = revision?;
        let cache = self.cache.read().ok()?;
        let (at, data) = cache.get(cref)?;
        (*at >= rev).then(|| Arc::clone(data))
    }

    /// The cache key of a page that also shows figures from the national set: its path and the
    /// set's revision, one cheap read, so a load or a contribution (from any process) shows at
    /// the next request while an unchanged set costs nothing more.
    pub(crate) async fn national_key(&self, path: String) -> String {
        let Some(db) = &self.national else {
            return path;
        };
        if let Ok(Some(r)) = READ_REVISION.try_with(|r| r.national) {
            return format!("{path}#national-{r}");
        }
        match db.revision().await {
            Ok(r) => format!("{path}#national-{r}"),
            Err(e) => {
                tracing::error!("the national set's revision could not be read: {e}");
                format!("{path}#national-unread")
            }
        }
    }

    /// A page rendered once per revision of the council's data and per `path` (which names
    /// anything else it shows, such as the national set's revision); the rendering may read
    /// more (the national set) before drawing.
    pub(crate) async fn page_async<F, Fut>(
        &self,
        council: &str,
        path: String,
        render: F,
    ) -> Result<axum::response::Html<String>, WebError>
    where
        F: FnOnce(Arc<CouncilData>) -> Fut,
        Fut: std::future::Future<Output = Result<String, WebError>>,
    {
        let cref: CouncilRef = council.parse().map_err(|_| WebError::NotFound)?;
        let revision = self.revision(&cref).await?;
        if let Some(html) = self.kept_page(&path, revision) {
            return Ok(axum::response::Html(html.to_string()));
        }
        // One request renders the page while the others wait, then find it kept (see
        // `flight`): just after a save, the requests in flight do not all render it at once.
        let _turn = match self.turn_or_last(&cref, &path).await {
            Ok(turn) => turn,
            Err(before) => return Ok(axum::response::Html(before.to_string())),
        };
        if let Some(html) = self.kept_page(&path, revision) {
            return Ok(axum::response::Html(html.to_string()));
        }
        let (_, data) = self.council_at(council).await?;
        let html = render(data).await?;
        if let Some(rev) = revision
            && let Ok(mut pages) = self.pages.write()
        {
            pages.put(path, rev, Arc::from(html.as_str()));
        }
        Ok(axum::response::Html(html))
    }

    /// As [`Self::page_async`], for a handler that has read the council already (with
    /// [`Self::council_at`], to choose its key): `key` must name everything the page shows
    /// besides the council's data at `revision`.
    pub(crate) async fn page_of<F, Fut>(
        &self,
        (revision, data): (Option<i64>, Arc<CouncilData>),
        key: String,
        render: F,
    ) -> Result<axum::response::Html<String>, WebError>
    where
        F: FnOnce(Arc<CouncilData>) -> Fut,
        Fut: std::future::Future<Output = Result<String, WebError>>,
    {
        if let Some(html) = self.kept_page(&key, revision) {
            return Ok(axum::response::Html(html.to_string()));
        }
        let _turn = match self.turn_or_last(&data.council.reference, &key).await {
            Ok(turn) => turn,
            Err(before) => return Ok(axum::response::Html(before.to_string())),
        };
        if let Some(html) = self.kept_page(&key, revision) {
            return Ok(axum::response::Html(html.to_string()));
        }
        let html = render(data).await?;
        if let Some(rev) = revision
            && let Ok(mut pages) = self.pages.write()
        {
            pages.put(key, rev, Arc::from(html.as_str()));
        }
        Ok(axum::response::Html(html))
    }

    /// The turn to render `key`; or, if another request holds it and this request may lag,
    /// the page last kept under `key` from before (`Err`), to give instead.
    async fn turn_or_last(
        &self,
        cref: &CouncilRef,
        key: &str,
    ) -> Result<tokio::sync::MutexGuard<'_, ()>, Arc<str>> {
        if let Some(turn) = self.rendering.try_turn(key) {
            return Ok(turn);
        }
        if Self::may_lag(cref)
            && let Some(html) = self
                .pages
                .read()
                .ok()
                .and_then(|pages| pages.by_key.get(key).map(|(_, html)| Arc::clone(html)))
        {
            return Err(html);
        }
        Ok(self.rendering.turn(key).await)
    }

    /// The page under `key` as kept, if it was rendered at `revision` or later.
    fn kept_page(&self, key: &str, revision: Option<i64>) -> Option<Arc<str>> {
        self.pages.read().ok()?.get(key, revision?)
    }
}

impl<S: Backend> AppState<S> {
    /// The state of a new server over `store`: nothing kept yet.
    fn new(store: S, options: Options) -> Self {
        AppState {
            store,
            clock: options.clock,
            secure_cookies: options.secure_cookies,
            public_origin: options.public_origin,
            ops: options.ops,
            cache: RwLock::new(HashMap::new()),
            pages: RwLock::new(Pages::default()),
            reading: flight::Flights::default(),
            rendering: flight::Flights::default(),
            kept: kept::Kept::default(),
            sessions: sessions::Sessions::default(),
            writers: writers::Writers::default(),
            first_reads: shared_read::SharedReads::default(),
            counter_reads: shared_read::SharedReads::default(),
            own_reads: shared_read::SharedReads::default(),
            national: options.national,
            tokens: api::Tokens::default(),
            limits: api::Limits::new(options.api_rate),
        }
    }
}

/// The application's routes, on the system clock.
pub fn router<S: Backend>(store: S) -> Router {
    router_with(store, Options::default())
}

/// The application's routes: every route of the registry, each behind its access check, all
/// behind the CSRF check and the viewer's session.
pub fn router_with<S: Backend>(store: S, options: Options) -> Router {
    let operations = options.ops.clone();
    let state = Arc::new(AppState::new(store, options));
    let kept = Arc::new(compress::Kept::default());
    let mut app = Router::new();
    for spec in routes::ROUTES {
        match routes::handler::<S>(spec.name) {
            Some(h) => app = app.route(spec.path, routes::guarded(&state, *spec, h)),
            None => tracing::error!(route = spec.name, "a registered route has no handler"),
        }
    }
    app.fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::plain_rejections))
        .layer(axum::extract::DefaultBodyLimit::max(
            routes::UPLOAD_BODY_LIMIT,
        ))
        .layer(from_fn_with_state(Arc::clone(&state), auth::csrf::<S>))
        .layer(from_fn_with_state(Arc::clone(&state), api::bearer::<S>))
        .layer(from_fn_with_state(Arc::clone(&state), auth::viewer::<S>))
        .layer(axum::middleware::from_fn(move |req, next| {
            compress::compress(Arc::clone(&kept), req, next)
        }))
        .layer(compress::layer())
        .layer(from_fn_with_state(operations, ops::access))
        .with_state(state)
}

/// Serves the router on a listener until the process is stopped. Each connection sends
/// without Nagle's delay (`TCP_NODELAY`): a response's last partial segment would otherwise
/// wait for the client's delayed acknowledgement, up to 200 ms (see docs/performance.md).
/// Connections are bounded (`server`): a cap on how many, and timeouts for headers and whole
/// requests.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    server::run(listener, app, std::future::pending(), Limits::default()).await
}

/// As [`serve`], until `stop` completes ([`ops::stop_signal`]: SIGTERM or Ctrl+C); then new
/// connections are refused and the requests in flight finish before it returns.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::run(listener, app, stop, Limits::default()).await
}

/// As [`serve_until`], within other bounds than the defaults: a connection cap and header
/// and request timeouts of the operator's (or a test's) choosing.
pub async fn serve_within(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> std::io::Result<()> {
    server::run(listener, app, stop, limits).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use beacon_test_support::TempDb;
    use beacon_test_support::contract::fixtures::{everything, rich_council};
    use std::time::Duration;

    /// While one request reads a council's latest revision or renders a page at it, a reader
    /// who has not sent a form lately is given the council or page as kept a moment before
    /// instead of waiting; one who has sent a form waits for the latest, and so sees their own
    /// save.
    #[tokio::test]
    async fn while_the_latest_is_read_a_reader_takes_what_was_kept_before_but_a_writer_waits() {
        let db = TempDb::new().await;
        let mut d = rich_council();
        db.store.apply(&everything(&d)).await.unwrap();
        let cref = d.council.reference.clone();
        let state = AppState::new(db.store.clone(), Options::default());
        let (before, _) = state.council_at(cref.as_str()).await.unwrap();
        // Another process changes the council: its revision moves on.
        d.council.name = "Renamed Borough Council".into();
        db.store.apply(&everything(&d)).await.unwrap();
        let latest = db.store.revision(&cref).await.unwrap();
        assert!(latest > before, "the change moved the revision");

        let other_request = state.reading.turn(cref.as_str()).await;
        let at = |may_lag| ReadAt {
            council: cref.clone(),
            revision: latest,
            national: None,
            may_lag,
        };
        let (rev, data) = tokio::time::timeout(
            Duration::from_secs(5),
            READ_REVISION.scope(at(true), state.council_at(cref.as_str())),
        )
        .await
        .expect("a reader does not wait")
        .unwrap();
        assert_eq!(rev, before, "a reader is given the council as kept");
        assert_ne!(data.council.name, "Renamed Borough Council");
        let writer = tokio::time::timeout(
            Duration::from_millis(300),
            READ_REVISION.scope(at(false), state.council_at(cref.as_str())),
        )
        .await;
        assert!(writer.is_err(), "a writer waits for the latest");
        drop(other_request);
        let (rev, data) = READ_REVISION
            .scope(at(false), state.council_at(cref.as_str()))
            .await
            .unwrap();
        assert_eq!(rev, latest);
        assert_eq!(data.council.name, "Renamed Borough Council");
        // Once the latest is kept, the reader gets it too.
        let (rev, data) = READ_REVISION
            .scope(at(true), state.council_at(cref.as_str()))
            .await
            .unwrap();
        assert_eq!(rev, latest);

        // The same for a page: kept at the earlier revision, rendered anew at the latest.
        let page = |text: &'static str| move |_| async move { Ok(text.to_string()) };
        let kept = state
            .page_of((before, Arc::clone(&data)), "page".into(), page("before"))
            .await
            .unwrap();
        assert_eq!(kept.0, "before");
        let other_request = state.rendering.turn("page").await;
        let reader = tokio::time::timeout(
            Duration::from_secs(5),
            READ_REVISION.scope(
                at(true),
                state.page_of((latest, Arc::clone(&data)), "page".into(), page("latest")),
            ),
        )
        .await
        .expect("a reader does not wait")
        .unwrap();
        assert_eq!(reader.0, "before", "a reader is given the page as kept");
        let writer = tokio::time::timeout(
            Duration::from_millis(300),
            READ_REVISION.scope(
                at(false),
                state.page_of((latest, Arc::clone(&data)), "page".into(), page("latest")),
            ),
        )
        .await;
        assert!(writer.is_err(), "a writer waits for the page at the latest");
        drop(other_request);
        let writer = READ_REVISION
            .scope(
                at(false),
                state.page_of((latest, data), "page".into(), page("latest")),
            )
            .await
            .unwrap();
        assert_eq!(writer.0, "latest");
    }
}
