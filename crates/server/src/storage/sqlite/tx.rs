//! The storage primitives over one SQLite connection inside a transaction.

use rusqlite::{Connection, OptionalExtension, params};

use ronda_core::patrol::CheckIn;
use ronda_core::sync::{BucketId, ServerReport, member_hash};
use ronda_core::{
    AreaCode, DeviceId, KelurahanCode, OpId, ReportId, ReportKind, RoleAssignment, UserId,
};

use crate::storage::{
    Activation, Area, Change, Device, ReadTx, RecordedOp, Result, StorageError, User, WriteTx,
};

pub(super) struct SqliteTx<'c> {
    pub conn: &'c Connection,
}

pub(super) fn db(e: rusqlite::Error) -> StorageError {
    StorageError::Unavailable(e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(corrupt)
}

fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn device_from((id, user, name, revoked): (String, String, String, bool)) -> Result<Device> {
    Ok(Device {
        id: parse(&id)?,
        user: parse(&user)?,
        name,
        revoked,
    })
}

impl ReadTx for SqliteTx<'_> {
    fn area(&mut self, code: KelurahanCode) -> Result<Option<Area>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT code, name, kecamatan, kecamatan_name, kota, kota_name, geometry FROM area WHERE code = ?1",
            )
            .map_err(db)?
            .query_row([code.to_string()], area_row)
            .optional()
            .map_err(db)?;
        row.map(area_from_row).transpose()
    }

    fn areas(&mut self) -> Result<Vec<Area>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT code, name, kecamatan, kecamatan_name, kota, kota_name, geometry FROM area ORDER BY code",
            )
            .map_err(db)?;
        let rows = stmt.query_map([], area_row).map_err(db)?;
        rows.map(|r| area_from_row(r.map_err(db)?)).collect()
    }

    fn area_count(&mut self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM area", [], |r| r.get(0))
            .map_err(db)?;
        Ok(n as u64)
    }

    fn reports_of_kinds(&mut self, kinds: &[ReportKind]) -> Result<Vec<ServerReport>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rv.snapshot FROM report r JOIN report_version rv ON rv.version = r.version
                 WHERE json_extract(rv.snapshot, '$.report.kind') = ?1",
            )
            .map_err(db)?;
        let mut out = Vec::new();
        for kind in kinds {
            let rows = stmt
                .query_map([kind.code()], |r| r.get::<_, String>(0))
                .map_err(db)?;
            for row in rows {
                out.push(serde_json::from_str(&row.map_err(db)?).map_err(corrupt)?);
            }
        }
        Ok(out)
    }

    fn latest_version(&mut self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT coalesce(max(version), 0) FROM report_version",
                [],
                |r| r.get(0),
            )
            .map_err(db)
    }

    fn check_ins(
        &mut self,
        within: &[AreaCode],
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, CheckIn)>> {
        // An area's code is a prefix of every code inside it, followed by "." or "/".
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, check_in FROM patrol
                 WHERE seq > ?1 AND (area = ?2 OR area LIKE ?2 || '.%' OR area LIKE ?2 || '/%')
                 ORDER BY seq LIMIT ?3",
            )
            .map_err(db)?;
        let mut found = Vec::new();
        for area in within {
            let rows = stmt
                .query_map(params![after, area.to_string(), limit as i64], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(db)?;
            for row in rows {
                let (seq, json) = row.map_err(db)?;
                found.push((seq, serde_json::from_str(&json).map_err(corrupt)?));
            }
        }
        found.sort_by_key(|(seq, _)| *seq);
        found.dedup_by_key(|(seq, _)| *seq);
        found.truncate(limit);
        Ok(found)
    }

    fn user(&mut self, id: UserId) -> Result<Option<User>> {
        self.conn
            .prepare_cached("SELECT name FROM user WHERE id = ?1")
            .map_err(db)?
            .query_row([id.to_string()], |r| r.get::<_, String>(0))
            .optional()
            .map_err(db)
            .map(|name| name.map(|name| User { id, name }))
    }

    fn assignments(&mut self, user: UserId) -> Result<Vec<RoleAssignment>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT assignment FROM role_assignment WHERE user_id = ?1")
            .map_err(db)?;
        let rows = stmt
            .query_map([user.to_string()], |r| r.get::<_, String>(0))
            .map_err(db)?;
        rows.map(|r| serde_json::from_str(&r.map_err(db)?).map_err(corrupt))
            .collect()
    }

    fn activation(&mut self, code_id: &str) -> Result<Option<Activation>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT user_id, secret_hash, expires_at_ms, used, failures FROM activation WHERE code_id = ?1",
            )
            .map_err(db)?
            .query_row([code_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(user, secret_hash, expires_at_ms, used, failures)| {
            Ok(Activation {
                code_id: code_id.to_owned(),
                user: parse(&user)?,
                secret_hash,
                expires_at_ms,
                used,
                failures,
            })
        })
        .transpose()
    }

    fn device_by_refresh(&mut self, refresh_hash: &[u8; 32]) -> Result<Option<Device>> {
        self.conn
            .prepare_cached("SELECT id, user_id, name, revoked FROM device WHERE refresh_hash = ?1")
            .map_err(db)?
            .query_row([&refresh_hash[..]], device_row)
            .optional()
            .map_err(db)?
            .map(device_from)
            .transpose()
    }

    fn device(&mut self, id: DeviceId) -> Result<Option<Device>> {
        self.conn
            .prepare_cached("SELECT id, user_id, name, revoked FROM device WHERE id = ?1")
            .map_err(db)?
            .query_row([id.to_string()], device_row)
            .optional()
            .map_err(db)?
            .map(device_from)
            .transpose()
    }

    fn report(&mut self, id: ReportId) -> Result<Option<ServerReport>> {
        let snapshot: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT v.snapshot FROM report r JOIN report_version v ON v.version = r.version WHERE r.id = ?1",
            )
            .map_err(db)?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()
            .map_err(db)?;
        snapshot
            .map(|s| serde_json::from_str(&s).map_err(corrupt))
            .transpose()
    }

    fn recorded_op(&mut self, id: OpId) -> Result<Option<RecordedOp>> {
        let row: Option<(Vec<u8>, String)> = self
            .conn
            .prepare_cached("SELECT body_hash, result FROM op WHERE id = ?1")
            .map_err(db)?
            .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(db)?;
        row.map(|(hash, result)| {
            Ok(RecordedOp {
                body_hash: hash
                    .try_into()
                    .map_err(|_| corrupt("op hash is not 32 bytes"))?,
                result: serde_json::from_str(&result).map_err(corrupt)?,
            })
        })
        .transpose()
    }

    fn changes(&mut self, bucket: &BucketId, after: i64, limit: usize) -> Result<Vec<Change>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.version, c.checksum, v.snapshot FROM change c JOIN report_version v ON v.version = c.version
                 WHERE c.bucket = ?1 AND c.version > ?2 ORDER BY c.version LIMIT ?3 + 0",
                // `+ 0`: with a bare bound LIMIT this SQLite re-parses the statement on every call.
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![bucket.to_string(), after, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(db)?;
        rows.map(|row| {
            let (version, checksum, snapshot) = row.map_err(db)?;
            Ok(Change {
                version,
                checksum: checksum as u64,
                report: serde_json::from_str(&snapshot).map_err(corrupt)?,
            })
        })
        .collect()
    }

    fn bucket_head(&mut self, bucket: &BucketId) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT head FROM bucket WHERE name = ?1")
            .map_err(db)?
            .query_row([bucket.to_string()], |r| r.get(0))
            .optional()
            .map_err(db)?
            .unwrap_or(0))
    }
}

