//! Safety audits: what a person records about a place, Safetipin-style.
//!
//! An audit rates nine things about one place at one moment, each 0 to 3 against a short rubric
//! (see [`Parameter::rubric`]). Eight describe the place; the ninth, *rasa aman*, is how safe the
//! auditor felt there, kept apart as the outcome the other eight should explain (see
//! [`crate::safety`]).
//!
//! Every type here is valid by construction: a [`Rating`] is 0..=3, and [`AuditRatings`] holds
//! exactly one rating for each of the nine parameters.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};
use crate::id::ReportId;
use crate::location::Coordinate;
use crate::time::{Timestamp, wib};

/// One of the nine things an audit rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parameter {
    /// Lighting.
    Penerangan,
    /// Openness: can you see and move in all directions.
    Keterbukaan,
    /// Eyes on the street: shops, windows, vendors facing it.
    Visibilitas,
    /// People around.
    Keramaian,
    /// Police or guards present.
    Keamanan,
    /// A path to walk on.
    JalurPejalanKaki,
    /// Public transport nearby.
    TransportasiUmum,
    /// Women and children present.
    Keberagaman,
    /// How safe the auditor feels: the outcome, not part of the score.
    RasaAman,
}

impl Parameter {
    /// All nine, in the order the audit form asks them; [`Parameter::index`] is the position here.
    pub const ALL: [Parameter; 9] = [
        Parameter::Penerangan,
        Parameter::Keterbukaan,
        Parameter::Visibilitas,
        Parameter::Keramaian,
        Parameter::Keamanan,
        Parameter::JalurPejalanKaki,
        Parameter::TransportasiUmum,
        Parameter::Keberagaman,
        Parameter::RasaAman,
    ];

