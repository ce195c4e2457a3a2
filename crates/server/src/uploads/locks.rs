//! One request at a time per upload.
//!
//! On 2G a client often gives up on a PATCH whose connection has silently died and asks again
//! (HEAD, then PATCH) while the server is still waiting for the dead connection's bytes. A plain
//! mutex would make the new request wait until the dead one timed out. Instead, a request that
//! finds the upload held *asks the holder to stop*: the holder stops reading its body, keeps
//! (and syncs) what it has, releases the upload and answers with the offset it reached. The
//! newcomer then proceeds. tusd does the same. A holder that does not let go within
//! [`LOCK_WAIT`] makes the newcomer fail with 423 Locked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedMutexGuard, watch};
use tokio::time::Instant;
use uuid::Uuid;

use super::error::UploadError;

/// How long a request waits for the upload's current holder to let go.
pub(super) const LOCK_WAIT: Duration = Duration::from_secs(10);
/// How often a waiting request repeats its request to stop.
const NUDGE_EVERY: Duration = Duration::from_millis(100);

type SlotMap = Arc<Mutex<HashMap<Uuid, Arc<Slot>>>>;

#[derive(Debug)]
struct Slot {
    mutex: Arc<tokio::sync::Mutex<()>>,
    /// Bumped by each request that wants the upload; the holder watches it.
    stop: watch::Sender<u64>,
}

/// The per-upload locks of one router. Entries exist only while someone holds or waits.
#[derive(Debug, Clone)]
pub(super) struct Locks {
    slots: SlotMap,
    wait: Duration,
}

impl Default for Locks {
    fn default() -> Self {
        Locks {
            slots: SlotMap::default(),
            wait: LOCK_WAIT,
        }
    }
}

impl Locks {
    /// Takes the upload, asking its current holder (if any) to stop.
    pub(super) async fn acquire(&self, id: Uuid) -> Result<UploadGuard, UploadError> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            let slot = slots.entry(id).or_insert_with(|| {
                Arc::new(Slot {
                    mutex: Arc::new(tokio::sync::Mutex::new(())),
                    stop: watch::channel(0).0,
                })
            });
            SlotRef {
                id,
                slot: Arc::clone(slot),
                slots: Arc::clone(&self.slots),
            }
        };
        let deadline = Instant::now() + self.wait;
        let guard = loop {
            if let Ok(guard) = Arc::clone(&slot.slot.mutex).try_lock_owned() {
                break guard;
            }
            slot.slot.stop.send_modify(|n| *n = n.wrapping_add(1));
            let wait = NUDGE_EVERY.min(deadline.saturating_duration_since(Instant::now()));
            match tokio::time::timeout(wait, Arc::clone(&slot.slot.mutex).lock_owned()).await {
                Ok(guard) => break guard,
                Err(_) if Instant::now() >= deadline => return Err(UploadError::Locked),
                Err(_) => {}
            }
        };
        let stop = slot.slot.stop.subscribe();
        Ok(UploadGuard {
            _guard: guard,
            stop,
            _slot: slot,
        })
    }
}

/// Holding the upload. Dropping it lets the next request in.
#[derive(Debug)]
pub(super) struct UploadGuard {
    // Field order matters: the mutex is released before the slot is (maybe) forgotten.
    _guard: OwnedMutexGuard<()>,
    stop: watch::Receiver<u64>,
    _slot: SlotRef,
}

impl UploadGuard {
    /// Resolves when another request asks for this upload.
    pub(super) async fn stop_requested(&mut self) {
        if self.stop.changed().await.is_err() {
            // The slot outlives every guard, so this cannot happen; never resolve if it does.
            std::future::pending::<()>().await;
        }
    }
}

/// A counted reference to a slot that removes the slot from the map when it is the last.
#[derive(Debug)]
struct SlotRef {
    id: Uuid,
    slot: Arc<Slot>,
    slots: SlotMap,
}

impl Drop for SlotRef {
    fn drop(&mut self) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        // References are only taken under this lock, so the count cannot grow meanwhile:
        // 2 = the map's and ours.
        if Arc::strong_count(&self.slot) == 2 {
            slots.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_newcomer_asks_the_holder_to_stop() {
        let locks = Locks::default();
        let id = Uuid::new_v4();
        let mut first = locks.acquire(id).await.unwrap();
        let holder = tokio::spawn(async move {
            first.stop_requested().await;
            drop(first);
        });
        let second = locks.acquire(id).await.unwrap();
        holder.await.unwrap();
        drop(second);
        assert!(locks.slots.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_holder_that_never_lets_go_means_locked() {
        let locks = Locks {
            wait: Duration::from_millis(300),
            ..Locks::default()
        };
        let id = Uuid::new_v4();
        let _first = locks.acquire(id).await.unwrap();
        assert!(matches!(locks.acquire(id).await, Err(UploadError::Locked)));
    }
}
