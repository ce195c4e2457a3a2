//! The device's local store: one SQLite file (WAL, full sync) holding reports, their photos'
//! names, and the outbox; photo files beside it in a folder named by content.
//!
//! Architecture invariant: what this store says is saved is on disk. A report and its outbox op
//! are written in one transaction, committed with a full sync; photo files are synced before the
//! transaction that names them. A file that is damaged, locked, foreign or from a newer schema is
//! refused with an error and left exactly as it was.

mod account;
mod attach;
mod before_after;
mod blobs;
mod clock;
mod error;
mod kabar;
mod lifecycle;
mod migrations;
mod mine;
mod outbox;
mod patrol;
mod photos;
mod query;
mod reference;
mod reports;
mod sync_state;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use attach::AttachError;
pub use before_after::BeforeAfter;
pub use blobs::BlobDir;
pub use error::StoreError;
pub use kabar::{Kabar, News, Waiting};
pub use migrations::SCHEMA_VERSION;
pub use mine::{Delivery, HistoryEntry, HistoryEvent, OwnReport};
pub use outbox::{OutboxEntry, OutboxState, Rejection};
pub use patrol::{AreaDay, NihilMark};
pub use query::{Near, ReportQuery, ReportSummary};
pub use reference::{Held, Reference, SafetyLayer};
pub use ronda_core::sla::Deadlines;
pub use sync_state::{Applied, PendingBlob, Session};

/// `PRAGMA application_id` of a Ronda store ("ROND").
const APPLICATION_ID: i32 = 0x524F_4E44;

#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// How long to wait for another program holding the database before giving up.
    pub busy_timeout: Duration,
    /// The most disk space the database may take; writes beyond it fail as "disk full" and
    /// change nothing. `None`: limited only by the disk.
    pub max_size_bytes: Option<u64>,
    /// How far this device's wall clock is from the truth, in milliseconds. Zero on a real
    /// device (its clock is whatever it is); simulations set it to play phones whose clocks are
    /// days or years off.
    pub clock_skew_ms: i64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
            max_size_bytes: None,
            clock_skew_ms: 0,
        }
    }
}

#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    blobs: BlobDir,
    clock_skew_ms: i64,
    /// The kelurahan index over the stored boundaries, built when first needed.
    places: std::cell::OnceCell<Option<std::sync::Arc<ronda_core::KelurahanIndex>>>,
}

/// What `Store::check` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
}

/// How much the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    pub schema_version: u32,
    pub reports: u64,
    pub photos: u64,
    pub outbox_pending: u64,
    pub outbox_rejected: u64,
}

impl Store {
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, &StoreConfig::default())
    }

    pub fn open_with(path: impl AsRef<Path>, config: &StoreConfig) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        Self::open_inner(&path, config).map_err(|e| e.at(&path))
    }

    fn open_inner(path: &Path, config: &StoreConfig) -> Result<Self, StoreError> {
        let cannot_open = |reason: String| StoreError::CannotOpen {
            path: path.to_owned(),
            reason,
        };
        if path.is_dir() {
            return Err(cannot_open("it is a folder".into()));
        }
        refuse_non_sqlite(path)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| cannot_open(e.to_string()))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| match StoreError::from(e) {
                StoreError::Sqlite(e) => cannot_open(e.to_string()),
                other => other,
            })?;
        conn.busy_timeout(config.busy_timeout)?;
        // Look before touching: nothing below writes until the file is known to be ours.
        refuse_foreign_or_newer(&conn)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(cannot_open(format!(
                "the file system does not support write-ahead logging ({mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Map queries touch rows scattered over the file; keep them in memory rather than read
        // them page by page through system calls.
        conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
        if let Some(max) = config.max_size_bytes {
            let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            let pages = (max / page_size.max(1) as u64).clamp(1, i64::MAX as u64) as i64;
            conn.pragma_update(None, "max_page_count", pages)?;
        }
        migrations::migrate(&mut conn)?;
        let blobs = BlobDir::new(blob_dir_for(path));
        Ok(Self {
            conn,
            path: path.to_owned(),
            blobs,
            clock_skew_ms: config.clock_skew_ms,
            places: Default::default(),
        })
    }

    /// This device's wall clock, in ms since 1970 (as wrong as the device's clock is).
    pub fn device_now_ms(&self) -> i64 {
        ronda_core::Timestamp::now().millis() + self.clock_skew_ms
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn blobs(&self) -> &BlobDir {
        &self.blobs
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::schema_version(&self.conn)
    }

    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        self.stats_unnamed().map_err(|e| e.at(&self.path))
    }

    fn stats_unnamed(&self) -> Result<StoreStats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(StoreStats {
            schema_version: self.schema_version()?,
            reports: count("SELECT count(*) FROM report")?,
            photos: count("SELECT count(*) FROM photo")?,
            outbox_pending: count(
                "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sent')",
            )?,
            outbox_rejected: count("SELECT count(*) FROM outbox WHERE state = 'rejected'")?,
        })
    }

    /// A full check of the file and its indexes. Slow on a big store: for `ronda db check` and
    /// for tests, not for every start.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        self.check_unnamed().map_err(|e| e.at(&self.path))
    }

    fn check_unnamed(&self) -> Result<CheckReport, StoreError> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let rtree: String = self
            .conn
            .query_row("SELECT rtreecheck('report_geo')", [], |r| r.get(0))?;
        if rtree != "ok" {
            problems.push(format!("spatial index: {rtree}"));
        }
        if let Err(e) = self.conn.execute(
            "INSERT INTO report_fts (report_fts) VALUES ('integrity-check')",
            [],
        ) {
            problems.push(format!("text index: {e}"));
        }
        let orphans: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM report WHERE version = 0 AND id NOT IN (SELECT report_id FROM outbox))
                  + (SELECT count(*) FROM outbox WHERE report_id NOT IN (SELECT id FROM report))
                  + (SELECT count(*) FROM report WHERE seq NOT IN (SELECT seq FROM report_geo))",
            [],
            |r| r.get(0),
        )?;
        if orphans > 0 {
            problems.push(format!("{orphans} reports or ops without their other half"));
        }
        Ok(CheckReport {
            ok: problems.is_empty(),
            problems,
        })
    }
}

/// Photos live beside the database: `ronda.db` keeps them in `ronda.db.photos/`.
fn blob_dir_for(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_owned();
    name.push(".photos");
    db.with_file_name(name)
}

/// SQLite takes a file shorter than its header for an empty database and would write over it;
/// anything there that is not an SQLite file is refused instead.
fn refuse_non_sqlite(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let mut head = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut head)?;
    if head.is_empty() || head == MAGIC {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            path: path.to_owned(),
        })
    }
}

fn refuse_foreign_or_newer(conn: &Connection) -> Result<(), StoreError> {
    let version = migrations::schema_version(conn)?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let ours = app_id == APPLICATION_ID || (app_id == 0 && version == 0 && tables == 0);
    if !ours {
        return Err(StoreError::NotRonda);
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
