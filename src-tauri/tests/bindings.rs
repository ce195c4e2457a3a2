//! The UI's IPC types (`ui/src/ipc/bindings/`) are generated from `src/ipc.rs`: `cargo test`
//! writes them (ts-rs, `#[ts(export)]`). This test fails when the files as they were when it
//! was compiled — the committed ones, on a fresh clone — differ from what the Rust types
//! generate, so the two sides cannot drift. After a change to a type: run the tests (which
//! rewrite the files), review `git diff ui/src/ipc/bindings`, commit, and run them again.

use std::collections::BTreeSet;

use ts_rs::{Config, TS};

use ronda_app_lib::ipc::*;

/// Every exported type: its name, the file as compiled in, and what Rust generates now.
macro_rules! bindings {
    ($($ty:ident),* $(,)?) => {
        vec![$((
            stringify!($ty),
            include_str!(concat!("../../ui/src/ipc/bindings/", stringify!($ty), ".ts")),
            <$ty as TS>::export_to_string(&Config::from_env()).expect(stringify!($ty)),
        )),*]
    };
}

fn all() -> Vec<(&'static str, &'static str, String)> {
    bindings![
        AccountState,
        ActionKind,
        AgencyInfo,
        AppState,
        AuditParameter,
        AuditResult,
        BandRange,
        BeforeAfter,
        CategoryInfo,
        CommandError,
        CreatedReport,
        DayPart,
        ErrorInfo,
        FieldStop,
        GeoJsonFeature,
        GeoJsonGeometry,
        Kabar,
        KabarNews,
        KabarWaiting,
        Lang,
        LifecycleStep,
        LocationSource,
        MyReport,
        NearbyReport,
        OfferedAction,
        ParameterValue,
        Patrol,
        PatrolArea,
        PhotoInfo,
        PresenceKind,
        RejectReason,
        RejectReasonRule,
        ReportDetail,
        ReportDraft,
        ReportKind,
        ReportLifecycle,
        ReportPin,
        ReportStatus,
        SafetyCell,
        SafetyMap,
        ScoreBand,
        SlaFlag,
        SlaInfo,
        StagedPhoto,
        StepPosition,
        StepRules,
        SyncOutcome,
        SyncPhase,
        SyncProgress,
        SyncState,
        TimelineEntry,
    ]
}

const INDEX: &str = include_str!("../../ui/src/ipc/bindings/index.ts");

#[test]
fn committed_bindings_are_what_the_rust_types_generate() {
    let stale: Vec<&str> = all()
        .into_iter()
        .filter(|(_, committed, generated)| committed != generated)
        .map(|(name, _, _)| name)
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/ipc/bindings/ differs from src-tauri/src/ipc.rs for {stale:?}; this test run \
         has rewritten the files: review `git diff ui/src/ipc/bindings`, commit them, run again"
    );
}

#[test]
fn the_bindings_folder_holds_exactly_these_types_and_the_index_exports_each() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/ipc/bindings");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.ts")
        .collect();
    let types: BTreeSet<String> = all()
        .iter()
        .map(|(name, _, _)| format!("{name}.ts"))
        .collect();
    assert_eq!(
        files, types,
        "a binding file without a Rust type, or the other way round"
    );
    for (name, _, _) in all() {
        let line = format!("export type {{ {name} }} from \"./{name}\";");
        assert!(INDEX.contains(&line), "index.ts does not export {name}");
    }
}
