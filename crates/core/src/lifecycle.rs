//! A report's life after it is made: the actions officials and the reporter take on it, which
//! state each action leads to from which, what each one must carry, and the history they leave.
//!
//! ```text
//! baru ─┬─ verify ──────► diverifikasi ── dispose ──► didisposisikan ── start_work ──► diproses
//!       ├─ reject ──────► ditolak                         │   ▲                          │
//!       ├─ mark_duplicate► duplikat                       │   └─ dispose (bukan_wewenang) │
//!       └─ reroute ─────► bukan_wewenang ─────────────────┘                              │
//!                                                         close_unfixed ◄────────────────┤
//!                           ditutup_tidak_diperbaiki ◄────┘                     resolve ─┘
//! selesai ── confirm ──► dikonfirmasi                                             │
//!    │   └── reopen ───► dibuka_kembali (treated as baru: verified again) ◄────────┘
//! ```
//!
//! Who may take which action where is [`crate::authz`]'s table. History is append-only: each
//! accepted action adds one [`HistoryEntry`] saying who, as which role, when (server time),
//! where (the device's position) and why.

use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::authz::Target;
use crate::i18n::{Coded, Lang};
use crate::id::{OpId, ReportId, UserId};
use crate::kewenangan::Kewenangan;
use crate::location::{Coordinate, Location};
use crate::photo::PhotoRef;
use crate::report::{NewReport, ReportStatus};
use crate::role::Role;
use crate::sync::ServerReport;
use crate::text::Description;
use crate::time::Timestamp;

/// Why a report was rejected: a fixed list, so the numbers can be counted, plus free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Nothing was there when the lurah looked.
    TidakDitemukan,
    /// Not a public problem (a private dispute, a private property).
    BukanMasalahPublik,
    /// Too little to act on: no place, no description, an unclear photo.
    InformasiKurang,
    /// Abusive, a joke or advertising.
    TidakPantas,
    Lainnya,
}

impl RejectReason {
    pub const ALL: [RejectReason; 5] = [
        RejectReason::TidakDitemukan,
        RejectReason::BukanMasalahPublik,
        RejectReason::InformasiKurang,
        RejectReason::TidakPantas,
        RejectReason::Lainnya,
    ];

    /// Whether a rejection for this reason needs a note in words ("lainnya" says nothing by
    /// itself).
    pub fn needs_note(self) -> bool {
        matches!(self, RejectReason::Lainnya)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            RejectReason::TidakDitemukan => lang.pick("Tidak ditemukan di lokasi", "Not found"),
            RejectReason::BukanMasalahPublik => {
                lang.pick("Bukan masalah umum", "Not a public problem")
            }
            RejectReason::InformasiKurang => {
                lang.pick("Informasi kurang", "Not enough information")
            }
            RejectReason::TidakPantas => lang.pick("Tidak pantas", "Inappropriate"),
            RejectReason::Lainnya => lang.pick("Lainnya", "Other"),
        }
    }
}

/// What someone does to a report. Each variant carries exactly what that action needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The lurah confirms the problem is real (on site when the position says so).
    Verify,
    Reject {
        reason: RejectReason,
    },
    /// Another report already covers this one; its supporters and photos move there.
    MarkDuplicate {
        original: ReportId,
    },
    /// Not the kelurahan's or the assigned agency's remit: handed to the right body. Does not
    /// count against whoever re-routed it.
    Reroute {
        to: AgencyCode,
    },
    /// Handed to an agency; `None` asks for the one the kewenangan matrix names.
    Dispose {
        to: Option<AgencyCode>,
    },
    StartWork,
    /// Fixed, shown by a photo taken near the report.
    Resolve {
        photo: PhotoRef,
    },
    Confirm,
    Reopen {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        photo: Option<PhotoRef>,
    },
    /// Closed without a fix (no budget, private land…): a distinct end from `selesai`.
    CloseUnfixed,
}

