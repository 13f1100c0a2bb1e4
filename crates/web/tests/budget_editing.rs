//! Budget statements set up and changed on screen: a statement opened and saved as it is
//! changes nothing (the form holds every field); a new statement's totals are checked against
//! its lines before it is saved, then it is stored, audited field by field and exported as a
//! budget file; every mistake is refused beside its box in the words of the budget files and
//! changes nothing; a statement entered by mistake is removed after a yes, and kept in the
//! audit trail; a signed-off quarter's statement is refused, changed or removed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::{Governance, Store};
use common::{Client, Page, form_fields_of, halton, halton_with_users, with};

const Q2: &str = "/c/halton/q/2012-13/2";
const NEW: &str = "/c/halton/q/2012-13/2/new-statement";
const CED_REVENUE: &str = "/c/halton/q/2012-13/2/budget/CED-revenue/edit";
const REMOVE: &str = "/c/halton/q/2012-13/2/budget/CED-revenue/remove";

/// Fills in the form as a browser would send it: checkboxes only when ticked.
async fn fill(c: &mut Client, form: &str, changes: &[(&str, &str)]) -> Page {
    let page = c.get(form).await;
    assert_eq!(page.status, StatusCode::OK, "{form}: {}", page.body);
    let shown: Vec<(String, String)> = form_fields_of(&page.body, form)
        .into_iter()
        .filter(|(k, _)| !k.ends_with("-remove"))
        .collect();
    c.post(form, &with(shown, changes)).await
}

/// A small capital statement for CFD: one group stating its total, two schemes.
const CAPITAL: &[(&str, &str)] = &[
    ("ref", "CFD-capital"),
    ("kind", "capital"),
    (
        "title",
        "Children & Families capital programme, 30 September 2012",
    ),
    ("unit", "CED-CFD"),
    ("scale", "thousands"),
    ("group-0-key", "schemes"),
    ("group-0-label", "Total capital"),
    ("group-0-annual", "1,500"),
    ("group-0-to_date", "600"),
    ("group-0-spent", "450"),
    ("line-0-group", "schemes"),
    ("line-0-label", "Children's centre roof"),
    ("line-0-annual", "1,000"),
    ("line-0-to_date", "400"),
    ("line-0-spent", "300"),
    ("line-1-group", "schemes"),
    ("line-1-label", "Playground access"),
    ("line-1-annual", "500"),
    ("line-1-to_date", "200"),
    ("line-1-spent", "150"),
];

#[tokio::test]
async fn a_statement_opened_and_saved_as_it_is_changes_nothing() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let statement = c.get(&format!("{Q2}/budget/CED-revenue")).await.body;
    assert!(
        statement.contains(&format!("href=\"{CED_REVENUE}\"")),
        "the statement links to its form: {statement}"
    );
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let (trail_before, _) = db.store.audit_trail().await.unwrap();
    let p = fill(&mut c, CED_REVENUE, &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some("/c/halton/q/2012-13/2/budget/CED-revenue?done=nothing-changed")
    );
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
    assert_eq!(db.store.audit_trail().await.unwrap().0, trail_before);

    // A contributor sees the statement but no way to change it.
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let seen = contributor
        .get(&format!("{Q2}/budget/CED-revenue"))
        .await
        .body;
    assert!(!seen.contains("Change this statement"), "{seen}");
}

