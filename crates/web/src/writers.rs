//! The sessions that sent a form lately. Their next pages must show what they saved, so they
//! always wait for the council's latest revision; another reader, arriving while one request
//! reads or renders the latest, may be given the page as it stood a moment before
//! (`AppState::council_at`, `AppState::page_of`) instead of queueing behind it.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long after sending a form a session reads only the latest revision.
pub(crate) const LATELY: Duration = Duration::from_secs(10);
/// The most sessions remembered; past it every session reads only the latest for a while.
const MAX_REMEMBERED: usize = 10_000;

/// When each session (by its token's hash) last sent a form. Every signed-in page asks; only a
/// form's request writes, so the readers share the lock.
#[derive(Default)]
pub(crate) struct Writers {
    sent: RwLock<Remembered>,
}

#[derive(Default)]
struct Remembered {
    by_session: HashMap<String, Instant>,
    /// When the sessions were last forgotten for want of room: until `LATELY` after it,
    /// everyone counts as having written.
    forgot_at: Option<Instant>,
}

impl Writers {
    /// Notes that the session sent a form at `now`.
    pub(crate) fn note(&self, session: String, now: Instant) {
        let Ok(mut r) = self.sent.write() else {
            return;
        };
        if r.by_session.len() >= MAX_REMEMBERED {
            r.by_session
                .retain(|_, at| now.saturating_duration_since(*at) < LATELY);
            if r.by_session.len() >= MAX_REMEMBERED {
                r.by_session.clear();
                r.forgot_at = Some(now);
            }
        }
        r.by_session.insert(session, now);
    }

    /// Whether the session sent a form within `LATELY` of `now` (or might have: when in
    /// doubt, yes, so nobody is shown a page from before their own save).
    pub(crate) fn wrote_lately(&self, session: &str, now: Instant) -> bool {
        let Ok(r) = self.sent.read() else {
            return true;
        };
        let recent = |at: &Instant| now.saturating_duration_since(*at) < LATELY;
        r.forgot_at.as_ref().is_some_and(recent) || r.by_session.get(session).is_some_and(recent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_that_sent_a_form_counts_as_a_writer_for_a_while() {
        let w = Writers::default();
        let t0 = Instant::now();
        assert!(!w.wrote_lately("a", t0));
        w.note("a".into(), t0);
        assert!(w.wrote_lately("a", t0 + Duration::from_secs(9)));
        assert!(!w.wrote_lately("b", t0 + Duration::from_secs(1)));
        assert!(!w.wrote_lately("a", t0 + LATELY));
    }

    #[test]
    fn when_too_many_are_remembered_everyone_counts_as_a_writer_for_a_while() {
        let w = Writers::default();
        let t0 = Instant::now();
        for i in 0..MAX_REMEMBERED {
            w.note(format!("s{i}"), t0);
        }
        w.note("late".into(), t0 + Duration::from_secs(1));
        assert!(w.wrote_lately("never-wrote", t0 + Duration::from_secs(2)));
        assert!(!w.wrote_lately("never-wrote", t0 + Duration::from_secs(1) + LATELY));
    }
}
