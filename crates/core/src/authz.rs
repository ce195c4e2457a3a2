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

/// May `actor` create an account holding `assignment`? Admins may create any account; a lurah
/// may create residents and RT/RW heads of their own kelurahan (an RT head has no e-mail: the
/// lurah reads the activation code out over the phone).
pub fn may_create_account(actor: &Actor, assignment: &RoleAssignment) -> Result<(), Denied> {
    let allowed = actor.assignments.iter().any(|mine| match mine {
        RoleAssignment::Admin { .. } => true,
        RoleAssignment::Lurah { kelurahan } => match assignment {
            RoleAssignment::Warga => true,
            RoleAssignment::KetuaRt { rt } => rt.rw.kelurahan == *kelurahan,
            RoleAssignment::KetuaRw { rw } => rw.kelurahan == *kelurahan,
            _ => false,
        },
        _ => false,
    });
    if allowed {
        Ok(())
    } else {
        Err(Denied::RoleNotAllowed)
    }
}

#[cfg(test)]
mod account_tests {
    use super::*;

    fn role(json: &str) -> RoleAssignment {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn who_may_create_which_accounts() {
        let lurah = Actor {
            user: UserId::new(),
            assignments: vec![role(r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#)],
        };
        let admin = Actor {
            user: UserId::new(),
            assignments: vec![role(r#"{"role":"admin","provinsi":"31"}"#)],
        };
        let camat = Actor {
            user: UserId::new(),
            assignments: vec![role(r#"{"role":"camat","kecamatan":"31.71.01"}"#)],
        };
        let rt_here = role(r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#);
        let rt_there = role(r#"{"role":"ketua_rt","rt":"31.71.01.1002/RW 001/RT 001"}"#);
        let rw_here = role(r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 003"}"#);
        let another_lurah = role(r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#);
        assert!(may_create_account(&lurah, &rt_here).is_ok());
        assert!(may_create_account(&lurah, &rw_here).is_ok());
        assert!(may_create_account(&lurah, &RoleAssignment::Warga).is_ok());
        assert_eq!(
            may_create_account(&lurah, &rt_there),
            Err(Denied::RoleNotAllowed)
        );
        assert_eq!(
            may_create_account(&lurah, &another_lurah),
            Err(Denied::RoleNotAllowed)
        );
        for a in [&rt_here, &rt_there, &another_lurah] {
            assert!(may_create_account(&admin, a).is_ok());
            assert_eq!(may_create_account(&camat, a), Err(Denied::RoleNotAllowed));
        }
    }
}
