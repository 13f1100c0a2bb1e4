//! Reading one file: TOML into the file form, then into domain documents, remembering where in
//! the file each item was written so that later checks can name the line.

use crate::file_form::{
    AmountForm, BudgetChangeForm, BudgetTotalForm, CouncilHeader, FileForm, MilestoneForm,
    ObjectiveForm, StatementForm, StatementPeriod,
};
use crate::problem::{Problem, field_line, line_of};
use crate::source::Source;
use beacon_domain::Ref;
use beacon_domain::budget::{
    Amounts, BudgetChange, ChangeTotal, Group, Line, Statement, StatementKind,
};
use beacon_domain::money::{Pence, Scale};
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{FinancialYear, Quarter, YearSpan};
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::text::{control_character, refusal};
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

/// Where an item was written: which source, which bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: usize,
    pub span: Range<usize>,
}

/// Names an item of a council's data, for messages and for finding where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemKey {
    Council,
    Unit(Ref),
    Officer(Ref),
    Frame(Ref),
    /// A definition in the council's indicator library.
    Library(Ref),
    Plan(Ref),
    Objective(Ref, Ref),
    Milestone(Ref, Ref),
    Indicator(Ref, Ref),
    Risk(Ref, Ref),
    EqualityAction(Ref, Ref),
    BudgetChange(Ref, usize),
    Quarter(Ref, Quarter),
    /// A list entry of a quarter: which list, which position.
    QuarterItem(Ref, Quarter, &'static str, usize),
    Statement(Ref, Quarter),
    Override(
        Ref,
        beacon_domain::status::overrides::ItemKind,
        Ref,
        Quarter,
    ),
}

impl ItemKey {
    /// The table a field belongs to, for `field` in messages.
    pub fn table(&self) -> &'static str {
        match self {
            ItemKey::Council => "council",
            ItemKey::Unit(..) => "units",
            ItemKey::Officer(..) => "officers",
            ItemKey::Frame(..) => "frames",
            ItemKey::Library(..) => "library",
            ItemKey::Plan(..) => "plan",
            ItemKey::Objective(..) => "objectives",
            ItemKey::Milestone(..) => "objectives.milestones",
            ItemKey::Indicator(..) => "indicators",
            ItemKey::Risk(..) => "risks",
            ItemKey::EqualityAction(..) => "equality_actions",
            ItemKey::BudgetChange(..) => "budget_changes",
            ItemKey::Quarter(..) => "quarter",
            ItemKey::QuarterItem(_, _, list, _) => list,
            ItemKey::Statement(..) => "statements",
            ItemKey::Override(..) => "overrides",
        }
    }
}

/// One file's content for one council.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: usize,
    pub council: CouncilHeader,
    pub council_origin: Origin,
    pub units: Vec<beacon_domain::organisation::Unit>,
    pub officers: Vec<beacon_domain::organisation::Officer>,
    pub frames: Vec<beacon_domain::frame::Frame>,
    pub library: Vec<beacon_domain::library::LibraryIndicator>,
    pub plan: Option<PlanDocument>,
    pub quarter: Option<QuarterRecord>,
    pub statements: Vec<Statement>,
    pub overrides: Vec<beacon_domain::status::overrides::Override>,
    /// Where each item was written.
    pub origins: HashMap<ItemKey, Origin>,
}

struct Reader<'a> {
    index: usize,
    source: &'a Source,
    problems: Vec<Problem>,
    origins: HashMap<ItemKey, Origin>,
}

