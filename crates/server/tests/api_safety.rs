//! The public safety layer through the server's HTTP API: audits and unsafe-place flags made
//! through sync come out as H3 cells for anyone, every group under its minimum withheld, and
//! never a point, a report or a person.

mod common;

use std::collections::BTreeSet;

use reqwest::StatusCode;
use reqwest::header;
use serde_json::Value;

use common::*;
use ronda_core::audit::{Audit, AuditRatings};
use ronda_core::safety::{self, RawanFlag};
use ronda_core::sync::OpResult;
use ronda_core::{NewReport, ReportId, ReportKind, Timestamp};

/// Two days ago, at 10:00 and at 21:00 in Jakarta.
fn made_at(night: bool) -> Timestamp {
    let day = Timestamp::now().millis() / 86_400_000 - 2;
    let utc_hour = if night { 14 } else { 3 };
    Timestamp::from_millis(day * 86_400_000 + utc_hour * 3_600_000).unwrap()
}

fn audit(lat: f64, lon: f64, night: bool, values: [u8; 9]) -> NewReport {
    NewReport::with_id(
        ReportId::new(),
        ReportKind::Audit,
        "audit-keamanan",
        location_at(lat, lon),
        made_at(night),
    )
    .unwrap()
    .rate(AuditRatings::from_values(values).unwrap())
    .unwrap()
}

fn flag(lat: f64, lon: f64) -> NewReport {
    NewReport::with_id(
        ReportId::new(),
        ReportKind::Rawan,
        "rawan-kejahatan",
        location_at(lat, lon),
        made_at(false),
    )
    .unwrap()
}

fn numbers(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
        Value::Object(o) => o.values().for_each(|x| numbers(x, out)),
        _ => {}
    }
}

async fn layer(server: &TestServer, level: &str) -> Reply {
    Reply::of(
        server
            .http
            .get(server.url(&format!("/v1/safety?level={level}"))),
    )
    .await
}

