//! Loading a filled-in collection workbook (or its CSV form) back: the whole file is checked
//! first (whose quarter it is, every ref, every number in the indicator's own forms, words and
//! qualifiers from the allowed lists, required commentary) and every problem is reported with
//! its sheet, row and column. Only a file without problems becomes `QuarterChanges`: the unit's
//! quarterly record with the file's values, progress and commentary merged in (its narratives
//! kept), applied in one change set.
//!
//! Not yet: refusing to overwrite a signed-off quarter waits for sign-off (the life-of-a-quarter
//! issue); `QuarterChanges` is where that check will go.

use crate::sheets::grid::{Book, Sheet};
use crate::sheets::layout::{self, Column};
use crate::sheets::limits::Limits;
use crate::sheets::neutralise::restore;
use crate::sheets::problem::{CellProblem, Loc, SheetError};
use crate::sheets::scope::Scope;
use crate::sheets::template::own_commentary;
use beacon_app::audit::Actor;
use beacon_app::status::{StatusQuery, status_report};
use beacon_app::{AppError, ChangeSet, CouncilChanges, CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::indicator::{Indicator, MeasureUnit};
use beacon_domain::measure::{Measure, Qualifier, read_number};
use beacon_domain::objective::Milestone;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{Period, Quarter};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{
    Commentary, CommentaryAbout, Progress, ProgressStatus, QuarterHeader, QuarterRecord,
    RiskUpdate, ValueEntry,
};
use beacon_domain::risk::{Risk, RiskAssessment};
use beacon_domain::status::Progress as Rag;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the caller knows the file must be for (the page a file is uploaded on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub unit: Option<Ref>,
    pub quarter: Option<Quarter>,
}

/// A checked collection file, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterChanges {
    pub council: CouncilRef,
    pub unit: Ref,
    pub quarter: Quarter,
    pub plan: Ref,
    /// The unit's whole record for the quarter after the merge.
    pub record: QuarterRecord,
    /// The plan, when risk likelihood and impact changed its risks' current assessment.
    pub plan_document: Option<PlanDocument>,
    /// What changes, in words, in file order; empty when the file changes nothing.
    pub changes: Vec<String>,
}

/// Reads and checks a collection file: XLSX when it starts like a zip archive, else CSV.
pub fn import(bytes: &[u8], data: &CouncilData) -> Result<QuarterChanges, Vec<CellProblem>> {
    import_file(bytes, "file", data, &Expect::default(), &Limits::default())
}

/// Reads and checks a collection file named `name` (for messages), against what the caller
/// expects it to be for.
pub fn import_file(
    bytes: &[u8],
    name: &str,
    data: &CouncilData,
    expect: &Expect,
    limits: &Limits,
) -> Result<QuarterChanges, Vec<CellProblem>> {
    let book = read_book(bytes, name, limits).map_err(|e| vec![whole_file(name, &e)])?;
    import_book(&book, data, expect)
}

/// A workbook or CSV file as a book.
pub fn read_book(bytes: &[u8], name: &str, limits: &Limits) -> Result<Book, SheetError> {
    if bytes.starts_with(b"PK") {
        Book::from_xlsx(bytes, limits)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(SheetError::Unreadable(
            "this is an old-style .xls workbook; save it as .xlsx (Excel Workbook) and try again"
                .into(),
        ))
    } else {
        Book::from_csv(bytes, name, limits)
    }
}

fn whole_file(name: &str, e: &SheetError) -> CellProblem {
    CellProblem::new(&Loc::sheet(name), e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Indicator,
    Milestone,
    Risk,
}

/// A cell's text and where it is.
#[derive(Debug, Clone)]
struct Field {
    text: String,
    at: Loc,
}

/// One row of the file: its kind, where it is, its cells by key.
#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    at: Loc,
    fields: HashMap<&'static str, Field>,
}

impl Entry {
    fn text(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", |f| f.text.trim())
    }
    fn at(&self, key: &'static str) -> Loc {
        self.fields.get(key).map_or_else(
            || Loc {
                column: key.to_string(),
                ..self.at.clone()
            },
            |f| f.at.clone(),
        )
    }
    fn has_input(&self, columns: &[Column]) -> bool {
        columns
            .iter()
            .any(|c| c.input && !self.text(c.key).is_empty())
    }
}

/// The file read into About values and entries, before any checking of content.
struct Parsed {
    about: HashMap<&'static str, Field>,
    entries: Vec<Entry>,
}

fn columns_of(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Indicator => layout::INDICATOR_COLUMNS,
        Kind::Milestone => layout::MILESTONE_COLUMNS,
        Kind::Risk => layout::RISK_COLUMNS,
    }
}

