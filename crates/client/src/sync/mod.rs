//! The device's sync engine: send the outbox, pull the device's buckets, apply what came back in
//! one transaction, upload photos resumably. It runs when asked, after local writes
//! (debounced) and periodically, backing off with jitter when the network fails.
//!
//! Architecture invariant: only this module talks to the server. The UI and the CLI read and
//! write the store; the engine moves what the store holds.

mod api;
mod engine;
mod schedule;

pub use api::{Api, Fetched, SignedIn};
pub use engine::{Progress, SyncSummary, Syncer, login, sign_out_check};
pub use schedule::{Backoff, Outcome, Schedule, Trigger};

use ronda_core::{Coded, Lang};

use crate::StoreError;
use crate::tus::TusError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this device is not signed in")]
    NotSignedIn,
    #[error("not a server address: {0}")]
    BadServerUrl(String),
    #[error("no connection to the server: {0}")]
    Offline(String),
    #[error("the server refused the sign-in: {message} ({code})")]
    Auth { code: String, message: String },
    #[error("the server refused the request: {message} ({code})")]
    Refused { code: String, message: String },
    #[error("the server has a problem: {message} ({code})")]
    Server { code: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("photo upload: {0}")]
    Upload(#[from] TusError),
}

impl SyncError {
    fn offline(e: reqwest::Error) -> Self {
        SyncError::Offline(e.to_string())
    }

    /// Whether trying again later may succeed without anyone doing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Offline(_) | SyncError::Server { .. } => true,
            SyncError::Upload(e) => e.is_retryable(),
            _ => false,
        }
    }
}

impl Coded for SyncError {
    fn code(&self) -> &'static str {
        match self {
            SyncError::NotSignedIn => "SYNC_NOT_SIGNED_IN",
            SyncError::BadServerUrl(_) => "SYNC_BAD_SERVER_URL",
            SyncError::Offline(_) => "SYNC_OFFLINE",
            SyncError::Auth { .. } => "SYNC_AUTH_REFUSED",
            SyncError::Refused { .. } => "SYNC_REFUSED",
            SyncError::Server { .. } => "SYNC_SERVER_ERROR",
            SyncError::Store(e) => e.code(),
            SyncError::Upload(e) => e.code(),
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            SyncError::NotSignedIn => lang
                .pick("HP ini belum masuk ke server; jalankan `ronda login`", "this device is not signed in; run `ronda login`")
                .into(),
            SyncError::BadServerUrl(s) => {
                lang.pick(format!("alamat server tidak sah: {s}"), format!("not a server address: {s}"))
            }
            SyncError::Offline(_) => lang
                .pick(
                    "tidak ada sinyal ke server. Data aman di HP dan akan dikirim saat ada sinyal",
                    "no connection to the server. Your data is safe on this device and will be sent when there is signal",
                )
                .into(),
            SyncError::Auth { message, code } | SyncError::Refused { message, code } | SyncError::Server { message, code } => {
                format!("{message} ({code})")
            }
            SyncError::Store(e) => e.message(lang),
            SyncError::Upload(e) => e.message(lang),
        }
    }
}
