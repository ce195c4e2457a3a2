//! Resumable photo uploads: the [tus 1.0.0] core protocol with the `creation`,
//! `creation-with-upload`, `checksum` (sha256 only) and `termination` extensions, so any tus
//! client can upload, and the content-addressed blobs the uploads become.
//!
//! [`router`] serves, relative to where the caller nests it (Ronda nests it at `/v1`):
//!
//! | route | what |
//! |---|---|
//! | `OPTIONS /uploads` | what this server speaks (204) |
//! | `POST /uploads` | creation, and creation-with-upload (201, `Location: <prefix>/uploads/<id>`) |
//! | `HEAD /uploads/{id}` | the upload's offset, length and metadata (200) |
//! | `PATCH /uploads/{id}` | append bytes at the current offset (204) |
//! | `DELETE /uploads/{id}` | termination (204) |
//! | `HEAD`/`GET /blobs/{sha256}` | a finished blob, immutable |
//!
//! `POST` with `X-HTTP-Method-Override` is honoured as the core protocol asks. Authentication is
//! the caller's layer; this module does none.
//!
//! # Guarantees
//!
//! - **Reported offsets are durable.** Bytes are synced before any `Upload-Offset` is sent
//!   (and a HEAD syncs before it answers), so a server killed right after answering resumes
//!   from exactly that offset. All state is on disk (see `store`); nothing is lost on restart.
//! - **A cut connection keeps what arrived.** PATCH bodies are streamed to the file chunk by
//!   chunk; if the body stream fails, stalls for [`BODY_IDLE_TIMEOUT`], or a newer request for
//!   the same upload asks for it (see `locks`), the bytes that arrived are synced and kept, so
//!   the client resumes from a later offset. **Except** when the PATCH carried an
//!   `Upload-Checksum`: the checksum covers the whole body, so a partial body cannot be verified
//!   and is discarded (such bodies are held in memory and appended only once verified).
//! - **Nothing half-done.** A checksum mismatch (460), a body that would pass `Upload-Length`
//!   (413) or any refused header leaves the upload exactly as it was. A failed
//!   creation-with-upload leaves no upload behind.
//! - **Blobs are verified.** On reaching `Upload-Length` the whole file is hashed. If the
//!   client declared `sha256` in `Upload-Metadata` and it differs, the upload is deleted and the
//!   answer is 460 with code `UPLOAD_HASH_MISMATCH` (460 rather than 409 because tus clients
//!   retry a 409 from a HEAD and would loop; they give up on a 460). Otherwise the file is moved
//!   atomically to `blobs_dir/<sha256hex>` and the answer carries `Ronda-Blob: <sha256hex>`.
//! - **Already there, nothing sent.** A creation whose declared `sha256` names a blob the
//!   server already has, of the declared length, is answered 201 with `Upload-Offset` equal to
//!   `Upload-Length` and `Ronda-Blob`: the upload is complete at once and no body is read.
//! - A completed upload stays answerable (HEAD gives offset = length and `Ronda-Blob`), so a
//!   client whose last PATCH answer was lost learns it is done. A terminated upload is 404
//!   (not 410: the server keeps no tombstones).
//!
//! One server process per `uploads_dir`: the per-upload locks are in memory.
//!
//! [tus 1.0.0]: https://tus.io/protocols/resumable-upload

mod error;
mod headers;
mod locks;
mod store;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use futures::StreamExt as _;
use ronda_core::Sha256Hex;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use uuid::Uuid;

pub use error::{Interruption, UploadError};
use headers::Metadata;
use locks::{Locks, UploadGuard};
use store::{Store, UploadInfo};

/// The only tus version spoken.
pub const TUS_VERSION: &str = "1.0.0";
/// The tus extensions supported, as sent in `Tus-Extension`.
pub const TUS_EXTENSIONS: &str = "creation,creation-with-upload,checksum,termination";
/// The response header naming the blob a completed upload became.
pub const RONDA_BLOB: &str = "ronda-blob";
/// A PATCH body that sends nothing for this long is treated as cut (what arrived is kept).
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
const TUS_RESUMABLE: &str = "tus-resumable";
const UPLOAD_OFFSET: &str = "upload-offset";
const UPLOAD_LENGTH: &str = "upload-length";

