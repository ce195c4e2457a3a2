//! What the sync engine reads and writes in the store: the session, cursors, the outbox's
//! progress, and applying what the server sent, in one transaction each.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use ronda_core::hlc::Stamp;
use ronda_core::kewenangan::Kewenangan;
use ronda_core::lifecycle::FieldRules;
use ronda_core::sync::{BucketId, OpResult, ServerReport, SyncResponse, member_hash, replay};
use ronda_core::{
    Description, Op, OpBody, ReportId, ReportPatch, RoleAssignment, Sha256Hex, Timestamp, UserId,
};

use super::reports::unreadable;
use super::{Store, StoreError, clock};

/// The account this device is signed in with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub user_id: UserId,
    pub user_name: String,
    pub device_id: ronda_core::DeviceId,
    pub refresh_token: String,
    pub roles: Vec<RoleAssignment>,
    pub last_sync_at: Option<Timestamp>,
}

/// What one applied sync changed on the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub accepted: usize,
    pub rejected: usize,
    pub reports_received: usize,
    /// Buckets whose checksum disagreed; they start again from zero next time.
    pub buckets_healed: usize,
    /// Buckets whose cursor stayed because an echo of this device's own edit could not be
    /// rebuilt here; the next sync brings the report in full.
    pub buckets_held: usize,
}

/// A photo file the server does not have yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBlob {
    pub sha256: Sha256Hex,
    pub upload_url: Option<String>,
    pub upload_offset: u64,
}

