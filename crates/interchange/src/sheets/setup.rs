//! Bulk set-up: indicator definitions, targets and values for many periods, read from an XLSX
//! workbook (sheets `Indicators`, `Targets`, `Values`) or CSV files (one table each, told apart
//! by their headings), checked as a whole, and merged into the council's existing plans. Every
//! problem is reported with its sheet, row and column; nothing is loaded unless there are none.
//! The columns are documented in `docs/spreadsheet-formats.md`.

use crate::sheets::grid::{Book, Sheet};
use crate::sheets::layout::{Column, find_columns};
use crate::sheets::neutralise::restore;
use crate::sheets::problem::{CellProblem, Loc};
use beacon_app::{CouncilData, Dataset};
use beacon_domain::Ref;
use beacon_domain::indicator::{
    Accumulation, Baseline, Calendar, Category, Frequency, Indicator, MeasureUnit,
};
use beacon_domain::measure::{Measure, read_number};
use beacon_domain::period::Period;
use beacon_domain::plan::PlanDocument;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// Which table a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetupTable {
    Indicators,
    Targets,
    Values,
}

const fn col(key: &'static str, input: bool) -> Column {
    Column {
        key,
        heading: key,
        input,
        width: 0,
    }
}

/// Indicator definitions: `plan`, `ref` and (for a new indicator) `description` are required.
pub const INDICATOR_COLUMNS: &[Column] = &[
    col("plan", true),
    col("ref", true),
    col("description", false),
    col("printed_ref", false),
    col("aliases", false),
    col("unit", false),
    col("group", false),
    col("category", false),
    col("key", false),
    col("measure", false),
    col("better", false),
    col("frequency", false),
    col("accumulation", false),
    col("calendar", false),
    col("data_source", false),
    col("notes", false),
    col("links", false),
    col("priority", false),
    col("tolerance_percent", false),
    col("officer", false),
    col("baseline_period", false),
    col("baseline", false),
];

/// Targets by financial year (or any period).
pub const TARGET_COLUMNS: &[Column] = &[
    col("plan", true),
    col("indicator", true),
    col("period", true),
    col("target", true),
];

/// Values (actuals) by period.
pub const VALUE_COLUMNS: &[Column] = &[
    col("plan", true),
    col("indicator", true),
    col("period", true),
    col("value", true),
];

impl SetupTable {
    pub fn columns(self) -> &'static [Column] {
        match self {
            SetupTable::Indicators => INDICATOR_COLUMNS,
            SetupTable::Targets => TARGET_COLUMNS,
            SetupTable::Values => VALUE_COLUMNS,
        }
    }
    fn of_sheet(s: &Sheet) -> Option<SetupTable> {
        match s.name.trim().to_lowercase().as_str() {
            "indicators" => return Some(SetupTable::Indicators),
            "targets" => return Some(SetupTable::Targets),
            "values" => return Some(SetupTable::Values),
            _ => {}
        }
        if !s.csv {
            return None;
        }
        let heads: Vec<String> = s.row(0).iter().map(|h| h.trim().to_lowercase()).collect();
        let has = |k: &str| heads.iter().any(|h| h == k);
        if has("description") || (has("ref") && !has("indicator")) {
            Some(SetupTable::Indicators)
        } else if has("target") {
            Some(SetupTable::Targets)
        } else if has("value") {
            Some(SetupTable::Values)
        } else {
            None
        }
    }
}

/// What a set-up file changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupChanges {
    /// The plans that change, whole.
    pub plans: Vec<PlanDocument>,
    pub indicators_added: usize,
    pub indicators_updated: usize,
    pub targets: usize,
    pub values: usize,
}

impl SetupChanges {
    /// The dataset to hand to `beacon_app::load`: only the changed plans.
    pub fn dataset(&self, data: &CouncilData) -> Dataset {
        let mut c = CouncilData::new(data.council.clone());
        c.plans = self.plans.clone();
        c.normalise();
        Dataset {
            councils: vec![c],
            calendars: Vec::new(),
        }
    }
}

/// Columns found by their headings: key to (column, heading).
type Columns = HashMap<&'static str, (u32, &'static str)>;

