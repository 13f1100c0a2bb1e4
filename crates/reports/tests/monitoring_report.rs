#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The example council's Quarter 2 2012/13 monitoring report, read from a real SQLite database,
//! against seed 001's printed report: every milestone and KPI row with the same values, every
//! commentary paragraph with its initials, the financial statement's totals computed from the
//! stored lines; and the same report read back from each format a board receives.

use beacon_app::{CouncilData, Store};
use beacon_reports::model::{Block, Cell, Report, RowKind, Table};
use beacon_reports::render;
use beacon_reports::{MonitoringQuery, monitoring_report};
use std::io::Read;

async fn halton() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

fn q2(data: &CouncilData, unit: &str) -> Report {
    monitoring_report(
        data,
        &MonitoringQuery {
            unit: unit.parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap()
}

/// Seed 001's key milestones: the objective ref the seed prints, and the milestone's words.
const MILESTONES: &[(&str, &str)] = &[
    (
        "LAS1",
        "Review the performance of all schools and EY provision with a specific focus on those currently graded as satisfactory. Identify actions, including levels of support or intervention, required to improve inspection outcomes by July 2012.",
    ),
    (
        "LAS3",
        "Commission a review of Autism provision in Halton through the National Autistic Society by October 2012. Consider the recommendations of the Review and implement an appropriate action plan.",
    ),
    (
        "COPS1",
        "Ensure sufficiency to cover the extension of support to vulnerable 2 year olds by April 2012",
    ),
    (
        "COPS2",
        "Evaluate and monitor the impact on current school sufficiency and sustainability through the development of Academies and Free Schools by March 2013",
    ),
    (
        "COPS3",
        "Strengthen the understanding and links with colleagues in Health to ensure effective commissioning by March 2013",
    ),
    (
        "COPS4",
        "Improve outcomes for children and young people through integrated and targeted youth support ensuring the effective transition in youth service to the new providers",
    ),
    (
        "CFS2",
        "Develop with the Children's Trust a new level of needs framework by December 2012",
    ),
    (
        "CFS2",
        "Implement the new Team Around the Family structure by September 2012",
    ),
    (
        "LAS3",
        "Ensure the support for vulnerable two year olds is appropriate within EYFS settings",
    ),
    (
        "LAS1",
        "Complete the Foundation Stage Profile data analysis at ward level, to identify multi agency links; training and interventions that can be planned thorough Children's Centre and Early Years support by December 2012",
    ),
    (
        "CFS3",
        "Effectively implement the new Framework for the Assessment of Children in Need and the changes to Working Together to Safeguard Children (currently out for consultation)",
    ),
    (
        "CFS4",
        "Implement the revised Children in Care and Care Leaver pathways by September 2012",
    ),
    (
        "CFS4",
        "Implement the action plan from the multi-agency Children in Care strategy (2011-14) by March 2013",
    ),
    (
        "LAS1",
        "Review the alerts and triggers criteria to ensure that they align with the current floor standards and use to support the categorisation of all schools",
    ),
    (
        "LAS2",
        "Analyse the levels of absence, including persistent absence, across all phases on a termly basis",
    ),
    (
        "LAS3",
        "Conduct data analysis for Children in Care and with schools to ensure that action plans for individual pupils are in place by September 2012",
    ),
    (
        "LAS3",
        "Conduct data analysis for Free School Meals Pupils and identify areas of need and support required by November 2012",
    ),
    (
        "COPS2",
        "Monitor and evaluate the arrangements for Information, Advice and Guidance due to changes in Local Authority statutory responsibilities, with particular focus on the impact on NEET (not in education, employment or training) by March 2013",
    ),
    (
        "CFS1",
        "Review the terms and conditions for Halton's Social Care workforce to ensure Halton's offer is competitive by June 2012",
    ),
    (
        "CFS2",
        "Ensure the Team Around the Family workforce have a set of core competencies to work with families with multiple problems by March 2013",
    ),
];

/// Seed 001's KPI rows: ref as printed, measure, 11/12 actual, 12/13 target, Q2 value. The
/// seed's italic "provisional" is plain text here; where its Q2 cell was empty and the words
/// slid into the progress column (NI105, NI080, NI117, SCS CYP13), the words are the value.
const KPIS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "SCS CYP09",
        "Percentage of educational settings with overall effectiveness of Good or Outstanding",
        "79%",
        "84%",
        "76%",
    ),
    (
        "NI112 adjusted SCS",
        "Under 18 conception rate, percentage change from 2009 baseline (58.9 rolling quarterly average)",
        "63.3 rolling quarterly average",
        "56.3 rolling quarterly average",
        "51.1 rolling quarterly average",
    ),
    (
        "COP LI05",
        "Under 18 conception rate, reduction in conceptions from 2009 baseline (140 conceptions)",
        "142",
        "137 (3% reduction)",
        "45 at Q2",
    ),
    (
        "SCS CYP07",
        "Reduce the rate of CYP admitted to hospital for substance misuse",
        "New calculation",
        "29.2 per 10,000",
        "11.66 per 10,000",
    ),
    (
        "SCS SH04",
        "Reduce the number of Young People who repeatedly run away in Halton",
        "465 episodes",
        "To re-establish baseline in 2012/13 - Reduction",
        "137 episodes",
    ),
    (
        "LPI07COP",
        "Take up of Early Years entitlement for vulnerable 2 year olds",
        "107",
        "100",
        "128",
    ),
    (
        "NI072 SCS CYP01",
        "Early Years Foundation Stage Attainment",
        "48.3%",
        "56%",
        "54.1%",
    ),
    (
        "CFS LI03",
        "Number of multi-agency interventions (CAF) which are in place and operating for Level 2/3 cases",
        "New indicator",
        "250",
        "286",
    ),
    (
        "CFS LI07 SCS",
        "Percentage of referrals to social care that had been subject to CAF in the previous 12 months",
        "7%",
        "15%",
        "9.1%",
    ),
    (
        "CFS LI02",
        "Single Social Work Assessment – measure to be defined once guidance published",
        "New Indicator",
        "TBC",
        "Refer comment",
    ),
    (
        "NI075 SCS CYP03",
        "Proportion achieving 5+ GCSE A*-C including English and Maths",
        "56%",
        "55.5%",
        "59% provisional",
    ),
    (
        "NI073 SCS",
        "Proportion achieving Level 4 KS2 English and Maths",
        "77%",
        "81%",
        "83%",
    ),
    (
        "LPI03 CYP SCS",
        "Percentage of Children in Care achieving expected outcomes at KS2 and KS4",
        "83% (KS2)",
        "No target",
        "100% KS2 60% KS4 provisional",
    ),
    (
        "NI102a SCS CYP10",
        "Achievement gap at Key Stage 2 English and Maths Free School Meals and peers",
        "20.6%",
        "12%",
        "13% provisional",
    ),
    (
        "NI102b SCS CYP11",
        "Achievement gap at Key Stage 4 Free School Meals and peers",
        "28.3%",
        "24%",
        "26.8% provisional",
    ),
    (
        "NI148",
        "Care Leavers in Employment, Education or Training at 19",
        "81.8%",
        "75%",
        "79%",
    ),
    (
        "SCS CYP12",
        "Improved identification of Special Educational Needs at School Action and School Action Plus",
        "New indicator",
        "20.2%",
        "Refer comment *",
    ),
    (
        "SCS CYP14",
        "The percentage of children with Statements of SEN or receiving enhanced provision achieving two levels progress",
        "New indicator",
        "No target",
        "Refer comment *",
    ),
    (
        "NI104",
        "SEN/Non-SEN achievement gap at KS2 English and Maths",
        "53.3%",
        "33%",
        "Refer comment ~",
    ),
    (
        "NI105",
        "SEN/Non-SEN achievement gap at GCSE 5+ A*-C including English and Maths",
        "46.2%",
        "27%",
        "Refer comment ~",
    ),
    (
        "NI080",
        "Achievement of Level 3 qualification at age 19",
        "51.2%",
        "45%",
        "Refer comment ~",
    ),
    (
        "NI117 SCS",
        "Percentage of 16-18 year olds not in education, employment or training",
        "10.3%",
        "9.5%",
        "Refer comment",
    ),
    (
        "SCS CYP13",
        "Percentage of young people progressing to Higher Education",
        "New indicator",
        "24%",
        "Refer comment",
    ),
];

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(Cell::plain).collect()
}

