//! Server throughput over real HTTP on loopback, beside what the same work costs without HTTP
//! and what the disk allows. Prints Markdown tables for docs/benchmarks.md.
//!
//! `cargo bench -p ronda-server --bench throughput` (about two minutes)
//!
//! The server is the real `ronda-server serve` binary in a child process (its own tokio runtime,
//! default worker threads); this process is the load generator (reqwest, keep-alive, a 2-thread
//! tokio runtime). Both share the machine's cores, so each row also shows the CPU each side used
//! during the measured window, and what other processes on the machine took.
//!
//! 1. No-op syncs: `DEVICES` lurah devices, each activated over HTTP with a code from
//!    `admin::add_user` and brought up to date with `SEED_REPORTS` reports in its kelurahan, then
//!    each loops "anything new?" (its cursors, no ops) for `RONDA_BENCH_SECS` after a warm-up:
//!    back to back (closed loop: at 256 in flight, mean latency is 256 ÷ throughput), then on a
//!    fixed schedule at `OPEN_RATE` and at half the closed loop's rate (open loop: latency counts
//!    from when each request was due, so a server that falls behind shows it).
//! 2. Durable ingest: `INGEST_DEVICES` warga devices loop pushing `BATCH` `report.create` ops per
//!    sync (cursors kept, so each answer carries back only the batch just made); accepted ops/s.
//! 3. Where the time goes: the same sync logic called in-process on the same database (no HTTP,
//!    no JSON), the building blocks alone, and raw SQLite inserts (WAL, synchronous=FULL) on the
//!    same disk, one transaction per 50 rows and per row.
//!
//! The per-device rate limit (`limits.syncs_per_minute`, 120 by default) is raised for the run:
//! 256 connections stand in for tens of thousands of phones that each sync rarely.
//!
//! Environment: `RONDA_BENCH_SECS` (measured seconds per closed-loop run, default 10),
//! `RONDA_BENCH_DIR` (where the databases go; default the target dir, on the build's disk).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use tokio::task::JoinSet;

use ronda_core::sync::{BucketId, OpResult, SyncRequest, SyncResponse};
use ronda_core::{
    Accuracy, Coordinate, Description, DeviceId, Hlc, Lang, Location, LocationSource, NewReport,
    Op, OpBody, ReportKind, RoleAssignment, Timestamp, UserId,
};
use ronda_server::auth::TokenKey;
use ronda_server::http::SignedIn;
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;

const DEVICES: usize = 256;
const INGEST_DEVICES: usize = 64;
const BATCH: usize = 50;
const SEED_REPORTS: usize = 500;
const WARMUP: Duration = Duration::from_secs(2);
/// The bar's rate, offered on a fixed schedule.
const OPEN_RATE: f64 = 10_000.0;
const OPEN_SECS: u64 = 5;
const IN_PROCESS: Duration = Duration::from_secs(3);
const RAW_SQLITE: Duration = Duration::from_secs(4);

const INGEST_KELURAHAN: &str = "31.71.01.1002";
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const KETUA_RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const CATEGORIES: [&str; 5] = [
    "jalan-rusak",
    "pju-mati",
    "saluran-tersumbat",
    "sampah-menumpuk",
    "pohon-tumbang",
];
const WORDS: [&str; 16] = [
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
    "pos",
    "ronda",
    "malam",
    "hujan",
];

// ---------------------------------------------------------------------------------------------
// Measuring

/// The measured window: requests that start after the warm-up and finish before the end count.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    end: Instant,
}

impl Window {
    fn new(warmup: Duration, measure: Duration) -> Self {
        let start = Instant::now() + warmup;
        Self {
            start,
            end: start + measure,
        }
    }

    fn over(&self) -> bool {
        Instant::now() >= self.end
    }

    fn secs(&self) -> f64 {
        (self.end - self.start).as_secs_f64()
    }
}

#[derive(Debug, Default)]
struct Stats {
    /// Requests completed inside the window with the expected answer.
    done: u64,
    /// What they carried: ops accepted, or 1 per sync.
    units: u64,
    /// Answers that were not 200, transport errors, or not what the run expects.
    errors: u64,
    /// 429 answers.
    limited: u64,
    /// Open loop: requests due in the window but not sent by a second after it (too far behind).
    missed: u64,
    /// Open loop: requests that completed inside the window, whenever they were due.
    in_time: u64,
    lat_us: Vec<u32>,
}

impl Stats {
    fn record(&mut self, window: &Window, t0: Instant, outcome: Outcome) {
        let t1 = Instant::now();
        if t0 < window.start || t1 > window.end {
            return;
        }
        match outcome {
            Outcome::Ok(units) => {
                self.done += 1;
                self.units += units;
                self.lat_us
                    .push((t1 - t0).as_micros().min(u128::from(u32::MAX)) as u32);
            }
            Outcome::Limited => self.limited += 1,
            Outcome::Failed => self.errors += 1,
        }
    }

