//! The server's public reference data as this device last fetched it: the kelurahan boundaries,
//! with which a report is filed on the device before it is ever sent; the deadlines Kabar
//! counts with; and the public safety layer the map shows. Without them the device files a
//! report under its maker's own area, counts with the city's default deadlines, and shows no
//! safety cells.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};

use ronda_core::filing;
use ronda_core::safety_layer::{self, LayerCell};
use ronda_core::sla::Deadlines;
use ronda_core::{KelurahanIndex, NewReport};

use super::{Store, StoreError};

/// One kind of reference data, named as the server names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// Every kelurahan boundary, a GeoJSON FeatureCollection (`/v1/areas`).
    Areas,
    /// Working-day limits and holidays (`/v1/deadlines`).
    Deadlines,
    /// The public safety layer, neighbourhood cells (`/v1/safety`).
    Safety,
}

impl Reference {
    pub const ALL: [Reference; 3] = [Reference::Areas, Reference::Deadlines, Reference::Safety];

    /// The key in the store and the path under the server's `/v1/`.
    pub fn name(self) -> &'static str {
        match self {
            Reference::Areas => "areas",
            Reference::Deadlines => "deadlines",
            Reference::Safety => "safety",
        }
    }

    /// How long a copy is taken as current before the server is asked again. Boundaries and
    /// deadlines change rarely; the safety layer as audits arrive (the server keeps it for five
    /// minutes too).
    pub fn fresh_for_ms(self) -> i64 {
        match self {
            Reference::Areas | Reference::Deadlines => 60 * 60 * 1000,
            Reference::Safety => 5 * 60 * 1000,
        }
    }
}

/// The public safety layer as the device holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyLayer {
    pub cells: Vec<LayerCell>,
    /// Device clock, ms since 1970: when it was last fetched or found current.
    pub fetched_at: i64,
}

/// A copy the device holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub etag: Option<String>,
    /// Device clock, ms since 1970.
    pub fetched_at: i64,
}

impl Store {
    /// What the device holds of `which`: its version tag, to ask the server only for something
    /// newer, and when it was last fetched or found current.
    pub fn reference_held(&self, which: Reference) -> Result<Option<Held>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag, fetched_at FROM reference WHERE name = ?1",
                [which.name()],
                |r| {
                    Ok(Held {
                        etag: r.get(0)?,
                        fetched_at: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that the server still has the version the device holds.
    pub fn reference_current(&self, which: Reference) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE reference SET fetched_at = ?2 WHERE name = ?1",
            params![which.name(), self.device_now_ms()],
        )?;
        Ok(())
    }

    /// Keeps a fresh copy. A body that does not read as what it should be is refused and the
    /// copy held before stays.
    pub fn save_reference(
        &mut self,
        which: Reference,
        etag: Option<&str>,
        body: &str,
    ) -> Result<(), StoreError> {
        match which {
            Reference::Areas => {
                parse_areas(body)?;
            }
            Reference::Deadlines => {
                parse_deadlines(body)?;
            }
            Reference::Safety => {
                parse_safety(body)?;
            }
        }
        self.conn.execute(
            "INSERT INTO reference (name, etag, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET
                 etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at",
            params![which.name(), etag, body, self.device_now_ms()],
        )?;
        if which == Reference::Areas {
            self.places = Default::default();
        }
        Ok(())
    }

    /// The deadlines from the server, or the city's defaults before any fetch.
    pub fn deadlines(&self) -> Result<Deadlines, StoreError> {
        match self.reference_body(Reference::Deadlines)? {
            Some(body) => parse_deadlines(&body),
            None => Ok(Deadlines::default()),
        }
    }

    /// The public safety layer as last fetched; `None` before the first fetch.
    pub fn safety_layer(&self) -> Result<Option<SafetyLayer>, StoreError> {
        let (Some(body), Some(held)) = (
            self.reference_body(Reference::Safety)?,
            self.reference_held(Reference::Safety)?,
        ) else {
            return Ok(None);
        };
        Ok(Some(SafetyLayer {
            cells: parse_safety(&body)?,
            fetched_at: held.fetched_at,
        }))
    }

    /// The index over the boundaries the device holds, built on first use; `None` before any
    /// were fetched.
    pub fn places(&self) -> Result<Option<Arc<KelurahanIndex>>, StoreError> {
        if let Some(index) = self.places.get() {
            return Ok(index.clone());
        }
        let index = match self.reference_body(Reference::Areas)? {
            Some(body) => Some(Arc::new(parse_areas(&body)?)),
            None => None,
        };
        Ok(self.places.get_or_init(|| index).clone())
    }

    /// `report` with the area it is filed under: the kelurahan its point lies in, keeping the
    /// claimed RT/RW when it lies there (see [`ronda_core::filing`]). Unchanged without
    /// boundaries. The server files it again and flags what is doubtful.
    pub fn file(&self, report: NewReport) -> Result<NewReport, StoreError> {
        let Some(places) = self.places()? else {
            return Ok(report);
        };
        let filed = filing::file(&places, report.location(), report.area());
        Ok(report.in_area(Some(filed.area)))
    }

    fn reference_body(&self, which: Reference) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT body FROM reference WHERE name = ?1",
                [which.name()],
                |r| r.get(0),
            )
            .optional()?)
    }
}

fn parse_safety(body: &str) -> Result<Vec<LayerCell>, StoreError> {
    safety_layer::cells_from_geojson(body).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn parse_areas(body: &str) -> Result<KelurahanIndex, StoreError> {
    let invalid = |e: String| StoreError::Invalid(format!("kelurahan boundaries: {e}"));
    let geojson = serde_json::from_str(body).map_err(|e| invalid(e.to_string()))?;
    KelurahanIndex::from_feature_collection(&geojson).map_err(|e| invalid(e.to_string()))
}

fn parse_deadlines(body: &str) -> Result<Deadlines, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Invalid(format!("deadlines: {e}")))
}