fn tables_ending<'a>(r: &'a Report, suffix: &str) -> Vec<&'a Table> {
    r.tables()
        .into_iter()
        .filter(|t| t.id.ends_with(suffix))
        .collect()
}

fn row_of(t: &Table, label: &str) -> Vec<String> {
    t.rows
        .iter()
        .find(|r| r.cells.first().is_some_and(|c| c.plain() == label))
        .map(|r| texts(&r.cells))
        .unwrap_or_else(|| panic!("no row {label:?} in {}", t.title))
}

#[tokio::test]
async fn every_milestone_and_kpi_row_of_the_seed_is_in_the_report_with_the_same_values() {
    let data = halton().await;
    let r = q2(&data, "CED");
    let milestones: Vec<Vec<String>> = tables_ending(&r, "-milestones")
        .iter()
        .flat_map(|t| t.rows.iter().map(|row| texts(&row.cells)))
        .collect();
    assert_eq!(milestones.len(), 20);
    for (objective, text) in MILESTONES {
        assert!(
            milestones
                .iter()
                .any(|m| m[0] == *objective && m[1] == *text),
            "milestone {objective} {text:?} is missing"
        );
    }
    let kpis: Vec<Vec<String>> = tables_ending(&r, "-indicators")
        .iter()
        .flat_map(|t| t.rows.iter().map(|row| texts(&row.cells)))
        .collect();
    assert_eq!(kpis.len(), 23);
    for (code, measure, actual, target, value) in KPIS {
        // The codes as the seed prints them, " SCS" flags and all.
        let row = kpis
            .iter()
            .find(|k| k[0] == *code)
            .unwrap_or_else(|| panic!("no KPI row {code}"));
        assert_eq!(
            &row[1..5],
            &[*measure, *actual, *target, *value],
            "KPI {code}"
        );
        assert!(
            !row[5].is_empty() && !row[6].is_empty(),
            "{code} has a status and a direction"
        );
    }
    // The table heads say which years and quarter the columns are.
    let t = tables_ending(&r, "-indicators")[0];
    let heads: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Ref",
            "Measure",
            "11/12 Actual",
            "12/13 Target",
            "Q2",
            "Current Progress",
            "Direction of Travel"
        ]
    );
}

