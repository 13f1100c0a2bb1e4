//! One read shared by the requests that arrive while another read of the same key is in flight:
//! the statement every signed-in page sends first (the revocation counter with the council's
//! revision). Under load most of those statements are the same question asked a few hundred
//! microseconds apart; on PostgreSQL each is a round trip and a server process's time on the
//! same cores as Beacon.
//!
//! What a request is given is always as fresh as reading it itself: it joins only a read that
//! has not started yet, so the answer is read after the request arrived and shows every change
//! committed before it (a sign-out, a disabled user, a password reset from another process).
//! While a read is in flight the requests that arrive join the next one, which starts when the
//! one in flight ends. A read that fails, or whose request goes away, leaves the requests that
//! joined it to read for themselves. Written here because no crate offers a single-flight that
//! never hands a request an answer read before it arrived.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use tokio::sync::watch;

/// The most keys kept; past it the rounds are forgotten (a key is a council's reference taken
/// from a path, which anyone may vary). Forgetting loses sharing, never freshness: a request
/// that joined a round keeps waiting on that round itself.
const MAX_KEYS: usize = 1_000;

/// A round's answer, once read.
type Answer<V> = watch::Receiver<Option<V>>;

/// A key's rounds: the one whose read is in flight and the one that requests arriving now join.
struct Rounds<V> {
    running: Option<Answer<V>>,
    next: Option<Answer<V>>,
}

impl<V> Default for Rounds<V> {
    fn default() -> Self {
        Rounds {
            running: None,
            next: None,
        }
    }
}

/// Reads shared between requests, by key.
pub struct SharedReads<K, V> {
    rounds: Mutex<HashMap<K, Rounds<V>>>,
}

impl<K, V> Default for SharedReads<K, V> {
    fn default() -> Self {
        SharedReads {
            rounds: Mutex::new(HashMap::new()),
        }
    }
}

/// What a request does in a round: read for it and those who joined, or wait for that.
enum Part<V> {
    Lead {
        tell: watch::Sender<Option<V>>,
        mine: Answer<V>,
        after: Option<Answer<V>>,
    },
    Join(Answer<V>),
}

impl<K: Eq + Hash + Clone, V: Clone> SharedReads<K, V> {
    /// `read`'s answer for `key`, read after this call began: by this request, or by another
    /// that began it after this one joined.
    pub async fn read<F, Fut, E>(&self, key: &K, read: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        match self.part(key) {
            Some(Part::Join(mut answer)) => {
                if let Ok(v) = answer.wait_for(Option::is_some).await
                    && let Some(v) = v.clone()
                {
                    return Ok(v);
                }
                // The round failed or its request went away: read alone.
                read().await
            }
            Some(Part::Lead { tell, mine, after }) => {
                if let Some(mut running) = after {
                    // Ended, failed or gone alike: this round may start.
                    let _ = running.wait_for(Option::is_some).await;
                }
                self.start(key, &mine);
                let out = read().await;
                if let Ok(v) = &out {
                    let _ = tell.send(Some(v.clone()));
                }
                self.end(key, &mine);
                out
            }
            None => read().await,
        }
    }

    /// Joins the key's next round, or begins one (with the round in flight to wait for).
    /// `None` if the rounds cannot be reached (a poisoned lock): the request reads alone.
    fn part(&self, key: &K) -> Option<Part<V>> {
        let mut rounds = self.rounds.lock().ok()?;
        if rounds.len() >= MAX_KEYS && !rounds.contains_key(key) {
            rounds.clear();
        }
        let r = rounds.entry(key.clone()).or_default();
        // A round not yet started whose request is still there (its sender alive).
        if let Some(next) = &r.next
            && next.has_changed().is_ok()
        {
            return Some(Part::Join(next.clone()));
        }
        let (tell, mine) = watch::channel(None);
        r.next = Some(mine.clone());
        Some(Part::Lead {
            tell,
            mine,
            after: r.running.clone(),
        })
    }

    /// The round `mine` starts reading: requests arriving from now on join the one after it.
    fn start(&self, key: &K, mine: &Answer<V>) {
        if let Ok(mut rounds) = self.rounds.lock()
            && let Some(r) = rounds.get_mut(key)
        {
            if r.next.as_ref().is_some_and(|n| n.same_channel(mine)) {
                r.next = None;
            }
            r.running = Some(mine.clone());
        }
    }

