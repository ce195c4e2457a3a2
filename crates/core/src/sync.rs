//! The sync protocol's vocabulary: buckets, the server's record of a report with the stamps of
//! its fields and the values that lost, and the messages of one sync round trip.
//!
//! One round trip: the device sends its pending ops and its cursor in each bucket; the server
//! answers with a result per op and, per bucket, the reports changed after the cursor (at the
//! version of each change), the new cursor and a checksum of the bucket at that cursor.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::area::{AreaCode, KecamatanCode, KelurahanCode, KotaCode, ProvinsiCode, RtRef, RwRef};
use crate::category::{self, CategoryCode};
use crate::filing::PlaceFlag;
use crate::hlc::Stamp;
use crate::i18n::{Coded, Lang};
use crate::id::{OpId, ReportId, UserId};
use crate::lifecycle::HistoryEntry;
use crate::location::Location;
use crate::op::{Op, OpBody, ReportPatch};
use crate::patrol::CheckIn;
use crate::report::{NewReport, ReportStatus};
use crate::role::RoleAssignment;
use crate::text::Description;
use crate::time::Timestamp;

/// A set of reports that sessions subscribe to as a unit, with its own cursor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BucketId {
    Prov(ProvinsiCode),
    Kec(KecamatanCode),
    Kel(KelurahanCode),
    Rw(RwRef),
    Rt(RtRef),
    /// The reports one person made.
    User(UserId),
    /// An agency's branch (Suku Dinas) in one kota: the reports in its remit there.
    Agency(AgencyCode, KotaCode),
}

impl fmt::Display for BucketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BucketId::Prov(c) => write!(f, "p:{c}"),
            BucketId::Kec(c) => write!(f, "c:{c}"),
            BucketId::Kel(c) => write!(f, "k:{c}"),
            BucketId::Rw(c) => write!(f, "w:{c}"),
            BucketId::Rt(c) => write!(f, "t:{c}"),
            BucketId::User(u) => write!(f, "u:{u}"),
            BucketId::Agency(a, k) => write!(f, "a:{a}:{k}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a bucket")]
pub struct BadBucket(pub String);

impl FromStr for BucketId {
    type Err = BadBucket;
    fn from_str(s: &str) -> Result<Self, BadBucket> {
        let bad = || BadBucket(s.to_owned());
        let (tag, rest) = s.split_once(':').ok_or_else(bad)?;
        let area = |r: &str| r.parse::<AreaCode>().map_err(|_| bad());
        Ok(match (tag, area(rest)) {
            ("p", Ok(AreaCode::Provinsi(c))) => BucketId::Prov(c),
            ("c", Ok(AreaCode::Kecamatan(c))) => BucketId::Kec(c),
            ("k", Ok(AreaCode::Kelurahan(c))) => BucketId::Kel(c),
            ("w", Ok(AreaCode::Rw(c))) => BucketId::Rw(c),
            ("t", Ok(AreaCode::Rt(c))) => BucketId::Rt(c),
            ("u", _) => BucketId::User(rest.parse().map_err(|_| bad())?),
            ("a", _) => {
                let (agency, kota) = rest.split_once(':').ok_or_else(bad)?;
                BucketId::Agency(
                    AgencyCode::from_code(agency).ok_or_else(bad)?,
                    kota.parse().map_err(|_| bad())?,
                )
            }
            _ => return Err(bad()),
        })
    }
}

impl Serialize for BucketId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BucketId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Every bucket a report belongs to: its area and each area above it down from the province
/// (but not the kota, which no role watches), its reporter's, and the responsible agency's
/// branch in its kota.
pub fn report_buckets(
    area: Option<&AreaCode>,
    reporter: UserId,
    agency: AgencyCode,
) -> Vec<BucketId> {
    let mut out = vec![BucketId::User(reporter)];
    if let Some(area) = area {
        for a in area.ancestry() {
            out.push(match a {
                AreaCode::Provinsi(c) => BucketId::Prov(c),
                AreaCode::Kota(k) => BucketId::Agency(agency, k),
                AreaCode::Kecamatan(c) => BucketId::Kec(c),
                AreaCode::Kelurahan(c) => BucketId::Kel(c),
                AreaCode::Rw(c) => BucketId::Rw(c),
                AreaCode::Rt(c) => BucketId::Rt(c),
            });
        }
    }
    out.sort();
    out
}

