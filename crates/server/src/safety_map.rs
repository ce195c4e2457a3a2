//! `GET /v1/safety`: how safe places feel, for anyone, as GeoJSON H3 cells or areas (RW,
//! kelurahan) — the audits' summaries and the number of unsafe-place flags, each withheld under
//! its minimum (`ronda_core::safety::{public_layer, public_areas}`; the format is
//! `ronda_core::safety_layer`). No point and no person ever leaves here. The layers
//! are built from the stored audits and flags once per change (and at least hourly, as audits
//! age), gzip-compressed once, and served from memory with an ETag.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use std::io::Write;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use ronda_core::safety;
use ronda_core::safety_layer;
use ronda_core::{AreaLevel, ReportKind, Timestamp};

use crate::error::{ApiError, ErrorBody};
use crate::http::{AppState, CallerLang};
use crate::storage::{Result, Storage};

/// Ages change the weights slowly; an unchanged layer is rebuilt after this long anyway.
const REBUILD_AFTER_MS: i64 = 60 * 60 * 1000;
/// A device or a cache may keep a layer this long.
const MAX_AGE_SECS: u32 = 5 * 60;

/// The layers: two map levels of H3 cells and two of administrative areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// H3 resolution 10, about 65 m across: audits only.
    Street,
    /// H3 resolution 8, about 460 m across: audits and flag counts.
    Neighbourhood,
    /// Per RW: audits only.
    Rw,
    /// Per kelurahan: audits and flag counts.
    Kelurahan,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Street,
        Level::Neighbourhood,
        Level::Rw,
        Level::Kelurahan,
    ];

    fn parse(code: Option<&str>) -> Option<Level> {
        Some(match code {
            None | Some("neighbourhood") => Level::Neighbourhood,
            Some("street") => Level::Street,
            Some("rw") => Level::Rw,
            Some("kelurahan") => Level::Kelurahan,
            Some(_) => return None,
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct SafetyQuery {
    level: Option<String>,
}

/// The layers as last built: the version of the data and when, and each level's GeoJSON.
#[derive(Default)]
pub struct SafetyLayers {
    built: Mutex<Option<Built>>,
}

struct Built {
    version: i64,
    at_ms: i64,
    layers: Arc<HashMap<Level, Layer>>,
}

/// One level's GeoJSON, as it is and gzip-compressed, with its version tag.
#[derive(Debug, Clone)]
pub struct Layer {
    pub geojson: String,
    pub gzip: Vec<u8>,
    etag: String,
}

impl Layer {
    fn new(geojson: String) -> Self {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(geojson.as_bytes())
            .and_then(|()| gz.flush())
            .expect("compressing to memory cannot fail");
        let gzip = gz.finish().expect("compressing to memory cannot fail");
        let digest = Sha256::digest(geojson.as_bytes());
        let etag = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Self {
            geojson,
            gzip,
            etag,
        }
    }
}

impl std::fmt::Debug for SafetyLayers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyLayers").finish_non_exhaustive()
    }
}

impl SafetyLayers {
    /// The layers for what `storage` holds now: the kept ones while nothing changed, or while
    /// they are younger than `refresh_ms` (a busy city changes every second; one rebuild a
    /// minute is enough for a map).
    pub async fn current<S: Storage>(
        &self,
        storage: &S,
        refresh_ms: i64,
    ) -> Result<Arc<HashMap<Level, Layer>>> {
        let version = storage.read(|tx| tx.latest_version()).await?;
        let now = Timestamp::now();
        if let Some(b) = &*self.built.lock().expect("never poisoned") {
            let age = now.millis() - b.at_ms;
            if (b.version == version || age < refresh_ms) && age < REBUILD_AFTER_MS {
                return Ok(b.layers.clone());
            }
        }
        let layers = Arc::new(build(storage, now).await?);
        *self.built.lock().expect("never poisoned") = Some(Built {
            version,
            at_ms: now.millis(),
            layers: layers.clone(),
        });
        Ok(layers)
    }
}

/// Every level's layer from the stored audits and flags, as of `now`.
pub async fn build<S: Storage>(storage: &S, now: Timestamp) -> Result<HashMap<Level, Layer>> {
    let reports = storage
        .read(|tx| tx.reports_of_kinds(&[ReportKind::Audit, ReportKind::Rawan]))
        .await?;
    tokio::task::spawn_blocking(move || {
        let (audits, flags) = safety::public_inputs(&reports);
        // How well the eight explain rasa aman, over every audit: published beside the map.
        let ratings: Vec<_> = audits.iter().map(|a| a.ratings).collect();
        let fit = safety::explained(&ratings);
        Level::ALL
            .into_iter()
            .map(|level| {
                let cells = |res| {
                    let cells = safety::public_layer(&audits, &flags, res, now);
                    safety_layer::cells_to_geojson(&cells, fit)
                };
                let areas = |area| {
                    safety_layer::areas_to_geojson(&safety::public_areas(&reports, area, now))
                };
                let geojson = match level {
                    Level::Street => cells(safety::STREET_RES),
                    Level::Neighbourhood => cells(safety::NEIGHBOURHOOD_RES),
                    Level::Rw => areas(AreaLevel::Rw),
                    Level::Kelurahan => areas(AreaLevel::Kelurahan),
                };
                (level, Layer::new(geojson))
            })
            .collect()
    })
    .await
    .map_err(|e| crate::storage::StorageError::Unavailable(e.to_string()))
}

/// The public safety layer: `level=neighbourhood` (default), `street`, `rw` or `kelurahan`.
#[utoipa::path(get, path = "/v1/safety",
    params(("level" = Option<String>, Query, description = "neighbourhood (H3 res 8, with flag counts), street (H3 res 10), rw, or kelurahan (with flag counts); areas come without geometry, to join with /v1/areas by code")),
    responses((status = 200, content_type = "application/geo+json", body = Object),
        (status = 304, description = "If-None-Match named the current version"),
        (status = 400, body = ErrorBody)))]
pub async fn safety_layer<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    Query(q): Query<SafetyQuery>,
    headers: HeaderMap,
) -> std::result::Result<Response, ApiError> {
    let Some(level) = Level::parse(q.level.as_deref()) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "SAFETY_LEVEL_INVALID",
            lang,
            "level harus neighbourhood, street, rw, atau kelurahan",
            "level must be neighbourhood, street, rw or kelurahan",
        ));
    };
    let layers = app
        .safety
        .current(
            &app.storage,
            i64::from(app.limits.safety_layer_refresh_secs) * 1000,
        )
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    Ok(respond(&layers[&level], &headers))
}

/// The layer gzip-compressed when the caller takes gzip (already compressed: the compression
/// layer leaves it alone), else as it is; a bare 304 when the caller has this version.
fn respond(layer: &Layer, headers: &HeaderMap) -> Response {
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip"))
        });
    let etag = if gzip {
        format!("\"{}-gzip\"", layer.etag)
    } else {
        format!("\"{}\"", layer.etag)
    };
    let etag = HeaderValue::from_str(&etag).expect("hex in quotes is a valid header value");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|seen| seen.as_bytes() == etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if gzip {
        (
            [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))],
            layer.gzip.clone(),
        )
            .into_response()
    } else {
        layer.geojson.clone().into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    h.insert(header::ETAG, etag);
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECS}")).expect("a valid value"),
    );
    response
}
