//! How commands fail: every error is a `CommandError` `{code, message, count}`, the message in
//! the session's language. Errors from ronda-core and ronda-client carry their own codes; these
//! are the app's own.

use ronda_core::{Coded, Lang};

use crate::ipc::CommandError;

impl CommandError {
    pub fn from_coded(e: &dyn Coded, lang: Lang) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.message(lang),
            count: None,
        }
    }
}

/// Failures that belong to the app rather than to the store, the photo pipeline or sync.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Signing out would delete this many reports (or their changes) the server does not have.
    #[error("{0} reports have not been sent yet")]
    UnsentWork(u64),
    /// The request did not have the shape the contract gives it.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("time out of range: {0} ms since 1970")]
    TimeOutOfRange(i64),
    #[error("the settings could not be saved: {0}")]
    SettingsNotSaved(String),
    /// `act` named a photo that `stage_photo` did not keep (or kept before a restart).
    #[error("photo {0} was not prepared on this device")]
    PhotoNotStaged(String),
    /// The walk list needs the one area the person answers for.
    #[error("this account has no single area of its own")]
    NoHomeArea,
}

impl Coded for AppError {
    fn code(&self) -> &'static str {
        match self {
            AppError::UnsentWork(_) => "UNSENT_WORK",
            AppError::BadRequest(_) => "IPC_BAD_REQUEST",
            AppError::TimeOutOfRange(_) => "TIME_OUT_OF_RANGE",
            AppError::SettingsNotSaved(_) => "SETTINGS_NOT_SAVED",
            AppError::PhotoNotStaged(_) => "PHOTO_NOT_STAGED",
            AppError::NoHomeArea => "FIELD_AREA_REQUIRED",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            AppError::UnsentWork(n) => lang.pick(
                format!("{n} laporan belum terkirim ke server; keluar dari akun akan menghapusnya"),
                format!(
                    "{n} report(s) have not been sent to the server yet; signing out would delete them"
                ),
            ),
            AppError::BadRequest(why) => lang.pick(
                format!("permintaan tidak sah: {why}"),
                format!("bad request: {why}"),
            ),
            AppError::TimeOutOfRange(ms) => lang.pick(
                format!("waktu di luar jangkauan: {ms}"),
                format!("time out of range: {ms}"),
            ),
            AppError::SettingsNotSaved(why) => lang.pick(
                format!("pengaturan tidak bisa disimpan: {why}"),
                format!("the settings could not be saved: {why}"),
            ),
            AppError::PhotoNotStaged(_) => lang
                .pick(
                    "foto tidak ditemukan di HP ini; pilih fotonya lagi",
                    "the photo is not on this device; choose it again",
                )
                .to_owned(),
            AppError::NoHomeArea => lang
                .pick(
                    "akun ini tidak punya satu wilayah sendiri untuk mode lapangan",
                    "this account has no single area of its own for field mode",
                )
                .to_owned(),
        }
    }
}

impl AppError {
    /// As a command error, with the count the contract gives `UNSENT_WORK`.
    pub fn into_command_error(self, lang: Lang) -> CommandError {
        let count = match self {
            AppError::UnsentWork(n) => Some(n),
            _ => None,
        };
        CommandError {
            count,
            ..CommandError::from_coded(&self, lang)
        }
    }
}

/// An error about one photo, named by the file it came from (as the UI knows it).
#[derive(Debug)]
pub struct PhotoFailure<E> {
    pub file_name: Option<String>,
    pub error: E,
}

impl<E: Coded> Coded for PhotoFailure<E> {
    fn code(&self) -> &'static str {
        self.error.code()
    }

    fn message(&self, lang: Lang) -> String {
        match &self.file_name {
            Some(name) if !name.is_empty() => format!("{name}: {}", self.error.message(lang)),
            _ => self.error.message(lang),
        }
    }
}

/// An error a store could not be opened with, kept in both languages for every later command.
#[derive(Debug, Clone)]
pub struct OpenFailure {
    code: &'static str,
    id: String,
    en: String,
}

impl OpenFailure {
    pub fn new(e: &dyn Coded) -> Self {
        Self {
            code: e.code(),
            id: e.message(Lang::Id),
            en: e.message(Lang::En),
        }
    }
}

impl Coded for OpenFailure {
    fn code(&self) -> &'static str {
        self.code
    }

    fn message(&self, lang: Lang) -> String {
        lang.pick(&self.id, &self.en).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsent_work_carries_its_count_and_both_languages() {
        let e = AppError::UnsentWork(3).into_command_error(Lang::En);
        assert_eq!(e.code, "UNSENT_WORK");
        assert_eq!(e.count, Some(3));
        assert!(e.message.contains('3'));
        let id = AppError::UnsentWork(3).into_command_error(Lang::Id);
        assert_ne!(id.message, e.message);
        let other = AppError::BadRequest("x".into()).into_command_error(Lang::Id);
        assert_eq!(other.count, None);
    }
}
