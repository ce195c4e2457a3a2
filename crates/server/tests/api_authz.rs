//! The permission table (`ronda_core::authz`) as the server enforces it over HTTP: every role acts
//! once inside its area and once outside it; refused ops leave no trace; and each role pulls
//! exactly the reports in its buckets.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use ronda_core::authz::Denied;
use ronda_core::category;
use ronda_core::sync::{BucketId, OpResult, ServerReport, SyncRequest};
use ronda_core::{AreaCode, Coded, Lang, NewReport, Op, OpBody, ReportId, RoleAssignment, UserId};
use ronda_server::config::Limits;

use common::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Allowed,
    Refused,
}
use Want::{Allowed, Refused};

/// What each role may do. Columns: create inside, create outside, edit own report inside, edit
/// own report outside, edit someone else's report inside, edit someone else's report outside.
const TABLE: [(&str, &str, [Want; 6]); 7] = [
    (
        "warga",
        WARGA,
        [Allowed, Allowed, Allowed, Allowed, Refused, Refused],
    ),
    (
        "ketua_rt",
        KETUA_RT,
        [Allowed, Allowed, Allowed, Allowed, Refused, Refused],
    ),
    (
        "ketua_rw",
        KETUA_RW,
        [Allowed, Allowed, Allowed, Allowed, Refused, Refused],
    ),
    (
        "lurah",
        LURAH,
        [Allowed, Allowed, Allowed, Allowed, Allowed, Refused],
    ),
    (
        "camat",
        CAMAT,
        [Allowed, Allowed, Allowed, Allowed, Allowed, Refused],
    ),
    (
        "petugas_skpd",
        PETUGAS_SKPD,
        [Allowed, Allowed, Allowed, Allowed, Refused, Refused],
    ),
    (
        "admin",
        ADMIN,
        [Allowed, Allowed, Allowed, Allowed, Allowed, Allowed],
    ),
];

/// Plenty: the table makes a few hundred syncs per device within a minute.
fn generous() -> Limits {
    Limits {
        syncs_per_minute: 100_000,
        ..Limits::default()
    }
}

/// Everything one attempt needs to check its effect from the outside.
struct Witness<'a> {
    server: &'a TestServer,
    /// An admin's device: sees every report in DKI Jakarta.
    observer: &'a Session,
    /// The observer's cursors, kept up to date.
    cursors: Cursors,
    /// Who made the reports others try to edit.
    reporter: &'a Session,
}

