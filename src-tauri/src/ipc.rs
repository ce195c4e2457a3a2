//! The types that cross the IPC boundary, as the UI sees them (`ui/src/ipc/commands.ts` is the
//! contract). Each is exported to `ui/src/ipc/bindings/<Name>.ts` by ts-rs when the tests run;
//! `tests/bindings.rs` fails when the committed files differ from what these types generate.
//!
//! Times are milliseconds since 1970 (UTC) and counts are plain numbers on the TypeScript side;
//! optional values are `T | null` and always present. The enums mirror ronda-core's, with the
//! same codes (core stays free of TypeScript concerns).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use ronda_core::category::Category;

/// The language of the app's words and of every error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl From<Lang> for ronda_core::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Id => ronda_core::Lang::Id,
            Lang::En => ronda_core::Lang::En,
        }
    }
}

impl From<ronda_core::Lang> for Lang {
    fn from(l: ronda_core::Lang) -> Self {
        match l {
            ronda_core::Lang::Id => Lang::Id,
            ronda_core::Lang::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum ReportKind {
    Laporan,
    Rawan,
    Audit,
}

impl From<ReportKind> for ronda_core::ReportKind {
    fn from(k: ReportKind) -> Self {
        match k {
            ReportKind::Laporan => ronda_core::ReportKind::Laporan,
            ReportKind::Rawan => ronda_core::ReportKind::Rawan,
            ReportKind::Audit => ronda_core::ReportKind::Audit,
        }
    }
}

impl From<ronda_core::ReportKind> for ReportKind {
    fn from(k: ronda_core::ReportKind) -> Self {
        match k {
            ronda_core::ReportKind::Laporan => ReportKind::Laporan,
            ronda_core::ReportKind::Rawan => ReportKind::Rawan,
            ronda_core::ReportKind::Audit => ReportKind::Audit,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum ReportStatus {
    Baru,
    Diverifikasi,
    Ditolak,
    Duplikat,
    BukanWewenang,
    Didisposisikan,
    Diproses,
    Selesai,
    Dikonfirmasi,
    DibukaKembali,
    DitutupTidakDiperbaiki,
}

impl From<ronda_core::ReportStatus> for ReportStatus {
    fn from(s: ronda_core::ReportStatus) -> Self {
        use ronda_core::ReportStatus as S;
        match s {
            S::Baru => ReportStatus::Baru,
            S::Diverifikasi => ReportStatus::Diverifikasi,
            S::Ditolak => ReportStatus::Ditolak,
            S::Duplikat => ReportStatus::Duplikat,
            S::BukanWewenang => ReportStatus::BukanWewenang,
            S::Didisposisikan => ReportStatus::Didisposisikan,
            S::Diproses => ReportStatus::Diproses,
            S::Selesai => ReportStatus::Selesai,
            S::Dikonfirmasi => ReportStatus::Dikonfirmasi,
            S::DibukaKembali => ReportStatus::DibukaKembali,
            S::DitutupTidakDiperbaiki => ReportStatus::DitutupTidakDiperbaiki,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum LocationSource {
    Gps,
    Network,
    MapPick,
    Sms,
}

impl From<LocationSource> for ronda_core::LocationSource {
    fn from(s: LocationSource) -> Self {
        match s {
            LocationSource::Gps => ronda_core::LocationSource::Gps,
            LocationSource::Network => ronda_core::LocationSource::Network,
            LocationSource::MapPick => ronda_core::LocationSource::MapPick,
            LocationSource::Sms => ronda_core::LocationSource::Sms,
        }
    }
}

impl From<ronda_core::LocationSource> for LocationSource {
    fn from(s: ronda_core::LocationSource) -> Self {
        match s {
            ronda_core::LocationSource::Gps => LocationSource::Gps,
            ronda_core::LocationSource::Network => LocationSource::Network,
            ronda_core::LocationSource::MapPick => LocationSource::MapPick,
            ronda_core::LocationSource::Sms => LocationSource::Sms,
        }
    }
}

/// Who uses the app on this device: nobody yet (first run), someone without an account (reports
/// stay on the phone), or a signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum AccountState {
    None,
    Local,
    SignedIn {
        server: String,
        user_name: String,
        // The role's code (`ketua_rt`, `lurah`, …).
        role: String,
        // The role's area code, when the role has one.
        area: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct AppState {
    pub account: AccountState,
    pub lang: Lang,
    pub large_text: bool,
    #[ts(type = "number | null")]
    pub last_sync_at: Option<i64>,
    // Changes saved on this device that the server has not confirmed.
    #[ts(type = "number")]
    pub pending_ops: u64,
}

/// One category of the catalogue, in catalogue order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct CategoryInfo {
    pub code: String,
    pub kinds: Vec<ReportKind>,
    pub name_id: String,
    pub name_en: String,
    pub emergency: bool,
    pub icon: String,
}

impl From<&Category> for CategoryInfo {
    fn from(c: &Category) -> Self {
        Self {
            code: c.code.to_owned(),
            kinds: c.kinds.iter().copied().map(ReportKind::from).collect(),
            name_id: c.name_id.to_owned(),
            name_en: c.name_en.to_owned(),
            emergency: c.emergency,
            icon: c.icon.to_owned(),
        }
    }
}

/// How every command fails: a stable code, a message in the session's language, and a count
/// where a command says so (`UNSENT_WORK`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct CommandError {
    pub code: String,
    pub message: String,
    #[ts(type = "number | null")]
    pub count: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct CreatedReport {
    pub id: String,
    // For an audit: the categories of the reports its zero ratings suggest (e.g. `pju-mati`).
    pub suggested: Vec<String>,
}

/// The safety audit's form: its nine parameters in order, each with what its levels 0–3 mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct AuditParameter {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub rubric_id: Vec<String>,
    pub rubric_en: Vec<String>,
}

/// A code and a message for people, e.g. why the server refused a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

/// An area's boundary as a GeoJSON Feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum GeoJsonFeature {
    Feature {
        geometry: GeoJsonGeometry,
        #[ts(type = "{ [key in string]?: string | number | boolean | null } | null")]
        properties: Option<serde_json::Map<String, serde_json::Value>>,
    },
}

/// Longitude, latitude pairs, as GeoJSON has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum GeoJsonGeometry {
    Polygon {
        coordinates: Vec<Vec<Vec<f64>>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<Vec<f64>>>>,
    },
}

/// Where a report made on this device is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum SyncState {
    /// On the phone only: no account to send it with.
    SavedOnDevice,
    /// Signed in; it goes with the next sync.
    WaitingForSignal,
    Sent,
    /// The server refused it (or a change to it); the reason is in `rejection`.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct MyReport {
    pub id: String,
    pub category: String,
    pub kind: ReportKind,
    pub status: ReportStatus,
    pub description: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    pub sync: SyncState,
    pub rejection: Option<ErrorInfo>,
    #[ts(type = "number")]
    pub photos_total_bytes: u64,
    #[ts(type = "number")]
    pub photos_sent_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct NearbyReport {
    pub id: String,
    pub category: String,
    pub status: ReportStatus,
    pub description: Option<String>,
    pub distance_m: f64,
    #[ts(type = "number")]
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct PhotoInfo {
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    // The thumbnail as a `data:image/jpeg;base64,…` URL; null when it is not on this device.
    pub data_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ReportDetail {
    pub id: String,
    pub category: String,
    pub kind: ReportKind,
    pub status: ReportStatus,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    // Null for a point picked on the map.
    pub accuracy_m: Option<f64>,
    pub source: LocationSource,
    #[ts(type = "number")]
    pub created_at: i64,
    pub area: Option<String>,
    pub photos: Vec<PhotoInfo>,
    // Oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub sync: SyncState,
    pub rejection: Option<ErrorInfo>,
    pub audit: Option<AuditResult>,
}

/// A safety audit's nine ratings and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct AuditResult {
    pub score: f64,
    pub band: ScoreBand,
    // In the order of `audit_form`, rasa aman last.
    pub ratings: Vec<ParameterValue>,
}

/// One audit parameter's value: an audit's rating (0–3), or a cell's weighted mean rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ParameterValue {
    pub code: String,
    pub value: f64,
    // The band of the value as a share of the best rating (how its bar is coloured).
    pub band: ScoreBand,
}

impl ParameterValue {
    pub fn new(code: impl Into<String>, value: f64) -> Self {
        ParameterValue {
            code: code.into(),
            value,
            band: ronda_core::safety::Band::of_rating(value).into(),
        }
    }
}

/// How a 0–100 safety score reads, worst first (`ronda_core::safety::Band`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum ScoreBand {
    Rawan,
    Kurang,
    Cukup,
    Aman,
}

impl From<ronda_core::safety::Band> for ScoreBand {
    fn from(b: ronda_core::safety::Band) -> Self {
        use ronda_core::safety::Band as B;
        match b {
            B::Rawan => ScoreBand::Rawan,
            B::Kurang => ScoreBand::Kurang,
            B::Cukup => ScoreBand::Cukup,
            B::Aman => ScoreBand::Aman,
        }
    }
}

/// A score band and the whole scores it holds, for legends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct BandRange {
    pub band: ScoreBand,
    pub min: u8,
    pub max: u8,
}

impl From<ronda_core::safety::Band> for BandRange {
    fn from(b: ronda_core::safety::Band) -> Self {
        let (min, max) = b.range();
        BandRange {
            band: b.into(),
            min,
            max,
        }
    }
}

/// Day (06:00–18:00 WIB) or night: safety aggregates never mix the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum DayPart {
    Siang,
    Malam,
}

impl From<ronda_core::audit::DayPart> for DayPart {
    fn from(p: ronda_core::audit::DayPart) -> Self {
        match p {
            ronda_core::audit::DayPart::Siang => DayPart::Siang,
            ronda_core::audit::DayPart::Malam => DayPart::Malam,
        }
    }
}

/// One H3 cell of the public safety layer in one day part, as the device last fetched it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct SafetyCell {
    pub h3: String,
    pub day_part: DayPart,
    // The corners, [lat, lon].
    pub ring: Vec<[f64; 2]>,
    // Null when the cell has too few audits to show (it is here for its flags).
    pub audits: Option<u32>,
    pub score: Option<f64>,
    pub band: Option<ScoreBand>,
    // Nine weighted means 0–3 in the order of `audit_form`; empty without audits.
    pub parameters: Vec<ParameterValue>,
    // Dates (WIB) of the newest and the oldest audit.
    pub newest: Option<String>,
    pub oldest: Option<String>,
    // Unsafe-place flags, when there are enough to show.
    pub rawan: Option<u32>,
}

/// The public safety layer the device holds: neighbourhood cells, and when it was fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct SafetyMap {
    pub cells: Vec<SafetyCell>,
    #[ts(type = "number | null")]
    pub fetched_at: Option<i64>,
    // Day or night in Jakarta now: the part the map opens on.
    pub day_part_now: DayPart,
}

/// A new report as the UI's report flow made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ReportDraft {
    pub kind: ReportKind,
    pub category: String,
    pub lat: f64,
    pub lon: f64,
    // Null for a point picked on the map.
    pub accuracy_m: Option<f64>,
    pub source: LocationSource,
    // When the position was taken (the fix's time, or when the point was picked).
    #[ts(type = "number")]
    pub captured_at: i64,
    pub description: Option<String>,
    // A safety audit's nine ratings 0–3, in the order of `audit_form`.
    pub ratings: Option<Vec<u8>>,
}

