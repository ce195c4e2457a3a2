//! The lifecycle's permission table as the server enforces it over HTTP: every role tries every
//! action on a report inside its area and on one outside it (and, for the reporter's own steps,
//! on a report of its own). An allowed step moves the report; a refused one is answered with the
//! reason's code and leaves the stored report exactly as it was.

mod common;

use ronda_core::lifecycle::{Act, Action, ActionKind, RejectReason};
use ronda_core::sync::OpResult;
use ronda_core::{AgencyCode, Description, Op, OpBody, ReportId, Role};
use ronda_server::config::Limits;

use common::*;

/// How far each role reaches for each action, written out as the issue states it (not derived
/// from the code under test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Nobody,
    /// Only reports the person made.
    Own,
    /// Reports the person made and reports in the RT/RW they head.
    OwnOrArea,
    /// Reports in the role's area.
    Area,
    /// Reports in the role's area that are with the person's agency.
    Agency,
}

fn expected(role: Role, action: ActionKind) -> Reach {
    use ActionKind::*;
    match role {
        Role::Admin => Reach::Area,
        Role::Lurah => match action {
            Verify | Reject | MarkDuplicate | Reroute | Dispose => Reach::Area,
            StartWork | Resolve | CloseUnfixed => Reach::Agency,
            Confirm | Reopen => Reach::Own,
        },
        Role::Camat => match action {
            Verify | Reject | MarkDuplicate | Reroute | Dispose | CloseUnfixed => Reach::Area,
            StartWork | Resolve => Reach::Nobody,
            Confirm | Reopen => Reach::Own,
        },
        Role::PetugasSkpd => match action {
            Reroute | StartWork | Resolve | CloseUnfixed => Reach::Agency,
            Confirm | Reopen => Reach::Own,
            _ => Reach::Nobody,
        },
        Role::KetuaRt | Role::KetuaRw => match action {
            Confirm | Reopen => Reach::OwnOrArea,
            _ => Reach::Nobody,
        },
        Role::Warga => match action {
            Confirm | Reopen => Reach::Own,
            _ => Reach::Nobody,
        },
    }
}

const ROLES: [(Role, &str); 7] = [
    (Role::Warga, WARGA),
    (Role::KetuaRt, KETUA_RT),
    (Role::KetuaRw, KETUA_RW),
    (Role::Lurah, LURAH),
    (Role::Camat, CAMAT),
    (Role::PetugasSkpd, PETUGAS_SKPD),
    (Role::Admin, ADMIN),
];

fn note(text: &str) -> Option<Description> {
    Some(Description::parse(text).unwrap())
}

fn act(report: ReportId, as_role: Role, action: Action) -> Op {
    let note = match action.kind() {
        ActionKind::Reroute | ActionKind::Reopen | ActionKind::CloseUnfixed => note("alasan uji"),
        _ => None,
    };
    op_at(
        OpBody::Act(Act {
            report,
            as_role,
            action,
            position: Some(location()),
            note,
        }),
        now_ms(),
    )
}

/// The action of each kind as the table tries it.
fn attempt(kind: ActionKind, original: ReportId) -> Action {
    match kind {
        ActionKind::Verify => Action::Verify,
        ActionKind::Reject => Action::Reject {
            reason: RejectReason::TidakDitemukan,
        },
        ActionKind::MarkDuplicate => Action::MarkDuplicate { original },
        ActionKind::Reroute => Action::Reroute {
            to: AgencyCode::Polri,
        },
        ActionKind::Dispose => Action::Dispose { to: None },
        ActionKind::StartWork => Action::StartWork,
        ActionKind::Resolve => Action::Resolve {
            photo: ronda_core::PhotoRef {
                sha256: ronda_core::Sha256Hex::from_digest(&[7; 32]),
                thumb_sha256: ronda_core::Sha256Hex::from_digest(&[8; 32]),
                width: 800,
                height: 600,
                bytes: 1000,
                exif_position: None,
                taken_at: None,
            },
        },
        ActionKind::Confirm => Action::Confirm,
        ActionKind::Reopen => Action::Reopen { photo: None },
        ActionKind::CloseUnfixed => Action::CloseUnfixed,
    }
}

