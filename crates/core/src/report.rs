//! Reports: a problem to fix (`laporan`), an unsafe-place flag (`rawan`) or a safety audit
//! (`audit`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::area::AreaCode;
use crate::audit::AuditRatings;
use crate::category::{self, CategoryCode, CategoryError};
use crate::i18n::{Coded, Lang};
use crate::id::ReportId;
use crate::location::Location;
use crate::photo::PhotoRef;
use crate::text::Description;
use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Laporan,
    Rawan,
    Audit,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [ReportKind::Laporan, ReportKind::Rawan, ReportKind::Audit];

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Laporan => "laporan",
            ReportKind::Rawan => "rawan",
            ReportKind::Audit => "audit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ReportKind::Laporan => lang.pick("laporan masalah", "problem report"),
            ReportKind::Rawan => lang.pick("tanda lokasi rawan", "unsafe-place flag"),
            ReportKind::Audit => lang.pick("audit keamanan", "safety audit"),
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Where a report stands. The codes are stable data; the transitions between them are the
/// lifecycle's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Baru,
    Diverifikasi,
    Ditolak,
    Duplikat,
    BukanWewenang,
    Didisposisikan,
    Diproses,
    Selesai,
    Dikonfirmasi,
    DibukaKembali,
    DitutupTidakDiperbaiki,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 11] = [
        ReportStatus::Baru,
        ReportStatus::Diverifikasi,
        ReportStatus::Ditolak,
        ReportStatus::Duplikat,
        ReportStatus::BukanWewenang,
        ReportStatus::Didisposisikan,
        ReportStatus::Diproses,
        ReportStatus::Selesai,
        ReportStatus::Dikonfirmasi,
        ReportStatus::DibukaKembali,
        ReportStatus::DitutupTidakDiperbaiki,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Baru => "baru",
            ReportStatus::Diverifikasi => "diverifikasi",
            ReportStatus::Ditolak => "ditolak",
            ReportStatus::Duplikat => "duplikat",
            ReportStatus::BukanWewenang => "bukan_wewenang",
            ReportStatus::Didisposisikan => "didisposisikan",
            ReportStatus::Diproses => "diproses",
            ReportStatus::Selesai => "selesai",
            ReportStatus::Dikonfirmasi => "dikonfirmasi",
            ReportStatus::DibukaKembali => "dibuka_kembali",
            ReportStatus::DitutupTidakDiperbaiki => "ditutup_tidak_diperbaiki",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ReportStatus::Baru => lang.pick("Baru", "New"),
            ReportStatus::Diverifikasi => lang.pick("Diverifikasi", "Verified"),
            ReportStatus::Ditolak => lang.pick("Ditolak", "Rejected"),
            ReportStatus::Duplikat => lang.pick("Duplikat", "Duplicate"),
            ReportStatus::BukanWewenang => {
                lang.pick("Bukan wewenang (dialihkan)", "Not our remit (re-routed)")
            }
            ReportStatus::Didisposisikan => lang.pick("Diteruskan ke dinas", "Handed to agency"),
            ReportStatus::Diproses => lang.pick("Sedang dikerjakan", "In progress"),
            ReportStatus::Selesai => lang.pick("Selesai", "Fixed"),
            ReportStatus::Dikonfirmasi => {
                lang.pick("Dikonfirmasi pelapor", "Confirmed by reporter")
            }
            ReportStatus::DibukaKembali => lang.pick("Dibuka kembali", "Reopened"),
            ReportStatus::DitutupTidakDiperbaiki => {
                lang.pick("Ditutup, tidak diperbaiki", "Closed, not fixed")
            }
        }
    }

    /// Whether someone still has to act on a report in this state.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ReportStatus::Ditolak
                | ReportStatus::Duplikat
                | ReportStatus::Dikonfirmasi
                | ReportStatus::DitutupTidakDiperbaiki
        )
    }
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Category(#[from] CategoryError),
    #[error("a report can carry at most {max} photos, got {got}")]
    TooManyPhotos { got: usize, max: usize },
    #[error("only a safety audit carries ratings")]
    RatingsOnlyForAudits,
}

