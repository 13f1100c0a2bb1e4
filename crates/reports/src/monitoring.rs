//! The quarterly monitoring report ("Directorate Performance Overview Report", seed 001) for a
//! directorate or a department and a quarter, built from the council's data and the status
//! engine's statuses: exceptions up front, then the eight sections the seed's report has.
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

use crate::cells::{Notes, measure_cell, money_cell, slug};
use crate::error::ReportError;
use crate::model::{
    Block, Cell, Column, ColumnKind, FORMAT_VERSION, Fact, Heading, Report, ReportKind, Row,
    RowKind, Section, StatusCell, Subsection, Table, TextBlock, parts,
};
use crate::symbols::{band_cell, progress_cell, travel_cell};
use beacon_app::CouncilData;
use beacon_app::status::{
    IndicatorStatus, MilestoneStatus, RiskStatus, StatementStatus, StatusQuery, status_report,
};
use beacon_domain::Ref;
use beacon_domain::budget::{Group, Statement, StatementKind};
use beacon_domain::frame::FrameKind;
use beacon_domain::indicator::Indicator;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::organisation::{Unit, UnitKind};
use beacon_domain::period::{Period, Quarter};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{CommentaryAbout, QuarterRecord};
use beacon_domain::risk::Band;
use beacon_domain::status::Progress;

/// Which report: a unit's quarter.
#[derive(Debug, Clone)]
pub struct MonitoringQuery {
    pub unit: Ref,
    pub quarter: Quarter,
}

/// What the report covers, worked out once.
struct Scope<'a> {
    data: &'a CouncilData,
    unit: &'a Unit,
    /// The unit and every unit below it.
    subtree: Vec<&'a Ref>,
    quarter: Quarter,
    record: Option<&'a QuarterRecord>,
    plans: Vec<&'a PlanDocument>,
    /// The unit above whose record or plans are cut down to this unit.
    above: Option<&'a Unit>,
}

