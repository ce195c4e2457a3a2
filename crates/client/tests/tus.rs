//! The tus client against the real upload server (`ronda_server::uploads`) on 127.0.0.1, with a
//! small TCP proxy in between that cuts the link the way 2G does.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use ronda_client::tus::{TusClient, UploadOutcome, UploadProgressSink};
use ronda_server::uploads::{UploadConfig, serve};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the caller would persist.
#[derive(Debug, Default)]
struct Progress {
    url: Option<String>,
    offsets: Vec<u64>,
}

impl UploadProgressSink for Progress {
    fn upload_url_known(&mut self, url: &str) {
        self.url = Some(url.to_owned());
    }
    fn offset_confirmed(&mut self, offset: u64) {
        self.offsets.push(offset);
    }
}

struct Dirs {
    _tmp: tempfile::TempDir,
    uploads: PathBuf,
    blobs: PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    Dirs {
        uploads: tmp.path().join("uploads"),
        blobs: tmp.path().join("blobs"),
        _tmp: tmp,
    }
}

fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The upload routes at `/v1`, on the given folders. Dropping it stops the server.
struct Server {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start_server(d: &Dirs) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = UploadConfig {
        uploads_dir: d.uploads.clone(),
        blobs_dir: d.blobs.clone(),
        max_upload_bytes: 1 << 20,
    };
    let task = tokio::spawn(async move {
        serve(listener, "/v1", config).await.unwrap();
    });
    Server { addr, task }
}

/// A TCP proxy that forwards a budget of client-to-server bytes and then cuts every connection
/// mid-stream (and every new one at once) until given more.
struct Proxy {
    addr: SocketAddr,
    state: Arc<ProxyState>,
    task: JoinHandle<()>,
}

struct ProxyState {
    budget: AtomicU64,
    upstream: Mutex<SocketAddr>,
    /// Everything forwarded to the server.
    seen: Mutex<Vec<u8>>,
}

impl ProxyState {
    /// Takes up to `n` bytes from the budget; returns how many were granted.
    fn take(&self, n: usize) -> usize {
        let before = self
            .budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| {
                Some(b.saturating_sub(n as u64))
            })
            .unwrap();
        before.min(n as u64) as usize
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(ProxyState {
            budget: AtomicU64::new(u64::MAX),
            upstream: Mutex::new(upstream),
            seen: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, Arc::clone(&shared)));
            }
        });
        Proxy { addr, state, task }
    }

    /// Lets `bytes` more client-to-server bytes through, then cuts.
    fn allow(&self, bytes: u64) {
        self.state.budget.store(bytes, Ordering::SeqCst);
    }

    fn heal(&self) {
        self.allow(u64::MAX);
    }

    fn point_at(&self, upstream: SocketAddr) {
        *self.state.upstream.lock().unwrap() = upstream;
    }

    fn base(&self) -> Url {
        Url::parse(&format!("http://{}/v1/", self.addr)).unwrap()
    }

    fn seen(&self) -> String {
        String::from_utf8_lossy(&self.state.seen.lock().unwrap()).into_owned()
    }
}

async fn relay(client: TcpStream, state: Arc<ProxyState>) {
    let upstream = *state.upstream.lock().unwrap();
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    let down = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
    });
    let mut buf = vec![0u8; 8192];
    loop {
        let n = match from_client.read(&mut buf).await {
            Ok(0) | Err(_) => {
                // The client hung up: let the server's answer drain.
                let _ = to_server.shutdown().await;
                return;
            }
            Ok(n) => n,
        };
        let granted = state.take(n);
        state
            .seen
            .lock()
            .unwrap()
            .extend_from_slice(&buf[..granted]);
        if granted > 0 && to_server.write_all(&buf[..granted]).await.is_err() {
            break;
        }
        if granted < n {
            break;
        }
    }
    // Cut: both connections die with whatever was in flight.
    down.abort();
}

