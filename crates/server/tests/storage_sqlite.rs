//! The storage suite against the embedded SQLite backend, each case on a fresh file.

use ronda_server::storage::sqlite::SqliteStorage;
use ronda_server::storage::suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_passes_the_storage_suite() {
    let dir = tempfile::tempdir().unwrap();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    suite::run_all(|| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        SqliteStorage::open(dir.path().join(format!("server-{n}.db"))).unwrap()
    })
    .await;
}
