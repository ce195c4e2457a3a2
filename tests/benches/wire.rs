//! Bytes on the wire for a phone syncing, and how long a photo takes on 2G. Prints a Markdown
//! table.
//!
//! `cargo bench -p ronda-tests --bench wire`
//!
//! The real server runs in-process on 127.0.0.1:0 (SQLite in a temporary folder). Each device
//! (an RT head and a lurah, both with real stores and the real sync engine) reaches it through
//! its own [`netshape`](ronda_tests::netshape) proxy, and every proxy forwards to one small
//! recording relay in front of the server:
//!
//! ```text
//! device ── netshape proxy (counts, shapes) ── recorder (keeps the raw bytes) ── server
//! ```
//!
//! Bytes are the proxy's counts: TCP payload in both directions, HTTP/1.1 request and status
//! lines, headers and bodies (chunked framing included), as delivered to the receiving peer.
//! There is no TLS on loopback (production would add its handshake and about 22-29 bytes per
//! record), and TCP/IP headers, handshakes and ACKs are not counted. The recorder's copy is
//! only used to say which request and which header the bytes went to.
//!
//! 1. First sync of a kelurahan: the RT head makes 500 reports (Indonesian descriptions of 40 to
//!    200 characters, areas across the kelurahan, most with a photo whose name and metadata are
//!    realistic but whose files are tiny stand-ins) and syncs them. Then a freshly signed-in
//!    lurah syncs once, counted from its first byte after sign-in (with the access token that
//!    activation returned, so no refresh). Baseline: `gzip -c` (level 6) of `serde_json::to_vec` of the
//!    same 500 `ServerReport`s as one JSON array, read from the server's storage (the very
//!    records the lurah's pages carry).
//! 2. The RT head syncs once to warm up (its access token is cached from then on), edits one
//!    report's description and syncs: bytes of that sync; once for a report in another RT and
//!    once for one in his own RT (which two of his buckets hold).
//! 3. A sync with nothing to send or receive (RT head, then lurah): bytes, with the raw request
//!    and response and what each header costs; then the lurah's no-op after an app restart (a
//!    fresh `Syncer`, the token kept in the store), with a token ten minutes from its end (the
//!    answer carries a new one: once an hour for a phone syncing every 15 minutes), and after
//!    more than an hour offline (the token has lapsed: a refresh round trip first).
//! 4. One report with a photo (a synthetic 12 MP photo-like image run through
//!    `ronda_client::photo::process`): first over an unshaped link (what the upload costs with
//!    no faults), then over `Profile::g2()` seeded, timed from the start of the sync to the op
//!    accepted, then over `Profile::flaky()` with several seeds, and once more over the flaky
//!    profile with every connection cut (`Proxy::cut_all`) 250 ms after the server confirmed the
//!    photo's third 32 KiB chunk: the profile decides resets per connection and a keep-alive
//!    sync uses one or two, so most seeded runs see none. A failed sync is retried at once (the
//!    scheduler would wait 5 s·2ⁿ first; that wait is not in the times), counting all bytes.
//!    "Needed" is the photo, the thumbnail and the wire bytes of the sync request that
//!    succeeded; "wasted" is everything else sent up. Bytes a reset drops inside the proxy
//!    (sent by the phone, never delivered) are not counted, so waste is a lower bound.
//!
//! Environment: `RONDA_WIRE_REPORTS` (default 500), `RONDA_WIRE_SEEDS` (flaky seeds, default
//! `1,2,3,4,5`), `RONDA_WIRE_G2_SEEDS` (default `1`).

use std::collections::BTreeMap;
use std::io;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, RgbImage};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{ReadHalf, WriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use ronda_client::Store;
use ronda_client::photo::{self, ProcessedPhoto};
use ronda_client::sync::{Progress, SyncSummary, Syncer, login};
use ronda_core::category::CATALOGUE;
use ronda_core::sync::{BucketId, ServerReport};
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Description, Lang, Location, LocationSource, NewReport,
    PhotoRef, ReportId, ReportKind, ReportPatch, RoleAssignment, Timestamp,
};
use ronda_server::auth::TokenKey;
use ronda_server::config::Limits;
use ronda_server::http::{self, AppState};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;
use ronda_tests::netshape::{Profile, Proxy, Stats};

const KELURAHAN: &str = "31.71.01.1001";
const RT_AREA: &str = "31.71.01.1001/RW 003/RT 007";
const RT_ROLE: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const LURAH_ROLE: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const EDIT_BAR: u64 = 1024;
const NOOP_BAR: u64 = 600;
const FIRST_SYNC_FACTOR: f64 = 1.2;
/// The forced cut comes this long after the server confirmed this many photo bytes: inside
/// the fourth 32 KiB chunk.
const CUT_AFTER_CONFIRMED: u64 = 3 * 32 * 1024;
const CUT_DELAY: Duration = Duration::from_millis(250);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

fn env_list(name: &str, default: &[u64]) -> Vec<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn log(started: Instant, what: &str) {
    eprintln!("[{:6.1} s] {what}", started.elapsed().as_secs_f64());
}

