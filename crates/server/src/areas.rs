//! Kelurahan boundaries from GeoJSON (the format of the official file: MultiPolygon features in
//! WGS84 longitude/latitude with `kode`, `nama`, `kecamatan_kode`, `kecamatan`, `kota_kode`,
//! `kota` properties), checked whole before anything is stored.

use serde_json::Value;

use ronda_core::{KecamatanCode, KelurahanCode, KotaCode};

/// One kelurahan with its names and boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: KelurahanCode,
    pub name: String,
    pub kecamatan: KecamatanCode,
    pub kecamatan_name: String,
    pub kota: KotaCode,
    pub kota_name: String,
    /// The GeoJSON geometry, as read (Polygon or MultiPolygon), checked.
    pub geometry: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AreaFileError {
    #[error("not GeoJSON: {0}")]
    NotJson(String),
    #[error("expected a FeatureCollection")]
    NotFeatureCollection,
    #[error("feature {index}: {reason}")]
    BadFeature { index: usize, reason: String },
    #[error("kelurahan {0} appears twice")]
    Duplicate(String),
}

impl AreaFileError {
    pub fn code(&self) -> &'static str {
        "AREA_FILE_INVALID"
    }
}

fn text<'a>(props: &'a Value, key: &str) -> Result<&'a str, String> {
    props
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| format!("property {key:?} is missing"))
}

fn check_ring(ring: &Value) -> Result<(), String> {
    let points = ring.as_array().ok_or("a ring is not an array")?;
    if points.len() < 4 {
        return Err("a ring has fewer than 4 positions".into());
    }
    for p in points {
        let pair = p
            .as_array()
            .filter(|a| a.len() >= 2)
            .ok_or("a position is not [lon, lat]")?;
        let (lon, lat) = (
            pair[0].as_f64().ok_or("longitude is not a number")?,
            pair[1].as_f64().ok_or("latitude is not a number")?,
        );
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!("position [{lon}, {lat}] is out of range"));
        }
    }
    if points.first() != points.last() {
        return Err("a ring is not closed".into());
    }
    Ok(())
}

fn check_geometry(g: &Value) -> Result<(), String> {
    let polygons: Vec<&Value> = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![g.get("coordinates").ok_or("no coordinates")?],
        Some("MultiPolygon") => g
            .get("coordinates")
            .and_then(Value::as_array)
            .ok_or("no coordinates")?
            .iter()
            .collect(),
        other => {
            return Err(format!(
                "geometry type {other:?} is not Polygon or MultiPolygon"
            ));
        }
    };
    if polygons.is_empty() {
        return Err("no polygons".into());
    }
    for polygon in polygons {
        let rings = polygon
            .as_array()
            .filter(|r| !r.is_empty())
            .ok_or("a polygon has no rings")?;
        rings.iter().try_for_each(check_ring)?;
    }
    Ok(())
}

fn feature(index: usize, f: &Value) -> Result<Area, AreaFileError> {
    let bad = |reason: String| AreaFileError::BadFeature { index, reason };
    let props = f
        .get("properties")
        .ok_or_else(|| bad("no properties".into()))?;
    let geometry = f.get("geometry").ok_or_else(|| bad("no geometry".into()))?;
    check_geometry(geometry).map_err(bad)?;
    let code: KelurahanCode = text(props, "kode")
        .map_err(bad)?
        .parse()
        .map_err(|e: ronda_core::area::AreaError| bad(e.to_string()))?;
    let kecamatan: KecamatanCode = text(props, "kecamatan_kode")
        .map_err(bad)?
        .parse()
        .map_err(|e: ronda_core::area::AreaError| bad(e.to_string()))?;
    let kota: KotaCode = text(props, "kota_kode")
        .map_err(bad)?
        .parse()
        .map_err(|e: ronda_core::area::AreaError| bad(e.to_string()))?;
    if code.kecamatan() != kecamatan || kecamatan.kota() != kota {
        return Err(bad(format!(
            "codes disagree: {code} is not in {kecamatan} / {kota}"
        )));
    }
    Ok(Area {
        code,
        name: text(props, "nama").map_err(bad)?.trim().to_owned(),
        kecamatan,
        kecamatan_name: text(props, "kecamatan").map_err(bad)?.trim().to_owned(),
        kota,
        kota_name: text(props, "kota").map_err(bad)?.trim().to_owned(),
        geometry: geometry.to_string(),
    })
}

