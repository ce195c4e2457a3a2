//! What the kelurahan lookup's tests and bench share: the real boundary file and a seeded
//! generator (`rng.rs`, which the other benches use on its own), so a failure or a measurement
//! can be replayed.

use std::path::PathBuf;

/// `../shared/data/jakarta/kelurahan.geojson` beside the repository, or under `RONDA_SHARED_DATA`.
pub fn jakarta_file() -> PathBuf {
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

#[path = "rng.rs"]
mod rng;
pub use rng::Rng;
