//! The fields of the plan-editing forms: what each item's form asks, and how the text a person
//! types becomes the value a plan file would hold. Each field is read by the domain's own
//! parser for its type (a year, a due date, a measure, a ref), so a form refuses in the words
//! a plan file is refused in, and then the item is made from the same serde form as a file.

use beacon_domain::Ref;
use beacon_domain::measure::{Measure, read_number};
use beacon_domain::objective::Due;
use beacon_domain::period::{FinancialYear, Period, YearSpan};
use serde_json::{Map, Value};
use std::str::FromStr;

/// What a field holds and how it is typed.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One line of words.
    Text,
    /// Paragraphs.
    Long,
    /// A ref (`CFS1`, `NI075`).
    Ref,
    /// Refs separated by commas or on lines of their own.
    Refs,
    /// One entry a line (treatments).
    Lines,
    /// One of the words.
    Choice(&'static [&'static str]),
    /// One of the council's units.
    Unit,
    /// A financial year, `2012/13`.
    Year,
    /// Financial years separated by commas.
    Years,
    /// A plan's years, `2012/13-2014/15`.
    Span,
    /// A due date as plan files write it.
    Due,
    /// A period, `2011/12` or `2012/13 Q2`.
    Period,
    /// A value in words and numbers, `84%`.
    Measure,
    /// One `period: value` a line.
    Measures,
    /// Yes or no.
    Bool,
    /// A whole number from 1 to the side of the council's risk matrix.
    Score,
    /// A number, `5` or `2.5`.
    Number,
    /// A whole number, 0 or more (a frame's number).
    Count,
    /// Titled pieces of writing (a plan's narrative sections, its PESTLE factors): each starts
    /// with a line `## word: heading`, the word one of the list, saved in the field named first.
    Blocks(&'static str, &'static [&'static str]),
    /// An indicator's comparators, one a line: `period | kind | name | value | source`.
    Comparators,
    /// Months of the year by name, separated by commas (a census return's).
    Months,
    /// One of the council's library indicators, by ref.
    Library,
}

/// One field of a form: where its value sits in the item (`initial.likelihood`), its label and
/// hint, what it holds, and whether it must be filled in.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Left blank, it is written as empty words (the plan file's field is required but may be
    /// ""), not left out.
    pub blank: bool,
}

const fn f(path: &'static str, label: &'static str, kind: Kind) -> Field {
    Field {
        path,
        label,
        hint: "",
        kind,
        required: false,
        blank: false,
    }
}

impl Field {
    const fn req(mut self) -> Field {
        self.required = true;
        self
    }
    const fn blank(mut self) -> Field {
        self.blank = true;
        self
    }
    const fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }
    /// The form control's id and name: the path with dots as dashes.
    pub fn id(&self) -> String {
        self.path.replace('.', "-")
    }
}

/// The words a word list allows, from the domain's own list.
macro_rules! words {
    ($t:ty) => {{
        const N: usize = <$t>::ALL.len();
        const W: [&str; N] = {
            let mut w = [""; N];
            let mut i = 0;
            while i < N {
                w[i] = <$t>::ALL[i].as_str();
                i += 1;
            }
            w
        };
        &W
    }};
}

/// A plan's own fields.
pub const PLAN: &[Field] = &[
    f("ref", "Ref", Kind::Ref).req().hint("Unique in the council, such as CYPD-2012-15"),
    f("title", "Title", Kind::Text).req(),
    f("unit", "Owning unit", Kind::Unit).req(),
    f("years", "Years", Kind::Span).req().hint("The first and last financial year, such as 2012/13-2014/15; a one-year plan is 2012/13-2012/13"),
    f("status", "Status", Kind::Choice(&["draft", "approved"])).req(),
    f("source", "Source", Kind::Text).hint("Where the plan came from, such as the document's title"),
    f(
        "sections",
        "Narrative sections",
        Kind::Blocks("kind", words!(beacon_domain::plan::SectionKind)),
    )
    .hint("Each starts with a line such as ## foreword: Foreword from the Director, then its text. The kinds: foreword, introduction, key-messages, resources, structure, other"),
    f(
        "factors",
        "Factors affecting the service (PESTLE)",
        Kind::Blocks("category", words!(beacon_domain::plan::FactorCategory)),
    )
    .hint("Each starts with a line such as ## economic: Reduced grant funding, then its text. The categories: political, economic, social, technological, legislative, environmental"),
];

