#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The year's other reports for the example council, read from a real SQLite database: the
//! board's cover report of Quarter 2 2012/13, the annual outturn report and the annual review
//! of targets of the Children and Enterprise Directorate for 2012/13, and the community
//! strategy's annual progress report. Figures are checked against seed 001 where it prints them
//! (the Sustainable Community Strategy progress report: CYP 1, CYP 3 and CYP 11), and every
//! report is read back from HTML, CSV, JSON, XLSX (calamine) and DOCX (its XML). PDF is read
//! back with pdftotext in `beacon-reports-pdf`.

use beacon_app::{CouncilData, Store};
use beacon_reports::model::{Block, Cell, Report, ReportKind, Table};
use beacon_reports::render;
use beacon_reports::*;
use std::io::Read;

async fn halton() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

fn ced_2012_13() -> YearQuery {
    YearQuery {
        unit: "CED".parse().unwrap(),
        year: "2012/13".parse().unwrap(),
    }
}

fn q2() -> MonitoringQuery {
    MonitoringQuery {
        unit: "CED".parse().unwrap(),
        quarter: "2012/13 Q2".parse().unwrap(),
    }
}

fn community(data: &CouncilData) -> Report {
    community_report(
        data,
        &CommunityQuery {
            year: "2012/13".parse().unwrap(),
        },
    )
    .unwrap()
}

fn table<'a>(r: &'a Report, id: &str) -> &'a Table {
    r.tables()
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no table {id} in {}", r.title))
}

fn header(t: &Table) -> Vec<String> {
    t.columns.iter().map(|c| c.label.clone()).collect()
}

/// A row's cells by column label, found by its first cell.
fn row(t: &Table, first: &str) -> std::collections::BTreeMap<String, String> {
    let r = t
        .rows
        .iter()
        .find(|r| r.cells.first().is_some_and(|c| c.plain() == first))
        .unwrap_or_else(|| panic!("no row {first:?} in {}", t.title));
    header(t)
        .into_iter()
        .zip(r.cells.iter().map(Cell::plain))
        .collect()
}

