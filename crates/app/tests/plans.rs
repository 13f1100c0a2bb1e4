//! Plans as wholes, on the example council in a real SQLite file: refreshing the Children &
//! Young People's Directorate plan for 2012/13, and comparing the refresh with its original;
//! and what serves a priority across plans.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::access::{Grant, Principal, Role};
use beacon_app::audit::Actor;
use beacon_app::plans::diff::{Change, diff, to_text};
use beacon_app::plans::refresh::{RefreshRequest, refresh};
use beacon_app::priorities::serving;
use beacon_app::{AppError, CouncilChanges, Governance, Store};
use beacon_domain::Ref;
use beacon_domain::period::Period;
use beacon_domain::plan::PlanStatus;
use beacon_test_support::TempDb;

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

fn person(role: Role) -> Principal {
    Principal {
        user_id: 7,
        username: "pat".into(),
        display_name: "Pat Officer".into(),
        grants: vec![Grant {
            role,
            council: "halton".parse().unwrap(),
            unit: None,
        }],
    }
}

fn by() -> Actor {
    Actor::new("pat", "2013-02-01T09:00:00Z".parse().unwrap()).because("refresh for 2012/13")
}

/// The plan checks are the plan files' (`interchange::check::new_findings`, run by the web
/// and command-line tests); here the refreshed plan is checked by the assertions.
fn no_new_problems(
    _: &beacon_app::CouncilData,
    _: &beacon_app::CouncilData,
) -> Vec<beacon_app::plans::edit::Finding> {
    Vec::new()
}

fn request(title: Option<&str>) -> RefreshRequest {
    RefreshRequest {
        plan: r("CYPD-2011-14"),
        new_ref: r("CYPD-2012-15"),
        title: title.map(Into::into),
    }
}

