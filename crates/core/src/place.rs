//! Which kelurahan a point is in: point-in-polygon over the official boundaries, with R-trees so
//! that a lookup only touches the few polygons and border segments near the point. The same code
//! runs on the device (offline) and on the server.
//!
//! A point is flagged for the lurah to confirm ([`Placement::needs_confirmation`]) when it lies in
//! no kelurahan (at sea, beyond Jakarta, in a gap between boundaries) or when a kelurahan border
//! is within the fix's GPS accuracy, so the true position may be on the other side.
//!
//! Containment is decided on the raw longitude/latitude with geo's exact (robust) predicates.
//! Distances use a local equirectangular projection centred on the query point, scaled by the
//! WGS84 radii of curvature at its latitude. At Jakarta's latitude (≈ 6° S) this differs from the
//! geodesic distance by under 0.01 % up to 5 km (under 1 mm for a 10 m GPS accuracy) and by about
//! 0.1 % at 100 km; the haversine formula, by contrast, is off by up to 0.5 % because it treats
//! the Earth as a sphere. Boundary edges are straight lines in longitude/latitude (as GeoJSON
//! says), and the projection maps them to straight lines, so containment and distance agree on
//! where the border is.

use std::collections::BTreeSet;
use std::fmt;

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};
use serde_json::Value;

use crate::area::{KecamatanCode, KelurahanCode, KotaCode};
use crate::i18n::{Coded, Lang};
use crate::location::{Accuracy, Coordinate};

/// A position as `[longitude, latitude]` in degrees, the order of GeoJSON and of the R-trees.
type LonLat = [f64; 2];
/// The bounding box of one polygon, with its position in [`KelurahanIndex::parts`].
type PolygonBox = GeomWithData<Rectangle<LonLat>, usize>;
/// One edge of a kelurahan boundary ring.
type BorderSegment = GeomWithData<Line<LonLat>, KelurahanCode>;

/// Why a GeoJSON geometry cannot be used as a kelurahan boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    #[error("geometry type {0:?} is not Polygon or MultiPolygon")]
    NotPolygonal(String),
    #[error("coordinates are not nested arrays of [longitude, latitude] numbers")]
    Malformed,
    #[error("position [{lon}, {lat}] is outside longitude -180..180 or latitude -90..90")]
    OutOfRange { lon: f64, lat: f64 },
    #[error("a ring has fewer than 4 positions")]
    RingTooShort,
    #[error("a ring is not closed: its last position differs from its first")]
    RingNotClosed,
    #[error("the geometry has no polygons")]
    NoPolygons,
}

impl Coded for GeometryError {
    fn code(&self) -> &'static str {
        "PLACE_GEOMETRY_INVALID"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            GeometryError::NotPolygonal(kind) => lang.pick(
                format!("jenis geometri {kind:?} bukan Polygon atau MultiPolygon"),
                format!("geometry type {kind:?} is not Polygon or MultiPolygon"),
            ),
            GeometryError::Malformed => lang
                .pick(
                    "koordinat harus berupa larik bersarang berisi [bujur, lintang]",
                    "coordinates must be nested arrays of [longitude, latitude]",
                )
                .into(),
            GeometryError::OutOfRange { lon, lat } => lang.pick(
                format!("posisi [{lon}, {lat}] di luar bujur -180..180 atau lintang -90..90"),
                format!(
                    "position [{lon}, {lat}] is outside longitude -180..180 or latitude -90..90"
                ),
            ),
            GeometryError::RingTooShort => lang
                .pick(
                    "sebuah cincin batas punya kurang dari 4 posisi",
                    "a boundary ring has fewer than 4 positions",
                )
                .into(),
            GeometryError::RingNotClosed => lang
                .pick(
                    "sebuah cincin batas tidak tertutup: posisi terakhir harus sama dengan yang pertama",
                    "a boundary ring is not closed: its last position must equal its first",
                )
                .into(),
            GeometryError::NoPolygons => lang
                .pick("geometri tidak berisi poligon", "the geometry has no polygons")
                .into(),
        }
    }
}

