//! Convergence: devices of different roles, some with clocks days or years off, make random
//! edits offline and sync in random interleavings against the real server over HTTP. At the end
//! every device equals the server within its buckets, every acknowledged op is in effect or kept
//! as a losing value, and nothing is duplicated.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;

use ronda_client::store::{OutboxState, ReportQuery};
use ronda_client::sync::{Syncer, login};
use ronda_client::{Store, StoreConfig};
use ronda_core::sync::{FieldValue, ServerReport, session_buckets};
use ronda_core::{
    Accuracy, CategoryCode, Coordinate, Description, Lang, Location, LocationSource, NewReport,
    OpBody, ReportId, ReportKind, ReportPatch, RoleAssignment, Timestamp, UserId,
};
use ronda_server::storage::Storage;

mod live;
use live::LiveServer;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// (role JSON, clock skew)
const DEVICES: [(&str, i64); 4] = [
    (
        r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#,
        0,
    ),
    (
        r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#,
        -2 * DAY_MS,
    ),
    (r#"{"role":"warga"}"#, 3 * 365 * DAY_MS),
    (
        r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 008"}"#,
        -40 * 365 * DAY_MS / 10,
    ),
];
const AREAS: [&str; 3] = [
    "31.71.01.1001/RW 003/RT 007",
    "31.71.01.1001/RW 003/RT 008",
    "31.71.01.1001",
];
const CATEGORIES: [&str; 3] = ["jalan-rusak", "sampah-menumpuk", "banjir"];

#[derive(Debug, Clone)]
enum Action {
    Create {
        device: usize,
        area: usize,
    },
    Edit {
        device: usize,
        pick: usize,
        field: usize,
        value: usize,
    },
    Sync {
        device: usize,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..4usize, 0..3usize).prop_map(|(device, area)| Action::Create { device, area }),
        5 => (0..4usize, any::<usize>(), 0..3usize, 0..5usize)
            .prop_map(|(device, pick, field, value)| Action::Edit { device, pick, field, value }),
        4 => (0..4usize).prop_map(|device| Action::Sync { device }),
    ]
}

struct Device {
    store: Store,
    syncer: Syncer,
    user: UserId,
    roles: Vec<RoleAssignment>,
}