fn cells(reply: &Reply) -> BTreeSet<(String, String)> {
    reply.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["h3"].as_str().unwrap().to_owned(),
                p["day_part"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_public_layer_shows_groups_big_enough_and_never_a_point_or_a_person() {
    // Rebuilt on every change, to see each one at once.
    let server = TestServer::start_with(ronda_server::config::Limits {
        safety_layer_refresh_secs: 0,
        ..limits()
    })
    .await;
    let mut reports = vec![
        // Near Monas: three audits by day and three by night, a few metres apart.
        audit(-6.17540, 106.82720, false, [1, 2, 2, 1, 0, 1, 2, 1, 1]),
        audit(-6.17542, 106.82722, false, [2, 2, 3, 1, 1, 1, 2, 2, 2]),
        audit(-6.17538, 106.82719, false, [0, 1, 2, 2, 0, 2, 1, 1, 1]),
        audit(-6.17540, 106.82720, true, [0, 0, 1, 0, 0, 0, 1, 0, 0]),
        audit(-6.17541, 106.82721, true, [1, 0, 1, 0, 0, 1, 1, 0, 0]),
        audit(-6.17539, 106.82718, true, [0, 1, 0, 0, 0, 0, 1, 1, 0]),
        // Elsewhere, two: not enough.
        audit(-6.20000, 106.85000, false, [3; 9]),
        audit(-6.20001, 106.85001, false, [3; 9]),
        // An audit without ratings counts nowhere.
        NewReport::new(
            ReportKind::Audit,
            "audit-keamanan",
            location_at(-6.20002, 106.85002),
        )
        .unwrap(),
    ];
    // Five flags in one neighbourhood, four in another.
    reports.extend((0..5).map(|i| flag(-6.19000 + i as f64 * 0.00003, 106.80000)));
    reports.extend((0..4).map(|i| flag(-6.22000 + i as f64 * 0.00003, 106.84000)));

    // Each by a different person.
    let mut people = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let who = server.person(&format!("Warga {i}"), WARGA).await;
        let result = server.push_one(&who, create_op(r)).await;
        assert_eq!(result, OpResult::Accepted, "{i}");
        people.push(who.user);
    }

    // Anyone may read it: no token.
    let neighbourhood = layer(&server, "neighbourhood").await;
    assert_eq!(neighbourhood.status, StatusCode::OK);
    assert_eq!(
        neighbourhood.headers[header::CONTENT_TYPE],
        "application/geo+json"
    );
    assert_eq!(
        neighbourhood.headers[header::CACHE_CONTROL],
        "public, max-age=300"
    );
    let street = layer(&server, "street").await;

    // What the core says the public may see, from the same audits and flags.
    let audits: Vec<Audit> = reports.iter().filter_map(Audit::of_report).collect();
    assert_eq!(audits.len(), 8);
    let flags: Vec<RawanFlag> = reports
        .iter()
        .filter(|r| r.kind() == ReportKind::Rawan)
        .map(|r| RawanFlag {
            at: r.location().coord,
            made_at: r.created_at(),
        })
        .collect();
    for (reply, res) in [
        (&neighbourhood, safety::NEIGHBOURHOOD_RES),
        (&street, safety::STREET_RES),
    ] {
        let want = safety::public_layer(&audits, &flags, res, Timestamp::now());
        let want_cells: BTreeSet<(String, String)> = want
            .iter()
            .map(|c| (c.h3.to_string(), c.day_part.code().to_owned()))
            .collect();
        assert_eq!(cells(reply), want_cells);
        for (f, c) in reply.body["features"].as_array().unwrap().iter().zip(&want) {
            let p = &f["properties"];
            match &c.audits {
                Some(a) => {
                    assert_eq!(p["audits"], a.n);
                    assert!((p["score"].as_f64().unwrap() - a.score).abs() < 0.051);
                    assert_eq!(p["parameters"].as_object().unwrap().len(), 9);
                }
                None => assert!(p.get("score").is_none() && p.get("audits").is_none()),
            }
            assert_eq!(
                p.get("rawan").and_then(Value::as_u64),
                c.flags.map(u64::from)
            );
            assert_eq!(f["geometry"]["type"], "Polygon");
        }
    }
    // Monas by day and by night; the five flags; nothing of the pair or the four.
    assert_eq!(
        cells(&neighbourhood).len(),
        3,
        "{:?}",
        cells(&neighbourhood)
    );
    let rawan: Vec<u64> = neighbourhood.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["rawan"].as_u64())
        .collect();
    assert_eq!(rawan, [5]);
    assert_eq!(cells(&street).len(), 2, "street cells carry audits only");
    assert!(!street.raw.windows(7).any(|w| w == b"\"rawan\""));

    // No point, no report, no person.
    let raw = String::from_utf8(neighbourhood.raw.clone()).unwrap()
        + &String::from_utf8(street.raw.clone()).unwrap();
    let mut seen = Vec::new();
    numbers(&neighbourhood.body, &mut seen);
    numbers(&street.body, &mut seen);
    for r in &reports {
        let c = r.location().coord;
        assert!(
            !seen.contains(&c.lat()) && !seen.contains(&c.lon()),
            "a report's exact place"
        );
        assert!(!raw.contains(&r.id().to_string()), "a report id");
    }
    for who in &people {
        assert!(!raw.contains(&who.to_string()), "a person");
    }

    // Cached with a version tag; a new audit changes the layer.
    let etag = neighbourhood.headers[header::ETAG].clone();
    let same = Reply::of(
        server
            .http
            .get(server.url("/v1/safety"))
            .header(header::IF_NONE_MATCH, etag.clone()),
    )
    .await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    let who = server.person("Warga baru", WARGA).await;
    let pair = [3, 3, 3, 3, 3, 3, 3, 3, 3];
    server
        .push_one(&who, create_op(&audit(-6.20001, 106.85002, false, pair)))
        .await;
    let grown = layer(&server, "neighbourhood").await;
    assert_ne!(grown.headers[header::ETAG], etag);
    assert_eq!(cells(&grown).len(), 4, "the pair became three");

    Reply::of(server.http.get(server.url("/v1/safety?level=kota")))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "SAFETY_LEVEL_INVALID");
}

