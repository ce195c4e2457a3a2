//! Where something is, and how sure the device was of it.

use std::fmt;

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};
use crate::time::Timestamp;

/// Closer than this to (0, 0) in both axes is "null island": a fix that broken GPS code
/// produced, not a place anyone reported from (it is in the Gulf of Guinea).
const NULL_ISLAND_EPSILON_DEG: f64 = 1e-6;

/// Mean Earth radius used by the haversine formula, in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LocationError {
    #[error("latitude and longitude must be finite numbers")]
    NotFinite,
    #[error("latitude {0} is outside -90..=90")]
    LatitudeOutOfRange(f64),
    #[error("longitude {0} is outside -180..=180")]
    LongitudeOutOfRange(f64),
    #[error("(0, 0) is not a real position: the device's GPS gave no fix")]
    NullIsland,
    #[error("accuracy {0} m must be a finite number of metres, zero or more")]
    AccuracyInvalid(f64),
    #[error("radius {0} m must be a finite number of metres, more than zero")]
    RadiusInvalid(f64),
    #[error("bounding box south {south} > north {north} or west {west} > east {east}")]
    BoundingBoxInverted {
        south: f64,
        west: f64,
        north: f64,
        east: f64,
    },
}

impl Coded for LocationError {
    fn code(&self) -> &'static str {
        match self {
            LocationError::NotFinite => "LOCATION_NOT_A_NUMBER",
            LocationError::LatitudeOutOfRange(_) | LocationError::LongitudeOutOfRange(_) => {
                "LOCATION_OUT_OF_RANGE"
            }
            LocationError::NullIsland => "LOCATION_NULL_ISLAND",
            LocationError::AccuracyInvalid(_) => "LOCATION_ACCURACY_INVALID",
            LocationError::RadiusInvalid(_) => "LOCATION_RADIUS_INVALID",
            LocationError::BoundingBoxInverted { .. } => "LOCATION_BBOX_INVERTED",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            LocationError::NotFinite => {
                lang.pick("lintang dan bujur harus berupa angka", "latitude and longitude must be numbers").into()
            }
            LocationError::LatitudeOutOfRange(v) => {
                lang.pick(format!("lintang {v} di luar -90..90"), format!("latitude {v} is outside -90..90"))
            }
            LocationError::LongitudeOutOfRange(v) => {
                lang.pick(format!("bujur {v} di luar -180..180"), format!("longitude {v} is outside -180..180"))
            }
            LocationError::NullIsland => lang
                .pick(
                    "lokasi (0, 0) tidak sah: GPS belum mendapat posisi. Coba lagi atau pilih di peta",
                    "(0, 0) is not a real location: the GPS had no fix. Try again or pick on the map",
                )
                .into(),
            LocationError::AccuracyInvalid(v) => lang.pick(
                format!("akurasi {v} m tidak sah: harus angka 0 atau lebih"),
                format!("accuracy {v} m is invalid: it must be a number, 0 or more"),
            ),
            LocationError::RadiusInvalid(v) => lang.pick(
                format!("radius {v} m tidak sah: harus lebih dari 0"),
                format!("radius {v} m is invalid: it must be more than 0"),
            ),
            LocationError::BoundingBoxInverted { .. } => lang
                .pick(
                    "kotak peta terbalik: selatan harus ≤ utara dan barat ≤ timur",
                    "map box is inverted: south must be ≤ north and west ≤ east",
                )
                .into(),
        }
    }
}

/// A point on Earth in WGS84 degrees that is a plausible fix: in range, finite, not (0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCoordinate", into = "RawCoordinate")]
pub struct Coordinate {
    lat: f64,
    lon: f64,
}

#[derive(Serialize, Deserialize)]
struct RawCoordinate {
    lat: f64,
    lon: f64,
}

impl Coordinate {
    pub fn new(lat: f64, lon: f64) -> Result<Self, LocationError> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(LocationError::NotFinite);
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(LocationError::LatitudeOutOfRange(lat));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(LocationError::LongitudeOutOfRange(lon));
        }
        if lat.abs() < NULL_ISLAND_EPSILON_DEG && lon.abs() < NULL_ISLAND_EPSILON_DEG {
            return Err(LocationError::NullIsland);
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine). Accurate to well under 0.5 % at city scale,
    /// which is far finer than any phone's GPS.
    pub fn distance_m(&self, other: &Coordinate) -> f64 {
        Haversine.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }
}

