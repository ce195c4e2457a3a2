//! The category catalogue: what a report is about, which kinds of report it fits, and which
//! body is responsible for it by default (the kewenangan matrix refines this per area later).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::i18n::{Coded, Lang};
use crate::report::ReportKind;

/// A category's stable code: lowercase ASCII words joined by `-`, e.g. `jalan-rusak`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    #[error("{0:?} is not a category code (lowercase words joined by '-', 2 to 40 characters)")]
    Malformed(String),
    #[error("no category {0:?} in the catalogue")]
    Unknown(String),
    #[error("category {category} cannot be used for a {kind} report")]
    WrongKind { category: String, kind: ReportKind },
}

impl Coded for CategoryError {
    fn code(&self) -> &'static str {
        match self {
            CategoryError::Malformed(_) | CategoryError::Unknown(_) => "CATEGORY_UNKNOWN",
            CategoryError::WrongKind { .. } => "CATEGORY_WRONG_KIND",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            CategoryError::Malformed(c) | CategoryError::Unknown(c) => lang.pick(
                format!("kategori {c:?} tidak dikenal; lihat `ronda categories`"),
                format!("unknown category {c:?}; see `ronda categories`"),
            ),
            CategoryError::WrongKind { category, kind } => lang.pick(
                format!(
                    "kategori {category} tidak bisa dipakai untuk {}",
                    kind.name(Lang::Id)
                ),
                format!(
                    "category {category} cannot be used for a {}",
                    kind.name(Lang::En)
                ),
            ),
        }
    }
}