    /// For an open loop: latency of requests due inside the window, however late they finish;
    /// throughput from those that finish inside it, whenever they were due.
    fn record_due(&mut self, window: &Window, due: Instant, outcome: Outcome) {
        let now = Instant::now();
        if matches!(outcome, Outcome::Ok(_)) && now >= window.start && now <= window.end {
            self.in_time += 1;
        }
        if due < window.start {
            return;
        }
        let late = now - due;
        match outcome {
            Outcome::Ok(units) => {
                self.done += 1;
                self.units += units;
                self.lat_us
                    .push(late.as_micros().min(u128::from(u32::MAX)) as u32);
            }
            Outcome::Limited => self.limited += 1,
            Outcome::Failed => self.errors += 1,
        }
    }

    fn merge(&mut self, other: Stats) {
        self.done += other.done;
        self.units += other.units;
        self.errors += other.errors;
        self.limited += other.limited;
        self.missed += other.missed;
        self.in_time += other.in_time;
        self.lat_us.extend(other.lat_us);
    }

    fn pct_ms(&mut self, p: f64) -> f64 {
        if self.lat_us.is_empty() {
            return f64::NAN;
        }
        self.lat_us.sort_unstable();
        let i = ((self.lat_us.len() as f64 * p).ceil() as usize).clamp(1, self.lat_us.len()) - 1;
        f64::from(self.lat_us[i]) / 1000.0
    }
}

enum Outcome {
    Ok(u64),
    Limited,
    Failed,
}

/// Fields 3 onwards of a `/proc/.../stat` file (after the command name).
fn stat_fields(path: &str) -> Vec<String> {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    stat.rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// CPU seconds used so far, from a `/proc/.../stat` file: utime and stime are fields 14 and 15.
fn stat_cpu(path: &str, tick: f64) -> f64 {
    let fields = stat_fields(path);
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (get(11) + get(12)) / tick
}

/// (busy, total) jiffies over all cores, from `/proc/stat`.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let v: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// The server's threads: (how many, context switches so far, CPU seconds of the SQLite writer,
/// seconds the writer spent runnable but waiting for a CPU).
fn server_threads(pid: &str, tick: f64) -> (usize, f64, f64, f64) {
    let mut threads = 0;
    let mut switches = 0.0;
    let mut writer = 0.0;
    let mut writer_wait = 0.0;
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return (0, 0.0, 0.0, 0.0);
    };
    for task in tasks.flatten() {
        threads += 1;
        let dir = task.path();
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        for line in status.lines() {
            if let Some(v) = line
                .strip_prefix("voluntary_ctxt_switches:")
                .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
            {
                switches += v.trim().parse::<f64>().unwrap_or(0.0);
            }
        }
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim().starts_with("ronda-sqlite-wr") {
            writer += stat_cpu(&dir.join("stat").to_string_lossy(), tick);
            // schedstat: time on CPU, time waiting on a run queue, timeslices (ns).
            writer_wait += std::fs::read_to_string(dir.join("schedstat"))
                .unwrap_or_default()
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
                / 1e9;
        }
    }
    (threads, switches, writer, writer_wait)
}

#[derive(Debug, Clone, Copy, Default)]
struct Cpu {
    /// Cores' worth of CPU used by the server process during the window.
    server: f64,
    /// … by this (load generator) process.
    client: f64,
    /// Fraction of the whole machine busy.
    busy: f64,
    /// Server threads at the end of the window.
    threads: usize,
    /// Server context switches per second.
    switches: f64,
    /// Cores' worth of CPU used by the server's SQLite writer thread.
    writer: f64,
    /// Fraction of the time the writer was runnable but waiting for a CPU.
    writer_wait: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    server: f64,
    client: f64,
    busy: f64,
    total: f64,
    threads: usize,
    switches: f64,
    writer: f64,
    writer_wait: f64,
}

#[derive(Debug, Clone)]
struct CpuProbe {
    server_pid: String,
    tick: f64,
}

impl CpuProbe {
    fn sample(&self) -> Sample {
        let (busy, total) = machine_cpu();
        let (threads, switches, writer, writer_wait) = server_threads(&self.server_pid, self.tick);
        Sample {
            server: stat_cpu(&format!("/proc/{}/stat", self.server_pid), self.tick),
            client: stat_cpu("/proc/self/stat", self.tick),
            busy,
            total,
            threads,
            switches,
            writer,
            writer_wait,
        }
    }

    /// Samples at the window's start and end.
    async fn over(self, window: Window) -> Cpu {
        tokio::time::sleep_until(window.start.into()).await;
        let a = self.sample();
        tokio::time::sleep_until(window.end.into()).await;
        let b = self.sample();
        let secs = window.secs();
        Cpu {
            server: (b.server - a.server) / secs,
            client: (b.client - a.client) / secs,
            busy: if b.total > a.total {
                (b.busy - a.busy) / (b.total - a.total)
            } else {
                0.0
            },
            threads: b.threads,
            switches: (b.switches - a.switches) / secs,
            writer: (b.writer - a.writer) / secs,
            writer_wait: (b.writer_wait - a.writer_wait) / secs,
        }
    }
}

fn clock_tick() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

// ---------------------------------------------------------------------------------------------
// The server

struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let config = data.join("bench.toml");
        std::fs::write(&config, "[limits]\nsyncs_per_minute = 100000000\n").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ronda-server"))
            .arg("--config")
            .arg(&config)
            .arg("serve")
            .env("RONDA_LISTEN", "127.0.0.1:0")
            .env("RONDA_DATA_DIR", data)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start ronda-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("ronda-server said {line:?}"))
            .to_owned();
        Server { child, url }
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(4 * DEVICES)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

#[derive(Debug, Clone)]
struct Dev {
    user: UserId,
    device: DeviceId,
    auth: HeaderValue,
    cursors: BTreeMap<BucketId, i64>,
}

async fn activate(http: &reqwest::Client, url: &str, code: &str, name: &str) -> SignedIn {
    let resp = http
        .post(format!("{url}/v1/auth/activate"))
        .json(&serde_json::json!({ "code": code, "device_name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "activate: {}",
        resp.text().await.unwrap()
    );
    resp.json().await.unwrap()
}

async fn sync_once(
    http: &reqwest::Client,
    url: &str,
    dev: &Dev,
    req: &SyncRequest,
) -> SyncResponse {
    let resp = http
        .post(format!("{url}/v1/sync"))
        .header(AUTHORIZATION, dev.auth.clone())
        .json(req)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "sync: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

fn learn(cursors: &mut BTreeMap<BucketId, i64>, resp: &SyncResponse) {
    for page in &resp.pages {
        cursors.insert(page.bucket.clone(), page.cursor);
    }
}

fn new_op(rng: &mut StdRng, area: &str, n: u32) -> Op {
    let now = Timestamp::now();
    let location = Location {
        coord: Coordinate::new(
            rng.random_range(-6.180..-6.170),
            rng.random_range(106.820..106.830),
        )
        .unwrap(),
        accuracy_m: Accuracy::metres(rng.random_range(3.0..30.0)).unwrap(),
        source: LocationSource::Gps,
        captured_at: now,
    };
    let words: Vec<&str> = (0..rng.random_range(10..20))
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    let category = CATEGORIES[rng.random_range(0..CATEGORIES.len())];
    let report = NewReport::new(ReportKind::Laporan, category, location)
        .unwrap()
        .describe(Some(Description::parse(&words.join(" ")).unwrap()))
        .in_area(Some(area.parse().unwrap()));
    Op::new(
        OpBody::CreateReport(report),
        Hlc {
            ms: now.millis(),
            n,
        },
    )
}

/// Ingested reports go to the next kelurahan, so the lurah devices stay up to date.
fn ingest_area(i: usize) -> String {
    format!("{INGEST_KELURAHAN}/RW {:03}/RT {:03}", 1 + i % 4, 1 + i % 8)
}

// ---------------------------------------------------------------------------------------------
// The load

/// One device asking "anything new?" over and over: back to back (`pace` None, a closed loop), or
/// on a fixed schedule of one request every `pace.0` starting `pace.1` into the window (an open
/// loop: latency counts from when the request was due, so falling behind shows as latency).
async fn noop_loop(
    http: reqwest::Client,
    url: String,
    dev: Dev,
    window: Window,
    pace: Option<(Duration, Duration)>,
) -> Stats {
    let body = Bytes::from(
        serde_json::to_vec(&SyncRequest {
            ops: vec![],
            cursors: dev.cursors.clone(),
            ..Default::default()
        })
        .unwrap(),
    );
    let url = format!("{url}/v1/sync");
    let json = HeaderValue::from_static("application/json");
    let mut stats = Stats::default();
    let mut due = pace.map(|(_, offset)| window.start - WARMUP + offset);
    loop {
        let t0 = match (&mut due, pace) {
            (Some(due), Some((every, _))) => {
                let at = *due;
                *due += every;
                if at >= window.end {
                    break;
                }
                if Instant::now() > window.end + Duration::from_secs(1) {
                    // Too far behind: what is left is counted, not sent.
                    stats.missed += (window.end - at.max(window.start))
                        .as_nanos()
                        .div_ceil(every.as_nanos()) as u64;
                    break;
                }
                tokio::time::sleep_until(at.into()).await;
                at
            }
            _ if window.over() => break,
            _ => Instant::now(),
        };
        let sent = http
            .post(&url)
            .header(AUTHORIZATION, dev.auth.clone())
            .header(CONTENT_TYPE, json.clone())
            .body(body.clone())
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status() == 200 => match r.bytes().await {
                // Anything beyond `{"now":…}` means the device was not up to date.
                Ok(b) if !b.windows(7).any(|w| w == b"\"pages\"") => Outcome::Ok(1),
                _ => Outcome::Failed,
            },
            Ok(r) if r.status() == 429 => Outcome::Limited,
            _ => Outcome::Failed,
        };
        if pace.is_some() {
            stats.record_due(&window, t0, outcome);
        } else {
            stats.record(&window, t0, outcome);
        }
    }
    stats
}

async fn health_loop(http: reqwest::Client, url: String, window: Window) -> Stats {
    let url = format!("{url}/health");
    let mut stats = Stats::default();
    while !window.over() {
        let t0 = Instant::now();
        let outcome = match http.get(&url).send().await {
            Ok(r) if r.status() == 200 => match r.bytes().await {
                Ok(_) => Outcome::Ok(1),
                Err(_) => Outcome::Failed,
            },
            _ => Outcome::Failed,
        };
        stats.record(&window, t0, outcome);
    }
    stats
}

/// One device pushing batches of new reports as fast as they are acknowledged.
async fn ingest_loop(
    http: reqwest::Client,
    url: String,
    mut dev: Dev,
    area: String,
    seed: u64,
    window: Window,
) -> Stats {
    let url = format!("{url}/v1/sync");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut stats = Stats::default();
    let mut n = 0u32;
    while !window.over() {
        let ops: Vec<Op> = (0..BATCH)
            .map(|_| {
                n += 1;
                new_op(&mut rng, &area, n)
            })
            .collect();
        let body = serde_json::to_vec(&SyncRequest {
            ops,
            cursors: dev.cursors.clone(),
            ..Default::default()
        })
        .unwrap();
        let t0 = Instant::now();
        let sent = http
            .post(&url)
            .header(AUTHORIZATION, dev.auth.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await;
        let outcome = match sent {
            Ok(r) if r.status() == 200 => match r.json::<SyncResponse>().await {
                Ok(resp) => {
                    learn(&mut dev.cursors, &resp);
                    let accepted = resp
                        .results
                        .iter()
                        .filter(|r| matches!(r, OpResult::Accepted))
                        .count();
                    if accepted == BATCH {
                        Outcome::Ok(accepted as u64)
                    } else {
                        Outcome::Failed
                    }
                }
                Err(_) => Outcome::Failed,
            },
            Ok(r) if r.status() == 429 => Outcome::Limited,
            _ => Outcome::Failed,
        };
        stats.record(&window, t0, outcome);
    }
    stats
}

async fn gather(mut set: JoinSet<Stats>) -> Stats {
    let mut all = Stats::default();
    while let Some(s) = set.join_next().await {
        all.merge(s.unwrap());
    }
    all
}

// ---------------------------------------------------------------------------------------------
// In-process: the same work without HTTP

/// Runs `n` concurrent loops of `step` for `dur`; returns (completions per second, p50 ms, p99 ms).
async fn in_process<F, Fut>(n: usize, dur: Duration, step: F) -> (f64, f64, f64)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = u64> + Send + 'static,
{
    let step = Arc::new(step);
    let window = Window::new(Duration::from_secs(1), dur);
    let mut set = JoinSet::new();
    for i in 0..n {
        let step = step.clone();
        set.spawn(async move {
            let mut stats = Stats::default();
            while !window.over() {
                let t0 = Instant::now();
                let units = step(i).await;
                stats.record(&window, t0, Outcome::Ok(units));
            }
            stats
        });
    }
    let mut all = gather(set).await;
    (
        all.units as f64 / window.secs(),
        all.pct_ms(0.50),
        all.pct_ms(0.99),
    )
}

/// Nanoseconds per call of `f`, best of three runs of `n`.
fn per_call_ns(n: u32, mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_nanos() as f64 / f64::from(n)
        })
        .fold(f64::INFINITY, f64::min)
}

// ---------------------------------------------------------------------------------------------
// Raw SQLite: the disk's floor

fn raw_sqlite(path: &Path, rows: &[String], per_tx: usize, dur: Duration) -> f64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT",
    )
    .unwrap();
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < dur {
        conn.execute_batch("BEGIN").unwrap();
        {
            let mut stmt = conn
                .prepare_cached("INSERT INTO t (id, body) VALUES (?1, ?2)")
                .unwrap();
            for i in 0..per_tx {
                stmt.execute((
                    ronda_core::OpId::new().to_string(),
                    &rows[(done + i) % rows.len()],
                ))
                .unwrap();
            }
        }
        conn.execute_batch("COMMIT").unwrap();
        done += per_tx;
    }
    done as f64 / start.elapsed().as_secs_f64()
}