/// The report's HTML with the entities a reader sees as characters put back.
fn all_text(r: &Report) -> String {
    String::from_utf8(render::html::render(r).unwrap())
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

// ---- The annual outturn report.

#[tokio::test]
async fn the_outturn_report_has_every_indicator_with_its_year_end_value_status_and_travel() {
    let data = halton().await;
    let r = outturn_report(&data, &ced_2012_13()).unwrap();
    assert_eq!(r.kind, ReportKind::Outturn);
    assert_eq!(r.title, "Annual Outturn Report 2012/13");
    // Every indicator the year's quarterly report monitors is here once.
    let monitoring = monitoring_report(&data, &q2()).unwrap();
    let mut quarterly: Vec<String> = monitoring
        .tables()
        .into_iter()
        .filter(|t| t.id.ends_with("-indicators"))
        .flat_map(|t| t.rows.iter().map(|r| r.cells[0].plain()))
        .collect();
    let mut outturn: Vec<String> = r
        .tables()
        .into_iter()
        .filter(|t| t.id.ends_with("-outturn"))
        .flat_map(|t| t.rows.iter().map(|r| r.cells[0].plain()))
        .collect();
    quarterly.sort();
    outturn.sort();
    assert_eq!(outturn, quarterly);
    assert_eq!(outturn.len(), 23);
    // By priority, in the priorities' order, each with a chart of its statuses.
    let outturn_section = r.sections.iter().find(|s| s.id == "outturn").unwrap();
    let headings: Vec<&str> = outturn_section
        .subsections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "Commissioning",
            "Early Help & Support",
            "Narrowing the Gap",
            "Employment & Growth"
        ]
    );
    for s in &outturn_section.subsections {
        let Some(Block::Chart(c)) = s.blocks.first() else {
            panic!("{} has no chart first", s.heading);
        };
        let rows = s
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t.rows.len()),
                _ => None,
            })
            .unwrap();
        let counted: u32 = c.bars.iter().map(|b| b.count).sum();
        assert_eq!(
            counted as usize, rows,
            "{}: the chart counts every row",
            s.heading
        );
        let words: Vec<&str> = c.bars.iter().map(|b| b.status.word.as_str()).collect();
        assert_eq!(words, ["Green", "Amber", "Red", "Not assessed"]);
    }
    // Seed 001 (SCS CYP 1 and CYP 3): 2011/12 actual, 2012/13 target, the Q2 result.
    let ehs = table(&r, "priority-ced-ehs-outturn");
    assert_eq!(
        header(ehs),
        [
            "Ref",
            "Measure",
            "11/12 Outturn",
            "12/13 Target",
            "12/13 Outturn",
            "Status",
            "Direction of Travel"
        ]
    );
    let ni072 = row(ehs, "NI072 SCS CYP01");
    assert_eq!(ni072["11/12 Outturn"], "48.3%");
    assert_eq!(ni072["12/13 Target"], "56%");
    assert_eq!(ni072["12/13 Outturn"], "54.1% (2012/13 Q2)");
    assert!(ni072["Status"].ends_with("Red"), "{}", ni072["Status"]);
    assert!(ni072["Direction of Travel"].ends_with("Better"));
    let ntg = table(&r, "priority-ced-ntg-outturn");
    let ni075 = row(ntg, "NI075 SCS CYP03");
    assert_eq!(
        (
            ni075["11/12 Outturn"].as_str(),
            ni075["12/13 Target"].as_str(),
            ni075["12/13 Outturn"].as_str()
        ),
        ("56%", "55.5%", "59% provisional (2012/13 Q2)")
    );
    assert!(ni075["Status"].ends_with("Green"));
    // A count's previous outturn is last year's figure even when no quarter compares with it.
    let comm = table(&r, "priority-ced-comm-outturn");
    assert_eq!(row(comm, "COP LI05")["11/12 Outturn"], "142");
    // The summary counts statuses by priority; the reasons are kept.
    let summary = table(&r, "outturn-summary");
    let ehs_counts = row(summary, "Early Help & Support");
    assert_eq!(ehs_counts["Indicators"], "4");
    assert_eq!(ehs_counts["● Green"], "2");
    assert_eq!(ehs_counts["■ Red"], "2");
    let html = all_text(&r);
    assert!(html.contains("the year's result is in: target not met"));
    // The chart is drawn and said in words.
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("Early Help & Support: status at year end: 2 Green, 0 Amber, 2 Red and 0 Not assessed of 4 indicators."));
}

// ---- The community strategy's annual progress report.