impl CategoryCode {
    pub fn parse(s: &str) -> Result<Self, CategoryError> {
        let ok = (2..=40).contains(&s.len())
            && s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(CategoryError::Malformed(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryCode {
    type Error = CategoryError;
    fn try_from(s: String) -> Result<Self, CategoryError> {
        Self::parse(&s)
    }
}

impl From<CategoryCode> for String {
    fn from(c: CategoryCode) -> String {
        c.0
    }
}

impl FromStr for CategoryCode {
    type Err = CategoryError;
    fn from_str(s: &str) -> Result<Self, CategoryError> {
        Self::parse(s)
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub code: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
    pub kinds: &'static [ReportKind],
    pub agency: AgencyCode,
    /// A life-threatening emergency: the UI sends the person to 112 (emergencies) or 113 (fire)
    /// before anything else; a report is a record, not a rescue.
    pub emergency: bool,
    /// An icon name the UI maps to a bundled glyph.
    pub icon: &'static str,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name_id, self.name_en)
    }

    pub fn applies_to(&self, kind: ReportKind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn code(&self) -> CategoryCode {
        CategoryCode(self.code.to_owned())
    }
}

use ReportKind::{Audit, Laporan, Rawan};

const fn cat(
    code: &'static str,
    name_id: &'static str,
    name_en: &'static str,
    kinds: &'static [ReportKind],
    agency: AgencyCode,
    icon: &'static str,
) -> Category {
    Category {
        code,
        name_id,
        name_en,
        kinds,
        agency,
        emergency: false,
        icon,
    }
}

const fn emergency(mut c: Category) -> Category {
    c.emergency = true;
    c
}

/// The seeded catalogue of real Jakarta report categories.
pub static CATALOGUE: &[Category] = &[
    cat(
        "jalan-rusak",
        "Jalan rusak / berlubang",
        "Damaged road / pothole",
        &[Laporan, Rawan],
        AgencyCode::BinaMarga,
        "road",
    ),
    cat(
        "trotoar-rusak",
        "Trotoar rusak",
        "Damaged pavement",
        &[Laporan, Rawan],
        AgencyCode::BinaMarga,
        "sidewalk",
    ),
    cat(
        "pju-mati",
        "PJU mati",
        "Street light out",
        &[Laporan],
        AgencyCode::BinaMarga,
        "streetlight",
    ),
    cat(
        "kabel-semrawut",
        "Kabel semrawut / menjuntai",
        "Tangled or hanging cables",
        &[Laporan, Rawan],
        AgencyCode::BinaMarga,
        "cable",
    ),
    cat(
        "banjir",
        "Banjir / genangan",
        "Flood / standing water",
        &[Laporan],
        AgencyCode::SumberDayaAir,
        "flood",
    ),
    cat(
        "saluran-tersumbat",
        "Saluran air tersumbat",
        "Blocked drain",
        &[Laporan],
        AgencyCode::SumberDayaAir,
        "drain",
    ),
    cat(
        "sampah-menumpuk",
        "Sampah menumpuk",
        "Rubbish piling up",
        &[Laporan],
        AgencyCode::LingkunganHidup,
        "trash",
    ),
    cat(
        "pencemaran",
        "Pencemaran / limbah",
        "Pollution / waste dumping",
        &[Laporan],
        AgencyCode::LingkunganHidup,
        "pollution",
    ),
    cat(
        "pohon-tumbang",
        "Pohon tumbang / rawan tumbang",
        "Fallen tree / tree about to fall",
        &[Laporan, Rawan],
        AgencyCode::PertamananHutanKota,
        "tree",
    ),
    cat(
        "taman-rusak",
        "Taman rusak / tidak terawat",
        "Damaged or neglected park",
        &[Laporan],
        AgencyCode::PertamananHutanKota,
        "park",
    ),
    cat(
        "parkir-liar",
        "Parkir liar",
        "Illegal parking",
        &[Laporan],
        AgencyCode::Perhubungan,
        "parking",
    ),
    cat(
        "lampu-lalu-lintas",
        "Lampu lalu lintas mati",
        "Traffic light out",
        &[Laporan, Rawan],
        AgencyCode::Perhubungan,
        "traffic-light",
    ),
    cat(
        "pkl-trotoar",
        "PKL di trotoar",
        "Street vendors blocking the pavement",
        &[Laporan],
        AgencyCode::SatpolPp,
        "vendor",
    ),
    cat(
        "bangunan-liar",
        "Bangunan liar",
        "Illegal building",
        &[Laporan],
        AgencyCode::CitaTata,
        "building",
    ),
    cat(
        "fasilitas-umum-rusak",
        "Fasilitas umum rusak",
        "Damaged public facility",
        &[Laporan],
        AgencyCode::CitaTata,
        "facility",
    ),
    cat(
        "sarang-nyamuk",
        "Jentik / sarang nyamuk DBD",
        "Dengue mosquito breeding site",
        &[Laporan],
        AgencyCode::Kesehatan,
        "mosquito",
    ),
    cat(
        "orang-terlantar",
        "Orang terlantar",
        "Person in need of care",
        &[Laporan],
        AgencyCode::Sosial,
        "person",
    ),
    cat(
        "gangguan-ketertiban",
        "Gangguan ketertiban umum",
        "Public disturbance",
        &[Laporan, Rawan],
        AgencyCode::SatpolPp,
        "noise",
    ),
    emergency(cat(
        "kebakaran",
        "Kebakaran",
        "Fire",
        &[Laporan],
        AgencyCode::Gulkarmat,
        "fire",
    )),
    cat(
        "penerangan-kurang",
        "Penerangan kurang",
        "Poor lighting",
        &[Rawan, Laporan],
        AgencyCode::BinaMarga,
        "dark",
    ),
    cat(
        "lokasi-sepi-gelap",
        "Lokasi sepi / gelap",
        "Deserted / dark place",
        &[Rawan],
        AgencyCode::Kelurahan,
        "lonely",
    ),
    cat(
        "rawan-kejahatan",
        "Rawan kejahatan",
        "Crime hotspot",
        &[Rawan],
        AgencyCode::Polri,
        "crime",
    ),
    cat(
        "pelecehan",
        "Pelecehan / kekerasan seksual",
        "Harassment / sexual violence",
        &[Rawan],
        AgencyCode::Pppapp,
        "harassment",
    ),
    cat(
        "tawuran",
        "Tawuran",
        "Street fights between groups",
        &[Rawan],
        AgencyCode::SatpolPp,
        "fight",
    ),
    cat(
        "audit-keamanan",
        "Audit keamanan lingkungan",
        "Neighbourhood safety audit",
        &[Audit],
        AgencyCode::Kelurahan,
        "audit",
    ),
];

/// Looks a category up by code.
pub fn lookup(code: &str) -> Result<&'static Category, CategoryError> {
    CATALOGUE
        .iter()
        .find(|c| c.code == code)
        .ok_or_else(|| CategoryError::Unknown(code.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_well_formed() {
        assert!(CATALOGUE.len() >= 20);
        let mut seen = HashSet::new();
        for c in CATALOGUE {
            assert!(seen.insert(c.code), "duplicate {}", c.code);
            assert_eq!(CategoryCode::parse(c.code).unwrap().as_str(), c.code);
            assert!(!c.kinds.is_empty() && !c.name_id.is_empty() && !c.name_en.is_empty());
        }
        for kind in ReportKind::ALL {
            assert!(
                CATALOGUE.iter().any(|c| c.applies_to(kind)),
                "no category for {kind:?}"
            );
        }
        let fire = lookup("kebakaran").unwrap();
        assert!(fire.emergency && fire.agency == AgencyCode::Gulkarmat);
        assert_eq!(CATALOGUE.iter().filter(|c| c.emergency).count(), 1);
        assert_eq!(
            lookup("pju-mati").unwrap().name(Lang::En),
            "Street light out"
        );
        assert_eq!(lookup("tidak-ada").unwrap_err().code(), "CATEGORY_UNKNOWN");
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "a",
            "Jalan-Rusak",
            "jalan_rusak",
            "jalan--rusak",
            "-jalan",
            "jalan rusak",
            &"a".repeat(41),
        ] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod property_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn well_formed_codes_round_trip(words in prop::collection::vec("[a-z0-9]{1,8}", 1..4)) {
            let code = words.join("-");
            prop_assume!(code.len() >= 2 && code.len() <= 40);
            let parsed = CategoryCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<CategoryCode>(&json).unwrap(), parsed);
        }

        #[test]
        fn anything_else_is_refused(s in "\\PC{0,50}") {
            let ok = (2..=40).contains(&s.len())
                && s.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            prop_assert_eq!(CategoryCode::parse(&s).is_ok(), ok);
            if let Err(e) = lookup(&s) {
                prop_assert_eq!(e.code(), "CATEGORY_UNKNOWN");
            }
        }
    }
}