#[tokio::test]
async fn a_new_statement_is_checked_against_its_lines_then_saved_audited_and_exported() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let list = c.get(&format!("{Q2}/budget")).await.body;
    assert!(list.contains(&format!("href=\"{NEW}\"")), "{list}");

    // The stated allocation to date is 600, but the lines add to 600 only with both schemes;
    // typed with the second scheme's 200 as 250, "Check totals" says it does not reconcile
    // and saves nothing.
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let mut typed = CAPITAL.to_vec();
    typed.push(("line-1-to_date", "250"));
    typed.push(("action", "check"));
    let p = fill(&mut c, NEW, &typed).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("Does not reconcile"), "{}", p.body);
    assert!(p.body.contains("650"), "the computed total: {}", p.body);
    assert!(p.body.contains("Checked; not saved yet."), "{}", p.body);
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
    // As stated, it reconciles; saved, it is stored and shown.
    let mut typed = CAPITAL.to_vec();
    typed.push(("action", "check"));
    let p = fill(&mut c, NEW, &typed).await;
    assert!(p.body.contains(">Reconciles<"), "{}", p.body);
    let p = fill(&mut c, NEW, CAPITAL).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some("/c/halton/q/2012-13/2/budget/CFD-capital?done=saved")
    );
    let shown = c.get(p.location.as_deref().unwrap()).await.body;
    assert!(shown.contains("Statement saved."), "{shown}");
    assert!(shown.contains("Playground access"), "{shown}");
    assert!(
        shown.contains("Every total equals the sum of its lines"),
        "{shown}"
    );

    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let st = data
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CFD-capital")
        .expect("the statement is stored");
    assert_eq!(st.kind.as_str(), "capital");
    assert_eq!(st.lines.len(), 2);
    assert_eq!(
        st.lines[0].amounts.annual.0, 100_000_000,
        "£1,000k in pence"
    );
    assert_eq!(
        st.groups[0].stated.unwrap().spent.0,
        45_000_000,
        "£450k stated"
    );

    // Audited field by field, with who.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let notes: Vec<_> = trail
        .iter()
        .filter(|e| e.note.entity.contains("CFD-capital"))
        .collect();
    assert!(!notes.is_empty(), "the statement is in the audit trail");
    assert!(notes.iter().all(|e| e.note.actor == "performance"));

    // A change to one amount is one audit note with both figures.
    let form = "/c/halton/q/2012-13/2/budget/CFD-capital/edit";
    let p = fill(
        &mut c,
        form,
        &[("line-1-spent", "120"), ("group-0-spent", "420")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let changed: Vec<_> = trail
        .iter()
        .filter(|e| e.note.entity.contains("CFD-capital") && e.note.old.is_some())
        .collect();
    assert!(
        changed
            .iter()
            .any(|e| e.note.old.as_deref().is_some_and(|o| o.contains("150"))
                && e.note.new.as_deref().is_some_and(|n| n.contains("120"))),
        "{:?}",
        changed.iter().map(|e| &e.note).collect::<Vec<_>>()
    );

    // Removing a line: ticked, it is gone.
    let p = fill(&mut c, form, &[("line-0-remove", "yes")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let st = data
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CFD-capital")
        .unwrap();
    let labels: Vec<&str> = st.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["Playground access"]);

    // As code: exported as a budget file, it loads into an empty database and exports again
    // byte for byte.
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();
    let fresh = beacon_test_support::TempDb::new().await;
    let sources = beacon_interchange::source::read_paths(&[dir.path().to_path_buf()]).unwrap();
    beacon_test_support::load_files(&fresh.store, &sources)
        .await
        .expect("the exported files load into an empty database");
    let again = fresh.store.council_data(&halton()).await.unwrap().unwrap();
    assert_eq!(
        beacon_interchange::export::council_files(&again, None).unwrap(),
        files
    );
}

#[tokio::test]
async fn mistakes_are_refused_beside_their_boxes_and_change_nothing() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    /// What is typed over the statement, the box the problem is beside, and its words.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[("line-0-annual", "ten")],
            "line-0-annual",
            "Line 1: capital allocation: &#34;ten&#34; is not an amount in £&#39;000",
        ),
        (
            &[("line-1-spent", "")],
            "line-1-spent",
            "Line 2: enter the actual to date, or leave all three blank",
        ),
        (
            &[("line-0-group", "elsewhere")],
            "title",
            "line &#34;Children&#39;s centre roof&#34; is in group &#34;elsewhere&#34;, which is not declared",
        ),
        (
            &[("unit", "NOWHERE")],
            "unit",
            "&#34;NOWHERE&#34; is not a unit of this council",
        ),
        (
            &[("projection", "profile")],
            "projection",
            "a capital statement has no projected outturn",
        ),
        (&[("title", "")], "title", "Enter title"),
    ];
    for (changes, field, message) in cases {
        let mut typed = CAPITAL.to_vec();
        typed.extend_from_slice(changes);
        let p = fill(&mut c, NEW, &typed).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}");
        assert!(
            p.body.contains(&format!("href=\"#{field}\"")),
            "{changes:?}: the error summary links to {field}: {}",
            p.body
        );
        assert!(
            p.body.contains(message),
            "{changes:?}: {message} in {}",
            p.body
        );
        assert!(
            p.body.contains("<title>Error: Add a budget statement"),
            "{changes:?}"
        );
    }
    // A control character is refused before the form is read, naming the box.
    let mut typed = CAPITAL.to_vec();
    typed.push(("line-0-label", "Roof\u{1b}[31m"));
    let p = fill(&mut c, NEW, &typed).await;
    assert!(p.status.is_client_error(), "{}", p.status);
    assert!(
        p.body
            .contains("The field &#34;line-0-label&#34; contains the control character U+001B"),
        "{}",
        p.body
    );
    // A budget book's net must be expenditure less income, as in its files.
    let book: &[(&str, &str)] = &[
        ("ref", "CFD-book"),
        ("kind", "budget-book"),
        ("title", "Children & Families budget 2012/13"),
        ("unit", "CED-CFD"),
        ("scale", "thousands"),
        ("group-0-key", "all"),
        ("group-0-label", "Net budget"),
        ("line-0-group", "all"),
        ("line-0-label", "Fostering"),
        ("line-0-annual", "5,000"),
        ("line-0-to_date", "1,000"),
        ("line-0-spent", "3,000"),
    ];
    let p = fill(&mut c, NEW, book).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body
            .contains("Line 1: net 3,000 is not expenditure 5,000 − income 1,000 = 4,000"),
        "{}",
        p.body
    );
    // A second statement with a ref already used this quarter.
    let mut typed = CAPITAL.to_vec();
    typed.push(("ref", "CED-revenue"));
    let p = fill(&mut c, NEW, &typed).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body
            .contains("There is already a statement CED-revenue for 2012/13 Q2"),
        "{}",
        p.body
    );
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before,
        "nothing refused was written"
    );
}

