//! How safe a place is, from the audits made there: one audit's score, how well the score
//! explains how safe people felt, and the aggregates by H3 cell or by area that a map shows.
//!
//! # The score
//!
//! Each audit scores 0 to 100 from the eight parameters that describe the place:
//!
//! ```text
//! score = 100 × Σ wᵢ · ratingᵢ / 3        (i over the eight, Σ wᵢ = 1)
//! ```
//!
//! so an audit rating everything 0 scores 0 and one rating everything 3 scores 100. The ninth
//! parameter, *rasa aman* (how safe the auditor felt), is deliberately **not** in the score: it is
//! the outcome the other eight should explain. Keeping it out lets [`explained`] check the
//! weights against what people felt, and keeps the score about things an agency can change
//! (a lamp, a footpath, a guard post) rather than about a mood.
//!
//! | parameter | code | weight | why |
//! |---|---|---:|---|
//! | Penerangan (lighting) | `penerangan` | 0.20 | Put first by Safetipin-style and women's safety audits alike, and the most directly fixable (PJU). |
//! | Keterbukaan (openness) | `keterbukaan` | 0.15 | Seeing ahead and having a way out; blind corners and dead ends come next to darkness. |
//! | Visibilitas (eyes on the street) | `visibilitas` | 0.15 | Natural surveillance by shops, windows and vendors (Jacobs; CPTED). |
//! | Keramaian (people around) | `keramaian` | 0.12 | People nearby deter and can help, but a crowd can also hide harassment, so less than the physical three. |
//! | Keberagaman (women and children) | `keberagaman` | 0.12 | Women and children present signal a place already trusted by those most at risk. |
//! | Keamanan (police or guards) | `keamanan` | 0.10 | Formal guardians help, but are few and do not always reassure. |
//! | Jalur pejalan kaki (walk path) | `jalur_pejalan_kaki` | 0.08 | Being pushed into the road exposes you to traffic and to being cornered; less than seeing and being seen. |
//! | Transportasi umum (public transport) | `transportasi_umum` | 0.08 | A quick way to leave and a source of people and light, but an indirect one. |
//! | Rasa aman (how safe you feel) | `rasa_aman` | — | The outcome the eight should explain; not in the score. |
//!
//! The weights are a stated judgement following the literature's order, not a fit: once
//! Jakarta audits exist, [`explained`] shows how much of rasa aman they account for, against
//! what a free least-squares fit of the same eight accounts for.
//!
//! # Aggregates
//!
//! Audits are grouped by H3 cell and by [`DayPart`] (day and night are never mixed), at street
//! level ([`STREET_RES`]) and neighbourhood level ([`NEIGHBOURHOOD_RES`]), or by any area key
//! the caller gives ([`aggregate_by`]). Within a group every mean is weighted by age
//! ([`decay_weight`], half-life [`HALF_LIFE_DAYS`]), and a group is only shown once it holds
//! [`MIN_AUDITS`] audits. Neighbourhood cells are exactly the union of their street cells
//! ([`cell_of`] explains why and what it costs).

use std::collections::BTreeMap;

use h3o::{CellIndex, LatLng, Resolution};
use serde::Serialize;

use crate::area::{AreaCode, AreaLevel};
use crate::audit::{Audit, AuditRatings, DayPart, Parameter};
use crate::category::CategoryCode;
use crate::location::Coordinate;
use crate::time::Timestamp;

/// The weight of each of the eight place parameters in [`score`]; they sum to 1. Rasa aman is
/// not here (see the module documentation for the table and the reasons).
pub const WEIGHTS: [(Parameter, f64); 8] = [
    // Lighting: the first thing every safety audit asks about, and the most fixable.
    (Parameter::Penerangan, 0.20),
    // Openness: seeing ahead and having a way out.
    (Parameter::Keterbukaan, 0.15),
    // Eyes on the street: natural surveillance.
    (Parameter::Visibilitas, 0.15),
    // People around: deterrence and help, but crowds cut both ways.
    (Parameter::Keramaian, 0.12),
    // Police or guards: present in few places, and not always reassuring.
    (Parameter::Keamanan, 0.10),
    // Walk path: not being pushed into the road.
    (Parameter::JalurPejalanKaki, 0.08),
    // Public transport: a way out, indirectly.
    (Parameter::TransportasiUmum, 0.08),
    // Women and children present: the place is trusted by those most at risk.
    (Parameter::Keberagaman, 0.12),
];

