//! The dates and collections plans that are not Halton's write (docs/plan-format.md): an
//! action's start and end, milestones due as a range, a list, from a date onwards, ongoing or
//! recurring, with the plan's note for one dated before its first year; census indicators;
//! comparators naming a council, group or source; equality objectives without an impact.

use super::fixtures::{everything, m, p, r, rich_council};
use beacon_app::{CouncilData, Store};
use beacon_domain::equality::EqualityAction;
use beacon_domain::indicator::{Census, Comparator, ComparatorKind, Frequency};
use beacon_domain::objective::{Due, Milestone};

fn milestone(reference: &str, due: &str, before_plan: Option<&str>) -> Milestone {
    Milestone {
        reference: r(reference),
        year: "2011/12".parse().unwrap(),
        text: format!("Due {due}"),
        due: due.parse().unwrap(),
        officer: None,
        priority: None,
        before_plan: before_plan.map(Into::into),
        carried_from: None,
    }
}

/// The rich council with every new form set in its plan.
pub fn council_with_new_forms() -> CouncilData {
    let mut d = rich_council();
    let plan = d
        .plans
        .iter_mut()
        .find(|p| p.plan.reference.as_str() == "CYPD-2011-14")
        .unwrap();
    let o = &mut plan.objectives[1];
    o.starts = Some("2010-09".parse().unwrap());
    o.ends = Some("2013-07-31".parse().unwrap());
    o.milestones = vec![
        milestone(
            "CFS2/1",
            "2010-12 to 2011-03",
            Some("Carried forward from the 2010/11 plan"),
        ),
        milestone("CFS2/2", "2011-07, 2011-12-16, 2012-03", None),
        milestone("CFS2/3", "from 2011-09 onwards", None),
        milestone("CFS2/4", "ongoing", None),
        milestone("CFS2/5", "each term", None),
        milestone("CFS2/6", "annually in July", None),
        milestone("CFS2/7", "2012-04", None),
    ];
    let ind = &mut plan.indicators[1];
    ind.frequency = Some(Frequency::Census);
    ind.census = Some(Census {
        name: "School Census — spring".into(),
        months: vec!["January".parse().unwrap(), "May".parse().unwrap()],
    });
    ind.comparators = vec![
        Comparator {
            period: p("2009/10"),
            kind: ComparatorKind::Council,
            name: Some("Warrington".into()),
            source: Some("DfE SFR 27/2010".into()),
            value: m("61%"),
        },
        Comparator {
            period: p("2009/10"),
            kind: ComparatorKind::StatisticalNeighbours,
            name: None,
            source: None,
            value: m("58.5%"),
        },
        Comparator {
            period: p("2009/10"),
            kind: ComparatorKind::EnglandAverage,
            name: None,
            source: Some("NCER".into()),
            value: m("60%"),
        },
    ];
    plan.equality_actions.push(EqualityAction {
        reference: r("EO1"),
        area: "Children in care".into(),
        impact: None,
        action: "Close the gap in attainment for children in care".into(),
        themes: vec!["Age".into(), "Disability".into()],
        success_measure: Some("Gap at Key Stage 2 below 20 points".into()),
        evidence: Some("Virtual school head's report".into()),
        target_date: "2011-09 to 2012-03".parse::<Due>().unwrap(),
        completed: true,
        years: vec![],
        officer: Some("SN".into()),
    });
    d
}

/// Every new form is stored and read back as it was given, on every backend.
pub async fn dates_ranges_census_named_comparators_and_equality_objectives_read_back<S: Store>(
    store: &S,
) {
    let d = council_with_new_forms();
    store.apply(&everything(&d)).await.unwrap();
    let back = store
        .council_data(&d.council.reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, d);
    let plan = back.plan("CYPD-2011-14").unwrap();
    let o = &plan.objectives[1];
    assert_eq!(o.runs().unwrap(), "September 2010 – 31 July 2013");
    let dues: Vec<String> = o.milestones.iter().map(|m| m.due.describe()).collect();
    assert_eq!(
        dues,
        [
            "December 2010 – March 2011",
            "July 2011, 16 December 2011 and March 2012",
            "from September 2011 onwards",
            "ongoing",
            "each term",
            "annually in July",
            "April 2012",
        ]
    );
    assert_eq!(
        o.milestones[0].before_plan.as_deref(),
        Some("Carried forward from the 2010/11 plan")
    );
    let census = plan.indicators[1].census.as_ref().unwrap();
    assert_eq!(
        census.describe(),
        "School Census — spring (January and May)"
    );
    let named: Vec<String> = plan.indicators[1]
        .comparators
        .iter()
        .map(Comparator::describe)
        .collect();
    assert_eq!(
        named,
        [
            "Warrington 2009/10",
            "Statistical neighbours 2009/10",
            "England average 2009/10"
        ]
    );
    let eo = plan.equality_actions.last().unwrap();
    assert_eq!((eo.impact, eo.completed), (None, true));
    assert_eq!(eo.target_date.describe(), "September 2011 – March 2012");
}
