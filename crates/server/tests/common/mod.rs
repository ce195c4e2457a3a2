//! Shared fixtures for the API tests: the real server on 127.0.0.1:0 over SQLite in a temporary
//! folder, people with roles and signed-in devices, and sync calls over HTTP with reqwest.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;
use tempfile::TempDir;
use tokio::task::JoinHandle;

use ronda_core::sync::{BucketId, OpResult, ServerReport, SyncRequest, SyncResponse};
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Description, DeviceId, Hlc, Location, LocationSource,
    NewReport, Op, OpBody, OpId, ReportId, ReportKind, ReportPatch, RoleAssignment, Timestamp,
    UserId,
};
use ronda_server::auth::TokenKey;
use ronda_server::config::Limits;
use ronda_server::http::{AppState, SignedIn, router, serve};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;

/// The role assignments of `ronda_server::admin::demo_people`, as JSON.
pub const WARGA: &str = r#"{"role":"warga"}"#;
pub const KETUA_RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
pub const KETUA_RW: &str = r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 003"}"#;
pub const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
pub const CAMAT: &str = r#"{"role":"camat","kecamatan":"31.71.01"}"#;
pub const PETUGAS_SKPD: &str = r#"{"role":"petugas_skpd","agency":"bina_marga","areas":["31.71"]}"#;
pub const ADMIN: &str = r#"{"role":"admin","provinsi":"31"}"#;

/// Inside every demo person's area: RT 007 / RW 003, Kelurahan Gambir, Jakarta Pusat.
pub const INSIDE: &str = "31.71.01.1001/RW 003/RT 007";
/// Outside all of them but the admin's: another kota (Jakarta Selatan), so another kecamatan.
pub const OUTSIDE: &str = "31.74.02.1003/RW 001/RT 001";

pub type Cursors = BTreeMap<BucketId, i64>;

/// A running server with its own database; dropping it stops the server and deletes the folder.
pub struct TestServer {
    pub origin: String,
    /// The key the server signs access tokens with.
    pub key: TokenKey,
    pub storage: SqliteStorage,
    pub limits: Limits,
    pub http: reqwest::Client,
    task: JoinHandle<()>,
    _dir: TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A signed-in device.
#[derive(Debug, Clone)]
pub struct Session {
    pub name: String,
    pub user: UserId,
    pub device: DeviceId,
    pub access: String,
    pub refresh: String,
    pub roles: Vec<RoleAssignment>,
}

/// An HTTP answer: status, headers and the body as JSON (`Value::Null` if it is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Reply {
    pub async fn of(rb: RequestBuilder) -> Reply {
        let resp = rb.send().await.expect("the server answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let raw = resp.bytes().await.expect("the body arrives").to_vec();
        let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            raw,
        }
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    /// Asserts the answer is the error `(status, code)` with a JSON body of exactly
    /// `{code, message}` and a message; returns the message.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) -> String {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "body: {}",
            String::from_utf8_lossy(&self.raw)
        );
        let keys: Vec<&str> = self
            .body
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            ["code", "message"],
            "an error body is {{code, message}}"
        );
        assert!(!self.message().trim().is_empty(), "{code} needs a message");
        self.message().to_owned()
    }
}

pub fn limits() -> Limits {
    Limits::default()
}

pub fn role(json: &str) -> RoleAssignment {
    serde_json::from_str(json).expect("valid role assignment")
}

pub fn area(s: &str) -> AreaCode {
    s.parse().expect("valid area code")
}

