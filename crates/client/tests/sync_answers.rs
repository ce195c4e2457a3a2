//! How the server's answers are taken apart on the device, against the real server on loopback:
//! a device's own accepted edit comes back as an echo it replays (and an echo it cannot replay
//! leaves its bucket to be fetched again), and the access token is kept between runs.

use ronda_client::store::{ReportQuery, Session};
use ronda_client::sync::{Api, Syncer, login};
use ronda_client::{Store, StoreConfig};
use ronda_core::sync::SyncRequest;
use ronda_core::{
    Accuracy, Coordinate, Description, Lang, Location, LocationSource, NewReport, ReportId,
    ReportKind, ReportPatch, Timestamp,
};
use ronda_server::storage::Storage as _;

mod live;
use live::LiveServer;

const RT: &str = r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#;

fn report() -> NewReport {
    let location = Location {
        coord: Coordinate::new(-6.1761, 106.8230).unwrap(),
        accuracy_m: Accuracy::metres(6.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    NewReport::new(ReportKind::Laporan, "jalan-rusak", location)
        .unwrap()
        .describe(Some(Description::parse("Lubang di depan musala").unwrap()))
        .in_area(Some("31.71.01.1001/RW 003/RT 007".parse().unwrap()))
}

async fn device(server: &LiveServer, dir: &std::path::Path, name: &str) -> (Store, Session) {
    let mut store =
        Store::open_with(dir.join(format!("{name}.db")), &StoreConfig::default()).unwrap();
    let code = server.code(name, RT).await;
    let session = login(&mut store, &server.url(), &code, name, Lang::Id)
        .await
        .unwrap();
    (store, session)
}

async fn sync(store: &mut Store, session: &Session) -> ronda_client::sync::SyncSummary {
    Syncer::new(session, Lang::Id)
        .unwrap()
        .sync(store, &mut |_| {})
        .await
        .unwrap()
}

/// One sync by hand, so the test sees the server's answer before the store applies it.
async fn push_by_hand(
    store: &mut Store,
    session: &Session,
) -> (Vec<ronda_core::Op>, ronda_core::sync::SyncResponse, i64) {
    let api = Api::new(&session.server_url, Lang::Id).unwrap();
    let (token, _) = store.access_token().unwrap().expect("a kept token");
    let request = SyncRequest {
        ops: store.ops_to_send(100).unwrap(),
        cursors: store.cursors().unwrap().into_iter().collect(),
        ..Default::default()
    };
    let sent_at = store.device_now_ms();
    let response = api.sync(&token, &request).await.unwrap();
    (request.ops, response, sent_at)
}

fn description(store: &Store, id: ReportId) -> Option<String> {
    store
        .report(id)
        .unwrap()
        .unwrap()
        .description()
        .map(|d| d.as_str().to_owned())
}

async fn edit_and_answer(
    store: &mut Store,
    session: &Session,
    id: ReportId,
    text: &str,
) -> (Vec<ronda_core::Op>, ronda_core::sync::SyncResponse, i64) {
    store
        .update_report(&ReportPatch {
            report: id,
            category: None,
            location: None,
            description: Some(Description::parse(text).unwrap()),
        })
        .unwrap();
    push_by_hand(store, session).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_edit_comes_back_as_an_echo_and_the_device_matches_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(&dir.path().join("server")).await;
    let (mut rt, session) = device(&server, dir.path(), "rt").await;
    let made = report();
    rt.create_report(&made).unwrap();
    let (ops, created, sent_at) = push_by_hand(&mut rt, &session).await;
    assert!(
        created.reports.is_empty() && created.echoes.len() == 1,
        "a new report goes back to its maker as an echo: {created:?}"
    );
    assert_eq!(created.echoes[0].from, 0);
    // The RT head follows the report in two buckets (their own and their RT's): one echo for both.
    assert_eq!(created.pages.len(), 2);
    assert!(created.pages.iter().all(|p| p.echoes == vec![0]));
    rt.apply_sync(&ops, &created, sent_at).unwrap();

    let (ops, edited, sent_at) =
        edit_and_answer(&mut rt, &session, made.id(), "Lubang makin besar").await;
    assert!(edited.reports.is_empty(), "{edited:?}");
    assert_eq!(edited.echoes.len(), 1);
    let applied = rt.apply_sync(&ops, &edited, sent_at).unwrap();
    assert_eq!((applied.buckets_healed, applied.buckets_held), (0, 0));

    // The device's copy is the server's: a second device of the same RT, pulling everything in
    // full, sees the same; and the first device's checksums agree with the server's.
    let (mut other, other_session) = device(&server, dir.path(), "rt2").await;
    sync(&mut other, &other_session).await;
    let stored = server
        .storage
        .read({
            let id = made.id();
            move |tx| tx.report(id)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, edited.echoes[0].version);
    for store in [&rt, &other] {
        assert_eq!(
            description(store, made.id()).as_deref(),
            Some("Lubang makin besar")
        );
        assert_eq!(store.losers(made.id()).unwrap(), stored.losers);
    }
    let again = sync(&mut rt, &session).await;
    assert_eq!((again.reports_received, again.buckets_healed), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echo_the_device_cannot_replay_holds_its_buckets_until_the_report_comes_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(&dir.path().join("server")).await;
    let (mut rt, session) = device(&server, dir.path(), "rt").await;
    let made = report();
    rt.create_report(&made).unwrap();
    sync(&mut rt, &session).await;
    let cursors_before = rt.cursors().unwrap();

    let (ops, mut answer, sent_at) =
        edit_and_answer(&mut rt, &session, made.id(), "Sudah ditambal").await;
    // As if the device held another version than the one the server applied the edit to.
    answer.echoes[0].from += 1;
    let applied = rt.apply_sync(&ops, &answer, sent_at).unwrap();
    assert_eq!(applied.accepted, 1);
    assert_eq!(applied.buckets_held, 2, "both buckets wait for the report");
    assert_eq!(rt.cursors().unwrap(), cursors_before, "no cursor moved");

    // The next sync brings the report in full and everything agrees again.
    let healed = sync(&mut rt, &session).await;
    assert_eq!(healed.reports_received, 1);
    assert_eq!(healed.buckets_healed, 0);
    assert_eq!(
        description(&rt, made.id()).as_deref(),
        Some("Sudah ditambal")
    );
    let again = sync(&mut rt, &session).await;
    assert_eq!(again.reports_received, 0);
    assert_eq!(
        rt.query(&ReportQuery::default()).unwrap().len(),
        1,
        "nothing duplicated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_token_is_kept_between_runs_and_replaced_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(&dir.path().join("server")).await;
    let (mut rt, session) = device(&server, dir.path(), "rt").await;
    let (kept, expires) = rt
        .access_token()
        .unwrap()
        .expect("activation's token is kept");
    assert!(expires > Timestamp::now().millis() + 50 * 60 * 1000);
    rt.create_report(&report()).unwrap();

    // A new run (a new Syncer) with a refresh token that no longer works still syncs: it never
    // asked for a token.
    let broken = Session {
        refresh_token: "not-a-refresh-token".into(),
        ..session.clone()
    };
    rt.set_session(&broken).unwrap();
    rt.set_access_token(Some((&kept, expires))).unwrap();
    let summary = sync(&mut rt, &broken).await;
    assert_eq!(summary.ops_accepted, 1);
    assert_eq!(rt.access_token().unwrap().map(|t| t.0), Some(kept.clone()));

    // A kept token the server refuses is dropped, a fresh one fetched, and the sync goes through.
    rt.set_session(&session).unwrap();
    rt.set_access_token(Some(("refused-token", expires)))
        .unwrap();
    rt.create_report(&report()).unwrap();
    let summary = sync(&mut rt, &session).await;
    assert_eq!(summary.ops_accepted, 1);
    let (fresh, _) = rt.access_token().unwrap().unwrap();
    assert_ne!(fresh, "refused-token");
}
