//! Who may do what, where. One table for every backend and for the app: the server enforces it
//! per op; the app uses it to offer only what is allowed.

use crate::agency::AgencyCode;
use crate::area::AreaCode;
use crate::i18n::{Coded, Lang};
use crate::id::UserId;
use crate::lifecycle::ActionKind;
use crate::op::OpBody;
use crate::report::ReportStatus;
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
    /// The body the report is with now (none before it is handed over).
    pub agency: Option<AgencyCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("only the reporter or an official of the report's area may edit it")]
    NotYourReport,
    #[error("your role does not allow this")]
    RoleNotAllowed,
    #[error("you do not hold the role you act as")]
    RoleNotHeld,
    #[error("the report is outside your area")]
    OutsideArea,
    #[error("the report is not with your agency")]
    NotYourAgency,
}

impl Coded for Denied {
    fn code(&self) -> &'static str {
        match self {
            Denied::NotYourReport => "FORBIDDEN_NOT_YOUR_REPORT",
            Denied::RoleNotAllowed => "FORBIDDEN_ROLE",
            Denied::RoleNotHeld => "FORBIDDEN_ROLE_NOT_HELD",
            Denied::OutsideArea => "FORBIDDEN_OUTSIDE_AREA",
            Denied::NotYourAgency => "FORBIDDEN_NOT_YOUR_AGENCY",
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
            Denied::RoleNotHeld => lang.pick(
                "Anda tidak memegang peran yang dipakai untuk tindakan ini",
                "you do not hold the role you act as",
            ),
            Denied::OutsideArea => lang.pick(
                "laporan ini di luar wilayah Anda",
                "this report is outside your area",
            ),
            Denied::NotYourAgency => lang.pick(
                "laporan ini tidak sedang ditangani instansi Anda",
                "this report is not with your agency",
            ),
        }
        .into()
    }
}

/// Officials who may correct the free fields of any report in their area.
fn edits_in_area(role: Role) -> bool {
    matches!(role, Role::Lurah | Role::Camat | Role::Admin)
}