/// The actions without their data: the rows of the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl ActionKind {
    pub const ALL: [ActionKind; 10] = [
        ActionKind::Verify,
        ActionKind::Reject,
        ActionKind::MarkDuplicate,
        ActionKind::Reroute,
        ActionKind::Dispose,
        ActionKind::StartWork,
        ActionKind::Resolve,
        ActionKind::Confirm,
        ActionKind::Reopen,
        ActionKind::CloseUnfixed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Verify => "verify",
            ActionKind::Reject => "reject",
            ActionKind::MarkDuplicate => "mark_duplicate",
            ActionKind::Reroute => "reroute",
            ActionKind::Dispose => "dispose",
            ActionKind::StartWork => "start_work",
            ActionKind::Resolve => "resolve",
            ActionKind::Confirm => "confirm",
            ActionKind::Reopen => "reopen",
            ActionKind::CloseUnfixed => "close_unfixed",
        }
    }

    /// The states this action may start from.
    pub fn from_states(self) -> &'static [ReportStatus] {
        use ReportStatus::*;
        match self {
            ActionKind::Verify | ActionKind::Reject => &[Baru, DibukaKembali],
            ActionKind::MarkDuplicate => &[Baru, DibukaKembali, Diverifikasi],
            ActionKind::Reroute => &[Baru, DibukaKembali, Diverifikasi, Didisposisikan, Diproses],
            ActionKind::Dispose => &[Diverifikasi, BukanWewenang],
            ActionKind::StartWork => &[Didisposisikan, BukanWewenang],
            ActionKind::Resolve => &[Didisposisikan, Diproses],
            ActionKind::Confirm | ActionKind::Reopen => &[Selesai],
            ActionKind::CloseUnfixed => &[Didisposisikan, Diproses, BukanWewenang],
        }
    }

    /// The state this action leads to.
    pub fn to_state(self) -> ReportStatus {
        match self {
            ActionKind::Verify => ReportStatus::Diverifikasi,
            ActionKind::Reject => ReportStatus::Ditolak,
            ActionKind::MarkDuplicate => ReportStatus::Duplikat,
            ActionKind::Reroute => ReportStatus::BukanWewenang,
            ActionKind::Dispose => ReportStatus::Didisposisikan,
            ActionKind::StartWork => ReportStatus::Diproses,
            ActionKind::Resolve => ReportStatus::Selesai,
            ActionKind::Confirm => ReportStatus::Dikonfirmasi,
            ActionKind::Reopen => ReportStatus::DibukaKembali,
            ActionKind::CloseUnfixed => ReportStatus::DitutupTidakDiperbaiki,
        }
    }

    /// Whether a reason in words is required (a reason from a list is not enough).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            ActionKind::Reroute | ActionKind::Reopen | ActionKind::CloseUnfixed
        )
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Verify => ActionKind::Verify,
            Action::Reject { .. } => ActionKind::Reject,
            Action::MarkDuplicate { .. } => ActionKind::MarkDuplicate,
            Action::Reroute { .. } => ActionKind::Reroute,
            Action::Dispose { .. } => ActionKind::Dispose,
            Action::StartWork => ActionKind::StartWork,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::Confirm => ActionKind::Confirm,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::CloseUnfixed => ActionKind::CloseUnfixed,
        }
    }
}

/// One action on one report, as the device sends it: the role the person acts in, where the
/// device was (GPS, when it had a fix) and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Act {
    pub report: ReportId,
    pub as_role: Role,
    #[serde(flatten)]
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Description>,
}

/// How far from the report a verification or a fix counts as done there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FieldRules {
    /// A verification within this distance (with a good enough fix) is "di lokasi".
    pub on_site_m: f64,
    /// The worst GPS accuracy an on-site verification may have.
    pub on_site_accuracy_m: f64,
    /// A fix is accepted only with the officer this close to the report when closing it.
    pub resolve_within_m: f64,
}