/// The buckets a person's roles let them pull.
pub fn session_buckets(user: UserId, assignments: &[RoleAssignment]) -> Vec<BucketId> {
    let mut out = vec![BucketId::User(user)];
    for a in assignments {
        match a {
            RoleAssignment::Warga => {}
            RoleAssignment::KetuaRt { rt } => out.push(BucketId::Rt(*rt)),
            RoleAssignment::KetuaRw { rw } => out.push(BucketId::Rw(*rw)),
            RoleAssignment::Lurah { kelurahan } => out.push(BucketId::Kel(*kelurahan)),
            RoleAssignment::Camat { kecamatan } => out.push(BucketId::Kec(*kecamatan)),
            RoleAssignment::PetugasSkpd(scope) => {
                out.extend(scope.areas().iter().filter_map(|area| match area {
                    AreaCode::Kota(k) => Some(BucketId::Agency(scope.agency(), *k)),
                    _ => None,
                }));
            }
            RoleAssignment::Admin { provinsi } => out.push(BucketId::Prov(*provinsi)),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A field's value that lost to a later write, kept so nobody's work disappears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    Category(CategoryCode),
    Location(Location),
    Description(Description),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LosingValue {
    pub op: OpId,
    #[serde(flatten)]
    pub value: FieldValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldStamps {
    pub category: Stamp,
    pub location: Stamp,
    pub description: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("the edit changes nothing")]
    Empty,
    #[error("category {0} does not fit this kind of report")]
    WrongKind(CategoryCode),
    #[error("no category {0}")]
    UnknownCategory(CategoryCode),
}

impl Coded for PatchError {
    fn code(&self) -> &'static str {
        match self {
            PatchError::Empty => "OP_EMPTY",
            PatchError::WrongKind(_) => "CATEGORY_WRONG_KIND",
            PatchError::UnknownCategory(_) => "CATEGORY_UNKNOWN",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            PatchError::Empty => lang
                .pick("perubahan kosong", "the edit changes nothing")
                .into(),
            PatchError::WrongKind(c) => lang.pick(
                format!("kategori {c} tidak cocok untuk jenis laporan ini"),
                format!("category {c} does not fit this kind of report"),
            ),
            PatchError::UnknownCategory(c) => lang.pick(
                format!("kategori {c} tidak dikenal"),
                format!("unknown category {c}"),
            ),
        }
    }
}

/// The server's record of a report: its current state, who made it, the stamp of each free field,
/// the values that lost, and the version (the commit sequence number of its latest change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerReport {
    pub report: NewReport,
    pub status: ReportStatus,
    pub reporter: UserId,
    pub stamps: FieldStamps,
    pub losers: Vec<LosingValue>,
    pub updated_at: Timestamp,
    pub version: i64,
    /// Every lifecycle step, oldest first; append-only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    /// The people who said "dukung", each once; never the reporter.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub supporters: BTreeSet<UserId>,
    /// The body the report is with, once handed over or re-routed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyCode>,
    /// For a duplicate: the report it was merged into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<ReportId>,
    /// For an original: the duplicates merged into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<ReportId>,
    /// Set when the server could not be sure of the report's kelurahan: the lurah confirms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_flag: Option<PlaceFlag>,
}

impl ServerReport {
    pub fn create(report: NewReport, reporter: UserId, stamp: Stamp, now: Timestamp) -> Self {
        Self {
            report,
            status: ReportStatus::Baru,
            reporter,
            stamps: FieldStamps {
                category: stamp,
                location: stamp,
                description: stamp,
            },
            losers: vec![],
            updated_at: now,
            version: 0,
            history: vec![],
            supporters: BTreeSet::new(),
            agency: None,
            duplicate_of: None,
            merged: vec![],
            place_flag: None,
        }
    }

    /// Applies an edit field by field: a field takes the new value if the edit's stamp is later
    /// than the field's, and the value that loses (old or new) is kept in `losers`.
    pub fn apply(
        &mut self,
        patch: &ReportPatch,
        stamp: Stamp,
        now: Timestamp,
    ) -> Result<(), PatchError> {
        if patch.is_empty() {
            return Err(PatchError::Empty);
        }
        if let Some(c) = &patch.category {
            let entry =
                category::lookup(c.as_str()).map_err(|_| PatchError::UnknownCategory(c.clone()))?;
            if !entry.applies_to(self.report.kind()) {
                return Err(PatchError::WrongKind(c.clone()));
            }
        }
        let mut fields = self.report.fields();
        let losers = &mut self.losers;
        if let Some(c) = &patch.category {
            let s = &mut self.stamps.category;
            merge_field(&mut fields.category, s, c.clone(), stamp, losers, |v| {
                Some(FieldValue::Category(v))
            });
        }
        if let Some(l) = patch.location {
            let s = &mut self.stamps.location;
            merge_field(&mut fields.location, s, l, stamp, losers, |v| {
                Some(FieldValue::Location(v))
            });
        }
        if let Some(d) = &patch.description {
            let s = &mut self.stamps.description;
            merge_field(
                &mut fields.description,
                s,
                Some(d.clone()),
                stamp,
                losers,
                |v| v.map(FieldValue::Description),
            );
        }
        self.report = self.report.clone().with_fields(fields);
        self.updated_at = now;
        Ok(())
    }
}

/// Last writer wins by stamp; the loser, old or new, is kept (an empty old value is nothing to
/// keep).
fn merge_field<T>(
    current: &mut T,
    current_stamp: &mut Stamp,
    incoming: T,
    stamp: Stamp,
    losers: &mut Vec<LosingValue>,
    keep: impl Fn(T) -> Option<FieldValue>,
) {
    let (op, lost) = if stamp > *current_stamp {
        let old = std::mem::replace(current, incoming);
        let old_op = std::mem::replace(current_stamp, stamp).op;
        (old_op, old)
    } else {
        (stamp.op, incoming)
    };
    if let Some(value) = keep(lost) {
        losers.push(LosingValue { op, value });
    }
}

/// What became of one pushed op.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "s", rename_all = "snake_case")]
pub enum OpResult {
    /// Applied now.
    Accepted,
    /// Applied before: a retry.
    Duplicate,
    /// Refused; the device keeps the op and shows the reason.
    Rejected { code: String, message: String },
}

/// The device's half of a sync.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<Op>,
    /// Cursor per bucket the device already follows; buckets it does not list start at 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cursors: BTreeMap<BucketId, i64>,
    /// How far the device has the patrol check-ins of the areas it follows.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub patrol_cursor: i64,
}