/// Deterministic bytes that look like nothing in particular (standing in for a JPEG).
fn photo(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new client, as after an app restart.
fn client(base: Url) -> TusClient {
    TusClient::new(base, Some("t0ken".to_owned())).unwrap()
}

/// Runs one attempt that the proxy cuts after `budget` bytes; returns what the caller saved.
async fn interrupted_attempt(proxy: &Proxy, bytes: &[u8], chunk: usize, budget: u64) -> Progress {
    proxy.allow(budget);
    let mut progress = Progress::default();
    let result = client(proxy.base())
        .upload(bytes, &sha_hex(bytes), None, chunk, &mut progress)
        .await;
    let error = result.expect_err("the link was cut");
    assert_eq!(error.code(), "TUS_NETWORK", "{error}");
    assert!(error.is_retryable());
    assert!(
        progress.url.is_some(),
        "the upload was created before the cut"
    );
    let last = *progress.offsets.last().unwrap();
    assert!(last > 0 && last < bytes.len() as u64, "{progress:?}");
    progress
}

#[tokio::test]
async fn uploads_a_photo_in_chunks() {
    let d = dirs();
    let server = start_server(&d).await;
    let proxy = Proxy::start(server.addr).await;
    let bytes = photo(100_000, 1);
    let sha = sha_hex(&bytes);
    // No final slash: the client adds it.
    let base = Url::parse(&format!("http://{}/v1", proxy.addr)).unwrap();
    let tus = client(base);
    assert!(!tus.server_has(&sha).await.unwrap());

    let mut progress = Progress::default();
    let outcome = tus
        .upload(&bytes, &sha, None, 16 * 1024, &mut progress)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        UploadOutcome {
            sent_bytes: 100_000,
            resumed_from: None,
            already_on_server: false,
        }
    );
    let url = progress.url.unwrap();
    assert!(
        url.starts_with(&format!("http://{}/v1/uploads/", proxy.addr)),
        "{url}"
    );
    // The first chunk went with the POST; every confirmed offset moved forward.
    assert_eq!(progress.offsets.first(), Some(&16_384));
    assert!(progress.offsets.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(progress.offsets.last(), Some(&100_000));

    assert!(tus.server_has(&sha).await.unwrap());
    assert_eq!(std::fs::read(d.blobs.join(&sha)).unwrap(), bytes);
    assert!(
        proxy
            .seen()
            .to_ascii_lowercase()
            .contains("authorization: bearer t0ken")
    );
}

#[tokio::test]
async fn a_blob_already_on_the_server_is_not_sent_again() {
    let d = dirs();
    let server = start_server(&d).await;
    let base = Url::parse(&format!("http://{}/v1/", server.addr)).unwrap();
    let bytes = photo(20_000, 2);
    let sha = sha_hex(&bytes);
    let mut progress = Progress::default();
    client(base.clone())
        .upload(&bytes, &sha, None, 8 * 1024, &mut progress)
        .await
        .unwrap();

    let mut progress = Progress::default();
    let outcome = client(base)
        .upload(&bytes, &sha, None, 8 * 1024, &mut progress)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        UploadOutcome {
            sent_bytes: 0,
            resumed_from: None,
            already_on_server: true,
        }
    );
    assert!(progress.url.is_none() && progress.offsets.is_empty());
}

#[tokio::test]
async fn an_interrupted_upload_resumes_from_the_saved_url_after_restarts() {
    let d = dirs();
    let first_server = start_server(&d).await;
    let proxy = Proxy::start(first_server.addr).await;
    let bytes = photo(60_000, 3);
    let sha = sha_hex(&bytes);

    // The link dies part-way through the fourth chunk or so.
    let saved = interrupted_attempt(&proxy, &bytes, 8 * 1024, 30_000).await;
    let saved_offset = *saved.offsets.last().unwrap();

    // The server restarts on the same folders, the app restarts, the link comes back.
    drop(first_server);
    let second_server = start_server(&d).await;
    proxy.point_at(second_server.addr);
    proxy.heal();

    let mut progress = Progress::default();
    let outcome = client(proxy.base())
        .upload(&bytes, &sha, saved.url.as_deref(), 8 * 1024, &mut progress)
        .await
        .unwrap();
    let resumed = outcome.resumed_from.expect("the saved upload was resumed");
    assert!(resumed >= saved_offset, "{resumed} < {saved_offset}");
    assert_eq!(outcome.sent_bytes, 60_000 - resumed);
    assert!(!outcome.already_on_server);
    assert_eq!(progress.url, None, "no new upload was made");
    assert_eq!(progress.offsets.first(), Some(&resumed));
    assert_eq!(progress.offsets.last(), Some(&60_000));
    assert_eq!(std::fs::read(d.blobs.join(&sha)).unwrap(), bytes);
}