/// Why a [`KelurahanIndex`] cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaceError {
    #[error("expected a GeoJSON FeatureCollection of kelurahan")]
    NotFeatureCollection,
    #[error("feature {index}: property \"kode\" is missing or not a kelurahan code")]
    FeatureWithoutCode { index: usize },
    #[error("kelurahan {kelurahan}: {problem}")]
    Geometry {
        kelurahan: KelurahanCode,
        problem: GeometryError,
    },
    #[error("kelurahan {0} appears twice")]
    DuplicateKelurahan(KelurahanCode),
    #[error("there are no kelurahan to index")]
    NoKelurahan,
}

impl Coded for PlaceError {
    fn code(&self) -> &'static str {
        match self {
            PlaceError::NotFeatureCollection | PlaceError::FeatureWithoutCode { .. } => {
                "PLACE_FILE_INVALID"
            }
            PlaceError::Geometry { problem, .. } => problem.code(),
            PlaceError::DuplicateKelurahan(_) => "PLACE_KELURAHAN_DUPLICATE",
            PlaceError::NoKelurahan => "PLACE_NO_KELURAHAN",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            PlaceError::NotFeatureCollection => lang
                .pick(
                    "berkas batas harus berupa FeatureCollection GeoJSON berisi kelurahan",
                    "the boundary file must be a GeoJSON FeatureCollection of kelurahan",
                )
                .into(),
            PlaceError::FeatureWithoutCode { index } => lang.pick(
                format!("fitur ke-{index}: properti \"kode\" tidak ada atau bukan kode kelurahan"),
                format!("feature {index}: property \"kode\" is missing or not a kelurahan code"),
            ),
            PlaceError::Geometry { kelurahan, problem } => lang.pick(
                format!("batas kelurahan {kelurahan}: {}", problem.message(Lang::Id)),
                format!(
                    "boundary of kelurahan {kelurahan}: {}",
                    problem.message(Lang::En)
                ),
            ),
            PlaceError::DuplicateKelurahan(kelurahan) => lang.pick(
                format!("kelurahan {kelurahan} muncul dua kali"),
                format!("kelurahan {kelurahan} appears twice"),
            ),
            PlaceError::NoKelurahan => lang
                .pick(
                    "tidak ada kelurahan untuk diindeks",
                    "there are no kelurahan to index",
                )
                .into(),
        }
    }
}

/// The kelurahan border nearest to a point, and how far it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearestBorder {
    /// The kelurahan whose boundary it is (the lowest code when several share the edge).
    pub kelurahan: KelurahanCode,
    /// Distance from the point to that boundary, in metres.
    pub distance_m: f64,
}

/// Where a point falls among the kelurahan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// The point is in this kelurahan. `near_border` says a kelurahan border is within the fix's
    /// accuracy (or the point lies exactly on one), so the lurah should confirm.
    Inside {
        kelurahan: KelurahanCode,
        near_border: bool,
    },
    /// The point is in no kelurahan: at sea, beyond Jakarta or in a gap between boundaries. Always
    /// to be confirmed; `nearest` names the kelurahan it is closest to.
    Outside { nearest: NearestBorder },
}

impl Placement {
    /// Whether a lurah must confirm the kelurahan: the point is outside every kelurahan, or a
    /// border is within its accuracy.
    pub fn needs_confirmation(&self) -> bool {
        match self {
            Placement::Inside { near_border, .. } => *near_border,
            Placement::Outside { .. } => true,
        }
    }

    /// The kelurahan the point is in, if any.
    pub fn kelurahan(&self) -> Option<KelurahanCode> {
        match self {
            Placement::Inside { kelurahan, .. } => Some(*kelurahan),
            Placement::Outside { .. } => None,
        }
    }

    /// The kecamatan the point is in, if any.
    pub fn kecamatan(&self) -> Option<KecamatanCode> {
        self.kelurahan().map(|k| k.kecamatan())
    }

    /// The kota or kabupaten the point is in, if any.
    pub fn kota(&self) -> Option<KotaCode> {
        self.kelurahan().map(|k| k.kota())
    }