#[tokio::test]
async fn ratings_belong_to_audits_only() {
    let server = TestServer::start().await;
    let rt = server.person("Pak RT", KETUA_RT).await;
    let laporan = NewReport::new(ReportKind::Laporan, "jalan-rusak", location()).unwrap();
    let mut data = serde_json::to_value(&laporan).unwrap();
    data["ratings"] = serde_json::to_value(AuditRatings::from_values([1; 9]).unwrap()).unwrap();
    let op = serde_json::json!({
        "id": ronda_core::OpId::new(),
        "hlc": {"ms": now_ms(), "n": 0},
        "kind": "report.create",
        "data": data,
    });
    let sent = Reply::of(
        server
            .post("/v1/sync")
            .bearer_auth(&rt.access)
            .header("accept-language", "en")
            .json(&serde_json::json!({ "ops": [op] })),
    )
    .await;
    let message = sent.assert_error(StatusCode::BAD_REQUEST, "BODY_INVALID");
    assert!(
        message.contains("only a safety audit carries ratings"),
        "{message}"
    );
    assert!(server.stored(laporan.id()).await.is_none());
}

#[tokio::test]
async fn a_busy_city_rebuilds_the_layer_at_most_once_a_minute() {
    let server = TestServer::start().await;
    for i in 0..3 {
        let who = server.person(&format!("Warga {i}"), WARGA).await;
        let a = audit(-6.17540, 106.82720 + i as f64 * 0.00001, false, [2; 9]);
        assert_eq!(
            server.push_one(&who, create_op(&a)).await,
            OpResult::Accepted
        );
    }
    let first = layer(&server, "neighbourhood").await;
    assert_eq!(cells(&first).len(), 1);
    let who = server.person("Warga lagi", WARGA).await;
    let more = audit(-6.20000, 106.85000, false, [1; 9]);
    server.push_one(&who, create_op(&more)).await;
    let kept = layer(&server, "neighbourhood").await;
    assert_eq!(
        kept.headers[header::ETAG],
        first.headers[header::ETAG],
        "served as built"
    );
}