/// A report as a map pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ReportPin {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: ReportKind,
    pub status: ReportStatus,
    pub category: String,
    // A safety audit's score 0–100 and its band; null for other reports and unrated audits.
    pub score: Option<f64>,
    pub band: Option<ScoreBand>,
}

/// How a sync round ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct SyncOutcome {
    pub ok: bool,
    // Changes the server accepted.
    #[ts(type = "number")]
    pub sent: u64,
    // Reports that came from the server.
    #[ts(type = "number")]
    pub received: u64,
    pub error: Option<ErrorInfo>,
    #[ts(type = "number")]
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum SyncPhase {
    Photos,
    Push,
    Pull,
    Done,
}

/// The payload of the `sync-progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct SyncProgress {
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub ops_sent: u64,
    #[ts(type = "number")]
    pub ops_received: u64,
    #[ts(type = "number")]
    pub bytes_sent: u64,
    #[ts(type = "number")]
    pub bytes_received: u64,
}

/// One line of a report's history. `what`: `created`, `sent`, `status:<status code>`,
/// `rejected` (`detail` = the reason), `edit`, `photo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct TimelineEntry {
    #[ts(type = "number")]
    pub at: i64,
    pub what: String,
    pub detail: Option<String>,
}

/// A lifecycle step without its data (`verify`, `reject`, …), with ronda-core's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum ActionKind {
    Verify,
    Reject,
    MarkDuplicate,
    Reroute,
    Dispose,
    StartWork,
    Resolve,
    Confirm,
    Reopen,
    CloseUnfixed,
}