pub fn now_ms() -> i64 {
    Timestamp::now().millis()
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(Limits::default()).await
    }

    pub async fn start_with(limits: Limits) -> TestServer {
        Self::start_configured(limits, Default::default()).await
    }

    /// A server with the admins' lifecycle settings (on-site distances, kewenangan rules).
    pub async fn start_configured(
        limits: Limits,
        lifecycle: ronda_server::config::Lifecycle,
    ) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(dir.path().join("ronda.db")).unwrap();
        let key = TokenKey::random();
        let uploads = UploadConfig {
            uploads_dir: dir.path().join("uploads"),
            blobs_dir: dir.path().join("blobs"),
            max_upload_bytes: limits.max_upload_bytes,
        };
        let app = router(
            AppState::with_lifecycle(storage.clone(), key.clone(), limits.clone(), lifecycle),
            uploads,
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move { serve(listener, app).await.unwrap() });
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        TestServer {
            origin,
            key,
            storage,
            limits,
            http,
            task,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// A POST to `path` (e.g. `/v1/sync`), to be completed by the caller.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.http.post(self.url(path))
    }

    /// Adds a person with these roles (JSON) and returns their id and activation code.
    pub async fn add_user(&self, name: &str, roles: &[&str]) -> (UserId, String) {
        let roles = roles.iter().map(|r| role(r)).collect();
        ronda_server::admin::add_user(&self.storage, name, roles)
            .await
            .unwrap()
    }

    pub async fn activate(&self, code: &str) -> Reply {
        Reply::of(self.post("/v1/auth/activate").json(&serde_json::json!({
            "code": code,
            "device_name": "HP uji",
        })))
        .await
    }

    /// Signs a device in with an activation code.
    pub async fn sign_in(&self, name: &str, code: &str) -> Session {
        let reply = self.activate(code).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let s: SignedIn = serde_json::from_value(reply.body).unwrap();
        Session {
            name: name.to_owned(),
            user: s.user_id,
            device: s.device_id,
            access: s.access_token,
            refresh: s.refresh_token,
            roles: s.roles,
        }
    }

    /// A new person with one role (JSON), signed in on one device.
    pub async fn person(&self, name: &str, role_json: &str) -> Session {
        let (_, code) = self.add_user(name, &[role_json]).await;
        let session = self.sign_in(name, &code).await;
        assert_eq!(session.roles, vec![role(role_json)]);
        session
    }

    /// A sync call with the session's access token, not yet sent.
    pub fn sync_call(&self, s: &Session, req: &SyncRequest) -> RequestBuilder {
        self.post("/v1/sync").bearer_auth(&s.access).json(req)
    }

    pub async fn sync_reply(&self, s: &Session, req: &SyncRequest) -> Reply {
        Reply::of(self.sync_call(s, req)).await
    }

    /// One sync that must succeed.
    pub async fn sync(&self, s: &Session, req: &SyncRequest) -> SyncResponse {
        let reply = self.sync_reply(s, req).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {:?}", s.name, reply.body);
        serde_json::from_value(reply.body).expect("a SyncResponse")
    }

    /// Pushes ops (and pulls nothing new: the answer's pages are ignored); returns the results.
    pub async fn push(&self, s: &Session, ops: Vec<Op>) -> Vec<OpResult> {
        let n = ops.len();
        let resp = self
            .sync(
                s,
                &SyncRequest {
                    ops,
                    cursors: Cursors::new(),
                    ..Default::default()
                },
            )
            .await;
        assert_eq!(resp.results.len(), n, "one result per op");
        resp.results
    }

    pub async fn push_one(&self, s: &Session, op: Op) -> OpResult {
        self.push(s, vec![op]).await.remove(0)
    }

    /// Syncs from `cursors` until nothing more waits, moving the cursors; returns the reports
    /// received, each at its latest version.
    pub async fn catch_up(&self, s: &Session, cursors: &mut Cursors) -> Vec<ServerReport> {
        let mut got: BTreeMap<ReportId, ServerReport> = BTreeMap::new();
        loop {
            let resp = self
                .sync(
                    s,
                    &SyncRequest {
                        ops: vec![],
                        cursors: cursors.clone(),
                        ..Default::default()
                    },
                )
                .await;
            assert!(resp.dropped.is_empty(), "{:?}", resp.dropped);
            for page in &resp.pages {
                assert!(
                    cursors.get(&page.bucket).is_none_or(|c| page.cursor > *c),
                    "a page moves its cursor forward"
                );
                cursors.insert(page.bucket.clone(), page.cursor);
                for r in resp.page_reports(page) {
                    let id = r.report.id();
                    if got.get(&id).is_none_or(|old| old.version < r.version) {
                        got.insert(id, r.clone());
                    }
                }
            }
            if !resp.more {
                return got.into_values().collect();
            }
        }
    }

    /// Everything the session may see, pulled from scratch.
    pub async fn pull_all(&self, s: &Session) -> BTreeMap<ReportId, ServerReport> {
        self.catch_up(s, &mut Cursors::new())
            .await
            .into_iter()
            .map(|r| (r.report.id(), r))
            .collect()
    }

    /// The report as stored, read straight from the database.
    pub async fn stored(&self, id: ReportId) -> Option<ServerReport> {
        self.storage.read(move |tx| tx.report(id)).await.unwrap()
    }

    /// Whether the server recorded an op with this id.
    pub async fn op_recorded(&self, id: OpId) -> bool {
        self.storage
            .read(move |tx| tx.recorded_op(id))
            .await
            .unwrap()
            .is_some()
    }

    /// How many change-log entries the province bucket holds (every DKI report lands there).
    pub async fn province_changes(&self) -> usize {
        let prov: BucketId = "p:31".parse().unwrap();
        self.storage
            .read(move |tx| tx.changes(&prov, 0, 100_000))
            .await
            .unwrap()
            .len()
    }
}