fn parse_workbook(book: &Book, problems: &mut Vec<CellProblem>) -> Option<Parsed> {
    let Some(about_sheet) = book.sheet(layout::ABOUT) else {
        problems.push(CellProblem::new(
            &Loc::sheet(layout::ABOUT),
            "there is no About sheet: this is not a Beacon collection workbook, or the sheet was renamed or deleted; download a new template",
        ));
        return None;
    };
    let mut about = HashMap::new();
    for r in 0..about_sheet.height() {
        let key = about_sheet.get(r, 0).trim().to_lowercase();
        if let Some(k) = layout::ABOUT_KEYS.iter().find(|k| **k == key) {
            about.entry(*k).or_insert(Field {
                text: about_sheet.get(r, 1).trim().to_string(),
                at: about_sheet.loc(r, 1, k),
            });
        }
    }
    let mut entries = Vec::new();
    for (kind, name) in [
        (Kind::Indicator, layout::INDICATORS),
        (Kind::Milestone, layout::MILESTONES),
        (Kind::Risk, layout::RISKS),
    ] {
        let Some(sheet) = book.sheet(name) else {
            problems.push(CellProblem::new(
                &Loc::sheet(name),
                format!("there is no {name} sheet; it must not be renamed or deleted"),
            ));
            continue;
        };
        read_entries(sheet, kind, columns_of(kind), problems, &mut entries);
    }
    Some(Parsed { about, entries })
}

fn read_entries(
    sheet: &Sheet,
    kind: Kind,
    columns: &[Column],
    problems: &mut Vec<CellProblem>,
    entries: &mut Vec<Entry>,
) {
    let found = match layout::find_columns(sheet, 0, columns) {
        Ok(f) => f,
        Err(mut ps) => {
            problems.append(&mut ps);
            return;
        }
    };
    for r in 1..sheet.height() {
        let mut fields = HashMap::new();
        for (key, (c, heading)) in &found {
            fields.insert(
                *key,
                Field {
                    text: sheet.get(r, *c).to_string(),
                    at: sheet.loc(r, *c, heading),
                },
            );
        }
        entries.push(Entry {
            kind,
            at: sheet.row_loc(r),
            fields,
        });
    }
}

fn csv_columns() -> Vec<Column> {
    layout::CSV_COLUMNS
        .iter()
        .map(|k| Column {
            key: k,
            heading: k,
            input: !matches!(*k, "description"),
            width: 0,
        })
        .collect()
}

fn parse_csv(sheet: &Sheet, problems: &mut Vec<CellProblem>) -> Option<Parsed> {
    let columns = csv_columns();
    let found = match layout::find_columns(sheet, 0, &columns) {
        Ok(f) => f,
        Err(mut ps) => {
            problems.append(&mut ps);
            return None;
        }
    };
    let mut about: HashMap<&'static str, Field> = HashMap::new();
    let mut entries = Vec::new();
    for r in 1..sheet.height() {
        let cell = |key: &str| -> Option<Field> {
            found.get(key).map(|(c, h)| Field {
                text: restore(sheet.get(r, *c)).trim().to_string(),
                at: sheet.loc(r, *c, h),
            })
        };
        if sheet.row_is_blank(r) {
            continue;
        }
        for key in ["council", "unit", "quarter", "plan"] {
            let Some(f) = cell(key) else { continue };
            match about.get(key) {
                None => {
                    about.insert(key, f);
                }
                Some(first) if first.text != f.text => problems.push(CellProblem::new(
                    &f.at,
                    format!(
                        "{key} {:?} differs from {:?} in row {}; one file holds one unit's quarter",
                        f.text, first.text, first.at.row
                    ),
                )),
                Some(_) => {}
            }
        }
        let kind = match cell("kind").map(|f| f.text.to_lowercase()).as_deref() {
            Some("indicator") => Kind::Indicator,
            Some("milestone") => Kind::Milestone,
            Some("risk") => Kind::Risk,
            other => {
                problems.push(CellProblem::new(
                    &cell("kind").map_or_else(|| sheet.row_loc(r), |f| f.at),
                    format!(
                        "kind {:?} is not one of indicator | milestone | risk",
                        other.unwrap_or("")
                    ),
                ));
                continue;
            }
        };
        let mut fields = HashMap::new();
        for spec in columns_of(kind) {
            // The CSV has one "progress" column: a milestone's status or a risk's treatment.
            let csv_key = match spec.key {
                "milestone" | "risk" => "description",
                k => k,
            };
            if let Some(f) = cell(csv_key) {
                fields.insert(spec.key, f);
            }
        }
        entries.push(Entry {
            kind,
            at: sheet.row_loc(r),
            fields,
        });
    }
    about.insert(
        "format",
        Field {
            text: layout::FORMAT.to_string(),
            at: Loc::sheet(&sheet.name),
        },
    );
    Some(Parsed { about, entries })
}

/// An indicator's update as the file gives it.
struct IndicatorUpdate<'a> {
    indicator: &'a Indicator,
    period: Period,
    measure: Option<Measure>,
    officer: Option<Ref>,
    commentary: Option<String>,
    entry: Entry,
}