impl<'a> Scope<'a> {
    fn new(data: &'a CouncilData, q: &MonitoringQuery) -> Result<Scope<'a>, ReportError> {
        let unit = data
            .units
            .iter()
            .find(|u| u.reference == q.unit)
            .ok_or_else(|| {
                let known: Vec<&str> = data.units.iter().map(|u| u.reference.as_str()).collect();
                ReportError::NotFound(format!(
                    "no unit {} in council {}; its units are: {}",
                    q.unit,
                    data.council.reference,
                    known.join(", ")
                ))
            })?;
        let mut subtree = vec![&unit.reference];
        let mut i = 0;
        while i < subtree.len() {
            let parent = subtree[i];
            for u in &data.units {
                if u.parent.as_ref() == Some(parent) && !subtree.contains(&&u.reference) {
                    subtree.push(&u.reference);
                }
            }
            i += 1;
        }
        let mut at = Some(unit);
        let mut seen = 0;
        while let Some(u) = at {
            if let Some((record, plans)) = Self::sources(data, u, q.quarter)? {
                return Ok(Scope {
                    data,
                    unit,
                    subtree,
                    quarter: q.quarter,
                    record,
                    plans,
                    above: (u.reference != unit.reference).then_some(u),
                });
            }
            seen += 1;
            at = u
                .parent
                .as_ref()
                .and_then(|p| data.units.iter().find(|x| &x.reference == p))
                .filter(|_| seen <= data.units.len());
        }
        Err(ReportError::NotFound(format!(
            "unit {} has no quarterly record for {} and no plan covering {}, nor has any unit above it",
            unit.reference, q.quarter, q.quarter.year
        )))
    }

    /// A unit's own record for the quarter and the plan it monitors, or its plans for the year.
    #[allow(clippy::type_complexity)]
    fn sources(
        data: &'a CouncilData,
        u: &Unit,
        quarter: Quarter,
    ) -> Result<Option<(Option<&'a QuarterRecord>, Vec<&'a PlanDocument>)>, ReportError> {
        if let Some(r) = data
            .quarters
            .iter()
            .find(|r| r.header.unit == u.reference && r.header.period == quarter)
        {
            let plan = data.plan(r.header.plan.as_str()).ok_or_else(|| {
                ReportError::NotFound(format!(
                    "the {} record of {} monitors plan {}, which is not stored",
                    quarter, u.reference, r.header.plan
                ))
            })?;
            return Ok(Some((Some(r), vec![plan])));
        }
        let plans: Vec<&PlanDocument> = data
            .plans
            .iter()
            .filter(|p| p.plan.unit == u.reference && p.plan.years.contains(quarter.year))
            .collect();
        Ok((!plans.is_empty()).then_some((None, plans)))
    }

    fn in_subtree(&self, unit: Option<&Ref>) -> bool {
        unit.is_some_and(|u| self.subtree.contains(&u))
    }

    fn objective_included(&self, o: &Objective) -> bool {
        self.above.is_none() || self.in_subtree(o.unit.as_ref())
    }

    fn indicator_included(&self, plan: &PlanDocument, ind: &Indicator) -> bool {
        self.above.is_none()
            || self.in_subtree(ind.unit.as_ref())
            || plan
                .objectives
                .iter()
                .filter(|o| self.objective_included(o))
                .any(|o| o.indicators.iter().any(|r| ind.answers_to(r.as_str())))
    }

    /// True if any of these initials is an officer of the unit or a unit below it.
    fn signed_here(&self, initials: &[Ref]) -> bool {
        initials.iter().any(|i| {
            self.data
                .officers
                .iter()
                .any(|o| o.answers_to(i.as_str()) && self.in_subtree(o.unit.as_ref()))
        })
    }
}

/// Builds the quarterly monitoring report of a unit. Pure: no IO.
pub fn monitoring_report(
    data: &CouncilData,
    query: &MonitoringQuery,
) -> Result<Report, ReportError> {
    let scope = Scope::new(data, query)?;
    let mut b = Builder {
        scope: &scope,
        notes: Notes::default(),
        exceptions: Vec::new(),
        items: Items::default(),
        initials: Vec::new(),
    };
    b.collect_items();
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
    sections.insert(0, b.exceptions_section());
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

fn kind_label(k: UnitKind) -> &'static str {
    match k {
        UnitKind::CouncilWide => "Council",
        UnitKind::Directorate => "Directorate",
        UnitKind::Department => "Department",
        UnitKind::Division => "Division",
        UnitKind::Team => "Team",
        UnitKind::Partnership => "Partnership",
    }
}

/// The plan items in scope with their statuses.
#[derive(Default)]
struct Items<'a> {
    milestones: Vec<(&'a Milestone, MilestoneStatus)>,
    indicators: Vec<(&'a PlanDocument, &'a Indicator, IndicatorStatus)>,
    risks: Vec<RiskStatus>,
    statements: Vec<(&'a Statement, StatementStatus)>,
    /// Milestone refs and indicator codes in scope, for matching commentary.
    refs: Vec<String>,
}

/// An item of the exceptions page.
struct Exception {
    /// 0 Red, 1 set by hand, 2 missing value, 3 budget; then document order.
    rank: u8,
    order: usize,
    reference: String,
    item: String,
    priority: String,
    status: Option<StatusCell>,
    what: String,
    reason: String,
}

struct Builder<'s, 'a> {
    scope: &'s Scope<'a>,
    notes: Notes,
    exceptions: Vec<Exception>,
    items: Items<'a>,
    /// Initials in the order the report first uses them.
    initials: Vec<String>,
}

fn para(text: impl Into<String>) -> Block {
    Block::Text(TextBlock {
        title: None,
        parts: vec![crate::model::Part::Paragraph(text.into())],
        initials: Vec::new(),
        refs: Vec::new(),
    })
}

fn heading(text: &str) -> Block {
    Block::Heading(Heading { text: text.into() })
}

fn col(label: &str, kind: ColumnKind) -> Column {
    Column {
        label: label.into(),
        kind,
    }
}

fn table(id: String, title: String, columns: Vec<Column>) -> Table {
    Table {
        id,
        title,
        columns,
        rows: Vec::new(),
        notes: Vec::new(),
        caption: None,
    }
}

fn item_row(cells: Vec<Cell>) -> Row {
    Row {
        kind: RowKind::Item,
        cells,
    }
}

impl<'s, 'a> Builder<'s, 'a> {
    fn collect_items(&mut self) {
        let scope = self.scope;
        let data = scope.data;
        for plan in &scope.plans {
            let report = status_report(
                data,
                &StatusQuery {
                    quarter: scope.quarter,
                    plan: Some(plan.plan.reference.clone()),
                    unit: None,
                },
            );
            let included: Vec<&Objective> = plan
                .objectives
                .iter()
                .filter(|o| scope.objective_included(o))
                .collect();
            for (o, m) in plan.milestones() {
                if m.year != scope.quarter.year
                    || !included.iter().any(|x| x.reference == o.reference)
                {
                    continue;
                }
                if let Some(s) = report
                    .milestones
                    .iter()
                    .find(|s| s.reference == m.reference)
                {
                    self.items.refs.push(m.reference.to_string());
                    self.items.milestones.push((m, s.clone()));
                }
            }
            for ind in &plan.indicators {
                if !scope.indicator_included(plan, ind) {
                    continue;
                }
                if let Some(s) = report
                    .indicators
                    .iter()
                    .find(|s| s.reference == ind.reference)
                {
                    self.items.refs.push(ind.reference.to_string());
                    self.items
                        .refs
                        .extend(ind.printed_ref.iter().map(|r| r.to_string()));
                    self.items
                        .refs
                        .extend(ind.aliases.iter().map(|r| r.to_string()));
                    self.items.indicators.push((plan, ind, s.clone()));
                }
            }
            for r in report.risks {
                let keep = scope.above.is_none()
                    || r.objective
                        .as_ref()
                        .is_some_and(|o| included.iter().any(|x| &x.reference == o));
                if keep {
                    self.items.risks.push(r);
                }
            }
        }
        let all = status_report(
            data,
            &StatusQuery {
                quarter: scope.quarter,
                plan: None,
                unit: None,
            },
        );
        let mut statements: Vec<(&Statement, StatementStatus)> = data
            .statements
            .iter()
            .filter(|s| s.period == scope.quarter && scope.in_subtree(Some(&s.unit)))
            .filter_map(|s| {
                all.statements
                    .iter()
                    .find(|x| x.reference == s.reference)
                    .map(|x| (s, x.clone()))
            })
            .collect();
        // Revenue before capital; the unit's own before those of units below it (in the order
        // of the organisation tree); the fullest statement (most levels of totals) first.
        let position = |u: &Ref| {
            scope
                .subtree
                .iter()
                .position(|x| *x == u)
                .unwrap_or(usize::MAX)
        };
        statements.sort_by_key(|(s, _)| {
            (
                s.kind == StatementKind::Capital,
                position(&s.unit),
                std::cmp::Reverse(depth(s)),
                s.reference.clone(),
            )
        });
        self.items.statements = statements;
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

    fn introduction(&mut self) -> Section {
        let scope = self.scope;
        let mut blocks = Vec::new();
        match (self.record().and_then(|r| r.header.introduction.as_deref()), scope.above) {
            (Some(intro), None) => blocks.push(self.text_block(None, intro, &[], &[])),
            _ => blocks.push(para(format!(
                "Reporting Period: {}. This report provides an overview of issues and progress within the {} that have occurred within Quarter {}.",
                scope.quarter.reporting_period(),
                scope.unit.name,
                scope.quarter.q.number()
            ))),
        }
        if let Some(above) = scope.above {
            let plans: Vec<&str> = scope
                .plans
                .iter()
                .map(|p| p.plan.reference.as_str())
                .collect();
            blocks.push(para(format!(
                "This report covers the part of the {}'s plan ({}) that belongs to the {}: its objectives, milestones and indicators, the commentary about them or signed by its officers, and its budget statements.",
                above.name,
                plans.join(", "),
                scope.unit.name
            )));
        }
        blocks.push(para(
            "Each status is shown as a shape and a word, never by colour alone, and the reason for it is given in a numbered note under its table. Statuses set by hand are marked as such, with who set them and why. The symbols are explained in the Appendix (section 8.0); the exceptions page before this section lists every Red, every status set by hand and every missing value.",
        ));
        Section {
            id: "introduction".into(),
            number: Some("1.0".into()),
            heading: "Introduction".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    fn narratives(
        &mut self,
        id: &str,
        number: &str,
        title: &str,
        pick: fn(&QuarterRecord) -> &Vec<beacon_domain::quarter::Narrative>,
    ) -> Section {
        let mut blocks = Vec::new();
        if let Some(r) = self.record() {
            for n in pick(r) {
                if self.scope.above.is_some() && !self.scope.signed_here(&n.initials) {
                    continue;
                }
                blocks.push(self.text_block(Some(n.title.clone()), &n.text, &n.initials, &[]));
            }
        }
        if blocks.is_empty() {
            blocks.push(para("None recorded for this quarter."));
        }
        Section {
            id: id.into(),
            number: Some(number.into()),
            heading: title.into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    fn risks(&mut self) -> Section {
        let mut blocks = Vec::new();
        let updates: Vec<&beacon_domain::quarter::RiskUpdate> = self
            .record()
            .map(|r| {
                r.risk_updates
                    .iter()
                    .filter(|u| {
                        self.scope.above.is_none()
                            || self.items.risks.iter().any(|k| k.reference == u.risk)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let high = |b: &Option<beacon_domain::status::Assessed<Band>>| {
            b.as_ref().is_some_and(|a| a.status == Band::High)
        };
        let risks: Vec<RiskStatus> = self
            .items
            .risks
            .iter()
            .filter(|r| {
                high(&r.initial)
                    || high(&r.residual)
                    || updates.iter().any(|u| u.risk == r.reference)
            })
            .cloned()
            .collect();
        if risks.is_empty() && updates.is_empty() {
            blocks.push(para("No high risks are recorded for this plan."));
        } else {
            blocks.push(para(
                "The high risks of the plan, with progress this quarter on the measures that treat them.",
            ));
            let mut t = table(
                "high-risks".into(),
                "High risks".into(),
                vec![
                    col("Ref", ColumnKind::Ref),
                    col("Risk", ColumnKind::Text),
                    col("Initial risk", ColumnKind::Status),
                    col("Residual risk", ColumnKind::Status),
                ],
            );
            for r in &risks {
                let mut cells = vec![Cell::text(r.reference.as_str()), Cell::text(&r.description)];
                for (label, band) in [("initial risk", &r.initial), ("residual risk", &r.residual)]
                {
                    cells.push(match band {
                        Some(b) => self.notes.attach(
                            &mut t,
                            &format!("{}, {label}", r.reference),
                            band_cell(b),
                        ),
                        None => Cell::text("Not recorded"),
                    });
                }
                t.rows.push(item_row(cells));
            }
            blocks.push(Block::Table(t));
            let mut last: Option<&Ref> = None;
            for u in &updates {
                let title = (last != Some(&u.risk)).then(|| {
                    let desc = risks
                        .iter()
                        .find(|r| r.reference == u.risk)
                        .map_or(String::new(), |r| format!(": {}", r.description));
                    u.title
                        .clone()
                        .unwrap_or_else(|| format!("{}{desc}", u.risk))
                });
                last = Some(&u.risk);
                blocks.push(self.text_block(
                    title,
                    &u.text,
                    &u.initials,
                    std::slice::from_ref(&u.risk),
                ));
            }
        }
        Section {
            id: "risk-control-measures".into(),
            number: Some("4.0".into()),
            heading: "Risk Control Measures".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    fn equality(&mut self) -> Section {
        let mut blocks = Vec::new();
        let scope = self.scope;
        if let Some(r) = self.record() {
            if let (Some(s), None) = (&r.header.equality_summary, scope.above) {
                blocks.push(self.text_block(None, s, &[], &[]));
            }
            for u in &r.equality_updates {
                if scope.above.is_some() && !scope.signed_here(&u.initials) {
                    continue;
                }
                let action = scope
                    .plans
                    .iter()
                    .flat_map(|p| &p.equality_actions)
                    .find(|a| a.reference == u.action);
                let title = match action {
                    Some(a) => format!("{}: {}", a.reference, a.action),
                    None => u.action.to_string(),
                };
                blocks.push(self.text_block(
                    Some(title),
                    &u.text,
                    &u.initials,
                    std::slice::from_ref(&u.action),
                ));
            }
        }
        if blocks.is_empty() {
            blocks.push(para(
                "No progress on high-priority equality actions is recorded for this quarter.",
            ));
        }
        Section {
            id: "equality".into(),
            number: Some("5.0".into()),
            heading: "Progress against high priority equality actions".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    fn overview(&mut self) -> Section {
        let scope = self.scope;
        let data = scope.data;
        let quarter = scope.quarter;
        // The priorities the items and commentary name, in their number order.
        let mut named: Vec<Option<Ref>> = Vec::new();
        let commentary: Vec<&beacon_domain::quarter::Commentary> = self
            .record()
            .map(|r| {
                r.commentary
                    .iter()
                    .filter(|c| {
                        scope.above.is_none()
                            || if c.refs.is_empty() {
                                scope.signed_here(&c.initials)
                            } else {
                                c.refs
                                    .iter()
                                    .any(|x| self.items.refs.iter().any(|y| y == x.as_str()))
                            }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let priorities: Vec<Option<Ref>> = self
            .items
            .milestones
            .iter()
            .map(|(m, _)| m.priority.clone())
            .chain(
                self.items
                    .indicators
                    .iter()
                    .map(|(_, i, _)| i.priority.clone()),
            )
            .chain(commentary.iter().map(|c| c.priority.clone()))
            .collect();
        for p in priorities {
            if !named.contains(&p) {
                named.push(p);
            }
        }
        let frame = |r: &Option<Ref>| {
            r.as_ref().and_then(|r| {
                data.frames
                    .iter()
                    .find(|f| &f.reference == r && f.kind == FrameKind::DirectoratePriority)
            })
        };
        named.sort_by_key(|p| match frame(p) {
            Some(f) => (0, f.number.unwrap_or(u32::MAX), f.reference.to_string()),
            None => (
                1,
                u32::MAX,
                p.as_ref().map_or(String::from("~"), |r| r.to_string()),
            ),
        });
        let q_label = format!("Q{}", quarter.q.number());
        let this_year = quarter.year.short();
        let last_year = quarter
            .year
            .previous()
            .map_or(String::from("Last year"), |y| y.short());
        let mut subsections = Vec::new();
        let mut order = 0usize;
        for p in &named {
            let (id, title) = match (frame(p), p) {
                (Some(f), _) => (slug(f.reference.as_str()), f.title.clone()),
                (None, Some(r)) => (slug(r.as_str()), r.to_string()),
                (None, None) => (
                    "other".to_string(),
                    "Other milestones and measures".to_string(),
                ),
            };
            let id = format!("priority-{id}");
            let mut blocks = Vec::new();
            // Key milestones.
            let ms: Vec<(&Milestone, MilestoneStatus)> = self
                .items
                .milestones
                .iter()
                .filter(|(m, _)| &m.priority == p)
                .cloned()
                .collect();
            let about = |a: CommentaryAbout| {
                commentary
                    .iter()
                    .filter(|c| p.as_ref() == c.priority.as_ref() && c.about == a)
                    .copied()
                    .collect::<Vec<_>>()
            };
            let m_comm = about(CommentaryAbout::Milestones);
            if !ms.is_empty() || !m_comm.is_empty() {
                blocks.push(heading("Key Milestones"));
            }
            if !ms.is_empty() {
                let mut t = table(
                    format!("{id}-milestones"),
                    format!("{title}: Key Milestones"),
                    vec![
                        col("Ref", ColumnKind::Ref),
                        col("Milestone", ColumnKind::Text),
                        col("Due", ColumnKind::Date),
                        col("Lead", ColumnKind::Ref),
                        col(&format!("{q_label} Progress"), ColumnKind::Status),
                    ],
                );
                for (m, s) in ms {
                    order += 1;
                    let cell = progress_cell(s.status, &s.computed, s.set_by_hand.as_ref());
                    self.exception_milestone(order, &title, m, &s, &cell);
                    if let Some(o) = &m.officer {
                        self.note_initials(o);
                    }
                    let status =
                        self.notes
                            .attach(&mut t, &format!("{}, progress", m.reference), cell);
                    t.rows.push(item_row(vec![
                        Cell::text(m.reference.as_str()),
                        Cell::text(&m.text),
                        Cell::text(&s.due),
                        m.officer.as_ref().map_or(Cell::Empty, Cell::text),
                        status,
                    ]));
                }
                blocks.push(Block::Table(t));
            }
            if !m_comm.is_empty() {
                blocks.push(heading("Supporting Commentary"));
                for c in m_comm {
                    blocks.push(self.text_block(None, &c.text, &c.initials, &c.refs));
                }
            }
            // Key performance indicators.
            let is: Vec<(&PlanDocument, &Indicator, IndicatorStatus)> = self
                .items
                .indicators
                .iter()
                .filter(|(_, i, _)| &i.priority == p)
                .cloned()
                .collect();
            let i_comm = about(CommentaryAbout::Indicators);
            if !is.is_empty() || !i_comm.is_empty() {
                blocks.push(heading("Key Performance Indicators"));
            }
            if !is.is_empty() {
                let mut t = table(
                    format!("{id}-indicators"),
                    format!("{title}: Key Performance Indicators"),
                    vec![
                        col("Ref", ColumnKind::Ref),
                        col("Measure", ColumnKind::Text),
                        col(&format!("{last_year} Actual"), ColumnKind::Measure),
                        col(&format!("{this_year} Target"), ColumnKind::Measure),
                        col(&q_label, ColumnKind::Measure),
                        col("Current Progress", ColumnKind::Status),
                        col("Direction of Travel", ColumnKind::Status),
                    ],
                );
                for (_, ind, s) in is {
                    order += 1;
                    let last = quarter
                        .year
                        .previous()
                        .map(Period::FinancialYear)
                        .and_then(|y| ind.values.get(&y).map(|m| (y, m)));
                    let progress = progress_cell(s.status, &s.computed, s.set_by_hand.as_ref());
                    self.exception_indicator(order, &title, &s, &progress);
                    let codes = s.codes.clone();
                    let progress =
                        self.notes
                            .attach(&mut t, &format!("{codes}, current progress"), progress);
                    let travel = self.notes.attach(
                        &mut t,
                        &format!("{codes}, direction of travel"),
                        travel_cell(&s.travel),
                    );
                    t.rows.push(item_row(vec![
                        Cell::text(&codes),
                        Cell::text(&s.description),
                        last.map_or(Cell::Empty, |(p, m)| measure_cell(m, Some(p), false)),
                        s.target.as_ref().map_or(Cell::Empty, |m| {
                            measure_cell(m, Some(Period::FinancialYear(quarter.year)), false)
                        }),
                        s.value.as_ref().map_or(Cell::Empty, |(p, m)| {
                            measure_cell(m, Some(*p), *p != Period::Quarter(quarter))
                        }),
                        progress,
                        travel,
                    ]));
                }
                blocks.push(Block::Table(t));
            }
            if !i_comm.is_empty() {
                blocks.push(heading("Supporting Commentary"));
                for c in i_comm {
                    blocks.push(self.text_block(None, &c.text, &c.initials, &c.refs));
                }
            }
            subsections.push(Subsection {
                id,
                heading: title,
                blocks,
            });
        }
        let mut blocks = vec![para(
            "The following information provides a synopsis of progress for both milestones and performance indicators across the key business areas that have been identified by the Directorate.",
        )];
        if subsections.is_empty() {
            blocks.push(para(
                "No milestones or performance indicators are monitored this quarter.",
            ));
        }
        Section {
            id: "performance-overview".into(),
            number: Some("6.0".into()),
            heading: "Performance Overview".into(),
            blocks,
            subsections,
        }
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

    fn exception_milestone(
        &mut self,
        order: usize,
        priority: &str,
        m: &Milestone,
        s: &MilestoneStatus,
        cell: &StatusCell,
    ) {
        let base = |rank: u8, what: &str, reason: &str| Exception {
            rank,
            order,
            reference: m.reference.to_string(),
            item: m.text.clone(),
            priority: priority.to_string(),
            status: Some(cell.clone()),
            what: what.to_string(),
            reason: reason.to_string(),
        };
        let e = if s.status == Progress::Red {
            Some(base(0, "Red", &cell.reason))
        } else if let Some(h) = &s.set_by_hand {
            Some(base(1, &format!("Set by hand by {}", h.by), &h.reason))
        } else if s.computed.status == Progress::NotAssessed {
            Some(base(2, "No progress recorded", &s.computed.reason))
        } else {
            None
        };
        self.exceptions.extend(e);
    }

    fn exception_indicator(
        &mut self,
        order: usize,
        priority: &str,
        s: &IndicatorStatus,
        cell: &StatusCell,
    ) {
        let mut what = Vec::new();
        let mut rank = 3;
        if s.status == Progress::Red {
            what.push("Red".to_string());
            rank = 0;
        }
        if let Some(h) = &s.set_by_hand {
            what.push(format!("Set by hand by {}", h.by));
            rank = rank.min(1);
        }
        match &s.value {
            None => {
                what.push(format!("No value for {}", self.scope.quarter));
                rank = rank.min(2);
            }
            Some((_, m)) if m.value().is_none() => {
                what.push(format!("No numeric value (\u{201c}{}\u{201d})", m.text()));
                rank = rank.min(2);
            }
            _ => {}
        }
        if what.is_empty() {
            return;
        }
        self.exceptions.push(Exception {
            rank,
            order,
            reference: s.codes.clone(),
            item: s.description.clone(),
            priority: priority.to_string(),
            status: Some(cell.clone()),
            what: what.join("; "),
            reason: cell.reason.clone(),
        });
    }

    fn finance(&mut self) -> Section {
        let mut subsections = Vec::new();
        let statements = std::mem::take(&mut self.items.statements);
        for (i, (st, status)) in statements.iter().enumerate() {
            let id = slug(st.reference.as_str());
            let (a, b, c) = match st.kind {
                StatementKind::Revenue => {
                    ("Annual Budget", "Budget to Date", "Expenditure to Date")
                }
                StatementKind::Capital => {
                    ("Capital Allocation", "Allocation to Date", "Actual to Date")
                }
            };
            let unit = st.scale.label();
            let mut t = table(
                format!("statement-{id}"),
                st.title.clone(),
                vec![
                    col("", ColumnKind::Text),
                    col(&format!("{a} {unit}"), ColumnKind::Money),
                    col(&format!("{b} {unit}"), ColumnKind::Money),
                    col(&format!("{c} {unit}"), ColumnKind::Money),
                    col(
                        &format!("Variance to Date (overspend) {unit}"),
                        ColumnKind::Money,
                    ),
                ],
            );
            let totals = st.totals().unwrap_or_default();
            for g in st.children(None) {
                statement_rows(st, g, &totals, &mut t.rows, 0);
            }
            let mut caption = format!(
                "Every total is computed from the lines above it; {}.",
                status.reconciliation.reason
            );
            if let Some(p) = &status.projected {
                caption.push_str(&format!(
                    " Projected outturn at year end: {} {unit} ({}).",
                    p.status.display(st.scale, true),
                    p.reason.trim_end_matches('.')
                ));
            }
            t.caption = Some(caption);
            if !status.reconciliation.status.reconciles {
                self.exceptions.push(Exception {
                    rank: 3,
                    order: 10_000 + i,
                    reference: st.reference.to_string(),
                    item: st.title.clone(),
                    priority: "Financial Statement".into(),
                    status: None,
                    what: "Totals do not reconcile".into(),
                    reason: status.reconciliation.reason.clone(),
                });
            }
            let mut blocks = vec![Block::Table(t)];
            if let Some(n) = &st.notes {
                blocks.push(self.text_block(None, n, &[], &[]));
            }
            subsections.push(Subsection {
                id: format!("statement-{id}"),
                heading: st.title.clone(),
                blocks,
            });
        }
        let mut blocks = Vec::new();
        if subsections.is_empty() {
            blocks.push(para("No budget statements are recorded for this quarter."));
        } else {
            blocks.push(para(
                "Amounts as the statements give them. Variance to date is budget to date less expenditure to date; an overspend is shown in brackets.",
            ));
        }
        Section {
            id: "financial-statement".into(),
            number: Some("7.0".into()),
            heading: "Financial Statement".into(),
            blocks,
            subsections,
        }
    }

    fn appendix(&mut self) -> Section {
        let mut blocks = vec![
            para("Symbols are used in the following manner:"),
            heading("Progress"),
        ];
        let key_cell = |c: StatusCell| {
            Cell::Status(StatusCell {
                reason: String::new(),
                ..c
            })
        };
        let none = || beacon_domain::status::Assessed::new(Progress::NotAssessed, "");
        let mut progress = table(
            "symbol-key-progress".into(),
            "Symbol key: progress".into(),
            vec![
                col("Progress", ColumnKind::Status),
                col("Objective / milestone", ColumnKind::Text),
                col("Performance indicator", ColumnKind::Text),
            ],
        );
        for (p, o, i) in [
            (
                Progress::Green,
                "Indicates that the objective is on course to be achieved within the appropriate timeframe.",
                "Indicates that the annual target is on course to be achieved.",
            ),
            (
                Progress::Amber,
                "Indicates that it is uncertain or too early to say at this stage whether the milestone/objective will be achieved within the appropriate timeframe.",
                "Indicates that it is uncertain or too early to say at this stage whether the annual target is on course to be achieved.",
            ),
            (
                Progress::Red,
                "Indicates that it is highly likely or certain that the objective will not be achieved within the appropriate timeframe.",
                "Indicates that the target will not be achieved unless there is an intervention or remedial action taken.",
            ),
            (
                Progress::NotAssessed,
                "Nothing to judge by: no progress recorded. Beacon never guesses a status.",
                "Nothing to judge by: no numeric target, no usable value, or no direction of better. Beacon never guesses a status.",
            ),
        ] {
            progress.rows.push(item_row(vec![
                key_cell(progress_cell(p, &none(), None)),
                Cell::text(o),
                Cell::text(i),
            ]));
        }
        blocks.push(Block::Table(progress));
        blocks.push(heading("Direction of Travel"));
        blocks.push(para(
            "Where possible performance measures also show a direction of travel using the following convention:",
        ));
        let mut travel = table(
            "symbol-key-travel".into(),
            "Symbol key: direction of travel".into(),
            vec![
                col("Direction of travel", ColumnKind::Status),
                col("Meaning", ColumnKind::Text),
            ],
        );
        use beacon_domain::status::Travel;
        for (t, words) in [
            (
                Travel::Better,
                "Indicates that performance is better as compared to the same period last year.",
            ),
            (
                Travel::Same,
                "Indicates that performance is the same as compared to the same period last year.",
            ),
            (
                Travel::Worse,
                "Indicates that performance is worse as compared to the same period last year.",
            ),
            (
                Travel::NotComparable,
                "Indicates that the measure cannot be compared to the same period last year.",
            ),
        ] {
            let c = travel_cell(&beacon_domain::status::Assessed::new(t, ""));
            travel
                .rows
                .push(item_row(vec![Cell::Status(c), Cell::text(words)]));
        }
        blocks.push(Block::Table(travel));
        blocks.push(heading("Key to officer initials"));
        let mut officers = table(
            "officer-initials".into(),
            "Key to officer initials".into(),
            vec![
                col("Initials", ColumnKind::Ref),
                col("Officer", ColumnKind::Text),
            ],
        );
        let data = self.scope.data;
        let mut listed: Vec<(String, Vec<String>, String)> = Vec::new();
        for i in &self.initials {
            match data.officers.iter().find(|o| o.answers_to(i)) {
                Some(o) => {
                    let who = match &o.role {
                        Some(r) => format!("{}, {r}", o.name),
                        None => o.name.clone(),
                    };
                    match listed
                        .iter_mut()
                        .find(|(r, _, _)| r == o.reference.as_str())
                    {
                        Some((_, also, _)) => {
                            if i != o.reference.as_str() && !also.contains(i) {
                                also.push(i.clone());
                            }
                        }
                        None => listed.push((
                            o.reference.to_string(),
                            if i == o.reference.as_str() {
                                vec![]
                            } else {
                                vec![i.clone()]
                            },
                            who,
                        )),
                    }
                }
                None => listed.push((i.clone(), vec![], "Not a recorded officer".into())),
            }
        }
        for (r, also, who) in listed {
            let initials = if also.is_empty() {
                r
            } else {
                format!("{r} (also printed {})", also.join(", "))
            };
            officers
                .rows
                .push(item_row(vec![Cell::text(initials), Cell::text(who)]));
        }
        if officers.rows.is_empty() {
            blocks.push(para("The report uses no officer initials."));
        } else {
            blocks.push(Block::Table(officers));
        }
        Section {
            id: "appendix".into(),
            number: Some("8.0".into()),
            heading: "Appendix".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    fn exceptions_section(&mut self) -> Section {
        let mut ex = std::mem::take(&mut self.exceptions);
        ex.sort_by_key(|e| (e.rank, e.order));
        let red = ex.iter().filter(|e| e.what.contains("Red")).count();
        let hand = ex.iter().filter(|e| e.what.contains("Set by hand")).count();
        let missing = ex
            .iter()
            .filter(|e| {
                e.what.contains("No value")
                    || e.what.contains("No numeric value")
                    || e.what.contains("No progress")
            })
            .count();
        let mut blocks = vec![para(format!(
            "What needs the reader's attention first: every Red status ({red}), every status set by hand ({hand}) and every missing value or progress report ({missing}), with the reason for each."
        ))];
        if ex.is_empty() {
            blocks.push(para("No exceptions this quarter."));
        } else {
            let mut t = table(
                "exceptions".into(),
                "Exceptions".into(),
                vec![
                    col("Ref", ColumnKind::Ref),
                    col("Item", ColumnKind::Text),
                    col("Priority", ColumnKind::Text),
                    col("Status", ColumnKind::Status),
                    col("Exception", ColumnKind::Text),
                    col("Reason", ColumnKind::Text),
                ],
            );
            for e in ex {
                t.rows.push(item_row(vec![
                    Cell::text(e.reference),
                    Cell::text(e.item),
                    Cell::text(e.priority),
                    // The reason has its own column here.
                    e.status.map_or(Cell::Empty, |s| {
                        Cell::Status(StatusCell {
                            reason: String::new(),
                            ..s
                        })
                    }),
                    Cell::text(e.what),
                    Cell::text(e.reason),
                ]));
            }
            blocks.push(Block::Table(t));
        }
        Section {
            id: "exceptions".into(),
            number: None,
            heading: "Exceptions".into(),
            blocks,
            subsections: Vec::new(),
        }
    }
}

/// Levels of totals in a statement: the deepest chain of groups.
fn depth(st: &Statement) -> usize {
    st.groups
        .iter()
        .map(|g| {
            let mut d = 1;
            let mut at = g.parent.as_ref();
            while let Some(p) = at {
                d += 1;
                if d > st.groups.len() {
                    break;
                }
                at = st
                    .groups
                    .iter()
                    .find(|x| &x.key == p)
                    .and_then(|x| x.parent.as_ref());
            }
            d
        })
        .max()
        .unwrap_or(0)
}

/// A group's rows: its heading, its child groups, its own lines, then its total.
fn statement_rows(
    st: &Statement,
    g: &Group,
    totals: &[beacon_domain::budget::GroupTotal],
    rows: &mut Vec<Row>,
    depth: usize,
) {
    if depth > st.groups.len() {
        return;
    }
    if let Some(h) = &g.heading {
        rows.push(Row {
            kind: RowKind::Heading,
            cells: vec![Cell::text(h)],
        });
    }
    for child in st.children(Some(&g.key)) {
        statement_rows(st, child, totals, rows, depth + 1);
    }
    let money = |a: &beacon_domain::budget::Amounts| {
        vec![
            money_cell(a.annual, st.scale, false),
            money_cell(a.to_date, st.scale, false),
            money_cell(a.spent, st.scale, false),
            a.variance()
                .map_or(Cell::Empty, |v| money_cell(v, st.scale, true)),
        ]
    };
    for l in st.lines_in(&g.key) {
        let label = match &l.note {
            Some(n) => format!("{} ({n})", l.label),
            None => l.label.clone(),
        };
        let mut cells = vec![Cell::text(label)];
        cells.extend(money(&l.amounts));
        rows.push(item_row(cells));
    }
    if let Some(t) = totals.iter().find(|t| t.key == g.key) {
        let mut cells = vec![Cell::text(&g.label)];
        cells.extend(money(&t.computed));
        rows.push(Row {
            kind: RowKind::Total,
            cells,
        });
    }
}
