//! One re-read or rendering at a time for each council and each page. Just after a save, every
//! request in flight finds its page out of date at once; without this each of them read the
//! whole council and rendered the page again together (64 at a time on two cores: hundreds of
//! milliseconds each). With it the first request reads and renders; the others wait for its
//! turn to end and then find the new page in the cache, or, if they may, take the page kept
//! before it (`writers`). Keys share a fixed set of locks
//! (striped by hash), so memory stays bounded whatever the number of pages.

use std::hash::{BuildHasher, RandomState};
use tokio::sync::{Mutex, MutexGuard};

/// How many locks the keys share: two pages rarely wait for each other.
const STRIPES: usize = 256;

/// The locks, one taken per key while its value is read or rendered.
pub struct Flights {
    hasher: RandomState,
    stripes: Vec<Mutex<()>>,
}

impl Default for Flights {
    fn default() -> Self {
        Flights {
            hasher: RandomState::new(),
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl Flights {
    /// Waits for the turn of `key`: held, no other request reads or renders the same key.
    pub async fn turn(&self, key: &str) -> MutexGuard<'_, ()> {
        self.stripe(key).lock().await
    }

    /// The turn of `key` if no request holds it (or another key sharing its lock) now.
    pub fn try_turn(&self, key: &str) -> Option<MutexGuard<'_, ()>> {
        self.stripe(key).try_lock().ok()
    }

    fn stripe(&self, key: &str) -> &Mutex<()> {
        let i = (self.hasher.hash_one(key) as usize) % self.stripes.len();
        &self.stripes[i]
    }
}
