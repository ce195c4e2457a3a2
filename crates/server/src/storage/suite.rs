//! The storage test suite: every backend runs these, unchanged. A backend's test file calls
//! [`run_all`] with a function that makes a fresh, empty storage.

use std::collections::BTreeSet;

use ronda_core::hlc::{Hlc, Stamp};
use ronda_core::sync::{BucketId, OpResult, ServerReport, member_hash, report_buckets};
use ronda_core::{
    Accuracy, AgencyCode, Coordinate, DeviceId, Location, LocationSource, NewReport, OpId,
    ReportKind, RoleAssignment, Timestamp, UserId,
};

use super::{Activation, Device, RecordedOp, Storage, StorageError, User};

fn report_in(area: &str) -> NewReport {
    let location = Location {
        coord: Coordinate::new(-6.2, 106.82).unwrap(),
        accuracy_m: Accuracy::metres(5.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    NewReport::new(ReportKind::Laporan, "jalan-rusak", location)
        .unwrap()
        .in_area(Some(area.parse().unwrap()))
}

fn server_report(area: &str, reporter: UserId) -> (ServerReport, Vec<BucketId>) {
    let r = report_in(area);
    let buckets = report_buckets(r.area(), reporter, AgencyCode::BinaMarga);
    let stamp = Stamp {
        hlc: Hlc { ms: 1, n: 0 },
        op: OpId::new(),
    };
    (
        ServerReport::create(r, reporter, stamp, Timestamp::now()),
        buckets,
    )
}

/// Accounts, devices and activation codes are stored and read back.
pub async fn accounts<S: Storage>(s: S) {
    let user = User {
        id: UserId::new(),
        name: "Bu Siti".into(),
    };
    let lurah = RoleAssignment::Lurah {
        kelurahan: "31.71.01.1001".parse().unwrap(),
    };
    let (u, a) = (user.clone(), vec![lurah.clone()]);
    s.write(move |tx| tx.insert_user(&u, &a)).await.unwrap();
    let id = user.id;
    assert_eq!(
        s.read(move |tx| tx.user(id)).await.unwrap(),
        Some(user.clone())
    );
    assert_eq!(
        s.read(move |tx| tx.assignments(id)).await.unwrap(),
        vec![lurah]
    );

    let activation = Activation {
        code_id: "K7QF".into(),
        user: user.id,
        secret_hash: "$argon2id$stand-in".into(),
        expires_at_ms: 99,
        used: false,
        failures: 0,
    };
    let a = activation.clone();
    s.write(move |tx| tx.insert_activation(&a)).await.unwrap();
    let a = activation.clone();
    let again = s.write(move |tx| tx.insert_activation(&a)).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    s.write(|tx| tx.update_activation("K7QF", true, 2))
        .await
        .unwrap();
    let got = s.read(|tx| tx.activation("K7QF")).await.unwrap().unwrap();
    assert!(got.used && got.failures == 2);
    assert_eq!(s.read(|tx| tx.activation("NOPE")).await.unwrap(), None);

    let device = Device {
        id: DeviceId::new(),
        user: user.id,
        name: "HP Bu Siti".into(),
        revoked: false,
    };
    let hash = [7u8; 32];
    let d = device.clone();
    s.write(move |tx| tx.insert_device(&d, &hash))
        .await
        .unwrap();
    assert_eq!(
        s.read(move |tx| tx.device_by_refresh(&hash)).await.unwrap(),
        Some(device.clone())
    );
    let did = device.id;
    s.write(move |tx| tx.revoke_device(did)).await.unwrap();
    assert!(
        s.read(move |tx| tx.device(did))
            .await
            .unwrap()
            .unwrap()
            .revoked
    );
}

/// Versions follow commit order; each bucket's log and checksum track its members.
pub async fn reports_and_buckets<S: Storage>(s: S) {
    let reporter = UserId::new();
    let (first, first_buckets) = server_report("31.71.01.1001/RW 003/RT 007", reporter);
    let (second, second_buckets) = server_report("31.71.01.1002", reporter);
    let (f, fb) = (first.clone(), first_buckets.clone());
    let v1 = s.write(move |tx| tx.save_report(&f, &fb)).await.unwrap();
    let (sr, sb) = (second.clone(), second_buckets.clone());
    let v2 = s.write(move |tx| tx.save_report(&sr, &sb)).await.unwrap();
    let mut edited = first.clone();
    edited.losers.clear();
    let (e, fb) = (edited.clone(), first_buckets.clone());
    let v3 = s.write(move |tx| tx.save_report(&e, &fb)).await.unwrap();
    assert!(v1 < v2 && v2 < v3);

    let id = first.report.id();
    let stored = s.read(move |tx| tx.report(id)).await.unwrap().unwrap();
    assert_eq!(stored.version, v3);

    let user_bucket = BucketId::User(reporter);
    let b = user_bucket.clone();
    let log = s.read(move |tx| tx.changes(&b, 0, 100)).await.unwrap();
    assert_eq!(
        log.iter().map(|c| c.version).collect::<Vec<_>>(),
        vec![v1, v2, v3]
    );
    assert_eq!(
        log[0].report.version, v1,
        "a change carries the report as of that change"
    );
    let expected = member_hash(first.report.id(), v3) ^ member_hash(second.report.id(), v2);
    assert_eq!(log.last().unwrap().checksum, expected);
    let b = user_bucket.clone();
    assert_eq!(
        s.read(move |tx| tx.changes(&b, v1, 1)).await.unwrap()[0].version,
        v2
    );
    let b = user_bucket.clone();
    assert_eq!(s.read(move |tx| tx.bucket_head(&b)).await.unwrap(), v3);

    let rt: BucketId = "t:31.71.01.1001/RW 003/RT 007".parse().unwrap();
    let b = rt.clone();
    let rt_log = s.read(move |tx| tx.changes(&b, 0, 100)).await.unwrap();
    assert_eq!(
        rt_log.iter().map(|c| c.version).collect::<Vec<_>>(),
        vec![v1, v3]
    );
    let empty: BucketId = "k:31.71.09.1009".parse().unwrap();
    assert_eq!(s.read(move |tx| tx.bucket_head(&empty)).await.unwrap(), 0);
}

/// A failed job leaves no trace, and does not disturb the jobs committed with it.
pub async fn failed_jobs_leave_no_trace<S: Storage + Clone>(s: S) {
    let reporter = UserId::new();
    let (good, buckets) = server_report("31.71.01.1001", reporter);
    let (bad, bad_buckets) = server_report("31.71.01.1001", reporter);
    let mut handles = Vec::new();
    for i in 0..40 {
        let s = s.clone();
        let (g, gb, b, bb) = (
            good.clone(),
            buckets.clone(),
            bad.clone(),
            bad_buckets.clone(),
        );
        handles.push(tokio::spawn(async move {
            if i == 20 {
                s.write(move |tx| {
                    tx.save_report(&b, &bb)?;
                    Err::<(), _>(StorageError::Conflict("on purpose".into()))
                })
                .await
                .map(|_| 0)
            } else {
                let mut g = g;
                g.report = report_in("31.71.01.1001");
                s.write(move |tx| tx.save_report(&g, &gb)).await
            }
        }));
    }
    let mut versions = BTreeSet::new();
    let mut failures = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(v) => assert!(versions.insert(v)),
            Err(_) => failures += 1,
        }
    }
    assert_eq!(failures, 1);
    assert_eq!(versions.len(), 39);
    let bad_id = bad.report.id();
    assert_eq!(s.read(move |tx| tx.report(bad_id)).await.unwrap(), None);
    let b = BucketId::User(reporter);
    let log = s.read(move |tx| tx.changes(&b, 0, 1000)).await.unwrap();
    assert_eq!(log.len(), 39, "the failed job's change is not in the log");
    let xor = log.iter().fold(0u64, |acc, c| {
        acc ^ member_hash(c.report.report.id(), c.version)
    });
    assert_eq!(log.last().unwrap().checksum, xor);
}

