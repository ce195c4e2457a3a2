//! The outbox: every op made on this device, in the order it was made, and how far each got.

use serde::Serialize;

use ronda_core::{Op, Timestamp};

use super::reports::unreadable;
use super::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Saved on the device, not yet sent.
    Pending,
    /// Sent; the server's answer has not arrived.
    Sent,
    /// The server has it.
    Accepted,
    /// The server refused it; the reason is kept for the user and the op is never dropped.
    Rejected,
}

impl OutboxState {
    pub const ALL: [OutboxState; 4] = [
        OutboxState::Pending,
        OutboxState::Sent,
        OutboxState::Accepted,
        OutboxState::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Accepted => "accepted",
            OutboxState::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEntry {
    /// Position in send order.
    pub seq: i64,
    pub op: Op,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_attempt_at: Option<Timestamp>,
    pub rejection: Option<Rejection>,
}

impl Store {
    /// The outbox in send order, optionally only entries in one state.
    pub fn outbox(&self, state: Option<OutboxState>) -> Result<Vec<OutboxEntry>, StoreError> {
        self.outbox_unnamed(state).map_err(|e| e.at(&self.path))
    }

    fn outbox_unnamed(&self, state: Option<OutboxState>) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, body, state, attempts, last_attempt_at, reject_code, reject_message
             FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([state.map(OutboxState::code)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (seq, body, state, attempts, last, code, message) = row?;
            Ok(OutboxEntry {
                seq,
                op: serde_json::from_str(&body).map_err(unreadable)?,
                state: OutboxState::from_code(&state)
                    .ok_or_else(|| unreadable(format!("outbox state {state:?}")))?,
                attempts,
                last_attempt_at: last
                    .map(Timestamp::from_millis)
                    .transpose()
                    .map_err(unreadable)?,
                rejection: code.map(|code| Rejection {
                    code,
                    message: message.unwrap_or_default(),
                }),
            })
        })
        .collect()
    }
}
