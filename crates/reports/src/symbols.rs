//! Statuses as a report prints them: a shape and a word, never colour alone, with the reason.

use crate::model::{ByHand, StatusCell, StatusKind};
use beacon_app::status::SetByHand;
use beacon_domain::risk::Band;
use beacon_domain::status::{Assessed, Progress, Travel};

/// The shape printed before a progress word.
pub fn progress_symbol(p: Progress) -> &'static str {
    match p {
        Progress::Green => "●",
        Progress::Amber => "▲",
        Progress::Red => "■",
        Progress::NotAssessed => "—",
    }
}

/// The shape printed before a direction-of-travel word.
pub fn travel_symbol(t: Travel) -> &'static str {
    match t {
        Travel::Better => "↑",
        Travel::Same => "→",
        Travel::Worse => "↓",
        Travel::NotComparable => "—",
    }
}

/// The shape printed before a risk band.
pub fn band_symbol(b: Band) -> &'static str {
    match b {
        Band::Low => "●",
        Band::Medium => "▲",
        Band::High => "■",
    }
}

/// The word printed for a risk band.
pub fn band_word(b: Band) -> &'static str {
    match b {
        Band::Low => "Low",
        Band::Medium => "Medium",
        Band::High => "High",
    }
}

/// A progress status: what the report shows (the computed one, or the one set by hand).
pub fn progress_cell(
    shown: Progress,
    computed: &Assessed<Progress>,
    hand: Option<&SetByHand>,
) -> StatusCell {
    StatusCell {
        kind: StatusKind::Progress,
        value: shown.as_str().to_string(),
        symbol: progress_symbol(shown).to_string(),
        word: shown.label().to_string(),
        reason: hand.map_or_else(|| computed.reason.clone(), |h| h.reason.clone()),
        set_by_hand: hand.map(|h| ByHand {
            by: h.by.clone(),
            at: beacon_domain::status::overrides::time_text(h.at),
            reason: h.reason.clone(),
            computed: computed.status.label().to_string(),
            computed_reason: computed.reason.clone(),
        }),
        note: None,
    }
}

/// A direction of travel.
pub fn travel_cell(t: &Assessed<Travel>) -> StatusCell {
    StatusCell {
        kind: StatusKind::Travel,
        value: t.status.as_str().to_string(),
        symbol: travel_symbol(t.status).to_string(),
        word: t.status.label().to_string(),
        reason: t.reason.clone(),
        set_by_hand: None,
        note: None,
    }
}

/// A risk band.
pub fn band_cell(b: &Assessed<Band>) -> StatusCell {
    StatusCell {
        kind: StatusKind::Risk,
        value: b.status.as_str().to_string(),
        symbol: band_symbol(b.status).to_string(),
        word: band_word(b.status).to_string(),
        reason: b.reason.clone(),
        set_by_hand: None,
        note: None,
    }
}
