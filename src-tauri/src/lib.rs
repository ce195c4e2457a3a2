//! Ronda's app: a thin Tauri shell over ronda-client. The web UI (`ui/`) calls the commands in
//! `commands`; they read and write the device's store and run the sync engine, and nothing else.
//! The IPC types live in `ipc` and are exported to `ui/src/ipc/bindings/`.
//!
//! Which window may call what is in `capabilities/`: the commands are granted to the window
//! `main` only.

// Tauri's mobile entry point exports `start_app` with `#[unsafe(no_mangle)]`; nothing else in the
// library is unsafe, on any platform.
#![cfg_attr(mobile, allow(unsafe_code))]

mod background;
mod command_names;
mod commands;
mod error;
pub mod ipc;
mod patrol;
mod safety;
mod settings;
mod state;
#[cfg(target_os = "linux")]
pub mod webview_env;

use tauri::{AppHandle, Builder, Emitter, Manager, Runtime};

pub use command_names::COMMANDS;
pub use state::{AppData, Dirs, ProgressSink};

/// The event `sync_now` emits while it runs; its payload is an `ipc::SyncProgress`.
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

/// The one window, which the capabilities name.
pub const MAIN_WINDOW: &str = "main";

/// The app's commands on `base`, and a setup step that opens the store in the app's data folder
/// when the app starts (tests call [`install`] themselves instead).
pub fn builder<R: Runtime>(base: Builder<R>) -> Builder<R> {
    base.invoke_handler(tauri::generate_handler![
        commands::app_state,
        commands::activate,
        commands::use_without_account,
        commands::categories,
        commands::reports_in_view,
        commands::nearby_open,
        commands::create_report,
        commands::attach_photo,
        commands::my_reports,
        commands::report_detail,
        commands::sync_now,
        commands::set_settings,
        commands::set_server,
        commands::sign_out,
        commands::kelurahan_outline,
        commands::report_lifecycle,
        commands::agencies,
        commands::stage_photo,
        commands::act,
        commands::support,
        commands::kabar,
        commands::mark_kabar_read,
        commands::field_queue,
        commands::audit_form,
        commands::step_rules,
        patrol::patrol,
        patrol::check_in_nihil,
        safety::safety_map,
        safety::score_bands,
    ])
    .setup(|app| {
        let paths = app.path();
        let dirs = Dirs {
            data: paths.app_data_dir()?,
            config: paths.app_config_dir()?,
        };
        install(app.handle(), dirs);
        background::keep_syncing(app.handle().clone());
        Ok(())
    })
}

/// Opens the store in `dirs` and hands the commands their state.
pub fn install<R: Runtime>(app: &AppHandle<R>, dirs: Dirs) {
    let handle = app.clone();
    let progress: ProgressSink = Box::new(move |p| {
        // Nobody listening is not a failure of the sync.
        let _ = handle.emit_to(MAIN_WINDOW, SYNC_PROGRESS_EVENT, p);
    });
    app.manage(AppData::open(dirs, progress));
}

/// The app's configuration (`tauri.conf.json`) and its capabilities, compiled in.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    builder(tauri::Builder::default())
        .run(context())
        .expect("Ronda could not start");
}
