//! The council's indicator library changed on screen, one definition at a time: checked by the
//! plan files' own checks on the council as it would be, given to every plan indicator that
//! refers to it (an approved plan makes a new version, with a reason), refused where a
//! signed-off quarter of such a plan would change, and written with a field-level audit note.
//! A definition no plan takes any longer can be removed.

use crate::CouncilData;
use crate::access::Principal;
use crate::audit::Actor;
use crate::commit;
use crate::error::AppError;
use crate::plans::edit::{Checks, EditError, Finding, Outcome, quarters_touched};
use crate::ports::{ChangeSet, CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::library::{self, LibraryIndicator};
use beacon_domain::plan::{PlanDocument, PlanStatus};

fn refused(r: &Ref, field: &str, message: String) -> EditError {
    EditError::Refused(vec![Finding {
        item: format!("library indicator {r}"),
        field: field.into(),
        message,
    }])
}

/// The plans whose indicators take `definition`, as they would be with it: each plan before
/// and after.
fn plans_using<'a>(
    data: &'a CouncilData,
    definition: &LibraryIndicator,
) -> Vec<(&'a PlanDocument, PlanDocument)> {
    data.plans
        .iter()
        .filter(|p| library::uses(p, &definition.reference))
        .filter_map(|p| {
            let mut new = p.clone();
            library::resolve(&mut new, std::slice::from_ref(definition)).then_some((p, new))
        })
        .collect()
}

/// Adds a definition (`was` none) or changes the one with ref `was`, for a performance officer
/// or administrator of the council. A ref does not change: plans name the entry by it.
pub async fn save_definition<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    was: Option<&Ref>,
    definition: LibraryIndicator,
    by: &Actor,
    checks: Checks<'_>,
) -> Result<Outcome, EditError> {
    who.must_manage(data, None, "change its indicator library")?;
    let council = &data.council.reference;
    let r = definition.reference.clone();
    let old = library::find(&data.library, &r);
    match was {
        None if old.is_some() => {
            return Err(refused(
                &r,
                "ref",
                format!("there is already a library indicator {r}: each ref is used once"),
            ));
        }
        Some(w) if w != &r => {
            return Err(refused(
                &r,
                "ref",
                format!("a library indicator's ref cannot change: plans name it as {w}"),
            ));
        }
        Some(w) if old.is_none() => {
            return Err(AppError::NotFound(format!(
                "no library indicator {w} in council {council}"
            ))
            .into());
        }
        _ => {}
    }
    if old == Some(&definition) {
        return Ok(Outcome::Unchanged);
    }
    let mut plans = plans_using(data, &definition);
    if let Some((p, _)) = plans
        .iter()
        .find(|(p, _)| p.plan.status == PlanStatus::Approved)
        && by.reason.as_deref().is_none_or(|x| x.trim().is_empty())
    {
        return Err(refused(
            &r,
            "reason",
            format!(
                "approved plan {} takes this definition, so the change makes version {} of it: say why it changes",
                p.plan.reference,
                p.plan.version + 1
            ),
        ));
    }
    for (old, new) in &mut plans {
        if old.plan.status == PlanStatus::Approved {
            new.plan.version = old.plan.version + 1;
        }
    }
    let mut after = data.clone();
    match after.library.iter_mut().find(|d| d.reference == r) {
        Some(d) => *d = definition.clone(),
        None => after.library.push(definition.clone()),
    }
    for (_, new) in &plans {
        if let Some(p) = after
            .plans
            .iter_mut()
            .find(|p| p.plan.reference == new.plan.reference)
        {
            *p = new.clone();
        }
    }
    let findings = checks(data, &after);
    if !findings.is_empty() {
        return Err(EditError::Refused(findings));
    }
    let mut touched = Vec::new();
    for (old, new) in &plans {
        touched.extend(quarters_touched(data, old, new));
    }
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.library.push(definition);
    changes.plans = plans.into_iter().map(|(_, new)| new).collect();
    let mut set = ChangeSet::default();
    commit::stage_touching(&mut set, Some(data), changes, by, &touched);
    store.apply(&set).await.map_err(AppError::from)?;
    Ok(Outcome::Saved { version: 0 })
}

/// Removes the definition `r` from the council's library, for a performance officer or
/// administrator of the council: refused while any plan's indicator takes it (each named, to
/// change first), and by the plan files' checks on the council as it would be; written with an
/// audit note holding the definition as it was.
pub async fn remove_definition<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    r: &Ref,
    by: &Actor,
    checks: Checks<'_>,
) -> Result<(), EditError> {
    who.must_manage(data, None, "change its indicator library")?;
    let council = &data.council.reference;
    let Some(old) = library::find(&data.library, r) else {
        return Err(
            AppError::NotFound(format!("no library indicator {r} in council {council}")).into(),
        );
    };
    let takers: Vec<String> = data
        .plans
        .iter()
        .flat_map(|p| {
            p.indicators
                .iter()
                .filter(|i| i.library.as_ref() == Some(r))
                .map(move |i| format!("indicator {} of plan {}", i.reference, p.plan.reference))
        })
        .collect();
    if !takers.is_empty() {
        return Err(refused(
            r,
            "ref",
            format!(
                "plans take this definition ({}): change or remove those indicators first",
                takers.join(", ")
            ),
        ));
    }
    let mut after = data.clone();
    after.library.retain(|d| &d.reference != r);
    let findings = checks(data, &after);
    if !findings.is_empty() {
        return Err(EditError::Refused(findings));
    }
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.removed_library.push(old.clone());
    commit::write(store, Some(data), changes, by, None).await?;
    Ok(())
}
