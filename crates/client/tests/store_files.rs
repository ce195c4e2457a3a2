//! The store's files: what it makes, what it refuses, and that a file it refuses is left exactly
//! as it was (every byte of the database, and of its -wal file if there is one).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use ronda_client::store::{OutboxState, ReportQuery, SCHEMA_VERSION, StoreStats};
use ronda_client::{Store, StoreConfig, StoreError};
use ronda_core::{Coded, Description, Lang, NewReport, ReportId};
use tempfile::TempDir;

use common::{EPOCH_MS, Snapshot, random_description, random_report, uniform_coordinate};

// ---------------------------------------------------------------- helpers

fn quick(busy_ms: u64) -> StoreConfig {
    StoreConfig {
        busy_timeout: Duration::from_millis(busy_ms),
        ..StoreConfig::default()
    }
}

/// A report with a long description, so that a few hundred fill many pages.
fn long_report(rng: &mut StdRng, n: i64) -> NewReport {
    let coord = uniform_coordinate(rng);
    let report = random_report(rng, coord, EPOCH_MS + n * 1000);
    let mut text = String::new();
    while text.len() < 900 {
        text.push_str(&random_description(rng));
        text.push(' ');
    }
    report.describe(Some(Description::parse(&text).unwrap()))
}

/// A real store at `path` holding `n` reports, closed and fully checkpointed: no -wal file.
fn make_store(path: &Path, n: i64, seed: u64) -> Vec<NewReport> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut store = Store::open(path).unwrap();
    let made: Vec<NewReport> = (0..n).map(|i| long_report(&mut rng, i)).collect();
    for r in &made {
        store.create_report(r).unwrap();
    }
    drop(store);
    checkpoint(path);
    made
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Folds the -wal file into the database and closes it, so the file alone is the database.
fn checkpoint(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let (busy, _, _): (i64, i64, i64) = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(busy, 0, "checkpoint blocked");
    drop(conn);
    assert!(
        !wal_of(path).exists(),
        "a -wal file outlived its last connection"
    );
}

fn open_err(path: &Path, config: &StoreConfig) -> StoreError {
    match Store::open_with(path, config) {
        Ok(_) => panic!("{} opened", path.display()),
        Err(e) => e,
    }
}

/// The error has both messages, they differ, and (for errors about a file) they name it.
fn assert_messages(e: &StoreError, path: Option<&Path>) {
    let id = e.message(Lang::Id);
    let en = e.message(Lang::En);
    assert!(!id.trim().is_empty() && !en.trim().is_empty(), "{e:?}");
    assert_ne!(id, en, "{e:?}: the Indonesian message is the English one");
    if let Some(path) = path {
        let shown = path.display().to_string();
        assert!(
            id.contains(&shown) && en.contains(&shown),
            "{e:?}: {id:?} / {en:?} do not name {shown}"
        );
    }
}

/// Opening `path` fails with `code`, and the folder's files are byte for byte as they were.
fn assert_refused(path: &Path, code: &str) -> StoreError {
    let dir = path.parent().unwrap();
    let before = Snapshot::of(dir);
    let e = open_err(path, &quick(200));
    assert_eq!(e.code(), code, "{}: {e:?}", path.display());
    assert_messages(&e, None);
    before.assert_same(&Snapshot::of(dir), &format!("opening {}", path.display()));
    e
}

