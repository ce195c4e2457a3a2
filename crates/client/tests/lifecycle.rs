//! A report's whole life across devices, each the `ronda` command line over its own store, and
//! the real server over HTTP on loopback: the RT head reports, the lurah verifies in the field
//! and hands it over, the agency fixes it with a photo, the reporter confirms, and every device
//! ends with the same history. Then a reopen, a rejection, a duplicate merge and a re-route.

use std::path::{Path, PathBuf};

use ronda_server::storage::Storage;
use serde_json::Value;

mod live;
use live::{CliDevice as Device, LiveServer as Server};

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const RW: &str = r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 003"}"#;
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;
const BINA_MARGA: &str = r#"{"role":"petugas_skpd","agency":"bina_marga","areas":["31.71"]}"#;
const SDA: &str = r#"{"role":"petugas_skpd","agency":"sumber_daya_air","areas":["31.71"]}"#;
const WARGA: &str = r#"{"role":"warga"}"#;
const CAMAT: &str = r#"{"role":"camat","kecamatan":"31.71.01"}"#;

/// The report's place, and points about 10 m and 1.1 km from it.
const AT: (&str, &str) = ("-6.17612", "106.82301");
const NEAR: (&str, &str) = ("-6.17620", "106.82305");
const FAR: (&str, &str) = ("-6.18612", "106.82301");

fn photo(dir: &Path, name: &str, shade: u8) -> PathBuf {
    let img = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, shade])
    });
    let p = dir.join(name);
    img.save(&p).unwrap();
    p
}

struct Town {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    server: Server,
    rt: Device,
    rw: Device,
    lurah: Device,
    bina_marga: Device,
    sda: Device,
    warga: Device,
}

impl Town {
    async fn new() -> Town {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_owned();
        let server = Server::start(&dir.join("server")).await;
        let mut devices = vec![];
        for (name, role) in [
            ("rt", RT),
            ("rw", RW),
            ("lurah", LURAH),
            ("bina_marga", BINA_MARGA),
            ("sda", SDA),
            ("warga", WARGA),
        ] {
            let d = Device::new(&dir, name);
            d.login(&server, &server.code(name, role).await).await;
            devices.push(d);
        }
        let [rt, rw, lurah, bina_marga, sda, warga] =
            <[Device; 6]>::try_from(devices).ok().unwrap();
        Town {
            _dir: tmp,
            dir,
            server,
            rt,
            rw,
            lurah,
            bina_marga,
            sda,
            warga,
        }
    }

    async fn report(&self, by: &Device, category: &str, photo: Option<&Path>) -> String {
        let mut args = vec![
            "report",
            "create",
            "-c",
            category,
            "--lat",
            AT.0,
            "--lon",
            AT.1,
            "--accuracy",
            "6",
            "--source",
            "gps",
            "--area",
            "31.71.01.1001/RW 003/RT 007",
        ];
        if let Some(p) = photo {
            args.extend(["-p", p.to_str().unwrap()]);
        }
        by.ok(&args).await["id"].as_str().unwrap().to_owned()
    }

    async fn sync(&self, devices: &[&Device]) {
        for d in devices {
            let v = d.ok(&["sync"]).await;
            assert_eq!(v["ops_rejected"], 0, "{v}");
        }
    }

    fn everyone(&self) -> [&Device; 6] {
        [
            &self.rt,
            &self.rw,
            &self.lurah,
            &self.bina_marga,
            &self.sda,
            &self.warga,
        ]
    }
}

async fn history(d: &Device, id: &str) -> Value {
    d.ok(&["report", "history", id]).await
}

