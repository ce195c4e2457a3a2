//! What the commands share: the device's store (one connection behind a mutex for the screens;
//! sync and sign-in open their own, so a slow network never holds the screens up), the
//! settings, the sync engine between rounds, and how to tell the UI about sync progress.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ronda_client::Store;
use ronda_client::sync::Syncer;
use ronda_core::{Coded, DeviceId, PhotoRef};

use crate::error::{AppError, OpenFailure};
use crate::ipc::{AccountState, AppState, CommandError, Lang, SyncProgress};
use crate::settings::{Settings, SettingsFile};

/// Where the app keeps its files.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// The store (`ronda.db`, its photos beside it) and cached area outlines.
    pub data: PathBuf,
    /// `settings.json`.
    pub config: PathBuf,
}

impl Dirs {
    pub fn db(&self) -> PathBuf {
        self.data.join("ronda.db")
    }
}

/// Sends a `sync-progress` event to the UI.
pub type ProgressSink = Box<dyn Fn(SyncProgress) + Send + Sync>;

/// The sync engine kept between rounds (it holds the access token), for one session.
#[derive(Debug)]
pub struct SyncerFor {
    pub server: String,
    pub device: DeviceId,
    pub lang: Lang,
    pub syncer: Syncer,
}

pub struct AppData {
    dirs: Dirs,
    store: Result<Mutex<Store>, OpenFailure>,
    settings_file: SettingsFile,
    settings: Mutex<Settings>,
    pub syncer: tokio::sync::Mutex<Option<SyncerFor>>,
    /// Wakes the background sync early: something new waits to be sent.
    pub wake_sync: tokio::sync::Notify,
    /// When the person last added to a report on this device (see [`AppData::quiet_for`]).
    last_edit: Mutex<Option<Instant>>,
    /// Photos shrunk and kept for a lifecycle step (`stage_photo`), by SHA-256, until `act`
    /// names one. Only in memory: after a restart the person picks the photo again.
    staged_photos: Mutex<HashMap<String, PhotoRef>>,
    progress: ProgressSink,
}

impl std::fmt::Debug for AppData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppData")
            .field("dirs", &self.dirs)
            .field("store_open", &self.store.is_ok())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock left nothing half-done: SQLite rolled back, and settings
    // are replaced whole.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppData {
    /// Opens the store at `dirs.data/ronda.db`. A store that cannot be opened (damaged, from a
    /// newer app, …) is not an error here: every command then answers with its code, so the UI
    /// can say what is wrong.
    pub fn open(dirs: Dirs, progress: ProgressSink) -> Self {
        let store = Store::open(dirs.db())
            .map(Mutex::new)
            .map_err(|e| OpenFailure::new(&e));
        let settings_file = SettingsFile::new(&dirs.config);
        let settings = Mutex::new(settings_file.load());
        Self {
            dirs,
            store,
            settings_file,
            settings,
            syncer: tokio::sync::Mutex::new(None),
            wake_sync: tokio::sync::Notify::new(),
            last_edit: Mutex::new(None),
            staged_photos: Mutex::new(HashMap::new()),
            progress,
        }
    }

    pub fn dirs(&self) -> &Dirs {
        &self.dirs
    }

    pub fn lang(&self) -> Lang {
        lock(&self.settings).lang
    }

    pub fn core_lang(&self) -> ronda_core::Lang {
        self.lang().into()
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> Result<(), CommandError> {
        let mut settings = lock(&self.settings);
        let mut next = settings.clone();
        change(&mut next);
        if next != *settings {
            if let Err(e) = self.settings_file.save(&next) {
                // Not `self.app_error`: that would take the lock held here.
                let lang = settings.lang.into();
                return Err(AppError::SettingsNotSaved(e.to_string()).into_command_error(lang));
            }
            *settings = next;
        }
        Ok(())
    }

    /// Any coded error as the UI gets it, in the session's language.
    pub fn fail(&self, e: impl Coded) -> CommandError {
        CommandError::from_coded(&e, self.core_lang())
    }

    pub fn app_error(&self, e: AppError) -> CommandError {
        e.into_command_error(self.core_lang())
    }

    /// The screens' connection to the store.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>, CommandError> {
        match &self.store {
            Ok(store) => Ok(lock(store)),
            Err(e) => Err(self.fail(e.clone())),
        }
    }

    /// A connection of its own, for work that waits on the network.
    pub fn own_store(&self) -> Result<Store, CommandError> {
        if let Err(e) = &self.store {
            return Err(self.fail(e.clone()));
        }
        Store::open(self.dirs.db()).map_err(|e| self.fail(e))
    }

    /// Notes that the person just created a report or added a photo to one.
    pub fn edited(&self) {
        *lock(&self.last_edit) = Some(Instant::now());
    }

    /// How long since the last edit. The report flow saves a report and then adds its photos
    /// one by one; a background sync waits for a quiet moment so it does not send the report
    /// between the two (a sent report takes no more photos).
    pub fn quiet_for(&self) -> Duration {
        lock(&self.last_edit).map_or(Duration::MAX, |at| at.elapsed())
    }

    /// Keeps a photo for a coming lifecycle step.
    pub fn stage_photo(&self, photo: PhotoRef) {
        lock(&self.staged_photos).insert(photo.sha256.to_string(), photo);
    }

    /// The staged photo named `sha256`, if there is one.
    pub fn staged_photo(&self, sha256: &str) -> Option<PhotoRef> {
        lock(&self.staged_photos).get(sha256).cloned()
    }

    pub fn emit_progress(&self, p: SyncProgress) {
        (self.progress)(p)
    }

    pub fn app_state(&self) -> Result<AppState, CommandError> {
        let settings = self.settings();
        let store = self.store()?;
        let session = store.session().map_err(|e| self.fail(e))?;
        let stats = store.stats().map_err(|e| self.fail(e))?;
        let account = match &session {
            Some(s) => {
                let first = s.roles.first();
                AccountState::SignedIn {
                    server: s.server_url.clone(),
                    user_name: s.user_name.clone(),
                    role: first
                        .map(|r| role_code(r.role()))
                        .unwrap_or_else(|| "warga".into()),
                    area: first.and_then(|r| r.areas().first().map(ToString::to_string)),
                }
            }
            None if settings.local => AccountState::Local,
            None => AccountState::None,
        };
        Ok(AppState {
            account,
            lang: settings.lang,
            large_text: settings.large_text,
            last_sync_at: session.and_then(|s| s.last_sync_at).map(|t| t.millis()),
            pending_ops: stats.outbox_pending,
        })
    }
}

/// A role's stable code (`ketua_rt`), as ronda-core writes it.
pub(crate) fn role_code(role: ronda_core::Role) -> String {
    serde_json::to_value(role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Where the boundary of area `code` is kept on the device, if it is (a GeoJSON Feature).
pub fn outline_path(data: &Path, code: &str) -> PathBuf {
    data.join("areas").join(format!("{code}.geojson"))
}