fn all(store: &Store) -> Vec<ReportId> {
    store
        .query(&ReportQuery {
            limit: usize::MAX,
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect()
}

fn assert_check_ok(store: &Store) {
    let check = store.check().unwrap();
    assert!(check.ok, "{:?}", check.problems);
}

// ---------------------------------------------------------------- files that are not stores

#[test]
fn random_bytes_are_corrupt_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    // One byte is the exception: see `a_one_byte_file_is_not_taken_for_an_empty_one`.
    for size in [2, 15, 99, 100, 512, 4096, 4097, 50_000] {
        let path = dir.path().join(format!("random-{size}.db"));
        let mut bytes = vec![0u8; size];
        rng.fill_bytes(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        let e = assert_refused(&path, "STORE_CORRUPT");
        assert_messages(&e, Some(&path));
    }
}

/// SQLite's unix VFS reports a 1-byte file as empty (a workaround for an old OS X bug), and an
/// empty file is where a new store is made: the store overwrites the byte with a new database.
/// The store should look at the file itself before trusting SQLite's idea of "empty".
#[test]
fn a_one_byte_file_is_not_taken_for_an_empty_one() {
    let dir = TempDir::new().unwrap();
    for byte in [0u8, b'\n', 0xff] {
        let path = dir.path().join(format!("byte-{byte}.db"));
        fs::write(&path, [byte]).unwrap();
        assert_refused(&path, "STORE_CORRUPT");
    }
}

#[test]
fn a_text_file_is_corrupt_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("catatan.txt");
    fs::write(
        &path,
        "Catatan rapat RW 03\nJalan berlubang di depan warung Bu Siti.\n".repeat(200),
    )
    .unwrap();
    let e = assert_refused(&path, "STORE_CORRUPT");
    assert_messages(&e, Some(&path));
    // Even a file that starts like an SQLite database but is not one.
    let fake = dir.path().join("fake.db");
    fs::write(
        &fake,
        b"SQLite format 3\0 and then nothing that makes sense",
    )
    .unwrap();
    assert_refused(&fake, "STORE_CORRUPT");
}

#[test]
fn a_truncated_store_is_corrupt_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let whole = dir.path().join("whole.db");
    make_store(&whole, 300, 2);
    let bytes = fs::read(&whole).unwrap();
    let page = 4096;
    assert!(
        bytes.len() > 20 * page,
        "the store is too small to cut: {}",
        bytes.len()
    );
    let half = bytes.len() / 2;
    for cut in [page, half / page * page, half + 100, bytes.len() - page] {
        let sub = dir.path().join(format!("cut-{cut}"));
        fs::create_dir(&sub).unwrap();
        let path = sub.join("ronda.db");
        fs::write(&path, &bytes[..cut]).unwrap();
        let e = assert_refused(&path, "STORE_CORRUPT");
        assert_messages(&e, Some(&path));
    }
}

/// A store whose report table has a page in the middle overwritten with garbage, checkpointed:
/// no -wal file.
fn damaged_store(dir: &Path) -> PathBuf {
    let path = dir.join("ronda.db");
    make_store(&path, 300, 3);
    let (page_size, victim): (i64, i64) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let page_size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let leaves: Vec<i64> = conn
            .prepare(
                "SELECT pageno FROM dbstat WHERE name = 'report' AND pagetype = 'leaf' ORDER BY pageno",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(leaves.len() > 10, "{leaves:?}");
        (page_size, leaves[leaves.len() / 2])
    };
    checkpoint(&path);
    let mut bytes = fs::read(&path).unwrap();
    let at = ((victim - 1) * page_size) as usize;
    StdRng::seed_from_u64(4).fill_bytes(&mut bytes[at..at + page_size as usize]);
    fs::write(&path, &bytes).unwrap();
    path
}

