//! The public safety layer for a city-wide view (`GET /v1/safety`): 100,000 rated audits and
//! 20,000 unsafe-place flags spread over Jakarta, stored as reports in the server's SQLite.
//!
//! - Served: 500 requests for the neighbourhood layer (and 200 for the street layer) over HTTP
//!   on loopback with `Accept-Encoding: gzip`, as a browser or the app asks; p50/p99 and the
//!   bytes on the wire, beside the uncompressed size.
//! - Baseline, same run: building the layers from storage (read every audit and flag, aggregate
//!   both levels, write the GeoJSON), which is what every request would cost without the kept
//!   layers; the server pays it once per change.
//!
//! `cargo bench -p ronda-server --bench safety_map`

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header;

use ronda_core::audit::AuditRatings;
use ronda_core::hlc::{Hlc, Stamp};
use ronda_core::sync::{BucketId, ServerReport};
use ronda_core::{
    Accuracy, Coordinate, Location, LocationSource, NewReport, OpId, ReportId, ReportKind,
    Timestamp, UserId,
};
use ronda_server::auth::TokenKey;
use ronda_server::config::Limits;
use ronda_server::http::{self, AppState};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;

const AUDITS: usize = 100_000;
const FLAGS: usize = 20_000;
const NEIGHBOURHOOD_REQUESTS: usize = 500;
const STREET_REQUESTS: usize = 200;
const REBUILDS: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    ms(sorted[((sorted.len() - 1) as f64 * q).round() as usize])
}

/// A report somewhere in Jakarta in the last two years, by day or by night.
fn report(rng: &mut StdRng, kind: ReportKind) -> NewReport {
    let at = Location {
        coord: Coordinate::new(
            rng.random_range(-6.38..-6.08),
            rng.random_range(106.68..106.98),
        )
        .unwrap(),
        accuracy_m: Accuracy::metres(rng.random_range(3.0..30.0)).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    let made = Timestamp::now().millis() - rng.random_range(0..730 * 86_400_000_i64);
    let category = match kind {
        ReportKind::Audit => "audit-keamanan",
        _ => "rawan-kejahatan",
    };
    // Filed under one of 300 kelurahan and one of its 12 RWs, as the per-area layers group them.
    let area = format!(
        "31.7{}.{:02}.10{:02}/RW {:03}",
        rng.random_range(1..=5),
        rng.random_range(1..=10),
        rng.random_range(1..=6),
        rng.random_range(1..=12)
    );
    let r = NewReport::with_id(
        ReportId::new(),
        kind,
        category,
        at,
        Timestamp::from_millis(made).unwrap(),
    )
    .unwrap()
    .in_area(Some(area.parse().unwrap()));
    if kind == ReportKind::Audit {
        let values = std::array::from_fn(|_| rng.random_range(0..=3u8));
        r.rate(AuditRatings::from_values(values).unwrap()).unwrap()
    } else {
        r
    }
}

async fn fill(storage: &SqliteStorage) {
    let mut rng = StdRng::seed_from_u64(8);
    let kinds = std::iter::repeat_n(ReportKind::Audit, AUDITS)
        .chain(std::iter::repeat_n(ReportKind::Rawan, FLAGS));
    let reports: Vec<NewReport> = kinds.map(|k| report(&mut rng, k)).collect();
    for batch in reports.chunks(5_000) {
        let batch = batch.to_vec();
        storage
            .write(move |tx| {
                for r in batch {
                    let reporter = UserId::new();
                    let stamp = Stamp {
                        hlc: Hlc { ms: 1, n: 0 },
                        op: OpId::new(),
                    };
                    let s = ServerReport::create(r, reporter, stamp, Timestamp::now());
                    tx.save_report(&s, &[BucketId::User(reporter)])?;
                }
                Ok(())
            })
            .await
            .unwrap();
    }
}

async fn serve_many(client: &reqwest::Client, url: &str, n: usize) -> (Vec<Duration>, usize) {
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for _ in 0..n {
        let t = Instant::now();
        let body = client
            .get(url)
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        times.push(t.elapsed());
        bytes = body.len();
    }
    times.sort();
    (times, bytes)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let storage = SqliteStorage::open(dir.path().join("ronda.db")).unwrap();
    let t = Instant::now();
    fill(&storage).await;
    println!(
        "stored {AUDITS} audits and {FLAGS} flags in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut rebuilds: Vec<Duration> = Vec::new();
    for _ in 0..REBUILDS {
        let t = Instant::now();
        let layers = ronda_server::safety_map::build(&storage, Timestamp::now())
            .await
            .unwrap();
        rebuilds.push(t.elapsed());
        assert_eq!(layers.len(), 4, "cells at two levels, areas at two");
    }
    rebuilds.sort();

    let uploads = UploadConfig {
        uploads_dir: dir.path().join("uploads"),
        blobs_dir: dir.path().join("blobs"),
        max_upload_bytes: 1 << 20,
    };
    let app = http::router(
        AppState::new(storage.clone(), TokenKey::random(), Limits::default()),
        uploads,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { http::serve(listener, app).await.unwrap() });
    // Bytes as they cross the wire: the client does not decompress.
    let client = reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .no_zstd()
        .build()
        .unwrap();

    let neighbourhood = format!("{base}/v1/safety?level=neighbourhood");
    let street = format!("{base}/v1/safety?level=street");
    let t = Instant::now();
    let raw = client
        .get(&neighbourhood)
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let first = t.elapsed();
    let cells = serde_json::from_slice::<serde_json::Value>(&raw).unwrap()["features"]
        .as_array()
        .unwrap()
        .len();
    let street_raw = client
        .get(&street)
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();

    let (n_times, n_gzip) = serve_many(&client, &neighbourhood, NEIGHBOURHOOD_REQUESTS).await;
    let (s_times, s_gzip) = serve_many(&client, &street, STREET_REQUESTS).await;
    let (k_times, k_gzip) = serve_many(
        &client,
        &format!("{base}/v1/safety?level=kelurahan"),
        STREET_REQUESTS,
    )
    .await;
    let (r_times, r_gzip) = serve_many(
        &client,
        &format!("{base}/v1/safety?level=rw"),
        STREET_REQUESTS,
    )
    .await;
    println!(
        "neighbourhood layer ({cells} features): p50 {:.2} ms, p99 {:.2} ms; {} bytes gzip, {} raw; first request (build + serve) {:.0} ms",
        percentile(&n_times, 0.5),
        percentile(&n_times, 0.99),
        n_gzip,
        raw.len(),
        ms(first)
    );
    println!(
        "street layer: p50 {:.2} ms, p99 {:.2} ms; {} bytes gzip, {} raw",
        percentile(&s_times, 0.5),
        percentile(&s_times, 0.99),
        s_gzip,
        street_raw
    );
    println!(
        "kelurahan layer: p50 {:.2} ms, p99 {:.2} ms; {} bytes gzip. RW layer: p50 {:.2} ms, p99 {:.2} ms; {} bytes gzip",
        percentile(&k_times, 0.5),
        percentile(&k_times, 0.99),
        k_gzip,
        percentile(&r_times, 0.5),
        percentile(&r_times, 0.99),
        r_gzip
    );
    println!(
        "baseline, building every layer from storage (cells and areas): median {:.0} ms, max {:.0} ms ({REBUILDS} builds); {:.0}× the served p99",
        percentile(&rebuilds, 0.5),
        ms(*rebuilds.last().unwrap()),
        percentile(&rebuilds, 0.5) / percentile(&n_times, 0.99)
    );
}
