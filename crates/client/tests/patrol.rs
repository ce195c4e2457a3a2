//! The daily "nihil" check-in across devices, each the `ronda` command line over its own store,
//! with the real server over HTTP on loopback: the RT head checks in offline, the lurah sees it
//! after a sync beside the RTs that reported, and no one else checks in for that RT.

use serde_json::Value;

mod live;
use live::{CliDevice as Device, LiveServer as Server};

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const RW: &str = r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 003"}"#;
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const OTHER_LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1002"}"#;
const CAMAT: &str = r#"{"role":"camat","kecamatan":"31.71.01"}"#;
const WARGA: &str = r#"{"role":"warga"}"#;

const RT7: &str = "31.71.01.1001/RW 003/RT 007";
const RT8: &str = "31.71.01.1001/RW 003/RT 008";

async fn device(server: &Server, dir: &std::path::Path, name: &str, role: &str) -> Device {
    let d = Device::new(dir, name);
    d.login(server, &server.code(name, role).await).await;
    d
}

/// The areas `ronda patroli` lists, as (area, nihil sent?, reports).
fn listed(day: &Value) -> Vec<(String, Option<bool>, u64)> {
    day["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["area"].as_str().unwrap().to_owned(),
                a["nihil"]["sent"].as_bool(),
                a["reports"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nihil_check_in_reaches_the_lurah_after_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let server = Server::start(&dir.join("server")).await;
    let rt = device(&server, dir, "rt", RT).await;
    let rw = device(&server, dir, "rw", RW).await;
    let lurah = device(&server, dir, "lurah", LURAH).await;
    let other_lurah = device(&server, dir, "other_lurah", OTHER_LURAH).await;
    let camat = device(&server, dir, "camat", CAMAT).await;
    let warga = device(&server, dir, "warga", WARGA).await;

    // The RT head walks the RT with no signal and checks in: saved at once, not yet sent.
    let (addr_data, addr, key) = server.stop();
    let made = rt
        .ok(&["nihil", "--lat", "-6.17612", "--lon", "106.82301"])
        .await;
    assert_eq!(made["area"], RT7);
    let today = made["day"].as_str().unwrap().to_owned();
    let mine = rt.ok(&["patroli"]).await;
    assert_eq!(listed(&mine), [(RT7.to_owned(), Some(false), 0)]);
    // Once a day: a second tap is refused and changes nothing.
    let (code, again) = rt.run(&["nihil"]).await;
    assert_ne!(code, 0);
    assert_eq!(
        again["error"]["code"], "PATROL_ALREADY_CHECKED_IN",
        "{again}"
    );
    // Only heads check in.
    for d in [&lurah, &warga, &camat] {
        let (code, refused) = d.run(&["nihil"]).await;
        assert_ne!(code, 0);
        assert_eq!(refused["error"]["code"], "FORBIDDEN_ROLE", "{refused}");
    }
    let (code, refused) = rt.run(&["nihil", "--area", RT8]).await;
    assert_ne!(code, 0);
    assert_eq!(
        refused["error"]["code"], "FORBIDDEN_ROLE",
        "another RT: {refused}"
    );

    // The RW head reports a problem in RT 008 instead.
    rw.ok(&[
        "report",
        "create",
        "-c",
        "jalan-rusak",
        "--lat",
        "-6.17612",
        "--lon",
        "106.82301",
        "--accuracy",
        "6",
        "--source",
        "gps",
        "--area",
        RT8,
    ])
    .await;

    let server = Server::start_at(&addr_data, addr, key).await;
    for d in [&rt, &rw, &lurah, &other_lurah, &camat, &warga] {
        let v = d.ok(&["sync"]).await;
        assert_eq!(v["ops_rejected"], 0, "{v}");
    }
    assert_eq!(
        listed(&rt.ok(&["patroli"]).await),
        [(RT7.to_owned(), Some(true), 0)],
        "sent"
    );
    let day = lurah.ok(&["patroli", "--day", &today]).await;
    assert_eq!(day["area"], "31.71.01.1001");
    assert_eq!(
        listed(&day),
        [
            ("31.71.01.1001/RW 003".to_owned(), None, 1),
            (RT7.to_owned(), Some(true), 0),
            (RT8.to_owned(), None, 1),
        ]
    );
    let by = &day["areas"][1]["nihil"]["by"];
    assert!(by.is_string(), "{day}");
    assert_eq!(
        listed(&camat.ok(&["patroli", "--day", &today]).await).len(),
        3,
        "the camat sees the kecamatan's RTs"
    );
    assert!(listed(&other_lurah.ok(&["patroli"]).await).is_empty());
    // The lurah's own device shows nothing on another day.
    let other_day = lurah.ok(&["patroli", "--day", "2026-01-05"]).await;
    assert!(listed(&other_day).is_empty());
    drop(server);
}