/// One page in the middle of the report table overwritten with garbage. The header and the
/// schema are intact, so the store opens; reading the reports fails as corrupt, and so does the
/// check (SQLite's own `PRAGMA integrity_check` gives up on a page this damaged with
/// SQLITE_CORRUPT rather than listing problems). Nothing of this writes to the file.
#[test]
fn a_garbage_page_is_found_and_the_file_left_alone() {
    let dir = TempDir::new().unwrap();
    let path = damaged_store(dir.path());
    let before = Snapshot::of(dir.path());
    for _ in 0..2 {
        let store = Store::open_with(&path, &quick(200)).unwrap();
        let e = store
            .query(&ReportQuery {
                limit: usize::MAX,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.code(), "STORE_CORRUPT", "{e:?}");
        assert_messages(&e, None);
        match store.check() {
            Err(e) => assert_eq!(e.code(), "STORE_CORRUPT", "{e:?}"),
            Ok(c) => panic!("check() of a store with a garbage page: {c:?}"),
        }
        // What does not touch the page still works.
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        drop(store);
        before.assert_same(
            &Snapshot::of(dir.path()),
            "querying and checking a damaged store",
        );
    }
}

/// An error about the file names the file, wherever it is met, not only when opening.
#[test]
fn corrupt_errors_met_after_opening_name_the_file() {
    let dir = TempDir::new().unwrap();
    let path = damaged_store(dir.path());
    let store = Store::open_with(&path, &quick(200)).unwrap();
    let e = store
        .query(&ReportQuery {
            limit: usize::MAX,
            ..Default::default()
        })
        .unwrap_err();
    assert_messages(&e, Some(&path));
    assert_messages(&store.check().unwrap_err(), Some(&path));
}

// ---------------------------------------------------------------- stores that are not ours

#[test]
fn a_store_from_a_newer_ronda_is_refused_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ronda.db");
    make_store(&path, 20, 5);
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    checkpoint(&path);
    let e = assert_refused(&path, "STORE_SCHEMA_TOO_NEW");
    assert!(
        matches!(e, StoreError::SchemaTooNew { found: 99, supported } if supported == SCHEMA_VERSION),
        "{e:?}"
    );
    assert!(e.message(Lang::En).contains("99") && e.message(Lang::Id).contains("99"));
}

#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let dir = TempDir::new().unwrap();
    let mut n = 0;
    let mut foreign = |setup: &str| {
        n += 1;
        let path = dir.path().join(format!("other-{n}.sqlite"));
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(setup).unwrap();
        drop(conn);
        assert!(!wal_of(&path).exists());
        let e = assert_refused(&path, "STORE_NOT_RONDA");
        assert!(matches!(e, StoreError::NotRonda), "{e:?}");
    };
    let contacts = "CREATE TABLE contact (name TEXT, phone TEXT);
                    INSERT INTO contact VALUES ('Bu Siti', '0812-0000-0000');";
    foreign(contacts);
    foreign(&format!("{contacts} PRAGMA user_version = 3;"));
    // Claims our schema version, but is not ours.
    foreign(&format!(
        "{contacts} PRAGMA user_version = {SCHEMA_VERSION};"
    ));
    // Another program's WAL-mode database.
    foreign(&format!("PRAGMA journal_mode = WAL; {contacts}"));
    // Another program's empty database that says whose it is (a GeoPackage: "GPKG").
    foreign("PRAGMA application_id = 1196444487;");
    // Tables named like ours are still not ours without our application id.
    foreign("CREATE TABLE report (seq INTEGER PRIMARY KEY); CREATE TABLE outbox (seq INTEGER);");
}

// ---------------------------------------------------------------- paths that cannot be a store

#[test]
fn a_folder_or_a_path_through_a_file_cannot_be_opened() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("ronda.db");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("isi.txt"), "jangan dihapus").unwrap();
    let before = Snapshot::of(dir.path());
    let e = open_err(&folder, &quick(100));
    assert_eq!(e.code(), "STORE_CANNOT_OPEN", "{e:?}");
    assert_messages(&e, Some(&folder));
    before.assert_same(&Snapshot::of(dir.path()), "opening a folder");

    let file = dir.path().join("berkas.txt");
    fs::write(&file, "bukan folder").unwrap();
    let inside = file.join("ronda.db");
    let before = Snapshot::of(dir.path());
    let e = open_err(&inside, &quick(100));
    assert_eq!(e.code(), "STORE_CANNOT_OPEN", "{e:?}");
    assert_messages(&e, Some(&inside));
    before.assert_same(&Snapshot::of(dir.path()), "opening a path through a file");
}

// ---------------------------------------------------------------- locks