impl Reader<'_> {
    fn origin(&self, span: Range<usize>) -> Origin {
        Origin {
            source: self.index,
            span,
        }
    }
    fn note<T>(&mut self, key: ItemKey, item: &Spanned<T>) {
        self.origins.insert(key, self.origin(item.span()));
    }
    fn problem(&mut self, span: &Range<usize>, table: &str, field: &str, message: String) {
        self.problems.push(Problem {
            file: self.source.name.clone(),
            line: field_line(&self.source.text, span, field),
            field: if field.is_empty() {
                table.to_string()
            } else {
                format!("{table}.{field}")
            },
            message,
        });
    }

    fn amount(
        &mut self,
        a: &AmountForm,
        scale: Scale,
        span: &Range<usize>,
        table: &str,
        field: &str,
    ) -> Pence {
        let parsed = match a {
            AmountForm::Integer(n) => n
                .checked_mul(scale.pence_per_unit())
                .map(Pence)
                .ok_or_else(|| format!("{n} is too large an amount")),
            AmountForm::Text(t) => Pence::parse(t, scale).map_err(|e| e.to_string()),
        };
        parsed.unwrap_or_else(|m| {
            self.problem(span, table, field, m);
            Pence::ZERO
        })
    }

    /// A line's or stated total's three amounts, held to the statement kind's rule.
    fn three(
        &mut self,
        list: &[AmountForm],
        (kind, scale): (StatementKind, Scale),
        span: &Range<usize>,
        table: &str,
        field: &str,
    ) -> Amounts {
        if list.len() != 3 {
            self.problem(
                span,
                table,
                field,
                format!(
                    "{} amounts given; expected 3 for a {kind} statement: {}",
                    list.len(),
                    kind.expected_amounts()
                ),
            );
            return Amounts::default();
        }
        let a = Amounts {
            annual: self.amount(&list[0], scale, span, table, field),
            to_date: self.amount(&list[1], scale, span, table, field),
            spent: self.amount(&list[2], scale, span, table, field),
        };
        if let Err(m) = kind.check_amounts(&a, scale) {
            self.problem(span, table, field, m);
        }
        a
    }

    /// The statement's quarter: a monitoring statement's as written, a budget book's year's
    /// first.
    fn statement_period(&mut self, f: &StatementForm, span: &Range<usize>) -> Quarter {
        use beacon_domain::period::QuarterNo;
        match (f.period, f.kind.is_annual()) {
            (StatementPeriod::Quarter(q), false) => q,
            (StatementPeriod::Year(y), true) => y.quarter(QuarterNo::Q1),
            (StatementPeriod::Quarter(q), true) => {
                self.problem(
                    span,
                    "statements",
                    "period",
                    format!(
                        "a budget book is for a year: expected period = \"{}\", not a quarter",
                        q.year
                    ),
                );
                q
            }
            (StatementPeriod::Year(y), false) => {
                self.problem(
                    span,
                    "statements",
                    "period",
                    format!(
                        "a {} statement is as at the end of a quarter: expected a quarter such as \"{y} Q2\" (only a budget book is for a whole year)",
                        f.kind
                    ),
                );
                y.quarter(QuarterNo::Q1)
            }
        }
    }

    fn statement(&mut self, form: &Spanned<StatementForm>) -> Statement {
        let span = form.span();
        let f = form.get_ref();
        let groups = f
            .groups
            .iter()
            .map(|g| {
                let gs = g.span();
                let g = g.get_ref();
                Group {
                    key: g.key.clone(),
                    parent: g.parent.clone(),
                    label: g.label.clone(),
                    heading: g.heading.clone(),
                    stated: g.stated.as_ref().map(|s| {
                        self.three(s, (f.kind, f.scale), &gs, "statements.groups", "stated")
                    }),
                }
            })
            .collect();
        let lines = f
            .lines
            .iter()
            .map(|l| {
                let ls = l.span();
                let l = l.get_ref();
                Line {
                    group: l.group.clone(),
                    label: l.label.clone(),
                    amounts: self.three(
                        &l.amounts,
                        (f.kind, f.scale),
                        &ls,
                        "statements.lines",
                        "amounts",
                    ),
                    note: l.note.clone(),
                    source_note: l.source_note.clone(),
                }
            })
            .collect();
        if f.projection.is_some() && !f.kind.projects() {
            self.problem(
                &span,
                "statements",
                "projection",
                format!(
                    "a {} statement has no projected outturn: only a revenue statement may set projection",
                    f.kind
                ),
            );
        }
        let st = Statement {
            reference: f.reference.clone(),
            period: self.statement_period(f, &span),
            unit: f.unit.clone(),
            kind: f.kind,
            title: f.title.clone(),
            scale: f.scale,
            notes: f.notes.clone(),
            projection: f.projection,
            groups,
            lines,
        };
        if let Err(m) = st.check_tree() {
            self.problem(&span, "statements", "", m);
        }
        st
    }

    fn budget_change(&mut self, form: &Spanned<BudgetChangeForm>) -> BudgetChange {
        let span = form.span();
        let f = form.get_ref();
        BudgetChange {
            kind: f.kind,
            year: f.year,
            description: f.description.clone(),
            amount: f
                .amount
                .as_ref()
                .map(|a| self.amount(a, f.scale, &span, "budget_changes", "amount")),
            scale: f.scale,
        }
    }

    /// A stated total of the plan's budget changes, refused when the changes it counts do not
    /// add up to it.
    fn budget_total(
        &mut self,
        form: &Spanned<BudgetTotalForm>,
        changes: &[BudgetChange],
    ) -> ChangeTotal {
        let span = form.span();
        let f = form.get_ref();
        let t = ChangeTotal {
            label: f.label.clone(),
            kind: f.kind,
            year: f.year,
            stated: self.amount(&f.stated, f.scale, &span, "budget_totals", "stated"),
            scale: f.scale,
        };
        if let Err(m) = t.reconcile(changes) {
            self.problem(
                &span,
                "budget_totals",
                "stated",
                format!("{:?}: {m}", t.label),
            );
        }
        t
    }
}