async fn run() {
    let started = Instant::now();
    let reports: usize = std::env::var("RONDA_WIRE_REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let flaky_seeds = env_list("RONDA_WIRE_SEEDS", &[1, 2, 3, 4, 5]);
    let g2_seeds = env_list("RONDA_WIRE_G2_SEEDS", &[1]);

    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = Server::start(dir.path()).await;
    let recorder = Recorder::start(server.addr).await;
    let mut rt = Device::sign_in(dir.path(), "Pak RT", RT_ROLE, &server, &recorder).await;
    let mut lurah = Device::sign_in(dir.path(), "Bu Lurah", LURAH_ROLE, &server, &recorder).await;
    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    // ---- 1. First sync of a kelurahan.
    let mut rng = StdRng::seed_from_u64(2026);
    let mut made = make_reports(&mut rng, &rt.store, reports);
    // An RT head mostly reports in his own RT: make sure at least one report is there.
    made[0] = made[0]
        .clone()
        .in_area(Some(RT_AREA.parse().expect("an area")));
    let with_photo = made.iter().filter(|r| !r.photos().is_empty()).count();
    rt.store.create_reports(&made).expect("reports saved");
    log(
        started,
        &format!("RT head made {reports} reports; syncing them"),
    );
    let setup = rt.sync_until_done().await;
    assert_eq!(setup.summary.ops_accepted, reports, "{:?}", setup.errors);
    log(
        started,
        &format!(
            "RT head synced: {} photos uploaded, {} rounds",
            setup.summary.photos_uploaded, setup.summary.rounds
        ),
    );

    let first = measure(&mut lurah, &recorder).await;
    assert_eq!(first.summary.reports_received, reports);
    log(started, "lurah's first sync done");
    assert!(
        first.exchanges.iter().all(|e| e.path.ends_with("/sync")),
        "the first sync uses the token activation gave"
    );

    let received = server.bucket(&format!("k:{KELURAHAN}")).await;
    assert_eq!(received.len(), reports);
    let json = serde_json::to_vec(&received).expect("reports serialise");
    let json_path = dir.path().join("reports.json");
    std::fs::write(&json_path, &json).expect("JSON written");
    let gzip6 = compressed_size("gzip", &["-c", "-6"], &json_path).expect("gzip runs");
    let gzip9 = compressed_size("gzip", &["-c", "-9"], &json_path).expect("gzip runs");
    let zstd3 = compressed_size("zstd", &["-c", "-q", "-3"], &json_path);
    let first_total = first.stats.bytes_up + first.stats.bytes_down;
    let first_bar = (gzip6 as f64 * FIRST_SYNC_FACTOR).round() as u64;
    rows.push(Row {
        what: format!(
            "1. First sync, lurah pulls {reports} reports ({} rounds, {} connection(s))",
            first.summary.rounds, first.stats.connections
        ),
        up: first.stats.bytes_up,
        down: first.stats.bytes_down,
        bar: format!("≤ 1.2 × gzip = {first_bar}"),
        verdict: verdict(first_total <= first_bar),
    });
    notes.push(format!(
        "Baseline for 1: the {reports} `ServerReport`s as one JSON array: {} B plain, {gzip6} B \
         `gzip -6` (the bar's base), {gzip9} B `gzip -9`{}. {with_photo} of the reports have \
         photos ({} photo refs).",
        json.len(),
        zstd3.map_or(String::new(), |z| format!(", {z} B `zstd -3`")),
        made.iter().map(|r| r.photos().len()).sum::<usize>(),
    ));
    notes.push(format!(
        "Requests in 1: {}",
        describe_exchanges(&first.exchanges)
    ));
    for e in first.exchanges.iter().filter(|e| e.path.ends_with("/sync")) {
        if let Some(r) = &e.response {
            let plain = decoded(r).map_or(0, |d| d.len());
            notes.push(format!(
                "1, a sync response: {} B on the wire for {plain} B of JSON, head `{}`",
                r.body_wire,
                r.head.trim_end().replace("\r\n", " ⏎ ")
            ));
        }
    }

    // ---- 2. A one-field edit.
    let warm = rt.sync_until_done().await;
    assert!(warm.errors.is_empty());
    let mut desc_rng = StdRng::seed_from_u64(7);
    let elsewhere = made
        .iter()
        .find(|r| r.area().is_some_and(|a| a.to_string() != RT_AREA))
        .expect("a report outside the RT head's RT")
        .id();
    let targets = [
        (elsewhere, "in another RT: one bucket page echoes it"),
        (made[0].id(), "in his own RT: two bucket pages echo it"),
    ];
    for (n, (target, what)) in targets.into_iter().enumerate() {
        let patch = ReportPatch {
            report: target,
            category: None,
            location: None,
            description: Some(
                Description::parse(&description(&mut desc_rng)).expect("a valid description"),
            ),
        };
        rt.store.update_report(&patch).expect("edit saved");
        let edit = measure(&mut rt, &recorder).await;
        assert_eq!(edit.summary.ops_accepted, 1);
        let label = format!("2{}", ['a', 'b'][n]);
        rows.push(Row {
            what: format!("{label}. One-field edit, RT head, token warm (report {what})"),
            up: edit.stats.bytes_up,
            down: edit.stats.bytes_down,
            bar: format!("≤ {EDIT_BAR}"),
            verdict: verdict(edit.stats.bytes_up + edit.stats.bytes_down <= EDIT_BAR),
        });
        notes.push(format!(
            "Requests in {label}: {}",
            describe_exchanges(&edit.exchanges)
        ));
        let Some(e) = edit.exchanges.iter().find(|e| e.path.ends_with("/sync")) else {
            continue;
        };
        let request = decoded(&e.request).unwrap_or_default();
        let response = e.response.as_ref().and_then(decoded).unwrap_or_default();
        let id = target.to_string();
        notes.push(format!(
            "{label}, decoded: request JSON {} B (sent as {} B, `content-encoding: {}`): `{}`",
            request.len(),
            e.request.body.len(),
            e.request.header("content-encoding").unwrap_or("none"),
            String::from_utf8_lossy(&request)
        ));
        notes.push(format!(
            "{label}, decoded: response JSON {} B (sent as {} B on the wire, `content-encoding: \
             {}`), the edited report appears {} times: `{}`",
            response.len(),
            e.response.as_ref().map_or(0, |r| r.body_wire),
            e.response
                .as_ref()
                .and_then(|r| r.header("content-encoding"))
                .unwrap_or("none"),
            String::from_utf8_lossy(&response)
                .matches(&format!("\"id\":\"{id}\""))
                .count(),
            String::from_utf8_lossy(&response)
        ));
        if let Some(r) = &e.response {
            notes.push(format!(
                "{label}, response head: `{}`",
                r.head.trim_end().replace("\r\n", " ⏎ ")
            ));
        }
    }

    // ---- 3. No-op syncs.
    let noop = measure(&mut rt, &recorder).await;
    assert_eq!(noop.summary.reports_received, 0);
    rows.push(Row {
        what: "3. No-op sync, RT head (2 buckets)".into(),
        up: noop.stats.bytes_up,
        down: noop.stats.bytes_down,
        bar: format!("≤ {NOOP_BAR}"),
        verdict: verdict(noop.stats.bytes_up + noop.stats.bytes_down <= NOOP_BAR),
    });
    let pull_edit = measure(&mut lurah, &recorder).await;
    assert_eq!(pull_edit.summary.reports_received, 2);
    rows.push(Row {
        what: "   (lurah pulls those two edits)".into(),
        up: pull_edit.stats.bytes_up,
        down: pull_edit.stats.bytes_down,
        bar: String::new(),
        verdict: String::new(),
    });
    let lurah_noop = measure(&mut lurah, &recorder).await;
    assert_eq!(lurah_noop.summary.reports_received, 0);
    rows.push(Row {
        what: "3. No-op sync, lurah (2 buckets)".into(),
        up: lurah_noop.stats.bytes_up,
        down: lurah_noop.stats.bytes_down,
        bar: format!("≤ {NOOP_BAR}"),
        verdict: verdict(lurah_noop.stats.bytes_up + lurah_noop.stats.bytes_down <= NOOP_BAR),
    });
    // An app restart: a fresh `Syncer` finds the token kept in the store.
    let session = lurah.store.session().expect("session").expect("signed in");
    lurah.syncer = Syncer::new(&session, Lang::Id).expect("a syncer");
    let restarted = measure(&mut lurah, &recorder).await;
    assert_eq!(restarted.summary.reports_received, 0);
    rows.push(Row {
        what: "3. No-op sync, lurah, after an app restart (kept token)".into(),
        up: restarted.stats.bytes_up,
        down: restarted.stats.bytes_down,
        bar: format!("≤ {NOOP_BAR}"),
        verdict: verdict(restarted.stats.bytes_up + restarted.stats.bytes_down <= NOOP_BAR),
    });
    // A token with ten minutes left: the answer carries its successor (once an hour for a phone
    // syncing every 15 minutes).
    let ending = Timestamp::now().millis() + 10 * 60 * 1000;
    let token = server.key.issue(session.user_id, session.device_id, ending);
    lurah
        .store
        .set_access_token(Some((&token, ending)))
        .expect("token kept");
    lurah.syncer = Syncer::new(&session, Lang::Id).expect("a syncer");
    let renewing = measure(&mut lurah, &recorder).await;
    assert_ne!(
        lurah.store.access_token().expect("token").map(|t| t.0),
        Some(token),
        "the answer renewed the token"
    );
    rows.push(Row {
        what: "3. No-op sync, lurah, token renewed inside the answer (hourly)".into(),
        up: renewing.stats.bytes_up,
        down: renewing.stats.bytes_down,
        bar: format!("≤ {NOOP_BAR}"),
        verdict: verdict(renewing.stats.bytes_up + renewing.stats.bytes_down <= NOOP_BAR),
    });
    // Back after more than an hour without a sync: the token has lapsed, a refresh comes first.
    lurah.store.set_access_token(None).expect("token forgotten");
    lurah.syncer = Syncer::new(&session, Lang::Id).expect("a syncer");
    let cold_noop = measure(&mut lurah, &recorder).await;
    assert_eq!(cold_noop.summary.reports_received, 0);
    rows.push(Row {
        what: format!(
            "   no-op after over an hour without a sync (refresh first; {} connection(s))",
            cold_noop.stats.connections
        ),
        up: cold_noop.stats.bytes_up,
        down: cold_noop.stats.bytes_down,
        bar: String::new(),
        verdict: String::new(),
    });
    let raw_noop = raw_capture(&noop.exchanges);
    log(started, "edit and no-op syncs done");

    // ---- 4. A report with a photo.
    let mut photo_rows = Vec::new();
    let mut sizes = Vec::new();
    let mut runs: Vec<(Profile, String, Option<u64>)> =
        vec![(Profile::unlimited(), "unshaped".into(), None)];
    runs.extend(
        g2_seeds
            .iter()
            .map(|&s| (Profile::g2().with_seed(s), format!("2g (seed {s})"), None)),
    );
    runs.extend(flaky_seeds.iter().map(|&s| {
        (
            Profile::flaky().with_seed(s),
            format!("flaky (seed {s})"),
            None,
        )
    }));
    // With keep-alive a whole sync rides one connection, so the profile's per-connection reset
    // often never fires: cut one upload on purpose too, to show what a reset costs.
    if let Some(&s) = flaky_seeds.first() {
        runs.push((
            Profile::flaky().with_seed(s),
            format!("flaky (seed {s}) + cut in chunk 4"),
            Some(CUT_AFTER_CONFIRMED),
        ));
    }
    let mut clean_overhead = None;
    for (i, (profile, label, cut)) in runs.into_iter().enumerate() {
        let photo = synthetic_photo(100 + i as u64);
        sizes.push((photo.full.bytes.len(), photo.thumb.bytes.len()));
        let mut report_rng = StdRng::seed_from_u64(300 + i as u64);
        let mut report = random_report(&mut report_rng);
        let photo_ref = rt.store.put_photo(&photo).expect("photo saved");
        report.set_photos(vec![photo_ref]).expect("one photo");
        rt.store.create_report(&report).expect("report saved");
        // A phone coming back to sync after a while has no connection open.
        rt.proxy.cut_all();
        tokio::time::sleep(Duration::from_millis(100)).await;
        rt.proxy.set_profile(profile);
        let run = measure_with_cut(&mut rt, &recorder, cut).await;
        rt.proxy.set_profile(Profile::unlimited());
        assert!(rt.store.blobs_to_upload().expect("blobs").is_empty());
        assert_eq!(rt.store.stats().expect("stats").outbox_pending, 0);
        let photo_bytes = (photo.full.bytes.len() + photo.thumb.bytes.len()) as u64;
        let uploads = UploadTally::of(&run.exchanges);
        let needed = photo_bytes + uploads.last_sync_request;
        let overhead = run.stats.bytes_up.saturating_sub(photo_bytes);
        if clean_overhead.is_none() {
            clean_overhead = Some(overhead);
        }
        photo_rows.push(PhotoRow {
            label: label.clone(),
            elapsed: run.elapsed,
            failed: run.errors.len(),
            connections: run.stats.connections,
            resets: run.stats.resets,
            up: run.stats.bytes_up,
            down: run.stats.bytes_down,
            photo_bytes,
            needed,
            beyond_clean: run
                .stats
                .bytes_up
                .saturating_sub(photo_bytes + clean_overhead.unwrap_or(0)),
            uploads,
            errors: run.errors,
        });
        log(started, &format!("photo run {label} done"));
    }

    // ---- The report.
    println!();
    println!(
        "## Wire bytes (loopback through netshape; HTTP/1.1 without TLS; TCP payload both ways)"
    );
    println!();
    println!("| Measurement | Up (B) | Down (B) | Total (B) | Bar | Result |");
    println!("|---|---:|---:|---:|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.what,
            r.up,
            r.down,
            r.up + r.down,
            r.bar,
            r.verdict
        );
    }
    println!();
    let (full, thumb) = sizes[0];
    println!(
        "## Photo report (photo ≈ {} KB + thumbnail ≈ {} KB; 32 KiB tus chunks)",
        full / 1024,
        thumb / 1024
    );
    println!();
    println!(
        "| Link | Time to synced | Failed attempts | Conns | Resets | Up (B) | Down (B) | Photo+thumb (B) | Needed (B) | Wasted = up − needed (B) | Up beyond a clean run (B) | Upload creations | Resume probes | Upload body re-sent (B) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for p in &photo_rows {
        println!(
            "| {} | {:.1} s | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.label,
            p.elapsed.as_secs_f64(),
            p.failed,
            p.connections,
            p.resets,
            p.up,
            p.down,
            p.photo_bytes,
            p.needed,
            p.up.saturating_sub(p.needed),
            p.beyond_clean,
            p.uploads.creations,
            p.uploads.probes,
            p.uploads.body_bytes.saturating_sub(p.photo_bytes)
        );
    }
    println!();
    println!("Per-run photo sizes (full, thumb): {sizes:?}");
    for p in &photo_rows {
        if !p.errors.is_empty() {
            println!("- {}: retried after: {}", p.label, p.errors.join("; "));
            println!("  - requests: {}", trace(&p.uploads.exchanges));
        }
    }
    println!();
    println!("## Notes");
    println!();
    for n in &notes {
        println!("- {n}");
    }
    println!();
    println!("## Raw no-op sync (RT head)");
    println!();
    println!("{raw_noop}");
    println!(
        "Photo runs, requests of the unshaped run: {}",
        describe_exchanges(&photo_rows[0].uploads.exchanges)
    );
    eprintln!("total {:.1} s", started.elapsed().as_secs_f64());
    drop((rt, lurah, recorder));
    server.task.abort();
}

