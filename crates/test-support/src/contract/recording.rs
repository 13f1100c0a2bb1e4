//! The contract's stories of recording a quarter through the one use case every edge calls
//! (`beacon_app::recording`): an unchanged entry writes nothing, an entry changes only the
//! items it carries, a commentary keeps its author unless its text changes, a version is
//! required, a department is locked with its signed-off directorate, and a department's
//! entries are part of its directorate's quarter.

use super::governance::{by, carol, ced, erin, halton, load_halton, q2, read, take_now, when};
use beacon_app::lifecycle::{QuarterStatus, Step};
use beacon_app::recording::{
    self, Author, Entry, EqualityInput, Field, Home, IndicatorInput, Recorded, Refusal, RiskInput,
    Seen, own_commentary,
};
use beacon_app::status::{StatusQuery, status_report};
use beacon_app::{CouncilData, Governance, Store};
use beacon_domain::Ref;
use beacon_domain::quarter::CommentaryAbout;

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

/// A performance officer entering on behalf of `officer`.
fn author(officer: &str, minute: i64) -> Author {
    Author {
        user: "pat".into(),
        display_name: "Pat".into(),
        may_enter_for_others: true,
        on_behalf_of: Some(officer.into()),
        at: when(minute),
    }
}

/// Every indicator of the unit's quarter as the entry form shows it, unchanged.
fn as_shown(data: &CouncilData, unit: &Ref) -> Vec<IndicatorInput> {
    let home = Home::find(data, unit, q2(), None).unwrap();
    home.share
        .indicators
        .iter()
        .map(|ind| {
            let stored = home.record.and_then(|rec| {
                rec.values.iter().find(|v| {
                    ind.answers_to(v.indicator.as_str())
                        && v.period == beacon_domain::period::Period::Quarter(q2())
                })
            });
            let (value, words, qualifier) =
                stored.map_or_else(Default::default, |v| recording::value::as_entered(&v.value));
            let commentary = home.record.map_or_else(String::new, |rec| {
                own_commentary(rec, CommentaryAbout::Indicators, |x| ind.answers_to(x)).0
            });
            IndicatorInput {
                indicator: ind.reference.to_string(),
                period: None,
                value: Some(value),
                words: Some(words),
                qualifier: Some(qualifier),
                commentary: Some(commentary),
                status: Some(String::new()),
                reason: Some(String::new()),
                officer: None,
            }
        })
        .collect()
}

/// The example council with indicator CFS LI03 (multi-agency interventions, the Children and
/// Families department's own measure) given to that department, CED-CFD, as a council marks an
/// indicator's responsible unit. The example's plan names no indicator's unit, so without this
/// the department's share of the plan has milestones only.
async fn load_halton_with_a_department_indicator<S: Store>(store: &S) {
    let mut sources = crate::halton_sources();
    let plan = sources
        .iter_mut()
        .find(|s| s.name.ends_with("ced-2012-13.toml") && s.name.contains("plans"))
        .expect("the example's CED plan");
    let at = "ref = \"CFS LI03\"\n";
    assert!(plan.text.contains(at), "CFS LI03 is in the CED plan");
    plan.text = plan
        .text
        .replacen(at, &format!("{at}unit = \"CED-CFD\"\n"), 1);
    crate::load_files(store, &sources)
        .await
        .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
}

/// CFS LI03 as the department's entry form shows it, unchanged.
fn department_s_indicator(data: &CouncilData) -> IndicatorInput {
    let shown = as_shown(data, &r("CED-CFD"));
    assert_eq!(
        shown
            .iter()
            .map(|i| i.indicator.as_str())
            .collect::<Vec<_>>(),
        ["CFS LI03"],
        "the department's own indicator, and only it"
    );
    shown[0].clone()
}

async fn version<G: Governance>(store: &G, unit: &Ref) -> i64 {
    QuarterStatus::of(
        &store.quarter_statuses(&halton()).await.unwrap(),
        unit,
        q2(),
    )
    .version
}

