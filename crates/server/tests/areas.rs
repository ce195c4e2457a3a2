//! The real kelurahan file, imported through `ronda-server area import`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

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