fn verdict(ok: bool) -> String {
    if ok { "pass" } else { "**FAIL**" }.to_owned()
}

struct Row {
    what: String,
    up: u64,
    down: u64,
    bar: String,
    verdict: String,
}

struct PhotoRow {
    label: String,
    elapsed: Duration,
    failed: usize,
    connections: u64,
    resets: u64,
    up: u64,
    down: u64,
    photo_bytes: u64,
    needed: u64,
    beyond_clean: u64,
    uploads: UploadTally,
    errors: Vec<String>,
}

/// A message's body with its content encoding undone (by the system's `gzip` or `zstd`).
fn decoded(m: &Message) -> Option<Vec<u8>> {
    let program = match m.header("content-encoding") {
        None | Some("identity") => return Some(m.body.clone()),
        Some("gzip") => "gzip",
        Some("zstd") => "zstd",
        Some(_) => return None,
    };
    let mut child = Command::new(program)
        .args(["-d", "-c", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let body = m.body.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().ok()?;
    let _ = writer.join();
    Some(out.stdout)
}

fn compressed_size(program: &str, args: &[&str], file: &Path) -> Option<usize> {
    let out = Command::new(program).args(args).arg(file).output().ok()?;
    out.status.success().then_some(out.stdout.len())
}

// ---------------------------------------------------------------- server and devices

struct Server {
    addr: SocketAddr,
    storage: SqliteStorage,
    key: TokenKey,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(dir: &Path) -> Server {
        let storage = SqliteStorage::open(dir.join("server.db")).expect("server database");
        let uploads = UploadConfig {
            uploads_dir: dir.join("uploads"),
            blobs_dir: dir.join("blobs"),
            max_upload_bytes: 10 << 20,
        };
        // Retries under the flaky profile must not hit the per-device rate limit.
        let limits = Limits {
            syncs_per_minute: 100_000,
            ..Limits::default()
        };
        let key = TokenKey::random();
        let app = http::router(AppState::new(storage.clone(), key.clone(), limits), uploads);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let task = tokio::spawn(async move { http::serve(listener, app).await.expect("serving") });
        Server {
            addr,
            storage,
            key,
            task,
        }
    }

    /// Every report in a bucket, at its latest version, in version order.
    async fn bucket(&self, bucket: &str) -> Vec<ServerReport> {
        let bucket: BucketId = bucket.parse().expect("a bucket");
        let changes = self
            .storage
            .read(move |tx| tx.changes(&bucket, 0, 1_000_000))
            .await
            .expect("bucket read");
        let mut latest: BTreeMap<ReportId, ServerReport> = BTreeMap::new();
        for c in changes {
            latest.insert(c.report.report.id(), c.report);
        }
        let mut out: Vec<ServerReport> = latest.into_values().collect();
        out.sort_by_key(|r| r.version);
        out
    }
}

struct Device {
    store: Store,
    syncer: Syncer,
    proxy: Proxy,
}

struct Run {
    stats: Stats,
    exchanges: Vec<Exchange>,
    elapsed: Duration,
    errors: Vec<String>,
    summary: SyncSummary,
}

impl Device {
    async fn sign_in(
        dir: &Path,
        name: &str,
        role: &str,
        server: &Server,
        recorder: &Recorder,
    ) -> Device {
        let proxy = Proxy::start(recorder.addr, Profile::unlimited())
            .await
            .expect("a proxy");
        let role: RoleAssignment = serde_json::from_str(role).expect("a role");
        let (_, code) = ronda_server::admin::add_user(&server.storage, name, vec![role])
            .await
            .expect("a user");
        let mut store = Store::open(dir.join(format!("{}.db", name.replace(' ', "-"))))
            .expect("a device store");
        let url = format!("http://{}", proxy.addr());
        let session = login(&mut store, &url, &code, name, Lang::Id)
            .await
            .expect("sign-in");
        let syncer = Syncer::new(&session, Lang::Id).expect("a syncer");
        Device {
            store,
            syncer,
            proxy,
        }
    }

    /// Syncs until a sync succeeds, retrying at once after transient failures.
    async fn sync_until_done(&mut self) -> Run {
        self.sync_until_done_cutting(None).await
    }

    /// As `sync_until_done`; with `cut_after`, every connection is cut [`CUT_DELAY`] after the
    /// server first confirms that many bytes of a photo.
    async fn sync_until_done_cutting(&mut self, cut_after: Option<u64>) -> Run {
        let started = Instant::now();
        let Device {
            store,
            syncer,
            proxy,
        } = self;
        let crossed: Mutex<Option<Instant>> = Mutex::new(None);
        let done = AtomicBool::new(false);
        let watcher = async {
            if cut_after.is_none() {
                return;
            }
            while !done.load(SeqCst) {
                let at = *crossed.lock().unwrap_or_else(PoisonError::into_inner);
                if at.is_some_and(|at| at.elapsed() >= CUT_DELAY) {
                    proxy.cut_all();
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        let mut on_progress = |p: Progress| {
            if cut_after.is_some_and(|limit| p.photo_bytes_done >= limit) {
                let mut at = crossed.lock().unwrap_or_else(PoisonError::into_inner);
                at.get_or_insert_with(Instant::now);
            }
        };
        let syncing = async {
            let outcome = sync_retrying(syncer, store, &mut on_progress).await;
            done.store(true, SeqCst);
            outcome
        };
        let ((errors, summary), ()) = tokio::join!(syncing, watcher);
        Run {
            stats: Stats::default(),
            exchanges: Vec::new(),
            elapsed: started.elapsed(),
            errors,
            summary,
        }
    }
}

async fn sync_retrying(
    syncer: &mut Syncer,
    store: &mut Store,
    on_progress: &mut (dyn FnMut(Progress) + Send),
) -> (Vec<String>, SyncSummary) {
    let mut errors = Vec::new();
    let mut summary = SyncSummary::default();
    loop {
        match syncer.sync(store, on_progress).await {
            Ok(s) => {
                summary.rounds += s.rounds;
                summary.ops_accepted += s.ops_accepted;
                summary.ops_rejected += s.ops_rejected;
                summary.reports_received += s.reports_received;
                summary.photos_uploaded += s.photos_uploaded;
                summary.photo_bytes_sent += s.photo_bytes_sent;
                break;
            }
            Err(e) if e.is_transient() && errors.len() < 100 => errors.push(e.to_string()),
            Err(e) => panic!("sync failed for good after {errors:?}: {e}"),
        }
    }
    (errors, summary)
}

/// One sync (with retries), counted from a clean slate.
async fn measure(device: &mut Device, recorder: &Recorder) -> Run {
    measure_with_cut(device, recorder, None).await
}

async fn measure_with_cut(device: &mut Device, recorder: &Recorder, cut: Option<u64>) -> Run {
    // Counters move just after each write: let the previous sync's last bytes land first.
    tokio::time::sleep(Duration::from_millis(50)).await;
    device.proxy.reset_stats();
    recorder.clear();
    let mut run = device.sync_until_done_cutting(cut).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    run.stats = device.proxy.stats();
    run.exchanges = recorder.exchanges();
    run
}

// ---------------------------------------------------------------- report fixtures

const PROBLEMS: &[&str] = &[
    "Jalan berlubang cukup dalam",
    "Lampu PJU mati total",
    "Sampah menumpuk dan mulai berbau",
    "Saluran got tersumbat lumpur",
    "Pohon besar miring hampir tumbang",
    "Genangan air setinggi mata kaki",
    "Trotoar ambles dan pecah",
    "Kabel listrik menjuntai rendah",
    "Tutup gorong-gorong hilang",
    "Pipa air PAM bocor",
    "Parkir liar menutup separuh jalan",
    "Pagar pembatas kali roboh",
    "Jembatan kayu sudah lapuk",
    "Puing bangunan dibuang sembarangan",
    "Air banjir masuk ke rumah warga",
    "Gang gelap karena lampu jalan rusak",
    "Pemuda nongkrong sampai larut malam",
    "Tiang telepon patah",
    "Rambu lalu lintas hilang",
    "Aspal mengelupas dan licin",
];
const PLACES: &[&str] = &[
    "di depan pos ronda",
    "dekat Masjid Al-Ikhlas",
    "di Gang Mawar",
    "di mulut Gang Kenari",
    "samping warung Bu Siti",
    "depan SDN 03 Pagi",
    "di pertigaan dekat pasar",
    "belakang balai warga",
    "di jalan masuk RW 03",
    "dekat musala Nurul Huda",
    "di bantaran kali",
    "depan rumah Pak Haji Udin",
    "di Jl. Kramat Sentiong",
    "dekat halte TransJakarta",
    "samping lapangan bulu tangkis",
    "di ujung gang buntu",
];
const SINCE: &[&str] = &[
    "sejak dua minggu lalu",
    "sudah tiga hari",
    "sejak hujan deras semalam",
    "sudah lebih dari sebulan",
    "sejak Senin pagi",
    "sudah berulang kali",
    "baru tadi subuh",
    "sejak awal musim hujan",
];
const AFTER: &[&str] = &[
    "Motor sering jatuh kalau malam.",
    "Warga takut lewat setelah magrib.",
    "Anak sekolah terpaksa memutar.",
    "Mohon segera ditindaklanjuti.",
    "Sudah lapor ke RT tapi belum ada tindakan.",
    "Banyak nyamuk, warga khawatir DBD.",
    "Baunya sampai ke rumah-rumah.",
    "Air meluap walau hujan sebentar.",
    "Lansia kesulitan lewat.",
    "Tolong dibantu, Pak Lurah.",
    "Kendaraan harus bergantian lewat.",
    "Sudah dipasang tanda seadanya oleh warga.",
];

/// An Indonesian description of 40 to 200 characters.
fn description(rng: &mut StdRng) -> String {
    loop {
        let mut s = format!(
            "{} {}",
            PROBLEMS.choose(rng).expect("problems"),
            PLACES.choose(rng).expect("places")
        );
        if rng.random_bool(0.3) {
            s.push_str(&format!(" no. {}", rng.random_range(1..150)));
        }
        if rng.random_bool(0.7) {
            s.push_str(", ");
            s.push_str(SINCE.choose(rng).expect("since"));
        }
        s.push('.');
        if rng.random_bool(0.25) {
            s.push_str(&format!(
                " Kira-kira {} {}.",
                rng.random_range(2..60),
                ["cm", "meter", "rumah terdampak"]
                    .choose(rng)
                    .expect("units")
            ));
        }
        for _ in 0..rng.random_range(0..=3) {
            s.push(' ');
            s.push_str(AFTER.choose(rng).expect("after"));
        }
        if (40..=200).contains(&s.chars().count()) {
            return s;
        }
    }
}

fn area(rng: &mut StdRng) -> AreaCode {
    let code = match rng.random_range(0..10) {
        0 => KELURAHAN.to_owned(),
        1 => format!("{KELURAHAN}/RW {:03}", rng.random_range(1..=12)),
        _ => format!(
            "{KELURAHAN}/RW {:03}/RT {:03}",
            rng.random_range(1..=12),
            rng.random_range(1..=15)
        ),
    };
    code.parse().expect("an area code")
}

/// A report as a phone makes it: GPS fix (full double precision) in the kelurahan, accuracy
/// to 0.1 m, made some time in the last 60 days.
fn random_report(rng: &mut StdRng) -> NewReport {
    let kind = match rng.random_range(0..20) {
        0..16 => ReportKind::Laporan,
        16..19 => ReportKind::Rawan,
        _ => ReportKind::Audit,
    };
    let fitting: Vec<_> = CATALOGUE.iter().filter(|c| c.applies_to(kind)).collect();
    let category = fitting.choose(rng).expect("a category");
    let created = Timestamp::now().millis() - rng.random_range(0..60 * 24 * 3_600_000);
    let location = Location {
        coord: Coordinate::new(
            rng.random_range(-6.1850..-6.1700),
            rng.random_range(106.8350..106.8500),
        )
        .expect("a coordinate"),
        accuracy_m: Accuracy::metres(f64::from(rng.random_range(30..400u32)) / 10.0)
            .expect("an accuracy"),
        source: match rng.random_range(0..20) {
            0..16 => LocationSource::Gps,
            16..19 => LocationSource::Network,
            _ => LocationSource::MapPick,
        },
        captured_at: Timestamp::from_millis(created - rng.random_range(0..120_000))
            .expect("a time"),
    };
    NewReport::with_id(
        ReportId::new(),
        kind,
        category.code,
        location,
        Timestamp::from_millis(created).expect("a time"),
    )
    .expect("a report")
    .describe(Some(
        Description::parse(&description(rng)).expect("a description"),
    ))
    .in_area(Some(area(rng)))
}

/// `n` reports; 70 % with one photo and 10 % with two. Photo files are tiny distinct JPEGs
/// (through the real pipeline, so their names are real SHA-256s); the recorded size,
/// dimensions, EXIF position and time are those of a phone photo.
fn make_reports(rng: &mut StdRng, store: &Store, n: usize) -> Vec<NewReport> {
    (0..n)
        .map(|_| {
            let mut report = random_report(rng);
            let photos = match rng.random_range(0..10) {
                0..7 => 1,
                7 => 2,
                _ => 0,
            };
            let refs = (0..photos)
                .map(|_| {
                    let mut pixels = vec![0u8; 24 * 18 * 3];
                    rng.fill_bytes(&mut pixels);
                    let tiny = RgbImage::from_raw(24, 18, pixels).expect("pixels");
                    let processed = photo::process(&jpeg(&tiny, 90)).expect("a photo");
                    let stored = store.put_photo(&processed).expect("photo files");
                    let at = report.created_at().millis();
                    PhotoRef {
                        width: 1600,
                        height: 1200,
                        bytes: rng.random_range(150_000..350_000),
                        exif_position: rng.random_bool(0.6).then(|| {
                            Coordinate::new(
                                report.location().coord.lat() + rng.random_range(-1e-4..1e-4),
                                report.location().coord.lon() + rng.random_range(-1e-4..1e-4),
                            )
                            .expect("a coordinate")
                        }),
                        taken_at: rng.random_bool(0.8).then(|| {
                            Timestamp::from_millis(at - rng.random_range(0..600_000))
                                .expect("a time")
                        }),
                        ..stored
                    }
                })
                .collect();
            report.set_photos(refs).expect("photos");
            report
        })
        .collect()
}

fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("JPEG encoding");
    out
}

/// A 4000 × 3000 (12 MP) photo-like image as a phone's JPEG (quality 92), through the real
/// pipeline. Gradients, texture and grain are drawn at the scale of the 1600 px copy, so that
/// they survive the downscale as a real scene's detail does.
fn synthetic_photo(seed: u64) -> ProcessedPhoto {
    const W: usize = 4000;
    const H: usize = 3000;
    const GRAIN_W: usize = 1600;
    const GRAIN_H: usize = 1200;
    let mut rng = StdRng::seed_from_u64(seed);
    let wave = |n: usize, period: f32, phase: f32, amplitude: f32| -> Vec<f32> {
        (0..n)
            .map(|i| amplitude * (i as f32 / period + phase).sin())
            .collect()
    };
    let scale = W as f32 / GRAIN_W as f32;
    let columns = [
        wave(W, 410.0 * scale, 0.0, 55.0),
        wave(W, 330.0 * scale, 1.0, 45.0),
        wave(W, 570.0 * scale, 2.0, 40.0),
    ];
    let rows = [
        wave(H, 290.0 * scale, 0.5, 45.0),
        wave(H, 380.0 * scale, 1.5, 40.0),
        wave(H, 450.0 * scale, 2.5, 50.0),
    ];
    let texture_x = wave(W, 3.1 * scale, 0.0, 1.0);
    let texture_y = wave(H, 4.3 * scale, 0.0, GRAIN_TEXTURE);
    let mut grain = vec![0u8; GRAIN_W * GRAIN_H];
    rng.fill_bytes(&mut grain);
    let mut pixels = Vec::with_capacity(W * H * 3);
    for y in 0..H {
        let gy = y * GRAIN_H / H;
        for x in 0..W {
            let gx = x * GRAIN_W / W;
            let jitter = (f32::from(grain[gy * GRAIN_W + gx]) / 127.5 - 1.0) * GRAIN_NOISE;
            let shared = 128.0 + texture_x[x] * texture_y[y] + jitter;
            for c in 0..3 {
                pixels.push((shared + columns[c][x] + rows[c][y]).clamp(0.0, 255.0) as u8);
            }
        }
    }
    let image = RgbImage::from_raw(W as u32, H as u32, pixels).expect("pixels");
    photo::process(&jpeg(&image, 92)).expect("the pipeline takes the photo")
}

const GRAIN_NOISE: f32 = 9.0;
const GRAIN_TEXTURE: f32 = 18.0;

// ---------------------------------------------------------------- the recorder

#[derive(Default)]
struct ConnLog {
    up: Vec<u8>,
    down: Vec<u8>,
    /// For each read going up: where it starts in `up`, and its place among all reads.
    marks: Vec<(usize, u64)>,
}

/// Orders reads across connections, so requests can be listed in the order they were made.
static READS: AtomicU64 = AtomicU64::new(0);

/// A plain TCP relay that keeps every byte it passes, per connection and direction, so the
/// proxy's counts can be broken down by request and header. It passes a reset on as a reset.
struct Recorder {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<ConnLog>>>,
    task: JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(log: &Mutex<Vec<ConnLog>>) -> MutexGuard<'_, Vec<ConnLog>> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Recorder {
    async fn start(upstream: SocketAddr) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let log: Arc<Mutex<Vec<ConnLog>>> = Arc::default();
        let shared = Arc::clone(&log);
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let index = {
                    let mut log = lock(&shared);
                    log.push(ConnLog::default());
                    log.len() - 1
                };
                tokio::spawn(relay(client, upstream, Arc::clone(&shared), index));
            }
        });
        Recorder { addr, log, task }
    }

    fn clear(&self) {
        for c in lock(&self.log).iter_mut() {
            c.up.clear();
            c.down.clear();
            c.marks.clear();
        }
    }

    /// The HTTP exchanges since the last `clear`, in the order their requests began.
    fn exchanges(&self) -> Vec<Exchange> {
        let log = lock(&self.log);
        let mut all: Vec<Exchange> = log
            .iter()
            .filter(|c| !c.up.is_empty() || !c.down.is_empty())
            .flat_map(exchanges)
            .collect();
        all.sort_by_key(|e| e.seq);
        all
    }
}