// The weights are checked when the crate compiles: they sum to 1 and leave rasa aman out.
const _: () = {
    let mut sum = 0.0;
    let mut i = 0;
    while i < WEIGHTS.len() {
        assert!(!matches!(WEIGHTS[i].0, Parameter::RasaAman));
        assert!(WEIGHTS[i].1 > 0.0);
        sum += WEIGHTS[i].1;
        i += 1;
    }
    assert!((sum - 1.0f64).abs() < 1e-12);
};

/// An audit's score, 0 to 100, from the eight place parameters (rasa aman is ignored).
pub fn score(ratings: &AuditRatings) -> f64 {
    let weighted: f64 = WEIGHTS
        .iter()
        .map(|&(p, w)| w * f64::from(ratings.get(p).get()))
        .sum();
    (100.0 * weighted / 3.0).clamp(0.0, 100.0)
}

/// How a score reads to the people it describes, worst first: the words and colours of the
/// safety map, the audit pins and an audit's result all follow these bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 0–39: unsafe.
    Rawan,
    /// 40–59: not safe enough.
    Kurang,
    /// 60–79: safe enough.
    Cukup,
    /// 80–100: safe.
    Aman,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Rawan, Band::Kurang, Band::Cukup, Band::Aman];

    /// The lowest and the highest whole score in the band.
    pub const fn range(self) -> (u8, u8) {
        match self {
            Band::Rawan => (0, 39),
            Band::Kurang => (40, 59),
            Band::Cukup => (60, 79),
            Band::Aman => (80, 100),
        }
    }

    /// The band of a 0–100 score, by the whole number a user is shown: 39.6 shows as 40, so it
    /// is `Kurang`. Scores outside 0–100 fall in the nearest band; a score that is not a number
    /// reads as `Rawan`, never as safe.
    pub fn of(score: f64) -> Band {
        let shown = if score.is_nan() { 0.0 } else { score.round() };
        Band::ALL
            .into_iter()
            .find(|band| shown <= f64::from(band.range().1))
            .unwrap_or(Band::Aman)
    }

    /// The band of a 0–3 rating, read as a share of the best rating, as its bar is coloured.
    pub fn of_rating(value: f64) -> Band {
        Band::of(100.0 * value / 3.0)
    }
}

/// How well the score's eight parameters explain rasa aman in a set of audits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fit {
    /// Audits used.
    pub n: usize,
    /// Pearson correlation between [`score`] and the rasa aman rating, −1 to 1.
    pub correlation: f64,
    /// R² of the ordinary least-squares fit of rasa aman on the eight ratings (with an
    /// intercept), 0 to 1: the share of rasa aman's variance the eight explain when each is
    /// free to take its best weight. Compare it with `correlation²`, the share the fixed
    /// [`WEIGHTS`] explain: a large gap means the weights should be revisited.
    pub r_squared: f64,
}

/// Fewer audits than this and [`explained`] gives no answer: nine coefficients need more data
/// than that to mean anything.
pub const MIN_FIT_AUDITS: usize = 10;

/// How well the eight place parameters explain rasa aman in `audits`; see [`Fit`].
///
/// `None` when there are fewer than [`MIN_FIT_AUDITS`] audits, when the least-squares normal
/// equations are singular (e.g. a parameter rated the same in every audit, or two parameters
/// always rated alike), or when the score or rasa aman does not vary (neither measure is then
/// defined).
pub fn explained(audits: &[AuditRatings]) -> Option<Fit> {
    if audits.len() < MIN_FIT_AUDITS {
        return None;
    }
    let n = audits.len() as f64;
    let outcome = |r: &AuditRatings| f64::from(r.get(Parameter::RasaAman).get());

    // Pearson correlation, two passes for accuracy.
    let mean_score = audits.iter().map(score).sum::<f64>() / n;
    let mean_outcome = audits.iter().map(outcome).sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for r in audits {
        let dx = score(r) - mean_score;
        let dy = outcome(r) - mean_outcome;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    let correlation = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);

    // Least squares: rasa aman ≈ β₀ + Σ βᵢ · ratingᵢ. Normal equations (XᵀX) β = Xᵀy, 9 × 9,
    // augmented with Xᵀy as the tenth column.
    let row = |r: &AuditRatings| -> [f64; 9] {
        let mut x = [1.0; 9];
        for (slot, &(p, _)) in x[1..].iter_mut().zip(&WEIGHTS) {
            *slot = f64::from(r.get(p).get());
        }
        x
    };
    let mut system = [[0.0; 10]; 9];
    for r in audits {
        let x = row(r);
        let y = outcome(r);
        for (i, eq) in system.iter_mut().enumerate() {
            for (j, &xj) in x.iter().enumerate() {
                eq[j] += x[i] * xj;
            }
            eq[9] += x[i] * y;
        }
    }
    let beta = solve(system)?;
    let ss_res: f64 = audits
        .iter()
        .map(|r| {
            let fitted: f64 = row(r).iter().zip(&beta).map(|(x, b)| x * b).sum();
            (outcome(r) - fitted).powi(2)
        })
        .sum();
    let r_squared = (1.0 - ss_res / syy).clamp(0.0, 1.0);
    Some(Fit {
        n: audits.len(),
        correlation,
        r_squared,
    })
}

