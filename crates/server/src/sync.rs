//! One sync round trip: apply the device's ops (each authorised and merged by `ronda-core`'s
//! rules), then return what changed in the buckets the device's roles let it follow.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use ronda_core::authz::{self, Actor, Target};
use std::sync::Arc;

use ronda_core::category;
use ronda_core::filing;
use ronda_core::kewenangan::Kewenangan;
use ronda_core::lifecycle::{self, Action, FieldRules, LifecycleError};
use ronda_core::op::Subject;
use ronda_core::patrol::{self, CheckIn};
use ronda_core::sync::{
    BucketId, BucketPage, Echo, OpResult, ServerReport, SyncRequest, SyncResponse, accept,
    report_buckets, session_buckets,
};
use ronda_core::{Coded, DeviceId, KelurahanIndex, Lang, Op, OpBody, ReportId, Timestamp, UserId};

use crate::storage::{Change, RecordedOp, Result, Storage, StorageError, WriteTx};

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

/// What applying one op did: its result and, when it was accepted now, the report's version
/// before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub result: OpResult,
    pub change: Option<(ReportId, i64, i64)>,
    /// Whether the device can rebuild the change from its own op (see [`Echo`]).
    pub echo: bool,
}

impl Applied {
    fn unchanged(result: OpResult) -> Self {
        Self {
            result,
            change: None,
            echo: false,
        }
    }
}

/// What the server judges ops by beyond the permission table: where reports belong, how near a
/// step counts as on site, which body a category goes to.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// The kelurahan boundaries; without them reports are filed as the device claims.
    pub places: Option<Arc<KelurahanIndex>>,
    pub field: FieldRules,
    pub kewenangan: Kewenangan,
}

/// Applies one op. Accepted ops are recorded with their hash so a retry is answered
/// `duplicate`; refused ops leave no trace at all.
pub fn apply_op(
    tx: &mut dyn WriteTx,
    rules: &Rules,
    actor: &Actor,
    device: DeviceId,
    op: &Op,
    now: Timestamp,
    lang: Lang,
) -> Result<Applied> {
    let hash = body_hash(op);
    if let Some(seen) = tx.recorded_op(op.id)? {
        return Ok(Applied::unchanged(if seen.body_hash == hash {
            OpResult::Duplicate
        } else {
            rejected(&OP_ID_REUSED, lang)
        }));
    }
    let id = match op.body.subject() {
        Subject::Report(id) => id,
        Subject::Patrol(_) => {
            return check_in(tx, actor, device, op, hash, now, lang);
        }
    };
    let current = tx.report(id)?;
    let target = match (&op.body, &current) {
        (OpBody::CreateReport(_), Some(_)) => {
            return Ok(Applied::unchanged(rejected(&REPORT_EXISTS, lang)));
        }
        (OpBody::CreateReport(new), None) => Target {
            area: new.area(),
            reporter: actor.user,
            agency: None,
        },
        (_, None) => {
            return Ok(Applied::unchanged(rejected(&REPORT_NOT_FOUND, lang)));
        }
        (_, Some(report)) => report.target(),
    };
    let reporter = target.reporter;
    // A step the report cannot take now is refused as such, whoever asks.
    if let (OpBody::Act(act), Some(report)) = (&op.body, &current)
        && let Err(e) = lifecycle::next_status(report.status, act)
    {
        return Ok(Applied::unchanged(rejected(&e, lang)));
    }
    if let Err(denied) = authz::authorize(actor, &op.body, target) {
        return Ok(Applied::unchanged(rejected(&denied, lang)));
    }
    let from = current.as_ref().map_or(0, |r| r.version);
    // A new category or a hand-over may move the report to another agency's bucket; it stays in
    // the old ones too (membership only grows).
    let mut buckets = current.as_ref().map(buckets_of).unwrap_or_default();
    let mut merged_into = None;
    let (report, echo) = match (&op.body, current) {
        (OpBody::Act(act), Some(mut report)) => {
            if let Action::MarkDuplicate { original } = act.action {
                match tx.report(original)? {
                    Some(o) if o.report.id() != id => match o.check_can_absorb() {
                        Ok(()) => merged_into = Some(o),
                        Err(e) => return Ok(Applied::unchanged(rejected(&e, lang))),
                    },
                    Some(_) => {
                        let e = LifecycleError::DuplicateOfItself;
                        return Ok(Applied::unchanged(rejected(&e, lang)));
                    }
                    None => {
                        let e = LifecycleError::OriginalNotFound;
                        return Ok(Applied::unchanged(rejected(&e, lang)));
                    }
                }
            }
            if let Err(e) = report.act(act, actor.user, op.id, now, &rules.field, &rules.kewenangan)
            {
                return Ok(Applied::unchanged(rejected(&e, lang)));
            }
            // The device cannot rebuild a lifecycle step on its own (the server judges the
            // place and the matrix), so it gets the report back in full.
            (report, false)
        }
        (OpBody::Support(_), Some(mut report)) => {
            if let Err(e) = report.support(actor.user, now) {
                return Ok(Applied::unchanged(rejected(&e, lang)));
            }
            (report, false)
        }
        (_, current) => {
            let was_at = current.as_ref().map(|r| *r.report.location());
            let mut report = match accept(current, op, reporter, now) {
                Some(Ok(report)) => report,
                Some(Err(e)) => return Ok(Applied::unchanged(rejected(&e, lang))),
                None => return Ok(Applied::unchanged(rejected(&REPORT_NOT_FOUND, lang))),
            };
            // A new report, or one whose place moved, is filed by its point. Filed as the
            // device said with nothing to confirm, the device can rebuild it from its op.
            let moved = was_at.is_none_or(|at| at != *report.report.location());
            let mut echo = true;
            if let Some(index) = rules.places.as_deref().filter(|_| moved) {
                let filing = filing::file(index, report.report.location(), report.report.area());
                echo =
                    report.report.area() == Some(&filing.area) && report.place_flag == filing.flag;
                report.report = report.report.clone().in_area(Some(filing.area));
                report.place_flag = filing.flag;
            }
            (report, echo)
        }
    };
    buckets.extend(buckets_of(&report));
    buckets.sort();
    buckets.dedup();
    let version = tx.save_report(&report, &buckets)?;
    if let Some(mut original) = merged_into {
        original.absorb(&report, now);
        let buckets = buckets_of(&original);
        tx.save_report(&original, &buckets)?;
    }
    record_accepted(tx, op, device, hash)?;
    Ok(Applied {
        result: OpResult::Accepted,
        change: Some((id, from, version)),
        echo,
    })
}

