//! When the engine runs: when asked, shortly after local writes (debounced, so a burst of edits
//! is one sync), periodically, and after failures with exponential backoff and jitter (so a
//! thousand phones that lost the same tower do not all retry at the same instant).

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::sync::{Mutex, mpsc, watch};
use tokio::time::{Instant, sleep_until};

use super::SyncError;
use super::engine::{Progress, SyncSummary, Syncer};
use crate::store::Store;

/// Delays after consecutive failures: `base·2ⁿ`, capped at `max`, each drawn uniformly from its
/// upper half.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Self {
            base,
            max,
            failures: 0,
        }
    }

    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << self.failures.min(20))
            .min(self.max);
        self.failures = self.failures.saturating_add(1);
        ceiling.mul_f64(rng.random_range(0.5..=1.0))
    }

    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The person asked ("Sinkronkan sekarang").
    Now,
    /// Something was saved locally.
    LocalWrite,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub debounce: Duration,
    pub period: Duration,
    pub backoff: Backoff,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            debounce: Duration::from_secs(3),
            period: Duration::from_secs(15 * 60),
            backoff: Backoff::new(Duration::from_secs(5), Duration::from_secs(15 * 60)),
        }
    }
}

/// The outcome of each attempt, for whoever shows it.
pub type Outcome = Result<SyncSummary, Arc<SyncError>>;

impl Schedule {
    /// Runs until `triggers` closes. Syncs once at start.
    pub async fn run(
        mut self,
        store: Arc<Mutex<Store>>,
        mut syncer: Syncer,
        mut triggers: mpsc::Receiver<Trigger>,
        progress: watch::Sender<Option<Progress>>,
        outcomes: watch::Sender<Option<Outcome>>,
    ) {
        let mut next = Instant::now();
        loop {
            tokio::select! {
                trigger = triggers.recv() => match trigger {
                    None => return,
                    Some(Trigger::Now) => next = Instant::now(),
                    Some(Trigger::LocalWrite) => next = next.min(Instant::now() + self.debounce),
                },
                () = sleep_until(next) => {
                    let result = {
                        let mut store = store.lock().await;
                        syncer.sync(&mut store, &mut |p| { progress.send_replace(Some(p)); }).await
                    };
                    next = Instant::now() + match &result {
                        Ok(_) => {
                            self.backoff.reset();
                            self.period
                        }
                        Err(e) if e.is_transient() => self.backoff.next_delay(&mut rand::rng()),
                        Err(_) => self.period,
                    };
                    outcomes.send_replace(Some(result.map_err(Arc::new)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_with_jitter_up_to_its_cap_and_resets() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut b = Backoff::new(Duration::from_secs(5), Duration::from_secs(300));
        let delays: Vec<Duration> = (0..10).map(|_| b.next_delay(&mut rng)).collect();
        for (n, d) in delays.iter().enumerate() {
            let ceiling = Duration::from_secs(5 * (1 << n)).min(Duration::from_secs(300));
            assert!(
                *d >= ceiling / 2 && *d <= ceiling,
                "attempt {n}: {d:?} outside {ceiling:?}/2..={ceiling:?}"
            );
        }
        assert!(delays.windows(2).any(|w| w[0] != w[1]));
        b.reset();
        assert!(b.next_delay(&mut rng) <= Duration::from_secs(5));
    }
}