/// How far a long file has got: rows done, rows in all.
pub type ProgressFn<'a> = &'a mut dyn FnMut(usize, usize);

struct Row<'s> {
    sheet: &'s Sheet,
    row: u32,
    cols: &'s HashMap<&'static str, (u32, &'static str)>,
}

impl Row<'_> {
    fn text(&self, key: &str) -> String {
        self.cols.get(key).map_or(String::new(), |(c, _)| {
            restore(self.sheet.get(self.row, *c)).trim().to_string()
        })
    }
    fn at(&self, key: &str) -> Loc {
        self.cols.get(key).map_or_else(
            || self.sheet.row_loc(self.row),
            |(c, h)| self.sheet.loc(self.row, *c, h),
        )
    }
}

struct Work<'a> {
    data: &'a CouncilData,
    plans: BTreeMap<Ref, PlanDocument>,
    problems: Vec<CellProblem>,
    /// Where each indicator was defined, and each target or value given.
    defined: HashMap<(Ref, Ref), Loc>,
    given: HashMap<(SetupTable, Ref, Ref, Period), (Measure, usize)>,
    out: SetupChanges,
}

impl Work<'_> {
    fn problem(&mut self, at: Loc, msg: impl Into<String>) {
        self.problems.push(CellProblem::new(&at, msg));
    }

    fn plan(&mut self, r: &Row<'_>) -> Option<Ref> {
        let t = r.text("plan");
        let Ok(p) = t.parse::<Ref>() else {
            self.problem(
                r.at("plan"),
                "no plan ref; expected the ref of one of the council's plans",
            );
            return None;
        };
        if !self.plans.contains_key(&p) {
            match self.data.plan(p.as_str()) {
                Some(doc) => {
                    self.plans.insert(p.clone(), doc.clone());
                }
                None => {
                    let known: Vec<&str> = self
                        .data
                        .plans
                        .iter()
                        .map(|d| d.plan.reference.as_str())
                        .collect();
                    self.problem(
                        r.at("plan"),
                        format!(
                            "no plan {p} in council {}; expected one of {}",
                            self.data.council.reference,
                            known.join(", ")
                        ),
                    );
                    return None;
                }
            }
        }
        Some(p)
    }

    fn parse<T: FromStr<Err = beacon_domain::ParseError>>(
        &mut self,
        r: &Row<'_>,
        key: &str,
    ) -> Option<Option<T>> {
        let t = r.text(key);
        if t.is_empty() {
            return Some(None);
        }
        match t.parse::<T>() {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                self.problem(r.at(key), e.to_string());
                None
            }
        }
    }

    fn refs(&mut self, r: &Row<'_>, key: &str) -> Option<Option<Vec<Ref>>> {
        let t = r.text(key);
        if t.is_empty() {
            return Some(None);
        }
        let mut out = Vec::new();
        for part in t.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<Ref>() {
                Ok(x) => out.push(x),
                Err(e) => {
                    self.problem(r.at(key), format!("{e} (refs are separated by ';')"));
                    return None;
                }
            }
        }
        Some(Some(out))
    }

    fn key_flag(&mut self, r: &Row<'_>) -> Option<Option<bool>> {
        match r.text("key").to_lowercase().as_str() {
            "" => Some(None),
            "yes" | "y" | "true" | "1" => Some(Some(true)),
            "no" | "n" | "false" | "0" => Some(Some(false)),
            other => {
                self.problem(r.at("key"), format!("{other:?} is not yes or no"));
                None
            }
        }
    }

    fn tolerance(&mut self, r: &Row<'_>) -> Option<Option<rust_decimal::Decimal>> {
        match r.text("tolerance_percent") {
            t if t.is_empty() => Some(None),
            t => match read_number(&t) {
                Some(n) if n >= rust_decimal::Decimal::ZERO => Some(Some(n)),
                _ => {
                    self.problem(
                        r.at("tolerance_percent"),
                        format!("{t:?} is not a percentage such as 5"),
                    );
                    None
                }
            },
        }
    }

    fn baseline(&mut self, r: &Row<'_>) -> Option<Option<Baseline>> {
        match (r.text("baseline_period"), r.text("baseline")) {
            (p, v) if p.is_empty() && v.is_empty() => Some(None),
            (p, v) if p.is_empty() || v.is_empty() => {
                self.problem(
                    r.at(if p.is_empty() {
                        "baseline_period"
                    } else {
                        "baseline"
                    }),
                    "a baseline needs both baseline_period and baseline",
                );
                None
            }
            (p, v) => match (p.parse::<Period>(), Measure::parse(&v)) {
                (Ok(period), Ok(value)) => Some(Some(Baseline { period, value })),
                (Err(e), _) => {
                    self.problem(r.at("baseline_period"), e.to_string());
                    None
                }
                (_, Err(e)) => {
                    self.problem(r.at("baseline"), e.to_string());
                    None
                }
            },
        }
    }

    /// Every cell of an indicator row read, each problem reported; `None` if any was wrong.
    fn indicator_cells(&mut self, r: &Row<'_>) -> Option<IndicatorCells> {
        let printed_ref = self.parse::<Ref>(r, "printed_ref");
        let aliases = self.refs(r, "aliases");
        let unit = self.parse::<Ref>(r, "unit");
        let category = self.parse::<Category>(r, "category");
        let measure = self.parse::<MeasureUnit>(r, "measure");
        let better = self.parse::<beacon_domain::indicator::Better>(r, "better");
        let frequency = self.parse::<Frequency>(r, "frequency");
        let accumulation = self.parse::<Accumulation>(r, "accumulation");
        let calendar = self.parse::<Calendar>(r, "calendar");
        let links = self.refs(r, "links");
        let priority = self.parse::<Ref>(r, "priority");
        let key_flag = self.key_flag(r);
        let tolerance = self.tolerance(r);
        let baseline = self.baseline(r);
        Some(IndicatorCells {
            printed_ref: printed_ref?,
            aliases: aliases?,
            unit: unit?,
            category: category?,
            measure: measure?,
            better: better?,
            frequency: frequency?,
            accumulation: accumulation?,
            calendar: calendar?,
            links: links?,
            priority: priority?,
            key_flag: key_flag?,
            tolerance: tolerance?,
            baseline: baseline?,
        })
    }

    fn indicator_row(&mut self, r: &Row<'_>) {
        let Some(plan) = self.plan(r) else { return };
        let Ok(reference) = r.text("ref").parse::<Ref>() else {
            self.problem(
                r.at("ref"),
                "no indicator ref; expected a ref such as NI075 (1 to 64 characters)",
            );
            return;
        };
        let key = (plan.clone(), reference.clone());
        if let Some(first) = self.defined.get(&key) {
            let row = first.row;
            self.problem(r.at("ref"), format!("indicator {reference} of plan {plan} is defined again (first in row {row}); define it once"));
            return;
        }
        self.defined.insert(key, r.sheet.row_loc(r.row));
        let cells = self.indicator_cells(r);
        let description = r.text("description");
        let Some(doc) = self.plans.get_mut(&plan) else {
            return;
        };
        let existing = doc.indicators.iter().position(|i| i.reference == reference);
        if existing.is_none() && description.is_empty() {
            self.problem(
                r.at("description"),
                format!("indicator {reference} is new to plan {plan}: its description is required"),
            );
            return;
        }
        let Some(cells) = cells else {
            return;
        };
        let Some(doc) = self.plans.get_mut(&plan) else {
            return;
        };
        let ind = match existing.and_then(|i| doc.indicators.get_mut(i)) {
            Some(i) => {
                self.out.indicators_updated += 1;
                i
            }
            None => {
                doc.indicators
                    .push(new_indicator(reference.clone(), description.clone()));
                self.out.indicators_added += 1;
                let Some(i) = doc.indicators.last_mut() else {
                    return;
                };
                i
            }
        };
        cells.apply(ind, r, description);
    }

    fn measure_row(&mut self, r: &Row<'_>, table: SetupTable) {
        let Some(plan) = self.plan(r) else { return };
        let code = r.text("indicator");
        let field = if table == SetupTable::Targets {
            "target"
        } else {
            "value"
        };
        let period = match r.text("period").parse::<Period>() {
            Ok(p) => Some(p),
            Err(e) => {
                self.problem(r.at("period"), e.to_string());
                None
            }
        };
        let text = r.text(field);
        let measure = if text.is_empty() {
            self.problem(
                r.at(field),
                format!("no {field}; expected words such as \"54%\" or \"Not set\""),
            );
            None
        } else {
            match Measure::parse(&text) {
                Ok(m) => Some(m),
                Err(e) => {
                    self.problem(r.at(field), e.to_string());
                    None
                }
            }
        };
        let Some(doc) = self.plans.get(&plan) else {
            return;
        };
        let Some(reference) = doc
            .indicators
            .iter()
            .find(|i| i.reference.as_str() == code)
            .map(|i| i.reference.clone())
        else {
            let found = doc.indicators.iter().any(|i| i.answers_to(&code));
            let msg = if code.is_empty() {
                "no indicator ref; expected the ref of an indicator of the plan".to_string()
            } else if found {
                format!("{code:?} is an alias; give the indicator's own ref")
            } else {
                format!(
                    "no indicator {code:?} in plan {plan}; define it in the Indicators table or the plan file first"
                )
            };
            self.problem(r.at("indicator"), msg);
            return;
        };
        let (Some(period), Some(measure)) = (period, measure) else {
            return;
        };
        let key = (table, plan.clone(), reference.clone(), period);
        if let Some((first, row)) = self.given.get(&key) {
            if first != &measure {
                let row = *row;
                self.problem(r.at(field), format!("{field} for {reference} {period} is given again, differently (first in row {row}); give it once"));
            }
            return;
        }
        self.given
            .insert(key, (measure.clone(), r.row as usize + 1));
        let Some(ind) = self
            .plans
            .get_mut(&plan)
            .and_then(|d| d.indicators.iter_mut().find(|i| i.reference == reference))
        else {
            return;
        };
        match table {
            SetupTable::Targets => {
                ind.targets.insert(period, measure);
                self.out.targets += 1;
            }
            _ => {
                ind.values.insert(period, measure);
                self.out.values += 1;
            }
        }
    }
}

