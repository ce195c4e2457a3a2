//! Fixtures shared by the store tests: random but plausible Jakarta reports, and snapshots of a
//! folder's files to prove that a refused database was left exactly as it was.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};
use ronda_client::Store;
use ronda_core::category::CATALOGUE;
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Description, Location, LocationSource, NewReport, PhotoRef,
    ReportId, ReportKind, Sha256Hex, Timestamp,
};

/// Jakarta's bounding box, in degrees.
pub const SOUTH: f64 = -6.38;
pub const NORTH: f64 = -6.08;
pub const WEST: f64 = 106.68;
pub const EAST: f64 = 106.98;

/// 2026-05-28, a Thursday: every generated time is after this.
pub const EPOCH_MS: i64 = 1_780_000_000_000;

/// Word families: the forms of one word that Indonesian affixes make, which a search for any of
/// them should treat alike. English and codes are single forms.
pub const WORD_FAMILIES: &[&[&str]] = &[
    &["banjir", "kebanjiran", "banjirnya", "Banjir"],
    &["lubang", "berlubang", "lubangnya"],
    &["tumpuk", "menumpuk", "ditumpuk", "tumpukan"],
    &["terang", "penerangan", "menerangi"],
    &["sampah", "sampahnya", "SAMPAH"],
    &["rusak", "kerusakan", "merusak"],
    &["gelap", "kegelapan"],
    &["sumbat", "tersumbat"],
    &["lampu", "lampunya"],
    &["macet", "kemacetan"],
    &["jalan", "jalanan"],
    &["tumbang", "pohon"],
    &["got", "selokan"],
    &[
        "warga", "rumah", "sejak", "subuh", "sudah", "minggu", "di", "dan",
    ],
    &["pukul", "memukul", "pemukulan"],
    &["sapu", "menyapu", "penyapu"],
    &["kotor", "kekotoran", "mengotori"],
    &["street", "streets"],
    &["light", "lights", "Light"],
    &["broken", "flood", "flooded", "garbage", "pothole", "dark"],
    &["near", "the", "mosque", "and", "or", "not", "NEAR", "AND"],
    &["RT07", "rt07", "RW03"],
    &["PJU", "pju"],
    &["2", "3x", "12", "2024"],
    &["Jl", "Gg"],
];

/// Words no description uses.
pub const ABSENT_WORDS: &[&str] = &["ufo", "kucing", "menyanyi", "zebra"];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", ", ", ". ", "... ", " — ", "\n", "\t", " (", ") ", "/", "-", "!!! ", "? ",
];

/// Administrative areas reports are filed under: kelurahan, RW and RT codes of a few
/// neighbourhoods, and one kecamatan.
pub const AREAS: &[&str] = &[
    "31.71.01.1001",
    "31.71.01.1001/RW 003",
    "31.71.01.1001/RW 003/RT 007",
    "31.71.01.1001/RW 003/RT 001",
    "31.71.01.1001/RW 010/RT 007",
    "31.71.01.1002",
    "31.71.01.1002/RW 003",
    "31.71.01.1002/RW 003/RT 007",
    "31.71.02.1003/RW 001/RT 001",
    "31.71.02",
    "31.74.05.1006",
    "31.74.05.1006/RW 012/RT 004",
    "31.75.01.2001/RW 002",
];

/// Areas to search by, at every level: those above, their ancestors, and some nobody used.
pub fn query_areas() -> Vec<AreaCode> {
    let mut out: Vec<AreaCode> = AREAS
        .iter()
        .flat_map(|a| a.parse::<AreaCode>().unwrap().ancestry())
        .collect();
    for absent in [
        "32",
        "31.72",
        "31.71.03",
        "31.71.01.1003",
        "31.71.01.1001/RW 030",
        "31.71.01.1001/RW 003/RT 070",
        "31.74.05.1006/RW 012/RT 005",
    ] {
        out.push(absent.parse().unwrap());
    }
    out.sort();
    out.dedup();
    out
}

pub fn uniform_coordinate(rng: &mut StdRng) -> Coordinate {
    Coordinate::new(rng.random_range(SOUTH..NORTH), rng.random_range(WEST..EAST)).unwrap()
}

pub fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms).unwrap()
}

pub fn location(rng: &mut StdRng, coord: Coordinate, created_ms: i64) -> Location {
    Location {
        coord,
        accuracy_m: Accuracy::metres(rng.random_range(0.0..60.0)).unwrap(),
        source: *LocationSource::ALL.choose(rng).unwrap(),
        captured_at: timestamp(created_ms - rng.random_range(0..600_000)),
    }
}

