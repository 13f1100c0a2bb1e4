//! Loading a filled-in collection workbook (or its CSV form) back: the whole file is checked
//! first (whose quarter it is, every ref, every number in the indicator's own forms, words and
//! qualifiers from the allowed lists, required commentary) and every problem is reported with
//! its sheet, row and column. Only a file without problems becomes `QuarterChanges`: the unit's
//! quarterly record with the file's values, progress and commentary merged in (its narratives
//! kept), applied in one change set.
//!
//! The rules of recording a quarter (values and their data-quality limits, progress and its
//! date, required commentary, who entered what, what is unchanged) are the use case's,
//! `beacon_app::recording`: this module turns rows (the risk sheet's too: progress on each
//! risk's treatment and its likelihood and impact this quarter) into its entry and its problems
//! into cells. A quarter that is signed off or published, or whose unit
//! above is, refuses the whole file.

use crate::sheets::grid::{Book, Sheet};
use crate::sheets::layout::{self, Column};
use crate::sheets::limits::Limits;
use crate::sheets::neutralise::restore;
use crate::sheets::problem::{CellProblem, Loc, SheetError};
use crate::sheets::scope::Scope;
use beacon_app::audit::Actor;
use beacon_app::recording::{
    self, Author, Field as EntryField, IndicatorInput, MilestoneInput, RiskInput, Seen, Spot,
};
use beacon_app::{AppError, ChangeSet, CouncilChanges, CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use beacon_domain::quarter::{QuarterHeader, QuarterRecord};
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

/// The column a problem of the use case is about.
fn column(f: EntryField) -> &'static str {
    match f {
        EntryField::Value => "value",
        EntryField::Words => "words",
        EntryField::Qualifier => "qualifier",
        EntryField::Period => "period",
        EntryField::Commentary => "commentary",
        EntryField::Progress => "progress",
        EntryField::Completed => "completed",
        EntryField::Officer => "officer",
        EntryField::Likelihood => "likelihood",
        EntryField::Impact => "impact",
        // A risk's progress text.
        EntryField::Text => "progress",
        _ => "ref",
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

/// A row of the file that carries an item, with the item's fields for the use case.
struct Carried<T> {
    input: T,
    entry: Entry,
}

/// A cell's text, `None` when blank (a blank cell keeps what is stored).
fn cell(e: &Entry, key: &str) -> Option<String> {
    let t = e.text(key);
    (!t.is_empty()).then(|| t.to_string())
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

    fn indicator(
        &mut self,
        e: Entry,
        seen: &mut HashMap<Ref, usize>,
    ) -> Option<Carried<IndicatorInput>> {
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
        let measured = !e.text("value").is_empty() || !e.text("words").is_empty();
        let input = IndicatorInput {
            indicator: ind.reference.to_string(),
            period: cell(&e, "period"),
            // A row with a value or words carries the measure whole; else it keeps it.
            value: measured.then(|| e.text("value").to_string()),
            words: measured.then(|| e.text("words").to_string()),
            qualifier: Some(e.text("qualifier").to_string()),
            commentary: cell(&e, "commentary"),
            status: None,
            reason: None,
            officer: cell(&e, "officer"),
        };
        Some(Carried { input, entry: e })
    }

    fn milestone(
        &mut self,
        e: Entry,
        seen: &mut HashMap<Ref, usize>,
    ) -> Option<Carried<MilestoneInput>> {
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
        let dated = !e.text("progress").is_empty() || !e.text("completed").is_empty();
        let input = MilestoneInput {
            milestone: m.reference.to_string(),
            progress: dated.then(|| e.text("progress").to_string()),
            completed: dated.then(|| e.text("completed").to_string()),
            commentary: cell(&e, "commentary"),
            status: None,
            reason: None,
            officer: cell(&e, "officer"),
        };
        Some(Carried { input, entry: e })
    }

    fn risk(&mut self, e: Entry, seen: &mut HashMap<Ref, usize>) -> Option<Carried<RiskInput>> {
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
        // Blank cells keep what is stored; the scores are checked by the council's matrix in
        // the recording use case, as on the entry form.
        Some(Carried {
            input: RiskInput {
                risk: r.reference.to_string(),
                progress: cell(&e, "progress").map(|t| t.replace("\r\n", "\n")),
                likelihood: cell(&e, "likelihood"),
                impact: cell(&e, "impact"),
                officer: cell(&e, "officer"),
            },
            entry: e,
        })
    }
}

fn new_record(scope: &Scope<'_>) -> QuarterRecord {
    QuarterRecord {
        header: QuarterHeader {
            // Kept by the unit that owns the plan (docs/governance.md, "Units' quarters").
            unit: scope.plan.plan.unit.clone(),
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

/// Reads a book as a collection workbook (it has an About sheet, or is not a single CSV
/// sheet) or as a collection CSV file.
fn parse_book(book: &Book, problems: &mut Vec<CellProblem>) -> Option<Parsed> {
    if book.sheet(layout::ABOUT).is_some() || book.sheets.iter().any(|s| !s.csv) {
        parse_workbook(book, problems)
    } else if let [sheet] = book.sheets.as_slice() {
        parse_csv(sheet, problems)
    } else {
        problems.push(CellProblem::new(
            &Loc::sheet(layout::ABOUT),
            "the file holds no sheets; it is not a Beacon collection workbook (there is no About sheet)",
        ));
        None
    }
}

/// The file's rows as the use case's entry: a file has no version, and each row names the
/// officer it is entered for.
fn entry_of(
    about: (&Ref, Quarter, &Ref),
    inds: &[Carried<IndicatorInput>],
    mils: &[Carried<MilestoneInput>],
    risks: &[Carried<RiskInput>],
) -> recording::Entry {
    let (unit, quarter, plan) = about;
    recording::Entry {
        unit: unit.clone(),
        quarter,
        plan: Some(plan.clone()),
        seen: Seen::File,
        author: Author {
            user: String::new(),
            display_name: String::new(),
            may_enter_for_others: true,
            on_behalf_of: None,
            at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        },
        indicators: inds.iter().map(|x| x.input.clone()).collect(),
        milestones: mils.iter().map(|x| x.input.clone()).collect(),
        narratives: Vec::new(),
        risks: risks.iter().map(|x| x.input.clone()).collect(),
        equalities: Vec::new(),
    }
}

impl Checker<'_> {
    /// Every rule of recording a quarter is the use case's: the file only names the cells.
    /// Each problem it finds is put at the cell of the row and field it names.
    fn prepare(
        &mut self,
        entry: &recording::Entry,
        inds: &[Carried<IndicatorInput>],
        mils: &[Carried<MilestoneInput>],
        risks: &[Carried<RiskInput>],
    ) -> Option<recording::Prepared> {
        match recording::prepare(self.data, entry) {
            Ok(p) => Some(p),
            Err(ps) => {
                for p in ps {
                    let at = match p.spot {
                        Spot::Indicator(n) => inds.get(n).map(|x| x.entry.at(column(p.field))),
                        Spot::Milestone(n) => mils.get(n).map(|x| x.entry.at(column(p.field))),
                        Spot::Risk(n) => risks.get(n).map(|x| x.entry.at(column(p.field))),
                        _ => None,
                    };
                    self.problem(at.unwrap_or_else(|| Loc::sheet(layout::ABOUT)), p.message);
                }
                None
            }
        }
    }

    /// Checks the whole quarter as it would be stored against the council's data.
    fn check_stored(&mut self, record: &QuarterRecord, quarter: Quarter) {
        let mut merged = self.data.clone();
        merged
            .quarters
            .retain(|q| !(q.header.unit == record.header.unit && q.header.period == quarter));
        merged.quarters.push(record.clone());
        merged.normalise();
        for f in crate::check::check(&merged) {
            self.problem(
                Loc::sheet(layout::ABOUT),
                format!(
                    "the quarter would not fit the council's data: {}.{}: {}",
                    f.item.table(),
                    f.field,
                    f.message
                ),
            );
        }
    }
}

/// Checks a book as a collection file and works out what it changes. Every problem is
/// reported; nothing is changed unless there are none.
pub fn import_book(
    book: &Book,
    data: &CouncilData,
    expect: &Expect,
) -> Result<QuarterChanges, Vec<CellProblem>> {
    let mut problems = Vec::new();
    let Some(parsed) = parse_book(book, &mut problems) else {
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
    let entry = entry_of((&unit, quarter, &plan), &inds, &mils, &risks);
    let prepared = c.prepare(&entry, &inds, &mils, &risks);
    let Some(prepared) = prepared.filter(|_| c.problems.is_empty()) else {
        return Err(c.problems);
    };
    let scope = c.scope.clone();
    let record = prepared
        .changes
        .quarters
        .first()
        .cloned()
        .or_else(|| scope.record.cloned())
        .unwrap_or_else(|| new_record(&scope));
    let changes = prepared.described;
    c.check_stored(&record, quarter);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(QuarterChanges {
        council: data.council.reference.clone(),
        unit,
        quarter,
        plan,
        record,
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

/// The change set that stores the changes: the unit's quarter record (and the plan, when a
/// risk's assessment changed), in one transaction.
pub fn change_set(data: &CouncilData, ch: &QuarterChanges, by: &Actor) -> ChangeSet {
    let mut set = ChangeSet::default();
    if ch.changes.is_empty() {
        return set;
    }
    let changes = CouncilChanges {
        quarters: vec![ch.record.clone()],
        ..CouncilChanges::council_only(&data.council)
    };
    // Guarded by the unit's own quarter too, and every unit's above (its lock).
    let mut touched = beacon_app::commit::touched_quarters(Some(data), &changes);
    touched.push((ch.unit.clone(), ch.quarter));
    set.guards = beacon_app::commit::guards(Some(data), &changes, &touched, None, by);
    set.audit
        .extend(beacon_app::audit::change_notes(Some(data), &changes, by));
    set.councils.push(changes);
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