fn statuses(h: &Value) -> Vec<String> {
    h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to_status"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs a step that must be refused, and checks nothing was queued for it.
async fn refused(d: &Device, args: &[&str], code: &str) {
    let before = d.ok(&["outbox", "--state", "pending"]).await;
    let (exit, v) = d.run(args).await;
    assert_ne!(exit, 0, "{args:?} must be refused: {v}");
    assert_eq!(v["error"]["code"], code, "{args:?}: {v}");
    assert_eq!(d.ok(&["outbox", "--state", "pending"]).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_verified_on_site_fixed_by_the_agency_and_confirmed_and_every_device_agrees() {
    let t = Town::new().await;
    let before = photo(&t.dir, "sebelum.jpg", 10);
    let after = photo(&t.dir, "sesudah.jpg", 200);

    // The RT head reports with no signal; the report waits on the phone.
    let id = t.report(&t.rt, "jalan-rusak", Some(&before)).await;
    assert_eq!(history(&t.rt, &id).await["status"], "baru");
    t.sync(&[&t.rt, &t.lurah]).await;

    // Only the lurah may verify; the RT head is refused on the device itself.
    refused(&t.rt, &["act", "verify", &id], "FORBIDDEN_ROLE").await;
    // The lurah verifies standing at the place, offline, then syncs.
    let v = t
        .lurah
        .ok(&[
            "act",
            "verify",
            &id,
            "--lat",
            NEAR.0,
            "--lon",
            NEAR.1,
            "--accuracy",
            "8",
        ])
        .await;
    assert_eq!(v["status"], "diverifikasi");
    assert_eq!(v["step"]["presence"]["where"], "on_site", "{v}");
    // Handed over by the kewenangan matrix: a damaged road is Bina Marga's.
    let v = t.lurah.ok(&["act", "dispose", &id]).await;
    assert_eq!(v["step"]["agency"], "bina_marga");
    t.sync(&[&t.lurah, &t.bina_marga, &t.sda]).await;

    // The agency that does not have it may not touch it.
    let (_, sda_view) = t.sda.run(&["report", "history", &id]).await;
    assert_eq!(sda_view["error"]["code"], "REPORT_NOT_FOUND", "{sda_view}");
    // Bina Marga starts, and may not close from a desk 1 km away.
    t.bina_marga.ok(&["act", "start", &id]).await;
    refused(
        &t.bina_marga,
        &[
            "act",
            "resolve",
            &id,
            "--photo",
            after.to_str().unwrap(),
            "--lat",
            FAR.0,
            "--lon",
            FAR.1,
        ],
        "RESOLVE_TOO_FAR",
    )
    .await;
    let v = t
        .bina_marga
        .ok(&[
            "act",
            "resolve",
            &id,
            "--photo",
            after.to_str().unwrap(),
            "--lat",
            NEAR.0,
            "--lon",
            NEAR.1,
            "-n",
            "Lubang ditambal aspal",
        ])
        .await;
    assert_eq!(v["status"], "selesai");
    t.sync(&[&t.bina_marga, &t.rt]).await;

    // The reporter sees it fixed, with the closing photo beside the original, and confirms.
    let h = history(&t.rt, &id).await;
    assert_eq!(h["status"], "selesai");
    let resolved = &h["history"][3];
    assert_eq!(resolved["action"], "resolve");
    assert_ne!(resolved["photo"]["sha256"], Value::Null);
    t.rt.ok(&["act", "confirm", &id]).await;
    let everyone = t.everyone();
    t.sync(&everyone).await;

    let want = [
        "diverifikasi",
        "didisposisikan",
        "diproses",
        "selesai",
        "dikonfirmasi",
    ];
    let on_rt = history(&t.rt, &id).await;
    assert_eq!(statuses(&on_rt), want);
    for d in [&t.lurah, &t.bina_marga, &t.rw] {
        assert_eq!(history(d, &id).await, on_rt, "{:?}", d.db);
    }
    // And the server holds the same, with the closing photo's file uploaded.
    let report_id: ronda_core::ReportId = id.parse().unwrap();
    let on_server = t
        .server
        .storage
        .read(move |tx| tx.report(report_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(on_server.status, ronda_core::ReportStatus::Dikonfirmasi);
    assert_eq!(
        serde_json::to_value(&on_server.history).unwrap(),
        on_rt["history"]
    );
    let sha = resolved["photo"]["sha256"].as_str().unwrap();
    assert!(
        blob_exists(&t.server.data, sha),
        "the closing photo is on the server"
    );
    // Before and after, side by side on every device, each fetching the thumbnails it did not
    // take: the reporter the agency's, the agency the reporter's, the lurah both.
    for d in [&t.rt, &t.bina_marga, &t.lurah] {
        let store = ronda_client::store::Store::open(&d.db).unwrap();
        let pair = store
            .before_after(report_id)
            .unwrap()
            .expect("a fixed report");
        let before = pair.before.expect("reported with a photo");
        assert_eq!(pair.after.sha256.as_str(), sha);
        for thumb in [&before.thumb_sha256, &pair.after.thumb_sha256] {
            let bytes = store
                .blobs()
                .get(thumb)
                .unwrap_or_else(|e| panic!("{:?}: {e}", d.db));
            assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG thumbnail");
        }
        assert!(store.missing_thumbnails(10).unwrap().is_empty());
    }
    // A report not yet fixed has no pair.
    let store = ronda_client::store::Store::open(&t.rt.db).unwrap();
    let other = t.report(&t.rt, "sampah-menumpuk", None).await;
    assert_eq!(store.before_after(other.parse().unwrap()).unwrap(), None);
}

fn blob_exists(data: &Path, sha: &str) -> bool {
    walk(&data.join("blobs")).iter().any(|p| p.ends_with(sha))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_report_goes_back_to_the_lurah_and_a_desk_check_says_so() {
    let t = Town::new().await;
    let after = photo(&t.dir, "sesudah.jpg", 90);
    let id = t.report(&t.rt, "jalan-rusak", None).await;
    t.sync(&[&t.rt, &t.lurah]).await;
    t.lurah.ok(&["act", "verify", &id]).await;
    t.lurah
        .ok(&["act", "dispose", &id, "--agency", "bina_marga"])
        .await;
    t.sync(&[&t.lurah, &t.bina_marga]).await;
    t.bina_marga
        .ok(&[
            "act",
            "resolve",
            &id,
            "--photo",
            after.to_str().unwrap(),
            "--lat",
            AT.0,
            "--lon",
            AT.1,
        ])
        .await;
    t.sync(&[&t.bina_marga, &t.rt]).await;

    // Reopening needs a reason in words.
    refused(&t.rt, &["act", "reopen", &id], "TRANSITION_NOTE_REQUIRED").await;
    t.rt.ok(&["act", "reopen", &id, "-n", "Masih berlubang setelah hujan"])
        .await;
    t.sync(&[&t.rt, &t.lurah]).await;
    // Verified again, this time from the office 1 km away: a desk verification, shown as one.
    let v = t
        .lurah
        .ok(&["act", "verify", &id, "--lat", FAR.0, "--lon", FAR.1])
        .await;
    assert_eq!(v["step"]["presence"]["where"], "desk", "{v}");
    t.sync(&[&t.lurah, &t.rt, &t.bina_marga]).await;
    let h = history(&t.rt, &id).await;
    assert_eq!(
        statuses(&h),
        [
            "diverifikasi",
            "didisposisikan",
            "selesai",
            "dibuka_kembali",
            "diverifikasi"
        ]
    );
    assert_eq!(h["history"][3]["note"], "Masih berlubang setelah hujan");
    assert_eq!(h["history"][0]["presence"]["where"], "unknown");
    assert_eq!(history(&t.bina_marga, &id).await, h);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_report_tells_the_reporter_why() {
    let t = Town::new().await;
    let id = t.report(&t.rt, "sampah-menumpuk", None).await;
    t.sync(&[&t.rt, &t.lurah]).await;
    refused(
        &t.lurah,
        &["act", "reject", &id, "--reason", "lainnya"],
        "TRANSITION_NOTE_REQUIRED",
    )
    .await;
    t.lurah
        .ok(&[
            "act",
            "reject",
            &id,
            "--reason",
            "tidak_ditemukan",
            "--lat",
            NEAR.0,
            "--lon",
            NEAR.1,
            "-n",
            "Sudah diangkut warga",
        ])
        .await;
    t.sync(&[&t.lurah, &t.rt, &t.rw]).await;
    let h = history(&t.rt, &id).await;
    assert_eq!(h["status"], "ditolak");
    assert_eq!(h["history"][0]["reason"], "tidak_ditemukan");
    assert_eq!(h["history"][0]["note"], "Sudah diangkut warga");
    // A closed report takes no more steps or support.
    refused(&t.rt, &["act", "confirm", &id], "TRANSITION_NOT_ALLOWED").await;
    refused(&t.rw, &["report", "support", &id], "SUPPORT_CLOSED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_a_duplicate_moves_its_supporters_and_photos_to_the_original() {
    let t = Town::new().await;
    let first = photo(&t.dir, "a.jpg", 30);
    let second = photo(&t.dir, "b.jpg", 160);
    let original = t.report(&t.rt, "jalan-rusak", Some(&first)).await;
    let duplicate = t.report(&t.warga, "jalan-rusak", Some(&second)).await;
    t.sync(&[&t.rt, &t.warga, &t.rw, &t.lurah]).await;

    // The RW head supports the RT head's report, once; the reporter cannot support their own.
    let v = t.rw.ok(&["report", "support", &original]).await;
    assert_eq!(v["supporters"], 1);
    refused(&t.rw, &["report", "support", &original], "SUPPORT_ALREADY").await;
    refused(
        &t.rt,
        &["report", "support", &original],
        "SUPPORT_OWN_REPORT",
    )
    .await;
    refused(
        &t.lurah,
        &["act", "duplicate", &duplicate, "--of", &duplicate],
        "DUPLICATE_OF_ITSELF",
    )
    .await;
    t.lurah
        .ok(&["act", "duplicate", &duplicate, "--of", &original])
        .await;
    t.sync(&[&t.rw, &t.lurah, &t.rt, &t.warga]).await;

    let o = history(&t.rt, &original).await;
    assert_eq!(o["merged"], serde_json::json!([duplicate]));
    assert_eq!(o["photos"], 2, "the duplicate's photo moved over: {o}");
    assert_eq!(
        o["supporters"].as_array().unwrap().len(),
        2,
        "the RW head and the duplicate's reporter: {o}"
    );
    let d = history(&t.warga, &duplicate).await;
    assert_eq!(d["status"], "duplikat");
    assert_eq!(d["duplicate_of"], original.as_str());
    assert_eq!(history(&t.lurah, &original).await, o);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerouted_report_moves_to_the_right_agency_and_leaves_the_first() {
    let t = Town::new().await;
    let id = t.report(&t.rt, "jalan-rusak", None).await;
    t.sync(&[&t.rt, &t.lurah]).await;
    t.lurah.ok(&["act", "verify", &id]).await;
    t.lurah.ok(&["act", "dispose", &id]).await;
    t.sync(&[&t.lurah, &t.bina_marga]).await;

    // Bina Marga finds the road is wrecked by a burst drain: Sumber Daya Air's.
    refused(
        &t.bina_marga,
        &["act", "reroute", &id, "--to", "sumber_daya_air"],
        "TRANSITION_NOTE_REQUIRED",
    )
    .await;
    let v = t
        .bina_marga
        .ok(&[
            "act",
            "reroute",
            &id,
            "--to",
            "sumber_daya_air",
            "-n",
            "Saluran air jebol di bawah jalan",
        ])
        .await;
    assert_eq!(v["status"], "bukan_wewenang");
    t.sync(&[&t.bina_marga, &t.sda]).await;
    // The report is now Sumber Daya Air's: they start work; Bina Marga may no longer act.
    t.sda.ok(&["act", "start", &id]).await;
    t.sync(&[&t.sda, &t.bina_marga, &t.rt]).await;
    refused(
        &t.bina_marga,
        &["act", "close-unfixed", &id, "-n", "x"],
        "FORBIDDEN_NOT_YOUR_AGENCY",
    )
    .await;
    let h = history(&t.rt, &id).await;
    assert_eq!(
        statuses(&h),
        [
            "diverifikasi",
            "didisposisikan",
            "bukan_wewenang",
            "diproses"
        ]
    );
    assert_eq!(h["agency"], "sumber_daya_air");
    assert_eq!(h["history"][2]["as_role"], "petugas_skpd");
    assert_eq!(history(&t.sda, &id).await, h);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kabar_tells_reporters_what_happened_and_officials_what_waits_and_what_is_late() {
    let t = Town::new().await;
    let a = t.report(&t.rt, "jalan-rusak", None).await;
    let b = t.report(&t.rt, "sampah-menumpuk", None).await;
    t.sync(&[&t.rt, &t.lurah]).await;

    // Both wait on the lurah, on time now and overdue a month from now.
    let k = t.lurah.ok(&["kabar"]).await;
    let waiting: Vec<&str> = k["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["report"].as_str().unwrap())
        .collect();
    assert_eq!(waiting.len(), 2, "{k}");
    assert!(waiting.contains(&a.as_str()) && waiting.contains(&b.as_str()));
    assert_eq!(
        (k["overdue"].as_u64(), k["due_soon"].as_u64()),
        (Some(0), Some(0)),
        "{k}"
    );
    let offered = &k["waiting"][0]["actions"];
    assert!(
        offered.as_array().unwrap().iter().any(|p| p[1] == "verify"),
        "{offered}"
    );
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let k = t.lurah.ok(&["kabar", "--at", &later]).await;
    assert_eq!(k["overdue"], 2, "{k}");
    assert_eq!(k["waiting"][0]["sla"]["flag"], "red");
    // The camat sees them only once they are overdue: escalated.
    let camat = Device::new(&t.dir, "camat");
    camat
        .login(&t.server, &t.server.code("Pak Camat", CAMAT).await)
        .await;
    camat.ok(&["sync"]).await;
    assert_eq!(camat.ok(&["kabar"]).await["waiting"], serde_json::json!([]));
    let escalated = camat.ok(&["kabar", "--at", &later]).await;
    assert_eq!(escalated["overdue"], 2, "{escalated}");
    // Holidays stop the clocks: a month of them, and nothing is late.
    let today = chrono::Utc::now().date_naive();
    let days: Vec<String> = (-2..40)
        .map(|d| (today + chrono::Duration::days(d)).to_string())
        .collect();
    let file = t.dir.join("libur.txt");
    std::fs::write(&file, format!("# libur nasional\n{}\n", days.join("\n"))).unwrap();
    let on_holiday = t
        .lurah
        .ok(&[
            "kabar",
            "--at",
            &later,
            "--holidays",
            file.to_str().unwrap(),
        ])
        .await;
    assert_eq!(on_holiday["overdue"], 0, "{on_holiday}");
    std::fs::write(&file, "2026-13-01\n").unwrap();
    let (_, bad) = t
        .lurah
        .run(&["kabar", "--holidays", file.to_str().unwrap()])
        .await;
    assert_eq!(bad["error"]["code"], "SLA_HOLIDAY_INVALID", "{bad}");
    // The RT head may take no step on either: nothing waits on him.
    assert_eq!(t.rt.ok(&["kabar"]).await["waiting"], serde_json::json!([]));

    // The walk list holds what is still to verify, nearest first.
    let walk = t
        .lurah
        .ok(&["field", "--here", &format!("{},{}", NEAR.0, NEAR.1)])
        .await;
    assert_eq!(walk.as_array().unwrap().len(), 2, "{walk}");
    t.lurah.ok(&["act", "verify", &a]).await;
    let walk = t
        .lurah
        .ok(&["field", "--here", &format!("{},{}", NEAR.0, NEAR.1)])
        .await;
    assert_eq!(walk[0]["id"], b.as_str(), "{walk}");
    assert_eq!(
        walk.as_array().unwrap().len(),
        1,
        "verified reports leave the list"
    );
    assert_eq!(walk[0]["walk_minutes"], 1);
    t.sync(&[&t.lurah, &t.rt]).await;

    // The reporter hears of it, once.
    let k = t.rt.ok(&["kabar", "--read"]).await;
    assert_eq!(k["unread"], 1, "{k}");
    assert_eq!(k["news"][0]["report"], a.as_str());
    assert_eq!(k["news"][0]["step"]["to_status"], "diverifikasi");
    assert_eq!(t.rt.ok(&["kabar"]).await["unread"], 0);
}