    /// The kelurahan the point is in or, when it is in none, the nearest one: whose lurah
    /// sees the point first.
    pub fn nearest_kelurahan(&self) -> KelurahanCode {
        match self {
            Placement::Inside { kelurahan, .. } => *kelurahan,
            Placement::Outside { nearest } => nearest.kelurahan,
        }
    }
}

/// One polygon of a kelurahan (a kelurahan with islands has several).
#[derive(Debug, Clone)]
struct Part {
    kelurahan: KelurahanCode,
    polygon: Polygon<f64>,
}

impl Part {
    fn border_segments(&self) -> impl Iterator<Item = BorderSegment> + '_ {
        rings(&self.polygon)
            .flat_map(LineString::lines)
            .map(|edge| {
                let segment = Line::new([edge.start.x, edge.start.y], [edge.end.x, edge.end.y]);
                GeomWithData::new(segment, self.kelurahan)
            })
    }

    fn bounding_box(&self) -> Rectangle<LonLat> {
        let corners: Vec<LonLat> = self
            .polygon
            .exterior()
            .coords()
            .map(|c| [c.x, c.y])
            .collect();
        Rectangle::from_aabb(AABB::from_points(&corners))
    }
}

/// The kelurahan boundaries, indexed for point lookups: an R-tree over the bounding box of every
/// polygon (for containment) and one over every boundary edge (for distances to borders).
pub struct KelurahanIndex {
    kelurahan: Vec<KelurahanCode>,
    parts: Vec<Part>,
    polygon_boxes: RTree<PolygonBox>,
    borders: RTree<BorderSegment>,
}

impl fmt::Debug for KelurahanIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KelurahanIndex")
            .field("kelurahan", &self.kelurahan.len())
            .field("polygons", &self.parts.len())
            .field("border_segments", &self.borders.size())
            .finish()
    }
}

impl KelurahanIndex {
    /// Indexes kelurahan boundaries in WGS84 longitude/latitude. Refuses an empty list, a code
    /// that appears twice and boundaries that are empty, out of range or have degenerate rings.
    pub fn new(
        boundaries: impl IntoIterator<Item = (KelurahanCode, MultiPolygon<f64>)>,
    ) -> Result<Self, PlaceError> {
        let mut kelurahan = BTreeSet::new();
        let mut parts = Vec::new();
        for (code, shape) in boundaries {
            if !kelurahan.insert(code) {
                return Err(PlaceError::DuplicateKelurahan(code));
            }
            check_shape(&shape).map_err(|problem| PlaceError::Geometry {
                kelurahan: code,
                problem,
            })?;
            parts.extend(shape.into_iter().map(|polygon| Part {
                kelurahan: code,
                polygon,
            }));
        }
        if parts.is_empty() {
            return Err(PlaceError::NoKelurahan);
        }
        let polygon_boxes = parts
            .iter()
            .enumerate()
            .map(|(i, part)| GeomWithData::new(part.bounding_box(), i))
            .collect();
        let borders = parts.iter().flat_map(Part::border_segments).collect();
        Ok(Self {
            kelurahan: kelurahan.into_iter().collect(),
            polygon_boxes: RTree::bulk_load(polygon_boxes),
            borders: RTree::bulk_load(borders),
            parts,
        })
    }

