//! How pages travel: compression negotiated per request (brotli, gzip, none) and decoding to
//! the same page; fingerprinted assets kept for a year and unknown fingerprints not found; no
//! cookie on a response that does not need one; and sessions kept in memory that still end at
//! once when they are revoked through another connection to the same database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use beacon_app::Governance;
use beacon_app::accounts::{self, UserChange};
use beacon_store_sql::SqlStore;
use beacon_store_sqlite::SqliteStore;
use common::{Client, halton_with_users, signed_out};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

const DASHBOARD: &str = "/c/halton/q/2012-13/2?unit=CED";

/// A response's status, headers and raw (still encoded) body.
async fn raw(
    app: &axum::Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::builder()
        .uri(path)
        .header(header::HOST, "localhost");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

fn brotli_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn encoding(h: &HeaderMap) -> Option<&str> {
    h.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap())
}

fn varies_by_encoding(h: &HeaderMap) -> bool {
    h.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    })
}

/// The asset URLs a page links to.
fn asset_urls(html: &str) -> Vec<String> {
    html.match_indices("/assets/")
        .map(|(at, _)| {
            let end = html[at..].find(['"', '\'']).unwrap() + at;
            html[at..end].to_string()
        })
        .collect()
}

#[tokio::test]
async fn pages_are_compressed_as_the_client_asks_and_decode_to_the_same_page() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let client = Client::signed_in(&app, "councillor").await;
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let with = |enc: &'static str| {
        [
            ("cookie", cookie.clone()),
            ("accept-encoding", enc.to_string()),
        ]
    };
    let ask = |enc: &'static str| {
        let app = app.clone();
        let h = with(enc);
        async move {
            let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
            raw(&app, DASHBOARD, &h).await
        }
    };
    let (status, plain_h, plain) = ask("identity").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(encoding(&plain_h), None);
    assert!(varies_by_encoding(&plain_h), "{plain_h:?}");
    let page = String::from_utf8(plain.clone()).unwrap();
    assert!(
        page.contains("Test councillor"),
        "the account bar is filled in"
    );
    for round in 0..2 {
        // The second round comes from the kept compressed bodies: still the same page.
        let (_, h, br) = ask("gzip, deflate, br").await;
        assert_eq!(encoding(&h), Some("br"), "round {round}");
        assert!(varies_by_encoding(&h));
        assert_eq!(brotli_decoded(&br), plain, "round {round}");
        assert!(
            br.len() * 4 < plain.len(),
            "brotli: {} of {} bytes",
            br.len(),
            plain.len()
        );
        let (_, h, gz) = ask("gzip").await;
        assert_eq!(encoding(&h), Some("gzip"));
        assert_eq!(gzip_decoded(&gz), plain);
    }
    let (_, h, body) = ask("br;q=0, gzip;q=0").await;
    assert_eq!(encoding(&h), None);
    assert_eq!(body, plain);
    // Another viewer's page is compressed from their own bytes, never served from this one's.
    let other = Client::signed_in(&app, "admin").await;
    let other_cookie = format!(
        "beacon_session={}",
        other.cookies.get("beacon_session").unwrap()
    );
    let (_, _, theirs) = raw(
        &app,
        DASHBOARD,
        &[("cookie", &other_cookie), ("accept-encoding", "br")],
    )
    .await;
    let theirs = String::from_utf8(brotli_decoded(&theirs)).unwrap();
    assert!(theirs.contains("Test admin") && !theirs.contains("Test councillor"));
}

#[tokio::test]
async fn json_and_csv_are_compressed_too() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let client = Client::signed_in(&app, "councillor").await;
    let cookie = format!(
        "beacon_session={}",
        client.cookies.get("beacon_session").unwrap()
    );
    for path in [
        "/c/halton/q/2012-13/2/report/CED/report.json",
        "/c/halton/plans/CED-2012-13/tables/risks.csv",
    ] {
        let (status, plain_h, plain) = raw(&app, path, &[("cookie", &cookie)]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(encoding(&plain_h), None, "{path}");
        let (_, h, gz) = raw(
            &app,
            path,
            &[("cookie", &cookie), ("accept-encoding", "gzip")],
        )
        .await;
        assert_eq!(encoding(&h), Some("gzip"), "{path}");
        assert_eq!(gzip_decoded(&gz), plain, "{path}");
    }
}

