//! `beacon audit verify`: walks the whole audit trail, recomputing every row's SHA-256 from
//! its content and the row before, and names the first row that does not hold.

use crate::args::AuditCommand;
use crate::store::AnyStore;
use beacon_app::Governance;
use beacon_app::audit::verify;

pub async fn run(store: &AnyStore, cmd: AuditCommand) -> Result<(), String> {
    match cmd {
        AuditCommand::Verify => {
            let (entries, head) = store.audit_trail().await.map_err(|e| e.to_string())?;
            match verify(&entries, head) {
                Ok(n) => {
                    println!(
                        "The audit trail holds: {n} rows, every hash chained to the one before."
                    );
                    Ok(())
                }
                Err(broken) => Err(format!(
                    "the audit trail is broken at row {}: {}",
                    broken.seq, broken.why
                )),
            }
        }
    }
}