impl From<ronda_core::lifecycle::ActionKind> for ActionKind {
    fn from(k: ronda_core::lifecycle::ActionKind) -> Self {
        use ronda_core::lifecycle::ActionKind as K;
        match k {
            K::Verify => ActionKind::Verify,
            K::Reject => ActionKind::Reject,
            K::MarkDuplicate => ActionKind::MarkDuplicate,
            K::Reroute => ActionKind::Reroute,
            K::Dispose => ActionKind::Dispose,
            K::StartWork => ActionKind::StartWork,
            K::Resolve => ActionKind::Resolve,
            K::Confirm => ActionKind::Confirm,
            K::Reopen => ActionKind::Reopen,
            K::CloseUnfixed => ActionKind::CloseUnfixed,
        }
    }
}

/// What a lifecycle step needs in words, from ronda-core: the steps that always need a note, and
/// each reason to reject (in ronda-core's order) with whether it needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct StepRules {
    pub note_actions: Vec<ActionKind>,
    pub reject_reasons: Vec<RejectReasonRule>,
}

/// A reason to reject, and whether a rejection for it needs a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct RejectReasonRule {
    pub reason: RejectReason,
    pub needs_note: bool,
}

/// Why a report was rejected: ronda-core's fixed list (`lainnya` needs a note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum RejectReason {
    TidakDitemukan,
    BukanMasalahPublik,
    InformasiKurang,
    TidakPantas,
    Lainnya,
}

