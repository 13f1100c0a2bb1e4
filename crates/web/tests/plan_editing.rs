//! Plans set up and changed on screen: a performance officer creates a plan from nothing (an
//! objective with two milestones, an indicator with targets, a risk), every mistake is refused
//! beside its field in the plan files' words and changes nothing, every change is in the audit
//! trail field by field, an approved plan changes only by a new version with a reason, a change
//! to what a signed-off quarter reported is refused, and the plan made on screen exports as a
//! plan file that loads into an empty database and exports again byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::{Governance, Store};
use common::{Client, Page, fill, form_fields_of, halton, halton_with_users};

const COUNCIL: &str = "/c/halton";
const EDIT: &str = "/c/halton/plans/YP-2013-14/edit";

async fn add(c: &mut Client, what: &str, query: &str, changes: &[(&str, &str)]) -> Page {
    let action = format!("{EDIT}/{what}/new");
    fill(c, &format!("{action}{query}"), &action, changes).await
}

async fn make_the_plan(c: &mut Client) {
    let action = format!("{COUNCIL}/new-plan");
    let p = fill(
        c,
        &action,
        &action,
        &[
            ("ref", "YP-2013-14"),
            ("title", "Young People's Service Plan 2013/14"),
            ("unit", "CED"),
            ("years", "2013/14-2013/14"),
            ("status", "draft"),
        ],
    )
    .await;
    // Check your answers first: each answer with a link to change it; nothing made yet.
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body
            .contains("Check your answers before creating the plan"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("Children and Enterprise Directorate (CED)"),
        "{}",
        p.body
    );
    assert!(
        p.body
            .contains("href=\"/c/halton/new-plan?ref=YP-2013-14&#38;title=Young%20People%27s"),
        "{}",
        p.body
    );
    let change = c
        .get("/c/halton/new-plan?ref=YP-2013-14&title=Young%20People&unit=CED")
        .await
        .body;
    assert!(change.contains("value=\"Young People\""), "{change}");
    let confirm = form_fields_of(&p.body, &action);
    let p = c.post(&action, &confirm).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some("/c/halton/plans/YP-2013-14/edit?done=saved-v1&item=plan%20YP-2013-14")
    );
    let p = add(
        c,
        "objective",
        "",
        &[
            ("ref", "YP1"),
            ("statement", "Raise attainment at 16"),
            ("links", "SCS-CYP"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    for (text, due) in [
        ("Agree the schools' targets", "2013-09"),
        ("Review the results", "2014-03-31"),
    ] {
        let p = add(
            c,
            "milestone",
            "?objective=YP1",
            &[("year", "2013/14"), ("text", text), ("due", due)],
        )
        .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    }
    let p = add(
        c,
        "indicator",
        "",
        &[
            ("ref", "YP01"),
            ("description", "Pupils achieving 5 or more good GCSEs"),
            ("measure", "percent"),
            ("better", "higher"),
            ("frequency", "annual"),
            ("baseline-period", "2012/13"),
            ("baseline-value", "58%"),
            ("targets", "2013/14: 62%"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = add(
        c,
        "risk",
        "",
        &[
            ("ref", "YPR1"),
            ("objective", "YP1"),
            ("description", "Schools do not agree challenging targets"),
            ("initial-likelihood", "3"),
            ("initial-impact", "4"),
            ("residual-likelihood", "2"),
            ("residual-impact", "3"),
            (
                "treatment",
                "Termly reviews with head teachers\nChallenge from the school improvement partner",
            ),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
}

#[tokio::test]
async fn a_plan_made_on_screen_holds_what_was_typed_and_exports_as_a_plan_file() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let council_page = c.get(COUNCIL).await.body;
    assert!(council_page.contains(">Create a plan<"), "{council_page}");
    make_the_plan(&mut c).await;

    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let plan = data.plan("YP-2013-14").expect("the plan is stored");
    assert_eq!(plan.objectives.len(), 1);
    let refs: Vec<String> = plan
        .milestones()
        .map(|(_, m)| m.reference.to_string())
        .collect();
    assert_eq!(
        refs,
        ["YP1/1", "YP1/2"],
        "milestones numbered after their objective"
    );
    assert_eq!(plan.objectives[0].links[0].as_str(), "SCS-CYP");
    let i = &plan.indicators[0];
    assert_eq!(i.targets.values().next().unwrap().to_string(), "62%");
    assert_eq!(i.baseline.as_ref().unwrap().value.to_string(), "58%");
    assert_eq!(plan.risks[0].treatment.len(), 2);
    assert_eq!(plan.risks[0].initial.as_ref().unwrap().likelihood, Some(3));

    // The edit page lists it all, each with a change link.
    let hub = c.get(EDIT).await.body;
    for href in [
        "/edit/objective/YP1",
        "/edit/milestone/YP1%2F2",
        "/edit/indicator/YP01",
        "/edit/risk/YPR1",
    ] {
        assert!(hub.contains(href), "{href} in {hub}");
    }
    // The plan's pages show it: the priority it serves lists the objective.
    let priority = c.get("/c/halton/priorities/SCS-CYP").await.body;
    assert!(
        priority.contains("/c/halton/plans/YP-2013-14/objectives/YP1"),
        "{priority}"
    );

    // Every change is in the audit trail, field by field, with who made it.
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let target = trail
        .iter()
        .find(|e| {
            e.note.entity == "plan YP-2013-14" && e.note.field == "indicators[YP01].targets.2013/14"
        })
        .expect("the indicator's target is audited, field by field");
    assert_eq!(target.note.actor, "performance");
    assert_eq!(
        (target.note.old.as_deref(), target.note.new.as_deref()),
        (None, Some("62%"))
    );

    // Plan as code: the plan exports as a file that loads into an empty database and exports
    // again byte for byte.
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    beacon_interchange::export::write_files(dir.path(), &files).unwrap();
    let fresh = beacon_test_support::TempDb::new().await;
    let sources = beacon_interchange::source::read_paths(&[dir.path().to_path_buf()]).unwrap();
    beacon_test_support::load_files(&fresh.store, &sources)
        .await
        .expect("the exported files load into an empty database");
    let again = fresh.store.council_data(&halton()).await.unwrap().unwrap();
    let files_again = beacon_interchange::export::council_files(&again, None).unwrap();
    let plan_file = |fs: &[(std::path::PathBuf, String)]| {
        fs.iter()
            .find(|(p, _)| p.to_string_lossy().to_lowercase().contains("yp-2013-14"))
            .map(|(_, t)| t.clone())
            .expect("the plan's file")
    };
    assert_eq!(plan_file(&files), plan_file(&files_again));
    assert_eq!(again.plan("YP-2013-14"), Some(plan));
}

#[tokio::test]
async fn mistakes_are_refused_beside_their_fields_and_change_nothing() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    make_the_plan(&mut c).await;
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let (trail_before, _) = db.store.audit_trail().await.unwrap();

    // A milestone outside the plan's years: the plan files' own words, beside the year.
    let p = add(
        &mut c,
        "milestone",
        "?objective=YP1",
        &[("year", "2015/16"), ("text", "Too late")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("href=\"#year\""), "{}", p.body);
    assert!(
        p.body
            .contains("2015/16 is outside the plan&#39;s years 2013/14-2013/14")
            || p.body.contains("2015/16 is outside the plan"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("value=\"Too late\"") || p.body.contains(">Too late</textarea>"),
        "what was typed is kept"
    );
    // A due date councils write in words the form cannot read: says what it expected.
    let p = add(
        &mut c,
        "milestone",
        "?objective=YP1",
        &[("year", "2013/14"), ("text", "A"), ("due", "March 2014")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body.contains("href=\"#due\"") && p.body.contains("2013-03 (by the end of that month)"),
        "{}",
        p.body
    );
    // A ref already used in the plan.
    let p = add(
        &mut c,
        "objective",
        "",
        &[("ref", "YP1"), ("statement", "Again")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Duplicate objective ref"), "{}", p.body);
    // A priority the council does not have.
    let p = add(
        &mut c,
        "objective",
        "",
        &[("ref", "YP2"), ("links", "NOPE")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Unknown frame"), "{}", p.body);
    // A target that is not a year and a value; a likelihood beyond the matrix; a control
    // character.
    let p = add(
        &mut c,
        "indicator",
        "",
        &[
            ("ref", "YP02"),
            ("description", "D"),
            ("targets", "next year 60%"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("href=\"#targets\""), "{}", p.body);
    let p = add(
        &mut c,
        "risk",
        "",
        &[
            ("ref", "YPR2"),
            ("description", "D"),
            ("initial-likelihood", "9"),
        ],
    )
    .await;
    assert!(
        p.body.contains("is not a whole number from 1 to 4"),
        "{}",
        p.body
    );
    let p = add(
        &mut c,
        "risk",
        "",
        &[("ref", "YPR2"), ("description", "bell \u{7}")],
    )
    .await;
    assert!(p.body.contains("U+0007"), "{}", p.body);

    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
    let (trail_after, _) = db.store.audit_trail().await.unwrap();
    assert_eq!(trail_after.len(), trail_before.len(), "nothing audited");

    // A councillor may not edit.
    let mut cllr = Client::signed_in(&app, "councillor").await;
    assert_eq!(cllr.get(EDIT).await.status, StatusCode::FORBIDDEN);
    let plan_page = cllr.get("/c/halton/plans/YP-2013-14").await.body;
    assert!(!plan_page.contains("Edit this plan"));
}

#[tokio::test]
async fn an_approved_plan_changes_by_a_new_version_with_a_reason_and_never_under_a_signed_off_quarter()
 {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    make_the_plan(&mut c).await;
    let plan_form = format!("{EDIT}/plan/YP-2013-14");
    let p = fill(&mut c, &plan_form, &plan_form, &[("status", "approved")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    // Now approved: a change without a reason is refused; with one, it is version 2.
    let ind = format!("{EDIT}/indicator/YP01");
    let p = fill(&mut c, &ind, &ind, &[("targets", "2013/14: 65%")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body
            .contains("YP-2013-14 is approved, so a change makes version 2"),
        "{}",
        p.body
    );
    let p = fill(
        &mut c,
        &ind,
        &ind,
        &[
            ("targets", "2013/14: 65%"),
            ("reason", "Agreed at the board in May"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.unwrap().contains("saved-v2"));
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let note = trail
        .iter()
        .rev()
        .find(|e| e.note.field == "indicators[YP01].targets.2013/14")
        .expect("the target's change, field by field");
    assert_eq!(
        (note.note.old.as_deref(), note.note.new.as_deref()),
        (Some("62%"), Some("65%"))
    );
    assert_eq!(
        note.note.reason.as_deref(),
        Some("Agreed at the board in May")
    );

    // The example's CED 2012/13 Q2 is signed off: its plan's 2012/13 target may not change.
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let mut approver = Client::signed_in(&app, "approver").await;
    let sign_off = "/c/halton/q/2012-13/2/sign-off/CED";
    for (who, step) in [(&mut contributor, "submit"), (&mut approver, "sign-off")] {
        let action = format!("{sign_off}/{step}");
        let p = fill(who, sign_off, &action, &[]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{step}: {}", p.body);
    }
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let ced = "/c/halton/plans/CED-2012-13/edit/indicator/SCS%20CYP09";
    let p = fill(
        &mut c,
        ced,
        ced,
        &[("targets", "2012/13: 90%"), ("reason", "Raised")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("signed off"), "{}", p.body);
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
}

#[tokio::test]
async fn the_organisation_and_priorities_are_set_up_on_screen_with_the_council_file_s_checks() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let org = "/c/halton/organisation";
    assert!(
        c.get(COUNCIL)
            .await
            .body
            .contains(&format!("href=\"{org}\""))
    );
    let new_unit = format!("{org}/unit/new");
    let p = fill(
        &mut c,
        &new_unit,
        &new_unit,
        &[
            ("ref", "YPS"),
            ("name", "Young People's Service"),
            ("kind", "department"),
            ("parent", "CED"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let new_frame = format!("{org}/frame/new");
    let p = fill(
        &mut c,
        &new_frame,
        &new_frame,
        &[
            ("ref", "CP9"),
            ("kind", "corporate-priority"),
            ("title", "A Healthy Halton"),
            ("number", "9"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let new_officer = format!("{org}/officer/new");
    let p = fill(
        &mut c,
        &new_officer,
        &new_officer,
        &[("ref", "JB"), ("name", "Jo Bloggs"), ("unit", "YPS")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let unit = data
        .units
        .iter()
        .find(|u| u.reference.as_str() == "YPS")
        .unwrap();
    assert_eq!(unit.parent.as_ref().unwrap().as_str(), "CED");
    assert!(
        data.frames
            .iter()
            .any(|f| f.reference.as_str() == "CP9" && f.number == Some(9))
    );
    assert!(data.officers.iter().any(|o| o.reference.as_str() == "JB"));
    // The new priority has its page.
    let page = c.get("/c/halton/priorities/CP9").await.body;
    assert!(page.contains("A Healthy Halton"), "{page}");

    // Refused in the council file's words, changing nothing: a ref used twice, an area of
    // focus under a priority that does not exist, a unit placed under itself.
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let p = fill(
        &mut c,
        &new_unit,
        &new_unit,
        &[("ref", "CED"), ("name", "Again"), ("kind", "team")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("There is already a unit CED"), "{}", p.body);
    let p = fill(
        &mut c,
        &new_frame,
        &new_frame,
        &[
            ("ref", "AOF99"),
            ("kind", "area-of-focus"),
            ("title", "T"),
            ("parent", "NOPE"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    let yps = format!("{org}/unit/YPS");
    let cycle = fill(
        &mut c,
        "/c/halton/organisation/unit/CED",
        "/c/halton/organisation/unit/CED",
        &[("parent", "YPS")],
    )
    .await;
    assert_eq!(
        cycle.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cycle.body
    );
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
    // A change is audited field by field.
    let p = fill(&mut c, &yps, &yps, &[("name", "Young People's Services")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let (trail, _) = db.store.audit_trail().await.unwrap();
    let note = trail
        .iter()
        .find(|e| e.note.entity == "unit YPS" && e.note.field == "name")
        .expect("the name's change");
    assert_eq!(note.note.new.as_deref(), Some("Young People's Services"));
    // A contributor may not.
    let mut contributor = Client::signed_in(&app, "contributor").await;
    assert_eq!(contributor.get(org).await.status, StatusCode::FORBIDDEN);
}

/// A ref as a path segment, as the pages write it.
fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn every_form_of_the_example_plans_saved_as_it_is_changes_nothing() {
    // The forms hold every field a plan file can say (narrative sections, PESTLE factors,
    // comparators, data-quality limits among them), so saving one untouched is no change; so
    // do the organisation's and the budget statements' forms.
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    let (trail_before, _) = db.store.audit_trail().await.unwrap();
    let mut forms = Vec::new();
    for doc in &before.plans {
        let pr = doc.plan.reference.as_str();
        let item = |what: &str, r: &str| format!("/c/halton/plans/{pr}/edit/{what}/{}", seg(r));
        forms.push(item("plan", pr));
        for o in &doc.objectives {
            forms.push(item("objective", o.reference.as_str()));
            for m in &o.milestones {
                forms.push(item("milestone", m.reference.as_str()));
            }
        }
        forms.extend(
            doc.indicators
                .iter()
                .map(|i| item("indicator", i.reference.as_str())),
        );
        forms.extend(doc.risks.iter().map(|r| item("risk", r.reference.as_str())));
        forms.extend(
            doc.equality_actions
                .iter()
                .map(|e| item("equality", e.reference.as_str())),
        );
        forms.push(format!("/c/halton/plans/{pr}/edit/budget"));
    }
    let org = |part: &str, r: &str| format!("/c/halton/organisation/{part}/{}", seg(r));
    forms.extend(
        before
            .units
            .iter()
            .map(|u| org("unit", u.reference.as_str())),
    );
    forms.extend(
        before
            .officers
            .iter()
            .map(|o| org("officer", o.reference.as_str())),
    );
    forms.extend(
        before
            .frames
            .iter()
            .map(|f| org("frame", f.reference.as_str())),
    );
    forms.extend(before.statements.iter().map(|st| {
        format!(
            "/c/halton/q/{}/{}/budget/{}/edit",
            st.period.year.to_string().replace('/', "-"),
            st.period.q.number(),
            seg(st.reference.as_str())
        )
    }));
    assert!(forms.len() > 100, "{} forms", forms.len());
    let with_sections = before
        .plans
        .iter()
        .filter(|p| !p.plan.sections.is_empty() && !p.plan.factors.is_empty())
        .count();
    assert!(
        with_sections > 0,
        "an example plan has sections and factors"
    );
    let mut changed = Vec::new();
    for form in &forms {
        let page = c.get(form).await;
        assert_eq!(page.status, StatusCode::OK, "{form}");
        let shown: Vec<(String, String)> = form_fields_of(&page.body, form)
            .into_iter()
            .filter(|(k, _)| !k.ends_with("-remove"))
            .collect();
        let p = c.post(form, &shown).await;
        let unchanged = p.status == StatusCode::SEE_OTHER
            && p.location
                .as_deref()
                .unwrap_or_default()
                .contains("done=nothing-changed");
        if !unchanged {
            let why = p
                .body
                .split("govuk-error-summary__list\">")
                .nth(1)
                .map_or("", |s| &s[..s.find("</ul>").unwrap_or(s.len())])
                .to_string();
            changed.push(format!("{form}: {} {why}", p.status));
        }
    }
    assert!(changed.is_empty(), "{}", changed.join("\n"));
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
    assert_eq!(db.store.audit_trail().await.unwrap().0, trail_before);
}

#[tokio::test]
async fn sections_factors_comparators_and_data_quality_are_written_on_screen() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    make_the_plan(&mut c).await;
    let plan_form = format!("{EDIT}/plan/YP-2013-14");
    let p = fill(
        &mut c,
        &plan_form,
        &plan_form,
        &[
            (
                "sections",
                "## foreword: Foreword\r\nOur first plan for young people.\r\n\r\nIt runs for one year.\r\n\r\n## key-messages: Key messages\r\nAttainment first.",
            ),
            ("factors", "## economic: Reduced grant\r\nThe grant falls by 10%."),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let ind = format!("{EDIT}/indicator/YP01");
    let p = fill(
        &mut c,
        &ind,
        &ind,
        &[
            ("frequency", "census"),
            ("census-return", "School Census"),
            ("census-months", "January, May"),
            ("quality-minimum", "10"),
            ("quality-maximum", "90"),
            (
                "comparators",
                "2012/13 | england-average | | 59% | DfE SFR 02/2014\r\n2012/13 | council | Knowsley | 55%",
            ),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let data = db.store.council_data(&halton()).await.unwrap().unwrap();
    let plan = data.plan("YP-2013-14").unwrap();
    assert_eq!(plan.plan.sections.len(), 2);
    assert_eq!(plan.plan.sections[0].heading, "Foreword");
    assert_eq!(
        plan.plan.sections[0].text,
        "Our first plan for young people.\n\nIt runs for one year."
    );
    assert_eq!(plan.plan.sections[1].kind.as_str(), "key-messages");
    assert_eq!(plan.plan.factors[0].category.as_str(), "economic");
    let i = &plan.indicators[0];
    assert_eq!(
        i.quality.maximum.map(|d| d.to_string()).as_deref(),
        Some("90")
    );
    let census = i.census.as_ref().expect("the census return is kept");
    assert_eq!(census.name, "School Census");
    assert_eq!(census.describe(), "School Census (January and May)");
    assert_eq!(i.comparators.len(), 2);
    assert_eq!(i.comparators[1].name.as_deref(), Some("Knowsley"));
    assert_eq!(i.comparators[0].source.as_deref(), Some("DfE SFR 02/2014"));

    // Mistakes: a section without its heading line, an unknown kind, a comparator of a council
    // without its name (the plan files' own check), each beside its field.
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            &plan_form,
            "sections",
            "Text before any heading",
            "start each one with a line such as ## foreword",
        ),
        (
            &plan_form,
            "factors",
            "## weather: Rain",
            "&#34;weather&#34; is not one of political, economic",
        ),
        (&ind, "comparators", "2012/13 | council | | 55%", "name"),
        (
            &ind,
            "comparators",
            "2012/13 55%",
            "is not period | kind | name | value | source",
        ),
    ];
    let before = db.store.council_data(&halton()).await.unwrap().unwrap();
    for (form, field, typed, message) in cases {
        let p = fill(&mut c, form, form, &[(field, typed)]).await;
        assert_eq!(
            p.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {typed}"
        );
        assert!(
            p.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            p.body
        );
        assert!(p.body.contains(message), "{message} in {}", p.body);
    }
    assert_eq!(
        db.store.council_data(&halton()).await.unwrap().unwrap(),
        before
    );
}
