//! The bodies that act on reports: the provincial agencies (SKPD/Dinas), the kelurahan itself,
//! and the police, who are not an SKPD but own crime reports.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyCode {
    /// Dinas Bina Marga: roads, pavements, street lighting (PJU).
    BinaMarga,
    /// Dinas Sumber Daya Air: drains, flooding.
    SumberDayaAir,
    /// Dinas Lingkungan Hidup: rubbish, pollution.
    LingkunganHidup,
    /// Dinas Pertamanan dan Hutan Kota: street trees, parks.
    PertamananHutanKota,
    /// Dinas Perhubungan: parking, traffic lights.
    Perhubungan,
    /// Satuan Polisi Pamong Praja: public order, street vendors on pavements.
    SatpolPp,
    /// Dinas Penanggulangan Kebakaran dan Penyelamatan: fire and rescue.
    Gulkarmat,
    /// Dinas Cipta Karya, Tata Ruang dan Pertanahan: public buildings and facilities.
    CitaTata,
    /// Dinas Kesehatan: public health (dengue).
    Kesehatan,
    /// Dinas Sosial: people left without care.
    Sosial,
    /// Dinas Pemberdayaan, Perlindungan Anak dan Pengendalian Penduduk: harassment, violence
    /// against women and children.
    Pppapp,
    /// The kelurahan's own office.
    Kelurahan,
    /// Kepolisian (Polsek): crime.
    Polri,
}

impl AgencyCode {
    pub const ALL: [AgencyCode; 13] = [
        AgencyCode::BinaMarga,
        AgencyCode::SumberDayaAir,
        AgencyCode::LingkunganHidup,
        AgencyCode::PertamananHutanKota,
        AgencyCode::Perhubungan,
        AgencyCode::SatpolPp,
        AgencyCode::Gulkarmat,
        AgencyCode::CitaTata,
        AgencyCode::Kesehatan,
        AgencyCode::Sosial,
        AgencyCode::Pppapp,
        AgencyCode::Kelurahan,
        AgencyCode::Polri,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgencyCode::BinaMarga => "bina_marga",
            AgencyCode::SumberDayaAir => "sumber_daya_air",
            AgencyCode::LingkunganHidup => "lingkungan_hidup",
            AgencyCode::PertamananHutanKota => "pertamanan_hutan_kota",
            AgencyCode::Perhubungan => "perhubungan",
            AgencyCode::SatpolPp => "satpol_pp",
            AgencyCode::Gulkarmat => "gulkarmat",
            AgencyCode::CitaTata => "cita_tata",
            AgencyCode::Kesehatan => "kesehatan",
            AgencyCode::Sosial => "sosial",
            AgencyCode::Pppapp => "pppapp",
            AgencyCode::Kelurahan => "kelurahan",
            AgencyCode::Polri => "polri",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The body's name as people say it; Indonesian names are proper names, so English adds
    /// a gloss.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            AgencyCode::BinaMarga => lang.pick(
                "Dinas Bina Marga",
                "Dinas Bina Marga (roads and street lighting)",
            ),
            AgencyCode::SumberDayaAir => lang.pick(
                "Dinas Sumber Daya Air",
                "Dinas Sumber Daya Air (water and drainage)",
            ),
            AgencyCode::LingkunganHidup => lang.pick(
                "Dinas Lingkungan Hidup",
                "Dinas Lingkungan Hidup (environment)",
            ),
            AgencyCode::PertamananHutanKota => lang.pick(
                "Dinas Pertamanan dan Hutan Kota",
                "Dinas Pertamanan dan Hutan Kota (parks and trees)",
            ),
            AgencyCode::Perhubungan => {
                lang.pick("Dinas Perhubungan", "Dinas Perhubungan (transport)")
            }
            AgencyCode::SatpolPp => lang.pick("Satpol PP", "Satpol PP (public order)"),
            AgencyCode::Gulkarmat => {
                lang.pick("Dinas Gulkarmat", "Dinas Gulkarmat (fire and rescue)")
            }
            AgencyCode::CitaTata => {
                lang.pick("Dinas Citata", "Dinas Citata (public works and planning)")
            }
            AgencyCode::Kesehatan => lang.pick("Dinas Kesehatan", "Dinas Kesehatan (health)"),
            AgencyCode::Sosial => lang.pick("Dinas Sosial", "Dinas Sosial (social services)"),
            AgencyCode::Pppapp => {
                lang.pick("Dinas PPAPP", "Dinas PPAPP (women and child protection)")
            }
            AgencyCode::Kelurahan => lang.pick("Kantor Kelurahan", "Kelurahan office"),
            AgencyCode::Polri => lang.pick("Kepolisian (Polsek)", "Police (Polsek)"),
        }
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