// ---------------------------------------------------------------------------------------------

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let kernel = Command::new("uname")
        .arg("-r")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();
    format!(
        "{} × {model}, Linux {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        kernel.trim()
    )
}

fn main() {
    let secs: u64 = std::env::var("RONDA_BENCH_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let measure = Duration::from_secs(secs);
    let base = std::env::var_os("RONDA_BENCH_DIR").map_or_else(
        || env!("CARGO_TARGET_TMPDIR").into(),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::tempdir_in(&base).unwrap();
    let data = dir.path().join("server");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(&data, dir.path(), measure));
}

async fn run(data: &Path, dir: &Path, measure: Duration) {
    let began = Instant::now();
    let load_before = load_average();
    eprintln!("machine: {}; load average {load_before}", machine());
    eprintln!("data: {}", data.display());

    // People and codes, written to the server's database before it starts.
    let storage = SqliteStorage::open(data.join("ronda.db")).unwrap();
    let lurah: RoleAssignment = serde_json::from_str(LURAH).unwrap();
    let rt_head: RoleAssignment = serde_json::from_str(KETUA_RT).unwrap();
    let mut people = JoinSet::new();
    for i in 0..DEVICES + INGEST_DEVICES + 1 {
        let storage = storage.clone();
        let role = if i < DEVICES {
            lurah.clone()
        } else if i < DEVICES + INGEST_DEVICES {
            RoleAssignment::Warga
        } else {
            rt_head.clone()
        };
        people.spawn(async move {
            let (user, code) =
                ronda_server::admin::add_user(&storage, &format!("bench {i}"), vec![role])
                    .await
                    .unwrap();
            (i, user, code)
        });
    }
    let mut codes = people.join_all().await;
    codes.sort_by_key(|c| c.0);
    drop(storage);
    eprintln!(
        "{} people added in {:.1} s",
        codes.len(),
        began.elapsed().as_secs_f64()
    );

    let server = Server::start(data);
    let url = server.url.clone();
    eprintln!("server pid {} at {url}", server.pid());
    let http = client();

    // Activate every device over HTTP.
    let mut act = JoinSet::new();
    let codes = Arc::new(codes);
    for worker in 0..8 {
        let (http, url, codes) = (http.clone(), url.clone(), codes.clone());
        act.spawn(async move {
            let mut out = Vec::new();
            for (i, user, code) in codes.iter().skip(worker).step_by(8) {
                let signed = activate(&http, &url, code, &format!("HP {i}")).await;
                assert_eq!(signed.user_id, *user);
                out.push((
                    *i,
                    Dev {
                        user: *user,
                        device: signed.device_id,
                        auth: HeaderValue::from_str(&format!("Bearer {}", signed.access_token))
                            .unwrap(),
                        cursors: BTreeMap::new(),
                    },
                ));
            }
            out
        });
    }
    let mut devs: Vec<(usize, Dev)> = act.join_all().await.into_iter().flatten().collect();
    devs.sort_by_key(|d| d.0);
    let mut devs: Vec<Dev> = devs.into_iter().map(|d| d.1).collect();
    let seeder = devs.pop().expect("the RT head");
    let ingesters = devs.split_off(DEVICES);
    let mut lurahs = devs;
    eprintln!(
        "{} devices activated at {:.1} s",
        lurahs.len() + ingesters.len() + 1,
        began.elapsed().as_secs_f64()
    );

    // Reports in the kelurahan, made by the RT head over HTTP.
    let mut rng = StdRng::seed_from_u64(7);
    let mut n = 0;
    for _ in 0..SEED_REPORTS / BATCH {
        let ops = (0..BATCH)
            .map(|_| {
                n += 1;
                new_op(&mut rng, "31.71.01.1001/RW 003/RT 007", n)
            })
            .collect();
        let resp = sync_once(
            &http,
            &url,
            &seeder,
            &SyncRequest {
                ops,
                cursors: BTreeMap::new(),
                ..Default::default()
            },
        )
        .await;
        assert!(resp.results.iter().all(|r| *r == OpResult::Accepted));
    }

    // Each lurah device pulls them all, until a sync brings nothing.
    let mut catchup = JoinSet::new();
    let first_pull_bytes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for (i, mut dev) in lurahs.drain(..).enumerate() {
        let (http, url, bytes) = (http.clone(), url.clone(), first_pull_bytes.clone());
        catchup.spawn(async move {
            let mut got = 0;
            loop {
                let resp = sync_once(
                    &http,
                    &url,
                    &dev,
                    &SyncRequest {
                        ops: vec![],
                        cursors: dev.cursors.clone(),
                        ..Default::default()
                    },
                )
                .await;
                if got == 0 {
                    bytes.fetch_max(
                        serde_json::to_vec(&resp).unwrap().len(),
                        std::sync::atomic::Ordering::Relaxed,
                    );
                }
                learn(&mut dev.cursors, &resp);
                got += resp.reports.len();
                if resp.pages.is_empty() && !resp.more {
                    break;
                }
            }
            assert_eq!(got, SEED_REPORTS);
            (i, dev)
        });
    }
    let mut up = catchup.join_all().await;
    up.sort_by_key(|d| d.0);
    let lurahs: Vec<Dev> = up.into_iter().map(|d| d.1).collect();
    eprintln!(
        "{} lurah devices up to date at {:.1} s",
        lurahs.len(),
        began.elapsed().as_secs_f64()
    );

    let noop_body = serde_json::to_vec(&SyncRequest {
        ops: vec![],
        cursors: lurahs[0].cursors.clone(),
        ..Default::default()
    })
    .unwrap();
    let noop_answer = http
        .post(format!("{url}/v1/sync"))
        .header(AUTHORIZATION, lurahs[0].auth.clone())
        .header(CONTENT_TYPE, "application/json")
        .body(noop_body.clone())
        .send()
        .await
        .unwrap();
    let noop_headers = noop_answer.headers().clone();
    let noop_answer = noop_answer.bytes().await.unwrap();

    let probe = CpuProbe {
        server_pid: server.pid(),
        tick: clock_tick(),
    };

    // The HTTP stack alone: GET /health from as many connections.
    let health_secs = 5.min(measure.as_secs());
    let window = Window::new(WARMUP, Duration::from_secs(health_secs));
    let cpu = tokio::spawn(probe.clone().over(window));
    let mut set = JoinSet::new();
    for _ in 0..DEVICES {
        set.spawn(health_loop(http.clone(), url.clone(), window));
    }
    let mut health = gather(set).await;
    let health_cpu = cpu.await.unwrap();
    eprintln!("health: {:.0}/s", health.done as f64 / window.secs());

    // 1. No-op syncs.
    let window = Window::new(WARMUP, measure);
    let cpu = tokio::spawn(probe.clone().over(window));
    let mut set = JoinSet::new();
    for dev in &lurahs {
        set.spawn(noop_loop(
            http.clone(),
            url.clone(),
            dev.clone(),
            window,
            None,
        ));
    }
    let mut noop = gather(set).await;
    let noop_cpu = cpu.await.unwrap();
    let noop_secs = window.secs();
    eprintln!("no-op: {:.0}/s", noop.done as f64 / noop_secs);

    // 1b. No-op syncs offered at fixed rates (open loop): the bar's rate, and half of what the
    // closed loop reached. Latency counts from when each request was due.
    let mut open = Vec::new();
    for rate in [OPEN_RATE, (noop.done as f64 / noop_secs / 2.0).round()] {
        let window = Window::new(WARMUP, Duration::from_secs(OPEN_SECS));
        let cpu = tokio::spawn(probe.clone().over(window));
        let every = Duration::from_secs_f64(DEVICES as f64 / rate);
        let mut set = JoinSet::new();
        for (i, dev) in lurahs.iter().enumerate() {
            let offset = every.mul_f64(i as f64 / DEVICES as f64);
            set.spawn(noop_loop(
                http.clone(),
                url.clone(),
                dev.clone(),
                window,
                Some((every, offset)),
            ));
        }
        let stats = gather(set).await;
        let cpu = cpu.await.unwrap();
        eprintln!(
            "open loop at {rate:.0}/s: {:.0}/s completed",
            stats.in_time as f64 / window.secs()
        );
        open.push((rate, stats, cpu, window.secs()));
    }

    // Raw SQLite on the same disk, right before the ingest (the server idle), and again at the
    // end: the disk's fsync cost moves with whatever else the machine is writing.
    let rows: Vec<String> = (0..1000)
        .map(|i| serde_json::to_string(&new_op(&mut rng, &ingest_area(i), 1)).unwrap())
        .collect();
    let row_len = rows.iter().map(String::len).sum::<usize>() / rows.len();
    let raw50 =
        tokio::task::block_in_place(|| raw_sqlite(&dir.join("raw50.db"), &rows, BATCH, RAW_SQLITE));
    let raw1 =
        tokio::task::block_in_place(|| raw_sqlite(&dir.join("raw1.db"), &rows, 1, RAW_SQLITE));
    eprintln!("raw SQLite: {raw50:.0} rows/s (tx per {BATCH}), {raw1:.0} rows/s (tx per row)");

    // 2. Durable ingest.
    let sample_op = serde_json::to_vec(&new_op(&mut rng, &ingest_area(0), 1)).unwrap();
    let window = Window::new(WARMUP, measure);
    let cpu = tokio::spawn(probe.clone().over(window));
    let mut set = JoinSet::new();
    for (i, dev) in ingesters.iter().enumerate() {
        set.spawn(ingest_loop(
            http.clone(),
            url.clone(),
            dev.clone(),
            ingest_area(i),
            1000 + i as u64,
            window,
        ));
    }
    let mut ingest = gather(set).await;
    let ingest_cpu = cpu.await.unwrap();
    eprintln!("ingest: {:.0} ops/s", ingest.units as f64 / window.secs());

    drop(http);
    drop(server);
    eprintln!("server stopped at {:.1} s", began.elapsed().as_secs_f64());

    // 3. Where the time goes: the same database, in this process, no HTTP.
    let storage = SqliteStorage::open(data.join("ronda.db")).unwrap();
    let lurahs = Arc::new(lurahs);
    let st = storage.clone();
    let empty_read = in_process(DEVICES, IN_PROCESS, move |_| {
        let st = st.clone();
        async move {
            st.read(|_| Ok(())).await.unwrap();
            1
        }
    })
    .await;
    let (st, l) = (storage.clone(), lurahs.clone());
    let assignments_read = in_process(DEVICES, IN_PROCESS, move |i| {
        let (st, user) = (st.clone(), l[i].user);
        async move {
            st.read(move |tx| tx.assignments(user)).await.unwrap();
            1
        }
    })
    .await;
    let (st, l) = (storage.clone(), lurahs.clone());
    let handler = in_process(DEVICES, IN_PROCESS, move |i| {
        let (st, dev) = (st.clone(), l[i].clone());
        async move {
            // What the /v1/sync handler does after parsing.
            let req = SyncRequest {
                ops: vec![],
                cursors: dev.cursors.clone(),
                ..Default::default()
            };
            let resp = ronda_server::sync::sync(
                &st,
                &Default::default(),
                dev.user,
                dev.device,
                req,
                Lang::Id,
            )
            .await
            .unwrap();
            assert!(resp.pages.is_empty());
            1
        }
    })
    .await;
    let ing = Arc::new(
        ingesters
            .iter()
            .map(|d| (d.clone(), std::sync::Mutex::new(BTreeMap::new())))
            .collect::<Vec<_>>(),
    );
    let st = storage.clone();
    let ingest_inproc = in_process(INGEST_DEVICES, IN_PROCESS, move |i| {
        let (st, ing) = (st.clone(), ing.clone());
        let mut rng = StdRng::seed_from_u64(5000 + i as u64);
        let ops: Vec<Op> = (0..BATCH)
            .map(|k| new_op(&mut rng, &ingest_area(i), k as u32))
            .collect();
        async move {
            let (dev, cursors) = &ing[i];
            // Cursors kept as over HTTP: each answer carries back the batch just made.
            let cursors_now = cursors.lock().unwrap().clone();
            let resp = ronda_server::sync::sync(
                &st,
                &Default::default(),
                dev.user,
                dev.device,
                SyncRequest {
                    ops,
                    cursors: cursors_now,
                    ..Default::default()
                },
                Lang::Id,
            )
            .await
            .unwrap();
            learn(&mut cursors.lock().unwrap(), &resp);
            resp.results
                .iter()
                .filter(|r| matches!(r, OpResult::Accepted))
                .count() as u64
        }
    })
    .await;
    drop(storage);

    // The page query as the server words it (`LIMIT ?3`) and with the limit written out, on one
    // connection to the same database: how long each takes, and how often SQLite re-prepares it.
    let limit_cost = {
        let conn = rusqlite::Connection::open(data.join("ronda.db")).unwrap();
        let (bucket, cursor) = lurahs[0]
            .cursors
            .iter()
            .find(|(b, _)| matches!(b, BucketId::Kel(_)))
            .map(|(b, c)| (b.to_string(), *c))
            .expect("the lurah follows the kelurahan");
        let base = "SELECT c.version, c.checksum, v.snapshot FROM change c JOIN report_version v ON v.version = c.version WHERE c.bucket = ?1 AND c.version > ?2 ORDER BY c.version LIMIT ";
        [("?3", true), ("500", false)].map(|(limit, bind)| {
            let sql = format!("{base}{limit}");
            let n = 20_000;
            let t = Instant::now();
            let mut reprepared = 0;
            for _ in 0..n {
                let mut stmt = conn.prepare_cached(&sql).unwrap();
                let rows = if bind {
                    stmt.query_map(rusqlite::params![bucket, cursor, 500], |r| {
                        r.get::<_, i64>(0)
                    })
                    .unwrap()
                    .count()
                } else {
                    stmt.query_map(rusqlite::params![bucket, cursor], |r| r.get::<_, i64>(0))
                        .unwrap()
                        .count()
                };
                assert_eq!(rows, 0);
                reprepared = stmt.get_status(rusqlite::StatementStatus::RePrepare);
            }
            (
                limit,
                t.elapsed().as_secs_f64() * 1e6 / f64::from(n),
                f64::from(reprepared) / f64::from(n),
            )
        })
    };

    // Building blocks, one call at a time.
    let key = TokenKey::random();
    let token = key.issue(lurahs[0].user, lurahs[0].device, i64::MAX);
    let now = Timestamp::now().millis();
    let verify_ns = per_call_ns(100_000, || {
        std::hint::black_box(key.verify(std::hint::black_box(&token), now).unwrap());
    });
    let parse_ns = per_call_ns(100_000, || {
        std::hint::black_box(serde_json::from_slice::<SyncRequest>(&noop_body).unwrap());
    });

    // Raw SQLite on the same disk again, after the server.
    let raw50_after = raw_sqlite(&dir.join("raw50b.db"), &rows, BATCH, RAW_SQLITE);
    let raw1_after = raw_sqlite(&dir.join("raw1b.db"), &rows, 1, RAW_SQLITE);

    // ------------------------------------------------------------------------------------------
    let s = window.secs();
    let health_rate = health.done as f64 / health_secs as f64;
    let noop_rate = noop.done as f64 / noop_secs;
    let ingest_rate = ingest.units as f64 / s;
    let ingest_syncs = ingest.done as f64 / s;
    println!();
    println!(
        "Machine: {}; load average {load_before} before, {} after. Server: `ronda-server serve` as a child process (bench profile = release + debug info); load generator: this process, reqwest with keep-alive on a 2-thread tokio runtime, sharing the same cores. {s} s measured after {} s warm-up ({health_secs} s for /health). Per-device rate limit raised for the run. Databases under {}.",
        machine(),
        load_average(),
        WARMUP.as_secs(),
        dir.display()
    );
    println!();
    println!(
        "| Over HTTP | Result | p50 | p99 | Server CPU | Load-gen CPU | Other processes | Server threads, context switches |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let row = |what: String, result: String, st: &mut Stats, cpu: &Cpu, rate: f64| {
        println!(
            "| {what} | {result} | {:.1} ms | {:.1} ms | {:.2} cores ({:.0} µs per request) | {:.2} cores | {:.2} cores | {}, {:.1} per request |",
            st.pct_ms(0.5),
            st.pct_ms(0.99),
            cpu.server,
            cpu.server * 1e6 / rate,
            cpu.client,
            (cpu.busy * cores() - cpu.server - cpu.client).max(0.0),
            cpu.threads,
            cpu.switches / rate,
        );
    };
    row(
        format!("GET /health, {DEVICES} connections (HTTP stack ceiling)"),
        format!("**{health_rate:.0} req/s** ({} errors)", health.errors),
        &mut health,
        &health_cpu,
        health_rate,
    );
    row(
        format!("No-op sync, {DEVICES} devices back to back (closed loop)"),
        format!(
            "**{noop_rate:.0} syncs/s** ({} errors, {} rate-limited)",
            noop.errors, noop.limited
        ),
        &mut noop,
        &noop_cpu,
        noop_rate,
    );
    let mut verdict = String::new();
    for (rate, mut stats, cpu, secs) in open {
        let done = stats.in_time as f64 / secs;
        if rate == OPEN_RATE {
            let p99 = stats.pct_ms(0.99);
            let met = done >= 0.99 * rate && stats.missed == 0 && stats.errors == 0 && p99 <= 25.0;
            verdict = format!(
                "Bar (≥ {OPEN_RATE:.0} no-op syncs/s with p99 ≤ 25 ms, offered on a fixed schedule): **{}** ({done:.0}/s served, p99 {p99:.1} ms).",
                if met { "met" } else { "not met" }
            );
        }
        row(
            format!(
                "No-op sync, {DEVICES} devices, **offered {rate:.0}/s** on a fixed schedule (open loop; latency from when due)"
            ),
            format!(
                "{done:.0} syncs/s completed ({} errors, {} due in the window never sent: too far behind)",
                stats.errors, stats.missed
            ),
            &mut stats,
            &cpu,
            done,
        );
    }
    row(
        format!("Durable ingest, {INGEST_DEVICES} devices × {BATCH} `report.create` per sync"),
        format!(
            "**{ingest_rate:.0} ops/s** ({:.0} syncs/s, {} errors; SQLite writer thread on CPU {:.0} %, waiting for a CPU {:.0} %)",
            ingest_syncs,
            ingest.errors,
            ingest_cpu.writer * 100.0,
            ingest_cpu.writer_wait * 100.0
        ),
        &mut ingest,
        &ingest_cpu,
        ingest_syncs,
    );
    println!();
    println!("{verdict}");
    println!();
    println!(
        "| Same work in-process, no HTTP (same database, this 2-thread runtime) | Result | p50 | p99 |"
    );
    println!("|---|---|---|---|");
    for (what, (rate, p50, p99), unit) in [
        (
            format!(
                "Empty `storage.read` (pooled connection, BEGIN/COMMIT) × {DEVICES} concurrent"
            ),
            empty_read,
            "reads/s",
        ),
        (
            format!("`storage.read` of the caller's assignments × {DEVICES} concurrent"),
            assignments_read,
            "reads/s",
        ),
        (
            format!(
                "No-op sync handler body (`sync::sync`: assignments and pages in one read) × {DEVICES} concurrent"
            ),
            handler,
            "syncs/s",
        ),
        (
            format!(
                "Ingest: `sync::sync` with {BATCH} ops × {INGEST_DEVICES} concurrent (group commit)"
            ),
            ingest_inproc,
            "ops/s",
        ),
    ] {
        println!("| {what} | {rate:.0} {unit} | {p50:.2} ms | {p99:.2} ms |");
    }
    for (limit, us, reprepares) in limit_cost {
        println!(
            "| Page query `… LIMIT {limit}` on one connection, up-to-date cursor | {us:.1} µs per query ({reprepares:.0} re-prepares per query) | | |"
        );
    }
    println!(
        "| `TokenKey::verify`, one call | {:.2} µs | | |",
        verify_ns / 1000.0
    );
    println!(
        "| `serde_json` parse of the no-op request ({} B), one call | {:.2} µs | | |",
        noop_body.len(),
        parse_ns / 1000.0
    );
    println!();
    println!(
        "| Raw SQLite, same disk, WAL + synchronous=FULL, {row_len} B JSON rows, one connection | Rows/s just before the ingest | Server ingest ÷ that | Rows/s at the end |"
    );
    println!("|---|---|---|---|");
    println!(
        "| One transaction per {BATCH} rows | {raw50:.0} | {:.2} | {raw50_after:.0} |",
        ingest_rate / raw50
    );
    println!(
        "| One transaction per row | {raw1:.0} | {:.2} | {raw1_after:.0} |",
        ingest_rate / raw1
    );
    println!();
    println!(
        "Sizes: no-op request {} B, no-op answer {} B ({}), one `report.create` op {} B, first full pull {} kB (500 reports, before compression); {} reports ingested over HTTP. Whole run {:.0} s.",
        noop_body.len(),
        noop_answer.len(),
        noop_headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("not compressed"),
        sample_op.len(),
        first_pull_bytes.load(std::sync::atomic::Ordering::Relaxed) / 1000,
        ingest.units,
        began.elapsed().as_secs_f64()
    );
}
