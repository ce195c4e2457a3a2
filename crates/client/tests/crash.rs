//! Crash durability with real processes: `ronda import -` saves reports streamed to it and
//! prints each id once the store says it is saved; we SIGKILL it at random moments, many times.
//! Every printed id must be in the store, whole, and the file must pass an integrity check.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

use ronda_client::Store;
use ronda_core::ReportId;

const ROUNDS: usize = 40;

fn report_line(rng: &mut StdRng, photo: Option<&Path>) -> String {
    let categories = [
        "jalan-rusak",
        "sampah-menumpuk",
        "banjir",
        "pju-mati",
        "saluran-tersumbat",
    ];
    let mut line = serde_json::json!({
        "kind": "laporan",
        "category": categories[rng.random_range(0..categories.len())],
        "lat": rng.random_range(-6.38..-6.08),
        "lon": rng.random_range(106.68..106.98),
        "accuracy_m": rng.random_range(3.0..60.0),
        "source": "gps",
        "description": format!("Sampah menumpuk dan got tersumbat, nomor {}", rng.random::<u32>()),
        "area": "31.71.01.1001/RW 003/RT 007",
    });
    if let Some(p) = photo {
        line["photos"] = serde_json::json!([p]);
    }
    line.to_string()
}

fn small_photo(dir: &Path) -> std::path::PathBuf {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let path = dir.join("foto.png");
    img.save(&path).unwrap();
    path
}

#[test]
fn every_announced_report_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ronda.db");
    let photo = small_photo(dir.path());
    let mut rng = StdRng::seed_from_u64(0x5EED_0001);
    let mut announced: Vec<ReportId> = Vec::new();
    let mut killed_mid_stream = 0;

    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ronda"))
            .args(["--json", "--db"])
            .arg(&db)
            .args(["import", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let feeder = {
            let stop = stop.clone();
            let mut rng = StdRng::seed_from_u64(round as u64);
            let photo = photo.clone();
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let with_photo = rng.random_bool(0.1).then_some(photo.as_path());
                    let line = report_line(&mut rng, with_photo);
                    if writeln!(stdin, "{line}").is_err() {
                        break;
                    }
                }
            })
        };
        let seen = Arc::new(Mutex::new(Vec::<ReportId>::new()));
        let reader = {
            let stdout = child.stdout.take().unwrap();
            let seen = seen.clone();
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    // A line cut by the kill is not an announcement.
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                        && let Some(id) = v["id"].as_str()
                    {
                        seen.lock().unwrap().push(id.parse().unwrap());
                    }
                }
            })
        };
        thread::sleep(Duration::from_millis(rng.random_range(20..250)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        reader.join().unwrap();
        feeder.join().unwrap();
        assert!(
            status.code().is_none(),
            "round {round}: the writer exited on its own: {status:?}"
        );
        let seen = seen.lock().unwrap();
        if !seen.is_empty() {
            killed_mid_stream += 1;
        }
        announced.extend(seen.iter().copied());

        let store = Store::open(&db).unwrap();
        for id in &announced {
            let report = store.report(*id).unwrap();
            let report =
                report.unwrap_or_else(|| panic!("round {round}: announced report {id} is missing"));
            for p in report.photos() {
                for name in [&p.sha256, &p.thumb_sha256] {
                    let bytes = store.blobs().get(name).unwrap();
                    assert_eq!(
                        hex(&Sha256::digest(&bytes)),
                        name.as_str(),
                        "photo file of {id} is not whole"
                    );
                }
            }
        }
        let check = store.check().unwrap();
        assert!(check.ok, "round {round}: {:?}", check.problems);
        let stats = store.stats().unwrap();
        assert!(stats.reports >= announced.len() as u64);
        assert_eq!(
            store.outbox(None).unwrap().len() as u64,
            stats.reports,
            "every report has exactly one op"
        );
    }
    assert!(
        killed_mid_stream >= ROUNDS / 2,
        "only {killed_mid_stream} rounds were killed while saving"
    );
    assert!(
        announced.len() > 100,
        "only {} reports were announced",
        announced.len()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