/// Another program holds the write lock: saving waits the busy timeout, fails as locked and saves
/// nothing; once the lock is gone the same store saves.
#[test]
fn a_locked_store_refuses_to_save_then_works_when_released() {
    let locks = [
        "BEGIN EXCLUSIVE",
        "BEGIN IMMEDIATE; UPDATE report SET description = 'diubah' WHERE seq = 1;",
        "BEGIN; INSERT INTO outbox (op_id, kind, report_id, body, made_at) VALUES ('x', 'y', 'z', '{}', 0);",
    ];
    for (k, lock) in locks.into_iter().enumerate() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("ronda.db");
        let made = make_store(&path, 5, 6 + k as u64);
        let mut store = Store::open_with(&path, &quick(100)).unwrap();
        let stats = store.stats().unwrap();
        let outbox = store.outbox(None).unwrap();
        let mut rng = StdRng::seed_from_u64(60 + k as u64);
        let report = long_report(&mut rng, 99);

        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch(lock).unwrap();
        let started = Instant::now();
        let e = store.create_report(&report).unwrap_err();
        let waited = started.elapsed();
        assert_eq!(e.code(), "STORE_LOCKED", "{lock}: {e:?}");
        assert_messages(&e, None);
        assert!(
            waited >= Duration::from_millis(90) && waited < Duration::from_secs(3),
            "{lock}: waited {waited:?} for a 100 ms busy timeout"
        );
        // Reading still works (WAL) and shows nothing new.
        assert_eq!(store.stats().unwrap(), stats);
        assert!(store.report(report.id()).unwrap().is_none());
        other.execute_batch("ROLLBACK").unwrap();
        drop(other);

        assert_eq!(store.stats().unwrap(), stats);
        assert_eq!(store.outbox(None).unwrap(), outbox);
        let op = store.create_report(&report).unwrap();
        assert_eq!(store.stats().unwrap().reports, stats.reports + 1);
        let after = store.outbox(None).unwrap();
        assert_eq!(after.len(), outbox.len() + 1);
        assert_eq!(after.last().unwrap().op, op);
        assert_eq!(store.report(report.id()).unwrap().unwrap().draft(), &report);
        assert_eq!(all(&store).len(), made.len() + 1);
        assert_check_ok(&store);
    }
}

/// A new store whose file another program holds locked cannot be set up: locked, and the file
/// is not touched; once released it becomes a store.
#[test]
fn a_new_store_locked_by_another_program_is_refused_then_made() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ronda.db");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let before = Snapshot::of(dir.path());
    let e = open_err(&path, &quick(100));
    assert_eq!(e.code(), "STORE_LOCKED", "{e:?}");
    before.assert_same(&Snapshot::of(dir.path()), "opening a locked new store");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    let store = Store::open_with(&path, &quick(100)).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_check_ok(&store);
}

// ---------------------------------------------------------------- a full disk

/// The store holds exactly `saved`, in order, with one pending op each, and checks out.
fn assert_holds(store: &Store, saved: &[NewReport]) {
    let n = saved.len() as u64;
    let stats = store.stats().unwrap();
    assert_eq!((stats.reports, stats.outbox_pending), (n, n), "{stats:?}");
    let outbox = store.outbox(None).unwrap();
    assert_eq!(outbox.len(), saved.len());
    assert!(outbox.iter().all(|e| e.state == OutboxState::Pending));
    for (entry, report) in outbox.iter().zip(saved) {
        assert_eq!(
            entry.op.body,
            ronda_core::OpBody::CreateReport(report.clone())
        );
    }
    let mut ids = all(store);
    ids.reverse();
    assert_eq!(ids, saved.iter().map(NewReport::id).collect::<Vec<_>>());
    for r in saved {
        assert_eq!(store.report(r.id()).unwrap().unwrap().draft(), r);
    }
    assert_check_ok(store);
}

