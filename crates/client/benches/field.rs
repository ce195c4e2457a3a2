//! The lurah's walk list on a real store: 1,000 open reports in one kelurahan among 20,000 in
//! others, listed nearest first from where the lurah stands (`Store::field_queue`), beside a
//! baseline in the same run that reads every report in the store and filters and sorts in Rust.
//!
//! `cargo bench -p ronda-client --bench field`

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ronda_client::Store;
use ronda_client::store::ReportQuery;
use ronda_core::field_queue::field_queue;
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Location, LocationSource, NewReport, ReportKind, ReportStatus,
    Timestamp,
};

const IN_KELURAHAN: usize = 1_000;
const ELSEWHERE: usize = 20_000;
const RUNS: usize = 300;
/// About 1.5 km × 1.5 km around Gambir, the size of a kelurahan.
const SOUTH: f64 = -6.1833;
const WEST: f64 = 106.8167;
const SPAN: f64 = 0.0135;

fn report(rng: &mut StdRng, lat: f64, lon: f64, area: AreaCode) -> NewReport {
    let at = Location {
        coord: Coordinate::new(lat, lon).unwrap(),
        accuracy_m: Accuracy::metres(rng.random_range(3.0..30.0)).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::from_millis(1_796_000_000_000).unwrap(),
    };
    let category = ["jalan-rusak", "sampah-menumpuk", "pju-mati"][rng.random_range(0..3)];
    NewReport::new(ReportKind::Laporan, category, at)
        .unwrap()
        .in_area(Some(area))
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
}

fn main() {
    let dir = tempfile::tempdir_in(".").unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    let mut rng = StdRng::seed_from_u64(5);
    let gambir: AreaCode = "31.71.01.1001".parse().unwrap();
    let others: Vec<AreaCode> = ["31.72.01.1001", "31.73.01.1001", "31.74.01.1001"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let mut batch: Vec<NewReport> = (0..IN_KELURAHAN)
        .map(|_| {
            let (lat, lon) = (
                SOUTH + rng.random_range(0.0..SPAN),
                WEST + rng.random_range(0.0..SPAN),
            );
            report(&mut rng, lat, lon, gambir)
        })
        .collect();
    batch.extend((0..ELSEWHERE).map(|i| {
        let (lat, lon) = (
            rng.random_range(-6.38..-6.08),
            rng.random_range(106.68..106.98),
        );
        report(&mut rng, lat, lon, others[i % others.len()])
    }));
    for chunk in batch.chunks(5_000) {
        store.create_reports(chunk).unwrap();
    }

    let stands: Vec<Coordinate> = (0..RUNS)
        .map(|_| {
            Coordinate::new(
                SOUTH + rng.random_range(0.0..SPAN),
                WEST + rng.random_range(0.0..SPAN),
            )
            .unwrap()
        })
        .collect();
    let mut queue_times = Vec::with_capacity(RUNS);
    let mut scan_times = Vec::with_capacity(RUNS);
    for here in &stands {
        let start = Instant::now();
        let walk = store.field_queue(&gambir, *here).unwrap();
        queue_times.push(start.elapsed());
        assert_eq!(walk.len(), IN_KELURAHAN);

        let start = Instant::now();
        let everything = store
            .query(&ReportQuery {
                limit: usize::MAX,
                ..Default::default()
            })
            .unwrap();
        let open_here = everything.into_iter().filter(|r| {
            matches!(r.status, ReportStatus::Baru | ReportStatus::DibukaKembali)
                && r.area.as_ref().is_some_and(|a| gambir.contains(a))
        });
        let scanned = field_queue(*here, open_here.map(|r| (r.id, r.location.coord)));
        scan_times.push(start.elapsed());
        assert_eq!(scanned.len(), IN_KELURAHAN);
        assert_eq!(
            scanned[0].item, walk[0].item.id,
            "both put the same report first"
        );
    }
    queue_times.sort();
    scan_times.sort();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "machine: {cores} threads; store of {} reports",
        IN_KELURAHAN + ELSEWHERE
    );
    println!(
        "walk list, 1,000 open in the kelurahan   p50 {:>7.2} ms  p99 {:>7.2} ms",
        percentile(&queue_times, 0.5),
        percentile(&queue_times, 0.99)
    );
    println!(
        "baseline: every report, filter in Rust   p50 {:>7.2} ms  p99 {:>7.2} ms",
        percentile(&scan_times, 0.5),
        percentile(&scan_times, 0.99)
    );
    let p99 = percentile(&queue_times, 0.99);
    println!(
        "baseline / walk list at p50: {:.1}×; bar p99 ≤ 20 ms: {} (p99 {p99:.2} ms)",
        percentile(&scan_times, 0.5) / percentile(&queue_times, 0.5),
        if p99 <= 20.0 { "PASS" } else { "FAIL" }
    );
}
