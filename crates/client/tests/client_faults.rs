//! Faults on the device's side, with the real `ronda` binary and the real server over HTTP:
//! the client killed mid-push and mid-pull, responses dropped on the way back, and photo uploads
//! cut at random bytes again and again through the shaping proxy. Nothing is lost, nothing
//! arrives twice, uploads resume from the server's offset and the stored photo's SHA-256 matches.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use sha2::{Digest, Sha256};

use ronda_tests::netshape::{Direction, Profile, Proxy};

mod live;
use live::LiveServer;

/// A server and a folder for the devices' stores.
async fn world() -> (tempfile::TempDir, LiveServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(&dir.path().join("server")).await;
    (dir, server)
}

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;
const LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#;

fn ronda(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ronda"));
    cmd.env_clear().env("RONDA_DB", db).arg("--json");
    cmd
}

async fn run(db: &Path, args: &[&str]) -> (bool, Value) {
    let (db, args) = (
        db.to_owned(),
        args.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
    );
    tokio::task::spawn_blocking(move || {
        let out = ronda(&db).args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        (
            out.status.success(),
            serde_json::from_str(text.trim()).unwrap_or(Value::Null),
        )
    })
    .await
    .unwrap()
}

/// Starts `ronda sync` and SIGKILLs it after `after`; true if it finished on its own first.
/// Reports per import in the kill test, and its rounds of three imports.
const BATCH: usize = 200;
const ROUNDS: u64 = 4;

/// How long one whole `ronda sync` takes.
async fn timed_sync(db: &Path) -> Duration {
    let t = std::time::Instant::now();
    let (ok, summary) = run(db, &["sync"]).await;
    assert!(ok, "{summary}");
    t.elapsed()
}

async fn sync_killed_after(db: &Path, after: Duration) -> bool {
    let mut child = ronda(db)
        .arg("sync")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(after).await;
    let done = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    child.wait().unwrap();
    done
}

