//! Where the server keeps everything, behind a trait so the logic above never depends on one
//! database.
//!
//! Architecture invariant: nothing outside `storage::*` knows SQL or which database runs. The
//! sync and account logic is written once against [`ReadTx`] / [`WriteTx`]; a backend provides
//! those primitives and the transactions around them. [`suite`] is the one test suite every
//! backend must pass.

pub mod sqlite;
pub mod suite;

use std::future::Future;

use ronda_core::patrol::CheckIn;
use ronda_core::sync::{BucketId, OpResult, ServerReport};
use ronda_core::{
    AreaCode, DeviceId, KelurahanCode, OpId, ReportId, ReportKind, RoleAssignment, UserId,
};

pub use crate::areas::Area;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    #[error("stored data does not read back: {0}")]
    Corrupt(String),
    #[error("{0} already exists")]
    Conflict(String),
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
}

/// A one-time activation code: `code_id` is the public half, looked up directly; the secret
/// half is only stored as an Argon2id hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    pub code_id: String,
    pub user: UserId,
    pub secret_hash: String,
    pub expires_at_ms: i64,
    pub used: bool,
    pub failures: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub user: UserId,
    pub name: String,
    pub revoked: bool,
}

/// What the server answered for an op, kept so a retry gets the same answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedOp {
    pub body_hash: [u8; 32],
    pub result: OpResult,
}

/// One entry of a bucket's change log: the report at the version of that change, and the
/// bucket's checksum once the change is counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub version: i64,
    pub checksum: u64,
    pub report: ServerReport,
}

/// Reads, inside a transaction.
pub trait ReadTx {
    fn user(&mut self, id: UserId) -> Result<Option<User>>;
    fn assignments(&mut self, user: UserId) -> Result<Vec<RoleAssignment>>;
    fn activation(&mut self, code_id: &str) -> Result<Option<Activation>>;
    fn device_by_refresh(&mut self, refresh_hash: &[u8; 32]) -> Result<Option<Device>>;
    fn device(&mut self, id: DeviceId) -> Result<Option<Device>>;
    fn report(&mut self, id: ReportId) -> Result<Option<ServerReport>>;
    fn recorded_op(&mut self, id: OpId) -> Result<Option<RecordedOp>>;
    /// Changes in `bucket` after `after`, oldest first, at most `limit`.
    fn changes(&mut self, bucket: &BucketId, after: i64, limit: usize) -> Result<Vec<Change>>;
    /// The bucket's latest version (0 if it has none).
    fn bucket_head(&mut self, bucket: &BucketId) -> Result<i64>;
    fn area(&mut self, code: KelurahanCode) -> Result<Option<Area>>;
    /// Every kelurahan, in code order.
    fn areas(&mut self) -> Result<Vec<Area>>;
    fn area_count(&mut self) -> Result<u64>;
    /// The latest state of every report of one of `kinds`.
    fn reports_of_kinds(&mut self, kinds: &[ReportKind]) -> Result<Vec<ServerReport>>;
    /// The latest version of any report (0 when none is stored): what caches of derived data
    /// key on.
    fn latest_version(&mut self) -> Result<i64>;
    /// Check-ins after position `after` in areas inside any of `within`, oldest first, at most
    /// `limit`, each with its position.
    fn check_ins(
        &mut self,
        within: &[AreaCode],
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, CheckIn)>>;
}

/// Writes, inside a transaction that commits durably before any result is returned.
pub trait WriteTx: ReadTx {
    fn insert_user(&mut self, user: &User, assignments: &[RoleAssignment]) -> Result<()>;
    fn insert_activation(&mut self, activation: &Activation) -> Result<()>;
    fn update_activation(&mut self, code_id: &str, used: bool, failures: u32) -> Result<()>;
    fn insert_device(&mut self, device: &Device, refresh_hash: &[u8; 32]) -> Result<()>;
    fn revoke_device(&mut self, id: DeviceId) -> Result<()>;
    /// Stores a new version of a report and logs the change in each of its buckets. Versions
    /// follow commit order. Returns the new version.
    fn save_report(&mut self, report: &ServerReport, buckets: &[BucketId]) -> Result<i64>;
    fn record_op(&mut self, id: OpId, device: DeviceId, op: &RecordedOp) -> Result<()>;
    /// Adds a kelurahan or replaces the one with the same code.
    fn upsert_area(&mut self, area: &Area) -> Result<()>;
    /// Records a check-in unless its area already has one for its day. Returns whether it was
    /// recorded.
    fn insert_check_in(&mut self, check_in: &CheckIn) -> Result<bool>;
}

/// A storage backend.
pub trait Storage: Send + Sync + 'static {
    /// Runs `job` in a write transaction. The backend may commit several jobs together, but each
    /// job's result is returned only after its writes are durable; a job that fails leaves no
    /// trace.
    fn write<T, F>(&self, job: F) -> impl Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn WriteTx) -> Result<T> + Send + 'static;

    /// Runs `job` against a consistent snapshot.
    fn read<T, F>(&self, job: F) -> impl Future<Output = Result<T>> + Send
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn ReadTx) -> Result<T> + Send + 'static;
}
