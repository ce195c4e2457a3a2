//! Who a person is in Ronda: roles, and the areas (or agency) each role assignment covers.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::area::{AreaCode, KecamatanCode, KelurahanCode, ProvinsiCode, RtRef, RwRef};
use crate::i18n::{Coded, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Warga,
    KetuaRt,
    KetuaRw,
    /// The lurah or a member of the kelurahan's staff.
    Lurah,
    Camat,
    PetugasSkpd,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Warga,
        Role::KetuaRt,
        Role::KetuaRw,
        Role::Lurah,
        Role::Camat,
        Role::PetugasSkpd,
        Role::Admin,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Role::Warga => lang.pick("Warga", "Resident"),
            Role::KetuaRt => lang.pick("Ketua RT", "RT head"),
            Role::KetuaRw => lang.pick("Ketua RW", "RW head"),
            Role::Lurah => lang.pick("Lurah / staf kelurahan", "Lurah / kelurahan staff"),
            Role::Camat => "Camat",
            Role::PetugasSkpd => lang.pick("Petugas SKPD", "Agency officer (SKPD)"),
            Role::Admin => "Admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::En))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("an agency officer's assignment needs at least one area")]
    NoAreas,
    #[error("an agency officer works for the agency's branch in a kota; {0} is not a kota")]
    NotKota(AreaCode),
}

impl Coded for RoleError {
    fn code(&self) -> &'static str {
        "ROLE_ASSIGNMENT_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "petugas SKPD harus punya paling sedikit satu wilayah",
            "an agency officer needs at least one area",
        )
        .into()
    }
}

/// An agency officer's remit: one agency and the kota whose branch (Suku Dinas) they work in;
/// one or more.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawSkpdScope")]
pub struct SkpdScope {
    agency: AgencyCode,
    areas: BTreeSet<AreaCode>,
}

#[derive(Deserialize)]
struct RawSkpdScope {
    agency: AgencyCode,
    areas: BTreeSet<AreaCode>,
}

impl TryFrom<RawSkpdScope> for SkpdScope {
    type Error = RoleError;
    fn try_from(r: RawSkpdScope) -> Result<Self, RoleError> {
        SkpdScope::new(r.agency, r.areas)
    }
}

impl SkpdScope {
    pub fn new(
        agency: AgencyCode,
        areas: impl IntoIterator<Item = AreaCode>,
    ) -> Result<Self, RoleError> {
        let areas: BTreeSet<_> = areas.into_iter().collect();
        if let Some(a) = areas
            .iter()
            .find(|a| a.level() != crate::area::AreaLevel::Kota)
        {
            return Err(RoleError::NotKota(*a));
        }
        if areas.is_empty() {
            Err(RoleError::NoAreas)
        } else {
            Ok(Self { agency, areas })
        }
    }
    pub fn agency(&self) -> AgencyCode {
        self.agency
    }
    pub fn areas(&self) -> &BTreeSet<AreaCode> {
        &self.areas
    }
}

/// A role held in a place. Each variant carries exactly the scope that role needs, so an RT head
/// without an RT, or an officer without an agency, cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum RoleAssignment {
    Warga,
    KetuaRt { rt: RtRef },
    KetuaRw { rw: RwRef },
    Lurah { kelurahan: KelurahanCode },
    Camat { kecamatan: KecamatanCode },
    PetugasSkpd(SkpdScope),
    Admin { provinsi: ProvinsiCode },
}

impl RoleAssignment {
    pub fn role(&self) -> Role {
        match self {
            RoleAssignment::Warga => Role::Warga,
            RoleAssignment::KetuaRt { .. } => Role::KetuaRt,
            RoleAssignment::KetuaRw { .. } => Role::KetuaRw,
            RoleAssignment::Lurah { .. } => Role::Lurah,
            RoleAssignment::Camat { .. } => Role::Camat,
            RoleAssignment::PetugasSkpd(_) => Role::PetugasSkpd,
            RoleAssignment::Admin { .. } => Role::Admin,
        }
    }

    /// The areas this assignment covers. A warga's assignment covers no area: what a resident
    /// may see is their own reports, decided elsewhere.
    pub fn areas(&self) -> Vec<AreaCode> {
        match self {
            RoleAssignment::Warga => vec![],
            RoleAssignment::KetuaRt { rt } => vec![AreaCode::Rt(*rt)],
            RoleAssignment::KetuaRw { rw } => vec![AreaCode::Rw(*rw)],
            RoleAssignment::Lurah { kelurahan } => vec![AreaCode::Kelurahan(*kelurahan)],
            RoleAssignment::Camat { kecamatan } => vec![AreaCode::Kecamatan(*kecamatan)],
            RoleAssignment::PetugasSkpd(scope) => scope.areas.iter().copied().collect(),
            RoleAssignment::Admin { provinsi } => vec![AreaCode::Provinsi(*provinsi)],
        }
    }

    /// Whether `area` lies within what this assignment covers.
    pub fn covers(&self, area: &AreaCode) -> bool {
        self.areas().iter().any(|a| a.contains(area))
    }
}

