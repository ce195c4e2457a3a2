//! The kelurahan index the server files reports with: built from the stored boundaries on first
//! use and again whenever their number changes (a boundary replaced in place takes effect at the
//! next start).

use std::sync::{Arc, Mutex};

use ronda_core::KelurahanIndex;
use ronda_core::place::multi_polygon_from_geojson;

use crate::storage::{Area, Result, Storage};

#[derive(Default)]
pub struct Places {
    /// The number of boundaries the index was built from, and the index (none without any).
    cached: Mutex<Option<(u64, Option<Arc<KelurahanIndex>>)>>,
}

impl std::fmt::Debug for Places {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Places").finish_non_exhaustive()
    }
}

impl Places {
    /// The index over the boundaries in `storage` now; `None` when none are stored.
    pub async fn current<S: Storage>(&self, storage: &S) -> Result<Option<Arc<KelurahanIndex>>> {
        let count = storage.read(|tx| tx.area_count()).await?;
        if let Some((n, index)) = &*self.cached.lock().expect("never poisoned")
            && *n == count
        {
            return Ok(index.clone());
        }
        let areas = storage.read(|tx| tx.areas()).await?;
        let index = tokio::task::spawn_blocking(move || build(&areas))
            .await
            .ok()
            .flatten()
            .map(Arc::new);
        *self.cached.lock().expect("never poisoned") = Some((count, index.clone()));
        Ok(index)
    }
}

/// Boundaries were checked when imported; one that no longer reads is left out, loudly.
fn build(areas: &[Area]) -> Option<KelurahanIndex> {
    let shapes = areas.iter().filter_map(|a| {
        let parsed = serde_json::from_str(&a.geometry)
            .map_err(|e| e.to_string())
            .and_then(|g| multi_polygon_from_geojson(&g).map_err(|e| e.to_string()));
        match parsed {
            Ok(shape) => Some((a.code, shape)),
            Err(e) => {
                tracing::error!(kelurahan = %a.code, error = %e, "stored boundary unreadable");
                None
            }
        }
    });
    match KelurahanIndex::new(shapes) {
        Ok(index) => Some(index),
        Err(e) => {
            if !areas.is_empty() {
                tracing::error!(error = %e, "kelurahan index not built: reports are filed as claimed");
            }
            None
        }
    }
}
