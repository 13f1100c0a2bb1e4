//! Published snapshots: the monitoring report of a unit's quarter frozen in every format at
//! the moment it was published, with a content hash, the time and who published it. A later
//! publication is a new version that says what changed; no version is ever rewritten.

use crate::audit::hex;
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
