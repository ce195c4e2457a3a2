//! The real `ronda-server` process killed with SIGKILL at random moments while a device syncs
//! (before, during and after the commit, and between commit and response): once it is back,
//! every report arrives exactly once.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ronda_client::store::{OutboxState, ReportQuery};
use ronda_client::sync::{Syncer, login};
use ronda_client::{Store, StoreConfig};
use ronda_core::{
    Accuracy, Coordinate, Description, Lang, Location, LocationSource, NewReport, ReportKind,
    Timestamp,
};

fn server_cmd(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ronda-server"));
    cmd.env_clear()
        .env("RONDA_DATA_DIR", data)
        .env("RUST_LOG", "warn");
    cmd
}

fn add_user(data: &Path, name: &str, role: &str) -> String {
    let out = server_cmd(data)
        .args(["user", "add", "--name", name, "--role", role])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .rsplit('\t')
        .next()
        .unwrap()
        .to_owned()
}

/// Starts the server on `addr` and waits until it listens.
fn start(data: &Path, addr: SocketAddr) -> Child {
    let mut child = server_cmd(data)
        .env("RONDA_LISTEN", addr.to_string())
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on"), "{line:?}");
    child
}

fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn report(rng: &mut StdRng, n: usize) -> NewReport {
    let location = Location {
        coord: Coordinate::new(
            rng.random_range(-6.18..-6.17),
            rng.random_range(106.82..106.83),
        )
        .unwrap(),
        accuracy_m: Accuracy::metres(6.0).unwrap(),
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    };
    NewReport::new(ReportKind::Laporan, "sampah-menumpuk", location)
        .unwrap()
        .describe(Some(
            Description::parse(&format!("Sampah menumpuk, laporan ke-{n}")).unwrap(),
        ))
        .in_area(Some("31.71.01.1001/RW 003/RT 007".parse().unwrap()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_survive_the_server_being_killed_mid_sync() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let rt_code = add_user(
        &data,
        "Pak Budi",
        r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#,
    );
    let lurah_code = add_user(
        &data,
        "Ibu Lurah",
        r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#,
    );
    let addr = free_port();
    let url = format!("http://{addr}");
    let mut server = start(&data, addr);

    let mut device = Store::open_with(dir.path().join("rt.db"), &StoreConfig::default()).unwrap();
    let session = login(&mut device, &url, &rt_code, "HP", Lang::Id)
        .await
        .unwrap();
    let mut syncer = Syncer::new(&session, Lang::Id).unwrap();
    let mut rng = StdRng::seed_from_u64(0xFA17);
    let mut made = std::collections::BTreeSet::new();
    let mut interrupted = 0;

    for round in 0..20 {
        for _ in 0..rng.random_range(20..120) {
            let r = report(&mut rng, made.len());
            made.insert(r.id());
            device.create_report(&r).unwrap();
        }
        let kill_after = Duration::from_millis(rng.random_range(0..60));
        let mut quiet = |_| {};
        let result = {
            let syncing = syncer.sync(&mut device, &mut quiet);
            tokio::pin!(syncing);
            let finished = tokio::select! {
                r = &mut syncing => Some(r),
                () = tokio::time::sleep(kill_after) => None,
            };
            server.kill().unwrap(); // SIGKILL, possibly between commit and response
            server.wait().unwrap();
            match finished {
                Some(r) => r,
                None => syncing.await,
            }
        };
        if result.is_err() {
            interrupted += 1;
        }
        server = start(&data, addr);
        assert!(device.check().unwrap().ok, "round {round}");
    }
    // Signal is back for good.
    syncer.sync(&mut device, &mut |_| {}).await.unwrap();
    assert!(
        interrupted >= 5,
        "only {interrupted} syncs were cut; the test proves little"
    );
    let outbox = device.outbox(None).unwrap();
    assert_eq!(outbox.len(), made.len());
    assert!(
        outbox.iter().all(|e| e.state == OutboxState::Accepted),
        "every op acknowledged"
    );

    let mut lurah = Store::open(dir.path().join("lurah.db")).unwrap();
    let session = login(&mut lurah, &url, &lurah_code, "HP", Lang::Id)
        .await
        .unwrap();
    Syncer::new(&session, Lang::Id)
        .unwrap()
        .sync(&mut lurah, &mut |_| {})
        .await
        .unwrap();
    let seen = lurah
        .query(&ReportQuery {
            limit: 100_000,
            ..Default::default()
        })
        .unwrap();
    let ids: std::collections::BTreeSet<_> = seen.iter().map(|r| r.id).collect();
    assert_eq!(seen.len(), ids.len(), "no report arrived twice");
    assert_eq!(ids, made, "every report arrived");
    server.kill().unwrap();
    server.wait().unwrap();
}