/// With the space allowed capped, saving works until the cap, then fails as "disk full" and saves
/// nothing at all; what was saved before is intact. Without the cap, saving works again.
#[test]
fn a_full_disk_saves_nothing_and_loses_nothing() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ronda.db");
    drop(Store::open(&path).unwrap());
    checkpoint(&path);
    let empty = fs::metadata(&path).unwrap().len();
    let cap = empty + 96 * 1024;
    let capped = StoreConfig {
        max_size_bytes: Some(cap),
        ..StoreConfig::default()
    };

    let mut store = Store::open_with(&path, &capped).unwrap();
    let mut rng = StdRng::seed_from_u64(8);
    let mut saved: Vec<NewReport> = Vec::new();
    let refused = loop {
        assert!(saved.len() < 2000, "never full with a {cap}-byte cap");
        let report = long_report(&mut rng, saved.len() as i64);
        match store.create_report(&report) {
            Ok(_) => saved.push(report),
            Err(e) => {
                assert_eq!(e.code(), "STORE_DISK_FULL", "after {}: {e:?}", saved.len());
                assert_messages(&e, None);
                break report;
            }
        }
    };
    assert!(saved.len() >= 5, "only {} reports fit", saved.len());

    assert_holds(&store, &saved);
    assert!(store.report(refused.id()).unwrap().is_none());
    // Still full: the same report is refused again, and still nothing changes.
    let e = store.create_report(&refused).unwrap_err();
    assert_eq!(e.code(), "STORE_DISK_FULL", "{e:?}");
    assert_holds(&store, &saved);
    drop(store);
    checkpoint(&path);
    let size = fs::metadata(&path).unwrap().len();
    assert!(
        size <= cap,
        "the file is {size} bytes, over the {cap}-byte cap"
    );

    // Reopened with the cap, it still reads; without it, it writes again.
    assert_holds(&Store::open_with(&path, &capped).unwrap(), &saved);
    let mut store = Store::open(&path).unwrap();
    assert_holds(&store, &saved);
    store.create_report(&refused).unwrap();
    saved.push(refused);
    for i in 0..10 {
        let more = long_report(&mut rng, 10_000 + i);
        store.create_report(&more).unwrap();
        saved.push(more);
    }
    assert_holds(&store, &saved);
}

// ---------------------------------------------------------------- making and reopening

#[test]
fn a_new_store_is_made_in_a_missing_folder_and_reopens_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("data").join("ronda").join("ronda.db");
    let mut store = Store::open(&path).unwrap();
    assert!(path.is_file());
    assert_eq!(store.path(), path);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        store.stats().unwrap(),
        StoreStats {
            schema_version: SCHEMA_VERSION,
            reports: 0,
            photos: 0,
            outbox_pending: 0,
            outbox_rejected: 0,
        }
    );
    assert!(all(&store).is_empty());
    assert_check_ok(&store);

    let mut rng = StdRng::seed_from_u64(9);
    let made: Vec<NewReport> = (0..25).map(|i| long_report(&mut rng, i)).collect();
    for r in &made {
        store.create_report(r).unwrap();
    }
    let stats = store.stats().unwrap();
    let outbox = store.outbox(None).unwrap();
    let ids = all(&store);
    drop(store);
    checkpoint(&path);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let (app_id, version): (i64, u32) = conn
            .query_row(
                "SELECT * FROM pragma_application_id, pragma_user_version",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((app_id, version), (0x524F_4E44, SCHEMA_VERSION), "\"ROND\"");
    }
    checkpoint(&path);
    let root = path.parent().unwrap();
    let before = Snapshot::of(root);
    assert_eq!(before.names(), ["ronda.db"]);

    for _ in 0..2 {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.stats().unwrap(), stats);
        assert_eq!(store.outbox(None).unwrap(), outbox);
        assert_eq!(all(&store), ids);
        for r in &made {
            assert_eq!(store.report(r.id()).unwrap().unwrap().draft(), r);
        }
        drop(store);
        // Opening, reading and closing a store writes nothing.
        before.assert_same(&Snapshot::of(root), "reopening the store");
    }
}