/// Ops are remembered with their answer.
pub async fn ops_are_remembered<S: Storage>(s: S) {
    let op = OpId::new();
    let recorded = RecordedOp {
        body_hash: [3u8; 32],
        result: OpResult::Rejected {
            code: "FORBIDDEN_ROLE".into(),
            message: "no".into(),
        },
    };
    let r = recorded.clone();
    s.write(move |tx| tx.record_op(op, DeviceId::new(), &r))
        .await
        .unwrap();
    assert_eq!(
        s.read(move |tx| tx.recorded_op(op)).await.unwrap(),
        Some(recorded)
    );
    assert_eq!(
        s.read(|tx| tx.recorded_op(OpId::new())).await.unwrap(),
        None
    );
}

/// Kelurahan are stored whole and replaced by code.
pub async fn areas<S: Storage>(s: S) {
    let mut builtin = crate::areas::builtin();
    let all = builtin.clone();
    s.write(move |tx| all.iter().try_for_each(|a| tx.upsert_area(a)))
        .await
        .unwrap();
    assert_eq!(s.read(|tx| tx.area_count()).await.unwrap(), 3);
    builtin[0].name = "Gambir (baru)".into();
    let changed = builtin[0].clone();
    s.write(move |tx| tx.upsert_area(&changed)).await.unwrap();
    let code = builtin[0].code;
    assert_eq!(
        s.read(move |tx| tx.area(code)).await.unwrap(),
        Some(builtin[0].clone())
    );
    assert_eq!(s.read(|tx| tx.area_count()).await.unwrap(), 3);
    let mut in_order = builtin.clone();
    in_order.sort_by_key(|a| a.code);
    assert_eq!(s.read(|tx| tx.areas()).await.unwrap(), in_order);
    let missing = "31.75.01.1001".parse().unwrap();
    assert_eq!(s.read(move |tx| tx.area(missing)).await.unwrap(), None);
}

