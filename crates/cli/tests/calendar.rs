//! The calendar and what is missing, from the command line: `beacon calendar` sets the rule
//! and a quarter's dates (refused whole, saying why, when the dates do not follow in order, and
//! for anyone but a performance officer); `beacon missing` agrees with the performance
//! officer's page, unit by unit and item by item, for Halton's two directorates.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{beacon, text};

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tower::ServiceExt;

fn ok(db: &Path, args: &[&str]) -> String {
    let out = beacon(db, args);
    assert!(
        out.status.success(),
        "beacon {args:?} failed: {}",
        text(&out)
    );
    text(&out)
}

fn refused(db: &Path, args: &[&str]) -> String {
    let out = beacon(db, args);
    assert!(
        !out.status.success(),
        "beacon {args:?} should fail: {}",
        text(&out)
    );
    text(&out)
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&db, &["demo", "--no-serve"]);
    (dir, db)
}

const SHOW: &[&str] = &[
    "calendar",
    "show",
    "--council",
    "halton",
    "--year",
    "2012/13",
];

#[test]
fn the_calendar_is_set_by_rule_and_by_quarter_and_refused_out_of_order() {
    let (_dir, db) = demo();
    let said = ok(&db, SHOW);
    assert!(said.contains("(the default rule: none set)"), "{said}");
    assert!(
        said.contains("collection closes  Fri 19 Oct 2012"),
        "{said}"
    );
    // Q4 ends on Easter Sunday 2013: Easter Monday is not a working day.
    assert!(said.contains("collection opens   Tue 2 Apr 2013"), "{said}");

    let said = refused(
        &db,
        &[
            "calendar",
            "set",
            "--council",
            "halton",
            "--closes-after",
            "10",
            "--as",
            "contributor",
        ],
    );
    assert!(
        said.contains("only a performance officer or administrator of halton may set its calendar"),
        "{said}"
    );
    ok(
        &db,
        &[
            "calendar",
            "set",
            "--council",
            "halton",
            "--closes-after",
            "10",
            "--committee",
            "Children and Young People Policy and Performance Board",
            "--as",
            "performance",
        ],
    );
    ok(
        &db,
        &[
            "calendar",
            "quarter",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--board",
            "2013-01-03",
            "--as",
            "performance",
        ],
    );
    let said = ok(&db, SHOW);
    assert!(!said.contains("default rule"), "{said}");
    assert!(
        said.contains("collection closes  Fri 12 Oct 2012"),
        "{said}"
    );
    assert!(said.contains("Children and Young People Policy and Performance Board meets Thu 3 Jan 2013 (set by hand)"), "{said}");
    // Five working days before 3 January, over Christmas and New Year.
    assert!(
        said.contains("papers due         Mon 24 Dec 2012\n"),
        "{said}"
    );

    out_of_order_is_refused_whole(&db);
    a_calendar_file_is_loaded_and_a_wrong_field_named(&db);
}

/// Out of order: refused whole, saying which dates, and nothing changes.
fn out_of_order_is_refused_whole(db: &Path) {
    let said = refused(
        db,
        &[
            "calendar",
            "quarter",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--closes",
            "2012-09-20",
            "--as",
            "performance",
        ],
    );
    assert!(said.contains("The calendar was not changed: 2012/13 Q2: collection closes on 20 September 2012 is not after collection opens on 1 October 2012"), "{said}");
    assert!(ok(db, SHOW).contains("collection closes  Fri 12 Oct 2012"));
    let said = refused(
        db,
        &[
            "calendar",
            "set",
            "--council",
            "halton",
            "--sign-off-after",
            "5",
            "--as",
            "performance",
        ],
    );
    assert!(
        said.contains("expected sign_off_after at least closes_after"),
        "{said}"
    );
}