impl Witness<'_> {
    async fn attempt(&mut self, who: &Session, op: Op, want: Want, label: &str) {
        let server = self.server;
        let before = server.pull_all(self.observer).await;
        let result = server.push_one(who, op.clone()).await;
        let id = op.body.report_id().expect("a report op");
        match want {
            Allowed => {
                assert_eq!(result, OpResult::Accepted, "{label}");
                let news = server.catch_up(self.observer, &mut self.cursors).await;
                let now = news
                    .iter()
                    .find(|r| r.report.id() == id)
                    .unwrap_or_else(|| panic!("{label}: the change reaches the admin"));
                match &op.body {
                    OpBody::CreateReport(new) => {
                        assert_eq!(&now.report, new, "{label}");
                        assert_eq!(
                            now.reporter, who.user,
                            "{label}: the reporter is the caller"
                        );
                    }
                    OpBody::UpdateReport(p) => {
                        assert_eq!(now.report.description(), p.description.as_ref(), "{label}");
                        assert_eq!(now.stamps.description.op, op.id, "{label}");
                    }
                    other => {
                        unreachable!("{label}: this table covers creates and edits: {other:?}")
                    }
                }
            }
            Refused => {
                let message = assert_rejected(&result, "FORBIDDEN_NOT_YOUR_REPORT");
                assert_eq!(message, Denied::NotYourReport.message(Lang::Id), "{label}");

                // No change-log entry: the admin's cursors do not move.
                let news = server
                    .sync(
                        self.observer,
                        &SyncRequest {
                            ops: vec![],
                            cursors: self.cursors.clone(),
                            ..Default::default()
                        },
                    )
                    .await;
                assert!(
                    news.pages.is_empty(),
                    "{label}: a refused op logged a change: {:?}",
                    news.pages
                );
                // The report is as it was, and so is everything else.
                assert_eq!(server.pull_all(self.observer).await, before, "{label}");
                assert!(!server.op_recorded(op.id).await, "{label}: op id recorded");

                // Sent again by the same person: refused again, not "duplicate".
                let again = server.push_one(who, op.clone()).await;
                assert_rejected(&again, "FORBIDDEN_NOT_YOUR_REPORT");
                // The same op id, from someone who may make that edit, is new to the server.
                let replay = server.push_one(self.reporter, op.clone()).await;
                assert_eq!(
                    replay,
                    OpResult::Accepted,
                    "{label}: replay by the reporter"
                );
                let news = server.catch_up(self.observer, &mut self.cursors).await;
                assert!(news.iter().any(|r| r.report.id() == id), "{label}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_inside_and_outside_its_area_gets_what_the_table_says() {
    let server = TestServer::start_with(generous()).await;
    let reporter = server.person("Rina (pelapor)", WARGA).await;
    let observer = server.person("Admin pengamat", ADMIN).await;
    let mut people = Vec::new();
    for (name, json, wants) in TABLE {
        people.push((name, server.person(name, json).await, wants));
    }

    // Someone else's report for each role to try, inside and outside its area.
    let mut theirs = BTreeMap::new();
    let mut ops = Vec::new();
    for (name, _, _) in &people {
        for (place, code) in [("inside", INSIDE), ("outside", OUTSIDE)] {
            let r = report(
                "jalan-rusak",
                Some(code),
                &format!("Lubang jalan ({name}, {place})"),
            );
            ops.push(create_op(&r));
            theirs.insert((*name, place), r.id());
        }
    }
    for result in server.push(&reporter, ops).await {
        assert_eq!(result, OpResult::Accepted);
    }

    let mut witness = Witness {
        server: &server,
        observer: &observer,
        cursors: Cursors::new(),
        reporter: &reporter,
    };
    server.catch_up(&observer, &mut witness.cursors).await;

    for (name, session, wants) in &people {
        let mut own = BTreeMap::new();
        for (i, (place, code)) in [("inside", INSIDE), ("outside", OUTSIDE)]
            .into_iter()
            .enumerate()
        {
            let r = report(
                "pju-mati",
                Some(code),
                &format!("Lampu mati, dilaporkan {name}"),
            );
            own.insert(place, r.id());
            let label = format!("{name} creates {place}");
            witness
                .attempt(session, create_op(&r), wants[i], &label)
                .await;
        }
        for (i, place) in ["inside", "outside"].into_iter().enumerate() {
            let op = describe_op(own[place], &format!("Diperbaiki oleh {name} sendiri"));
            let label = format!("{name} edits own report {place}");
            witness.attempt(session, op, wants[2 + i], &label).await;
        }
        for (i, place) in ["inside", "outside"].into_iter().enumerate() {
            let op = describe_op(theirs[&(*name, place)], &format!("Dikoreksi oleh {name}"));
            let label = format!("{name} edits someone else's report {place}");
            witness.attempt(session, op, wants[4 + i], &label).await;
        }
    }
}

/// Who should see `r`, by brute force over the role's areas.
fn may_see(user: UserId, roles: &[RoleAssignment], reporter: UserId, r: &NewReport) -> bool {
    if reporter == user {
        return true;
    }
    let Some(place) = r.area() else {
        return false;
    };
    let inside = |scope: AreaCode| scope.contains(place);
    roles.iter().any(|a| match a {
        RoleAssignment::Warga => false,
        RoleAssignment::KetuaRt { rt } => inside(AreaCode::Rt(*rt)),
        RoleAssignment::KetuaRw { rw } => inside(AreaCode::Rw(*rw)),
        RoleAssignment::Lurah { kelurahan } => inside(AreaCode::Kelurahan(*kelurahan)),
        RoleAssignment::Camat { kecamatan } => inside(AreaCode::Kecamatan(*kecamatan)),
        RoleAssignment::PetugasSkpd(scope) => {
            category::lookup(r.category().as_str()).unwrap().agency == scope.agency()
                && scope.areas().iter().any(|a| inside(*a))
        }
        RoleAssignment::Admin { provinsi } => inside(AreaCode::Provinsi(*provinsi)),
    })
}

/// Areas at every distance from RT 007 / RW 003 / Gambir, and one report with no area.
const PLACES: [Option<&str>; 10] = [
    Some(INSIDE),
    Some("31.71.01.1001/RW 003/RT 008"),
    Some("31.71.01.1001/RW 004/RT 001"),
    Some("31.71.01.1001"),
    Some("31.71.01.1002/RW 001/RT 001"),
    Some("31.71.02.1001/RW 002/RT 003"),
    Some("31.71.02.1001"),
    Some(OUTSIDE),
    Some("32.73.01.1001/RW 001/RT 001"),
    None,
];
/// Bina Marga's (the SKPD's agency), Sumber Daya Air's and Lingkungan Hidup's.
const CATEGORIES: [&str; 3] = ["jalan-rusak", "banjir", "sampah-menumpuk"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_pulls_exactly_the_reports_in_its_buckets() {
    let server = TestServer::start_with(generous()).await;
    let rina = server.person("Rina (warga)", WARGA).await;
    let dewi = server.person("Dewi (warga)", WARGA).await;
    let mut people = vec![rina.clone(), dewi.clone()];
    for (name, json, _) in TABLE {
        people.push(server.person(name, json).await);
    }

    // (report, reporter): Rina reports everywhere; everyone else reports once inside and once
    // in another kota.
    let mut made: Vec<(NewReport, UserId)> = Vec::new();
    let mut ops = Vec::new();
    for place in PLACES {
        for cat in CATEGORIES {
            let r = report(cat, place, &format!("{cat} di {place:?}"));
            ops.push(create_op(&r));
            made.push((r, rina.user));
        }
    }
    for result in server.push(&rina, ops).await {
        assert_eq!(result, OpResult::Accepted);
    }
    for p in &people[1..] {
        let mine = [
            report(
                "banjir",
                Some(INSIDE),
                &format!("Genangan, kata {}", p.name),
            ),
            report(
                "jalan-rusak",
                Some(OUTSIDE),
                &format!("Lubang, kata {}", p.name),
            ),
        ];
        let results = server.push(p, mine.iter().map(create_op).collect()).await;
        assert!(
            results.iter().all(|r| *r == OpResult::Accepted),
            "{results:?}"
        );
        made.extend(mine.into_iter().map(|r| (r, p.user)));
    }

    for p in &people {
        let pulled = server.pull_all(p).await;
        let expected: BTreeMap<ReportId, &NewReport> = made
            .iter()
            .filter(|(r, by)| may_see(p.user, &p.roles, *by, r))
            .map(|(r, _)| (r.id(), r))
            .collect();
        let got: BTreeSet<ReportId> = pulled.keys().copied().collect();
        let want: BTreeSet<ReportId> = expected.keys().copied().collect();
        let describe = |ids: &BTreeSet<ReportId>| -> Vec<String> {
            ids.iter()
                .map(|id| {
                    let (r, _) = made.iter().find(|(r, _)| r.id() == *id).unwrap();
                    format!("{} in {:?}", r.category(), r.area().map(|a| a.to_string()))
                })
                .collect()
        };
        assert!(
            got == want,
            "{}: sees {:?} it should not, misses {:?}",
            p.name,
            describe(&got.difference(&want).copied().collect()),
            describe(&want.difference(&got).copied().collect()),
        );
        assert!(
            !want.is_empty(),
            "{}: the fixture gives everyone something",
            p.name
        );
        for (id, r) in &pulled {
            assert_eq!(&r.report, expected[id], "{}: the report as made", p.name);
            let reporter = made.iter().find(|(m, _)| m.id() == *id).unwrap().1;
            assert_eq!(r.reporter, reporter);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_for_buckets_not_yours_are_dropped_and_not_served() {
    let server = TestServer::start_with(generous()).await;
    let rina = server.person("Rina (warga)", WARGA).await;
    let rt = server.person("Pak Budi (Ketua RT)", KETUA_RT).await;
    let theirs = report("jalan-rusak", Some(INSIDE), "Lubang di depan pos ronda");
    assert_eq!(
        server.push_one(&rt, create_op(&theirs)).await,
        OpResult::Accepted
    );

    let others: Vec<BucketId> = [
        "p:31",
        "c:31.71.01",
        "k:31.71.01.1001",
        "w:31.71.01.1001/RW 003",
        "t:31.71.01.1001/RW 003/RT 007",
        "a:bina_marga:31.71",
    ]
    .into_iter()
    .map(|b| b.parse().unwrap())
    .chain([BucketId::User(rt.user)])
    .collect();
    let resp = server
        .sync(
            &rina,
            &SyncRequest {
                ops: vec![],
                cursors: others.iter().map(|b| (b.clone(), 0)).collect(),
                ..Default::default()
            },
        )
        .await;
    let dropped: BTreeSet<_> = resp.dropped.into_iter().collect();
    assert_eq!(dropped, others.iter().cloned().collect());
    assert!(
        resp.pages.iter().all(|p| p.reports.is_empty()),
        "a warga with no reports of her own is sent none: {:?}",
        resp.pages
    );

    // The RT head asking for the kelurahan gets only the RT.
    let kel: BucketId = "k:31.71.01.1001".parse().unwrap();
    let resp = server
        .sync(
            &rt,
            &SyncRequest {
                ops: vec![],
                cursors: [(kel.clone(), 0)].into(),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(resp.dropped, vec![kel]);
    let served: BTreeSet<&BucketId> = resp.pages.iter().map(|p| &p.bucket).collect();
    let rt_bucket: BucketId = "t:31.71.01.1001/RW 003/RT 007".parse().unwrap();
    assert_eq!(served, [&BucketId::User(rt.user), &rt_bucket].into());
    let ids: BTreeSet<ReportId> = resp
        .pages
        .iter()
        .flat_map(|p| resp.page_reports(p).map(|r: &ServerReport| r.report.id()))
        .collect();
    assert_eq!(ids, [theirs.id()].into());
}