#[tokio::test]
async fn a_saved_url_that_is_gone_or_foreign_starts_a_new_upload() {
    let d = dirs();
    let server = start_server(&d).await;
    let proxy = Proxy::start(server.addr).await;
    let bytes = photo(40_000, 4);
    let sha = sha_hex(&bytes);
    let saved = interrupted_attempt(&proxy, &bytes, 8 * 1024, 20_000).await;
    proxy.heal();
    let saved_url = saved.url.unwrap();

    // Another photo given this photo's URL (a caller's mix-up) does not write into it.
    let other = photo(30_000, 5);
    let mut progress = Progress::default();
    let outcome = client(proxy.base())
        .upload(
            &other,
            &sha_hex(&other),
            Some(&saved_url),
            8 * 1024,
            &mut progress,
        )
        .await
        .unwrap();
    assert_eq!(outcome.resumed_from, None);
    assert_eq!(outcome.sent_bytes, 30_000);
    assert_ne!(progress.url.as_deref(), Some(saved_url.as_str()));
    assert!(d.blobs.join(sha_hex(&other)).is_file());

    // The upload is terminated on the server (or expired): start again.
    let r = reqwest::Client::new()
        .delete(&saved_url)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NO_CONTENT);
    let mut progress = Progress::default();
    let outcome = client(proxy.base())
        .upload(&bytes, &sha, Some(&saved_url), 8 * 1024, &mut progress)
        .await
        .unwrap();
    assert_eq!(outcome.resumed_from, None);
    assert_eq!(outcome.sent_bytes, 40_000);
    assert!(progress.url.is_some());
    assert_ne!(progress.url.as_deref(), Some(saved_url.as_str()));
    assert_eq!(std::fs::read(d.blobs.join(&sha)).unwrap(), bytes);
}

#[tokio::test]
async fn a_damaged_local_file_is_never_sent() {
    let d = dirs();
    let server = start_server(&d).await;
    let proxy = Proxy::start(server.addr).await;
    let bytes = photo(10_000, 6);
    let named_for = sha_hex(&photo(10_000, 7));
    let mut progress = Progress::default();
    let error = client(proxy.base())
        .upload(&bytes, &named_for, None, 4096, &mut progress)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "TUS_LOCAL_HASH_MISMATCH");
    assert!(!error.is_retryable());
    assert_eq!(proxy.seen(), "", "nothing went over the network");
    assert!(files_in(&d.uploads).is_empty() && files_in(&d.blobs).is_empty());
}

#[tokio::test]
async fn the_server_refuses_bytes_that_do_not_hash_to_their_name() {
    let d = dirs();
    let server = start_server(&d).await;
    let proxy = Proxy::start(server.addr).await;
    let bytes = photo(40_000, 8);
    let sha = sha_hex(&bytes);
    let saved = interrupted_attempt(&proxy, &bytes, 8 * 1024, 20_000).await;

    // What the server holds so far is damaged on its disk.
    let bins: Vec<PathBuf> = files_in(&d.uploads)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(bins.len(), 1);
    let mut held = std::fs::read(&bins[0]).unwrap();
    held[100] ^= 0xff;
    std::fs::write(&bins[0], held).unwrap();

    proxy.heal();
    let mut progress = Progress::default();
    let error = client(proxy.base())
        .upload(&bytes, &sha, saved.url.as_deref(), 8 * 1024, &mut progress)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "TUS_HASH_MISMATCH", "{error}");
    assert!(!d.blobs.join(&sha).exists());
    assert!(
        files_in(&d.uploads).is_empty(),
        "the server deleted the upload"
    );
}

#[tokio::test]
async fn bad_input_and_an_unreachable_server_are_told_apart() {
    let d = dirs();
    let server = start_server(&d).await;
    let base = Url::parse(&format!("http://{}/v1/", server.addr)).unwrap();
    let tus = client(base);
    let mut progress = Progress::default();
    let bytes = photo(1_000, 9);
    let sha = sha_hex(&bytes);
    let upper = sha.to_uppercase();
    for (sha, chunk) in [
        ("not-a-digest", 4096),
        (upper.as_str(), 4096),
        (sha.as_str(), 0),
    ] {
        let error = tus
            .upload(&bytes, sha, None, chunk, &mut progress)
            .await
            .unwrap_err();
        assert_eq!(error.code(), "TUS_INVALID_INPUT", "{sha} {chunk}");
    }
    assert_eq!(
        tus.server_has("xyz").await.unwrap_err().code(),
        "TUS_INVALID_INPUT"
    );

    // Nothing listens on a port that was just freed.
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let nowhere = client(Url::parse(&format!("http://{closed}/v1/")).unwrap());
    let error = tokio::time::timeout(
        Duration::from_secs(30),
        nowhere.upload(&bytes, &sha, None, 4096, &mut progress),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(error.code(), "TUS_NETWORK");
}