/// Every kelurahan in a GeoJSON FeatureCollection, or the first reason it cannot be used.
pub fn parse(geojson: &str) -> Result<Vec<Area>, AreaFileError> {
    let v: Value =
        serde_json::from_str(geojson).map_err(|e| AreaFileError::NotJson(e.to_string()))?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(AreaFileError::NotFeatureCollection);
    }
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or(AreaFileError::NotFeatureCollection)?;
    let areas = features
        .iter()
        .enumerate()
        .map(|(i, f)| feature(i, f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = std::collections::HashSet::new();
    for a in &areas {
        if !seen.insert(a.code) {
            return Err(AreaFileError::Duplicate(a.code.to_string()));
        }
    }
    Ok(areas)
}

/// A small set for demos without the real file: three kelurahan of Kecamatan Gambir, each as the
/// rectangle around its real boundary (not the boundary itself).
pub fn builtin() -> Vec<Area> {
    let rect = |w: f64, s: f64, e: f64, n: f64| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#
        )
    };
    let gambir: KecamatanCode = "31.71.01".parse().expect("valid");
    [
        (
            "31.71.01.1001",
            "Gambir",
            rect(106.8167, -6.1833, 106.8369, -6.1672),
        ),
        (
            "31.71.01.1002",
            "Cideng",
            rect(106.8003, -6.1850, 106.8145, -6.1657),
        ),
        (
            "31.71.01.1004",
            "Petojo Selatan",
            rect(106.8109, -6.1819, 106.8217, -6.1674),
        ),
    ]
    .into_iter()
    .map(|(code, name, geometry)| Area {
        code: code.parse().expect("valid"),
        name: name.into(),
        kecamatan: gambir,
        kecamatan_name: "Gambir".into(),
        kota: gambir.kota(),
        kota_name: "Kota Administrasi Jakarta Pusat".into(),
        geometry,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    const GOOD: &str = r#"{"type":"Feature","properties":{"kode":"31.71.01.1001","nama":"Gambir","kecamatan_kode":"31.71.01","kecamatan":"Gambir","kota_kode":"31.71","kota":"Jakarta Pusat"},
        "geometry":{"type":"MultiPolygon","coordinates":[[[[106.8,-6.2],[106.9,-6.2],[106.9,-6.1],[106.8,-6.2]]]]}}"#;

    #[test]
    fn reads_good_features_and_refuses_bad_ones() {
        let areas = parse(&collection(GOOD)).unwrap();
        assert_eq!(areas[0].code.to_string(), "31.71.01.1001");
        assert_eq!(
            parse(&collection(&format!("{GOOD},{GOOD}"))).unwrap_err(),
            AreaFileError::Duplicate("31.71.01.1001".into())
        );
        for (bad, why) in [
            (GOOD.replace("31.71.01.1001", "31.71.1"), "bad code"),
            (
                GOOD.replace(
                    "\"kecamatan_kode\":\"31.71.01\"",
                    "\"kecamatan_kode\":\"31.72.01\"",
                ),
                "codes disagree",
            ),
            (GOOD.replace("MultiPolygon", "Point"), "not a polygon"),
            (
                GOOD.replace("[106.8,-6.2]]]]", "[106.8,-6.25]]]]"),
                "ring not closed",
            ),
            (GOOD.replace("106.9,-6.1", "206.9,-6.1"), "out of range"),
            (GOOD.replace("\"nama\":\"Gambir\",", ""), "no name"),
        ] {
            assert!(
                matches!(
                    parse(&collection(&bad)),
                    Err(AreaFileError::BadFeature { index: 0, .. })
                ),
                "{why}"
            );
        }
        assert_eq!(
            parse("[]").unwrap_err(),
            AreaFileError::NotFeatureCollection
        );
        assert!(matches!(parse("{"), Err(AreaFileError::NotJson(_))));
        assert_eq!(builtin().len(), 3);
    }
}