impl Coded for ReportError {
    fn code(&self) -> &'static str {
        match self {
            ReportError::Category(e) => e.code(),
            ReportError::TooManyPhotos { .. } => "REPORT_TOO_MANY_PHOTOS",
            ReportError::RatingsOnlyForAudits => "REPORT_RATINGS_ONLY_FOR_AUDITS",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::Category(e) => e.message(lang),
            ReportError::TooManyPhotos { got, max } => lang.pick(
                format!("paling banyak {max} foto per laporan (ada {got})"),
                format!("at most {max} photos per report (got {got})"),
            ),
            ReportError::RatingsOnlyForAudits => lang
                .pick(
                    "hanya audit keamanan yang berisi penilaian",
                    "only a safety audit carries ratings",
                )
                .to_owned(),
        }
    }
}

/// A report as its author made it, before any official acted on it. Only buildable with a
/// category from the catalogue that fits the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawNewReport")]
pub struct NewReport {
    id: ReportId,
    kind: ReportKind,
    category: CategoryCode,
    location: Location,
    description: Option<Description>,
    area: Option<AreaCode>,
    photos: Vec<PhotoRef>,
    created_at: Timestamp,
    /// A safety audit's nine ratings. An audit without them (a patrol note made before the
    /// audit form) counts in no safety aggregate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ratings: Option<AuditRatings>,
}

#[derive(Deserialize)]
struct RawNewReport {
    id: ReportId,
    kind: ReportKind,
    category: CategoryCode,
    location: Location,
    description: Option<Description>,
    area: Option<AreaCode>,
    #[serde(default)]
    photos: Vec<PhotoRef>,
    created_at: Timestamp,
    #[serde(default)]
    ratings: Option<AuditRatings>,
}

impl TryFrom<RawNewReport> for NewReport {
    type Error = ReportError;
    fn try_from(r: RawNewReport) -> Result<Self, ReportError> {
        let mut report =
            NewReport::with_id(r.id, r.kind, r.category.as_str(), r.location, r.created_at)?;
        report.description = r.description;
        report.area = r.area;
        report.set_photos(r.photos)?;
        match r.ratings {
            Some(ratings) => report.rate(ratings),
            None => Ok(report),
        }
    }
}

impl NewReport {
    pub const MAX_PHOTOS: usize = 8;

    /// A new report made now on this device.
    pub fn new(kind: ReportKind, category: &str, location: Location) -> Result<Self, ReportError> {
        Self::with_id(ReportId::new(), kind, category, location, Timestamp::now())
    }

    pub fn with_id(
        id: ReportId,
        kind: ReportKind,
        category: &str,
        location: Location,
        created_at: Timestamp,
    ) -> Result<Self, ReportError> {
        let entry = category::lookup(category)?;
        if !entry.applies_to(kind) {
            return Err(CategoryError::WrongKind {
                category: category.to_owned(),
                kind,
            }
            .into());
        }
        Ok(Self {
            id,
            kind,
            category: entry.code(),
            location,
            description: None,
            area: None,
            photos: vec![],
            created_at,
            ratings: None,
        })
    }

    /// A safety audit's ratings; refused on any other kind of report.
    pub fn rate(mut self, ratings: AuditRatings) -> Result<Self, ReportError> {
        if self.kind != ReportKind::Audit {
            return Err(ReportError::RatingsOnlyForAudits);
        }
        self.ratings = Some(ratings);
        Ok(self)
    }

    pub fn ratings(&self) -> Option<&AuditRatings> {
        self.ratings.as_ref()
    }

    pub fn describe(mut self, description: Option<Description>) -> Self {
        self.description = description;
        self
    }

    pub fn in_area(mut self, area: Option<AreaCode>) -> Self {
        self.area = area;
        self
    }

    pub fn set_photos(&mut self, photos: Vec<PhotoRef>) -> Result<(), ReportError> {
        if photos.len() > Self::MAX_PHOTOS {
            return Err(ReportError::TooManyPhotos {
                got: photos.len(),
                max: Self::MAX_PHOTOS,
            });
        }
        self.photos = photos;
        Ok(())
    }

