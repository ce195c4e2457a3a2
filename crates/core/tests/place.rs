//! The kelurahan lookup against the real boundaries of Jakarta (`../shared/data`, beside the
//! repository; `RONDA_SHARED_DATA` points elsewhere). Every answer of the index is checked
//! against the brute-force scan over every polygon.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;
use support::{Rng, jakarta_file};

use geo::{BoundingRect, Contains, InteriorPoint, Intersects, MultiPolygon, Point, Polygon};
use proptest::prelude::*;
use ronda_core::place::{KelurahanIndex, Placement, multi_polygon_from_geojson};
use ronda_core::{Accuracy, Coordinate, KelurahanCode};
use serde_json::Value;

fn geojson() -> &'static Value {
    static GEOJSON: OnceLock<Value> = OnceLock::new();
    GEOJSON.get_or_init(|| {
        let text = std::fs::read_to_string(jakarta_file()).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

/// Every kelurahan's code and boundary, as the file has them.
fn boundaries() -> &'static [(KelurahanCode, MultiPolygon<f64>)] {
    static BOUNDARIES: OnceLock<Vec<(KelurahanCode, MultiPolygon<f64>)>> = OnceLock::new();
    BOUNDARIES.get_or_init(|| {
        geojson()["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let code = f["properties"]["kode"].as_str().unwrap().parse().unwrap();
                (code, multi_polygon_from_geojson(&f["geometry"]).unwrap())
            })
            .collect()
    })
}

fn index() -> &'static KelurahanIndex {
    static INDEX: OnceLock<KelurahanIndex> = OnceLock::new();
    INDEX.get_or_init(|| KelurahanIndex::from_feature_collection(geojson()).unwrap())
}

fn at(lat: f64, lon: f64) -> Coordinate {
    Coordinate::new(lat, lon).unwrap()
}

fn metres(m: f64) -> Option<Accuracy> {
    Some(Accuracy::metres(m).unwrap())
}

fn code(s: &str) -> KelurahanCode {
    s.parse().unwrap()
}

/// The kelurahan whose boundary holds `p` strictly inside, found the slow way.
fn kelurahan_strictly_containing(p: Point<f64>) -> Vec<KelurahanCode> {
    boundaries()
        .iter()
        .filter(|(_, shape)| shape.bounding_rect().is_some_and(|b| b.intersects(&p)))
        .filter(|(_, shape)| shape.contains(&p))
        .map(|(code, _)| *code)
        .collect()
}

/// Points strictly inside `polygon`: one geo guarantees, then up to `n` random ones from its box.
fn points_inside(polygon: &Polygon<f64>, rng: &mut Rng, n: usize) -> Vec<Point<f64>> {
    let bbox = polygon.bounding_rect().unwrap();
    let random = std::iter::repeat_with(|| {
        Point::new(
            rng.between(bbox.min().x, bbox.max().x),
            rng.between(bbox.min().y, bbox.max().y),
        )
    })
    .take(50 * n)
    .filter(|p| polygon.contains(p))
    .take(n);
    polygon.interior_point().into_iter().chain(random).collect()
}

#[test]
fn all_267_kelurahan_load_in_44_kecamatan_and_6_kota() {
    let index = index();
    assert_eq!(index.kelurahan_count(), 267);
    let kecamatan: BTreeSet<_> = index.kelurahan().iter().map(|k| k.kecamatan()).collect();
    let kota: BTreeSet<_> = index.kelurahan().iter().map(|k| k.kota()).collect();
    assert_eq!((kecamatan.len(), kota.len()), (44, 6));
    let same = KelurahanIndex::new(boundaries().iter().cloned()).unwrap();
    assert_eq!(same.kelurahan(), index.kelurahan());
}

#[test]
fn monas_is_in_gambir() {
    let monas = at(-6.175392, 106.827153);
    let placement = index().locate(monas, metres(10.0));
    assert_eq!(
        placement,
        Placement::Inside {
            kelurahan: code("31.71.01.1001"),
            near_border: false
        }
    );
    assert_eq!(placement.kecamatan(), Some("31.71.01".parse().unwrap()));
    assert_eq!(placement.kota(), Some("31.71".parse().unwrap()));
}

