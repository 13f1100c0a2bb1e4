//! The example council (examples/halton) loads whole, faithfully to the seeds, idempotently,
//! and survives a round trip through export.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::{Governance, Store};
use beacon_domain::budget::Amounts;
use beacon_domain::money::{Pence, Scale};
use beacon_test_support::{TempDb, halton_sources};
use rust_decimal::Decimal;

fn council() -> beacon_domain::organisation::CouncilRef {
    "halton".parse().unwrap()
}

#[tokio::test]
async fn every_plan_of_the_seeds_is_loaded_whole() {
    let db = TempDb::with_halton().await;
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let count = |plan: &str| {
        let p = data.plan(plan).unwrap();
        (
            p.objectives.len(),
            p.objectives
                .iter()
                .map(|o| o.milestones.len())
                .sum::<usize>(),
            p.indicators.len(),
        )
    };
    // Seed 000, Appendix A: CFS1-4, COPS1-4, LAS1-4 with every milestone of three years, and
    // every indicator row of the six tables (22 + 18 + 19 + 7 + 17 + 13).
    assert_eq!(count("CYPD-2011-14"), (12, 84, 96));
    // Seed 001: the milestones and KPIs the Quarter 2 report monitors.
    assert_eq!(count("CED-2012-13"), (12, 20, 23));
    // Seeds 002 and 003: the two 2009-12 service plans.
    assert_eq!(count("SS-2009-12"), (4, 45, 21));
    assert_eq!(count("ULS-2009-12"), (5, 42, 17));

    let cypd = data.plan("CYPD-2011-14").unwrap();
    let refs: Vec<&str> = cypd
        .objectives
        .iter()
        .map(|o| o.reference.as_str())
        .collect();
    assert_eq!(
        refs,
        [
            "CFS1", "CFS2", "CFS3", "CFS4", "COPS1", "COPS2", "COPS3", "COPS4", "LAS1", "LAS2",
            "LAS3", "LAS4"
        ]
    );
    let ss = data.plan("SS-2009-12").unwrap();
    let ss2 = ss
        .objectives
        .iter()
        .find(|o| o.reference.as_str() == "SS2")
        .unwrap();
    assert_eq!(ss2.initial_risk.as_ref().unwrap().score(), Some(16));
    assert_eq!(ss2.residual_risk.as_ref().unwrap().score(), Some(8));
    assert_eq!(ss.equality_actions.len(), 3);
    assert!(!ss.risks.is_empty());

    let q = &data.quarters[0];
    assert_eq!(q.header.period.to_string(), "2012/13 Q2");
    assert_eq!(q.values.len(), 23);
    assert_eq!(q.commentary.len(), 39);
    assert_eq!(q.key_developments.len(), 4);
    assert_eq!(q.emerging_issues.len(), 2);
    // Every commentary paragraph keeps its officers' initials as printed.
    let with_initials = q
        .commentary
        .iter()
        .filter(|c| !c.initials.is_empty())
        .count();
    assert!(with_initials >= 25, "{with_initials}");
    assert!(
        q.commentary
            .iter()
            .any(|c| c.initials.iter().any(|i| i.as_str() == "AM"))
    );
}

