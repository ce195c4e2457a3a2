//! Uploading one photo blob to the Ronda server with [tus 1.0.0], resumably, over links that
//! drop (2G in an alley).
//!
//! One call to [`TusClient::upload`] is one attempt:
//!
//! 1. The bytes are checked against their name (SHA-256) first: a damaged local file is never
//!    sent.
//! 2. `HEAD /blobs/<sha256>`: if the server has the blob, nothing is sent.
//! 3. With a saved upload URL, `HEAD` it to learn the server's offset. If the upload is gone
//!    (404/410) or is not this blob's, a new one is started.
//! 4. Otherwise `POST /uploads` (creation-with-upload) carries the first chunk. The new URL is
//!    handed to [`UploadProgressSink::upload_url_known`] at once.
//! 5. `PATCH` the remaining chunks, each with `Upload-Checksum: sha256 …`. Every offset the
//!    server confirms goes to [`UploadProgressSink::offset_confirmed`].
//!
//! Any network failure ends the attempt with [`TusError::Network`]. The caller (the sync
//! engine) keeps the URL and offset it was told and calls again later, after an app restart if
//! need be, passing the URL back: that is how an upload survives the app. Only the server's
//! word counts: a resumed upload always starts from the offset the server reports.
//!
//! [tus 1.0.0]: https://tus.io/protocols/resumable-upload

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, RequestBuilder, Response, StatusCode, Url};
use ronda_core::{Coded, Lang, Sha256Hex};
use sha2::{Digest, Sha256};

/// A chunk size that suits 2G: a few seconds per request, little lost when one fails.
pub const DEFAULT_CHUNK_BYTES: usize = 32 * 1024;

const TUS_VERSION: &str = "1.0.0";
const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
/// How often one chunk may fail its checksum in a row before the attempt gives up.
const MAX_CHECKSUM_RETRIES: u32 = 2;
/// How often the server may answer 409 in a row (each followed by a HEAD) before giving up.
const MAX_CONFLICTS: u32 = 3;

/// Told of progress as it happens, so the caller can persist it (and pass the URL back to
/// [`TusClient::upload`] after a failure or an app restart).
pub trait UploadProgressSink {
    /// The upload's URL (absolute), known as soon as the server has created it.
    fn upload_url_known(&mut self, url: &str);
    /// The server has durably stored the first `offset` bytes.
    fn offset_confirmed(&mut self, offset: u64);
}

/// What one successful [`TusClient::upload`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UploadOutcome {
    /// Body bytes sent in this call (chunks resent after a checksum failure count twice).
    pub sent_bytes: u64,
    /// The server's offset when a saved upload was resumed; `None` when none was.
    pub resumed_from: Option<u64>,
    /// The server had the blob already; nothing was sent.
    pub already_on_server: bool,
}

/// Why an upload attempt failed. See [`TusError::is_retryable`].
#[derive(Debug, thiserror::Error)]
pub enum TusError {
    #[error("network error: {0}")]
    Network(#[source] reqwest::Error),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("the bytes' SHA-256 is {actual}, not {expected}: the local file is damaged")]
    LocalHashMismatch { expected: String, actual: String },
    #[error("the server refused the finished upload: what it received does not hash to {sha256}")]
    HashMismatch { sha256: String },
    #[error("a chunk kept failing its checksum: the link is damaging data")]
    ChecksumMismatch,
    #[error("the server does not accept uploads this large")]
    TooLarge,
    #[error("the server refused the credentials ({status})")]
    Unauthorized { status: u16 },
    #[error("the server is unavailable ({status}{})", code_suffix(.code))]
    Server { status: u16, code: Option<String> },
    #[error("the server refused the request ({status}{}): {message}", code_suffix(.code))]
    Rejected {
        status: u16,
        code: Option<String>,
        message: String,
    },
    #[error("the server broke the protocol: {0}")]
    Protocol(String),
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
}

impl TusError {
    /// A stable code: `TUS_NETWORK`, `TUS_INVALID_INPUT`, `TUS_LOCAL_HASH_MISMATCH`,
    /// `TUS_HASH_MISMATCH`, `TUS_CHECKSUM_MISMATCH`, `TUS_TOO_LARGE`, `TUS_UNAUTHORIZED`,
    /// `TUS_SERVER_UNAVAILABLE`, `TUS_REJECTED`, `TUS_PROTOCOL`.
    pub fn code(&self) -> &'static str {
        match self {
            TusError::Network(_) => "TUS_NETWORK",
            TusError::InvalidInput(_) => "TUS_INVALID_INPUT",
            TusError::LocalHashMismatch { .. } => "TUS_LOCAL_HASH_MISMATCH",
            TusError::HashMismatch { .. } => "TUS_HASH_MISMATCH",
            TusError::ChecksumMismatch => "TUS_CHECKSUM_MISMATCH",
            TusError::TooLarge => "TUS_TOO_LARGE",
            TusError::Unauthorized { .. } => "TUS_UNAUTHORIZED",
            TusError::Server { .. } => "TUS_SERVER_UNAVAILABLE",
            TusError::Rejected { .. } => "TUS_REJECTED",
            TusError::Protocol(_) => "TUS_PROTOCOL",
        }
    }