#[test]
fn points_inside_every_polygon_are_placed_in_its_kelurahan() {
    let mut rng = Rng(267);
    let mut checked = 0;
    for (code, shape) in boundaries() {
        for polygon in shape {
            for p in points_inside(polygon, &mut rng, 10) {
                let placement = index().locate(at(p.y(), p.x()), None);
                let holders = kelurahan_strictly_containing(p);
                assert_eq!(holders, [*code], "{p:?} is in more than one kelurahan");
                assert_eq!(placement.kelurahan(), Some(*code), "{p:?}: {placement:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 267 * 10, "only {checked} points checked");
}

#[test]
fn the_index_agrees_with_the_scan_over_all_of_jakarta() {
    let mut rng = Rng(2024);
    let mut outside = 0;
    for i in 0..1200 {
        // Two in three over the mainland, the rest over the whole province with the islands.
        let p = if i % 3 == 2 {
            at(rng.between(-6.38, -5.18), rng.between(106.38, 106.98))
        } else {
            at(rng.between(-6.38, -6.08), rng.between(106.68, 106.98))
        };
        let accuracy = (i % 4 != 0).then(|| Accuracy::metres(rng.between(0.0, 200.0)).unwrap());
        let placement = index().locate(p, accuracy);
        assert_eq!(placement, index().locate_by_scan(p, accuracy), "{p}");
        outside += usize::from(matches!(placement, Placement::Outside { .. }));
    }
    assert!((200..1000).contains(&outside), "{outside} of 1200 outside");
}

/// Points on and a few metres off every 25th edge of every boundary.
#[test]
fn points_near_a_border_are_flagged_when_it_is_within_their_accuracy() {
    const OFFSET_M: f64 = 5.0;
    let mut edges = 0;
    let mut offset_exactly = 0;
    for (code, shape) in boundaries() {
        for polygon in shape {
            for edge in polygon.exterior().lines().step_by(25) {
                let (mid_lon, mid_lat) = (
                    (edge.start.x + edge.end.x) / 2.0,
                    (edge.start.y + edge.end.y) / 2.0,
                );
                let on_edge = at(mid_lat, mid_lon);
                assert!(
                    index().locate(on_edge, metres(0.5)).needs_confirmation(),
                    "{on_edge}"
                );

                // Metres per degree at 6.2° S, close enough to place a point; the index measures.
                let (east, north) = (
                    (edge.end.x - edge.start.x) * 110_700.0,
                    (edge.end.y - edge.start.y) * 110_574.0,
                );
                let length = east.hypot(north);
                if length < 4.0 * OFFSET_M {
                    continue;
                }
                edges += 1;
                for side in [1.0, -1.0] {
                    let (normal_east, normal_north) =
                        (-north / length * side, east / length * side);
                    let p = at(
                        mid_lat + normal_north * OFFSET_M / 110_574.0,
                        mid_lon + normal_east * OFFSET_M / 110_700.0,
                    );
                    let border = index().nearest_border(p).distance_m;
                    assert!(border > 0.0 && border < OFFSET_M * 1.01, "{p}: {border} m");
                    offset_exactly += usize::from((border - OFFSET_M).abs() < 0.05);
                    let wide = index().locate(p, metres(border * 1.01 + 0.001));
                    let narrow = index().locate(p, metres(border * 0.99));
                    assert!(wide.needs_confirmation(), "{p}: {wide:?}");
                    assert_eq!(
                        narrow.needs_confirmation(),
                        matches!(narrow, Placement::Outside { .. }),
                        "{p}: {narrow:?}"
                    );
                    assert_eq!(narrow.kelurahan(), wide.kelurahan());
                    if polygon.contains(&Point::new(p.lon(), p.lat())) {
                        assert_eq!(narrow.kelurahan(), Some(*code), "{p}");
                    }
                }
            }
        }
    }
    assert!(edges > 1000, "only {edges} edges checked");
    assert!(
        offset_exactly * 10 > edges * 2 * 9,
        "{offset_exactly} of {} offsets exact",
        edges * 2
    );
}

#[test]
fn points_on_a_vertex_shared_by_kelurahan_go_to_the_lowest_code() {
    let mut sharing: HashMap<[u64; 2], BTreeSet<KelurahanCode>> = HashMap::new();
    for (code, shape) in boundaries() {
        for c in shape.iter().flat_map(|p| p.exterior().coords()) {
            sharing
                .entry([c.x.to_bits(), c.y.to_bits()])
                .or_default()
                .insert(*code);
        }
    }
    let mut shared: Vec<_> = sharing
        .into_iter()
        .filter(|(_, codes)| codes.len() > 1)
        .collect();
    shared.sort();
    assert!(shared.len() > 1000, "only {} shared vertices", shared.len());
    for ([lon, lat], codes) in shared.iter().step_by(7) {
        let p = at(f64::from_bits(*lat), f64::from_bits(*lon));
        let expected = Placement::Inside {
            kelurahan: *codes.first().unwrap(),
            near_border: true,
        };
        assert_eq!(
            index().locate(p, None),
            expected,
            "{p} is shared by {codes:?}"
        );
    }
}

#[test]
fn the_sea_and_places_beyond_jakarta_are_outside() {
    let teluk_jakarta = at(-6.05, 106.85);
    let bandung = at(-6.917, 107.619);
    for (p, km) in [(teluk_jakarta, 1.0..20.0), (bandung, 50.0..150.0)] {
        let placement = index().locate(p, metres(10.0));
        let Placement::Outside { nearest } = placement else {
            panic!("{p} is not outside: {placement:?}");
        };
        assert!(
            km.contains(&(nearest.distance_m / 1000.0)),
            "{p}: {nearest:?}"
        );
        assert!(placement.needs_confirmation());
        assert_eq!(placement.kelurahan(), None);
        assert_eq!(placement, index().locate_by_scan(p, metres(10.0)));
    }
}

fn jakarta() -> impl Strategy<Value = Coordinate> {
    (-6.38..-6.08f64, 106.68..106.98f64).prop_map(|(lat, lon)| at(lat, lon))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_wider_accuracy_never_unflags_a_point(
        p in jakarta(),
        m in 0.0..500.0f64,
        more in 0.0..500.0f64,
    ) {
        let narrow = index().locate(p, metres(m));
        let wide = index().locate(p, metres(m + more));
        prop_assert_eq!(narrow.kelurahan(), wide.kelurahan());
        prop_assert!(!narrow.needs_confirmation() || wide.needs_confirmation());
        prop_assert_eq!(narrow, index().locate_by_scan(p, metres(m)));
        match narrow {
            Placement::Inside { kelurahan, near_border } => {
                prop_assert!(index().kelurahan().contains(&kelurahan));
                prop_assert_eq!(near_border, index().nearest_border(p).distance_m <= m);
            }
            Placement::Outside { nearest } => prop_assert!(nearest.distance_m > 0.0),
        }
    }
}

fn fix(p: Coordinate, accuracy_m: f64) -> ronda_core::Location {
    ronda_core::Location {
        coord: p,
        accuracy_m: Accuracy::metres(accuracy_m).unwrap(),
        source: ronda_core::LocationSource::Gps,
        captured_at: ronda_core::Timestamp::from_millis(1_796_000_000_000).unwrap(),
    }
}

#[test]
fn a_report_is_filed_in_the_kelurahan_of_its_point_and_a_claim_elsewhere_is_flagged() {
    use ronda_core::AreaCode;
    use ronda_core::filing::{PlaceFlag, file};
    let area = |s: &str| s.parse::<AreaCode>().unwrap();
    let elsewhere_rt = area("31.74.02.1003/RW 001/RT 001");
    let mut clear = 0;
    for (code, shape) in boundaries() {
        let Some(p) = shape.interior_point() else {
            continue;
        };
        let here = fix(at(p.y(), p.x()), 3.0);
        if index()
            .locate(here.coord, Some(here.accuracy_m))
            .needs_confirmation()
        {
            continue;
        }
        clear += 1;
        let own_rt = area(&format!("{code}/RW 003/RT 007"));
        let kelurahan = AreaCode::Kelurahan(*code);
        // A claim in the point's kelurahan stands; none, or a coarser one, gives the kelurahan.
        assert_eq!(file(index(), &here, Some(&own_rt)).area, own_rt);
        assert_eq!(file(index(), &here, Some(&own_rt)).flag, None);
        assert_eq!(file(index(), &here, None).area, kelurahan);
        let kota = AreaCode::Kota(code.kota());
        assert_eq!(file(index(), &here, Some(&kota)).area, kelurahan);
        // A claim in another kelurahan gives way to the point, for the lurah to confirm.
        if elsewhere_rt.kelurahan() != Some(*code) {
            let filed = file(index(), &here, Some(&elsewhere_rt));
            assert_eq!(filed.area, kelurahan);
            assert_eq!(
                filed.flag,
                Some(PlaceFlag::ClaimDiffers {
                    claimed: elsewhere_rt,
                    located: *code
                })
            );
        }
    }
    assert!(
        clear >= 260,
        "only {clear} kelurahan had a clear interior point"
    );

    // At sea: the claim stands, or the nearest kelurahan; always flagged.
    let sea = fix(at(-6.05, 106.85), 10.0);
    let filed = file(index(), &sea, None);
    let Some(PlaceFlag::OutsideEvery { nearest }) = filed.flag else {
        panic!("{filed:?}")
    };
    assert_eq!(filed.area, AreaCode::Kelurahan(nearest));
    assert_eq!(file(index(), &sea, Some(&elsewhere_rt)).area, elsewhere_rt);
}

#[test]
fn a_report_within_its_accuracy_of_a_border_keeps_its_claim_and_is_flagged() {
    use ronda_core::filing::{PlaceFlag, file};
    let (code, shape) = &boundaries()[0];
    let edge = shape.0[0].exterior().lines().next().unwrap();
    let on_border = at(
        (edge.start.y + edge.end.y) / 2.0,
        (edge.start.x + edge.end.x) / 2.0,
    );
    let here = fix(on_border, 30.0);
    let claim: ronda_core::AreaCode = format!("{code}/RW 001/RT 002").parse().unwrap();
    let filed = file(index(), &here, Some(&claim));
    assert_eq!(filed.area, claim);
    assert!(
        matches!(filed.flag, Some(PlaceFlag::NearBorder { .. })),
        "{filed:?}"
    );
}
