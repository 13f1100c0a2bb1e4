//! The load use case: bring a dataset (read from files) into the store. Only what differs from
//! what is stored is written, all in one transaction, so loading the same files twice changes
//! nothing.

use crate::audit::Actor;
use crate::commit::stage;
use crate::dataset::{CouncilData, Dataset};
use crate::error::AppError;
use crate::ports::{ChangeSet, CouncilChanges, Store};
use beacon_domain::status::overrides::Override;
use serde::Serialize;

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadReport {
    /// Items written (new or changed), as "plan CYPD-2011-14" etc.
    pub written: Vec<String>,
    /// Items given that were already stored exactly so.
    pub unchanged: usize,
}

/// Items of `incoming` that are new or differ from their namesake in `stored`.
fn changed<T: Clone + PartialEq, K: PartialEq>(
    incoming: &[T],
    stored: &[T],
    key: impl Fn(&T) -> K,
    unchanged: &mut usize,
) -> Vec<T> {
    incoming
        .iter()
        .filter(|item| {
            let same = stored.iter().any(|s| key(s) == key(item) && s == *item);
            if same {
                *unchanged += 1;
            }
            !same
        })
        .cloned()
        .collect()
}

/// Works out what `incoming` changes against `stored` (`None` for a new council).
pub fn diff(
    incoming: &CouncilData,
    stored: Option<&CouncilData>,
    report: &mut LoadReport,
) -> CouncilChanges {
    let empty = CouncilData::new(incoming.council.clone());
    let s = stored.unwrap_or(&empty);
    let u = &mut report.unchanged;
    let changes = CouncilChanges {
        council: incoming.council.clone(),
        units: changed(&incoming.units, &s.units, |x| x.reference.clone(), u),
        officers: changed(&incoming.officers, &s.officers, |x| x.reference.clone(), u),
        frames: changed(&incoming.frames, &s.frames, |x| x.reference.clone(), u),
        library: changed(&incoming.library, &s.library, |x| x.reference.clone(), u),
        plans: changed(&incoming.plans, &s.plans, |x| x.plan.reference.clone(), u),
        quarters: changed(
            &incoming.quarters,
            &s.quarters,
            |x| (x.header.unit.clone(), x.header.period),
            u,
        ),
        statements: changed(
            &incoming.statements,
            &s.statements,
            |x| (x.reference.clone(), x.period),
            u,
        ),
        overrides: changed(&incoming.overrides, &s.overrides, Override::key, u),
        removed_statements: Vec::new(),
        removed_library: Vec::new(),
        kept_versions: Vec::new(),
    };
    let c = &incoming.council.reference;
    if stored.is_none_or(|s| s.council != incoming.council) {
        report.written.push(format!("council {c}"));
    }
    let w = &mut report.written;
    w.extend(
        changes
            .units
            .iter()
            .map(|x| format!("unit {}", x.reference)),
    );
    w.extend(
        changes
            .officers
            .iter()
            .map(|x| format!("officer {}", x.reference)),
    );
    w.extend(
        changes
            .frames
            .iter()
            .map(|x| format!("frame {}", x.reference)),
    );
    w.extend(
        changes
            .library
            .iter()
            .map(|x| format!("library indicator {}", x.reference)),
    );
    w.extend(
        changes
            .plans
            .iter()
            .map(|x| format!("plan {}", x.plan.reference)),
    );
    w.extend(
        changes
            .quarters
            .iter()
            .map(|x| format!("quarter {} {}", x.header.unit, x.header.period)),
    );
    w.extend(
        changes
            .statements
            .iter()
            .map(|x| format!("statement {} {}", x.reference, x.period)),
    );
    w.extend(changes.overrides.iter().map(|x| {
        format!(
            "status of {} {} in {} {}",
            x.kind, x.item, x.plan, x.quarter
        )
    }));
    changes
}

/// Loads a dataset that has been read and checked against what is stored. Writes the
/// differences in one transaction, each change in the audit trail as made by `by`.
pub async fn load<S: Store>(
    store: &S,
    incoming: &Dataset,
    by: &Actor,
) -> Result<LoadReport, AppError> {
    let mut report = LoadReport::default();
    let mut set = ChangeSet::default();
    for council in &incoming.councils {
        let stored = store.council_data(&council.council.reference).await?;
        let changes = diff(council, stored.as_ref(), &mut report);
        let council_changed = stored.as_ref().is_none_or(|s| s.council != council.council);
        if council_changed || !changes.is_empty() {
            stage(&mut set, stored.as_ref(), changes, by, None);
        }
    }
    if !set.councils.is_empty() {
        store.apply(&set).await?;
    }
    // After the data, so a council new in these files exists; each calendar was checked
    // before anything was written, through the same check as `beacon calendar`.
    for (council, calendar) in &incoming.calendars {
        if crate::calendar::apply_calendar(store, council, calendar, by).await? {
            report.written.push(format!("calendar of {council}"));
        } else {
            report.unchanged += 1;
        }
    }
    Ok(report)
}