    pub fn id(&self) -> ReportId {
        self.id
    }
    pub fn kind(&self) -> ReportKind {
        self.kind
    }
    pub fn category(&self) -> &CategoryCode {
        &self.category
    }
    pub fn location(&self) -> &Location {
        &self.location
    }
    pub fn description(&self) -> Option<&Description> {
        self.description.as_ref()
    }
    pub fn area(&self) -> Option<&AreaCode> {
        self.area.as_ref()
    }
    pub fn photos(&self) -> &[PhotoRef] {
        &self.photos
    }
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub(crate) fn fields(&self) -> ReportFields {
        ReportFields {
            category: self.category.clone(),
            location: self.location,
            description: self.description.clone(),
        }
    }

    /// Replaces the free fields; the caller has checked the category fits the kind.
    pub(crate) fn with_fields(mut self, f: ReportFields) -> Self {
        self.category = f.category;
        self.location = f.location;
        self.description = f.description;
        self
    }

    /// The report as it stands on the device right after it was made.
    pub fn into_report(self) -> Report {
        Report {
            status: ReportStatus::Baru,
            updated_at: self.created_at,
            draft: self,
        }
    }
}

/// The fields anyone may edit after a report is made, merged field by field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReportFields {
    pub category: CategoryCode,
    pub location: Location,
    pub description: Option<Description>,
}

/// A report with its current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    draft: NewReport,
    pub status: ReportStatus,
    pub updated_at: Timestamp,
}

impl Report {
    /// Rebuilds a stored report; the draft was validated when it was made.
    pub fn from_parts(draft: NewReport, status: ReportStatus, updated_at: Timestamp) -> Self {
        Self {
            draft,
            status,
            updated_at,
        }
    }

    pub fn draft(&self) -> &NewReport {
        &self.draft
    }
}

impl std::ops::Deref for Report {
    type Target = NewReport;
    fn deref(&self) -> &NewReport {
        &self.draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Accuracy, Coordinate, LocationSource};
    use proptest::prelude::*;

    fn here() -> Location {
        Location {
            coord: Coordinate::new(-6.2, 106.8).unwrap(),
            accuracy_m: Accuracy::metres(12.0).unwrap(),
            source: LocationSource::Gps,
            captured_at: Timestamp::now(),
        }
    }

    #[test]
    fn category_must_fit_the_kind() {
        assert!(NewReport::new(ReportKind::Laporan, "jalan-rusak", here()).is_ok());
        assert!(NewReport::new(ReportKind::Rawan, "jalan-rusak", here()).is_ok());
        let e = NewReport::new(ReportKind::Audit, "pju-mati", here()).unwrap_err();
        assert_eq!(e.code(), "CATEGORY_WRONG_KIND");
        let e = NewReport::new(ReportKind::Laporan, "pelecehan", here()).unwrap_err();
        assert_eq!(e.code(), "CATEGORY_WRONG_KIND");
        assert_eq!(
            NewReport::new(ReportKind::Laporan, "ufo", here())
                .unwrap_err()
                .code(),
            "CATEGORY_UNKNOWN"
        );
    }

    #[test]
    fn json_is_validated_on_the_way_in() {
        let r = NewReport::new(ReportKind::Laporan, "banjir", here()).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<NewReport>(&json).unwrap(), r);
        let wrong = json.replace("\"laporan\"", "\"audit\"");
        assert!(serde_json::from_str::<NewReport>(&wrong).is_err());
        let null_island = json.replace("-6.2", "0.0").replace("106.8", "0.0");
        assert!(serde_json::from_str::<NewReport>(&null_island).is_err());
    }

    #[test]
    fn status_codes_are_stable_and_unique() {
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert!(ReportStatus::Baru.is_open() && !ReportStatus::Dikonfirmasi.is_open());
    }

    proptest! {
        #[test]
        fn every_catalogue_pairing_builds_and_round_trips(i in 0..crate::category::CATALOGUE.len(), k in 0usize..3) {
            let cat = &crate::category::CATALOGUE[i];
            let kind = ReportKind::ALL[k];
            let made = NewReport::new(kind, cat.code, here());
            prop_assert_eq!(made.is_ok(), cat.applies_to(kind));
            if let Ok(r) = made {
                let back: NewReport = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
                prop_assert_eq!(back, r);
            }
        }
    }
}