impl Default for FieldRules {
    fn default() -> Self {
        Self {
            on_site_m: 100.0,
            on_site_accuracy_m: 50.0,
            resolve_within_m: 150.0,
        }
    }
}

/// Whether an action was taken at the report's place, judged from the device's position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "where", rename_all = "snake_case")]
pub enum Presence {
    /// Within the distance, with a fix good enough to tell.
    OnSite { distance_m: f64, accuracy_m: f64 },
    /// Too far, or a fix too poor to tell: done at a desk, and shown as such.
    Desk { distance_m: f64, accuracy_m: f64 },
    /// The device had no position.
    Unknown,
}

impl Presence {
    pub fn judge(report: Coordinate, position: Option<&Location>, rules: &FieldRules) -> Self {
        let Some(p) = position else {
            return Presence::Unknown;
        };
        let distance_m = report.distance_m(&p.coord);
        let accuracy_m = p.accuracy_m.get();
        if distance_m <= rules.on_site_m && accuracy_m <= rules.on_site_accuracy_m {
            Presence::OnSite {
                distance_m,
                accuracy_m,
            }
        } else {
            Presence::Desk {
                distance_m,
                accuracy_m,
            }
        }
    }

    pub fn is_on_site(&self) -> bool {
        matches!(self, Presence::OnSite { .. })
    }
}

/// One step of a report's history. Never edited, never removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub op: OpId,
    pub by: UserId,
    pub as_role: Role,
    /// Server time when the action was accepted.
    pub at: Timestamp,
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    /// Flattened: the action's own fields (`reason`, `original`, `to`, `photo`) must not share
    /// a name with this entry's.
    #[serde(flatten)]
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Location>,
    pub presence: Presence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Description>,
    /// The body responsible after this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyCode>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LifecycleError {
    #[error("{action} is not possible while the report is {from}")]
    NotFromHere {
        action: &'static str,
        from: ReportStatus,
    },
    #[error("{0} needs a reason in words")]
    NoteRequired(&'static str),
    #[error("a report cannot be a duplicate of itself")]
    DuplicateOfItself,
    #[error("the original report is not on the server")]
    OriginalNotFound,
    #[error("the original report is itself closed as a duplicate or rejected")]
    OriginalClosed,
    #[error("the closing photo needs the device's position")]
    ResolveWithoutPosition,
    #[error("the closing photo was taken {distance_m:.0} m from the report; at most {max_m:.0} m")]
    ResolveTooFar { distance_m: f64, max_m: f64 },
    #[error("a report cannot be re-routed to the body that already has it")]
    RerouteToSame,
    #[error("the reporter cannot support their own report")]
    SupportOwnReport,
    #[error("this person already supports the report")]
    AlreadySupported,
    #[error("support is for open reports")]
    SupportClosed,
}

