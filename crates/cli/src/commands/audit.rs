//! `beacon audit verify`: walks the whole audit trail, recomputing every row's SHA-256 from
//! its content and the row before, names the first row that does not hold, then checks that
//! every publication's recorded row still has the hash it had when the version was published,
//! and reads back every published file to check its bytes against the version's content hash.

use crate::args::AuditCommand;
use crate::store::AnyStore;
use beacon_app::audit::{check_anchors, verify};
use beacon_app::{Governance, Store};

pub async fn run(store: &AnyStore, cmd: AuditCommand) -> Result<(), String> {
    match cmd {
        AuditCommand::Verify => {
            let (entries, head) = store.audit_trail().await.map_err(|e| e.to_string())?;
            let broken = |b: beacon_app::audit::Broken| {
                format!("the audit trail is broken at row {}: {}", b.seq, b.why)
            };
            let n = verify(&entries, head.clone()).map_err(broken)?;
            let mut publications = Vec::new();
            for c in store.councils().await.map_err(|e| e.to_string())? {
                publications.extend(
                    store
                        .publications(&c.reference)
                        .await
                        .map_err(|e| e.to_string())?,
                );
            }
            let anchored = check_anchors(&entries, &publications).map_err(broken)?;
            let files = beacon_app::integrity::check_published_files(store, &publications)
                .await
                .map_err(|e| e.to_string())?
                .map_err(|t| {
                    format!(
                        "the published files of {} do not match: {}",
                        t.publication, t.why
                    )
                })?;
            println!("The audit trail holds: {n} rows, every hash chained to the one before.");
            if let Some((seq, hash)) = head {
                println!(
                    "Its last row is {seq}, SHA-256 {hash}: keep this outside Beacon to prove later that nothing before it changed."
                );
            }
            if files > 0 {
                println!(
                    "{files} published version{} read back byte for byte, every file matching the content hash recorded when published.",
                    if files == 1 { "" } else { "s" }
                );
            }
            if anchored > 0 {
                println!(
                    "{anchored} publication{} recorded the trail when made, and every one still matches.",
                    if anchored == 1 { "" } else { "s" }
                );
            }
            Ok(())
        }
    }
}