    /// The stable code, as stored and sent: `penerangan`, `jalur_pejalan_kaki`, `rasa_aman` …
    pub fn code(self) -> &'static str {
        match self {
            Parameter::Penerangan => "penerangan",
            Parameter::Keterbukaan => "keterbukaan",
            Parameter::Visibilitas => "visibilitas",
            Parameter::Keramaian => "keramaian",
            Parameter::Keamanan => "keamanan",
            Parameter::JalurPejalanKaki => "jalur_pejalan_kaki",
            Parameter::TransportasiUmum => "transportasi_umum",
            Parameter::Keberagaman => "keberagaman",
            Parameter::RasaAman => "rasa_aman",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Position in [`Parameter::ALL`] (0..9).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Parameter::Penerangan => lang.pick("Penerangan", "Lighting"),
            Parameter::Keterbukaan => lang.pick("Keterbukaan", "Openness"),
            Parameter::Visibilitas => lang.pick("Visibilitas", "Eyes on the street"),
            Parameter::Keramaian => lang.pick("Keramaian", "People around"),
            Parameter::Keamanan => lang.pick("Keamanan", "Police or guards"),
            Parameter::JalurPejalanKaki => lang.pick("Jalur pejalan kaki", "Walk path"),
            Parameter::TransportasiUmum => lang.pick("Transportasi umum", "Public transport"),
            Parameter::Keberagaman => lang.pick("Keberagaman", "Women and children"),
            Parameter::RasaAman => lang.pick("Rasa aman", "How safe you feel"),
        }
    }

    /// What each rating means, one short sentence per level 0, 1, 2, 3, written to be read on a
    /// phone at night.
    pub fn rubric(self, lang: Lang) -> [&'static str; 4] {
        match self {
            Parameter::Penerangan => lang.pick(
                [
                    "Gelap: tidak ada lampu, wajah orang tidak terlihat.",
                    "Remang-remang: sedikit lampu, banyak bagian gelap.",
                    "Cukup terang: jalan terlihat, ada sedikit bagian gelap.",
                    "Terang merata: semua bagian dan wajah orang terlihat jelas.",
                ],
                [
                    "Dark: no lights, you cannot see faces.",
                    "Dim: a few lights, many dark patches.",
                    "Lit: you can see the way, with a few dark patches.",
                    "Bright all over: every corner and every face is clear.",
                ],
            ),
            Parameter::Keterbukaan => lang.pick(
                [
                    "Tertutup: tidak bisa melihat ke sekitar, tidak ada jalan keluar lain.",
                    "Sempit: pandangan terhalang tembok, pagar, atau tikungan.",
                    "Cukup terbuka: sebagian besar arah terlihat.",
                    "Terbuka: bisa melihat dan bergerak ke segala arah.",
                ],
                [
                    "Closed in: you cannot see around you and there is no other way out.",
                    "Narrow: walls, fences or bends block the view.",
                    "Fairly open: you can see most directions.",
                    "Open: you can see and move in every direction.",
                ],
            ),
            Parameter::Visibilitas => lang.pick(
                [
                    "Tidak ada toko, jendela, atau pedagang yang menghadap ke sini.",
                    "Satu-dua jendela atau pedagang; hampir tidak ada yang bisa melihat Anda.",
                    "Beberapa toko, rumah, atau pedagang menghadap ke sini.",
                    "Banyak toko, jendela, dan pedagang; orang bisa melihat Anda.",
                ],
                [
                    "No shops, windows or vendors face this place.",
                    "One or two windows or vendors; hardly anyone could see you.",
                    "Some shops, homes or vendors face this place.",
                    "Many shops, windows and vendors; people can see you.",
                ],
            ),
            Parameter::Keramaian => lang.pick(
                [
                    "Sepi: tidak ada orang.",
                    "Sedikit orang: satu-dua orang lewat.",
                    "Cukup ramai: ada beberapa orang di dekat Anda.",
                    "Ramai: banyak orang di sekitar.",
                ],
                [
                    "Deserted: nobody around.",
                    "Few people: one or two pass by.",
                    "Some people: a few are near you.",
                    "Busy: many people around.",
                ],
            ),
            Parameter::Keamanan => lang.pick(
                [
                    "Tidak ada polisi, satpam, atau petugas ronda.",
                    "Petugas jauh, atau pos jaga kosong.",
                    "Ada satpam atau petugas ronda di dekat sini.",
                    "Polisi atau satpam terlihat jelas dan bisa dimintai tolong.",
                ],
                [
                    "No police, guards or night watch.",
                    "Guards are far away, or the guard post is empty.",
                    "A guard or the night watch is nearby.",
                    "Police or guards are in plain sight and could help you.",
                ],
            ),
            Parameter::JalurPejalanKaki => lang.pick(
                [
                    "Tidak ada trotoar: harus berjalan di jalan kendaraan.",
                    "Trotoar rusak, terputus, atau dipakai parkir dan dagang.",
                    "Ada trotoar yang bisa dilalui, dengan sedikit hambatan.",
                    "Trotoar baik, lebar, dan bebas hambatan.",
                ],
                [
                    "No footpath: you must walk in the road.",
                    "The footpath is broken, cut off, or taken by parking and stalls.",
                    "A usable footpath, with a few obstacles.",
                    "A good, wide, clear footpath.",
                ],
            ),
            Parameter::TransportasiUmum => lang.pick(
                [
                    "Tidak ada angkutan umum yang bisa dicapai dengan jalan kaki.",
                    "Ada angkutan umum, tapi jauh atau jarang lewat.",
                    "Halte, angkot, atau ojek dalam 5-10 menit jalan kaki.",
                    "Halte atau angkutan umum sangat dekat dan sering lewat.",
                ],
                [
                    "No public transport within walking distance.",
                    "Public transport exists, but it is far away or rare.",
                    "A stop, angkot or ojek within a 5-10 minute walk.",
                    "A stop right here, with frequent service.",
                ],
            ),
            Parameter::Keberagaman => lang.pick(
                [
                    "Tidak ada perempuan atau anak-anak.",
                    "Hanya satu-dua perempuan.",
                    "Ada beberapa perempuan dan anak-anak.",
                    "Banyak perempuan, anak-anak, dan keluarga.",
                ],
                [
                    "No women or children around.",
                    "Only one or two women.",
                    "Some women and children.",
                    "Many women, children and families.",
                ],
            ),
            Parameter::RasaAman => lang.pick(
                [
                    "Saya takut; saya tidak mau ke sini sendirian.",
                    "Saya merasa tidak nyaman.",
                    "Saya merasa cukup aman.",
                    "Saya merasa aman.",
                ],
                [
                    "I feel afraid; I would not come here alone.",
                    "I feel uneasy.",
                    "I feel fairly safe.",
                    "I feel safe.",
                ],
            ),
        }
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A rating that is not 0, 1, 2 or 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("rating {0} is outside 0..=3")]
pub struct RatingError(pub u8);

