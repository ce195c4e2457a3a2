//! Filing a report on the device, offline, by its point: what it costs to hold the city's
//! boundaries and to use them.
//!
//! - Download: the real 267-kelurahan collection, raw and zstd-compressed as the server sends
//!   it to a device that accepts zstd.
//! - Index: building the `KelurahanIndex` from the stored collection, as the first report after
//!   the store is opened does.
//! - Save: `create_report` (one durable transaction) with the boundaries held, beside the same
//!   without them (filed as claimed), measured in the same run.
//!
//! `cargo bench -p ronda-client --bench filing` (reads `../shared/data`, or RONDA_SHARED_DATA)

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ronda_client::Store;
use ronda_client::store::Reference;
use ronda_core::{
    Accuracy, Coordinate, Location, LocationSource, NewReport, ReportKind, Timestamp,
};

const INDEX_RUNS: usize = 15;
const SAVES: usize = 300;

fn jakarta() -> String {
    let shared = std::env::var_os("RONDA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    std::fs::read_to_string(shared.join("jakarta/kelurahan.geojson"))
        .expect("the real kelurahan file (set RONDA_SHARED_DATA)")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    ms(sorted[((sorted.len() - 1) as f64 * q).round() as usize])
}

/// A report somewhere in central Jakarta, claimed for an RT of Gambir.
fn report(rng: &mut StdRng) -> NewReport {
    let at = Location {
        coord: Coordinate::new(
            rng.random_range(-6.22..-6.14),
            rng.random_range(106.78..106.88),
        )
        .unwrap(),
        accuracy_m: Accuracy::metres(rng.random_range(3.0..30.0)).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    NewReport::new(ReportKind::Laporan, "jalan-rusak", at)
        .unwrap()
        .in_area(Some("31.71.01.1001/RW 003/RT 007".parse().unwrap()))
}

fn saves(store: &mut Store, seed: u64) -> Vec<Duration> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut times: Vec<Duration> = (0..SAVES)
        .map(|_| {
            let r = report(&mut rng);
            let t = Instant::now();
            store.create_report(&r).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn main() {
    let body = jakarta();
    let packed = zstd::encode_all(body.as_bytes(), 3).unwrap();
    println!(
        "download: {} bytes raw, {} bytes zstd (level 3)",
        body.len(),
        packed.len()
    );

    let dir = tempfile::tempdir_in(".").unwrap();
    let held = dir.path().join("held.db");
    Store::open(&held)
        .unwrap()
        .save_reference(Reference::Areas, None, &body)
        .unwrap();
    let mut builds: Vec<Duration> = (0..INDEX_RUNS)
        .map(|_| {
            let store = Store::open(&held).unwrap();
            let t = Instant::now();
            let index = store.places().unwrap().expect("boundaries held");
            let took = t.elapsed();
            assert_eq!(index.kelurahan_count(), 267);
            took
        })
        .collect();
    builds.sort();
    println!(
        "index from the stored collection: median {:.1} ms, max {:.1} ms ({INDEX_RUNS} opens)",
        percentile(&builds, 0.5),
        ms(*builds.last().unwrap())
    );

    let mut with = Store::open(&held).unwrap();
    with.places().unwrap();
    let mut without = Store::open(dir.path().join("none.db")).unwrap();
    // Interleaved halves, so both see the same disk and the same neighbours.
    let (a1, b1) = (saves(&mut with, 1), saves(&mut without, 1));
    let (b2, a2) = (saves(&mut without, 2), saves(&mut with, 2));
    let mut filed: Vec<Duration> = a1.into_iter().chain(a2).collect();
    let mut claimed: Vec<Duration> = b1.into_iter().chain(b2).collect();
    filed.sort();
    claimed.sort();
    println!(
        "save, filed by point: p50 {:.2} ms, p99 {:.2} ms; baseline filed as claimed: p50 {:.2} ms, p99 {:.2} ms ({} saves each)",
        percentile(&filed, 0.5),
        percentile(&filed, 0.99),
        percentile(&claimed, 0.5),
        percentile(&claimed, 0.99),
        filed.len()
    );
}