struct MilestoneUpdate<'a> {
    milestone: &'a Milestone,
    progress: Option<(ProgressStatus, Option<NaiveDate>)>,
    officer: Option<Ref>,
    commentary: Option<String>,
}

struct RiskChange<'a> {
    risk: &'a Risk,
    assessment: Option<(u8, u8)>,
    progress: Option<String>,
    officer: Option<Ref>,
}

struct Checker<'a> {
    data: &'a CouncilData,
    scope: Scope<'a>,
    problems: Vec<CellProblem>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, at: Loc, message: impl Into<String>) {
        self.problems.push(CellProblem::new(&at, message));
    }

    fn officer(&mut self, e: &Entry) -> Option<Ref> {
        let t = e.text("officer");
        if t.is_empty() {
            return None;
        }
        if self.data.officers.iter().any(|o| o.answers_to(t)) {
            return t.parse().ok();
        }
        let known: Vec<&str> = self
            .data
            .officers
            .iter()
            .take(12)
            .map(|o| o.reference.as_str())
            .collect();
        self.problem(
            e.at("officer"),
            format!(
                "no officer has the initials {t:?}; expected an officer's initials as reports print them ({}{})",
                known.join(", "),
                if self.data.officers.len() > known.len() { ", …" } else { "" }
            ),
        );
        None
    }

    fn commentary(e: &Entry) -> Option<String> {
        let t = e.text("commentary");
        (!t.is_empty()).then(|| t.replace("\r\n", "\n"))
    }

    fn qualifiers(&mut self, e: &Entry) -> Vec<Qualifier> {
        let mut out = Vec::new();
        for part in e
            .text("qualifier")
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.to_lowercase().parse::<Qualifier>() {
                Ok(q) => out.push(q),
                Err(_) => self.problem(
                    e.at("qualifier"),
                    format!(
                        "{part:?} is not a qualifier; expected one of {}, or blank for a final value",
                        Qualifier::choices()
                    ),
                ),
            }
        }
        out
    }

    fn number_forms(unit: Option<MeasureUnit>) -> &'static str {
        match unit {
            Some(MeasureUnit::Percent) => "a percentage such as 54.1% or 54.1",
            Some(MeasureUnit::Pounds) => "an amount such as £432.30 or 1,118",
            Some(_) => "a number such as 1,118 or 54.1",
            None => "a number such as 54.1%, 1,118 or £432.30",
        }
    }

    fn measure(&mut self, e: &Entry, ind: &Indicator, period: Period) -> Option<Measure> {
        let value = e.text("value");
        let words = e.text("words");
        let qualifiers = self.qualifiers(e);
        match (value.is_empty(), words.is_empty()) {
            (true, true) => {
                if !qualifiers.is_empty() {
                    self.problem(
                        e.at("qualifier"),
                        "a qualifier needs a value: give the Value, or clear the Qualifier",
                    );
                }
                None
            }
            (false, false) => {
                self.problem(
                    e.at("words"),
                    format!(
                        "both a Value ({value:?}) and Words ({words:?}) are given; give a number in Value or words in Words, not both"
                    ),
                );
                None
            }
            (false, true) => {
                let forms = Self::number_forms(ind.measure);
                let Some(n) = read_number(value) else {
                    self.problem(
                        e.at("value"),
                        format!("{value:?} is not a number; expected {forms} (words such as \"Refer comment\" go in Words)"),
                    );
                    return None;
                };
                let wrong_sign = match ind.measure {
                    Some(MeasureUnit::Percent) | None => value.contains('£'),
                    Some(MeasureUnit::Pounds) => value.contains('%'),
                    Some(_) => value.contains('%') || value.contains('£'),
                };
                if wrong_sign {
                    let unit = ind.measure.map_or("value".to_string(), |m| m.to_string());
                    self.problem(
                        e.at("value"),
                        format!("{value:?} does not fit indicator {}, measured in {unit}; expected {forms}", ind.reference),
                    );
                    return None;
                }
                match Measure::new(value, Some(n), qualifiers, None) {
                    Ok(m) => Some(m),
                    Err(err) => {
                        self.problem(e.at("value"), err.to_string());
                        None
                    }
                }
            }
            (true, false) => {
                let stored = self.scope.record.and_then(|r| {
                    r.values
                        .iter()
                        .find(|v| v.period == period && ind.answers_to(v.indicator.as_str()))
                });
                let allowed = layout::allowed_words()
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(words))
                    || stored.is_some_and(|v| v.value.text() == words);
                if !allowed {
                    self.problem(
                        e.at("words"),
                        format!(
                            "{words:?} is not one of the allowed words; expected one of: {} (see the Lists sheet), or a number in Value",
                            layout::allowed_words().join(", ")
                        ),
                    );
                    return None;
                }
                match Measure::new(words, None, qualifiers, None) {
                    Ok(m) => Some(m),
                    Err(err) => {
                        self.problem(e.at("words"), err.to_string());
                        None
                    }
                }
            }
        }
    }

    fn period(&mut self, e: &Entry) -> Option<Period> {
        let q = self.scope.quarter;
        let t = e.text("period");
        if t.is_empty() {
            return Some(Period::Quarter(q));
        }
        match t.parse::<Period>() {
            Ok(p) if p.first_day() > q.last_day() => {
                self.problem(
                    e.at("period"),
                    format!("{p} begins after {q} ends; a value describes this quarter or an earlier period"),
                );
                None
            }
            Ok(p) => Some(p),
            Err(err) => {
                self.problem(e.at("period"), err.to_string());
                None
            }
        }
    }

    fn indicator(
        &mut self,
        e: Entry,
        seen: &mut HashMap<Ref, usize>,
    ) -> Option<IndicatorUpdate<'a>> {
        let code = e.text("ref").to_string();
        if code.is_empty() {
            if e.has_input(layout::INDICATOR_COLUMNS) {
                self.problem(
                    e.at("ref"),
                    "this row has values but no Ref; expected the indicator's ref",
                );
            }
            return None;
        }
        let plan = self.scope.plan;
        let Some(ind) = self
            .scope
            .indicators
            .iter()
            .copied()
            .find(|i| i.answers_to(&code))
        else {
            let msg = if plan.indicator(&code).is_some() {
                format!(
                    "indicator {code:?} is in plan {} but not one of unit {}'s indicators",
                    plan.plan.reference, self.scope.unit.reference
                )
            } else {
                format!(
                    "no indicator {code:?} in plan {}; expected a ref from the template",
                    plan.plan.reference
                )
            };
            self.problem(e.at("ref"), msg);
            return None;
        };
        if let Some(first) = seen.insert(ind.reference.clone(), e.at.row) {
            self.problem(e.at("ref"), format!("indicator {code} is given again (first in row {first}); give each indicator once"));
            return None;
        }
        if !e.has_input(layout::INDICATOR_COLUMNS) {
            return None;
        }
        let period = self.period(&e)?;
        let measure = self.measure(&e, ind, period);
        let officer = self.officer(&e);
        let commentary = Self::commentary(&e);
        Some(IndicatorUpdate {
            indicator: ind,
            period,
            measure,
            officer,
            commentary,
            entry: e,
        })
    }

    fn date(&mut self, e: &Entry) -> Option<NaiveDate> {
        let t = e.text("completed");
        if t.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
            .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d %H:%M:%S"));
        match d {
            Ok(d) if d > self.scope.quarter.last_day() => {
                self.problem(e.at("completed"), format!("{d} is after {} ends; a milestone is recorded complete on or before the quarter's last day", self.scope.quarter));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.problem(
                    e.at("completed"),
                    format!(
                        "{t:?} is not a date; expected a date such as 2012-09-14 (or 14/09/2012)"
                    ),
                );
                None
            }
        }
    }

    fn milestone(
        &mut self,
        e: Entry,
        seen: &mut HashMap<Ref, usize>,
    ) -> Option<MilestoneUpdate<'a>> {
        let code = e.text("ref").to_string();
        if code.is_empty() {
            if e.has_input(layout::MILESTONE_COLUMNS) {
                self.problem(
                    e.at("ref"),
                    "this row has values but no Ref; expected the milestone's ref",
                );
            }
            return None;
        }
        let plan = self.scope.plan;
        let Some((_, m)) = self
            .scope
            .milestones
            .iter()
            .copied()
            .find(|(_, m)| m.reference.as_str() == code)
        else {
            let msg = if plan.milestones().any(|(_, m)| m.reference.as_str() == code) {
                format!(
                    "milestone {code:?} of plan {} is not one of unit {}'s milestones for {}",
                    plan.plan.reference, self.scope.unit.reference, self.scope.quarter.year
                )
            } else {
                format!(
                    "no milestone {code:?} in plan {}; expected a ref from the template",
                    plan.plan.reference
                )
            };
            self.problem(e.at("ref"), msg);
            return None;
        };
        if let Some(first) = seen.insert(m.reference.clone(), e.at.row) {
            self.problem(e.at("ref"), format!("milestone {code} is given again (first in row {first}); give each milestone once"));
            return None;
        }
        if !e.has_input(layout::MILESTONE_COLUMNS) {
            return None;
        }
        let status_text = e.text("progress").to_lowercase().replace(' ', "-");
        let status = if status_text.is_empty() {
            None
        } else {
            match status_text.parse::<ProgressStatus>() {
                Ok(s) => Some(s),
                Err(_) => {
                    self.problem(
                        e.at("progress"),
                        format!(
                            "{:?} is not a progress; expected one of {}",
                            e.text("progress"),
                            ProgressStatus::choices()
                        ),
                    );
                    return None;
                }
            }
        };
        let completed = self.date(&e);
        let mut ok = true;
        match (
            status,
            completed.is_some() || !e.text("completed").is_empty(),
        ) {
            (Some(ProgressStatus::Complete), false) => {
                self.problem(
                    e.at("completed"),
                    "a complete milestone needs the date it was completed, such as 2012-09-14",
                );
                ok = false;
            }
            (Some(ProgressStatus::Complete), true) | (None, false) => {}
            (_, true) => {
                self.problem(e.at("completed"), "a completion date is given but Progress is not complete; clear the date or set Progress to complete");
                ok = false;
            }
            (Some(_), false) => {}
        }
        let officer = self.officer(&e);
        let commentary = Self::commentary(&e);
        if matches!(
            status,
            Some(ProgressStatus::AtRisk | ProgressStatus::OffTrack)
        ) {
            let (existing, _) =
                own_commentary(self.scope.record, CommentaryAbout::Milestones, |x| {
                    x == m.reference.as_str()
                });
            if commentary.is_none() && existing.is_empty() {
                self.problem(
                    e.at("commentary"),
                    format!(
                        "milestone {} is {}: commentary is required, saying what is being done",
                        m.reference,
                        status.map_or("", |s| s.as_str())
                    ),
                );
            }
        }
        ok.then_some(MilestoneUpdate {
            milestone: m,
            progress: status.map(|s| (s, completed)),
            officer,
            commentary,
        })
    }

    fn score(&mut self, e: &Entry, key: &'static str, side: u8) -> Option<u8> {
        let t = e.text(key);
        if t.is_empty() {
            return None;
        }
        match t.parse::<u8>() {
            Ok(n) if (1..=side).contains(&n) => Some(n),
            _ => {
                self.problem(
                    e.at(key),
                    format!("{t:?} is not a {key}; expected a whole number from 1 to {side}"),
                );
                None
            }
        }
    }

    fn risk(&mut self, e: Entry, seen: &mut HashMap<Ref, usize>) -> Option<RiskChange<'a>> {
        let code = e.text("ref").to_string();
        if code.is_empty() {
            if e.has_input(layout::RISK_COLUMNS) {
                self.problem(
                    e.at("ref"),
                    "this row has values but no Ref; expected the risk's ref",
                );
            }
            return None;
        }
        let Some(r) = self
            .scope
            .risks
            .iter()
            .copied()
            .find(|r| r.reference.as_str() == code)
        else {
            self.problem(
                e.at("ref"),
                format!(
                    "no risk {code:?} of unit {} in plan {}; expected a ref from the template",
                    self.scope.unit.reference, self.scope.plan.plan.reference
                ),
            );
            return None;
        };
        if let Some(first) = seen.insert(r.reference.clone(), e.at.row) {
            self.problem(
                e.at("ref"),
                format!("risk {code} is given again (first in row {first}); give each risk once"),
            );
            return None;
        }
        if !e.has_input(layout::RISK_COLUMNS) {
            return None;
        }
        let side = beacon_app::status::settings(self.data).matrix.side;
        let l = self.score(&e, "likelihood", side);
        let i = self.score(&e, "impact", side);
        let assessment = match (
            l,
            i,
            e.text("likelihood").is_empty(),
            e.text("impact").is_empty(),
        ) {
            (Some(l), Some(i), _, _) => Some((l, i)),
            (Some(_), None, _, true) => {
                self.problem(
                    e.at("impact"),
                    "a likelihood is given without an impact; give both, or neither",
                );
                None
            }
            (None, Some(_), true, _) => {
                self.problem(
                    e.at("likelihood"),
                    "an impact is given without a likelihood; give both, or neither",
                );
                None
            }
            _ => None,
        };
        let officer = self.officer(&e);
        let progress = {
            let t = e.text("progress");
            (!t.is_empty()).then(|| t.replace("\r\n", "\n"))
        };
        Some(RiskChange {
            risk: r,
            assessment,
            progress,
            officer,
        })
    }
}

