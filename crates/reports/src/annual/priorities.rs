//! The directorate priorities the year's reports group indicators by, in the order the
//! quarterly report uses (the priorities' numbers; other refs after them; none last).

use crate::cells::slug;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::frame::{Frame, FrameKind};

/// The directorate priority a ref names, if it is one.
fn priority_frame<'d>(data: &'d CouncilData, r: &Option<Ref>) -> Option<&'d Frame> {
    r.as_ref().and_then(|r| {
        data.frames
            .iter()
            .find(|f| &f.reference == r && f.kind == FrameKind::DirectoratePriority)
    })
}

/// Puts priorities in their number order; priorities that are not directorate priorities after
/// them, by ref; "none" last.
pub(crate) fn sort_priorities(data: &CouncilData, named: &mut [Option<Ref>]) {
    named.sort_by_key(|p| match priority_frame(data, p) {
        Some(f) => (0, f.number.unwrap_or(u32::MAX), f.reference.to_string()),
        None => (
            1,
            u32::MAX,
            p.as_ref().map_or(String::from("~"), |r| r.to_string()),
        ),
    });
}

/// A priority's subsection id (`priority-…`) and heading; `none` is headed `other`.
pub(crate) fn priority_heading(
    data: &CouncilData,
    p: &Option<Ref>,
    other: &str,
) -> (String, String) {
    let (id, title) = match (priority_frame(data, p), p) {
        (Some(f), _) => (slug(f.reference.as_str()), f.title.clone()),
        (None, Some(r)) => (slug(r.as_str()), r.to_string()),
        (None, None) => ("other".to_string(), other.to_string()),
    };
    (format!("priority-{id}"), title)
}