#[tokio::test]
async fn the_community_report_groups_the_linked_measures_by_theme_with_the_seeds_figures() {
    let data = halton().await;
    let r = community(&data);
    assert_eq!(r.kind, ReportKind::Community);
    assert_eq!(r.title, "Community Strategy Annual Progress Report 2012/13");
    let themes = r.sections.iter().find(|s| s.id == "themes").unwrap();
    let headings: Vec<&str> = themes
        .subsections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        headings,
        ["A Safer Halton", "Children and Young People in Halton"],
        "themes with linked measures, in the strategy's order"
    );
    let intro = all_text(&r);
    assert!(
        intro.contains("A Healthy Halton"),
        "themes without measures are named"
    );
    let cyp = table(&r, "theme-scs-cyp-measures");
    assert_eq!(cyp.rows.len(), 14);
    let h = header(cyp);
    for c in [
        "Baseline",
        "11/12 Target",
        "11/12 Outturn",
        "12/13 Target",
        "12/13 Outturn",
        "13/14 Target",
        "12/13 Progress",
        "Direction of Travel",
    ] {
        assert!(h.iter().any(|x| x == c), "no column {c}: {h:?}");
    }
    // Seed 001, CYP 1: 2011/12 actual 48.3, 2012/13 target 56.0, Q2 54.1; the baseline and
    // the earlier targets from the 2011-14 plan.
    let cyp1 = row(cyp, "NI072 SCS CYP01");
    assert_eq!(cyp1["Baseline"], "46.9% (2009/10)");
    assert_eq!(cyp1["11/12 Target"], "54%");
    assert_eq!(cyp1["11/12 Outturn"], "48.3%");
    assert_eq!(cyp1["12/13 Target"], "56%");
    assert_eq!(cyp1["12/13 Outturn"], "54.1% (2012/13 Q2)");
    assert!(cyp1["12/13 Progress"].ends_with("Red"));
    assert!(cyp1["Direction of Travel"].ends_with("Better"));
    // CYP 3: 56, 55.5, 59; CYP 11: 28.3, 24.0, 26.8.
    let cyp3 = row(cyp, "NI075 SCS CYP03");
    assert_eq!(
        (
            cyp3["11/12 Outturn"].as_str(),
            cyp3["12/13 Target"].as_str(),
            cyp3["12/13 Outturn"].as_str()
        ),
        ("56%", "55.5%", "59% provisional (2012/13 Q2)")
    );
    let cyp11 = row(cyp, "NI102b SCS CYP11");
    assert_eq!(
        (
            cyp11["11/12 Outturn"].as_str(),
            cyp11["12/13 Target"].as_str(),
            cyp11["12/13 Outturn"].as_str()
        ),
        ("28.3%", "24%", "26.8% provisional (2012/13 Q2)")
    );
    // A council without community strategy themes is told how to add them.
    let mut bare = data.clone();
    bare.frames
        .retain(|f| f.kind != beacon_domain::frame::FrameKind::CommunityStrategy);
    let err = community_report(
        &bare,
        &CommunityQuery {
            year: "2012/13".parse().unwrap(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("community-strategy"), "{err}");
}

// ---- The annual review of targets.

#[tokio::test]
async fn the_target_review_proposes_next_years_targets_with_their_rationale() {
    let data = halton().await;
    let r = target_review(&data, &ced_2012_13()).unwrap();
    assert_eq!(r.kind, ReportKind::TargetReview);
    assert_eq!(r.title, "Annual Review of Targets 2013/14");
    let t = table(&r, "target-review");
    assert_eq!(
        header(t),
        [
            "Ref",
            "Measure",
            "History",
            "12/13 Target",
            "12/13 Outturn",
            "Forecast",
            "13/14 Target (current)",
            "Proposal",
            "13/14 Target (proposed)",
            "Rationale"
        ]
    );
    // A target met with next year's asking for less: raised to what was achieved.
    let ni148 = row(t, "NI148");
    assert_eq!(ni148["12/13 Target"], "75%");
    assert_eq!(ni148["Forecast"], "79%");
    assert_eq!(ni148["13/14 Target (current)"], "75%");
    assert_eq!(ni148["Proposal"], "Raise");
    assert_eq!(ni148["13/14 Target (proposed)"], "79%");
    assert!(ni148["Rationale"].contains("asks for less than the forecast"));
    // A target not met, next year's not set: carried forward.
    let ni072 = row(t, "NI072 SCS CYP01");
    assert_eq!(ni072["History"], "2009/10: 46.9%; 2011/12: 48.3%");
    assert_eq!(ni072["13/14 Target (current)"], "Not set");
    assert_eq!(ni072["Proposal"], "Carry forward");
    assert_eq!(ni072["13/14 Target (proposed)"], "56%");
    assert!(ni072["Rationale"].contains("target of 56% not met (forecast 54.1%)"));
    // A count projected to year end: the forecast is the projection.
    let cop = row(t, "COP LI05");
    assert_eq!(cop["Forecast"], "90");
    // Without a number for the year, nothing is proposed and the rationale says why.
    let ni117 = row(t, "NI117 SCS");
    assert_eq!(ni117["Proposal"], "No proposal");
    assert!(ni117["Rationale"].contains("for the service to propose"));
    // The changes as a plan file takes them, for the refresh.
    let lines = table(&r, "proposed-targets");
    assert_eq!(header(lines), ["Plan", "Indicator", "Year", "Target"]);
    let ni148 = row_by(lines, 1, "NI148");
    assert_eq!(ni148, ["CED-2012-13", "NI148", "2013/14", "79%"]);
    assert!(
        !lines.rows.iter().any(|r| r.cells[1].plain() == "NI117"),
        "nothing to change, nothing listed"
    );
}

fn row_by(t: &Table, col: usize, value: &str) -> Vec<String> {
    t.rows
        .iter()
        .find(|r| r.cells.get(col).is_some_and(|c| c.plain() == value))
        .map(|r| r.cells.iter().map(Cell::plain).collect())
        .unwrap_or_else(|| panic!("no row {value:?} in {}", t.title))
}

// ---- The board's cover report.

#[tokio::test]
async fn the_cover_report_carries_the_exceptions_the_officers_sections_and_the_whole_report() {
    let data = halton().await;
    let monitoring = monitoring_report(&data, &q2()).unwrap();
    let r = cover_report(&data, &q2(), &CoverText::default()).unwrap();
    assert_eq!(r.kind, ReportKind::Cover);
    assert_eq!(
        r.title,
        "Performance Management Report for Quarter 2 of 2012/13"
    );
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        &headings[..7],
        [
            "Purpose of the Report",
            "Recommendation",
            "Key Messages",
            "Policy Implications",
            "Financial Implications",
            "Risk Analysis",
            "Equality and Diversity Issues"
        ]
    );
    // The officer's sections are placeholders that say what to write.
    let html = all_text(&r);
    assert_eq!(
        html.matches(cover::PLACEHOLDER).count(),
        7,
        "4 sections, 3 facts"
    );
    // The key messages are the exceptions, every one.
    let key = table(&r, "cover-exceptions");
    let ex = table(&monitoring, "exceptions");
    assert_eq!(key.rows.len(), ex.rows.len());
    for code in [
        "SCS CYP09",
        "NI072 SCS CYP01",
        "CFS LI07",
        "NI102a SCS CYP10",
    ] {
        assert!(
            html.contains(&format!("{code} ")),
            "the key messages name {code}"
        );
    }
    // The monitoring report follows in full.
    // The monitoring report follows in full, numbered as an appendix (A1.0 …) so that the
    // contents never list a number twice, and with anchors of its own.
    let appended: Vec<(String, Option<String>)> = r.sections[8..]
        .iter()
        .map(|s| (s.id.clone(), s.number.clone()))
        .collect();
    let original: Vec<(String, Option<String>)> = monitoring
        .sections
        .iter()
        .map(|s| {
            (
                format!("appendix-{}", s.id),
                s.number.as_ref().map(|n| format!("A{n}")),
            )
        })
        .collect();
    assert_eq!(appended, original);
    assert_eq!(r.sections[7].id, "cover-appended");
    let numbers: Vec<&str> = r
        .sections
        .iter()
        .filter_map(|s| s.number.as_deref())
        .collect();
    let ids: Vec<&str> = r.sections.iter().map(|s| s.id.as_str()).collect();
    for list in [&numbers, &ids] {
        let mut unique = list.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), list.len(), "{list:?}");
    }
    assert!(html.contains("variances in the financial statement (section A7.0 of the appendix)"));
    // The officer's words replace the placeholders.
    let text = CoverText {
        committee: Some("Children, Young People and Families Policy and Performance Board".into()),
        meeting: Some("3 January 2013".into()),
        officer: Some("Strategic Director Children and Enterprise".into()),
        policy: Some("There are no policy implications associated with this report.".into()),
        financial: Some("None.".into()),
        risk: Some("Not applicable.".into()),
        equality: Some("Not applicable.".into()),
        ..CoverText::default()
    };
    let r = cover_report(&data, &q2(), &text).unwrap();
    let html = all_text(&r);
    assert!(!html.contains(cover::PLACEHOLDER));
    assert!(
        html.contains("That Children, Young People and Families Policy and Performance Board:")
    );
    assert!(html.contains("There are no policy implications associated with this report."));
    assert_eq!(r.facts[1].value, "3 January 2013");
}