#[tokio::test]
async fn the_report_has_the_seeds_sections_and_priorities_in_order_with_exceptions_last() {
    let data = halton().await;
    let r = q2(&data, "CED");
    assert_eq!(r.title, "Directorate Performance Overview Report");
    let heads: Vec<String> = r
        .sections
        .iter()
        .map(|s| {
            format!("{} {}", s.number.clone().unwrap_or_default(), s.heading)
                .trim()
                .to_string()
        })
        .collect();
    assert_eq!(
        heads,
        [
            "1.0 Introduction",
            "2.0 Key Developments",
            "3.0 Emerging Issues",
            "4.0 Risk Control Measures",
            "5.0 Progress against high priority equality actions",
            "6.0 Performance Overview",
            "7.0 Financial Statement",
            "8.0 Appendix",
            "9.0 Exceptions"
        ]
    );
    let overview = &r.sections[5];
    let priorities: Vec<&str> = overview
        .subsections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        priorities,
        [
            "Commissioning",
            "Early Help & Support",
            "Narrowing the Gap",
            "Employment & Growth",
            "Common key areas of focus: Workforce planning & development, Asset Management, Resources"
        ]
    );
    assert!(
        r.facts
            .iter()
            .any(|f| f.value == "Quarter 2, Period 1 July 2012 – 30 September 2012")
    );
    // The risk section lists the four high risks with their treatment progress.
    let risks = r
        .tables()
        .into_iter()
        .find(|t| t.id == "high-risks")
        .unwrap();
    let refs: Vec<String> = risks.rows.iter().map(|x| x.cells[0].plain()).collect();
    assert_eq!(refs, ["LAS1", "CFS1", "CFS5", "COPS2"]);
    assert!(row_of(risks, "CFS5")[2].contains("High"));
}