/// Reads set-up tables from books (a workbook, or CSV files), checks them against the council
/// and works out the plans they change. `progress` is told how far it has got, row by row.
pub fn read_setup(
    books: &[Book],
    data: &CouncilData,
    progress: ProgressFn<'_>,
) -> Result<SetupChanges, Vec<CellProblem>> {
    let mut w = Work {
        data,
        plans: BTreeMap::new(),
        problems: Vec::new(),
        defined: HashMap::new(),
        given: HashMap::new(),
        out: SetupChanges::default(),
    };
    let mut tables: Vec<(SetupTable, &Sheet, Columns)> = Vec::new();
    for s in books.iter().flat_map(|b| b.sheets.iter()) {
        let Some(t) = SetupTable::of_sheet(s) else {
            if s.csv {
                w.problem(Loc::sheet(&s.name), "cannot tell which table this is: expected the headings of indicators (plan, ref, description, …), targets (plan, indicator, period, target) or values (plan, indicator, period, value)");
            }
            continue;
        };
        match find_columns(s, 0, t.columns()) {
            Ok(cols) => tables.push((t, s, cols)),
            Err(mut ps) => w.problems.append(&mut ps),
        }
    }
    if tables.is_empty() && w.problems.is_empty() {
        w.problem(
            Loc::sheet("file"),
            "no Indicators, Targets or Values table found; see docs/spreadsheet-formats.md",
        );
    }
    // Definitions first, so targets and values may name indicators the same file defines.
    tables.sort_by_key(|(t, _, _)| *t as u8);
    let total: usize = tables
        .iter()
        .map(|(_, s, _)| s.height().saturating_sub(1) as usize)
        .sum();
    let mut done = 0;
    for (t, s, cols) in &tables {
        for row in 1..s.height() {
            if s.row_is_blank(row) {
                continue;
            }
            let r = Row {
                sheet: s,
                row,
                cols,
            };
            match t {
                SetupTable::Indicators => w.indicator_row(&r),
                _ => w.measure_row(&r, *t),
            }
            done += 1;
            if done % 256 == 0 || done == total {
                progress(done, total);
            }
        }
    }
    progress(total, total);
    if !w.problems.is_empty() {
        return Err(w.problems);
    }
    let mut merged = data.clone();
    for (r, doc) in &w.plans {
        merged.plans.retain(|p| &p.plan.reference != r);
        merged.plans.push(doc.clone());
    }
    merged.normalise();
    for f in crate::check::check(&merged) {
        let at = match &f.item {
            crate::parse::ItemKey::Indicator(p, i) => {
                w.defined.get(&(p.clone(), i.clone())).cloned()
            }
            _ => None,
        }
        .unwrap_or_else(|| Loc::sheet("file"));
        w.problem(at, format!("{}: {}", f.field, f.message));
    }
    if !w.problems.is_empty() {
        return Err(w.problems);
    }
    w.out.plans = w
        .plans
        .into_values()
        .filter(|p| data.plan(p.plan.reference.as_str()) != Some(p))
        .collect();
    Ok(w.out)
}