#[tokio::test]
async fn a_signed_off_quarter_s_statement_is_refused() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let mut approver = Client::signed_in(&app, "approver").await;
    let sign_off = "/c/halton/q/2012-13/2/sign-off/CED";
    for (who, step) in [(&mut contributor, "submit"), (&mut approver, "sign-off")] {
        let action = format!("{sign_off}/{step}");
        let page = who.get(sign_off).await;
        let fields = form_fields_of(&page.body, &action);
        let p = who.post(&action, &fields).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{step}: {}", p.body);
    }
    let mut c = Client::signed_in(&app, "performance").await;
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let p = fill(&mut c, CED_REVENUE, &[("line-0-spent", "9,000")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("signed off"), "{}", p.body);
    // Nor can it be removed: the question comes back with why.
    let p = c.post(REMOVE, &[("confirm".into(), "yes".into())]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("signed off"), "{}", p.body);
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
}

#[tokio::test]
async fn a_statement_entered_by_mistake_is_removed_after_a_yes_and_kept_in_the_audit_trail() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let statement = format!("{Q2}/budget/CED-revenue");

    // A contributor sees the statement but no way to remove it, and is refused the question.
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let seen = contributor.get(&statement).await.body;
    assert!(!seen.contains("Remove this statement"), "{seen}");
    assert_eq!(contributor.get(REMOVE).await.status, StatusCode::FORBIDDEN);

    let mut c = Client::signed_in(&app, "performance").await;
    let seen = c.get(&statement).await.body;
    assert!(seen.contains(&format!("href=\"{REMOVE}\"")), "{seen}");
    let ask = c.get(REMOVE).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body
            .contains("Are you sure you want to remove this statement?"),
        "{}",
        ask.body
    );
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let held = before
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CED-revenue" && s.period.to_string() == "2012/13 Q2")
        .unwrap()
        .clone();
    assert!(
        ask.body.contains(&format!(
            "{} groups and {} lines",
            held.groups.len(),
            held.lines.len()
        )),
        "the question says what goes: {}",
        ask.body
    );

    // Neither answer: asked again, the error linked to the question, nothing removed.
    let p = c.post(REMOVE, &[]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("href=\"#confirm\""), "{}", p.body);
    assert!(
        p.body
            .contains("Select yes to remove statement CED-revenue, or no to keep it"),
        "{}",
        p.body
    );
    // No: back to the statement, as it was.
    let p = c.post(REMOVE, &[("confirm".into(), "no".into())]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location.as_deref(), Some(statement.as_str()));
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );

    // Yes: gone from the quarter, its groups and lines with it, and said so.
    let p = c.post(REMOVE, &[("confirm".into(), "yes".into())]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let to = p.location.unwrap();
    assert_eq!(to, format!("{Q2}/budget?done=removed"));
    let list = c.get(&to).await.body;
    assert!(list.contains("Budget statement removed."), "{list}");
    assert!(!list.contains(&format!("href=\"{statement}\"")), "{list}");
    assert_eq!(c.get(&statement).await.status, StatusCode::NOT_FOUND);
    let after = db.store.council_data(&halton()).await.unwrap().unwrap();
    assert!(
        !after.statements.contains(&held),
        "the statement is no longer stored"
    );
    assert_eq!(after.statements.len(), before.statements.len() - 1);
    assert_eq!(after.plans, before.plans, "nothing else changed");
    assert_eq!(after.quarters.len(), before.quarters.len());

    // The audit trail holds it as it was, with who removed it.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let last = trail
        .iter()
        .rev()
        .find(|e| e.note.entity == "statement CED-revenue 2012/13 Q2")
        .unwrap();
    assert_eq!(last.note.actor, "performance");
    assert_eq!(last.note.new, None);
    assert!(
        last.note
            .old
            .as_deref()
            .is_some_and(|o| o.contains(&held.title)),
        "{:?}",
        last.note
    );

    // Only a change Beacon made gets a banner: any other word in the address shows none.
    let list = c.get(&format!("{Q2}/budget?done=anything")).await.body;
    assert!(!list.contains("removed."), "{list}");
}