impl Coded for LifecycleError {
    fn code(&self) -> &'static str {
        match self {
            LifecycleError::NotFromHere { .. } => "TRANSITION_NOT_ALLOWED",
            LifecycleError::NoteRequired(_) => "TRANSITION_NOTE_REQUIRED",
            LifecycleError::DuplicateOfItself => "DUPLICATE_OF_ITSELF",
            LifecycleError::OriginalNotFound => "DUPLICATE_ORIGINAL_NOT_FOUND",
            LifecycleError::OriginalClosed => "DUPLICATE_ORIGINAL_CLOSED",
            LifecycleError::ResolveWithoutPosition => "RESOLVE_POSITION_REQUIRED",
            LifecycleError::ResolveTooFar { .. } => "RESOLVE_TOO_FAR",
            LifecycleError::RerouteToSame => "REROUTE_SAME_BODY",
            LifecycleError::SupportOwnReport => "SUPPORT_OWN_REPORT",
            LifecycleError::AlreadySupported => "SUPPORT_ALREADY",
            LifecycleError::SupportClosed => "SUPPORT_CLOSED",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            LifecycleError::NotFromHere { action, from } => lang.pick(
                format!(
                    "tindakan {action} tidak bisa dilakukan saat laporan berstatus \"{}\"",
                    from.name(Lang::Id)
                ),
                format!(
                    "{action} is not possible while the report is \"{}\"",
                    from.name(Lang::En)
                ),
            ),
            LifecycleError::NoteRequired(action) => lang.pick(
                format!("tindakan {action} perlu alasan tertulis"),
                format!("{action} needs a reason in words"),
            ),
            LifecycleError::DuplicateOfItself => lang
                .pick(
                    "laporan tidak bisa menjadi duplikat dirinya sendiri",
                    "a report cannot be a duplicate of itself",
                )
                .into(),
            LifecycleError::OriginalNotFound => lang
                .pick(
                    "laporan asli tidak ditemukan di server",
                    "the original report is not on the server",
                )
                .into(),
            LifecycleError::OriginalClosed => lang
                .pick(
                    "laporan asli sudah ditutup sebagai duplikat atau ditolak",
                    "the original report is itself closed as a duplicate or rejected",
                )
                .into(),
            LifecycleError::ResolveWithoutPosition => lang
                .pick(
                    "foto penyelesaian perlu posisi GPS perangkat",
                    "the closing photo needs the device's position",
                )
                .into(),
            LifecycleError::ResolveTooFar { distance_m, max_m } => lang.pick(
                format!(
                    "foto penyelesaian diambil {distance_m:.0} m dari lokasi laporan; paling jauh {max_m:.0} m"
                ),
                format!(
                    "the closing photo was taken {distance_m:.0} m from the report; at most {max_m:.0} m"
                ),
            ),
            LifecycleError::RerouteToSame => lang
                .pick(
                    "laporan sudah ada di instansi itu",
                    "the report is already with that body",
                )
                .into(),
            LifecycleError::SupportOwnReport => lang
                .pick(
                    "pelapor tidak bisa mendukung laporannya sendiri",
                    "the reporter cannot support their own report",
                )
                .into(),
            LifecycleError::AlreadySupported => lang
                .pick(
                    "Anda sudah mendukung laporan ini",
                    "you already support this report",
                )
                .into(),
            LifecycleError::SupportClosed => lang
                .pick(
                    "laporan yang sudah ditutup tidak bisa didukung",
                    "a closed report cannot be supported",
                )
                .into(),
        }
    }
}

/// Checks that `act` may move a report from `status`, and returns the state it leads to. The
/// report's own facts (its place, the original of a duplicate) are checked by the caller that
/// holds them; who may act is [`crate::authz`]'s question.
pub fn next_status(status: ReportStatus, act: &Act) -> Result<ReportStatus, LifecycleError> {
    let kind = act.action.kind();
    if !kind.from_states().contains(&status) {
        return Err(LifecycleError::NotFromHere {
            action: kind.code(),
            from: status,
        });
    }
    if kind.needs_note() && act.note.is_none() {
        return Err(LifecycleError::NoteRequired(kind.code()));
    }
    if let Action::Reject { reason } = act.action
        && reason.needs_note()
        && act.note.is_none()
    {
        return Err(LifecycleError::NoteRequired(kind.code()));
    }
    if let Action::MarkDuplicate { original } = act.action
        && original == act.report
    {
        return Err(LifecycleError::DuplicateOfItself);
    }
    Ok(kind.to_state())
}

/// A fix counts only with the officer near the report when they close it.
pub fn check_resolve_position(
    report: Coordinate,
    position: Option<&Location>,
    rules: &FieldRules,
) -> Result<(), LifecycleError> {
    let Some(p) = position else {
        return Err(LifecycleError::ResolveWithoutPosition);
    };
    let distance_m = report.distance_m(&p.coord);
    if distance_m > rules.resolve_within_m {
        return Err(LifecycleError::ResolveTooFar {
            distance_m,
            max_m: rules.resolve_within_m,
        });
    }
    Ok(())
}