fn import_file(dir: &Path, n: usize, seed: u64) -> PathBuf {
    let mut rng = StdRng::seed_from_u64(seed);
    let lines: Vec<String> = (0..n)
        .map(|i| {
            serde_json::json!({
                "category": "jalan-rusak",
                "lat": rng.random_range(-6.18..-6.17),
                "lon": rng.random_range(106.82..106.83),
                "description": format!("Jalan berlubang nomor {i} di gang sempit dekat pos ronda"),
                "area": "31.71.01.1001/RW 003/RT 007",
            })
            .to_string()
        })
        .collect();
    let path = dir.join(format!("impor-{seed}.jsonl"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

async fn ids(db: &Path) -> Vec<String> {
    let (ok, list) = run(db, &["report", "list", "--limit", "100000"]).await;
    assert!(ok);
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_client_mid_push_and_mid_pull_loses_and_duplicates_nothing() {
    let (dir, w) = world().await;
    let url = w.url();
    let rt = dir.path().join("rt.db");
    let lurah = dir.path().join("lurah.db");
    assert!(
        run(
            &rt,
            &["login", "--server", &url, "--code", &w.code("RT", RT).await]
        )
        .await
        .0
    );
    assert!(
        run(
            &lurah,
            &[
                "login",
                "--server",
                &url,
                "--code",
                &w.code("Lurah", LURAH).await
            ]
        )
        .await
        .0
    );
    let mut rng = StdRng::seed_from_u64(11);

    // How long a whole sync of one batch takes on this machine, pushing and pulling, so that
    // each kill below lands at a random moment inside one (a fixed range would miss on a fast
    // machine and hit only the start on a slow one).
    let file = import_file(dir.path(), BATCH, 100);
    assert!(run(&rt, &["import", file.to_str().unwrap()]).await.0);
    let push = timed_sync(&rt).await;
    let pull = timed_sync(&lurah).await;
    let within = |rng: &mut StdRng, whole: Duration| {
        let ms = whole.as_millis().max(10) as u64;
        Duration::from_millis(rng.random_range(2..ms * 9 / 10))
    };

    let mut kills = 0;
    for round in 0..ROUNDS {
        // Each attempt has a fresh batch to push and to pull.
        for attempt in 0..3 {
            let file = import_file(dir.path(), BATCH, round * 3 + attempt);
            assert!(run(&rt, &["import", file.to_str().unwrap()]).await.0);
            kills += usize::from(!sync_killed_after(&rt, within(&mut rng, push)).await);
            kills += usize::from(!sync_killed_after(&lurah, within(&mut rng, pull)).await);
        }
        let (ok, check) = run(&rt, &["db", "check"]).await;
        assert!(ok && check["ok"] == true, "{check}");
    }
    assert!(
        kills >= 12,
        "only {kills} of {} syncs were killed before finishing (a whole sync: push {push:?}, pull {pull:?})",
        ROUNDS * 6
    );
    let (ok, summary) = run(&rt, &["sync"]).await;
    assert!(ok, "{summary}");
    let (ok, _) = run(&lurah, &["sync"]).await;
    assert!(ok);
    let (_, status) = run(&rt, &["status"]).await;
    assert_eq!(status["waiting_ops"], 0);
    let made = ids(&rt).await;
    assert_eq!(made.len(), BATCH * (1 + 3 * ROUNDS as usize));
    assert_eq!(
        ids(&lurah).await,
        made,
        "the lurah has every report exactly once"
    );
    let (ok, check) = run(&lurah, &["db", "check"]).await;
    assert!(ok && check["ok"] == true, "{check}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_responses_and_cut_uploads_resume_without_loss_or_duplicates() {
    let (dir, w) = world().await;
    let proxy = Proxy::start(w.addr, Profile::unlimited()).await.unwrap();
    let url = format!("http://{}", proxy.addr());
    let rt = dir.path().join("rt.db");
    assert!(
        run(
            &rt,
            &["login", "--server", &url, "--code", &w.code("RT", RT).await]
        )
        .await
        .0
    );

    // A phone photo: noisy enough to stay a few hundred kilobytes once shrunk.
    let mut rng = StdRng::seed_from_u64(5);
    let img = image::RgbImage::from_fn(2400, 1800, |x, y| {
        let n: u8 = rng.random();
        image::Rgb([
            ((x / 7) as u8).wrapping_add(n / 4),
            ((y / 5) as u8).wrapping_add(n / 3),
            n,
        ])
    });
    let photo = dir.path().join("foto.jpg");
    img.save(&photo).unwrap();
    let (ok, made) = run(
        &rt,
        &[
            "report",
            "create",
            "-c",
            "jalan-rusak",
            "--lat",
            "-6.1761",
            "--lon",
            "106.8230",
            "--area",
            "31.71.01.1001/RW 003/RT 007",
            "-p",
            photo.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{made}");
    let full = made["photos"][0]["sha256"].as_str().unwrap().to_owned();
    let size = made["photos"][0]["bytes"].as_u64().unwrap();
    assert!(size > 100_000, "the photo is only {size} bytes");

    // Cut the upload at a random byte, again and again.
    proxy.reset_stats();
    let mut cuts = 0;
    for _ in 0..30 {
        proxy.reset_next_after(rng.random_range(8_000..60_000), Direction::Up);
        let (ok, _) = run(&rt, &["sync"]).await;
        if ok {
            break;
        }
        cuts += 1;
    }
    assert!(cuts >= 3, "only {cuts} cuts");
    let (ok, status) = run(&rt, &["status"]).await;
    assert!(ok);
    if status["waiting_ops"] != 0 {
        assert!(run(&rt, &["sync"]).await.0);
    }
    let stored = std::fs::read(dir.path().join("server").join("blobs").join(&full)).unwrap();
    assert_eq!(
        hex(&Sha256::digest(&stored)),
        full,
        "the server's copy is whole"
    );
    let up = proxy.stats().bytes_up;
    // Resumed, not restarted: every attempt sends only what the server lacks.
    assert!(
        up < size * 3 / 2 + 40_000 * (cuts as u64 + 1),
        "{up} bytes up for a {size}-byte photo after {cuts} cuts"
    );

    // Drop the server's answers on the way back: the ops are applied, the device does not know.
    for round in 0..5 {
        let (ok, _) = run(
            &rt,
            &[
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
            ],
        )
        .await;
        assert!(ok);
        proxy.reset_next_after(rng.random_range(0..120), Direction::Down);
        let (ok, _) = run(&rt, &["sync"]).await;
        assert!(!ok, "round {round}: the answer should have been lost");
    }
    let (ok, summary) = run(&rt, &["sync"]).await;
    assert!(ok, "{summary}");
    let lurah = dir.path().join("lurah.db");
    assert!(
        run(
            &lurah,
            &[
                "login",
                "--server",
                &url,
                "--code",
                &w.code("Lurah", LURAH).await
            ]
        )
        .await
        .0
    );
    assert!(run(&lurah, &["sync"]).await.0);
    assert_eq!(ids(&lurah).await, ids(&rt).await);
    assert_eq!(ids(&lurah).await.len(), 6);
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
