//! Loading files: parse every source, merge them by council, check the result against what is
//! stored, and only then hand it to the load use case. Any problem anywhere loads nothing.

use crate::check::check;
use crate::parse::{ItemKey, Origin, ParsedFile, parse_file};
use crate::problem::{LoadError, Problem, field_line, line_of};
use crate::source::Source;
use beacon_app::audit::Actor;
use beacon_app::calendar::check_calendar;
use beacon_app::{CouncilData, Dataset, LoadReport, Store};
use beacon_domain::calendar::CouncilCalendar;
use beacon_domain::organisation::{Council, CouncilRef};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// Where each item of each council was written.
type Origins = HashMap<(CouncilRef, ItemKey), Origin>;

struct Merger<'a> {
    sources: &'a [Source],
    problems: Vec<Problem>,
    origins: Origins,
}

impl Merger<'_> {
    fn at(&self, origin: &Origin, table: &str, field: &str, message: String) -> Problem {
        let src = &self.sources[origin.source];
        Problem {
            file: src.name.clone(),
            line: if field.is_empty() {
                line_of(&src.text, origin.span.start)
            } else {
                field_line(&src.text, &origin.span, field)
            },
            field: if field.is_empty() {
                table.to_string()
            } else {
                format!("{table}.{field}")
            },
            message,
        }
    }

    fn place(&self, origin: &Origin) -> String {
        let src = &self.sources[origin.source];
        format!("{}:{}", src.name, line_of(&src.text, origin.span.start))
    }

    /// Adds items keyed by ref; the same key twice is fine only with the same content.
    fn merge<T: PartialEq + Clone>(
        &mut self,
        council: &CouncilRef,
        into: &mut Vec<T>,
        items: &[T],
        file: &ParsedFile,
        key: impl Fn(&T) -> ItemKey,
        (what, replace_whole): (&str, bool),
    ) {
        for item in items {
            let k = key(item);
            let origin = file.origins.get(&k).cloned().unwrap_or(Origin {
                source: file.source,
                span: 0..0,
            });
            if let Some(existing) = into.iter().find(|x| key(x) == k) {
                let first = self
                    .origins
                    .get(&(council.clone(), k.clone()))
                    .map(|o| self.place(o))
                    .unwrap_or_default();
                if replace_whole || existing != item {
                    let message = if replace_whole {
                        format!(
                            "this {what} is also given at {first}; give each {what} in one file only"
                        )
                    } else {
                        format!(
                            "this {what} is also defined, differently, at {first}; define it once or the same way"
                        )
                    };
                    let p = self.at(&origin, k.table(), "ref", message);
                    self.problems.push(p);
                }
                continue;
            }
            into.push(item.clone());
            self.origins.insert((council.clone(), k), origin);
        }
    }
}

/// Council ref → (header from the naming file, incoming data).
type Councils = BTreeMap<CouncilRef, (Option<Council>, CouncilData)>;

/// Sources parsed, not yet checked against the database. Parsing needs no database, so a
/// caller may parse while it opens one (`beacon demo` does: the two were a third of its start).
pub struct ParsedSources<'a> {
    sources: Cow<'a, [Source]>,
    files: Vec<ParsedFile>,
}

/// Parses every source: every file's problems, or the files parsed.
pub fn parse_sources<'a>(
    sources: impl Into<Cow<'a, [Source]>>,
) -> Result<ParsedSources<'a>, LoadError> {
    let sources = sources.into();
    let files = parse_all(&sources)?;
    Ok(ParsedSources { sources, files })
}

/// Reads sources into the dataset they describe, checked against what `store` holds.
/// Nothing is written.
pub async fn read_dataset<S: Store>(store: &S, sources: &[Source]) -> Result<Dataset, LoadError> {
    read_parsed(store, &parse_sources(sources)?).await
}

/// The dataset parsed sources describe, merged by council and checked against what `store`
/// holds. Nothing is written.
pub async fn read_parsed<S: Store>(
    store: &S,
    parsed: &ParsedSources<'_>,
) -> Result<Dataset, LoadError> {
    let files = &parsed.files;
    let mut m = Merger {
        sources: &parsed.sources,
        problems: Vec::new(),
        origins: HashMap::new(),
    };
    let mut councils: Councils = BTreeMap::new();
    for f in files {
        m.merge_file(&mut councils, f);
    }
    let mut dataset = Dataset::default();
    for (cref, (header, incoming)) in councils {
        let stored = store
            .council_data(&cref)
            .await
            .map_err(|e| LoadError::other(e.to_string()))?;
        dataset
            .councils
            .push(m.finish(files, &cref, header, incoming, stored));
    }
    dataset.calendars = m.calendars(files);
    LoadError::check(m.problems)?;
    Ok(dataset)
}

