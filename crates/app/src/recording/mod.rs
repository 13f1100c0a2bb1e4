//! Recording a unit's quarter: the one use case behind the entry form, the workbook and CSV
//! upload and (to come) the API. An [`Entry`] holds every field as the edge received it;
//! [`record`] applies every rule once (values and their data-quality rules, required
//! commentary, statuses set by hand through the same code as `beacon set-status`, the version
//! the writer saw, the locks of units' quarters) and answers with what was recorded or every
//! problem, each naming its item and field.

pub mod entry;
mod merge;
pub mod problem;
pub mod required;
mod updates;
pub mod value;

pub use entry::{
    Author, Entry, EqualityInput, IndicatorInput, MilestoneInput, NarrativeInput, NarrativeKind,
    RiskInput, Seen,
};
pub use merge::{MAX_TEXT, own_commentary, same_value};
pub use problem::{Field, Problem, Spot};
pub use updates::{equality_as_entered, risk_as_entered};

use crate::audit::Actor;
use crate::commit;
use crate::dataset::CouncilData;
use crate::error::AppError;
use crate::lifecycle::QuarterStatus;
use crate::ports::{ChangeSet, CouncilChanges, Store};
use crate::status::{OverrideRequest, StatusQuery, override_for, status_report};
use beacon_domain::Ref;
use beacon_domain::council::Share;
use beacon_domain::equality::EqualityAction;
use beacon_domain::organisation::Unit;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{QuarterHeader, QuarterRecord};
use beacon_domain::status::Progress as Rag;
use beacon_domain::status::overrides::{ItemKind, Override};
use merge::{Follow, Merge};

/// Where a unit's quarter is recorded (docs/governance.md, "Units' quarters"): the plan the
/// unit reports on, the unit's share of it, and the record of the unit that owns the plan,
/// which holds the entries of every unit under it.
#[derive(Debug, Clone)]
pub struct Home<'a> {
    pub unit: &'a Unit,
    pub quarter: Quarter,
    pub share: Share<'a>,
    pub record: Option<&'a QuarterRecord>,
}

impl<'a> Home<'a> {
    pub fn plan(&self) -> &'a PlanDocument {
        self.share.plan
    }

    /// Finds a unit's home for the quarter: the plan named, else the one its own record (kept
    /// before this rule) reports on, else the newest of the plans it reports on.
    pub fn find(
        data: &'a CouncilData,
        unit: &Ref,
        quarter: Quarter,
        plan: Option<&Ref>,
    ) -> Result<Home<'a>, String> {
        let council = &data.council.reference;
        let tree = data.tree();
        let u = tree.unit(unit).ok_or_else(|| {
            format!("no unit {unit} in council {council}; expected one of its unit refs")
        })?;
        let own = data
            .quarters
            .iter()
            .find(|r| &r.header.unit == unit && r.header.period == quarter)
            .map(|r| &r.header.plan);
        let covering = tree.plans_for(&data.plans, unit, quarter.year);
        let plan = match plan.or(own) {
            Some(p) => data
                .plan(p.as_str())
                .filter(|d| tree.within(unit, &d.plan.unit) && d.reaches(quarter.year))
                .ok_or_else(|| format!("plan {p} is not a plan of unit {unit} or a unit above it covering {}", quarter.year))?,
            None => covering
                .iter()
                .copied()
                .max_by_key(|p| p.plan.years.first())
                .ok_or_else(|| format!("no plan covering {} is unit {unit}'s or a unit's above it; load its plan first", quarter.year))?,
        };
        let record = data
            .quarters
            .iter()
            .find(|r| r.header.unit == plan.plan.unit && r.header.period == quarter);
        Ok(Home {
            unit: u,
            quarter,
            share: tree.share(plan, unit, quarter.year),
            record,
        })
    }

    /// The risks the unit reports on this quarter: the plan's risks in its share, then its
    /// objectives' own assessments, each with its ref and description.
    pub fn risks(&self) -> Vec<(&'a Ref, String)> {
        let risks = self
            .share
            .risks
            .iter()
            .map(|r| (&r.reference, r.description.clone()));
        let objectives = self
            .share
            .objectives
            .iter()
            .filter(|o| o.initial_risk.is_some() || o.residual_risk.is_some())
            .filter(|o| !self.share.risks.iter().any(|r| r.reference == o.reference))
            .map(|o| (&o.reference, format!("Risk to objective {}", o.reference)));
        risks.chain(objectives).collect()
    }

    /// The equality actions the unit reports on this quarter: the plan's, for the unit that
    /// owns it, in the quarter's year (an action without years is in every year).
    pub fn equality_actions(&self) -> Vec<&'a EqualityAction> {
        let year = self.quarter.year;
        self.plan()
            .equality_actions
            .iter()
            .filter(|a| self.share.whole && (a.years.is_empty() || a.years.contains(&year)))
            .collect()
    }

    fn new_record(&self) -> QuarterRecord {
        QuarterRecord {
            header: QuarterHeader {
                unit: self.plan().plan.unit.clone(),
                period: self.quarter,
                plan: self.plan().plan.reference.clone(),
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
}

/// Why a unit's quarter cannot change, if it cannot: it, or the same quarter of a unit above
/// it, is signed off or published. The same rule the store applies through the guards.
pub fn lock(
    data: &CouncilData,
    statuses: &[QuarterStatus],
    unit: &Ref,
    quarter: Quarter,
) -> Option<String> {
    data.tree().line(unit).into_iter().find_map(|at| {
        let s = QuarterStatus::of(statuses, at, quarter);
        s.state.is_locked().then(|| {
            let part = if at == unit { String::new() } else { format!(", and {unit} is part of it") };
            format!(
                "{at} {quarter} is {} (by {} at {}){part}: an approver must reopen it before it can change",
                s.state.label().to_lowercase(),
                s.changed_by,
                s.changed_at.format("%H:%M on %-d %B %Y")
            )
        })
    })
}

/// What an entry recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// What changed, in words; empty when the entry changed nothing (and nothing was written).
    pub changes: Vec<String>,
}

/// Why an entry was not recorded.
#[derive(Debug)]
pub enum Refusal {
    /// What is wrong with the entry, every problem.
    Problems(Vec<Problem>),
    /// The quarter is locked or changed since the writer read it.
    Refused(String),
    Failed(AppError),
}

/// A checked entry, ready to write.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub changes: CouncilChanges,
    pub described: Vec<String>,
    pub actor: Actor,
    /// The version the writer read, for a form.
    pub read: Option<i64>,
}

