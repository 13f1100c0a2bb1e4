//! Changing the council's organisation and strategic frame on screen, one unit, officer or
//! frame entry at a time: checked by the plan files' own checks on the council as it would be,
//! and written with a field-level audit note, as a `beacon load` of the council file would.

use crate::CouncilData;
use crate::access::Principal;
use crate::audit::Actor;
use crate::commit;
use crate::error::AppError;
use crate::plans::edit::{Checks, EditError, Finding, Outcome};
use crate::ports::{CouncilChanges, Store};
use beacon_domain::Ref;
use beacon_domain::frame::Frame;
use beacon_domain::organisation::{Officer, Unit};

/// One item of the organisation or the strategic frame, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgItem {
    Unit(Unit),
    Officer(Officer),
    Frame(Frame),
}

impl OrgItem {
    fn reference(&self) -> &Ref {
        match self {
            OrgItem::Unit(u) => &u.reference,
            OrgItem::Officer(o) => &o.reference,
            OrgItem::Frame(f) => &f.reference,
        }
    }
    /// What it is, as messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            OrgItem::Unit(_) => "unit",
            OrgItem::Officer(_) => "officer",
            OrgItem::Frame(_) => "frame",
        }
    }
    fn stored(&self, data: &CouncilData, r: &Ref) -> Option<OrgItem> {
        match self {
            OrgItem::Unit(_) => data
                .units
                .iter()
                .find(|x| &x.reference == r)
                .cloned()
                .map(OrgItem::Unit),
            OrgItem::Officer(_) => data
                .officers
                .iter()
                .find(|x| &x.reference == r)
                .cloned()
                .map(OrgItem::Officer),
            OrgItem::Frame(_) => data
                .frames
                .iter()
                .find(|x| &x.reference == r)
                .cloned()
                .map(OrgItem::Frame),
        }
    }
}

fn refused(item: &OrgItem, message: String) -> EditError {
    EditError::Refused(vec![Finding {
        item: format!("{} {}", item.kind(), item.reference()),
        field: "ref".into(),
        message,
    }])
}

/// Adds an item (`was` none) or changes the one with ref `was`, for a performance officer or
/// administrator of the council. A ref does not change here: plans and quarters name it.
pub async fn save_org<S: Store>(
    store: &S,
    who: &Principal,
    data: &CouncilData,
    was: Option<&Ref>,
    item: OrgItem,
    by: &Actor,
    checks: Checks<'_>,
) -> Result<Outcome, EditError> {
    who.must_manage(data, None, "change its organisation and priorities")?;
    let council = &data.council.reference;
    let r = item.reference().clone();
    let old = item.stored(data, &r);
    match was {
        None if old.is_some() => {
            return Err(refused(
                &item,
                format!(
                    "there is already a {} {r}: each ref is used once",
                    item.kind()
                ),
            ));
        }
        Some(w) if w != &r => {
            return Err(refused(
                &item,
                format!(
                    "a {}'s ref cannot change: plans and quarters name it as {w}",
                    item.kind()
                ),
            ));
        }
        Some(w) if old.is_none() => {
            return Err(
                AppError::NotFound(format!("no {} {w} in council {council}", item.kind())).into(),
            );
        }
        _ => {}
    }
    if old.as_ref() == Some(&item) {
        return Ok(Outcome::Unchanged);
    }
    let mut after = data.clone();
    let mut changes = CouncilChanges::council_only(&data.council);
    fn put<T: Clone>(list: &mut Vec<T>, key: impl Fn(&T) -> &Ref, x: &T) {
        match list.iter().position(|y| key(y) == key(x)) {
            Some(i) => list[i] = x.clone(),
            None => list.push(x.clone()),
        }
    }
    match &item {
        OrgItem::Unit(u) => {
            put(&mut after.units, |x| &x.reference, u);
            changes.units.push(u.clone());
        }
        OrgItem::Officer(o) => {
            put(&mut after.officers, |x| &x.reference, o);
            changes.officers.push(o.clone());
        }
        OrgItem::Frame(f) => {
            put(&mut after.frames, |x| &x.reference, f);
            changes.frames.push(f.clone());
        }
    }
    let findings = checks(data, &after);
    if !findings.is_empty() {
        return Err(EditError::Refused(findings));
    }
    commit::write(store, Some(data), changes, by, None).await?;
    Ok(Outcome::Saved { version: 0 })
}
