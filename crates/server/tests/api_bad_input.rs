//! Hostile and malformed input over HTTP: every refusal has a stable code, a JSON
//! `{code, message}` body in the caller's language, and stores nothing.

mod common;

use std::io::Read as _;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

use ronda_core::hlc::MAX_FUTURE_MS;
use ronda_core::sync::{OpResult, SyncRequest};
use ronda_core::{CategoryCode, Coded, DeviceId, Lang, OpBody, ReportPatch, UserId};
use ronda_server::config::Limits;

use common::*;

const JSON: &str = "application/json";
const TEN_YEARS_MS: i64 = 10 * 365 * 24 * 3600 * 1000;

/// A photo reference named by `pair` repeated into 64 characters.
fn photo(pair: &str) -> Value {
    json!({
        "sha256": pair.repeat(32),
        "thumb_sha256": "cd".repeat(32),
        "width": 1200,
        "height": 900,
        "bytes": 150_000,
        "exif_position": null,
        "taken_at": null,
    })
}

/// Asserts the server holds no report at all.
async fn assert_nothing_stored(server: &TestServer, admin: &Session) {
    assert!(server.pull_all(admin).await.is_empty(), "nothing is stored");
    assert_eq!(server.province_changes().await, 0, "no change is logged");
}

/// Sends raw bytes to `/v1/sync` with the session's token.
async fn raw_sync(server: &TestServer, s: &Session, content_type: &str, body: Vec<u8>) -> Reply {
    Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&s.access)
            .header(header::CONTENT_TYPE, content_type)
            .body(body),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_body_invalid() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let valid = serde_json::to_string(&request_json(&[create_op(&report(
        "jalan-rusak",
        Some(INSIDE),
        "Lubang",
    ))]))
    .unwrap();
    let truncated = valid.as_bytes()[..valid.len() / 2].to_vec();
    let bodies: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"not json".to_vec(),
        b"".to_vec(),
        br#"{"ops": [], "ops": []}"#.to_vec(),
        "[".repeat(100_000).into_bytes(),
        format!("{{\"cursors\": {}", "{\"p:31\": ".repeat(10_000)).into_bytes(),
        b"null".to_vec(),
        br#"{"ops": 5}"#.to_vec(),
        br#"{"ops": [{}]}"#.to_vec(),
        br#"{"cursors": {"x:nope": 0}}"#.to_vec(),
        br#"{"cursors": {"p:31": "zero"}}"#.to_vec(),
        truncated,
        b"{\"ops\": [\xff\xfe]}".to_vec(),
        format!("{valid} trailing").into_bytes(),
    ];
    for body in bodies {
        let shown: String = String::from_utf8_lossy(&body).chars().take(80).collect();
        let reply = raw_sync(&server, &rt, JSON, body).await;
        assert_eq!(reply.code(), "BODY_INVALID", "{shown}");
        let message = reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
        assert!(
            message.starts_with("isi kiriman tidak sah"),
            "{shown}: {message}"
        );
    }
    assert_nothing_stored(&server, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_by_content_type_is_415() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let body = serde_json::to_vec(&request_json(&[create_op(&report(
        "banjir",
        Some(INSIDE),
        "Banjir",
    ))]))
    .unwrap();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "multipart/form-data; boundary=x",
        "",
    ] {
        let reply = raw_sync(&server, &rt, content_type, body.clone()).await;
        reply.assert_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "CONTENT_TYPE_UNSUPPORTED",
        );
    }
    // No content type at all.
    let reply = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .body(body.clone()),
    )
    .await;
    reply.assert_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "CONTENT_TYPE_UNSUPPORTED",
    );
    // The auth routes too.
    let reply = Reply::of(
        server
            .post("/v1/auth/activate")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(r#"{"code":"K7QF-2MXP-9RTC","device_name":"x"}"#),
    )
    .await;
    reply.assert_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "CONTENT_TYPE_UNSUPPORTED",
    );
    assert_nothing_stored(&server, &admin).await;

    // With a charset it is JSON.
    let reply = raw_sync(&server, &rt, "application/json; charset=utf-8", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

fn small_limits() -> Limits {
    Limits {
        max_body_bytes: 16 * 1024,
        ..Limits::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_is_413() {
    let server = TestServer::start_with(small_limits()).await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let long = "Jalan berlubang di depan pos ronda. ".repeat(100);
    // A little over the limit: small enough that the server has read it all when it answers,
    // so the early answer does not reset the connection under the client.
    let ops: Vec<_> = (0..6)
        .map(|_| create_op(&report("jalan-rusak", Some(INSIDE), &long)))
        .collect();
    let body = serde_json::to_vec(&request_json(&ops)).unwrap();
    let limit = server.limits.max_body_bytes;
    assert!(
        (limit + 1..2 * limit).contains(&body.len()),
        "{}",
        body.len()
    );
    // Each refused body goes on a connection of its own: the server may close a connection whose
    // body it did not read, and a request reusing it would fail for that reason alone.
    let reply = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .header(header::CONTENT_TYPE, JSON)
            .header(header::CONNECTION, "close")
            .body(body),
    )
    .await;
    let id = reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE");
    // Without a Content-Length, streamed.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..20).map(|_| Ok(vec![b' '; 1024])).collect();
    let reply = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .header(header::CONTENT_TYPE, JSON)
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::CONNECTION, "close")
            .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks))),
    )
    .await;
    let en = reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE");
    assert_ne!(id, en);
    // The auth routes are bounded too.
    let reply = Reply::of(
        server
            .post("/v1/auth/activate")
            .header(header::CONNECTION, "close")
            .json(&json!({
                "code": "K7QF-2MXP-9RTC",
                "device_name": "x".repeat(20 * 1024),
            })),
    )
    .await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE");
    assert_nothing_stored(&server, &admin).await;

    // Under the limit, the same report goes through.
    let op = create_op(&report("jalan-rusak", Some(INSIDE), &long));
    assert_eq!(server.push_one(&rt, op).await, OpResult::Accepted);
}