/// Check-ins: one per area and day, found by any area that contains theirs, in order, after a
/// cursor.
pub async fn check_ins<S: Storage>(s: S) {
    use ronda_core::patrol::{CheckIn, Nihil};
    let by = UserId::new();
    let check_in = |area: &str, day: &str| CheckIn {
        nihil: Nihil {
            day: day.parse().unwrap(),
            ..Nihil::new(area.parse().unwrap(), Timestamp::now(), None)
        },
        by,
        received_at: Timestamp::now(),
    };
    let rt7 = check_in("31.71.01.1001/RW 003/RT 007", "2026-11-30");
    let rt7_again = check_in("31.71.01.1001/RW 003/RT 007", "2026-11-30");
    let rt7_next = check_in("31.71.01.1001/RW 003/RT 007", "2026-12-01");
    let rw4 = check_in("31.71.01.1001/RW 004", "2026-11-30");
    let elsewhere = check_in("31.71.01.1002/RW 001/RT 001", "2026-11-30");
    let all = [&rt7, &rt7_again, &rt7_next, &rw4, &elsewhere].map(Clone::clone);
    let recorded = s
        .write(move |tx| {
            all.iter()
                .map(|c| tx.insert_check_in(c))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .unwrap();
    assert_eq!(recorded, [true, false, true, true, true]);

    let find = |within: &[&str], after: i64| {
        let within: Vec<ronda_core::AreaCode> = within.iter().map(|a| a.parse().unwrap()).collect();
        s.read(move |tx| tx.check_ins(&within, after, 10))
    };
    let ids = |found: &[(i64, CheckIn)]| found.iter().map(|(_, c)| c.nihil.id).collect::<Vec<_>>();
    let kelurahan = find(&["31.71.01.1001"], 0).await.unwrap();
    assert_eq!(
        ids(&kelurahan),
        [rt7.nihil.id, rt7_next.nihil.id, rw4.nihil.id]
    );
    assert_eq!(kelurahan[0].1, rt7, "read back whole");
    let after_first = find(&["31.71.01.1001"], kelurahan[0].0).await.unwrap();
    assert_eq!(ids(&after_first), [rt7_next.nihil.id, rw4.nihil.id]);
    let rw3 = find(&["31.71.01.1001/RW 003"], 0).await.unwrap();
    assert_eq!(ids(&rw3), [rt7.nihil.id, rt7_next.nihil.id]);
    let both = find(&["31.71.01.1001/RW 004", "31.71.01"], 0)
        .await
        .unwrap();
    assert_eq!(
        ids(&both),
        [
            rt7.nihil.id,
            rt7_next.nihil.id,
            rw4.nihil.id,
            elsewhere.nihil.id
        ],
        "each once, in order"
    );
    // Another RT of the same RW sees nothing of this one.
    assert!(
        find(&["31.71.01.1002/RW 001/RT 010"], 0)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Every case, each on a fresh storage from `make`.
pub async fn run_all<S: Storage + Clone>(make: impl Fn() -> S) {
    accounts(make()).await;
    reports_and_buckets(make()).await;
    failed_jobs_leave_no_trace(make()).await;
    ops_are_remembered(make()).await;
    areas(make()).await;
    check_ins(make()).await;
}