impl Store {
    pub fn session(&self) -> Result<Option<Session>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT server_url, user_id, user_name, device_id, refresh_token, roles, last_sync_at FROM session",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                    ))
                },
            )
            .optional()?;
        row.map(
            |(server_url, user, user_name, device, refresh_token, roles, last)| {
                Ok(Session {
                    server_url,
                    user_id: user.parse().map_err(unreadable)?,
                    user_name,
                    device_id: device.parse().map_err(unreadable)?,
                    refresh_token,
                    roles: serde_json::from_str(&roles).map_err(unreadable)?,
                    last_sync_at: last
                        .map(Timestamp::from_millis)
                        .transpose()
                        .map_err(unreadable)?,
                })
            },
        )
        .transpose()
    }

    /// The access token kept for this session and when it expires (ms since 1970), if any.
    pub fn access_token(&self) -> Result<Option<(String, i64)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT access_token, access_expires_at FROM session WHERE access_token IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Keeps (or, with `None`, forgets) the session's access token.
    pub fn set_access_token(&self, token: Option<(&str, i64)>) -> Result<(), StoreError> {
        let (token, expires) = token.unzip();
        self.conn.execute(
            "UPDATE session SET access_token = ?1, access_expires_at = ?2",
            params![token, expires],
        )?;
        Ok(())
    }

    /// Signs this device in. Reports made before, without an account, stay and are sent with
    /// the first sync under this account.
    pub fn set_session(&mut self, s: &Session) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM session", [])?;
        tx.execute(
            "INSERT INTO session (id, server_url, user_id, user_name, device_id, refresh_token, roles)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                s.server_url,
                s.user_id.to_string(),
                s.user_name,
                s.device_id.to_string(),
                s.refresh_token,
                serde_json::to_string(&s.roles).map_err(unreadable)?
            ],
        )?;
        tx.execute("DELETE FROM bucket", [])?;
        tx.execute("UPDATE patrol_cursor SET cursor = 0", [])?;
        tx.commit()?;
        Ok(())
    }

    /// How far the device has the check-ins of the areas it follows.
    pub fn patrol_cursor(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT cursor FROM patrol_cursor", [], |r| r.get(0))?)
    }

    pub fn cursors(&self) -> Result<Vec<(BucketId, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, cursor FROM bucket ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        rows.map(|r| {
            let (name, cursor) = r?;
            Ok((name.parse().map_err(unreadable)?, cursor))
        })
        .collect()
    }

    /// Ops still waiting for the server's answer, in send order, marked as sent (durably) so
    /// the attempt is counted even if the process dies before the answer.
    pub fn ops_to_send(&mut self, max: usize) -> Result<Vec<Op>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let bodies: Vec<(i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, body FROM outbox WHERE state IN ('pending', 'sent') ORDER BY seq LIMIT ?1",
            )?;
            let rows = stmt.query_map([max as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let now = Timestamp::now().millis();
        for (seq, _) in &bodies {
            tx.prepare_cached(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_attempt_at = ?2 WHERE seq = ?1",
            )?
            .execute(params![seq, now])?;
        }
        tx.commit()?;
        bodies
            .into_iter()
            .map(|(_, b)| serde_json::from_str(&b).map_err(unreadable))
            .collect()
    }

    /// Applies a server's answer: per-op results, the reports of each bucket page (with still
    /// pending local edits re-applied on top), cursors and checksums, the server's clock. All of
    /// it or none.
    pub fn apply_sync(
        &mut self,
        sent: &[Op],
        response: &SyncResponse,
        sent_at_ms: i64,
    ) -> Result<Applied, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut applied = Applied::default();
        // Reports received, each counted once.
        let mut received = std::collections::BTreeSet::new();
        for (op, result) in sent.iter().zip(&response.results) {
            let (state, code, message) = match result {
                OpResult::Accepted | OpResult::Duplicate => ("accepted", None, None),
                OpResult::Rejected { code, message } => {
                    ("rejected", Some(code.as_str()), Some(message.as_str()))
                }
            };
            if state == "accepted" {
                applied.accepted += 1;
            } else {
                applied.rejected += 1;
            }
            tx.prepare_cached(
                "UPDATE outbox SET state = ?2, reject_code = ?3, reject_message = ?4 WHERE op_id = ?1",
            )?
            .execute(params![op.id.to_string(), state, code, message])?;
        }
        // A refused edit no longer shows: its report goes back to the server's state with the
        // edits still waiting on top.
        for (op, result) in sent.iter().zip(&response.results) {
            if let (
                OpBody::UpdateReport(_) | OpBody::Act(_) | OpBody::Support(_),
                OpResult::Rejected { .. },
            ) = (&op.body, result)
                && let Some(id) = op.body.report_id()
                && let Some(state) = current_state(&tx, id)?
            {
                write_fields(&tx, &state)?;
            }
        }
        let me = current_user(&tx)?;
        for (op, result) in sent.iter().zip(&response.results) {
            if let OpBody::Nihil(nihil) = &op.body {
                let accepted = matches!(result, OpResult::Accepted | OpResult::Duplicate);
                super::patrol::answered(&tx, nihil, me.filter(|_| accepted))?;
            }
        }
        super::patrol::keep_check_ins(&tx, &response.patrols, response.patrol_cursor)?;
        for bucket in &response.dropped {
            tx.execute("DELETE FROM bucket WHERE name = ?1", [bucket.to_string()])?;
        }
        let rebuilt = rebuild_echoes(&tx, sent, response)?;
        for report in &response.reports {
            upsert_server_report(&tx, report)?;
            received.insert(report.report.id());
        }
        for page in &response.pages {
            let name = page.bucket.to_string();
            tx.prepare_cached("INSERT OR IGNORE INTO bucket (name) VALUES (?1)")?
                .execute([&name])?;
            let mut members: Vec<(ReportId, i64)> = response
                .page_reports(page)
                .map(|r| (r.report.id(), r.version))
                .collect();
            let mut complete = true;
            for echo in response.page_echoes(page) {
                let full = response.reports.iter().any(|r| r.report.id() == echo.id);
                if rebuilt.contains(&echo.id) || full {
                    members.push((echo.id, echo.version));
                } else {
                    complete = false;
                }
            }
            for (id, version) in members {
                tx.prepare_cached(
                    "INSERT INTO bucket_member (bucket, report_id, version) VALUES (?1, ?2, ?3)
                     ON CONFLICT (bucket, report_id) DO UPDATE SET version = ?3",
                )?
                .execute(params![name, id.to_string(), version])?;
            }
            if !complete {
                // An echo this device could not rebuild: the cursor stays, so the next sync
                // brings that report in full (it is no longer this request's own change).
                applied.buckets_held += 1;
                continue;
            }
            let local = bucket_checksum(&tx, &name)?;
            if local == page.checksum {
                tx.prepare_cached("UPDATE bucket SET cursor = ?2, checksum = ?3 WHERE name = ?1")?
                    .execute(params![name, page.cursor, page.checksum as i64])?;
            } else {
                // A hole: start this bucket again from the beginning.
                tx.execute("DELETE FROM bucket_member WHERE bucket = ?1", [&name])?;
                tx.execute(
                    "UPDATE bucket SET cursor = 0, checksum = 0 WHERE name = ?1",
                    [&name],
                )?;
                applied.buckets_healed += 1;
            }
        }
        applied.reports_received = received.len();
        clock::observe_server(&tx, response.now, sent_at_ms)?;
        tx.execute(
            "UPDATE session SET last_sync_at = ?1",
            [Timestamp::now().millis()],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// Edits a report's free fields on the device and queues the edit.
    pub fn update_report(&mut self, patch: &ReportPatch) -> Result<Op, StoreError> {
        let now_ms = self.device_now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let hlc = clock::tick(&tx, now_ms)?;
        let op = Op::new(OpBody::UpdateReport(patch.clone()), hlc);
        let mut state =
            current_state(&tx, patch.report)?.ok_or_else(|| StoreError::NotFound(patch.report))?;
        state
            .apply(patch, Stamp { hlc, op: op.id }, Timestamp::now())
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        write_fields(&tx, &state)?;
        tx.prepare_cached("INSERT INTO outbox (op_id, kind, report_id, body, made_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![
                op.id.to_string(),
                op.body.kind().code(),
                patch.report.to_string(),
                serde_json::to_string(&op).map_err(unreadable)?,
                hlc.ms
            ])?;
        tx.commit()?;
        Ok(op)
    }

    /// Photo files that are not on the server yet.
    pub fn blobs_to_upload(&self) -> Result<Vec<PendingBlob>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sha256, upload_url, upload_offset FROM blob WHERE uploaded = 0 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, i64>(2)?))
        })?;
        rows.map(|r| {
            let (sha, url, offset) = r?;
            Ok(PendingBlob {
                sha256: Sha256Hex::parse(&sha).map_err(unreadable)?,
                upload_url: url,
                upload_offset: offset as u64,
            })
        })
        .collect()
    }

    /// Remembers where an upload lives and how far the server has it, so it resumes after a
    /// restart.
    pub fn record_upload_progress(
        &self,
        sha256: &Sha256Hex,
        url: Option<&str>,
        offset: u64,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE blob SET upload_url = coalesce(?2, upload_url), upload_offset = ?3 WHERE sha256 = ?1")?
            .execute(params![sha256.as_str(), url, offset as i64])?;
        Ok(())
    }

    pub fn mark_uploaded(&self, sha256: &Sha256Hex) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE blob SET uploaded = 1, upload_url = NULL, upload_offset = bytes WHERE sha256 = ?1")?
            .execute([sha256.as_str()])?;
        Ok(())
    }

    /// Losing values the server kept for a report, for the people involved to see.
    pub fn losers(&self, id: ReportId) -> Result<Vec<ronda_core::sync::LosingValue>, StoreError> {
        let json: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT losers FROM report WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        json.flatten()
            .map(|j| serde_json::from_str(&j).map_err(unreadable))
            .transpose()
            .map(Option::unwrap_or_default)
    }
}