/// What the server's record of a report becomes under the lifecycle. The device runs the same
/// code to show its own actions before the server has them.
impl ServerReport {
    /// Takes `act`, by `by`, as op `op` accepted at `now`: checks it against the state machine
    /// and the report's place, moves the status, sets the responsible body and appends to the
    /// history. On error nothing changes. The original of a duplicate is checked by the caller,
    /// which holds it.
    pub fn act(
        &mut self,
        act: &Act,
        by: UserId,
        op: OpId,
        now: Timestamp,
        rules: &FieldRules,
        kewenangan: &Kewenangan,
    ) -> Result<(), LifecycleError> {
        let to = next_status(self.status, act)?;
        let here = self.report.location().coord;
        let position = act.position.as_ref();
        match &act.action {
            Action::Resolve { .. } => check_resolve_position(here, position, rules)?,
            Action::Reroute { to } if self.agency == Some(*to) => {
                return Err(LifecycleError::RerouteToSame);
            }
            _ => {}
        }
        let agency = match &act.action {
            Action::Dispose { to } => Some(to.unwrap_or_else(|| {
                kewenangan.responsible(self.report.category(), self.report.area())
            })),
            Action::Reroute { to } => Some(*to),
            _ => self.agency,
        };
        match act.action {
            Action::MarkDuplicate { original } => self.duplicate_of = Some(original),
            // The lurah who verifies a report confirms it is theirs: its place is settled.
            Action::Verify => self.place_flag = None,
            _ => {}
        }
        // A reopened report goes back to the lurah; the agency that had it keeps the record.
        self.history.push(HistoryEntry {
            op,
            by,
            as_role: act.as_role,
            at: now,
            from_status: self.status,
            to_status: to,
            action: act.action.clone(),
            position: act.position,
            presence: Presence::judge(here, position, rules),
            note: act.note.clone(),
            agency,
        });
        self.status = to;
        self.agency = agency;
        self.updated_at = now;
        Ok(())
    }

    /// Whether `by` may say "dukung": once per person, never on their own report, only while
    /// it is open.
    pub fn may_support(&self, by: UserId) -> Result<(), LifecycleError> {
        if by == self.reporter {
            Err(LifecycleError::SupportOwnReport)
        } else if !self.status.is_open() {
            Err(LifecycleError::SupportClosed)
        } else if self.supporters.contains(&by) {
            Err(LifecycleError::AlreadySupported)
        } else {
            Ok(())
        }
    }

    /// "Dukung" by `by`, when [`ServerReport::may_support`] allows it.
    pub fn support(&mut self, by: UserId, now: Timestamp) -> Result<(), LifecycleError> {
        self.may_support(by)?;
        self.supporters.insert(by);
        self.updated_at = now;
        Ok(())
    }