    /// Indexes a GeoJSON FeatureCollection (already parsed) whose features carry the kelurahan
    /// code in the `kode` property (the official file) or `code` (the server's `/v1/areas`) and a
    /// Polygon or MultiPolygon geometry.
    pub fn from_feature_collection(geojson: &Value) -> Result<Self, PlaceError> {
        if geojson.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(PlaceError::NotFeatureCollection);
        }
        let features = geojson
            .get("features")
            .and_then(Value::as_array)
            .ok_or(PlaceError::NotFeatureCollection)?;
        let boundaries = features
            .iter()
            .enumerate()
            .map(|(index, feature)| boundary_of_feature(index, feature))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(boundaries)
    }

    /// How many kelurahan the index holds (never zero).
    pub fn kelurahan_count(&self) -> usize {
        self.kelurahan.len()
    }

    /// Every kelurahan in the index, in code order.
    pub fn kelurahan(&self) -> &[KelurahanCode] {
        &self.kelurahan
    }

    /// Where `coord` falls. `accuracy` is the fix's accuracy radius; `None` takes the point as
    /// exact (picked on a map), so it is near a border only when it lies exactly on one.
    ///
    /// A point on a border between kelurahan (or in an overlap of two boundaries) goes to the
    /// lowest kelurahan code among them; a point strictly inside one boundary goes to that one
    /// before any whose border it merely touches. The result never depends on the order the
    /// boundaries were given in.
    pub fn locate(&self, coord: Coordinate, accuracy: Option<Accuracy>) -> Placement {
        let candidates = self
            .polygon_boxes
            .locate_all_at_point(&lon_lat(coord))
            .map(|polygon_box| &self.parts[polygon_box.data]);
        placement(
            containment(candidates, coord),
            accuracy,
            |metres| self.border_within(coord, metres),
            || self.nearest_border(coord),
        )
    }

    /// The same answer as [`locate`](Self::locate), found by testing every polygon and every
    /// border edge: the baseline the index is checked and measured against.
    pub fn locate_by_scan(&self, coord: Coordinate, accuracy: Option<Accuracy>) -> Placement {
        placement(
            containment(self.parts.iter(), coord),
            accuracy,
            |metres| self.nearest_border_by_scan(coord).distance_m <= metres,
            || self.nearest_border_by_scan(coord),
        )
    }

    /// The kelurahan border nearest to `coord`, wherever the point is.
    pub fn nearest_border(&self, coord: Coordinate) -> NearestBorder {
        let metric = LocalMetric::around(coord);
        // The tree orders edges by distance in degrees; degrees convert to metres at between the
        // smaller and the larger axis scale, so once an edge is farther in degrees than the best
        // so far can be in metres, no later edge can beat it. The margin absorbs rounding.
        let metres_per_degree_at_least = metric.smaller_scale() * (1.0 - 1e-9);
        let mut best: Option<NearestBorder> = None;
        for (segment, degrees_2) in self
            .borders
            .nearest_neighbor_iter_with_distance_2(&lon_lat(coord))
        {
            if best.is_some_and(|b| degrees_2.sqrt() * metres_per_degree_at_least > b.distance_m) {
                break;
            }
            best = Some(closer(best, metric.distance_to(segment)));
        }
        best.expect("an index always holds at least one border edge")
    }

    /// The same answer as [`nearest_border`](Self::nearest_border), found by measuring every
    /// border edge.
    pub fn nearest_border_by_scan(&self, coord: Coordinate) -> NearestBorder {
        let metric = LocalMetric::around(coord);
        self.parts
            .iter()
            .flat_map(Part::border_segments)
            .fold(None, |best, segment| {
                Some(closer(best, metric.distance_to(&segment)))
            })
            .expect("an index always holds at least one border edge")
    }

    /// Whether some border is at most `metres` from `coord`.
    fn border_within(&self, coord: Coordinate, metres: f64) -> bool {
        let metric = LocalMetric::around(coord);
        let degrees = metres / metric.smaller_scale() * (1.0 + 1e-9);
        self.borders
            .locate_within_distance(lon_lat(coord), degrees * degrees)
            .any(|segment| metric.distance_to(segment).distance_m <= metres)
    }
}

/// The kelurahan a point is in, as decided from the polygons that may hold it.
#[derive(Debug, Clone, Copy)]
struct Containment {
    kelurahan: KelurahanCode,
    on_boundary: bool,
}

/// Picks the kelurahan among `candidates` that holds `coord`: strictly inside beats on the
/// boundary, then the lowest code wins, so the answer does not depend on the candidates' order.
fn containment<'a>(
    candidates: impl Iterator<Item = &'a Part>,
    coord: Coordinate,
) -> Option<Containment> {
    let at = Coord {
        x: coord.lon(),
        y: coord.lat(),
    };
    let mut best: Option<(bool, KelurahanCode)> = None;
    let mut on_boundary = false;
    for part in candidates {
        let touching = match part.polygon.coordinate_position(&at) {
            CoordPos::Inside => false,
            CoordPos::OnBoundary => true,
            CoordPos::Outside => continue,
        };
        on_boundary |= touching;
        let key = (touching, part.kelurahan);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(_, kelurahan)| Containment {
        kelurahan,
        on_boundary,
    })
}

