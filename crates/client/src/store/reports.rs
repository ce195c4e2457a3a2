//! Writing a report (with its photos' names and its outbox op, in one transaction) and reading
//! one back.

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};

use ronda_core::audit::AuditRatings;
use ronda_core::search;
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Description, Hlc, Location, LocationSource, NewReport, Op,
    OpBody, PhotoRef, Report, ReportId, ReportKind, ReportStatus, Sha256Hex, Timestamp,
};

use super::{BlobDir, Store, StoreError, clock};

impl Store {
    /// Saves a new report and queues it for the server. When this returns `Ok`, the report and
    /// its op are on disk and survive the process being killed or the power failing. Photo files
    /// named in the report must already be in the blob folder (see [`Store::put_photo`]).
    pub fn create_report(&mut self, report: &NewReport) -> Result<Op, StoreError> {
        let mut ops = self.create_reports(std::slice::from_ref(report))?;
        Ok(ops.remove(0))
    }

    /// Saves several reports at once: all of them, or (on any error) none. One commit, one sync.
    /// Each is filed under the kelurahan its point lies in when the device holds the boundaries
    /// ([`Store::file`]).
    pub fn create_reports(&mut self, reports: &[NewReport]) -> Result<Vec<Op>, StoreError> {
        let filed = reports
            .iter()
            .map(|r| self.file(r.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        self.create_reports_unnamed(&filed)
            .map_err(|e| e.at(&self.path))
    }

    fn create_reports_unnamed(&mut self, reports: &[NewReport]) -> Result<Vec<Op>, StoreError> {
        let now_ms = self.device_now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ops = reports
            .iter()
            .map(|r| {
                let hlc = clock::tick(&tx, now_ms)?;
                insert_report(&tx, &self.blobs, r, hlc)
            })
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(ops)
    }
}

fn insert_report(
    tx: &Transaction<'_>,
    blobs: &BlobDir,
    report: &NewReport,
    hlc: Hlc,
) -> Result<Op, StoreError> {
    let op = Op::new(OpBody::CreateReport(report.clone()), hlc);
    let body = serde_json::to_string(&op).map_err(|e| StoreError::Unreadable(e.to_string()))?;
    insert_row(tx, report)?;
    for p in report.photos() {
        queue_upload(tx, blobs, p)?;
    }
    tx.prepare_cached(
        "INSERT INTO outbox (op_id, kind, report_id, body, made_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        op.id.to_string(),
        op.body.kind().code(),
        report.id().to_string(),
        body,
        op.hlc.ms
    ])?;
    Ok(op)
}

/// A report's row and its spatial, text and photo entries. Returns its local row number.
pub(super) fn insert_row(tx: &Transaction<'_>, report: &NewReport) -> Result<i64, StoreError> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM report WHERE id = ?1)",
        [report.id().to_string()],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::AlreadyExists(report.id()));
    }
    let loc = report.location();
    tx.prepare_cached(
            "INSERT INTO report (id, kind, category, status, lat, lon, accuracy_m, location_source, location_at,
                                 description, area, created_at, updated_at, ratings)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
        )?
        .execute(params![
            report.id().to_string(),
            report.kind().code(),
            report.category().as_str(),
            ReportStatus::Baru.code(),
            loc.coord.lat(),
            loc.coord.lon(),
            loc.accuracy_m.get(),
            loc.source.code(),
            loc.captured_at.millis(),
            report.description().map(Description::as_str),
            report.area().map(AreaCode::to_string),
            report.created_at().millis(),
            ratings_json(report.ratings())?,
        ])?;
    let seq = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO report_geo (seq, min_lat, max_lat, min_lon, max_lon) VALUES (?1, ?2, ?2, ?3, ?3)")?
            .execute(params![seq, loc.coord.lat(), loc.coord.lon()])?;
    if let Some(d) = report.description() {
        tx.prepare_cached("INSERT INTO report_fts (rowid, terms) VALUES (?1, ?2)")?
            .execute(params![seq, search::index_terms(d.as_str()).join(" ")])?;
    }
    for (position, p) in report.photos().iter().enumerate() {
        insert_photo_row(tx, seq, position, p)?;
    }
    Ok(seq)
}

/// The row of the report's `position`-th photo.
/// Queues a photo's two files (already in the blob folder) for upload.
pub(super) fn queue_upload(
    tx: &Transaction<'_>,
    blobs: &BlobDir,
    photo: &PhotoRef,
) -> Result<(), StoreError> {
    for name in [&photo.sha256, &photo.thumb_sha256] {
        let size = std::fs::metadata(blobs.path_of(name))?.len();
        tx.prepare_cached("INSERT OR IGNORE INTO blob (sha256, bytes) VALUES (?1, ?2)")?
            .execute(params![name.as_str(), size as i64])?;
    }
    Ok(())
}

pub(super) fn insert_photo_row(
    tx: &Transaction<'_>,
    report_seq: i64,
    position: usize,
    p: &PhotoRef,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO photo (report_seq, position, sha256, thumb_sha256, width, height, bytes, exif_lat, exif_lon, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        report_seq,
        position as i64,
        p.sha256.as_str(),
        p.thumb_sha256.as_str(),
        p.width,
        p.height,
        p.bytes as i64,
        p.exif_position.map(|c| c.lat()),
        p.exif_position.map(|c| c.lon()),
        p.taken_at.map(|t| t.millis()),
    ])?;
    Ok(())
}