/// An objective's own fields (its milestones are edited one by one).
pub const OBJECTIVE: &[Field] = &[
    f("ref", "Ref", Kind::Ref)
        .req()
        .hint("Unique in the plan, such as CFS1"),
    f("statement", "Objective", Kind::Long).blank(),
    f("unit", "Responsible unit", Kind::Unit),
    f("officer", "Responsible officer", Kind::Text).hint("Initials, as reports print them"),
    f("links", "Priorities it serves", Kind::Refs)
        .hint("Refs of the council's priorities and areas of focus, separated by commas"),
    f("cross_refs", "Cross-referenced objectives", Kind::Refs),
    f("indicators", "Indicators that measure it", Kind::Refs)
        .hint("Refs of this plan's indicators, separated by commas"),
    f(
        "initial_risk.likelihood",
        "Initial risk: likelihood",
        Kind::Score,
    ),
    f("initial_risk.impact", "Initial risk: impact", Kind::Score),
    f(
        "residual_risk.likelihood",
        "Residual risk: likelihood",
        Kind::Score,
    ),
    f("residual_risk.impact", "Residual risk: impact", Kind::Score),
];

/// A milestone's fields (the objective it is under is chosen beside them).
pub const MILESTONE: &[Field] = &[
    f("ref", "Ref", Kind::Ref).hint("Leave blank to number it after its objective, such as CFS1/3"),
    f("year", "Financial year", Kind::Year)
        .req()
        .hint("The plan year it is listed under, such as 2012/13"),
    f("text", "Milestone", Kind::Long).req(),
    f("due", "Due", Kind::Due)
        .hint("2013-03 (by the end of that month), 2012-09-26 (by that day) or recurring: termly"),
    f("officer", "Responsible officer", Kind::Text).hint("Initials, as reports print them"),
    f("priority", "Priority that groups it in reports", Kind::Ref),
];

/// An indicator's fields.
pub const INDICATOR: &[Field] = &[
    f("ref", "Code", Kind::Ref)
        .req()
        .hint("Unique in the plan, such as NI075"),
    f("description", "Description", Kind::Long).req(),
    f("aliases", "Other codes", Kind::Refs).hint("Separated by commas, such as SCS CYP03"),
    f("printed_ref", "Code as printed", Kind::Ref)
        .hint("Only where the plan prints another code for it"),
    f(
        "measure",
        "What the numbers count",
        Kind::Choice(words!(beacon_domain::indicator::MeasureUnit)),
    ),
    f(
        "better",
        "Which direction is better",
        Kind::Choice(words!(beacon_domain::indicator::Better)),
    ),
    f(
        "frequency",
        "How often values are collected",
        Kind::Choice(words!(beacon_domain::indicator::Frequency)),
    ),
    f("census.return", "Census return", Kind::Text)
        .hint("With frequency census only: the return, such as School Census"),
    f("census.months", "Census months", Kind::Months)
        .hint("With frequency census only: the months it reports in, such as January, May, October"),
    f(
        "accumulation",
        "Values through the year",
        Kind::Choice(words!(beacon_domain::indicator::Accumulation)),
    )
    .hint("snapshot (a rate or percentage) unless the values add up through the year"),
    f(
        "calendar",
        "Calendar of the values",
        Kind::Choice(words!(beacon_domain::indicator::Calendar)),
    ),
    f("unit", "Responsible unit", Kind::Unit),
    f("officer", "Responsible officer", Kind::Text),
    f("key", "A key indicator", Kind::Bool),
    f("group", "Table it is printed in", Kind::Text),
    f(
        "category",
        "Category",
        Kind::Choice(words!(beacon_domain::indicator::Category)),
    ),
    f("links", "Priorities it serves", Kind::Refs),
    f("priority", "Priority that groups it in reports", Kind::Ref),
    f("tolerance_percent", "Tolerance (%)", Kind::Number)
        .hint("Within this many per cent of target is amber, not red; blank for the council's"),
    f("data_source", "Data source", Kind::Text),
    f("notes", "Notes", Kind::Long),
    f("baseline.period", "Baseline period", Kind::Period).hint("Such as 2011/12"),
    f("baseline.value", "Baseline value", Kind::Measure),
    f("targets", "Targets", Kind::Measures)
        .hint("One a line: the year, a colon, the target, such as 2012/13: 84%"),
    f("profile", "Quarterly profile", Kind::Measures).hint("One a line, such as 2012/13 Q2: 40"),
    f("quality.minimum", "Smallest possible value", Kind::Number)
        .hint("Only where it is not 0 (a percentage or a count): values below it are refused"),
    f("quality.maximum", "Largest possible value", Kind::Number)
        .hint("Only where it is not 100 for a percentage: values above it are refused"),
    f("quality.fractions", "A count may have a fractional part", Kind::Bool),
    f("comparators", "Comparators", Kind::Comparators).hint(
        "One a line: period | kind | name | value | source, such as 2011/12 | england-average | | 54% | DfE SFR 27/2010. The kinds: england-top-quartile, england-middle-quartile, england-bottom-quartile, national, england-average, regional, statistical-neighbours, council (name it), group (name it)",
    ),
];