#[tokio::test]
async fn every_commentary_paragraph_is_there_with_its_initials() {
    let data = halton().await;
    let r = q2(&data, "CED");
    let record = data
        .quarters
        .iter()
        .find(|q| q.header.unit.as_str() == "CED")
        .unwrap();
    let overview = r
        .sections
        .iter()
        .find(|s| s.id == "performance-overview")
        .unwrap();
    let blocks: Vec<(&str, &beacon_reports::model::TextBlock)> = overview
        .subsections
        .iter()
        .flat_map(|s| {
            s.blocks.iter().filter_map(move |b| match b {
                Block::Text(t) => Some((s.heading.as_str(), t)),
                _ => None,
            })
        })
        .collect();
    assert_eq!(blocks.len(), 39);
    assert_eq!(record.commentary.len(), 39);
    for c in &record.commentary {
        let first = c.text.trim().lines().next().unwrap();
        let initials: Vec<String> = c.initials.iter().map(ToString::to_string).collect();
        assert!(
            blocks.iter().any(|(_, t)| {
                t.initials == initials
                    && matches!(t.parts.first(), Some(beacon_reports::model::Part::Paragraph(p)) if p.starts_with(first))
            }),
            "commentary {first:?} ({initials:?}) is missing"
        );
    }
    // Seed 001 prints "(SN/TC)" after the children-in-care paragraph, and the report keeps both.
    let cic = blocks
        .iter()
        .find(|(_, t)| t.refs == ["LPI03 CYP"])
        .unwrap();
    assert_eq!(cic.0, "Narrowing the Gap");
    assert_eq!(cic.1.initials_text(), "(SN, TC)");
    // The key to initials lists the officers the report uses, AM printed for AMc.
    let key = r
        .tables()
        .into_iter()
        .find(|t| t.id == "officer-initials")
        .unwrap();
    let rows: Vec<Vec<String>> = key.rows.iter().map(|x| texts(&x.cells)).collect();
    assert!(
        rows.iter()
            .any(|x| x[0] == "AMc (also printed AM)" && x[1].starts_with("Ann McIntyre"))
    );
    assert!(
        rows.iter()
            .any(|x| x[0] == "SN" && x[1].starts_with("Steve Nyakatawa"))
    );
    assert!(
        rows.iter()
            .any(|x| x[0] == "TC" && x[1].starts_with("Tracey Coffey"))
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
}

#[tokio::test]
async fn the_financial_statement_has_the_seeds_totals_computed_from_the_lines() {
    let mut data = halton().await;
    // Were the report to print the totals the source stated, these would show.
    for s in &mut data.statements {
        for g in &mut s.groups {
            if let Some(st) = &mut g.stated {
                st.annual = beacon_domain::money::Pence(st.annual.0 + 100_000);
            }
        }
    }
    let r = q2(&data, "CED");
    let t = |id: &str| {
        r.tables()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("no table {id}"))
    };
    let summary = t("statement-ced-revenue");
    assert_eq!(
        row_of(summary, "Total Expenditure"),
        ["Total Expenditure", "48,911", "21,200", "20,430", "770"]
    );
    assert_eq!(
        row_of(summary, "Total Income"),
        ["Total Income", "-28,647", "-13,727", "-13,509", "(218)"]
    );
    assert_eq!(
        row_of(summary, "NET OPERATIONAL BUDGET"),
        ["NET OPERATIONAL BUDGET", "20,264", "7,473", "6,921", "552"]
    );
    assert_eq!(
        row_of(summary, "Net Expenditure"),
        ["Net Expenditure", "29,982", "8,764", "8,212", "552"]
    );
    assert_eq!(
        row_of(summary, "Repairs & Maintenance"),
        ["Repairs & Maintenance", "2,484", "1,265", "1,295", "(30)"]
    );
    let totals = summary
        .rows
        .iter()
        .filter(|x| x.kind == RowKind::Total)
        .count();
    assert_eq!(totals, 5);
    assert_eq!(
        row_of(
            t("statement-ced-divisional"),
            "Total Children & Enterprise Directorate"
        ),
        [
            "Total Children & Enterprise Directorate",
            "29,982",
            "8,764",
            "8,212",
            "552"
        ]
    );
    assert_eq!(
        row_of(t("statement-ced-cfd-revenue"), "Net Expenditure")[1..],
        ["9,021", "3,628", "3,086", "542"]
    );
    assert_eq!(
        row_of(t("statement-ced-capital"), "Grand Total")[1..],
        ["30,142", "13,701", "13,611", "90"]
    );
    assert_eq!(row_of(t("statement-ced-capital"), "3MG")[4], "(51)");
    // Six statements, as the seed orders them (summary, divisional summaries, departments,
    // capital), the departments in the order of their refs.
    let finance = r
        .sections
        .iter()
        .find(|s| s.id == "financial-statement")
        .unwrap();
    let ids: Vec<&str> = finance.subsections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "statement-ced-revenue",
            "statement-ced-divisional",
            "statement-ced-cfd-revenue",
            "statement-ced-copd-revenue",
            "statement-ced-lad-revenue",
            "statement-ced-capital"
        ]
    );
    // The stated totals no longer reconcile, and the exceptions page says so.
    let ex = t("exceptions");
    assert_eq!(
        ex.rows
            .iter()
            .filter(|x| x.cells[4].plain() == "Totals do not reconcile")
            .count(),
        6
    );
}