async fn record<S: Store + Governance>(store: &S, entry: &Entry) -> Result<Recorded, Refusal> {
    let data = read(store).await;
    let statuses = store.quarter_statuses(&halton()).await.unwrap();
    recording::record(store, &data, &statuses, entry).await
}

async fn entry<G: Governance>(
    store: &G,
    unit: &Ref,
    a: Author,
    items: Vec<IndicatorInput>,
) -> Entry {
    Entry {
        unit: unit.clone(),
        quarter: q2(),
        plan: None,
        seen: Seen::Form(Some(version(store, unit).await.to_string())),
        author: a,
        indicators: items,
        milestones: Vec::new(),
        narratives: Vec::new(),
        risks: Vec::new(),
        equalities: Vec::new(),
    }
}

pub async fn an_unchanged_entry_writes_nothing<S: Store + Governance>(store: &S) {
    load_halton(store).await;
    let before = read(store).await;
    let trail = store.audit_trail().await.unwrap();
    let statuses = store.quarter_statuses(&halton()).await.unwrap();
    // Saved by someone else than whoever entered each item: still nothing changes.
    let e = entry(store, &ced(), author("GM", 1), as_shown(&before, &ced())).await;
    let done = record(store, &e).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(done.changes, Vec::<String>::new());
    assert_eq!(read(store).await, before, "values, commentary and initials");
    assert_eq!(store.audit_trail().await.unwrap(), trail, "no audit row");
    assert_eq!(
        store.quarter_statuses(&halton()).await.unwrap(),
        statuses,
        "no version"
    );
}

