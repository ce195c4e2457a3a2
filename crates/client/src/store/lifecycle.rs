//! Lifecycle steps and support taken on this device: checked here with the same rules the
//! server enforces, shown at once, and queued for the server, which has the last word.

use rusqlite::{Transaction, TransactionBehavior, params};

use ronda_core::authz::{self, Actor};
use ronda_core::kewenangan::Kewenangan;
use ronda_core::lifecycle::{Act, Action, FieldRules, HistoryEntry};
use ronda_core::op::Support;
use ronda_core::sync::ServerReport;
use ronda_core::{Op, OpBody, ReportId, Timestamp};

use super::reports::{queue_upload, unreadable};
use super::sync_state::{current_state, write_fields};
use super::{Store, StoreError, clock};

impl Store {
    /// Takes a lifecycle step on a report, offline: refused here with the server's code when the
    /// signed-in person may not take it or the report cannot move that way.
    pub fn act(&mut self, act: &Act) -> Result<Op, StoreError> {
        let session = self.session()?.ok_or(StoreError::SignedOut)?;
        let actor = Actor {
            user: session.user_id,
            assignments: session.roles,
        };
        self.queue_step(act.report, OpBody::Act(act.clone()), |state, op| {
            authz::authorize(&actor, &op.body, state.target()).map_err(StoreError::Denied)?;
            state
                .act(
                    act,
                    actor.user,
                    op.id,
                    Timestamp::now(),
                    &FieldRules::default(),
                    &Kewenangan::default(),
                )
                .map_err(StoreError::Lifecycle)
        })
    }

    /// "Dukung": +1 on someone else's open report.
    pub fn support(&mut self, report: ReportId) -> Result<Op, StoreError> {
        let session = self.session()?.ok_or(StoreError::SignedOut)?;
        self.queue_step(report, OpBody::Support(Support { report }), |state, _| {
            state
                .support(session.user_id, Timestamp::now())
                .map_err(StoreError::Lifecycle)
        })
    }

    /// The report's lifecycle history as this device knows it (with its own steps not yet
    /// sent), oldest first.
    pub fn lifecycle(&self, id: ReportId) -> Result<Option<ServerReport>, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        current_state(&tx, id)
    }

    /// The history a report shows: who did what, when, where and why.
    pub fn steps(&self, id: ReportId) -> Result<Vec<HistoryEntry>, StoreError> {
        Ok(self.lifecycle(id)?.ok_or(StoreError::NotFound(id))?.history)
    }

    fn queue_step(
        &mut self,
        report: ReportId,
        body: OpBody,
        apply: impl FnOnce(&mut ServerReport, &Op) -> Result<(), StoreError>,
    ) -> Result<Op, StoreError> {
        let now_ms = self.device_now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let hlc = clock::tick(&tx, now_ms)?;
        let op = Op::new(body, hlc);
        let mut state = current_state(&tx, report)?.ok_or(StoreError::NotFound(report))?;
        apply(&mut state, &op)?;
        if let OpBody::Act(Act {
            action: Action::Resolve { photo } | Action::Reopen { photo: Some(photo) },
            ..
        }) = &op.body
        {
            queue_upload(&tx, &self.blobs, photo)?;
        }
        write_fields(&tx, &state)?;
        enqueue(&tx, &op)?;
        tx.commit()?;
        Ok(op)
    }
}

pub(super) fn enqueue(tx: &Transaction<'_>, op: &Op) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO outbox (op_id, kind, report_id, body, made_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        op.id.to_string(),
        op.body.kind().code(),
        op.body.subject().to_string(),
        serde_json::to_string(op).map_err(unreadable)?,
        op.hlc.ms
    ])?;
    Ok(())
}