#[tokio::test]
async fn as_loaded_every_statement_reconciles_and_the_exceptions_list_reds_and_missing_values() {
    let data = halton().await;
    let r = q2(&data, "CED");
    let ex = r
        .tables()
        .into_iter()
        .find(|t| t.id == "exceptions")
        .unwrap();
    let rows: Vec<Vec<String>> = ex.rows.iter().map(|x| texts(&x.cells)).collect();
    assert!(!rows.iter().any(|x| x[4] == "Totals do not reconcile"));
    // Reds first, in report order.
    let reds: Vec<&str> = rows
        .iter()
        .take_while(|x| x[4] == "Red")
        .map(|x| x[0].as_str())
        .collect();
    // COPS1 was due in April 2012: recorded on track (the seed: "all milestones related to
    // commissioning are progressing in line with expectations"), but overdue, so Red.
    assert_eq!(
        reds,
        [
            "COPS1",
            "SCS CYP09",
            "NI072 SCS CYP01",
            "CFS LI07 SCS",
            "NI102a SCS CYP10",
            "NI102b SCS CYP11"
        ]
    );
    assert_eq!(rows[0][3], "■ Red");
    // Every value the seed left as words is a missing value, with the words.
    for code in [
        "CFS LI02",
        "SCS CYP12",
        "SCS CYP14",
        "NI104",
        "NI105",
        "NI080",
        "NI117 SCS",
        "SCS CYP13",
        "LPI03 CYP SCS",
    ] {
        let row = rows
            .iter()
            .find(|x| x[0] == code)
            .unwrap_or_else(|| panic!("{code} is not an exception"));
        assert!(row[4].starts_with("No numeric value"), "{code}: {row:?}");
    }
    // The example records the progress the seed states; the one milestone it does not say
    // of (CFS1, "the majority of milestones in this section") is listed, never guessed.
    let unrecorded: Vec<&str> = rows
        .iter()
        .filter(|x| x[4] == "No progress recorded")
        .map(|x| x[0].as_str())
        .collect();
    assert_eq!(unrecorded, ["CFS1"]);
}

#[tokio::test]
async fn a_status_set_by_hand_is_marked_with_who_and_why_in_every_format() {
    let db = beacon_test_support::TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    beacon_app::status::set_status(
        &db.store,
        &council,
        beacon_app::status::OverrideRequest {
            plan: "CED-2012-13".parse().unwrap(),
            kind: beacon_domain::status::overrides::ItemKind::Indicator,
            item: "CFS LI07".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            chosen: beacon_domain::status::Progress::Amber,
            reason: "Uncertain at this stage if the target will be met".into(),
            by: "TC".into(),
            at: "2012-10-15T09:30:00Z".parse().unwrap(),
        },
    )
    .await
    .unwrap();
    let data = db.store.council_data(&council).await.unwrap().unwrap();
    let r = q2(&data, "CED");
    let ex = r
        .tables()
        .into_iter()
        .find(|t| t.id == "exceptions")
        .unwrap();
    let row = ex
        .rows
        .iter()
        .map(|x| texts(&x.cells))
        .find(|x| x[0] == "CFS LI07 SCS")
        .unwrap();
    assert_eq!(row[3], "▲ Amber (set by hand)");
    assert_eq!(row[4], "Set by hand by TC");
    assert_eq!(row[5], "Uncertain at this stage if the target will be met");
    let t = r
        .tables()
        .into_iter()
        .find(|t| t.id == "priority-ced-ehs-indicators")
        .unwrap();
    let note = t
        .notes
        .iter()
        .find(|n| n.text.starts_with("CFS LI07 SCS, current progress"))
        .unwrap();
    assert_eq!(
        note.text,
        "CFS LI07 SCS, current progress: Amber, set by hand by TC on 2012-10-15: Uncertain at this stage if the target will be met. The rules gave Red: 2012/13 Q2 9.1% against a target of 15%; higher is better; 5.9 points below target, outside the 5% tolerance → Red."
    );
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(html.contains("Amber</span> <span class=\"by-hand\">(set by hand)</span>"));
    assert!(html.contains("Set by hand by TC on 2012-10-15T09:30:00Z. The rules gave Red"));
    let csv = render::csv::render(&r).unwrap();
    let ehs = csv
        .iter()
        .find(|f| f.name.ends_with("priority-ced-ehs-indicators.csv"))
        .unwrap();
    let text = String::from_utf8(ehs.bytes.clone()).unwrap();
    assert!(
        text.contains("Amber (set by hand),Uncertain at this stage if the target will be met"),
        "{text}"
    );
}

