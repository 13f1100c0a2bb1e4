#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The year's other reports as PDF (the board's cover report, the annual outturn report, the
//! community strategy's progress report and the review of targets), read back with poppler's
//! `pdftotext` (Debian `poppler-utils`).

use beacon_app::{CouncilData, Store};
use beacon_reports::{
    CommunityQuery, CoverText, MonitoringQuery, YearQuery, community_report, cover_report,
    outturn_report, target_review,
};
use std::process::Command;

async fn halton() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// The PDF's text, runs of white space made single spaces.
fn text_of(report: &beacon_reports::Report) -> String {
    let pdf = beacon_reports_pdf::render(report).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("cannot run pdftotext ({e}): install poppler-utils"));
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_years_reports_read_back_from_pdf() {
    let data = halton().await;
    let year = YearQuery {
        unit: "CED".parse().unwrap(),
        year: "2012/13".parse().unwrap(),
    };
    let t = text_of(&outturn_report(&data, &year).unwrap());
    for s in [
        "Annual Outturn Report 2012/13",
        "2.0 Outturn by Priority",
        "Early Help & Support: status at year end",
        "2 Green, 0 Amber, 2 Red and 0 Not assessed of 4 indicators",
        "NI072 SCS CYP01",
        "54.1%",
    ] {
        assert!(t.contains(s), "the outturn PDF lacks {s:?}: {t}");
    }
    let t = text_of(&target_review(&data, &year).unwrap());
    for s in [
        "Annual Review of Targets 2013/14",
        "For the Board to Agree",
        "asks for less than the forecast: raise it to 79%",
    ] {
        assert!(t.contains(s), "the target review PDF lacks {s:?}");
    }
    let t = text_of(
        &community_report(
            &data,
            &CommunityQuery {
                year: "2012/13".parse().unwrap(),
            },
        )
        .unwrap(),
    );
    for s in [
        "Community Strategy Annual Progress Report 2012/13",
        "Children and Young People in Halton",
        "46.9%",
        "48.3%",
    ] {
        assert!(t.contains(s), "the community PDF lacks {s:?}");
    }
    let q2 = MonitoringQuery {
        unit: "CED".parse().unwrap(),
        quarter: "2012/13 Q2".parse().unwrap(),
    };
    let t = text_of(&cover_report(&data, &q2, &CoverText::default()).unwrap());
    let policy = t
        .find("4.0 Policy Implications")
        .expect("the policy section");
    let appendix = t
        .rfind("Appendix: Directorate Performance Overview Report")
        .expect("the appended report");
    assert!(policy < appendix);
    assert!(t[policy..appendix].contains("[To complete:"));
    assert!(t[appendix..].contains("Total Expenditure 48,911 21,200 20,430 770"));
}
