//! The JSON API against the real router and a real SQLite database: personal tokens made and
//! revoked on the account page (revocation at once, read tokens cannot write, no cookie is
//! honoured), reads with ETags and cursors, writes through the same use cases as the pages
//! (428 without If-Match, 412 when stale, 422 naming item and field), the steps of a quarter,
//! published open data without a token, the rate limit, the OpenAPI description, and a
//! quarter fed through the API alone giving the same report as through the form.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beacon_app::Governance;
use chrono::{TimeZone, Utc};
use common::{Client, form_fields_of, halton_with_users, with};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

const Q: &str = "/api/v1/councils/halton/quarters/2012-13/2";
const UNIT: &str = "/api/v1/councils/halton/quarters/2012-13/2/units/CED";

/// An API answer.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    extra: &[(&str, &str)],
    body: Option<Value>,
) -> Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "localhost");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

/// Makes a token on the account page as `user` would, and reads it off the page.
async fn token(app: &axum::Router, user: &str, scope: &str) -> String {
    named_token(app, user, scope, "warehouse").await
}

/// As `token`, naming the token.
async fn named_token(app: &axum::Router, user: &str, scope: &str, name: &str) -> String {
    let mut c = Client::signed_in(app, user).await;
    let page = c.get("/account").await;
    let form = token_form(
        &page.body,
        &[
            ("name", name),
            ("council", "halton"),
            ("scope", scope),
            ("days", "30"),
        ],
    );
    let made = c.post("/account/tokens", &form).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let marker = "<code id=\"new-token\">";
    let at = made.body.find(marker).expect("the token is shown") + marker.len();
    let token = made.body[at..at + made.body[at..].find('<').unwrap()].to_string();
    assert!(token.starts_with("bcn_") && token.len() == 68, "{token}");
    // Shown once: the account page does not show it again.
    assert!(!c.get("/account").await.body.contains(&token));
    token
}

/// The token form as a browser sends it: one choice of the scope radios, as chosen.
fn token_form(html: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let fields = form_fields_of(html, "/account/tokens")
        .into_iter()
        .filter(|(k, _)| k != "scope")
        .collect();
    with(fields, changes)
}

async fn version(app: &axum::Router, token: &str) -> String {
    let a = call(app, "GET", UNIT, Some(token), &[], None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.header("etag")
}

#[tokio::test]
async fn tokens_are_made_shown_once_scoped_and_revoked_at_once() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    no_token_no_answer(&app).await;
    no_token_wider_than_its_owner(&app).await;
    let read = token(&app, "admin", "read").await;
    a_read_token_reads_and_writes_nothing(&app, &read).await;
    // Revoked on the account page: refused on the very next request.
    let mut admin = Client::signed_in(&app, "admin").await;
    let page = admin.get("/account").await;
    assert!(page.body.contains("warehouse") && page.body.contains("Read only"));
    let id = db.store.tokens_of(1).await.unwrap()[0].id;
    let action = format!("/account/tokens/{id}/revoke");
    let done = admin
        .post(&action, &form_fields_of(&page.body, &action))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = call(
        &app,
        "GET",
        &format!("{Q}/statuses"),
        Some(&read),
        &[],
        None,
    )
    .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.json()["detail"].as_str().unwrap().contains("revoked"));
    assert!(admin.get("/account").await.body.contains("Revoked"));
    // Token changes are audited with who made them.
    let trail = db.store.audit_trail().await.unwrap().0;
    assert!(
        trail
            .iter()
            .any(|e| e.note.field == "api token" && e.note.new.as_deref() == Some("revoked"))
    );
}

/// Account pages asked for at once by two users: each user's read of their own records is
/// shared with that user's requests alone, so every page shows its user's token and never the
/// other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_pages_at_once_show_each_user_their_own_records() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    named_token(&app, "admin", "read", "admins-warehouse").await;
    named_token(&app, "councillor", "read", "cllrs-laptop").await;
    let admin = Client::signed_in(&app, "admin").await;
    let cllr = Client::signed_in(&app, "councillor").await;
    let mut pages = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (mut c, mine, theirs) = if i % 2 == 0 {
            (admin.clone(), "admins-warehouse", "cllrs-laptop")
        } else {
            (cllr.clone(), "cllrs-laptop", "admins-warehouse")
        };
        pages.spawn(async move {
            let page = c.get("/account").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert!(page.body.contains(mine), "a page without its user's token");
            assert!(
                !page.body.contains(theirs),
                "a page with another user's token"
            );
        });
    }
    while let Some(done) = pages.join_next().await {
        done.unwrap();
    }
}