#[tokio::test]
async fn a_department_report_holds_what_belongs_to_the_department() {
    let data = halton().await;
    let r = q2(&data, "CED-CFD");
    assert_eq!(r.title, "Department Performance Overview Report");
    let milestones: Vec<String> = tables_ending(&r, "-milestones")
        .iter()
        .flat_map(|t| t.rows.iter().map(|x| x.cells[0].plain()))
        .collect();
    assert_eq!(
        milestones,
        ["CFS2", "CFS2", "CFS3", "CFS4", "CFS4", "CFS1", "CFS2"]
    );
    let statements: Vec<&str> = r
        .sections
        .iter()
        .find(|s| s.id == "financial-statement")
        .unwrap()
        .subsections
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(statements, ["statement-ced-cfd-revenue"]);
    let risks = r
        .tables()
        .into_iter()
        .find(|t| t.id == "high-risks")
        .unwrap();
    let refs: Vec<String> = risks.rows.iter().map(|x| x.cells[0].plain()).collect();
    assert_eq!(refs, ["CFS1", "CFS5"]);
    // Narratives signed by the department's head (TC) are in; the others are not.
    let dev = r
        .sections
        .iter()
        .find(|s| s.id == "key-developments")
        .unwrap();
    let titles: Vec<&str> = dev
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) => t.title.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Inspiring Families Project (previously Troubled Families)",
            "New Social Work Assessment and Planning Model"
        ]
    );
}

#[tokio::test]
async fn an_unknown_unit_or_a_quarter_without_data_is_refused_in_words() {
    let data = halton().await;
    let e = monitoring_report(
        &data,
        &MonitoringQuery {
            unit: "NOPE".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("no unit NOPE in council halton; its units are: "),
        "{e}"
    );
    let e = monitoring_report(
        &data,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2015/16 Q1".parse().unwrap(),
        },
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "unit CED has no quarterly record for 2015/16 Q1 and no plan covering 2015/16, nor has any unit above it"
    );
}

#[tokio::test]
async fn council_words_are_escaped_never_markup() {
    let mut data = halton().await;
    let q = data
        .quarters
        .iter_mut()
        .find(|q| q.header.unit.as_str() == "CED")
        .unwrap();
    q.commentary[0].text =
        "Spend <script>alert(1)</script> & \"quotes\" *not bold* #set $x$ _y_".into();
    let r = q2(&data, "CED");
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(!html.contains("<script>"));
    assert!(html.contains("Spend &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34; *not bold* #set $x$ _y_"));
    let docx = unzip(&render::docx::render(&r).unwrap(), "word/document.xml");
    assert!(
        docx.contains("Spend &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;")
    );
    well_formed(&docx);
}

// ---- Snapshots: the HTML, CSV and JSON of the example report, reviewed and pinned.

#[tokio::test]
async fn snapshot_html() {
    let data = halton().await;
    let html = String::from_utf8(render::html::render(&q2(&data, "CED")).unwrap()).unwrap();
    insta::assert_snapshot!("ced_2012_13_q2_html", html);
}

#[tokio::test]
async fn snapshot_csv() {
    let data = halton().await;
    let files = render::csv::render(&q2(&data, "CED")).unwrap();
    let mut all = String::new();
    for f in &files {
        all.push_str(&format!("==> {} <==\n", f.name));
        all.push_str(std::str::from_utf8(&f.bytes).unwrap());
        all.push('\n');
    }
    insta::assert_snapshot!("ced_2012_13_q2_csv", all);
}

#[tokio::test]
async fn snapshot_json() {
    let data = halton().await;
    let json = String::from_utf8(render::json::render(&q2(&data, "CED")).unwrap()).unwrap();
    insta::assert_snapshot!("ced_2012_13_q2_json", json);
}

// ---- Read back: XLSX with calamine, DOCX by unzipping its XML.

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    z.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

fn well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i32;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
}

