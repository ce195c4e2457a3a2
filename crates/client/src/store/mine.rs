//! What a person asks about their own reports: which ones they made, how far each has got on its
//! way to the server (and why the server refused one), how much of its photos is uploaded, and
//! what happened to it so far.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use ronda_core::{CategoryCode, ReportId, ReportKind, ReportStatus, Timestamp};

use super::outbox::Rejection;
use super::reports::unreadable;
use super::{Store, StoreError};

/// How far the changes this device made to one report have got.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Delivery {
    /// Changes saved here that the server has not answered: not sent yet, or sent with no
    /// answer so far.
    pub waiting: u32,
    /// Changes the server has.
    pub accepted: u32,
    /// The server refused the report itself: it exists only on this device.
    pub create_rejected: bool,
    /// The server's reason for the latest change it refused, if it refused any.
    pub rejection: Option<Rejection>,
}

/// A report this device made, or that the signed-in person made on another device.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnReport {
    pub id: ReportId,
    pub kind: ReportKind,
    pub category: CategoryCode,
    pub status: ReportStatus,
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub delivery: Delivery,
    /// Bytes of the report's photo files (copies and thumbnails) waiting for or done uploading
    /// from this device; zero for photos this device never held.
    pub photo_bytes: u64,
    pub photo_bytes_uploaded: u64,
}

/// One thing that happened to a report, as far as this device knows.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryEvent {
    Created,
    PhotoAdded,
    /// The server accepted the report.
    Sent,
    /// Someone on this device changed a free field.
    Edited,
    /// The server refused a change, for this reason.
    Rejected(Rejection),
    /// The report's workflow state, as the server last told it (the device keeps no history of
    /// earlier states).
    Status(ReportStatus),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub event: HistoryEvent,
}

impl Store {
    /// The reports this device made and those the signed-in person made elsewhere, newest first.
    pub fn my_reports(&self) -> Result<Vec<OwnReport>, StoreError> {
        self.my_reports_unnamed().map_err(|e| e.at(&self.path))
    }

    fn my_reports_unnamed(&self) -> Result<Vec<OwnReport>, StoreError> {
        /// A row as stored, before it is checked back into domain types.
        struct Row {
            seq: i64,
            id: String,
            kind: String,
            category: String,
            status: String,
            description: Option<String>,
            created_at: i64,
        }
        let rows: Vec<Row> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT seq, id, kind, category, status, description, created_at FROM report
                 WHERE id IN (SELECT report_id FROM outbox WHERE kind = 'report.create')
                    OR reporter = (SELECT user_id FROM session)
                 ORDER BY created_at DESC, seq DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Row {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    kind: r.get(2)?,
                    category: r.get(3)?,
                    status: r.get(4)?,
                    description: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?;
            rows.collect::<Result<_, _>>()?
        };
        rows.into_iter()
            .map(|row| {
                let id: ReportId = row.id.parse().map_err(unreadable)?;
                let (photo_bytes, photo_bytes_uploaded) = self.photo_upload(row.seq)?;
                Ok(OwnReport {
                    id,
                    kind: ReportKind::from_code(&row.kind)
                        .ok_or_else(|| unreadable(format!("kind {:?}", row.kind)))?,
                    category: CategoryCode::parse(&row.category).map_err(unreadable)?,
                    status: ReportStatus::from_code(&row.status)
                        .ok_or_else(|| unreadable(format!("status {:?}", row.status)))?,
                    description: row.description,
                    created_at: Timestamp::from_millis(row.created_at).map_err(unreadable)?,
                    delivery: self.delivery_unnamed(id)?,
                    photo_bytes,
                    photo_bytes_uploaded,
                })
            })
            .collect()
    }

    /// How far this device's changes to a report have got. All zero for a report this device
    /// never changed.
    pub fn delivery(&self, id: ReportId) -> Result<Delivery, StoreError> {
        self.delivery_unnamed(id).map_err(|e| e.at(&self.path))
    }