    /// Whether calling again later (with the saved URL) may succeed without anyone acting:
    /// network failures, a busy or failing server, a chunk damaged in transit.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            TusError::Network(_) | TusError::Server { .. } | TusError::ChecksumMismatch
        )
    }
}

impl Coded for TusError {
    fn code(&self) -> &'static str {
        TusError::code(self)
    }

    fn message(&self, lang: Lang) -> String {
        let id = match self {
            TusError::Network(_) => "jaringan terputus; foto akan dikirim ulang nanti".to_owned(),
            TusError::InvalidInput(why) => format!("masukan tidak sah: {why}"),
            TusError::LocalHashMismatch { .. } => {
                "file foto di ponsel rusak dan tidak dikirim".to_owned()
            }
            TusError::HashMismatch { .. } => {
                "server menolak foto: isi yang diterima tidak cocok dengan namanya".to_owned()
            }
            TusError::ChecksumMismatch => {
                "bagian foto berulang kali rusak dalam perjalanan; akan dicoba lagi nanti"
                    .to_owned()
            }
            TusError::TooLarge => "foto terlalu besar untuk server".to_owned(),
            TusError::Unauthorized { .. } => "server menolak akses; masuk kembali".to_owned(),
            TusError::Server { status, .. } => {
                format!("server sedang tidak dapat melayani ({status}); akan dicoba lagi nanti")
            }
            TusError::Rejected {
                status, message, ..
            } => format!("server menolak permintaan ({status}): {message}"),
            TusError::Protocol(why) => format!("jawaban server tidak sesuai protokol: {why}"),
        };
        lang.pick(id, self.to_string())
    }
}

/// A tus client for the Ronda server.
#[derive(Debug, Clone)]
pub struct TusClient {
    http: reqwest::Client,
    /// Where the upload routes live, ending in `/`, such as `http://127.0.0.1:8080/v1/`.
    base: Url,
    /// The `Authorization` header, marked sensitive (never printed).
    auth: Option<HeaderValue>,
}