/// The text of a WordprocessingML part, paragraph by paragraph.
fn docx_paragraphs(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().0 == "w:t" => in_t = true,
            quick_xml::events::Event::End(e) if e.name().0 == "w:t" => in_t = false,
            quick_xml::events::Event::End(e) if e.name().0 == "w:p" => {
                out.push(std::mem::take(&mut cur));
            }
            quick_xml::events::Event::Text(t) if in_t => {
                cur.push_str(&t.xml10_content());
            }
            quick_xml::events::Event::GeneralRef(r) if in_t => {
                let name = r.xml10_content();
                let c = match name.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    n => n
                        .strip_prefix('#')
                        .and_then(|d| d.parse::<u32>().ok())
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap(),
                };
                cur.push_str(&c);
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_docx_reads_back_with_its_sections_values_and_repeated_table_headers() {
    let data = halton().await;
    let r = q2(&data, "CED");
    let bytes = render::docx::render(&r).unwrap();
    assert_eq!(
        bytes,
        render::docx::render(&r).unwrap(),
        "the same report gives the same bytes"
    );
    let xml = unzip(&bytes, "word/document.xml");
    well_formed(&xml);
    let paras = docx_paragraphs(&xml);
    for heading in [
        "1.0 Introduction",
        "2.0 Key Developments",
        "4.0 Risk Control Measures",
        "6.0 Performance Overview",
        "Narrowing the Gap",
        "7.0 Financial Statement",
        "8.0 Appendix",
        "9.0 Exceptions",
    ] {
        assert!(paras.iter().any(|p| p == heading), "no heading {heading}");
    }
    for (code, _, actual, target, value) in KPIS {
        let at = paras
            .iter()
            .position(|p| p == code)
            .unwrap_or_else(|| panic!("no KPI {code}"));
        assert_eq!(
            &paras[at + 2..at + 5],
            &[*actual, *target, *value],
            "{code}"
        );
    }
    assert!(paras.iter().any(|p| p == "48,911"));
    assert!(paras.iter().any(|p| p == "(218)"));
    assert!(
        paras.iter().any(|p| p
            .strip_prefix("■ Red ")
            .is_some_and(|n| n.parse::<u32>().is_ok())),
        "a status with its note number"
    );
    assert!(
        paras
            .iter()
            .any(|p| p.ends_with("(AM, TC)") && p.starts_with("In order to localise"))
    );
    let tables = r.tables().len();
    assert_eq!(xml.matches("<w:tbl>").count(), tables);
    assert_eq!(xml.matches("<w:tblHeader/>").count(), tables);
    let footer = unzip(&bytes, "word/footer1.xml");
    assert!(footer.contains("w:instr=\" PAGE \"") && footer.contains("w:instr=\" NUMPAGES \""));
    well_formed(&unzip(&bytes, "word/styles.xml"));
    assert!(unzip(&bytes, "docProps/core.xml").contains("2012-09-30T00:00:00Z"));
}

#[tokio::test]
async fn the_xlsx_reads_back_one_sheet_per_table_with_statuses_as_text() {
    use calamine::{Data, Reader, Xlsx};
    let data = halton().await;
    let r = q2(&data, "CED");
    let bytes = render::xlsx::render(&r).unwrap();
    assert_eq!(
        bytes,
        render::xlsx::render(&r).unwrap(),
        "the same report gives the same bytes"
    );
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), r.tables().len() + 1);
    assert_eq!(names[0], "Contents");
    let s = |v: &Data| match v {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    };
    let kpi = wb
        .worksheet_range("Narrowing the Gap Key Performan")
        .unwrap();
    let rows: Vec<Vec<String>> = kpi.rows().map(|r| r.iter().map(s).collect()).collect();
    assert_eq!(rows[0][0], "Narrowing the Gap: Key Performance Indicators");
    assert_eq!(
        rows[2],
        [
            "Ref",
            "Measure",
            "11/12 Actual",
            "12/13 Target",
            "Q2",
            "Current Progress",
            "Current Progress: reason",
            "Direction of Travel",
            "Direction of Travel: reason"
        ]
    );
    let ni075 = rows.iter().find(|r| r[0] == "NI075 SCS CYP03").unwrap();
    assert_eq!(
        &ni075[1..6],
        [
            "Proportion achieving 5+ GCSE A*-C including English and Maths",
            "56%",
            "55.5%",
            "59% provisional",
            "● Green"
        ]
    );
    assert!(
        ni075[6].contains("59% provisional against a target of 55.5%"),
        "{}",
        ni075[6]
    );
    let money = wb
        .worksheet_range(
            &names[names
                .iter()
                .position(|n| n.starts_with("Children & Enterprise Directora"))
                .unwrap()],
        )
        .unwrap();
    let rows: Vec<Vec<String>> = money.rows().map(|r| r.iter().map(s).collect()).collect();
    let total = rows.iter().find(|r| r[0] == "Total Expenditure").unwrap();
    assert_eq!(&total[1..5], ["48911", "21200", "20430", "770"]);
    let income = rows.iter().find(|r| r[0] == "Total Income").unwrap();
    assert_eq!(income[4], "-218");
    // The status columns carry conditional formats that tint Red, Amber and Green.
    let sheet_xml = unzip(&bytes, "xl/worksheets/sheet5.xml");
    assert!(
        sheet_xml.contains("<conditionalFormatting"),
        "no conditional formatting"
    );
    assert!(sheet_xml.contains("NOT(ISERROR(SEARCH(\"Red\""));
}