/// A random UUIDv7 id whose time part has nothing to do with insertion order, so that ordering
/// by id and ordering by insertion disagree.
pub fn random_id(rng: &mut StdRng) -> ReportId {
    let mut bytes = [0u8; 10];
    rng.fill_bytes(&mut bytes);
    let ms = rng.random_range(1_700_000_000_000u64..1_800_000_000_000);
    let uuid = uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid();
    ReportId::try_from(uuid).unwrap()
}

/// A description of a few words in their various forms, with punctuation, line breaks and
/// mixed case.
pub fn random_description(rng: &mut StdRng) -> String {
    let words = rng.random_range(1..=12);
    let mut s = String::new();
    if rng.random_bool(0.1) {
        s.push_str("  ");
    }
    for i in 0..words {
        if i > 0 {
            s.push_str(SEPARATORS.choose(rng).unwrap());
        }
        let family = WORD_FAMILIES.choose(rng).unwrap();
        let word = *family.choose(rng).unwrap();
        match rng.random_range(0..10) {
            0 => s.push_str(&word.to_uppercase()),
            1 => {
                let mut chars = word.chars();
                let first = chars.next().unwrap();
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
            _ => s.push_str(word),
        }
    }
    match rng.random_range(0..6) {
        0 => s.push('.'),
        1 => s.push_str("!!!"),
        2 => s.push_str(" \n"),
        _ => {}
    }
    s
}

/// A report of a random kind, with a category that fits it, at `coord`.
pub fn random_report(rng: &mut StdRng, coord: Coordinate, created_ms: i64) -> NewReport {
    let kind = *ReportKind::ALL.choose(rng).unwrap();
    let fitting: Vec<_> = CATALOGUE.iter().filter(|c| c.applies_to(kind)).collect();
    let category = fitting.choose(rng).unwrap();
    let loc = location(rng, coord, created_ms);
    let description = rng
        .random_bool(0.85)
        .then(|| Description::parse(&random_description(rng)).unwrap());
    let area = rng
        .random_bool(0.8)
        .then(|| AREAS.choose(rng).unwrap().parse::<AreaCode>().unwrap());
    NewReport::with_id(
        random_id(rng),
        kind,
        category.code,
        loc,
        timestamp(created_ms),
    )
    .unwrap()
    .describe(description)
    .in_area(area)
}

/// Photos for a report, with their files put in the store's blob folder (the store records the
/// files' sizes, so they must exist). Names come from a small pool, so photos share files.
pub fn attach_photos(rng: &mut StdRng, store: &Store, report: &mut NewReport) {
    let n = rng.random_range(1..=3);
    let photos = (0..n)
        .map(|_| {
            let name = |i: u8| Sha256Hex::from_digest(&[i; 32]);
            let (full, thumb) = (name(rng.random_range(0..8)), name(rng.random_range(8..12)));
            for (n, size) in [(&full, 3000), (&thumb, 300)] {
                store.blobs().put(n, &vec![0xAB; size]).unwrap();
            }
            PhotoRef {
                sha256: full,
                thumb_sha256: thumb,
                width: rng.random_range(100..2048),
                height: rng.random_range(100..2048),
                bytes: 3000,
                exif_position: rng.random_bool(0.5).then(|| uniform_coordinate(rng)),
                taken_at: rng
                    .random_bool(0.5)
                    .then(|| timestamp(EPOCH_MS - rng.random_range(0..1_000_000))),
            }
        })
        .collect();
    report.set_photos(photos).unwrap();
}

/// Every file under a folder, by relative path, with its bytes (folders as `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, Option<Vec<u8>>>);

impl Snapshot {
    pub fn of(dir: &Path) -> Self {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.strip_prefix(root).unwrap().display().to_string();
                if path.is_dir() {
                    out.insert(name, None);
                    walk(root, &path, out);
                } else {
                    out.insert(name, Some(std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(dir, dir, &mut files);
        Self(files)
    }

    pub fn names(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    /// Asserts nothing changed, naming what did.
    pub fn assert_same(&self, after: &Snapshot, what: &str) {
        if self == after {
            return;
        }
        let mut diffs = Vec::new();
        for (name, bytes) in &self.0 {
            match after.0.get(name) {
                None => diffs.push(format!("{name} was removed")),
                Some(b) if b != bytes => diffs.push(format!(
                    "{name} changed ({} → {} bytes)",
                    bytes.as_ref().map_or(0, Vec::len),
                    b.as_ref().map_or(0, Vec::len)
                )),
                Some(_) => {}
            }
        }
        for name in after.0.keys().filter(|n| !self.0.contains_key(*n)) {
            diffs.push(format!("{name} was created"));
        }
        panic!("{what}: the files changed: {}", diffs.join("; "));
    }
}