impl TusClient {
    /// A client with timeouts suited to slow links. `base` is where the server's upload routes
    /// live (`…/v1/`; a missing final `/` is added). `auth` is the bearer token; a value that
    /// already starts with `Bearer ` is used as the whole header value.
    pub fn new(base: Url, auth: Option<String>) -> Result<TusClient, TusError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            // 32 KB at a poor 2G rate is well under a minute; a request stuck longer is dead.
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| TusError::InvalidInput(format!("cannot build the HTTP client: {e}")))?;
        TusClient::with_http(http, base, auth)
    }

    /// As [`TusClient::new`], with the caller's HTTP client.
    pub fn with_http(
        http: reqwest::Client,
        mut base: Url,
        auth: Option<String>,
    ) -> Result<TusClient, TusError> {
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(TusError::InvalidInput(format!(
                "{base} is not an http(s) base URL"
            )));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        base.set_fragment(None);
        let auth = auth
            .map(|token| {
                let value = if token
                    .get(..7)
                    .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
                {
                    token
                } else {
                    format!("Bearer {token}")
                };
                let mut value = HeaderValue::from_str(&value).map_err(|_| {
                    TusError::InvalidInput("the token is not a valid header value".to_owned())
                })?;
                value.set_sensitive(true);
                Ok::<_, TusError>(value)
            })
            .transpose()?;
        Ok(TusClient { http, base, auth })
    }

    /// The base URL in use (ending in `/`).
    pub fn base(&self) -> &Url {
        &self.base
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let mut request = self
            .http
            .request(method, url)
            .header("tus-resumable", TUS_VERSION);
        if let Some(auth) = &self.auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        request
    }

    fn join(&self, path: &str) -> Result<Url, TusError> {
        self.base
            .join(path)
            .map_err(|e| TusError::InvalidInput(format!("{path}: {e}")))
    }

    /// Whether the server already stores the blob named `sha256` (64 lowercase hex digits).
    pub async fn server_has(&self, sha256: &str) -> Result<bool, TusError> {
        let sha = parse_sha(sha256)?;
        let url = self.join(&format!("blobs/{sha}"))?;
        let response = self
            .request(Method::HEAD, url)
            .send()
            .await
            .map_err(TusError::Network)?;
        match response.status() {
            StatusCode::OK => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(refusal(response).await),
        }
    }

    /// Uploads `bytes`, named `sha256`, in chunks of `chunk` bytes ([`DEFAULT_CHUNK_BYTES`]
    /// suits 2G), resuming the upload at `resume_url` if it is still there. See the module
    /// documentation for the steps; progress goes to `sink` as the server confirms it.
    pub async fn upload(
        &self,
        bytes: &[u8],
        sha256: &str,
        resume_url: Option<&str>,
        chunk: usize,
        sink: &mut impl UploadProgressSink,
    ) -> Result<UploadOutcome, TusError> {
        let sha = parse_sha(sha256)?;
        if chunk == 0 {
            return Err(TusError::InvalidInput("the chunk size is 0".to_owned()));
        }
        let actual = Sha256Hex::from_digest(&Sha256::digest(bytes).into());
        if actual != sha {
            return Err(TusError::LocalHashMismatch {
                expected: sha.to_string(),
                actual: actual.to_string(),
            });
        }
        let length = bytes.len() as u64;
        let mut outcome = UploadOutcome::default();

        if self.server_has(sha.as_str()).await? {
            outcome.already_on_server = true;
            return Ok(outcome);
        }

        let mut current: Option<(Url, u64)> = None;
        if let Some(saved) = resume_url
            && let Some(url) = self.upload_url(saved)
            && let Some(offset) = self.probe(&url, length, &sha).await?
        {
            sink.offset_confirmed(offset);
            outcome.resumed_from = Some(offset);
            current = Some((url, offset));
        }

        // An upload the server loses mid-way (terminated, expired) is started again, once.
        let mut created = 0;
        'upload: loop {
            let (url, mut offset) = match current.take() {
                Some(current) => current,
                None => {
                    created += 1;
                    if created > 2 {
                        return Err(TusError::Protocol(
                            "the server lost the upload twice".to_owned(),
                        ));
                    }
                    self.create(bytes, &sha, chunk, sink, &mut outcome).await?
                }
            };
            let mut conflicts = 0;
            let mut checksum_failures = 0;
            while offset < length {
                let start = offset as usize;
                let end = start.saturating_add(chunk).min(bytes.len());
                let body = &bytes[start..end];
                let response = self
                    .request(Method::PATCH, url.clone())
                    .header("upload-offset", offset)
                    .header("content-type", OFFSET_OCTET_STREAM)
                    .header("upload-checksum", checksum(body))
                    .body(body.to_vec())
                    .send()
                    .await
                    .map_err(TusError::Network)?;
                outcome.sent_bytes += body.len() as u64;
                match response.status() {
                    StatusCode::NO_CONTENT => {
                        let confirmed = upload_offset(response.headers())?;
                        if confirmed <= offset || confirmed > end as u64 {
                            return Err(TusError::Protocol(format!(
                                "offset {confirmed} after sending {offset}..{end}"
                            )));
                        }
                        check_blob_name(response.headers(), &sha)?;
                        offset = confirmed;
                        sink.offset_confirmed(offset);
                        conflicts = 0;
                        checksum_failures = 0;
                    }
                    StatusCode::CONFLICT => {
                        // The server is elsewhere (it kept part of an earlier, cut request):
                        // ask it where, and go on from there.
                        conflicts += 1;
                        if conflicts > MAX_CONFLICTS {
                            return Err(refusal(response).await);
                        }
                        match self.probe(&url, length, &sha).await? {
                            Some(server_offset) => {
                                offset = server_offset;
                                sink.offset_confirmed(offset);
                            }
                            None => continue 'upload,
                        }
                    }
                    StatusCode::NOT_FOUND | StatusCode::GONE => continue 'upload,
                    status if status.as_u16() == 460 => {
                        let error = refusal(response).await;
                        if !matches!(error, TusError::ChecksumMismatch) {
                            return Err(error);
                        }
                        checksum_failures += 1;
                        if checksum_failures > MAX_CHECKSUM_RETRIES {
                            return Err(error);
                        }
                    }
                    _ => return Err(refusal(response).await),
                }
            }
            return Ok(outcome);
        }
    }

    /// A saved URL, if it is usable: absolute or relative to the base, and on the base's
    /// origin (the token is never sent elsewhere).
    fn upload_url(&self, saved: &str) -> Option<Url> {
        self.base
            .join(saved)
            .ok()
            .filter(|url| url.origin() == self.base.origin())
    }

    /// Asks the server where an upload stands: `Some(offset)`, or `None` if it is gone or is
    /// not an upload of these bytes.
    async fn probe(
        &self,
        url: &Url,
        length: u64,
        sha: &Sha256Hex,
    ) -> Result<Option<u64>, TusError> {
        let response = self
            .request(Method::HEAD, url.clone())
            .send()
            .await
            .map_err(TusError::Network)?;
        match response.status() {
            StatusCode::OK => {}
            StatusCode::NOT_FOUND | StatusCode::GONE => return Ok(None),
            _ => return Err(refusal(response).await),
        }
        let headers = response.headers();
        let offset = upload_offset(headers)?;
        let same_length = header_u64(headers, "upload-length") == Some(length);
        let same_blob = match metadata_sha256(headers) {
            Some(declared) => declared == sha.as_str(),
            None => true,
        };
        if !same_length || !same_blob {
            return Ok(None);
        }
        if offset > length {
            return Err(TusError::Protocol(format!(
                "offset {offset} past the length {length}"
            )));
        }
        Ok(Some(offset))
    }

    /// Creates the upload, carrying the first chunk; returns its URL and offset.
    async fn create(
        &self,
        bytes: &[u8],
        sha: &Sha256Hex,
        chunk: usize,
        sink: &mut impl UploadProgressSink,
        outcome: &mut UploadOutcome,
    ) -> Result<(Url, u64), TusError> {
        let endpoint = self.join("uploads")?;
        let first = &bytes[..chunk.min(bytes.len())];
        let mut checksum_failures = 0;
        let response = loop {
            let response = self
                .request(Method::POST, endpoint.clone())
                .header("upload-length", bytes.len())
                .header(
                    "upload-metadata",
                    format!("sha256 {}", B64.encode(sha.as_str())),
                )
                .header("content-type", OFFSET_OCTET_STREAM)
                .header("upload-checksum", checksum(first))
                .body(first.to_vec())
                .send()
                .await
                .map_err(TusError::Network)?;
            outcome.sent_bytes += first.len() as u64;
            match response.status() {
                StatusCode::CREATED => break response,
                status if status.as_u16() == 460 => {
                    let error = refusal(response).await;
                    checksum_failures += 1;
                    if !matches!(error, TusError::ChecksumMismatch)
                        || checksum_failures > MAX_CHECKSUM_RETRIES
                    {
                        return Err(error);
                    }
                }
                _ => return Err(refusal(response).await),
            }
        };
        let headers = response.headers();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| TusError::Protocol("201 without a Location".to_owned()))?;
        let url = endpoint
            .join(location)
            .ok()
            .filter(|url| url.origin() == self.base.origin())
            .ok_or_else(|| {
                TusError::Protocol(format!("Location {location:?} is not on the server"))
            })?;
        sink.upload_url_known(url.as_str());
        // A server without creation-with-upload says nothing: it took nothing.
        let offset = match headers.get("upload-offset") {
            Some(_) => upload_offset(headers)?,
            None => 0,
        };
        if offset > bytes.len() as u64 {
            return Err(TusError::Protocol(format!(
                "offset {offset} past the length {}",
                bytes.len()
            )));
        }
        check_blob_name(headers, sha)?;
        sink.offset_confirmed(offset);
        Ok((url, offset))
    }
}

