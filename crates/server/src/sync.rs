//! One sync round trip: apply the device's ops (each authorised and merged by `ronda-core`'s
//! rules), then return what changed in the buckets the device's roles let it follow.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use ronda_core::authz::{self, Actor, Target};
use ronda_core::category;
use ronda_core::hlc::Stamp;
use ronda_core::sync::{
    BucketId, BucketPage, OpResult, ServerReport, SyncRequest, SyncResponse, report_buckets,
    session_buckets,
};
use ronda_core::{Coded, DeviceId, Lang, Op, OpBody, Timestamp};

use crate::storage::{RecordedOp, Result, Storage, StorageError, WriteTx};

/// How many changes one bucket sends per sync; the device syncs again while `more` is set.
pub const PAGE: usize = 500;

fn rejected(e: &dyn Coded, lang: Lang) -> OpResult {
    OpResult::Rejected {
        code: e.code().to_owned(),
        message: e.message(lang),
    }
}

struct Refusal {
    code: &'static str,
    id: &'static str,
    en: &'static str,
}

impl Coded for Refusal {
    fn code(&self) -> &'static str {
        self.code
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(self.id, self.en).to_owned()
    }
}

const OP_ID_REUSED: Refusal = Refusal {
    code: "OP_ID_REUSED",
    id: "ID perubahan ini sudah dipakai untuk isi yang lain",
    en: "this op id was already used for different content",
};
const REPORT_EXISTS: Refusal = Refusal {
    code: "REPORT_EXISTS",
    id: "laporan dengan ID ini sudah ada",
    en: "a report with this id already exists",
};
const REPORT_NOT_FOUND: Refusal = Refusal {
    code: "REPORT_NOT_FOUND",
    id: "laporan tidak ditemukan di server",
    en: "the report is not on the server",
};

fn body_hash(op: &Op) -> [u8; 32] {
    Sha256::digest(serde_json::to_vec(op).expect("ops serialise")).into()
}

/// Applies one op. Accepted ops are recorded with their hash so a retry is answered
/// `duplicate`; refused ops leave no trace at all.
pub fn apply_op(
    tx: &mut dyn WriteTx,
    actor: &Actor,
    device: DeviceId,
    op: &Op,
    now: Timestamp,
    lang: Lang,
) -> Result<OpResult> {
    let hash = body_hash(op);
    if let Some(seen) = tx.recorded_op(op.id)? {
        return Ok(if seen.body_hash == hash {
            OpResult::Duplicate
        } else {
            rejected(&OP_ID_REUSED, lang)
        });
    }
    let (hlc, _clamped) = op.hlc.clamp(now.millis());
    let stamp = Stamp { hlc, op: op.id };
    let (report, buckets) = match &op.body {
        OpBody::CreateReport(new) => {
            if tx.report(new.id())?.is_some() {
                return Ok(rejected(&REPORT_EXISTS, lang));
            }
            let target = Target {
                area: new.area(),
                reporter: actor.user,
            };
            if let Err(denied) = authz::authorize(actor, op.body.kind(), target) {
                return Ok(rejected(&denied, lang));
            }
            let report = ServerReport::create(new.clone(), actor.user, stamp, now);
            let buckets = buckets_of(&report);
            (report, buckets)
        }
        OpBody::UpdateReport(patch) => {
            let Some(mut report) = tx.report(patch.report)? else {
                return Ok(rejected(&REPORT_NOT_FOUND, lang));
            };
            let target = Target {
                area: report.report.area(),
                reporter: report.reporter,
            };
            if let Err(denied) = authz::authorize(actor, op.body.kind(), target) {
                return Ok(rejected(&denied, lang));
            }
            let mut buckets = buckets_of(&report);
            if let Err(e) = report.apply(patch, stamp, now) {
                return Ok(rejected(&e, lang));
            }
            // A new category may move the report to another agency's bucket; it stays in the
            // old ones too (membership only grows).
            buckets.extend(buckets_of(&report));
            buckets.sort();
            buckets.dedup();
            (report, buckets)
        }
    };
    tx.save_report(&report, &buckets)?;
    tx.record_op(
        op.id,
        device,
        &RecordedOp {
            body_hash: hash,
            result: OpResult::Accepted,
        },
    )?;
    Ok(OpResult::Accepted)
}

fn buckets_of(report: &ServerReport) -> Vec<BucketId> {
    let agency = category::lookup(report.report.category().as_str())
        .map(|c| c.agency)
        .unwrap_or(ronda_core::AgencyCode::Kelurahan);
    report_buckets(report.report.area(), report.reporter, agency)
}

/// The whole round trip.
pub async fn sync<S: Storage>(
    storage: &S,
    actor: Actor,
    device: DeviceId,
    request: SyncRequest,
    lang: Lang,
) -> Result<SyncResponse> {
    let now = Timestamp::now();
    let results = if request.ops.is_empty() {
        vec![]
    } else {
        let ops = request.ops;
        let actor = actor.clone();
        storage
            .write(move |tx| {
                ops.iter()
                    .map(|op| apply_op(tx, &actor, device, op, now, lang))
                    .collect()
            })
            .await?
    };
    let allowed = session_buckets(actor.user, &actor.assignments);
    let dropped: Vec<BucketId> = request
        .cursors
        .keys()
        .filter(|b| !allowed.contains(b))
        .cloned()
        .collect();
    let cursors: BTreeMap<BucketId, i64> = allowed
        .into_iter()
        .map(|b| (b.clone(), request.cursors.get(&b).copied().unwrap_or(0)))
        .collect();
    let (pages, more) = storage
        .read(move |tx| {
            let mut pages = Vec::new();
            let mut more = false;
            for (bucket, cursor) in cursors {
                let changes = tx.changes(&bucket, cursor, PAGE)?;
                let Some(last) = changes.last() else { continue };
                more |= changes.len() == PAGE;
                let (cursor, checksum) = (last.version, last.checksum);
                // A report changed twice in the page is sent once, at its later version.
                let mut latest: BTreeMap<_, ServerReport> = BTreeMap::new();
                for c in changes {
                    latest.insert(c.report.report.id(), c.report);
                }
                let mut reports: Vec<_> = latest.into_values().collect();
                reports.sort_by_key(|r| r.version);
                pages.push(BucketPage {
                    bucket,
                    cursor,
                    checksum,
                    reports,
                });
            }
            Ok::<_, StorageError>((pages, more))
        })
        .await?;
    Ok(SyncResponse {
        results,
        pages,
        dropped,
        now: Timestamp::now().millis(),
        more,
    })
}