impl TryFrom<RawCoordinate> for Coordinate {
    type Error = LocationError;
    fn try_from(r: RawCoordinate) -> Result<Self, LocationError> {
        Coordinate::new(r.lat, r.lon)
    }
}

impl From<Coordinate> for RawCoordinate {
    fn from(c: Coordinate) -> Self {
        RawCoordinate {
            lat: c.lat,
            lon: c.lon,
        }
    }
}

impl fmt::Display for Coordinate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}, {:.6}", self.lat, self.lon)
    }
}

/// How far from the true position the device thinks it may be, in metres (the 68 % radius
/// Android and browsers report).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Accuracy(f64);

impl Accuracy {
    pub fn metres(m: f64) -> Result<Self, LocationError> {
        if m.is_finite() && m >= 0.0 {
            Ok(Self(m))
        } else {
            Err(LocationError::AccuracyInvalid(m))
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Accuracy {
    type Error = LocationError;
    fn try_from(m: f64) -> Result<Self, LocationError> {
        Accuracy::metres(m)
    }
}

impl From<Accuracy> for f64 {
    fn from(a: Accuracy) -> f64 {
        a.0
    }
}

/// Where a position came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationSource {
    Gps,
    Network,
    MapPick,
    Sms,
}

impl LocationSource {
    pub const ALL: [LocationSource; 4] = [
        LocationSource::Gps,
        LocationSource::Network,
        LocationSource::MapPick,
        LocationSource::Sms,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LocationSource::Gps => "gps",
            LocationSource::Network => "network",
            LocationSource::MapPick => "map_pick",
            LocationSource::Sms => "sms",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            LocationSource::Gps => "GPS",
            LocationSource::Network => lang.pick("jaringan", "network"),
            LocationSource::MapPick => lang.pick("dipilih di peta", "picked on map"),
            LocationSource::Sms => "SMS",
        }
    }
}

/// A position as a report records it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    #[serde(flatten)]
    pub coord: Coordinate,
    pub accuracy_m: Accuracy,
    pub source: LocationSource,
    pub captured_at: Timestamp,
}

/// A map viewport or search box in degrees. Never crosses the antimeridian (Ronda's world is
/// Jakarta).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoundingBox {
    south: f64,
    west: f64,
    north: f64,
    east: f64,
}