#[tokio::test]
async fn a_refresh_rolls_the_years_on_carries_what_is_not_complete_and_is_a_draft_to_review() {
    let db = TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let mut data = db.store.council_data(&council).await.unwrap().unwrap();
    // A quarter of the plan records one 2011/12 milestone complete.
    let old = data.plan("CYPD-2011-14").unwrap().clone();
    let (done_objective, done) = old
        .milestones()
        .find(|(_, m)| m.year.to_string() == "2011/12")
        .map(|(o, m)| (o.reference.clone(), m.reference.clone()))
        .unwrap();
    let q = beacon_domain::quarter::QuarterRecord {
        header: beacon_domain::quarter::QuarterHeader {
            unit: old.plan.unit.clone(),
            period: "2011/12 Q4".parse().unwrap(),
            plan: old.plan.reference.clone(),
            title: "Quarter 4 2011/12".into(),
            introduction: None,
            equality_summary: None,
        },
        key_developments: Vec::new(),
        emerging_issues: Vec::new(),
        risk_updates: Vec::new(),
        equality_updates: Vec::new(),
        values: Vec::new(),
        progress: vec![beacon_domain::quarter::Progress {
            milestone: done.clone(),
            status: beacon_domain::quarter::ProgressStatus::Complete,
            completed: Some("2012-03-20".parse().unwrap()),
            initials: Vec::new(),
        }],
        commentary: Vec::new(),
    };
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.quarters.push(q);
    beacon_app::commit::write(&db.store, Some(&data), changes, &by(), None)
        .await
        .unwrap();
    data = db.store.council_data(&council).await.unwrap().unwrap();

    let done_report = refresh(
        &db.store,
        &person(Role::PerformanceOfficer),
        &data,
        request(None),
        &by(),
        &no_new_problems,
    )
    .await
    .unwrap();
    let after = db.store.council_data(&council).await.unwrap().unwrap();
    let new = after
        .plan("CYPD-2012-15")
        .expect("the refreshed plan is stored");
    assert_eq!(new.plan.years.to_string(), "2012/13-2014/15");
    assert_eq!(new.plan.status, PlanStatus::Draft);
    assert_eq!(new.plan.refreshes, Some(r("CYPD-2011-14")));
    assert_eq!(new.plan.title, old.plan.title);
    // The original is untouched.
    assert_eq!(after.plan("CYPD-2011-14").unwrap(), &old);

    // 54 milestones were listed for 2011/12: the complete one is left behind, 53 are carried.
    assert_eq!(done_report.completed, vec![done.clone()]);
    assert_eq!(done_report.carried.len(), 53);
    assert!(new.milestones().all(|(_, m)| m.reference != done));
    let carried: Vec<_> = new
        .milestones()
        .filter(|(_, m)| m.carried_from.is_some())
        .collect();
    assert_eq!(carried.len(), 53);
    for (_, m) in &carried {
        assert_eq!(m.year.to_string(), "2012/13", "{}", m.reference);
        assert_eq!(m.carried_from.unwrap().to_string(), "2011/12");
    }
    // The objective of the completed milestone is still there, with its other milestones.
    assert!(new.objectives.iter().any(|o| o.reference == done_objective));
    // Milestones of the years both plans cover are kept as they were.
    let kept = |y: &str| {
        new.milestones()
            .filter(|(_, m)| m.year.to_string() == y && m.carried_from.is_none())
            .count()
    };
    assert_eq!((kept("2012/13"), kept("2013/14")), (17, 13));

    // Indicators keep their definitions; targets stay with their years and none is left for
    // the year that dropped out.
    assert_eq!(new.indicators.len(), old.indicators.len());
    for (a, b) in old.indicators.iter().zip(&new.indicators) {
        assert_eq!(
            (&a.reference, &a.description),
            (&b.reference, &b.description)
        );
        let y = |s: &str| Period::FinancialYear(s.parse().unwrap());
        assert_eq!(a.targets.get(&y("2012/13")), b.targets.get(&y("2012/13")));
        assert_eq!(b.targets.get(&y("2011/12")), None);
    }
    assert!(!done_report.targets_to_set.is_empty());

    // The comparison says what the officer must review.
    let d = diff(&old, new);
    assert_eq!(d.count("milestone", Change::Removed), 1);
    assert_eq!(d.count("milestone", Change::Changed), 53);
    assert_eq!(d.count("milestone", Change::Added), 0);
    let plan_fields: Vec<&str> = d
        .items
        .iter()
        .find(|i| i.kind == "plan")
        .unwrap()
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert!(plan_fields.contains(&"years"), "{plan_fields:?}");
    assert!(plan_fields.contains(&"refreshes"), "{plan_fields:?}");
    let text = to_text(&d);
    assert!(
        text.contains("years: 2011/12-2013/14 -> 2012/13-2014/15"),
        "{text}"
    );
    assert!(
        text.contains(&format!("- milestone {done} removed")),
        "{text}"
    );
    assert!(text.contains("carried_from: (none) -> 2011/12"), "{text}");

    // The new plan is in the audit trail, with who and why.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let note = trail
        .iter()
        .find(|e| e.note.entity == "plan CYPD-2012-15")
        .expect("an audit row for the new plan");
    assert_eq!(note.note.actor, "pat");
    assert_eq!(note.note.reason.as_deref(), Some("refresh for 2012/13"));
}

#[tokio::test]
async fn a_refresh_is_refused_for_a_taken_ref_a_bad_title_or_a_councillor_and_writes_nothing() {
    let db = TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let data = db.store.council_data(&council).await.unwrap().unwrap();
    let officer = person(Role::PerformanceOfficer);
    let taken = RefreshRequest {
        new_ref: r("CED-2012-13"),
        ..request(None)
    };
    match refresh(&db.store, &officer, &data, taken, &by(), &no_new_problems).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("already a plan CED-2012-13"), "{m}"),
        other => panic!("{other:?}"),
    }
    match refresh(
        &db.store,
        &officer,
        &data,
        request(Some("Plan \u{1b}[31m")),
        &by(),
        &no_new_problems,
    )
    .await
    {
        Err(AppError::Invalid(m)) => assert!(m.contains("U+001B"), "{m}"),
        other => panic!("{other:?}"),
    }
    match refresh(
        &db.store,
        &person(Role::Councillor),
        &data,
        request(None),
        &by(),
        &no_new_problems,
    )
    .await
    {
        Err(AppError::Forbidden(m)) => assert!(m.contains("performance officer"), "{m}"),
        other => panic!("{other:?}"),
    }
    let after = db.store.council_data(&council).await.unwrap().unwrap();
    assert_eq!(after, data, "nothing was written");
}

