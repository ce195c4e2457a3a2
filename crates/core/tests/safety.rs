//! Safety audits: the score, its fit to how safe people felt, and the aggregates by cell and by
//! area, checked against brute-force computations on random data.

use std::collections::HashMap;

use chrono::{TimeZone, Timelike};
use h3o::{CellIndex, LatLng, Resolution};
use proptest::prelude::*;

use ronda_core::audit::{Audit, AuditRatings, DayPart, Parameter, Rating};
use ronda_core::safety::{
    Cell, HALF_LIFE_DAYS, MIN_AUDITS, NEIGHBOURHOOD_RES, STREET_RES, Summary, WEIGHTS, aggregate,
    aggregate_both, aggregate_by, cell_of, decay_weight, explained, score,
};
use ronda_core::time::wib;
use ronda_core::{Coded, Coordinate, KelurahanCode, ReportId, RwRef, Timestamp};

const DAY_MS: i64 = 86_400_000;
const YEAR_MS: i64 = 365 * DAY_MS;

/// 2026-01-01 00:00 WIB.
fn new_year() -> Timestamp {
    wib()
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap()
        .to_utc()
        .into()
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms).unwrap()
}

fn wib_time(h: u32, m: u32, s: u32, ms: u32) -> Timestamp {
    let t = wib()
        .with_ymd_and_hms(2026, 3, 14, h, m, s)
        .unwrap()
        .to_utc();
    at(t.timestamp_millis() + i64::from(ms))
}

fn ratings() -> impl Strategy<Value = AuditRatings> {
    prop::array::uniform9(0u8..=3).prop_map(|v| AuditRatings::from_values(v).unwrap())
}

/// Audits in a box of `side` degrees in Menteng, at random times over 2026 (made_at may be after
/// as_of, which is mid-year in the tests).
fn audit(side: f64) -> impl Strategy<Value = Audit> {
    (0.0..side, 0.0..side, 0..YEAR_MS, ratings()).prop_map(move |(dlat, dlon, ms, ratings)| Audit {
        id: ReportId::new(),
        at: Coordinate::new(-6.20 + dlat, 106.83 + dlon).unwrap(),
        made_at: at(new_year().millis() + ms),
        ratings,
    })
}

fn audits(side: f64, max: usize) -> impl Strategy<Value = Vec<Audit>> {
    prop::collection::vec(audit(side), 0..max)
}

fn mid_year() -> Timestamp {
    at(new_year().millis() + YEAR_MS / 2)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn assert_summaries_close(got: &Summary, want: &Summary, what: &str) {
    assert_eq!(got.n, want.n, "{what}: n");
    assert_eq!(got.newest, want.newest, "{what}: newest");
    assert_eq!(got.oldest, want.oldest, "{what}: oldest");
    assert!(
        close(got.weight, want.weight),
        "{what}: weight {} vs {}",
        got.weight,
        want.weight
    );
    assert!(
        close(got.score, want.score),
        "{what}: score {} vs {}",
        got.score,
        want.score
    );
    for (p, (g, w)) in Parameter::ALL
        .iter()
        .zip(got.per_parameter.iter().zip(&want.per_parameter))
    {
        assert!(close(*g, *w), "{what}: {p} {g} vs {w}");
    }
}

fn assert_cells_close(got: &[Cell], want: &[Cell]) {
    assert_eq!(got.len(), want.len(), "cell count");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.h3, g.day_part), (w.h3, w.day_part));
        assert_summaries_close(
            &g.summary(),
            &w.summary(),
            &format!("{} {}", g.h3, g.day_part),
        );
    }
}

/// The weight straight from its definition, independent of `decay_weight`.
fn naive_weight(made_at: Timestamp, as_of: Timestamp) -> f64 {
    let age_days = (as_of.millis() - made_at.millis()) as f64 / DAY_MS as f64;
    if age_days <= 0.0 {
        1.0
    } else {
        0.5f64.powf(age_days / HALF_LIFE_DAYS)
    }
}

/// The day part straight from the local clock, independent of `DayPart::of`'s arithmetic.
fn naive_day_part(t: Timestamp) -> DayPart {
    let hour = t.in_wib().hour();
    if (6..18).contains(&hour) {
        DayPart::Siang
    } else {
        DayPart::Malam
    }
}

