//! What a device keeps of the server's public reference data and works with offline: the
//! kelurahan boundaries, which file a report made with no signal, and the deadlines, which
//! Kabar counts with.

use chrono::{Duration, Utc};
use serde_json::Value;

use ronda_client::StoreError;
use ronda_client::store::{Reference, Store};
use ronda_core::sla::HolidayCalendar;
use ronda_core::{Coordinate, KelurahanIndex, Placement};
use ronda_server::config::Lifecycle;

mod live;
use live::{CliDevice as Device, LiveServer as Server, jakarta_file};

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const RT7: &str = "31.71.01.1001/RW 003/RT 007";

/// Monas, in Gambir (the RT head's own kelurahan), and Stasiun Jakarta Kota, in another.
const MONAS: (&str, &str) = ("-6.17540", "106.82720");
const KOTA: (&str, &str) = ("-6.13760", "106.81460");

fn jakarta() -> Value {
    serde_json::from_str(&std::fs::read_to_string(jakarta_file()).unwrap()).unwrap()
}

async fn report_at(d: &Device, (lat, lon): (&str, &str)) -> String {
    let made = d
        .ok(&[
            "report",
            "create",
            "-c",
            "jalan-rusak",
            "--lat",
            lat,
            "--lon",
            lon,
            "--accuracy",
            "5",
            "--source",
            "gps",
            "--area",
            RT7,
        ])
        .await;
    made["id"].as_str().unwrap().to_owned()
}