/// XOR of the member hashes: must equal the server's checksum at the same cursor.
/// Rebuilds the reports the server answered with an echo (only this device's ops, accepted now,
/// changed them) by replaying those ops on the version the device holds. Returns the ids rebuilt.
fn rebuild_echoes(
    tx: &Transaction<'_>,
    sent: &[Op],
    response: &SyncResponse,
) -> Result<std::collections::BTreeSet<ReportId>, StoreError> {
    let mut rebuilt = std::collections::BTreeSet::new();
    if response.echoes.is_empty() {
        return Ok(rebuilt);
    }
    let Ok(applied_at) = Timestamp::from_millis(response.applied_at) else {
        return Ok(rebuilt);
    };
    let Some(reporter) = tx
        .query_row("SELECT user_id FROM session", [], |r| r.get::<_, String>(0))
        .optional()?
    else {
        return Ok(rebuilt);
    };
    let reporter: UserId = reporter.parse().map_err(unreadable)?;
    let accepted: Vec<&Op> = sent
        .iter()
        .zip(&response.results)
        .filter(|(_, r)| matches!(r, OpResult::Accepted))
        .map(|(op, _)| op)
        .collect();
    for echo in &response.echoes {
        let base: Option<ServerReport> = tx
            .query_row(
                "SELECT server_state FROM report WHERE id = ?1",
                [echo.id.to_string()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten()
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(unreadable)?;
        if let Some(report) = replay(echo, base, accepted.iter().copied(), reporter, applied_at) {
            upsert_server_report(tx, &report)?;
            rebuilt.insert(echo.id);
        }
    }
    Ok(rebuilt)
}

fn bucket_checksum(tx: &Transaction<'_>, bucket: &str) -> Result<u64, StoreError> {
    let mut stmt =
        tx.prepare_cached("SELECT report_id, version FROM bucket_member WHERE bucket = ?1")?;
    let rows = stmt.query_map([bucket], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut sum = 0u64;
    for row in rows {
        let (id, version) = row?;
        sum ^= member_hash(id.parse().map_err(unreadable)?, version);
    }
    Ok(sum)
}

/// The report as the device believes it now: the server's state if it has one, with local edits
/// still waiting re-applied; else as made here.
/// The signed-in person, if any.
fn current_user(tx: &Transaction<'_>) -> Result<Option<UserId>, StoreError> {
    tx.query_row("SELECT user_id FROM session", [], |r| r.get::<_, String>(0))
        .optional()?
        .map(|u| u.parse().map_err(unreadable))
        .transpose()
}

pub(super) fn current_state(
    tx: &Transaction<'_>,
    id: ReportId,
) -> Result<Option<ServerReport>, StoreError> {
    let row: Option<(Option<String>, i64)> = tx
        .query_row(
            "SELECT server_state, seq FROM report WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((server_state, _)) = row else {
        return Ok(None);
    };
    if let Some(json) = server_state {
        let state: ServerReport = serde_json::from_str(&json).map_err(unreadable)?;
        return rebase(tx, state).map(Some);
    }
    // Never synced: rebuild from the create op and the local edits in the outbox.
    let mut ops = outbox_ops_for(tx, id, false)?.into_iter();
    let Some(Op {
        id: op_id,
        hlc,
        body: OpBody::CreateReport(new),
    }) = ops.next()
    else {
        return Err(unreadable(format!("report {id} has no create op")));
    };
    let me = session_user(tx)?;
    let mut state = ServerReport::create(
        new,
        me.unwrap_or_default(),
        Stamp { hlc, op: op_id },
        Timestamp::now(),
    );
    apply_edits(&mut state, ops, me);
    Ok(Some(state))
}

fn outbox_ops_for(
    tx: &Transaction<'_>,
    id: ReportId,
    pending_only: bool,
) -> Result<Vec<Op>, StoreError> {
    let sql = if pending_only {
        "SELECT body FROM outbox WHERE report_id = ?1 AND state IN ('pending', 'sent') ORDER BY seq"
    } else {
        "SELECT body FROM outbox WHERE report_id = ?1 AND state != 'rejected' ORDER BY seq"
    };
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map([id.to_string()], |r| r.get::<_, String>(0))?;
    rows.map(|b| serde_json::from_str(&b?).map_err(unreadable))
        .collect()
}

fn session_user(tx: &Transaction<'_>) -> Result<Option<UserId>, StoreError> {
    tx.query_row("SELECT user_id FROM session", [], |r| r.get::<_, String>(0))
        .optional()?
        .map(|u| u.parse().map_err(unreadable))
        .transpose()
}

/// Applies a report's ops made on this device, in order. An op the server will refuse is refused
/// here too (and stays in the outbox with its reason). Lifecycle steps and support need the
/// signed-in person (`me`); without one they are not shown.
fn apply_edits(state: &mut ServerReport, ops: impl IntoIterator<Item = Op>, me: Option<UserId>) {
    let now = Timestamp::now();
    for op in ops {
        let _ = match (&op.body, me) {
            (OpBody::UpdateReport(p), _) => state
                .apply(
                    p,
                    Stamp {
                        hlc: op.hlc,
                        op: op.id,
                    },
                    now,
                )
                .map_err(|_| ()),
            (OpBody::Act(act), Some(me)) => state
                .act(
                    act,
                    me,
                    op.id,
                    now,
                    &FieldRules::default(),
                    &Kewenangan::default(),
                )
                .map_err(|_| ()),
            (OpBody::Support(_), Some(me)) => state.support(me, now).map_err(|_| ()),
            _ => Ok(()),
        };
    }
}

/// Re-applies this device's ops that the server has not answered yet on top of its state.
fn rebase(tx: &Transaction<'_>, mut state: ServerReport) -> Result<ServerReport, StoreError> {
    let waiting = outbox_ops_for(tx, state.report.id(), true)?;
    apply_edits(&mut state, waiting, session_user(tx)?);
    Ok(state)
}

fn upsert_server_report(tx: &Transaction<'_>, server: &ServerReport) -> Result<(), StoreError> {
    let id = server.report.id();
    let known: Option<i64> = tx
        .query_row(
            "SELECT version FROM report WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some_and(|v| v >= server.version && v > 0) {
        return Ok(());
    }
    let state_json = serde_json::to_string(server).map_err(unreadable)?;
    if known.is_none() {
        // A report made elsewhere: insert its row and indexes as the store does for local ones.
        super::reports::insert_row(tx, &server.report)?;
    }
    tx.prepare_cached("UPDATE report SET server_state = ?2, version = ?3, reporter = ?4, status = ?5 WHERE id = ?1")?
        .execute(params![
            id.to_string(),
            state_json,
            server.version,
            server.reporter.to_string(),
            server.status.code()
        ])?;
    let shown = rebase(tx, server.clone())?;
    write_fields(tx, &shown)
}

/// Writes a report's free fields, status, losers and indexes from a state.
pub(super) fn write_fields(tx: &Transaction<'_>, state: &ServerReport) -> Result<(), StoreError> {
    let r = &state.report;
    let loc = r.location();
    let id = r.id().to_string();
    let seq: i64 = tx.query_row("SELECT seq FROM report WHERE id = ?1", [&id], |row| {
        row.get(0)
    })?;
    tx.prepare_cached(
        "UPDATE report SET category = ?2, lat = ?3, lon = ?4, accuracy_m = ?5, location_source = ?6, location_at = ?7,
                description = ?8, updated_at = ?9, losers = ?10, status = ?11, area = ?12, ratings = ?13
         WHERE seq = ?1",
    )?
    .execute(params![
        seq,
        r.category().as_str(),
        loc.coord.lat(),
        loc.coord.lon(),
        loc.accuracy_m.get(),
        loc.source.code(),
        loc.captured_at.millis(),
        r.description().map(Description::as_str),
        state.updated_at.millis(),
        serde_json::to_string(&state.losers).map_err(unreadable)?,
        state.status.code(),
        r.area().map(|a| a.to_string()),
        super::reports::ratings_json(r.ratings())?,
    ])?;
    tx.prepare_cached("UPDATE report_geo SET min_lat = ?2, max_lat = ?2, min_lon = ?3, max_lon = ?3 WHERE seq = ?1")?
        .execute(params![seq, loc.coord.lat(), loc.coord.lon()])?;
    tx.prepare_cached("DELETE FROM report_fts WHERE rowid = ?1")?
        .execute([seq])?;
    if let Some(d) = r.description() {
        tx.prepare_cached("INSERT INTO report_fts (rowid, terms) VALUES (?1, ?2)")?
            .execute(params![
                seq,
                ronda_core::search::index_terms(d.as_str()).join(" ")
            ])?;
    }
    Ok(())
}