/// Weighted means computed the plain way: group with a HashMap, sum per group.
fn brute_summary(group: &[&Audit], as_of: Timestamp) -> Summary {
    let weights: Vec<f64> = group
        .iter()
        .map(|a| naive_weight(a.made_at, as_of))
        .collect();
    let total: f64 = weights.iter().sum();
    let mean = |f: &dyn Fn(&Audit) -> f64| -> f64 {
        group
            .iter()
            .zip(&weights)
            .map(|(a, w)| w * f(a))
            .sum::<f64>()
            / total
    };
    let mut per_parameter = [0.0; 9];
    for p in Parameter::ALL {
        per_parameter[p.index()] = mean(&|a: &Audit| f64::from(a.ratings.get(p).get()));
    }
    Summary {
        n: group.len() as u32,
        weight: total,
        score: mean(&|a: &Audit| score(&a.ratings)),
        per_parameter,
        newest: group.iter().map(|a| a.made_at).max().unwrap(),
        oldest: group.iter().map(|a| a.made_at).min().unwrap(),
    }
}

fn brute_force(audits: &[Audit], res: Resolution, as_of: Timestamp) -> Vec<Cell> {
    let mut groups: HashMap<(CellIndex, DayPart), Vec<&Audit>> = HashMap::new();
    for a in audits {
        // Street level and finer: the cell the point is in; coarser: its street cell's ancestor.
        let point = LatLng::new(a.at.lat(), a.at.lon()).unwrap();
        let cell = if res >= STREET_RES {
            point.to_cell(res)
        } else {
            point.to_cell(STREET_RES).parent(res).unwrap()
        };
        groups
            .entry((cell, naive_day_part(a.made_at)))
            .or_default()
            .push(a);
    }
    let mut cells: Vec<Cell> = groups
        .into_iter()
        .map(|((h3, day_part), group)| {
            let s = brute_summary(&group, as_of);
            Cell {
                h3,
                day_part,
                n: s.n,
                weight: s.weight,
                score: s.score,
                per_parameter: s.per_parameter,
                newest: s.newest,
                oldest: s.oldest,
            }
        })
        .collect();
    cells.sort_by_key(|c| (c.h3, c.day_part));
    cells
}

