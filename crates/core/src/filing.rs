//! Where a report is filed: the kelurahan its point lies in, checked against the area the device
//! claimed (the reporter's own RT/RW, or their choice). The kelurahan comes from the point; the
//! RT and RW from the claim when it agrees. Anything doubtful is flagged for the lurah.

use serde::{Deserialize, Serialize};

use crate::area::{AreaCode, AreaLevel, KelurahanCode};
use crate::location::Location;
use crate::place::{KelurahanIndex, Placement};

/// Why a report's area waits for the lurah to confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum PlaceFlag {
    /// The point is in no kelurahan; filed with the nearest.
    OutsideEvery { nearest: KelurahanCode },
    /// A kelurahan border is within the fix's accuracy.
    NearBorder { located: KelurahanCode },
    /// The device claimed an area of another kelurahan than the point's; filed by the point.
    ClaimDiffers {
        claimed: AreaCode,
        located: KelurahanCode,
    },
}

impl PlaceFlag {
    /// The stable code of the reason (`outside_every`, `near_border`, `claim_differs`).
    pub fn code(&self) -> &'static str {
        match self {
            PlaceFlag::OutsideEvery { .. } => "outside_every",
            PlaceFlag::NearBorder { .. } => "near_border",
            PlaceFlag::ClaimDiffers { .. } => "claim_differs",
        }
    }
}

/// The area a report is filed under and, when doubtful, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub area: AreaCode,
    pub flag: Option<PlaceFlag>,
}

/// Files a report made at `location` with the device's `claimed` area.
///
/// - Inside a kelurahan, clear of borders: a claim in that kelurahan (RT, RW or the kelurahan)
///   stands; a coarser claim is narrowed to the kelurahan; a claim elsewhere is replaced by the
///   kelurahan and flagged.
/// - Near a border: the claim stands when there is one (the point may be on its side), else the
///   point's kelurahan; flagged either way.
/// - Outside every kelurahan: the claim stands, else the nearest kelurahan; flagged.
pub fn file(index: &KelurahanIndex, location: &Location, claimed: Option<&AreaCode>) -> Filing {
    let placement = index.locate(location.coord, Some(location.accuracy_m));
    let claimed_here = |k: KelurahanCode| {
        claimed
            .filter(|c| c.kelurahan() == Some(k))
            .copied()
            .unwrap_or(AreaCode::Kelurahan(k))
    };
    match placement {
        Placement::Inside {
            kelurahan,
            near_border: false,
        } => match claimed {
            Some(c) if c.kelurahan().is_some_and(|k| k != kelurahan) => Filing {
                area: AreaCode::Kelurahan(kelurahan),
                flag: Some(PlaceFlag::ClaimDiffers {
                    claimed: *c,
                    located: kelurahan,
                }),
            },
            Some(c) if c.level() < AreaLevel::Kelurahan && !c.contains(&kelurahan.into()) => {
                Filing {
                    area: AreaCode::Kelurahan(kelurahan),
                    flag: Some(PlaceFlag::ClaimDiffers {
                        claimed: *c,
                        located: kelurahan,
                    }),
                }
            }
            _ => Filing {
                area: claimed_here(kelurahan),
                flag: None,
            },
        },
        Placement::Inside {
            kelurahan,
            near_border: true,
        } => Filing {
            area: claimed
                .filter(|c| c.level() >= AreaLevel::Kelurahan)
                .copied()
                .unwrap_or(AreaCode::Kelurahan(kelurahan)),
            flag: Some(PlaceFlag::NearBorder { located: kelurahan }),
        },
        Placement::Outside { nearest } => Filing {
            area: claimed
                .filter(|c| c.level() >= AreaLevel::Kelurahan)
                .copied()
                .unwrap_or(AreaCode::Kelurahan(nearest.kelurahan)),
            flag: Some(PlaceFlag::OutsideEvery {
                nearest: nearest.kelurahan,
            }),
        },
    }
}