/// An empty file (say, made by `touch`) is where a new store goes.
#[test]
fn an_empty_file_becomes_a_new_store() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ronda.db");
    fs::write(&path, []).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let report = long_report(&mut StdRng::seed_from_u64(10), 0);
    store.create_report(&report).unwrap();
    assert_eq!(all(&store), [report.id()]);
    assert_check_ok(&store);
}

// ---------------------------------------------------------------- messages

/// Every error a store can give has a stable code and a message in Indonesian and in English.
#[test]
fn every_error_speaks_both_languages() {
    let path = PathBuf::from("/data/ronda/ronda.db");
    let errors = [
        StoreError::Corrupt { path: path.clone() },
        StoreError::NotRonda,
        StoreError::Locked,
        StoreError::SchemaTooNew {
            found: 99,
            supported: SCHEMA_VERSION,
        },
        StoreError::DiskFull,
        StoreError::CannotOpen {
            path: path.clone(),
            reason: "Permission denied (os error 13)".into(),
        },
        StoreError::ReadOnly,
        StoreError::AlreadyExists(ReportId::new()),
        StoreError::NotFound(ReportId::new()),
        StoreError::Invalid("category pelecehan does not fit".into()),
        StoreError::SignedOut,
        StoreError::AlreadyCheckedIn,
        StoreError::Denied(ronda_core::authz::Denied::OutsideArea),
        StoreError::Lifecycle(ronda_core::lifecycle::LifecycleError::AlreadySupported),
        StoreError::Unreadable("status \"hilang\"".into()),
        StoreError::Migration("no such table: report".into()),
        StoreError::Io(std::io::Error::from(std::io::ErrorKind::StorageFull)),
        StoreError::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
        StoreError::Sqlite(rusqlite::Error::InvalidQuery),
    ];
    let mut codes = Vec::new();
    for e in &errors {
        // Listing every variant here: a new one must be added to this test.
        let names_path = match e {
            StoreError::Corrupt { .. } | StoreError::CannotOpen { .. } => Some(path.as_path()),
            StoreError::NotRonda
            | StoreError::Locked
            | StoreError::SchemaTooNew { .. }
            | StoreError::DiskFull
            | StoreError::ReadOnly
            | StoreError::AlreadyExists(_)
            | StoreError::NotFound(_)
            | StoreError::Invalid(_)
            | StoreError::SignedOut
            | StoreError::AlreadyCheckedIn
            | StoreError::Denied(_)
            | StoreError::Lifecycle(_)
            | StoreError::Unreadable(_)
            | StoreError::Migration(_)
            | StoreError::Io(_)
            | StoreError::Sqlite(_) => None,
        };
        assert_messages(e, names_path);
        let code = e.code();
        assert!(
            code.len() > 3 && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
            "{code}"
        );
        codes.push(code);
    }
    assert_eq!(
        codes,
        [
            "STORE_CORRUPT",
            "STORE_NOT_RONDA",
            "STORE_LOCKED",
            "STORE_SCHEMA_TOO_NEW",
            "STORE_DISK_FULL",
            "STORE_CANNOT_OPEN",
            "STORE_READ_ONLY",
            "REPORT_ALREADY_EXISTS",
            "REPORT_NOT_FOUND",
            "OP_INVALID",
            "SIGNED_OUT",
            "PATROL_ALREADY_CHECKED_IN",
            "FORBIDDEN_OUTSIDE_AREA",
            "SUPPORT_ALREADY",
            "STORE_UNREADABLE",
            "STORE_MIGRATION_FAILED",
            "STORE_DISK_FULL",
            "STORE_IO",
            "STORE_INTERNAL",
        ]
    );
    // A full disk reached through a file error reads the same as through SQLite.
    assert_eq!(
        errors[16].message(Lang::Id),
        StoreError::DiskFull.message(Lang::Id)
    );
    assert_eq!(
        errors[16].message(Lang::En),
        StoreError::DiskFull.message(Lang::En)
    );
}