#[tokio::test]
async fn per_rw_and_per_kelurahan_the_same_minimums_hold_and_no_point_leaves() {
    let server = TestServer::start_with(ronda_server::config::Limits {
        safety_layer_refresh_secs: 0,
        ..limits()
    })
    .await;
    let filed = |r: NewReport, area: &str| r.in_area(Some(area.parse().unwrap()));
    let mut reports = vec![
        // RW 001 of Gambir: three by day, three by night.
        filed(
            audit(-6.1754, 106.8272, false, [1; 9]),
            "31.71.01.1001/RW 001/RT 001",
        ),
        filed(
            audit(-6.1755, 106.8273, false, [2; 9]),
            "31.71.01.1001/RW 001/RT 002",
        ),
        filed(
            audit(-6.1756, 106.8274, false, [3; 9]),
            "31.71.01.1001/RW 001",
        ),
        filed(
            audit(-6.1754, 106.8272, true, [0; 9]),
            "31.71.01.1001/RW 001/RT 001",
        ),
        filed(
            audit(-6.1755, 106.8273, true, [1; 9]),
            "31.71.01.1001/RW 001/RT 003",
        ),
        filed(
            audit(-6.1756, 106.8274, true, [0; 9]),
            "31.71.01.1001/RW 001/RT 001",
        ),
        // RW 002 of the same kelurahan: two by day, too few for the RW, enough with RW 001's.
        filed(
            audit(-6.1760, 106.8280, false, [3; 9]),
            "31.71.01.1001/RW 002/RT 001",
        ),
        filed(
            audit(-6.1761, 106.8281, false, [3; 9]),
            "31.71.01.1001/RW 002/RT 004",
        ),
    ];
    // Five flags in Gambir (by day), four in Kebon Kelapa.
    reports.extend((0..5).map(|i| {
        filed(
            flag(-6.1770 + i as f64 * 0.0001, 106.8200),
            "31.71.01.1001/RW 004/RT 001",
        )
    }));
    reports.extend((0..4).map(|i| {
        filed(
            flag(-6.1700 + i as f64 * 0.0001, 106.8300),
            "31.71.01.1006/RW 001/RT 001",
        )
    }));
    for (i, r) in reports.iter().enumerate() {
        let who = server.person(&format!("Warga {i}"), WARGA).await;
        assert_eq!(
            server.push_one(&who, create_op(r)).await,
            OpResult::Accepted,
            "{i}"
        );
    }

    let groups = |reply: &Reply| -> Vec<(String, String, Option<u64>, Option<u64>)> {
        reply.body["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                assert!(f["geometry"].is_null(), "areas carry no geometry");
                let p = &f["properties"];
                (
                    p["area"].as_str().unwrap().to_owned(),
                    p["day_part"].as_str().unwrap().to_owned(),
                    p.get("audits").and_then(Value::as_u64),
                    p.get("rawan").and_then(Value::as_u64),
                )
            })
            .collect()
    };
    let rw = layer(&server, "rw").await;
    assert_eq!(rw.status, StatusCode::OK);
    assert_eq!(
        groups(&rw),
        [
            ("31.71.01.1001/RW 001".into(), "siang".into(), Some(3), None),
            ("31.71.01.1001/RW 001".into(), "malam".into(), Some(3), None),
        ],
        "RW 002's two audits are withheld, and no RW shows flags"
    );
    let kelurahan = layer(&server, "kelurahan").await;
    assert_eq!(
        groups(&kelurahan),
        [
            ("31.71.01.1001".into(), "siang".into(), Some(5), Some(5)),
            ("31.71.01.1001".into(), "malam".into(), Some(3), None),
        ],
        "Kebon Kelapa's four flags are withheld"
    );
    let day = &kelurahan.body["features"][0]["properties"];
    // The weighted mean of 1, 2, 3, 3, 3 of the same age: 2.4 for every parameter.
    assert!((day["parameters"]["penerangan"].as_f64().unwrap() - 2.4).abs() < 0.01);

    // No point, no report, no person in either.
    let mut seen = Vec::new();
    numbers(&rw.body, &mut seen);
    numbers(&kelurahan.body, &mut seen);
    let raw = String::from_utf8(rw.raw.clone()).unwrap()
        + &String::from_utf8(kelurahan.raw.clone()).unwrap();
    for r in &reports {
        let c = r.location().coord;
        assert!(!seen.contains(&c.lat()) && !seen.contains(&c.lon()));
        assert!(!raw.contains(&r.id().to_string()));
    }
}

#[tokio::test]
async fn the_layer_says_how_well_the_eight_explain_rasa_aman_once_there_are_ten_audits() {
    let server = TestServer::start_with(ronda_server::config::Limits {
        safety_layer_refresh_secs: 0,
        ..limits()
    })
    .await;
    let who = server.person("Pak RT", WARGA).await;
    // Rasa aman (last) follows lighting (first), give or take one.
    const AUDITS: [[u8; 9]; 12] = [
        [2, 1, 3, 0, 0, 0, 2, 0, 2],
        [0, 0, 3, 3, 0, 1, 0, 3, 0],
        [0, 1, 0, 3, 0, 1, 0, 1, 0],
        [3, 1, 0, 2, 1, 0, 1, 2, 2],
        [0, 0, 1, 3, 3, 2, 3, 3, 0],
        [2, 1, 1, 1, 0, 2, 3, 2, 3],
        [2, 0, 0, 3, 1, 2, 1, 3, 3],
        [0, 0, 2, 2, 2, 3, 3, 0, 0],
        [2, 3, 0, 0, 2, 3, 2, 3, 2],
        [0, 3, 2, 1, 0, 3, 0, 1, 0],
        [1, 1, 3, 3, 3, 0, 1, 3, 2],
        [2, 1, 3, 2, 3, 2, 3, 1, 2],
    ];
    let mut rated = Vec::new();
    for (i, values) in AUDITS.into_iter().enumerate() {
        rated.push(AuditRatings::from_values(values).unwrap());
        let r = audit(-6.1754 + i as f64 * 0.01, 106.8272, false, values);
        assert_eq!(
            server.push_one(&who, create_op(&r)).await,
            OpResult::Accepted
        );
        let fit = layer(&server, "neighbourhood").await.body["rasa_aman_explained"].clone();
        if i < 9 {
            assert!(fit.is_null(), "with {} audits: {fit}", i + 1);
        }
    }
    let want = safety::explained(&rated).unwrap();
    let fit = layer(&server, "neighbourhood").await.body["rasa_aman_explained"].clone();
    assert_eq!(fit["n"], 12);
    assert!((fit["r_squared"].as_f64().unwrap() - want.r_squared).abs() < 0.001);
    assert!((fit["correlation"].as_f64().unwrap() - want.correlation).abs() < 0.001);
}