/// The report opens as the council's does, with its introduction; the exceptions list follows
/// the seed's eight sections as 9.0, unless the council chooses to put it first.
#[tokio::test]
async fn the_council_chooses_where_the_exceptions_go() {
    let mut data = halton().await;
    let r = q2(&data, "CED");
    assert_eq!(r.sections[0].id, "introduction");
    let last = r.sections.last().unwrap();
    assert_eq!(
        (last.id.as_str(), last.number.as_deref()),
        ("exceptions", Some("9.0"))
    );
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    let intro = html.find("1.0 Introduction").unwrap();
    let exceptions = html.find("9.0 Exceptions").unwrap();
    assert!(intro < exceptions);
    assert!(html.contains("the exceptions list (section 9.0) lists every Red"));

    data.council.exceptions = Some(beacon_domain::organisation::ExceptionsPlacement::First);
    let r = q2(&data, "CED");
    assert_eq!(r.sections[0].id, "exceptions");
    assert_eq!(r.sections[0].number, None);
    assert_eq!(r.sections.last().unwrap().id, "appendix");
    let text = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(text.contains("the exceptions page before this section lists every Red"));
}

/// A transcriber's note about the seed stays with the data but is printed in no format; the
/// line reads as the seed prints it.
#[tokio::test]
async fn a_note_about_the_source_is_not_printed() {
    let data = halton().await;
    let sales = data
        .statements
        .iter()
        .flat_map(|s| &s.lines)
        .find(|l| l.source_note.is_some())
        .unwrap();
    assert_eq!(sales.label, "Sales");
    assert!(sales.note.is_none());
    let r = q2(&data, "CED");
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    let json = String::from_utf8(render::json::render(&r).unwrap()).unwrap();
    for (format, text) in [("HTML", &html), ("JSON", &json)] {
        assert!(
            !text.contains("The seed prints no amounts"),
            "the source note is in the {format}"
        );
    }
    let summary = r
        .tables()
        .into_iter()
        .find(|t| t.id == "statement-ced-revenue")
        .unwrap();
    assert_eq!(row_of(summary, "Sales")[0], "Sales");
}

/// The milestones' progress is what the seed's supporting commentary states: "All milestones
/// related to commissioning are progressing in line with expectations."
#[tokio::test]
async fn milestones_show_the_progress_the_seed_states() {
    let data = halton().await;
    let r = q2(&data, "CED");
    let commissioning = r
        .tables()
        .into_iter()
        .find(|t| t.id.ends_with("-milestones") && t.title.starts_with("Commissioning"))
        .unwrap();
    let progress: Vec<(String, String)> = commissioning
        .rows
        .iter()
        .map(|x| (x.cells[0].plain(), x.cells[4].plain()))
        .collect();
    let words: Vec<(&str, &str)> = progress
        .iter()
        .map(|(r, p)| (r.as_str(), p.split(' ').nth(1).unwrap_or("")))
        .collect();
    // Each as recorded, judged by the status rules: on track, but the July milestone is due
    // this quarter and not complete (Amber) and the April one overdue (Red).
    assert_eq!(
        words,
        [
            ("LAS1", "Amber"),
            ("LAS3", "Green"),
            ("COPS1", "Red"),
            ("COPS2", "Green"),
            ("COPS3", "Green"),
            ("COPS4", "Green")
        ]
    );
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(html.contains("recorded as on track → Green"));
}