/// A definition in the council's indicator library: what plans' indicators take from it.
pub const LIBRARY: &[Field] = &[
    f("ref", "Code", Kind::Ref)
        .req()
        .hint("Unique in the council's library, such as NI 155; plans name it by this code"),
    f("description", "Description", Kind::Long).req(),
    f("aliases", "Other codes", Kind::Refs).hint("Separated by commas, such as SCS CYP03"),
    f(
        "measure",
        "What the numbers count",
        Kind::Choice(words!(beacon_domain::indicator::MeasureUnit)),
    ),
    f(
        "better",
        "Which direction is better",
        Kind::Choice(words!(beacon_domain::indicator::Better)),
    ),
    f(
        "frequency",
        "How often values are collected",
        Kind::Choice(words!(beacon_domain::indicator::Frequency)),
    ),
    f("census.return", "Census return", Kind::Text)
        .hint("With frequency census only: the return, such as School Census"),
    f("census.months", "Census months", Kind::Months).hint(
        "With frequency census only: the months it reports in, such as January, May, October",
    ),
    f(
        "accumulation",
        "Values through the year",
        Kind::Choice(words!(beacon_domain::indicator::Accumulation)),
    )
    .hint("snapshot (a rate or percentage) unless the values add up through the year"),
    f(
        "calendar",
        "Calendar of the values",
        Kind::Choice(words!(beacon_domain::indicator::Calendar)),
    ),
    f("tolerance_percent", "Tolerance (%)", Kind::Number)
        .hint("Within this many per cent of target is amber, not red; blank for the council's"),
    f("data_source", "Data source", Kind::Text),
    f("notes", "Notes", Kind::Long),
    f("quality.minimum", "Smallest possible value", Kind::Number)
        .hint("Blank for what the measure implies (0 for a percentage or a count)"),
    f("quality.maximum", "Largest possible value", Kind::Number)
        .hint("Blank for what the measure implies (100 for a percentage)"),
    f(
        "quality.fractions",
        "A count may have a fractional part",
        Kind::Bool,
    ),
];