pub async fn an_entry_changes_only_the_items_it_carries<S: Store + Governance>(store: &S) {
    load_halton(store).await;
    let before = read(store).await;
    let shown = as_shown(&before, &ced());
    let mut one = shown[1].clone();
    one.commentary = Some("A new paragraph on this indicator alone.".into());
    one.value = Some(String::new()); // carried and cleared
    one.words = Some(String::new());
    let e = entry(store, &ced(), author("SN", 1), vec![one.clone()]).await;
    record(store, &e).await.unwrap_or_else(|e| panic!("{e:?}"));
    let after = read(store).await;
    let ced_q = |d: &CouncilData| {
        d.quarters
            .iter()
            .find(|q| q.header.unit == ced())
            .unwrap()
            .clone()
    };
    let (b, a) = (ced_q(&before), ced_q(&after));
    let ind = before.plans[0].indicator(&one.indicator).unwrap();
    let others = |q: &beacon_domain::quarter::QuarterRecord| {
        q.values
            .iter()
            .filter(|v| !ind.answers_to(v.indicator.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(others(&a), others(&b), "every other value kept");
    assert_eq!(a.progress, b.progress);
    assert!(
        a.commentary
            .iter()
            .any(|c| c.text == "A new paragraph on this indicator alone.")
    );
    assert_eq!(a.key_developments, b.key_developments);
}

pub async fn a_commentary_keeps_its_author_unless_its_text_changes<S: Store + Governance>(
    store: &S,
) {
    load_halton(store).await;
    let before = read(store).await;
    let shown = as_shown(&before, &ced());
    let said: Vec<usize> = (0..shown.len())
        .filter(|i| {
            shown[*i]
                .commentary
                .as_deref()
                .is_some_and(|c| !c.is_empty())
        })
        .collect();
    assert!(said.len() >= 2, "the example has commentary on indicators");
    let (kept, changed) = (shown[said[0]].clone(), shown[said[1]].clone());
    let mut changed2 = changed.clone();
    changed2.commentary = Some(format!(
        "{} Updated.",
        changed.commentary.clone().unwrap_or_default()
    ));
    let e = entry(store, &ced(), author("GM", 1), vec![kept.clone(), changed2]).await;
    record(store, &e).await.unwrap_or_else(|e| panic!("{e:?}"));
    let after = read(store).await;
    let initials = |d: &CouncilData, code: &str| {
        let rec = d.quarters.iter().find(|q| q.header.unit == ced()).unwrap();
        let ind = d.plans[0].indicator(code).unwrap();
        own_commentary(rec, CommentaryAbout::Indicators, |x| ind.answers_to(x)).1
    };
    assert_eq!(
        initials(&after, &kept.indicator),
        initials(&before, &kept.indicator),
        "unchanged text keeps its author"
    );
    assert_eq!(
        initials(&after, &changed.indicator),
        vec![r("GM")],
        "changed text is signed by who changed it"
    );
}

pub async fn an_entry_without_its_version_is_refused<S: Store + Governance>(store: &S) {
    load_halton(store).await;
    let before = read(store).await;
    let mut one = as_shown(&before, &ced())[0].clone();
    one.value = Some("80%".into());
    for seen in [None, Some("seven".to_string()), Some(String::new())] {
        let mut e = entry(store, &ced(), author("SN", 1), vec![one.clone()]).await;
        e.seen = Seen::Form(seen.clone());
        match record(store, &e).await {
            Err(Refusal::Problems(ps)) => {
                assert!(
                    ps.iter().any(|p| p.field == Field::Version
                        && p.message.contains("version of the quarter")),
                    "{seen:?}: {ps:?}"
                );
            }
            other => panic!("{seen:?}: {other:?}"),
        }
    }
    assert_eq!(read(store).await, before);
}

pub async fn a_department_under_a_signed_off_directorate_is_refused<S: Store + Governance>(
    store: &S,
) {
    load_halton_with_a_department_indicator(store).await;
    take_now(store, &carol(), Step::Submit, &by("carol", 1))
        .await
        .unwrap();
    take_now(store, &erin(), Step::SignOff, &by("erin", 2))
        .await
        .unwrap();
    let before = read(store).await;
    let trail = store.audit_trail().await.unwrap();
    let cfd = r("CED-CFD");
    let mut one = department_s_indicator(&before);
    one.value = Some("12".into());
    one.commentary = Some("Entered after sign-off.".into());
    let e = entry(store, &cfd, author("SN", 3), vec![one.clone()]).await;
    match record(store, &e).await {
        Err(Refusal::Refused(m)) => assert!(
            m.contains("CED 2012/13 Q2 is signed off") && m.contains("CED-CFD is part of it"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    // Its milestones too: the department's own items in the example's plan.
    let mut progress = entry(store, &cfd, author("SN", 3), Vec::new()).await;
    progress.milestones = vec![beacon_app::recording::MilestoneInput {
        milestone: "CFS2/2".into(),
        progress: Some("complete".into()),
        completed: Some("2012-09-14".into()),
        ..Default::default()
    }];
    match record(store, &progress).await {
        Err(Refusal::Refused(m)) => assert!(m.contains("CED-CFD is part of it"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Setting a department's item's status by hand is refused by the same lock.
    let req = beacon_app::status::OverrideRequest {
        plan: before.plans[0].plan.reference.clone(),
        kind: beacon_domain::status::overrides::ItemKind::Indicator,
        item: r(&one.indicator),
        quarter: q2(),
        chosen: beacon_domain::status::Progress::Green,
        reason: "Judged on the latest local figures".into(),
        by: "pat".into(),
        at: "2012-10-16T10:04:00Z".parse().unwrap(),
    };
    let refused = beacon_app::status::set_status(store, &halton(), req).await;
    assert!(
        matches!(&refused, Err(beacon_app::AppError::Refused(m)) if m.contains("signed off")),
        "{refused:?}"
    );
    assert_eq!(read(store).await, before, "nothing saved");
    assert_eq!(store.audit_trail().await.unwrap(), trail, "no audit row");
}

pub async fn a_department_s_values_appear_in_its_directorate_s_quarter<S: Store + Governance>(
    store: &S,
) {
    load_halton_with_a_department_indicator(store).await;
    let before = read(store).await;
    let cfd = r("CED-CFD");
    let mut one = department_s_indicator(&before);
    let ind = before.plans[0].indicator(&one.indicator).unwrap().clone();
    let v = if ind.measure == Some(beacon_domain::indicator::MeasureUnit::Percent) {
        "42%"
    } else {
        "42"
    };
    one.value = Some(v.into());
    one.words = Some(String::new());
    one.commentary = Some("Entered by the department.".into());
    let e = entry(store, &cfd, author("SN", 1), vec![one]).await;
    record(store, &e).await.unwrap_or_else(|e| panic!("{e:?}"));
    let after = read(store).await;
    assert!(
        !after.quarters.iter().any(|q| q.header.unit == cfd),
        "no separate department record"
    );
    let ced_q = after
        .quarters
        .iter()
        .find(|q| q.header.unit == ced() && q.header.period == q2())
        .unwrap();
    assert!(
        ced_q
            .values
            .iter()
            .any(|x| ind.answers_to(x.indicator.as_str()) && x.value.text() == v)
    );
    let report = status_report(
        &after,
        &StatusQuery {
            quarter: q2(),
            plan: None,
            unit: Some(ced()),
        },
    );
    let s = report
        .indicators
        .iter()
        .find(|s| s.reference == ind.reference)
        .unwrap();
    assert_eq!(
        s.value.as_ref().map(|(_, m)| m.text()),
        Some(v),
        "the directorate's quarter shows it"
    );
    // The department's version moved on with its entry, and so did the directorate's.
    assert!(version(store, &cfd).await > 0);
    assert!(version(store, &ced()).await > 0);
}

/// The example council with an equality action in CED's plan (the example's plan has none).
async fn load_halton_with_an_equality_action<S: Store>(store: &S) {
    let mut sources = crate::halton_sources();
    let plan = sources
        .iter_mut()
        .find(|s| s.name.ends_with("ced-2012-13.toml") && s.name.contains("plans"))
        .expect("the example's CED plan");
    plan.text.push_str(
        "\n[[equality_actions]]\nref = \"EQ1\"\narea = \"Short breaks for disabled children\"\naction = \"Consult families on the short breaks offer\"\n",
    );
    crate::load_files(store, &sources)
        .await
        .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
}

/// An entry of risk and equality action updates for CED's `quarter`, at its current version.
async fn updates<S: Store + Governance>(
    store: &S,
    quarter: beacon_domain::period::Quarter,
    risks: Vec<RiskInput>,
    equalities: Vec<EqualityInput>,
) -> Entry {
    let seen = QuarterStatus::of(
        &store.quarter_statuses(&halton()).await.unwrap(),
        &ced(),
        quarter,
    )
    .version;
    Entry {
        unit: ced(),
        quarter,
        plan: None,
        seen: Seen::Form(Some(seen.to_string())),
        author: author("TC", 5),
        indicators: Vec::new(),
        milestones: Vec::new(),
        narratives: Vec::new(),
        risks,
        equalities,
    }
}

fn cfs1(progress: Option<&str>, likelihood: &str, impact: &str) -> RiskInput {
    RiskInput {
        risk: "CFS1".into(),
        progress: progress.map(str::to_string),
        likelihood: Some(likelihood.into()),
        impact: Some(impact.into()),
        officer: None,
    }
}

/// A risk's likelihood and impact are recorded each quarter through the one entry use case:
/// banded by the council's matrix, kept on every backend, read as a trend across the year,
/// refused in the plan files' words when they do not fit the matrix, listed in the audit trail
/// field by field, and refused on a signed-off quarter. An equality action's progress too.
pub async fn a_risk_is_assessed_each_quarter_and_its_trend_read_back<S: Store + Governance>(
    store: &S,
) {
    load_halton_with_an_equality_action(store).await;
    let q1: beacon_domain::period::Quarter = "2012/13 Q1".parse().unwrap();
    let first = updates(
        store,
        q1,
        vec![cfs1(Some("CareFirst6 is live in two teams."), "3", "4")],
        Vec::new(),
    )
    .await;
    let done = record(store, &first)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        done.changes.contains(
            &"assessment of risk CFS1 this quarter: likelihood 3 × impact 4 = 12; 11–16 is high on the 4×4 matrix → high".to_string()
        ),
        "{:?}",
        done.changes
    );
    let before_q2 = read(store).await;
    let stored_q2_text = recording::risk_as_entered(
        before_q2
            .quarters
            .iter()
            .find(|q| q.header.unit == ced() && q.header.period == q2())
            .unwrap(),
        &r("CFS1"),
    )
    .0;
    // Q2: only the scores; the progress already written for the quarter is kept.
    let second = updates(
        store,
        q2(),
        vec![cfs1(None, "3", "3")],
        vec![EqualityInput {
            action: "EQ1".into(),
            progress: Some("Three consultation events held.".into()),
        }],
    )
    .await;
    record(store, &second)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let data = read(store).await;
    let plan = r("CED-2012-13");
    let trend = beacon_app::status::risk_trend(&data, &plan, &r("CFS1"), q2().year);
    assert_eq!(trend.to_string(), "Q1 12 High → Q2 9 Medium, falling");
    let q2_record = data
        .quarters
        .iter()
        .find(|q| q.header.unit == ced() && q.header.period == q2())
        .unwrap();
    assert_eq!(
        recording::risk_as_entered(q2_record, &r("CFS1")),
        (stored_q2_text, Some(3), Some(3))
    );
    assert_eq!(
        recording::equality_as_entered(q2_record, &r("EQ1")),
        "Three consultation events held."
    );
    let report = status_report(
        &data,
        &StatusQuery {
            quarter: q2(),
            plan: Some(plan.clone()),
            unit: None,
        },
    );
    let current = report
        .risks
        .iter()
        .find(|x| x.reference.as_str() == "CFS1")
        .and_then(|x| x.current.clone())
        .expect("the quarter's assessment");
    assert_eq!(current.status, beacon_domain::risk::Band::Medium);
    // The audit trail lists the change field by field.
    let (trail, _) = store.audit_trail().await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.note.field.starts_with("risk_updates")
                && e.note.field.ends_with(".impact")
                && e.note.new.as_deref() == Some("3")
                && e.note.actor == "pat"),
        "the impact's change is audited, with who made it"
    );
    scores_beyond_the_matrix_are_refused_in_the_files_words(store, &data).await;
    a_signed_off_quarter_refuses_a_new_assessment(store).await;
}

/// Scores beyond the council's 4 × 4 matrix, or half an assessment: refused in the files' words,
/// nothing saved.
async fn scores_beyond_the_matrix_are_refused_in_the_files_words<S: Store + Governance>(
    store: &S,
    data: &CouncilData,
) {
    let matrix = data.settings().matrix;
    for (l, i, field) in [("5", "2", Field::Likelihood), ("2", "", Field::Impact)] {
        let e = updates(store, q2(), vec![cfs1(None, l, i)], Vec::new()).await;
        let expected = matrix
            .check(&beacon_domain::risk::RiskAssessment {
                score: None,
                likelihood: l.parse().ok(),
                impact: i.parse().ok(),
                band: None,
            })
            .unwrap_err();
        match record(store, &e).await {
            Err(Refusal::Problems(ps)) => assert!(
                ps.iter()
                    .any(|p| p.field == field && p.message == format!("risk CFS1: {expected}")),
                "{ps:?}"
            ),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(&read(store).await, data, "nothing saved");
}

/// Signed off, the quarter refuses a new assessment, and nothing is saved.
async fn a_signed_off_quarter_refuses_a_new_assessment<S: Store + Governance>(store: &S) {
    take_now(store, &carol(), Step::Submit, &by("carol", 6))
        .await
        .unwrap();
    take_now(store, &erin(), Step::SignOff, &by("erin", 7))
        .await
        .unwrap();
    let signed = read(store).await;
    let e = updates(store, q2(), vec![cfs1(None, "1", "1")], Vec::new()).await;
    match record(store, &e).await {
        Err(Refusal::Refused(m)) => assert!(m.contains("signed off"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(read(store).await, signed, "nothing saved");
}
