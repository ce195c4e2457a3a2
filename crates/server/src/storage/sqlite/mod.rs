//! The embedded backend: one SQLite file in WAL mode with full sync. One writer thread commits
//! the jobs waiting at that moment together in one transaction (group commit), so each
//! acknowledged write is durable without an fsync per request; reads run on a small pool of
//! connections in parallel.

mod tx;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};
use tokio::sync::{Semaphore, oneshot};

use super::{ReadTx, Result, Storage, StorageError, WriteTx};
use tx::{SqliteTx, db};

const MIGRATIONS: &[&str] = &[
    include_str!("0001_accounts_and_sync.sql"),
    include_str!("0002_areas.sql"),
    include_str!("0003_patrols.sql"),
];

/// The most jobs committed together; a bound on how long the first of them waits.
const MAX_GROUP: usize = 512;

/// Read connections. Reads are short and CPU-bound, so more of them than cores only adds
/// threads contending for the same cores: hundreds of devices asking "anything new?" at once
/// queue for a connection instead of each opening its own.
const READERS: usize = 4;

/// A write job: runs inside the group's transaction and says whether it succeeded (its writes
/// are kept) or not (its savepoint is rolled back).
type Job = Box<dyn FnOnce(&mut dyn WriteTx) -> (Completion, bool) + Send>;
/// Delivers a job's result once its group has committed (or failed to). A job that is dropped
/// unrun closes its channel, which its caller sees as "unavailable".
type Completion = Box<dyn FnOnce(Option<&StorageError>) + Send>;

#[derive(Debug, Clone)]
pub struct SqliteStorage {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    /// Idle read connections; a reader takes one only while it holds a `read_permits` permit,
    /// so there is always one to take and the pool never grows past its size.
    readers: Mutex<Vec<Connection>>,
    read_permits: Semaphore,
    path: PathBuf,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel lets the writer thread finish its last group and exit.
        self.jobs.lock().map(|mut j| j.take()).ok();
    }
}

fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(db)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(db)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(db)?;
    Ok(conn)
}

impl SqliteStorage {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StorageError::Unavailable(e.to_string()))?;
        }
        let mut writer = open(&path)?;
        Migrations::new(MIGRATIONS.iter().map(|m| M::up(m)).collect())
            .to_latest(&mut writer)
            .map_err(|e| StorageError::Unavailable(format!("schema: {e}")))?;
        let readers = (0..READERS)
            .map(|_| open(&path))
            .collect::<Result<Vec<_>>>()?;
        let (tx, rx) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("ronda-sqlite-writer".into())
            .spawn(move || writer_loop(writer, rx))
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                jobs: Mutex::new(Some(tx)),
                readers: Mutex::new(readers),
                read_permits: Semaphore::new(READERS),
                path,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }
}

fn writer_loop(mut conn: Connection, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let (done, error) = run_group(&mut conn, group);
        for completion in done {
            completion(error.as_ref());
        }
    }
}

/// Runs each job under its own savepoint inside one transaction, then commits once. Returns the
/// completions of the jobs that ran and the error that stopped the group, if any.
fn run_group(conn: &mut Connection, group: Vec<Job>) -> (Vec<Completion>, Option<StorageError>) {
    let mut done = Vec::with_capacity(group.len());
    let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => return (done, Some(db(e))),
    };
    for job in group {
        if let Err(e) = tx.execute_batch("SAVEPOINT job") {
            return (done, Some(db(e)));
        }
        let (completion, ok) = job(&mut SqliteTx { conn: &tx });
        done.push(completion);
        let end = if ok {
            "RELEASE job"
        } else {
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(e) = tx.execute_batch(end) {
            return (done, Some(db(e)));
        }
    }
    let error = tx.commit().err().map(db);
    (done, error)
}

impl Storage for SqliteStorage {
    async fn write<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T>>();
        let boxed: Job = Box::new(move |wtx: &mut dyn WriteTx| {
            let result = job(wtx);
            let ok = result.is_ok();
            let completion: Completion = Box::new(move |commit_error: Option<&StorageError>| {
                let outcome = match (commit_error, result) {
                    (Some(e), Ok(_)) => Err(StorageError::Unavailable(e.to_string())),
                    (_, r) => r,
                };
                let _ = tx.send(outcome);
            });
            (completion, ok)
        });
        let sender = self
            .inner
            .jobs
            .lock()
            .map_err(|_| StorageError::Unavailable("writer lock poisoned".into()))?
            .clone();
        sender
            .ok_or_else(|| StorageError::Unavailable("storage is closed".into()))?
            .send(boxed)
            .map_err(|_| StorageError::Unavailable("the writer thread has stopped".into()))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("the writer thread dropped a job".into()))?
    }

    async fn read<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn ReadTx) -> Result<T> + Send + 'static,
    {
        let _permit = self
            .inner
            .read_permits
            .acquire()
            .await
            .map_err(|_| StorageError::Unavailable("storage is closed".into()))?;
        // Reads run right here on the async worker: a WAL reader never waits for a lock and a
        // page of changes takes microseconds to a few milliseconds, less than handing the job to
        // another thread and back would cost.
        let pooled = self
            .inner
            .readers
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop());
        let conn = match pooled {
            Some(c) => c,
            // Only after a reader panicked with its connection: replace it.
            None => open(&self.inner.path)?,
        };
        let result = (|| {
            let tx = conn.unchecked_transaction().map_err(db)?;
            let out = job(&mut SqliteTx { conn: &tx });
            tx.finish().map_err(db)?;
            out
        })();
        if let Ok(mut pool) = self.inner.readers.lock() {
            pool.push(conn);
        }
        result
    }
}
