//! The public safety layer as it travels: GeoJSON that the server writes from
//! [`PublicCell`]s and [`PublicArea`]s and that devices read back. Writer and reader live
//! together so the two sides cannot drift.
//!
//! A cell is a `Feature` whose polygon is the H3 cell's boundary and whose properties are:
//!
//! | property | when | meaning |
//! |---|---|---|
//! | `h3` | always | the H3 cell index |
//! | `day_part` | always | `siang` or `malam` |
//! | `audits`, `score`, `parameters`, `newest`, `oldest` | ≥ [`MIN_AUDITS`](crate::safety::MIN_AUDITS) audits | count, weighted mean score 0–100, weighted mean of each parameter 0–3, dates (WIB) of the newest and oldest audit |
//! | `rawan` | ≥ [`MIN_FLAGS`](crate::safety::MIN_FLAGS) flags | number of unsafe-place flags |
//!
//! An area (an RW or a kelurahan) is the same with `area` (its code) in place of `h3` and no
//! geometry (`null`): join it to the boundaries by code. Devices read only the cells; the areas
//! are for anyone else. The collection may carry
//! `rasa_aman_explained`, the [`Fit`] of every stored audit.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use h3o::CellIndex;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::audit::{DayPart, Parameter};
use crate::location::Coordinate;
use crate::safety::{Fit, PublicArea, PublicCell, Summary};

/// Why a layer could not be read.
#[derive(Debug, thiserror::Error)]
#[error("safety layer: {0}")]
pub struct LayerError(String);

/// One cell of the layer as a device reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerCell {
    pub h3: CellIndex,
    pub day_part: DayPart,
    pub audits: Option<LayerAudits>,
    pub rawan: Option<u32>,
}

impl LayerCell {
    /// The cell's corners, from its index (the polygon sent beside it is for other readers).
    pub fn ring(&self) -> Vec<Coordinate> {
        self.h3
            .boundary()
            .iter()
            .map(|p| Coordinate::new(p.lat(), p.lng()).expect("an H3 vertex is a coordinate"))
            .collect()
    }
}

/// What the layer says of a group's audits (rounded as sent).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerAudits {
    pub n: u32,
    pub score: f64,
    /// Mean rating 0–3 of each parameter, in [`Parameter::ALL`] order.
    pub parameters: [f64; 9],
    pub newest: NaiveDate,
    pub oldest: NaiveDate,
}

/// The cells as a GeoJSON FeatureCollection, with the fit when there is one.
pub fn cells_to_geojson(cells: &[PublicCell], fit: Option<Fit>) -> String {
    let features: Vec<Value> = cells
        .iter()
        .map(|c| {
            let mut props = Map::new();
            props.insert("h3".into(), json!(c.h3.to_string()));
            props.insert("day_part".into(), json!(c.day_part.code()));
            write_summary(&mut props, c.audits.as_ref(), c.flags);
            let mut ring: Vec<Value> =
                c.h3.boundary()
                    .iter()
                    .map(|p| json!([round(p.lng(), 5), round(p.lat(), 5)]))
                    .collect();
            if let Some(first) = ring.first().cloned() {
                ring.push(first);
            }
            json!({
                "type": "Feature",
                "properties": props,
                "geometry": { "type": "Polygon", "coordinates": [ring] },
            })
        })
        .collect();
    collection(features, fit)
}

/// The areas as a GeoJSON FeatureCollection without geometry.
pub fn areas_to_geojson(areas: &[PublicArea]) -> String {
    let features: Vec<Value> = areas
        .iter()
        .map(|a| {
            let mut props = Map::new();
            props.insert("area".into(), json!(a.area.to_string()));
            props.insert("day_part".into(), json!(a.day_part.code()));
            write_summary(&mut props, a.audits.as_ref(), a.flags);
            json!({ "type": "Feature", "properties": props, "geometry": null })
        })
        .collect();
    collection(features, None)
}

fn collection(features: Vec<Value>, fit: Option<Fit>) -> String {
    let mut fc = Map::new();
    fc.insert("type".into(), json!("FeatureCollection"));
    if let Some(fit) = fit {
        fc.insert(
            "rasa_aman_explained".into(),
            json!({
                "n": fit.n,
                "correlation": round(fit.correlation, 3),
                "r_squared": round(fit.r_squared, 3),
            }),
        );
    }
    fc.insert("features".into(), Value::Array(features));
    Value::Object(fc).to_string()
}

fn write_summary(props: &mut Map<String, Value>, audits: Option<&Summary>, flags: Option<u32>) {
    if let Some(a) = audits {
        let parameters: Map<String, Value> = Parameter::ALL
            .iter()
            .map(|p| (p.code().to_owned(), json!(round(a.mean(*p), 2))))
            .collect();
        props.insert("audits".into(), json!(a.n));
        props.insert("score".into(), json!(round(a.score, 1)));
        props.insert("parameters".into(), Value::Object(parameters));
        props.insert(
            "newest".into(),
            json!(a.newest.in_wib().date_naive().to_string()),
        );
        props.insert(
            "oldest".into(),
            json!(a.oldest.in_wib().date_naive().to_string()),
        );
    }
    if let Some(n) = flags {
        props.insert("rawan".into(), json!(n));
    }
}

fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

#[derive(Deserialize)]
struct RawCollection {
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawFeature {
    properties: RawProperties,
}

#[derive(Deserialize)]
struct RawProperties {
    h3: Option<String>,
    day_part: DayPart,
    audits: Option<u32>,
    score: Option<f64>,
    parameters: Option<BTreeMap<String, f64>>,
    newest: Option<NaiveDate>,
    oldest: Option<NaiveDate>,
    rawan: Option<u32>,
}

impl RawProperties {
    fn audits(&self) -> Result<Option<LayerAudits>, LayerError> {
        let Some(n) = self.audits else {
            return Ok(None);
        };
        let missing = |what: &str| LayerError(format!("a cell with audits has no {what}"));
        let score = self.score.ok_or_else(|| missing("score"))?;
        if !(0.0..=100.0).contains(&score) {
            return Err(LayerError(format!("score {score} is outside 0–100")));
        }
        let given = self
            .parameters
            .as_ref()
            .ok_or_else(|| missing("parameters"))?;
        let mut parameters = [0.0; 9];
        for p in Parameter::ALL {
            let v = *given
                .get(p.code())
                .ok_or_else(|| missing(&format!("parameter {}", p.code())))?;
            if !(0.0..=3.0).contains(&v) {
                return Err(LayerError(format!("{} {v} is outside 0–3", p.code())));
            }
            parameters[p.index()] = v;
        }
        Ok(Some(LayerAudits {
            n,
            score,
            parameters,
            newest: self.newest.ok_or_else(|| missing("newest date"))?,
            oldest: self.oldest.ok_or_else(|| missing("oldest date"))?,
        }))
    }
}

/// Reads a cell layer ([`cells_to_geojson`]); every cell must name a valid H3 index.
pub fn cells_from_geojson(body: &str) -> Result<Vec<LayerCell>, LayerError> {
    let raw: RawCollection = serde_json::from_str(body).map_err(|e| LayerError(e.to_string()))?;
    raw.features
        .into_iter()
        .map(|f| {
            let p = f.properties;
            let h3 =
                p.h3.as_deref()
                    .ok_or_else(|| LayerError("a cell has no h3 index".into()))?
                    .parse::<CellIndex>()
                    .map_err(|e| LayerError(e.to_string()))?;
            Ok(LayerCell {
                h3,
                day_part: p.day_part,
                audits: p.audits()?,
                rawan: p.rawan,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Audit, AuditRatings};
    use crate::id::ReportId;
    use crate::safety::{self, NEIGHBOURHOOD_RES, RawanFlag};
    use crate::time::Timestamp;

    fn audit(lat: f64, lon: f64, at_ms: i64, rating: u8) -> Audit {
        Audit {
            id: ReportId::new(),
            at: Coordinate::new(lat, lon).unwrap(),
            made_at: Timestamp::from_millis(at_ms).unwrap(),
            ratings: AuditRatings::from_values([rating; 9]).unwrap(),
        }
    }

    #[test]
    fn a_device_reads_back_what_the_server_writes() {
        // 2025-11-20 20:00 WIB: night.
        let night = 1_763_643_600_000;
        let audits: Vec<Audit> = (0..4)
            .map(|i| audit(-6.2, 106.8 + f64::from(i) * 1e-5, night + i64::from(i), 2))
            .collect();
        let flags: Vec<RawanFlag> = (0..5)
            .map(|_| RawanFlag {
                at: Coordinate::new(-6.2, 106.8).unwrap(),
                made_at: Timestamp::from_millis(night).unwrap(),
            })
            .collect();
        let as_of = Timestamp::from_millis(night + 1000).unwrap();
        let cells = safety::public_layer(&audits, &flags, NEIGHBOURHOOD_RES, as_of);
        assert_eq!(cells.len(), 1);
        let read = cells_from_geojson(&cells_to_geojson(&cells, None)).unwrap();
        assert_eq!(read.len(), 1);
        let c = &read[0];
        assert_eq!(c.h3, cells[0].h3);
        assert_eq!(c.day_part, DayPart::Malam);
        assert_eq!(c.rawan, Some(5));
        let a = c.audits.as_ref().unwrap();
        assert_eq!(a.n, 4);
        assert_eq!(a.parameters, [2.0; 9]);
        assert!((a.score - safety::score(&audits[0].ratings)).abs() < 0.05);
        assert_eq!(a.newest.to_string(), "2025-11-20");
        assert_eq!(c.ring().len(), 6);
    }

    #[test]
    fn refuses_what_is_not_a_layer() {
        for bad in [
            "",
            "{}",
            r#"{"features":[{"properties":{"day_part":"siang"}}]}"#,
            r#"{"features":[{"properties":{"h3":"zz","day_part":"siang"}}]}"#,
            r#"{"features":[{"properties":{"h3":"88618c4e6dfffff","day_part":"pagi"}}]}"#,
            r#"{"features":[{"properties":{"h3":"88618c4e6dfffff","day_part":"siang","audits":3,"score":101}}]}"#,
        ] {
            assert!(cells_from_geojson(bad).is_err(), "{bad}");
        }
    }
}
