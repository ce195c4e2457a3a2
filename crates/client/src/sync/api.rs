//! The server's HTTP API as the device calls it: activation, token refresh, and the one round
//! trip of a sync with compressed bodies both ways.

use std::time::Duration;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use ronda_core::sync::{SyncRequest, SyncResponse};
use sha2::{Digest, Sha256};

use ronda_core::{DeviceId, Lang, RoleAssignment, Sha256Hex, UserId};

use super::SyncError;

/// What the server answers to an activation.
#[derive(Debug, Clone, Deserialize)]
pub struct SignedIn {
    pub user_id: UserId,
    pub user_name: String,
    pub device_id: DeviceId,
    pub refresh_token: String,
    pub access_token: String,
    pub access_expires_at: i64,
    pub roles: Vec<RoleAssignment>,
}

#[derive(Debug, Clone, Deserialize)]
struct AccessToken {
    access_token: String,
    access_expires_at: i64,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    base: Url,
    lang: Lang,
}

impl Api {
    /// `server` is the server's address, e.g. `https://ronda.jakarta.go.id` or
    /// `http://127.0.0.1:8080`.
    pub fn new(server: &str, lang: Lang) -> Result<Self, SyncError> {
        let mut base = Url::parse(server.trim())
            .map_err(|e| SyncError::BadServerUrl(format!("{server}: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(SyncError::BadServerUrl(server.to_owned()));
        }
        let path = format!("{}/v1/", base.path().trim_end_matches('/'));
        base.set_path(&path);
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            .timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| SyncError::BadServerUrl(e.to_string()))?;
        Ok(Self { http, base, lang })
    }

    /// Where the upload routes live (`…/v1/`).
    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn url(&self, path: &str) -> Url {
        self.base.join(path).expect("fixed relative paths join")
    }

    async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Result<R, SyncError> {
        let json = serde_json::to_vec(body).expect("requests serialise");
        // Small bodies are sent as they are: compressing a few dozen bytes only adds a frame.
        let (bytes, encoded) = if json.len() > 256 {
            (
                zstd::encode_all(&json[..], 3).expect("compressing to memory cannot fail"),
                true,
            )
        } else {
            (json, false)
        };
        let mut request = self
            .http
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT_ENCODING, "zstd, gzip")
            .header(reqwest::header::ACCEPT_LANGUAGE, self.lang.code())
            .body(bytes);
        if encoded {
            request = request.header(CONTENT_ENCODING, "zstd");
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(SyncError::offline)?;
        let status = response.status();
        if status.is_success() {
            return response.json().await.map_err(SyncError::offline);
        }
        Err(failure(response).await)
    }

    pub async fn activate(&self, code: &str, device_name: &str) -> Result<SignedIn, SyncError> {
        #[derive(Serialize)]
        struct Activate<'a> {
            code: &'a str,
            device_name: &'a str,
        }
        self.post("auth/activate", None, &Activate { code, device_name })
            .await
    }

    /// A fresh access token and when it expires (ms since 1970).
    pub async fn refresh(&self, refresh_token: &str) -> Result<(String, i64), SyncError> {
        #[derive(Serialize)]
        struct Refresh<'a> {
            refresh_token: &'a str,
        }
        let t: AccessToken = self
            .post("auth/token", None, &Refresh { refresh_token })
            .await?;
        Ok((t.access_token, t.access_expires_at))
    }

    pub async fn sync(
        &self,
        access_token: &str,
        request: &SyncRequest,
    ) -> Result<SyncResponse, SyncError> {
        self.post("sync", Some(access_token), request).await
    }

    /// A kelurahan's boundary as the server's GeoJSON Feature text (public: no token needed).
    pub async fn kelurahan_outline(&self, kelurahan: &str) -> Result<String, SyncError> {
        match self.fetch(&format!("areas/{kelurahan}"), None).await? {
            Fetched::New { body, .. } => Ok(body),
            Fetched::NotModified => unreachable!("no version was named"),
        }
    }

    /// A content-named file (a photo or thumbnail) from the server, checked against its name.
    pub async fn blob(&self, access_token: &str, name: &Sha256Hex) -> Result<Vec<u8>, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("blobs/{name}")))
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(SyncError::offline)?;
        if !response.status().is_success() {
            return Err(failure(response).await);
        }
        let bytes = response.bytes().await.map_err(SyncError::offline)?;
        if Sha256Hex::from_digest(&Sha256::digest(&bytes).into()) != *name {
            return Err(SyncError::Server {
                code: "BLOB_CHECKSUM_MISMATCH".into(),
                message: format!("the server's {name} does not match its name"),
            });
        }
        Ok(bytes.to_vec())
    }

    /// A public document under `/v1/`, unless the server says the version `etag` names is
    /// still current.
    pub async fn fetch(&self, path: &str, etag: Option<&str>) -> Result<Fetched, SyncError> {
        let mut request = self
            .http
            .get(self.url(path))
            .header(ACCEPT_ENCODING, "zstd, gzip")
            .header(reqwest::header::ACCEPT_LANGUAGE, self.lang.code());
        if let Some(etag) = etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let response = request.send().await.map_err(SyncError::offline)?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if status.is_success() {
            let etag = response
                .headers()
                .get(reqwest::header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = response.text().await.map_err(SyncError::offline)?;
            return Ok(Fetched::New { etag, body });
        }
        Err(failure(response).await)
    }
}

/// What an unsuccessful answer means for the device: the server's own code and message when it
/// sent them, sorted by whether trying again later can help.
async fn failure(response: reqwest::Response) -> SyncError {
    let status = response.status();
    let body: Option<ErrorBody> = response.json().await.ok();
    let (code, message) = body
        .map(|b| (b.code, b.message))
        .unwrap_or_else(|| ("HTTP_ERROR".into(), status.to_string()));
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::LOCKED => SyncError::Auth { code, message },
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            SyncError::Server { code, message }
        }
        _ => SyncError::Refused { code, message },
    }
}

/// What a conditional fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The version named is current.
    NotModified,
    New {
        etag: Option<String>,
        body: String,
    },
}
