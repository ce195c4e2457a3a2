//! The daily "nihil" check-in: made offline by an RT or RW head and sent with the next sync;
//! and, for whoever follows an area, which of its RTs and RWs checked in or reported on a day.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use ronda_core::authz::Denied;
use ronda_core::patrol::{self, CheckIn, Nihil};
use ronda_core::{AreaCode, AreaLevel, Location, Op, OpBody, ReportKind, Timestamp, UserId};

use super::reports::unreadable;
use super::{Store, StoreError, clock};

/// One RT or RW on one day, as the device knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaDay {
    pub area: AreaCode,
    /// Checked in "nihil": who, and whether the server has it yet.
    pub nihil: Option<NihilMark>,
    /// Problem reports made in the area that day.
    pub reports: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NihilMark {
    /// `None` for this device's own check-in not yet sent.
    pub by: Option<UserId>,
    pub at: Timestamp,
    pub sent: bool,
}

impl Store {
    /// Checks in "nihil" for today (in Jakarta) for `area`, or the RT or RW the signed-in person
    /// heads. Saved at once and sent with the next sync; refused for someone who does not head
    /// the area, and when the area has a check-in for today already.
    pub fn check_in_nihil(
        &mut self,
        area: Option<AreaCode>,
        position: Option<Location>,
    ) -> Result<Op, StoreError> {
        let session = self.session()?.ok_or(StoreError::SignedOut)?;
        let area = area
            .or_else(|| patrol::patrol_area(&session.roles))
            .ok_or(StoreError::Denied(Denied::RoleNotAllowed))?;
        if !patrol::heads(&session.roles, &area) {
            return Err(StoreError::Denied(Denied::RoleNotAllowed));
        }
        let now_ms = self.device_now_ms();
        let now = Timestamp::from_millis(now_ms).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let nihil = Nihil::new(area, now, position);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if day_taken(&tx, &nihil.area, nihil.day)? {
            return Err(StoreError::AlreadyCheckedIn);
        }
        let hlc = clock::tick(&tx, now_ms)?;
        let op = Op::new(OpBody::Nihil(nihil.clone()), hlc);
        tx.prepare_cached(
            "INSERT INTO patrol (id, area, day, by_user, at) VALUES (?1, ?2, ?3, NULL, ?4)",
        )?
        .execute(params![
            nihil.id.to_string(),
            nihil.area.to_string(),
            nihil.day.to_string(),
            now_ms
        ])?;
        super::lifecycle::enqueue(&tx, &op)?;
        tx.commit()?;
        Ok(op)
    }

    /// Whether `area` has a check-in for `day` on this device (sent or not).
    pub fn checked_in(&self, area: &AreaCode, day: NaiveDate) -> Result<bool, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        day_taken(&tx, area, day)
    }

    /// The RTs and RWs inside `within` that checked in or reported on `day`, in code order.
    /// An RT or RW that did neither does not appear: the device knows no list of every RT.
    pub fn patrol_day(
        &self,
        within: &AreaCode,
        day: NaiveDate,
    ) -> Result<Vec<AreaDay>, StoreError> {
        let inside = |area: &AreaCode| within == area || within.contains(area);
        let mut days: std::collections::BTreeMap<AreaCode, AreaDay> = Default::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT area, by_user, at FROM patrol WHERE day = ?1")?;
        let rows = stmt.query_map([day.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (area, by, at) = row?;
            let area: AreaCode = area.parse().map_err(unreadable)?;
            if !inside(&area) {
                continue;
            }
            let by: Option<UserId> = by.map(|u| u.parse()).transpose().map_err(unreadable)?;
            let at = Timestamp::from_millis(at).map_err(unreadable)?;
            days.insert(
                area,
                AreaDay {
                    area,
                    nihil: Some(NihilMark {
                        sent: by.is_some(),
                        by,
                        at,
                    }),
                    reports: 0,
                },
            );
        }
        // Reports made that day in Jakarta, by the RT or RW they are filed under.
        let start = day
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_local_timezone(ronda_core::time::wib())
            .single()
            .expect("a fixed offset has no gaps")
            .timestamp_millis();
        let mut stmt = self.conn.prepare_cached(
            "SELECT area FROM report WHERE kind = ?1 AND area IS NOT NULL
             AND created_at >= ?2 AND created_at < ?3",
        )?;
        let rows = stmt.query_map(
            params![ReportKind::Laporan.code(), start, start + 86_400_000],
            |r| r.get::<_, String>(0),
        )?;
        for row in rows {
            let filed: AreaCode = row?.parse().map_err(unreadable)?;
            let heads = filed
                .ancestry()
                .filter(|a| matches!(a.level(), AreaLevel::Rt | AreaLevel::Rw));
            for area in heads {
                if inside(&area) {
                    days.entry(area)
                        .or_insert(AreaDay {
                            area,
                            nihil: None,
                            reports: 0,
                        })
                        .reports += 1;
                }
            }
        }
        Ok(days.into_values().collect())
    }
}

fn day_taken(tx: &Transaction<'_>, area: &AreaCode, day: NaiveDate) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM patrol WHERE area = ?1 AND day = ?2")?
        .query_row(params![area.to_string(), day.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Keeps check-ins the server sent; the server's wins over this device's unsent one for the
/// same area and day.
pub(super) fn keep_check_ins(
    tx: &Transaction<'_>,
    check_ins: &[CheckIn],
    cursor: i64,
) -> Result<(), StoreError> {
    for c in check_ins {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO patrol (id, area, day, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            c.nihil.id.to_string(),
            c.nihil.area.to_string(),
            c.nihil.day.to_string(),
            c.by.to_string(),
            c.received_at.millis()
        ])?;
    }
    if cursor > 0 {
        tx.execute("UPDATE patrol_cursor SET cursor = ?1", [cursor])?;
    }
    Ok(())
}

/// The server has this device's check-in, or refused it (then it goes, and the day is open
/// again).
pub(super) fn answered(
    tx: &Transaction<'_>,
    nihil: &Nihil,
    by: Option<UserId>,
) -> Result<(), StoreError> {
    match by {
        Some(by) => tx.execute(
            "UPDATE patrol SET by_user = ?2 WHERE id = ?1 AND by_user IS NULL",
            params![nihil.id.to_string(), by.to_string()],
        )?,
        None => tx.execute(
            "DELETE FROM patrol WHERE id = ?1 AND by_user IS NULL",
            [nihil.id.to_string()],
        )?,
    };
    Ok(())
}