impl From<RejectReason> for ronda_core::lifecycle::RejectReason {
    fn from(r: RejectReason) -> Self {
        use ronda_core::lifecycle::RejectReason as R;
        match r {
            RejectReason::TidakDitemukan => R::TidakDitemukan,
            RejectReason::BukanMasalahPublik => R::BukanMasalahPublik,
            RejectReason::InformasiKurang => R::InformasiKurang,
            RejectReason::TidakPantas => R::TidakPantas,
            RejectReason::Lainnya => R::Lainnya,
        }
    }
}

impl From<ronda_core::lifecycle::RejectReason> for RejectReason {
    fn from(r: ronda_core::lifecycle::RejectReason) -> Self {
        use ronda_core::lifecycle::RejectReason as R;
        match r {
            R::TidakDitemukan => RejectReason::TidakDitemukan,
            R::BukanMasalahPublik => RejectReason::BukanMasalahPublik,
            R::InformasiKurang => RejectReason::InformasiKurang,
            R::TidakPantas => RejectReason::TidakPantas,
            R::Lainnya => RejectReason::Lainnya,
        }
    }
}

/// Where a step was taken, as the server judged it from the device's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum PresenceKind {
    /// At the report's place, with a good enough fix.
    OnSite,
    /// Too far, or a fix too poor to tell.
    Desk,
    /// No position.
    Unknown,
}