fn new_record(scope: &Scope<'_>) -> QuarterRecord {
    QuarterRecord {
        header: QuarterHeader {
            unit: scope.unit.reference.clone(),
            period: scope.quarter,
            plan: scope.plan.plan.reference.clone(),
            title: "Performance Overview Report".into(),
            introduction: None,
            equality_summary: None,
        },
        key_developments: Vec::new(),
        emerging_issues: Vec::new(),
        risk_updates: Vec::new(),
        equality_updates: Vec::new(),
        values: Vec::new(),
        progress: Vec::new(),
        commentary: Vec::new(),
    }
}

/// The same value as stored: the same number and qualifiers (and, without a number, the same
/// words). A value sent back unchanged keeps the words it was printed with.
fn same_value(stored: &Measure, new: &Measure) -> bool {
    stored.value() == new.value()
        && stored.qualifiers() == new.qualifiers()
        && (stored.value().is_some() || stored.text() == new.text())
}

/// Puts an item's own commentary in place: replaces the paragraphs that speak of it alone (at
/// the first one's position), or follows its section's last paragraph, or goes at the end.
fn put_commentary(record: &mut QuarterRecord, c: Commentary, is_item: impl Fn(&str) -> bool) {
    let own = |x: &Commentary| {
        x.about == c.about && x.refs.len() == 1 && x.refs.iter().all(|r| is_item(r.as_str()))
    };
    let at = record.commentary.iter().position(own).or_else(|| {
        record
            .commentary
            .iter()
            .rposition(|x| x.priority == c.priority && x.about == c.about)
            .map(|i| i + 1)
    });
    record.commentary.retain(|x| !own(x));
    let at = at.map_or(record.commentary.len(), |i| i.min(record.commentary.len()));
    record.commentary.insert(at, c);
}