/// One bucket's changes after the device's cursor. The reports themselves travel once per
/// response, however many of the device's buckets they are in; a page names them by position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketPage {
    pub bucket: BucketId,
    pub cursor: i64,
    pub checksum: u64,
    /// Positions in [`SyncResponse::reports`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<u32>,
    /// Positions in [`SyncResponse::echoes`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub echoes: Vec<u32>,
}

/// A report that only this device's own ops, accepted in this round trip, changed since the
/// version `from` that the device already holds: the device rebuilds it by replaying those ops
/// ([`replay`]) instead of receiving it back in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Echo {
    pub id: ReportId,
    /// The version the ops were applied to; 0 when they created the report.
    pub from: i64,
    pub version: i64,
}

/// The server's half of a sync.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncResponse {
    /// One result per pushed op, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<OpResult>,
    /// The server time the pushed ops were applied at (it clamps their clocks and stamps
    /// `updated_at`); 0 when none were.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub applied_at: i64,
    /// Every report the pages carry, once each, at its latest version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ServerReport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub echoes: Vec<Echo>,
    /// Only buckets with news (or whose cursor the device did not know) appear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<BucketPage>,
    /// Buckets the device listed but may no longer follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<BucketId>,
    /// The server's clock, for the device to correct its own.
    pub now: i64,
    /// More changes are waiting: sync again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    /// Patrol check-ins in the areas the device follows, after its `patrol_cursor`, oldest
    /// first, and the cursor after them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patrols: Vec<CheckIn>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub patrol_cursor: i64,
    /// A fresh access token, sent when the one the device used is near its end, so a device
    /// that syncs regularly never spends a round trip on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<RenewedAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewedAccess {
    pub token: String,
    /// Milliseconds since 1970, server time.
    pub expires_at: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl SyncResponse {
    /// The reports a page carries in full; an index the response does not hold is skipped.
    pub fn page_reports<'a>(
        &'a self,
        page: &'a BucketPage,
    ) -> impl Iterator<Item = &'a ServerReport> {
        page.reports
            .iter()
            .filter_map(|&i| self.reports.get(i as usize))
    }

    /// The echoes a page refers to; an index the response does not hold is skipped.
    pub fn page_echoes<'a>(&'a self, page: &'a BucketPage) -> impl Iterator<Item = &'a Echo> {
        page.echoes
            .iter()
            .filter_map(|&i| self.echoes.get(i as usize))
    }
}