/// A calendar file: a wrong field is named with its file and line; a good one is loaded, and
/// every change is in the audit trail.
fn a_calendar_file_is_loaded_and_a_wrong_field_named(db: &Path) {
    let file = db.with_file_name("calendar.toml");
    std::fs::write(&file, "[rule]\nopens_after = 0\ncloses_after = 15\nsign_off_after = 20\npapers_before = 5\nremind_before = 2\ncommittee = \"Cabinet\"\nboard_afterr = 30\n").unwrap();
    let said = refused(
        db,
        &[
            "calendar",
            "load",
            file.to_str().unwrap(),
            "--council",
            "halton",
            "--as",
            "performance",
        ],
    );
    assert!(
        said.contains("calendar.toml") && said.contains("board_afterr") && said.contains("line 8"),
        "{said}"
    );
    std::fs::write(&file, "[rule]\nopens_after = 0\ncloses_after = 15\nsign_off_after = 20\npapers_before = 5\nremind_before = 2\ncommittee = \"Cabinet\"\n\n[[quarters]]\nquarter = \"2012/13 Q3\"\nboard = \"2013-02-14\"\n").unwrap();
    ok(
        db,
        &[
            "calendar",
            "load",
            file.to_str().unwrap(),
            "--council",
            "halton",
            "--as",
            "performance",
        ],
    );
    let said = ok(db, SHOW);
    assert!(
        said.contains("collection opens   Sun 30 Sep 2012"),
        "{said}"
    );
    assert!(
        said.contains("Cabinet meets Thu 14 Feb 2013 (set by hand)"),
        "{said}"
    );
    assert!(said.contains("Cabinet: no meeting date set"), "{said}");
    // Every change is in the audit trail, with who made it.
    let trail = ok(db, &["audit", "verify"]);
    assert!(!trail.is_empty());
}

