//! Published snapshots: the monitoring report of a unit's quarter frozen in every format at
//! the moment it was published, with a content hash, the time and who published it. A later
//! publication is a new version that says what changed; no version is ever rewritten.

use crate::CouncilData;
use crate::audit::{Actor, hex};
use crate::error::AppError;
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One frozen file of a publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    /// `report.html`, `report.pdf`, `open-data.csv`…
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// What is known of a publication without its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationMeta {
    pub council: CouncilRef,
    pub unit: Ref,
    pub quarter: Quarter,
    /// 1 for the first publication of the quarter, then 2, 3…
    pub version: i64,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
    /// SHA-256 over every file's name and SHA-256, in name order.
    pub content_hash: String,
    /// What changed since the version before (none for the first).
    pub note: Option<String>,
    /// The file names, in name order.
    pub files: Vec<String>,
    /// The audit trail's last row when this version was published: written by the store in
    /// the publishing transaction (whatever the caller passes is ignored) and shown wherever
    /// the version is, so the trail's state is recorded outside the database. `None` for
    /// versions published before Beacon kept it.
    pub anchor: Option<AuditAnchor>,
}

/// One row of the audit trail, by its number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditAnchor {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, SHA-256 {}", self.seq, self.hash)
    }
}

/// A publication with its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub meta: PublicationMeta,
    pub files: Vec<PublishedFile>,
}

/// The content hash of a set of files.
pub fn content_hash(files: &[PublishedFile]) -> String {
    let mut sorted: Vec<&PublishedFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut h = Sha256::new();
    for f in sorted {
        h.update(f.name.as_bytes());
        h.update([0]);
        h.update(Sha256::digest(&f.bytes));
    }
    hex(&h.finalize())
}

/// The files a publication freezes, written by the report and open-data writers. Injected by
/// the edge (the web app and the command line pass the same one), so the use cases do not
/// depend on how a report is rendered. A file that cannot be written is `AppError::Refused`
/// with the reason (`Invalid` is kept for what the person taking the step gave).
pub trait Formats: Send + Sync {
    /// The unit's monitoring report for the quarter, one file per format (`report.html`…).
    fn report(
        &self,
        data: &CouncilData,
        unit: &Ref,
        quarter: Quarter,
    ) -> Result<Vec<PublishedFile>, AppError>;
    /// The quarter's open data of the plans named, and no others (`open-data.csv`…).
    fn open_data(
        &self,
        data: &CouncilData,
        quarter: Quarter,
        plans: &[Ref],
    ) -> Result<Vec<PublishedFile>, AppError>;
}

/// The plans a unit's publication carries the open data of: those of the unit and of every
/// unit under it.
pub fn plans_of(data: &CouncilData, unit: &Ref) -> Vec<Ref> {
    data.plans
        .iter()
        .filter(|p| crate::access::ancestry(&data.units, &p.plan.unit).contains(&unit))
        .map(|p| p.plan.reference.clone())
        .collect()
}

/// The number the next publication of the unit's quarter gets: 1, then one more than the
/// last.
pub fn next_version(published: &[PublicationMeta], unit: &Ref, quarter: Quarter) -> i64 {
    published
        .iter()
        .filter(|p| &p.unit == unit && p.quarter == quarter)
        .map(|p| p.version)
        .max()
        .unwrap_or(0)
        + 1
}

/// Freezes the unit's quarter as version `version`: the report in every format and its open
/// data, with their content hash, who published it, when, and what changed (`by.reason`).
pub fn freeze(
    formats: &impl Formats,
    data: &CouncilData,
    unit: &Ref,
    quarter: Quarter,
    version: i64,
    by: &Actor,
) -> Result<Publication, AppError> {
    let mut files = formats.report(data, unit, quarter)?;
    files.extend(formats.open_data(data, quarter, &plans_of(data, unit))?);
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(AppError::Refused(format!(
            "a publication cannot hold two files of one name: {}",
            names.join(", ")
        )));
    }
    Ok(Publication {
        meta: PublicationMeta {
            council: data.council.reference.clone(),
            unit: unit.clone(),
            quarter,
            version,
            published_at: by.at,
            published_by: by.name.clone(),
            content_hash: content_hash(&files),
            note: by.reason.clone(),
            files: names,
            anchor: None,
        },
        files,
    })
}