/// Where uploads live and how big they may be.
#[derive(Debug, Clone)]
pub struct UploadConfig {
    /// Partial uploads: `<id>.bin` and `<id>.json`.
    pub uploads_dir: PathBuf,
    /// Finished blobs, one file per blob named by its lowercase hex SHA-256. Best on the same
    /// file system as `uploads_dir` (then finishing is a rename, not a copy).
    pub blobs_dir: PathBuf,
    /// The largest `Upload-Length` accepted.
    pub max_upload_bytes: u64,
}

#[derive(Debug)]
struct Uploads {
    store: Store,
    locks: Locks,
    max_upload_bytes: u64,
}

type Shared = Arc<Uploads>;

/// The upload and blob routes, with their state. Nest it where it should live (Ronda: `/v1`);
/// `Location` headers follow wherever that is. The folders are created if missing.
pub fn router(config: UploadConfig) -> Router {
    let store = Store::new(config.uploads_dir, config.blobs_dir);
    if let Err(e) = store.ensure_dirs() {
        // Not fatal here: every request will report it as UPLOAD_STORAGE_FAILED.
        tracing::error!(error = %e, "cannot create the upload folders");
    }
    let state = Arc::new(Uploads {
        store,
        locks: Locks::default(),
        max_upload_bytes: config.max_upload_bytes,
    });
    Router::new()
        .route("/uploads", any(collection))
        .route("/uploads/{id}", any(item))
        .route("/blobs/{sha256}", any(blob))
        .with_state(state)
}

/// Serves only the upload routes, nested at `prefix` (such as `/v1`; `""` for none), on
/// `listener` until the future is dropped. For tests and tools that want a tus endpoint without
/// the rest of the server (a crate that does not depend on axum can still start one); the Ronda
/// server itself nests [`router`] in its own app, behind its authentication.
pub async fn serve(
    listener: tokio::net::TcpListener,
    prefix: &str,
    config: UploadConfig,
) -> std::io::Result<()> {
    let prefix = prefix.trim_matches('/');
    let app = if prefix.is_empty() {
        router(config)
    } else {
        Router::new().nest(&format!("/{prefix}"), router(config))
    };
    axum::serve(listener, app).await
}

/// The method a request stands for: `X-HTTP-Method-Override` on a POST wins.
fn effective_method(method: Method, headers: &HeaderMap) -> Method {
    if method == Method::POST
        && let Some(m) = headers
            .get("x-http-method-override")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| Method::from_bytes(v.trim().to_ascii_uppercase().as_bytes()).ok())
    {
        return m;
    }
    method
}

/// Adds `Tus-Resumable` to a response.
fn tus(result: Result<Response, UploadError>) -> Response {
    let mut response = result.into_response();
    response
        .headers_mut()
        .insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    response
}

/// Runs request work in its own task, so that it finishes (syncs, releases the upload) even if
/// the connection dies and hyper drops the handler.
async fn detached<F>(work: F) -> Result<Response, UploadError>
where
    F: Future<Output = Result<Response, UploadError>> + Send + 'static,
{
    tokio::spawn(work).await.unwrap_or_else(|e| {
        Err(UploadError::Storage(std::io::Error::other(format!(
            "upload task failed: {e}"
        ))))
    })
}

/// Runs blocking file work off the async threads.
async fn blocking<T, F>(work: F) -> Result<T, UploadError>
where
    F: FnOnce() -> Result<T, UploadError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        Err(UploadError::Storage(std::io::Error::other(format!(
            "file task failed: {e}"
        ))))
    })
}