/// An indicator row's cells, read: each `None` where the cell is blank (the stored field
/// stays).
struct IndicatorCells {
    printed_ref: Option<Ref>,
    aliases: Option<Vec<Ref>>,
    unit: Option<Ref>,
    category: Option<Category>,
    measure: Option<MeasureUnit>,
    better: Option<beacon_domain::indicator::Better>,
    frequency: Option<Frequency>,
    accumulation: Option<Accumulation>,
    calendar: Option<Calendar>,
    links: Option<Vec<Ref>>,
    priority: Option<Ref>,
    key_flag: Option<bool>,
    tolerance: Option<rust_decimal::Decimal>,
    baseline: Option<Baseline>,
}

impl IndicatorCells {
    /// Sets every field the row gives; blank cells keep what is stored.
    fn apply(self, ind: &mut Indicator, r: &Row<'_>, description: String) {
        let text = |k: &str| Some(r.text(k)).filter(|t| !t.is_empty());
        if !description.is_empty() {
            ind.description = description;
        }
        if self.printed_ref.is_some() {
            ind.printed_ref = self.printed_ref;
        }
        if let Some(a) = self.aliases {
            ind.aliases = a;
        }
        if self.unit.is_some() {
            ind.unit = self.unit;
        }
        if let Some(g) = text("group") {
            ind.group = Some(g);
        }
        if self.category.is_some() {
            ind.category = self.category;
        }
        if let Some(k) = self.key_flag {
            ind.key = k;
        }
        if self.measure.is_some() {
            ind.measure = self.measure;
        }
        if self.better.is_some() {
            ind.better = self.better;
        }
        if self.frequency.is_some() {
            ind.frequency = self.frequency;
        }
        if let Some(a) = self.accumulation {
            ind.accumulation = a;
        }
        if let Some(c) = self.calendar {
            ind.calendar = c;
        }
        if let Some(d) = text("data_source") {
            ind.data_source = Some(d);
        }
        if let Some(n) = text("notes") {
            ind.notes = Some(n);
        }
        if let Some(l) = self.links {
            ind.links = l;
        }
        if self.priority.is_some() {
            ind.priority = self.priority;
        }
        if self.tolerance.is_some() {
            ind.tolerance_percent = self.tolerance;
        }
        if let Some(o) = text("officer") {
            ind.officer = Some(o);
        }
        if self.baseline.is_some() {
            ind.baseline = self.baseline;
        }
    }
}

/// A new indicator with only its ref and description; the row's cells fill in the rest.
fn new_indicator(reference: Ref, description: String) -> Indicator {
    Indicator {
        reference,
        printed_ref: None,
        aliases: Vec::new(),
        library: None,
        description,
        unit: None,
        group: None,
        category: None,
        key: false,
        measure: None,
        better: None,
        frequency: None,
        census: None,
        accumulation: Accumulation::Snapshot,
        calendar: Calendar::Financial,
        data_source: None,
        notes: None,
        links: Vec::new(),
        priority: None,
        tolerance_percent: None,
        quality: Default::default(),
        officer: None,
        baseline: None,
        targets: BTreeMap::new(),
        profile: BTreeMap::new(),
        values: BTreeMap::new(),
        comparators: Vec::new(),
    }
}