/// The steps an admin takes first so that `kind` can start: a report handed to `agency` where
/// the action needs one.
fn setup(kind: ActionKind, agency: AgencyCode) -> Vec<Action> {
    let dispose = Action::Dispose { to: Some(agency) };
    let resolve = attempt(ActionKind::Resolve, ReportId::new());
    match kind {
        ActionKind::Verify | ActionKind::Reject | ActionKind::MarkDuplicate => vec![],
        ActionKind::Dispose => vec![Action::Verify],
        // Re-routed by whoever has it: here, the agency it was handed to.
        ActionKind::Reroute | ActionKind::StartWork | ActionKind::CloseUnfixed => {
            vec![Action::Verify, dispose]
        }
        ActionKind::Resolve => vec![Action::Verify, dispose, Action::StartWork],
        ActionKind::Confirm | ActionKind::Reopen => vec![Action::Verify, dispose, resolve],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_may_take_exactly_the_steps_the_table_gives_it_inside_and_outside_its_area() {
    let server = TestServer::start_with(Limits {
        syncs_per_minute: 100_000,
        ..Limits::default()
    })
    .await;
    let admin = server.person("Admin DKI", ADMIN).await;
    let reporter = server.person("Rina", WARGA).await;
    let mut checked = 0;
    for (role, role_json) in ROLES {
        let actor = server.person(&format!("{role:?}"), role_json).await;
        for kind in ActionKind::ALL {
            // Steps an agency takes are tried on a report with Bina Marga (the officer's agency)
            // and on one with the kelurahan office (the lurah's).
            let agencies: &[AgencyCode] = match kind {
                ActionKind::StartWork | ActionKind::Resolve | ActionKind::CloseUnfixed => {
                    &[AgencyCode::BinaMarga, AgencyCode::Kelurahan]
                }
                _ => &[AgencyCode::BinaMarga],
            };
            let own_too = matches!(kind, ActionKind::Confirm | ActionKind::Reopen);
            for &agency in agencies {
                for inside in [true, false] {
                    for own in [false, true] {
                        if own && !own_too {
                            continue;
                        }
                        let maker = if own { &actor } else { &reporter };
                        let place = if inside { INSIDE } else { OUTSIDE };
                        let r = report("jalan-rusak", Some(place), "uji tabel");
                        let original = report("jalan-rusak", Some(place), "laporan asli");
                        let made = server
                            .push(maker, vec![create_op(&r), create_op(&original)])
                            .await;
                        assert!(made.iter().all(|m| *m == OpResult::Accepted), "{made:?}");
                        for step in setup(kind, agency) {
                            let got = server
                                .push_one(&admin, act(r.id(), Role::Admin, step))
                                .await;
                            assert_eq!(got, OpResult::Accepted, "setup for {kind:?}");
                        }
                        let before = server.stored(r.id()).await.unwrap();
                        let op = act(r.id(), role, attempt(kind, original.id()));
                        let got = server.push_one(&actor, op.clone()).await;
                        let reach = expected(role, kind);
                        // "Outside" is another kota of Jakarta: still the admin's province.
                        let inside = inside || role == Role::Admin;
                        let may = match reach {
                            Reach::Nobody => false,
                            Reach::Own => own,
                            Reach::OwnOrArea => own || inside,
                            Reach::Area => inside,
                            Reach::Agency => {
                                let mine = match role {
                                    Role::PetugasSkpd => AgencyCode::BinaMarga,
                                    _ => AgencyCode::Kelurahan,
                                };
                                inside && agency == mine
                            }
                        };
                        let label =
                            format!("{role:?} {kind:?} inside={inside} own={own} with={agency:?}");
                        let after = server.stored(r.id()).await.unwrap();
                        if may {
                            assert_eq!(got, OpResult::Accepted, "{label}");
                            assert_eq!(after.status, kind.to_state(), "{label}");
                            let last = after.history.last().unwrap();
                            assert_eq!(
                                (last.by, last.as_role, last.op),
                                (actor.user, role, op.id),
                                "{label}: the history says who, as what"
                            );
                            assert!(server.op_recorded(op.id).await, "{label}");
                        } else {
                            let code = match (reach, inside) {
                                (Reach::Nobody, _) => "FORBIDDEN_ROLE",
                                (Reach::Own | Reach::OwnOrArea, _) => "FORBIDDEN_NOT_YOUR_REPORT",
                                (Reach::Area, _) | (Reach::Agency, false) => {
                                    "FORBIDDEN_OUTSIDE_AREA"
                                }
                                (Reach::Agency, true) => "FORBIDDEN_NOT_YOUR_AGENCY",
                            };
                            assert!(
                                matches!(&got, OpResult::Rejected { code: c, .. } if c == code),
                                "{label}: want {code}, got {got:?}"
                            );
                            assert_rejected(&got, code);
                            assert_eq!(after, before, "{label}: a refusal changes nothing");
                            assert!(!server.op_recorded(op.id).await, "{label}");
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    // 7 roles × (10 actions + 3 agency steps twice) × inside/outside, plus the reporter's own
    // confirm and reopen.
    assert_eq!(checked, 7 * (10 + 3) * 2 + 7 * 2 * 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_one_does_not_hold_is_refused_and_steps_out_of_order_are_refused() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let r = report("jalan-rusak", Some(INSIDE), "jalan berlubang");
    assert_eq!(
        server.push_one(&rt, create_op(&r)).await,
        OpResult::Accepted
    );

    // Claiming the lurah's role does not make the RT head one.
    let claimed = server
        .push_one(&rt, act(r.id(), Role::Lurah, Action::Verify))
        .await;
    assert_rejected(&claimed, "FORBIDDEN_ROLE_NOT_HELD");
    // Work cannot start before a hand-over, nor be confirmed before it is fixed.
    let early = server
        .push_one(&lurah, act(r.id(), Role::Lurah, Action::StartWork))
        .await;
    assert_rejected(&early, "TRANSITION_NOT_ALLOWED");
    // A duplicate of a report that is not there is refused.
    let nowhere = server
        .push_one(
            &lurah,
            act(
                r.id(),
                Role::Lurah,
                Action::MarkDuplicate {
                    original: ReportId::new(),
                },
            ),
        )
        .await;
    assert_rejected(&nowhere, "DUPLICATE_ORIGINAL_NOT_FOUND");
    // A step on a report the server does not have.
    let missing = server
        .push_one(&lurah, act(ReportId::new(), Role::Lurah, Action::Verify))
        .await;
    assert_rejected(&missing, "REPORT_NOT_FOUND");
    let stored = server.stored(r.id()).await.unwrap();
    assert!(stored.history.is_empty());
    assert_eq!(stored.status, ronda_core::ReportStatus::Baru);

    // The same op sent twice is one step.
    let verify = act(r.id(), Role::Lurah, Action::Verify);
    assert_eq!(
        server.push_one(&lurah, verify.clone()).await,
        OpResult::Accepted
    );
    assert_eq!(server.push_one(&lurah, verify).await, OpResult::Duplicate);
    assert_eq!(server.stored(r.id()).await.unwrap().history.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_follows_the_admins_kewenangan_rules() {
    use ronda_core::kewenangan::{Kewenangan, Rule};
    let lifecycle = ronda_server::config::Lifecycle {
        kewenangan: Kewenangan::new(vec![Rule {
            category: ronda_core::CategoryCode::parse("pju-mati").unwrap(),
            area: area("31.71.01.1001"),
            agency: AgencyCode::Kelurahan,
        }]),
        ..Default::default()
    };
    let server = TestServer::start_configured(Limits::default(), lifecycle).await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let here = report("pju-mati", Some(INSIDE), "lampu gang mati");
    let there = report("pju-mati", Some(OUTSIDE), "lampu jalan mati");
    let admin = server.person("Admin", ADMIN).await;
    for (who, r) in [(&lurah, &here), (&admin, &there)] {
        let role = if std::ptr::eq(who, &lurah) {
            Role::Lurah
        } else {
            Role::Admin
        };
        assert_eq!(server.push_one(who, create_op(r)).await, OpResult::Accepted);
        for step in [Action::Verify, Action::Dispose { to: None }] {
            assert_eq!(
                server.push_one(who, act(r.id(), role, step)).await,
                OpResult::Accepted
            );
        }
    }
    // In Gambir street lights are the kelurahan's own; elsewhere the catalogue's agency's.
    assert_eq!(
        server.stored(here.id()).await.unwrap().agency,
        Some(AgencyCode::Kelurahan)
    );
    let default = ronda_core::category::lookup("pju-mati").unwrap().agency;
    assert_eq!(
        server.stored(there.id()).await.unwrap().agency,
        Some(default)
    );
    assert_ne!(default, AgencyCode::Kelurahan);
    // So the lurah, as the kelurahan office, may start the work on hers.
    assert_eq!(
        server
            .push_one(&lurah, act(here.id(), Role::Lurah, Action::StartWork))
            .await,
        OpResult::Accepted
    );
}