fn area_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 7]> {
    Ok([
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ])
}

impl WriteTx for SqliteTx<'_> {
    fn insert_check_in(&mut self, check_in: &CheckIn) -> Result<bool> {
        let nihil = &check_in.nihil;
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO patrol (id, area, day, check_in) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )
            .map_err(db)?
            .execute(params![
                nihil.id.to_string(),
                nihil.area.to_string(),
                nihil.day.to_string(),
                serde_json::to_string(check_in).map_err(corrupt)?
            ])
            .map_err(db)?;
        Ok(inserted == 1)
    }

    fn insert_user(&mut self, user: &User, assignments: &[RoleAssignment]) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO user (id, name) VALUES (?1, ?2)",
                params![user.id.to_string(), user.name],
            )
            .map_err(db)?;
        for a in assignments {
            self.conn
                .execute(
                    "INSERT INTO role_assignment (user_id, assignment) VALUES (?1, ?2)",
                    params![
                        user.id.to_string(),
                        serde_json::to_string(a).map_err(corrupt)?
                    ],
                )
                .map_err(db)?;
        }
        Ok(())
    }

    fn insert_activation(&mut self, a: &Activation) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO activation (code_id, user_id, secret_hash, expires_at_ms, used, failures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![a.code_id, a.user.to_string(), a.secret_hash, a.expires_at_ms, a.used, a.failures],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StorageError::Conflict(a.code_id.clone()),
                _ => db(e),
            })?;
        Ok(())
    }

    fn update_activation(&mut self, code_id: &str, used: bool, failures: u32) -> Result<()> {
        self.conn
            .execute(
                "UPDATE activation SET used = ?2, failures = ?3 WHERE code_id = ?1",
                params![code_id, used, failures],
            )
            .map_err(db)?;
        Ok(())
    }

    fn insert_device(&mut self, d: &Device, refresh_hash: &[u8; 32]) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO device (id, user_id, name, refresh_hash, revoked) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![d.id.to_string(), d.user.to_string(), d.name, &refresh_hash[..], d.revoked],
            )
            .map_err(db)?;
        Ok(())
    }

    fn revoke_device(&mut self, id: DeviceId) -> Result<()> {
        self.conn
            .execute(
                "UPDATE device SET revoked = 1 WHERE id = ?1",
                [id.to_string()],
            )
            .map_err(db)?;
        Ok(())
    }

    fn save_report(&mut self, report: &ServerReport, buckets: &[BucketId]) -> Result<i64> {
        let id = report.report.id().to_string();
        let previous: Option<i64> = self
            .conn
            .prepare_cached("SELECT version FROM report WHERE id = ?1")
            .map_err(db)?
            .query_row([&id], |r| r.get(0))
            .optional()
            .map_err(db)?;
        // One writer at a time: the next version is the largest so far plus one, which follows
        // commit order.
        let version: i64 = self
            .conn
            .query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM report_version",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        let mut stored = report.clone();
        stored.version = version;
        self.conn
            .prepare_cached(
                "INSERT INTO report_version (version, report_id, snapshot) VALUES (?1, ?2, ?3)",
            )
            .map_err(db)?
            .execute(params![
                version,
                id,
                serde_json::to_string(&stored).map_err(corrupt)?
            ])
            .map_err(db)?;
        self.conn
            .prepare_cached("INSERT INTO report (id, version) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET version = ?2")
            .map_err(db)?
            .execute(params![id, version])
            .map_err(db)?;
        let report_id = report.report.id();
        for bucket in buckets {
            let name = bucket.to_string();
            let old: i64 = self
                .conn
                .prepare_cached("SELECT checksum FROM bucket WHERE name = ?1")
                .map_err(db)?
                .query_row([&name], |r| r.get(0))
                .optional()
                .map_err(db)?
                .unwrap_or(0);
            let mut checksum = old as u64 ^ member_hash(report_id, version);
            if let Some(previous) = previous {
                checksum ^= member_hash(report_id, previous);
            }
            self.conn
                .prepare_cached(
                    "INSERT INTO bucket (name, head, checksum) VALUES (?1, ?2, ?3)
                     ON CONFLICT (name) DO UPDATE SET head = ?2, checksum = ?3",
                )
                .map_err(db)?
                .execute(params![name, version, checksum as i64])
                .map_err(db)?;
            self.conn
                .prepare_cached(
                    "INSERT INTO change (bucket, version, checksum) VALUES (?1, ?2, ?3)",
                )
                .map_err(db)?
                .execute(params![name, version, checksum as i64])
                .map_err(db)?;
        }
        Ok(version)
    }

    fn upsert_area(&mut self, a: &Area) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO area (code, name, kecamatan, kecamatan_name, kota, kota_name, geometry)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (code) DO UPDATE SET name = ?2, kecamatan = ?3, kecamatan_name = ?4, kota = ?5,
                     kota_name = ?6, geometry = ?7",
            )
            .map_err(db)?
            .execute(params![
                a.code.to_string(),
                a.name,
                a.kecamatan.to_string(),
                a.kecamatan_name,
                a.kota.to_string(),
                a.kota_name,
                a.geometry
            ])
            .map_err(db)?;
        Ok(())
    }

    fn record_op(&mut self, id: OpId, device: DeviceId, op: &RecordedOp) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO op (id, device_id, body_hash, result) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db)?
            .execute(params![
                id.to_string(),
                device.to_string(),
                &op.body_hash[..],
                serde_json::to_string(&op.result).map_err(corrupt)?
            ])
            .map_err(db)?;
        Ok(())
    }
}

fn area_from_row(
    [
        code,
        name,
        kecamatan,
        kecamatan_name,
        kota,
        kota_name,
        geometry,
    ]: [String; 7],
) -> Result<Area> {
    Ok(Area {
        code: parse(&code)?,
        name,
        kecamatan: parse(&kecamatan)?,
        kecamatan_name,
        kota: parse(&kota)?,
        kota_name,
        geometry,
    })
}
