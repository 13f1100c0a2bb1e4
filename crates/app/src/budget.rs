//! Budget statements set up and changed on screen: a statement is given whole (its groups and
//! lines), checked by the domain's own rules for its kind and by the budget files' checks on the
//! council as it would be, refused where its quarter is signed off, and written in one
//! transaction with a field-level audit note, as `beacon load` of a budget file would; a
//! statement entered by mistake is removed the same way.

use crate::CouncilData;
use crate::access::Principal;
use crate::audit::Actor;
use crate::commit;
use crate::error::AppError;
use crate::plans::edit::{Checks, EditError, Finding, Outcome};
use crate::ports::{CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::budget::Statement;
use beacon_domain::period::Quarter;

/// The statement's name in messages and the audit trail: `statement CED-REV 2012/13 Q2`.
pub fn item_name(st: &Statement) -> String {
    format!("statement {} {}", st.reference, st.period)
}

fn refused(st: &Statement, field: &str, message: String) -> EditError {
    EditError::Refused(vec![Finding {
        item: item_name(st),
        field: field.into(),
        message,
    }])
}

/// Adds a statement (`was` none) or replaces the one with ref `was` in the statement's period,
/// for a performance officer or administrator of the council. A statement's ref and period do
/// not change here: reports and the audit trail name them.
pub async fn save_statement<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    was: Option<&Ref>,
    st: Statement,
    by: &Actor,
    checks: Checks<'_>,
) -> Result<Outcome, EditError> {
    who.must_manage(data, Some(&st.unit), "change its budget statements")?;
    let council = &data.council.reference;
    let old = data
        .statements
        .iter()
        .find(|s| s.reference == st.reference && s.period == st.period);
    match was {
        None if old.is_some() => {
            return Err(refused(
                &st,
                "ref",
                format!(
                    "there is already a statement {} for {}: each ref is used once a quarter",
                    st.reference, st.period
                ),
            ));
        }
        Some(w) if w != &st.reference => {
            return Err(refused(
                &st,
                "ref",
                format!("a statement's ref cannot change: reports name it as {w}"),
            ));
        }
        Some(w) if old.is_none() => {
            return Err(AppError::NotFound(format!(
                "no statement {w} for {} in council {council}",
                st.period
            ))
            .into());
        }
        _ => {}
    }
    if old == Some(&st) {
        return Ok(Outcome::Unchanged);
    }
    if let Err(m) = st.check() {
        return Err(refused(&st, "", m));
    }
    let mut after = data.clone();
    match after
        .statements
        .iter_mut()
        .find(|s| s.reference == st.reference && s.period == st.period)
    {
        Some(s) => *s = st.clone(),
        None => after.statements.push(st.clone()),
    }
    let findings = checks(data, &after);
    if !findings.is_empty() {
        return Err(EditError::Refused(findings));
    }
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.statements.push(st);
    commit::write(store, Some(data), changes, by, None).await?;
    Ok(Outcome::Saved { version: 0 })
}

/// Removes the statement `reference` of `period`, groups and lines with it, for a performance
/// officer or administrator of its unit's council: refused where its quarter is signed off,
/// and written with an audit note holding the statement as it was.
pub async fn remove_statement<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    reference: &Ref,
    period: Quarter,
    by: &Actor,
) -> Result<(), AppError> {
    let council = &data.council.reference;
    let Some(old) = data
        .statements
        .iter()
        .find(|s| &s.reference == reference && s.period == period)
    else {
        return Err(AppError::NotFound(format!(
            "no statement {reference} for {period} in council {council}"
        )));
    };
    who.must_manage(data, Some(&old.unit), "remove its budget statements")?;
    let mut changes = CouncilChanges::council_only(&data.council);
    changes.removed_statements.push(old.clone());
    commit::write(store, Some(data), changes, by, None).await
}