/// The area a person's own reports belong to when they make them: the RT or RW they head, or
/// the kelurahan they serve. `None` when they hold none of those, or when their most specific
/// such areas differ (heading two RTs): then the place decides, not the person.
pub fn home_area(assignments: &[RoleAssignment]) -> Option<AreaCode> {
    let own: BTreeSet<AreaCode> = assignments
        .iter()
        .filter(|a| {
            matches!(
                a,
                RoleAssignment::KetuaRt { .. }
                    | RoleAssignment::KetuaRw { .. }
                    | RoleAssignment::Lurah { .. }
            )
        })
        .flat_map(RoleAssignment::areas)
        .collect();
    let deepest = own.iter().map(AreaCode::level).max()?;
    let mut at_deepest = own.into_iter().filter(|a| a.level() == deepest);
    match (at_deepest.next(), at_deepest.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn area(s: &str) -> AreaCode {
        s.parse().unwrap()
    }

    fn rt(s: &str) -> RoleAssignment {
        let AreaCode::Rt(rt) = area(s) else {
            panic!("{s} is not an RT")
        };
        RoleAssignment::KetuaRt { rt }
    }

    #[test]
    fn home_area_is_the_most_specific_place_a_person_answers_for() {
        let lurah = RoleAssignment::Lurah {
            kelurahan: "31.71.01.1001".parse().unwrap(),
        };
        let rt7 = rt("31.71.01.1001/RW 003/RT 007");
        let rt8 = rt("31.71.01.1001/RW 003/RT 008");
        assert_eq!(home_area(&[]), None);
        assert_eq!(home_area(&[RoleAssignment::Warga]), None);
        assert_eq!(
            home_area(std::slice::from_ref(&lurah)),
            Some(area("31.71.01.1001"))
        );
        assert_eq!(
            home_area(&[lurah, rt7.clone(), RoleAssignment::Warga]),
            Some(area("31.71.01.1001/RW 003/RT 007"))
        );
        assert_eq!(
            home_area(&[rt7.clone(), rt7.clone()]),
            Some(area("31.71.01.1001/RW 003/RT 007"))
        );
        assert_eq!(
            home_area(&[rt7, rt8]),
            None,
            "two RTs: the person must choose"
        );
        let camat = RoleAssignment::Camat {
            kecamatan: "31.71.01".parse().unwrap(),
        };
        assert_eq!(
            home_area(&[camat]),
            None,
            "a camat reports where the problem is"
        );
    }

    #[test]
    fn assignments_cover_their_areas_only() {
        let AreaCode::Rt(rt) = area("31.71.01.1001/RW 003/RT 007") else {
            unreachable!()
        };
        let ketua_rt = RoleAssignment::KetuaRt { rt };
        assert!(ketua_rt.covers(&area("31.71.01.1001/RW 003/RT 007")));
        assert!(!ketua_rt.covers(&area("31.71.01.1001/RW 003/RT 008")));
        assert!(!ketua_rt.covers(&area("31.71.01.1001/RW 003")));

        let lurah = RoleAssignment::Lurah {
            kelurahan: "31.71.01.1001".parse().unwrap(),
        };
        assert!(lurah.covers(&area("31.71.01.1001/RW 003/RT 007")));
        assert!(!lurah.covers(&area("31.71.01.1002")));

        let skpd = RoleAssignment::PetugasSkpd(
            SkpdScope::new(AgencyCode::BinaMarga, [area("31.71"), area("31.72")]).unwrap(),
        );
        assert_eq!(skpd.role(), Role::PetugasSkpd);
        assert!(skpd.covers(&area("31.72.02.1003")) && !skpd.covers(&area("31.73.01.1001")));
        assert!(!RoleAssignment::Warga.covers(&area("31.71.01.1001")));
    }

    #[test]
    fn officer_without_areas_is_refused() {
        assert_eq!(
            SkpdScope::new(AgencyCode::SatpolPp, []).unwrap_err().code(),
            "ROLE_ASSIGNMENT_INVALID"
        );
        assert_eq!(
            SkpdScope::new(AgencyCode::SatpolPp, [area("31.71.01")]).unwrap_err(),
            RoleError::NotKota(area("31.71.01"))
        );
        let json = r#"{"role":"petugas_skpd","agency":"satpol_pp","areas":[]}"#;
        assert!(serde_json::from_str::<RoleAssignment>(json).is_err());
        let json = r#"{"role":"ketua_rt"}"#;
        assert!(serde_json::from_str::<RoleAssignment>(json).is_err());
    }

    fn any_assignment() -> impl Strategy<Value = RoleAssignment> {
        let kel = (1u16..=9, 1000u16..1020).prop_map(|(c, l)| format!("31.71.{c:02}.{l}"));
        (
            0usize..7,
            kel,
            1u32..20,
            1u32..20,
            prop::sample::select(AgencyCode::ALL.to_vec()),
        )
            .prop_map(|(which, kel, rw, rt, agency)| {
                let kelurahan: KelurahanCode = kel.parse().unwrap();
                let rw = RwRef {
                    kelurahan,
                    rw: rw.try_into().unwrap(),
                };
                match which {
                    0 => RoleAssignment::Warga,
                    1 => RoleAssignment::KetuaRt {
                        rt: RtRef {
                            rw,
                            rt: rt.try_into().unwrap(),
                        },
                    },
                    2 => RoleAssignment::KetuaRw { rw },
                    3 => RoleAssignment::Lurah { kelurahan },
                    4 => RoleAssignment::Camat {
                        kecamatan: kelurahan.kecamatan(),
                    },
                    5 => RoleAssignment::PetugasSkpd(
                        SkpdScope::new(agency, [kelurahan.kota().into_area()]).unwrap(),
                    ),
                    _ => RoleAssignment::Admin {
                        provinsi: ProvinsiCode::DKI_JAKARTA,
                    },
                }
            })
    }

    trait IntoArea {
        fn into_area(self) -> AreaCode;
    }
    impl IntoArea for crate::area::KotaCode {
        fn into_area(self) -> AreaCode {
            AreaCode::Kota(self)
        }
    }

    proptest! {
        #[test]
        fn assignments_round_trip_through_json(a in any_assignment()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<RoleAssignment>(&json).unwrap(), a.clone());
            for covered in a.areas() {
                prop_assert!(a.covers(&covered));
            }
        }
    }
}