/// Solves a 9 × 9 system given as its augmented matrix, by Gaussian elimination with partial
/// pivoting. `None` if a pivot is negligible next to the matrix's largest entry (singular, or
/// too close to it for the answer to mean anything).
fn solve(mut a: [[f64; 10]; 9]) -> Option<[f64; 9]> {
    const N: usize = 9;
    let scale = a
        .iter()
        .flat_map(|row| row[..N].iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let tolerance = scale * 1e-10;
    if tolerance <= 0.0 || !tolerance.is_finite() {
        return None;
    }
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= tolerance {
            return None;
        }
        a.swap(col, pivot);
        let head = a[col];
        for row in a.iter_mut().skip(col + 1) {
            let factor = row[col] / head[col];
            if factor != 0.0 {
                for (v, h) in row[col..].iter_mut().zip(&head[col..]) {
                    *v -= factor * h;
                }
            }
        }
    }
    let mut x = [0.0; N];
    for i in (0..N).rev() {
        let tail: f64 = (i + 1..N).map(|j| a[i][j] * x[j]).sum();
        x[i] = (a[i][N] - tail) / a[i][i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Street level: H3 resolution 10, hexagons with an average edge of about 75.9 m and an average
/// area of about 15,000 m² (h3o's `Resolution::edge_length_m` / `area_m2`, H3 v4 figures;
/// older H3 tables gave ~66 m). About one block of a Jakarta kampung, or one stretch of a main
/// road between two junctions.
pub const STREET_RES: Resolution = Resolution::Ten;

/// Neighbourhood level: H3 resolution 8, hexagons with an average edge of about 531 m and an
/// average area of about 0.74 km² (H3 v4 figures; older tables gave ~461 m). Each holds 49
/// street cells, and is roughly the size of an RW or a small kelurahan.
pub const NEIGHBOURHOOD_RES: Resolution = Resolution::Eight;

/// No score is shown for a group with fewer audits than this. One audit is one person's
/// evening: a power cut, a rainstorm, a bad encounter or a festival can make a street look far
/// worse or better than it usually is, and a single audit shown on a public map can also point
/// at the person who made it. Three independent visits are the least that averages out one bad
/// night and hides any one auditor.
pub const MIN_AUDITS: u32 = 3;

/// An audit's weight halves every this many days. Streets change with the seasons (lamps fail
/// and are fixed, vendors come and go, the rainy season empties the pavements), so an audit
/// from last year should count, but less than this month's: at 180 days a year-old audit
/// weighs ¼ and a two-year-old one 1/16, still enough to speak for a street no one has audited
/// since, and easily outvoted by any fresh audit.
pub const HALF_LIFE_DAYS: f64 = 180.0;

const DAY_MS: f64 = 86_400_000.0;

/// The weight of an audit made at `made_at`, seen at `as_of`: 0.5^(age in days /
/// [`HALF_LIFE_DAYS`]), 1 for an audit made at or after `as_of`. It never quite reaches zero
/// (it stops at the smallest normal `f64`), so even a group of very old audits has a mean.
pub fn decay_weight(made_at: Timestamp, as_of: Timestamp) -> f64 {
    let age_ms = as_of.millis().saturating_sub(made_at.millis());
    if age_ms <= 0 {
        return 1.0;
    }
    let age_days = age_ms as f64 / DAY_MS;
    (-age_days / HALF_LIFE_DAYS).exp2().max(f64::MIN_POSITIVE)
}

/// The H3 cell an audit made at `at` counts in at resolution `res`.
///
/// At [`STREET_RES`] and finer, the cell the point falls in. At coarser resolutions, the
/// ancestor of its street cell (`parent()`), **not** the coarse cell the point falls in. H3
/// cells do not nest exactly: a child hexagon can stick out of its parent by a sliver, so near
/// a neighbourhood cell's edge the two differ (for a few per cent of points; the bench counts
/// them). Going through the street cell makes the aggregates nest exactly instead: every
/// neighbourhood cell holds precisely the audits of its 49 street cells, so zooming the map
/// in or out never moves an audit from one hexagon to a neighbouring one, one stored cell id
/// per audit is enough to derive every coarser level, and [`aggregate_both`] (one conversion
/// per audit) gives the same cells as two [`aggregate`] calls. The price is that an audit
/// within about one street cell (≲ 150 m) of a neighbourhood edge may count on the other side.
pub fn cell_of(at: Coordinate, res: Resolution) -> CellIndex {
    if res >= STREET_RES {
        point_cell(at, res)
    } else {
        street_parent(point_cell(at, STREET_RES), res)
    }
}

fn point_cell(at: Coordinate, res: Resolution) -> CellIndex {
    LatLng::new(at.lat(), at.lon())
        .expect("a Coordinate is finite and in range")
        .to_cell(res)
}

fn street_parent(street: CellIndex, res: Resolution) -> CellIndex {
    street
        .parent(res)
        .expect("only called for resolutions coarser than the street cell's")
}

/// What a group of audits says, with every mean weighted by age ([`decay_weight`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Audits in the group.
    pub n: u32,
    /// Sum of their weights.
    pub weight: f64,
    /// Weighted mean [`score`], 0 to 100.
    pub score: f64,
    /// Weighted mean rating, 0 to 3, of each parameter in [`Parameter::ALL`] order (rasa aman
    /// last).
    pub per_parameter: [f64; 9],
    /// When the newest and the oldest audit in the group were made.
    pub newest: Timestamp,
    pub oldest: Timestamp,
}

impl Summary {
    /// Whether the group has enough audits ([`MIN_AUDITS`]) for its score to be shown.
    pub fn shown(&self) -> bool {
        self.n >= MIN_AUDITS
    }

    /// The weighted mean rating of one parameter, 0 to 3.
    pub fn mean(&self, p: Parameter) -> f64 {
        self.per_parameter[p.index()]
    }
}

/// The audits in one H3 cell in one day part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub h3: CellIndex,
    pub day_part: DayPart,
    /// Audits in the cell.
    pub n: u32,
    /// Sum of their weights ([`decay_weight`]).
    pub weight: f64,
    /// Weighted mean [`score`], 0 to 100.
    pub score: f64,
    /// Weighted mean rating, 0 to 3, of each parameter in [`Parameter::ALL`] order (rasa aman
    /// last).
    pub per_parameter: [f64; 9],
    pub newest: Timestamp,
    pub oldest: Timestamp,
}

impl Cell {
    /// Whether the cell has enough audits ([`MIN_AUDITS`]) for its score to be shown.
    pub fn shown(&self) -> bool {
        self.n >= MIN_AUDITS
    }

    pub fn summary(&self) -> Summary {
        Summary {
            n: self.n,
            weight: self.weight,
            score: self.score,
            per_parameter: self.per_parameter,
            newest: self.newest,
            oldest: self.oldest,
        }
    }
}

/// What aggregation needs of one audit, computed once.
#[derive(Clone, Copy)]
struct Weighed {
    weight: f64,
    score: f64,
    ratings: [u8; 9],
    made_at: Timestamp,
}

impl Weighed {
    fn new(audit: &Audit, as_of: Timestamp) -> Self {
        Weighed {
            weight: decay_weight(audit.made_at, as_of),
            score: score(&audit.ratings),
            ratings: audit.ratings.as_array().map(|r| r.get()),
            made_at: audit.made_at,
        }
    }
}

/// Running weighted sums for one group.
struct Sums {
    n: u32,
    weight: f64,
    score: f64,
    per_parameter: [f64; 9],
    newest: Timestamp,
    oldest: Timestamp,
}

impl Sums {
    fn new(first: Timestamp) -> Self {
        Sums {
            n: 0,
            weight: 0.0,
            score: 0.0,
            per_parameter: [0.0; 9],
            newest: first,
            oldest: first,
        }
    }

    fn add(&mut self, item: &Weighed) {
        self.n = self.n.saturating_add(1);
        self.weight += item.weight;
        self.score += item.weight * item.score;
        for (sum, &r) in self.per_parameter.iter_mut().zip(&item.ratings) {
            *sum += item.weight * f64::from(r);
        }
        self.newest = self.newest.max(item.made_at);
        self.oldest = self.oldest.min(item.made_at);
    }

    fn finish(self) -> Summary {
        let w = self.weight;
        Summary {
            n: self.n,
            weight: w,
            score: (self.score / w).clamp(0.0, 100.0),
            per_parameter: self.per_parameter.map(|s| (s / w).clamp(0.0, 3.0)),
            newest: self.newest,
            oldest: self.oldest,
        }
    }
}

/// Groups audits by cell and day part, given each audit's cell (`keys[k] = (cell, part, i)`
/// with `i` the audit's position in `items`).
fn fold(items: &[Weighed], mut keys: Vec<(CellIndex, DayPart, usize)>) -> Vec<Cell> {
    // Sorting the whole tuple makes the order of summation, and so the last bits of every
    // mean, depend only on the input.
    keys.sort_unstable();
    let mut cells = Vec::new();
    let mut run = keys.iter().peekable();
    while let Some(&(h3, day_part, first)) = run.next() {
        let mut sums = Sums::new(items[first].made_at);
        sums.add(&items[first]);
        while let Some(&(_, _, i)) = run.next_if(|&&(c, d, _)| c == h3 && d == day_part) {
            sums.add(&items[i]);
        }
        let s = sums.finish();
        cells.push(Cell {
            h3,
            day_part,
            n: s.n,
            weight: s.weight,
            score: s.score,
            per_parameter: s.per_parameter,
            newest: s.newest,
            oldest: s.oldest,
        });
    }
    cells
}

/// The audits grouped by H3 cell at `res` (see [`cell_of`] for which cell an audit counts in)
/// and by day part, sorted by cell then day part. Ages are measured at `as_of`.
pub fn aggregate(audits: &[Audit], res: Resolution, as_of: Timestamp) -> Vec<Cell> {
    let items: Vec<Weighed> = audits.iter().map(|a| Weighed::new(a, as_of)).collect();
    let keys = audits
        .iter()
        .enumerate()
        .map(|(i, a)| (cell_of(a.at, res), a.day_part(), i))
        .collect();
    fold(&items, keys)
}

/// [`aggregate`] at [`STREET_RES`] and at [`NEIGHBOURHOOD_RES`] at once: (street cells,
/// neighbourhood cells). Each audit's street cell is computed once and its neighbourhood cell
/// derived from it with `parent()` (a few bit operations instead of a second
/// latitude/longitude conversion); the weights and scores are computed once for both. The
/// result equals `(aggregate(audits, STREET_RES, as_of), aggregate(audits,
/// NEIGHBOURHOOD_RES, as_of))` exactly, because [`cell_of`] defines the coarse cell the same
/// way.
pub fn aggregate_both(audits: &[Audit], as_of: Timestamp) -> (Vec<Cell>, Vec<Cell>) {
    let items: Vec<Weighed> = audits.iter().map(|a| Weighed::new(a, as_of)).collect();
    let street: Vec<(CellIndex, DayPart, usize)> = audits
        .iter()
        .enumerate()
        .map(|(i, a)| (cell_of(a.at, STREET_RES), a.day_part(), i))
        .collect();
    let neighbourhood = street
        .iter()
        .map(|&(cell, part, i)| (street_parent(cell, NEIGHBOURHOOD_RES), part, i))
        .collect();
    (fold(&items, street), fold(&items, neighbourhood))
}

/// The audits grouped by an area key the caller gives for each (an RW, a kelurahan …) and by
/// day part. Ages are measured at `as_of`.
pub fn aggregate_by<K: Ord + Clone>(
    audits: &[(K, &Audit)],
    as_of: Timestamp,
) -> BTreeMap<(K, DayPart), Summary> {
    let mut groups: BTreeMap<(K, DayPart), Sums> = BTreeMap::new();
    for (key, audit) in audits {
        let item = Weighed::new(audit, as_of);
        groups
            .entry((key.clone(), audit.day_part()))
            .or_insert_with(|| Sums::new(item.made_at))
            .add(&item);
    }
    groups
        .into_iter()
        .map(|(key, sums)| (key, sums.finish()))
        .collect()
}

/// What a rating of 0 asks to be fixed: the parameter and the report category that goes to the
/// body that can fix it.
pub const FIXES: [(Parameter, &str); 2] = [
    (Parameter::Penerangan, "pju-mati"),
    (Parameter::JalurPejalanKaki, "trotoar-rusak"),
];

/// The reports an audit suggests: one per parameter rated 0 that a report can fix, in
/// [`FIXES`] order.
pub fn fixes_for(ratings: &AuditRatings) -> Vec<CategoryCode> {
    FIXES
        .iter()
        .filter(|(p, _)| ratings.get(*p).get() == 0)
        .map(|(_, c)| {
            crate::category::lookup(c)
                .expect("a catalogue category")
                .code()
        })
        .collect()
}

/// Unsafe-place flags reach the public only as a count per neighbourhood cell and day part,
/// and only from this many in one: fewer could point at the people who made them.
pub const MIN_FLAGS: u32 = 5;

/// An unsafe-place (`rawan`) flag as the public layer counts it: where and when, nothing of who.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawanFlag {
    pub at: Coordinate,
    pub made_at: Timestamp,
}

