//! Adding a photo to a report after it was saved: the app saves a report first, then sends its
//! photos one by one. A photo travels inside the report as it was made (there is no op that adds
//! one later), so this works while the report has not left the device: its create op, not yet
//! sent, is rewritten with the photo in the same transaction that records the photo.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use ronda_core::report::ReportError;
use ronda_core::{Coded, Lang, Op, OpBody, PhotoRef, ReportId};

use super::reports::{insert_photo_row, queue_upload, unreadable};
use super::{Store, StoreError};

/// Why a photo could not be added to a report.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The report was sent (or made on another device): the server has it as it was.
    #[error("report {0} has already been sent; photos can be added only before it is sent")]
    AlreadySent(ReportId),
    #[error(transparent)]
    Report(#[from] ReportError),
}

impl Coded for AttachError {
    fn code(&self) -> &'static str {
        match self {
            AttachError::Store(e) => e.code(),
            AttachError::AlreadySent(_) => "REPORT_ALREADY_SENT",
            AttachError::Report(e) => e.code(),
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            AttachError::Store(e) => e.message(lang),
            AttachError::AlreadySent(_) => lang
                .pick(
                    "laporan ini sudah dikirim; foto hanya bisa ditambahkan sebelum laporan dikirim",
                    "this report has already been sent; photos can be added only before it is sent",
                )
                .into(),
            AttachError::Report(e) => e.message(lang),
        }
    }
}

impl Store {
    /// Adds a photo whose files are already in the blob folder (see [`Store::put_photo`]) to a
    /// report made on this device and not sent yet. Adding a photo the report already has
    /// changes nothing, so a retry is harmless.
    pub fn add_photo(&mut self, id: ReportId, photo: &PhotoRef) -> Result<(), AttachError> {
        self.add_photo_unnamed(id, photo).map_err(|e| match e {
            AttachError::Store(e) => AttachError::Store(e.at(&self.path)),
            other => other,
        })
    }

    fn add_photo_unnamed(&mut self, id: ReportId, photo: &PhotoRef) -> Result<(), AttachError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let seq: i64 = tx
            .query_row(
                "SELECT seq FROM report WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?
            .ok_or(StoreError::NotFound(id))?;
        let create: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT seq, body, state FROM outbox WHERE report_id = ?1 AND kind = 'report.create'",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(StoreError::from)?;
        let Some((op_seq, body, state)) = create else {
            return Err(AttachError::AlreadySent(id));
        };
        // Only an op the server has never seen may change: once marked sent it may be there.
        if state != "pending" {
            return Err(AttachError::AlreadySent(id));
        }
        let mut op: Op = serde_json::from_str(&body).map_err(unreadable)?;
        let OpBody::CreateReport(report) = &mut op.body else {
            return Err(StoreError::Unreadable(format!("op {} is not a create", op.id)).into());
        };
        if report.photos().iter().any(|p| p.sha256 == photo.sha256) {
            return Ok(());
        }
        let position = report.photos().len();
        let mut photos = report.photos().to_vec();
        photos.push(photo.clone());
        report.set_photos(photos)?;
        let body = serde_json::to_string(&op).map_err(unreadable)?;
        let insert = || -> Result<(), StoreError> {
            tx.prepare_cached("UPDATE outbox SET body = ?2 WHERE seq = ?1")?
                .execute(params![op_seq, body])?;
            insert_photo_row(&tx, seq, position, photo)?;
            queue_upload(&tx, &self.blobs, photo)
        };
        insert()?;
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }
}