async fn area_of(d: &Device, id: &str) -> String {
    d.ok(&["report", "show", id]).await["area"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_files_offline_and_counts_with_the_servers_deadlines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // The city's holidays: six weeks of them from two days ago.
    let today = Utc::now().date_naive();
    let mut lifecycle = Lifecycle::default();
    lifecycle.deadlines.holidays =
        HolidayCalendar::new((-2..40).map(|d| today + Duration::days(d)));
    let server = Server::start_with(&dir.join("server"), lifecycle).await;
    server.store_jakarta().await;
    let rt = Device::new(dir, "rt");
    rt.login(&server, &server.code("Pak RT", RT).await).await;
    let lurah = Device::new(dir, "lurah");
    lurah
        .login(&server, &server.code("Bu Lurah", LURAH).await)
        .await;

    // Before its first sync a device has no boundaries: a report stays where its maker claims.
    let before = report_at(&rt, KOTA).await;
    assert_eq!(area_of(&rt, &before).await, RT7);
    let synced = rt.ok(&["sync"]).await;
    assert_eq!(
        synced["reference_updated"], 3,
        "boundaries, deadlines and the safety layer: {synced}"
    );
    assert_eq!(
        rt.ok(&["sync"]).await["reference_updated"],
        0,
        "kept an hour (the safety layer five minutes), and nothing was sent"
    );
    lurah.ok(&["sync"]).await;

    // With no signal, a report is filed by its point: Kota lies in another kelurahan, so the
    // claimed RT gives way to it; at Monas the claimed RT of Gambir stands.
    let index = KelurahanIndex::from_feature_collection(&jakarta()).unwrap();
    let kota = Coordinate::new(-6.1376, 106.8146).unwrap();
    let Placement::Inside {
        kelurahan: kota_kelurahan,
        near_border: false,
    } = index.locate_by_scan(kota, None)
    else {
        panic!("Stasiun Kota lies well inside a kelurahan")
    };
    assert_ne!(kota_kelurahan.to_string(), "31.71.01.1001");
    let (data, addr, key) = server.stop();
    let at_kota = report_at(&rt, KOTA).await;
    let at_monas = report_at(&rt, MONAS).await;
    assert_eq!(area_of(&rt, &at_kota).await, kota_kelurahan.to_string());
    assert_eq!(area_of(&rt, &at_monas).await, RT7);

    // The server agrees; the one made before the boundaries came is re-filed by the server.
    let server = Server::start_at(&data, addr, key).await;
    rt.ok(&["sync"]).await;
    assert_eq!(area_of(&rt, &at_kota).await, kota_kelurahan.to_string());
    assert_eq!(area_of(&rt, &at_monas).await, RT7);
    assert_eq!(area_of(&rt, &before).await, kota_kelurahan.to_string());

    // A month from now the Monas report would be long overdue, but the server's holidays stop
    // the clock; the lurah's device counts with them.
    lurah.ok(&["sync"]).await;
    let later = (Utc::now() + Duration::days(30)).to_rfc3339();
    let k = lurah.ok(&["kabar", "--at", &later]).await;
    let waiting: Vec<&str> = k["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["report"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, [at_monas.as_str()], "{k}");
    assert_eq!(k["overdue"], 0, "{k}");
    let no_holidays = dir.join("kosong.txt");
    std::fs::write(&no_holidays, "").unwrap();
    let k = lurah
        .ok(&[
            "kabar",
            "--at",
            &later,
            "--holidays",
            no_holidays.to_str().unwrap(),
        ])
        .await;
    assert_eq!(k["overdue"], 1, "without them: {k}");
    drop(server);
}

#[test]
fn reference_data_that_does_not_read_is_refused_and_the_old_copy_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path().join("ronda.db")).unwrap();
    assert!(store.places().unwrap().is_none());
    assert_eq!(store.deadlines().unwrap(), Default::default());

    for bad in [
        "",
        "{",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature"}]}"#,
    ] {
        let e = store
            .save_reference(Reference::Areas, Some("\"x\""), bad)
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    }
    assert!(store.reference_held(Reference::Areas).unwrap().is_none());

    let gambir = jakarta()["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode"] == "31.71.01.1001")
        .unwrap()
        .clone();
    let one = serde_json::json!({"type": "FeatureCollection", "features": [gambir]}).to_string();
    store
        .save_reference(Reference::Areas, Some("\"v1\""), &one)
        .unwrap();
    assert_eq!(store.places().unwrap().unwrap().kelurahan_count(), 1);
    let e = store
        .save_reference(Reference::Areas, Some("\"v2\""), "not json")
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
    assert_eq!(store.places().unwrap().unwrap().kelurahan_count(), 1);
    let held = store.reference_held(Reference::Areas).unwrap().unwrap();
    assert_eq!(held.etag.as_deref(), Some("\"v1\""));

    let bad_deadlines = r#"{"policy":{"verify_days":0}}"#;
    let e = store
        .save_reference(Reference::Deadlines, None, bad_deadlines)
        .unwrap_err();
    assert!(e.to_string().contains("verify_days"), "{e}");
    assert_eq!(store.deadlines().unwrap(), Default::default());
    store
        .save_reference(
            Reference::Deadlines,
            None,
            r#"{"policy":{"verify_days":2},"holidays":["2026-12-25"]}"#,
        )
        .unwrap();
    let d = store.deadlines().unwrap();
    assert_eq!(d.policy.limits().verify_days, 2);
    assert!(!d.holidays.is_working_day("2026-12-25".parse().unwrap()));

    // A safety layer with a cell that is not an H3 cell, or a score out of range, is refused.
    assert_eq!(store.safety_layer().unwrap(), None);
    let good = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,
        "properties":{"h3":"88618c4e6dfffff","day_part":"malam","rawan":6}}]}"#;
    store
        .save_reference(Reference::Safety, Some("\"s1\""), good)
        .unwrap();
    for bad in [
        "[]",
        r#"{"features":[{"properties":{"h3":"not a cell","day_part":"malam"}}]}"#,
        r#"{"features":[{"properties":{"h3":"88618c4e6dfffff","day_part":"malam","audits":3,"score":140}}]}"#,
    ] {
        let e = store
            .save_reference(Reference::Safety, Some("\"s2\""), bad)
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{bad}: {e}");
    }
    let layer = store.safety_layer().unwrap().unwrap();
    assert_eq!(layer.cells.len(), 1);
    assert_eq!(layer.cells[0].rawan, Some(6));
    assert_eq!(
        store
            .reference_held(Reference::Safety)
            .unwrap()
            .unwrap()
            .etag
            .as_deref(),
        Some("\"s1\"")
    );
}