fn location(value: usize) -> Location {
    Location {
        coord: Coordinate::new(-6.176 + value as f64 * 0.0001, 106.823).unwrap(),
        accuracy_m: Accuracy::metres(5.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    }
}

async fn run_case(dir: &Path, actions: &[Action]) {
    let server = LiveServer::start(dir).await;
    let (url, storage) = (server.url(), server.storage.clone());

    let mut devices = Vec::new();
    for (i, (role, skew)) in DEVICES.iter().enumerate() {
        let roles = vec![serde_json::from_str::<RoleAssignment>(role).unwrap()];
        let (user, code) =
            ronda_server::admin::add_user(&storage, &format!("device {i}"), roles.clone())
                .await
                .unwrap();
        let config = StoreConfig {
            clock_skew_ms: *skew,
            ..StoreConfig::default()
        };
        let mut store = Store::open_with(dir.join(format!("d{i}.db")), &config).unwrap();
        let session = login(&mut store, &url, &code, "test", Lang::En)
            .await
            .unwrap();
        let syncer = Syncer::new(&session, Lang::En).unwrap();
        devices.push(Device {
            store,
            syncer,
            user,
            roles,
        });
    }

    for a in actions {
        match *a {
            Action::Create { device, area } => {
                let d = &mut devices[device];
                let report =
                    NewReport::new(ReportKind::Laporan, CATEGORIES[area % 3], location(area))
                        .unwrap()
                        .describe(Some(Description::parse(&format!("awal {device}")).unwrap()))
                        .in_area(Some(AREAS[area].parse().unwrap()));
                d.store.create_report(&report).unwrap();
            }
            Action::Edit {
                device,
                pick,
                field,
                value,
            } => {
                let d = &mut devices[device];
                let mine = d
                    .store
                    .query(&ReportQuery {
                        limit: 10_000,
                        ..Default::default()
                    })
                    .unwrap();
                if mine.is_empty() {
                    continue;
                }
                let id = mine[pick % mine.len()].id;
                let mut patch = ReportPatch {
                    report: id,
                    category: None,
                    location: None,
                    description: None,
                };
                match field {
                    0 => patch.category = Some(CategoryCode::parse(CATEGORIES[value % 3]).unwrap()),
                    1 => patch.location = Some(location(value)),
                    _ => {
                        patch.description =
                            Some(Description::parse(&format!("ubah {device}.{value}")).unwrap())
                    }
                }
                d.store.update_report(&patch).unwrap();
            }
            Action::Sync { device } => {
                let d = &mut devices[device];
                d.syncer.sync(&mut d.store, &mut |_| {}).await.unwrap();
            }
        }
    }
    // Signal returns for everyone.
    for _ in 0..3 {
        for d in &mut devices {
            d.syncer.sync(&mut d.store, &mut |_| {}).await.unwrap();
        }
    }

    // What the server holds, report by report.
    let all_buckets: BTreeSet<_> = devices
        .iter()
        .flat_map(|d| session_buckets(d.user, &d.roles))
        .collect();
    let server_reports: BTreeMap<ReportId, ServerReport> = storage
        .read(move |tx| {
            let mut out = BTreeMap::new();
            for b in &all_buckets {
                for c in tx.changes(b, 0, 1_000_000)? {
                    let id = c.report.report.id();
                    out.insert(id, tx.report(id)?.expect("a logged report exists"));
                }
            }
            Ok(out)
        })
        .await
        .unwrap();

    let mut created = BTreeSet::new();
    for (i, d) in devices.iter().enumerate() {
        let buckets = session_buckets(d.user, &d.roles);
        let expected: BTreeSet<ReportId> = storage
            .read(move |tx| {
                let mut ids = BTreeSet::new();
                for b in &buckets {
                    ids.extend(
                        tx.changes(b, 0, 1_000_000)?
                            .into_iter()
                            .map(|c| c.report.report.id()),
                    );
                }
                Ok(ids)
            })
            .await
            .unwrap();
        let local = d
            .store
            .query(&ReportQuery {
                limit: 100_000,
                ..Default::default()
            })
            .unwrap();
        let local_ids: BTreeSet<ReportId> = local.iter().map(|r| r.id).collect();
        assert_eq!(
            local_ids, expected,
            "device {i} holds exactly its buckets' reports"
        );
        for summary in &local {
            let server = &server_reports[&summary.id];
            let mine = d.store.report(summary.id).unwrap().unwrap();
            assert_eq!(
                mine.draft(),
                &server.report,
                "device {i}, report {}",
                summary.id
            );
            let mut losers_here: Vec<String> = d
                .store
                .losers(summary.id)
                .unwrap()
                .iter()
                .map(|l| format!("{l:?}"))
                .collect();
            let mut losers_there: Vec<String> =
                server.losers.iter().map(|l| format!("{l:?}")).collect();
            losers_here.sort();
            losers_there.sort();
            assert_eq!(
                losers_here, losers_there,
                "device {i} shows the same losing values"
            );
        }
        // Every op the server acknowledged is in effect or kept as a losing value.
        for entry in d.store.outbox(Some(OutboxState::Accepted)).unwrap() {
            match &entry.op.body {
                OpBody::CreateReport(r) => {
                    assert!(created.insert(r.id()), "created twice");
                    assert!(server_reports.contains_key(&r.id()));
                }
                OpBody::UpdateReport(p) => {
                    let s = &server_reports[&p.report];
                    let op = entry.op.id;
                    let kept = |v: FieldValue| s.losers.iter().any(|l| l.op == op && l.value == v);
                    if let Some(c) = &p.category {
                        assert!(
                            s.stamps.category.op == op || kept(FieldValue::Category(c.clone()))
                        );
                    }
                    if let Some(l) = p.location {
                        assert!(s.stamps.location.op == op || kept(FieldValue::Location(l)));
                    }
                    if let Some(t) = &p.description {
                        assert!(
                            s.stamps.description.op == op
                                || kept(FieldValue::Description(t.clone()))
                        );
                    }
                }
                other => unreachable!("this run makes creates and edits only: {other:?}"),
            }
        }
        assert!(
            d.store
                .outbox(Some(OutboxState::Pending))
                .unwrap()
                .is_empty()
        );
        assert!(d.store.outbox(Some(OutboxState::Sent)).unwrap().is_empty());
        // Refused only for editing someone else's report without the role for it.
        for entry in d.store.outbox(Some(OutboxState::Rejected)).unwrap() {
            assert_eq!(entry.rejection.unwrap().code, "FORBIDDEN_NOT_YOUR_REPORT");
        }
    }
    assert_eq!(
        created.len(),
        server_reports.len(),
        "every report on the server was made once"
    );
    server.stop();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn devices_converge_with_the_server(actions in prop::collection::vec(action(), 5..40)) {
        let dir = tempfile::tempdir().unwrap();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run_case(dir.path(), &actions));
    }
}
