//! The council's indicator library on screen: a performance officer defines an indicator once,
//! adds it to a plan giving only the plan's targets, and changes the definition in one place;
//! the change reaches the plan (a new version of an approved plan, with a reason), is audited
//! field by field, and is refused once a quarter that reported it is signed off. An unknown
//! library ref is refused in the plan files' words. A definition no plan takes is removed; one a
//! plan takes is refused, naming the plan's indicator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::{Governance, Store};
use common::{Client, fill, halton, halton_with_users};

const LIBRARY: &str = "/c/halton/library";
const CED_EDIT: &str = "/c/halton/plans/CED-2012-13/edit";

async fn define_ni155(c: &mut Client) {
    let new = format!("{LIBRARY}/new");
    let p = fill(
        c,
        &new,
        &new,
        &[
            ("ref", "NI 155"),
            (
                "description",
                "Number of affordable homes delivered (gross)",
            ),
            ("measure", "count"),
            ("better", "higher"),
            ("frequency", "quarterly"),
            ("accumulation", "cumulative"),
            ("data_source", "Housing strategy returns"),
            ("quality-fractions", ""),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some("/c/halton/library?done=saved&item=library%20indicator%20NI%20155")
    );
}

#[tokio::test]
async fn an_indicator_defined_once_is_added_to_a_plan_and_changed_in_one_place() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    assert!(
        c.get("/c/halton")
            .await
            .body
            .contains(&format!("href=\"{LIBRARY}\""))
    );
    assert!(
        c.get(LIBRARY)
            .await
            .body
            .contains("No indicators in the library yet")
    );
    define_ni155(&mut c).await;
    let page = c.get(LIBRARY).await.body;
    assert!(
        page.contains("Number of affordable homes delivered (gross)")
            && page.contains("higher is better"),
        "{page}"
    );

    // Added to the approved CED plan from the library: only the plan's own fields are asked.
    let hub = c.get(CED_EDIT).await.body;
    assert!(hub.contains("Add an indicator from the library"), "{hub}");
    let add = format!("{CED_EDIT}/from-library/new");
    let form = c.get(&add).await.body;
    assert!(
        form.contains("NI 155: Number of affordable homes") && !form.contains("id=\"better\""),
        "{form}"
    );
    let p = fill(
        &mut c,
        &add,
        &add,
        &[
            ("library", "NI 155"),
            ("targets", "2012/13: 200"),
            ("key", ""),
            ("reason", "Housing joins the directorate's plan"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let plan = data.plan("CED-2012-13").unwrap();
    let version = plan.plan.version;
    let i = plan.indicator("NI 155").expect("its code is the library's");
    assert_eq!(
        i.description,
        "Number of affordable homes delivered (gross)"
    );
    assert_eq!(i.library.as_ref().unwrap().as_str(), "NI 155");
    assert_eq!(i.targets.values().next().unwrap().to_string(), "200");
    // It is changed on the library form, which lists the plans that take it.
    let form = c.get(&format!("{CED_EDIT}/indicator/NI%20155")).await.body;
    assert!(form.contains("Library indicator"), "{form}");
    assert!(c.get(LIBRARY).await.body.contains("CED-2012-13"));

    // An unknown library ref: refused beside the field in the plan files' words.
    let p = fill(
        &mut c,
        &add,
        &add,
        &[("library", "NI 999"), ("ref", "X1"), ("reason", "r")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body.contains("href=\"#library\"")
            && p.body
                .contains("Unknown library indicator &#34;NI 999&#34;"),
        "{}",
        p.body
    );

    // The definition changes once: an approved plan that takes it needs a reason, then makes
    // its next version, with the new definition.
    let entry = format!("{LIBRARY}/NI%20155");
    let changed = "Affordable homes delivered (gross)";
    let p = fill(&mut c, &entry, &entry, &[("description", changed)]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body
            .contains("Approved plan CED-2012-13 takes this definition")
            && p.body.contains("href=\"#reason\""),
        "{}",
        p.body
    );
    let p = fill(
        &mut c,
        &entry,
        &entry,
        &[("description", changed), ("reason", "The national wording")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let plan = data.plan("CED-2012-13").unwrap();
    assert_eq!(plan.plan.version, version + 1);
    assert_eq!(plan.indicator("NI 155").unwrap().description, changed);
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let note = trail
        .iter()
        .find(|e| e.note.entity == "library indicator NI 155" && e.note.field == "description")
        .expect("the definition's change, field by field");
    assert_eq!(note.note.new.as_deref(), Some(changed));
    assert_eq!(note.note.reason.as_deref(), Some("The national wording"));

    // Once CED's 2012/13 Q2 is signed off, the definition it reported against may not change.
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let mut approver = Client::signed_in(&app, "approver").await;
    let sign_off = "/c/halton/q/2012-13/2/sign-off/CED";
    for (who, step) in [(&mut contributor, "submit"), (&mut approver, "sign-off")] {
        let action = format!("{sign_off}/{step}");
        let p = fill(who, sign_off, &action, &[]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{step}: {}", p.body);
    }
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let p = fill(
        &mut c,
        &entry,
        &entry,
        &[("better", "lower"), ("reason", "A mistake")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("signed off"), "{}", p.body);
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );

    // A councillor may not see the library's forms.
    let mut cllr = Client::signed_in(&app, "councillor").await;
    assert_eq!(cllr.get(LIBRARY).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_definition_no_plan_takes_is_removed_and_one_a_plan_takes_is_refused() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    define_ni155(&mut c).await;
    let entry = format!("{LIBRARY}/NI%20155");
    let form = c.get(&entry).await.body;
    assert!(
        form.contains("name=\"remove\" value=\"yes\""),
        "a definition's form offers to remove it: {form}"
    );
    assert!(
        !c.get(&format!("{LIBRARY}/new"))
            .await
            .body
            .contains("name=\"remove\""),
        "nothing to remove on the new form"
    );

    // Taken by the CED plan: refused, naming the indicator and its plan, nothing changed.
    let add = format!("{CED_EDIT}/from-library/new");
    let p = fill(
        &mut c,
        &add,
        &add,
        &[
            ("library", "NI 155"),
            ("targets", "2012/13: 200"),
            ("key", ""),
            ("reason", "Housing joins the directorate's plan"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let p = fill(&mut c, &entry, &entry, &[("remove", "yes")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(
        p.body.contains(
            "Plans take this definition (indicator NI 155 of plan CED-2012-13): change or remove those indicators first"
        ) && p.body.contains("href=\"#description\""),
        "{}",
        p.body
    );
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );

    // Removed from the plan, the definition can go: the library no longer lists it, and the
    // audit trail keeps it as it was.
    let p = fill(
        &mut c,
        &format!("{CED_EDIT}/indicator/NI%20155"),
        &format!("{CED_EDIT}/from-library/NI%20155"),
        &[("remove", "yes"), ("reason", "Housing has its own plan")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = fill(&mut c, &entry, &entry, &[("remove", "yes")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let to = p.location.unwrap();
    assert_eq!(
        to,
        "/c/halton/library?done=removed&item=library%20indicator%20NI%20155"
    );
    let list = c.get(&to).await.body;
    assert!(list.contains("Library indicator NI 155 removed."), "{list}");
    assert!(list.contains("No indicators in the library yet"), "{list}");
    assert_eq!(c.get(&entry).await.status, StatusCode::NOT_FOUND);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    assert!(data.library.is_empty());
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.note.entity, "library indicator NI 155");
    assert_eq!(last.note.actor, "performance");
    assert_eq!(last.note.new, None);
    assert!(
        last.note
            .old
            .as_deref()
            .is_some_and(|o| o.contains("Number of affordable homes delivered (gross)")),
        "{:?}",
        last.note
    );
}
