//! Who may do what, where. One table for every backend and for the app: the server enforces it
//! per op; the app uses it to offer only what is allowed.

use crate::area::AreaCode;
use crate::i18n::{Coded, Lang};
use crate::id::UserId;
use crate::op::OpKind;
use crate::role::{Role, RoleAssignment};

/// The person behind a request, as the server's records say (never as the payload says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub assignments: Vec<RoleAssignment>,
}

/// What an op touches, as far as permission goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// The report's area, if it has one.
    pub area: Option<&'a AreaCode>,
    /// Who made the report.
    pub reporter: UserId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("only the reporter or an official of the report's area may edit it")]
    NotYourReport,
    #[error("your role does not allow this")]
    RoleNotAllowed,
}

impl Coded for Denied {
    fn code(&self) -> &'static str {
        match self {
            Denied::NotYourReport => "FORBIDDEN_NOT_YOUR_REPORT",
            Denied::RoleNotAllowed => "FORBIDDEN_ROLE",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            Denied::NotYourReport => lang.pick(
                "hanya pelapor atau petugas wilayah laporan ini yang boleh mengubahnya",
                "only the reporter or an official of this report's area may change it",
            ),
            Denied::RoleNotAllowed => lang.pick(
                "peran Anda tidak mengizinkan ini",
                "your role does not allow this",
            ),
        }
        .into()
    }
}

/// Officials who may correct the free fields of any report in their area.
fn edits_in_area(role: Role) -> bool {
    matches!(role, Role::Lurah | Role::Camat | Role::Admin)
}

/// May `actor` apply an op of `kind` to `target`?
///
/// | op | who |
/// |---|---|
/// | `report.create` | anyone signed in, anywhere: reporting is never restricted |
/// | `report.update` | the reporter; a lurah, camat or admin whose area holds the report |
pub fn authorize(actor: &Actor, kind: OpKind, target: Target<'_>) -> Result<(), Denied> {
    match kind {
        OpKind::CreateReport => Ok(()),
        OpKind::UpdateReport => {
            if target.reporter == actor.user {
                return Ok(());
            }
            let official_here = actor
                .assignments
                .iter()
                .any(|a| edits_in_area(a.role()) && target.area.is_some_and(|area| a.covers(area)));
            if official_here {
                Ok(())
            } else {
                Err(Denied::NotYourReport)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::AgencyCode;
    use crate::role::SkpdScope;

    #[test]
    fn the_table_holds_for_every_role_inside_and_outside_its_area() {
        let inside: AreaCode = "31.71.01.1001/RW 003/RT 007".parse().unwrap();
        let outside: AreaCode = "31.74.02.1003/RW 001/RT 001".parse().unwrap();
        let AreaCode::Rt(rt) = inside else {
            unreachable!()
        };
        let assignments = [
            RoleAssignment::Warga,
            RoleAssignment::KetuaRt { rt },
            RoleAssignment::KetuaRw { rw: rt.rw },
            RoleAssignment::Lurah {
                kelurahan: rt.rw.kelurahan,
            },
            RoleAssignment::Camat {
                kecamatan: rt.rw.kelurahan.kecamatan(),
            },
            RoleAssignment::PetugasSkpd(
                SkpdScope::new(
                    AgencyCode::BinaMarga,
                    [AreaCode::Kota(rt.rw.kelurahan.kota())],
                )
                .unwrap(),
            ),
            RoleAssignment::Admin {
                provinsi: crate::area::ProvinsiCode::DKI_JAKARTA,
            },
        ];
        for a in assignments {
            let role = a.role();
            let actor = Actor {
                user: UserId::new(),
                assignments: vec![a],
            };
            let someone_else = UserId::new();
            for (area, is_inside) in [(&inside, true), (&outside, false)] {
                let theirs = Target {
                    area: Some(area),
                    reporter: someone_else,
                };
                let mine = Target {
                    area: Some(area),
                    reporter: actor.user,
                };
                assert!(authorize(&actor, OpKind::CreateReport, theirs).is_ok());
                assert!(
                    authorize(&actor, OpKind::UpdateReport, mine).is_ok(),
                    "{role:?} edits own"
                );
                let may_edit_others = match role {
                    Role::Lurah | Role::Camat => is_inside,
                    Role::Admin => true,
                    _ => false,
                };
                let got = authorize(&actor, OpKind::UpdateReport, theirs);
                assert_eq!(got.is_ok(), may_edit_others, "{role:?} inside={is_inside}");
                if let Err(e) = got {
                    assert_eq!(e.code(), "FORBIDDEN_NOT_YOUR_REPORT");
                }
            }
        }
    }
}
