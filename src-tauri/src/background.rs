//! Sync without being asked: work made with no signal leaves as soon as there is one, and
//! reports from the area arrive while the app is open. The button in "Laporan saya" runs the
//! same round at once.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::commands::sync_round;
use crate::state::AppData;

/// The first try after the app opens.
const AFTER_START: Duration = Duration::from_secs(5);
/// While something waits to be sent: often enough that a report leaves within a minute of the
/// signal coming back, rarely enough to spare a weak battery.
const WHILE_WAITING: Duration = Duration::from_secs(60);
/// With nothing to send: to receive what others did.
const WHILE_IDLE: Duration = Duration::from_secs(15 * 60);
/// How long the person must have left their reports alone before a round starts: long enough
/// for the report flow to add its photos after saving.
const QUIET: Duration = Duration::from_secs(10);

/// Runs a sync round now and then for as long as the app runs. A failed round (no signal, a
/// server down) is the normal case on 2G, and only means trying again later.
pub fn keep_syncing<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut wait = AFTER_START;
        loop {
            let state = app.state::<AppData>();
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = state.wake_sync.notified() => {}
            }
            while let Some(left) = QUIET
                .checked_sub(state.quiet_for())
                .filter(|d| !d.is_zero())
            {
                tokio::time::sleep(left).await;
            }
            let signed_in = state
                .store()
                .ok()
                .and_then(|store| store.session().ok().flatten())
                .is_some();
            if signed_in {
                let _ = sync_round(&state).await;
            }
            wait = match state.app_state() {
                Ok(s) if s.pending_ops > 0 => WHILE_WAITING,
                _ => WHILE_IDLE,
            };
        }
    });
}
