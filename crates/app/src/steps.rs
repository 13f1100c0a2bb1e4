//! Taking a step in a unit's quarter's life (submit, send back, sign off, reopen, publish):
//! the one use case behind the sign-off page and `beacon submit | send-back | sign-off |
//! reopen | publish`. It checks who may take the step, the quarter's state and version and the
//! reason; when the step publishes it freezes the report with the formats it is given; and it
//! writes the step, the publication and their audit notes in one transaction.

use crate::CouncilData;
use crate::access::Principal;
use crate::audit::{Actor, AuditNote};
use crate::error::AppError;
use crate::keys;
use crate::lifecycle::{QuarterStatus, Step, Transition, plan_step};
use crate::notices::Outbox;
use crate::notices::compose::{Audience, Links, for_step};
use crate::ports::Governance;
use crate::publication::{Formats, PublicationMeta, freeze, next_version};
use beacon_domain::Ref;
use beacon_domain::period::Quarter;

/// Where a unit's quarter stands: its status and the versions published so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub status: QuarterStatus,
    /// The quarter's publications, oldest first.
    pub publications: Vec<PublicationMeta>,
}

impl Standing {
    /// Whether a version has been published already (publishing again then needs a note).
    pub fn published_before(&self) -> bool {
        !self.publications.is_empty()
    }
}

/// A step someone asks to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    pub unit: Ref,
    pub quarter: Quarter,
    pub step: Step,
    /// The quarter's version the asker saw (a page's form); the step is refused if the quarter
    /// has moved on since. `None` acts on the quarter as it stands (the command line).
    pub seen_version: Option<i64>,
}

/// A step taken: the quarter's new status, and the version published when it published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTaken {
    pub status: QuarterStatus,
    pub publication: Option<PublicationMeta>,
}

/// The unit, if the council has it.
fn known_unit(data: &CouncilData, unit: &Ref) -> Result<(), AppError> {
    if data.units.iter().any(|u| &u.reference == unit) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "{} has no unit {unit}",
            data.council.reference
        )))
    }
}

/// Where the unit's quarter stands now.
pub async fn standing<G: Governance>(
    store: &G,
    data: &CouncilData,
    unit: &Ref,
    quarter: Quarter,
) -> Result<Standing, AppError> {
    let council = &data.council.reference;
    let statuses = store.quarter_statuses(council).await?;
    let publications = store
        .publications(council)
        .await?
        .into_iter()
        .filter(|p| &p.unit == unit && p.quarter == quarter)
        .collect();
    Ok(Standing {
        status: QuarterStatus::of(&statuses, unit, quarter),
        publications,
    })
}

/// Takes the step, or says why not: `Forbidden` (the user may not), `Refused` (the quarter's
/// state or version), `Invalid` (a reason is needed), `NotFound` (no such unit). Nothing is
/// written unless the step is taken. The notices the step sends (`notices::compose::for_step`,
/// with links to the pages `links` builds) go to the outbox in the same transaction.
pub async fn take_step<G: Governance + Outbox>(
    store: &G,
    formats: &impl Formats,
    links: &impl Links,
    who: &Principal,
    data: &CouncilData,
    request: &StepRequest,
    by: &Actor,
) -> Result<StepTaken, AppError> {
    let (unit, quarter) = (&request.unit, request.quarter);
    known_unit(data, unit)?;
    let by = Actor {
        reason: by
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        ..by.clone()
    };
    let now = standing(store, data, unit, quarter).await?;
    let seen = request.seen_version.unwrap_or(now.status.version);
    let transition = plan_step(
        who,
        data,
        &now.status,
        request.step,
        seen,
        now.published_before(),
        &by,
    )?;
    let publication = if request.step == Step::Publish {
        let version = next_version(&now.publications, unit, quarter);
        Some(freeze(formats, data, unit, quarter, version, &by)?)
    } else {
        None
    };
    let notes = step_notes(
        data,
        &transition,
        publication.as_ref().map(|p| &p.meta),
        &by,
    );
    let users = store.users().await?;
    let contacts = store.contacts().await?;
    let subscribers = if request.step == Step::Publish {
        store.subscribers(&data.council.reference).await?
    } else {
        Vec::new()
    };
    let audience = Audience {
        users: &users,
        contacts: &contacts,
        subscribers: &subscribers,
    };
    let notices = for_step(
        data,
        &audience,
        &transition,
        publication.as_ref().map(|p| &p.meta),
        &by,
        links,
    );
    store
        .transition_with_notices(&transition, publication.as_ref(), &notes, &notices, by.at)
        .await?;
    Ok(StepTaken {
        status: transition.to,
        publication: publication.map(|p| p.meta),
    })
}

/// The audit notes of a step: the quarter's state, old and new; and, when it publishes, the
/// new version's content hash.
fn step_notes(
    data: &CouncilData,
    t: &Transition,
    published: Option<&PublicationMeta>,
    by: &Actor,
) -> Vec<AuditNote> {
    let quarter = keys::quarter(&t.to.unit, t.to.quarter);
    let state = AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(data.council.reference.to_string()),
        entity: quarter.clone(),
        item: Some(quarter),
        field: "state".into(),
        old: Some(t.from.state.label().to_string()),
        new: Some(t.to.state.label().to_string()),
        reason: by.reason.clone(),
    };
    let mut notes = vec![state];
    if let Some(p) = published {
        notes.push(AuditNote {
            entity: keys::publication(&p.unit, p.quarter, p.version),
            field: "content_hash".into(),
            old: None,
            new: Some(p.content_hash.clone()),
            ..notes[0].clone()
        });
    }
    notes
}