/// One stored report as the public layers count it.
enum Input {
    Audit(Audit),
    Flag(RawanFlag),
}

/// The stored reports that count, with the area each is filed under: the rated audits, and the
/// flags still standing (a refused flag or one merged into another counts nowhere).
fn standing(
    reports: &[crate::sync::ServerReport],
) -> impl Iterator<Item = (Option<AreaCode>, Input)> + '_ {
    use crate::report::{ReportKind, ReportStatus};
    reports
        .iter()
        .filter(|r| !matches!(r.status, ReportStatus::Ditolak | ReportStatus::Duplikat))
        .filter_map(|r| {
            let input = match r.report.kind() {
                ReportKind::Audit => Input::Audit(Audit::of_report(&r.report)?),
                ReportKind::Rawan => Input::Flag(RawanFlag {
                    at: r.report.location().coord,
                    made_at: r.report.created_at(),
                }),
                ReportKind::Laporan => return None,
            };
            Some((r.report.area().copied(), input))
        })
}

/// What the public cell layers count of stored reports: the rated audits and the standing
/// flags.
pub fn public_inputs(reports: &[crate::sync::ServerReport]) -> (Vec<Audit>, Vec<RawanFlag>) {
    let mut audits = Vec::new();
    let mut flags = Vec::new();
    for (_, input) in standing(reports) {
        match input {
            Input::Audit(a) => audits.push(a),
            Input::Flag(f) => flags.push(f),
        }
    }
    (audits, flags)
}