#[tokio::test]
async fn a_plan_s_budget_changes_and_their_stated_totals_change_on_screen_by_a_new_version() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let hub = c.get("/c/halton/plans/CED-2012-13/edit").await.body;
    let form = "/c/halton/plans/CED-2012-13/edit/budget";
    assert!(hub.contains(&format!("href=\"{form}\"")), "{hub}");
    assert!(hub.contains("0 budget changes, 0 stated totals"), "{hub}");
    let typed = [
        ("scale", "thousands"),
        ("change-0-kind", "saving"),
        ("change-0-year", "2012/13"),
        ("change-0-description", "Reduce the agency staff budget"),
        ("change-0-amount", "250"),
        ("change-1-kind", "saving"),
        ("change-1-year", "2012/13"),
        ("change-1-description", "Retender school transport"),
        ("change-1-amount", "1,100"),
        ("total-0-label", "Total savings"),
        ("total-0-kind", "saving"),
        ("total-0-stated", "1,300"),
    ];
    // The stated total is 50 short: checked, it does not add up, in the plan files' words.
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let mut check = typed.to_vec();
    check.push(("action", "check"));
    let p = fill(&mut c, form, &check).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(
        p.body.contains(
            "&#34;Total savings&#34;: stated 1,300 £&#39;000, but the saving changes (2 of them) add to 1,350 £&#39;000"
        ),
        "{}",
        p.body
    );
    assert!(p.body.contains("href=\"#total-0-stated\""), "{}", p.body);
    // Stated right, it adds up; saving the approved plan needs a reason.
    let mut right = typed.to_vec();
    right.push(("total-0-stated", "1,350"));
    let mut check = right.clone();
    check.push(("action", "check"));
    let p = fill(&mut c, form, &check).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains(">Adds up<"), "{}", p.body);
    let p = fill(&mut c, form, &right).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("say why it changes"), "{}", p.body);
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before,
        "nothing refused was written"
    );
    right.push(("reason", "Savings agreed by the executive board"));
    let p = fill(&mut c, form, &right).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(
        p.location.as_deref().unwrap().contains("done=saved-v"),
        "{:?}",
        p.location
    );

    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let plan = data.plan("CED-2012-13").unwrap();
    let old = before.plan("CED-2012-13").unwrap();
    assert_eq!(plan.plan.version, old.plan.version + 1);
    assert_eq!(plan.budget_changes.len(), 2);
    assert_eq!(plan.budget_changes[1].amount.unwrap().0, 110_000_000);
    assert_eq!(plan.budget_totals[0].stated.0, 135_000_000);
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let note = trail
        .iter()
        .find(|e| e.note.entity == "plan CED-2012-13" && e.note.field.starts_with("budget_changes"))
        .expect("the budget changes are audited");
    assert_eq!(note.note.actor, "performance");
    assert_eq!(
        note.note.reason.as_deref(),
        Some("Savings agreed by the executive board")
    );
    // Opened and saved as it is, nothing changes (no reason needed).
    let p = fill(&mut c, form, &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(
        p.location
            .as_deref()
            .unwrap()
            .contains("done=nothing-changed"),
        "{:?}",
        p.location
    );
}