#[tokio::test]
async fn targets_and_values_keep_their_words() {
    let db = TempDb::with_halton().await;
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let cypd = data.plan("CYPD-2011-14").unwrap();
    let ni075 = cypd.indicator("NI075").unwrap();
    let target = |y: &str| ni075.targets.get(&y.parse().unwrap()).unwrap().clone();
    assert_eq!(target("2011/12").value(), Some(Decimal::new(54, 0)));
    assert_eq!(target("2012/13").value(), Some(Decimal::new(555, 1)));
    assert_eq!(target("2012/13").text(), "55.5%");
    assert_eq!(target("2013/14").value(), None);
    assert_eq!(target("2013/14").text(), "Not set");
    let actual = ni075.values.get(&"2010/11".parse().unwrap()).unwrap();
    assert_eq!(actual.value(), Some(Decimal::new(50, 0)));
    assert!(actual.has(beacon_domain::measure::Qualifier::Provisional));

    let ni118 = cypd.indicator("NI118").unwrap();
    let words = ni118.baseline.as_ref().unwrap().value.text();
    assert!(words.starts_with("Awaiting information."), "{words}");
    assert!(
        words.contains("published several years in arrears"),
        "{words}"
    );
    assert_eq!(ni118.baseline.as_ref().unwrap().value.value(), None);

    // The Quarter 2 value with its qualifier, and words standing in for a value.
    let q = &data.quarters[0];
    let v = |code: &str| {
        q.values
            .iter()
            .find(|v| v.indicator.as_str() == code)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(v("NI075").value(), Some(Decimal::new(59, 0)));
    assert!(v("NI075").has(beacon_domain::measure::Qualifier::Provisional));
    assert_eq!(v("CFS LI02").value(), None);
    assert_eq!(v("CFS LI02").text(), "Refer comment");
}

#[tokio::test]
async fn the_directorate_summary_totals_come_from_its_lines() {
    let db = TempDb::with_halton().await;
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let st = data
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CED-revenue")
        .unwrap();
    assert_eq!(st.scale, Scale::Thousands);
    let totals = st.totals().unwrap();
    let k = |n: i64| Pence(n * 100_000);
    let expenditure = totals
        .iter()
        .find(|t| t.label == "Total Expenditure")
        .unwrap();
    assert_eq!(
        expenditure.computed,
        Amounts {
            annual: k(48_911),
            to_date: k(21_200),
            spent: k(20_430)
        }
    );
    assert_eq!(expenditure.computed.variance(), Some(k(770)));
    let net = totals
        .iter()
        .find(|t| t.label == "Net Expenditure")
        .unwrap();
    assert_eq!(
        net.computed,
        Amounts {
            annual: k(29_982),
            to_date: k(8_764),
            spent: k(8_212)
        }
    );
    // Every statement of the seed reconciles with the totals it printed.
    for s in &data.statements {
        for t in s.totals().unwrap() {
            assert!(
                t.reconciles(),
                "{} / {}: computed {:?}, stated {:?}",
                s.reference,
                t.label,
                t.computed,
                t.stated
            );
        }
    }
    // An overspend prints in brackets.
    let repairs = st
        .lines
        .iter()
        .find(|l| l.label == "Repairs & Maintenance")
        .unwrap();
    assert_eq!(
        repairs
            .amounts
            .variance()
            .unwrap()
            .display(Scale::Thousands, true),
        "(30)"
    );
}

#[tokio::test]
async fn loading_the_same_files_twice_changes_nothing() {
    let db = TempDb::with_halton().await;
    let before = db.store.council_data(&council()).await.unwrap();
    let stats = db.store.stats().await.unwrap();
    let report = beacon_test_support::load_files(&db.store, &halton_sources())
        .await
        .unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert!(report.unchanged > 80);
    assert_eq!(db.store.council_data(&council()).await.unwrap(), before);
    assert_eq!(db.store.stats().await.unwrap(), stats);
}

#[tokio::test]
async fn load_export_load_gives_an_identical_database() {
    let first = TempDb::with_halton().await;
    let data = first.store.council_data(&council()).await.unwrap().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();

    let second = TempDb::new().await;
    let sources = beacon_interchange::read_paths(&[dir.path()]).unwrap();
    beacon_test_support::load_files(&second.store, &sources)
        .await
        .unwrap();
    assert_eq!(
        second
            .store
            .council_data(&council())
            .await
            .unwrap()
            .unwrap(),
        data
    );
    assert_eq!(
        second.store.stats().await.unwrap(),
        first.store.stats().await.unwrap()
    );

    // And the exported files, loaded over the first database, change nothing.
    let report = beacon_test_support::load_files(&first.store, &sources)
        .await
        .unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
}

/// The example council's files with `extra` added to its council file's `[council]` table.
fn halton_with_settings(extra: &str) -> Vec<beacon_interchange::Source> {
    let mut sources = halton_sources();
    let file = sources
        .iter_mut()
        .find(|s| s.name.ends_with("council.toml"))
        .unwrap();
    let colour = "colour = \"#005ea5\"\n";
    assert!(file.text.contains(colour));
    file.text = file.text.replacen(colour, &format!("{colour}{extra}"), 1);
    sources
}

const CALENDAR: &str = r#"
[council.calendar.rule]
opens_after = 2
closes_after = 12
sign_off_after = 18
papers_before = 4
remind_before = 2
committee = "Corporate Policy and Performance Board"

[[council.calendar.quarters]]
quarter = "2012/13 Q2"
closes = "2012-10-19"
board = "2013-01-03"
"#;

const MATRIX: &str = "
[council.risk_matrix]
side = 5
low = 6
medium = 14
";

/// The council file sets the calendar through the same use case as `beacon calendar`, loading
/// it again writes nothing, and `beacon export council` writes it (and the risk matrix) back:
/// exported, loaded into an empty database and exported again, every file is the same bytes.
#[tokio::test]
async fn the_council_file_sets_the_calendar_and_matrix_and_exports_them_byte_for_byte() {
    let db = TempDb::new().await;
    let sources = halton_with_settings(&format!("{MATRIX}{CALENDAR}"));
    let report = beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    assert!(report.written.contains(&"calendar of halton".to_string()));
    let cal = beacon_app::calendar::calendar_of(&db.store, &council())
        .await
        .unwrap();
    assert!(!cal.default);
    assert_eq!(cal.calendar.rule.closes_after, 12);
    assert_eq!(cal.calendar.rule.board_after, None);
    let q2 = cal
        .year("2012/13".parse().unwrap())
        .into_iter()
        .find(|d| d.quarter == "2012/13 Q2".parse().unwrap())
        .unwrap();
    assert_eq!(q2.closes.to_string(), "2012-10-19");
    assert_eq!(q2.set_by_hand, ["closes", "board"]);
    let trail = db.store.audit_trail().await.unwrap().0;
    assert!(trail.iter().any(|e| e.note.field == "calendar"));

    // Loaded again: nothing written, no new audit rows.
    let rows = db.store.audit_trail().await.unwrap().0.len();
    let again = beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);
    assert_eq!(db.store.audit_trail().await.unwrap().0.len(), rows);

    // Exported, loaded elsewhere, exported again: the same bytes.
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let files = beacon_interchange::export::council_files(&data, Some(&cal.calendar)).unwrap();
    let council_file = &files[0].1;
    assert!(council_file.contains("[council.risk_matrix]\nside = 5\nlow = 6\nmedium = 14\n"));
    assert!(council_file.contains("[council.calendar.rule]\nopens_after = 2\n"));
    assert!(council_file.contains("closes = \"2012-10-19\""));
    let second = TempDb::new().await;
    let sources: Vec<beacon_interchange::Source> = files
        .iter()
        .map(|(p, t)| beacon_test_support::source(&p.display().to_string(), t))
        .collect();
    beacon_test_support::load_files(&second.store, &sources)
        .await
        .unwrap();
    let data2 = second
        .store
        .council_data(&council())
        .await
        .unwrap()
        .unwrap();
    let cal2 = beacon_app::calendar::calendar_of(&second.store, &council())
        .await
        .unwrap();
    assert_eq!(data2, data);
    assert_eq!(cal2, cal);
    let files2 = beacon_interchange::export::council_files(&data2, Some(&cal2.calendar)).unwrap();
    assert_eq!(files2, files);
}