/// Turns toml's error into a problem on the right line, naming the key it was reading.
fn syntax_problem(source: &Source, e: &toml::de::Error) -> Problem {
    let line = e.span().map_or(0, |s| line_of(&source.text, s.start));
    let field = e
        .span()
        .and_then(|s| {
            let start = source.text[..s.start.min(source.text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let text = source.text.get(start..)?.lines().next()?;
            let (key, _) = text.split_once('=')?;
            let key = key.trim();
            (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
        })
        .unwrap_or_default();
    Problem {
        file: source.name.clone(),
        line,
        field,
        message: e.message().trim().to_string(),
    }
}

/// Refuses a file whose text values hold a control character Beacon does not store, raw or
/// written as a TOML escape (`\u0000`), naming each key.
fn control_characters(source: &Source) -> Result<(), Vec<Problem>> {
    // Only a file that could hold one is read twice.
    let text = &source.text;
    if control_character(text).is_none() && !text.contains("\\u") && !text.contains("\\U") {
        return Ok(());
    }
    // A file that does not parse is reported by the real reading.
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(());
    };
    let mut found = Vec::new();
    strings_with_controls(&toml::Value::Table(table), "", &mut found);
    if found.is_empty() {
        return Ok(());
    }
    Err(found
        .into_iter()
        .map(|(field, c)| Problem {
            file: source.name.clone(),
            line: 0,
            message: refusal(c, &format!("the value of {field}")),
            field,
        })
        .collect())
}

/// Every string under `value` holding a control character Beacon does not store, by key.
fn strings_with_controls(value: &toml::Value, key: &str, found: &mut Vec<(String, char)>) {
    match value {
        toml::Value::String(s) => {
            if let Some(c) = control_character(s) {
                found.push((key.to_string(), c));
            }
        }
        toml::Value::Array(items) => {
            for v in items {
                strings_with_controls(v, key, found);
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                strings_with_controls(v, &key, found);
            }
        }
        _ => {}
    }
}

impl Reader<'_> {
    /// The plan and its items, remembering where each was written; items of a plan in a file
    /// without a `[plan]` table are a problem.
    fn plan(&mut self, form: &FileForm) -> Option<PlanDocument> {
        let has_plan_items = !form.objectives.is_empty()
            || !form.indicators.is_empty()
            || !form.risks.is_empty()
            || !form.equality_actions.is_empty()
            || !form.budget_changes.is_empty()
            || !form.budget_totals.is_empty();
        let Some(p) = &form.plan else {
            if has_plan_items {
                self.problem(
                    &(0..0),
                    "plan",
                    "",
                    "objectives, indicators, risks, equality actions and budget changes belong to a plan: add a [plan] table to this file".into(),
                );
            }
            return None;
        };
        let pref = p.get_ref().reference.clone();
        self.note(ItemKey::Plan(pref.clone()), p);
        let objectives = form
            .objectives
            .iter()
            .map(|o| self.objective(&pref, p.get_ref().years, o))
            .collect();
        for i in &form.indicators {
            self.note(
                ItemKey::Indicator(pref.clone(), i.get_ref().reference.clone()),
                i,
            );
            self.library_reference(i);
        }
        for x in &form.risks {
            self.note(
                ItemKey::Risk(pref.clone(), x.get_ref().reference.clone()),
                x,
            );
        }
        for x in &form.equality_actions {
            self.note(
                ItemKey::EqualityAction(pref.clone(), x.get_ref().reference.clone()),
                x,
            );
        }
        let mut budget_changes = Vec::new();
        for (n, b) in form.budget_changes.iter().enumerate() {
            self.note(ItemKey::BudgetChange(pref.clone(), n), b);
            budget_changes.push(self.budget_change(b));
        }
        let budget_totals = form
            .budget_totals
            .iter()
            .map(|t| self.budget_total(t, &budget_changes))
            .collect();
        Some(PlanDocument {
            plan: p.get_ref().clone(),
            objectives,
            indicators: form
                .indicators
                .iter()
                .map(|i| i.get_ref().clone())
                .collect(),
            risks: form.risks.iter().map(|i| i.get_ref().clone()).collect(),
            equality_actions: form
                .equality_actions
                .iter()
                .map(|i| i.get_ref().clone())
                .collect(),
            budget_changes,
            budget_totals,
        })
    }

    /// An objective and its milestones; a milestone without a ref is numbered after its
    /// objective (`CFS2/3` for the third of CFS2), one without a year listed under the year of
    /// its due date (`milestone_year`).
    fn objective(&mut self, pref: &Ref, span: YearSpan, o: &Spanned<ObjectiveForm>) -> Objective {
        let of = o.get_ref();
        self.note(ItemKey::Objective(pref.clone(), of.reference.clone()), o);
        let mut milestones = Vec::new();
        for (n, m) in of.milestones.iter().enumerate() {
            let mf = m.get_ref();
            let mref = match &mf.reference {
                Some(x) => x.clone(),
                None => match format!("{}/{}", of.reference, n + 1).parse::<Ref>() {
                    Ok(x) => x,
                    Err(e) => {
                        self.problem(&m.span(), "objectives.milestones", "ref", e.to_string());
                        continue;
                    }
                },
            };
            self.note(ItemKey::Milestone(pref.clone(), mref.clone()), m);
            let year = match milestone_year(mf, span) {
                Ok(y) => y,
                Err((field, message)) => {
                    self.problem(&m.span(), "objectives.milestones", field, message);
                    continue;
                }
            };
            milestones.push(Milestone {
                reference: mref,
                year,
                text: mf.text.clone(),
                due: mf.due.clone(),
                officer: mf.officer.clone(),
                priority: mf.priority.clone(),
                before_plan: mf.before_plan.clone(),
                carried_from: mf.carried_from,
            });
        }
        Objective {
            reference: of.reference.clone(),
            unit: of.unit.clone(),
            statement: of.statement.clone(),
            links: of.links.clone(),
            cross_refs: of.cross_refs.clone(),
            officer: of.officer.clone(),
            initial_risk: of.initial_risk.clone(),
            residual_risk: of.residual_risk.clone(),
            indicators: of.indicators.clone(),
            starts: of.starts,
            ends: of.ends,
            milestones,
        }
    }

    /// The quarter's record, remembering where each item was written; items of a quarter in a
    /// file without a `[quarter]` table are a problem.
    fn quarter(&mut self, form: &FileForm) -> Option<QuarterRecord> {
        let has_quarter_items = !form.key_developments.is_empty()
            || !form.emerging_issues.is_empty()
            || !form.risk_updates.is_empty()
            || !form.equality_updates.is_empty()
            || !form.values.is_empty()
            || !form.progress.is_empty()
            || !form.commentary.is_empty();
        let Some(q) = &form.quarter else {
            if has_quarter_items {
                self.problem(
                    &(0..0),
                    "quarter",
                    "",
                    "key developments, emerging issues, updates, values, progress and commentary belong to a quarter: add a [quarter] table to this file".into(),
                );
            }
            return None;
        };
        let h = q.get_ref().clone();
        self.note(ItemKey::Quarter(h.unit.clone(), h.period), q);
        macro_rules! list {
            ($field:ident, $name:literal) => {{
                for (n, x) in form.$field.iter().enumerate() {
                    self.note(ItemKey::QuarterItem(h.unit.clone(), h.period, $name, n), x);
                }
                form.$field.iter().map(|x| x.get_ref().clone()).collect()
            }};
        }
        Some(QuarterRecord {
            key_developments: list!(key_developments, "key_developments"),
            emerging_issues: list!(emerging_issues, "emerging_issues"),
            risk_updates: list!(risk_updates, "risk_updates"),
            equality_updates: list!(equality_updates, "equality_updates"),
            values: list!(values, "values"),
            progress: list!(progress, "progress"),
            commentary: list!(commentary, "commentary"),
            header: h,
        })
    }
}

impl Reader<'_> {
    /// An indicator that takes its definition from the library gives none of the definition's
    /// fields itself: each one it gives is a problem at its line.
    fn library_reference(&mut self, i: &Spanned<beacon_domain::indicator::Indicator>) {
        let x = i.get_ref();
        let Some(l) = &x.library else { return };
        for field in beacon_domain::library::LibraryIndicator::redefined(x) {
            self.problem(
                &i.span(),
                "indicators",
                field,
                format!(
                    "indicator {} takes its definition from library indicator \"{l}\", so it cannot also give `{field}`: change `{field}` in the library's [[library]] entry, or remove `library` to define the indicator here",
                    x.reference
                ),
            );
        }
    }
}

