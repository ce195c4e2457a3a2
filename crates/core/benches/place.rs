//! How long one kelurahan lookup takes on the real boundaries of Jakarta, with the index and
//! with the brute-force scan over every polygon.
//!
//! `cargo bench -p ronda-core --bench place`; the data is read from `../shared/data` beside the
//! repository, or from `RONDA_SHARED_DATA`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};
use support::{Rng, jakarta_file};

use ronda_core::place::{KelurahanIndex, Placement};
use ronda_core::{Accuracy, Coordinate};

const INDEX_POINTS: usize = 100_000;
const SCAN_POINTS: usize = 2_000;

/// Points over mainland Jakarta's bounding box, with a phone-like accuracy of 3 to 50 m.
fn fixes(n: usize) -> Vec<(Coordinate, Accuracy)> {
    let mut rng = Rng(31);
    (0..n)
        .map(|_| {
            let coord =
                Coordinate::new(rng.between(-6.38, -6.08), rng.between(106.68, 106.98)).unwrap();
            (coord, Accuracy::metres(rng.between(3.0, 50.0)).unwrap())
        })
        .collect()
}

struct Timings(Vec<Duration>);

impl Timings {
    fn measure<T>(
        points: &[(Coordinate, Accuracy)],
        mut lookup: impl FnMut(Coordinate, Accuracy) -> T,
    ) -> (Self, Vec<T>) {
        let mut times = Vec::with_capacity(points.len());
        let mut answers = Vec::with_capacity(points.len());
        for &(coord, accuracy) in points {
            let start = Instant::now();
            let answer = black_box(lookup(black_box(coord), black_box(accuracy)));
            times.push(start.elapsed());
            answers.push(answer);
        }
        times.sort();
        (Timings(times), answers)
    }

    fn percentile_us(&self, p: f64) -> f64 {
        let i = ((self.0.len() - 1) as f64 * p).round() as usize;
        self.0[i].as_secs_f64() * 1e6
    }

    fn report(&self, name: &str) {
        println!(
            "{name:<32} {:>7} points  p50 {:>9.2} µs  p99 {:>9.2} µs  max {:>9.2} µs",
            self.0.len(),
            self.percentile_us(0.50),
            self.percentile_us(0.99),
            self.percentile_us(1.0),
        );
    }
}

fn main() {
    let text = std::fs::read_to_string(jakarta_file()).unwrap();
    let started = Instant::now();
    let geojson: serde_json::Value = serde_json::from_str(&text).unwrap();
    let index = KelurahanIndex::from_feature_collection(&geojson).unwrap();
    println!(
        "built {index:?} in {:.1} ms (parsing the 2.4 MB file included)",
        started.elapsed().as_secs_f64() * 1e3
    );

    let points = fixes(INDEX_POINTS);
    let (exact, _) = Timings::measure(&points, |c, _| index.locate(c, None));
    let (indexed, placed) = Timings::measure(&points, |c, a| index.locate(c, Some(a)));
    let (scanned_exact, _) =
        Timings::measure(&points[..SCAN_POINTS], |c, _| index.locate_by_scan(c, None));
    let (scanned, scan_placed) = Timings::measure(&points[..SCAN_POINTS], |c, a| {
        index.locate_by_scan(c, Some(a))
    });
    assert_eq!(
        scan_placed,
        placed[..SCAN_POINTS],
        "the index and the scan disagree"
    );

    let inside = placed
        .iter()
        .filter(|p| matches!(p, Placement::Inside { .. }))
        .count();
    let flagged = placed.iter().filter(|p| p.needs_confirmation()).count();
    println!(
        "points over mainland Jakarta's box, accuracy 3-50 m: {inside} inside a kelurahan, \
         {flagged} to confirm (outside or near a border)"
    );
    exact.report("index, no accuracy (exact point)");
    indexed.report("index, with accuracy");
    scanned_exact.report("scan, no accuracy (exact point)");
    scanned.report("scan, with accuracy");
    println!(
        "scan / index, with accuracy: p50 {:.0}x, p99 {:.0}x; the scan agreed on all \
         {SCAN_POINTS} points",
        scanned.percentile_us(0.50) / indexed.percentile_us(0.50),
        scanned.percentile_us(0.99) / indexed.percentile_us(0.99),
    );
}