async fn relay(
    mut client: TcpStream,
    upstream: SocketAddr,
    log: Arc<Mutex<Vec<ConnLog>>>,
    index: usize,
) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        let _ = client.set_zero_linger();
        return;
    };
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    let failed = {
        let (client_in, client_out) = client.split();
        let (server_in, server_out) = server.split();
        tokio::try_join!(
            copy(client_in, server_out, &log, index, true),
            copy(server_in, client_out, &log, index, false),
        )
        .is_err()
    };
    if failed {
        let _ = (client.set_zero_linger(), server.set_zero_linger());
    }
}

async fn copy(
    mut from: ReadHalf<'_>,
    mut to: WriteHalf<'_>,
    log: &Mutex<Vec<ConnLog>>,
    index: usize,
    up: bool,
) -> io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            return to.shutdown().await;
        }
        {
            let mut log = lock(log);
            let c = &mut log[index];
            if up {
                c.marks.push((c.up.len(), READS.fetch_add(1, SeqCst)));
                c.up.extend_from_slice(&buf[..n]);
            } else {
                c.down.extend_from_slice(&buf[..n]);
            }
        }
        to.write_all(&buf[..n]).await?;
    }
}

// ---------------------------------------------------------------- HTTP/1.1 from raw bytes

/// One HTTP message as it went over the wire.
#[derive(Debug, Clone, Default)]
struct Message {
    /// Start line and headers, with the blank line.
    head: String,
    /// Body bytes on the wire (chunked framing included).
    body_wire: usize,
    /// The body's payload (chunked framing removed; still content-encoded).
    body: Vec<u8>,
    complete: bool,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn wire(&self) -> usize {
        self.head.len() + self.body_wire
    }
}