impl Store {
    /// One report with its photos, or `None` if this device has no such report.
    pub fn report(&self, id: ReportId) -> Result<Option<Report>, StoreError> {
        self.report_unnamed(id).map_err(|e| e.at(&self.path))
    }

    fn report_unnamed(&self, id: ReportId) -> Result<Option<Report>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT seq, id, kind, category, status, lat, lon, accuracy_m, location_source, location_at,
                        description, area, created_at, updated_at, ratings
                 FROM report WHERE id = ?1",
            )?
            .query_row([id.to_string()], |row| Ok((row.get::<_, i64>(0)?, StoredReport::from_row(row, 1)?)))
            .optional()?;
        let Some((seq, stored)) = row else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT sha256, thumb_sha256, width, height, bytes, exif_lat, exif_lon, taken_at
             FROM photo WHERE report_seq = ?1 ORDER BY position",
        )?;
        let photos = stmt
            .query_map([seq], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<f64>>(5)?,
                    r.get::<_, Option<f64>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                ))
            })?
            .map(|r| {
                let (sha, thumb, width, height, bytes, lat, lon, taken) = r?;
                Ok(PhotoRef {
                    sha256: Sha256Hex::parse(&sha).map_err(unreadable)?,
                    thumb_sha256: Sha256Hex::parse(&thumb).map_err(unreadable)?,
                    width,
                    height,
                    bytes: bytes as u64,
                    exif_position: match (lat, lon) {
                        (Some(lat), Some(lon)) => {
                            Some(Coordinate::new(lat, lon).map_err(unreadable)?)
                        }
                        _ => None,
                    },
                    taken_at: taken
                        .map(Timestamp::from_millis)
                        .transpose()
                        .map_err(unreadable)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        stored.into_report(photos).map(Some)
    }
}

pub(super) fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(e.to_string())
}

/// The `ratings` column of a report: its audit ratings as JSON, or NULL.
pub(super) fn ratings_json(ratings: Option<&AuditRatings>) -> Result<Option<String>, StoreError> {
    ratings
        .map(serde_json::to_string)
        .transpose()
        .map_err(unreadable)
}

/// A report row as stored, before it is checked back into domain types.
#[derive(Debug)]
pub(super) struct StoredReport {
    pub id: String,
    pub kind: String,
    pub category: String,
    pub status: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub source: String,
    pub location_at: i64,
    pub description: Option<String>,
    pub area: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub ratings: Option<String>,
}

impl StoredReport {
    /// Reads the fourteen report columns starting at `first`, in table order from `id` to
    /// `updated_at`, then `ratings`.
    pub fn from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(first)?,
            kind: row.get(first + 1)?,
            category: row.get(first + 2)?,
            status: row.get(first + 3)?,
            lat: row.get(first + 4)?,
            lon: row.get(first + 5)?,
            accuracy_m: row.get(first + 6)?,
            source: row.get(first + 7)?,
            location_at: row.get(first + 8)?,
            description: row.get(first + 9)?,
            area: row.get(first + 10)?,
            created_at: row.get(first + 11)?,
            updated_at: row.get(first + 12)?,
            ratings: row.get(first + 13)?,
        })
    }

    pub fn status(&self) -> Result<ReportStatus, StoreError> {
        ReportStatus::from_code(&self.status)
            .ok_or_else(|| unreadable(format!("status {:?}", self.status)))
    }

    pub fn id(&self) -> Result<ReportId, StoreError> {
        self.id.parse().map_err(unreadable)
    }

    pub fn kind(&self) -> Result<ReportKind, StoreError> {
        ReportKind::from_code(&self.kind).ok_or_else(|| unreadable(format!("kind {:?}", self.kind)))
    }

    pub fn location(&self) -> Result<Location, StoreError> {
        Ok(Location {
            coord: Coordinate::new(self.lat, self.lon).map_err(unreadable)?,
            accuracy_m: Accuracy::metres(self.accuracy_m).map_err(unreadable)?,
            source: LocationSource::from_code(&self.source)
                .ok_or_else(|| unreadable(format!("location source {:?}", self.source)))?,
            captured_at: Timestamp::from_millis(self.location_at).map_err(unreadable)?,
        })
    }

    pub fn area(&self) -> Result<Option<AreaCode>, StoreError> {
        self.area
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(unreadable)
    }

    pub fn created_at(&self) -> Result<Timestamp, StoreError> {
        Timestamp::from_millis(self.created_at).map_err(unreadable)
    }

    /// A safety audit's ratings, when it has them.
    pub fn ratings(&self) -> Result<Option<AuditRatings>, StoreError> {
        self.ratings
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(unreadable)
    }

    pub fn updated_at(&self) -> Result<Timestamp, StoreError> {
        Timestamp::from_millis(self.updated_at).map_err(unreadable)
    }

    /// The whole report, every field checked back into domain types.
    pub fn into_report(self, photos: Vec<PhotoRef>) -> Result<Report, StoreError> {
        let description = self
            .description
            .as_deref()
            .map(Description::parse)
            .transpose()
            .map_err(unreadable)?;
        let mut draft = NewReport::with_id(
            self.id()?,
            self.kind()?,
            &self.category,
            self.location()?,
            self.created_at()?,
        )
        .map_err(unreadable)?
        .describe(description)
        .in_area(self.area()?);
        draft.set_photos(photos).map_err(unreadable)?;
        if let Some(ratings) = self.ratings()? {
            draft = draft.rate(ratings).map_err(unreadable)?;
        }
        Ok(Report::from_parts(
            draft,
            self.status()?,
            self.updated_at()?,
        ))
    }
}
