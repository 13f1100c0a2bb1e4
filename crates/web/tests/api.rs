//! The JSON API against the real router and a real SQLite database: personal tokens made and
//! revoked on the account page (revocation at once, read tokens cannot write, no cookie is
//! honoured), reads with ETags and cursors, writes through the same use cases as the pages
//! (428 without If-Match, 412 when stale, 422 naming item and field), the steps of a quarter,
//! published open data without a token, the rate limit, the OpenAPI description, and a
//! quarter fed through the API alone giving the same report as through the form.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

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
    let mut c = Client::signed_in(app, user).await;
    let page = c.get("/account").await;
    let form = token_form(
        &page.body,
        &[
            ("name", "warehouse"),
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
    let entry =
        &d["components"]["schemas"]["Entry"]["properties"]["indicators"]["items"]["properties"];
    assert!(
        entry["value"].is_object() && entry["commentary"].is_object(),
        "{entry}"
    );
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
