//! The sync schedule with the real engine and server: it syncs at start, shortly after local
//! writes (a burst is one sync), backs off while the server is unreachable, and catches up when
//! it returns.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Mutex, mpsc, watch};

use ronda_client::Store;
use ronda_client::store::OutboxState;
use ronda_client::sync::{Backoff, Outcome, Schedule, Syncer, Trigger, login};
use ronda_core::{
    Accuracy, Coordinate, Lang, Location, LocationSource, NewReport, ReportKind, RoleAssignment,
    Timestamp,
};

mod live;
use live::LiveServer;

fn report() -> NewReport {
    let location = Location {
        coord: Coordinate::new(-6.1761, 106.8230).unwrap(),
        accuracy_m: Accuracy::metres(5.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    NewReport::new(ReportKind::Laporan, "pju-mati", location).unwrap()
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_after_writes_backs_off_when_offline_and_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(dir.path()).await;
    let (url, storage) = (server.url(), server.storage.clone());
    let role = RoleAssignment::KetuaRt {
        rt: "31.71.01.1001/RW 003/RT 007".parse().unwrap(),
    };
    let (_, code) = ronda_server::admin::add_user(&storage, "Pak Budi", vec![role])
        .await
        .unwrap();
    let mut store = Store::open(dir.path().join("hp.db")).unwrap();
    let session = login(&mut store, &url, &code, "HP", Lang::Id)
        .await
        .unwrap();
    let syncer = Syncer::new(&session, Lang::Id).unwrap();
    let store = Arc::new(Mutex::new(store));

    let schedule = Schedule {
        debounce: Duration::from_millis(300),
        period: Duration::from_secs(3600),
        backoff: Backoff::new(Duration::from_millis(100), Duration::from_millis(400)),
    };
    let (triggers, rx) = mpsc::channel(16);
    let (progress, _) = watch::channel(None);
    let (outcomes, mut seen) = watch::channel::<Option<Outcome>>(None);
    let attempts = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    {
        let (attempts, failures) = (attempts.clone(), failures.clone());
        tokio::spawn(async move {
            while seen.changed().await.is_ok() {
                attempts.fetch_add(1, Ordering::SeqCst);
                if matches!(&*seen.borrow_and_update(), Some(Err(_))) {
                    failures.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
    }
    let runner = tokio::spawn(schedule.run(store.clone(), syncer, rx, progress, outcomes));
    wait_for("the first sync", async || {
        attempts.load(Ordering::SeqCst) >= 1
    })
    .await;
    assert_eq!(failures.load(Ordering::SeqCst), 0);

    // A burst of writes becomes one sync, which sends them all.
    let before = attempts.load(Ordering::SeqCst);
    for _ in 0..5 {
        store.lock().await.create_report(&report()).unwrap();
        triggers.send(Trigger::LocalWrite).await.unwrap();
    }
    wait_for("the writes to be sent", async || {
        store
            .lock()
            .await
            .outbox(Some(OutboxState::Accepted))
            .unwrap()
            .len()
            == 5
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        attempts.load(Ordering::SeqCst) - before,
        1,
        "five writes within the debounce make one sync"
    );

    // The server goes away: retries back off, the report waits on the phone.
    let (data, addr, key) = server.stop();
    store.lock().await.create_report(&report()).unwrap();
    triggers.send(Trigger::Now).await.unwrap();
    wait_for("retries while offline", async || {
        failures.load(Ordering::SeqCst) >= 4
    })
    .await;
    assert_eq!(
        store
            .lock()
            .await
            .outbox(Some(OutboxState::Accepted))
            .unwrap()
            .len(),
        5
    );

    // It comes back on the same address: the next retry delivers without anyone asking.
    let _server = LiveServer::start_at(&data, addr, key).await;
    wait_for("the report made offline to arrive", async || {
        store
            .lock()
            .await
            .outbox(Some(OutboxState::Accepted))
            .unwrap()
            .len()
            == 6
    })
    .await;
    drop(triggers);
    tokio::time::timeout(Duration::from_secs(5), runner)
        .await
        .expect("the schedule stops when its triggers close")
        .unwrap();
}
