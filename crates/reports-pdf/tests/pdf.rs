#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The example council's Quarter 2 2012/13 report and the CYPD plan as PDF, read back with
//! poppler's `pdftotext` and `pdffonts` (Debian `poppler-utils`; `scripts/test` installs it).

use beacon_app::{CouncilData, Store};
use beacon_reports::{MonitoringQuery, monitoring_report, plan_document};
use std::path::Path;
use std::process::Command;

async fn halton() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

fn q2(data: &CouncilData) -> beacon_reports::Report {
    monitoring_report(
        data,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap()
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} ({e}): install poppler-utils (scripts/test does)")
        });
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// pdftotext's text with runs of white space made single spaces, so table cells read in order.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_quarter_2_report_reads_back_with_its_sections_values_page_numbers_and_fonts() {
    let data = halton().await;
    let r = q2(&data);
    let pdf = beacon_reports_pdf::render(&r).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        pdf,
        beacon_reports_pdf::render(&r).unwrap(),
        "the same report gives the same bytes"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = poppler("pdftotext", &["-layout"], &path);
    let t = flat(&text);
    for section in [
        "1.0 Introduction",
        "2.0 Key Developments",
        "3.0 Emerging Issues",
        "4.0 Risk Control Measures",
        "5.0 Progress against high priority equality actions",
        "6.0 Performance Overview",
        "Commissioning",
        "Early Help & Support",
        "Narrowing the Gap",
        "Employment & Growth",
        "7.0 Financial Statement",
        "8.0 Appendix",
        "Key to officer initials",
        "9.0 Exceptions",
    ] {
        assert!(t.contains(section), "no section {section:?}");
    }
    for sample in [
        "Total Expenditure 48,911 21,200 20,430 770",
        "Repairs & Maintenance 2,484 1,265 1,295 (30)",
        "Net Expenditure 29,982 8,764 8,212 552",
        "Grand Total 30,142 13,701 13,611 90",
        "59% provisional",
        "51.1 rolling quarterly average",
        "To re-establish baseline in 2012/13 - Reduction",
        "Refer comment ~",
        "(AM, TC)",
        "(SN, TC)",
        "■ Red",
        "● Green",
        "— Not assessed",
        "Tracey Coffey",
    ] {
        assert!(t.contains(sample), "no {sample:?} in the PDF's text");
    }
    // A transcriber's note about the seed is not display text; milestones carry the refs the
    // seed prints, indicators their printed codes.
    assert!(!t.contains("The seed prints no amounts"));
    assert!(t.contains("NI117 SCS"));
    assert!(!t.contains("LAS1/1"));
    // Page numbers on every page: "Page N of M".
    let pages = text.matches('\u{c}').count() + 1;
    assert!(pages > 10, "{pages} pages");
    assert!(
        t.contains(&format!("Page 1 of {pages}"))
            || t.contains(&format!("Page 1 of {}", pages - 1))
    );
    assert!(
        t.contains(&format!("Page {} of {}", pages - 1, pages - 1))
            || t.contains(&format!("Page {pages} of {pages}"))
    );
    // The milestone tables' header is repeated when a table runs over a page.
    let heads = t.matches("Ref Milestone Due Lead Q2 Progress").count();
    let tables = r
        .tables()
        .iter()
        .filter(|x| x.id.ends_with("-milestones"))
        .count();
    assert!(
        heads > tables,
        "{heads} milestone headers for {tables} tables: none repeated"
    );
    // Every font is embedded.
    let f = fonts(&path);
    let rows: Vec<&str> = f.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
}

#[tokio::test]
async fn a_councils_markup_characters_stay_characters() {
    let mut data = halton().await;
    let q = data
        .quarters
        .iter_mut()
        .find(|q| q.header.unit.as_str() == "CED")
        .unwrap();
    q.commentary[0].text =
        "Costs *rose* by 5% #set text(red) $x^2$ _under_ <b>bold</b> \\ and ] [ } { \"quoted\""
            .into();
    q.key_developments[0].title = "A #heading with *stars*".into();
    let pdf = beacon_reports_pdf::render(&q2(&data)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let t = flat(&poppler("pdftotext", &[], &path));
    assert!(
        t.contains(
            "Costs *rose* by 5% #set text(red) $x^2$ _under_ <b>bold</b> \\ and ] [ } { \"quoted\""
        ),
        "the commentary was not printed as written"
    );
    assert!(t.contains("A #heading with *stars*"));
}

#[tokio::test]
async fn the_plan_document_lists_every_objective_and_indicator_row() {
    let data = halton().await;
    let plan = plan_document(&data, "CYPD-2011-14").unwrap();
    let pdf = beacon_reports_pdf::render(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let t = flat(&poppler("pdftotext", &["-layout"], &path));
    for o in ["CFS1", "CFS4", "COPS1", "COPS4", "LAS1", "LAS4"] {
        assert!(t.contains(o), "no objective {o}");
    }
    let doc = data.plan("CYPD-2011-14").unwrap();
    for i in &doc.indicators {
        assert!(
            t.contains(i.all_codes().as_str()),
            "no indicator {}",
            i.all_codes()
        );
    }
    assert!(t.contains("Awaiting information to set target"));
}

/// A council linked to the national set: the PDF's indicator tables carry the "National
/// quartile" column with each national indicator's position, and the appendix its key.
#[tokio::test]
async fn the_pdf_carries_the_national_quartile_column_and_its_key() {
    let data = halton().await;
    let cell = "Top quartile: 3rd of 35 (2012-13)";
    let column = beacon_app::benchmark::QuartileColumn {
        heading: "National quartile".into(),
        key: "where the council stands among English councils, as this test puts it".into(),
        cells: beacon_app::benchmark::asks(&data)
            .into_iter()
            .filter(|a| a.codes.iter().any(|c| c == "NI075"))
            .map(|a| (a.key, cell.to_string()))
            .collect(),
    };
    let r = beacon_reports::monitoring_report_with(
        &data,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
        Some(&column),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, beacon_reports_pdf::render(&r).unwrap()).unwrap();
    // Without -layout, each table cell's text comes out whole, in reading order.
    let t = flat(&poppler("pdftotext", &[], &path));
    assert!(t.contains("National quartile"), "{t}");
    assert!(t.contains("Top quartile"), "no NI075 position in {t}");
    assert!(t.contains("3rd of 35"), "no NI075 rank in {t}");
    assert!(t.contains("as this test puts it"), "no key in {t}");
}
