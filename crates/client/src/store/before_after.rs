//! The before/after pair of a fixed report: the photo it was reported with beside the photo the
//! agency closed it with. Whoever did not take a photo gets its thumbnail from the server with
//! the next sync ([`Store::missing_thumbnails`]).

use serde::Serialize;

use ronda_core::lifecycle::Action;
use ronda_core::sync::ServerReport;
use ronda_core::{PhotoRef, ReportId, ReportStatus, Sha256Hex};

use super::reports::unreadable;
use super::{Store, StoreError};

/// A fixed report's photos, the latest fix's on the right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeforeAfter {
    /// The report's first photo; `None` when it was made without one.
    pub before: Option<PhotoRef>,
    pub after: PhotoRef,
}

/// The statuses a report can have once it was closed with a photo.
const AFTER_A_FIX: [ReportStatus; 3] = [
    ReportStatus::Selesai,
    ReportStatus::Dikonfirmasi,
    ReportStatus::DibukaKembali,
];

impl Store {
    /// The pair, once the report was closed with a photo; `None` before.
    pub fn before_after(&self, id: ReportId) -> Result<Option<BeforeAfter>, StoreError> {
        let state = self.lifecycle(id)?.ok_or(StoreError::NotFound(id))?;
        Ok(pair(&state))
    }

    /// Thumbnails the before/after pairs of the reports here name but this device does not
    /// hold, at most `max`: what the sync engine fetches.
    pub fn missing_thumbnails(&self, max: usize) -> Result<Vec<Sha256Hex>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT server_state FROM report
             WHERE server_state IS NOT NULL AND status IN (?1, ?2, ?3)",
        )?;
        let rows = stmt.query_map(AFTER_A_FIX.map(|s| s.code()), |r| r.get::<_, String>(0))?;
        let mut missing = Vec::new();
        for row in rows {
            let state: ServerReport = serde_json::from_str(&row?).map_err(unreadable)?;
            let Some(p) = pair(&state) else { continue };
            for photo in p.before.iter().chain([&p.after]) {
                let thumb = &photo.thumb_sha256;
                if !self.blobs().path_of(thumb).exists() && !missing.contains(thumb) {
                    missing.push(thumb.clone());
                }
            }
            if missing.len() >= max {
                missing.truncate(max);
                break;
            }
        }
        Ok(missing)
    }
}

fn pair(state: &ServerReport) -> Option<BeforeAfter> {
    let after = state.history.iter().rev().find_map(|h| match &h.action {
        Action::Resolve { photo } => Some(photo.clone()),
        _ => None,
    })?;
    Some(BeforeAfter {
        before: state.report.photos().first().cloned(),
        after,
    })
}