/// The version a form says it was shown at: required of a form, missing or garbled refused.
pub fn version(seen: &Seen) -> Result<Option<i64>, Problem> {
    let Seen::Form(v) = seen else {
        return Ok(None);
    };
    let t = v.as_deref().map(str::trim).unwrap_or("");
    if t.is_empty() {
        return Err(Problem::new(
            Spot::Entry,
            Field::Version,
            "The form did not say which version of the quarter it was opened on, so saving it could overwrite someone else's changes. Nothing was saved: open the page again and make your changes there",
        ));
    }
    t.parse::<i64>().map(Some).map_err(|_| Problem::new(Spot::Entry, Field::Version, format!("{t:?} is not a version of the quarter (a whole number). Nothing was saved: open the page again and make your changes there")))
}

/// Whether a user is the officer: the same name, or a username that is the officer's initials.
pub fn is_officer(
    o: &beacon_domain::organisation::Officer,
    username: &str,
    display_name: &str,
) -> bool {
    o.name.eq_ignore_ascii_case(display_name.trim()) || o.answers_to(username)
}

/// The officer whose initials the entry carries, and the actor the audit trail records.
fn author(data: &CouncilData, a: &Author, problems: &mut Vec<Problem>) -> (Vec<Ref>, Actor) {
    let actor = Actor::new(a.user.clone(), a.at);
    let chosen = a
        .on_behalf_of
        .as_deref()
        .map(str::trim)
        // Only a performance officer is offered the choice; anyone else enters as themselves.
        .filter(|t| !t.is_empty() && a.may_enter_for_others);
    if let Some(t) = chosen {
        return match data.officers.iter().find(|o| o.answers_to(t)) {
            Some(o) => (
                vec![o.reference.clone()],
                actor.because(format!("entered on behalf of {} ({})", o.name, o.reference)),
            ),
            None => {
                problems.push(Problem::new(Spot::Entry, Field::Officer, format!("no officer has the initials {t:?}; choose who you are entering for from the list")));
                (Vec::new(), actor)
            }
        };
    }
    let me = data
        .officers
        .iter()
        .find(|o| is_officer(o, a.user.as_str(), &a.display_name));
    (
        me.map(|o| vec![o.reference.clone()]).unwrap_or_default(),
        actor,
    )
}

