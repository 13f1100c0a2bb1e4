//! An item's history from the audit trail: who changed what, when, from what to what, and why.

use crate::error::WebError;
use beacon_app::Governance;
use beacon_app::audit::AuditEntry;
use beacon_domain::organisation::CouncilRef;

/// One change, as the history table shows it.
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub record: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
}

/// The longest value shown in full; longer ones are cut with an ellipsis.
const SHOWN: usize = 200;

fn shown(v: Option<String>) -> String {
    match v {
        None => "(none)".into(),
        Some(v) if v.chars().count() > SHOWN => {
            let cut: String = v.chars().take(SHOWN).collect();
            format!("{cut}…")
        }
        Some(v) => v,
    }
}

/// The changes to any of `items` (`indicator NI075`…), newest first.
pub async fn of<S: Governance>(
    store: &S,
    council: &str,
    items: &[String],
) -> Result<Vec<HistoryRow>, WebError> {
    let Ok(c) = council.parse::<CouncilRef>() else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::new();
    for item in items {
        entries.extend(store.audit_of_item(&c, item).await?);
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.seq));
    entries.dedup_by_key(|e| e.seq);
    Ok(entries.into_iter().map(row).collect())
}

/// One audit entry as a history row.
pub fn row(e: AuditEntry) -> HistoryRow {
    HistoryRow {
        at: e.note.at.format("%-d %b %Y %H:%M").to_string(),
        who: e.note.actor,
        record: e.note.entity,
        field: if e.note.field.is_empty() {
            "(created)".into()
        } else {
            e.note.field
        },
        old: shown(e.note.old),
        new: shown(e.note.new),
        reason: e.note.reason.unwrap_or_default(),
    }
}