    fn delivery_unnamed(&self, id: ReportId) -> Result<Delivery, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, state, reject_code, reject_message FROM outbox WHERE report_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut delivery = Delivery::default();
        for row in rows {
            let (kind, state, code, message) = row?;
            match state.as_str() {
                "pending" | "sent" => delivery.waiting += 1,
                "accepted" => delivery.accepted += 1,
                "rejected" => {
                    delivery.create_rejected |= kind == "report.create";
                    delivery.rejection = Some(Rejection {
                        code: code.unwrap_or_default(),
                        message: message.unwrap_or_default(),
                    });
                }
                other => return Err(unreadable(format!("outbox state {other:?}"))),
            }
        }
        Ok(delivery)
    }

    /// Bytes of a report's photo files in the upload queue, and how many of them the server has.
    fn photo_upload(&self, report_seq: i64) -> Result<(u64, u64), StoreError> {
        let (total, done): (i64, i64) = self.conn.prepare_cached(
            "SELECT coalesce(sum(bytes), 0),
                    coalesce(sum(CASE WHEN uploaded = 1 THEN bytes ELSE min(upload_offset, bytes) END), 0)
             FROM blob WHERE sha256 IN (SELECT sha256 FROM photo WHERE report_seq = ?1
                                        UNION SELECT thumb_sha256 FROM photo WHERE report_seq = ?1)",
        )?
        .query_row([report_seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((total.max(0) as u64, done.max(0) as u64))
    }

    /// What happened to a report, oldest first, from what this device knows: when it was made
    /// and its photos added, when the server took it or refused a change (and why), edits made
    /// here, and its current workflow state. `None` when the report is not on this device.
    pub fn report_history(&self, id: ReportId) -> Result<Option<Vec<HistoryEntry>>, StoreError> {
        self.report_history_unnamed(id)
            .map_err(|e| e.at(&self.path))
    }

    fn report_history_unnamed(
        &self,
        id: ReportId,
    ) -> Result<Option<Vec<HistoryEntry>>, StoreError> {
        let row: Option<(i64, i64, String, i64)> = self
            .conn
            .prepare_cached("SELECT seq, created_at, status, updated_at FROM report WHERE id = ?1")?
            .query_row([id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((seq, created_at, status, updated_at)) = row else {
            return Ok(None);
        };
        let at = |ms: i64| Timestamp::from_millis(ms).map_err(unreadable);
        let created = at(created_at)?;
        let mut entries = vec![HistoryEntry {
            at: created,
            event: HistoryEvent::Created,
        }];
        let photos: i64 = self.conn.query_row(
            "SELECT count(*) FROM photo WHERE report_seq = ?1",
            params![seq],
            |r| r.get(0),
        )?;
        // Photos travel inside the report as it was made, so they were added when it was.
        entries.extend((0..photos).map(|_| HistoryEntry {
            at: created,
            event: HistoryEvent::PhotoAdded,
        }));
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, state, made_at, last_attempt_at, reject_code, reject_message
             FROM outbox WHERE report_id = ?1 ORDER BY seq",
        )?;
        let ops = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for op in ops {
            let (kind, state, made_at, attempt_at, code, message) = op?;
            if kind != "report.create" {
                entries.push(HistoryEntry {
                    at: at(made_at)?,
                    event: HistoryEvent::Edited,
                });
            }
            let answered_at = at(attempt_at.unwrap_or(made_at))?;
            match state.as_str() {
                "accepted" if kind == "report.create" => entries.push(HistoryEntry {
                    at: answered_at,
                    event: HistoryEvent::Sent,
                }),
                "rejected" => entries.push(HistoryEntry {
                    at: answered_at,
                    event: HistoryEvent::Rejected(Rejection {
                        code: code.unwrap_or_default(),
                        message: message.unwrap_or_default(),
                    }),
                }),
                _ => {}
            }
        }
        let status = ReportStatus::from_code(&status)
            .ok_or_else(|| unreadable(format!("status {status:?}")))?;
        if status != ReportStatus::Baru {
            entries.push(HistoryEntry {
                at: at(updated_at)?,
                event: HistoryEvent::Status(status),
            });
        }
        // Stable: what happened at the same moment keeps the order above.
        entries.sort_by_key(|e| e.at);
        Ok(Some(entries))
    }
}