/// Remembers an accepted op by its id and body, so a retry is answered `duplicate`.
fn record_accepted(tx: &mut dyn WriteTx, op: &Op, device: DeviceId, hash: [u8; 32]) -> Result<()> {
    let recorded = RecordedOp {
        body_hash: hash,
        result: OpResult::Accepted,
    };
    tx.record_op(op.id, device, &recorded)
}

/// A head's "nihil" check-in. A second one for the same area and day is accepted and changes
/// nothing: the day is checked in either way.
fn check_in(
    tx: &mut dyn WriteTx,
    actor: &Actor,
    device: DeviceId,
    op: &Op,
    hash: [u8; 32],
    now: Timestamp,
    lang: Lang,
) -> Result<Applied> {
    let OpBody::Nihil(nihil) = &op.body else {
        unreachable!("only a check-in is about a patrol")
    };
    let no_target = Target {
        area: None,
        reporter: actor.user,
        agency: None,
    };
    if let Err(denied) = authz::authorize(actor, &op.body, no_target) {
        return Ok(Applied::unchanged(rejected(&denied, lang)));
    }
    if let Err(e) = patrol::check_day(nihil, now) {
        return Ok(Applied::unchanged(rejected(&e, lang)));
    }
    tx.insert_check_in(&CheckIn {
        nihil: nihil.clone(),
        by: actor.user,
        received_at: now,
    })?;
    record_accepted(tx, op, device, hash)?;
    Ok(Applied::unchanged(OpResult::Accepted))
}

fn buckets_of(report: &ServerReport) -> Vec<BucketId> {
    let agency = report.agency.unwrap_or_else(|| {
        category::lookup(report.report.category().as_str())
            .map(|c| c.agency)
            .unwrap_or(ronda_core::AgencyCode::Kelurahan)
    });
    report_buckets(report.report.area(), report.reporter, agency)
}