/// Puts the pieces of a lookup together; shared by the index and the scan so both decide alike.
fn placement(
    containment: Option<Containment>,
    accuracy: Option<Accuracy>,
    border_within: impl FnOnce(f64) -> bool,
    nearest_border: impl FnOnce() -> NearestBorder,
) -> Placement {
    match containment {
        Some(Containment {
            kelurahan,
            on_boundary,
        }) => Placement::Inside {
            kelurahan,
            near_border: on_boundary || accuracy.is_some_and(|a| border_within(a.get())),
        },
        None => Placement::Outside {
            nearest: nearest_border(),
        },
    }
}

/// The nearer of two, the lower kelurahan code on a tie.
fn closer(best: Option<NearestBorder>, candidate: NearestBorder) -> NearestBorder {
    best.filter(|b| {
        (b.distance_m.total_cmp(&candidate.distance_m))
            .then(b.kelurahan.cmp(&candidate.kelurahan))
            .is_le()
    })
    .unwrap_or(candidate)
}

fn lon_lat(coord: Coordinate) -> LonLat {
    [coord.lon(), coord.lat()]
}

/// WGS84 ellipsoid: semi-major axis in metres and flattening.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// A flat map around one point: metres east and north of it, from degrees of longitude and
/// latitude, at the scales the ellipsoid has at that point.
#[derive(Debug, Clone, Copy)]
struct LocalMetric {
    origin: LonLat,
    metres_per_degree: [f64; 2],
}

impl LocalMetric {
    fn around(coord: Coordinate) -> Self {
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let lat = coord.lat().to_radians();
        let w2 = 1.0 - e2 * lat.sin().powi(2);
        let meridian_radius = WGS84_A * (1.0 - e2) / (w2 * w2.sqrt());
        let prime_vertical_radius = WGS84_A / w2.sqrt();
        let radians_per_degree = 1f64.to_radians();
        LocalMetric {
            origin: lon_lat(coord),
            metres_per_degree: [
                prime_vertical_radius * lat.cos() * radians_per_degree,
                meridian_radius * radians_per_degree,
            ],
        }
    }

    fn smaller_scale(&self) -> f64 {
        self.metres_per_degree[0].min(self.metres_per_degree[1])
    }

    fn project(&self, p: LonLat) -> [f64; 2] {
        [
            (p[0] - self.origin[0]) * self.metres_per_degree[0],
            (p[1] - self.origin[1]) * self.metres_per_degree[1],
        ]
    }