    /// What the permission table needs to know of this report.
    pub fn target(&self) -> Target<'_> {
        Target {
            area: self.report.area(),
            reporter: self.reporter,
            agency: self.agency,
        }
    }

    /// Whether this report can take in a duplicate.
    pub fn check_can_absorb(&self) -> Result<(), LifecycleError> {
        if matches!(self.status, ReportStatus::Duplikat | ReportStatus::Ditolak) {
            Err(LifecycleError::OriginalClosed)
        } else {
            Ok(())
        }
    }

    /// Takes in a duplicate: its reporter and supporters become supporters here, its photos are
    /// added (as many as fit).
    pub fn absorb(&mut self, duplicate: &ServerReport, now: Timestamp) {
        self.supporters.insert(duplicate.reporter);
        self.supporters.extend(duplicate.supporters.iter().copied());
        self.supporters.remove(&self.reporter);
        let mut photos = self.report.photos().to_vec();
        for p in duplicate.report.photos() {
            if photos.len() < NewReport::MAX_PHOTOS && !photos.iter().any(|q| q.sha256 == p.sha256)
            {
                photos.push(p.clone());
            }
        }
        let mut report = self.report.clone();
        report
            .set_photos(photos)
            .expect("photos were capped at the maximum");
        self.report = report;
        if !self.merged.contains(&duplicate.report.id()) {
            self.merged.push(duplicate.report.id());
        }
        self.updated_at = now;
    }

    /// The report's statuses over time, from its creation: what the SLA clock reads.
    pub fn status_timeline(&self) -> Vec<(Timestamp, ReportStatus)> {
        std::iter::once((self.report.created_at(), ReportStatus::Baru))
            .chain(self.history.iter().map(|h| (h.at, h.to_status)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Accuracy, LocationSource};

    fn act(action: Action, note: Option<&str>) -> Act {
        Act {
            report: ReportId::new(),
            as_role: Role::Lurah,
            action,
            position: None,
            note: note.map(|n| Description::parse(n).unwrap()),
        }
    }

    #[test]
    fn every_action_leaves_only_from_its_states() {
        for kind in ActionKind::ALL {
            for status in ReportStatus::ALL {
                let action = match kind {
                    ActionKind::Verify => Action::Verify,
                    ActionKind::Reject => Action::Reject {
                        reason: RejectReason::TidakDitemukan,
                    },
                    ActionKind::MarkDuplicate => Action::MarkDuplicate {
                        original: ReportId::new(),
                    },
                    ActionKind::Reroute => Action::Reroute {
                        to: AgencyCode::Polri,
                    },
                    ActionKind::Dispose => Action::Dispose { to: None },
                    ActionKind::StartWork => Action::StartWork,
                    ActionKind::Resolve => continue,
                    ActionKind::Confirm => Action::Confirm,
                    ActionKind::Reopen => Action::Reopen { photo: None },
                    ActionKind::CloseUnfixed => Action::CloseUnfixed,
                };
                let got = next_status(status, &act(action, Some("alasan")));
                if kind.from_states().contains(&status) {
                    assert_eq!(got, Ok(kind.to_state()), "{kind:?} from {status:?}");
                } else {
                    let e = got.unwrap_err();
                    assert_eq!(
                        e.code(),
                        "TRANSITION_NOT_ALLOWED",
                        "{kind:?} from {status:?}"
                    );
                }
            }
        }
        // Closed ends lead nowhere.
        for end in [
            ReportStatus::Ditolak,
            ReportStatus::Duplikat,
            ReportStatus::Dikonfirmasi,
            ReportStatus::DitutupTidakDiperbaiki,
        ] {
            assert!(
                ActionKind::ALL
                    .iter()
                    .all(|k| !k.from_states().contains(&end)),
                "{end:?}"
            );
            assert!(!end.is_open());
        }
    }

    #[test]
    fn reasons_in_words_are_required_where_a_list_is_not_enough() {
        let reroute = act(
            Action::Reroute {
                to: AgencyCode::Polri,
            },
            None,
        );
        assert_eq!(
            next_status(ReportStatus::Baru, &reroute)
                .unwrap_err()
                .code(),
            "TRANSITION_NOTE_REQUIRED"
        );
        let other = act(
            Action::Reject {
                reason: RejectReason::Lainnya,
            },
            None,
        );
        assert!(next_status(ReportStatus::Baru, &other).is_err());
        let listed = act(
            Action::Reject {
                reason: RejectReason::TidakDitemukan,
            },
            None,
        );
        assert_eq!(
            next_status(ReportStatus::Baru, &listed),
            Ok(ReportStatus::Ditolak)
        );
        let mut own = act(
            Action::MarkDuplicate {
                original: ReportId::new(),
            },
            None,
        );
        own.action = Action::MarkDuplicate {
            original: own.report,
        };
        assert_eq!(
            next_status(ReportStatus::Baru, &own),
            Err(LifecycleError::DuplicateOfItself)
        );
    }

    fn at(lat: f64, lon: f64, accuracy: f64) -> Location {
        Location {
            coord: Coordinate::new(lat, lon).unwrap(),
            accuracy_m: Accuracy::metres(accuracy).unwrap(),
            source: LocationSource::Gps,
            captured_at: Timestamp::from_millis(1_796_000_000_000).unwrap(),
        }
    }

    #[test]
    fn on_site_needs_both_distance_and_accuracy() {
        let report = Coordinate::new(-6.2, 106.8).unwrap();
        let rules = FieldRules::default();
        // ~0.0008° of latitude is ~89 m.
        let near = at(-6.2008, 106.8, 20.0);
        assert!(Presence::judge(report, Some(&near), &rules).is_on_site());
        let near_but_vague = at(-6.2008, 106.8, 80.0);
        assert!(matches!(
            Presence::judge(report, Some(&near_but_vague), &rules),
            Presence::Desk { .. }
        ));
        let far = at(-6.21, 106.8, 5.0);
        let Presence::Desk { distance_m, .. } = Presence::judge(report, Some(&far), &rules) else {
            panic!("far is desk")
        };
        assert!((distance_m - 1_112.0).abs() < 5.0, "{distance_m}");
        assert_eq!(Presence::judge(report, None, &rules), Presence::Unknown);
        assert!(check_resolve_position(report, Some(&near), &rules).is_ok());
        assert_eq!(
            check_resolve_position(report, Some(&far), &rules)
                .unwrap_err()
                .code(),
            "RESOLVE_TOO_FAR"
        );
        assert_eq!(
            check_resolve_position(report, None, &rules),
            Err(LifecycleError::ResolveWithoutPosition)
        );
    }

    #[test]
    fn acts_keep_a_stable_wire_shape() {
        let a = act(
            Action::Reject {
                reason: RejectReason::TidakDitemukan,
            },
            Some("tidak ada lubang"),
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["action"], "reject");
        assert_eq!(json["reason"], "tidak_ditemukan");
        assert_eq!(json["as_role"], "lurah");
        let back: Act = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }
}

#[cfg(test)]
mod record_tests {
    use super::*;
    use crate::hlc::{Hlc, Stamp};
    use crate::location::{Accuracy, LocationSource};
    use crate::report::ReportKind;

    #[test]
    fn a_verified_report_with_history_reads_back_and_its_place_is_settled() {
        let loc = Location {
            coord: Coordinate::new(-6.2, 106.8).unwrap(),
            accuracy_m: Accuracy::metres(5.0).unwrap(),
            source: LocationSource::Gps,
            captured_at: Timestamp::from_millis(1_796_000_000_000).unwrap(),
        };
        let new = NewReport::new(ReportKind::Laporan, "jalan-rusak", loc).unwrap();
        let stamp = Stamp {
            hlc: Hlc { ms: 1, n: 0 },
            op: OpId::new(),
        };
        let now = Timestamp::from_millis(1_796_000_100_000).unwrap();
        let mut r = ServerReport::create(new, UserId::new(), stamp, now);
        r.place_flag = Some(crate::filing::PlaceFlag::NearBorder {
            located: "31.71.01.1001".parse().unwrap(),
        });
        for action in [Action::Verify, Action::Dispose { to: None }] {
            let act = Act {
                report: r.report.id(),
                as_role: Role::Lurah,
                action,
                position: Some(loc),
                note: None,
            };
            r.act(
                &act,
                UserId::new(),
                OpId::new(),
                now,
                &FieldRules::default(),
                &Kewenangan::default(),
            )
            .unwrap();
        }
        assert_eq!(r.place_flag, None);
        let json = serde_json::to_string(&r).unwrap();
        let back: ServerReport =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(back, r);
    }
}