/// Parses every source; every file's problems, or the parsed files.
fn parse_all(sources: &[Source]) -> Result<Vec<ParsedFile>, LoadError> {
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        match parse_file(i, s) {
            Ok(p) => parsed.push(p),
            Err(mut ps) => problems.append(&mut ps),
        }
    }
    LoadError::check(problems)?;
    Ok(parsed)
}

/// The council a file's `[council]` table describes, when it names the council.
fn header_of(f: &ParsedFile) -> Option<Council> {
    f.council.name.as_ref().map(|name| Council {
        reference: f.council.reference.clone(),
        name: name.clone(),
        tolerance_percent: f.council.tolerance_percent,
        colour: f.council.colour.clone(),
        risk_matrix: f.council.risk_matrix.clone(),
        projection: f.council.projection,
        exceptions: f.council.exceptions,
    })
}

impl Merger<'_> {
    /// Adds one file's council header and items to the councils read so far.
    fn merge_file(&mut self, councils: &mut Councils, f: &ParsedFile) {
        let cref = f.council.reference.clone();
        let entry = councils.entry(cref.clone()).or_insert_with(|| {
            (
                None,
                CouncilData::new(Council {
                    reference: cref.clone(),
                    name: String::new(),
                    tolerance_percent: None,
                    colour: None,
                    risk_matrix: None,
                    projection: None,
                    exceptions: None,
                }),
            )
        });
        self.merge_header(&mut entry.0, f);
        self.merge_items(&mut entry.1, f);
        // Keep every origin of the file (objectives, milestones, list items) for the checks.
        for (k, o) in &f.origins {
            self.origins
                .entry((cref.clone(), k.clone()))
                .or_insert_with(|| o.clone());
        }
    }

    /// The calendars the naming files set, each checked as `beacon calendar` checks one (a
    /// refusal is a problem at the file's `council.calendar`).
    fn calendars(&mut self, parsed: &[ParsedFile]) -> Vec<(CouncilRef, CouncilCalendar)> {
        let mut out = Vec::new();
        for f in parsed {
            let (Some(_), Some(cal)) = (&f.council.name, &f.council.calendar) else {
                continue;
            };
            if let Err(message) = check_calendar(cal) {
                let p = self.at(&f.council_origin, "council", "calendar", message);
                self.problems.push(p);
            }
            if !out.iter().any(|(c, _)| c == &f.council.reference) {
                out.push((f.council.reference.clone(), cal.clone()));
            }
        }
        out
    }

    /// The council's name and settings come from exactly one file.
    fn merge_header(&mut self, header: &mut Option<Council>, f: &ParsedFile) {
        let cref = &f.council.reference;
        match header_of(f) {
            Some(named) => match header {
                Some(h) if h != &named => {
                    let first = self
                        .origins
                        .get(&(cref.clone(), ItemKey::Council))
                        .map(|o| self.place(o))
                        .unwrap_or_default();
                    let p = self.at(
                        &f.council_origin,
                        "council",
                        "name",
                        format!("the council is also named, differently, at {first}; give its name and settings in exactly one file"),
                    );
                    self.problems.push(p);
                }
                _ => {
                    *header = Some(named);
                    self.origins
                        .insert((cref.clone(), ItemKey::Council), f.council_origin.clone());
                }
            },
            None if f.council.has_settings() => {
                let p = self.at(
                    &f.council_origin,
                    "council",
                    "",
                    "settings are given here but not the council's name; put the settings in the one file that gives `name`".into(),
                );
                self.problems.push(p);
            }
            None => {}
        }
    }

    /// Adds a file's units, officers, frames, plan, quarter, statements and overrides.
    fn merge_items(&mut self, data: &mut CouncilData, f: &ParsedFile) {
        let cref = &f.council.reference;
        self.merge(
            cref,
            &mut data.units,
            &f.units,
            f,
            |x| ItemKey::Unit(x.reference.clone()),
            ("unit", false),
        );
        self.merge(
            cref,
            &mut data.officers,
            &f.officers,
            f,
            |x| ItemKey::Officer(x.reference.clone()),
            ("officer", false),
        );
        self.merge(
            cref,
            &mut data.frames,
            &f.frames,
            f,
            |x| ItemKey::Frame(x.reference.clone()),
            ("frame", false),
        );
        self.merge(
            cref,
            &mut data.library,
            &f.library,
            f,
            |x| ItemKey::Library(x.reference.clone()),
            ("library indicator", false),
        );
        if let Some(p) = &f.plan {
            self.merge(
                cref,
                &mut data.plans,
                std::slice::from_ref(p),
                f,
                |x| ItemKey::Plan(x.plan.reference.clone()),
                ("plan", true),
            );
        }
        if let Some(q) = &f.quarter {
            self.merge(
                cref,
                &mut data.quarters,
                std::slice::from_ref(q),
                f,
                |x| ItemKey::Quarter(x.header.unit.clone(), x.header.period),
                ("quarter", true),
            );
        }
        self.merge(
            cref,
            &mut data.statements,
            &f.statements,
            f,
            |x| ItemKey::Statement(x.reference.clone(), x.period),
            ("statement", true),
        );
        self.merge(
            cref,
            &mut data.overrides,
            &f.overrides,
            f,
            |x| ItemKey::Override(x.plan.clone(), x.kind, x.item.clone(), x.quarter),
            ("status set by hand", true),
        );
    }

    /// One council's incoming data, its header settled against what is stored and the merged
    /// whole checked; every finding becomes a problem at the file and line that caused it.
    fn finish(
        &mut self,
        parsed: &[ParsedFile],
        cref: &CouncilRef,
        header: Option<Council>,
        mut incoming: CouncilData,
        stored: Option<CouncilData>,
    ) -> CouncilData {
        match (header, &stored) {
            (Some(h), _) => incoming.council = h,
            (None, Some(s)) => incoming.council = s.council.clone(),
            (None, None) => {
                let origin = self
                    .origins
                    .get(&(cref.clone(), ItemKey::Council))
                    .cloned()
                    .or_else(|| {
                        parsed
                            .iter()
                            .find(|f| &f.council.reference == cref)
                            .map(|f| f.council_origin.clone())
                    });
                if let Some(o) = origin {
                    let p = self.at(
                        &o,
                        "council",
                        "ref",
                        format!("council {cref:?} is not in the database and no file gives its `name`; give `name` in one file"),
                    );
                    self.problems.push(p);
                }
            }
        }
        let mut merged = overlay(stored, &incoming);
        take_definitions(&mut merged, &mut incoming);
        for finding in check(&merged) {
            let problem = match self.origins.get(&(cref.clone(), finding.item.clone())) {
                Some(o) => self.at(o, finding.item.table(), finding.field, finding.message),
                None => Problem {
                    file: "(stored in the database)".into(),
                    line: 0,
                    field: format!("{}.{}", finding.item.table(), finding.field),
                    message: format!(
                        "{} (this stored item no longer fits the files being loaded)",
                        finding.message
                    ),
                },
            };
            self.problems.push(problem);
        }
        incoming.normalise();
        incoming
    }
}