/// Checks a book as a collection file and works out what it changes. Every problem is
/// reported; nothing is changed unless there are none.
pub fn import_book(
    book: &Book,
    data: &CouncilData,
    expect: &Expect,
) -> Result<QuarterChanges, Vec<CellProblem>> {
    let mut problems = Vec::new();
    let parsed = if book.sheet(layout::ABOUT).is_some() || book.sheets.iter().any(|s| !s.csv) {
        parse_workbook(book, &mut problems)
    } else if let [sheet] = book.sheets.as_slice() {
        parse_csv(sheet, &mut problems)
    } else {
        problems.push(CellProblem::new(
            &Loc::sheet(layout::ABOUT),
            "the file holds no sheets; it is not a Beacon collection workbook (there is no About sheet)",
        ));
        None
    };
    let Some(parsed) = parsed else {
        return Err(problems);
    };
    let Some((unit, quarter, plan)) = check_about(&parsed.about, data, expect, &mut problems)
    else {
        return Err(problems);
    };
    let scope = match Scope::resolve(data, &unit, quarter, Some(&plan)) {
        Ok(s) => s,
        Err(msg) => {
            let at = parsed
                .about
                .get("unit")
                .map_or(Loc::sheet(layout::ABOUT), |f| f.at.clone());
            problems.push(CellProblem::new(&at, msg));
            return Err(problems);
        }
    };
    let mut c = Checker {
        data,
        scope,
        problems,
    };
    let (mut inds, mut mils, mut risks) = (Vec::new(), Vec::new(), Vec::new());
    let (mut si, mut sm, mut sr) = (HashMap::new(), HashMap::new(), HashMap::new());
    for e in parsed.entries {
        match e.kind {
            Kind::Indicator => inds.extend(c.indicator(e, &mut si)),
            Kind::Milestone => mils.extend(c.milestone(e, &mut sm)),
            Kind::Risk => risks.extend(c.risk(e, &mut sr)),
        }
    }
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let scope = c.scope.clone();
    let (record, plan_document, changes) = merge(&scope, &inds, &mils, &risks);

    // Checks on the whole quarter as it would be stored.
    let mut merged = data.clone();
    merged
        .quarters
        .retain(|q| !(q.header.unit == record.header.unit && q.header.period == quarter));
    merged.quarters.push(record.clone());
    if let Some(p) = &plan_document {
        merged
            .plans
            .retain(|x| x.plan.reference != p.plan.reference);
        merged.plans.push(p.clone());
    }
    merged.normalise();
    for f in crate::check::check(&merged) {
        c.problem(
            Loc::sheet(layout::ABOUT),
            format!(
                "the quarter would not fit the council's data: {}.{}: {}",
                f.item.table(),
                f.field,
                f.message
            ),
        );
    }
    let report = status_report(
        &merged,
        &StatusQuery {
            quarter,
            plan: Some(plan.clone()),
            unit: None,
        },
    );
    for u in inds.iter().filter(|u| u.measure.is_some()) {
        let red = report
            .indicators
            .iter()
            .any(|s| s.reference == u.indicator.reference && s.status == Rag::Red);
        let refer = u.measure.as_ref().is_some_and(|m| {
            m.value().is_none() && m.text().to_lowercase().starts_with("refer comment")
        });
        let said = record
            .commentary
            .iter()
            .any(|x| x.refs.iter().any(|r| u.indicator.answers_to(r.as_str())));
        if (red || refer) && !said {
            let why = if refer {
                "the value says \"Refer comment\""
            } else {
                "this value misses the target (Red)"
            };
            c.problem(
                u.entry.at("commentary"),
                format!("indicator {}: commentary is required because {why}; say why and what is being done", u.indicator.reference),
            );
        }
    }
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(QuarterChanges {
        council: data.council.reference.clone(),
        unit,
        quarter,
        plan,
        record,
        plan_document,
        changes,
    })
}

