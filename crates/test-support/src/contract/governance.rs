//! The contract's governance stories: users and sign-in, sessions, the life of a quarter,
//! publications and the audit trail, on any store that is also `Governance`. Most go through
//! the use cases a person runs (sign in, save the entry form, sign off, publish); a few go
//! through the port directly where the use case lives in the web edge. Times are always given:
//! the use cases never read the clock.

use super::fixtures::governance as port;
use super::fixtures::{everything, m, rich_council};
use crate::{halton_sources, source};
use beacon_app::access::{Grant, Principal, Role};
use beacon_app::accounts::{
    self, ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SessionRecord, SignIn, THROTTLE_WINDOW, UserChange,
};
use beacon_app::audit::{Actor, AuditNote, AuditTrail, check_anchors, verify};
use beacon_app::lifecycle::{QuarterState, QuarterStatus, Step, changed_since, plan_step};
use beacon_app::publication::{
    AuditAnchor, Publication, PublicationMeta, PublishedFile, content_hash,
};
use beacon_app::{AppError, ChangeSet, CouncilChanges, CouncilData, Governance, Store, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Duration, TimeZone, Utc};

pub(super) fn halton() -> CouncilRef {
    "halton".parse().unwrap()
}

pub(super) fn ced() -> Ref {
    "CED".parse().unwrap()
}

pub(super) fn q2() -> Quarter {
    "2012/13 Q2".parse().unwrap()
}

/// `minute` minutes after 10:00 on 16 October 2012, the day after the example council's files
/// were loaded.
pub(super) fn when(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2012, 10, 16, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

pub(super) fn by(name: &str, minute: i64) -> Actor {
    Actor::new(name, when(minute))
}

pub(super) async fn load_halton<S: Store>(store: &S) {
    crate::load_files(store, &halton_sources())
        .await
        .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
}

pub(super) async fn read<S: Store>(store: &S) -> CouncilData {
    store.council_data(&halton()).await.unwrap().unwrap()
}

/// Someone signed in with one role on the example council (on one unit when given).
fn person(name: &str, role: Role, unit: Option<&str>) -> Principal {
    Principal {
        user_id: 0,
        username: name.into(),
        display_name: name.into(),
        grants: vec![Grant {
            role,
            council: halton(),
            unit: unit.map(|u| u.parse().unwrap()),
        }],
    }
}

pub(super) fn carol() -> Principal {
    person("carol", Role::Contributor, Some("CED"))
}

pub(super) fn erin() -> Principal {
    person("erin", Role::Approver, None)
}

pub(super) fn pat() -> Principal {
    person("pat", Role::PerformanceOfficer, None)
}

/// Where CED's 2012/13 Q2 stands.
async fn ced_q2<G: Governance>(store: &G) -> QuarterStatus {
    store
        .quarter_statuses(&halton())
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.unit == ced() && s.quarter == q2())
        .unwrap_or_else(|| QuarterStatus::fresh(ced(), q2()))
}

/// Takes a step on CED's 2012/13 Q2 as the sign-off page does: checked against the version the
/// page showed, with a note for the audit trail, and the publication when it publishes.
async fn take<S: Store + Governance>(
    store: &S,
    who: &Principal,
    step: Step,
    seen: i64,
    by: &Actor,
    publication: Option<&Publication>,
) -> Result<(), AppError> {
    let data = read(store).await;
    let current = ced_q2(store).await;
    let t = plan_step(who, &data, &current, step, seen, false, by)?;
    let note = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(halton().to_string()),
        entity: format!("quarter {} {}", ced(), q2()),
        item: None,
        field: "state".into(),
        old: Some(current.state.label().into()),
        new: Some(t.to.state.label().into()),
        reason: by.reason.clone(),
    };
    store.transition(&t, publication, &[note]).await?;
    Ok(())
}

/// Takes a step from the version that stands now.
pub(super) async fn take_now<S: Store + Governance>(
    store: &S,
    who: &Principal,
    step: Step,
    by: &Actor,
) -> Result<(), AppError> {
    let seen = ced_q2(store).await.version;
    take(store, who, step, seen, by, None).await
}

/// The entry form saved: the first value of CED's 2012/13 Q2 set to `value`, by someone who
/// opened the form at version `seen`.
async fn save<S: Store>(store: &S, by: &Actor, seen: i64, value: &str) -> Result<(), AppError> {
    let data = read(store).await;
    let mut quarter = data
        .quarters
        .iter()
        .find(|q| q.header.unit == ced() && q.header.period == q2())
        .unwrap()
        .clone();
    quarter.values[0].value = m(value);
    let changes = CouncilChanges {
        council: data.council.clone(),
        units: vec![],
        officers: vec![],
        frames: vec![],
        library: vec![],
        plans: vec![],
        quarters: vec![quarter],
        statements: vec![],
        removed_statements: vec![],
        removed_library: vec![],
        kept_versions: vec![],
        overrides: vec![],
    };
    beacon_app::commit::write(store, Some(&data), changes, by, Some(seen)).await
}

/// The first value of CED's 2012/13 Q2 as stored.
async fn first_value<S: Store>(store: &S) -> String {
    let data = read(store).await;
    let q = data
        .quarters
        .iter()
        .find(|q| q.header.unit == ced() && q.header.period == q2())
        .unwrap();
    q.values[0].value.text().to_string()
}

/// Everything a refused write must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    data: CouncilData,
    trail: AuditTrail,
    statuses: Vec<QuarterStatus>,
    revision: Option<i64>,
    publications: Vec<PublicationMeta>,
}

async fn snapshot<S: Store + Governance>(store: &S) -> Snapshot {
    Snapshot {
        data: read(store).await,
        trail: store.audit_trail().await.unwrap(),
        statuses: store.quarter_statuses(&halton()).await.unwrap(),
        revision: store.revision(&halton()).await.unwrap(),
        publications: store.publications(&halton()).await.unwrap(),
    }
}

/// The trail verifies; returns its length.
async fn verified<G: Governance>(store: &G) -> usize {
    let (trail, head) = store.audit_trail().await.unwrap();
    let n = verify(&trail, head).unwrap_or_else(|b| panic!("the audit trail breaks: {b}"));
    assert_eq!(n, trail.len());
    let publications = store.publications(&halton()).await.unwrap();
    let anchored = check_anchors(&trail, &publications)
        .unwrap_or_else(|b| panic!("a publication's anchor does not hold: {b}"));
    assert_eq!(
        anchored,
        publications.iter().filter(|p| p.anchor.is_some()).count()
    );
    n
}