#[derive(Debug, Clone)]
struct Exchange {
    /// When the request began, among all reads the recorder made.
    seq: u64,
    method: String,
    path: String,
    status: Option<u16>,
    request: Message,
    response: Option<Message>,
}

impl Exchange {
    fn up(&self) -> u64 {
        self.request.wire() as u64
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses one message at the start of `buf`; `no_body` answers whether a message with this
/// head has no body whatever its headers say. Returns the message and the bytes it took.
fn parse_message(buf: &[u8], no_body: impl Fn(&str) -> bool, response: bool) -> (Message, usize) {
    let Some(end) = find(buf, b"\r\n\r\n") else {
        let head = String::from_utf8_lossy(buf).into_owned();
        return (
            Message {
                head,
                ..Message::default()
            },
            buf.len(),
        );
    };
    let head_len = end + 4;
    let mut msg = Message {
        head: String::from_utf8_lossy(&buf[..head_len]).into_owned(),
        complete: true,
        ..Message::default()
    };
    let rest = &buf[head_len..];
    let first_line = msg.head.lines().next().unwrap_or_default().to_owned();
    let chunked = msg
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = msg.header("content-length").and_then(|v| v.parse().ok());
    if no_body(&first_line) {
        // A HEAD answer, 1xx, 204 or 304: the headers describe a body that is not sent.
    } else if chunked {
        let (wire, body, complete) = dechunk(rest);
        (msg.body_wire, msg.body, msg.complete) = (wire, body, complete);
    } else if let Some(n) = length {
        let n: usize = n;
        msg.body_wire = n.min(rest.len());
        msg.body = rest[..msg.body_wire].to_vec();
        msg.complete = rest.len() >= n;
    } else if response {
        msg.body_wire = rest.len();
        msg.body = rest.to_vec();
    }
    let used = head_len + msg.body_wire;
    (msg, used)
}

fn dechunk(rest: &[u8]) -> (usize, Vec<u8>, bool) {
    let mut pos = 0;
    let mut body = Vec::new();
    loop {
        let Some(eol) = find(&rest[pos..], b"\r\n") else {
            return (rest.len(), body, false);
        };
        let line = String::from_utf8_lossy(&rest[pos..pos + eol]);
        let Ok(size) = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
        else {
            return (rest.len(), body, false);
        };
        pos += eol + 2;
        if size == 0 {
            loop {
                let Some(eol) = find(&rest[pos..], b"\r\n") else {
                    return (rest.len(), body, false);
                };
                pos += eol + 2;
                if eol == 0 {
                    return (pos, body, true);
                }
            }
        }
        if rest.len() < pos + size + 2 {
            body.extend_from_slice(&rest[pos..rest.len().min(pos + size)]);
            return (rest.len(), body, false);
        }
        body.extend_from_slice(&rest[pos..pos + size]);
        pos += size + 2;
    }
}

fn exchanges(conn: &ConnLog) -> Vec<Exchange> {
    let (up, down) = (&conn.up[..], &conn.down[..]);
    let mut out = Vec::new();
    let mut at = 0;
    while at < up.len() {
        let seq = conn
            .marks
            .iter()
            .take_while(|(start, _)| *start <= at)
            .last()
            .map_or(0, |(_, seq)| *seq);
        let (request, used) = parse_message(&up[at..], |_| false, false);
        at += used;
        let start = request.head.lines().next().unwrap_or_default().to_owned();
        let mut parts = start.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        out.push(Exchange {
            seq,
            method,
            path,
            status: None,
            request,
            response: None,
        });
    }
    let mut at = 0;
    for e in &mut out {
        if at >= down.len() {
            break;
        }
        let head_request = e.method == "HEAD";
        let (response, used) = parse_message(
            &down[at..],
            |line| {
                let status: u16 = line
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                head_request || status < 200 || status == 204 || status == 304
            },
            true,
        );
        at += used;
        e.status = response.head.split(' ').nth(1).and_then(|s| s.parse().ok());
        e.response = Some(response);
    }
    out
}

fn describe_exchanges(exchanges: &[Exchange]) -> String {
    let mut groups: BTreeMap<String, (usize, u64, u64, u64, u64)> = BTreeMap::new();
    for e in exchanges {
        let path = e
            .path
            .split('/')
            .map(|seg| if seg.len() >= 32 { "{id}" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let key = format!(
            "{} {} → {}",
            e.method,
            path,
            e.status.map_or("(none)".into(), |s| s.to_string())
        );
        let g = groups.entry(key).or_default();
        g.0 += 1;
        g.1 += e.request.head.len() as u64;
        g.2 += e.request.body_wire as u64;
        let (rh, rb) = e
            .response
            .as_ref()
            .map_or((0, 0), |r| (r.head.len() as u64, r.body_wire as u64));
        g.3 += rh;
        g.4 += rb;
    }
    groups
        .iter()
        .map(|(k, (n, qh, qb, rh, rb))| {
            format!(
                "{n}× `{k}` (request head {qh} + body {qb} B, response head {rh} + body {rb} B)"
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The raw no-op request and response, and what each header line costs.
fn raw_capture(exchanges: &[Exchange]) -> String {
    let Some(e) = exchanges.iter().find(|e| e.path.ends_with("/sync")) else {
        return "(no sync request captured)".into();
    };
    let mut out = String::new();
    let mut show = |what: &str, m: &Message| {
        out.push_str(&format!(
            "{what}: head {} B, body {} B on the wire\n\n```http\n{}",
            m.head.len(),
            m.body_wire,
            m.head
        ));
        out.push_str(&String::from_utf8_lossy(&m.body));
        out.push_str("\n```\n\nBytes per head line (with CRLF), largest first:\n\n");
        let mut lines: Vec<(usize, String)> = m
            .head
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let name = l.split_once(':').map_or(l, |(k, _)| k);
                (l.len() + 2, name.to_owned())
            })
            .collect();
        lines.sort_by_key(|l| std::cmp::Reverse(l.0));
        for (len, name) in lines {
            out.push_str(&format!("- {len:4} B  {name}\n"));
        }
        out.push('\n');
    };
    show("Request", &e.request);
    if let Some(r) = &e.response {
        show("Response", r);
    }
    out
}

/// The requests in order, each with its status (✗: none) and request body bytes the server
/// received (of how many, when cut).
fn trace(exchanges: &[Exchange]) -> String {
    exchanges
        .iter()
        .map(|e| {
            let what = e
                .path
                .trim_start_matches("/v1/")
                .split('/')
                .next()
                .unwrap_or_default();
            let status = e.status.map_or("✗".to_owned(), |s| s.to_string());
            let declared: Option<usize> = e
                .request
                .header("content-length")
                .and_then(|v| v.parse().ok());
            let body = match declared {
                Some(n) if n != e.request.body_wire => format!(" {}/{n} B", e.request.body_wire),
                Some(n) if n > 0 => format!(" {n} B"),
                _ => String::new(),
            };
            let offset = e
                .request
                .header("upload-offset")
                .map_or(String::new(), |o| format!(" @{o}"));
            format!("{} {what}{offset}{body} → {status}", e.method)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What the tus part of a photo run did.
#[derive(Debug, Default)]
struct UploadTally {
    /// `POST /uploads`: new uploads created (one per blob when nothing restarts).
    creations: usize,
    /// `HEAD /uploads/{id}`: offsets asked for before resuming.
    probes: usize,
    /// Upload body bytes the server received (POST and PATCH, partial ones included).
    body_bytes: u64,
    /// Wire bytes of the last complete `POST /v1/sync` request.
    last_sync_request: u64,
    exchanges: Vec<Exchange>,
}

impl UploadTally {
    fn of(exchanges: &[Exchange]) -> UploadTally {
        let mut t = UploadTally {
            exchanges: exchanges.to_vec(),
            ..UploadTally::default()
        };
        for e in exchanges {
            let upload = e.path.contains("/uploads");
            match e.method.as_str() {
                "POST" if upload => {
                    t.creations += 1;
                    t.body_bytes += e.request.body_wire as u64;
                }
                "PATCH" if upload => t.body_bytes += e.request.body_wire as u64,
                "HEAD" if upload => t.probes += 1,
                "POST" if e.path.ends_with("/sync") && e.status == Some(200) => {
                    t.last_sync_request = e.up();
                }
                _ => {}
            }
        }
        t
    }
}