/// A calendar that does not hold together is refused with the words `beacon calendar` uses,
/// naming the file and `council.calendar`, and nothing is loaded; so is a matrix whose bands
/// do not rise, naming `risk_matrix`.
#[tokio::test]
async fn a_bad_calendar_or_matrix_in_the_council_file_loads_nothing() {
    let db = TempDb::new().await;
    let bad = CALENDAR.replace("sign_off_after = 18", "sign_off_after = 10");
    let err = beacon_test_support::load_files(&db.store, &halton_with_settings(&bad))
        .await
        .unwrap_err()
        .to_string();
    let cal: beacon_domain::calendar::CouncilCalendar =
        toml::from_str(&bad.replace("council.calendar.", "")).unwrap();
    let cli_words = beacon_app::calendar::check_calendar(&cal).unwrap_err();
    assert!(cli_words.starts_with("The calendar was not changed: sign-off (10 working days)"));
    assert!(err.contains("council.toml"), "{err}");
    assert!(err.contains("council.calendar"), "{err}");
    assert!(err.contains(&cli_words), "{err}");
    assert!(db.store.councils().await.unwrap().is_empty());
    let none = beacon_app::calendar::calendar_of(&db.store, &council())
        .await
        .unwrap();
    assert!(none.default);

    let err = beacon_test_support::load_files(
        &db.store,
        &halton_with_settings(&MATRIX.replace("low = 6", "low = 16")),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("council.toml"), "{err}");
    assert!(err.contains("risk_matrix"), "{err}");
    assert!(err.contains("expected 1 ≤ low < medium < 25"), "{err}");
    assert!(db.store.councils().await.unwrap().is_empty());

    // A 3 × 3 matrix: the plans' risks scored 16 on the 4 × 4 no longer fit, and are named.
    let err = beacon_test_support::load_files(
        &db.store,
        &halton_with_settings("\n[council.risk_matrix]\nside = 3\nlow = 3\nmedium = 6\n"),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("does not fit the council's 3 × 3 risk matrix: expected likelihood and impact 1 to 3, a score 1 to 9"),
        "{err}"
    );
    assert!(err.contains("ss-2009-12.toml"), "{err}");
    assert!(db.store.councils().await.unwrap().is_empty());
}