/// `len` bytes of `byte`, zstd-compressed.
fn zstd_of_repeated(byte: u8, len: u64) -> Vec<u8> {
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    std::io::copy(&mut std::io::repeat(byte).take(len), &mut enc).unwrap();
    enc.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zstd_bomb_is_413_not_out_of_memory() {
    let server = TestServer::start_with(small_limits()).await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;

    // Compressed bodies are welcome while they expand within the limit.
    let op = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang besar"));
    let id = op.body.report_id().expect("a report op");
    let plain = serde_json::to_vec(&request_json(&[op])).unwrap();
    let reply = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .header(header::CONTENT_TYPE, JSON)
            .header(header::CONTENT_ENCODING, "zstd")
            .body(zstd::encode_all(&plain[..], 3).unwrap()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(server.stored(id).await.is_some());
    let changes = server.province_changes().await;

    // 256 MiB of spaces (valid JSON whitespace) in a few kilobytes.
    let bomb = zstd_of_repeated(b' ', 256 << 20);
    assert!(bomb.len() < server.limits.max_body_bytes, "{}", bomb.len());
    let started = std::time::Instant::now();
    let reply = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .header(header::CONTENT_TYPE, JSON)
            .header(header::CONTENT_ENCODING, "zstd")
            .body(bomb),
    )
    .await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the server stops at the limit instead of inflating everything: {:?}",
        started.elapsed()
    );
    // The server is still there and stored nothing more.
    assert_eq!(server.province_changes().await, changes);
    assert_eq!(server.pull_all(&admin).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_compressed_body_is_body_invalid() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    for encoding in ["zstd", "gzip"] {
        let reply = Reply::of(
            server
                .post("/v1/sync")
                .bearer_auth(&rt.access)
                .header(header::CONTENT_TYPE, JSON)
                .header(header::CONTENT_ENCODING, encoding)
                .body(b"{\"ops\": [] } this is not compressed".to_vec()),
        )
        .await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    }
    assert_nothing_stored(&server, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsupported_content_encoding_is_refused_with_a_json_error() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let body = serde_json::to_vec(&request_json(&[create_op(&report(
        "banjir",
        Some(INSIDE),
        "Banjir",
    ))]))
    .unwrap();
    for encoding in ["br", "compress", "x-bogus"] {
        let reply = Reply::of(
            server
                .post("/v1/sync")
                .bearer_auth(&rt.access)
                .header(header::CONTENT_TYPE, JSON)
                .header(header::CONTENT_ENCODING, encoding)
                .body(body.clone()),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{encoding}"
        );
        assert!(
            reply.code().ends_with("_UNSUPPORTED") && !reply.message().is_empty(),
            "{encoding}: error bodies are JSON {{code, message}}; got {:?}",
            String::from_utf8_lossy(&reply.raw)
        );
    }
    assert_nothing_stored(&server, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_ops_are_refused_whole() {
    let server = TestServer::start_with(Limits {
        max_ops_per_push: 3,
        ..Limits::default()
    })
    .await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let ops: Vec<_> = (0..4)
        .map(|i| {
            create_op(&report(
                "sampah-menumpuk",
                Some(INSIDE),
                &format!("Sampah {i}"),
            ))
        })
        .collect();
    let reply = server
        .sync_reply(
            &rt,
            &SyncRequest {
                ops: ops.clone(),
                cursors: Cursors::new(),
                ..Default::default()
            },
        )
        .await;
    let message = reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "TOO_MANY_OPS");
    assert!(message.contains('3'), "{message}");
    assert_nothing_stored(&server, &admin).await;
    for op in &ops {
        assert!(!server.op_recorded(op.id).await);
    }
    // At the limit, they are all applied.
    let results = server.push(&rt, ops[..3].to_vec()).await;
    assert_eq!(results, vec![OpResult::Accepted; 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_op_kind_is_body_invalid() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let good = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    for kind in [
        json!("report.delete"),
        json!("status.set"),
        json!(""),
        json!(7),
        Value::Null,
    ] {
        let mut bad = request_json(&[good.clone(), create_op(&report("banjir", None, "Air"))]);
        bad["ops"][1]["kind"] = kind.clone();
        let reply = raw_sync(&server, &rt, JSON, serde_json::to_vec(&bad).unwrap()).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    }
    let mut no_kind = request_json(std::slice::from_ref(&good));
    no_kind["ops"][0].as_object_mut().unwrap().remove("kind");
    let reply = raw_sync(&server, &rt, JSON, serde_json::to_vec(&no_kind).unwrap()).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    // The good op in the same request was not applied either.
    assert_nothing_stored(&server, &admin).await;
    assert!(!server.op_recorded(good.id).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_values_inside_an_op_are_body_invalid() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let good = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    let existing = report("jalan-rusak", Some(INSIDE), "Sudah ada");

    type Breaker = fn(&mut Value);
    let breakers: &[(&str, Breaker)] = &[
        ("null island", |d| {
            d["location"]["lat"] = json!(0.0);
            d["location"]["lon"] = json!(0.0);
        }),
        ("latitude 91", |d| d["location"]["lat"] = json!(91.0)),
        ("longitude as text", |d| {
            d["location"]["lon"] = json!("106.8")
        }),
        ("negative accuracy", |d| {
            d["location"]["accuracy_m"] = json!(-1.0)
        }),
        ("4001-char description", |d| {
            d["description"] = json!("a".repeat(4001))
        }),
        ("blank description", |d| d["description"] = json!("  \n ")),
        ("control character", |d| {
            d["description"] = json!("Lubang\u{7}")
        }),
        ("unknown category", |d| d["category"] = json!("tidak-ada")),
        ("malformed category", |d| {
            d["category"] = json!("Jalan Rusak")
        }),
        ("category of another kind", |d| {
            d["category"] = json!("pelecehan")
        }),
        ("unknown kind of report", |d| d["kind"] = json!("keluhan")),
        ("RT 000", |d| {
            d["area"] = json!("31.71.01.1001/RW 003/RT 000")
        }),
        ("area nonsense", |d| d["area"] = json!("Gambir")),
        ("report id not a UUIDv7", |d| {
            d["id"] = json!("6f9619ff-8b86-4d01-b42d-00cf4fc964ff")
        }),
        ("nine photos", |d| d["photos"] = json!(vec![photo("ab"); 9])),
        ("photo name not a digest", |d| {
            d["photos"] = json!([photo("XY")])
        }),
        ("no location", |d| {
            d.as_object_mut().unwrap().remove("location");
        }),
        ("created_at nonsense", |d| {
            d["created_at"] = json!("kemarin")
        }),
    ];
    for (what, brk) in breakers {
        let mut body = request_json(&[good.clone(), create_op(&existing)]);
        brk(&mut body["ops"][1]["data"]);
        let reply = raw_sync(&server, &rt, JSON, serde_json::to_vec(&body).unwrap()).await;
        assert_eq!(reply.code(), "BODY_INVALID", "{what}: {:?}", reply.body);
        reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    }
    // Edits are checked the same way.
    let patch_breakers: &[(&str, Breaker)] = &[
        ("null island", |d| {
            d["location"] = json!({"lat": 0.0, "lon": 0.0, "accuracy_m": 5.0, "source": "gps",
                "captured_at": "2026-06-01T00:00:00Z"});
        }),
        ("4001-char description", |d| {
            d["description"] = json!("b".repeat(4001))
        }),
        ("malformed category", |d| d["category"] = json!("BANJIR")),
        ("report id not a uuid", |d| d["report"] = json!("laporan-1")),
    ];
    for (what, brk) in patch_breakers {
        let mut body = request_json(&[good.clone(), describe_op(existing.id(), "Koreksi")]);
        brk(&mut body["ops"][1]["data"]);
        let reply = raw_sync(&server, &rt, JSON, serde_json::to_vec(&body).unwrap()).await;
        assert_eq!(
            reply.code(),
            "BODY_INVALID",
            "edit with {what}: {:?}",
            reply.body
        );
        reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    }
    assert_nothing_stored(&server, &admin).await;
    assert!(!server.op_recorded(good.id).await);

    // 4000 characters and 8 photos are fine.
    let longest = report("jalan-rusak", Some(INSIDE), &"a".repeat(4000));
    let mut body = request_json(&[create_op(&longest)]);
    body["ops"][0]["data"]["photos"] = json!(vec![photo("ab"); 8]);
    let reply = raw_sync(&server, &rt, JSON, serde_json::to_vec(&body).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["results"], json!([{"s": "accepted"}]));
    assert_eq!(
        server
            .stored(longest.id())
            .await
            .unwrap()
            .report
            .photos()
            .len(),
        8
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_the_catalogue_refuses_are_rejected_per_op_and_change_nothing() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let r = report("jalan-rusak", Some(INSIDE), "Lubang");
    assert_eq!(
        server.push_one(&rt, create_op(&r)).await,
        OpResult::Accepted
    );
    let before = server.stored(r.id()).await.unwrap();
    let changes = server.province_changes().await;

    let with_category = |c: &str| {
        op_at(
            OpBody::UpdateReport(ReportPatch {
                category: Some(CategoryCode::parse(c).unwrap()),
                ..patch(r.id())
            }),
            now_ms(),
        )
    };
    let cases = [
        // A well-formed code the catalogue lacks passes deserialisation; the edit is refused.
        (with_category("tidak-ada"), "CATEGORY_UNKNOWN"),
        (with_category("pelecehan"), "CATEGORY_WRONG_KIND"),
        (
            op_at(OpBody::UpdateReport(patch(r.id())), now_ms()),
            "OP_EMPTY",
        ),
        (
            describe_op(ronda_core::ReportId::new(), "Tidak ada laporannya"),
            "REPORT_NOT_FOUND",
        ),
        (create_op(&r), "REPORT_EXISTS"),
    ];
    let ops: Vec<_> = cases.iter().map(|(op, _)| op.clone()).collect();
    let results = server.push(&rt, ops).await;
    for ((op, code), result) in cases.iter().zip(&results) {
        assert_rejected(result, code);
        assert!(!server.op_recorded(op.id).await, "{code}");
    }
    assert_eq!(server.stored(r.id()).await.unwrap(), before);
    assert_eq!(server.province_changes().await, changes);
    assert_eq!(server.pull_all(&admin).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_op_is_duplicate_and_stored_once() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let admin = server.person("Admin", ADMIN).await;
    let mut cursors = Cursors::new();

    let create = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    let id = create.body.report_id().expect("a report op");
    assert_eq!(
        server.push_one(&rt, create.clone()).await,
        OpResult::Accepted
    );
    assert_eq!(server.catch_up(&admin, &mut cursors).await.len(), 1);
    let stored = server.stored(id).await.unwrap();

    // Again later, and twice in one request (a retry after a lost answer).
    assert_eq!(
        server.push_one(&rt, create.clone()).await,
        OpResult::Duplicate
    );
    let results = server.push(&rt, vec![create.clone(), create.clone()]).await;
    assert_eq!(results, vec![OpResult::Duplicate; 2]);
    // From another device of someone else, too: the op id is what counts.
    assert_eq!(
        server.push_one(&lurah, create.clone()).await,
        OpResult::Duplicate
    );
    assert_eq!(server.stored(id).await.unwrap(), stored);
    assert!(server.catch_up(&admin, &mut cursors).await.is_empty());
    assert_eq!(server.province_changes().await, 1, "stored once");

    // An edit replayed is applied once: one new version, one loser.
    let edit = describe_op(id, "Lubang makin besar");
    let results = server.push(&lurah, vec![edit.clone(), edit.clone()]).await;
    assert_eq!(results, vec![OpResult::Accepted, OpResult::Duplicate]);
    assert_eq!(
        server.push_one(&lurah, edit.clone()).await,
        OpResult::Duplicate
    );
    let edited = server.stored(id).await.unwrap();
    assert_eq!(description_of(&edited), Some("Lubang makin besar"));
    assert_eq!(edited.losers.len(), 1, "{:?}", edited.losers);
    assert_eq!(server.catch_up(&admin, &mut cursors).await.len(), 1);
    assert_eq!(server.province_changes().await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_op_id_with_other_content_is_rejected() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let mut cursors = Cursors::new();
    let create = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    let id = create.body.report_id().expect("a report op");
    assert_eq!(
        server.push_one(&rt, create.clone()).await,
        OpResult::Accepted
    );
    server.catch_up(&admin, &mut cursors).await;
    let stored = server.stored(id).await.unwrap();

    let mut other_text = describe_op(id, "Isi lain");
    other_text.id = create.id;
    let mut other_report = create_op(&report("banjir", Some(INSIDE), "Banjir"));
    other_report.id = create.id;
    let mut other_stamp = create.clone();
    other_stamp.hlc.n += 1;
    for op in [other_text, other_report.clone(), other_stamp] {
        let result = server.push_one(&rt, op).await;
        let message = assert_rejected(&result, "OP_ID_REUSED");
        assert_eq!(
            message,
            "ID perubahan ini sudah dipakai untuk isi yang lain"
        );
    }
    assert_eq!(server.stored(id).await.unwrap(), stored, "report unchanged");
    assert!(
        server
            .stored(other_report.body.report_id().expect("a report op"))
            .await
            .is_none()
    );
    assert!(server.catch_up(&admin, &mut cursors).await.is_empty());
    assert_eq!(server.province_changes().await, 1);
    // The original is still a duplicate, not refused.
    assert_eq!(server.push_one(&rt, create).await, OpResult::Duplicate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_token_is_401_with_a_bearer_challenge() {
    let server = TestServer::start().await;
    let admin = server.person("Admin", ADMIN).await;
    let body = SyncRequest {
        ops: vec![create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"))],
        cursors: Cursors::new(),
        ..Default::default()
    };
    let calls = [
        server.post("/v1/sync").json(&body),
        server
            .post("/v1/sync")
            .json(&body)
            .basic_auth("admin", Some("admin")),
        server
            .post("/v1/sync")
            .json(&body)
            .header(header::AUTHORIZATION, "Bearer"),
        server
            .post("/v1/sync")
            .json(&body)
            .header(header::AUTHORIZATION, &admin.access),
        server.post("/v1/auth/revoke"),
        server
            .post("/v1/uploads")
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", "10"),
    ];
    for call in calls {
        let reply = Reply::of(call).await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "TOKEN_MISSING");
        assert_eq!(
            header_str(&reply.headers, header::WWW_AUTHENTICATE),
            "Bearer"
        );
    }
    assert_nothing_stored(&server, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_or_forged_token_is_token_invalid() {
    let server = TestServer::start().await;
    let admin = server.person("Admin", ADMIN).await;
    let forged =
        ronda_server::auth::TokenKey::random().issue(admin.user, admin.device, now_ms() + 60_000);
    let mut tampered = admin.access.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for token in [
        "garbage".to_owned(),
        "a.b.c".to_owned(),
        "%%%%".to_owned(),
        "A".repeat(4000),
        forged,
        tampered,
        admin.refresh.clone(),
    ] {
        let reply = Reply::of(
            server
                .post("/v1/sync")
                .bearer_auth(&token)
                .json(&SyncRequest::default()),
        )
        .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "TOKEN_INVALID");
        assert_eq!(
            header_str(&reply.headers, header::WWW_AUTHENTICATE),
            "Bearer"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_token_expired_and_refresh_mends_it() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    let expired = Session {
        access: server.key.issue(rt.user, rt.device, now_ms() - 1),
        ..rt.clone()
    };
    let op = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    let req = SyncRequest {
        ops: vec![op.clone()],
        cursors: Cursors::new(),
        ..Default::default()
    };
    let reply = server.sync_reply(&expired, &req).await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED");
    assert_eq!(
        header_str(&reply.headers, header::WWW_AUTHENTICATE),
        "Bearer"
    );
    assert!(!server.op_recorded(op.id).await);
    assert_nothing_stored(&server, &admin).await;

    let reply = Reply::of(
        server
            .post("/v1/auth/token")
            .json(&json!({"refresh_token": rt.refresh})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let fresh = Session {
        access: reply.body["access_token"].as_str().unwrap().to_owned(),
        ..rt.clone()
    };
    assert!(reply.body["access_expires_at"].as_i64().unwrap() > now_ms());
    assert_eq!(
        server.sync(&fresh, &req).await.results,
        vec![OpResult::Accepted]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_cannot_refresh() {
    let server = TestServer::start().await;
    let (user, code) = server.add_user("Pak Budi", &[KETUA_RT]).await;
    let phone = server.sign_in("HP lama", &code).await;
    let other_code = ronda_server::admin::new_code(&server.storage, user)
        .await
        .unwrap();
    let tablet = server.sign_in("Tablet", &other_code).await;
    let refresh = |s: &Session| {
        server
            .post("/v1/auth/token")
            .json(&json!({"refresh_token": s.refresh}))
    };
    assert_eq!(Reply::of(refresh(&phone)).await.status, StatusCode::OK);

    let reply = Reply::of(server.post("/v1/auth/revoke").bearer_auth(&phone.access)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let reply = Reply::of(refresh(&phone)).await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "DEVICE_REVOKED");
    let reply = Reply::of(refresh(&phone).header(header::ACCEPT_LANGUAGE, "en")).await;
    assert_eq!(
        reply.assert_error(StatusCode::UNAUTHORIZED, "DEVICE_REVOKED"),
        "this device's access was revoked"
    );
    // Only that device: the same person's tablet carries on.
    assert_eq!(Reply::of(refresh(&tablet)).await.status, StatusCode::OK);
    // Unknown refresh tokens are told apart from revoked ones.
    for token in ["", "not-a-token", &tablet.access] {
        let reply = Reply::of(
            server
                .post("/v1/auth/token")
                .json(&json!({"refresh_token": token})),
        )
        .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "REFRESH_TOKEN_INVALID");
    }
    let reply = Reply::of(server.post("/v1/auth/token").json(&json!({"token": "x"}))).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
}

/// The same code id with another secret: right shape, wrong code.
fn wrong_secret(code: &str) -> String {
    let (id, secret) = code.split_once('-').unwrap();
    let other: String = secret
        .chars()
        .map(|c| match c {
            '-' => '-',
            'Z' => '2',
            _ => 'Z',
        })
        .collect();
    format!("{id}-{other}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_or_malformed_activation_codes_are_refused() {
    let server = TestServer::start().await;
    let (_, code) = server.add_user("Pak Budi", &[KETUA_RT]).await;
    let (_, _other) = server.add_user("Bu Siti", &[KETUA_RW]).await;
    let mut tries = vec![wrong_secret(&code)];
    // Malformed: too short, too long, letters not in the alphabet, empty, not ASCII.
    tries.extend(
        [
            "",
            "K7QF-2MXP",
            "K7QF-2MXP-9RTC-AAAA",
            "K7QF-2MXP-9RT0",
            "OOOO-IIII-LLLL",
            "ＫＴＱＦ-２ＭＸＰ-９ＲＴＣ",
            "'; DROP TABLE device; --",
        ]
        .map(str::to_owned),
    );
    // Well formed, but no such code.
    tries.push("2345-6789-ABCD".to_owned());
    for t in &tries {
        let reply = server.activate(t).await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "ACTIVATION_CODE_INVALID");
    }
    let reply = Reply::of(
        server
            .post("/v1/auth/activate")
            .json(&json!({"code": code})),
    )
    .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");

    // One wrong try does not spoil the code; typed any which way, it works once.
    let typed = code.to_lowercase().replace('-', " ");
    assert_eq!(server.activate(&typed).await.status, StatusCode::OK);
    let reply = server.activate(&code).await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "ACTIVATION_CODE_USED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_tries_lock_the_code() {
    let server = TestServer::start().await;
    let (user, code) = server.add_user("Pak Budi", &[KETUA_RT]).await;
    let wrong = wrong_secret(&code);
    for _ in 0..5 {
        server
            .activate(&wrong)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "ACTIVATION_CODE_INVALID");
    }
    let reply = server.activate(&wrong).await;
    reply.assert_error(StatusCode::LOCKED, "ACTIVATION_CODE_LOCKED");
    let reply = server.activate(&code).await;
    reply.assert_error(StatusCode::LOCKED, "ACTIVATION_CODE_LOCKED");
    // A new code for the same person works.
    let fresh = ronda_server::admin::new_code(&server.storage, user)
        .await
        .unwrap();
    assert_eq!(server.activate(&fresh).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_tries_sent_at_once_still_lock_the_code() {
    let server = TestServer::start().await;
    let (_, code) = server.add_user("Pak Budi", &[KETUA_RT]).await;
    let wrong = wrong_secret(&code);
    let replies = futures::future::join_all((0..12).map(|_| server.activate(&wrong))).await;
    let mut guesses_checked = 0;
    for reply in &replies {
        match reply.code() {
            "ACTIVATION_CODE_INVALID" => guesses_checked += 1,
            "ACTIVATION_CODE_LOCKED" => {}
            other => panic!("unexpected {other}: {:?}", reply.body),
        }
    }
    let right = server.activate(&code).await;
    assert!(
        guesses_checked <= 5 && right.code() == "ACTIVATION_CODE_LOCKED",
        "12 wrong guesses at once: {guesses_checked} were checked, and then the right code got \
         {} {:?} (the lockout must hold however the guesses arrive)",
        right.status,
        right.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_are_rate_limited_per_device() {
    let server = TestServer::start_with(Limits {
        syncs_per_minute: 3,
        ..Limits::default()
    })
    .await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let admin = server.person("Admin", ADMIN).await;
    for _ in 0..3 {
        server.sync(&rt, &SyncRequest::default()).await;
    }
    let op = create_op(&report("jalan-rusak", Some(INSIDE), "Lubang"));
    let req = SyncRequest {
        ops: vec![op.clone()],
        cursors: Cursors::new(),
        ..Default::default()
    };
    let reply = server.sync_reply(&rt, &req).await;
    reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    let reply = Reply::of(
        server
            .sync_call(&rt, &req)
            .header(header::ACCEPT_LANGUAGE, "en"),
    )
    .await;
    assert_eq!(
        reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"),
        "too many syncs; try again in a moment"
    );
    // Refused before anything was applied; other devices are not slowed down.
    assert!(!server.op_recorded(op.id).await);
    assert_nothing_stored(&server, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn far_future_stamps_are_clamped_to_the_server_clock() {
    let server = TestServer::start().await;
    let rina = server.person("Rina", WARGA).await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let camat = server.person("Pak Camat", CAMAT).await;
    let r = report("jalan-rusak", Some(INSIDE), "Lubang kecil");
    assert_eq!(
        server.push_one(&rina, create_op(&r)).await,
        OpResult::Accepted
    );

    // A phone whose clock is ten years ahead.
    let before = now_ms();
    let future = describe_op_at(r.id(), "Dari masa depan", before + TEN_YEARS_MS);
    assert_eq!(
        server.push_one(&lurah, future.clone()).await,
        OpResult::Accepted
    );
    let after = now_ms();
    let stored = server.stored(r.id()).await.unwrap();
    assert_eq!(description_of(&stored), Some("Dari masa depan"));
    let stamp = stored.stamps.description;
    assert_eq!(stamp.op, future.id);
    assert!(
        (before..=after).contains(&stamp.hlc.ms),
        "clamped to the server's now ({before}..={after}), kept {}",
        stamp.hlc.ms
    );
    // The fields it did not touch keep the create's stamp.
    assert!(stored.stamps.category.hlc.ms <= before);

    // A later edit from a phone a minute fast (within the allowed drift) wins: it is not
    // kept out for ten years.
    let later_ms = now_ms() + 60_000;
    let later = describe_op_at(r.id(), "Lubang sudah ditambal", later_ms);
    assert_eq!(
        server.push_one(&camat, later.clone()).await,
        OpResult::Accepted
    );
    let stored = server.stored(r.id()).await.unwrap();
    assert_eq!(description_of(&stored), Some("Lubang sudah ditambal"));
    assert_eq!(stored.stamps.description.hlc.ms, later_ms, "not clamped");
    assert!(later_ms - now_ms() < MAX_FUTURE_MS);
    let lost: Vec<_> = stored
        .losers
        .iter()
        .filter_map(|l| match &l.value {
            ronda_core::sync::FieldValue::Description(d) => Some((l.op, d.as_str())),
            _ => None,
        })
        .collect();
    assert!(lost.contains(&(future.id, "Dari masa depan")), "{lost:?}");
    assert!(lost.iter().any(|(_, d)| *d == "Lubang kecil"), "{lost:?}");

    // And the reporter's edit a moment later, stamped with a correct clock, wins over that.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let own = describe_op_at(r.id(), "Terima kasih", now_ms() + 61_000);
    assert_eq!(server.push_one(&rina, own).await, OpResult::Accepted);
    let stored = server.stored(r.id()).await.unwrap();
    assert_eq!(description_of(&stored), Some("Terima kasih"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_follow_accept_language() {
    let server = TestServer::start().await;
    let warga = server.person("Rina", WARGA).await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let theirs = report("jalan-rusak", Some(OUTSIDE), "Lubang di kota lain");
    assert_eq!(
        server.push_one(&warga, create_op(&theirs)).await,
        OpResult::Accepted
    );

    // (a call, its status and code)
    type Call<'a> = Box<dyn Fn() -> reqwest::RequestBuilder + 'a>;
    let calls: Vec<(Call<'_>, StatusCode, &str)> = vec![
        (
            Box::new(|| server.post("/v1/sync").json(&SyncRequest::default())),
            StatusCode::UNAUTHORIZED,
            "TOKEN_MISSING",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/sync")
                    .bearer_auth("garbage")
                    .json(&SyncRequest::default())
            }),
            StatusCode::UNAUTHORIZED,
            "TOKEN_INVALID",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/sync")
                    .bearer_auth(server.key.issue(UserId::new(), DeviceId::new(), 1))
                    .json(&SyncRequest::default())
            }),
            StatusCode::UNAUTHORIZED,
            "TOKEN_EXPIRED",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/sync")
                    .bearer_auth(&warga.access)
                    .header(header::CONTENT_TYPE, JSON)
                    .body("{")
            }),
            StatusCode::BAD_REQUEST,
            "BODY_INVALID",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/sync")
                    .bearer_auth(&warga.access)
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body("{}")
            }),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "CONTENT_TYPE_UNSUPPORTED",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/auth/activate")
                    .json(&json!({"code": "2345-6789-ABCD", "device_name": "x"}))
            }),
            StatusCode::UNAUTHORIZED,
            "ACTIVATION_CODE_INVALID",
        ),
        (
            Box::new(|| {
                server
                    .post("/v1/auth/token")
                    .json(&json!({"refresh_token": "x"}))
            }),
            StatusCode::UNAUTHORIZED,
            "REFRESH_TOKEN_INVALID",
        ),
    ];
    for (call, status, code) in &calls {
        let default = Reply::of(call()).await.assert_error(*status, code);
        let id = Reply::of(call().header(header::ACCEPT_LANGUAGE, "id-ID,id;q=0.9"))
            .await
            .assert_error(*status, code);
        let en = Reply::of(call().header(header::ACCEPT_LANGUAGE, "en"))
            .await
            .assert_error(*status, code);
        let en_us = Reply::of(call().header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9,id;q=0.8"))
            .await
            .assert_error(*status, code);
        let unknown = Reply::of(call().header(header::ACCEPT_LANGUAGE, "fr-FR"))
            .await
            .assert_error(*status, code);
        assert_eq!(default, id, "{code}: Indonesian by default");
        assert_eq!(
            unknown, id,
            "{code}: Indonesian for languages Ronda does not speak"
        );
        assert_eq!(en, en_us, "{code}");
        assert_ne!(id, en, "{code}: English differs from Indonesian");
    }

    // Op results speak the caller's language too.
    let edit = describe_op(theirs.id(), "Koreksi");
    let req = SyncRequest {
        ops: vec![edit],
        cursors: Cursors::new(),
        ..Default::default()
    };
    let en: ronda_core::sync::SyncResponse = serde_json::from_value(
        Reply::of(
            server
                .sync_call(&lurah, &req)
                .header(header::ACCEPT_LANGUAGE, "en"),
        )
        .await
        .body,
    )
    .unwrap();
    let en = assert_rejected(&en.results[0], "FORBIDDEN_NOT_YOUR_REPORT");
    let id = assert_rejected(
        &server.push_one(&lurah, req.ops[0].clone()).await,
        "FORBIDDEN_NOT_YOUR_REPORT",
    );
    assert_eq!(
        en,
        ronda_core::authz::Denied::NotYourReport.message(Lang::En)
    );
    assert_ne!(en, id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_first_with_a_quality_value_is_english() {
    let server = TestServer::start().await;
    let call = || server.post("/v1/sync").json(&SyncRequest::default());
    let en = Reply::of(call().header(header::ACCEPT_LANGUAGE, "en"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "TOKEN_MISSING");
    for header in ["en;q=0.9", "en;q=1.0, id;q=0.5", "en-GB;q=0.8"] {
        let got = Reply::of(call().header(header::ACCEPT_LANGUAGE, header))
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "TOKEN_MISSING");
        assert_eq!(got, en, "Accept-Language: {header}");
    }
}
