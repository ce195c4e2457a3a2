//! The daily "nihil" check-in: an RT or RW head walked their area and found nothing to report.
//! A day with neither a report nor a check-in from an area is what the lurah asks about.
//!
//! One check-in counts per area and day (in WIB). The day is the one on the device when the head
//! checked in, even if it reaches the server the next morning; a day after the server's today
//! is refused.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::area::AreaCode;
use crate::i18n::{Coded, Lang};
use crate::id::{PatrolId, UserId};
use crate::location::Location;
use crate::role::RoleAssignment;
use crate::time::Timestamp;

/// "Patroli nihil": the op body a head's device sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nihil {
    pub id: PatrolId,
    /// The RT or RW patrolled.
    pub area: AreaCode,
    /// The day in Jakarta the patrol was on.
    pub day: NaiveDate,
    /// Where the head stood when checking in, when the phone knew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Location>,
}

impl Nihil {
    /// A check-in for `area` on the day `at` falls on in Jakarta.
    pub fn new(area: AreaCode, at: Timestamp, position: Option<Location>) -> Self {
        Self {
            id: PatrolId::new(),
            area,
            day: day_in_jakarta(at),
            position,
        }
    }
}

/// A check-in as the server recorded it: who made it and when it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    #[serde(flatten)]
    pub nihil: Nihil,
    pub by: UserId,
    pub received_at: Timestamp,
}

/// The day `at` falls on in Jakarta.
pub fn day_in_jakarta(at: Timestamp) -> NaiveDate {
    at.in_wib().date_naive()
}

/// The RTs and RWs `assignments` make their holder head of.
fn headed(assignments: &[RoleAssignment]) -> impl Iterator<Item = AreaCode> + '_ {
    assignments.iter().filter_map(|a| match a {
        RoleAssignment::KetuaRt { rt } => Some(AreaCode::Rt(*rt)),
        RoleAssignment::KetuaRw { rw } => Some(AreaCode::Rw(*rw)),
        _ => None,
    })
}

/// Whether `assignments` make their holder the head of `area`, the one who checks in for it.
pub fn heads(assignments: &[RoleAssignment], area: &AreaCode) -> bool {
    headed(assignments).any(|a| a == *area)
}

/// The RT or RW `assignments` make their holder head of, the one a check-in is for; `None` for
/// someone who heads none, or more than one (they choose).
pub fn patrol_area(assignments: &[RoleAssignment]) -> Option<AreaCode> {
    let mut heads = headed(assignments);
    let first = heads.next()?;
    heads.next().is_none().then_some(first)
}

/// A check-in for a day after the server's today (a phone whose clock runs ahead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a patrol day cannot be after today")]
pub struct DayInFuture;

impl Coded for DayInFuture {
    fn code(&self) -> &'static str {
        "PATROL_DAY_IN_FUTURE"
    }

    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "tanggal patroli tidak boleh setelah hari ini",
            "a patrol day cannot be after today",
        )
        .to_owned()
    }
}

/// Whether `nihil`'s day can be checked in for at `now`.
pub fn check_day(nihil: &Nihil, now: Timestamp) -> Result<(), DayInFuture> {
    if nihil.day > day_in_jakarta(now) {
        Err(DayInFuture)
    } else {
        Ok(())
    }
}

/// The areas whose check-ins `assignments` let their holder see: the RT or RW they head, the
/// kelurahan, kecamatan or province they serve (and everything inside).
pub fn watched_areas(assignments: &[RoleAssignment]) -> Vec<AreaCode> {
    assignments
        .iter()
        .filter_map(|a| match a {
            RoleAssignment::KetuaRt { rt } => Some(AreaCode::Rt(*rt)),
            RoleAssignment::KetuaRw { rw } => Some(AreaCode::Rw(*rw)),
            RoleAssignment::Lurah { kelurahan } => Some(AreaCode::Kelurahan(*kelurahan)),
            RoleAssignment::Camat { kecamatan } => Some(AreaCode::Kecamatan(*kecamatan)),
            RoleAssignment::Admin { provinsi } => Some(AreaCode::Provinsi(*provinsi)),
            RoleAssignment::Warga | RoleAssignment::PetugasSkpd(_) => None,
        })
        .collect()
}

/// The area whose patrol day a person looks at: the widest they serve (a lurah's kelurahan
/// rather than an RT they also head); `None` for someone who serves none.
pub fn day_view_area(assignments: &[RoleAssignment]) -> Option<AreaCode> {
    watched_areas(assignments)
        .into_iter()
        .min_by_key(|a| a.level())
}