#[tokio::test]
async fn the_demo_fills_the_safety_map_by_day_and_by_night() {
    let server = TestServer::start_with(ronda_server::config::Limits {
        safety_layer_refresh_secs: 0,
        ..limits()
    })
    .await;
    ronda_server::admin::demo(&server.storage).await.unwrap();
    let neighbourhood = layer(&server, "neighbourhood").await;
    let features = neighbourhood.body["features"].as_array().unwrap();
    let parts: BTreeSet<&str> = features
        .iter()
        .filter(|f| f["properties"]["audits"].as_u64().is_some_and(|n| n >= 4))
        .map(|f| f["properties"]["day_part"].as_str().unwrap())
        .collect();
    assert_eq!(parts, BTreeSet::from(["malam", "siang"]), "{features:?}");
    let rawan: Vec<u64> = features
        .iter()
        .filter_map(|f| f["properties"]["rawan"].as_u64())
        .collect();
    assert_eq!(rawan, [6]);
    let rw = layer(&server, "rw").await;
    assert_eq!(
        rw.body["features"].as_array().unwrap().len(),
        8,
        "four RWs, day and night"
    );
}

#[tokio::test]
async fn a_flag_s_point_reaches_the_officials_of_its_area_and_no_other_citizen() {
    let server = TestServer::start().await;
    let citizen = server.person("Warga pelapor", WARGA).await;
    let neighbour = server.person("Warga tetangga", WARGA).await;
    let rt_head = server.person("Pak RT", KETUA_RT).await;
    let lurah = server.person("Bu Lurah", LURAH).await;
    let elsewhere = server
        .person(
            "RT lain",
            r#"{"role":"ketua_rt","rt":"31.74.02.1003/RW 001/RT 001"}"#,
        )
        .await;
    let flagged = NewReport::with_id(
        ReportId::new(),
        ReportKind::Rawan,
        "pelecehan",
        location_at(-6.17540, 106.82720),
        made_at(true),
    )
    .unwrap()
    .in_area(Some(INSIDE.parse().unwrap()));
    assert_eq!(
        server.push_one(&citizen, create_op(&flagged)).await,
        OpResult::Accepted
    );
    for (who, sees) in [
        (&citizen, true),
        (&rt_head, true),
        (&lurah, true),
        (&neighbour, false),
        (&elsewhere, false),
    ] {
        let pulled = server.pull_all(who).await;
        match pulled.get(&flagged.id()) {
            Some(r) => {
                assert!(sees, "{} should not see the flag", who.name);
                assert_eq!(r.report.location().coord, flagged.location().coord);
            }
            None => assert!(!sees, "{} should see the flag", who.name),
        }
    }
    // The public sees nothing of one flag.
    let public = layer(&server, "neighbourhood").await;
    assert_eq!(public.body["features"], serde_json::json!([]));
}