/// The audit trail's last row now, as a publication made now records it.
async fn anchor_now<G: Governance>(store: &G) -> Option<AuditAnchor> {
    store
        .audit_trail()
        .await
        .unwrap()
        .1
        .map(|(seq, hash)| AuditAnchor { seq, hash })
}

fn refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The example council's Q2 file with its first value of 76% corrected.
fn corrected_q2_file(value: &str) -> beacon_interchange::Source {
    let text =
        std::fs::read_to_string(crate::halton_dir().join("quarters/ced-2012-13-q2.toml")).unwrap();
    let corrected = text.replacen("value = \"76%\"", &format!("value = \"{value}\""), 1);
    assert_ne!(corrected, text);
    source("quarters/ced-2012-13-q2.toml", &corrected)
}

// --- The audit trail -------------------------------------------------------------------------

/// Loading the example council writes who loaded what, when, to an audit trail that verifies;
/// a correction loaded later shows in the item's history with its old and new value and why;
/// loading the same files again adds nothing.
pub async fn loading_the_example_council_writes_an_audit_trail_that_verifies<
    S: Store + Governance,
>(
    store: &S,
) {
    assert_eq!(store.audit_trail().await.unwrap(), (vec![], None));
    load_halton(store).await;
    let (trail, head) = store.audit_trail().await.unwrap();
    let loaded = verified(store).await;
    assert!(loaded > 10, "{loaded} rows");
    assert_eq!(head, trail.last().map(|e| (e.seq, e.hash.clone())));
    let tester = crate::tester();
    for e in &trail {
        assert_eq!(
            (e.note.actor.as_str(), e.note.at, e.note.council.as_deref()),
            ("tester", tester.at, Some("halton")),
            "{e:?}"
        );
    }
    let data = read(store).await;
    let entities: Vec<&str> = trail.iter().map(|e| e.note.entity.as_str()).collect();
    assert!(entities.contains(&"council halton"));
    assert!(entities.contains(&"quarter CED 2012/13 Q2"));
    for p in &data.plans {
        assert!(
            entities.contains(&format!("plan {}", p.plan.reference).as_str()),
            "plan {}",
            p.plan.reference
        );
    }

    load_halton(store).await;
    assert_eq!(
        verified(store).await,
        loaded,
        "loading again says nothing new"
    );

    let officer = Actor::new("cli:load", when(1)).because("the value was mis-keyed");
    beacon_interchange::load_sources(store, &[corrected_q2_file("78% (provisional)")], &officer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let data = read(store).await;
    let q = data
        .quarters
        .iter()
        .find(|q| q.header.period == q2())
        .unwrap();
    let corrected = q
        .values
        .iter()
        .find(|v| v.value.text() == "78% (provisional)")
        .expect("the corrected value is stored");
    let item = format!("indicator {}", corrected.indicator);
    let history = store.audit_of_item(&halton(), &item).await.unwrap();
    let changes: Vec<_> = history
        .iter()
        .filter(|e| e.note.old.is_some())
        .map(|e| {
            (
                e.note.actor.as_str(),
                e.note.old.as_deref(),
                e.note.new.as_deref(),
                e.note.reason.as_deref(),
            )
        })
        .collect();
    assert!(
        changes.contains(&(
            "cli:load",
            Some("76%"),
            Some("78% (provisional)"),
            Some("the value was mis-keyed")
        )),
        "{history:#?}"
    );
    assert!(
        history
            .iter()
            .all(|e| e.note.item.as_deref() == Some(&item))
    );
    assert!(
        history.windows(2).all(|w| w[0].seq < w[1].seq),
        "oldest first"
    );
    let after_correction = verified(store).await;
    assert!(after_correction > loaded);

    beacon_interchange::load_sources(store, &[corrected_q2_file("78% (provisional)")], &officer)
        .await
        .unwrap();
    assert_eq!(
        verified(store).await,
        after_correction,
        "nothing new to say"
    );
}

// --- The life of a quarter -------------------------------------------------------------------

/// Two officers open the entry form at the same version; the first saves, and the second is
/// told who changed the quarter and when, and nothing of theirs is written. Reloading, they
/// save on top.
pub async fn a_stale_form_is_refused_saying_who_changed_the_quarter_and_when<
    S: Store + Governance,
>(
    store: &S,
) {
    load_halton(store).await;
    let opened = ced_q2(store).await;
    assert_eq!(
        (opened.state, opened.version, opened.changed_by.as_str()),
        (QuarterState::Open, 1, "tester"),
        "the load wrote to the quarter"
    );
    save(store, &by("alice", 5), opened.version, "80%")
        .await
        .unwrap();
    let now = ced_q2(store).await;
    assert_eq!(
        (now.version, now.changed_by.as_str(), now.changed_at),
        (2, "alice", when(5))
    );

    let before = snapshot(store).await;
    let msg = refusal(save(store, &by("bob", 7), opened.version, "81%").await);
    assert_eq!(
        msg,
        "CED 2012/13 Q2 was changed by alice at 10:05 on 16 October 2012 after you opened this \
         page. Nothing was saved: reload the page to see the changes, then make yours again."
    );
    assert_eq!(msg, changed_since(&now));
    assert_eq!(snapshot(store).await, before, "nothing was written");
    assert_eq!(first_value(store).await, "80%");

    save(store, &by("bob", 8), now.version, "81%")
        .await
        .unwrap();
    assert_eq!(first_value(store).await, "81%");
    let now = ced_q2(store).await;
    assert_eq!((now.version, now.changed_by.as_str()), (3, "bob"));
    let data = read(store).await;
    let item = format!("indicator {}", data.quarters[0].values[0].indicator);
    let history = store.audit_of_item(&halton(), &item).await.unwrap();
    let who: Vec<(&str, Option<&str>)> = history
        .iter()
        .filter(|e| e.note.old.is_some())
        .map(|e| (e.note.actor.as_str(), e.note.new.as_deref()))
        .collect();
    assert_eq!(who, [("alice", Some("80%")), ("bob", Some("81%"))]);
    verified(store).await;
}

/// A contributor submits, an approver signs off, and the quarter is locked: a save, even at
/// the right version, and a file load are refused, saying who signed it off and when, and write
/// nothing. A step taken from a version that has moved on is refused. Only an approver may
/// reopen it, with a reason; then it changes again.
pub async fn a_signed_off_quarter_refuses_changes_until_it_is_reopened<S: Store + Governance>(
    store: &S,
) {
    load_halton(store).await;
    submitted_and_stale_steps_refused(store).await;
    let signed = signed_off(store).await;
    let before = locked_against_saves_and_loads(store, &signed).await;
    reopened_only_by_an_approver_with_a_reason(store, &before).await;
    only_the_steps_in_the_trail(store).await;
    verified(store).await;
}

/// Carol submits; submitting again from the page as it was, or a step planned at the old
/// version, is refused; a contributor cannot sign off.
async fn submitted_and_stale_steps_refused<S: Store + Governance>(store: &S) {
    let opened = ced_q2(store).await;
    take_now(store, &carol(), Step::Submit, &by("carol", 1))
        .await
        .unwrap();
    let submitted = ced_q2(store).await;
    assert_eq!(
        (submitted.state, submitted.version),
        (QuarterState::Submitted, 2)
    );
    // Submitting again from the page as it was.
    let msg = refusal(
        take(
            store,
            &carol(),
            Step::Submit,
            opened.version,
            &by("carol", 1),
            None,
        )
        .await,
    );
    assert_eq!(msg, changed_since(&submitted));
    // The store refuses a step planned at the old version, even if the caller did not check.
    let data = read(store).await;
    let stale = plan_step(
        &carol(),
        &data,
        &opened,
        Step::Submit,
        opened.version,
        false,
        &by("carol", 1),
    )
    .unwrap();
    port::refused(store.transition(&stale, None, &[]).await);
    assert!(matches!(
        take_now(store, &carol(), Step::SignOff, &by("carol", 1)).await,
        Err(AppError::Forbidden(_))
    ));
}

/// Erin signs off: the quarter is Signed off at version 3, by erin.
async fn signed_off<S: Store + Governance>(store: &S) -> QuarterStatus {
    take_now(store, &erin(), Step::SignOff, &by("erin", 2))
        .await
        .unwrap();
    let signed = ced_q2(store).await;
    assert_eq!(
        (signed.state, signed.version, signed.changed_by.as_str()),
        (QuarterState::SignedOff, 3, "erin")
    );

    signed
}

/// A save at the right version and a file load are refused, saying who signed it off and when,
/// and write nothing. The snapshot of what is stored.
async fn locked_against_saves_and_loads<S: Store + Governance>(
    store: &S,
    signed: &QuarterStatus,
) -> Snapshot {
    let before = snapshot(store).await;
    let locked = "CED 2012/13 Q2 is signed off (by erin at 10:02 on 16 October 2012): an approver \
                  must reopen it before it can change";
    let msg = refusal(save(store, &by("carol", 3), signed.version, "80%").await);
    assert_eq!(msg, locked);
    let loaded = beacon_interchange::load_sources(
        store,
        &[corrected_q2_file("78% (provisional)")],
        &by("cli:load", 4),
    )
    .await;
    let err = loaded.expect_err("a file load into a signed-off quarter is refused");
    assert!(err.to_string().contains(locked), "{err}");
    assert_eq!(snapshot(store).await, before, "nothing was written");

    before
}

/// Only an approver may reopen, and only with a reason; then the quarter changes again.
async fn reopened_only_by_an_approver_with_a_reason<S: Store + Governance>(
    store: &S,
    before: &Snapshot,
) {
    assert!(matches!(
        take_now(
            store,
            &carol(),
            Step::Reopen,
            &by("carol", 5).because("typo")
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    match take_now(store, &erin(), Step::Reopen, &by("erin", 5)).await {
        Err(AppError::Invalid(m)) => assert_eq!(m, "Give a reason for reopening the quarter"),
        other => panic!("expected a request for a reason, got {other:?}"),
    }
    assert_eq!(&snapshot(store).await, before, "nothing was written");
    take_now(
        store,
        &erin(),
        Step::Reopen,
        &by("erin", 6).because("the value was mis-keyed"),
    )
    .await
    .unwrap();
    let reopened = ced_q2(store).await;
    assert_eq!(
        (reopened.state, reopened.version, reopened.reason.as_deref()),
        (QuarterState::Open, 4, Some("the value was mis-keyed"))
    );
    save(store, &by("carol", 7), reopened.version, "80%")
        .await
        .unwrap();
    assert_eq!(first_value(store).await, "80%");
}

/// The trail's state changes are the three steps, with the reopening's reason.
async fn only_the_steps_in_the_trail<S: Store + Governance>(store: &S) {
    let steps: Vec<(String, Option<String>, Option<String>)> = store
        .audit_trail()
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|e| e.note.field == "state")
        .map(|e| (e.note.actor, e.note.new, e.note.reason))
        .collect();
    assert_eq!(
        steps,
        [
            ("carol".into(), Some("Submitted".into()), None),
            ("erin".into(), Some("Signed off".into()), None),
            (
                "erin".into(),
                Some("Open".into()),
                Some("the value was mis-keyed".into())
            ),
        ]
    );
}

/// A publication of CED's 2012/13 Q2 with these files, as the sign-off page freezes it.
fn frozen(version: i64, by: &Actor, files: Vec<PublishedFile>) -> Publication {
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    Publication {
        meta: PublicationMeta {
            council: halton(),
            unit: ced(),
            quarter: q2(),
            version,
            published_at: by.at,
            published_by: by.name.clone(),
            content_hash: content_hash(&files),
            note: by.reason.clone(),
            files: names,
            anchor: None,
        },
        files,
    }
}

/// A signed-off quarter is published, corrected and published again: each version keeps its
/// own files byte for byte, its number, who published it and when, and what changed; a
/// published quarter refuses changes like a signed-off one.
pub async fn a_published_quarter_keeps_every_version_byte_for_byte<S: Store + Governance>(
    store: &S,
) {
    load_halton(store).await;
    take_now(store, &carol(), Step::Submit, &by("carol", 1))
        .await
        .unwrap();
    take_now(store, &erin(), Step::SignOff, &by("erin", 2))
        .await
        .unwrap();
    let (first, first_meta, first_anchor) = published_first(store).await;
    let msg = refusal(save(store, &by("carol", 4), ced_q2(store).await.version, "80%").await);
    assert!(
        msg.starts_with("CED 2012/13 Q2 is published (by pat at 10:03 on 16 October 2012)"),
        "{msg}"
    );

    let (second, second_anchor) = corrected_and_published_again(store).await;
    let pubs = store.publications(&halton()).await.unwrap();
    let second_meta = PublicationMeta {
        anchor: second_anchor.clone(),
        ..second.meta.clone()
    };
    assert_eq!(pubs, [first_meta, second_meta]);
    assert!(
        second_anchor.map(|a| a.seq) > first_anchor.map(|a| a.seq),
        "the later version records a later row"
    );
    assert_eq!(pubs[1].note.as_deref(), Some("Corrected NI075"));
    assert_ne!(pubs[0].content_hash, pubs[1].content_hash);
    each_version_keeps_its_files(store, &first, &second).await;
    verified(store).await;
}

/// Only the performance officer may publish; the first version is published with three files
/// and the store records where the trail stood. The publication, as stored, and that anchor.
async fn published_first<S: Store + Governance>(
    store: &S,
) -> (Publication, PublicationMeta, Option<AuditAnchor>) {
    let every_byte: Vec<u8> = (0..=255).collect();
    let first = frozen(
        1,
        &by("pat", 3),
        vec![
            port::file("report.pdf", "application/pdf", &every_byte),
            port::file(
                "open-data.csv",
                "text/csv; charset=utf-8",
                b"a,b\r\n1,\"\xc2\xa3\"\r\n",
            ),
            port::file("empty.json", "application/json", b""),
        ],
    );
    let seen = ced_q2(store).await.version;
    let first_anchor = anchor_now(store).await;
    assert!(matches!(
        take(
            store,
            &erin(),
            Step::Publish,
            seen,
            &by("erin", 3),
            Some(&first)
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    take(
        store,
        &pat(),
        Step::Publish,
        seen,
        &by("pat", 3),
        Some(&first),
    )
    .await
    .unwrap();
    assert_eq!(ced_q2(store).await.state, QuarterState::Published);
    // The store records where the trail stood, whatever the caller said.
    let first_meta = PublicationMeta {
        anchor: first_anchor.clone(),
        ..first.meta.clone()
    };
    assert!(first_anchor.is_some());
    assert_eq!(
        store.publications(&halton()).await.unwrap(),
        std::slice::from_ref(&first_meta)
    );
    assert_eq!(
        first.meta.files,
        ["empty.json", "open-data.csv", "report.pdf"]
    );

    (first, first_meta, first_anchor)
}

/// Reopened, corrected, submitted, signed off and published again as version 2, with a note.
async fn corrected_and_published_again<S: Store + Governance>(
    store: &S,
) -> (Publication, Option<AuditAnchor>) {
    take_now(
        store,
        &erin(),
        Step::Reopen,
        &by("erin", 10).because("the value was mis-keyed"),
    )
    .await
    .unwrap();
    save(store, &by("carol", 11), ced_q2(store).await.version, "80%")
        .await
        .unwrap();
    take_now(store, &carol(), Step::Submit, &by("carol", 12))
        .await
        .unwrap();
    take_now(store, &erin(), Step::SignOff, &by("erin", 13))
        .await
        .unwrap();
    let second_by = by("pat", 14).because("Corrected NI075");
    let second = frozen(
        2,
        &second_by,
        vec![port::file(
            "report.pdf",
            "application/pdf",
            b"%PDF-1.7 corrected",
        )],
    );
    let seen = ced_q2(store).await.version;
    let second_anchor = anchor_now(store).await;
    take(
        store,
        &pat(),
        Step::Publish,
        seen,
        &second_by,
        Some(&second),
    )
    .await
    .unwrap();

    (second, second_anchor)
}

/// Each version's files come back byte for byte; none is overwritten or invented.
async fn each_version_keeps_its_files<S: Store + Governance>(
    store: &S,
    first: &Publication,
    second: &Publication,
) {
    for (version, publication) in [(1, first), (2, second)] {
        for f in &publication.files {
            let got = store
                .published_file(&halton(), &ced(), q2(), version, &f.name)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("version {version} keeps {}", f.name));
            assert_eq!(&got, f);
        }
    }
    let old = store
        .published_file(&halton(), &ced(), q2(), 1, "report.pdf")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        old.bytes,
        (0..=255).collect::<Vec<u8>>(),
        "version 1 is not overwritten"
    );
    for (version, name) in [(2, "open-data.csv"), (3, "report.pdf"), (1, "report.html")] {
        assert!(
            store
                .published_file(&halton(), &ced(), q2(), version, name)
                .await
                .unwrap()
                .is_none(),
            "version {version} has no {name}"
        );
    }
    assert!(
        store
            .published_file(
                &halton(),
                &"CED-CFD".parse().unwrap(),
                q2(),
                1,
                "report.pdf"
            )
            .await
            .unwrap()
            .is_none()
    );
}

// --- Users and signing in --------------------------------------------------------------------

const PASSWORD: &str = "correct horse battery";

pub(super) async fn add<G: Governance>(store: &G, name: &str, password: &str) -> i64 {
    accounts::add_user(
        store,
        name,
        &format!("{name} (display)"),
        password,
        carol().grants,
        &by("cli:admin", 0),
    )
    .await
    .unwrap()
}

/// Signs in, which must succeed; returns the cookie's token.
async fn signed_in<G: Governance>(
    store: &G,
    name: &str,
    password: &str,
    at: DateTime<Utc>,
) -> String {
    match accounts::sign_in(store, name, password, at).await.unwrap() {
        SignIn::Ok {
            token,
            session,
            user,
        } => {
            assert_eq!(user.username, name.trim().to_lowercase());
            assert_eq!(session.user_id, user.id);
            assert_eq!((session.created_at, session.last_seen_at), (at, at));
            assert_ne!(session.id_hash, token, "the token itself is not stored");
            token
        }
        other => panic!("{name} should be signed in, got {other:?}"),
    }
}

async fn live<G: Governance>(store: &G, token: &str, at: DateTime<Utc>) -> bool {
    accounts::resume(store, token, at).await.unwrap().is_some()
}

/// An administrator adds a user; a second user with the same name, in any case, is refused
/// and nothing is written. Names that are not names and short passwords are refused too.
pub async fn a_taken_username_is_refused<S: Store + Governance>(store: &S) {
    let bob = add(store, "bob", PASSWORD).await;
    let before = (
        store.users().await.unwrap(),
        store.audit_trail().await.unwrap(),
    );
    let msg = match accounts::add_user(
        store,
        " Bob ",
        "Another Bob",
        "another long password",
        vec![],
        &by("cli:admin", 1),
    )
    .await
    {
        Err(AppError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(msg, "There is already a user called bob");
    for (name, password) in [
        ("bob smith", PASSWORD),
        ("", PASSWORD),
        ("carol", "too short"),
    ] {
        assert!(matches!(
            accounts::add_user(store, name, name, password, vec![], &by("cli:admin", 1)).await,
            Err(AppError::Invalid(_))
        ));
    }
    // Users added together are added all or none: carol is new, but bob is taken.
    let hash = store.users().await.unwrap()[0].password_hash.clone();
    let together = ["carol", "BOB"].map(|name| accounts::NewUser {
        username: name.into(),
        display_name: name.into(),
        password_hash: hash.clone(),
        grants: vec![],
    });
    let msg = match accounts::add_users_hashed(store, together.to_vec(), &by("cli:admin", 1)).await
    {
        Err(AppError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(msg, "There is already a user called bob");
    assert_eq!(
        (
            store.users().await.unwrap(),
            store.audit_trail().await.unwrap()
        ),
        before,
        "nothing was written"
    );
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        (users[0].id, users[0].display_name.as_str()),
        (bob, "bob (display)")
    );
    assert_eq!(users[0].grants, carol().grants);
    assert!(!users[0].password_hash.contains(PASSWORD));
    let (trail, _) = store.audit_trail().await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (
            trail[0].note.entity.as_str(),
            trail[0].note.field.as_str(),
            trail[0].note.actor.as_str()
        ),
        ("user bob", "created", "cli:admin")
    );
    verified(store).await;
}

/// Disabling a user ends every session they have at once and their right password no longer
/// signs them in; enabled again, they sign in. Changing their password ends their sessions too,
/// and only the new password works. The trail says so without holding any password.
pub async fn disabling_a_user_or_changing_their_password_ends_their_sessions<
    S: Store + Governance,
>(
    store: &S,
) {
    add(store, "bob", PASSWORD).await;
    add(store, "alice", PASSWORD).await;
    let laptop = signed_in(store, "bob", PASSWORD, when(0)).await;
    let phone = signed_in(store, "Bob", PASSWORD, when(1)).await;
    let alices = signed_in(store, "alice", PASSWORD, when(1)).await;
    assert_ne!(laptop, phone, "a new session at every sign-in");
    assert!(live(store, &laptop, when(2)).await && live(store, &phone, when(2)).await);

    accounts::change_user(store, "bob", UserChange::Disable, &by("cli:admin", 3))
        .await
        .unwrap();
    assert!(!live(store, &laptop, when(4)).await);
    assert!(!live(store, &phone, when(4)).await);
    assert!(
        live(store, &alices, when(4)).await,
        "other users stay signed in"
    );
    assert_eq!(
        accounts::sign_in(store, "bob", PASSWORD, when(5))
            .await
            .unwrap(),
        SignIn::Refused,
        "a disabled account is refused like a wrong password"
    );

    accounts::change_user(store, "bob", UserChange::Enable, &by("cli:admin", 6))
        .await
        .unwrap();
    assert!(
        !live(store, &laptop, when(7)).await,
        "ended sessions stay ended"
    );
    let again = signed_in(store, "bob", PASSWORD, when(7)).await;

    let new_password = "a much better passphrase";
    assert!(matches!(
        accounts::change_user(
            store,
            "bob",
            UserChange::Password("short".into()),
            &by("bob", 8)
        )
        .await,
        Err(AppError::Invalid(_))
    ));
    assert!(
        live(store, &again, when(8)).await,
        "a refused change ends nothing"
    );
    accounts::change_user(
        store,
        "bob",
        UserChange::Password(new_password.into()),
        &by("bob", 9),
    )
    .await
    .unwrap();
    assert!(!live(store, &again, when(10)).await);
    assert_eq!(
        accounts::sign_in(store, "bob", PASSWORD, when(10))
            .await
            .unwrap(),
        SignIn::Refused
    );
    signed_in(store, "bob", new_password, when(11)).await;
    assert!(matches!(
        accounts::change_user(store, "nobody", UserChange::Disable, &by("cli:admin", 12)).await,
        Err(AppError::NotFound(_))
    ));

    let (trail, _) = store.audit_trail().await.unwrap();
    let said: Vec<(&str, &str, Option<&str>, Option<&str>)> = trail
        .iter()
        .filter(|e| e.note.entity == "user bob")
        .map(|e| {
            (
                e.note.field.as_str(),
                e.note.actor.as_str(),
                e.note.old.as_deref(),
                e.note.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        said[1..],
        [
            ("disabled", "cli:admin", Some("false"), Some("true")),
            ("disabled", "cli:admin", Some("true"), Some("false")),
            ("password", "bob", Some("(hidden)"), Some("(changed)")),
        ]
    );
    let hash = store
        .user_by_name("bob")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(
        trail.iter().all(|e| {
            let text = format!("{:?}", e.note);
            !text.contains(PASSWORD) && !text.contains(new_password) && !text.contains(&hash)
        }),
        "no password or hash in the trail"
    );
    verified(store).await;
}

/// An administrator replaces a user's roles: the new grants are read back in order, the old
/// ones are gone, the user's sessions end, other users keep theirs, and the trail records the
/// roles before and after. Adding a user's grants and changing them leave a chain that verifies.
pub async fn changing_a_users_roles_replaces_their_grants_and_ends_their_sessions<
    S: Store + Governance,
>(
    store: &S,
) {
    add(store, "bob", PASSWORD).await;
    add(store, "alice", PASSWORD).await;
    let bobs = signed_in(store, "bob", PASSWORD, when(0)).await;
    let alices = signed_in(store, "alice", PASSWORD, when(0)).await;
    let new = vec![
        erin().grants[0].clone(),
        Grant {
            role: Role::Councillor,
            council: "knowsley".parse().unwrap(),
            unit: None,
        },
    ];
    accounts::change_user(
        store,
        "bob",
        UserChange::Grants(new.clone()),
        &by("cli:admin", 1),
    )
    .await
    .unwrap();
    let bob = store.user_by_name("bob").await.unwrap().unwrap();
    assert_eq!(bob.grants, new, "replaced, in order");
    assert!(!live(store, &bobs, when(2)).await, "bob is signed out");
    assert!(live(store, &alices, when(2)).await, "alice is not");
    assert_eq!(
        store.user_by_name("alice").await.unwrap().unwrap().grants,
        carol().grants,
        "other users keep their grants"
    );
    let (trail, _) = store.audit_trail().await.unwrap();
    let last = &trail.last().unwrap().note;
    assert_eq!(
        (
            last.entity.as_str(),
            last.field.as_str(),
            last.old.as_deref(),
            last.new.as_deref()
        ),
        (
            "user bob",
            "roles",
            Some("contributor of CED in halton"),
            Some("approver of halton; councillor of knowsley")
        )
    );
    verified(store).await;
}

/// Five failed sign-ins within fifteen minutes stop any more for that name, the right password
/// included, whether or not the account exists, so the answer tells no one which names are
/// real. Once the oldest failure is fifteen minutes old, the right password signs in again and
/// the count starts afresh. Other names are not affected.
pub async fn sign_in_is_throttled_after_five_failures_whether_or_not_the_account_exists<
    S: Store + Governance,
>(
    store: &S,
) {
    add(store, "bob", PASSWORD).await;
    add(store, "alice", PASSWORD).await;
    let t0 = when(0);
    for name in ["bob", "nobody"] {
        for i in 0..5 {
            assert_eq!(
                accounts::sign_in(store, name, "wrong password", t0 + Duration::minutes(i))
                    .await
                    .unwrap(),
                SignIn::Refused,
                "{name}, attempt {}",
                i + 1
            );
        }
    }
    let throttled = |wait: Duration| SignIn::Throttled { retry_after: wait };
    for (name, password) in [
        ("bob", PASSWORD),
        (" BOB", PASSWORD),
        ("bob", "wrong password"),
        ("nobody", PASSWORD),
    ] {
        assert_eq!(
            accounts::sign_in(store, name, password, t0 + Duration::minutes(5))
                .await
                .unwrap(),
            throttled(Duration::minutes(10)),
            "{name:?} with {password:?}"
        );
    }
    assert_eq!(
        accounts::sign_in(
            store,
            "bob",
            PASSWORD,
            t0 + THROTTLE_WINDOW - Duration::seconds(1)
        )
        .await
        .unwrap(),
        throttled(Duration::seconds(1)),
        "throttled attempts do not count, and the right password is still refused"
    );
    let alices = signed_in(store, "alice", PASSWORD, t0 + Duration::minutes(5)).await;
    assert!(live(store, &alices, t0 + Duration::minutes(6)).await);

    // The oldest failure has left the window; four remain.
    let later = t0 + THROTTLE_WINDOW + Duration::seconds(1);
    assert_eq!(
        accounts::sign_in(store, "nobody", PASSWORD, later)
            .await
            .unwrap(),
        SignIn::Refused
    );
    signed_in(store, "bob", PASSWORD, later).await;
    assert!(
        store.sign_in_failures("bob", t0).await.unwrap().is_empty(),
        "signing in clears the failures"
    );
    for i in 0..4 {
        accounts::sign_in(store, "bob", "wrong password", later + Duration::seconds(i))
            .await
            .unwrap();
    }
    signed_in(store, "bob", PASSWORD, later + Duration::seconds(5)).await;
}

/// A session ends after thirty minutes without use, and after twelve hours however much it is
/// used; an ended session stays ended. Use within the limits keeps it alive.
pub async fn sessions_end_when_idle_for_thirty_minutes_or_after_twelve_hours<
    S: Store + Governance,
>(
    store: &S,
) {
    add(store, "bob", PASSWORD).await;
    let t0 = when(0);
    let token = signed_in(store, "bob", PASSWORD, t0).await;
    let hash = accounts::token_hash(&token);
    let (session, user) = accounts::resume(store, &token, t0 + Duration::minutes(29))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "bob");
    assert_eq!(session.user_id, user.id);
    let stored = store.session(&hash).await.unwrap().unwrap();
    assert_eq!(
        stored.last_seen_at,
        t0 + Duration::minutes(29),
        "use keeps a session alive"
    );
    assert!(live(store, &token, t0 + Duration::minutes(58)).await);
    let idle = t0 + Duration::minutes(58) + IDLE_TIMEOUT + Duration::seconds(1);
    assert!(!live(store, &token, idle).await);
    assert!(
        store.session(&hash).await.unwrap().is_none(),
        "a timed-out session is ended"
    );
    assert!(!live(store, &token, t0 + Duration::minutes(59)).await);

    let t1 = when(120);
    let busy = signed_in(store, "bob", PASSWORD, t1).await;
    let mut now = t1;
    while now + Duration::minutes(20) <= t1 + ABSOLUTE_TIMEOUT {
        now += Duration::minutes(20);
        assert!(live(store, &busy, now).await, "alive at {now}");
    }
    assert_eq!(now, t1 + ABSOLUTE_TIMEOUT);
    let last_seen = store
        .session(&accounts::token_hash(&busy))
        .await
        .unwrap()
        .unwrap()
        .last_seen_at;
    assert_eq!(last_seen, now);
    assert!(!live(store, &busy, now + Duration::minutes(1)).await);
    assert!(
        store
            .session(&accounts::token_hash(&busy))
            .await
            .unwrap()
            .is_none()
    );
    assert!(!live(store, "not a token", now).await);
}

/// The port keeps users by name with their grants in order, sessions with their times, and
/// failed sign-ins per name since a time; ending and clearing remove only what they name.
pub async fn the_port_keeps_users_sessions_and_failed_sign_ins<S: Store + Governance>(store: &S) {
    use port::{at, new_user, note};
    let s = store;
    let bob = s
        .add_user(&new_user("bob"), &note("cli:admin", None, "bob", 0))
        .await
        .unwrap();
    let alice = s
        .add_user(&new_user("alice"), &note("cli:admin", None, "alice", 1))
        .await
        .unwrap();
    let msg = port::refused(
        s.add_user(&new_user("bob"), &note("cli:admin", None, "bob", 2))
            .await,
    );
    assert_eq!(msg, "There is already a user called bob");

    let names: Vec<_> = s
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    let b = s.user_by_name("bob").await.unwrap().unwrap();
    assert_eq!(b.id, bob);
    assert_eq!(b.grants, new_user("bob").grants);
    assert_eq!(b.display_name, "bob (display)");
    assert_eq!(b.password_hash, "$argon2id$hash");
    assert!(!b.disabled);
    assert_eq!(s.user(alice).await.unwrap().unwrap().username, "alice");
    assert!(s.user_by_name("carol").await.unwrap().is_none());
    assert!(s.user(9999).await.unwrap().is_none());

    let session = SessionRecord {
        id_hash: "abc".into(),
        user_id: bob,
        csrf_token: "csrf".into(),
        created_at: at(3),
        last_seen_at: at(3),
    };
    let other = SessionRecord {
        id_hash: "def".into(),
        user_id: alice,
        ..session.clone()
    };
    s.create_session(&session).await.unwrap();
    s.create_session(&other).await.unwrap();
    s.touch_session("abc", at(4)).await.unwrap();
    let got = s.session("abc").await.unwrap().unwrap();
    assert_eq!(
        got,
        SessionRecord {
            last_seen_at: at(4),
            ..session.clone()
        }
    );
    s.end_session("abc").await.unwrap();
    assert!(s.session("abc").await.unwrap().is_none());
    assert_eq!(s.session("def").await.unwrap(), Some(other.clone()));

    s.create_session(&session).await.unwrap();
    s.change_user(
        bob,
        &UserChange::Disable,
        &note("cli:admin", None, "disabled", 5),
    )
    .await
    .unwrap();
    assert!(s.user(bob).await.unwrap().unwrap().disabled);
    assert!(
        s.session("abc").await.unwrap().is_none(),
        "disabling ends sessions"
    );
    assert!(s.session("def").await.unwrap().is_some());
    s.change_user(
        bob,
        &UserChange::Password("new".into()),
        &note("a", None, "pw", 6),
    )
    .await
    .unwrap();
    assert_eq!(s.user(bob).await.unwrap().unwrap().password_hash, "new");
    s.change_user(bob, &UserChange::Enable, &note("a", None, "enabled", 7))
        .await
        .unwrap();
    assert!(!s.user(bob).await.unwrap().unwrap().disabled);
    s.end_sessions_of(alice).await.unwrap();
    assert!(s.session("def").await.unwrap().is_none());

    for minute in [10, 11, 12] {
        s.record_sign_in_failure("bob", at(minute)).await.unwrap();
    }
    s.record_sign_in_failure("alice", at(11)).await.unwrap();
    assert_eq!(
        s.sign_in_failures("bob", at(11)).await.unwrap(),
        [at(11), at(12)]
    );
    s.clear_sign_in_failures("bob").await.unwrap();
    assert!(s.sign_in_failures("bob", at(0)).await.unwrap().is_empty());
    assert_eq!(s.sign_in_failures("alice", at(0)).await.unwrap(), [at(11)]);

    let (trail, head) = s.audit_trail().await.unwrap();
    assert_eq!(
        verify(&trail, head),
        Ok(5),
        "two users added, three changes; the refusal wrote nothing"
    );
}

/// A governance dump from elsewhere (users with gaps in their ids, one disabled; a published
/// quarter; two publications with their files; an audit trail) restores verbatim into a
/// database holding the council's data and no governance: it reads back the same, the chain
/// verifies, the next user takes the id after the highest restored one, and a second restore,
/// or one that fails half-way, writes nothing.
pub async fn a_governance_dump_restores_verbatim_into_an_empty_database<
    S: Store + Governance + beacon_app::calendar::CalendarStore + beacon_app::notices::Outbox,
>(
    store: &S,
) {
    use beacon_app::migrate::{NOT_EMPTY, export_governance};
    use port::{council, file, new_user, note, unit};

    store.apply(&everything(&rich_council())).await.unwrap();
    let empty = export_governance(store).await.unwrap();
    assert!(empty.is_empty(), "{empty:?}");
    let dump = dump_from_elsewhere();

    // One that fails half-way (two users with one id) writes nothing.
    let mut clash = dump.clone();
    clash.users[1].id = 8;
    assert!(store.restore(&clash).await.is_err());
    assert_eq!(export_governance(store).await.unwrap(), empty);

    store.restore(&dump).await.unwrap();
    let got = export_governance(store).await.unwrap();
    assert_eq!(got, dump);
    verified(store).await;
    assert_eq!(store.audit_trail().await.unwrap(), dump.trail());
    assert_eq!(
        store
            .published_file(&council(), &unit(), port::q2(), 1, "report.pdf")
            .await
            .unwrap(),
        Some(file(
            "report.pdf",
            "application/pdf",
            &(0..=255).collect::<Vec<u8>>()
        ))
    );

    assert_eq!(port::refused(store.restore(&dump).await), NOT_EMPTY);
    assert_eq!(export_governance(store).await.unwrap(), dump);

    // The store carries on from what was restored: new ids after the highest, the chain on
    // from the restored head.
    let carol = store
        .add_user(&new_user("carol"), &note("cli:admin", None, "carol", 9))
        .await
        .unwrap();
    assert_eq!(carol, 9);
    assert_eq!(verified(store).await, 4);
}

/// A governance dump as another database wrote it: users with gaps in their ids (one
/// disabled), a published quarter, two publications with their files, an audit trail, MFA.
fn dump_from_elsewhere() -> beacon_app::migrate::GovernanceDump {
    use beacon_app::accounts::UserRecord;
    use beacon_app::audit::chain;
    use beacon_app::migrate::{CouncilQuarters, GovernanceDump};
    use port::{at, council, new_user, note, unit};

    let user = |id: i64, name: &str, disabled: bool| {
        let u = new_user(name);
        UserRecord {
            id,
            username: u.username,
            display_name: u.display_name,
            password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$salt-of-{name}$hash"),
            disabled,
            grants: u.grants,
        }
    };
    let users = vec![user(8, "alice", true), user(3, "bob", false)];
    let status = QuarterStatus {
        unit: unit(),
        quarter: port::q2(),
        state: QuarterState::Published,
        version: 7,
        changed_by: "pat".into(),
        changed_at: at(6),
        reason: Some("Corrected «NI075»".into()),
    };
    let mut publications = dump_publications();
    let notes = [
        AuditNote {
            council: None,
            entity: "user bob".into(),
            ..note("cli:admin", None, "created", 0)
        },
        note("carol", Some("indicator NI075"), "55%", 1),
        AuditNote {
            reason: Some("Corrected «NI075»".into()),
            ..note("pat", None, "published", 6)
        },
    ];
    let audit = chain(None, &notes);
    let audit_head = audit.last().map(|e| (e.seq, e.hash.clone()));
    // The second version was published when the trail ended at its second row; the first
    // before Beacon kept anchors.
    publications[1].meta.anchor = Some(AuditAnchor {
        seq: 2,
        hash: audit[1].hash.clone(),
    });
    GovernanceDump {
        users,
        quarters: vec![CouncilQuarters {
            council: council(),
            statuses: vec![status],
        }],
        publications,
        audit,
        audit_head,
        mfa: dump_mfa(),
        mfa_required: vec![council()],
        notices: Default::default(),
    }
}

/// The dump's two publications of the quarter, their files in name order as they read back.
fn dump_publications() -> Vec<Publication> {
    use port::{file, publication};
    let every_byte: Vec<u8> = (0..=255).collect();
    vec![
        publication(
            1,
            "pat",
            3,
            None,
            // In name order, as they read back.
            vec![
                file("empty.json", "application/json", b""),
                file("report.pdf", "application/pdf", &every_byte),
            ],
        ),
        publication(
            2,
            "pat",
            6,
            Some("Corrected «NI075»"),
            vec![file("report.pdf", "application/pdf", b"%PDF corrected")],
        ),
    ]
}

/// Alice's app is on, one recovery code used; Bob's is still being set up.
fn dump_mfa() -> Vec<beacon_app::migrate::UserMfa> {
    use beacon_app::migrate::{RecoveryCode, UserMfa};
    use port::at;
    vec![
        UserMfa {
            user_id: 3,
            secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into(),
            confirmed_at: None,
            last_step: 0,
            recovery_codes: vec![],
        },
        UserMfa {
            user_id: 8,
            secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
            confirmed_at: Some(at(2)),
            last_step: 45_123_456,
            recovery_codes: vec![
                RecoveryCode {
                    code_hash: "0a".repeat(32),
                    used_at: None,
                },
                RecoveryCode {
                    code_hash: "f0".repeat(32),
                    used_at: Some(at(4)),
                },
            ],
        },
    ]
}

// --- Many writers at once --------------------------------------------------------------------

/// Many writers appending to the audit trail at once, through every kind of write, leave one
/// unbroken chain with every row in it.
pub async fn writers_appending_at_once_keep_one_unbroken_chain<
    S: Store + Governance + Clone + 'static,
>(
    store: &S,
) {
    use port::{guarded, new_user, note};
    store.apply(&everything(&rich_council())).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..24_i64 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            match i % 3 {
                0 => s
                    .add_user(&new_user(&format!("user{i}")), &note("a", None, "u", i))
                    .await
                    .map(|_| ()),
                1 => s.apply(&guarded(None, &format!("w{i}"), i)).await,
                _ => {
                    let notes = [note("x", None, "1", i), note("x", None, "2", i)];
                    s.apply(&ChangeSet {
                        audit: notes.to_vec(),
                        ..Default::default()
                    })
                    .await
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let (trail, head) = store.audit_trail().await.unwrap();
    assert_eq!(verify(&trail, head), Ok(8 + 8 + 16));
    assert_eq!(port::status(store).await.version, 8);
    assert_eq!(store.users().await.unwrap().len(), 8);
}

/// Writers who read the same version of a quarter and save at once: exactly one lands, the
/// others are told it changed, and the version moves on once; the same for a step taken at
/// once. Only what landed is in the audit trail.
pub async fn writers_to_one_quarter_at_once_do_not_overwrite_each_other<
    S: Store + Governance + Clone + 'static,
>(
    store: &S,
) {
    use port::{guarded, status, step};
    // Twice: from a quarter nobody has written to (no row to lock), and from one that has.
    for (expected, round) in [(0, 0), (1, 1)] {
        let mut tasks = Vec::new();
        for i in 0..8_i64 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.apply(&guarded(Some(expected), &format!("w{round}{i}"), i))
                    .await
            }));
        }
        let mut landed = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => landed += 1,
                Err(StoreError::Refused(m)) => assert!(m.contains("was changed by"), "{m}"),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(landed, 1, "round {round}");
        assert_eq!(status(store).await.version, expected + 1);
    }

    let from = status(store).await;
    let mut tasks = Vec::new();
    for i in 0..8_i64 {
        let s = store.clone();
        let (t, n) = step(
            &from,
            Step::Submit,
            QuarterState::Submitted,
            &format!("s{i}"),
            i,
        );
        tasks.push(tokio::spawn(
            async move { s.transition(&t, None, &[n]).await },
        ));
    }
    let mut landed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => landed += 1,
            Err(StoreError::Refused(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(landed, 1);
    let now = status(store).await;
    assert_eq!((now.state, now.version), (QuarterState::Submitted, 3));
    let (trail, head) = store.audit_trail().await.unwrap();
    assert_eq!(
        verify(&trail, head),
        Ok(3),
        "only the writes that landed are audited"
    );
    let who: Vec<&str> = trail.iter().map(|e| e.note.actor.as_str()).collect();
    assert_eq!(
        who[2], now.changed_by,
        "the step that landed is the one audited"
    );
}

/// An API token is kept only as its hash, found by it, touched without revoking anything, and
/// revoking it moves the revocation counter in the same transaction (so a server's kept
/// tokens are dropped at once), with an audit row each time.
pub async fn an_api_token_is_kept_hashed_and_revoking_it_moves_the_revocation_counter<
    S: Store + Governance,
>(
    store: &S,
) {
    let id = add(store, "tokenowner", PASSWORD).await;
    let owner = store.user(id).await.unwrap().unwrap().principal();
    let council = owner.grants[0].council.to_string();
    let t0 = Utc.with_ymd_and_hms(2012, 10, 1, 9, 0, 0).unwrap();
    let req = beacon_app::tokens::TokenRequest {
        name: "warehouse".into(),
        council,
        scope: "read".into(),
        days: "30".into(),
    };
    let made = beacon_app::tokens::create(store, &owner, &req, t0)
        .await
        .unwrap()
        .unwrap();
    let hash = accounts::token_hash(&made.token);
    let stored = store.token(&hash).await.unwrap().unwrap();
    assert_eq!(stored, made.record);
    assert_ne!(stored.token_hash, made.token, "only the hash is kept");
    assert_eq!(store.tokens_of(id).await.unwrap(), vec![stored.clone()]);
    let before = store.revocations().await.unwrap();
    let (found, _) =
        beacon_app::tokens::authenticate(store, &made.token, t0 + Duration::minutes(5))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(found.id, stored.id);
    assert!(
        store
            .token(&hash)
            .await
            .unwrap()
            .unwrap()
            .last_used_at
            .is_some()
    );
    assert_eq!(
        store.revocations().await.unwrap(),
        before,
        "touching revokes nothing"
    );
    beacon_app::tokens::revoke(store, &owner, stored.id, t0)
        .await
        .unwrap();
    if let (Some(b), Some(a)) = (before, store.revocations().await.unwrap()) {
        assert!(a > b, "revoking moves the counter");
    }
    assert!(store.token(&hash).await.unwrap().unwrap().revoked);
    assert!(
        beacon_app::tokens::authenticate(store, &made.token, t0 + Duration::minutes(6))
            .await
            .unwrap()
            .is_none()
    );
    let trail = store.audit_trail().await.unwrap().0;
    assert_eq!(
        trail.iter().filter(|e| e.note.field == "api token").count(),
        2
    );
}