/// A point in Kelurahan Gambir, from the GPS, now.
pub fn location() -> Location {
    location_at(-6.17612, 106.82301)
}

pub fn location_at(lat: f64, lon: f64) -> Location {
    Location {
        coord: Coordinate::new(lat, lon).unwrap(),
        accuracy_m: Accuracy::metres(6.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    }
}

/// A problem report (`laporan`) of `category` in `area`, described by `text`.
pub fn report(category: &str, area_code: Option<&str>, text: &str) -> NewReport {
    NewReport::new(ReportKind::Laporan, category, location())
        .unwrap()
        .describe(Some(Description::parse(text).unwrap()))
        .in_area(area_code.map(area))
}

pub fn create_op(r: &NewReport) -> Op {
    op_at(OpBody::CreateReport(r.clone()), now_ms())
}

pub fn op_at(body: OpBody, ms: i64) -> Op {
    Op::new(body, Hlc { ms, n: 0 })
}

pub fn patch(report: ReportId) -> ReportPatch {
    ReportPatch {
        report,
        category: None,
        location: None,
        description: None,
    }
}

/// An edit of the description, stamped now.
pub fn describe_op(report: ReportId, text: &str) -> Op {
    describe_op_at(report, text, now_ms())
}

pub fn describe_op_at(report: ReportId, text: &str, ms: i64) -> Op {
    op_at(
        OpBody::UpdateReport(ReportPatch {
            description: Some(Description::parse(text).unwrap()),
            ..patch(report)
        }),
        ms,
    )
}

/// Asserts a rejection with `code` and a message; returns the message.
#[track_caller]
pub fn assert_rejected(result: &OpResult, code: &str) -> String {
    match result {
        OpResult::Rejected { code: got, message } => {
            assert_eq!(got, code, "{message}");
            assert!(!message.trim().is_empty(), "{code} needs a message");
            message.clone()
        }
        other => panic!("expected rejected {code}, got {other:?}"),
    }
}

pub fn description_of(r: &ServerReport) -> Option<&str> {
    r.report.description().map(Description::as_str)
}

/// The sync body as JSON, to be broken on purpose.
pub fn request_json(ops: &[Op]) -> Value {
    serde_json::to_value(SyncRequest {
        ops: ops.to_vec(),
        cursors: Cursors::new(),
        ..Default::default()
    })
    .unwrap()
}

pub fn header_str(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