fn check_about(
    about: &HashMap<&'static str, Field>,
    data: &CouncilData,
    expect: &Expect,
    problems: &mut Vec<CellProblem>,
) -> Option<(Ref, Quarter, Ref)> {
    let before = problems.len();
    let get = |k: &'static str, problems: &mut Vec<CellProblem>| -> Option<&Field> {
        let f = about.get(k);
        if f.is_none_or(|f| f.text.is_empty()) {
            problems.push(CellProblem::new(
                &f.map_or(Loc::sheet(layout::ABOUT), |f| f.at.clone()),
                format!("the file does not say its {k}; download a new template"),
            ));
            return None;
        }
        f
    };
    if let Some(f) = get("format", problems)
        && f.text != layout::FORMAT
    {
        problems.push(CellProblem::new(&f.at, format!("format {:?} is not {:?}; this file is not a Beacon collection workbook of this version", f.text, layout::FORMAT)));
    }
    if let Some(f) = get("council", problems)
        && f.text != data.council.reference.as_str()
    {
        problems.push(CellProblem::new(
            &f.at,
            format!(
                "this file is for council {:?}, not {}",
                f.text, data.council.reference
            ),
        ));
    }
    let unit = get("unit", problems).and_then(|f| match f.text.parse::<Ref>() {
        Ok(u) if expect.unit.as_ref().is_some_and(|e| e != &u) => {
            let e = expect.unit.as_ref().map(Ref::to_string).unwrap_or_default();
            problems.push(CellProblem::new(
                &f.at,
                format!("this file is for unit {u}, not {e}"),
            ));
            None
        }
        Ok(u) => Some(u),
        Err(e) => {
            problems.push(CellProblem::new(&f.at, e.to_string()));
            None
        }
    });
    let quarter = get("quarter", problems).and_then(|f| match f.text.parse::<Quarter>() {
        Ok(q) if expect.quarter.is_some_and(|e| e != q) => {
            let e = expect.quarter.map(|q| q.to_string()).unwrap_or_default();
            problems.push(CellProblem::new(
                &f.at,
                format!("this file is for {q}, not {e}"),
            ));
            None
        }
        Ok(q) => Some(q),
        Err(e) => {
            problems.push(CellProblem::new(&f.at, e.to_string()));
            None
        }
    });
    let plan = get("plan", problems).and_then(|f| match f.text.parse::<Ref>() {
        Ok(p) => Some(p),
        Err(e) => {
            problems.push(CellProblem::new(&f.at, e.to_string()));
            None
        }
    });
    if problems.len() > before {
        return None;
    }
    Some((unit?, quarter?, plan?))
}