/// Reads one file. Every problem in it is reported.
pub fn parse_file(index: usize, source: &Source) -> Result<ParsedFile, Vec<Problem>> {
    control_characters(source)?;
    let form: FileForm =
        toml::from_str(&source.text).map_err(|e| vec![syntax_problem(source, &e)])?;
    let mut r = Reader {
        index,
        source,
        problems: Vec::new(),
        origins: HashMap::new(),
    };
    r.origins
        .insert(ItemKey::Council, r.origin(form.council.span()));

    for u in &form.units {
        r.note(ItemKey::Unit(u.get_ref().reference.clone()), u);
    }
    for o in &form.officers {
        r.note(ItemKey::Officer(o.get_ref().reference.clone()), o);
    }
    for f in &form.frames {
        r.note(ItemKey::Frame(f.get_ref().reference.clone()), f);
    }
    for d in &form.library {
        r.note(ItemKey::Library(d.get_ref().reference.clone()), d);
    }
    let plan = r.plan(&form);
    let quarter = r.quarter(&form);

    let mut statements = Vec::new();
    for s in &form.statements {
        let st = r.statement(s);
        r.note(ItemKey::Statement(st.reference.clone(), st.period), s);
        statements.push(st);
    }

    for o in &form.overrides {
        let x = o.get_ref();
        r.note(
            ItemKey::Override(x.plan.clone(), x.kind, x.item.clone(), x.quarter),
            o,
        );
    }

    if !r.problems.is_empty() {
        return Err(r.problems);
    }
    Ok(ParsedFile {
        source: index,
        council: form.council.get_ref().clone(),
        council_origin: r.origin(form.council.span()),
        units: form.units.iter().map(|x| x.get_ref().clone()).collect(),
        officers: form.officers.iter().map(|x| x.get_ref().clone()).collect(),
        frames: form.frames.iter().map(|x| x.get_ref().clone()).collect(),
        library: form.library.iter().map(|x| x.get_ref().clone()).collect(),
        plan,
        quarter,
        statements,
        overrides: form.overrides.iter().map(|x| x.get_ref().clone()).collect(),
        origins: r.origins,
    })
}

