//! When commentary is required: an indicator whose value is Red or words only, a milestone put
//! at risk or off track. One rule for the entry form (which refuses the entry) and for what is
//! missing (which lists the item).

use crate::status::StatusReport;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::quarter::{ProgressStatus, QuarterRecord};
use beacon_domain::status::Progress as Rag;

/// Whether the quarter's record (as it will be after the entry) has commentary about an item,
/// by any of its codes: a paragraph entered now or already stored, by anyone, whether it is
/// about this item alone or shared with others. This is what satisfies "commentary is required"
/// (docs/governance.md, "Recording a quarter"): an officer may have written it earlier.
pub fn said(record: &QuarterRecord, item: &Ref, is: &dyn Fn(&str) -> bool) -> bool {
    record
        .commentary
        .iter()
        .any(|c| c.refs.iter().any(|r| r == item || is(r.as_str())))
}

/// Why an indicator's value needs commentary, if it does: its value is words only, or it
/// misses the target (Red). `None` too when it has no value in the record.
pub fn for_value(
    report: &StatusReport,
    record: &QuarterRecord,
    ind: &Indicator,
) -> Option<&'static str> {
    let words = record
        .values
        .iter()
        .any(|v| ind.answers_to(v.indicator.as_str()) && v.value.value().is_none());
    let red = report
        .indicators
        .iter()
        .any(|s| s.reference == ind.reference && s.computed.status == Rag::Red);
    if words {
        Some("its value is words only")
    } else if red {
        Some("its value misses the target (Red)")
    } else {
        None
    }
}

/// Whether a milestone's progress needs commentary.
pub fn for_progress(status: ProgressStatus) -> bool {
    matches!(status, ProgressStatus::AtRisk | ProgressStatus::OffTrack)
}
