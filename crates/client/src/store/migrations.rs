//! The store's schema, as embedded, append-only migrations. `PRAGMA user_version` records how
//! many have been applied; a database from a newer Ronda is refused, never downgraded.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::StoreError;

const STEPS: &[&str] = &[
    include_str!("migrations/0001_reports_and_outbox.sql"),
    include_str!("migrations/0002_sync.sql"),
    include_str!("migrations/0003_access_token.sql"),
    include_str!("migrations/0004_kabar.sql"),
    include_str!("migrations/0005_reference.sql"),
    include_str!("migrations/0006_patrols.sql"),
    include_str!("migrations/0007_audit_ratings.sql"),
    include_str!("migrations/0008_safety_layer.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = STEPS.len() as u32;

pub(super) fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to [`SCHEMA_VERSION`], all in one transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let migrations = Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect());
    migrations.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
        other => StoreError::Migration(other.to_string()),
    })
}
