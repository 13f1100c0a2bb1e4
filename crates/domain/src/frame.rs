//! The strategic frame: corporate priorities and their numbered areas of focus, community
//! strategy priorities, directorate priorities that group a report, and other frames
//! (Every Child Matters outcomes, Children & Young People's Plan codes, LAA targets).

use crate::Ref;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// What kind of strategic frame an entry belongs to.
    FrameKind {
        CorporatePriority = "corporate-priority",
        AreaOfFocus = "area-of-focus",
        CommunityStrategy = "community-strategy",
        DirectoratePriority = "directorate-priority",
        EcmOutcome = "ecm-outcome",
        CyppPriority = "cypp-priority",
        LaaTarget = "laa-target",
        Other = "other",
    }
}

impl FrameKind {
    /// As a page heads a list of them.
    pub fn label(self) -> &'static str {
        match self {
            FrameKind::CorporatePriority => "Corporate priorities",
            FrameKind::AreaOfFocus => "Areas of focus",
            FrameKind::CommunityStrategy => "Community strategy themes",
            FrameKind::DirectoratePriority => "Directorate priorities",
            FrameKind::EcmOutcome => "Every Child Matters outcomes",
            FrameKind::CyppPriority => "Children and Young People's Plan priorities",
            FrameKind::LaaTarget => "Local Area Agreement targets",
            FrameKind::Other => "Other frames",
        }
    }
}

/// One entry of a strategic frame. Objectives, milestones and indicators link to several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Frame {
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub kind: FrameKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Ref>,
}