/// The council this file is for.
pub fn council_of(f: &ParsedFile) -> &CouncilRef {
    &f.council.reference
}

/// The year a milestone is listed under: as written, else the financial year of its due date
/// brought within the plan's years. Left out, a date before the plan's first year needs the
/// plan's note (`before_plan`), and a due date without a date needs `year`. On a problem, the
/// field and what was expected.
fn milestone_year(
    m: &MilestoneForm,
    span: YearSpan,
) -> Result<FinancialYear, (&'static str, String)> {
    if let Some(y) = m.year {
        return Ok(y);
    }
    let first = m
        .due
        .dates()
        .and_then(|d| d.first().copied())
        .or(m.due.starts());
    let Some(first) = first else {
        let what = match m.due.describe() {
            d if d.is_empty() => "no due date".to_string(),
            d => format!("a due date of {d:?}"),
        };
        return Err((
            "year",
            format!(
                "a milestone with {what} needs the financial year the plan lists it under, such as year = \"{}\"",
                span.first()
            ),
        ));
    };
    if let Some(last) = m.due.deadline()
        && last < span.first().first_day()
        && m.before_plan.is_none()
    {
        return Err((
            "due",
            format!(
                "{} is before the plan's first year {}; where the plan lists it so, give its note in before_plan = \"…\" (or list it under a year of the plan with year = \"{}\")",
                m.due.describe(),
                span.first(),
                span.first()
            ),
        ));
    }
    Ok(FinancialYear::containing(first).clamp(span.first(), span.last()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_where_the_plan_table_is() {
        let text = "[council]\nref = \"halton\"\n\n[plan]\nref = \"X-1\"\ntitle = \"x\"\nunit = \"ZZZ\"\nyears = \"2012/13-2013/14\"\nstatus = \"draft\"\n";
        let f = parse_file(
            0,
            &Source {
                name: "p".into(),
                text: text.into(),
            },
        )
        .unwrap();
        let o = &f.origins[&ItemKey::Plan("X-1".parse().unwrap())];
        assert_eq!(
            crate::problem::field_line(text, &o.span, "unit"),
            7,
            "span {:?} = {:?}",
            o.span,
            &text[o.span.clone()]
        );
    }
}
