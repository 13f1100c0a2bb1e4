//! A quarter's life through the pages: entered, submitted, sent back with a reason, signed
//! off (and then locked against the form, a crafted request and a workbook upload), published
//! in every format at stable public URLs, reopened with a reason, corrected and published
//! again as version 2 while version 1 stays byte for byte. The workbook goes down and up
//! through the entry page, and the indicator page shows who changed what.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::{Governance, Store};
use beacon_test_support::TempDb;
use common::{Client, Page, form_fields_of, halton_with_users, with};

const ENTRY: &str = "/c/halton/q/2012-13/2/entry/CED";
const SIGN_OFF: &str = "/c/halton/q/2012-13/2/sign-off/CED";

/// Takes a step from the sign-off page as the form there would.
async fn step(c: &mut Client, step: &str, reason: Option<&str>) -> Page {
    let page = c.get(SIGN_OFF).await;
    let action = format!("{SIGN_OFF}/{step}");
    let mut form = form_fields_of(&page.body, &action);
    if let Some(r) = reason {
        form = with(form, &[("reason", r)]);
    }
    c.post(&action, &form).await
}

async fn state_shown(c: &mut Client) -> String {
    let page = c.get(SIGN_OFF).await;
    let at = page.body.find("id=\"quarter-state\">").unwrap() + "id=\"quarter-state\">".len();
    page.body[at..at + page.body[at..].find('<').unwrap()].to_string()
}

async fn value_of(db: &TempDb, indicator: &str) -> String {
    let d = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    d.quarters
        .iter()
        .find(|q| q.header.unit.as_str() == "CED")
        .unwrap()
        .values
        .iter()
        .find(|v| v.indicator.as_str() == indicator)
        .map(|v| v.value.text().to_string())
        .unwrap_or_default()
}

/// Enters a value for SCS CYP09 (indicator 0 of the form) through the entry page.
async fn enter(c: &mut Client, value: &str) -> Page {
    let form = c.get(ENTRY).await;
    let fields = with(
        form_fields_of(&form.body, ENTRY),
        &[("officer", "SN"), ("i0-value", value)],
    );
    c.post(ENTRY, &fields).await
}

/// A multipart upload of one file to the entry page's workbook form.
async fn upload(c: &mut Client, name: &str, bytes: &[u8], version: &str) -> Page {
    c.upload(ENTRY, name, bytes, version).await
}

/// The collection CSV of CED's quarter with SCS CYP09 set to `value`.
async fn filled_csv(db: &TempDb, value: &str) -> Vec<u8> {
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let csv = beacon_interchange::sheets::template_csv(
        &data,
        &beacon_interchange::sheets::TemplateRequest {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            plan: None,
        },
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for r in reader.records() {
        let mut r: Vec<String> = r.unwrap().iter().map(str::to_string).collect();
        if r[col("kind")] == "indicator" && r[col("ref")] == "SCS CYP09" {
            r[col("value")] = value.to_string();
            r[col("officer")] = "SN".to_string();
        }
        out.write_record(&r).unwrap();
    }
    out.into_inner().unwrap()
}

/// The three people who take a quarter through its life, signed in.
struct People {
    app: axum::Router,
    contributor: Client,
    approver: Client,
    performance: Client,
}

#[tokio::test]
async fn a_quarter_goes_from_entry_to_publication_and_a_correction_is_a_new_version() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut p = People {
        contributor: Client::signed_in(&app, "contributor").await,
        approver: Client::signed_in(&app, "approver").await,
        performance: Client::signed_in(&app, "performance").await,
        app,
    };
    entered_and_submitted(&db, &mut p).await;
    sent_back_with_a_reason_then_signed_off(&mut p).await;
    locked_once_signed_off(&db, &mut p).await;
    let (mut public, v1_files) = published_in_every_format(&db, &mut p).await;
    corrected_as_version_2(&mut p, &mut public, &v1_files).await;
    the_history_and_the_trail_hold_every_step(&db, &mut p).await;
}

