//! The plan document: a plan's narrative, its service objectives with their key milestones per
//! year (grouped under the council's own priorities, with their titles, where the objectives
//! link to them; else by unit, the layout of seed 000's Appendix A), and its indicator tables
//! with officer, frequency, baseline and targets, the words kept, then its risks, equality
//! actions, budget book and budget changes where it has them (`plan_budget`).

use crate::cells::{measure_cell, slug};
use crate::error::ReportError;
use crate::model::{
    Block, Cell, Column, ColumnKind, FORMAT_VERSION, Fact, Note, Report, ReportKind, Row, RowKind,
    Section, Subsection, Table, TextBlock, parts,
};
use crate::symbols::band_cell;
use beacon_app::CouncilData;
use beacon_app::status::settings;
use beacon_domain::frame::{Frame, FrameKind};
use beacon_domain::indicator::{Category, Indicator};
use beacon_domain::objective::Objective;
use beacon_domain::period::Period;
use beacon_domain::plan::PlanDocument;

/// Builds the plan document of a plan. Pure: no IO.
pub fn plan_document(data: &CouncilData, plan_ref: &str) -> Result<Report, ReportError> {
    let doc = data.plan(plan_ref).ok_or_else(|| {
        let known: Vec<&str> = data
            .plans
            .iter()
            .map(|p| p.plan.reference.as_str())
            .collect();
        ReportError::NotFound(format!(
            "no plan {plan_ref} in council {}; its plans are: {}",
            data.council.reference,
            known.join(", ")
        ))
    })?;
    let plan = &doc.plan;
    let unit_name = |r: &beacon_domain::Ref| {
        data.units
            .iter()
            .find(|u| &u.reference == r)
            .map_or_else(|| r.to_string(), |u| u.name.clone())
    };
    let mut facts = vec![
        Fact {
            label: "Unit".into(),
            value: unit_name(&plan.unit),
        },
        Fact {
            label: "Years".into(),
            value: plan.years.to_string(),
        },
        Fact {
            label: "Status".into(),
            value: format!("{}, version {}", plan.status, plan.version),
        },
    ];
    if let Some(s) = &plan.source {
        facts.push(Fact {
            label: "Source".into(),
            value: s.clone(),
        });
    }
    let mut sections = Vec::new();
    for (i, s) in plan.sections.iter().enumerate() {
        sections.push(Section {
            id: format!("section-{}-{}", i + 1, slug(&s.heading)),
            number: None,
            heading: s.heading.clone(),
            blocks: vec![text(None, &s.text)],
            subsections: Vec::new(),
        });
    }
    if !plan.factors.is_empty() {
        sections.push(Section {
            id: "factors".into(),
            number: None,
            heading: "Factors affecting the service".into(),
            blocks: plan
                .factors
                .iter()
                .map(|f| {
                    let cat = f.category.as_str();
                    let mut c = cat.chars();
                    let cat = c
                        .next()
                        .map(|x| x.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default();
                    text(Some(format!("{cat}: {}", f.heading)), &f.text)
                })
                .collect(),
            subsections: Vec::new(),
        });
    }
    sections.extend(objective_sections(data, doc, &unit_name));
    sections.push(indicator_section(doc));
    if let Some(s) = risk_section(data, doc) {
        sections.push(s);
    }
    if let Some(s) = equality_section(doc) {
        sections.push(s);
    }
    sections.extend(crate::plan_budget::sections(data, doc));
    Ok(Report {
        format_version: FORMAT_VERSION,
        kind: ReportKind::Plan,
        council: data.council.name.clone(),
        title: plan.title.clone(),
        facts,
        as_at: plan
            .years
            .first()
            .first_day()
            .format("%Y-%m-%d")
            .to_string(),
        sections,
    })
}

fn text(title: Option<String>, t: &str) -> Block {
    Block::Text(TextBlock {
        title,
        parts: parts(t),
        initials: Vec::new(),
        refs: Vec::new(),
    })
}

fn col(label: &str, kind: ColumnKind) -> Column {
    Column {
        label: label.into(),
        kind,
    }
}

fn new_table(id: String, title: String, columns: Vec<Column>) -> Table {
    Table {
        id,
        title,
        columns,
        rows: Vec::new(),
        notes: Vec::new(),
        caption: None,
    }
}

fn heading_row(text: &str) -> Row {
    Row {
        kind: RowKind::Heading,
        cells: vec![Cell::text(text)],
    }
}

fn item(cells: Vec<Cell>) -> Row {
    Row {
        kind: RowKind::Item,
        cells,
    }
}

/// The council's own priority an objective serves: the first of its links that names one of
/// the council's directorate priorities.
fn priority_of<'a>(data: &'a CouncilData, o: &Objective) -> Option<&'a Frame> {
    o.links.iter().find_map(|l| {
        data.frames
            .iter()
            .find(|f| &f.reference == l && f.kind == FrameKind::DirectoratePriority)
    })
}

