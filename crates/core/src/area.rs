//! Administrative areas with their Kemendagri codes.
//!
//! provinsi `31` → kota/kabupaten `31.71` → kecamatan `31.71.01` → kelurahan `31.71.01.1001`
//! → RW `31.71.01.1001/RW 003` → RT `31.71.01.1001/RW 003/RT 007`. RW and RT are numbered within
//! their kelurahan (RW) and RW (RT); their boundaries are not public, so they exist only as
//! numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    #[error("{input:?} is not a valid {level} code (expected {expected})")]
    Malformed {
        input: String,
        level: AreaLevel,
        expected: &'static str,
    },
    #[error("{level} number {number} is out of range 1..=999")]
    NumberOutOfRange { level: AreaLevel, number: u32 },
}

impl Coded for AreaError {
    fn code(&self) -> &'static str {
        "AREA_CODE_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            AreaError::Malformed {
                input,
                level,
                expected,
            } => lang.pick(
                format!(
                    "{input:?} bukan kode {} yang sah (contoh: {expected})",
                    level.name(Lang::Id)
                ),
                format!(
                    "{input:?} is not a valid {} code (e.g. {expected})",
                    level.name(Lang::En)
                ),
            ),
            AreaError::NumberOutOfRange { level, number } => lang.pick(
                format!("nomor {} {number} harus 1 sampai 999", level.name(Lang::Id)),
                format!("{} number {number} must be 1 to 999", level.name(Lang::En)),
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaLevel {
    Provinsi,
    Kota,
    Kecamatan,
    Kelurahan,
    Rw,
    Rt,
}

impl AreaLevel {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            AreaLevel::Provinsi => lang.pick("provinsi", "province"),
            AreaLevel::Kota => lang.pick("kota/kabupaten", "city/regency"),
            AreaLevel::Kecamatan => lang.pick("kecamatan", "district (kecamatan)"),
            AreaLevel::Kelurahan => lang.pick("kelurahan", "village (kelurahan)"),
            AreaLevel::Rw => "RW",
            AreaLevel::Rt => "RT",
        }
    }
}

impl fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::En))
    }
}

/// Parses `n` dot-separated groups of exactly the given digit widths, none of them all zeros.
fn parse_groups<const N: usize>(s: &str, widths: [usize; N]) -> Option<[u16; N]> {
    let mut out = [0u16; N];
    let mut parts = s.split('.');
    for (slot, width) in out.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok().filter(|&v| v > 0)?;
    }
    parts.next().is_none().then_some(out)
}

macro_rules! serde_via_string {
    ($name:ident) => {
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A province, e.g. `31` (DKI Jakarta).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinsiCode(u8);

/// A kota or kabupaten, e.g. `31.71` (Jakarta Pusat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KotaCode {
    provinsi: ProvinsiCode,
    kota: u8,
}

/// A kecamatan, e.g. `31.71.01` (Gambir).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KecamatanCode {
    kota: KotaCode,
    kecamatan: u8,
}

/// A kelurahan (or desa), e.g. `31.71.01.1001` (Gambir). Kelurahan numbers start with 1, desa
/// numbers with 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KelurahanCode {
    kecamatan: KecamatanCode,
    kelurahan: u16,
}

impl ProvinsiCode {
    pub const DKI_JAKARTA: ProvinsiCode = ProvinsiCode(31);
}

impl KotaCode {
    pub fn provinsi(&self) -> ProvinsiCode {
        self.provinsi
    }
}

impl KecamatanCode {
    pub fn kota(&self) -> KotaCode {
        self.kota
    }
}

impl KelurahanCode {
    pub fn kecamatan(&self) -> KecamatanCode {
        self.kecamatan
    }
    pub fn kota(&self) -> KotaCode {
        self.kecamatan.kota
    }
}

fn malformed(input: &str, level: AreaLevel, expected: &'static str) -> AreaError {
    AreaError::Malformed {
        input: input.to_owned(),
        level,
        expected,
    }
}

impl FromStr for ProvinsiCode {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        let [p] = parse_groups(s, [2]).ok_or_else(|| malformed(s, AreaLevel::Provinsi, "31"))?;
        Ok(ProvinsiCode(p as u8))
    }
}