/// May `actor` apply `op` to `target`?
///
/// | op | who |
/// |---|---|
/// | `report.create` | anyone signed in, anywhere: reporting is never restricted |
/// | `report.update` | the reporter; a lurah, camat or admin whose area holds the report |
/// | `report.support` | anyone signed in (the lifecycle refuses the reporter's own) |
/// | `report.act` | the role the act names, as far as [`reach`] says |
pub fn authorize(actor: &Actor, op: &OpBody, target: Target<'_>) -> Result<(), Denied> {
    match op {
        OpBody::CreateReport(_) | OpBody::Support(_) => Ok(()),
        // Only the head of an RT or RW checks in for it; the check-in has no report target.
        OpBody::Nihil(nihil) => {
            if crate::patrol::heads(&actor.assignments, &nihil.area) {
                Ok(())
            } else {
                Err(Denied::RoleNotAllowed)
            }
        }
        OpBody::Act(act) => authorize_act(actor, act.as_role, act.action.kind(), target),
        OpBody::UpdateReport(_) => {
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

/// How far a role's permission for one action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Nobody,
    /// Reports the person made.
    OwnReport,
    /// Reports the person made, and reports in the RT or RW they head.
    OwnOrArea,
    /// Reports in the area the role covers.
    Area,
    /// Reports in the area the role covers that are with the person's agency (for a lurah, the
    /// kelurahan office).
    Agency,
}

/// The lifecycle's permission table: which role may take which action, and how far.
///
/// | action | warga | ketua RT/RW | lurah | camat | petugas SKPD | admin |
/// |---|---|---|---|---|---|---|
/// | verify, reject, mark duplicate, dispose | – | – | area | area | – | area |
/// | reroute | – | – | area | area | agency | area |
/// | start work, resolve | – | – | agency | – | agency | area |
/// | close unfixed | – | – | agency | area | agency | area |
/// | confirm, reopen | own | own or area | own | own | own | area |
pub fn reach(role: Role, action: ActionKind) -> Reach {
    use ActionKind as A;
    match (role, action) {
        (Role::Admin, _) => Reach::Area,
        (
            Role::Lurah | Role::Camat,
            A::Verify | A::Reject | A::MarkDuplicate | A::Dispose | A::Reroute,
        ) => Reach::Area,
        (Role::PetugasSkpd, A::Reroute | A::StartWork | A::Resolve | A::CloseUnfixed) => {
            Reach::Agency
        }
        (Role::Lurah, A::StartWork | A::Resolve | A::CloseUnfixed) => Reach::Agency,
        (Role::Camat, A::CloseUnfixed) => Reach::Area,
        (Role::KetuaRt | Role::KetuaRw, A::Confirm | A::Reopen) => Reach::OwnOrArea,
        (_, A::Confirm | A::Reopen) => Reach::OwnReport,
        _ => Reach::Nobody,
    }
}

fn agency_of(assignment: &RoleAssignment) -> Option<AgencyCode> {
    match assignment {
        RoleAssignment::PetugasSkpd(scope) => Some(scope.agency()),
        RoleAssignment::Lurah { .. } => Some(AgencyCode::Kelurahan),
        _ => None,
    }
}

fn reaches(
    actor: &Actor,
    assignment: &RoleAssignment,
    action: ActionKind,
    target: Target<'_>,
) -> Result<(), Denied> {
    let covers = target.area.is_some_and(|area| assignment.covers(area));
    match reach(assignment.role(), action) {
        Reach::Nobody => Err(Denied::RoleNotAllowed),
        Reach::OwnReport if target.reporter == actor.user => Ok(()),
        Reach::OwnReport => Err(Denied::NotYourReport),
        Reach::OwnOrArea if target.reporter == actor.user || covers => Ok(()),
        Reach::OwnOrArea => Err(Denied::NotYourReport),
        Reach::Area if covers => Ok(()),
        Reach::Area => Err(Denied::OutsideArea),
        Reach::Agency if !covers => Err(Denied::OutsideArea),
        Reach::Agency if target.agency.is_some() && target.agency == agency_of(assignment) => {
            Ok(())
        }
        Reach::Agency => Err(Denied::NotYourAgency),
    }
}

/// May `actor`, acting as `as_role`, take `action` on `target`? The role must be one they hold;
/// when they hold it in several places, any one that reaches the report will do.
pub fn authorize_act(
    actor: &Actor,
    as_role: Role,
    action: ActionKind,
    target: Target<'_>,
) -> Result<(), Denied> {
    let mut verdict = Err(Denied::RoleNotHeld);
    for a in actor.assignments.iter().filter(|a| a.role() == as_role) {
        verdict = reaches(actor, a, action, target);
        if verdict.is_ok() {
            break;
        }
    }
    verdict
}

/// The first of `actor`'s roles in which they may take `action` on `target`, if any.
pub fn acting_role(actor: &Actor, action: ActionKind, target: Target<'_>) -> Option<Role> {
    actor
        .assignments
        .iter()
        .map(RoleAssignment::role)
        .find(|r| authorize_act(actor, *r, action, target).is_ok())
}

/// Everything `actor` may do to a report in `status`, as (role, action) pairs: what the app
/// offers.
pub fn offered_actions(
    actor: &Actor,
    status: ReportStatus,
    target: Target<'_>,
) -> Vec<(Role, ActionKind)> {
    ActionKind::ALL
        .into_iter()
        .filter(|action| action.from_states().contains(&status))
        .filter_map(|action| Some((acting_role(actor, action, target)?, action)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let loc = crate::location::Location {
            coord: crate::location::Coordinate::new(-6.2, 106.8).unwrap(),
            accuracy_m: crate::location::Accuracy::metres(5.0).unwrap(),
            source: crate::location::LocationSource::Gps,
            captured_at: crate::time::Timestamp::now(),
        };
        let new = crate::report::NewReport::new(crate::report::ReportKind::Laporan, "banjir", loc)
            .unwrap();
        let id = new.id();
        let create = OpBody::CreateReport(new);
        let update = OpBody::UpdateReport(crate::op::ReportPatch {
            report: id,
            category: None,
            location: None,
            description: Some(crate::text::Description::parse("dalam").unwrap()),
        });
        let support = OpBody::Support(crate::op::Support { report: id });
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
                    agency: None,
                };
                let mine = Target {
                    area: Some(area),
                    reporter: actor.user,
                    agency: None,
                };
                assert!(authorize(&actor, &create, theirs).is_ok());
                assert!(authorize(&actor, &support, theirs).is_ok());
                assert!(
                    authorize(&actor, &update, mine).is_ok(),
                    "{role:?} edits own"
                );
                let may_edit_others = match role {
                    Role::Lurah | Role::Camat => is_inside,
                    Role::Admin => true,
                    _ => false,
                };
                let got = authorize(&actor, &update, theirs);
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