/// What anyone may see of one RW or kelurahan in one day part: the same rules as a cell's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublicArea {
    pub area: AreaCode,
    pub day_part: DayPart,
    /// The audits' summary, when there are at least [`MIN_AUDITS`].
    pub audits: Option<Summary>,
    /// The number of flags, when there are at least [`MIN_FLAGS`] (kelurahan only: an RW is
    /// small enough for a handful of flags to point at a few houses).
    pub flags: Option<u32>,
}

/// The public safety aggregates per area at `level` ([`AreaLevel::Rw`] or
/// [`AreaLevel::Kelurahan`]), from stored reports filed at that level or below; a report filed
/// above it counts in none. Every group under its minimum withheld; sorted by area, then day
/// part.
pub fn public_areas(
    reports: &[crate::sync::ServerReport],
    level: AreaLevel,
    as_of: Timestamp,
) -> Vec<PublicArea> {
    let at_level = |area: Option<AreaCode>| area?.ancestry().find(|a| a.level() == level);
    let mut audits = Vec::new();
    let mut flag_counts: BTreeMap<(AreaCode, DayPart), u32> = BTreeMap::new();
    for (area, input) in standing(reports) {
        let Some(key) = at_level(area) else { continue };
        match input {
            Input::Audit(a) => audits.push((key, a)),
            Input::Flag(f) => {
                *flag_counts
                    .entry((key, DayPart::of(f.made_at)))
                    .or_default() += 1
            }
        }
    }
    let refs: Vec<(AreaCode, &Audit)> = audits.iter().map(|(k, a)| (*k, a)).collect();
    let mut areas: BTreeMap<(AreaCode, DayPart), PublicArea> = aggregate_by(&refs, as_of)
        .into_iter()
        .filter(|(_, s)| s.shown())
        .map(|((area, day_part), s)| {
            let shown = PublicArea {
                area,
                day_part,
                audits: Some(s),
                flags: None,
            };
            ((area, day_part), shown)
        })
        .collect();
    if level == AreaLevel::Kelurahan {
        for ((area, day_part), n) in flag_counts.into_iter().filter(|(_, n)| *n >= MIN_FLAGS) {
            areas
                .entry((area, day_part))
                .or_insert(PublicArea {
                    area,
                    day_part,
                    audits: None,
                    flags: None,
                })
                .flags = Some(n);
        }
    }
    areas.into_values().collect()
}