impl Coded for RatingError {
    fn code(&self) -> &'static str {
        "AUDIT_RATING_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        let v = self.0;
        lang.pick(
            format!("nilai {v} tidak sah: pilih 0, 1, 2, atau 3"),
            format!("rating {v} is invalid: choose 0, 1, 2 or 3"),
        )
    }
}

/// One parameter's rating: 0 (worst) to 3 (best). Serialised as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// The highest rating.
    pub const MAX: Rating = Rating(3);
    /// The lowest rating.
    pub const MIN: Rating = Rating(0);

    pub fn new(value: u8) -> Result<Self, RatingError> {
        if value <= 3 {
            Ok(Rating(value))
        } else {
            Err(RatingError(value))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = RatingError;
    fn try_from(value: u8) -> Result<Self, RatingError> {
        Rating::new(value)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One rating for each of the nine parameters. Serialised as an object keyed by the parameter
/// codes, every key required: `{"penerangan": 2, "keterbukaan": 1, …, "rasa_aman": 0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "RawRatings", into = "RawRatings")]
pub struct AuditRatings([Rating; 9]);

impl AuditRatings {
    /// Ratings in [`Parameter::ALL`] order.
    pub fn new(ratings: [Rating; 9]) -> Self {
        AuditRatings(ratings)
    }

    /// Ratings from plain numbers in [`Parameter::ALL`] order; refuses any outside 0..=3.
    pub fn from_values(values: [u8; 9]) -> Result<Self, RatingError> {
        let mut out = [Rating::MIN; 9];
        for (slot, v) in out.iter_mut().zip(values) {
            *slot = Rating::new(v)?;
        }
        Ok(AuditRatings(out))
    }

    /// Ratings given by a function of the parameter.
    pub fn from_fn(rate: impl FnMut(Parameter) -> Rating) -> Self {
        AuditRatings(Parameter::ALL.map(rate))
    }

    pub fn get(&self, p: Parameter) -> Rating {
        self.0[p.index()]
    }

    /// The same ratings with one changed.
    #[must_use]
    pub fn with(mut self, p: Parameter, r: Rating) -> Self {
        self.0[p.index()] = r;
        self
    }

    /// All nine in [`Parameter::ALL`] order.
    pub fn as_array(&self) -> &[Rating; 9] {
        &self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = (Parameter, Rating)> + '_ {
        Parameter::ALL.into_iter().zip(self.0)
    }
}

#[derive(Serialize, Deserialize)]
struct RawRatings {
    penerangan: Rating,
    keterbukaan: Rating,
    visibilitas: Rating,
    keramaian: Rating,
    keamanan: Rating,
    jalur_pejalan_kaki: Rating,
    transportasi_umum: Rating,
    keberagaman: Rating,
    rasa_aman: Rating,
}

impl From<RawRatings> for AuditRatings {
    fn from(r: RawRatings) -> Self {
        AuditRatings([
            r.penerangan,
            r.keterbukaan,
            r.visibilitas,
            r.keramaian,
            r.keamanan,
            r.jalur_pejalan_kaki,
            r.transportasi_umum,
            r.keberagaman,
            r.rasa_aman,
        ])
    }
}

impl From<AuditRatings> for RawRatings {
    fn from(a: AuditRatings) -> Self {
        let [
            penerangan,
            keterbukaan,
            visibilitas,
            keramaian,
            keamanan,
            jalur_pejalan_kaki,
            transportasi_umum,
            keberagaman,
            rasa_aman,
        ] = a.0;
        RawRatings {
            penerangan,
            keterbukaan,
            visibilitas,
            keramaian,
            keamanan,
            jalur_pejalan_kaki,
            transportasi_umum,
            keberagaman,
            rasa_aman,
        }
    }
}

/// Day or night in Jakarta, which audits and their aggregates are always split by: the same
/// street is a different place after dark.
///
/// *Malam* is 18:00 to 05:59 WIB, *siang* 06:00 to 17:59. Jakarta is 6° south of the equator,
/// so the day barely changes length over the year: sunset falls between about 17:45 and 18:15
/// WIB and sunrise between about 05:30 and 06:10. Fixed hours at 18:00 and 06:00 sit inside
/// those windows, need no astronomy, and match how people there speak of *malam*; the few
/// minutes of dusk or dawn on either side of the line fall on the side that is usually right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayPart {
    Siang,
    Malam,
}

/// The first hour of *malam*, WIB.
pub const NIGHT_STARTS_HOUR_WIB: i64 = 18;
/// The first hour of *siang*, WIB.
pub const DAY_STARTS_HOUR_WIB: i64 = 6;

impl DayPart {
    pub const ALL: [DayPart; 2] = [DayPart::Siang, DayPart::Malam];

    /// The day part of a moment, read in WIB.
    pub fn of(t: Timestamp) -> DayPart {
        // WIB is a fixed offset, so the local hour is plain arithmetic on the UTC milliseconds
        // (cheaper than building a local date-time, which matters for a million audits).
        const HOUR_MS: i64 = 3_600_000;
        let offset_ms = i64::from(wib().local_minus_utc()) * 1000;
        let hour = (t.millis() + offset_ms).rem_euclid(24 * HOUR_MS) / HOUR_MS;
        if (DAY_STARTS_HOUR_WIB..NIGHT_STARTS_HOUR_WIB).contains(&hour) {
            DayPart::Siang
        } else {
            DayPart::Malam
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DayPart::Siang => "siang",
            DayPart::Malam => "malam",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            DayPart::Siang => lang.pick("siang", "day"),
            DayPart::Malam => lang.pick("malam", "night"),
        }
    }
}

impl fmt::Display for DayPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One safety audit: nine ratings of one place at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    pub id: ReportId,
    pub at: Coordinate,
    pub made_at: Timestamp,
    pub ratings: AuditRatings,
}

impl Audit {
    /// The audit a report is, when it is a rated safety audit.
    pub fn of_report(report: &crate::report::NewReport) -> Option<Audit> {
        Some(Audit {
            id: report.id(),
            at: report.location().coord,
            made_at: report.created_at(),
            ratings: *report.ratings()?,
        })
    }

    /// Whether the audit was made by day or by night (WIB).
    pub fn day_part(&self) -> DayPart {
        DayPart::of(self.made_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_serde_agrees() {
        for p in Parameter::ALL {
            assert_eq!(Parameter::from_code(p.code()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.code())
            );
            assert_eq!(Parameter::ALL[p.index()], p);
            for lang in Lang::ALL {
                assert!(!p.name(lang).is_empty());
                for line in p.rubric(lang) {
                    assert!(line.ends_with('.') && line.len() <= 80, "{line}");
                }
            }
        }
        assert_eq!(Parameter::from_code("lighting"), None);
    }
}
