//! The quarterly monitoring report ("Directorate Performance Overview Report", seed 001) for a
//! directorate or a department and a quarter, built from the council's data and the status
//! engine's statuses: the eight sections the seed's report has, and the exceptions list where
//! the council puts it (`[council] exceptions`: after the appendix as section 9.0 by default, or
//! before the introduction).
//!
//! What a report for a unit covers:
//! - the unit's own quarterly record and the plan it monitors; else the unit's own plans that
//!   cover the year;
//! - for a unit with neither (a department inside a directorate's plan), the nearest unit above
//!   it that has them, cut down to what belongs to the unit: objectives (and their milestones)
//!   whose `unit` is the unit or one below it, indicators whose `unit` is, or that those
//!   objectives list, the risks of those objectives, commentary about those items (or, when it
//!   names no item, signed by an officer of the unit), and narratives signed by such an officer;
//! - budget statements of the unit and the units below it.
//!
//! One file per part: `scope` (what the report covers), `items` (the plan items in scope with
//! their statuses), then one per section: `narrative` (introduction, key developments, emerging
//! issues, equality), `risks`, `overview`, `finance`, `appendix` and `exceptions`.

mod appendix;
mod exceptions;
pub(crate) mod finance;
pub(crate) mod items;
mod narrative;
mod overview;
mod risks;
pub(crate) mod scope;

use crate::cells::Notes;
use crate::error::ReportError;
use crate::model::{
    Block, Cell, Column, ColumnKind, FORMAT_VERSION, Fact, Heading, Report, ReportKind, Row,
    RowKind, Table, TextBlock, parts,
};
use beacon_app::CouncilData;
use beacon_app::benchmark::QuartileColumn;
use beacon_domain::Ref;
use beacon_domain::organisation::{ExceptionsPlacement, UnitKind};
use beacon_domain::period::Quarter;
use beacon_domain::quarter::QuarterRecord;
use exceptions::Exception;
use items::Items;
use scope::Scope;

/// Which report: a unit's quarter.
#[derive(Debug, Clone)]
pub struct MonitoringQuery {
    pub unit: Ref,
    pub quarter: Quarter,
}

/// Builds the quarterly monitoring report of a unit. Pure: no IO.
pub fn monitoring_report(
    data: &CouncilData,
    query: &MonitoringQuery,
) -> Result<Report, ReportError> {
    monitoring_report_with(data, query, None)
}

/// Builds the report with the council's national quartiles (read from the national set by the
/// edge, `beacon_app::benchmark`): a column in each indicator table and its key in the
/// appendix. Without them the report is exactly [`monitoring_report`]'s.
pub fn monitoring_report_with(
    data: &CouncilData,
    query: &MonitoringQuery,
    national: Option<&QuartileColumn>,
) -> Result<Report, ReportError> {
    let scope = Scope::new(data, query)?;
    let mut b = Builder {
        scope: &scope,
        notes: Notes::default(),
        exceptions: Vec::new(),
        items: Items::default(),
        initials: Vec::new(),
        national,
    };
    b.items = Items::collect(&scope);
    let mut sections = vec![
        b.introduction(),
        b.narratives("key-developments", "2.0", "Key Developments", |r| {
            &r.key_developments
        }),
        b.narratives("emerging-issues", "3.0", "Emerging Issues", |r| {
            &r.emerging_issues
        }),
        b.risks(),
        b.equality(),
        b.overview(),
        b.finance(),
    ];
    sections.push(b.appendix());
    let exceptions = b.exceptions_section();
    match b.placement() {
        ExceptionsPlacement::First => sections.insert(0, exceptions),
        ExceptionsPlacement::Appendix => sections.push(exceptions),
    }
    let unit = scope.unit;
    let kind = kind_label(unit.kind);
    let title = match (scope.record, scope.above) {
        (Some(r), None) => r.header.title.clone(),
        _ => format!("{kind} Performance Overview Report"),
    };
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::Monitoring,
        council: data.council.name.clone(),
        title,
        facts: vec![
            Fact {
                label: kind.to_string(),
                value: unit.name.clone(),
            },
            Fact {
                label: "Reporting Period".into(),
                value: query.quarter.reporting_period(),
            },
        ],
        as_at: query.quarter.last_day().format("%Y-%m-%d").to_string(),
        sections,
    })
}

pub(crate) fn kind_label(k: UnitKind) -> &'static str {
    match k {
        UnitKind::CouncilWide => "Council",
        UnitKind::Directorate => "Directorate",
        UnitKind::Department => "Department",
        UnitKind::Division => "Division",
        UnitKind::Team => "Team",
        UnitKind::Partnership => "Partnership",
    }
}

struct Builder<'s, 'a> {
    scope: &'s Scope<'a>,
    notes: Notes,
    exceptions: Vec<Exception>,
    items: Items<'a>,
    /// Initials in the order the report first uses them.
    initials: Vec<String>,
    /// The national quartile column, for a council linked to the national set.
    national: Option<&'s QuartileColumn>,
}

impl<'s, 'a> Builder<'s, 'a> {
    /// Where the council lists the exceptions.
    fn placement(&self) -> ExceptionsPlacement {
        beacon_app::status::settings(self.scope.data).exceptions
    }

    /// Notes the initials a block uses, for the key in the appendix.
    fn use_initials(&mut self, initials: &[Ref]) {
        for i in initials {
            if !self.initials.iter().any(|x| x == i.as_str()) {
                self.initials.push(i.to_string());
            }
        }
    }

    fn text_block(
        &mut self,
        title: Option<String>,
        text: &str,
        initials: &[Ref],
        refs: &[Ref],
    ) -> Block {
        self.use_initials(initials);
        Block::Text(TextBlock {
            title,
            parts: parts(text),
            initials: initials.iter().map(|i| i.to_string()).collect(),
            refs: refs.iter().map(|r| r.to_string()).collect(),
        })
    }

    /// The record's narratives that belong in this report.
    fn record(&self) -> Option<&'a QuarterRecord> {
        self.scope.record
    }

    fn note_initials(&mut self, officer: &str) {
        if let Ok(r) = officer.parse::<Ref>()
            && self
                .scope
                .data
                .officers
                .iter()
                .any(|o| o.answers_to(r.as_str()))
        {
            self.use_initials(std::slice::from_ref(&r));
        }
    }
}

pub(crate) fn para(text: impl Into<String>) -> Block {
    Block::Text(TextBlock {
        title: None,
        parts: vec![crate::model::Part::Paragraph(text.into())],
        initials: Vec::new(),
        refs: Vec::new(),
    })
}

pub(crate) fn heading(text: &str) -> Block {
    Block::Heading(Heading { text: text.into() })
}

pub(crate) fn col(label: &str, kind: ColumnKind) -> Column {
    Column {
        label: label.into(),
        kind,
    }
}

pub(crate) fn table(id: String, title: String, columns: Vec<Column>) -> Table {
    Table {
        id,
        title,
        columns,
        rows: Vec::new(),
        notes: Vec::new(),
        caption: None,
    }
}

pub(crate) fn item_row(cells: Vec<Cell>) -> Row {
    Row {
        kind: RowKind::Item,
        cells,
    }
}
