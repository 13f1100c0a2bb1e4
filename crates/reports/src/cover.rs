//! The board's cover report: the committee paper that carries a quarter's monitoring report
//! (seed 001, "Performance Management Reports for Quarter 2 of 2012/13"). Purpose and
//! recommendation in the council's standard words, key messages from the monitoring report's
//! exceptions, then the policy, financial, risk and equality sections for the reporting
//! officer: their words when given ([`CoverText`]), else a placeholder in square brackets that
//! says what to write. The monitoring report follows, in full, as the appendix.

use crate::error::ReportError;
use crate::model::{
    Block, Cell, FORMAT_VERSION, Fact, Part, Report, ReportKind, Section, TextBlock, parts,
};
use crate::monitoring::{MonitoringQuery, kind_label, monitoring_report, para};
use beacon_app::CouncilData;
use beacon_domain::period::QuarterNo;
use serde::Deserialize;

/// The officer's words for the cover report; any left out is a placeholder to replace.
/// Read from a TOML file by `beacon report cover --text FILE` (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverText {
    /// The committee receiving the report ("Children, Young People and Families Policy and
    /// Performance Board"); by default the calendar's.
    pub committee: Option<String>,
    /// The meeting's date, as printed ("3 January 2013"); by default the calendar's.
    pub meeting: Option<String>,
    /// The reporting officer ("Strategic Director Policy & Resources").
    pub officer: Option<String>,
    pub purpose: Option<String>,
    pub recommendation: Option<String>,
    pub policy: Option<String>,
    pub financial: Option<String>,
    pub risk: Option<String>,
    pub equality: Option<String>,
}

/// The mark that starts every placeholder, so an officer (or a test) can find what is left.
pub const PLACEHOLDER: &str = "[To complete:";

fn placeholder(what: &str) -> String {
    format!("{PLACEHOLDER} {what}]")
}

fn ordinal(q: QuarterNo) -> &'static str {
    match q {
        QuarterNo::Q1 => "first",
        QuarterNo::Q2 => "second",
        QuarterNo::Q3 => "third",
        QuarterNo::Q4 => "fourth",
    }
}

fn text_or(given: &Option<String>, default: String) -> Block {
    let text = given
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map_or(default, str::to_string);
    Block::Text(TextBlock {
        title: None,
        parts: parts(&text),
        initials: Vec::new(),
        refs: Vec::new(),
    })
}

fn section(id: &str, number: &str, heading: &str, blocks: Vec<Block>) -> Section {
    Section {
        id: format!("cover-{id}"),
        number: Some(number.into()),
        heading: heading.into(),
        blocks,
        subsections: Vec::new(),
    }
}

/// Builds the cover report of a unit's quarter, with its monitoring report appended. Pure.
pub fn cover_report(
    data: &CouncilData,
    query: &MonitoringQuery,
    text: &CoverText,
) -> Result<Report, ReportError> {
    let monitoring = monitoring_report(data, query)?;
    let q = query.quarter;
    let unit = data
        .units
        .iter()
        .find(|u| u.reference == query.unit)
        .map_or_else(|| query.unit.to_string(), |u| u.name.clone());
    let committee = text.committee.clone();
    let board = committee.clone().unwrap_or_else(|| "the Board".into());
    let subject = format!(
        "Performance Management Report for Quarter {} of {}",
        q.q.number(),
        q.year
    );
    let purpose = format!(
        "To consider and raise any questions or points of clarification in respect of performance management of the {unit} for the {} quarter to {}. The report details progress against service objectives and milestones and performance targets, and describes factors affecting the service.",
        ordinal(q.q),
        q.last_day().format("%B %Y")
    );
    let recommendation = format!(
        "That {board}:\n\n- receive the {} quarter performance management report;\n- consider the progress and performance information and raise any questions or points for clarification; and\n- highlight any areas of interest or concern where further information is to be reported at a future meeting.",
        ordinal(q.q)
    );
    let mut sections = cover_sections(text, purpose, recommendation, &monitoring);
    let facts_line = monitoring
        .facts
        .iter()
        .map(|f| format!("{}: {}", f.label, f.value))
        .collect::<Vec<_>>()
        .join(". ");
    sections.push(Section {
        id: "cover-appended".into(),
        number: None,
        heading: format!("Appendix: {}", monitoring.title),
        blocks: vec![para(format!(
            "{facts_line}. The quarter's monitoring report follows in full."
        ))],
        subsections: Vec::new(),
    });
    sections.extend(appended(monitoring.sections));
    let mut facts = vec![
        Fact {
            label: "Report to".into(),
            value: committee.unwrap_or_else(|| placeholder("the committee")),
        },
        Fact {
            label: "Date".into(),
            value: text
                .meeting
                .clone()
                .unwrap_or_else(|| placeholder("the meeting date")),
        },
        Fact {
            label: "Reporting officer".into(),
            value: text
                .officer
                .clone()
                .unwrap_or_else(|| placeholder("the reporting officer")),
        },
        Fact {
            label: "Subject".into(),
            value: subject.clone(),
        },
    ];
    if let Some(u) = data.units.iter().find(|u| u.reference == query.unit) {
        facts.push(Fact {
            label: kind_label(u.kind).into(),
            value: u.name.clone(),
        });
    }
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::Cover,
        council: data.council.name.clone(),
        title: subject,
        facts,
        as_at: monitoring.as_at,
        sections,
    })
}