/// The whole round trip, for the signed-in `user`. The caller's roles are read inside each
/// transaction, so a sync costs one write (when it carries ops) and one read, whatever it asks.
pub async fn sync<S: Storage>(
    storage: &S,
    rules: &Rules,
    user: UserId,
    device: DeviceId,
    request: SyncRequest,
    lang: Lang,
) -> Result<SyncResponse> {
    let now = Timestamp::now();
    let applied: Vec<Applied> = if request.ops.is_empty() {
        vec![]
    } else {
        let ops = request.ops;
        let rules = rules.clone();
        storage
            .write(move |tx| {
                let actor = Actor {
                    user,
                    assignments: tx.assignments(user)?,
                };
                ops.iter()
                    .map(|op| apply_op(tx, &rules, &actor, device, op, now, lang))
                    .collect()
            })
            .await?
    };
    // The versions this request's ops made, per report: from the version before the first of
    // them to the last (one write job runs alone, so nothing else lands in between).
    let any_applied = applied.iter().any(|a| a.change.is_some());
    let mut made: BTreeMap<ReportId, Made> = BTreeMap::new();
    for (id, from, to) in applied.iter().filter(|a| a.echo).filter_map(|a| a.change) {
        made.entry(id)
            .and_modify(|m| m.versions.push(to))
            .or_insert(Made {
                from,
                versions: vec![to],
            });
    }
    let results = applied.into_iter().map(|a| a.result).collect();
    let applied_at = if any_applied { now.millis() } else { 0 };
    let asked = request.cursors;
    let patrol_cursor = request.patrol_cursor;
    let mut response = storage
        .read(move |tx| {
            let assignments = tx.assignments(user)?;
            let allowed = session_buckets(user, &assignments);
            let mut out = Pages {
                dropped: asked
                    .keys()
                    .filter(|b| !allowed.contains(b))
                    .cloned()
                    .collect(),
                ..Pages::default()
            };
            for bucket in allowed {
                let cursor = asked.get(&bucket).copied().unwrap_or(0);
                let changes = tx.changes(&bucket, cursor, PAGE)?;
                out.add(bucket, cursor, changes, &made);
            }
            let watched = patrol::watched_areas(&assignments);
            let check_ins = tx.check_ins(&watched, patrol_cursor, PAGE)?;
            out.more |= check_ins.len() == PAGE;
            if let Some((seq, _)) = check_ins.last() {
                out.patrol_cursor = *seq;
            }
            out.patrols = check_ins.into_iter().map(|(_, c)| c).collect();
            Ok::<_, StorageError>(out)
        })
        .await?
        .into_response();
    response.results = results;
    response.applied_at = applied_at;
    Ok(response)
}

/// The versions one request's ops gave a report, in order, and the version before them.
struct Made {
    from: i64,
    versions: Vec<i64>,
}

impl Made {
    fn to(&self) -> i64 {
        *self
            .versions
            .last()
            .expect("made from at least one version")
    }
}

/// A response being assembled: each report once, pages pointing at it.
#[derive(Default)]
struct Pages {
    pages: Vec<BucketPage>,
    reports: Vec<ServerReport>,
    full_at: BTreeMap<ReportId, u32>,
    echoes: Vec<Echo>,
    echo_at: BTreeMap<ReportId, u32>,
    dropped: Vec<BucketId>,
    more: bool,
    patrols: Vec<CheckIn>,
    patrol_cursor: i64,
}

impl Pages {
    fn add(
        &mut self,
        bucket: BucketId,
        cursor: i64,
        changes: Vec<Change>,
        made: &BTreeMap<ReportId, Made>,
    ) {
        let Some(last) = changes.last() else { return };
        self.more |= changes.len() == PAGE;
        let mut page = BucketPage {
            bucket,
            cursor: last.version,
            checksum: last.checksum,
            reports: vec![],
            echoes: vec![],
        };
        // Per report, its latest change in the page and whether every change of it in the page
        // is one this request made.
        let mut latest: BTreeMap<ReportId, (ServerReport, bool)> = BTreeMap::new();
        for c in changes {
            let id = c.report.report.id();
            let ours = made
                .get(&id)
                .is_some_and(|m| m.versions.contains(&c.version));
            let all_ours = latest.get(&id).is_none_or(|(_, o)| *o) && ours;
            latest.insert(id, (c.report, all_ours));
        }
        let mut latest: Vec<_> = latest.into_iter().collect();
        latest.sort_by_key(|(_, (r, _))| r.version);
        for (id, (report, all_ours)) in latest {
            // The device already holds the version before its ops when this bucket's cursor is
            // past it; then the ops it sent are all it needs to rebuild the report.
            let echo = made
                .get(&id)
                .filter(|m| all_ours && m.to() == report.version && m.from <= cursor);
            if let Some(&at) = self.full_at.get(&id) {
                page.reports.push(at);
            } else if let Some(m) = echo {
                let at = *self.echo_at.entry(id).or_insert_with(|| {
                    self.echoes.push(Echo {
                        id,
                        from: m.from,
                        version: m.to(),
                    });
                    (self.echoes.len() - 1) as u32
                });
                page.echoes.push(at);
            } else {
                let at = self.reports.len() as u32;
                self.reports.push(report);
                self.full_at.insert(id, at);
                page.reports.push(at);
            }
        }
        self.pages.push(page);
    }

    fn into_response(self) -> SyncResponse {
        SyncResponse {
            results: vec![],
            applied_at: 0,
            reports: self.reports,
            echoes: self.echoes,
            pages: self.pages,
            dropped: self.dropped,
            now: Timestamp::now().millis(),
            more: self.more,
            patrols: self.patrols,
            patrol_cursor: self.patrol_cursor,
            access: None,
        }
    }
}
