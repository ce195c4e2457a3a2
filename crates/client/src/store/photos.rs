use ronda_core::{Coordinate, PhotoRef, Sha256Hex, Timestamp};

use super::reports::unreadable;
use super::{Store, StoreError};
use crate::photo::ProcessedPhoto;

impl Store {
    /// Writes a processed photo's two files into the blob folder, durably, and returns what a
    /// report records of it. Nothing refers to the files until the report is saved; a crash in
    /// between leaves only unreferenced files.
    pub fn put_photo(&self, photo: &ProcessedPhoto) -> Result<PhotoRef, StoreError> {
        let sha256 = Sha256Hex::parse(&photo.full.sha256).map_err(unreadable)?;
        let thumb_sha256 = Sha256Hex::parse(&photo.thumb.sha256).map_err(unreadable)?;
        self.blobs
            .put(&sha256, &photo.full.bytes)
            .map_err(|e| StoreError::Io(e).at(&self.path))?;
        self.blobs
            .put(&thumb_sha256, &photo.thumb.bytes)
            .map_err(|e| StoreError::Io(e).at(&self.path))?;
        Ok(PhotoRef {
            sha256,
            thumb_sha256,
            width: photo.full.width,
            height: photo.full.height,
            bytes: photo.full.bytes.len() as u64,
            // A camera that wrote (0, 0) or nonsense had no fix; that is not worth failing over.
            exif_position: photo
                .exif
                .gps
                .and_then(|g| Coordinate::new(g.lat, g.lon).ok()),
            taken_at: photo.exif.taken_at.map(Timestamp::from),
        })
    }
}
