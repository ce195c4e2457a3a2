//! How a command fails: a stable code, a message in the user's language, and an exit status
//! (2: the input was wrong; 3: the store refused; 1: anything else).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ronda_client::StoreError;
use ronda_client::photo::PhotoError;
use ronda_core::{Coded, Lang, ReportId};

use super::Ctx;
use super::render::print_json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Input,
    Store,
    Other,
}

pub struct Failure {
    error: Box<dyn Coded>,
    class: Class,
}

struct FileError {
    path: PathBuf,
    error: std::io::Error,
}

impl Coded for FileError {
    fn code(&self) -> &'static str {
        match self.error.kind() {
            std::io::ErrorKind::NotFound => "FILE_NOT_FOUND",
            _ => "FILE_UNREADABLE",
        }
    }
    fn message(&self, lang: Lang) -> String {
        let path = self.path.display();
        let e = &self.error;
        match self.error.kind() {
            std::io::ErrorKind::NotFound => lang.pick(
                format!("berkas {path} tidak ada"),
                format!("file {path} does not exist"),
            ),
            _ => lang.pick(
                format!("berkas {path} tidak bisa dibaca: {e}"),
                format!("cannot read file {path}: {e}"),
            ),
        }
    }
}

struct PhotoFailure {
    path: PathBuf,
    error: PhotoError,
}

impl Coded for PhotoFailure {
    fn code(&self) -> &'static str {
        self.error.code()
    }
    fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.path.display(), self.error.message(lang))
    }
}

struct NotFound(ReportId);

impl Coded for NotFound {
    fn code(&self) -> &'static str {
        "REPORT_NOT_FOUND"
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            format!("laporan {} tidak ada di HP ini", self.0),
            format!("report {} is not on this device", self.0),
        )
    }
}

/// An input line of an import, with its line number.
struct AtLine {
    line: usize,
    inner: Box<dyn Coded>,
}

impl Coded for AtLine {
    fn code(&self) -> &'static str {
        self.inner.code()
    }
    fn message(&self, lang: Lang) -> String {
        format!(
            "{} {}: {}",
            lang.pick("baris", "line"),
            self.line,
            self.inner.message(lang)
        )
    }
}

impl Failure {
    pub fn input(e: impl Coded + 'static) -> Self {
        Self {
            error: Box::new(e),
            class: Class::Input,
        }
    }

    pub fn store(e: StoreError) -> Self {
        let class = match e {
            StoreError::AlreadyExists(_) | StoreError::Invalid(_) => Class::Input,
            StoreError::NotFound(_) => Class::Other,
            _ => Class::Store,
        };
        Self {
            error: Box::new(e),
            class,
        }
    }

    pub fn file(path: &Path, error: std::io::Error) -> Self {
        Self {
            error: Box::new(FileError {
                path: path.to_owned(),
                error,
            }),
            class: Class::Input,
        }
    }

    pub fn photo(path: &Path, error: PhotoError) -> Self {
        Self {
            error: Box::new(PhotoFailure {
                path: path.to_owned(),
                error,
            }),
            class: Class::Input,
        }
    }

    pub fn sync(e: ronda_client::sync::SyncError) -> Self {
        use ronda_client::sync::SyncError as E;
        let class = match e {
            E::BadServerUrl(_) | E::Auth { .. } | E::Refused { .. } => Class::Input,
            E::Store(_) => Class::Store,
            _ => Class::Other,
        };
        Self {
            error: Box::new(e),
            class,
        }
    }

    pub fn not_found(id: ReportId) -> Self {
        Self {
            error: Box::new(NotFound(id)),
            class: Class::Other,
        }
    }

    pub fn at_line(self, line: usize) -> Self {
        Self {
            error: Box::new(AtLine {
                line,
                inner: self.error,
            }),
            class: self.class,
        }
    }

    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self.class {
            Class::Input => 2,
            Class::Store => 3,
            Class::Other => 1,
        })
    }

    pub fn print(&self, ctx: &Ctx) {
        let message = self.error.message(ctx.lang);
        if ctx.json {
            print_json(
                &serde_json::json!({ "error": { "code": self.code(), "message": message } }),
            );
        } else {
            eprintln!(
                "{} [{}]: {message}",
                ctx.lang.pick("gagal", "error"),
                self.code()
            );
        }
    }
}