/// A plan's indicator that takes its definition from the library: the entry, and the plan's
/// own fields.
pub const FROM_LIBRARY: &[Field] = &[
    f("library", "Library indicator", Kind::Library).req(),
    f("ref", "Code in this plan", Kind::Ref)
        .hint("Leave blank to use the library indicator's code"),
    f("unit", "Responsible unit", Kind::Unit),
    f("officer", "Responsible officer", Kind::Text),
    f("key", "A key indicator", Kind::Bool),
    f("group", "Table it is printed in", Kind::Text),
    f(
        "category",
        "Category",
        Kind::Choice(words!(beacon_domain::indicator::Category)),
    ),
    f("links", "Priorities it serves", Kind::Refs),
    f("priority", "Priority that groups it in reports", Kind::Ref),
    f("baseline.period", "Baseline period", Kind::Period).hint("Such as 2011/12"),
    f("baseline.value", "Baseline value", Kind::Measure),
    f("targets", "Targets", Kind::Measures)
        .hint("One a line: the year, a colon, the target, such as 2012/13: 84%"),
    f("profile", "Quarterly profile", Kind::Measures).hint("One a line, such as 2012/13 Q2: 40"),
];

/// A risk's fields.
pub const RISK: &[Field] = &[
    f("ref", "Ref", Kind::Ref).req(),
    f("objective", "Objective at risk", Kind::Ref),
    f("description", "Risk", Kind::Long).req(),
    f("initial.likelihood", "Initial likelihood", Kind::Score),
    f("initial.impact", "Initial impact", Kind::Score),
    f("residual.likelihood", "Residual likelihood", Kind::Score),
    f("residual.impact", "Residual impact", Kind::Score),
    f("treatment", "Treatment", Kind::Lines).hint("One measure a line"),
];

/// An equality action's fields.
pub const EQUALITY: &[Field] = &[
    f("ref", "Ref", Kind::Ref).req(),
    f("area", "Strategy, policy or service assessed", Kind::Text).req(),
    f(
        "impact",
        "Equality impact",
        Kind::Choice(words!(beacon_domain::equality::Impact)),
    )
    .req(),
    f("action", "Action", Kind::Long).req(),
    f("years", "Years", Kind::Years)
        .hint("Financial years separated by commas, such as 2012/13, 2013/14"),
    f("officer", "Responsible officer", Kind::Text),
];

/// A unit of the organisation tree.
pub const UNIT: &[Field] = &[
    f("ref", "Ref", Kind::Ref)
        .req()
        .hint("Such as CED; plans and quarters name the unit by it"),
    f("name", "Name", Kind::Text).req(),
    f(
        "kind",
        "Kind",
        Kind::Choice(words!(beacon_domain::organisation::UnitKind)),
    )
    .req(),
    f("parent", "Part of", Kind::Unit).hint("The unit above it; blank for the top of the tree"),
    f("head", "Head (officer's initials)", Kind::Ref),
];

/// An officer, known in reports by initials.
pub const OFFICER: &[Field] = &[
    f("ref", "Initials", Kind::Ref)
        .req()
        .hint("As reports print them, such as SN"),
    f("name", "Name", Kind::Text).req(),
    f("role", "Role", Kind::Text),
    f("unit", "Unit", Kind::Unit),
    f("aliases", "Other initials printed for them", Kind::Refs),
];

/// An entry of the strategic frame: a priority, an area of focus, a theme.
pub const FRAME: &[Field] = &[
    f("ref", "Ref", Kind::Ref)
        .req()
        .hint("Such as CP3 or AOF13"),
    f(
        "kind",
        "Kind",
        Kind::Choice(words!(beacon_domain::frame::FrameKind)),
    )
    .req(),
    f("title", "Title", Kind::Text).req(),
    f("number", "Number", Kind::Count).hint("As the council numbers it, such as 3"),
    f("parent", "Under", Kind::Ref)
        .hint("The ref of the priority it sits under, for an area of focus"),
];

/// The value at a dotted path.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