impl FromStr for KotaCode {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        let [p, k] =
            parse_groups(s, [2, 2]).ok_or_else(|| malformed(s, AreaLevel::Kota, "31.71"))?;
        Ok(KotaCode {
            provinsi: ProvinsiCode(p as u8),
            kota: k as u8,
        })
    }
}

impl FromStr for KecamatanCode {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        let [p, k, c] = parse_groups(s, [2, 2, 2])
            .ok_or_else(|| malformed(s, AreaLevel::Kecamatan, "31.71.01"))?;
        Ok(KecamatanCode {
            kota: KotaCode {
                provinsi: ProvinsiCode(p as u8),
                kota: k as u8,
            },
            kecamatan: c as u8,
        })
    }
}

impl FromStr for KelurahanCode {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        let err = || malformed(s, AreaLevel::Kelurahan, "31.71.01.1001");
        let [p, k, c, l] = parse_groups(s, [2, 2, 2, 4]).ok_or_else(err)?;
        if !(1000..3000).contains(&l) {
            return Err(err());
        }
        let kecamatan = KecamatanCode {
            kota: KotaCode {
                provinsi: ProvinsiCode(p as u8),
                kota: k as u8,
            },
            kecamatan: c as u8,
        };
        Ok(KelurahanCode {
            kecamatan,
            kelurahan: l,
        })
    }
}

impl fmt::Display for ProvinsiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}
impl fmt::Display for KotaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.provinsi, self.kota)
    }
}
impl fmt::Display for KecamatanCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.kota, self.kecamatan)
    }
}
impl fmt::Display for KelurahanCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.kecamatan, self.kelurahan)
    }
}

serde_via_string!(ProvinsiCode);
serde_via_string!(KotaCode);
serde_via_string!(KecamatanCode);
serde_via_string!(KelurahanCode);

macro_rules! area_number {
    ($(#[$meta:meta])* $name:ident, $level:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "u32", into = "u32")]
        pub struct $name(u16);

        impl $name {
            pub fn get(self) -> u16 {
                self.0
            }
        }

        impl TryFrom<u32> for $name {
            type Error = AreaError;
            fn try_from(n: u32) -> Result<Self, AreaError> {
                if (1..=999).contains(&n) {
                    Ok(Self(n as u16))
                } else {
                    Err(AreaError::NumberOutOfRange { level: $level, number: n })
                }
            }
        }

        impl From<$name> for u32 {
            fn from(n: $name) -> u32 {
                u32::from(n.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:03}", self.0)
            }
        }
    };
}

area_number!(
    /// An RW number within its kelurahan, 1..=999, written `003`.
    RwNumber,
    AreaLevel::Rw
);
area_number!(
    /// An RT number within its RW, 1..=999, written `007`.
    RtNumber,
    AreaLevel::Rt
);

/// One RW: `31.71.01.1001/RW 003`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RwRef {
    pub kelurahan: KelurahanCode,
    pub rw: RwNumber,
}

/// One RT: `31.71.01.1001/RW 003/RT 007`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RtRef {
    pub rw: RwRef,
    pub rt: RtNumber,
}

/// Any administrative area, at any level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaCode {
    Provinsi(ProvinsiCode),
    Kota(KotaCode),
    Kecamatan(KecamatanCode),
    Kelurahan(KelurahanCode),
    Rw(RwRef),
    Rt(RtRef),
}

impl AreaCode {
    pub fn level(&self) -> AreaLevel {
        match self {
            AreaCode::Provinsi(_) => AreaLevel::Provinsi,
            AreaCode::Kota(_) => AreaLevel::Kota,
            AreaCode::Kecamatan(_) => AreaLevel::Kecamatan,
            AreaCode::Kelurahan(_) => AreaLevel::Kelurahan,
            AreaCode::Rw(_) => AreaLevel::Rw,
            AreaCode::Rt(_) => AreaLevel::Rt,
        }
    }

    /// The area one level up, or `None` for a province.
    pub fn parent(&self) -> Option<AreaCode> {
        Some(match *self {
            AreaCode::Provinsi(_) => return None,
            AreaCode::Kota(k) => AreaCode::Provinsi(k.provinsi),
            AreaCode::Kecamatan(c) => AreaCode::Kota(c.kota),
            AreaCode::Kelurahan(l) => AreaCode::Kecamatan(l.kecamatan),
            AreaCode::Rw(rw) => AreaCode::Kelurahan(rw.kelurahan),
            AreaCode::Rt(rt) => AreaCode::Rw(rt.rw),
        })
    }

