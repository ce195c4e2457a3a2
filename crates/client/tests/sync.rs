//! Devices and the real server over HTTP on loopback: reports made offline reach the people
//! whose roles cover them, exactly once, with their photos; others never see them.

use std::path::{Path, PathBuf};

mod live;
use live::{CliDevice as Device, LiveServer as Server};

fn photo(dir: &Path) -> PathBuf {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    let p = dir.join("bukti.jpg");
    img.save(&p).unwrap();
    p
}

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const OTHER_LURAH: &str = r#"{"role":"lurah","kelurahan":"31.74.02.1003"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_report_reaches_the_lurah_once_with_its_photos() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("server")).await;
    let (rt_code, lurah_code, other_code, warga_code) = (
        server.code("Pak Budi", RT).await,
        server.code("Ibu Lurah", LURAH).await,
        server.code("Lurah lain", OTHER_LURAH).await,
        server.code("Rina", r#"{"role":"warga"}"#).await,
    );
    let rt = Device::new(dir.path(), "rt");
    let photo = photo(dir.path());

    // Made before the device ever saw the server.
    let made = rt
        .ok(&[
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
            "-d",
            "Jalan berlubang di depan pos ronda",
            "--area",
            "31.71.01.1001/RW 003/RT 007",
            "-p",
            photo.to_str().unwrap(),
        ])
        .await;
    let id = made["id"].as_str().unwrap().to_owned();
    let full = made["photos"][0]["sha256"].as_str().unwrap().to_owned();
    let (code, err) = rt.run(&["sync"]).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (1, Some("SYNC_NOT_SIGNED_IN"))
    );

    rt.login(&server, &rt_code).await;
    let summary = rt.ok(&["sync"]).await;
    assert_eq!(summary["ops_accepted"], 1, "{summary}");
    assert_eq!(summary["photos_uploaded"], 2, "the photo and its thumbnail");
    assert!(server.data.join("blobs").join(&full).exists());
    let status = rt.ok(&["status"]).await;
    assert_eq!(status["waiting_ops"], 0);
    assert_eq!(status["photos_waiting"], 0);

    // Syncing again sends nothing twice.
    let again = rt.ok(&["sync"]).await;
    assert_eq!(
        (
            again["ops_accepted"].as_u64(),
            again["photos_uploaded"].as_u64()
        ),
        (Some(0), Some(0))
    );

    let lurah = Device::new(dir.path(), "lurah");
    lurah.login(&server, &lurah_code).await;
    let got = lurah.ok(&["sync"]).await;
    assert_eq!(got["reports_received"], 1, "{got}");
    assert_eq!(lurah.ids().await, vec![id.clone()]);
    let seen = lurah.ok(&["report", "show", &id]).await;
    assert_eq!(seen["description"], "Jalan berlubang di depan pos ronda");
    assert_eq!(seen["photos"][0]["sha256"], full.as_str());
    // Text search works on what was pulled, too.
    assert_eq!(
        lurah
            .ok(&["report", "list", "--text", "lubang"])
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    for (name, code) in [("other", other_code), ("warga", warga_code)] {
        let d = Device::new(dir.path(), name);
        d.login(&server, &code).await;
        d.ok(&["sync"]).await;
        assert!(
            d.ids().await.is_empty(),
            "{name} must not see a report outside its buckets"
        );
    }

    // A used code cannot sign in a second device.
    let thief = Device::new(dir.path(), "thief");
    let (code, err) = thief
        .run(&["login", "--server", &server.url(), "--code", &rt_code])
        .await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (2, Some("SYNC_AUTH_REFUSED"))
    );
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ACTIVATION_CODE_USED"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_made_while_the_server_is_down_waits_then_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("server")).await;
    let rt_code = server.code("Pak Budi", RT).await;
    let lurah_code = server.code("Ibu Lurah", LURAH).await;
    let rt = Device::new(dir.path(), "rt");
    rt.login(&server, &rt_code).await;
    rt.ok(&["sync"]).await;

    let (data, addr, key) = server.stop();
    let made = rt
        .ok(&[
            "report",
            "create",
            "-c",
            "banjir",
            "--lat",
            "-6.1755",
            "--lon",
            "106.8243",
            "--area",
            "31.71.01.1001/RW 003/RT 007",
        ])
        .await;
    let (code, err) = rt.run(&["sync"]).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (1, Some("SYNC_OFFLINE")),
        "{err}"
    );
    assert_eq!(
        rt.ok(&["status"]).await["waiting_ops"],
        1,
        "the report waits on the phone"
    );

    let server = Server::start_at(&data, addr, key).await;
    assert_eq!(rt.ok(&["sync"]).await["ops_accepted"], 1);
    let lurah = Device::new(dir.path(), "lurah");
    lurah.login(&server, &lurah_code).await;
    lurah.ok(&["sync"]).await;
    assert_eq!(
        lurah.ids().await,
        vec![made["id"].as_str().unwrap().to_owned()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_offline_edits_converge_and_the_losing_value_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("server")).await;
    let rt = Device::new(dir.path(), "rt");
    let lurah = Device::new(dir.path(), "lurah");
    rt.login(&server, &server.code("Pak Budi", RT).await).await;
    lurah
        .login(&server, &server.code("Ibu Lurah", LURAH).await)
        .await;
    let made = rt
        .ok(&[
            "report",
            "create",
            "-c",
            "jalan-rusak",
            "--lat",
            "-6.1761",
            "--lon",
            "106.8230",
            "-d",
            "Lubang kecil",
            "--area",
            "31.71.01.1001/RW 003/RT 007",
        ])
        .await;
    let id = made["id"].as_str().unwrap().to_owned();
    rt.ok(&["sync"]).await;
    lurah.ok(&["sync"]).await;

    // Both edit the description offline; the lurah also fixes the category.
    lurah
        .ok(&[
            "report",
            "edit",
            &id,
            "-d",
            "Lubang besar, dalam 20 cm",
            "-c",
            "trotoar-rusak",
        ])
        .await;
    rt.ok(&[
        "report",
        "edit",
        &id,
        "-d",
        "Lubang sudah ditambal sementara",
    ])
    .await;
    // The RT head sees their own edit at once, before any sync.
    assert_eq!(
        rt.ok(&["report", "show", &id]).await["description"],
        "Lubang sudah ditambal sementara"
    );

    lurah.ok(&["sync"]).await;
    rt.ok(&["sync"]).await;
    lurah.ok(&["sync"]).await;
    let on_rt = rt.ok(&["report", "show", &id]).await;
    let on_lurah = lurah.ok(&["report", "show", &id]).await;
    for field in ["description", "category", "location", "losers"] {
        assert_eq!(
            on_rt[field], on_lurah[field],
            "{field} differs between devices"
        );
    }
    // The later edit (the RT head's) wins the description; the lurah's category stands.
    assert_eq!(on_rt["description"], "Lubang sudah ditambal sementara");
    assert_eq!(on_rt["category"], "trotoar-rusak");
    let losers = on_rt["losers"].as_array().unwrap();
    let lost: Vec<&str> = losers.iter().filter_map(|l| l["value"].as_str()).collect();
    assert!(
        lost.contains(&"Lubang besar, dalam 20 cm") && lost.contains(&"Lubang kecil"),
        "{losers:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_claimed_in_the_wrong_kelurahan_is_refiled_by_its_point_on_every_device() {
    use ronda_server::storage::Storage;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("server")).await;
    let areas = ronda_server::areas::builtin();
    server
        .storage
        .write(move |tx| areas.iter().try_for_each(|a| tx.upsert_area(a)))
        .await
        .unwrap();
    let warga = Device::new(dir.path(), "warga");
    warga
        .login(&server, &server.code("Rina", r#"{"role":"warga"}"#).await)
        .await;
    let lurah = Device::new(dir.path(), "lurah");
    lurah
        .login(&server, &server.code("Ibu Lurah", LURAH).await)
        .await;

    // The point is in Gambir; the resident picked Cideng.
    let made = warga
        .ok(&[
            "report",
            "create",
            "-c",
            "sampah-menumpuk",
            "--lat",
            "-6.17612",
            "--lon",
            "106.82301",
            "--area",
            "31.71.01.1002",
        ])
        .await;
    let id = made["id"].as_str().unwrap();
    warga.ok(&["sync"]).await;
    lurah.ok(&["sync"]).await;
    for d in [&warga, &lurah] {
        let shown = d.ok(&["report", "show", id]).await;
        assert_eq!(shown["area"], "31.71.01.1001", "{shown}");
    }
    let h = warga.ok(&["report", "history", id]).await;
    assert_eq!(h["place_flag"]["why"], "claim_differs", "{h}");
    assert_eq!(h["place_flag"]["claimed"], "31.71.01.1002");
}