/// A report against its deadline: `on_time`, `amber` (due soon), `red` (overdue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub enum SlaFlag {
    OnTime,
    Amber,
    Red,
}

impl From<ronda_core::sla::Flag> for SlaFlag {
    fn from(f: ronda_core::sla::Flag) -> Self {
        match f {
            ronda_core::sla::Flag::OnTime => SlaFlag::OnTime,
            ronda_core::sla::Flag::Amber => SlaFlag::Amber,
            ronda_core::sla::Flag::Red => SlaFlag::Red,
        }
    }
}

/// The running deadline of a report that has one (not closed, not waiting on the reporter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct SlaInfo {
    pub flag: SlaFlag,
    // The step the clock runs for: `verify`, `hand_over`, `plan`, `fix`.
    pub step: String,
    #[ts(type = "number | null")]
    pub deadline: Option<i64>,
}

/// A step the signed-in person may take, and the role (`lurah`, …) they take it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct OfferedAction {
    pub role: String,
    pub action: ActionKind,
}

/// One step of a report's lifecycle history: who (as which role), when, from which status to
/// which, where and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct LifecycleStep {
    pub role: String,
    // Taken by the signed-in person.
    pub by_me: bool,
    #[ts(type = "number")]
    pub at: i64,
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    pub action: ActionKind,
    pub reason: Option<RejectReason>,
    // For a duplicate: the report it was merged into.
    pub original: Option<String>,
    // The agency code of the body responsible after this step.
    pub agency: Option<String>,
    pub presence: PresenceKind,
    // Metres between the device and the report, when the device had a position.
    pub distance_m: Option<f64>,
    pub note: Option<String>,
    pub has_photo: bool,
}

/// A report's lifecycle as this device knows it (the server's state and this device's steps
/// not yet sent), and what the signed-in person may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct ReportLifecycle {
    pub id: String,
    pub status: ReportStatus,
    // Oldest first.
    pub history: Vec<LifecycleStep>,
    pub supporters: u32,
    pub supporting: bool,
    pub can_support: bool,
    pub agency: Option<String>,
    pub duplicate_of: Option<String>,
    // Why the report's area waits for the lurah: `outside_every`, `near_border`, `claim_differs`.
    pub place_flag: Option<String>,
    pub sla: Option<SlaInfo>,
    pub offered: Vec<OfferedAction>,
    // Once the report was closed with a photo.
    pub before_after: Option<BeforeAfter>,
}

/// A fixed report's photos side by side: the one it was reported with and the one it was closed
/// with, as `data:image/jpeg;base64,…` thumbnails; null while a thumbnail is not yet on the
/// device (or, for `before`, when the report had no photo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct BeforeAfter {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A body that acts on reports, for the re-route and hand-over pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct AgencyInfo {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
}

/// The device's position when a step is taken (a GPS fix).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct StepPosition {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    #[ts(type = "number")]
    pub captured_at: i64,
}

/// A photo shrunk and kept on the device for a step (`resolve`, `reopen`): `act` names it by
/// `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct StagedPhoto {
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    // The thumbnail as a `data:image/jpeg;base64,…` URL.
    pub data_url: Option<String>,
}

/// A step someone else took on a report of the person's own or one they support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct KabarNews {
    pub report: String,
    pub category: String,
    pub step: LifecycleStep,
    pub unread: bool,
}

/// A report waiting on a step the person may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct KabarWaiting {
    pub report: String,
    pub category: String,
    pub status: ReportStatus,
    pub area: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub actions: Vec<OfferedAction>,
    // Null when no clock runs.
    pub sla: Option<SlaInfo>,
}

/// The in-app inbox ("Kabar").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct Kabar {
    // Newest first.
    pub news: Vec<KabarNews>,
    pub unread: u32,
    // Overdue first, then due soon, then by deadline.
    pub waiting: Vec<KabarWaiting>,
    pub due_soon: u32,
    pub overdue: u32,
}