/// The stamp the server gives an op applied at `now`: the device's clock, clamped.
pub fn server_stamp(op: &Op, now: Timestamp) -> Stamp {
    Stamp {
        hlc: op.hlc.clamp(now.millis()).0,
        op: op.id,
    }
}

/// What accepting `op` makes of the server's `current` record of its report (`None` when the op
/// creates it), applied at `now`. The server's one rule for a change, and the one a device
/// replays for an [`Echo`].
pub fn accept(
    current: Option<ServerReport>,
    op: &Op,
    reporter: UserId,
    now: Timestamp,
) -> Option<Result<ServerReport, PatchError>> {
    let stamp = server_stamp(op, now);
    match (&op.body, current) {
        (OpBody::CreateReport(new), None) => {
            Some(Ok(ServerReport::create(new.clone(), reporter, stamp, now)))
        }
        (OpBody::UpdateReport(patch), Some(mut report)) if patch.report == report.report.id() => {
            Some(report.apply(patch, stamp, now).map(|()| report))
        }
        _ => None,
    }
}

/// Rebuilds the report an [`Echo`] stands for from the version the device holds (`base`, `None`
/// before the report's first version) and the device's ops the server accepted, in the order it
/// applied them. `None` when `base` is not the version the echo starts from or an op does not
/// apply: the device cannot rebuild it and must ask for the report again.
pub fn replay<'a>(
    echo: &Echo,
    base: Option<ServerReport>,
    ops: impl IntoIterator<Item = &'a Op>,
    reporter: UserId,
    applied_at: Timestamp,
) -> Option<ServerReport> {
    if base.as_ref().map_or(0, |b| b.version) != echo.from {
        return None;
    }
    let mut state = base;
    let mut any = false;
    for op in ops {
        if op.body.report_id() == Some(echo.id) {
            let reporter = state.as_ref().map_or(reporter, |s| s.reporter);
            state = Some(accept(state, op, reporter, applied_at)?.ok()?);
            any = true;
        }
    }
    let mut state = state.filter(|_| any)?;
    state.version = echo.version;
    Some(state)
}