/// A contributor enters and submits; each sees only their own buttons, and the performance
/// officer sees the quarter submitted on the overview.
async fn entered_and_submitted(db: &TempDb, p: &mut People) {
    assert_eq!(state_shown(&mut p.contributor).await, "Open");
    assert_eq!(
        enter(&mut p.contributor, "80%").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(value_of(db, "SCS CYP09").await, "80%");
    // A contributor has no sign-off button; an approver has no submit button.
    assert!(
        !p.contributor
            .get(SIGN_OFF)
            .await
            .body
            .contains(">Sign off<")
    );
    assert!(
        !p.approver
            .get(SIGN_OFF)
            .await
            .body
            .contains(">Submit for sign-off<")
    );
    assert!(
        p.performance
            .get("/c/halton")
            .await
            .body
            .contains("beacon-state--open\">Open</strong>")
    );
    assert_eq!(
        step(&mut p.contributor, "submit", None).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(state_shown(&mut p.approver).await, "Submitted");
    // The performance officer sees where every department's quarter is from the overview.
    let overview = p.performance.get("/c/halton").await.body;
    let submitted: Vec<&str> = overview
        .split("<tr class=\"govuk-table__row\">")
        .filter(|row| row.contains("beacon-state--submitted\">Submitted</strong>"))
        .collect();
    assert_eq!(submitted.len(), 1, "{overview}");
    assert!(submitted[0].contains("Quarter 2 2012/13") && submitted[0].contains("/sign-off/CED\""));
}

/// Sending back needs a reason, and the reason is shown; then it is entered again and signed
/// off.
async fn sent_back_with_a_reason_then_signed_off(p: &mut People) {
    // Sending back needs a reason, and the reason is shown.
    let refused = step(&mut p.approver, "send-back", None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason_field = refused
        .body
        .split("for=\"")
        .skip(1)
        .find(|p| p.contains("Why it is being sent back"))
        .and_then(|p| p.split('"').next())
        .expect("the send-back form has a reason field")
        .to_string();
    assert!(
        refused.body.contains(&format!(
            "<a href=\"#{reason_field}\">Give a reason for sending the quarter back</a>"
        )),
        "the summary links to the reason field: {}",
        refused.body
    );
    assert!(refused.body.contains(&format!(
        "<p id=\"{reason_field}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> Give a reason for sending the quarter back</p>"
    )));
    let back = step(
        &mut p.approver,
        "send-back",
        Some("Check SCS CYP09 against the DfE release"),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let page = p.contributor.get(SIGN_OFF).await;
    assert!(
        page.body
            .contains("Check SCS CYP09 against the DfE release")
    );
    assert_eq!(
        enter(&mut p.contributor, "81%").await.status,
        StatusCode::SEE_OTHER
    );
    step(&mut p.contributor, "submit", None).await;
    assert_eq!(
        step(&mut p.approver, "sign-off", None).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(state_shown(&mut p.contributor).await, "Signed off");
}

/// Locked: no form on the page, and neither a crafted post nor an upload changes it.
async fn locked_once_signed_off(db: &TempDb, p: &mut People) {
    // Locked: no form on the page, and neither a crafted post nor an upload changes it.
    let entry = p.contributor.get(ENTRY).await;
    assert!(entry.body.contains("This quarter is signed off"));
    assert!(!entry.body.contains(&format!("action=\"{ENTRY}\"")));
    let before = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap();
    let crafted = p
        .contributor
        .post(
            ENTRY,
            &[
                ("officer".into(), "SN".into()),
                ("i0-value".into(), "99%".into()),
                ("version".into(), "1000".into()),
            ],
        )
        .await;
    assert_eq!(crafted.status, StatusCode::CONFLICT);
    assert!(crafted.body.contains("is signed off"), "{}", crafted.body);
    let csv = filled_csv(db, "99%").await;
    let uploaded = upload(&mut p.contributor, "ced.csv", &csv, "1000").await;
    assert_eq!(uploaded.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(uploaded.body.contains("signed off"), "{}", uploaded.body);
    assert_eq!(
        db.store
            .council_data(&"halton".parse().unwrap())
            .await
            .unwrap(),
        before
    );
}

/// Published: every format, at stable public URLs, for anyone, as frozen. The public's client
/// and the first version's files (URL and bytes).
async fn published_in_every_format(
    db: &TempDb,
    p: &mut People,
) -> (Client, Vec<(String, Vec<u8>)>) {
    // Published: every format, at stable public URLs, for anyone.
    assert_eq!(
        step(&mut p.performance, "publish", None).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(state_shown(&mut p.performance).await, "Published");
    let mut public = Client::new(&p.app);
    let list = public.get("/p/halton").await;
    assert!(
        list.body.contains("/p/halton/CED/2012-13/2"),
        "{}",
        list.body
    );
    let v1_page = public.get("/p/halton/CED/2012-13/2").await;
    assert_eq!(v1_page.status, StatusCode::OK);
    // The page records where the audit trail stood, so the trail's state is kept in public.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let published_at = trail
        .iter()
        .position(|e| e.note.entity.starts_with("publication CED"))
        .expect("the publication is in the trail");
    let anchor = &trail[published_at - 2];
    assert!(
        v1_page.body.contains(&format!(
            "ended at row {}, SHA-256 {}",
            anchor.seq, anchor.hash
        )),
        "{}",
        v1_page.body
    );
    let mut v1_files = Vec::new();
    for file in [
        "report.html",
        "report.pdf",
        "report.docx",
        "report.xlsx",
        "report.zip",
        "report.json",
        "open-data.csv",
        "open-data.json",
    ] {
        let url = format!("/p/halton/CED/2012-13/2/v1/{file}");
        assert!(v1_page.body.contains(&url), "the page links {url}");
        let f = public.get(&url).await;
        assert_eq!(f.status, StatusCode::OK, "{url}");
        v1_files.push((url, f.bytes));
    }
    // Served exactly as frozen, byte for byte, whoever asks.
    let stored = db
        .store
        .published_file(
            &"halton".parse().unwrap(),
            &"CED".parse().unwrap(),
            "2012/13 Q2".parse().unwrap(),
            1,
            "report.html",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v1_files[0].1, stored.bytes);
    assert_eq!(p.performance.get(&v1_files[0].0).await.bytes, stored.bytes);
    let open_data = String::from_utf8(v1_files[6].1.clone()).unwrap();
    assert!(
        open_data.contains("SCS CYP09") && open_data.contains("81%"),
        "{open_data}"
    );
    assert!(
        open_data
            .lines()
            .skip(1)
            .all(|l| l.starts_with("halton,2012/13 Q2,CED-2012-13,")),
        "only CED's own plan: {open_data}"
    );
    // The public never sees the live pages.
    let live = public.get("/c/halton/q/2012-13/2").await;
    assert!(
        live.location
            .as_deref()
            .unwrap_or("")
            .starts_with("/sign-in")
    );

    (public, v1_files)
}

/// A correction: reopen (with a reason), change, submit, sign off, publish again; version 1's
/// files never change.
async fn corrected_as_version_2(
    p: &mut People,
    public: &mut Client,
    v1_files: &[(String, Vec<u8>)],
) {
    // A correction: reopen (with a reason), change, submit, sign off, publish again.
    assert_eq!(
        step(&mut p.approver, "reopen", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    step(
        &mut p.approver,
        "reopen",
        Some("Late DfE revision of SCS CYP09"),
    )
    .await;
    assert_eq!(state_shown(&mut p.contributor).await, "Open");
    assert_eq!(
        enter(&mut p.contributor, "82%").await.status,
        StatusCode::SEE_OTHER
    );
    step(&mut p.contributor, "submit", None).await;
    step(&mut p.approver, "sign-off", None).await;
    let unexplained = step(&mut p.performance, "publish", None).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unexplained.body.contains("Say what changed"));
    step(
        &mut p.performance,
        "publish",
        Some("SCS CYP09 revised to 82% by the DfE"),
    )
    .await;
    let page = public.get("/p/halton/CED/2012-13/2").await;
    assert!(page.body.contains("Version 2") && page.body.contains("Earlier versions"));
    assert!(page.body.contains("SCS CYP09 revised to 82% by the DfE"));
    for (url, bytes) in v1_files {
        assert_eq!(&public.get(url).await.bytes, bytes, "{url} never changes");
    }
    let v2 = public.get("/p/halton/CED/2012-13/2/v2/open-data.csv").await;
    assert!(String::from_utf8(v2.bytes).unwrap().contains("82%"));
}

/// The indicator page shows who changed the value, from what, to what; the audit trail holds
/// every step.
async fn the_history_and_the_trail_hold_every_step(db: &TempDb, p: &mut People) {
    // The indicator page shows who changed the value, from what, to what.
    let history = p
        .performance
        .get("/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09")
        .await;
    assert!(history.body.contains("History"));
    let rows = &history.body[history.body.find("id=\"history\"").unwrap()..];
    assert!(
        rows.contains("contributor") && rows.contains("81%") && rows.contains("82%"),
        "{rows}"
    );

    // And the audit trail holds, every step in it.
    let (trail, head) = db.store.audit_trail().await.unwrap();
    assert!(beacon_app::audit::verify(&trail, head).is_ok());
    let steps: Vec<String> = trail
        .iter()
        .filter(|e| e.note.field == "state")
        .map(|e| {
            format!(
                "{} {}",
                e.note.actor,
                e.note.new.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "contributor Submitted",
            "approver Open",
            "contributor Submitted",
            "approver Signed off",
            "performance Published",
            "approver Open",
            "contributor Submitted",
            "approver Signed off",
            "performance Published",
        ]
    );
}

/// England's count and Halton's rank and value on NI075 in a period, as the set reads them.
async fn ni075_in(national: &beacon_national::NationalDb, period: &str) -> Option<(u32, u16, f64)> {
    let history = national
        .council_history("E06000006", "NI075")
        .await
        .unwrap();
    let p = history.iter().find(|p| p.period == period)?;
    Some((p.england?.count, p.place?.rank, p.value?))
}

/// A council that has chosen to contribute gives its published values to the national set
/// when it publishes: CED's Q2 value for NI075 ("59% provisional") appears as Halton's in the
/// national set's 2012-13 Q2, and on the indicator page; a council measure with no national
/// code stays out; publishing again (a correction) replaces the value, never adds a second.
#[tokio::test]
async fn publishing_gives_the_published_values_to_the_national_set_once() {
    let db = halton_with_users().await;
    let national = common::load_national(&db).await;
    national.link("halton", "E06000006", true).await.unwrap();
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            national: Some(national.clone()),
            ..beacon_web::Options::default()
        },
    );
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let mut approver = Client::signed_in(&app, "approver").await;
    let mut performance = Client::signed_in(&app, "performance").await;
    assert_eq!(ni075_in(&national, "2012-13 Q2").await, None);

    step(&mut contributor, "submit", None).await;
    step(&mut approver, "sign-off", None).await;
    assert_eq!(
        ni075_in(&national, "2012-13 Q2").await,
        None,
        "signed off is not published"
    );
    assert_eq!(
        step(&mut performance, "publish", None).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(state_shown(&mut performance).await, "Published");
    assert_eq!(ni075_in(&national, "2012-13 Q2").await, Some((1, 1, 59.0)));
    assert!(national.indicator("SCS CYP09").await.unwrap().is_none());
    let page = performance
        .get("/c/halton/plans/CED-2012-13/indicators/NI075")
        .await;
    assert!(
        page.body.contains("Position in 2012-13 Q2"),
        "{}",
        page.body
    );

    // A correction published again: the value is replaced, England's count stays one.
    step(&mut approver, "reopen", Some("NI075 confirmed by the DfE")).await;
    step(&mut contributor, "submit", None).await;
    step(&mut approver, "sign-off", None).await;
    step(&mut performance, "publish", Some("NI075 confirmed")).await;
    assert_eq!(state_shown(&mut performance).await, "Published");
    assert_eq!(ni075_in(&national, "2012-13 Q2").await, Some((1, 1, 59.0)));
    // The published report carries the national quartile column.
    let mut public = Client::new(&app);
    let v2 = public.get("/p/halton/CED/2012-13/2/v2/report.html").await;
    assert_eq!(v2.status, StatusCode::OK);
    assert!(v2.body.contains("National quartile"), "{}", v2.body);
}

#[tokio::test]
async fn the_workbook_goes_down_and_up_through_the_entry_page() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "contributor").await;
    let entry = c.get(ENTRY).await;
    assert!(entry.body.contains(&format!("{ENTRY}/workbook.xlsx")));
    let book = c.get(&format!("{ENTRY}/workbook.xlsx")).await;
    assert_eq!(book.status, StatusCode::OK);
    assert!(book.bytes.starts_with(b"PK"));
    let wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book.bytes.clone())).unwrap();
    assert!(calamine::Reader::sheet_names(&wb).len() >= 4);

    // A file with a mistake: the problem is named and nothing is saved.
    let bad = filled_csv(&db, "seventy").await;
    let version = common::form_fields_of(&entry.body, &format!("{ENTRY}/workbook"))
        .into_iter()
        .find(|(k, _)| k == "version")
        .unwrap()
        .1;
    let p = upload(&mut c, "ced.csv", &bad, &version).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body.contains("There is a problem with ced.csv"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("ced.csv, row "),
        "the row is named: {}",
        p.body
    );
    assert!(p.body.contains("Nothing was saved"));
    assert_eq!(value_of(&db, "SCS CYP09").await, "76%");

    // A good file is saved as entering it on the page would.
    let good = filled_csv(&db, "81%").await;
    let p = upload(&mut c, "ced.csv", &good, &version).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(value_of(&db, "SCS CYP09").await, "81%");
    // The same file again, from a page shown before that save, is refused: it is stale.
    let stale = upload(&mut c, "ced.csv", &filled_csv(&db, "83%").await, &version).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stale.body.contains("was changed by contributor"),
        "{}",
        stale.body
    );
    assert_eq!(value_of(&db, "SCS CYP09").await, "81%");
}
