//! The server describes every HTTP endpoint it answers in its OpenAPI document.

use ronda_server::auth::TokenKey;
use ronda_server::config::Limits;
use ronda_server::http::{self, AppState};
use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::uploads::UploadConfig;

#[tokio::test]
async fn every_endpoint_is_in_the_served_openapi_document() {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open(dir.path().join("ronda.db")).unwrap();
    let uploads = UploadConfig {
        uploads_dir: dir.path().join("u"),
        blobs_dir: dir.path().join("b"),
        max_upload_bytes: 1 << 20,
    };
    let app = http::router(
        AppState::new(storage, TokenKey::random(), Limits::default()),
        uploads,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { http::serve(listener, app).await.unwrap() });

    let doc: serde_json::Value = reqwest::get(format!("{base}/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/v1/auth/activate", &["post"][..]),
        ("/v1/auth/token", &["post"]),
        ("/v1/auth/revoke", &["post"]),
        ("/v1/sync", &["post"]),
        ("/v1/users", &["post"]),
        ("/v1/uploads", &["options", "post"]),
        ("/v1/uploads/{id}", &["head", "patch", "delete"]),
        ("/v1/blobs/{sha256}", &["head", "get"]),
    ] {
        for m in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(*m)).is_some(),
                "{m} {path} is not documented"
            );
        }
    }
    // And each documented operation is really answered (not 404/405) by the server.
    let client = reqwest::Client::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let url = format!(
                "{base}{}",
                path.replace("{id}", "0194f8a0-0000-7000-8000-000000000000")
                    .replace("{sha256}", &"a".repeat(64))
            );
            let status = client
                .request(method.to_uppercase().parse().unwrap(), &url)
                .send()
                .await
                .unwrap()
                .status();
            assert!(status != 405, "{method} {path} answered {status}");
            if !path.contains('{') {
                assert!(status != 404, "{method} {path} answered {status}");
            }
        }
    }
    assert_eq!(
        reqwest::get(format!("{base}/health"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
}