/// A frame as a reader knows it: its ref and its title.
fn frame_words(data: &CouncilData, r: &beacon_domain::Ref) -> String {
    data.frames
        .iter()
        .find(|f| &f.reference == r)
        .map_or_else(|| r.to_string(), |f| format!("{} {}", f.reference, f.title))
}

/// The objectives grouped as the plan prints them, each group's objectives in the plan's
/// order: under the council's own priorities (in their number order, each headed by its ref
/// and title) where the plan's objectives link to them, those serving none last; else one
/// section per unit ("Children & Families Services Objectives").
fn objective_sections(
    data: &CouncilData,
    doc: &PlanDocument,
    unit_name: &dyn Fn(&beacon_domain::Ref) -> String,
) -> Vec<Section> {
    let matrix = settings(data).matrix;
    let by_priority = doc
        .objectives
        .iter()
        .any(|o| priority_of(data, o).is_some());
    // (id, heading, objectives)
    let mut groups: Vec<(String, String, Vec<&Objective>)> = Vec::new();
    for o in &doc.objectives {
        let (id, heading) = match (by_priority, priority_of(data, o)) {
            (true, Some(f)) => (
                format!("objectives-{}", slug(f.reference.as_str())),
                format!("{} {}", f.reference, f.title),
            ),
            (true, None) => (
                "objectives-other".into(),
                "Objectives serving no priority of the plan".into(),
            ),
            (false, _) => {
                let u = o.unit.as_ref().unwrap_or(&doc.plan.unit);
                (
                    format!("objectives-{}", slug(u.as_str())),
                    format!("{} Objectives", unit_name(u)),
                )
            }
        };
        match groups.iter_mut().find(|g| g.0 == id) {
            Some(g) => g.2.push(o),
            None => groups.push((id, heading, vec![o])),
        }
    }
    if by_priority {
        let number = |id: &str| {
            doc.objectives
                .iter()
                .filter_map(|o| priority_of(data, o))
                .find(|f| format!("objectives-{}", slug(f.reference.as_str())) == id)
                .map_or((1, u32::MAX), |f| (0, f.number.unwrap_or(u32::MAX)))
        };
        groups.sort_by_key(|g| number(&g.0));
    }
    groups
        .into_iter()
        .map(|(id, heading, os)| Section {
            id,
            number: None,
            heading,
            blocks: Vec::new(),
            subsections: os
                .into_iter()
                .map(|o| objective(data, o, &matrix))
                .collect(),
        })
        .collect()
}

