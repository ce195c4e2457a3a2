//! The upload routes over real HTTP: `router(...)` nested at `/v1`, served on 127.0.0.1, spoken
//! to with reqwest.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::Bytes;
use futures::StreamExt as _;
use reqwest::{Method, StatusCode};
use ronda_server::uploads::{UploadConfig, router};
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

const MAX: u64 = 1 << 20;
const OCTETS: &str = "application/offset+octet-stream";

/// A running server on some folders; dropping it stops accepting connections.
struct Server {
    /// `http://127.0.0.1:PORT`
    origin: String,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

struct Dirs {
    _tmp: tempfile::TempDir,
    uploads: PathBuf,
    blobs: PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let uploads = tmp.path().join("uploads");
    let blobs = tmp.path().join("blobs");
    Dirs {
        _tmp: tmp,
        uploads,
        blobs,
    }
}

async fn serve(dirs: &Dirs) -> Server {
    let app = axum::Router::new().nest(
        "/v1",
        router(UploadConfig {
            uploads_dir: dirs.uploads.clone(),
            blobs_dir: dirs.blobs.clone(),
            max_upload_bytes: MAX,
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server { origin, task }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Deterministic bytes that look like nothing in particular.
fn data(len: usize, seed: u64) -> Vec<u8> {
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

fn checksum(bytes: &[u8]) -> String {
    format!("sha256 {}", B64.encode(Sha256::digest(bytes)))
}

fn meta_sha(hex: &str) -> String {
    format!("sha256 {}", B64.encode(hex))
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

fn offset_of(r: &reqwest::Response) -> u64 {
    header(r, "upload-offset")
        .expect("an Upload-Offset header")
        .parse()
        .unwrap()
}

async fn code_of(r: reqwest::Response) -> String {
    let body: serde_json::Value = r.json().await.expect("a JSON error body");
    assert!(body["message"].is_string(), "{body}");
    body["code"].as_str().unwrap().to_owned()
}

/// Creates an upload; returns its absolute URL.
async fn create(server: &Server, length: usize, metadata: Option<&str>) -> String {
    let mut req = http()
        .post(server.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string());
    if let Some(m) = metadata {
        req = req.header("upload-metadata", m);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(header(&r, "tus-resumable"), Some("1.0.0"));
    let location = header(&r, "location").unwrap();
    assert!(location.starts_with("/v1/uploads/"), "{location}");
    server.url(location)
}

async fn head(url: &str) -> reqwest::Response {
    http()
        .head(url)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap()
}

async fn head_offset(url: &str) -> u64 {
    let r = head(url).await;
    assert_eq!(r.status(), StatusCode::OK);
    offset_of(&r)
}

fn patch_req(url: &str, offset: u64) -> reqwest::RequestBuilder {
    http()
        .patch(url)
        .header("tus-resumable", "1.0.0")
        .header("content-type", OCTETS)
        .header("upload-offset", offset.to_string())
}

async fn patch(url: &str, offset: u64, chunk: &[u8], with_checksum: bool) -> reqwest::Response {
    let mut req = patch_req(url, offset).body(chunk.to_vec());
    if with_checksum {
        req = req.header("upload-checksum", checksum(chunk));
    }
    req.send().await.unwrap()
}

async fn blob_status(server: &Server, sha: &str) -> StatusCode {
    http()
        .head(server.url(&format!("/v1/blobs/{sha}")))
        .send()
        .await
        .unwrap()
        .status()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A body that sends `parts`, waits so the server surely has them, then fails.
fn cut_body(parts: Vec<Vec<u8>>) -> reqwest::Body {
    let stream = futures::stream::iter(
        parts
            .into_iter()
            .map(|p| Ok::<_, std::io::Error>(Bytes::from(p))),
    )
    .chain(futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "the 2G link dropped",
        ))
    }));
    reqwest::Body::wrap_stream(stream)
}

#[tokio::test]
async fn options_says_what_the_server_speaks() {
    let d = dirs();
    let s = serve(&d).await;
    let r = http()
        .request(Method::OPTIONS, s.url("/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "tus-resumable"), Some("1.0.0"));
    assert_eq!(header(&r, "tus-version"), Some("1.0.0"));
    assert_eq!(
        header(&r, "tus-extension"),
        Some("creation,creation-with-upload,checksum,termination")
    );
    assert_eq!(header(&r, "tus-max-size"), Some(MAX.to_string().as_str()));
    assert_eq!(header(&r, "tus-checksum-algorithm"), Some("sha256"));
}

#[tokio::test]
async fn an_upload_in_chunks_becomes_a_blob() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(100_000, 1);
    let sha = sha_hex(&bytes);
    assert_eq!(blob_status(&s, &sha).await, StatusCode::NOT_FOUND);

    let metadata = format!(
        "{},filename {},filetype {}",
        meta_sha(&sha),
        B64.encode("foto.jpg"),
        B64.encode("image/jpeg")
    );
    let url = create(&s, bytes.len(), Some(&metadata)).await;
    let r = head(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(offset_of(&r), 0);
    assert_eq!(header(&r, "upload-length"), Some("100000"));
    assert_eq!(header(&r, "upload-metadata"), Some(metadata.as_str()));
    assert_eq!(header(&r, "cache-control"), Some("no-store"));
    assert_eq!(header(&r, "tus-resumable"), Some("1.0.0"));

    let mut offset = 0usize;
    for (i, chunk) in bytes.chunks(32 * 1024).enumerate() {
        let r = patch(&url, offset as u64, chunk, i % 2 == 0).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(header(&r, "tus-resumable"), Some("1.0.0"));
        offset += chunk.len();
        assert_eq!(offset_of(&r), offset as u64);
        if offset == bytes.len() {
            assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));
        } else {
            assert_eq!(header(&r, "ronda-blob"), None);
            assert_eq!(head_offset(&url).await, offset as u64);
        }
    }

    // The blob is stored under its name, and the partial file is gone.
    assert_eq!(std::fs::read(d.blobs.join(&sha)).unwrap(), bytes);
    assert!(files_in(&d.uploads).iter().all(|f| f.ends_with(".json")));

    let r = http()
        .head(s.url(&format!("/v1/blobs/{sha}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-length"), Some("100000"));

    let r = http()
        .get(s.url(&format!("/v1/blobs/{sha}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), Some("image/jpeg"));
    let etag = format!("\"{sha}\"");
    assert_eq!(header(&r, "etag"), Some(etag.as_str()));
    assert_eq!(
        header(&r, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let got = r.bytes().await.unwrap();
    assert_eq!(sha_hex(&got), sha);

    let r = http()
        .get(s.url(&format!("/v1/blobs/{sha}")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    // A client whose last answer was lost learns the upload is done.
    let r = head(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(offset_of(&r), bytes.len() as u64);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));
    // An empty PATCH at the end is harmless; more bytes are not.
    let r = patch(&url, bytes.len() as u64, b"", false).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset_of(&r), bytes.len() as u64);
    let r = patch(&url, bytes.len() as u64, b"x", false).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn creation_with_upload() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(50_000, 2);
    let sha = sha_hex(&bytes);

    // The first chunk rides on the POST.
    let r = http()
        .post(s.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", meta_sha(&sha))
        .header("content-type", OCTETS)
        .header("upload-checksum", checksum(&bytes[..20_000]))
        .body(bytes[..20_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(offset_of(&r), 20_000);
    let url = s.url(header(&r, "location").unwrap());
    assert_eq!(head_offset(&url).await, 20_000);
    let r = patch(&url, 20_000, &bytes[20_000..], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));

    // A whole small file in one POST.
    let small = data(3_000, 3);
    let r = http()
        .post(s.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "3000")
        .header("content-type", OCTETS)
        .body(small.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(offset_of(&r), 3000);
    let small_sha = sha_hex(&small);
    assert_eq!(header(&r, "ronda-blob"), Some(small_sha.as_str()));
    assert_eq!(blob_status(&s, &small_sha).await, StatusCode::OK);

    // A creation whose first chunk fails its checksum creates nothing.
    let before = files_in(&d.uploads);
    let r = http()
        .post(s.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "3000")
        .header("content-type", OCTETS)
        .header("upload-checksum", checksum(b"something else"))
        .body(small[..1000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 460);
    assert_eq!(code_of(r).await, "UPLOAD_CHECKSUM_MISMATCH");
    assert_eq!(files_in(&d.uploads), before);

    // A zero-length upload is complete at once.
    let r = http()
        .post(s.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(offset_of(&r), 0);
    assert_eq!(header(&r, "ronda-blob"), Some(sha_hex(b"").as_str()));
}

#[tokio::test]
async fn a_blob_already_stored_needs_no_bytes() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(10_000, 4);
    let sha = sha_hex(&bytes);
    let url = create(&s, bytes.len(), Some(&meta_sha(&sha))).await;
    assert_eq!(
        patch(&url, 0, &bytes, true).await.status(),
        StatusCode::NO_CONTENT
    );

    // Chosen behaviour: 201 with Upload-Offset = Upload-Length, complete, no bytes stored.
    let r = http()
        .post(s.url("/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", meta_sha(&sha))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(offset_of(&r), bytes.len() as u64);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));
    let again = s.url(header(&r, "location").unwrap());
    assert_ne!(again, url);
    assert_eq!(head_offset(&again).await, bytes.len() as u64);
    assert!(files_in(&d.uploads).iter().all(|f| f.ends_with(".json")));
}

#[tokio::test]
async fn a_cut_patch_keeps_what_arrived_and_the_upload_resumes() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(40_000, 5);
    let sha = sha_hex(&bytes);
    let url = create(&s, bytes.len(), Some(&meta_sha(&sha))).await;
    assert_eq!(
        patch(&url, 0, &bytes[..10_000], true).await.status(),
        StatusCode::NO_CONTENT
    );

    // 2G drops the link after 7,000 bytes of the next chunk.
    let parts = vec![
        bytes[10_000..13_000].to_vec(),
        bytes[13_000..17_000].to_vec(),
    ];
    let result = patch_req(&url, 10_000).body(cut_body(parts)).send().await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(head_offset(&url).await, 17_000);

    // The same, with a checksum: the partial chunk cannot be verified, so it is dropped.
    let parts = vec![bytes[17_000..20_000].to_vec()];
    let result = patch_req(&url, 17_000)
        .header("upload-checksum", checksum(&bytes[17_000..30_000]))
        .body(cut_body(parts))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(head_offset(&url).await, 17_000);

    let r = patch(&url, 17_000, &bytes[17_000..], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));
    assert_eq!(std::fs::read(d.blobs.join(&sha)).unwrap(), bytes);
}

#[tokio::test]
async fn a_newer_request_takes_over_a_stalled_patch() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(20_000, 6);
    let url = create(&s, bytes.len(), None).await;

    // A PATCH whose connection hangs after 5,000 bytes, as a dead 2G link does.
    let first = bytes[..5_000].to_vec();
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(first)) })
        .chain(futures::stream::pending());
    let stalled = tokio::spawn(
        patch_req(&url, 0)
            .header("content-length", "20000")
            .body(reqwest::Body::wrap_stream(stream))
            .send(),
    );
    // Wait until the server has written those bytes (it writes as they come).
    let id = url.rsplit('/').next().unwrap();
    let bin = d.uploads.join(format!("{id}.bin"));
    let waiting = std::time::Instant::now();
    while std::fs::metadata(&bin).map_or(0, |m| m.len()) < 5_000 {
        assert!(
            waiting.elapsed() < Duration::from_secs(10),
            "the bytes never arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The client gives up and asks where it stands: the stalled request lets go at once and
    // keeps what it received.
    let asked = std::time::Instant::now();
    assert_eq!(head_offset(&url).await, 5_000);
    assert!(asked.elapsed() < Duration::from_secs(5));
    let r = patch(&url, 5_000, &bytes[5_000..], false).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    stalled.abort();
}

#[tokio::test]
async fn concurrent_patches_do_not_interleave() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(200_000, 7);
    let sha = sha_hex(&bytes);
    let url = create(&s, bytes.len(), Some(&meta_sha(&sha))).await;
    // Either the second waits for the first (and finds the offset moved), or it asks the
    // first to stop (which then drops its unverifiable partial chunk): never both appended.
    let send = || {
        patch_req(&url, 0)
            .header("upload-checksum", checksum(&bytes[..100_000]))
            .body(bytes[..100_000].to_vec())
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let statuses: Vec<_> = [a, b].into_iter().flatten().map(|r| r.status()).collect();
    assert!(statuses.contains(&StatusCode::NO_CONTENT), "{statuses:?}");
    let offset = head_offset(&url).await;
    assert_eq!(offset, 100_000);
    let r = patch(&url, offset, &bytes[offset as usize..], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));
}

#[tokio::test]
async fn a_checksum_mismatch_appends_nothing() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(10_000, 8);
    let url = create(&s, bytes.len(), None).await;
    assert_eq!(
        patch(&url, 0, &bytes[..4_000], true).await.status(),
        StatusCode::NO_CONTENT
    );
    let r = patch_req(&url, 4_000)
        .header("upload-checksum", checksum(&bytes[4_000..8_000]))
        .body(bytes[4_000..7_999].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 460);
    assert_eq!(offset_of(&r), 4_000);
    assert_eq!(code_of(r).await, "UPLOAD_CHECKSUM_MISMATCH");
    assert_eq!(head_offset(&url).await, 4_000);

    // An algorithm the server does not speak is a 400, also appending nothing.
    let r = patch_req(&url, 4_000)
        .header("upload-checksum", "md5 1B2M2Y8AsgTpgAmY7PhCfg==")
        .body(bytes[4_000..5_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(code_of(r).await, "UPLOAD_CHECKSUM_INVALID");
    assert_eq!(head_offset(&url).await, 4_000);
}

#[tokio::test]
async fn protocol_violations_are_refused_and_change_nothing() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(10_000, 9);
    let url = create(&s, bytes.len(), None).await;
    assert_eq!(
        patch(&url, 0, &bytes[..1_000], false).await.status(),
        StatusCode::NO_CONTENT
    );

    // Wrong offset: 409, and the server says where it is.
    let r = patch(&url, 0, &bytes[..1_000], false).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(offset_of(&r), 1_000);
    assert_eq!(code_of(r).await, "UPLOAD_OFFSET_MISMATCH");

    // Wrong content type: 415.
    let r = http()
        .patch(&url)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/octet-stream")
        .header("upload-offset", "1000")
        .body(bytes[1_000..2_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code_of(r).await, "UPLOAD_BAD_CONTENT_TYPE");

    // No or another tus version: 412 with Tus-Version.
    for version in [None, Some("0.2.2")] {
        let mut req = http()
            .patch(&url)
            .header("content-type", OCTETS)
            .header("upload-offset", "1000")
            .body(bytes[1_000..2_000].to_vec());
        if let Some(v) = version {
            req = req.header("tus-resumable", v);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
        assert_eq!(header(&r, "tus-version"), Some("1.0.0"));
        assert_eq!(code_of(r).await, "TUS_VERSION_UNSUPPORTED");
    }

    // A body that would pass Upload-Length: 413, declared or streamed.
    let r = patch(&url, 1_000, &data(9_001, 10), false).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code_of(r).await, "UPLOAD_TOO_LARGE");
    let parts: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from(vec![1u8; 5_000])),
        Ok(Bytes::from(vec![2u8; 5_000])),
    ];
    let r = patch_req(&url, 1_000)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(parts)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(offset_of(&r), 1_000);

    // Missing or malformed Upload-Offset.
    for offset in [None, Some("-1"), Some("1e3")] {
        let mut req = http()
            .patch(&url)
            .header("tus-resumable", "1.0.0")
            .header("content-type", OCTETS)
            .body(bytes[1_000..2_000].to_vec());
        if let Some(o) = offset {
            req = req.header("upload-offset", o);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(code_of(r).await, "UPLOAD_OFFSET_INVALID");
    }

    // Unsupported method: 405, still JSON.
    let r = http().put(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code_of(r).await, "METHOD_NOT_ALLOWED");

    // None of that moved the upload.
    assert_eq!(head_offset(&url).await, 1_000);
    let id = url.rsplit('/').next().unwrap();
    let on_disk = std::fs::read(d.uploads.join(format!("{id}.bin"))).unwrap();
    assert_eq!(on_disk, bytes[..1_000]);
}

#[tokio::test]
async fn bad_creations_are_refused_and_create_nothing() {
    let d = dirs();
    let s = serve(&d).await;
    let post = || {
        http()
            .post(s.url("/v1/uploads"))
            .header("tus-resumable", "1.0.0")
    };

    let r = post()
        .header("upload-length", (MAX + 1).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code_of(r).await, "UPLOAD_TOO_LARGE");

    for length in [
        None,
        Some("abc"),
        Some("-5"),
        Some("99999999999999999999999"),
    ] {
        let mut req = post();
        if let Some(l) = length {
            req = req.header("upload-length", l);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{length:?}");
        assert_eq!(code_of(r).await, "UPLOAD_LENGTH_REQUIRED");
    }
    let r = post()
        .header("upload-defer-length", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(code_of(r).await, "UPLOAD_LENGTH_REQUIRED");

    let bad_sha = format!("sha256 {}", B64.encode("ABC"));
    let upper = format!("sha256 {}", B64.encode(sha_hex(b"x").to_uppercase()));
    for metadata in [
        "a YQ==,a YQ==",
        "filename !!!",
        ",",
        bad_sha.as_str(),
        upper.as_str(),
    ] {
        let r = post()
            .header("upload-length", "10")
            .header("upload-metadata", metadata)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{metadata:?}");
        assert_eq!(code_of(r).await, "UPLOAD_METADATA_INVALID");
    }

    let r = http()
        .post(s.url("/v1/uploads"))
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(code_of(r).await, "TUS_VERSION_UNSUPPORTED");

    // A first chunk longer than the upload.
    let r = post()
        .header("upload-length", "10")
        .header("content-type", OCTETS)
        .body(vec![0u8; 11])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(files_in(&d.uploads), Vec::<String>::new());
    assert_eq!(files_in(&d.blobs), Vec::<String>::new());
}

#[tokio::test]
async fn a_wrong_declared_hash_stores_no_blob() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(30_000, 11);
    let claimed = sha_hex(b"a different photo");
    let url = create(&s, bytes.len(), Some(&meta_sha(&claimed))).await;
    assert_eq!(
        patch(&url, 0, &bytes[..15_000], true).await.status(),
        StatusCode::NO_CONTENT
    );
    let r = patch(&url, 15_000, &bytes[15_000..], true).await;
    assert_eq!(r.status().as_u16(), 460);
    assert_eq!(header(&r, "ronda-blob"), None);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "UPLOAD_HASH_MISMATCH");
    assert_eq!(body["declared_sha256"], claimed.as_str());
    assert_eq!(body["actual_sha256"], sha_hex(&bytes).as_str());

    assert_eq!(blob_status(&s, &claimed).await, StatusCode::NOT_FOUND);
    assert_eq!(
        blob_status(&s, &sha_hex(&bytes)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(head(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(files_in(&d.uploads), Vec::<String>::new());
    assert_eq!(files_in(&d.blobs), Vec::<String>::new());
}

#[tokio::test]
async fn termination_forgets_the_upload() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(10_000, 12);
    let url = create(&s, bytes.len(), None).await;
    assert_eq!(
        patch(&url, 0, &bytes[..5_000], false).await.status(),
        StatusCode::NO_CONTENT
    );
    let delete = || http().delete(&url).header("tus-resumable", "1.0.0").send();
    let r = delete().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "tus-resumable"), Some("1.0.0"));
    assert_eq!(files_in(&d.uploads), Vec::<String>::new());

    assert_eq!(head(&url).await.status(), StatusCode::NOT_FOUND);
    let r = patch(&url, 5_000, &bytes[5_000..], false).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(code_of(r).await, "UPLOAD_NOT_FOUND");
    let r = delete().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn method_override_is_honoured() {
    let d = dirs();
    let s = serve(&d).await;
    let bytes = data(2_000, 13);
    let url = create(&s, bytes.len(), None).await;
    let r = http()
        .post(&url)
        .header("x-http-method-override", "PATCH")
        .header("tus-resumable", "1.0.0")
        .header("content-type", OCTETS)
        .header("upload-offset", "0")
        .body(bytes[..1_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(head_offset(&url).await, 1_000);
    let r = http()
        .post(&url)
        .header("x-http-method-override", "DELETE")
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(head(&url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uploads_survive_a_server_restart() {
    let d = dirs();
    let bytes = data(60_000, 14);
    let sha = sha_hex(&bytes);
    let path = {
        let s = serve(&d).await;
        let url = create(&s, bytes.len(), Some(&meta_sha(&sha))).await;
        assert_eq!(
            patch(&url, 0, &bytes[..25_000], true).await.status(),
            StatusCode::NO_CONTENT
        );
        url.strip_prefix(&s.origin).unwrap().to_owned()
    };

    let s = serve(&d).await;
    let url = s.url(&path);
    let r = head(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(offset_of(&r), 25_000);
    assert_eq!(header(&r, "upload-length"), Some("60000"));
    assert_eq!(header(&r, "upload-metadata"), Some(meta_sha(&sha).as_str()));
    let r = patch(&url, 25_000, &bytes[25_000..], true).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "ronda-blob"), Some(sha.as_str()));

    // And the finished upload and its blob survive another.
    drop(s);
    let s = serve(&d).await;
    assert_eq!(head_offset(&s.url(&path)).await, 60_000);
    assert_eq!(blob_status(&s, &sha).await, StatusCode::OK);
}

#[tokio::test]
async fn malformed_names_are_refused() {
    let d = dirs();
    let s = serve(&d).await;
    let id = uuid_like();
    for path in [
        "/v1/uploads/not-a-uuid".to_owned(),
        format!("/v1/uploads/{}", id.to_uppercase()),
        format!("/v1/uploads/{{{id}}}"),
        format!("/v1/uploads/{}", id.replace('-', "")),
        "/v1/uploads/..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("/v1/uploads/{id}"),
    ] {
        let r = http()
            .patch(s.url(&path))
            .header("tus-resumable", "1.0.0")
            .header("content-type", OCTETS)
            .header("upload-offset", "0")
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(code_of(r).await, "UPLOAD_NOT_FOUND");
        assert_eq!(head(&s.url(&path)).await.status(), StatusCode::NOT_FOUND);
    }
    let good = sha_hex(b"nothing stored");
    for name in [
        "xyz".to_owned(),
        good.to_uppercase(),
        format!("{good}0"),
        good[1..].to_owned(),
        "..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("{}%2F", &good[..63]),
    ] {
        let r = http()
            .get(s.url(&format!("/v1/blobs/{name}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{name}");
        assert_eq!(code_of(r).await, "BLOB_NAME_INVALID");
    }
    let r = http()
        .get(s.url(&format!("/v1/blobs/{good}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(code_of(r).await, "BLOB_NOT_FOUND");
    assert_eq!(files_in(&d.uploads), Vec::<String>::new());
}

/// A well-formed upload id that no server made.
fn uuid_like() -> String {
    "0b9e6a9c-54f4-4f6e-9d8a-3c1c9e0f5a11".to_owned()
}
