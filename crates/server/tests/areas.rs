//! The real kelurahan file, imported through `ronda-server area import`, and served back one
//! boundary at a time over HTTP.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header;

use common::{Reply, TestServer};
use ronda_server::storage::Storage;
use ronda_server::storage::sqlite::SqliteStorage;

/// `../shared/data/jakarta/kelurahan.geojson` beside the repository, or `RONDA_SHARED_DATA`.
fn jakarta_file() -> PathBuf {
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

#[tokio::test]
async fn the_real_jakarta_file_imports_whole() {
    let text = std::fs::read_to_string(jakarta_file()).unwrap();
    let areas = ronda_server::areas::parse(&text).unwrap();
    assert_eq!(areas.len(), 267);
    assert_eq!(
        areas
            .iter()
            .map(|a| a.kecamatan)
            .collect::<BTreeSet<_>>()
            .len(),
        44
    );
    assert_eq!(
        areas.iter().map(|a| a.kota).collect::<BTreeSet<_>>().len(),
        6
    );

    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ronda-server"))
        .env_clear()
        .env("RONDA_DATA_DIR", dir.path())
        .args(["area", "import"])
        .arg(jakarta_file())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "267 kelurahan"
    );
    let storage = SqliteStorage::open(dir.path().join("ronda.db")).unwrap();
    assert_eq!(storage.read(|tx| tx.area_count()).await.unwrap(), 267);
    let gambir = storage
        .read(|tx| tx.area("31.71.01.1001".parse().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (gambir.name.as_str(), gambir.kecamatan_name.as_str()),
        ("Gambir", "Gambir")
    );

    // A broken file changes nothing.
    let bad = dir.path().join("rusak.geojson");
    std::fs::write(&bad, text.replacen("\"31.71.01.1001\"", "\"31.71.1\"", 1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ronda-server"))
        .env_clear()
        .env("RONDA_DATA_DIR", dir.path().join("other"))
        .args(["area", "import"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("AREA_FILE_INVALID"));
    let other = SqliteStorage::open(dir.path().join("other/ronda.db")).unwrap();
    assert_eq!(other.read(|tx| tx.area_count()).await.unwrap(), 0);
}

/// Stores the real boundaries straight into the server's storage.
async fn store_jakarta(server: &TestServer) {
    let text = std::fs::read_to_string(jakarta_file()).unwrap();
    let areas = ronda_server::areas::parse(&text).unwrap();
    server
        .storage
        .write(move |tx| areas.iter().try_for_each(|a| tx.upsert_area(a)))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_kelurahan_boundary_is_served_as_cacheable_geojson() {
    let server = TestServer::start().await;
    store_jakarta(&server).await;
    let get = |path: &str| server.http.get(server.url(path));

    let found = Reply::of(get("/v1/areas/31.71.01.1001")).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.headers[header::CONTENT_TYPE], "application/geo+json");
    assert_eq!(
        found.headers[header::CACHE_CONTROL],
        "public, max-age=86400"
    );
    assert_eq!(found.body["type"], "Feature");
    assert_eq!(found.body["properties"]["code"], "31.71.01.1001");
    assert_eq!(found.body["properties"]["name"], "Gambir");
    assert_eq!(found.body["properties"]["kota"], "31.71");
    let kind = found.body["geometry"]["type"].as_str().unwrap();
    assert!(kind == "Polygon" || kind == "MultiPolygon", "{kind}");
    let etag = found.headers[header::ETAG].clone();

    let again =
        Reply::of(get("/v1/areas/31.71.01.1001").header(header::IF_NONE_MATCH, etag.clone())).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
    assert_eq!(again.headers[header::ETAG], etag);
    let other = Reply::of(get("/v1/areas/31.71.01.1002")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_ne!(
        other.headers[header::ETAG],
        etag,
        "each boundary has its own version"
    );

    Reply::of(get("/v1/areas/31.71.1"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "AREA_CODE_INVALID");
    let missing = Reply::of(get("/v1/areas/31.71.01.1099").header("accept-language", "en"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "AREA_NOT_FOUND");
    assert!(missing.contains("no such kelurahan"), "{missing}");
}

/// With the real boundaries stored, the server files each report by its point and flags what
/// the lurah must confirm; the device's claim stands only where the point agrees.
#[tokio::test]
async fn reports_are_filed_by_their_point_on_the_real_boundaries() {
    use common::{KETUA_RT, create_op, location_at};
    use ronda_core::filing::PlaceFlag;
    use ronda_core::sync::OpResult;
    use ronda_core::{AreaCode, NewReport, ReportKind};

    let server = TestServer::start().await;
    store_jakarta(&server).await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let own_rt: AreaCode = "31.71.01.1001/RW 003/RT 007".parse().unwrap();
    let make = |lat: f64, lon: f64, accuracy: f64, area: Option<&AreaCode>| {
        let mut at = location_at(lat, lon);
        at.accuracy_m = ronda_core::Accuracy::metres(accuracy).unwrap();
        NewReport::new(ReportKind::Laporan, "jalan-rusak", at)
            .unwrap()
            .in_area(area.copied())
    };
    // At Monas, claimed as the RT head's own RT in Gambir: filed as claimed.
    let monas = make(-6.175392, 106.827153, 10.0, Some(&own_rt));
    // At Kota Tua (Pinangsia, Jakarta Barat), claimed as the same RT: filed by the point.
    let kota_tua = make(-6.1352, 106.8133, 10.0, Some(&own_rt));
    // With no claim: the point's kelurahan.
    let unclaimed = make(-6.175392, 106.827153, 10.0, None);
    // In Jakarta Bay: the nearest kelurahan, flagged.
    let at_sea = make(-6.05, 106.85, 10.0, None);
    for r in [&monas, &kota_tua, &unclaimed, &at_sea] {
        assert_eq!(server.push_one(&rt, create_op(r)).await, OpResult::Accepted);
    }
    let stored = |r: &NewReport| {
        let id = r.id();
        let s = &server;
        async move { s.stored(id).await.unwrap() }
    };
    let m = stored(&monas).await;
    assert_eq!((m.report.area(), m.place_flag), (Some(&own_rt), None));

    let k = stored(&kota_tua).await;
    let located = k.report.area().unwrap().kelurahan().unwrap();
    assert_eq!(
        located.kota().to_string(),
        "31.73",
        "Kota Tua is in Jakarta Barat"
    );
    assert_eq!(
        k.place_flag,
        Some(PlaceFlag::ClaimDiffers {
            claimed: own_rt,
            located
        })
    );
    // Re-filed, it reaches the lurah of where it is, not of where it was claimed.
    let u = stored(&unclaimed).await;
    assert_eq!(
        u.report.area(),
        Some(&"31.71.01.1001".parse::<AreaCode>().unwrap())
    );
    assert_eq!(u.place_flag, None);
    let s = stored(&at_sea).await;
    assert!(
        matches!(s.place_flag, Some(PlaceFlag::OutsideEvery { .. })),
        "{:?}",
        s.place_flag
    );

    // Moved by an edit to Kota Tua, the Monas report is filed again by its new point; an edit
    // of its words alone leaves its place alone.
    let mut patch = common::patch(monas.id());
    patch.description = None;
    patch.location = Some(location_at(-6.1352, 106.8133));
    let moved = common::op_at(ronda_core::OpBody::UpdateReport(patch), common::now_ms());
    assert_eq!(server.push_one(&rt, moved).await, OpResult::Accepted);
    let m = stored(&monas).await;
    assert_eq!(m.report.area(), k.report.area());
    assert!(matches!(m.place_flag, Some(PlaceFlag::ClaimDiffers { .. })));
    let words = common::describe_op(monas.id(), "lubang di trotoar");
    assert_eq!(server.push_one(&rt, words).await, OpResult::Accepted);
    assert_eq!(stored(&monas).await.place_flag, m.place_flag);
    assert_eq!(stored(&monas).await.report.area(), m.report.area());
}

/// Every boundary in one cacheable collection, for a device to file its reports offline: the
/// same Features as one at a time, in code order, and a 304 for the version already held.
#[tokio::test]
async fn every_boundary_comes_in_one_cacheable_collection() {
    let server = TestServer::start().await;
    let get = |path: &str| server.http.get(server.url(path));
    let empty = Reply::of(get("/v1/areas")).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.body["features"].as_array().unwrap().len(), 0);

    store_jakarta(&server).await;
    let all = Reply::of(get("/v1/areas")).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.headers[header::CONTENT_TYPE], "application/geo+json");
    assert_eq!(all.headers[header::CACHE_CONTROL], "public, max-age=86400");
    assert_ne!(all.headers[header::ETAG], empty.headers[header::ETAG]);
    assert_eq!(all.body["type"], "FeatureCollection");
    let features = all.body["features"].as_array().unwrap();
    assert_eq!(features.len(), 267);
    let codes: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap())
        .collect();
    assert!(codes.is_sorted(), "in code order");
    let gambir = Reply::of(get("/v1/areas/31.71.01.1001")).await;
    let in_collection = features
        .iter()
        .find(|f| f["properties"]["code"] == "31.71.01.1001")
        .unwrap();
    assert!(*in_collection == gambir.body, "the same Feature as alone");
    // The collection indexes as it is: what a device builds from it.
    let index = ronda_core::KelurahanIndex::from_feature_collection(&all.body).unwrap();
    assert_eq!(index.kelurahan_count(), 267);

    let etag = all.headers[header::ETAG].clone();
    let again = Reply::of(get("/v1/areas").header(header::IF_NONE_MATCH, etag.clone())).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
}

/// The deadlines devices count with are the admins' settings, served with a version tag.
#[tokio::test]
async fn the_deadlines_are_the_admins_settings() {
    let plain = TestServer::start().await;
    let default = Reply::of(plain.http.get(plain.url("/v1/deadlines"))).await;
    assert_eq!(default.status, StatusCode::OK);
    assert_eq!(
        default.headers[header::CACHE_CONTROL],
        "public, max-age=3600"
    );
    let parsed: ronda_core::sla::Deadlines = serde_json::from_value(default.body.clone()).unwrap();
    assert_eq!(parsed, ronda_core::sla::Deadlines::default());
    assert_eq!(default.body["policy"]["verify_days"], 3);

    let settings: ronda_server::config::Config = toml::from_str(
        "[lifecycle.deadlines]\nholidays = [\"2026-12-25\", \"2027-01-01\"]\n\
         [lifecycle.deadlines.policy]\nverify_days = 2\n",
    )
    .unwrap();
    let server = TestServer::start_configured(common::limits(), settings.lifecycle).await;
    let set = Reply::of(server.http.get(server.url("/v1/deadlines"))).await;
    assert_eq!(
        set.body["holidays"],
        serde_json::json!(["2026-12-25", "2027-01-01"])
    );
    assert_eq!(set.body["policy"]["verify_days"], 2);
    assert_eq!(
        set.body["policy"]["fix_days"], 10,
        "unset limits keep the defaults"
    );
    assert_ne!(set.headers[header::ETAG], default.headers[header::ETAG]);
    let etag = set.headers[header::ETAG].clone();
    let again = Reply::of(
        server
            .http
            .get(server.url("/v1/deadlines"))
            .header(header::IF_NONE_MATCH, etag),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // A limit of 0 days is refused when the settings are read.
    let zero = toml::from_str::<ronda_server::config::Config>(
        "[lifecycle.deadlines.policy]\nverify_days = 0\n",
    )
    .unwrap_err();
    assert!(zero.to_string().contains("verify_days"), "{zero}");
}