    /// This area and every area above it, from this one up to the province.
    pub fn ancestry(&self) -> impl Iterator<Item = AreaCode> + use<> {
        std::iter::successors(Some(*self), AreaCode::parent)
    }

    /// Whether `other` is this area or lies inside it.
    pub fn contains(&self, other: &AreaCode) -> bool {
        other.ancestry().any(|a| a == *self)
    }

    /// The kelurahan this area lies in, if it is at kelurahan level or below.
    pub fn kelurahan(&self) -> Option<KelurahanCode> {
        self.ancestry().find_map(|a| match a {
            AreaCode::Kelurahan(k) => Some(k),
            _ => None,
        })
    }
}

impl From<KelurahanCode> for AreaCode {
    fn from(k: KelurahanCode) -> Self {
        AreaCode::Kelurahan(k)
    }
}
impl From<KecamatanCode> for AreaCode {
    fn from(k: KecamatanCode) -> Self {
        AreaCode::Kecamatan(k)
    }
}
impl From<RwRef> for AreaCode {
    fn from(r: RwRef) -> Self {
        AreaCode::Rw(r)
    }
}
impl From<RtRef> for AreaCode {
    fn from(r: RtRef) -> Self {
        AreaCode::Rt(r)
    }
}

impl fmt::Display for RwRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/RW {}", self.kelurahan, self.rw)
    }
}
impl fmt::Display for RtRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/RT {}", self.rw, self.rt)
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AreaCode::Provinsi(c) => c.fmt(f),
            AreaCode::Kota(c) => c.fmt(f),
            AreaCode::Kecamatan(c) => c.fmt(f),
            AreaCode::Kelurahan(c) => c.fmt(f),
            AreaCode::Rw(c) => c.fmt(f),
            AreaCode::Rt(c) => c.fmt(f),
        }
    }
}

/// Parses `RW 003` / `RT 7` style segments (the prefix is required, spacing and zero padding
/// are forgiven).
fn parse_numbered(segment: &str, prefix: &str) -> Option<u32> {
    let rest = segment.trim().strip_prefix(prefix)?.trim_start();
    if rest.is_empty() || rest.len() > 3 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

impl FromStr for AreaCode {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        let mut segments = s.split('/');
        let head = segments.next().unwrap_or_default().trim();
        let rw = segments.next();
        let rt = segments.next();
        if segments.next().is_some() {
            return Err(malformed(s, AreaLevel::Rt, "31.71.01.1001/RW 003/RT 007"));
        }
        let Some(rw) = rw else {
            return match head.split('.').count() {
                1 => head.parse().map(AreaCode::Provinsi),
                2 => head.parse().map(AreaCode::Kota),
                3 => head.parse().map(AreaCode::Kecamatan),
                _ => head.parse().map(AreaCode::Kelurahan),
            };
        };
        let kelurahan: KelurahanCode = head.parse()?;
        let rw_no = parse_numbered(rw, "RW")
            .ok_or_else(|| malformed(s, AreaLevel::Rw, "31.71.01.1001/RW 003"))?;
        let rw = RwRef {
            kelurahan,
            rw: RwNumber::try_from(rw_no)?,
        };
        let Some(rt) = rt else {
            return Ok(AreaCode::Rw(rw));
        };
        let rt_no = parse_numbered(rt, "RT")
            .ok_or_else(|| malformed(s, AreaLevel::Rt, "31.71.01.1001/RW 003/RT 007"))?;
        Ok(AreaCode::Rt(RtRef {
            rw,
            rt: RtNumber::try_from(rt_no)?,
        }))
    }
}

serde_via_string!(AreaCode);

impl FromStr for RwRef {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        match s.parse()? {
            AreaCode::Rw(rw) => Ok(rw),
            _ => Err(malformed(s, AreaLevel::Rw, "31.71.01.1001/RW 003")),
        }
    }
}

impl FromStr for RtRef {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, AreaError> {
        match s.parse()? {
            AreaCode::Rt(rt) => Ok(rt),
            _ => Err(malformed(s, AreaLevel::Rt, "31.71.01.1001/RW 003/RT 007")),
        }
    }
}

