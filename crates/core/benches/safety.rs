//! How long aggregating a million safety audits into H3 cells takes, at street and
//! neighbourhood level at once (`aggregate_both`: one latitude/longitude conversion per audit,
//! the neighbourhood cell from `parent()`), against two separate `aggregate` calls in the same
//! run.
//!
//! `cargo bench -p ronda-core --bench safety`

#[path = "../tests/support/rng.rs"]
mod rng;
use rng::Rng;

use std::hint::black_box;
use std::time::Instant;

use chrono::TimeZone;
use h3o::LatLng;
use uuid::Builder;

use ronda_core::audit::{Audit, AuditRatings};
use ronda_core::safety::{NEIGHBOURHOOD_RES, STREET_RES, aggregate, aggregate_both};
use ronda_core::time::wib;
use ronda_core::{Coordinate, ReportId, Timestamp};

/// The bar is stated for this many; the messages say "1,000,000".
const AUDITS: usize = 1_000_000;
const REPETITIONS: usize = 3;
const BAR_SECONDS: f64 = 2.0;

/// Mainland Jakarta's bounding box.
const SOUTH: f64 = -6.38;
const NORTH: f64 = -6.08;
const WEST: f64 = 106.68;
const EAST: f64 = 106.98;

/// Audits spread uniformly over Jakarta's box and over 2026, with random ratings.
fn audits(n: usize, year_start: Timestamp, year_ms: i64) -> Vec<Audit> {
    let mut rng = Rng(2026);
    (0..n)
        .map(|_| {
            let ms = year_start.millis() + (rng.next() % year_ms as u64) as i64;
            let random = rng.next().to_le_bytes();
            let id_bytes = [
                random[0], random[1], random[2], random[3], random[4], random[5], random[6],
                random[7], 0, 0,
            ];
            let id = Builder::from_unix_timestamp_millis(ms as u64, &id_bytes).into_uuid();
            let bits = rng.next();
            let ratings =
                AuditRatings::from_values(std::array::from_fn(|i| (bits >> (2 * i)) as u8 & 3))
                    .expect("two bits are 0..=3");
            Audit {
                id: ReportId::try_from(id).expect("a v7 uuid"),
                at: Coordinate::new(rng.between(SOUTH, NORTH), rng.between(WEST, EAST)).unwrap(),
                made_at: Timestamp::from_millis(ms).unwrap(),
                ratings,
            }
        })
        .collect()
}

fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

fn main() {
    println!(
        "machine: {} threads available, {} {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::OS,
        std::env::consts::ARCH,
    );
    let year_start: Timestamp = wib()
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap()
        .to_utc()
        .into();
    let year_end: Timestamp = wib()
        .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
        .unwrap()
        .to_utc()
        .into();
    let started = Instant::now();
    let audits = audits(AUDITS, year_start, year_end.millis() - year_start.millis());
    println!(
        "1,000,000 random audits over lat {SOUTH}…{NORTH}, lon {WEST}…{EAST}, made over 2026 \
         (generated in {:.2} s); as_of 2027-01-01 00:00 WIB",
        started.elapsed().as_secs_f64()
    );

    let mut both_times = Vec::new();
    let mut separate_times = Vec::new();
    let mut both_result = None;
    for _ in 0..REPETITIONS {
        let start = Instant::now();
        let both = black_box(aggregate_both(black_box(&audits), year_end));
        both_times.push(start.elapsed().as_secs_f64());

        let start = Instant::now();
        let street = black_box(aggregate(black_box(&audits), STREET_RES, year_end));
        let neighbourhood = black_box(aggregate(black_box(&audits), NEIGHBOURHOOD_RES, year_end));
        separate_times.push(start.elapsed().as_secs_f64());

        assert!(
            both == (street, neighbourhood),
            "aggregate_both and two aggregate calls disagree"
        );
        both_result = Some(both);
    }
    let (street, neighbourhood) = both_result.expect("at least one repetition");

    let both = median(both_times.clone());
    let separate = median(separate_times.clone());
    let fmt = |v: &[f64]| {
        v.iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "aggregate_both (street + parent)     median {both:.3} s  (runs: {} s)",
        fmt(&both_times)
    );
    println!(
        "baseline: aggregate × 2 resolutions  median {separate:.3} s  (runs: {} s)",
        fmt(&separate_times)
    );
    println!("baseline / aggregate_both: {:.2}x", separate / both);
    for (name, res, cells) in [
        ("street", STREET_RES, &street),
        ("neighbourhood", NEIGHBOURHOOD_RES, &neighbourhood),
    ] {
        let hexagons = {
            let mut h: Vec<_> = cells.iter().map(|c| c.h3).collect();
            h.dedup();
            h.len()
        };
        let shown = cells.iter().filter(|c| c.shown()).count();
        println!(
            "{name:<13} res {:>2} (avg edge {:>5.1} m): {:>7} cells (cell × day part) in {:>6} \
             hexagons, {:>7} shown (≥ 3 audits)",
            u8::from(res),
            res.edge_length_m(),
            cells.len(),
            hexagons,
            shown,
        );
    }
    // How often the street cell's parent is not the neighbourhood cell the point falls in
    // (H3 children stick out of their parents a little); outside the timings.
    let moved = audits
        .iter()
        .filter(|a| {
            let point = LatLng::new(a.at.lat(), a.at.lon()).unwrap();
            point.to_cell(STREET_RES).parent(NEIGHBOURHOOD_RES)
                != Some(point.to_cell(NEIGHBOURHOOD_RES))
        })
        .count();
    println!(
        "audits whose street cell's parent is not the res-8 cell the point lies in: {moved} \
         ({:.2} %)",
        100.0 * moved as f64 / AUDITS as f64
    );
    println!(
        "bar: aggregating 1,000,000 audits into cells at two resolutions ≤ {BAR_SECONDS} s: {} \
         (median {both:.3} s)",
        if both <= BAR_SECONDS { "PASS" } else { "FAIL" }
    );
}