/// Sets (or, with none, removes) the value at a dotted path, making objects on the way, and
/// drops an object the removal left empty.
fn set(v: &mut Value, path: &str, new: Option<Value>) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let mut here = &mut *v;
    for p in &parts {
        let Some(obj) = here.as_object_mut() else {
            return;
        };
        here = obj.entry(*p).or_insert_with(|| Value::Object(Map::new()));
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
    }
    if let Some(obj) = here.as_object_mut() {
        match new {
            Some(n) => {
                obj.insert(last.to_string(), n);
            }
            None => {
                obj.remove(last);
            }
        }
    }
    if let Some(first) = parts.first()
        && at(v, first)
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        && let Some(obj) = v.as_object_mut()
    {
        obj.remove(*first);
    }
}

fn words_of(v: &Value, sep: &str) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(sep),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) | Value::Null => String::new(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", words_of(v, sep)))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// The field's value as the form shows it.
pub fn text_of(item: &Value, field: &Field) -> String {
    let Some(v) = at(item, field.path) else {
        return String::new();
    };
    match field.kind {
        Kind::Measure => serde_json::from_value::<Measure>(v.clone())
            .map_or_else(|_| words_of(v, ", "), |m| m.to_string()),
        Kind::Measures => v.as_object().map_or_else(String::new, |map| {
            map.iter()
                .map(|(k, x)| {
                    let m = serde_json::from_value::<Measure>(x.clone())
                        .map_or_else(|_| words_of(x, ", "), |m| m.to_string());
                    format!("{k}: {m}")
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        Kind::Lines => words_of(v, "\n"),
        Kind::Blocks(key, _) => blocks_text(v, key),
        Kind::Comparators => comparators_text(v),
        _ => words_of(v, ", "),
    }
}

fn field_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn blocks_text(v: &Value, key: &str) -> String {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|b| {
                    format!(
                        "## {}: {}\n{}",
                        field_str(b, key),
                        field_str(b, "heading"),
                        field_str(b, "text")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .unwrap_or_default()
}

fn comparators_text(v: &Value) -> String {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|c| {
                    let value = c.get("value").map_or_else(String::new, |x| {
                        serde_json::from_value::<Measure>(x.clone())
                            .map_or_else(|_| words_of(x, ", "), |m| m.to_string())
                    });
                    format!(
                        "{} | {} | {} | {value} | {}",
                        field_str(c, "period"),
                        field_str(c, "kind"),
                        field_str(c, "name"),
                        field_str(c, "source")
                    )
                    .trim_end_matches(" | ")
                    .trim_end()
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Reads titled pieces of writing: `## word: heading` lines, each followed by its text.
fn blocks(text: &str, key: &str, words: &[&str]) -> Result<Option<Value>, String> {
    let mut out: Vec<Map<String, Value>> = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let flush = |out: &mut Vec<Map<String, Value>>, body: &mut Vec<&str>| {
        if let Some(last) = out.last_mut() {
            let t = body.join("\n").trim().to_string();
            last.insert("text".into(), Value::String(t));
        }
        body.clear();
    };
    for (n, line) in text.lines().enumerate() {
        let Some(head) = line.trim_start().strip_prefix("## ") else {
            if out.is_empty() && !line.trim().is_empty() {
                return Err(format!(
                    "line {}: start each one with a line such as ## {}: its heading",
                    n + 1,
                    words.first().copied().unwrap_or_default()
                ));
            }
            body.push(line);
            continue;
        };
        flush(&mut out, &mut body);
        let (word, heading) = head.split_once(':').unwrap_or((head, ""));
        let word = word.trim();
        if !words.contains(&word) {
            return Err(format!(
                "line {}: {word:?} is not one of {}",
                n + 1,
                words.join(", ")
            ));
        }
        let mut b = Map::new();
        b.insert(key.into(), Value::String(word.into()));
        b.insert("heading".into(), Value::String(heading.trim().into()));
        out.push(b);
    }
    flush(&mut out, &mut body);
    Ok((!out.is_empty()).then(|| Value::Array(out.into_iter().map(Value::Object).collect())))
}

/// Reads comparators, one a line: `period | kind | name | value | source`.
fn comparators(text: &str) -> Result<Option<Value>, String> {
    use beacon_domain::indicator::ComparatorKind;
    let mut out = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if !(4..=5).contains(&parts.len()) {
            return Err(format!(
                "line {}: {line:?} is not period | kind | name | value | source, such as 2011/12 | england-average | | 54% | DfE",
                n + 1
            ));
        }
        let at = |e: beacon_domain::ParseError| format!("line {}: {e}", n + 1);
        let mut c = Map::new();
        let period: Period = parts[0].parse().map_err(at)?;
        let kind: ComparatorKind = parts[1].parse().map_err(at)?;
        let value: Measure = parts[3].parse().map_err(at)?;
        c.insert("period".into(), json(&period));
        c.insert("kind".into(), json(&kind));
        if !parts[2].is_empty() {
            c.insert("name".into(), Value::String(parts[2].into()));
        }
        c.insert("value".into(), json(&value));
        if let Some(src) = parts.get(4).filter(|s| !s.is_empty()) {
            c.insert("source".into(), Value::String((*src).into()));
        }
        out.push(Value::Object(c));
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

/// A value in its file form, for the readers above.
fn json<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}
fn parsed<T: FromStr<Err = beacon_domain::ParseError> + serde::Serialize>(
    text: &str,
) -> Result<Value, String> {
    let x: T = text
        .parse()
        .map_err(|e: beacon_domain::ParseError| e.to_string())?;
    serde_json::to_value(&x).map_err(|e| e.to_string())
}

fn list<T: FromStr<Err = beacon_domain::ParseError> + serde::Serialize>(
    text: &str,
) -> Result<Option<Value>, String> {
    let items: Vec<Value> = text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parsed::<T>)
        .collect::<Result<_, _>>()?;
    Ok((!items.is_empty()).then_some(Value::Array(items)))
}

fn measures(text: &str) -> Result<Option<Value>, String> {
    let mut map = Map::new();
    for (n, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let (period, value) = line
            .split_once(':')
            .or_else(|| line.split_once('='))
            .ok_or_else(|| {
                format!(
                    "line {}: {line:?} is not a period, a colon and a value, such as 2012/13: 84%",
                    n + 1
                )
            })?;
        let p: Period = period
            .trim()
            .trim_matches('"')
            .parse()
            .map_err(|e: beacon_domain::ParseError| format!("line {}: {e}", n + 1))?;
        let m: Measure = value
            .trim()
            .trim_matches('"')
            .parse()
            .map_err(|e: beacon_domain::ParseError| format!("line {}: {e}", n + 1))?;
        let key = p.to_string();
        if map.contains_key(&key) {
            return Err(format!("line {}: {key} is given twice", n + 1));
        }
        map.insert(key, serde_json::to_value(&m).map_err(|e| e.to_string())?);
    }
    Ok((!map.is_empty()).then_some(Value::Object(map)))
}

/// Reads what was typed into a field: its value for the item, none for a blank, or what is
/// wrong in words a person can act on. `units` are the council's unit refs; `side` the risk
/// matrix's.
pub fn read(field: &Field, text: &str, units: &[Ref], side: u8) -> Result<Option<Value>, String> {
    let t = text.trim();
    if let Some(c) = beacon_domain::text::control_character(t) {
        return Err(beacon_domain::text::refusal(c, field.label));
    }
    if t.is_empty() && field.blank {
        return Ok(Some(Value::String(String::new())));
    }
    if t.is_empty() {
        return if field.required {
            Err(format!("Enter {}", field.label.to_lowercase()))
        } else {
            Ok(None)
        };
    }
    let s = |x: &str| Ok(Some(Value::String(x.to_string())));
    match field.kind {
        // Browsers send a textarea's line breaks as CR LF: kept as the files write them.
        Kind::Text | Kind::Long => s(&t.replace("\r\n", "\n")),
        Kind::Ref | Kind::Library => parsed::<Ref>(t).map(Some),
        Kind::Refs => list::<Ref>(t),
        Kind::Years => list::<FinancialYear>(t),
        Kind::Months => list::<beacon_domain::dates::MonthOfYear>(t),
        Kind::Lines => {
            let lines: Vec<Value> = t
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect();
            Ok(Some(Value::Array(lines)))
        }
        Kind::Choice(words) => {
            if words.contains(&t) {
                s(t)
            } else {
                Err(format!("{t:?} is not one of {}", words.join(", ")))
            }
        }
        Kind::Unit => {
            if units.iter().any(|u| u.as_str() == t) {
                s(t)
            } else {
                Err(format!("{t:?} is not a unit of this council"))
            }
        }
        Kind::Year => parsed::<FinancialYear>(t).map(Some),
        Kind::Span => parsed::<YearSpan>(t).map(Some),
        Kind::Due => parsed::<Due>(t).map(Some),
        Kind::Period => parsed::<Period>(t).map(Some),
        Kind::Measure => parsed::<Measure>(t).map(Some),
        Kind::Measures => measures(t),
        Kind::Bool => Ok((t == "yes").then_some(Value::Bool(true))),
        Kind::Score => match t.parse::<u8>() {
            Ok(n) if (1..=side).contains(&n) => Ok(Some(Value::from(n))),
            _ => Err(format!("{t:?} is not a whole number from 1 to {side}")),
        },
        Kind::Count => t
            .parse::<u32>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| format!("{t:?} is not a whole number, such as 3")),
        Kind::Blocks(key, words) => blocks(&text.replace("\r\n", "\n"), key, words),
        Kind::Comparators => comparators(t),
        Kind::Number => read_number(t)
            .map(|_| Some(Value::String(t.to_string())))
            .ok_or_else(|| format!("{t:?} is not a number, such as 5 or 2.5")),
    }
}

/// Puts what was typed into the item's fields, keeping every field the form does not show.
/// Returns the problems by field id.
pub fn fill(
    item: &mut Value,
    fields: &[Field],
    typed: &std::collections::HashMap<String, String>,
    units: &[Ref],
    side: u8,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for field in fields {
        let text = typed.get(&field.id()).map_or("", String::as_str);
        // A field sent back as the form showed it keeps its value exactly: what the form's
        // words cannot show (a target's number given apart from its words, a section's
        // trailing line break) is not lost by saving a form untouched.
        let as_shown = |shown: String| same_words(&shown, text);
        if at(item, field.path).is_some() && as_shown(text_of(item, field)) {
            continue;
        }
        match read(field, text, units, side) {
            Ok(v) => set(item, field.path, v),
            Err(m) => problems.push((field.id(), format!("{}: {m}", field.label))),
        }
    }
    problems
}

/// Whether two texts are the same words: line breaks as browsers send them (CR LF) or as
/// files write them (LF), and space at either end, do not count.
fn same_words(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n").trim() == b.replace("\r\n", "\n").trim()
}

/// A budget statement's own fields; its groups and lines are rows of the same form
/// (`pages::statement_edit`).
pub const STATEMENT: &[Field] = &[
    f("ref", "Ref", Kind::Ref)
        .req()
        .hint("Unique in the quarter, such as CED-REVENUE"),
    f(
        "kind",
        "Kind",
        Kind::Choice(words!(beacon_domain::budget::StatementKind)),
    )
    .req()
    .hint("revenue: quarterly monitoring; capital: the capital programme; budget-book: the year's budget by service line"),
    f("title", "Title", Kind::Text).req(),
    f("unit", "Unit", Kind::Unit).req(),
    f(
        "scale",
        "Amounts written in",
        Kind::Choice(words!(beacon_domain::money::Scale)),
    )
    .req()
    .hint("pounds (£), thousands (£'000) or millions (£m)"),
    f(
        "projection",
        "Projected outturn",
        Kind::Choice(words!(beacon_domain::budget::OutturnProjection)),
    )
    .hint("A revenue statement only; left blank, the council's own setting"),
    f("notes", "Notes", Kind::Long)
        .hint("Printed under the statement; leave a blank line between paragraphs"),
];