fn rate(v: u8) -> Rating {
    Rating::new(v).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The score

#[test]
fn score_is_0_for_all_zero_and_100_for_all_three() {
    assert_eq!(score(&AuditRatings::from_fn(|_| Rating::MIN)), 0.0);
    let top = score(&AuditRatings::from_fn(|_| Rating::MAX));
    assert!((top - 100.0).abs() < 1e-9, "{top}");
    // Rasa aman alone does not move it.
    let felt_safe = AuditRatings::from_fn(|_| Rating::MIN).with(Parameter::RasaAman, Rating::MAX);
    assert_eq!(score(&felt_safe), 0.0);
}

#[test]
fn weights_cover_the_eight_and_sum_to_one() {
    let sum: f64 = WEIGHTS.iter().map(|(_, w)| w).sum();
    assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    let mut params: Vec<Parameter> = WEIGHTS.iter().map(|(p, _)| *p).collect();
    params.sort();
    params.dedup();
    assert_eq!(params.len(), 8);
    assert!(!params.contains(&Parameter::RasaAman));
    // Lighting weighs most; openness and visibility come next.
    let w = |p: Parameter| WEIGHTS.iter().find(|(q, _)| *q == p).unwrap().1;
    for (p, weight) in WEIGHTS {
        assert!(w(Parameter::Penerangan) >= weight, "{p}");
        if !matches!(
            p,
            Parameter::Penerangan | Parameter::Keterbukaan | Parameter::Visibilitas
        ) {
            assert!(w(Parameter::Keterbukaan) > weight && w(Parameter::Visibilitas) > weight);
        }
    }
}

proptest! {
    #[test]
    fn score_is_between_0_and_100(r in ratings()) {
        let s = score(&r);
        prop_assert!((0.0..=100.0).contains(&s), "{}", s);
    }

    #[test]
    fn score_never_falls_when_a_place_parameter_improves(r in ratings()) {
        for (p, _) in WEIGHTS {
            let now = r.get(p).get();
            if now < 3 {
                let better = r.with(p, rate(now + 1));
                prop_assert!(score(&better) >= score(&r), "{}", p);
            }
        }
    }

    #[test]
    fn score_ignores_rasa_aman(r in ratings(), felt in 0u8..=3) {
        prop_assert_eq!(score(&r.with(Parameter::RasaAman, rate(felt))).to_bits(), score(&r).to_bits());
    }
}

// ---------------------------------------------------------------------------------------------
// Decay

#[test]
fn weight_is_1_now_and_half_at_the_half_life() {
    let now = mid_year();
    assert_eq!(decay_weight(now, now), 1.0);
    let half = at(now.millis() - (HALF_LIFE_DAYS as i64) * DAY_MS);
    assert!((decay_weight(half, now) - 0.5).abs() < 1e-12);
    let quarter = at(now.millis() - 2 * (HALF_LIFE_DAYS as i64) * DAY_MS);
    assert!((decay_weight(quarter, now) - 0.25).abs() < 1e-12);
    // An audit after as_of (a device clock ahead, a late as_of) weighs 1, not more.
    assert_eq!(decay_weight(at(now.millis() + 10 * DAY_MS), now), 1.0);
    // Ancient audits still weigh something, so their means exist.
    assert!(decay_weight(at(0), at(8_000_000_000_000_000)) > 0.0);
}

proptest! {
    #[test]
    fn an_older_audit_never_weighs_more(a in -YEAR_MS..10 * YEAR_MS, b in -YEAR_MS..10 * YEAR_MS) {
        let as_of = mid_year();
        let (younger, older) = (a.min(b), a.max(b));
        let w_young = decay_weight(at(as_of.millis() - younger), as_of);
        let w_old = decay_weight(at(as_of.millis() - older), as_of);
        prop_assert!(w_old <= w_young);
        prop_assert!(w_young <= 1.0 && w_old > 0.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Day and night

#[test]
fn night_is_18_00_to_05_59_wib() {
    let cases = [
        ((5, 59, 59, 999), DayPart::Malam),
        ((6, 0, 0, 0), DayPart::Siang),
        ((12, 0, 0, 0), DayPart::Siang),
        ((17, 59, 59, 999), DayPart::Siang),
        ((18, 0, 0, 0), DayPart::Malam),
        ((23, 59, 59, 999), DayPart::Malam),
        ((0, 0, 0, 0), DayPart::Malam),
    ];
    for ((h, m, s, ms), want) in cases {
        assert_eq!(
            DayPart::of(wib_time(h, m, s, ms)),
            want,
            "{h:02}:{m:02}:{s:02}.{ms:03}"
        );
    }
    // 18:00 WIB is 11:00 UTC: the line is drawn in Jakarta's time, not UTC's.
    let eleven_utc = chrono::Utc.with_ymd_and_hms(2026, 3, 14, 11, 0, 0).unwrap();
    assert_eq!(DayPart::of(eleven_utc.into()), DayPart::Malam);
    // Before 1970 too (negative milliseconds).
    let old = wib()
        .with_ymd_and_hms(1965, 8, 17, 19, 30, 0)
        .unwrap()
        .to_utc();
    assert_eq!(DayPart::of(old.into()), DayPart::Malam);
}

proptest! {
    #[test]
    fn day_part_agrees_with_the_wib_clock(ms in -5_000_000_000_000i64..5_000_000_000_000) {
        let t = at(ms);
        prop_assert_eq!(DayPart::of(t), naive_day_part(t));
    }
}

// ---------------------------------------------------------------------------------------------
// Aggregation

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn aggregate_matches_brute_force_at_both_resolutions(audits in audits(0.004, 150)) {
        let as_of = mid_year();
        for res in [STREET_RES, NEIGHBOURHOOD_RES] {
            assert_cells_close(&aggregate(&audits, res, as_of), &brute_force(&audits, res, as_of));
        }
    }

    #[test]
    fn aggregate_both_equals_two_aggregate_calls(audits in audits(0.03, 150)) {
        let as_of = mid_year();
        let (street, neighbourhood) = aggregate_both(&audits, as_of);
        prop_assert_eq!(street, aggregate(&audits, STREET_RES, as_of));
        prop_assert_eq!(neighbourhood, aggregate(&audits, NEIGHBOURHOOD_RES, as_of));
    }

    #[test]
    fn aggregation_does_not_depend_on_order(
        (audits, shuffled) in audits(0.004, 150).prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let as_of = mid_year();
        let (a_street, a_hood) = aggregate_both(&audits, as_of);
        let (b_street, b_hood) = aggregate_both(&shuffled, as_of);
        assert_cells_close(&a_street, &b_street);
        assert_cells_close(&a_hood, &b_hood);
        let a = aggregate_by(&audits.iter().map(|a| (cell_of(a.at, STREET_RES), a)).collect::<Vec<_>>(), as_of);
        let b = aggregate_by(&shuffled.iter().map(|a| (cell_of(a.at, STREET_RES), a)).collect::<Vec<_>>(), as_of);
        prop_assert_eq!(a.len(), b.len());
        for ((ka, sa), (kb, sb)) in a.iter().zip(&b) {
            prop_assert_eq!(ka, kb);
            assert_summaries_close(sa, sb, "aggregate_by");
        }
    }

    #[test]
    fn neighbourhood_cells_are_the_union_of_their_street_cells(audits in audits(0.03, 150)) {
        let (street, neighbourhood) = aggregate_both(&audits, mid_year());
        let mut rolled_up: HashMap<(CellIndex, DayPart), (u32, f64)> = HashMap::new();
        for c in &street {
            let parent = c.h3.parent(NEIGHBOURHOOD_RES).unwrap();
            let entry = rolled_up.entry((parent, c.day_part)).or_default();
            entry.0 += c.n;
            entry.1 += c.weight;
        }
        prop_assert_eq!(rolled_up.len(), neighbourhood.len());
        for c in &neighbourhood {
            let (n, weight) = rolled_up[&(c.h3, c.day_part)];
            prop_assert_eq!(n, c.n);
            prop_assert!(close(weight, c.weight));
        }
        for a in &audits {
            let point = LatLng::new(a.at.lat(), a.at.lon()).unwrap();
            prop_assert_eq!(cell_of(a.at, STREET_RES), point.to_cell(STREET_RES));
            prop_assert_eq!(cell_of(a.at, Resolution::Twelve), point.to_cell(Resolution::Twelve));
        }
    }

    #[test]
    fn cells_are_sorted_and_shown_only_from_min_audits(audits in audits(0.004, 150)) {
        let (street, neighbourhood) = aggregate_both(&audits, mid_year());
        for cells in [&street, &neighbourhood] {
            prop_assert!(cells.windows(2).all(|w| (w[0].h3, w[0].day_part) < (w[1].h3, w[1].day_part)));
            prop_assert_eq!(cells.iter().map(|c| c.n as usize).sum::<usize>(), audits.len());
            for c in cells.iter() {
                prop_assert_eq!(c.shown(), c.n >= MIN_AUDITS);
                prop_assert!((0.0..=100.0).contains(&c.score));
                prop_assert!(c.oldest <= c.newest);
            }
        }
        for c in &street {
            prop_assert_eq!(c.h3.resolution(), STREET_RES);
        }
        for c in &neighbourhood {
            prop_assert_eq!(c.h3.resolution(), NEIGHBOURHOOD_RES);
        }
    }

    #[test]
    fn aggregate_by_area_matches_brute_force(
        audits in audits(0.01, 150),
        keys in prop::collection::vec(0usize..4, 150),
    ) {
        let areas: [RwRef; 4] = [
            "31.71.06.1001/RW 001".parse().unwrap(),
            "31.71.06.1001/RW 002".parse().unwrap(),
            "31.71.06.1002/RW 001".parse().unwrap(),
            "31.74.01.1001/RW 010".parse().unwrap(),
        ];
        let as_of = mid_year();
        let keyed: Vec<(RwRef, &Audit)> =
            audits.iter().zip(&keys).map(|(a, &k)| (areas[k], a)).collect();
        let got = aggregate_by(&keyed, as_of);

        let mut groups: HashMap<(RwRef, DayPart), Vec<&Audit>> = HashMap::new();
        for (k, a) in &keyed {
            groups.entry((*k, naive_day_part(a.made_at))).or_default().push(a);
        }
        prop_assert_eq!(got.len(), groups.len());
        for (key, group) in &groups {
            let summary = got.get(key).expect("every group is in the result");
            assert_summaries_close(summary, &brute_summary(group, as_of), "aggregate_by");
            prop_assert_eq!(summary.shown(), group.len() as u32 >= MIN_AUDITS);
        }

        // By kelurahan: the same audits, coarser keys, and the counts add up.
        let by_kelurahan: Vec<(KelurahanCode, &Audit)> =
            keyed.iter().map(|(rw, a)| (rw.kelurahan, *a)).collect();
        let coarse = aggregate_by(&by_kelurahan, as_of);
        prop_assert_eq!(coarse.values().map(|s| s.n as usize).sum::<usize>(), audits.len());
    }
}

#[test]
fn a_cell_with_two_audits_is_not_shown_and_with_three_is() {
    let here = Coordinate::new(-6.1954, 106.8231).unwrap();
    let night = wib_time(20, 0, 0, 0);
    let as_of = wib_time(23, 0, 0, 0);
    let make = |r: u8| Audit {
        id: ReportId::new(),
        at: here,
        made_at: night,
        ratings: AuditRatings::from_fn(|_| rate(r)),
    };
    let two = [make(0), make(3)];
    let cells = aggregate(&two, STREET_RES, as_of);
    assert_eq!(cells.len(), 1);
    assert_eq!(cells[0].n, 2);
    assert!(!cells[0].shown());
    assert!((cells[0].score - 50.0).abs() < 1e-9);
    let three = [make(0), make(3), make(3)];
    let cells = aggregate(&three, STREET_RES, as_of);
    assert!(cells[0].shown());
    assert_eq!(cells[0].day_part, DayPart::Malam);
    assert!((cells[0].score - 200.0 / 3.0).abs() < 1e-9);
    assert!((cells[0].per_parameter[Parameter::RasaAman.index()] - 2.0).abs() < 1e-12);
    assert_eq!(MIN_AUDITS, 3);
}

#[test]
fn an_old_audit_counts_less_in_its_cell() {
    let here = Coordinate::new(-6.1954, 106.8231).unwrap();
    let as_of = wib_time(21, 0, 0, 0);
    let audits = [
        Audit {
            id: ReportId::new(),
            at: here,
            made_at: as_of,
            ratings: AuditRatings::from_fn(|_| Rating::MAX),
        },
        Audit {
            id: ReportId::new(),
            at: here,
            made_at: at(as_of.millis() - (HALF_LIFE_DAYS as i64) * DAY_MS),
            ratings: AuditRatings::from_fn(|_| Rating::MIN),
        },
    ];
    let cells = aggregate(&audits, STREET_RES, as_of);
    assert_eq!(cells.len(), 1);
    // weights 1 and 0.5: (1 × 100 + 0.5 × 0) / 1.5
    assert!((cells[0].weight - 1.5).abs() < 1e-12);
    assert!((cells[0].score - 100.0 / 1.5).abs() < 1e-9);
    assert_eq!(cells[0].newest, as_of);
    assert_eq!(cells[0].oldest, audits[1].made_at);
}

#[test]
fn the_neighbourhood_cell_holds_the_street_cell() {
    let monas = Coordinate::new(-6.175392, 106.827153).unwrap();
    let street = cell_of(monas, STREET_RES);
    assert_eq!(street.resolution(), Resolution::Ten);
    assert_eq!(
        street.parent(NEIGHBOURHOOD_RES),
        Some(cell_of(monas, NEIGHBOURHOOD_RES))
    );
    assert_eq!(
        aggregate_both(&[], mid_year()),
        (Vec::new(), Vec::new()),
        "no audits, no cells"
    );
}

// ---------------------------------------------------------------------------------------------
// How well the eight explain rasa aman

fn with_outcome(place: [u8; 8], felt: u8) -> AuditRatings {
    let mut values = [0u8; 9];
    values[..8].copy_from_slice(&place);
    values[8] = felt;
    AuditRatings::from_values(values).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn explained_recovers_a_planted_relation(
        rows in prop::collection::vec(
            (prop::array::uniform8(0u8..=3), prop::bool::weighted(0.01), 0u8..=3),
            300..600,
        ),
        planted in 0usize..8,
    ) {
        // Rasa aman is one of the eight, except in about 1 % of audits where it is random.
        let audits: Vec<AuditRatings> = rows
            .iter()
            .map(|&(place, noisy, random)| with_outcome(place, if noisy { random } else { place[planted] }))
            .collect();
        let fit = explained(&audits).expect("enough varied audits");
        prop_assert_eq!(fit.n, audits.len());
        prop_assert!(fit.r_squared > 0.9, "{:?}", fit);
        prop_assert!(fit.correlation > 0.0, "{:?}", fit);
        prop_assert!(fit.r_squared >= fit.correlation.powi(2) - 1e-9, "OLS beats any fixed weights: {:?}", fit);
    }

    #[test]
    fn explained_finds_little_in_noise(
        rows in prop::collection::vec((prop::array::uniform8(0u8..=3), 0u8..=3), 500..800),
    ) {
        let audits: Vec<AuditRatings> = rows.iter().map(|&(p, f)| with_outcome(p, f)).collect();
        let fit = explained(&audits).expect("enough varied audits");
        prop_assert!(fit.r_squared < 0.2, "{:?}", fit);
        prop_assert!((-1.0..=1.0).contains(&fit.correlation));
    }

    #[test]
    fn explained_needs_ten_audits(audits in prop::collection::vec(ratings(), 0..10)) {
        prop_assert_eq!(explained(&audits), None);
    }
}

#[test]
fn explained_refuses_a_singular_fit() {
    // Keamanan is 0 in every audit: its column is a multiple of the intercept's.
    let audits: Vec<AuditRatings> = (0..50u8)
        .map(|i| {
            let place = [
                i % 4,
                (i / 4) % 4,
                (i / 16) % 4,
                i % 3,
                0,
                (i + 1) % 4,
                i % 2,
                (i / 2) % 4,
            ];
            with_outcome(place, i % 4)
        })
        .collect();
    assert_eq!(explained(&audits), None);
    // Rasa aman the same everywhere: nothing to explain.
    let flat: Vec<AuditRatings> = (0..50u8)
        .map(|i| {
            with_outcome(
                [
                    i % 4,
                    (i / 4) % 4,
                    (i / 16) % 4,
                    i % 3,
                    (i / 3) % 4,
                    (i + 1) % 4,
                    i % 2,
                    (i / 2) % 4,
                ],
                2,
            )
        })
        .collect();
    assert_eq!(explained(&flat), None);
}

// ---------------------------------------------------------------------------------------------
// Serde and validation

#[test]
fn ratings_serialise_as_an_object_keyed_by_code() {
    let r = AuditRatings::from_values([0, 1, 2, 3, 0, 1, 2, 3, 1]).unwrap();
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "penerangan": 0, "keterbukaan": 1, "visibilitas": 2, "keramaian": 3, "keamanan": 0,
            "jalur_pejalan_kaki": 1, "transportasi_umum": 2, "keberagaman": 3, "rasa_aman": 1,
        })
    );
    for p in Parameter::ALL {
        assert_eq!(json[p.code()], r.get(p).get());
        // Every key is required.
        let mut missing = json.clone();
        missing.as_object_mut().unwrap().remove(p.code());
        assert!(
            serde_json::from_value::<AuditRatings>(missing).is_err(),
            "{p}"
        );
    }
}

