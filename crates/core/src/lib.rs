//! Ronda's domain: the areas of Jakarta, the people who act in them, the reports they make and
//! the rules over all of it.
//!
//! Architecture invariant: this crate does no IO. It knows no database, no HTTP and no files;
//! every type here can only be built valid, so code that holds one can trust it.

pub mod agency;
pub mod area;
pub mod audit;
pub mod authz;
pub mod category;
pub mod field_queue;
pub mod filing;
pub mod hlc;
pub mod i18n;
pub mod id;
pub mod kewenangan;
pub mod lifecycle;
pub mod location;
pub mod op;
pub mod patrol;
pub mod photo;
pub mod place;
pub mod report;
pub mod role;
pub mod safety;
pub mod safety_layer;
pub mod search;
pub mod sla;
pub mod sync;
pub mod text;
pub mod time;

pub use agency::AgencyCode;
pub use area::{
    AreaCode, AreaLevel, KecamatanCode, KelurahanCode, KotaCode, ProvinsiCode, RtNumber, RtRef,
    RwNumber, RwRef,
};
pub use category::{Category, CategoryCode};
pub use hlc::{Hlc, Stamp};
pub use i18n::{Coded, Lang};
pub use id::{DeviceId, OpId, PatrolId, ReportId, UserId};
pub use location::{Accuracy, BoundingBox, Coordinate, Location, LocationSource};
pub use op::{Op, OpBody, OpKind, ReportPatch};
pub use photo::{PhotoRef, Sha256Hex};
pub use place::{KelurahanIndex, Placement};
pub use report::{NewReport, Report, ReportKind, ReportStatus};
pub use role::{Role, RoleAssignment, home_area};
pub use text::Description;
pub use time::Timestamp;
