//! Leaving an account: what would be lost, and forgetting everything the account put on the
//! device. Whoever uses the phone next sees none of it; the server keeps what it accepted.

use rusqlite::TransactionBehavior;

use ronda_core::Sha256Hex;

use super::reports::unreadable;
use super::{Store, StoreError};

impl Store {
    /// How many reports have changes the server has not confirmed (not sent yet, or sent with no
    /// answer): what signing out now would lose.
    pub fn unsent_reports(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(DISTINCT report_id) FROM outbox WHERE state IN ('pending', 'sent')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::from(e).at(&self.path))?;
        Ok(n as u64)
    }

    /// Signs out and empties the store: the session, cursors, reports, photos and the whole
    /// outbox, unsent changes included (ask [`Store::unsent_reports`] first). The device's clock
    /// stays, so it never runs backwards. Photo files go after the commit; a crash in between
    /// leaves only unreferenced files.
    pub fn sign_out(&mut self) -> Result<(), StoreError> {
        self.sign_out_unnamed().map_err(|e| e.at(&self.path))
    }

    fn sign_out_unnamed(&mut self) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let names: Vec<String> = {
            let mut stmt = tx.prepare("SELECT sha256 FROM blob")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        tx.execute_batch(
            "DELETE FROM session;
             DELETE FROM bucket_member;
             DELETE FROM bucket;
             DELETE FROM outbox;
             DELETE FROM photo;
             DELETE FROM blob;
             DELETE FROM report_geo;
             DELETE FROM patrol;
             UPDATE patrol_cursor SET cursor = 0;
             INSERT INTO report_fts (report_fts) VALUES ('delete-all');
             DELETE FROM report;",
        )?;
        tx.commit()?;
        for name in names {
            let name = Sha256Hex::parse(&name).map_err(unreadable)?;
            match std::fs::remove_file(self.blobs.path_of(&name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}