fn merge(
    scope: &Scope<'_>,
    inds: &[IndicatorUpdate<'_>],
    mils: &[MilestoneUpdate<'_>],
    risks: &[RiskChange<'_>],
) -> (QuarterRecord, Option<PlanDocument>, Vec<String>) {
    let mut record = scope.record.cloned().unwrap_or_else(|| new_record(scope));
    let mut changes = Vec::new();
    for u in inds {
        let ind = u.indicator;
        if let Some(m) = &u.measure {
            let i = record
                .values
                .iter()
                .position(|v| v.period == u.period && ind.answers_to(v.indicator.as_str()));
            match i.and_then(|i| record.values.get_mut(i)) {
                Some(v) => {
                    // A value sent back unchanged stays as it was, with whoever entered it.
                    if !same_value(&v.value, m) {
                        v.value = m.clone();
                        v.officer = u.officer.clone();
                        changes.push(format!(
                            "value of {} for {}: {}",
                            ind.reference, u.period, v.value
                        ));
                    }
                }
                None => {
                    record.values.push(ValueEntry {
                        indicator: ind.reference.clone(),
                        period: u.period,
                        value: m.clone(),
                        officer: u.officer.clone(),
                    });
                    changes.push(format!("value of {} for {}: {m}", ind.reference, u.period));
                }
            }
        }
        if let Some(text) = &u.commentary {
            let (existing, said_by) =
                own_commentary(Some(&record), CommentaryAbout::Indicators, |x| {
                    ind.answers_to(x)
                });
            if existing != text.trim() {
                let initials = u.officer.clone().or_else(|| said_by.parse().ok());
                put_commentary(
                    &mut record,
                    Commentary {
                        priority: ind.priority.clone(),
                        about: CommentaryAbout::Indicators,
                        text: text.trim().to_string(),
                        initials: initials.into_iter().collect(),
                        refs: vec![ind.reference.clone()],
                    },
                    |x| ind.answers_to(x),
                );
                changes.push(format!("commentary on indicator {}", ind.reference));
            }
        }
    }
    for u in mils {
        let m = u.milestone;
        if let Some((status, completed)) = u.progress {
            let existing = record
                .progress
                .iter()
                .position(|p| p.milestone == m.reference);
            let initials: Vec<Ref> =
                match (&u.officer, existing.and_then(|i| record.progress.get(i))) {
                    (Some(o), _) => vec![o.clone()],
                    (None, Some(p)) => p.initials.clone(),
                    (None, None) => Vec::new(),
                };
            let new = Progress {
                milestone: m.reference.clone(),
                status,
                completed,
                initials,
            };
            match existing.and_then(|i| record.progress.get_mut(i)) {
                Some(p) if *p == new => {}
                Some(p) => {
                    *p = new;
                    changes.push(format!("progress of milestone {}: {status}", m.reference));
                }
                None => {
                    record.progress.push(new);
                    changes.push(format!("progress of milestone {}: {status}", m.reference));
                }
            }
        }
        if let Some(text) = &u.commentary {
            let is = |x: &str| x == m.reference.as_str();
            let (existing, said_by) =
                own_commentary(Some(&record), CommentaryAbout::Milestones, is);
            if existing != text.trim() {
                let initials = u.officer.clone().or_else(|| said_by.parse().ok());
                put_commentary(
                    &mut record,
                    Commentary {
                        priority: m.priority.clone(),
                        about: CommentaryAbout::Milestones,
                        text: text.trim().to_string(),
                        initials: initials.into_iter().collect(),
                        refs: vec![m.reference.clone()],
                    },
                    is,
                );
                changes.push(format!("commentary on milestone {}", m.reference));
            }
        }
    }
    let mut plan = scope.plan.clone();
    let mut plan_changed = false;
    for r in risks {
        if let Some(text) = &r.progress {
            let existing: Vec<&RiskUpdate> = record
                .risk_updates
                .iter()
                .filter(|u| u.risk == r.risk.reference)
                .collect();
            let joined = existing
                .iter()
                .map(|u| u.text.trim())
                .collect::<Vec<_>>()
                .join("\n\n");
            if joined != text.trim() {
                let title = existing.first().and_then(|u| u.title.clone());
                let at = record
                    .risk_updates
                    .iter()
                    .position(|u| u.risk == r.risk.reference);
                record.risk_updates.retain(|u| u.risk != r.risk.reference);
                let at = at.map_or(record.risk_updates.len(), |i| {
                    i.min(record.risk_updates.len())
                });
                record.risk_updates.insert(
                    at,
                    RiskUpdate {
                        risk: r.risk.reference.clone(),
                        title,
                        text: text.trim().to_string(),
                        initials: r.officer.iter().cloned().collect(),
                    },
                );
                changes.push(format!("progress on risk {}", r.risk.reference));
            }
        }
        if let Some((l, i)) = r.assessment
            && let Some(pr) = plan
                .risks
                .iter_mut()
                .find(|x| x.reference == r.risk.reference)
        {
            let same = pr
                .residual
                .as_ref()
                .is_some_and(|a| a.likelihood == Some(l) && a.impact == Some(i));
            if !same {
                pr.residual = Some(RiskAssessment {
                    score: None,
                    likelihood: Some(l),
                    impact: Some(i),
                    band: None,
                });
                plan_changed = true;
                changes.push(format!(
                    "current assessment of risk {}: likelihood {l} × impact {i} = {}",
                    r.risk.reference,
                    l * i
                ));
            }
        }
    }
    (record, plan_changed.then_some(plan), changes)
}

/// The change set that stores the changes: the unit's quarter record (and the plan, when a
/// risk's assessment changed), in one transaction.
pub fn change_set(data: &CouncilData, ch: &QuarterChanges, by: &Actor) -> ChangeSet {
    let mut set = ChangeSet::default();
    if ch.changes.is_empty() {
        return set;
    }
    let changes = CouncilChanges {
        plans: ch.plan_document.iter().cloned().collect(),
        quarters: vec![ch.record.clone()],
        ..CouncilChanges::council_only(&data.council)
    };
    beacon_app::commit::stage(&mut set, Some(data), changes, by, None);
    set
}

/// Stores checked changes in one transaction, with their audit notes; nothing when they
/// change nothing. Refused whole if the quarter is signed off or published.
pub async fn apply<S: Store>(
    store: &S,
    data: &CouncilData,
    ch: &QuarterChanges,
    by: &Actor,
) -> Result<(), AppError> {
    let set = change_set(data, ch, by);
    if !set.councils.is_empty() {
        store.apply(&set).await?;
    }
    Ok(())
}

/// The council a collection file says it is for, if it says one (to know which council's data
/// to check it against).
pub fn council_named(book: &Book) -> Option<String> {
    if let Some(about) = book.sheet(layout::ABOUT) {
        return (0..about.height())
            .find(|r| about.get(*r, 0).trim().eq_ignore_ascii_case("council"))
            .map(|r| about.get(r, 1).trim().to_string());
    }
    let [sheet] = book.sheets.as_slice() else {
        return None;
    };
    let c = (0..sheet.width()).find(|c| sheet.get(0, *c).trim().eq_ignore_ascii_case("council"))?;
    (1..sheet.height())
        .map(|r| sheet.get(r, c).trim())
        .find(|t| !t.is_empty())
        .map(str::to_string)
}