async fn collection(
    State(state): State<Shared>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    tus(match effective_method(method, &headers) {
        Method::OPTIONS => Ok(options(&state)),
        Method::POST => detached(create(state, uri.path().to_owned(), headers, body)).await,
        _ => Err(UploadError::MethodNotAllowed {
            allow: "OPTIONS, POST",
        }),
    })
}

async fn item(
    State(state): State<Shared>,
    method: Method,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let method = effective_method(method, &headers);
    if method == Method::OPTIONS {
        return tus(Ok(options(&state)));
    }
    // Only the canonical form of a UUID names an upload; anything else is simply unknown.
    let id = id.ok().and_then(|Path(raw)| {
        Uuid::try_parse(&raw)
            .ok()
            .filter(|u| u.hyphenated().to_string() == raw)
    });
    tus(match method {
        Method::HEAD => head(state, id, headers).await,
        Method::PATCH => detached(patch(state, id, headers, body)).await,
        Method::DELETE => detached(terminate(state, id, headers)).await,
        _ => Err(UploadError::MethodNotAllowed {
            allow: "OPTIONS, HEAD, PATCH, DELETE",
        }),
    })
}

fn options(state: &Uploads) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    headers.insert("tus-extension", HeaderValue::from_static(TUS_EXTENSIONS));
    headers.insert("tus-max-size", HeaderValue::from(state.max_upload_bytes));
    headers.insert("tus-checksum-algorithm", HeaderValue::from_static("sha256"));
    (StatusCode::NO_CONTENT, headers).into_response()
}