impl BoundingBox {
    pub fn new(south: f64, west: f64, north: f64, east: f64) -> Result<Self, LocationError> {
        for v in [south, west, north, east] {
            if !v.is_finite() {
                return Err(LocationError::NotFinite);
            }
        }
        for lat in [south, north] {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(LocationError::LatitudeOutOfRange(lat));
            }
        }
        for lon in [west, east] {
            if !(-180.0..=180.0).contains(&lon) {
                return Err(LocationError::LongitudeOutOfRange(lon));
            }
        }
        if south > north || west > east {
            return Err(LocationError::BoundingBoxInverted {
                south,
                west,
                north,
                east,
            });
        }
        Ok(Self {
            south,
            west,
            north,
            east,
        })
    }

    /// The smallest box that holds every point within `radius_m` of `centre`.
    pub fn around(centre: Coordinate, radius_m: f64) -> Result<Self, LocationError> {
        if !radius_m.is_finite() || radius_m <= 0.0 {
            return Err(LocationError::RadiusInvalid(radius_m));
        }
        let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
        let south = (centre.lat - dlat).max(-90.0);
        let north = (centre.lat + dlat).min(90.0);
        // Longitude degrees shrink with latitude; use the latitude nearest a pole for a safe box.
        let widest_lat = south.abs().max(north.abs()).to_radians();
        let dlon = if widest_lat.cos() < 1e-9 {
            180.0
        } else {
            ((radius_m / EARTH_RADIUS_M).sin() / widest_lat.cos())
                .clamp(-1.0, 1.0)
                .asin()
                .to_degrees()
                * 1.0001
        };
        let (west, east) = if dlon >= 90.0 || dlat >= 90.0 {
            (-180.0, 180.0)
        } else {
            (
                (centre.lon - dlon).max(-180.0),
                (centre.lon + dlon).min(180.0),
            )
        };
        BoundingBox::new(south, west, north, east)
    }

    pub fn south(&self) -> f64 {
        self.south
    }
    pub fn west(&self) -> f64 {
        self.west
    }
    pub fn north(&self) -> f64 {
        self.north
    }
    pub fn east(&self) -> f64 {
        self.east
    }

    pub fn contains(&self, c: &Coordinate) -> bool {
        (self.south..=self.north).contains(&c.lat) && (self.west..=self.east).contains(&c.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_impossible_positions() {
        let cases: [(f64, f64, &str); 9] = [
            (f64::NAN, 106.8, "LOCATION_NOT_A_NUMBER"),
            (-6.2, f64::INFINITY, "LOCATION_NOT_A_NUMBER"),
            (90.0001, 106.8, "LOCATION_OUT_OF_RANGE"),
            (-91.0, 106.8, "LOCATION_OUT_OF_RANGE"),
            (-6.2, 180.5, "LOCATION_OUT_OF_RANGE"),
            (-6.2, -181.0, "LOCATION_OUT_OF_RANGE"),
            (0.0, 0.0, "LOCATION_NULL_ISLAND"),
            (-0.0, 0.0, "LOCATION_NULL_ISLAND"),
            (1e-9, -1e-9, "LOCATION_NULL_ISLAND"),
        ];
        for (lat, lon, code) in cases {
            assert_eq!(
                Coordinate::new(lat, lon).unwrap_err().code(),
                code,
                "({lat}, {lon})"
            );
        }
        // On the equator or the prime meridian alone is a real place.
        assert!(Coordinate::new(0.0, 106.8).is_ok());
        assert!(Coordinate::new(-6.2, 0.0).is_ok());
        for bad in [-1.0, f64::NAN, f64::INFINITY, -0.0001] {
            assert_eq!(
                Accuracy::metres(bad).unwrap_err().code(),
                "LOCATION_ACCURACY_INVALID"
            );
        }
        assert!(Accuracy::metres(0.0).is_ok());
        assert!(serde_json::from_str::<Coordinate>(r#"{"lat":0,"lon":0}"#).is_err());
        assert_eq!(
            BoundingBox::new(-6.0, 106.0, -6.5, 107.0)
                .unwrap_err()
                .code(),
            "LOCATION_BBOX_INVERTED"
        );
    }

    #[test]
    fn monas_to_bundaran_hi_is_about_two_kilometres() {
        let monas = Coordinate::new(-6.175392, 106.827153).unwrap();
        let bundaran_hi = Coordinate::new(-6.194941, 106.823060).unwrap();
        let d = monas.distance_m(&bundaran_hi);
        assert!((2150.0..2300.0).contains(&d), "{d}");
    }

    fn jakarta() -> impl Strategy<Value = Coordinate> {
        (-6.40..-6.08f64, 106.68..106.98f64)
            .prop_map(|(lat, lon)| Coordinate::new(lat, lon).unwrap())
    }

    proptest! {
        #[test]
        fn valid_coordinates_round_trip(lat in -90.0..=90.0f64, lon in -180.0..=180.0f64) {
            prop_assume!(lat.abs() >= 1e-6 || lon.abs() >= 1e-6);
            let c = Coordinate::new(lat, lon).unwrap();
            let back: Coordinate = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
            prop_assert_eq!(back, c);
        }

        #[test]
        fn out_of_range_is_refused(lat in 90.0001..1e6f64, sign in prop::bool::ANY) {
            let lat = if sign { lat } else { -lat };
            prop_assert!(matches!(Coordinate::new(lat, 106.8), Err(LocationError::LatitudeOutOfRange(_))));
            prop_assert!(matches!(Coordinate::new(-6.2, lat * 2.0), Err(LocationError::LongitudeOutOfRange(_))));
        }

        #[test]
        fn box_around_holds_every_point_within_radius(c in jakarta(), p in jakarta(), r in 1.0..20_000.0f64) {
            let bbox = BoundingBox::around(c, r).unwrap();
            if c.distance_m(&p) <= r {
                prop_assert!(bbox.contains(&p));
            }
        }

        #[test]
        fn accuracy_accepts_every_finite_non_negative(m in 0.0..1e9f64) {
            prop_assert_eq!(Accuracy::metres(m).unwrap().get(), m);
        }
    }
}