    /// The round `mine` has its answer: forgets it, and the key once nothing is left of it.
    fn end(&self, key: &K, mine: &Answer<V>) {
        if let Ok(mut rounds) = self.rounds.lock()
            && let Some(r) = rounds.get_mut(key)
        {
            if r.running.as_ref().is_some_and(|x| x.same_channel(mine)) {
                r.running = None;
            }
            if r.running.is_none() && r.next.is_none() {
                rounds.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::sync::Notify;

    /// A store whose reads count themselves and answer with their number; the first read waits
    /// until the test lets it go, so that requests can arrive while it is in flight.
    #[derive(Default)]
    struct Store {
        reads: AtomicUsize,
        gate: Notify,
    }

    impl Store {
        async fn read(&self, hold_first: bool) -> Result<usize, String> {
            let n = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
            if hold_first && n == 1 {
                self.gate.notified().await;
            }
            Ok(n)
        }

        /// Until the first read has begun (and, held, is in flight).
        async fn first_read_begun(&self) {
            while self.reads.load(Ordering::SeqCst) == 0 {
                tokio::task::yield_now().await;
            }
        }
    }

    type Shared = Arc<SharedReads<&'static str, usize>>;

    /// A request for `key` in a task of its own (`hold`: the store's first read waits for the
    /// test to let it go).
    fn request(
        shared: &Shared,
        store: &Arc<Store>,
        key: &'static str,
        hold: bool,
    ) -> tokio::task::JoinHandle<Result<usize, String>> {
        let (shared, store) = (Arc::clone(shared), Arc::clone(store));
        tokio::spawn(async move { shared.read(&key, || store.read(hold)).await })
    }

    #[tokio::test]
    async fn requests_arriving_during_a_read_share_the_next_one_never_the_one_in_flight() {
        let shared = Shared::default();
        let store = Arc::new(Store::default());
        let first = request(&shared, &store, "halton", true);
        store.first_read_begun().await;
        // Ten requests arrive while the first read is in flight.
        let later: Vec<_> = (0..10)
            .map(|_| request(&shared, &store, "halton", true))
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            store.reads.load(Ordering::SeqCst),
            1,
            "they wait for the read in flight to end"
        );
        store.gate.notify_one();
        assert_eq!(first.await.unwrap(), Ok(1));
        for r in later {
            // Each is given the second read: begun after it arrived, not the first.
            assert_eq!(r.await.unwrap(), Ok(2));
        }
        assert_eq!(
            store.reads.load(Ordering::SeqCst),
            2,
            "one read for all ten"
        );
        assert!(
            shared.rounds.lock().unwrap().is_empty(),
            "nothing kept after"
        );
    }

    #[tokio::test]
    async fn a_request_alone_reads_at_once_and_other_keys_do_not_wait() {
        let shared = Shared::default();
        let store = Arc::new(Store::default());
        let held = request(&shared, &store, "a", true);
        store.first_read_begun().await;
        // Another council's request, while a's read is in flight.
        let other =
            tokio::time::timeout(Duration::from_secs(5), request(&shared, &store, "b", false))
                .await
                .expect("b does not wait for a");
        assert_eq!(other.unwrap(), Ok(2));
        store.gate.notify_one();
        assert_eq!(held.await.unwrap(), Ok(1));
        assert_eq!(shared.read(&"a", || store.read(false)).await, Ok(3));
    }

    #[tokio::test]
    async fn when_the_shared_read_fails_or_its_request_goes_each_reads_for_itself() {
        let shared = Shared::default();
        let store = Arc::new(Store::default());
        // The first request goes away in the middle of its read.
        let first = request(&shared, &store, "k", true);
        store.first_read_begun().await;
        // The next round's leader fails; two joined it.
        let failing = {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                shared
                    .read(&"k", || async { Err::<usize, _>("down".to_string()) })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let joined: Vec<_> = (0..2)
            .map(|_| request(&shared, &store, "k", false))
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        first.abort();
        assert_eq!(failing.await.unwrap(), Err("down".to_string()));
        let mut got: Vec<usize> = Vec::new();
        for j in joined {
            got.push(
                tokio::time::timeout(Duration::from_secs(5), j)
                    .await
                    .expect("never left waiting")
                    .unwrap()
                    .unwrap(),
            );
        }
        got.sort_unstable();
        assert_eq!(got, vec![2, 3], "each read for itself");
        assert_eq!(shared.read(&"k", || store.read(false)).await, Ok(4));
    }

    #[test]
    fn keys_are_bounded() {
        let shared = SharedReads::<String, usize>::default();
        // Rounds begun under many keys and never ended, as if every request went away.
        for i in 0..3 * MAX_KEYS {
            let _part = shared.part(&format!("c{i}"));
        }
        assert!(shared.rounds.lock().unwrap().len() <= MAX_KEYS);
    }
}