fn objective(
    data: &CouncilData,
    o: &Objective,
    matrix: &beacon_domain::status::risk::Matrix,
) -> Subsection {
    let mut blocks = Vec::new();
    let statement = if o.statement.trim().is_empty() {
        "(The plan does not state this objective.)"
    } else {
        o.statement.as_str()
    };
    blocks.push(text(Some("Service Objective".into()), statement));
    let mut facts = Vec::new();
    if let Some(off) = &o.officer {
        facts.push(format!("Responsible officer: {off}."));
    }
    if let Some(runs) = o.runs() {
        facts.push(format!("Runs: {runs}."));
    }
    if !o.links.is_empty() {
        let l: Vec<String> = o.links.iter().map(|r| frame_words(data, r)).collect();
        facts.push(format!("Links: {}.", l.join("; ")));
    }
    if !o.cross_refs.is_empty() {
        let l: Vec<&str> = o.cross_refs.iter().map(|r| r.as_str()).collect();
        facts.push(format!("Cross references: {}.", l.join(", ")));
    }
    for (label, a) in [
        ("Initial risk", &o.initial_risk),
        ("Residual risk", &o.residual_risk),
    ] {
        if let Some(b) = a.as_ref().and_then(|a| matrix.assess(a)) {
            let c = band_cell(&b);
            facts.push(format!("{label}: {} {} ({}).", c.symbol, c.word, b.reason));
        }
    }
    if !o.indicators.is_empty() {
        let l: Vec<&str> = o.indicators.iter().map(|r| r.as_str()).collect();
        facts.push(format!("Indicators: {}.", l.join(", ")));
    }
    if !facts.is_empty() {
        blocks.push(text(None, &facts.join(" ")));
    }
    let mut t = new_table(
        format!("objective-{}-milestones", slug(o.reference.as_str())),
        format!("{}: Key Milestones", o.reference),
        vec![
            col("Ref", ColumnKind::Ref),
            col("Key milestone", ColumnKind::Text),
            col("Due", ColumnKind::Date),
            col("Officer", ColumnKind::Ref),
        ],
    );
    let mut year = None;
    for m in &o.milestones {
        if year != Some(m.year) {
            t.rows
                .push(heading_row(&format!("Key Milestone(s) {}", m.year.short())));
            year = Some(m.year);
        }
        t.rows.push(item(vec![
            Cell::text(m.printed_ref()),
            Cell::text(m.text_with_note()),
            Cell::text(m.due.describe()),
            m.officer.as_ref().map_or(Cell::Empty, Cell::text),
        ]));
    }
    if !o.milestones.is_empty() {
        blocks.push(Block::Table(t));
    }
    Subsection {
        id: format!("objective-{}", slug(o.reference.as_str())),
        heading: o.reference.to_string(),
        blocks,
    }
}

fn category_label(c: Category) -> &'static str {
    match c {
        Category::CorporateHealth => "Corporate Health",
        Category::CostEfficiency => "Cost & Efficiency",
        Category::Quality => "Quality",
        Category::FairAccess => "Fair Access",
        Category::ServiceDelivery => "Service Delivery",
    }
}

