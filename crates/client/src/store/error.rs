use std::path::PathBuf;

use ronda_core::{Coded, Lang, ReportId};
use rusqlite::ErrorCode;

/// Everything that can go wrong with the device's store. None of these leave the store changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the database file is damaged or is not a Ronda database")]
    Corrupt { path: PathBuf },
    #[error("the file is an SQLite database of some other program, not a Ronda store")]
    NotRonda,
    #[error("the database is in use by another program and stayed locked")]
    Locked,
    #[error(
        "the database was written by a newer Ronda (schema {found}; this one knows up to {supported})"
    )]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("the disk (or the space allowed for Ronda) is full")]
    DiskFull,
    #[error("{path}: cannot open the database: {reason}")]
    CannotOpen { path: PathBuf, reason: String },
    #[error("the database is read-only")]
    ReadOnly,
    #[error("report {0} already exists")]
    AlreadyExists(ReportId),
    #[error("report {0} is not on this device")]
    NotFound(ReportId),
    #[error("{0}")]
    Invalid(String),
    #[error("this needs a signed-in account")]
    SignedOut,
    #[error("this area is already checked in for today")]
    AlreadyCheckedIn,
    #[error(transparent)]
    Denied(ronda_core::authz::Denied),
    #[error(transparent)]
    Lifecycle(ronda_core::lifecycle::LifecycleError),
    #[error("stored data no longer reads back: {0}")]
    Unreadable(String),
    #[error("could not apply the schema: {0}")]
    Migration(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                path: PathBuf::new(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// Names the file in errors that are about it.
    pub(crate) fn at(self, path: &std::path::Path) -> Self {
        match self {
            StoreError::Corrupt { .. } => StoreError::Corrupt {
                path: path.to_owned(),
            },
            StoreError::Io(e) if e.kind() == std::io::ErrorKind::StorageFull => {
                StoreError::DiskFull
            }
            other => other,
        }
    }
}

impl Coded for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::Corrupt { .. } => "STORE_CORRUPT",
            StoreError::NotRonda => "STORE_NOT_RONDA",
            StoreError::Locked => "STORE_LOCKED",
            StoreError::SchemaTooNew { .. } => "STORE_SCHEMA_TOO_NEW",
            StoreError::DiskFull => "STORE_DISK_FULL",
            StoreError::CannotOpen { .. } => "STORE_CANNOT_OPEN",
            StoreError::ReadOnly => "STORE_READ_ONLY",
            StoreError::AlreadyExists(_) => "REPORT_ALREADY_EXISTS",
            StoreError::NotFound(_) => "REPORT_NOT_FOUND",
            StoreError::Invalid(_) => "OP_INVALID",
            StoreError::SignedOut => "SIGNED_OUT",
            StoreError::AlreadyCheckedIn => "PATROL_ALREADY_CHECKED_IN",
            StoreError::Denied(e) => e.code(),
            StoreError::Lifecycle(e) => e.code(),
            StoreError::Unreadable(_) => "STORE_UNREADABLE",
            StoreError::Migration(_) => "STORE_MIGRATION_FAILED",
            StoreError::Io(e) if e.kind() == std::io::ErrorKind::StorageFull => "STORE_DISK_FULL",
            StoreError::Io(_) => "STORE_IO",
            StoreError::Sqlite(_) => "STORE_INTERNAL",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Corrupt { path } => lang.pick(
                format!(
                    "berkas data {} rusak atau bukan data Ronda. Berkas tidak diubah; simpan salinannya dan hubungi admin",
                    path.display()
                ),
                format!(
                    "the data file {} is damaged or is not Ronda data. It was left untouched; keep a copy and contact an admin",
                    path.display()
                ),
            ),
            StoreError::NotRonda => lang
                .pick(
                    "berkas ini milik program lain, bukan data Ronda. Berkas tidak diubah",
                    "this file belongs to another program, not Ronda. It was left untouched",
                )
                .into(),
            StoreError::Locked => lang
                .pick(
                    "data sedang dipakai program lain. Tutup program itu lalu coba lagi",
                    "the data is in use by another program. Close it and try again",
                )
                .into(),
            StoreError::SchemaTooNew { found, supported } => lang.pick(
                format!("data dibuat oleh Ronda versi lebih baru (skema {found}, versi ini sampai {supported}). Perbarui aplikasi"),
                format!("the data was written by a newer Ronda (schema {found}, this one knows up to {supported}). Update the app"),
            ),
            StoreError::DiskFull => lang
                .pick(
                    "penyimpanan HP penuh: tidak ada yang disimpan. Kosongkan ruang lalu coba lagi",
                    "the phone's storage is full: nothing was saved. Free some space and try again",
                )
                .into(),
            StoreError::CannotOpen { path, reason } => lang.pick(
                format!("tidak bisa membuka data {}: {reason}", path.display()),
                format!("cannot open the data at {}: {reason}", path.display()),
            ),
            StoreError::ReadOnly => lang.pick("data hanya bisa dibaca", "the data is read-only").into(),
            StoreError::AlreadyExists(id) => {
                lang.pick(format!("laporan {id} sudah ada"), format!("report {id} already exists"))
            }
            StoreError::NotFound(id) => {
                lang.pick(format!("laporan {id} tidak ada di HP ini"), format!("report {id} is not on this device"))
            }
            StoreError::Invalid(why) => lang.pick(format!("perubahan tidak sah: {why}"), format!("invalid change: {why}")),
            StoreError::SignedOut => lang.pick("masuk dengan akun dulu", "sign in with an account first").into(),
            StoreError::AlreadyCheckedIn => lang
                .pick(
                    "wilayah ini sudah melapor nihil hari ini",
                    "this area has already checked in for today",
                )
                .into(),
            StoreError::Denied(e) => e.message(lang),
            StoreError::Lifecycle(e) => e.message(lang),
            StoreError::Unreadable(why) => {
                lang.pick(format!("data tersimpan tidak terbaca: {why}"), format!("stored data does not read back: {why}"))
            }
            StoreError::Migration(why) => {
                lang.pick(format!("gagal memperbarui skema data: {why}"), format!("could not update the data schema: {why}"))
            }
            StoreError::Io(e) if e.kind() == std::io::ErrorKind::StorageFull => StoreError::DiskFull.message(lang),
            StoreError::Io(e) => lang.pick(format!("kesalahan berkas: {e}"), format!("file error: {e}")),
            StoreError::Sqlite(e) => lang.pick(format!("kesalahan basis data: {e}"), format!("database error: {e}")),
        }
    }
}
