//! What every device needs and anyone may read: the kelurahan boundaries (to file reports and
//! draw the map offline) and the city's deadlines (to count working days the way the server's
//! admins set them). Both change rarely, so each answer is cacheable and carries an ETag; a
//! device that has the current version gets a 304 and no body.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};

use ronda_core::KelurahanCode;

use crate::areas::Area;
use crate::error::{ApiError, ErrorBody};
use crate::http::{AppState, CallerLang};
use crate::storage::Storage;

/// How long a device or a cache may keep boundaries without asking again.
const AREAS_MAX_AGE_SECS: u32 = 24 * 60 * 60;
/// Holidays are added during the year: devices ask again after an hour.
const DEADLINES_MAX_AGE_SECS: u32 = 60 * 60;

/// The boundary of one kelurahan (`31.71.01.1001`) as a GeoJSON Feature whose properties name it
/// and the kecamatan and kota it lies in.
#[utoipa::path(get, path = "/v1/areas/{kelurahan}",
    params(("kelurahan" = String, Path, description = "Kemendagri code, e.g. 31.71.01.1001")),
    responses((status = 200, content_type = "application/geo+json", body = Object),
        (status = 304, description = "If-None-Match named the current version"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn kelurahan_outline<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let code: KelurahanCode = code.parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "AREA_CODE_INVALID",
            lang,
            "kode kelurahan tidak sah (contoh: 31.71.01.1001)",
            "not a kelurahan code (for example 31.71.01.1001)",
        )
    })?;
    let area = app
        .storage
        .read(move |tx| tx.area(code))
        .await
        .map_err(|e| ApiError::storage(e, lang))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "AREA_NOT_FOUND",
                lang,
                "kelurahan ini tidak ada di server",
                "this server has no such kelurahan",
            )
        })?;
    Ok(cacheable(
        feature(&area),
        "application/geo+json",
        AREAS_MAX_AGE_SECS,
        &headers,
    ))
}

/// Every kelurahan boundary the server holds, as one GeoJSON FeatureCollection (the same
/// Features as `/v1/areas/{kelurahan}`), ordered by code. Sent compressed, it is what a device
/// downloads once to file its reports offline.
#[utoipa::path(get, path = "/v1/areas",
    responses((status = 200, content_type = "application/geo+json", body = Object),
        (status = 304, description = "If-None-Match named the current version")))]
pub async fn all_areas<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut areas = app
        .storage
        .read(|tx| tx.areas())
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    areas.sort_by_key(|a| a.code);
    let mut body = String::from(r#"{"type":"FeatureCollection","features":["#);
    for (i, area) in areas.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&feature(area));
    }
    body.push_str("]}");
    Ok(cacheable(
        body,
        "application/geo+json",
        AREAS_MAX_AGE_SECS,
        &headers,
    ))
}

/// The deadlines devices count with: working-day limits per step and the holidays, as the
/// server's settings (`[lifecycle.deadlines]`) give them.
#[utoipa::path(get, path = "/v1/deadlines",
    responses((status = 200, content_type = "application/json", body = Object),
        (status = 304, description = "If-None-Match named the current version")))]
pub async fn deadlines<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    headers: HeaderMap,
) -> Response {
    let body = serde_json::to_string(&app.lifecycle.deadlines).expect("deadlines serialize");
    cacheable(body, "application/json", DEADLINES_MAX_AGE_SECS, &headers)
}

/// `body` with its ETag and caching headers, or a bare 304 when the caller has this version.
fn cacheable(
    body: String,
    content_type: &'static str,
    max_age: u32,
    headers: &HeaderMap,
) -> Response {
    let etag = format!("\"{}\"", hex(&Sha256::digest(body.as_bytes())[..12]));
    let etag = HeaderValue::from_str(&etag).expect("hex in quotes is a valid header value");
    let cache =
        HeaderValue::from_str(&format!("public, max-age={max_age}")).expect("a valid header value");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|seen| seen.as_bytes() == etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response()
    };
    response.headers_mut().insert(header::ETAG, etag);
    response.headers_mut().insert(header::CACHE_CONTROL, cache);
    response
}

fn feature(area: &Area) -> String {
    // The geometry was checked when it was imported; it goes out as it was stored.
    let geometry: serde_json::Value =
        serde_json::from_str(&area.geometry).unwrap_or(serde_json::Value::Null);
    json!({
        "type": "Feature",
        "properties": {
            "code": area.code.to_string(),
            "name": area.name,
            "kecamatan": area.kecamatan.to_string(),
            "kecamatan_name": area.kecamatan_name,
            "kota": area.kota.to_string(),
            "kota_name": area.kota_name,
        },
        "geometry": geometry,
    })
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