#[tokio::test]
async fn a_plan_compared_with_itself_has_no_differences_and_a_changed_target_is_named() {
    let db = TempDb::with_halton().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let a = data.plan("CED-2012-13").unwrap();
    assert!(diff(a, a).is_empty());
    assert!(to_text(&diff(a, a)).contains("No differences."));
    let mut b = a.clone();
    let y: Period = Period::FinancialYear("2012/13".parse().unwrap());
    let i = b
        .indicators
        .iter_mut()
        .find(|i| i.targets.contains_key(&y))
        .unwrap();
    let code = i.reference.to_string();
    let before = i.targets[&y].to_string();
    i.targets.insert(y, "99".parse().unwrap());
    b.risks.remove(0);
    let d = diff(a, &b);
    let changed = d.items.iter().find(|x| x.reference == code).unwrap();
    assert_eq!(changed.change, Change::Changed);
    assert_eq!(changed.fields.len(), 1);
    assert_eq!(changed.fields[0].field, "targets.2012/13");
    assert_eq!(changed.fields[0].from.as_deref(), Some(before.as_str()));
    assert_eq!(changed.fields[0].to.as_deref(), Some("99"));
    assert_eq!(d.count("risk", Change::Removed), 1);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["items"][0]["change"], "changed");
}

#[tokio::test]
async fn a_priority_gathers_the_objectives_milestones_and_indicators_that_serve_it_with_statuses() {
    let db = TempDb::with_halton().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    // Every frame entry an objective of the example links to has a page of what serves it.
    let linked: Vec<Ref> = data
        .plans
        .iter()
        .flat_map(|p| p.objectives.iter().flat_map(|o| o.links.clone()))
        .filter(|l| data.frames.iter().any(|f| &f.reference == l))
        .collect();
    assert!(!linked.is_empty());
    let f = &linked[0];
    let s = serving(&data, f.as_str()).unwrap();
    assert!(!s.objectives.is_empty());
    for o in &s.objectives {
        let plan = data.plan(o.plan.as_str()).unwrap();
        let obj = plan
            .objectives
            .iter()
            .find(|x| x.reference == o.objective)
            .unwrap();
        assert!(obj.links.iter().any(|l| o.through.contains(l)));
    }
    // Items of a plan with a quarter carry that quarter's statuses.
    let any_status = data
        .frames
        .iter()
        .filter_map(|f| serving(&data, f.reference.as_str()))
        .any(|s| {
            s.indicators.iter().any(|i| i.status.is_some())
                && s.milestones.iter().any(|m| m.status.is_some())
        });
    assert!(any_status, "some priority shows this quarter's statuses");
    // A parent gathers what serves the entries under it: corporate priority CP3 holds the
    // objectives linked to its area of focus AOF13.
    let under = serving(&data, "AOF13").expect("area of focus AOF13");
    let above = serving(&data, "CP3").expect("corporate priority CP3");
    assert!(!under.objectives.is_empty());
    for o in &under.objectives {
        assert!(
            above
                .objectives
                .iter()
                .any(|x| x.plan == o.plan && x.objective == o.objective)
        );
    }
    assert!(
        above
            .children
            .iter()
            .any(|c| c.reference.as_str() == "AOF13")
    );
    assert_eq!(
        under.parent.map(|p| p.reference.to_string()).as_deref(),
        Some("CP3")
    );
    assert!(serving(&data, "NO-SUCH-FRAME").is_none());
}
