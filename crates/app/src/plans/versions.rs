//! Every approved version of a plan kept whole, so any two can be compared: which versions are
//! kept (each approved version as it was last written: when a plan is approved, loaded approved,
//! or changed into a new version), and one version read back for the comparison
//! (`plans::diff`), as the compare page and `beacon diff plan REF@1 REF@3` ask for it.

use crate::CouncilData;
use crate::error::AppError;
use crate::ports::Store;
use beacon_domain::Ref;
use beacon_domain::plan::{PlanDocument, PlanStatus};

/// Whether this plan, as written, is kept as a version of its own: every approved version is.
pub fn kept(doc: &PlanDocument) -> bool {
    doc.plan.status == PlanStatus::Approved
}

/// Version `version` of plan `plan`: the kept one, or the plan as it stands when that is its
/// current version.
pub async fn version_of<S: Store>(
    store: &S,
    data: &CouncilData,
    plan: &Ref,
    version: u32,
) -> Result<PlanDocument, AppError> {
    let council = &data.council.reference;
    let current = data
        .plan(plan.as_str())
        .ok_or_else(|| AppError::NotFound(format!("no plan {plan} in council {council}")))?;
    if let Some(doc) = store.plan_version(council, plan, version).await? {
        return Ok(doc);
    }
    if current.plan.version == version {
        return Ok(current.clone());
    }
    let kept = store.plan_versions(council, plan).await?;
    let list = if kept.is_empty() {
        "none yet".to_string()
    } else {
        kept.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(AppError::NotFound(format!(
        "version {version} of plan {plan} is not kept (versions kept: {list}; the current version is {})",
        current.plan.version
    )))
}