serde_via_string!(RwRef);
serde_via_string!(RtRef);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_issue_example() {
        let a: AreaCode = "31.71.01.1001/RW 003/RT 007".parse().unwrap();
        assert_eq!(a.level(), AreaLevel::Rt);
        assert_eq!(a.to_string(), "31.71.01.1001/RW 003/RT 007");
        assert_eq!(a.kelurahan().unwrap().to_string(), "31.71.01.1001");
        let lurah: AreaCode = "31.71.01.1001".parse().unwrap();
        let camat: AreaCode = "31.71.01".parse().unwrap();
        let other: AreaCode = "31.71.02".parse().unwrap();
        assert!(lurah.contains(&a) && camat.contains(&a) && !other.contains(&a));
        assert!(!a.contains(&lurah));
        assert_eq!(a.ancestry().count(), 6);
        // Forgiving spacing and padding, canonical output.
        let b: AreaCode = "31.71.01.1001/RW3/RT 07".parse().unwrap();
        assert_eq!(b.to_string(), "31.71.01.1001/RW 003/RT 007");
    }

    #[test]
    fn refuses_malformed_codes() {
        for bad in [
            "",
            "3",
            "310",
            "31.7",
            "31.71.1",
            "31.71.01.101",
            "31.71.01.0001",
            "31.71.01.3001",
            "31.71.01.1001.1",
            "00.71",
            "31.00.01",
            "3a.71",
            "31.71.01.1001/RW 000",
            "31.71.01.1001/RW 1000",
            "31.71.01.1001/RT 003",
            "31.71.01.1001/RW 003/RT",
            "31.71.01.1001/RW 003/RT 007/x",
            "31.71.01/RW 003",
            "٣١.٧١",
            "+1.71",
        ] {
            let r = bad.parse::<AreaCode>();
            assert!(r.is_err(), "{bad:?} should be refused, got {r:?}");
            assert_eq!(r.unwrap_err().code(), "AREA_CODE_INVALID");
        }
    }

    fn any_area() -> impl Strategy<Value = AreaCode> {
        (
            1u8..=99,
            1u8..=99,
            1u8..=99,
            1000u16..=2999,
            1u32..=999,
            1u32..=999,
            0usize..6,
        )
            .prop_map(|(p, k, c, l, rw, rt, depth)| {
                let prov = ProvinsiCode(p);
                let kota = KotaCode {
                    provinsi: prov,
                    kota: k,
                };
                let kec = KecamatanCode { kota, kecamatan: c };
                let kel = KelurahanCode {
                    kecamatan: kec,
                    kelurahan: l,
                };
                let rw = RwRef {
                    kelurahan: kel,
                    rw: RwNumber::try_from(rw).unwrap(),
                };
                let rt = RtRef {
                    rw,
                    rt: RtNumber::try_from(rt).unwrap(),
                };
                [
                    AreaCode::Provinsi(prov),
                    AreaCode::Kota(kota),
                    AreaCode::Kecamatan(kec),
                    AreaCode::Kelurahan(kel),
                    AreaCode::Rw(rw),
                    AreaCode::Rt(rt),
                ][depth]
            })
    }

    proptest! {
        #[test]
        fn valid_codes_round_trip(a in any_area()) {
            let text = a.to_string();
            prop_assert_eq!(text.parse::<AreaCode>().unwrap(), a);
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<AreaCode>(&json).unwrap(), a);
            prop_assert!(a.ancestry().all(|up| up.contains(&a)));
        }

        #[test]
        fn arbitrary_text_never_panics_and_parses_canonically(s in "\\PC{0,40}") {
            if let Ok(a) = s.parse::<AreaCode>() {
                // Whatever parses prints back to something that parses to the same area.
                prop_assert_eq!(a.to_string().parse::<AreaCode>().unwrap(), a);
            }
        }

        #[test]
        fn numbers_outside_range_are_refused(n in prop_oneof![Just(0u32), 1000u32..]) {
            let refused = matches!(RwNumber::try_from(n), Err(AreaError::NumberOutOfRange { .. }));
            prop_assert!(refused);
            prop_assert!(RtNumber::try_from(n).is_err());
        }
    }
}
