//! The real Ronda server, in this test's process, over HTTP on a loopback port.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use ronda_core::RoleAssignment;
use ronda_server::auth::TokenKey;
use ronda_server::config::{Lifecycle, Limits};
use ronda_server::http::{self, AppState};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;

pub struct LiveServer {
    pub addr: SocketAddr,
    pub data: PathBuf,
    pub key: TokenKey,
    pub storage: SqliteStorage,
    task: tokio::task::JoinHandle<()>,
}

impl LiveServer {
    /// A fresh server keeping its data in `data`, on a free port.
    pub async fn start(data: &Path) -> LiveServer {
        Self::start_at(data, "127.0.0.1:0".parse().unwrap(), TokenKey::random()).await
    }

    /// A fresh server with the admins' lifecycle settings (deadlines, kewenangan…).
    pub async fn start_with(data: &Path, lifecycle: Lifecycle) -> LiveServer {
        Self::start_configured(
            data,
            "127.0.0.1:0".parse().unwrap(),
            TokenKey::random(),
            lifecycle,
        )
        .await
    }

    /// A server on `addr` with `key`: the same server again after [`LiveServer::stop`].
    pub async fn start_at(data: &Path, addr: SocketAddr, key: TokenKey) -> LiveServer {
        Self::start_configured(data, addr, key, Lifecycle::default()).await
    }

    async fn start_configured(
        data: &Path,
        addr: SocketAddr,
        key: TokenKey,
        lifecycle: Lifecycle,
    ) -> LiveServer {
        let storage = SqliteStorage::open(data.join("ronda.db")).unwrap();
        let uploads = UploadConfig {
            uploads_dir: data.join("uploads"),
            blobs_dir: data.join("blobs"),
            max_upload_bytes: 10 << 20,
        };
        // Tests sync far more often than any phone, and look at the safety layer at once.
        let limits = Limits {
            syncs_per_minute: 100_000,
            safety_layer_refresh_secs: 0,
            ..Limits::default()
        };
        let state = AppState::with_lifecycle(storage.clone(), key.clone(), limits, lifecycle);
        let app = http::router(state, uploads);
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move { http::serve(listener, app).await.unwrap() });
        LiveServer {
            addr,
            data: data.to_owned(),
            key,
            storage,
            task,
        }
    }

    /// Stores the real 267 kelurahan boundaries, as `ronda-server area import` would.
    pub async fn store_jakarta(&self) {
        let text = std::fs::read_to_string(jakarta_file()).unwrap();
        let areas = ronda_server::areas::parse(&text).unwrap();
        self.storage
            .write(move |tx| areas.iter().try_for_each(|a| tx.upsert_area(a)))
            .await
            .unwrap();
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a person with one role (JSON) and returns their activation code.
    pub async fn code(&self, name: &str, role: &str) -> String {
        let role: RoleAssignment = serde_json::from_str(role).unwrap();
        ronda_server::admin::add_user(&self.storage, name, vec![role])
            .await
            .unwrap()
            .1
    }

    /// Stops answering; returns what [`LiveServer::start_at`] needs to bring it back.
    pub fn stop(self) -> (PathBuf, SocketAddr, TokenKey) {
        self.task.abort();
        (self.data, self.addr, self.key)
    }
}

/// `../shared/data/jakarta/kelurahan.geojson` beside the repository, or under
/// `RONDA_SHARED_DATA`.
pub fn jakarta_file() -> PathBuf {
    let shared = std::env::var_os("RONDA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let file = shared.join("jakarta/kelurahan.geojson");
    assert!(
        file.exists(),
        "{} is missing: the real data lives beside the repository (set RONDA_SHARED_DATA)",
        file.display()
    );
    file
}

/// A device that is the `ronda` command line over its own store file, one process per command.
pub struct CliDevice {
    pub db: PathBuf,
}

impl CliDevice {
    pub fn new(dir: &Path, name: &str) -> Self {
        Self {
            db: dir.join(name).join("ronda.db"),
        }
    }

    /// Runs `ronda --json …` on a blocking thread and returns (exit code, stdout as JSON).
    pub async fn run(&self, args: &[&str]) -> (i32, Value) {
        let db = self.db.clone();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let out = Command::cargo_bin("ronda")
                .unwrap()
                .env_clear()
                .env("RONDA_DB", &db)
                .arg("--json")
                .args(&args)
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            let value = serde_json::from_str(stdout.trim()).unwrap_or(Value::String(stdout));
            (out.status.code().unwrap(), value)
        })
        .await
        .unwrap()
    }

    pub async fn ok(&self, args: &[&str]) -> Value {
        let (code, v) = self.run(args).await;
        assert_eq!(code, 0, "ronda {args:?}: {v}");
        v
    }

    pub async fn login(&self, server: &LiveServer, code: &str) {
        self.ok(&["login", "--server", &server.url(), "--code", code])
            .await;
    }

    pub async fn ids(&self) -> Vec<String> {
        let list = self.ok(&["report", "list", "--limit", "1000"]).await;
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    }
}