#[test]
fn a_rating_of_4_is_refused_with_its_code() {
    let err = Rating::try_from(4).unwrap_err();
    assert_eq!(err.code(), "AUDIT_RATING_INVALID");
    assert!(err.message(ronda_core::Lang::Id).contains('4'));
    assert_eq!(
        AuditRatings::from_values([0, 0, 0, 4, 0, 0, 0, 0, 0])
            .unwrap_err()
            .code(),
        "AUDIT_RATING_INVALID"
    );
    assert!(serde_json::from_str::<Rating>("4").is_err());
    assert!(serde_json::from_str::<Rating>("-1").is_err());
    let mut json = serde_json::to_value(AuditRatings::from_fn(|_| Rating::MIN)).unwrap();
    json["penerangan"] = 4.into();
    let err = serde_json::from_value::<AuditRatings>(json).unwrap_err();
    assert!(err.to_string().contains("rating 4"), "{err}");
    for v in 0..=3 {
        assert_eq!(Rating::try_from(v).unwrap().get(), v);
    }
}

proptest! {
    #[test]
    fn ratings_and_audits_round_trip(a in audit(0.3)) {
        let json = serde_json::to_string(&a.ratings).unwrap();
        prop_assert_eq!(serde_json::from_str::<AuditRatings>(&json).unwrap(), a.ratings);
        let json = serde_json::to_string(&a).unwrap();
        let back: Audit = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, a);
        prop_assert_eq!(back.day_part(), naive_day_part(a.made_at));
        let part = serde_json::to_string(&a.day_part()).unwrap();
        prop_assert_eq!(part, format!("\"{}\"", a.day_part().code()));
    }
}