/// The indicator tables, one per group the plan prints them in.
fn indicator_section(doc: &PlanDocument) -> Section {
    let mut groups: Vec<Option<&str>> = Vec::new();
    for i in &doc.indicators {
        let g = i.group.as_deref();
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let mut subsections = Vec::new();
    let mut note = 0u32;
    for g in groups {
        let title = g.unwrap_or("Performance Indicators");
        let inds: Vec<&Indicator> = doc
            .indicators
            .iter()
            .filter(|i| i.group.as_deref() == g)
            .collect();
        let mut targets: Vec<Period> = inds
            .iter()
            .flat_map(|i| i.targets.keys().copied())
            .collect();
        targets.sort();
        targets.dedup();
        let mut baselines: Vec<Period> = inds
            .iter()
            .filter_map(|i| i.baseline.as_ref().map(|b| b.period))
            .collect();
        baselines.sort();
        baselines.dedup();
        let one_baseline = (baselines.len() == 1).then(|| baselines[0]);
        // Officer and frequency columns where the plan gives them for any of the table's rows.
        let officers = inds.iter().any(|i| i.officer.is_some());
        let frequencies = inds.iter().any(|i| i.frequency.is_some());
        let mut columns = vec![
            col("Ref", ColumnKind::Ref),
            col("Description", ColumnKind::Text),
        ];
        if officers {
            columns.push(col("Officer", ColumnKind::Ref));
        }
        if frequencies {
            columns.push(col("Frequency", ColumnKind::Ref));
        }
        columns.extend([col(
            &one_baseline.map_or("Baseline".to_string(), |p| format!("Baseline {p}")),
            ColumnKind::Measure,
        )]);
        for p in &targets {
            let label = match p {
                Period::FinancialYear(y) => format!("Target {}", y.short()),
                other => format!("Target {other}"),
            };
            columns.push(col(&label, ColumnKind::Measure));
        }
        let id = format!("indicators-{}", slug(title));
        let mut t = new_table(id.clone(), title.to_string(), columns);
        let mut category = None;
        for i in inds {
            if i.category != category {
                if let Some(c) = i.category {
                    t.rows.push(heading_row(category_label(c)));
                }
                category = i.category;
            }
            let mut cells = vec![Cell::text(i.all_codes()), Cell::text(&i.description)];
            if officers {
                cells.push(i.officer.as_ref().map_or(Cell::Empty, Cell::text));
            }
            if frequencies {
                cells.push(
                    i.frequency
                        .map_or(Cell::Empty, |f| Cell::text(capitalised(f.as_str()))),
                );
            }
            cells.push(i.baseline.as_ref().map_or(Cell::Empty, |b| {
                measure_cell(&b.value, Some(b.period), one_baseline.is_none())
            }));
            for p in &targets {
                cells.push(
                    i.targets
                        .get(p)
                        .map_or(Cell::Empty, |m| measure_cell(m, Some(*p), false)),
                );
            }
            t.rows.push(item(cells));
            for n in i.notes.iter().cloned().chain(collection_notes(i)) {
                note += 1;
                t.notes.push(Note {
                    number: note,
                    text: format!("{}: {}", i.all_codes(), n),
                });
            }
        }
        subsections.push(Subsection {
            id,
            heading: title.to_string(),
            blocks: vec![Block::Table(t)],
        });
    }
    Section {
        id: "performance-indicators".into(),
        number: None,
        heading: "Performance Indicators".into(),
        blocks: vec![text(
            None,
            "Each table gives the indicator's responsible officer and how often it is collected where the plan says, its baseline and its target for each year, as the plan states them: words such as \u{201c}New indicator\u{201d} or \u{201c}Awaiting information to set target\u{201d} are kept as written.",
        )],
        subsections,
    }
}

fn risk_section(data: &CouncilData, doc: &PlanDocument) -> Option<Section> {
    if doc.risks.is_empty() {
        return None;
    }
    let matrix = settings(data).matrix;
    let mut t = new_table(
        "risks".into(),
        "Risks".into(),
        vec![
            col("Ref", ColumnKind::Ref),
            col("Risk", ColumnKind::Text),
            col("Objective", ColumnKind::Ref),
            col("Initial risk", ColumnKind::Status),
            col("Residual risk", ColumnKind::Status),
            col("Treatment", ColumnKind::Text),
        ],
    );
    for r in &doc.risks {
        let band = |a: &Option<beacon_domain::risk::RiskAssessment>| {
            a.as_ref()
                .and_then(|a| matrix.assess(a))
                .map_or(Cell::text("Not recorded"), |b| Cell::Status(band_cell(&b)))
        };
        t.rows.push(item(vec![
            Cell::text(r.reference.as_str()),
            Cell::text(&r.description),
            r.objective
                .as_ref()
                .map_or(Cell::Empty, |o| Cell::text(o.as_str())),
            band(&r.initial),
            band(&r.residual),
            Cell::text(r.treatment.join("; ")),
        ]));
    }
    Some(Section {
        id: "risks".into(),
        number: None,
        heading: "Risks".into(),
        blocks: vec![Block::Table(t)],
        subsections: Vec::new(),
    })
}

/// What the plan says of an indicator's collection and comparators beyond its table's
/// columns: a census return and its months; comparators it names (a council, a group, a region
/// or a source).
fn collection_notes(i: &Indicator) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(c) = &i.census {
        notes.push(format!("collected by the {}.", c.describe()));
    }
    let named: Vec<String> = i
        .comparators
        .iter()
        .filter(|c| c.name.is_some() || c.source.is_some())
        .map(|c| {
            let source = c
                .source
                .as_ref()
                .map_or(String::new(), |s| format!(" ({s})"));
            format!("{}: {}{source}", c.describe(), c.value.text())
        })
        .collect();
    if !named.is_empty() {
        notes.push(format!("compared with {}.", named.join("; ")));
    }
    notes
}

