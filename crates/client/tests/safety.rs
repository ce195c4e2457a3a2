//! Safety audits from the command line, offline, to the public map: three people audit the same
//! corner with no signal, sync, and the server's public layer shows the cell, with no point and
//! no person in it; the device that synced last holds that cell, and each device keeps its own
//! audit's ratings and score.

mod live;
use live::{CliDevice as Device, LiveServer as Server};

const WARGA: &str = r#"{"role":"warga"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn audits_made_offline_reach_the_public_map_as_a_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let server = Server::start(&dir.join("server")).await;
    let mut people = Vec::new();
    for i in 0..3 {
        let d = Device::new(dir, &format!("warga{i}"));
        d.login(&server, &server.code(&format!("Warga {i}"), WARGA).await)
            .await;
        people.push(d);
    }
    let (data, addr, key) = server.stop();
    let mut ids = Vec::new();
    for (i, d) in people.iter().enumerate() {
        let lon = format!("{:.5}", 106.82720 + i as f64 * 0.00001);
        let made = d
            .ok(&[
                "report",
                "create",
                "-c",
                "audit-keamanan",
                "--lat",
                "-6.17540",
                "--lon",
                &lon,
                "--accuracy",
                "8",
                "--source",
                "gps",
                "--ratings",
                "1,2,2,1,0,1,2,1,1",
            ])
            .await;
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    // Ratings are for audits only, and nine of them 0 to 3.
    let (code, refused) = people[0]
        .run(&[
            "report",
            "create",
            "-c",
            "jalan-rusak",
            "--lat",
            "-6.17540",
            "--lon",
            "106.82720",
            "--ratings",
            "1,2,2,1,0,1,2,1,1",
        ])
        .await;
    assert_eq!(code, 2);
    assert_eq!(refused["error"]["code"], "REPORT_RATINGS_ONLY_FOR_AUDITS");
    let (code, _) = people[0]
        .run(&[
            "report",
            "create",
            "-c",
            "audit-keamanan",
            "--lat",
            "-6.17540",
            "--lon",
            "106.82720",
            "--ratings",
            "1,2,4",
        ])
        .await;
    assert_eq!(code, 2);

    let server = Server::start_at(&data, addr, key).await;
    for d in &people {
        let v = d.ok(&["sync"]).await;
        assert_eq!(v["ops_accepted"], 1, "{v}");
    }
    let client = reqwest::Client::new();
    let body = client
        .get(format!("{}/v1/safety", server.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let layer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "{body}");
    let p = &features[0]["properties"];
    assert_eq!(p["audits"], 3);
    assert_eq!(p["day_part"].as_str().unwrap().len(), 5, "siang or malam");
    assert_eq!(p["parameters"]["penerangan"], 1.0);
    assert!(
        !body.contains("-6.1754,") && !body.contains("-6.1754]"),
        "no point"
    );
    for id in &ids {
        assert!(!body.contains(id.as_str()), "no report");
    }

    // The last to sync sent the third audit, so it asked for the layer at once and holds the cell.
    let store = ronda_client::Store::open(&people[2].db).unwrap();
    let layer = store
        .safety_layer()
        .unwrap()
        .expect("fetched after the sync");
    assert_eq!(layer.cells.len(), 1);
    let cell = &layer.cells[0];
    assert_eq!(cell.h3.to_string(), p["h3"].as_str().unwrap());
    let audits = cell.audits.as_ref().unwrap();
    assert_eq!(audits.n, 3);
    assert_eq!(audits.parameters[0], 1.0);
    assert_eq!(cell.rawan, None);

    // Each device keeps its audit's ratings, before and after the server answered.
    let ratings =
        ronda_core::audit::AuditRatings::from_values([1, 2, 2, 1, 0, 1, 2, 1, 1]).unwrap();
    let id: ronda_core::ReportId = ids[2].parse().unwrap();
    let mine = store.report(id).unwrap().unwrap();
    assert_eq!(mine.ratings(), Some(&ratings));
    let listed = store
        .query(&ronda_client::store::ReportQuery::default())
        .unwrap();
    let row = listed.iter().find(|r| r.id == id).unwrap();
    let score = row.score.expect("an audit's score");
    assert!((score - ronda_core::safety::score(&ratings)).abs() < 1e-9);
}
