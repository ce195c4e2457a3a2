//! How long building the lurah's walk list takes for a busy kelurahan: 1,000 open reports over
//! about 1.5 km × 1.5 km, the lurah standing at a random point in it. Compared in the same run
//! with sorting by a comparator that computes both distances on every comparison.
//!
//! `cargo bench -p ronda-core --bench field_queue`

#[path = "../tests/support/rng.rs"]
mod rng;
use rng::Rng;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ronda_core::Coordinate;
use ronda_core::field_queue::{Stop, field_queue, walk_minutes, walking_distance_m};

const REPORTS: usize = 1_000;
const ITERATIONS: usize = 2_000;
const BAR_P99_MS: f64 = 20.0;

/// A kelurahan-sized square in South Jakarta: 0.0135° is about 1.5 km both ways at 6.2° S.
const SOUTH: f64 = -6.2;
const WEST: f64 = 106.8;
const SIDE_DEG: f64 = 0.0135;

/// A place inside the kelurahan-sized square.
fn point(rng: &mut Rng) -> Coordinate {
    Coordinate::new(
        rng.between(SOUTH, SOUTH + SIDE_DEG),
        rng.between(WEST, WEST + SIDE_DEG),
    )
    .unwrap()
}

/// What the queue would be without caching the key: distance computed inside the comparator.
fn baseline(here: Coordinate, items: &[(u32, Coordinate)]) -> Vec<Stop<u32>> {
    let mut sorted = items.to_vec();
    sorted.sort_by(|a, b| {
        walking_distance_m(&here, &a.1).total_cmp(&walking_distance_m(&here, &b.1))
    });
    sorted
        .into_iter()
        .map(|(item, at)| {
            let distance_m = walking_distance_m(&here, &at);
            Stop {
                item,
                distance_m,
                walk_minutes: walk_minutes(distance_m),
            }
        })
        .collect()
}

struct Timings(Vec<Duration>);

impl Timings {
    fn percentile_ms(&self, p: f64) -> f64 {
        let i = ((self.0.len() - 1) as f64 * p).round() as usize;
        self.0[i].as_secs_f64() * 1e3
    }

    fn report(&self, name: &str) {
        println!(
            "{name:<34} {:>5} runs  p50 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
            self.0.len(),
            self.percentile_ms(0.50),
            self.percentile_ms(0.99),
            self.percentile_ms(1.0),
        );
    }
}

fn main() {
    println!(
        "machine: {} threads available, {} {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::OS,
        std::env::consts::ARCH,
    );
    let mut rng = Rng(2026);
    let items: Vec<(u32, Coordinate)> = (0..REPORTS as u32)
        .map(|id| (id, point(&mut rng)))
        .collect();
    let standpoints: Vec<Coordinate> = (0..ITERATIONS).map(|_| point(&mut rng)).collect();

    let mut queue = Vec::with_capacity(ITERATIONS);
    let mut comparator = Vec::with_capacity(ITERATIONS);
    for &here in &standpoints {
        let start = Instant::now();
        let stops = black_box(field_queue(black_box(here), items.iter().copied()));
        queue.push(start.elapsed());

        let start = Instant::now();
        let slow = black_box(baseline(black_box(here), &items));
        comparator.push(start.elapsed());

        assert_eq!(stops, slow, "the two orders differ at {here}");
    }
    queue.sort();
    comparator.sort();
    let (queue, comparator) = (Timings(queue), Timings(comparator));

    println!(
        "{REPORTS} open reports over ~1.5 km x 1.5 km near {SOUTH}, {WEST}; lurah at \
         {ITERATIONS} random points"
    );
    queue.report("field_queue (distance cached)");
    comparator.report("baseline (distance in comparator)");
    println!(
        "baseline / field_queue: p50 {:.1}x, p99 {:.1}x; both gave the same order every run",
        comparator.percentile_ms(0.50) / queue.percentile_ms(0.50),
        comparator.percentile_ms(0.99) / queue.percentile_ms(0.99),
    );
    let p99 = queue.percentile_ms(0.99);
    println!(
        "bar: p99 ≤ {BAR_P99_MS} ms: {} (p99 {p99:.3} ms)",
        if p99 <= BAR_P99_MS { "PASS" } else { "FAIL" }
    );
}
