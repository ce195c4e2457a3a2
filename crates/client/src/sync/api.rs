//! The server's HTTP API as the device calls it: activation, token refresh, and the one round
//! trip of a sync with compressed bodies both ways.

use std::time::Duration;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use ronda_core::sync::{SyncRequest, SyncResponse};
use ronda_core::{DeviceId, Lang, RoleAssignment, UserId};

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
        let body: Option<ErrorBody> = response.json().await.ok();
        let (code, message) = body
            .map(|b| (b.code, b.message))
            .unwrap_or_else(|| ("HTTP_ERROR".into(), status.to_string()));
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::LOCKED => SyncError::Auth { code, message },
            s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
                SyncError::Server { code, message }
            }
            _ => SyncError::Refused { code, message },
        })
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
        let response = self
            .http
            .get(self.url(&format!("areas/{kelurahan}")))
            .header(ACCEPT_ENCODING, "zstd, gzip")
            .header(reqwest::header::ACCEPT_LANGUAGE, self.lang.code())
            .send()
            .await
            .map_err(SyncError::offline)?;
        let status = response.status();
        if status.is_success() {
            return response.text().await.map_err(SyncError::offline);
        }
        let body: Option<ErrorBody> = response.json().await.ok();
        let (code, message) = body
            .map(|b| (b.code, b.message))
            .unwrap_or_else(|| ("HTTP_ERROR".into(), status.to_string()));
        Err(if status.is_server_error() {
            SyncError::Server { code, message }
        } else {
            SyncError::Refused { code, message }
        })
    }
}
