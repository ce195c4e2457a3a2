//! Ops: the changes a device makes, queued in its outbox until the server has them.
//!
//! An op carries its own client-made id: sending it twice is harmless, and the server refuses
//! the same id with different content. Ops are append-only history; the device's tables are what
//! they add up to.

use serde::{Deserialize, Serialize};

use crate::id::{OpId, ReportId};
use crate::report::NewReport;
use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpKind {
    #[serde(rename = "report.create")]
    CreateReport,
}

impl OpKind {
    pub const ALL: [OpKind; 1] = [OpKind::CreateReport];

    pub fn code(self) -> &'static str {
        match self {
            OpKind::CreateReport => "report.create",
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
}

impl OpBody {
    pub fn kind(&self) -> OpKind {
        match self {
            OpBody::CreateReport(_) => OpKind::CreateReport,
        }
    }

    /// The report this op changes.
    pub fn report_id(&self) -> ReportId {
        match self {
            OpBody::CreateReport(r) => r.id(),
        }
    }
}

/// One change, as the device made it. `made_at` is the device's clock, which may be wrong; the
/// server orders ops by its own rules, not by this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub made_at: Timestamp,
    #[serde(flatten)]
    pub body: OpBody,
}

impl Op {
    pub fn new(body: OpBody) -> Self {
        Self {
            id: OpId::new(),
            made_at: Timestamp::now(),
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Accuracy, Coordinate, Location, LocationSource};
    use crate::report::ReportKind;

    #[test]
    fn ops_round_trip_with_a_stable_kind_code() {
        let loc = Location {
            coord: Coordinate::new(-6.2, 106.8).unwrap(),
            accuracy_m: Accuracy::metres(5.0).unwrap(),
            source: LocationSource::MapPick,
            captured_at: Timestamp::now(),
        };
        let report = NewReport::new(ReportKind::Laporan, "sampah-menumpuk", loc).unwrap();
        let op = Op::new(OpBody::CreateReport(report.clone()));
        let json = serde_json::to_value(&op).unwrap();
        assert_eq!(json["kind"], "report.create");
        assert_eq!(op.body.report_id(), report.id());
        let back: Op = serde_json::from_value(json).unwrap();
        assert_eq!(back, op);
        assert_eq!(
            OpKind::from_code(op.body.kind().code()),
            Some(OpKind::CreateReport)
        );
    }
}