/// One stop of the lurah's walk list, nearest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct FieldStop {
    pub id: String,
    pub category: String,
    pub status: ReportStatus,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    // Estimated walking distance.
    pub distance_m: f64,
    pub walk_minutes: u32,
    #[ts(type = "number")]
    pub created_at: i64,
}

/// The daily patrol: the person's own "nihil" check-in, and the day of the area they follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct Patrol {
    // Today in Jakarta, YYYY-MM-DD.
    pub day: String,
    // The RT or RW the person checks in for; null for someone who heads none.
    pub own_area: Option<String>,
    pub checked_in: bool,
    // The area whose RTs and RWs are listed: the one the person serves.
    pub area: Option<String>,
    // The RTs and RWs that checked in or reported today, in code order.
    pub areas: Vec<PatrolArea>,
}

/// One RT or RW on the patrol day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/ipc/bindings/")]
pub struct PatrolArea {
    pub area: String,
    pub nihil: bool,
    // The check-in has reached the server.
    pub sent: bool,
    pub reports: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mirrors speak the same codes as ronda-core, variant for variant.
    #[test]
    fn mirrored_enums_serialise_like_core() {
        let same = |a: serde_json::Value, b: serde_json::Value| assert_eq!(a, b);
        for l in ronda_core::Lang::ALL {
            same(serde_json::json!(l), serde_json::json!(Lang::from(l)));
            assert_eq!(ronda_core::Lang::from(Lang::from(l)), l);
        }
        for k in ronda_core::ReportKind::ALL {
            same(serde_json::json!(k), serde_json::json!(ReportKind::from(k)));
            assert_eq!(ronda_core::ReportKind::from(ReportKind::from(k)), k);
        }
        for s in ronda_core::ReportStatus::ALL {
            same(
                serde_json::json!(s),
                serde_json::json!(ReportStatus::from(s)),
            );
        }
        for a in ronda_core::lifecycle::ActionKind::ALL {
            same(serde_json::json!(a), serde_json::json!(ActionKind::from(a)));
        }
        for r in ronda_core::lifecycle::RejectReason::ALL {
            same(
                serde_json::json!(r),
                serde_json::json!(RejectReason::from(r)),
            );
            assert_eq!(
                ronda_core::lifecycle::RejectReason::from(RejectReason::from(r)),
                r
            );
        }
        for f in [
            ronda_core::sla::Flag::OnTime,
            ronda_core::sla::Flag::Amber,
            ronda_core::sla::Flag::Red,
        ] {
            same(serde_json::json!(f), serde_json::json!(SlaFlag::from(f)));
        }
        for s in ronda_core::LocationSource::ALL {
            same(
                serde_json::json!(s),
                serde_json::json!(LocationSource::from(s)),
            );
            assert_eq!(ronda_core::LocationSource::from(LocationSource::from(s)), s);
        }
    }

    #[test]
    fn tagged_shapes_are_the_contracts() {
        assert_eq!(
            serde_json::to_value(AccountState::SignedIn {
                server: "https://ronda.example.org".into(),
                user_name: "Pak Budi".into(),
                role: "ketua_rt".into(),
                area: None,
            })
            .unwrap(),
            serde_json::json!({"kind": "signedIn", "server": "https://ronda.example.org",
                               "userName": "Pak Budi", "role": "ketua_rt", "area": null})
        );
        assert_eq!(
            serde_json::to_value(AccountState::Local).unwrap(),
            serde_json::json!({"kind": "local"})
        );
        let feature: GeoJsonFeature = serde_json::from_value(serde_json::json!({
            "type": "Feature",
            "properties": {"name": "Gambir"},
            "geometry": {"type": "Polygon", "coordinates": [[[106.8, -6.2], [106.9, -6.2], [106.9, -6.1], [106.8, -6.2]]]}
        }))
        .unwrap();
        let back = serde_json::to_value(&feature).unwrap();
        assert_eq!(back["type"], "Feature");
        assert_eq!(back["geometry"]["type"], "Polygon");
        assert_eq!(back["properties"]["name"], "Gambir");
    }
}