/// A bucket's checksum is the XOR of this over its members at their versions, so either side can
/// add or remove one report at a time and both can compare.
pub fn member_hash(report: ReportId, version: i64) -> u64 {
    // FNV-1a over the id's bytes and the version: stable across platforms and releases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in report
        .as_uuid()
        .as_bytes()
        .iter()
        .chain(&version.to_le_bytes())
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::location::{Accuracy, Coordinate, LocationSource};
    use crate::report::ReportKind;
    use proptest::prelude::*;

    fn location(lat: f64) -> Location {
        Location {
            coord: Coordinate::new(lat, 106.8).unwrap(),
            accuracy_m: Accuracy::metres(5.0).unwrap(),
            source: LocationSource::Gps,
            captured_at: Timestamp::from_millis(1_790_000_000_000).unwrap(),
        }
    }

    fn base() -> ServerReport {
        let r = NewReport::new(ReportKind::Laporan, "jalan-rusak", location(-6.2)).unwrap();
        let stamp = Stamp {
            hlc: Hlc { ms: 1_000, n: 0 },
            op: OpId::new(),
        };
        ServerReport::create(r, UserId::new(), stamp, Timestamp::from_millis(0).unwrap())
    }

    #[test]
    fn replaying_an_echo_rebuilds_what_the_server_made_and_only_from_its_base() {
        let now = Timestamp::from_millis(1_790_000_100_000).unwrap();
        let new = NewReport::new(ReportKind::Laporan, "jalan-rusak", location(-6.2)).unwrap();
        let reporter = UserId::new();
        // The device's clock runs a day fast: the server clamps it, and so must the replay.
        let ahead = Hlc {
            ms: now.millis() + 86_400_000,
            n: 3,
        };
        let create = Op::new(OpBody::CreateReport(new.clone()), ahead);
        let edit = Op::new(
            OpBody::UpdateReport(ReportPatch {
                report: new.id(),
                category: Some(CategoryCode::parse("banjir").unwrap()),
                location: None,
                description: None,
            }),
            Hlc { ms: 5, n: 0 },
        );
        let mut on_server = accept(None, &create, reporter, now).unwrap().unwrap();
        assert_eq!(on_server.stamps.category.hlc.ms, now.millis(), "clamped");
        on_server.version = 7;
        let mut after = accept(Some(on_server.clone()), &edit, reporter, now)
            .unwrap()
            .unwrap();
        after.version = 8;

        let echo = Echo {
            id: new.id(),
            from: 0,
            version: 8,
        };
        let unrelated = Op::new(
            OpBody::CreateReport(
                NewReport::new(ReportKind::Laporan, "pju-mati", location(-6.3)).unwrap(),
            ),
            Hlc { ms: 1, n: 0 },
        );
        let ops = [&create, &unrelated, &edit];
        assert_eq!(replay(&echo, None, ops, reporter, now), Some(after.clone()));
        let from_7 = Echo { from: 7, ..echo };
        assert_eq!(
            replay(&from_7, Some(on_server.clone()), [&edit], reporter, now),
            Some(after)
        );
        assert_eq!(
            replay(&from_7, None, [&edit], reporter, now),
            None,
            "wrong base"
        );
        assert_eq!(replay(&echo, Some(on_server), ops, reporter, now), None);
        assert_eq!(
            replay(&echo, None, [&unrelated], reporter, now),
            None,
            "no op of its"
        );
    }

    fn any_patch(report: ReportId) -> impl Strategy<Value = (ReportPatch, Stamp)> {
        let categories =
            prop::sample::select(vec!["jalan-rusak", "banjir", "pju-mati", "sampah-menumpuk"]);
        (
            prop::option::of(categories),
            prop::option::of(-6.4..-6.0f64),
            prop::option::of("[a-z]{1,12}"),
            0i64..3_000,
            0u32..3,
        )
            .prop_filter("not empty", |(c, l, d, _, _)| {
                c.is_some() || l.is_some() || d.is_some()
            })
            .prop_map(move |(c, l, d, ms, n)| {
                let patch = ReportPatch {
                    report,
                    category: c.map(|c| CategoryCode::parse(c).unwrap()),
                    location: l.map(location),
                    description: d.map(|d| Description::parse(&d).unwrap()),
                };
                (
                    patch,
                    Stamp {
                        hlc: Hlc { ms, n },
                        op: OpId::new(),
                    },
                )
            })
    }

    fn sorted_losers(r: &ServerReport) -> Vec<String> {
        let mut v: Vec<String> = r.losers.iter().map(|l| format!("{l:?}")).collect();
        v.sort();
        v
    }

    proptest! {
        #[test]
        fn edits_converge_in_any_order_and_nothing_is_lost(
            (patches, order) in any_patch(ReportId::new()).prop_flat_map(|_| {
                let start = base();
                let id = start.report.id();
                prop::collection::vec(any_patch(id), 1..8).prop_flat_map(|ps| {
                    let n = ps.len();
                    (Just(ps), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
                })
            })
        ) {
            let start = base();
            let now = Timestamp::from_millis(5).unwrap();
            let mut in_order = start.clone();
            for (p, s) in &patches {
                in_order.apply(p, *s, now).unwrap();
            }
            let mut shuffled = start.clone();
            for &i in &order {
                shuffled.apply(&patches[i].0, patches[i].1, now).unwrap();
            }
            prop_assert_eq!(&in_order.report, &shuffled.report);
            prop_assert_eq!(in_order.stamps, shuffled.stamps);
            prop_assert_eq!(sorted_losers(&in_order), sorted_losers(&shuffled));
            // Every field write is either in effect or among the losers.
            let fields_written: usize = patches.iter().map(|(p, _)| {
                usize::from(p.category.is_some()) + usize::from(p.location.is_some()) + usize::from(p.description.is_some())
            }).sum();
            let in_effect = [in_order.stamps.category, in_order.stamps.location, in_order.stamps.description]
                .iter().filter(|s| patches.iter().any(|(_, ps)| ps == *s)).count();
            // The original category and location lose too when overwritten (the description had none).
            let originals_lost = in_order.losers.iter().filter(|l| l.op == start.stamps.category.op).count();
            prop_assert_eq!(in_order.losers.len(), fields_written - in_effect + originals_lost);
        }
    }

    #[test]
    fn a_category_that_does_not_fit_the_kind_is_refused_and_changes_nothing() {
        let mut r = base();
        let before = r.clone();
        let patch = ReportPatch {
            report: r.report.id(),
            category: Some(CategoryCode::parse("pelecehan").unwrap()),
            location: None,
            description: None,
        };
        let stamp = Stamp {
            hlc: Hlc { ms: 9_000, n: 0 },
            op: OpId::new(),
        };
        assert_eq!(
            r.apply(&patch, stamp, Timestamp::now()).unwrap_err().code(),
            "CATEGORY_WRONG_KIND"
        );
        assert_eq!(r, before);
        let empty = ReportPatch {
            category: None,
            ..patch
        };
        assert_eq!(
            r.apply(&empty, stamp, Timestamp::now()).unwrap_err().code(),
            "OP_EMPTY"
        );
    }

    #[test]
    fn buckets_round_trip_and_match_roles() {
        let rt: AreaCode = "31.71.01.1001/RW 003/RT 007".parse().unwrap();
        let reporter = UserId::new();
        let buckets = report_buckets(Some(&rt), reporter, AgencyCode::BinaMarga);
        for b in &buckets {
            assert_eq!(&b.to_string().parse::<BucketId>().unwrap(), b);
        }
        assert_eq!(buckets.len(), 7, "{buckets:?}");
        let AreaCode::Rt(rt_ref) = rt else {
            unreachable!()
        };
        let ketua = session_buckets(UserId::new(), &[RoleAssignment::KetuaRt { rt: rt_ref }]);
        assert!(
            ketua
                .iter()
                .any(|b| buckets.contains(b) && matches!(b, BucketId::Rt(_)))
        );
        let skpd = session_buckets(
            UserId::new(),
            &[RoleAssignment::PetugasSkpd(
                crate::role::SkpdScope::new(AgencyCode::BinaMarga, ["31.71".parse().unwrap()])
                    .unwrap(),
            )],
        );
        assert!(skpd.iter().any(|b| buckets.contains(b)));
        let other_agency = session_buckets(
            UserId::new(),
            &[RoleAssignment::PetugasSkpd(
                crate::role::SkpdScope::new(AgencyCode::SumberDayaAir, ["31.71".parse().unwrap()])
                    .unwrap(),
            )],
        );
        assert!(
            !other_agency
                .iter()
                .any(|b| buckets.contains(b) && !matches!(b, BucketId::User(_)))
        );
        for bad in [
            "",
            "x:1",
            "k:31.71.01",
            "u:nope",
            "a:bina_marga",
            "a:nobody:31.71",
        ] {
            assert!(bad.parse::<BucketId>().is_err(), "{bad}");
        }
    }
}
