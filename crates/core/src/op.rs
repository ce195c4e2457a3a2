//! Ops: the changes a device makes, queued in its outbox until the server has them.
//!
//! An op carries its own client-made id: sending it twice is harmless, and the server refuses
//! the same id with different content. Ops are append-only history; the device's tables are what
//! they add up to.

use serde::{Deserialize, Serialize};

use crate::category::CategoryCode;
use crate::hlc::Hlc;
use crate::id::{OpId, PatrolId, ReportId};
use crate::lifecycle::Act;
use crate::location::Location;
use crate::patrol::Nihil;
use crate::report::NewReport;
use crate::text::Description;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpKind {
    #[serde(rename = "report.create")]
    CreateReport,
    #[serde(rename = "report.update")]
    UpdateReport,
    #[serde(rename = "report.act")]
    Act,
    #[serde(rename = "report.support")]
    Support,
    #[serde(rename = "patrol.nihil")]
    Nihil,
}

impl OpKind {
    pub const ALL: [OpKind; 5] = [
        OpKind::CreateReport,
        OpKind::UpdateReport,
        OpKind::Act,
        OpKind::Support,
        OpKind::Nihil,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OpKind::CreateReport => "report.create",
            OpKind::UpdateReport => "report.update",
            OpKind::Act => "report.act",
            OpKind::Support => "report.support",
            OpKind::Nihil => "patrol.nihil",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data")]
pub enum OpBody {
    #[serde(rename = "report.create")]
    CreateReport(NewReport),
    #[serde(rename = "report.update")]
    UpdateReport(ReportPatch),
    /// A step in the report's lifecycle (see [`crate::lifecycle`]).
    #[serde(rename = "report.act")]
    Act(Act),
    /// "Dukung": +1 on someone else's report instead of a new one.
    #[serde(rename = "report.support")]
    Support(Support),
    /// A head's daily check-in after a patrol with nothing to report (see [`crate::patrol`]).
    #[serde(rename = "patrol.nihil")]
    Nihil(Nihil),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub report: ReportId,
}

impl OpBody {
    pub fn kind(&self) -> OpKind {
        match self {
            OpBody::CreateReport(_) => OpKind::CreateReport,
            OpBody::UpdateReport(_) => OpKind::UpdateReport,
            OpBody::Act(_) => OpKind::Act,
            OpBody::Support(_) => OpKind::Support,
            OpBody::Nihil(_) => OpKind::Nihil,
        }
    }

    /// What this op is about.
    pub fn subject(&self) -> Subject {
        match self {
            OpBody::CreateReport(r) => Subject::Report(r.id()),
            OpBody::UpdateReport(p) => Subject::Report(p.report),
            OpBody::Act(a) => Subject::Report(a.report),
            OpBody::Support(s) => Subject::Report(s.report),
            OpBody::Nihil(n) => Subject::Patrol(n.id),
        }
    }

    /// The report this op changes; `None` for an op about something else.
    pub fn report_id(&self) -> Option<ReportId> {
        match self.subject() {
            Subject::Report(id) => Some(id),
            Subject::Patrol(_) => None,
        }
    }
}

/// The thing an op changes or makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Report(ReportId),
    Patrol(PatrolId),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Report(id) => id.fmt(f),
            Subject::Patrol(id) => id.fmt(f),
        }
    }
}

/// An edit of a report's free fields. Each field that is present replaces the old value if its
/// stamp is later; location moves as one unit. Absent fields are left alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPatch {
    pub report: ReportId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
}

impl ReportPatch {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.location.is_none() && self.description.is_none()
    }
}

/// One change, as the device made it, stamped by the device's hybrid logical clock. The device's
/// clock may be wrong; the server clamps stamps from the far future.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub hlc: Hlc,
    #[serde(flatten)]
    pub body: OpBody,
}

impl Op {
    pub fn new(body: OpBody, hlc: Hlc) -> Self {
        Self {
            id: OpId::new(),
            hlc,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Accuracy, Coordinate, LocationSource};
    use crate::report::ReportKind;
    use crate::time::Timestamp;

    #[test]
    fn ops_round_trip_with_a_stable_kind_code() {
        let loc = Location {
            coord: Coordinate::new(-6.2, 106.8).unwrap(),
            accuracy_m: Accuracy::metres(5.0).unwrap(),
            source: LocationSource::MapPick,
            captured_at: Timestamp::now(),
        };
        let report = NewReport::new(ReportKind::Laporan, "sampah-menumpuk", loc).unwrap();
        let op = Op::new(
            OpBody::CreateReport(report.clone()),
            Hlc {
                ms: 1_796_000_000_000,
                n: 2,
            },
        );
        let json = serde_json::to_value(&op).unwrap();
        assert_eq!(json["kind"], "report.create");
        assert_eq!(op.body.report_id(), Some(report.id()));
        let back: Op = serde_json::from_value(json).unwrap();
        assert_eq!(back, op);
        assert_eq!(
            OpKind::from_code(op.body.kind().code()),
            Some(OpKind::CreateReport)
        );
    }
}