/// What anyone may see of one H3 cell in one day part. A cell appears only when it has
/// [`MIN_AUDITS`] audits or [`MIN_FLAGS`] flags; it never carries a point or a person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublicCell {
    pub h3: CellIndex,
    pub day_part: DayPart,
    /// The audits' summary, when there are enough of them.
    pub audits: Option<Summary>,
    /// The number of flags, when there are enough of them (neighbourhood cells only).
    pub flags: Option<u32>,
}

/// The public safety layer at `res` ([`STREET_RES`] or [`NEIGHBOURHOOD_RES`]): audit summaries
/// per cell and day part, and at neighbourhood level the number of flags; every group under
/// its minimum withheld. Sorted by cell, then day part.
pub fn public_layer(
    audits: &[Audit],
    flags: &[RawanFlag],
    res: Resolution,
    as_of: Timestamp,
) -> Vec<PublicCell> {
    let mut cells: BTreeMap<(CellIndex, DayPart), PublicCell> = BTreeMap::new();
    for c in aggregate(audits, res, as_of)
        .into_iter()
        .filter(Cell::shown)
    {
        cells.insert(
            (c.h3, c.day_part),
            PublicCell {
                h3: c.h3,
                day_part: c.day_part,
                audits: Some(c.summary()),
                flags: None,
            },
        );
    }
    if res <= NEIGHBOURHOOD_RES {
        let mut counts: BTreeMap<(CellIndex, DayPart), u32> = BTreeMap::new();
        for f in flags {
            *counts
                .entry((cell_of(f.at, res), DayPart::of(f.made_at)))
                .or_default() += 1;
        }
        for ((h3, day_part), n) in counts.into_iter().filter(|(_, n)| *n >= MIN_FLAGS) {
            cells
                .entry((h3, day_part))
                .or_insert(PublicCell {
                    h3,
                    day_part,
                    audits: None,
                    flags: None,
                })
                .flags = Some(n);
        }
    }
    cells.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_whole_score_once_in_order() {
        let mut next = 0u8;
        for band in Band::ALL {
            let (low, high) = band.range();
            assert_eq!(low, next, "{band:?} starts where the one before ended");
            assert!(high >= low);
            for whole in low..=high {
                assert_eq!(Band::of(f64::from(whole)), band);
            }
            next = high + 1;
        }
        assert_eq!(next, 101);
    }

    #[test]
    fn a_score_falls_in_the_band_of_the_number_shown() {
        assert_eq!(Band::of(39.4), Band::Rawan);
        assert_eq!(Band::of(39.6), Band::Kurang);
        assert_eq!(Band::of(79.5), Band::Aman);
        assert_eq!(Band::of(-3.0), Band::Rawan);
        assert_eq!(Band::of(130.0), Band::Aman);
        assert_eq!(Band::of(f64::NAN), Band::Rawan);
        assert_eq!(Band::of_rating(0.0), Band::Rawan);
        assert_eq!(Band::of_rating(1.5), Band::Kurang);
        assert_eq!(Band::of_rating(2.0), Band::Cukup);
        assert_eq!(Band::of_rating(3.0), Band::Aman);
    }

    #[test]
    fn solves_a_known_system() {
        // x_i = i + 1 for a diagonal-dominant matrix.
        let want: [f64; 9] = std::array::from_fn(|i| (i + 1) as f64);
        let a: [[f64; 10]; 9] = std::array::from_fn(|i| {
            let mut row: [f64; 10] = std::array::from_fn(|j| {
                if i == j {
                    10.0
                } else {
                    1.0 / (1 + i + j) as f64
                }
            });
            row[9] = row[..9].iter().zip(&want).map(|(a, x)| a * x).sum();
            row
        });
        let got = solve(a).unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
        let mut singular = a;
        singular[3] = singular[2];
        assert_eq!(solve(singular), None);
    }
}
