//! Every page type renders from the example council for a signed-in user, and the data-entry
//! form validates, keeps what was typed, saves nothing until all is valid, then saves all at
//! once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::{Governance, Store};
use common::{Client, form_fields_of, halton_with_users, with};

async fn get(c: &mut Client, path: &str) -> (StatusCode, String) {
    let p = c.get(path).await;
    (p.status, p.body)
}

async fn post(
    c: &mut Client,
    path: &str,
    form: &[(String, String)],
) -> (StatusCode, String, Option<String>) {
    let p = c.post(path, form).await;
    (p.status, p.body, p.location)
}

/// The example council and a performance officer signed in to it.
async fn signed_in() -> (beacon_test_support::TempDb, Client) {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let c = Client::signed_in(&app, "performance").await;
    (db, c)
}

#[tokio::test]
async fn every_page_type_renders_from_the_example_council() {
    let (_db, mut c) = signed_in().await;
    let pages = [
        ("/", "Halton Borough Council"),
        ("/c/halton", "Directorate Performance Overview Report"),
        ("/c/halton/q/2012-13/2?unit=CED", "Exceptions"),
        (
            "/c/halton/q/2012-13/2/budget",
            "Children &#38; Enterprise Directorate",
        ),
        ("/c/halton/q/2012-13/2/budget/CED-revenue", "48,911"),
        ("/c/halton/plans/CYPD-2011-14", "CFS1"),
        (
            "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09",
            "8 points below target, outside the 5% tolerance",
        ),
        (
            "/c/halton/plans/SS-2009-12/objectives/SS2",
            "Increase Placement Choice",
        ),
        (
            "/c/halton/plans/SS-2009-12/risks",
            "Lack of quality local foster care provision",
        ),
        ("/c/halton/search?q=NI075", "Proportion achieving 5+ GCSE"),
        (
            "/c/halton/q/2012-13/2/entry/CED",
            "Enter data for Quarter 2 2012/13",
        ),
    ];
    for (path, expected) in pages {
        let (status, html) = get(&mut c, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(expected), "{path} lacks {expected:?}");
        assert!(html.contains("<html lang=\"en\""), "{path}");
    }
    for (file, magic) in [
        ("report.pdf", &b"%PDF"[..]),
        ("report.docx", b"PK"),
        ("report.xlsx", b"PK"),
        ("report.zip", b"PK"),
        ("report.json", b"{"),
        ("report.html", b"<!DOCTYPE"),
    ] {
        let res = c
            .get(&format!("/c/halton/q/2012-13/2/report/CED/{file}"))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{file}");
        assert!(res.bytes.starts_with(magic), "{file} starts with {magic:?}");
    }
    // A plan's lists as spreadsheets: formulas come out inert.
    let page = c.get("/c/halton/plans/CED-2012-13").await.body;
    for kind in [
        "indicators",
        "values",
        "milestones",
        "risks",
        "budget-lines",
    ] {
        for ext in ["xlsx", "csv"] {
            let href = format!("/c/halton/plans/CED-2012-13/tables/{kind}.{ext}");
            assert!(page.contains(&href), "the plan page links {href}");
            let f = c.get(&href).await;
            assert_eq!(f.status, StatusCode::OK, "{href}: {}", f.body);
            if ext == "xlsx" {
                assert!(f.bytes.starts_with(b"PK"), "{href}");
            }
        }
    }
    let csv = c
        .get("/c/halton/plans/CED-2012-13/tables/indicators.csv")
        .await
        .body;
    assert!(
        csv.starts_with("plan,") || csv.contains("SCS CYP09"),
        "{csv}"
    );
    assert!(csv.contains("SCS CYP09"));
    let (status, html) = get(&mut c, "/c/halton/q/2012-13/2/report/CED").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Download") && html.contains("report.pdf"));
    let (status, _) = get(&mut c, "/c/halton/q/2012-13/2/report/CED/report.exe").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = get(&mut c, "/c/halton/plans/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
    let (status, _) = get(&mut c, "/c/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_status_always_carries_its_word_and_reason() {
    let (_db, mut c) = signed_in().await;
    let (_, html) = get(&mut c, "/c/halton/q/2012-13/2?unit=CED").await;
    // SCS CYP09: the shape comes from CSS, the word is in the markup, the reason beside it.
    assert!(html.contains("<strong class=\"beacon-status beacon-status--red\">Red</strong>"));
    assert!(html.contains("2012/13 Q2 76% against a target of 84%; higher is better; 8 points below target, outside the 5% tolerance → Red"));
    assert!(html.contains("<strong class=\"beacon-status beacon-status--better\">Better</strong>"));
}

#[tokio::test]
async fn the_entry_form_refuses_a_bad_value_keeps_what_was_typed_and_saves_nothing() {
    let (db, mut c) = signed_in().await;
    let council = "halton".parse().unwrap();
    let before = db.store.council_data(&council).await.unwrap();
    let path = "/c/halton/q/2012-13/2/entry/CED";
    let (_, form) = get(&mut c, path).await;
    // Indicator 0 is SCS CYP09, already holding 76%.
    assert!(
        form.contains(
            "id=\"i0-value\" name=\"i0-value\" type=\"text\" spellcheck=\"false\" value=\"76%\""
        ),
        "the stored value is shown"
    );
    let fields = with(
        form_fields_of(&form, path),
        &[
            ("officer", "SN"),
            ("i0-value", "seventy"),
            ("i1-comment", "Still falling"),
            ("i2-status", "amber"),
        ],
    );
    let (status, html, _) = post(&mut c, path, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("There is a problem"));
    assert!(
        html.contains("is not a number: enter the value of SCS CYP09 as"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#i2-reason\">a reason is required to set a status by hand"),
        "{html}"
    );
    assert!(html.contains("value=\"seventy\""), "what was typed is kept");
    assert!(html.contains("Still falling"), "what was typed is kept");
    assert!(
        html.contains("<title>Error: "),
        "the title says there is an error"
    );
    assert_eq!(
        db.store.council_data(&council).await.unwrap(),
        before,
        "nothing was saved"
    );
}

#[tokio::test]
async fn a_valid_entry_is_saved_and_changes_the_dashboard() {
    let (db, mut c) = signed_in().await;
    let path = "/c/halton/q/2012-13/2/entry/CED";
    let (_, form) = get(&mut c, path).await;
    let before = an_unchanged_save_changes_nothing(&db, &mut c, path, &form).await;
    a_form_without_its_version_saves_nothing(&db, &mut c, path, &form, &before).await;
    one_item_carried_changes_only_that_item(&db, &mut c, path, &form, &before).await;
    // That save moved the quarter on: the form read before it is stale.
    let changes = [
        ("officer", "SN"),
        ("i0-value", "85%"),
        (
            "i0-comment",
            "All schools inspected this quarter were good or better.",
        ),
        ("i8-status", "amber"),
        (
            "i8-reason",
            "Uncertain at this stage if the target will be met",
        ),
        ("m1-progress", "complete"),
        ("m1-day", "14"),
        ("m1-month", "9"),
        ("m1-year", "2012"),
        ("kd-title", "Peer challenge"),
        (
            "kd-text",
            "A peer challenge of school improvement took place in September.",
        ),
    ];
    // The form read before the first save is stale now: saving it would overwrite that save.
    let (status, html, _) = post(&mut c, path, &with(form_fields_of(&form, path), &changes)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        html.contains("CED 2012/13 Q2 was changed by performance at"),
        "{html}"
    );
    // The indicator's page, read (and kept) before the save, shows the save in its history
    // after it.
    let indicator = "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09";
    let history_rows = |page: &str| page.matches("beacon-history__value").count();
    let (_, page) = get(&mut c, indicator).await;
    let rows_before = history_rows(&page);
    let (_, form) = get(&mut c, path).await;
    let (status, _, location) =
        post(&mut c, path, &with(form_fields_of(&form, path), &changes)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(location, "/c/halton/q/2012-13/2?unit=CED&saved=1");
    let (_, html) = get(&mut c, &location).await;
    assert!(
        html.contains("The quarter's data was saved"),
        "a success banner"
    );
    let (_, page) = get(&mut c, indicator).await;
    assert!(
        history_rows(&page) > rows_before,
        "the save is in the page's history"
    );
    assert!(
        page.contains(
            "2012/13 Q2 85% against a target of 84%; higher is better; better than target → Green"
        ),
        "{page}"
    );
    assert!(page.contains("All schools inspected this quarter were good or better. (SN)"));
    let (_, page) = get(&mut c, "/c/halton/plans/CED-2012-13/indicators/CFS%20LI07").await;
    assert!(page.contains("(set by hand)"));
    assert!(
        page.contains("Uncertain at this stage if the target will be met (the rules gave Red)"),
        "{page}"
    );
    // The existing narratives of the quarter are kept, and the new one added.
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let q = data
        .quarters
        .iter()
        .find(|q| q.header.unit.as_str() == "CED")
        .unwrap();
    assert_eq!(q.key_developments.len(), 5);
    assert_eq!(q.key_developments[4].title, "Peer challenge");
    assert_eq!(q.values.len(), 23, "the value was replaced, not added");
}

/// Saving the form unchanged (but for who is entering) changes nothing at all. What is stored.
async fn an_unchanged_save_changes_nothing(
    db: &beacon_test_support::TempDb,
    c: &mut Client,
    path: &str,
    form: &str,
) -> beacon_app::CouncilData {
    // Saving the form unchanged (but for who is entering) changes nothing at all: no value,
    // no commentary or its initials, no version, no audit row.
    let halton = "halton".parse().unwrap();
    let before = db.store.council_data(&halton).await.unwrap().unwrap();
    let trail = db.store.audit_trail().await.unwrap().0.len();
    let versions = db.store.quarter_statuses(&halton).await.unwrap();
    let (status, _, _) = post(
        c,
        path,
        &with(form_fields_of(form, path), &[("officer", "GM")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let after = db.store.council_data(&halton).await.unwrap().unwrap();
    assert_eq!(
        after.quarters, before.quarters,
        "values and commentary with their initials"
    );
    assert_eq!(after.overrides, before.overrides);
    assert_eq!(
        db.store.audit_trail().await.unwrap().0.len(),
        trail,
        "no audit row"
    );
    assert_eq!(
        db.store.quarter_statuses(&halton).await.unwrap(),
        versions,
        "no new version"
    );
    before
}

/// A form without its version, or with a garbled one, is refused and saves nothing.
async fn a_form_without_its_version_saves_nothing(
    db: &beacon_test_support::TempDb,
    c: &mut Client,
    path: &str,
    form: &str,
    before: &beacon_app::CouncilData,
) {
    let halton = "halton".parse().unwrap();
    // A form without its version, or with a garbled one, is refused and saves nothing.
    for v in ["", "seven"] {
        let fields: Vec<(String, String)> =
            with(form_fields_of(form, path), &[("i0-value", "80%")])
                .into_iter()
                .map(|(k, x)| {
                    if k == "version" {
                        (k, v.to_string())
                    } else {
                        (k, x)
                    }
                })
                .collect();
        let (status, html, _) = post(c, path, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:?}");
        assert!(html.contains("version of the quarter"), "{html}");
    }
    assert_eq!(
        &db.store.council_data(&halton).await.unwrap().unwrap(),
        before
    );
}

/// A form carrying one item changes only that item: the others keep their values.
async fn one_item_carried_changes_only_that_item(
    db: &beacon_test_support::TempDb,
    c: &mut Client,
    path: &str,
    form: &str,
    before: &beacon_app::CouncilData,
) {
    let halton = "halton".parse().unwrap();
    // A form carrying one item changes only that item: the others keep their values.
    let one: Vec<(String, String)> = form_fields_of(form, path)
        .into_iter()
        .filter(|(k, _)| !k.starts_with('i') || k.starts_with("i0-"))
        .filter(|(k, _)| !k.starts_with('m'))
        .collect();
    let (status, _, _) = post(
        c,
        path,
        &with(one, &[("i0-comment", "Inspections continue.")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let partial = db.store.council_data(&halton).await.unwrap().unwrap();
    let ced = |d: &beacon_app::CouncilData| {
        d.quarters
            .iter()
            .find(|q| q.header.unit.as_str() == "CED")
            .unwrap()
            .clone()
    };
    assert_eq!(ced(&partial).values, ced(before).values, "no value removed");
    assert_eq!(
        ced(&partial).progress,
        ced(before).progress,
        "no progress removed"
    );
    assert!(
        ced(&partial)
            .commentary
            .iter()
            .any(|x| x.text == "Inspections continue.")
    );
}

/// The example's synthetic national set loaded beside the example council, Halton linked to
/// its code, and a councillor's app that reads it.
async fn with_national() -> (
    beacon_test_support::TempDb,
    beacon_national::NationalDb,
    Client,
) {
    let db = halton_with_users().await;
    let national = common::load_national(&db).await;
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            national: Some(national.clone()),
            ..beacon_web::Options::default()
        },
    );
    let c = Client::signed_in(&app, "councillor").await;
    (db, national, c)
}

/// Halton's rank and the count on one indicator in one period, worked out here from the CSV
/// itself (higher is better for NI075; equal values share the best rank).
fn rank_in_csv(indicator: &str, period: &str) -> (usize, usize, String) {
    let csv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/national/values.csv"),
    )
    .unwrap();
    let mut halton = String::new();
    let mut values = Vec::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[1] == indicator
            && f[2] == period
            && let Ok(v) = f[3].parse::<f64>()
        {
            values.push(v);
            if f[0] == "E06000006" {
                halton = f[3].to_string();
            }
        }
    }
    let mine: f64 = halton.parse().unwrap();
    let better = values.iter().filter(|v| **v > mine).count();
    (better + 1, values.len(), halton)
}

#[tokio::test]
async fn an_indicator_page_shows_the_council_s_national_position_and_follows_new_values() {
    let (_db, national, mut c) = with_national().await;
    let path = "/c/halton/plans/CED-2012-13/indicators/NI075";
    let (status, page) = get(&mut c, path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("How this compares with England"), "{page}");
    // The latest period with a value is 2012-13; rank worked out from the file by hand.
    let (rank, count, value) = rank_in_csv("NI075", "2012-13");
    let ordinal = match rank % 10 {
        1 if rank % 100 != 11 => format!("{rank}st"),
        2 if rank % 100 != 12 => format!("{rank}nd"),
        3 if rank % 100 != 13 => format!("{rank}rd"),
        _ => format!("{rank}th"),
    };
    assert!(page.contains("Position in 2012-13"), "{page}");
    assert!(
        page.contains(&format!("{ordinal} of {count}")),
        "{ordinal} of {count} in {page}"
    );
    assert!(page.contains(&value), "{value}");
    assert!(page.contains("statistical neighbours"), "{page}");
    assert!(page.contains("<svg"), "a chart is drawn");
    // A value contributed later (another process, as when a council publishes) shows at once,
    // although nothing in the council's own data changed.
    beacon_national::contribute(
        &national,
        "E06000006",
        &[("NI075".into(), "2013-14".into(), 99.5)],
    )
    .await
    .unwrap();
    let (_, page) = get(&mut c, path).await;
    assert!(page.contains("Position in 2013-14"), "{page}");
    assert!(
        page.contains("1st of 1"),
        "the only value in 2013-14 ranks first: {page}"
    );
    // An indicator with no national code has no national section.
    let (_, page) = get(&mut c, "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09").await;
    assert!(!page.contains("How this compares with England"));
}

#[tokio::test]
async fn a_council_not_linked_to_the_national_set_shows_no_position() {
    let (_db, national, mut c) = with_national().await;
    national.link("halton", "E99999999", false).await.unwrap();
    let (status, page) = get(&mut c, "/c/halton/plans/CED-2012-13/indicators/NI075").await;
    assert_eq!(status, StatusCode::OK);
    // Linked to a code the register does not hold: the page still renders, without a position.
    assert!(!page.contains("Position in"), "{page}");
}

fn ordinal(n: usize) -> String {
    match n % 10 {
        1 if n % 100 != 11 => format!("{n}st"),
        2 if n % 100 != 12 => format!("{n}nd"),
        3 if n % 100 != 13 => format!("{n}rd"),
        _ => format!("{n}th"),
    }
}

const DASHBOARD: &str = "/c/halton/q/2012-13/2";

#[tokio::test]
async fn the_dashboard_and_the_report_show_the_national_quartile_of_each_national_indicator() {
    let (_db, _national, mut c) = with_national().await;
    // The latest period up to 2012/13 Q2 in which Halton has an NI075 value is 2012-13; its rank
    // there worked out from the file by hand.
    let (rank, count, _) = rank_in_csv("NI075", "2012-13");
    let cell = format!("{} of {count} (2012-13)", ordinal(rank));
    let (status, page) = get(&mut c, DASHBOARD).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(">National quartile</th>"), "{page}");
    assert!(page.contains("id=\"national-quartile-key\""), "{page}");
    assert!(
        page.contains("the best"),
        "the key says which way is best: {page}"
    );
    assert!(page.contains(&cell), "{cell} in {page}");
    // The monitoring report says the same, in the page's HTML and in the JSON model.
    for ext in ["html", "json"] {
        let (status, report) = get(&mut c, &format!("{DASHBOARD}/report/CED/report.{ext}")).await;
        assert_eq!(status, StatusCode::OK, "{ext}");
        assert!(report.contains("National quartile"), "{ext}: {report}");
        assert!(report.contains(&cell), "{ext}: {cell} in {report}");
    }
}

#[tokio::test]
async fn without_national_data_the_dashboard_and_report_have_no_quartile_column() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "councillor").await;
    let (status, page) = get(&mut c, DASHBOARD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("National quartile"), "{page}");
    let (_, report) = get(&mut c, &format!("{DASHBOARD}/report/CED/report.html")).await;
    assert!(!report.contains("National quartile"));
    // Linked to a code the register does not hold: no column either.
    let (_db, national, mut c) = with_national().await;
    national.link("halton", "E99999999", false).await.unwrap();
    let (_, page) = get(&mut c, DASHBOARD).await;
    assert!(!page.contains("National quartile"), "{page}");
}

/// Pages that show national figures are cached by the set's revision: a contribution made by
/// another process (here a second connection pool on the same database file, as a second
/// server or `beacon publish` would be) shows at the next request, on the indicator page and
/// on the dashboard.
#[tokio::test]
async fn a_contribution_from_another_process_shows_at_the_next_request() {
    let (db, _national, mut c) = with_national().await;
    let path = "/c/halton/plans/CED-2012-13/indicators/NI075";
    let (_, before) = get(&mut c, path).await;
    assert!(before.contains("Position in 2012-13"), "{before}");
    let (_, dash) = get(&mut c, DASHBOARD).await;
    assert!(!dash.contains("(2012-13 Q1)"));
    // Asked again with nothing changed: the same page, from the cache.
    assert_eq!(get(&mut c, path).await.1, before);

    let other = beacon_store_sqlite::SqliteStore::open(db.path.to_str().unwrap())
        .await
        .unwrap();
    let other = beacon_national::NationalDb::Sqlite(other.pool().sqlite().unwrap().clone());
    beacon_national::contribute(
        &other,
        "E06000006",
        &[
            ("NI075".into(), "2012-13 Q1".into(), 61.0),
            ("NI075".into(), "2013-14".into(), 99.5),
        ],
    )
    .await
    .unwrap();
    let (_, after) = get(&mut c, path).await;
    assert!(after.contains("Position in 2013-14"), "{after}");
    assert!(after.contains("1st of 1"), "{after}");
    // The dashboard of 2012/13 Q2 shows the quarter's own figure, not the later year's.
    let (_, dash) = get(&mut c, DASHBOARD).await;
    assert!(dash.contains("1st of 1 (2012-13 Q1)"), "{dash}");
    assert!(!dash.contains("(2013-14)"), "{dash}");
}

/// Plan pages read the council's settings, as reports do: a council whose tolerance is 10%
/// (not the framework's 5%) sees it on an indicator's page, and the status beside it judged by it.
#[tokio::test]
async fn plan_pages_use_the_council_s_settings() {
    let db = beacon_test_support::TempDb::new().await;
    let mut sources = beacon_test_support::halton_sources();
    let council = sources
        .iter_mut()
        .find(|s| s.name.ends_with("council.toml"))
        .unwrap();
    let five = "tolerance_percent = \"5\"";
    assert!(council.text.contains(five));
    council.text = council.text.replacen(five, "tolerance_percent = \"10\"", 1);
    beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    common::add_users(&db).await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let (status, page) = get(&mut c, "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("10% of target (the council default)"),
        "{page}"
    );
    // 76% against 84% is 9.5% short: outside 5%, inside the council's 10%.
    assert!(
        page.contains("8 points below target, within the 10% tolerance → Amber"),
        "{page}"
    );
    assert!(!page.contains("5% tolerance"), "{page}");
}

/// A council's own risk matrix (here Low up to 8, Medium up to 12 on the 4 × 4) bands every
/// risk on the plan's risk page and in the plan document, not the seeds' default (Medium 5–10).
#[tokio::test]
async fn plan_pages_and_reports_band_risks_by_the_council_s_matrix() {
    let db = beacon_test_support::TempDb::new().await;
    let mut sources = beacon_test_support::halton_sources();
    let council = sources
        .iter_mut()
        .find(|s| s.name.ends_with("council.toml"))
        .unwrap();
    let colour = "colour = \"#005ea5\"\n";
    assert!(council.text.contains(colour));
    council.text = council.text.replacen(
        colour,
        &format!("{colour}\n[council.risk_matrix]\nside = 4\nlow = 8\nmedium = 12\n"),
        1,
    );
    beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    common::add_users(&db).await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    // SS1's initial risk scores 8: Medium by the default, Low by this council's matrix.
    let (status, page) = get(&mut c, "/c/halton/plans/SS-2009-12/risks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("score 8; 1–8 is low on the 4×4 matrix → low"),
        "{page}"
    );
    assert!(page.contains("score 12; 9–12 is medium on the 4×4 matrix → medium"));
    assert!(!page.contains("5–10 is medium"), "{page}");

    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let report = beacon_reports::plan_document(&data, "SS-2009-12").unwrap();
    let html = String::from_utf8(beacon_reports::render::html::render(&report).unwrap()).unwrap();
    assert!(
        html.contains("(score 8; 1–8 is low on the 4×4 matrix → low)"),
        "{html}"
    );
    assert!(!html.contains("5–10 is medium"));
}

#[tokio::test]
async fn a_plan_is_refreshed_on_screen_then_compared_with_its_original() {
    let (db, mut c) = signed_in().await;
    let plan = "/c/halton/plans/CYPD-2011-14";
    let (_, page) = get(&mut c, plan).await;
    assert!(page.contains("Refresh this plan for 2012/13"), "{page}");
    let form_path = "/c/halton/plans/CYPD-2011-14/refresh";
    let (status, form) = get(&mut c, form_path).await;
    assert_eq!(status, StatusCode::OK);
    // The new ref is suggested from the old one, its years moved on.
    assert!(form.contains("value=\"CYPD-2012-15\""), "{form}");
    let fields = form_fields_of(&form, form_path);
    // A ref already taken is refused in the use case's words, beside the field, and nothing
    // is written.
    let before = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap();
    let (status, html, _) = post(
        &mut c,
        form_path,
        &with(fields.clone(), &[("new_ref", "CED-2012-13")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("govuk-error-summary") && html.contains("href=\"#new_ref\""),
        "{html}"
    );
    assert!(
        html.contains("there is already a plan CED-2012-13"),
        "{html}"
    );
    assert_eq!(
        db.store
            .council_data(&"halton".parse().unwrap())
            .await
            .unwrap(),
        before
    );
    // The suggested ref is taken as it is.
    let (status, _, location) = post(&mut c, form_path, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = location.unwrap();
    assert_eq!(
        to,
        "/c/halton/plans/CYPD-2012-15/compare?with=CYPD-2011-14&done=refreshed"
    );
    let (status, cmp) = get(&mut c, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        cmp.contains("CYPD-2012-15 is a draft refreshed from CYPD-2011-14"),
        "{cmp}"
    );
    assert!(
        cmp.contains("2011/12-2013/14") && cmp.contains("2012/13-2014/15"),
        "{cmp}"
    );
    assert!(cmp.contains("carried_from"), "{cmp}");
    // The new plan says what it refreshes, and its carried milestones say so.
    let (_, new) = get(&mut c, "/c/halton/plans/CYPD-2012-15").await;
    assert!(new.contains("This plan refreshes"), "{new}");
    let (_, obj) = get(&mut c, "/c/halton/plans/CYPD-2012-15/objectives/CFS1").await;
    assert!(obj.contains("Carried from 2011/12, not complete"), "{obj}");
    // A councillor reads the comparison but is offered no refresh, and may not make one.
    let app = beacon_web::router(db.store.clone());
    let mut cllr = Client::signed_in(&app, "councillor").await;
    let (_, page) = get(&mut cllr, plan).await;
    assert!(!page.contains("Refresh this plan"), "{page}");
    let (status, _) = get(&mut cllr, &to).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&mut cllr, form_path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn priority_pages_list_what_serves_them_and_objectives_link_up_to_them() {
    let (_db, mut c) = signed_in().await;
    let (status, list) = get(&mut c, "/c/halton/priorities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Community strategy themes"), "{list}");
    assert!(
        list.contains("href=\"/c/halton/priorities/SCS-CYP\""),
        "{list}"
    );
    // The CED plan's indicators serve SCS-CYP; its page lists them with this quarter's
    // statuses, as words.
    let (status, page) = get(&mut c, "/c/halton/priorities/SCS-CYP").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Children and Young People in Halton"),
        "{page}"
    );
    assert!(
        page.contains("href=\"/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09\""),
        "{page}"
    );
    assert!(page.contains("2012/13 Q2"), "{page}");
    assert!(page.contains("beacon-status--"), "{page}");
    // A corporate priority gathers the objectives linked to it or to its areas of focus.
    let (_, cp3) = get(&mut c, "/c/halton/priorities/CP3").await;
    assert!(cp3.contains("href=\"/c/halton/priorities/AOF13\""), "{cp3}");
    assert!(
        cp3.contains("href=\"/c/halton/plans/ULS-2009-12/objectives/ULS1\""),
        "{cp3}"
    );
    // A directorate priority gathers the milestones grouped under it.
    let (_, comm) = get(&mut c, "/c/halton/priorities/CED-COMM").await;
    assert!(
        comm.contains("Milestones that serve Commissioning"),
        "{comm}"
    );
    // Navigable both ways: the objective and the indicator link up to their priorities.
    let (_, obj) = get(&mut c, "/c/halton/plans/ULS-2009-12/objectives/ULS1").await;
    assert!(obj.contains("href=\"/c/halton/priorities/AOF13\""), "{obj}");
    let (_, ind) = get(&mut c, "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09").await;
    assert!(
        ind.contains("href=\"/c/halton/priorities/SCS-CYP\""),
        "{ind}"
    );
    let (status, _) = get(&mut c, "/c/halton/priorities/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn many_readers_at_once_just_after_a_save_all_see_it() {
    // Pages are kept between requests; just after a save the first reader renders them again
    // while the others wait for it. Every reader, however many arrive at once, sees the save,
    // on the dashboard, the indicator's page and the report's page, each read before it.
    let (_db, mut c) = signed_in().await;
    let entry = "/c/halton/q/2012-13/2/entry/CED";
    let dashboard = "/c/halton/q/2012-13/2?unit=CED";
    let indicator = "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09";
    let report = "/c/halton/q/2012-13/2/report/CED";
    let saved = "2012/13 Q2 85% against a target of 84%";
    let cell = "<td class=\"govuk-table__cell\">85%</td>";
    let mut cells_before = 0;
    for path in [dashboard, indicator, report] {
        let (status, page) = get(&mut c, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains(saved), "{path} before the save");
        if path == dashboard {
            cells_before = page.matches(cell).count();
        }
    }
    let (_, form) = get(&mut c, entry).await;
    let changes = [("officer", "SN"), ("i0-value", "85%")];
    let (status, _, _) = post(&mut c, entry, &with(form_fields_of(&form, entry), &changes)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut readers = tokio::task::JoinSet::new();
    for i in 0..24 {
        let mut reader = c.clone();
        let path = [dashboard, indicator, report][i % 3];
        readers.spawn(async move { (path, reader.get(path).await) });
    }
    while let Some(read) = readers.join_next().await {
        let (path, page) = read.unwrap();
        assert_eq!(page.status, StatusCode::OK, "{path}");
        if path == indicator {
            assert!(page.body.contains(saved), "{path} shows the save");
        }
        if path == dashboard {
            assert!(
                page.body.matches(cell).count() > cells_before,
                "{path} shows the new value"
            );
        }
        if path == report {
            assert!(
                page.body.contains("report.html"),
                "{path} frames the report"
            );
        }
    }
    // The report in its frame shows the new value too.
    let (_, html) = get(&mut c, &format!("{report}/report.html")).await;
    assert!(html.contains("85%"), "the framed report shows the save");
}

/// The index the entry form gives risk `risk` (its hidden `r{n}-ref` field).
fn risk_index(fields: &[(String, String)], risk: &str) -> usize {
    fields
        .iter()
        .find(|(k, v)| k.starts_with('r') && k.ends_with("-ref") && v == risk)
        .and_then(|(k, _)| k[1..k.len() - 4].parse().ok())
        .unwrap_or_else(|| panic!("risk {risk} on the entry form"))
}

/// The entry form takes each risk's likelihood and impact each quarter through the recording
/// use case: the risk register shows the trend in words, a score beyond the council's matrix is
/// refused beside its field in the files' words, the audit trail lists the change, and a
/// signed-off quarter refuses it.
#[tokio::test]
async fn a_risk_s_scores_each_quarter_show_as_a_trend_on_the_register() {
    let (db, mut c) = signed_in().await;
    for (quarter, likelihood, impact) in [("1", "3", "4"), ("2", "3", "3")] {
        let path = format!("/c/halton/q/2012-13/{quarter}/entry/CED");
        let (_, form) = get(&mut c, &path).await;
        assert!(form.contains("Risk CFS1: Failure to ensure"), "{form}");
        let fields = form_fields_of(&form, &path);
        let n = risk_index(&fields, "CFS1");
        let (l, i) = (format!("r{n}-likelihood"), format!("r{n}-impact"));
        let p = format!("r{n}-progress");
        let mut changes = vec![
            ("officer", "TC"),
            (l.as_str(), likelihood),
            (i.as_str(), impact),
        ];
        if quarter == "1" {
            changes.push((p.as_str(), "CareFirst6 is live in two teams."));
        }
        let (status, html, _) = post(&mut c, &path, &with(fields, &changes)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    }
    let (_, register) = get(&mut c, "/c/halton/plans/CED-2012-13/risks").await;
    assert!(
        register.contains("2012/13: Q1 12 High → Q2 9 Medium, falling"),
        "{register}"
    );
    // The monitoring report prints the quarter's assessment beside the plan's.
    let (_, report) = get(&mut c, "/c/halton/q/2012-13/2/report/CED/report.html").await;
    assert!(report.contains("This quarter"), "{report}");
    assert!(
        report.contains("likelihood 3 × impact 3 = 9; 5–10 is medium on the 4×4 matrix → medium"),
        "{report}"
    );
    // The form shows what is stored, and the year so far.
    let path = "/c/halton/q/2012-13/2/entry/CED";
    let (_, form) = get(&mut c, path).await;
    assert!(form.contains("Q1 12 High → Q2 9 Medium, falling"));
    let fields = form_fields_of(&form, path);
    let n = risk_index(&fields, "CFS1");
    let l = format!("r{n}-likelihood");
    assert!(fields.iter().any(|(k, v)| k == &l && v == "3"));
    // A likelihood beyond the council's 4 × 4 matrix: refused beside its field.
    let council = "halton".parse().unwrap();
    let before = db.store.council_data(&council).await.unwrap();
    let (status, html, _) = post(&mut c, path, &with(fields.clone(), &[(l.as_str(), "5")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(&format!(
            "<a href=\"#{l}\">risk CFS1: the assessment does not fit the council&#39;s 4 × 4 risk matrix"
        )) || html.contains(&format!(
            "<a href=\"#{l}\">risk CFS1: the assessment does not fit the council's 4 × 4 risk matrix"
        )),
        "{html}"
    );
    assert_eq!(db.store.council_data(&council).await.unwrap(), before);
    // The audit trail lists the change, field by field, with who made it.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.note.field.starts_with("risk_updates")
                && e.note.field.ends_with(".impact")
                && e.note.new.as_deref() == Some("3")
                && e.note.actor == "performance"),
        "the impact's change is audited"
    );
    // Signed off, the quarter refuses a new assessment, saying why.
    let app = beacon_web::router(db.store.clone());
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let mut approver = Client::signed_in(&app, "approver").await;
    let sign_off = "/c/halton/q/2012-13/2/sign-off/CED";
    for (who, step) in [(&mut contributor, "submit"), (&mut approver, "sign-off")] {
        let action = format!("{sign_off}/{step}");
        let (_, page) = get(who, sign_off).await;
        let (status, body, _) = post(who, &action, &form_fields_of(&page, &action)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{step}: {body}");
    }
    let (_, form) = get(&mut c, path).await;
    assert!(form.contains("id=\"locked\""), "the form says it is locked");
    let signed = db.store.council_data(&council).await.unwrap();
    let version = db
        .store
        .quarter_statuses(&council)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.unit.as_str() == "CED" && s.quarter.to_string() == "2012/13 Q2")
        .map(|s| s.version.to_string())
        .unwrap();
    let (status, html, _) = post(
        &mut c,
        path,
        &with(fields, &[(l.as_str(), "1"), ("version", version.as_str())]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("signed off"), "{html}");
    assert_eq!(db.store.council_data(&council).await.unwrap(), signed);
}
