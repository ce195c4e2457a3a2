//! Store benchmarks on 100,000 reports spread over Jakarta's bounding box: durable create
//! (beside the raw fsync cost, its floor), nearby and bounding-box queries (beside a full scan of
//! the same table). Prints a Markdown table for docs/benchmarks.md.
//!
//! `cargo bench -p ronda-client --bench store` (set RONDA_BENCH_REPORTS for a smaller store).

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ronda_client::Store;
use ronda_client::store::{Near, ReportQuery};
use ronda_core::{
    Accuracy, BoundingBox, Coordinate, Description, Location, LocationSource, NewReport,
    ReportKind, Timestamp,
};

const SOUTH: f64 = -6.38;
const NORTH: f64 = -6.08;
const WEST: f64 = 106.68;
const EAST: f64 = 106.98;
const WORDS: [&str; 12] = [
    "jalan",
    "berlubang",
    "sampah",
    "menumpuk",
    "banjir",
    "got",
    "tersumbat",
    "lampu",
    "mati",
    "gang",
    "dekat",
    "masjid",
];

fn random_report(rng: &mut StdRng, created_ms: i64) -> NewReport {
    let categories = [
        "jalan-rusak",
        "sampah-menumpuk",
        "banjir",
        "pju-mati",
        "saluran-tersumbat",
        "parkir-liar",
    ];
    let location = Location {
        coord: Coordinate::new(rng.random_range(SOUTH..NORTH), rng.random_range(WEST..EAST))
            .unwrap(),
        accuracy_m: Accuracy::metres(rng.random_range(3.0..40.0)).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::from_millis(created_ms).unwrap(),
    };
    let words: Vec<&str> = (0..8)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    NewReport::with_id(
        Default::default(),
        ReportKind::Laporan,
        categories[rng.random_range(0..categories.len())],
        location,
        Timestamp::from_millis(created_ms).unwrap(),
    )
    .unwrap()
    .describe(Some(Description::parse(&words.join(" ")).unwrap()))
}

struct Stats {
    median: Duration,
    p99: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats {
        median: at(0.5),
        p99: at(0.99),
    }
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let n: usize = std::env::var("RONDA_BENCH_REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir =
        tempfile::tempdir_in(std::env::var_os("RONDA_BENCH_DIR").unwrap_or_else(|| ".".into()))
            .unwrap();
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path).unwrap();
    let mut rng = StdRng::seed_from_u64(42);
    let base_ms = 1_790_000_000_000;

    let (fill, ()) = time(|| {
        for chunk in 0..n.div_ceil(5_000) {
            let batch: Vec<_> = (0..5_000.min(n - chunk * 5_000))
                .map(|i| random_report(&mut rng, base_ms + ((chunk * 5_000 + i) as i64) * 1_000))
                .collect();
            store.create_reports(&batch).unwrap();
        }
    });
    eprintln!("filled {n} reports in {:.1} s", fill.as_secs_f64());

    // The floor under any durable write: one small append and fdatasync on the same disk.
    let mut raw = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.path().join("fsync.bin"))
        .unwrap();
    let fsync = stats(
        (0..500)
            .map(|_| {
                time(|| {
                    raw.write_all(&[7u8; 512]).unwrap();
                    raw.sync_data().unwrap();
                })
                .0
            })
            .collect(),
    );

    let create = stats(
        (0..1_000)
            .map(|i| {
                let r = random_report(&mut rng, base_ms + (n + i) as i64 * 1_000);
                time(|| store.create_report(&r).unwrap()).0
            })
            .collect(),
    );

    let conn = rusqlite::Connection::open(&path).unwrap();
    let full_scan_near = |centre: Coordinate, radius: f64| -> usize {
        let mut stmt = conn
            .prepare_cached("SELECT id, lat, lon FROM report")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, f64>(2)?,
                ))
            })
            .unwrap();
        rows.filter_map(Result::ok)
            .filter(|(_, lat, lon)| {
                centre.distance_m(&Coordinate::new(*lat, *lon).unwrap()) <= radius
            })
            .count()
    };
    let full_scan_bbox = |b: &BoundingBox| -> usize {
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, lat, lon, category, status, description FROM report
                 WHERE lat BETWEEN ?1 AND ?3 AND lon BETWEEN ?2 AND ?4 ORDER BY created_at DESC LIMIT 1000",
            )
            .unwrap();
        stmt.query_map([b.south(), b.west(), b.north(), b.east()], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
        .count()
    };

    let random_point = |rng: &mut StdRng| {
        Coordinate::new(
            rng.random_range(SOUTH + 0.01..NORTH - 0.01),
            rng.random_range(WEST + 0.01..EAST - 0.01),
        )
        .unwrap()
    };
    let mut near_found = 0;
    let near = stats(
        (0..2_000)
            .map(|_| {
                let q = ReportQuery {
                    near: Some(Near::new(random_point(&mut rng), 500.0).unwrap()),
                    ..Default::default()
                };
                let (d, found) = time(|| store.query(&q).unwrap().len());
                near_found += found;
                d
            })
            .collect(),
    );
    let near_scan = stats(
        (0..30)
            .map(|_| time(|| full_scan_near(random_point(&mut rng), 500.0)).0)
            .collect(),
    );

    // A box that holds about 1,000 of the reports.
    let side = ((NORTH - SOUTH) * (EAST - WEST) * 1_000.0 / n as f64).sqrt();
    let random_box = |rng: &mut StdRng| {
        let c = random_point(rng);
        BoundingBox::new(
            c.lat() - side / 2.0,
            c.lon() - side / 2.0,
            c.lat() + side / 2.0,
            c.lon() + side / 2.0,
        )
        .unwrap()
    };
    let mut bbox_found = 0;
    let bbox = stats(
        (0..500)
            .map(|_| {
                let q = ReportQuery {
                    bbox: Some(random_box(&mut rng)),
                    limit: 1_000,
                    ..Default::default()
                };
                let (d, found) = time(|| store.query(&q).unwrap().len());
                bbox_found += found;
                d
            })
            .collect(),
    );
    let bbox_scan = stats(
        (0..30)
            .map(|_| time(|| full_scan_bbox(&random_box(&mut rng))).0)
            .collect(),
    );

    println!("\nStore benchmark: {n} reports over Jakarta's bounding box\n");
    println!("| measure | median | p99 | baseline (same run) | ratio |");
    println!("|---|---|---|---|---|");
    println!(
        "| durable create (report + outbox + R*Tree + FTS, full sync) | {} | {} | raw fdatasync {} | {:.2}× the floor |",
        us(create.median),
        us(create.p99),
        us(fsync.median),
        create.median.as_secs_f64() / fsync.median.as_secs_f64()
    );
    println!(
        "| nearby 500 m (avg {:.0} found) | {} | {} | full scan {} | {:.0}× faster |",
        near_found as f64 / 2_000.0,
        us(near.median),
        us(near.p99),
        us(near_scan.median),
        near_scan.median.as_secs_f64() / near.median.as_secs_f64()
    );
    println!(
        "| bbox, limit 1,000 (avg {:.0} returned) | {} | {} | full scan {} | {:.0}× faster |",
        bbox_found as f64 / 500.0,
        us(bbox.median),
        us(bbox.p99),
        us(bbox_scan.median),
        bbox_scan.median.as_secs_f64() / bbox.median.as_secs_f64()
    );
    println!(
        "\nbulk fill: {:.1} s for {n} reports in batches of 5,000",
        fill.as_secs_f64()
    );
}