fn parse_sha(sha256: &str) -> Result<Sha256Hex, TusError> {
    Sha256Hex::parse(sha256).map_err(|e| TusError::InvalidInput(e.to_string()))
}

fn checksum(body: &[u8]) -> String {
    format!("sha256 {}", B64.encode(Sha256::digest(body)))
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    let value = headers.get(name)?.to_str().ok()?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn upload_offset(headers: &HeaderMap) -> Result<u64, TusError> {
    header_u64(headers, "upload-offset")
        .ok_or_else(|| TusError::Protocol("missing or malformed Upload-Offset".to_owned()))
}

/// The `sha256` an upload was declared with, from its `Upload-Metadata`.
fn metadata_sha256(headers: &HeaderMap) -> Option<String> {
    let metadata = headers.get("upload-metadata")?.to_str().ok()?;
    metadata.split(',').find_map(|pair| {
        let (key, value) = pair.trim().split_once(' ')?;
        if key != "sha256" {
            return None;
        }
        String::from_utf8(B64.decode(value.trim()).ok()?).ok()
    })
}

/// A server that names the blob it made must name this one.
fn check_blob_name(headers: &HeaderMap, sha: &Sha256Hex) -> Result<(), TusError> {
    match headers.get("ronda-blob").map(|v| v.to_str()) {
        None => Ok(()),
        Some(Ok(name)) if name == sha.as_str() => Ok(()),
        Some(other) => Err(TusError::Protocol(format!(
            "the server stored blob {other:?}, not {sha}"
        ))),
    }
}

/// The error for a response that is not what the protocol step expected.
async fn refusal(response: Response) -> TusError {
    let status = response.status();
    let body: Option<serde_json::Value> = response.json().await.ok();
    let field = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let code = field("code");
    match status.as_u16() {
        460 if code.as_deref() == Some("UPLOAD_HASH_MISMATCH") => TusError::HashMismatch {
            sha256: field("declared_sha256").unwrap_or_default(),
        },
        460 => TusError::ChecksumMismatch,
        401 | 403 => TusError::Unauthorized {
            status: status.as_u16(),
        },
        413 => TusError::TooLarge,
        408 | 423 | 429 | 500..=599 => TusError::Server {
            status: status.as_u16(),
            code,
        },
        _ => TusError::Rejected {
            status: status.as_u16(),
            code,
            message: field("message").unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .unwrap_or("unexpected status")
                    .to_owned()
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_get_a_final_slash_and_tokens_a_scheme() {
        let client = TusClient::with_http(
            reqwest::Client::new(),
            Url::parse("http://127.0.0.1:1/v1").unwrap(),
            Some("abc".to_owned()),
        )
        .unwrap();
        assert_eq!(client.base().as_str(), "http://127.0.0.1:1/v1/");
        assert_eq!(
            client.auth.as_ref().unwrap().to_str().unwrap(),
            "Bearer abc"
        );
        assert!(!format!("{client:?}").contains("abc"));
        assert!(
            TusClient::with_http(
                reqwest::Client::new(),
                Url::parse("ftp://x/").unwrap(),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn saved_urls_stay_on_the_server() {
        let client = TusClient::with_http(
            reqwest::Client::new(),
            Url::parse("http://127.0.0.1:1/v1/").unwrap(),
            None,
        )
        .unwrap();
        assert_eq!(
            client.upload_url("/v1/uploads/x").unwrap().as_str(),
            "http://127.0.0.1:1/v1/uploads/x"
        );
        assert!(
            client
                .upload_url("http://127.0.0.1:1/v1/uploads/x")
                .is_some()
        );
        assert!(
            client
                .upload_url("http://evil.example/v1/uploads/x")
                .is_none()
        );
        assert!(
            client
                .upload_url("http://127.0.0.1:2/v1/uploads/x")
                .is_none()
        );
    }

    #[test]
    fn metadata_sha_is_found() {
        let mut headers = HeaderMap::new();
        let sha = "ab".repeat(32);
        headers.insert(
            "upload-metadata",
            format!("filename Zm9v, sha256 {}", B64.encode(&sha))
                .parse()
                .unwrap(),
        );
        assert_eq!(metadata_sha256(&headers), Some(sha));
    }
}
