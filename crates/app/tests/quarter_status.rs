//! The status engine on the example council's Quarter 2 2012/13: every KPI and milestone gets
//! a status with a reason, and the statuses agree with what seed 001's supporting commentary
//! says outright of each measure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::status::{OverrideRequest, StatusQuery, quarter_status, set_status};
use beacon_app::{AppError, Store};
use beacon_domain::status::overrides::ItemKind;
use beacon_domain::status::{Progress, Travel};
use beacon_test_support::TempDb;

fn query() -> StatusQuery {
    StatusQuery {
        quarter: "2012/13 Q2".parse().unwrap(),
        plan: Some("CED-2012-13".parse().unwrap()),
        unit: None,
    }
}

#[tokio::test]
async fn the_statuses_agree_with_the_seed_commentary() {
    let db = TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let r = quarter_status(&db.store, &council, &query()).await.unwrap();
    assert_eq!(r.indicators.len(), 23);
    assert_eq!(r.milestones.len(), 20);
    for i in &r.indicators {
        assert!(
            !i.computed.reason.is_empty() && !i.travel.reason.is_empty(),
            "{}",
            i.codes
        );
    }
    for m in &r.milestones {
        assert!(!m.computed.reason.is_empty(), "{}", m.reference);
    }
    let status = |code: &str| {
        let i = r
            .indicators
            .iter()
            .find(|i| i.reference.as_str() == code)
            .unwrap();
        (i.status, i.travel.status)
    };
    // "Both have been exceeded for quarter two" (LPI07COP); "The number of CAF's continues to
    // rise" (CFS LI03); "has exceeded the target set" (NI075); "the target has been exceeded"
    // (NI073); "expected that Halton will meet the end of year targets" (NI112 adjusted,
    // COP LI05); "forecast to meet the end of year targets" (SCS CYP07).
    for met in [
        "LPI07COP",
        "CFS LI03",
        "NI075",
        "NI073",
        "NI112 adjusted",
        "COP LI05",
        "SCS CYP07",
        "NI148",
    ] {
        assert_eq!(status(met).0, Progress::Green, "{met}");
    }
    // "has failed to meet the target set" (NI072); "neither the KS2 or KS4 targets have been
    // achieved" (NI102a, NI102b); "Performance is not meeting targets" (SCS CYP09).
    for failed in ["NI072", "NI102a", "NI102b", "SCS CYP09"] {
        assert_eq!(status(failed).0, Progress::Red, "{failed}");
    }
    // "significant numbers are not available for reporting at this stage in the year":
    // "Refer comment" values, and measures with no numeric target, are not assessed.
    for not_yet in [
        "CFS LI02",
        "SCS CYP12",
        "SCS CYP14",
        "NI104",
        "NI105",
        "NI080",
        "NI117",
        "SCS CYP13",
        "LPI03 CYP",
        "SCS SH04",
    ] {
        assert_eq!(status(not_yet).0, Progress::NotAssessed, "{not_yet}");
    }
    // Direction of travel against 2011/12: "Halton's under 18 conception rate continues to drop"
    // and GCSE "3% higher than previous year" are better; NI148 fell from 81.8% to 79%.
    assert_eq!(status("NI112 adjusted").1, Travel::Better);
    assert_eq!(status("NI075").1, Travel::Better);
    assert_eq!(status("NI148").1, Travel::Worse);
    // A year-to-date count is not compared with last year's whole-year outturn.
    assert_eq!(status("COP LI05").1, Travel::NotComparable);
}

#[tokio::test]
async fn an_override_needs_a_reason_and_shows_as_set_by_hand() {
    let db = TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let req = |reason: &str| OverrideRequest {
        plan: "CED-2012-13".parse().unwrap(),
        kind: ItemKind::Indicator,
        item: "CFS LI07".parse().unwrap(),
        quarter: "2012/13 Q2".parse().unwrap(),
        chosen: Progress::Amber,
        reason: reason.into(),
        by: "TC".into(),
        at: "2012-10-20T10:00:00Z".parse().unwrap(),
    };
    let stats = db.store.stats().await.unwrap();
    let err = set_status(&db.store, &council, req("   "))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref m) if m.contains("a reason is required")),
        "{err}"
    );
    assert_eq!(
        db.store.stats().await.unwrap(),
        stats,
        "a refused override changes nothing"
    );

    let o = set_status(
        &db.store,
        &council,
        req("Uncertain at this stage if the target will be met"),
    )
    .await
    .unwrap();
    assert_eq!(o.computed, Progress::Red);
    let r = quarter_status(&db.store, &council, &query()).await.unwrap();
    let i = r
        .indicators
        .iter()
        .find(|i| i.reference.as_str() == "CFS LI07")
        .unwrap();
    assert_eq!(i.status, Progress::Amber);
    assert_eq!(
        i.computed.status,
        Progress::Red,
        "the computed status is kept beside the chosen one"
    );
    let hand = i.set_by_hand.as_ref().unwrap();
    assert_eq!(
        (hand.by.as_str(), hand.reason.as_str()),
        ("TC", "Uncertain at this stage if the target will be met")
    );

    // Another quarter is not affected.
    let mut q3 = query();
    q3.quarter = "2012/13 Q3".parse().unwrap();
    let r3 = quarter_status(&db.store, &council, &q3).await.unwrap();
    assert!(r3.indicators.iter().all(|i| i.set_by_hand.is_none()));

    // Unknown items are refused.
    let mut bad = req("x");
    bad.item = "NOPE".parse().unwrap();
    assert!(matches!(
        set_status(&db.store, &council, bad).await,
        Err(AppError::NotFound(_))
    ));
}