    /// Metres from the origin to the nearest point of the segment.
    fn distance_to_segment(&self, from: LonLat, to: LonLat) -> f64 {
        let [ax, ay] = self.project(from);
        let [bx, by] = self.project(to);
        let (dx, dy) = (bx - ax, by - ay);
        let length_2 = dx * dx + dy * dy;
        let t = if length_2 > 0.0 {
            (-(ax * dx + ay * dy) / length_2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (x, y) = (ax + t * dx, ay + t * dy);
        (x * x + y * y).sqrt()
    }

    fn distance_to(&self, segment: &BorderSegment) -> NearestBorder {
        let edge = segment.geom();
        NearestBorder {
            kelurahan: segment.data,
            distance_m: self.distance_to_segment(edge.from, edge.to),
        }
    }
}

fn rings(polygon: &Polygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    std::iter::once(polygon.exterior()).chain(polygon.interiors())
}

/// Refuses boundaries the index cannot use: no polygons, degenerate rings, positions out of range.
fn check_shape(shape: &MultiPolygon<f64>) -> Result<(), GeometryError> {
    if shape.0.is_empty() {
        return Err(GeometryError::NoPolygons);
    }
    for ring in shape.iter().flat_map(rings) {
        if ring.0.len() < 4 {
            return Err(GeometryError::RingTooShort);
        }
        if let Some(c) = ring.coords().find(|c| !in_range(c)) {
            return Err(GeometryError::OutOfRange { lon: c.x, lat: c.y });
        }
    }
    Ok(())
}

fn in_range(c: &Coord<f64>) -> bool {
    (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)
}

fn boundary_of_feature(
    index: usize,
    feature: &Value,
) -> Result<(KelurahanCode, MultiPolygon<f64>), PlaceError> {
    // `kode` in the official file, `code` in what the server publishes.
    let code: KelurahanCode = feature
        .pointer("/properties/kode")
        .or_else(|| feature.pointer("/properties/code"))
        .and_then(Value::as_str)
        .and_then(|kode| kode.trim().parse().ok())
        .ok_or(PlaceError::FeatureWithoutCode { index })?;
    let geometry = feature.get("geometry").unwrap_or(&Value::Null);
    let shape = multi_polygon_from_geojson(geometry).map_err(|problem| PlaceError::Geometry {
        kelurahan: code,
        problem,
    })?;
    Ok((code, shape))
}

/// Reads a GeoJSON Polygon or MultiPolygon geometry (already parsed) as a boundary in WGS84
/// longitude/latitude. Rings must be closed and have at least 4 positions; a third number in a
/// position (altitude) is ignored.
pub fn multi_polygon_from_geojson(geometry: &Value) -> Result<MultiPolygon<f64>, GeometryError> {
    let coordinates = geometry.get("coordinates");
    let polygons = match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![polygon_from_json(
            coordinates.ok_or(GeometryError::Malformed)?,
        )?],
        Some("MultiPolygon") => json_array(coordinates)?
            .iter()
            .map(polygon_from_json)
            .collect::<Result<_, _>>()?,
        other => return Err(GeometryError::NotPolygonal(other.unwrap_or("").to_owned())),
    };
    let shape = MultiPolygon::new(polygons);
    check_shape(&shape)?;
    Ok(shape)
}

fn json_array(value: Option<&Value>) -> Result<&Vec<Value>, GeometryError> {
    value
        .and_then(Value::as_array)
        .ok_or(GeometryError::Malformed)
}

fn polygon_from_json(rings: &Value) -> Result<Polygon<f64>, GeometryError> {
    let mut rings = json_array(Some(rings))?.iter().map(ring_from_json);
    let exterior = rings.next().ok_or(GeometryError::Malformed)??;
    let interiors = rings.collect::<Result<_, _>>()?;
    Ok(Polygon::new(exterior, interiors))
}

fn ring_from_json(ring: &Value) -> Result<LineString<f64>, GeometryError> {
    let coords = json_array(Some(ring))?
        .iter()
        .map(position_from_json)
        .collect::<Result<Vec<_>, _>>()?;
    if coords.len() < 4 {
        return Err(GeometryError::RingTooShort);
    }
    if coords.first() != coords.last() {
        return Err(GeometryError::RingNotClosed);
    }
    Ok(LineString::new(coords))
}

fn position_from_json(position: &Value) -> Result<Coord<f64>, GeometryError> {
    match json_array(Some(position))?.as_slice() {
        [lon, lat, ..] => Ok(Coord {
            x: lon.as_f64().ok_or(GeometryError::Malformed)?,
            y: lat.as_f64().ok_or(GeometryError::Malformed)?,
        }),
        _ => Err(GeometryError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic, Point};
    use proptest::prelude::*;
    use serde_json::json;

    fn code(s: &str) -> KelurahanCode {
        s.parse().unwrap()
    }

    fn square(west: f64, south: f64, side: f64) -> MultiPolygon<f64> {
        let (east, north) = (west + side, south + side);
        let ring = vec![
            (west, south),
            (east, south),
            (east, north),
            (west, north),
            (west, south),
        ];
        MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])])
    }

    fn at(lat: f64, lon: f64) -> Coordinate {
        Coordinate::new(lat, lon).unwrap()
    }

    fn metres(m: f64) -> Option<Accuracy> {
        Some(Accuracy::metres(m).unwrap())
    }

    /// Two 0.01° squares side by side along longitude 106.81, the higher code given first.
    fn neighbours() -> KelurahanIndex {
        KelurahanIndex::new([
            (code("31.71.01.1002"), square(106.81, -6.20, 0.01)),
            (code("31.71.01.1001"), square(106.80, -6.20, 0.01)),
        ])
        .unwrap()
    }

    #[test]
    fn a_point_on_a_shared_border_goes_to_the_lower_code_whatever_the_order() {
        let index = neighbours();
        let on_border = at(-6.195, 106.81);
        let expected = Placement::Inside {
            kelurahan: code("31.71.01.1001"),
            near_border: true,
        };
        assert_eq!(index.locate(on_border, None), expected);
        assert_eq!(index.locate_by_scan(on_border, None), expected);
        let reversed = KelurahanIndex::new([
            (code("31.71.01.1001"), square(106.80, -6.20, 0.01)),
            (code("31.71.01.1002"), square(106.81, -6.20, 0.01)),
        ])
        .unwrap();
        assert_eq!(reversed.locate(on_border, None), expected);
    }

    #[test]
    fn accuracy_decides_whether_a_point_near_a_border_is_flagged() {
        let index = neighbours();
        // 0.0001° of longitude east of the border is about 11.07 m at 6.2° S.
        let p = at(-6.195, 106.8101);
        let d = index.nearest_border(p).distance_m;
        assert!((11.0..11.1).contains(&d), "{d}");
        let inside = |near_border| Placement::Inside {
            kelurahan: code("31.71.01.1002"),
            near_border,
        };
        assert_eq!(index.locate(p, None), inside(false));
        assert_eq!(index.locate(p, metres(10.0)), inside(false));
        assert_eq!(index.locate(p, metres(12.0)), inside(true));
        assert_eq!(
            index.locate(p, None).kecamatan(),
            Some("31.71.01".parse().unwrap())
        );
    }

    #[test]
    fn a_point_in_no_kelurahan_is_outside_and_names_the_nearest() {
        let index = neighbours();
        let placement = index.locate(at(-6.21, 106.805), None);
        let Placement::Outside { nearest } = placement else {
            panic!("{placement:?}");
        };
        assert_eq!(nearest.kelurahan, code("31.71.01.1001"));
        assert!(
            (1100.0..1110.0).contains(&nearest.distance_m),
            "{nearest:?}"
        );
        assert!(placement.needs_confirmation());
        assert_eq!(placement.kelurahan(), None);
        assert_eq!(placement.nearest_kelurahan(), code("31.71.01.1001"));
    }

    #[test]
    fn refuses_what_it_cannot_index() {
        assert_eq!(
            KelurahanIndex::new([]).unwrap_err().code(),
            "PLACE_NO_KELURAHAN"
        );
        let twice = KelurahanIndex::new([
            (code("31.71.01.1001"), square(106.80, -6.20, 0.01)),
            (code("31.71.01.1001"), square(106.81, -6.20, 0.01)),
        ]);
        assert_eq!(
            twice.unwrap_err(),
            PlaceError::DuplicateKelurahan(code("31.71.01.1001"))
        );
        let empty = KelurahanIndex::new([(code("31.71.01.1001"), MultiPolygon::new(vec![]))]);
        assert_eq!(empty.unwrap_err().code(), "PLACE_GEOMETRY_INVALID");
        let off_the_map =
            KelurahanIndex::new([(code("31.71.01.1001"), square(179.995, 0.0, 0.01))]);
        assert!(matches!(
            off_the_map.unwrap_err(),
            PlaceError::Geometry {
                problem: GeometryError::OutOfRange { .. },
                ..
            }
        ));
    }

    #[test]
    fn reads_geojson_and_explains_bad_geometry_in_both_languages() {
        let ring = json!([[106.8, -6.2], [106.9, -6.2], [106.9, -6.1], [106.8, -6.2]]);
        let polygon = json!({"type": "Polygon", "coordinates": [ring]});
        let multi = json!({"type": "MultiPolygon", "coordinates": [[ring], [ring]]});
        assert_eq!(multi_polygon_from_geojson(&polygon).unwrap().0.len(), 1);
        assert_eq!(multi_polygon_from_geojson(&multi).unwrap().0.len(), 2);
        let polygon_of = |ring: Value| json!({"type": "Polygon", "coordinates": [ring]});
        let cases = [
            (
                json!({"type": "Point", "coordinates": [106.8, -6.2]}),
                GeometryError::NotPolygonal("Point".into()),
            ),
            (json!({"type": "Polygon"}), GeometryError::Malformed),
            (
                json!({"type": "Polygon", "coordinates": []}),
                GeometryError::Malformed,
            ),
            (
                polygon_of(json!([[106.8], [1, 2], [3, 4], [106.8]])),
                GeometryError::Malformed,
            ),
            (
                polygon_of(json!([[106.8, -6.2], [106.9, -6.2], [106.8, -6.2]])),
                GeometryError::RingTooShort,
            ),
            (
                polygon_of(json!([
                    [106.8, -6.2],
                    [106.9, -6.2],
                    [106.9, -6.1],
                    [106.8, -6.1]
                ])),
                GeometryError::RingNotClosed,
            ),
            (
                polygon_of(json!([
                    [106.8, -96.2],
                    [106.9, -6.2],
                    [106.9, -6.1],
                    [106.8, -96.2]
                ])),
                GeometryError::OutOfRange {
                    lon: 106.8,
                    lat: -96.2,
                },
            ),
            (
                json!({"type": "MultiPolygon", "coordinates": []}),
                GeometryError::NoPolygons,
            ),
        ];
        for (geometry, expected) in cases {
            let error = multi_polygon_from_geojson(&geometry).unwrap_err();
            assert_eq!(error, expected, "{geometry}");
            assert_eq!(error.code(), "PLACE_GEOMETRY_INVALID");
            assert_ne!(error.message(Lang::Id), error.message(Lang::En));
        }
        let collection = |kode: &str| {
            let feature =
                json!({"type": "Feature", "properties": {"kode": kode}, "geometry": polygon});
            json!({"type": "FeatureCollection", "features": [feature]})
        };
        let file = collection("31.71.01.1001");
        assert_eq!(
            KelurahanIndex::from_feature_collection(&file)
                .unwrap()
                .kelurahan(),
            [code("31.71.01.1001")]
        );
        let bad_code = collection("31.71.1");
        let error = KelurahanIndex::from_feature_collection(&bad_code).unwrap_err();
        assert_eq!(error, PlaceError::FeatureWithoutCode { index: 0 });
        assert_eq!(error.code(), "PLACE_FILE_INVALID");
        let error = KelurahanIndex::from_feature_collection(&json!([])).unwrap_err();
        assert_eq!(error, PlaceError::NotFeatureCollection);
        assert!(error.message(Lang::Id).contains("FeatureCollection"));
    }

    fn jakarta() -> impl Strategy<Value = Coordinate> {
        (-6.40..-6.08f64, 106.68..106.98f64).prop_map(|(lat, lon)| at(lat, lon))
    }

    proptest! {
        /// The local metric stays within 0.01 % of the geodesic distance on the WGS84 ellipsoid
        /// up to 5 km, the scale of borders and GPS accuracies.
        #[test]
        fn local_metric_matches_geodesic_distance(
            from in jakarta(),
            bearing in 0.0..std::f64::consts::TAU,
            km in 0.001..5.0f64,
        ) {
            let lon = from.lon() + km * 1000.0 * bearing.sin() / 110_000.0;
            let lat = from.lat() + km * 1000.0 * bearing.cos() / 110_000.0;
            let metric = LocalMetric::around(from);
            let local = metric.distance_to_segment([lon, lat], [lon, lat]);
            let geodesic =
                Geodesic.distance(Point::new(from.lon(), from.lat()), Point::new(lon, lat));
            prop_assert!((local - geodesic).abs() <= geodesic * 1e-4, "{local} vs {geodesic}");
        }

        #[test]
        fn the_index_agrees_with_the_scan_on_the_small_map(p in jakarta(), m in 0.0..3000.0f64) {
            let index = neighbours();
            prop_assert_eq!(index.locate(p, metres(m)), index.locate_by_scan(p, metres(m)));
            prop_assert_eq!(index.nearest_border(p), index.nearest_border_by_scan(p));
        }
    }
}