/// The council's own file carries the calendar both ways: `beacon export council` writes it
/// into council.toml, `beacon load` of those files sets it in another database (shown the same,
/// exported again byte for byte), and a calendar out of order in the file is refused in the
/// words of `beacon calendar`, naming the file, and loads nothing.
#[test]
fn the_council_file_carries_the_calendar_through_load_and_export() {
    let (dir, db) = demo();
    ok(
        &db,
        &[
            "calendar",
            "set",
            "--council",
            "halton",
            "--closes-after",
            "10",
            "--as",
            "performance",
        ],
    );
    let first = dir.path().join("first");
    ok(
        &db,
        &["export", "council", "halton", "-o", first.to_str().unwrap()],
    );
    let council = std::fs::read_to_string(first.join("council.toml")).unwrap();
    assert!(
        council.contains("[council.calendar.rule]\nopens_after = 1\ncloses_after = 10\n"),
        "{council}"
    );

    let other = dir.path().join("other.db");
    ok(&other, &["init"]);
    let said = ok(&other, &["load", first.to_str().unwrap()]);
    assert!(said.contains("calendar of halton"), "{said}");
    let shown = ok(&other, SHOW);
    assert!(!shown.contains("default rule"), "{shown}");
    assert!(
        shown.contains("collection closes  Fri 12 Oct 2012"),
        "{shown}"
    );
    let second = dir.path().join("second");
    ok(
        &other,
        &[
            "export",
            "council",
            "halton",
            "-o",
            second.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(second.join("council.toml")).unwrap(),
        std::fs::read(first.join("council.toml")).unwrap(),
        "the same bytes"
    );

    let bad = db.with_file_name("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("council.toml"),
        council.replace("sign_off_after = 20", "sign_off_after = 5"),
    )
    .unwrap();
    let fresh = dir.path().join("fresh.db");
    ok(&fresh, &["init"]);
    let said = refused(&fresh, &["load", bad.to_str().unwrap()]);
    assert!(said.contains("council.toml"), "{said}");
    assert!(said.contains("council.calendar"), "{said}");
    assert!(
        said.contains("The calendar was not changed: sign-off (5 working days) comes before collection closes (10); expected sign_off_after at least closes_after"),
        "{said}"
    );
    let nothing = refused(
        &fresh,
        &["export", "council", "halton", "-o", bad.to_str().unwrap()],
    );
    assert!(nothing.contains("no council halton"), "{nothing}");
}

/// The missing page as the performance officer sees it: per unit (entered, expected,
/// commentary missing) and the missing items (unit, item).
async fn page(
    db: &Path,
) -> (
    BTreeMap<String, (i64, i64, i64)>,
    BTreeSet<(String, String)>,
) {
    let store = beacon_store_sqlite::SqliteStore::open(db.to_str().unwrap())
        .await
        .unwrap();
    let app = beacon_web::router_with(
        store,
        beacon_web::Options {
            secure_cookies: false,
            ..Default::default()
        },
    );
    let send = |req: Request<Body>| {
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await.unwrap();
            let cookies: Vec<String> = res
                .headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
                .collect();
            let status = res.status();
            let body =
                String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec())
                    .unwrap();
            (status, cookies, body)
        }
    };
    let (_, cookies, form) = send(
        Request::get("/sign-in")
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let token = form
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let body = format!("username=performance&password=beacon-demo-2012&csrf_token={token}");
    let (status, signed, _) = send(
        Request::post("/sign-in")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, cookies.join("; "))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status.as_u16(), 303, "signed in");
    let (status, _, html) = send(
        Request::get("/c/halton/q/2012-13/2/missing")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, signed.join("; "))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status.as_u16(), 200, "{html}");
    let attr = |s: &str, name: &str| {
        s.split(&format!("{name}=\"")).nth(1).map(|x| {
            x.split('"')
                .next()
                .unwrap()
                .replace("&#x2f;", "/")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
    };
    let mut units = BTreeMap::new();
    let mut items = BTreeSet::new();
    for row in html.split("<tr class=\"govuk-table__row").skip(1) {
        let Some(unit) = attr(row, "data-unit") else {
            continue;
        };
        match attr(row, "data-item") {
            Some(item) => {
                items.insert((unit, item));
            }
            None => {
                let n = |k: &str| attr(row, k).unwrap().parse::<i64>().unwrap();
                units.insert(
                    unit,
                    (n("data-entered"), n("data-expected"), n("data-commentary")),
                );
            }
        }
    }
    (units, items)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_missing_page_and_the_command_agree_for_two_directorates() {
    let (_dir, db) = demo();
    let args = [
        "missing",
        "--council",
        "halton",
        "--year",
        "2012/13",
        "--quarter",
        "2",
        "--json",
    ];
    let out = beacon(&db, &args);
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut units = BTreeMap::new();
    let mut items = BTreeSet::new();
    for u in json["report"]["units"].as_array().unwrap() {
        let unit = u["unit"].as_str().unwrap().to_string();
        let n = |k: &str| u[k].as_i64().unwrap();
        units.insert(
            unit.clone(),
            (n("entered"), n("expected"), n("commentary_missing")),
        );
        for m in u["missing"].as_array().unwrap() {
            items.insert((
                unit.clone(),
                format!(
                    "{} {}",
                    m["kind"].as_str().unwrap(),
                    m["reference"].as_str().unwrap()
                ),
            ));
        }
    }
    // Both directorates' trees report: CYPD's plan and CED's.
    assert!(units.keys().any(|u| u.starts_with("CED")), "{units:?}");
    assert!(
        units
            .keys()
            .any(|u| ["CYPD", "CFS", "COPS", "LAS"].contains(&u.as_str())),
        "{units:?}"
    );
    assert!(!items.is_empty());
    let (page_units, page_items) = page(&db).await;
    assert_eq!(page_units, units);
    assert_eq!(page_items, items);

    // The text form says the same numbers.
    let said = ok(&db, &args[..7]);
    let total: usize = items.len();
    assert!(said.contains(&format!("{total} items missing")), "{said}");
    assert!(said.contains("collection closes 19 October 2012"), "{said}");
}