fn flags(side: f64, max: usize) -> impl Strategy<Value = Vec<ronda_core::safety::RawanFlag>> {
    prop::collection::vec(
        (0.0..side, 0.0..side, 0..YEAR_MS).prop_map(|(dlat, dlon, ms)| {
            ronda_core::safety::RawanFlag {
                at: Coordinate::new(-6.20 + dlat, 106.83 + dlon).unwrap(),
                made_at: at(new_year().millis() + ms),
            }
        }),
        0..max,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The public layer is the shown cells of the aggregate, plus flag counts from
    /// `MIN_FLAGS` up (neighbourhood level only), counted by brute force; nothing under its
    /// minimum ever appears.
    #[test]
    fn the_public_layer_withholds_every_group_under_its_minimum(
        audits in audits(0.01, 60),
        flags in flags(0.003, 60),
    ) {
        use ronda_core::safety::{MIN_FLAGS, public_layer};
        let as_of = mid_year();
        for res in [STREET_RES, NEIGHBOURHOOD_RES] {
            let layer = public_layer(&audits, &flags, res, as_of);
            let cells = aggregate(&audits, res, as_of);
            let mut want_flags: HashMap<(CellIndex, DayPart), u32> = HashMap::new();
            for f in &flags {
                let cell = LatLng::new(f.at.lat(), f.at.lon()).unwrap().to_cell(STREET_RES).parent(res).unwrap();
                *want_flags.entry((cell, naive_day_part(f.made_at))).or_default() += 1;
            }
            for c in &layer {
                let audits_here = cells.iter().find(|x| x.h3 == c.h3 && x.day_part == c.day_part);
                match (&c.audits, audits_here) {
                    (Some(s), Some(x)) => {
                        prop_assert!(x.n >= MIN_AUDITS);
                        prop_assert_eq!(s.n, x.n);
                    }
                    (None, x) => prop_assert!(x.is_none_or(|x| x.n < MIN_AUDITS)),
                    (Some(_), None) => prop_assert!(false, "a summary from nowhere"),
                }
                let n = want_flags.get(&(c.h3, c.day_part)).copied().unwrap_or(0);
                if res == NEIGHBOURHOOD_RES && n >= MIN_FLAGS {
                    prop_assert_eq!(c.flags, Some(n));
                } else {
                    prop_assert_eq!(c.flags, None);
                }
                prop_assert!(c.audits.is_some() || c.flags.is_some(), "an empty cell");
            }
            // Every group big enough is there.
            for x in cells.iter().filter(|x| x.shown()) {
                prop_assert!(layer.iter().any(|c| c.h3 == x.h3 && c.day_part == x.day_part));
            }
            if res == NEIGHBOURHOOD_RES {
                for (&(h3, part), &n) in want_flags.iter().filter(|(_, n)| **n >= MIN_FLAGS) {
                    prop_assert!(layer.iter().any(|c| c.h3 == h3 && c.day_part == part && c.flags == Some(n)));
                }
            }
        }
    }
}

#[test]
fn a_zero_for_lighting_or_the_walk_path_suggests_the_report_that_fixes_it() {
    use ronda_core::safety::fixes_for;
    let all_fine = AuditRatings::from_values([2; 9]).unwrap();
    assert!(fixes_for(&all_fine).is_empty());
    let dark = all_fine.with(Parameter::Penerangan, rate(0));
    assert_eq!(fixes_for(&dark), ["pju-mati".parse().unwrap()]);
    let dark_and_broken = dark.with(Parameter::JalurPejalanKaki, rate(0));
    let codes: Vec<String> = fixes_for(&dark_and_broken)
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(codes, ["pju-mati", "trotoar-rusak"]);
    // A 1 is poor, not broken: nothing to report.
    assert!(fixes_for(&all_fine.with(Parameter::Penerangan, rate(1))).is_empty());
    // Every suggested category is a problem report.
    for (_, code) in ronda_core::safety::FIXES {
        let c = ronda_core::category::lookup(code).unwrap();
        assert!(c.applies_to(ronda_core::ReportKind::Laporan));
    }
}

/// A stored report for the area tests: an audit (rated or not) or a flag, filed under `area`,
/// standing or refused.
fn stored(
    kind: ronda_core::ReportKind,
    area: Option<ronda_core::AreaCode>,
    made_at: Timestamp,
    ratings: AuditRatings,
    rated: bool,
    refused: bool,
) -> ronda_core::sync::ServerReport {
    use ronda_core::hlc::{Hlc, Stamp};
    use ronda_core::{Accuracy, Location, LocationSource, NewReport, OpId, ReportKind, UserId};
    let category = match kind {
        ReportKind::Audit => "audit-keamanan",
        _ => "lokasi-sepi-gelap",
    };
    let location = Location {
        coord: Coordinate::new(-6.2, 106.83).unwrap(),
        accuracy_m: Accuracy::metres(5.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: made_at,
    };
    let mut report = NewReport::with_id(ReportId::new(), kind, category, location, made_at)
        .unwrap()
        .in_area(area);
    if rated && kind == ReportKind::Audit {
        report = report.rate(ratings).unwrap();
    }
    let stamp = Stamp {
        hlc: Hlc {
            ms: made_at.millis(),
            n: 0,
        },
        op: OpId::new(),
    };
    let mut r = ronda_core::sync::ServerReport::create(report, UserId::new(), stamp, made_at);
    if refused {
        r.status = ronda_core::ReportStatus::Ditolak;
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Per RW and per kelurahan: the same audits and flags as a brute-force count by the area
    /// each is filed under, refused and unrated ones left out, every group under its minimum
    /// withheld, and flag counts only per kelurahan.
    #[test]
    fn public_areas_match_a_brute_force_count_and_withhold_small_groups(
        items in prop::collection::vec(
            (0usize..6, any::<bool>(), 0..YEAR_MS, ratings(), prop::bool::weighted(0.9), prop::bool::weighted(0.1)),
            0..120,
        ),
    ) {
        use ronda_core::safety::{MIN_FLAGS, public_areas};
        use ronda_core::{AreaCode, AreaLevel, ReportKind};
        let filed: [Option<AreaCode>; 6] = [
            Some("31.71.06.1001/RW 001/RT 001".parse().unwrap()),
            Some("31.71.06.1001/RW 001/RT 002".parse().unwrap()),
            Some("31.71.06.1001/RW 002".parse().unwrap()),
            Some("31.71.06.1002".parse().unwrap()),
            Some("31.71.06".parse().unwrap()),
            None,
        ];
        let as_of = mid_year();
        let reports: Vec<_> = items
            .iter()
            .map(|&(a, is_audit, ms, r, rated, refused)| {
                let kind = if is_audit { ReportKind::Audit } else { ReportKind::Rawan };
                stored(kind, filed[a], at(new_year().millis() + ms), r, rated, refused)
            })
            .collect();
        for level in [AreaLevel::Rw, AreaLevel::Kelurahan] {
            let got = public_areas(&reports, level, as_of);
            let mut audits: HashMap<(AreaCode, DayPart), Vec<Audit>> = HashMap::new();
            let mut flags: HashMap<(AreaCode, DayPart), u32> = HashMap::new();
            for (&(a, is_audit, ms, r, rated, refused), report) in items.iter().zip(&reports) {
                let Some(key) = filed[a].and_then(|c| c.ancestry().find(|x| x.level() == level)) else {
                    continue;
                };
                let made_at = at(new_year().millis() + ms);
                let part = naive_day_part(made_at);
                if refused {
                    continue;
                }
                if is_audit && rated {
                    audits.entry((key, part)).or_default().push(Audit {
                        id: report.report.id(),
                        at: report.report.location().coord,
                        made_at,
                        ratings: r,
                    });
                } else if !is_audit {
                    *flags.entry((key, part)).or_default() += 1;
                }
            }
            for g in &got {
                prop_assert_eq!(g.area.level(), level);
                let want = audits.get(&(g.area, g.day_part));
                match (&g.audits, want) {
                    (Some(s), Some(w)) => {
                        prop_assert!(w.len() as u32 >= MIN_AUDITS);
                        let refs: Vec<&Audit> = w.iter().collect();
                        assert_summaries_close(s, &brute_summary(&refs, as_of), "public_areas");
                    }
                    (None, w) => prop_assert!(w.is_none_or(|w| (w.len() as u32) < MIN_AUDITS)),
                    (Some(_), None) => prop_assert!(false, "a summary from nowhere"),
                }
                let n = flags.get(&(g.area, g.day_part)).copied().unwrap_or(0);
                if level == AreaLevel::Kelurahan && n >= MIN_FLAGS {
                    prop_assert_eq!(g.flags, Some(n));
                } else {
                    prop_assert_eq!(g.flags, None);
                }
                prop_assert!(g.audits.is_some() || g.flags.is_some(), "an empty area");
            }
            for (&(area, part), w) in audits.iter().filter(|(_, w)| w.len() as u32 >= MIN_AUDITS) {
                prop_assert!(got.iter().any(|g| g.area == area && g.day_part == part && g.audits.is_some_and(|s| s.n as usize == w.len())));
            }
            if level == AreaLevel::Kelurahan {
                for (&(area, part), &n) in flags.iter().filter(|(_, n)| **n >= MIN_FLAGS) {
                    prop_assert!(got.iter().any(|g| g.area == area && g.day_part == part && g.flags == Some(n)));
                }
            }
        }
    }
}