#[tokio::test]
async fn assets_are_fingerprinted_kept_for_a_year_and_sent_precompressed() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let (_, _, page) = raw(&app, "/sign-in", &[]).await;
    // The assets build.rs compiles: the stylesheet and GOV.UK Frontend's script.
    let urls: Vec<String> = asset_urls(&String::from_utf8(page).unwrap())
        .into_iter()
        .filter(|u| u.starts_with("/assets/beacon.") || u.starts_with("/assets/govuk-frontend."))
        .collect();
    assert!(
        urls.iter().any(|u| u.ends_with(".css")) && urls.iter().any(|u| u.ends_with(".js")),
        "{urls:?}"
    );
    for url in &urls {
        // /assets/NAME.HASH.EXT: sixteen hex digits of the content's hash.
        let hash = url.split('.').nth(1).unwrap();
        assert!(
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{url}"
        );
        let (status, h, plain) = raw(&app, url, &[]).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        assert_eq!(
            h[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{url}"
        );
        assert!(varies_by_encoding(&h), "{url}");
        assert!(h.get(header::SET_COOKIE).is_none(), "{url} sets no cookie");
        let (_, h, br) = raw(&app, url, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(encoding(&h), Some("br"));
        assert_eq!(brotli_decoded(&br), plain, "{url}");
        let (_, h, gz) = raw(&app, url, &[("accept-encoding", "gzip")]).await;
        assert_eq!(encoding(&h), Some("gzip"));
        assert_eq!(gzip_decoded(&gz), plain, "{url}");
        assert!(br.len() < gz.len() && gz.len() < plain.len() / 3, "{url}");
    }
    for gone in [
        "/assets/beacon.css",
        "/assets/govuk-frontend.min.js",
        "/assets/beacon.0000000000000000.css",
    ] {
        let (status, h, _) = raw(&app, gone, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
        assert!(
            h.get(header::CACHE_CONTROL)
                .is_none_or(|v| !v.to_str().unwrap().contains("immutable"))
        );
    }
}

#[tokio::test]
async fn only_pages_with_a_form_set_the_form_cookie_and_the_form_still_works() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    for plain in ["/healthz", "/p/halton", "/", "/no-such-page"] {
        let (_, h, _) = raw(&app, plain, &[]).await;
        assert!(h.get(header::SET_COOKIE).is_none(), "{plain}: {h:?}");
    }
    let (status, h, _) = raw(&app, "/sign-in", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = h[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("beacon_csrf="), "{cookie}");
    // A visitor who first saw only plain pages still signs in through the form.
    let mut c = Client::new(&app);
    c.get("/p/halton").await;
    assert!(c.cookies.is_empty(), "{:?}", c.cookies);
    let p = c.sign_in("councillor", common::PASSWORD).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
}

/// The same database file through a second pool: what another process sees and does.
async fn second_handle(db: &beacon_test_support::TempDb) -> SqlStore {
    SqliteStore::open(db.path.to_str().unwrap()).await.unwrap()
}

#[tokio::test]
async fn revocations_through_another_connection_end_access_at_the_next_request() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let other = second_handle(&db).await;
    let tester = beacon_test_support::tester();
    // Disabling a user.
    let mut c = Client::signed_in(&app, "councillor").await;
    for _ in 0..3 {
        assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    }
    accounts::change_user(&other, "councillor", UserChange::Disable, &tester)
        .await
        .unwrap();
    assert!(signed_out(&c.get(DASHBOARD).await), "disabled: at once");
    // A new password set elsewhere.
    let mut c = Client::signed_in(&app, "approver").await;
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    accounts::change_user(
        &other,
        "approver",
        UserChange::Password("a brand new password".into()),
        &tester,
    )
    .await
    .unwrap();
    assert!(signed_out(&c.get(DASHBOARD).await), "new password: at once");
    // Signing out everywhere, from elsewhere.
    let mut c = Client::signed_in(&app, "admin").await;
    assert_eq!(c.get("/c/halton/users").await.status, StatusCode::OK);
    let admin = other.user_by_name("admin").await.unwrap().unwrap();
    other.end_sessions_of(admin.id).await.unwrap();
    assert!(
        signed_out(&c.get("/c/halton/users").await),
        "signed out: at once"
    );
    // A grant taken away elsewhere: the kept session's roles go with it.
    let mut c = Client::signed_in(&app, "performance").await;
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    accounts::change_user(&other, "performance", UserChange::Grants(vec![]), &tester)
        .await
        .unwrap();
    let p = c.get(DASHBOARD).await;
    assert_ne!(p.status, StatusCode::OK, "no grants: no dashboard");
    // Meanwhile a session nobody touched goes on without reading the database again.
    let mut c = Client::signed_in(&app, "contributor").await;
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_kept_session() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "councillor").await;
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    let cookie = c.cookies.clone();
    let p = c.post("/sign-out", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    // The old cookie, replayed, is over.
    let mut replay = Client::new(&app);
    replay.cookies = cookie;
    assert!(signed_out(&replay.get(DASHBOARD).await));
}

#[tokio::test]
async fn the_revocation_counter_moves_with_every_revoking_change_on_postgres() {
    let pg = beacon_test_support::TempPg::new().await;
    beacon_test_support::load_files(&pg.store, &beacon_test_support::halton_sources())
        .await
        .unwrap();
    for (name, role, unit) in common::USERS {
        let grant = beacon_app::access::Grant {
            role,
            council: "halton".parse().unwrap(),
            unit: unit.map(|u| u.parse().unwrap()),
        };
        accounts::add_user(
            &pg.store,
            name,
            &format!("Test {name}"),
            common::PASSWORD,
            vec![grant],
            &beacon_test_support::tester(),
        )
        .await
        .unwrap();
    }
    let app = beacon_web::router(pg.store.clone());
    let other = beacon_store_postgres::PostgresStore::open(&pg.url)
        .await
        .unwrap();
    let mut c = Client::signed_in(&app, "councillor").await;
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    assert_eq!(c.get(DASHBOARD).await.status, StatusCode::OK);
    let before = other.revocations().await.unwrap().unwrap();
    accounts::change_user(
        &other,
        "councillor",
        UserChange::Disable,
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    assert!(other.revocations().await.unwrap().unwrap() > before);
    assert!(signed_out(&c.get(DASHBOARD).await), "disabled: at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_page_read_with_the_session_in_one_query_still_sees_other_processes_at_once()
{
    // A signed-in page of a council reads the revocation counter and the council's revision
    // in one statement, and the overview keeps the calendar per revision: a calendar set and a
    // user disabled through another connection (another process) show on the next request.
    let pg = beacon_test_support::TempPg::new().await;
    beacon_test_support::load_files(&pg.store, &beacon_test_support::halton_sources())
        .await
        .unwrap();
    for (name, role, unit) in common::USERS {
        let grant = beacon_app::access::Grant {
            role,
            council: "halton".parse().unwrap(),
            unit: unit.map(|u| u.parse().unwrap()),
        };
        accounts::add_user(
            &pg.store,
            name,
            &format!("Test {name}"),
            common::PASSWORD,
            vec![grant],
            &beacon_test_support::tester(),
        )
        .await
        .unwrap();
    }
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2012, 10, 10, 9, 0, 0)
        .single()
        .unwrap();
    let app = beacon_web::router_with(
        pg.store.clone(),
        beacon_web::Options {
            clock: std::sync::Arc::new(move || now),
            ..beacon_web::Options::default()
        },
    );
    let other = beacon_store_postgres::PostgresStore::open(&pg.url)
        .await
        .unwrap();
    let mut c = Client::signed_in(&app, "contributor").await;
    let search = "/c/halton/search?q=children";
    let found = c.get(search).await.body;
    assert!(found.contains("Indicator"), "{found}");
    for _ in 0..2 {
        let home = c.get("/c/halton").await.body;
        assert!(
            home.contains("Your items due by Friday 19 October 2012"),
            "{home}"
        );
        assert_eq!(
            c.get(search).await.body,
            found,
            "the kept search is the same"
        );
    }
    // The performance officer, in another process, gives contributors a week longer.
    let pat = other.user_by_name("performance").await.unwrap().unwrap();
    let calendar = beacon_domain::calendar::CouncilCalendar {
        rule: beacon_domain::calendar::Rule {
            closes_after: 20,
            sign_off_after: 25,
            ..beacon_domain::calendar::Rule::default()
        },
        quarters: Vec::new(),
    };
    beacon_app::calendar::set_calendar(
        &other,
        &pat.principal(),
        &"halton".parse().unwrap(),
        &calendar,
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    let home = c.get("/c/halton").await.body;
    assert!(
        home.contains("Your items due by Friday 26 October 2012"),
        "{home}"
    );
    assert_eq!(
        c.get(search).await.body,
        found,
        "the search is read again, the same"
    );
    // Disabled in the other process: the very next page of the council is refused.
    accounts::change_user(
        &other,
        "contributor",
        UserChange::Disable,
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    assert!(signed_out(&c.get("/c/halton").await), "disabled: at once");
    assert!(signed_out(&c.get(search).await), "and on every page");
}