/// Without a token, and with only a session cookie, the API answers 401 in a problem body.
async fn no_token_no_answer(app: &axum::Router) {
    let anonymous = call(app, "GET", &format!("{Q}/statuses"), None, &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.header("content-type"), "application/problem+json");
    assert!(anonymous.header("www-authenticate").starts_with("Bearer"));
    let c = Client::signed_in(app, "councillor").await;
    let cookie = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let with_cookie = call(
        app,
        "GET",
        &format!("{Q}/statuses"),
        None,
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(
        with_cookie.status,
        StatusCode::UNAUTHORIZED,
        "no cookie is honoured"
    );
}

/// A councillor cannot make a read-write token: no more than their roles.
async fn no_token_wider_than_its_owner(app: &axum::Router) {
    let mut cllr = Client::signed_in(app, "councillor").await;
    let page = cllr.get("/account").await;
    let refused = cllr
        .post(
            "/account/tokens",
            &token_form(
                &page.body,
                &[("name", "x"), ("scope", "read-write"), ("days", "30")],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("only let you read"),
        "{}",
        refused.body
    );
}

/// A read token reads, with an ETag the client may send back for a 304; it cannot write, and
/// another council is not even there.
async fn a_read_token_reads_and_writes_nothing(app: &axum::Router, read: &str) {
    // A read token reads, with an ETag the client may send back for a 304.
    let statuses = call(
        app,
        "GET",
        &format!("{Q}/statuses?unit=CED"),
        Some(read),
        &[],
        None,
    )
    .await;
    assert_eq!(statuses.status, StatusCode::OK, "{}", statuses.body);
    let s = statuses.json();
    let first = &s["indicators"][0];
    assert!(
        first["status"].is_string() && first["computed"].is_object(),
        "{first}"
    );
    assert!(
        first.get("travel").is_some(),
        "direction of travel: {first}"
    );
    let etag = statuses.header("etag");
    let again = call(
        app,
        "GET",
        &format!("{Q}/statuses?unit=CED"),
        Some(read),
        &[("if-none-match", &etag)],
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A read token of an administrator cannot write: it acts as a councillor would.
    let v = version(app, read).await;
    let write = call(
        app,
        "POST",
        &format!("{UNIT}/entries"),
        Some(read),
        &[("if-match", &v)],
        Some(json!({})),
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert!(
        write.json()["detail"]
            .as_str()
            .unwrap()
            .contains("You do not have permission")
    );
    // Another council is not even there.
    let other = call(
        app,
        "GET",
        "/api/v1/councils/knowsley",
        Some(read),
        &[],
        None,
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.json()["title"], "Page not found");
}

#[tokio::test]
async fn reads_cover_what_pages_show_with_filters_and_cursors() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let t = token(&app, "councillor", "read").await;
    let get = |p: String| {
        let (app, t) = (app.clone(), t.clone());
        async move { call(&app, "GET", &p, Some(&t), &[], None).await }
    };
    let councils = get("/api/v1/councils".into()).await.json();
    assert_eq!(councils[0]["ref"], "halton");
    for path in [
        "units",
        "plans",
        "objectives",
        "milestones",
        "indicators",
        "risks",
        "equality-actions",
        "budget-statements",
        "publications",
    ] {
        let a = get(format!("/api/v1/councils/halton/{path}")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        assert!(a.json()["items"].is_array(), "{path}");
    }
    let plans = get("/api/v1/councils/halton/plans?unit=CED".into())
        .await
        .json();
    let plan = plans["items"][0]["ref"].as_str().unwrap().to_string();
    assert_eq!(
        get(format!("/api/v1/councils/halton/plans/{plan}"))
            .await
            .json()["plan"]["ref"],
        plan.as_str()
    );
    // Cursor pagination walks every indicator exactly once.
    let all = get(format!(
        "/api/v1/councils/halton/indicators?plan={plan}&limit=500"
    ))
    .await
    .json();
    let total = all["items"].as_array().unwrap().len();
    assert!(total > 3);
    let (mut seen, mut cursor) = (Vec::new(), String::new());
    loop {
        let p = get(format!(
            "/api/v1/councils/halton/indicators?plan={plan}&limit=2&cursor={cursor}"
        ))
        .await
        .json();
        seen.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["ref"].clone()),
        );
        match p["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(
        seen,
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ref"].clone())
            .collect::<Vec<_>>()
    );
    let bad = get("/api/v1/councils/halton/indicators?cursor=zz".into()).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["detail"].as_str().unwrap().contains("cursor"));
    let ind = get("/api/v1/councils/halton/indicators/SCS%20CYP09".into()).await;
    assert_eq!(ind.status, StatusCode::OK, "{}", ind.body);
    assert!(
        ind.json()[0]["indicator"]["targets"].is_object(),
        "{}",
        ind.body
    );
    let states = get(format!("{Q}/states?unit=CED")).await.json();
    assert_eq!(states["items"][0]["state"], "open", "{states}");
    let report = get(format!("{UNIT}/report")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.json()["council"].is_object() || report.json()["council"].is_string());
    let missing = get("/api/v1/councils/halton/nothing".into()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn writes_go_through_the_use_cases_with_if_match_and_problems_naming_item_and_field() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let t = token(&app, "contributor", "read-write").await;
    let entries = format!("{UNIT}/entries");
    let body = json!({"indicators": [{"indicator": "SCS CYP09", "value": "80%"}]});
    let missing = call(&app, "POST", &entries, Some(&t), &[], Some(body.clone())).await;
    assert_eq!(
        missing.status,
        StatusCode::PRECONDITION_REQUIRED,
        "{}",
        missing.body
    );
    let v = version(&app, &t).await;
    let stale = call(
        &app,
        "POST",
        &entries,
        Some(&t),
        &[("if-match", "\"999\"")],
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    refused_values_name_item_and_field(&app, &t, &entries, &v).await;
    // A good entry is recorded and audited with the token's owner as the actor.
    let saved = call(
        &app,
        "POST",
        &entries,
        Some(&t),
        &[("if-match", &v)],
        Some(body),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_ne!(saved.header("etag"), v);
    let trail = db.store.audit_trail().await.unwrap().0;
    let last = &trail.last().unwrap().note;
    assert_eq!(last.actor, "contributor");
    let v2 = saved.header("etag");
    a_status_by_hand_needs_a_reason(&app, &t, &v2).await;
    let v4 = submitted_then_signed_off_by_an_approver(&app, &t, &v2).await;
    // Signed off: the entry is refused (409) in the pages' words.
    let locked = call(
        &app,
        "POST",
        &entries,
        Some(&t),
        &[("if-match", &v4)],
        Some(json!({"indicators": [{"indicator": "SCS CYP09", "value": "81%"}]})),
    )
    .await;
    assert_eq!(locked.status, StatusCode::CONFLICT, "{}", locked.body);
    assert!(
        locked.json()["detail"]
            .as_str()
            .unwrap()
            .contains("an approver must reopen it")
    );
    published_at_stable_urls(&app, &v4).await;
}

/// Refused values: every problem, each naming its item and field, in the pages' words; nothing
/// is saved, and a garbled body is a bad request.
async fn refused_values_name_item_and_field(app: &axum::Router, t: &str, entries: &str, v: &str) {
    let wrong = json!({"indicators": [
        {"indicator": "SCS CYP09", "value": "seventy"},
        {"indicator": "NOPE1", "value": "1"}
    ]});
    let refused = call(
        app,
        "POST",
        entries,
        Some(t),
        &[("if-match", v)],
        Some(wrong),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.header("content-type"), "application/problem+json");
    let errors = refused.json()["errors"].as_array().unwrap().clone();
    assert!(
        errors.iter().any(|e| e["item"] == "SCS CYP09"
            && e["field"] == "value"
            && e["pointer"] == "/indicators/0/value"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e["item"] == "NOPE1"
            && e["field"] == "indicator"
            && e["message"]
                .as_str()
                .unwrap()
                .contains("is not one of unit CED's indicators")),
        "{errors:?}"
    );
    assert_eq!(version(app, t).await, v, "nothing was saved");
    let garbled = call(
        app,
        "POST",
        entries,
        Some(t),
        &[("if-match", v)],
        Some(json!({"indicators": 3})),
    )
    .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
}

/// A status by hand needs a reason, as on the form.
async fn a_status_by_hand_needs_a_reason(app: &axum::Router, t: &str, v2: &str) {
    let hand = call(
        app,
        "PUT",
        &format!("{UNIT}/statuses/indicators/SCS%20CYP09"),
        Some(t),
        &[("if-match", v2)],
        Some(json!({"status": "amber"})),
    )
    .await;
    assert_eq!(
        hand.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        hand.body
    );
    assert_eq!(hand.json()["errors"][0]["field"], "reason");
}

/// Steps: a contributor submits; signing off is for an approver, and sending back needs a
/// reason. The signed-off quarter's ETag.
async fn submitted_then_signed_off_by_an_approver(app: &axum::Router, t: &str, v2: &str) -> String {
    // Steps: a contributor submits; signing off is for an approver.
    let submitted = call(
        app,
        "POST",
        &format!("{UNIT}/submit"),
        Some(t),
        &[("if-match", v2)],
        None,
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["status"]["state"], "submitted");
    let v3 = submitted.header("etag");
    let not_theirs = call(
        app,
        "POST",
        &format!("{UNIT}/sign-off"),
        Some(t),
        &[("if-match", &v3)],
        None,
    )
    .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let approver = token(app, "approver", "read-write").await;
    let back = call(
        app,
        "POST",
        &format!("{UNIT}/send-back"),
        Some(&approver),
        &[("if-match", &v3)],
        Some(json!({})),
    )
    .await;
    assert_eq!(
        back.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed: {}",
        back.body
    );
    let signed = call(
        app,
        "POST",
        &format!("{UNIT}/sign-off"),
        Some(&approver),
        &[("if-match", &v3)],
        None,
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    signed.header("etag")
}

/// Published: open data without a token, at stable URLs, the frozen report byte for byte.
async fn published_at_stable_urls(app: &axum::Router, v4: &str) {
    let perf = token(app, "performance", "read-write").await;
    let published = call(
        app,
        "POST",
        &format!("{UNIT}/publish"),
        Some(&perf),
        &[("if-match", v4)],
        None,
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let list = call(
        app,
        "GET",
        "/api/v1/public/councils/halton/publications",
        None,
        &[],
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let item = list.json()["items"][0].clone();
    assert_eq!(item["version"], 1);
    let report_url = item["report"].as_str().unwrap().to_string();
    assert!(
        report_url.ends_with("/CED/2012-13/2/v1/report"),
        "{report_url}"
    );
    let frozen = call(app, "GET", &report_url, None, &[], None).await;
    assert_eq!(frozen.status, StatusCode::OK);
    let file = call(
        app,
        "GET",
        "/p/halton/CED/2012-13/2/v1/report.json",
        None,
        &[],
        None,
    )
    .await;
    assert_eq!(frozen.body, file.body, "the frozen report, byte for byte");
    // Each frozen file once, by name, with the URL it is served at (one `files`, not two).
    assert_eq!(list.body.matches("\"files\"").count(), 1, "{}", list.body);
    let json_file = item["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "report.json")
        .expect("report.json is listed")
        .clone();
    assert_eq!(json_file["url"], "/p/halton/CED/2012-13/2/v1/report.json");
    let latest = call(
        app,
        "GET",
        &report_url.replace("/v1/report", "/latest/report"),
        None,
        &[],
        None,
    )
    .await;
    assert_eq!(latest.body, frozen.body);
}

#[tokio::test]
async fn a_token_that_asks_too_fast_is_told_when_to_come_back() {
    let db = halton_with_users().await;
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            api_rate: beacon_web::api::RateLimit {
                burst: 3.0,
                per_second: 0.1,
            },
            ..beacon_web::Options::default()
        },
    );
    let t = token(&app, "councillor", "read").await;
    for _ in 0..3 {
        let a = call(&app, "GET", "/api/v1/councils", Some(&t), &[], None).await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let slow = call(&app, "GET", "/api/v1/councils", Some(&t), &[], None).await;
    assert_eq!(slow.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = slow.header("retry-after").parse().unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    // Another token has its own bucket.
    let other = token(&app, "admin", "read").await;
    let a = call(&app, "GET", "/api/v1/councils", Some(&other), &[], None).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn the_description_covers_every_api_route_and_the_reference_page_lists_them() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, &[], None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let d = doc.json();
    assert!(
        d["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        d["openapi"]
    );
    let page = call(&app, "GET", "/api/v1", None, &[], None).await;
    assert_eq!(page.status, StatusCode::OK);
    for spec in beacon_web::routes::ROUTES
        .iter()
        .filter(|r| beacon_web::api::is_api(r.path))
    {
        assert!(
            beacon_web::api::openapi::OPERATIONS
                .iter()
                .any(|o| o.name == spec.name),
            "{} has no entry in OPERATIONS",
            spec.name
        );
        let method = spec.method.to_lowercase();
        assert!(
            d["paths"][spec.path][&method].is_object(),
            "{} {} is not described",
            spec.method,
            spec.path
        );
        if spec.name != "api-reference" {
            assert!(
                page.body.contains(&format!("<code>{}</code>", spec.path)),
                "{}",
                spec.path
            );
        }
    }
    assert!(d["components"]["securitySchemes"]["bearer"].is_object());
}

/// The form's quarter and the API's quarter, each on its own database at the same time.
async fn quarter_through(api: bool) -> String {
    let db = halton_with_users().await;
    let at = Utc.with_ymd_and_hms(2012, 10, 20, 9, 0, 0).unwrap();
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            clock: Arc::new(move || at),
            ..beacon_web::Options::default()
        },
    );
    let entry = "/c/halton/q/2012-13/2/entry/CED";
    if api {
        let t = token(&app, "contributor", "read-write").await;
        let v = version(&app, &t).await;
        let body = json!({
            "indicators": [{"indicator": "SCS CYP09", "value": "80%", "commentary": "Inspections continue."}],
            "narratives": [{"kind": "key-development", "title": "New hub", "text": "Opened in July."}]
        });
        let a = call(
            &app,
            "POST",
            &format!("{UNIT}/entries"),
            Some(&t),
            &[("if-match", &v)],
            Some(body),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let s = call(
            &app,
            "POST",
            &format!("{UNIT}/submit"),
            Some(&t),
            &[("if-match", &a.header("etag"))],
            None,
        )
        .await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let approver = token(&app, "approver", "read-write").await;
        let o = call(
            &app,
            "POST",
            &format!("{UNIT}/sign-off"),
            Some(&approver),
            &[("if-match", &s.header("etag"))],
            None,
        )
        .await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.body);
        let r = call(&app, "GET", &format!("{UNIT}/report"), Some(&t), &[], None).await;
        r.body
    } else {
        let mut c = Client::signed_in(&app, "contributor").await;
        let form = c.get(entry).await;
        let fields = with(
            form_fields_of(&form.body, entry),
            &[
                ("i0-value", "80%"),
                ("i0-comment", "Inspections continue."),
                ("kd-title", "New hub"),
                ("kd-text", "Opened in July."),
            ],
        );
        let saved = c.post(entry, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let sign_off = "/c/halton/q/2012-13/2/sign-off/CED";
        for (who, step) in [("contributor", "submit"), ("approver", "sign-off")] {
            let mut c = Client::signed_in(&app, who).await;
            let page = c.get(sign_off).await;
            let action = format!("{sign_off}/{step}");
            let done = c.post(&action, &form_fields_of(&page.body, &action)).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{who} {step}");
        }
        c.get("/c/halton/q/2012-13/2/report/CED/report.json")
            .await
            .body
    }
}

#[tokio::test]
async fn a_quarter_fed_through_the_api_alone_reports_as_through_the_form() {
    let (form, api) = (quarter_through(false).await, quarter_through(true).await);
    assert!(
        form.contains("Inspections continue.") && form.contains("New hub"),
        "{form}"
    );
    assert_eq!(api, form);
}

/// Follows a `$ref` of the description to the schema it names.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let found = &doc["components"]["schemas"][name];
            assert!(found.is_object(), "{r} is not in the components");
            found
        }
        None => v,
    }
}

#[tokio::test]
async fn every_answer_is_described_by_a_schema_with_its_properties() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let d = call(&app, "GET", "/api/v1/openapi.json", None, &[], None)
        .await
        .json();
    // Every reference anywhere in the document resolves.
    let text = d.to_string();
    for r in text.split("\"$ref\":\"").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        let name = name.trim_start_matches("#/components/schemas/");
        assert!(
            d["components"]["schemas"][name].is_object(),
            "{name} is referred to but not described"
        );
    }
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let ok = &op["responses"]["200"]["content"];
            let Some(json) = ok.get("application/json") else {
                assert!(ok["text/html"].is_object(), "{method} {path}");
                continue;
            };
            let s = resolve(&d, &json["schema"]);
            let described = s["properties"].as_object().is_some_and(|p| !p.is_empty())
                || s["items"].is_object();
            assert!(described, "{method} {path} answers a loose {s}");
        }
    }
    // The page of indicators says what an indicator is, field by field, with its plan.
    let page = resolve(
        &d,
        &d["paths"]["/api/v1/councils/{council}/indicators"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"],
    );
    let item = resolve(&d, &page["properties"]["items"]["items"]);
    for field in ["plan", "ref", "description", "targets"] {
        assert!(item["properties"][field].is_object(), "{field}: {item}");
    }
    // The entry's items are the use case's own inputs.
    let entry = &d["components"]["schemas"]["Entry"]["properties"]["indicators"]["items"];
    let input = resolve(&d, entry);
    assert!(
        input["properties"]["value"].is_object() && input["properties"]["commentary"].is_object(),
        "{input}"
    );
}

#[tokio::test]
async fn officers_and_frames_are_read_a_page_at_a_time_with_etags() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let t = token(&app, "councillor", "read").await;
    let data = beacon_app::Store::council_data(&db.store, &"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    // Officers: every one once, a page of one at a time.
    let (mut seen, mut cursor) = (Vec::new(), String::new());
    loop {
        let p = call(
            &app,
            "GET",
            &format!("/api/v1/councils/halton/officers?limit=1&cursor={cursor}"),
            Some(&t),
            &[],
            None,
        )
        .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let p = p.json();
        assert_eq!(p["items"].as_array().unwrap().len(), 1, "{p}");
        seen.push(p["items"][0]["ref"].as_str().unwrap().to_string());
        match p["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let mut stored: Vec<String> = data
        .officers
        .iter()
        .map(|o| o.reference.to_string())
        .collect();
    stored.sort();
    assert_eq!(seen, stored);
    // Frames by kind: only areas of focus, each with its title; an unchanged list is a 304.
    let path = "/api/v1/councils/halton/frames?kind=area-of-focus&limit=500";
    let areas = call(&app, "GET", path, Some(&t), &[], None).await;
    assert_eq!(areas.status, StatusCode::OK, "{}", areas.body);
    let items = areas.json()["items"].as_array().unwrap().clone();
    let expected = data
        .frames
        .iter()
        .filter(|f| f.kind.as_str() == "area-of-focus")
        .count();
    assert!(expected > 0);
    assert_eq!(items.len(), expected);
    assert!(
        items
            .iter()
            .all(|f| f["kind"] == "area-of-focus" && f["title"].is_string())
    );
    let etag = areas.header("etag");
    let again = call(
        &app,
        "GET",
        path,
        Some(&t),
        &[("if-none-match", &etag)],
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let all = call(
        &app,
        "GET",
        "/api/v1/councils/halton/frames?limit=500",
        Some(&t),
        &[],
        None,
    )
    .await;
    assert_eq!(
        all.json()["items"].as_array().unwrap().len(),
        data.frames.len()
    );
    let wrong = call(
        &app,
        "GET",
        "/api/v1/councils/halton/frames?kind=themes",
        Some(&t),
        &[],
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.json()["detail"]
            .as_str()
            .unwrap()
            .contains("area-of-focus"),
        "{}",
        wrong.body
    );
}

#[tokio::test]
async fn bulk_set_up_is_all_or_nothing_in_the_words_of_beacon_setup() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let rows = json!({
        "indicators": [{"plan": "CED-2012-13", "ref": "API 1", "description": "Visits to the library",
                        "better": "higher"}],
        "targets": [{"plan": "CED-2012-13", "indicator": "API 1", "period": "2012/13", "target": 120},
                    {"plan": "CED-2012-13", "indicator": "NOPE 9", "period": "2012/13", "target": "5"},
                    {"plan": "CED-2012-13", "indicator": "API 1", "period": "someday", "target": "5"}]
    });
    set_up_is_refused_without_the_role(&app, &rows).await;
    let t = token(&app, "performance", "read-write").await;
    let before = db.store.audit_trail().await.unwrap().0.len();
    bad_rows_load_nothing_and_are_named_as_beacon_setup_names_them(&db, &app, &t, &rows).await;
    bad_columns_and_text_are_named(&app, &t).await;
    good_rows_check_then_load_once(&db, &app, &t, &rows, before).await;
}

const SETUP: &str = "/api/v1/councils/halton/setup";

async fn set_up_is_refused_without_the_role(app: &axum::Router, rows: &Value) {
    let (app, setup) = (app.clone(), SETUP);
    // A read token, or a contributor's token, may not set up.
    let read = token(&app, "performance", "read").await;
    let refused = call(&app, "POST", setup, Some(&read), &[], Some(rows.clone())).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let contributor = token(&app, "contributor", "read-write").await;
    let refused = call(
        &app,
        "POST",
        setup,
        Some(&contributor),
        &[],
        Some(rows.clone()),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
}

async fn bad_rows_load_nothing_and_are_named_as_beacon_setup_names_them(
    db: &beacon_test_support::TempDb,
    app: &axum::Router,
    t: &str,
    rows: &Value,
) {
    let (app, setup, t) = (app.clone(), SETUP, t.to_string());
    // Every problem at once, each placed by table, row and column, and nothing loaded.
    let before = db.store.audit_trail().await.unwrap().0.len();
    let bad = call(&app, "POST", setup, Some(&t), &[], Some(rows.clone())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    let errors = bad.json()["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 2, "{}", bad.body);
    // The same words as `beacon setup` gives for the same rows in a CSV file.
    let csv = "plan,indicator,period,target\nCED-2012-13,API 1,2012/13,120\nCED-2012-13,NOPE 9,2012/13,5\nCED-2012-13,API 1,someday,5\n";
    let defs = "plan,ref,description,better\nCED-2012-13,API 1,Visits to the library,higher\n";
    let limits = beacon_interchange::sheets::Limits::default();
    let books = [
        beacon_interchange::sheets::read_book(defs.as_bytes(), "Indicators", &limits).unwrap(),
        beacon_interchange::sheets::read_book(csv.as_bytes(), "Targets", &limits).unwrap(),
    ];
    let data = beacon_app::Store::council_data(&db.store, &"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let cli =
        beacon_interchange::sheets::setup::read_setup(&books, &data, &mut |_, _| {}).unwrap_err();
    assert_eq!(cli.len(), 2);
    for (api, cli) in errors.iter().zip(&cli) {
        assert_eq!(api["message"], cli.to_string(), "{api}");
        assert_eq!(api["table"], "targets");
        assert_eq!(api["row"], cli.at.row);
        assert_eq!(api["column"].as_str().unwrap(), cli.at.column);
    }
    assert_eq!(errors[0]["pointer"], "/targets/1/indicator", "{}", bad.body);
    assert_eq!(errors[1]["pointer"], "/targets/2/period", "{}", bad.body);
    assert_eq!(
        db.store.audit_trail().await.unwrap().0.len(),
        before,
        "nothing was written"
    );
    let none = call(
        &app,
        "GET",
        "/api/v1/councils/halton/indicators/API%201",
        Some(&t),
        &[],
        None,
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

async fn bad_columns_and_text_are_named(app: &axum::Router, t: &str) {
    let (app, setup, t) = (app.clone(), SETUP, t.to_string());
    // A column the tables do not have is named, not passed over.
    let typo = call(&app, "POST", setup, Some(&t), &[],
        Some(json!({"targets": [{"plan": "CED-2012-13", "indicator": "API 1", "period": "2012/13", "traget": "5"}]}))).await;
    assert_eq!(
        typo.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        typo.body
    );
    assert_eq!(typo.json()["errors"][0]["pointer"], "/targets/0/traget");
    let control = call(&app, "POST", setup, Some(&t), &[],
        Some(json!({"indicators": [{"plan": "CED-2012-13", "ref": "API 2", "description": "Bell\u{7}"}]}))).await;
    assert_eq!(
        control.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        control.body
    );
    assert!(
        control.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("control character")
    );
}

async fn good_rows_check_then_load_once(
    db: &beacon_test_support::TempDb,
    app: &axum::Router,
    t: &str,
    rows: &Value,
    before: usize,
) {
    let (app, setup, t) = (app.clone(), SETUP, t.to_string());
    // The good rows: a dry run says what would change and loads nothing; then they load.
    let good = json!({"indicators": rows["indicators"], "targets": [rows["targets"][0]]});
    let dry = call(
        &app,
        "POST",
        &format!("{setup}?dry_run=true"),
        Some(&t),
        &[],
        Some(good.clone()),
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(dry.json()["dry_run"], true);
    assert_eq!(dry.json()["indicators_added"], 1);
    assert_eq!(db.store.audit_trail().await.unwrap().0.len(), before);
    let done = call(&app, "POST", setup, Some(&t), &[], Some(good.clone())).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let d = done.json();
    assert_eq!(
        d["summary"],
        "1 indicators added, 0 updated, 1 targets and 0 values given, in 1 plan"
    );
    assert_eq!(d["plans"], json!(["CED-2012-13"]));
    let trail = db.store.audit_trail().await.unwrap().0;
    assert!(trail.len() > before);
    assert!(
        trail[before..]
            .iter()
            .all(|r| r.note.actor == "performance")
    );
    let read_back = call(
        &app,
        "GET",
        "/api/v1/councils/halton/indicators/API%201",
        Some(&t),
        &[],
        None,
    )
    .await;
    assert_eq!(read_back.status, StatusCode::OK, "{}", read_back.body);
    let ind = &read_back.json()[0]["indicator"];
    assert_eq!(ind["description"], "Visits to the library");
    assert_eq!(ind["targets"]["2012/13"], "120", "{ind}");
    // The same rows again change nothing.
    let again = call(&app, "POST", setup, Some(&t), &[], Some(good)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["written"], json!([]));
}

/// A CSV file's rows as column-to-cell maps.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let heads: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            heads
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_national_position_is_read_on_an_indicator_and_published_in_the_open_data() {
    let db = halton_with_users().await;
    let national = common::load_national(&db).await;
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            national: Some(national.clone()),
            ..beacon_web::Options::default()
        },
    );
    let t = token(&app, "councillor", "read").await;
    let ind = call(
        &app,
        "GET",
        "/api/v1/councils/halton/indicators/NI075",
        Some(&t),
        &[],
        None,
    )
    .await;
    assert_eq!(ind.status, StatusCode::OK, "{}", ind.body);
    let n = ind.json()[0]["national"].clone();
    assert_eq!(n["indicator"], "NI075", "{n}");
    assert_eq!(n["latest"]["period"], "2012-13", "{n}");
    let rank = n["latest"]["rank"].as_str().unwrap().to_string();
    let quartile = n["latest"]["quartile"].as_str().unwrap().to_string();
    assert!(rank.contains(" of "), "{rank}");
    assert!(quartile.ends_with("quartile"), "{quartile}");
    // The description states every field the position is sent with, and no other.
    let d = call(&app, "GET", "/api/v1/openapi.json", None, &[], None)
        .await
        .json();
    let mut described: Vec<&String> = d["components"]["schemas"]["NationalPeriod"]["properties"]
        .as_object()
        .expect("NationalPeriod is described")
        .keys()
        .collect();
    let mut sent: Vec<&String> = n["latest"].as_object().unwrap().keys().collect();
    described.sort();
    sent.sort();
    assert_eq!(described, sent);
    // The indicator page says the same words.
    let mut c = Client::signed_in(&app, "councillor").await;
    let page = c.get("/c/halton/plans/CED-2012-13/indicators/NI075").await;
    assert!(page.body.contains(&rank), "{rank} not on the page");
    // Publish the quarter through the API; its open data carries the same position.
    let contributor = token(&app, "contributor", "read-write").await;
    let approver = token(&app, "approver", "read-write").await;
    let perf = token(&app, "performance", "read-write").await;
    let mut v = version(&app, &contributor).await;
    for (who, step) in [
        (&contributor, "submit"),
        (&approver, "sign-off"),
        (&perf, "publish"),
    ] {
        let a = call(
            &app,
            "POST",
            &format!("{UNIT}/{step}"),
            Some(who),
            &[("if-match", &v)],
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{step}: {}", a.body);
        v = a.header("etag");
    }
    let file = call(
        &app,
        "GET",
        "/p/halton/CED/2012-13/2/v1/open-data.csv",
        None,
        &[],
        None,
    )
    .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let rows = csv_rows(&file.body);
    let row = rows
        .iter()
        .find(|r| r["codes"].split_whitespace().any(|c| c == "NI075"))
        .expect("a row for NI075");
    assert_eq!(row["national_indicator"], "NI075");
    assert_eq!(row["national_period"], "2012-13");
    assert_eq!(row["national_rank"], rank);
    assert_eq!(row["national_quartile"], quartile);
    // Indicators the national set does not hold have the columns, empty.
    assert!(rows.iter().any(|r| r["national_rank"].is_empty()));
    let json = call(
        &app,
        "GET",
        "/p/halton/CED/2012-13/2/v1/open-data.json",
        None,
        &[],
        None,
    )
    .await;
    assert_eq!(json.json()["schema"], "beacon-open-data-2");
}