/// `POST /uploads`: creation, and creation-with-upload when the body is tus data.
async fn create(
    state: Shared,
    path: String,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UploadError> {
    headers::require_tus_version(&headers)?;
    let length = headers::upload_length(&headers)?;
    if length > state.max_upload_bytes {
        return Err(UploadError::TooLarge {
            length,
            max: state.max_upload_bytes,
        });
    }
    let metadata = Metadata::from_headers(&headers)?;
    let declared = metadata.sha256()?;
    let with_upload = headers::is_offset_stream(&headers);
    let checksum = if with_upload {
        headers::upload_checksum(&headers)?
    } else {
        None
    };
    let content_length = headers::content_length(&headers);
    if with_upload && content_length.is_some_and(|n| n > length) {
        return Err(UploadError::PastLength { offset: 0, length });
    }

    let id = Uuid::new_v4();
    let location = format!("{}/{}", path.trim_end_matches('/'), id.hyphenated());
    let created = |offset: u64, blob: Option<&Sha256Hex>| {
        let mut headers = HeaderMap::new();
        if let Ok(location) = HeaderValue::from_str(&location) {
            headers.insert(header::LOCATION, location);
        }
        headers.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
        if let Some(blob) = blob.and_then(|b| HeaderValue::from_str(b.as_str()).ok()) {
            headers.insert(RONDA_BLOB, blob);
        }
        (StatusCode::CREATED, headers).into_response()
    };

    // The server already has these bytes: the upload is complete before it starts.
    if let Some(sha) = declared.clone() {
        let store = state.store.clone();
        let metadata = metadata.clone();
        let existing = blocking(move || {
            if store.blob_len(&sha)? == Some(length) {
                store.create(id, length, &metadata, Some(&sha), Some(&sha))?;
                Ok(Some(sha))
            } else {
                Ok(None)
            }
        })
        .await?;
        if let Some(sha) = existing {
            tracing::info!(upload = %id, blob = %sha, "upload created complete: blob already stored");
            return Ok(created(length, Some(&sha)));
        }
    }

    {
        let (store, metadata, declared) = (state.store.clone(), metadata.clone(), declared.clone());
        blocking(move || Ok(store.create(id, length, &metadata, declared.as_ref(), None)?)).await?;
    }
    let result = async {
        let mut guard = state.locks.acquire(id).await?;
        let mut info = load(&state, id).await?;
        if with_upload {
            let received = receive(
                &state,
                &mut guard,
                id,
                body,
                info.offset,
                info.length,
                checksum,
                content_length,
            )
            .await?;
            if let Some(why) = received.interrupted {
                // Nobody can resume an upload whose Location they never heard.
                return Err(UploadError::Interrupted {
                    offset: received.offset,
                    why,
                });
            }
            info.offset = received.offset;
        }
        let blob = if info.offset == info.length {
            Some(complete(&state, id, info.clone()).await?)
        } else {
            None
        };
        drop(guard);
        Ok((info.offset, blob))
    }
    .await;
    match result {
        Ok((offset, blob)) => {
            tracing::info!(upload = %id, length, offset, "upload created");
            Ok(created(offset, blob.as_ref()))
        }
        Err(e) => {
            // A creation that fails leaves nothing behind.
            let store = state.store.clone();
            if let Err(cleanup) = blocking(move || Ok(store.remove(id)?)).await {
                tracing::error!(upload = %id, error = %cleanup, "cannot remove a failed upload");
            }
            Err(e)
        }
    }
}

async fn load(state: &Shared, id: Uuid) -> Result<UploadInfo, UploadError> {
    let store = state.store.clone();
    blocking(move || store.load(id))
        .await?
        .ok_or(UploadError::NotFound)
}

async fn complete(state: &Shared, id: Uuid, info: UploadInfo) -> Result<Sha256Hex, UploadError> {
    let store = state.store.clone();
    let sha = blocking(move || store.complete(id, &info)).await?;
    tracing::info!(upload = %id, blob = %sha, "upload complete");
    Ok(sha)
}

/// `HEAD /uploads/{id}`.
async fn head(
    state: Shared,
    id: Option<Uuid>,
    headers: HeaderMap,
) -> Result<Response, UploadError> {
    headers::require_tus_version(&headers)?;
    let id = id.ok_or(UploadError::NotFound)?;
    let guard = state.locks.acquire(id).await?;
    let info = load(&state, id).await?;
    drop(guard);
    let mut out = HeaderMap::new();
    out.insert(UPLOAD_OFFSET, HeaderValue::from(info.offset));
    out.insert(UPLOAD_LENGTH, HeaderValue::from(info.length));
    if let Some(value) = info
        .metadata
        .to_header()
        .and_then(|m| HeaderValue::from_str(&m).ok())
    {
        out.insert("upload-metadata", value);
    }
    if let Some(blob) = info
        .blob
        .and_then(|b| HeaderValue::from_str(b.as_str()).ok())
    {
        out.insert(RONDA_BLOB, blob);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((StatusCode::OK, out).into_response())
}

/// `PATCH /uploads/{id}`.
async fn patch(
    state: Shared,
    id: Option<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UploadError> {
    headers::require_tus_version(&headers)?;
    if !headers::is_offset_stream(&headers) {
        return Err(UploadError::BadContentType);
    }
    let offset = headers::upload_offset(&headers)?;
    let checksum = headers::upload_checksum(&headers)?;
    let content_length = headers::content_length(&headers);
    let id = id.ok_or(UploadError::NotFound)?;

    let mut guard = state.locks.acquire(id).await?;
    let info = load(&state, id).await?;
    if offset != info.offset {
        return Err(UploadError::OffsetMismatch {
            expected: info.offset,
            got: offset,
        });
    }
    let remaining = info.length - info.offset;
    if content_length.is_some_and(|n| n > remaining) {
        return Err(UploadError::PastLength {
            offset: info.offset,
            length: info.length,
        });
    }
    let (offset, blob) = if let Some(blob) = info.blob.clone() {
        // Complete already (a client whose last answer was lost may send an empty PATCH).
        if !body_is_empty(body).await {
            return Err(UploadError::PastLength {
                offset: info.offset,
                length: info.length,
            });
        }
        (info.length, Some(blob))
    } else {
        let received = receive(
            &state,
            &mut guard,
            id,
            body,
            info.offset,
            info.length,
            checksum,
            content_length,
        )
        .await?;
        if let Some(why) = received.interrupted {
            tracing::info!(upload = %id, offset = received.offset, ?why, "upload body interrupted");
            return Err(UploadError::Interrupted {
                offset: received.offset,
                why,
            });
        }
        let blob = if received.offset == info.length {
            Some(complete(&state, id, info.clone()).await?)
        } else {
            None
        };
        (received.offset, blob)
    };
    drop(guard);
    let mut out = HeaderMap::new();
    out.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
    if let Some(blob) = blob.and_then(|b| HeaderValue::from_str(b.as_str()).ok()) {
        out.insert(RONDA_BLOB, blob);
    }
    Ok((StatusCode::NO_CONTENT, out).into_response())
}

/// `DELETE /uploads/{id}` (termination).
async fn terminate(
    state: Shared,
    id: Option<Uuid>,
    headers: HeaderMap,
) -> Result<Response, UploadError> {
    headers::require_tus_version(&headers)?;
    let id = id.ok_or(UploadError::NotFound)?;
    let guard = state.locks.acquire(id).await?;
    let store = state.store.clone();
    let existed = blocking(move || {
        let existed = store.load(id)?.is_some();
        if existed {
            store.remove(id)?;
        }
        Ok(existed)
    })
    .await?;
    drop(guard);
    if !existed {
        return Err(UploadError::NotFound);
    }
    tracing::info!(upload = %id, "upload terminated");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Whether a body carries no bytes at all (a stalled one counts as not empty).
async fn body_is_empty(body: Body) -> bool {
    let mut stream = body.into_data_stream();
    loop {
        match tokio::time::timeout(BODY_IDLE_TIMEOUT, stream.next()).await {
            Ok(None) => return true,
            Ok(Some(Ok(chunk))) if chunk.is_empty() => {}
            _ => return false,
        }
    }
}

/// What became of a request body.
#[derive(Debug)]
struct Received {
    /// The upload's durable offset now.
    offset: u64,
    /// Set when the body did not arrive whole.
    interrupted: Option<Interruption>,
}

/// Appends a tus request body at `start` (the upload's current, verified offset), never past
/// `length`. See the module documentation for what is kept when the body is cut short.
#[allow(clippy::too_many_arguments)]
async fn receive(
    state: &Shared,
    guard: &mut UploadGuard,
    id: Uuid,
    body: Body,
    start: u64,
    length: u64,
    checksum: Option<[u8; 32]>,
    content_length: Option<u64>,
) -> Result<Received, UploadError> {
    let path = state.store.bin_path(id);
    let mut file = tokio::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .await?;
    let limit = length - start;
    // With a checksum the body is held until it verifies; without, it goes straight to disk.
    let mut held: Option<(Sha256, Vec<u8>)> = checksum.map(|_| {
        let expected = content_length.unwrap_or(0).min(limit).min(1 << 20);
        (Sha256::new(), Vec::with_capacity(expected as usize))
    });
    let mut stream = body.into_data_stream();
    let mut received: u64 = 0;

    enum End {
        Complete,
        Cut(Interruption),
        PastLength,
        Failed(std::io::Error),
    }
    let end = loop {
        let next = tokio::select! {
            biased;
            () = guard.stop_requested() => break End::Cut(Interruption::Superseded),
            next = tokio::time::timeout(BODY_IDLE_TIMEOUT, stream.next()) => next,
        };
        let chunk: Bytes = match next {
            Err(_) => break End::Cut(Interruption::IdleTimeout),
            Ok(None) => break End::Complete,
            Ok(Some(Err(_))) => break End::Cut(Interruption::Connection),
            Ok(Some(Ok(chunk))) => chunk,
        };
        if received + chunk.len() as u64 > limit {
            break End::PastLength;
        }
        received += chunk.len() as u64;
        match &mut held {
            Some((hasher, buffer)) => {
                hasher.update(&chunk);
                buffer.extend_from_slice(&chunk);
            }
            None => {
                if let Err(e) = file.write_all(&chunk).await {
                    break End::Failed(e);
                }
            }
        }
    };
    // A body shorter than its Content-Length was cut, even if the stream said it ended.
    let end = match end {
        End::Complete if content_length.is_some_and(|n| n != received) => {
            End::Cut(Interruption::Connection)
        }
        other => other,
    };

    // Undo whatever reached the file: nothing was reported past `start`.
    async fn roll_back(file: &mut tokio::fs::File, start: u64) -> std::io::Result<()> {
        file.flush().await?;
        file.set_len(start).await?;
        file.sync_all().await
    }
    async fn keep(file: &mut tokio::fs::File) -> std::io::Result<()> {
        file.flush().await?;
        file.sync_all().await
    }

    match (end, held) {
        (End::Failed(e), _) => {
            if let Err(undo) = roll_back(&mut file, start).await {
                tracing::error!(upload = %id, error = %undo, "cannot roll back a failed append");
            }
            Err(e.into())
        }
        (End::PastLength, held) => {
            if held.is_none() {
                roll_back(&mut file, start).await?;
            }
            Err(UploadError::PastLength {
                offset: start,
                length,
            })
        }
        (End::Cut(why), None) => {
            keep(&mut file).await?;
            Ok(Received {
                offset: start + received,
                interrupted: Some(why),
            })
        }
        // A partial body cannot match its checksum: drop it.
        (End::Cut(why), Some(_)) => Ok(Received {
            offset: start,
            interrupted: Some(why),
        }),
        (End::Complete, None) => {
            keep(&mut file).await?;
            Ok(Received {
                offset: start + received,
                interrupted: None,
            })
        }
        (End::Complete, Some((hasher, buffer))) => {
            let digest: [u8; 32] = hasher.finalize().into();
            if Some(digest) != checksum {
                return Err(UploadError::ChecksumMismatch { offset: start });
            }
            let written = async {
                file.write_all(&buffer).await?;
                keep(&mut file).await
            }
            .await;
            if let Err(e) = written {
                if let Err(undo) = roll_back(&mut file, start).await {
                    tracing::error!(upload = %id, error = %undo, "cannot roll back a failed append");
                }
                return Err(e.into());
            }
            Ok(Received {
                offset: start + received,
                interrupted: None,
            })
        }
    }
}

/// `GET`/`HEAD /blobs/{sha256}`.
async fn blob(
    State(state): State<Shared>,
    method: Method,
    sha: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        if method != Method::GET && method != Method::HEAD {
            return Err(UploadError::MethodNotAllowed { allow: "GET, HEAD" });
        }
        let sha = sha
            .ok()
            .and_then(|Path(raw)| Sha256Hex::parse(&raw).ok())
            .ok_or(UploadError::BlobNameInvalid)?;
        let file = match tokio::fs::File::open(state.store.blob_path(&sha)).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(UploadError::BlobNotFound);
            }
            Err(e) => return Err(e.into()),
        };
        let len = file.metadata().await?.len();
        let etag = format!("\"{sha}\"");
        let mut out = HeaderMap::new();
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
        out.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        out.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            out.insert(header::ETAG, etag);
        }
        let not_modified = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| matches!(t.trim(), "*") || t.trim().trim_start_matches("W/") == etag)
            });
        if not_modified {
            return Ok((StatusCode::NOT_MODIFIED, out).into_response());
        }
        out.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        if method == Method::HEAD {
            return Ok((StatusCode::OK, out, Body::empty()).into_response());
        }
        let stream = futures::stream::try_unfold(file, |mut file| async move {
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf).await?;
            if n == 0 {
                return Ok::<_, std::io::Error>(None);
            }
            buf.truncate(n);
            Ok(Some((Bytes::from(buf), file)))
        });
        Ok((StatusCode::OK, out, Body::from_stream(stream)).into_response())
    }
    .await;
    result.into_response()
}