/// The cover's own sections, 1.0 to 7.0: purpose and recommendation (the council's standard
/// words unless the officer gave others), the key messages, and the four sections for the
/// officer, each a placeholder saying what to write until it is filled in.
fn cover_sections(
    text: &CoverText,
    purpose: String,
    recommendation: String,
    monitoring: &Report,
) -> Vec<Section> {
    vec![
        section(
            "purpose",
            "1.0",
            "Purpose of the Report",
            vec![text_or(&text.purpose, purpose)],
        ),
        section(
            "recommendation",
            "2.0",
            "Recommendation",
            vec![text_or(&text.recommendation, recommendation)],
        ),
        section(
            "key-messages",
            "3.0",
            "Key Messages",
            key_messages(monitoring),
        ),
        section(
            "policy",
            "4.0",
            "Policy Implications",
            vec![text_or(
                &text.policy,
                placeholder(
                    "the policy implications of the report, or \u{201c}There are no policy implications associated with this report.\u{201d}",
                ),
            )],
        ),
        section(
            "financial",
            "5.0",
            "Financial Implications",
            vec![text_or(
                &text.financial,
                placeholder(&format!(
                    "the financial implications, such as variances in the financial statement{} that need the board's attention, or \u{201c}There are no financial implications associated with this report.\u{201d}",
                    in_appendix(monitoring, "financial-statement")
                )),
            )],
        ),
        section(
            "risk",
            "6.0",
            "Risk Analysis",
            vec![text_or(
                &text.risk,
                placeholder(&format!(
                    "the risks the board should know of, such as the high risks{}, or \u{201c}Not applicable.\u{201d}",
                    in_appendix(monitoring, "risk-control-measures")
                )),
            )],
        ),
        section(
            "equality",
            "7.0",
            "Equality and Diversity Issues",
            vec![text_or(
                &text.equality,
                placeholder(
                    "any equality and diversity issues, or \u{201c}Not applicable.\u{201d}",
                ),
            )],
        ),
    ]
}

/// The appendix's number for a section of the monitoring report: "A7.0" for its 7.0, so the
/// cover's own 1.0 to 7.0 and the appended report's never read alike.
fn appendix_number(number: &str) -> String {
    format!("A{number}")
}

/// Where the cover's words point into the appendix: " (section A7.0 of the appendix)", or
/// nothing when the monitoring report has no such section.
fn in_appendix(monitoring: &Report, id: &str) -> String {
    monitoring
        .sections
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.number.as_deref())
        .map(|n| format!(" (section {} of the appendix)", appendix_number(n)))
        .unwrap_or_default()
}

/// The monitoring report's sections as the cover's appendix: numbered A1.0, A2.0 …, and with
/// their anchors prefixed, so no number or anchor repeats one of the cover's own (both have an
/// "equality" section).
fn appended(sections: Vec<Section>) -> Vec<Section> {
    sections
        .into_iter()
        .map(|s| Section {
            id: format!("appendix-{}", s.id),
            number: s.number.as_deref().map(appendix_number),
            subsections: s
                .subsections
                .into_iter()
                .map(|mut sub| {
                    sub.id = format!("appendix-{}", sub.id);
                    sub
                })
                .collect(),
            ..s
        })
        .collect()
}

/// The key messages: the monitoring report's exceptions, one line each, then its table.
fn key_messages(monitoring: &Report) -> Vec<Block> {
    let Some(ex) = monitoring.sections.iter().find(|s| s.id == "exceptions") else {
        return vec![para("The monitoring report has no exceptions page.")];
    };
    let mut blocks = vec![para(
        "What the appended report asks the board to look at first: its exceptions.",
    )];
    let mut lines = Vec::new();
    for b in &ex.blocks {
        match b {
            Block::Table(t) => {
                for r in &t.rows {
                    let c: Vec<String> = r.cells.iter().map(Cell::plain).collect();
                    if let [reference, item, priority, _, what, ..] = c.as_slice() {
                        lines.push(format!("{reference} {item} ({priority}): {what}."));
                    }
                }
                let mut t = t.clone();
                t.id = "cover-exceptions".into();
                t.title = "Key messages: the exceptions".into();
                if !lines.is_empty() {
                    blocks.push(Block::Text(TextBlock {
                        title: None,
                        parts: vec![Part::List(std::mem::take(&mut lines))],
                        initials: Vec::new(),
                        refs: Vec::new(),
                    }));
                }
                blocks.push(Block::Table(t));
            }
            Block::Text(_) => blocks.push(b.clone()),
            _ => {}
        }
    }
    blocks
}