/// Checks an entry against the council's data and works out what it changes. Pure.
pub fn prepare(data: &CouncilData, entry: &Entry) -> Result<Prepared, Vec<Problem>> {
    let mut problems = Vec::new();
    let read = version(&entry.seen).map_err(|p| vec![p])?;
    let home = Home::find(data, &entry.unit, entry.quarter, entry.plan.as_ref())
        .map_err(|m| vec![Problem::new(Spot::Entry, Field::Item, m)])?;
    let (initials, actor) = author(data, &entry.author, &mut problems);
    let mut m = Merge {
        record: home.record.cloned().unwrap_or_else(|| home.new_record()),
        quarter: entry.quarter,
        initials,
        officers: entry
            .author
            .may_enter_for_others
            .then(|| data.officers.clone()),
        described: Vec::new(),
        problems: Vec::new(),
        follow: Vec::new(),
    };
    let mut hand = Vec::new();
    for (n, input) in entry.indicators.iter().enumerate() {
        let code = input.indicator.trim();
        match home.share.indicators.iter().find(|i| i.answers_to(code)) {
            Some(ind) => {
                m.indicator(n, ind, input);
                hand.push((
                    Spot::Indicator(n),
                    ItemKind::Indicator,
                    ind.reference.clone(),
                    input.status.clone(),
                    input.reason.clone(),
                ));
            }
            None => m
                .problems
                .push(not_here(&home, Spot::Indicator(n), "indicator", code)),
        }
    }
    for (n, input) in entry.milestones.iter().enumerate() {
        let code = input.milestone.trim();
        match home
            .share
            .milestones
            .iter()
            .find(|(_, x)| x.reference.as_str() == code)
        {
            Some((_, ms)) => {
                m.milestone(n, ms, input);
                hand.push((
                    Spot::Milestone(n),
                    ItemKind::Milestone,
                    ms.reference.clone(),
                    input.status.clone(),
                    input.reason.clone(),
                ));
            }
            None => m
                .problems
                .push(not_here(&home, Spot::Milestone(n), "milestone", code)),
        }
    }
    for (n, input) in entry.narratives.iter().enumerate() {
        m.narrative(n, input);
    }
    updates(data, &home, entry, &mut m);
    problems.append(&mut m.problems);
    at_risk_commentary(&m, &mut problems);
    // Every problem at once: the rules on statuses set by hand and on required commentary are
    // checked even when some values were refused, so a person fixes everything in one pass.
    let mut after = data.clone();
    let key = (&m.record.header.unit, m.record.header.period);
    after
        .quarters
        .retain(|r| (&r.header.unit, r.header.period) != key);
    after.quarters.push(m.record.clone());
    let overrides = set_by_hand(&after, &home, &actor, hand, &mut problems);
    required_commentary(&after, &home, &m, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut described = m.described;
    described.extend(
        overrides
            .iter()
            .map(|o| format!("status of {} {} set by hand: {}", o.kind, o.item, o.chosen)),
    );
    let stored_record = home.record;
    let quarters = if stored_record == Some(&m.record)
        || (stored_record.is_none() && described.iter().all(|d| d.starts_with("status of")))
    {
        Vec::new()
    } else {
        vec![m.record]
    };
    Ok(Prepared {
        changes: CouncilChanges {
            quarters,
            overrides,
            ..CouncilChanges::council_only(&data.council)
        },
        described,
        actor,
        read,
    })
}

/// The entry's risk and equality action updates, each naming one of the unit's.
fn updates(data: &CouncilData, home: &Home<'_>, entry: &Entry, m: &mut Merge) {
    let matrix = data.settings().matrix;
    let risks = home.risks();
    for (n, input) in entry.risks.iter().enumerate() {
        let code = input.risk.trim();
        match risks.iter().find(|(r, _)| r.as_str() == code) {
            Some((r, _)) => m.risk(n, r, input, &matrix),
            None => m.problems.push(not_here(home, Spot::Risk(n), "risk", code)),
        }
    }
    let actions = home.equality_actions();
    for (n, input) in entry.equalities.iter().enumerate() {
        let code = input.action.trim();
        match actions.iter().find(|a| a.reference.as_str() == code) {
            Some(a) => m.equality(n, &a.reference, input),
            None => m
                .problems
                .push(not_here(home, Spot::Equality(n), "equality action", code)),
        }
    }
}

fn not_here(home: &Home<'_>, spot: Spot, kind: &str, code: &str) -> Problem {
    let plan = &home.plan().plan.reference;
    Problem::new(
        spot,
        Field::Item,
        format!(
            "{kind} {code:?} is not one of unit {}'s {kind}s in plan {plan} for {}",
            home.unit.reference, home.quarter
        ),
    )
}

type Hand = (Spot, ItemKind, Ref, Option<String>, Option<String>);

/// Statuses set by hand, through the same code as `beacon set-status`; one the same as stored
/// (status and reason) changes nothing.
fn set_by_hand(
    after: &CouncilData,
    home: &Home<'_>,
    actor: &Actor,
    hand: Vec<Hand>,
    problems: &mut Vec<Problem>,
) -> Vec<Override> {
    let mut out = Vec::new();
    for (spot, kind, item, status, reason) in hand {
        let chosen = status.as_deref().map(str::trim).unwrap_or("");
        if chosen.is_empty() {
            continue;
        }
        let Ok(chosen) = chosen.parse::<Rag>() else {
            problems.push(Problem::new(
                spot,
                Field::Status,
                format!(
                    "{chosen:?} is not a status; choose one of {}",
                    Rag::choices()
                ),
            ));
            continue;
        };
        let reason = reason.unwrap_or_default().trim().to_string();
        let plan = home.plan().plan.reference.clone();
        let same = after.overrides.iter().any(|o| {
            o.plan == plan
                && o.kind == kind
                && o.item == item
                && o.quarter == home.quarter
                && o.chosen == chosen
                && o.reason == reason
        });
        if same {
            continue;
        }
        let req = OverrideRequest {
            plan,
            kind,
            item,
            quarter: home.quarter,
            chosen,
            reason,
            by: actor.name.clone(),
            at: actor.at,
        };
        match override_for(after, req) {
            Ok(o) => out.push(o),
            Err(e) => {
                let field = if e.to_string().contains("reason") {
                    Field::Reason
                } else {
                    Field::Status
                };
                problems.push(Problem::new(spot, field, e.to_string()));
            }
        }
    }
    out
}

/// Commentary is required where a changed value is Red or words only, and where a milestone
/// was put at risk or off track.
fn required_commentary(
    after: &CouncilData,
    home: &Home<'_>,
    m: &Merge,
    problems: &mut Vec<Problem>,
) {
    let report = status_report(
        after,
        &StatusQuery {
            quarter: home.quarter,
            plan: Some(home.plan().plan.reference.clone()),
            unit: None,
        },
    );
    for f in &m.follow {
        match f {
            Follow::Value(n, r) => {
                let Some(ind) = home.share.indicators.iter().find(|i| &i.reference == r) else {
                    continue;
                };
                let why = required::for_value(&report, &m.record, ind);
                if let Some(why) = why
                    && !required::said(&m.record, r, &|x| ind.answers_to(x))
                {
                    problems.push(Problem::new(Spot::Indicator(*n), Field::Commentary, format!("indicator {}: commentary is required because {why}; say why and what is being done", ind.all_codes())));
                }
            }
            Follow::AtRisk(..) => {}
        }
    }
}

/// Commentary is required where a milestone was put at risk or off track.
fn at_risk_commentary(m: &Merge, problems: &mut Vec<Problem>) {
    for f in &m.follow {
        if let Follow::AtRisk(n, r, s) = f
            && !required::said(&m.record, r, &|x| x == r.as_str())
        {
            problems.push(Problem::new(
                Spot::Milestone(*n),
                Field::Commentary,
                format!("milestone {r} is {s}: commentary is required, saying what is being done"),
            ));
        }
    }
}

/// Records an entry: checks it, refuses it whole with every problem, or writes what changed
/// in one transaction with its audit notes. An entry that changes nothing writes nothing.
/// `statuses` are the council's quarters' states, read by the caller.
pub async fn record<S: Store>(
    store: &S,
    data: &CouncilData,
    statuses: &[QuarterStatus],
    entry: &Entry,
) -> Result<Recorded, Refusal> {
    if let Err(p) = version(&entry.seen) {
        return Err(Refusal::Problems(vec![p]));
    }
    if let Some(why) = lock(data, statuses, &entry.unit, entry.quarter) {
        return Err(Refusal::Refused(format!("Nothing was saved: {why}.")));
    }
    let p = prepare(data, entry).map_err(Refusal::Problems)?;
    if p.changes.is_empty() {
        return Ok(Recorded {
            changes: Vec::new(),
        });
    }
    let set = change_set(data, entry, p.clone());
    match store.apply(&set).await {
        Ok(()) => Ok(Recorded {
            changes: p.described,
        }),
        Err(crate::StoreError::Refused(m)) => Err(Refusal::Refused(m)),
        Err(e) => Err(Refusal::Failed(e.into())),
    }
}

/// The change set that writes a prepared entry: guarded by the unit's quarter (at the version
/// the writer read, for a form) and every quarter it writes to, with the units above them.
pub fn change_set(data: &CouncilData, entry: &Entry, p: Prepared) -> ChangeSet {
    let mut set = ChangeSet::default();
    match p.read {
        Some(v) => commit::stage_read(
            &mut set,
            Some(data),
            p.changes,
            &p.actor,
            (&entry.unit, entry.quarter, v),
        ),
        None => {
            let touched = vec![(entry.unit.clone(), entry.quarter)];
            let mut gs = commit::guards(Some(data), &p.changes, &touched, None, &p.actor);
            let mut s2 = ChangeSet::default();
            commit::stage(&mut s2, Some(data), p.changes, &p.actor, None);
            for g in s2.guards {
                if !gs
                    .iter()
                    .any(|x| x.unit == g.unit && x.quarter == g.quarter)
                {
                    gs.push(g);
                }
            }
            set.councils = s2.councils;
            set.audit = s2.audit;
            set.guards = gs;
        }
    }
    set
}