// ---- Every format reads back.

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    z.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// The text of a DOCX's body, its markup dropped.
fn docx_text(bytes: &[u8]) -> String {
    let xml = unzip(bytes, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().0 == "w:t" => in_t = true,
            quick_xml::events::Event::End(e) if e.name().0 == "w:t" => in_t = false,
            quick_xml::events::Event::End(e) if e.name().0 == "w:p" => out.push('\n'),
            quick_xml::events::Event::Text(t) if in_t => out.push_str(&t.xml10_content()),
            quick_xml::events::Event::GeneralRef(r) if in_t => {
                let name = r.xml10_content();
                let c = match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    n => n
                        .strip_prefix('#')
                        .and_then(|d| d.parse::<u32>().ok())
                        .and_then(char::from_u32)
                        .unwrap(),
                };
                out.push(c);
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn xlsx_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    let name = names
        .iter()
        .find(|n| n.starts_with(sheet))
        .unwrap_or_else(|| panic!("no sheet {sheet:?} in {names:?}"))
        .clone();
    let range = wb.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn every_report_reads_back_from_html_csv_json_xlsx_and_docx() {
    let data = halton().await;
    let reports = [
        outturn_report(&data, &ced_2012_13()).unwrap(),
        target_review(&data, &ced_2012_13()).unwrap(),
        community(&data),
        cover_report(&data, &q2(), &CoverText::default()).unwrap(),
    ];
    for r in &reports {
        let html = all_text(r);
        assert!(html.contains(&format!("<title>{}", r.title)), "{}", r.title);
        let json: serde_json::Value =
            serde_json::from_slice(&render::json::render(r).unwrap()).unwrap();
        assert_eq!(json["title"], r.title.as_str());
        let csv = render::csv::render(r).unwrap();
        let charts = r
            .sections
            .iter()
            .flat_map(|s| {
                s.blocks
                    .iter()
                    .chain(s.subsections.iter().flat_map(|x| &x.blocks))
            })
            .filter(|b| matches!(b, Block::Chart(_)))
            .count();
        assert_eq!(
            csv.len(),
            r.tables().len() + charts,
            "{}: a file per table and chart",
            r.title
        );
        let docx = docx_text(&render::docx::render(r).unwrap());
        assert!(docx.contains(&r.title), "{}", r.title);
        let xlsx = render::xlsx::render(r).unwrap();
        assert!(!xlsx_rows(&xlsx, "Contents").is_empty());
    }
    let [outturn, review, community, cover] = &reports;
    // The outturn report: a sheet and a CSV file of each chart's figures, and a drawn chart.
    let chart = xlsx_rows(
        &render::xlsx::render(outturn).unwrap(),
        "Early Help & Support",
    );
    assert_eq!(chart[0][0], "Early Help & Support: status at year end");
    let counts: Vec<(String, String)> = chart[3..7]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(
        counts,
        [
            ("● Green".to_string(), "2".to_string()),
            ("▲ Amber".into(), "0".into()),
            ("■ Red".into(), "2".into()),
            ("— Not assessed".into(), "0".into())
        ]
    );
    let xlsx = render::xlsx::render(outturn).unwrap();
    let z = zip::ZipArchive::new(std::io::Cursor::new(&xlsx)).unwrap();
    assert!(
        z.file_names()
            .any(|n| n.unwrap().starts_with("xl/charts/chart")),
        "the workbook draws the charts"
    );
    let csv = render::csv::render(outturn).unwrap();
    let ehs = csv
        .iter()
        .find(|f| f.name.ends_with("priority-ced-ehs-chart.csv"))
        .unwrap();
    assert_eq!(
        String::from_utf8(ehs.bytes.clone())
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        [
            "Status,Indicators",
            "Green,2",
            "Amber,0",
            "Red,2",
            "Not assessed,0"
        ]
    );
    let docx = docx_text(&render::docx::render(outturn).unwrap());
    assert!(docx.contains("Early Help & Support: status at year end"));
    assert!(docx.contains("54.1% (2012/13 Q2)"));
    // The target review's proposals in a spreadsheet.
    let rows = xlsx_rows(&render::xlsx::render(review).unwrap(), "Targets for 2013");
    let ni148 = rows.iter().find(|r| r[0] == "NI148").unwrap();
    assert_eq!(&ni148[7..9], ["Raise", "79%"]);
    // The community report's figures in Word.
    let docx = docx_text(&render::docx::render(community).unwrap());
    for s in [
        "Children and Young People in Halton",
        "46.9% (2009/10)",
        "48.3%",
        "54.1% (2012/13 Q2)",
    ] {
        assert!(docx.contains(s), "the DOCX lacks {s}");
    }
    // The cover report in Word: the officer's sections to fill in, then the whole report.
    let docx = docx_text(&render::docx::render(cover).unwrap());
    let policy = docx.find("Policy Implications").unwrap();
    let appended = docx
        .find("Appendix: Directorate Performance Overview Report")
        .unwrap();
    assert!(policy < appended);
    assert!(docx[policy..appended].contains(cover::PLACEHOLDER));
    assert!(docx[appended..].contains("Financial Statement"));
}