fn equality_section(doc: &PlanDocument) -> Option<Section> {
    if doc.equality_actions.is_empty() {
        return None;
    }
    let objectives = doc.equality_actions.iter().any(|a| {
        !a.themes.is_empty()
            || a.success_measure.is_some()
            || a.evidence.is_some()
            || !a.target_date.is_none()
            || a.completed
    });
    let t = if objectives {
        equality_objectives_table(doc)
    } else {
        equality_actions_table(doc)
    };
    Some(Section {
        id: "equality-actions".into(),
        number: None,
        heading: "Equality actions".into(),
        blocks: vec![Block::Table(t)],
        subsections: Vec::new(),
    })
}

/// Equality objectives: themes, the measure of success, evidence, target date and whether
/// each is done (the impact where the plan gives one).
fn equality_objectives_table(doc: &PlanDocument) -> Table {
    let mut t = new_table(
        "equality-actions".into(),
        "Equality objectives".into(),
        vec![
            col("Ref", ColumnKind::Ref),
            col("Objective", ColumnKind::Text),
            col("Themes", ColumnKind::Text),
            col("Measure of success", ColumnKind::Text),
            col("Evidence", ColumnKind::Text),
            col("Target date", ColumnKind::Date),
            col("Done", ColumnKind::Text),
            col("Officer", ColumnKind::Ref),
        ],
    );
    for a in &doc.equality_actions {
        let objective = match (a.area.trim(), a.impact) {
            ("", None) => a.action.clone(),
            (area, None) => format!("{area}: {}", a.action),
            (area, Some(i)) => format!("{area}: {} (impact {i})", a.action),
        };
        t.rows.push(item(vec![
            Cell::text(a.reference.as_str()),
            Cell::text(objective),
            Cell::text(a.themes.join(", ")),
            a.success_measure.as_ref().map_or(Cell::Empty, Cell::text),
            a.evidence.as_ref().map_or(Cell::Empty, Cell::text),
            Cell::text(a.target_date.describe()),
            Cell::text(if a.completed { "Completed" } else { "" }),
            a.officer.as_ref().map_or(Cell::Empty, Cell::text),
        ]));
    }
    t
}

fn equality_actions_table(doc: &PlanDocument) -> Table {
    let mut t = new_table(
        "equality-actions".into(),
        "Equality actions".into(),
        vec![
            col("Ref", ColumnKind::Ref),
            col("Strategy, policy or service", ColumnKind::Text),
            col("Impact", ColumnKind::Ref),
            col("Action", ColumnKind::Text),
            col("Years", ColumnKind::Ref),
            col("Officer", ColumnKind::Text),
        ],
    );
    for a in &doc.equality_actions {
        t.rows.push(item(vec![
            Cell::text(a.reference.as_str()),
            Cell::text(&a.area),
            Cell::text(capitalised(a.impact_words())),
            Cell::text(&a.action),
            Cell::text(years_words(&a.years)),
            a.officer.as_ref().map_or(Cell::Empty, Cell::text),
        ]));
    }
    t
}

/// A word with its first letter in capitals ("Termly", "High").
fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|x| x.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An equality action's timetable in few words: consecutive years as a range
/// ("2009/10 – 2011/12"), others listed.
fn years_words(years: &[beacon_domain::period::FinancialYear]) -> String {
    let consecutive = years
        .windows(2)
        .all(|w| w[1].start_year() == w[0].start_year() + 1);
    match years {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] if consecutive => format!("{first} \u{2013} {last}"),
        _ => years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}