/// What the database would hold after loading `incoming` over `stored`.
fn overlay(stored: Option<CouncilData>, incoming: &CouncilData) -> CouncilData {
    let mut merged = stored.unwrap_or_else(|| CouncilData::new(incoming.council.clone()));
    merged.council = incoming.council.clone();
    fn put<T: Clone, K: PartialEq>(into: &mut Vec<T>, items: &[T], key: impl Fn(&T) -> K) {
        for item in items {
            into.retain(|x| key(x) != key(item));
            into.push(item.clone());
        }
    }
    put(&mut merged.units, &incoming.units, |x| x.reference.clone());
    put(&mut merged.officers, &incoming.officers, |x| {
        x.reference.clone()
    });
    put(&mut merged.frames, &incoming.frames, |x| {
        x.reference.clone()
    });
    put(&mut merged.library, &incoming.library, |x| {
        x.reference.clone()
    });
    put(&mut merged.plans, &incoming.plans, |x| {
        x.plan.reference.clone()
    });
    put(&mut merged.quarters, &incoming.quarters, |x| {
        (x.header.unit.clone(), x.header.period)
    });
    put(&mut merged.statements, &incoming.statements, |x| {
        (x.reference.clone(), x.period)
    });
    merged.normalise();
    merged
}

/// Gives every plan's indicators that refer to the library their definitions from the library
/// as it will be; a stored plan whose definitions change with the library is loaded again.
fn take_definitions(merged: &mut CouncilData, incoming: &mut CouncilData) {
    let library = &merged.library;
    for p in &mut merged.plans {
        let changed = beacon_domain::library::resolve(p, library);
        let given = incoming
            .plans
            .iter_mut()
            .find(|x| x.plan.reference == p.plan.reference);
        match given {
            Some(x) => *x = p.clone(),
            None if changed => incoming.plans.push(p.clone()),
            None => {}
        }
    }
}

/// Reads, checks and loads sources in one transaction as `by`; any problem loads nothing.
pub async fn load_sources<S: Store>(
    store: &S,
    sources: &[Source],
    by: &Actor,
) -> Result<LoadReport, LoadError> {
    let dataset = read_dataset(store, sources).await?;
    load_dataset(store, &dataset, by).await
}

/// Loads a dataset `read_dataset` made, in one transaction: for a caller that also wants what
/// the files held (`beacon demo` says what it loaded from it).
pub async fn load_dataset<S: Store>(
    store: &S,
    dataset: &Dataset,
    by: &Actor,
) -> Result<LoadReport, LoadError> {
    beacon_app::load(store, dataset, by)
        .await
        .map_err(|e| LoadError::other(e.to_string()))
}
