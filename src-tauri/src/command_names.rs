// The commands the app registers, by name. `build.rs` includes this file to give each one an
// `allow-<command>` permission (which `capabilities/` grants); `lib.rs` uses it in its tests to
// check that every name here is a registered command.
pub const COMMANDS: &[&str] = &[
    "app_state",
    "activate",
    "use_without_account",
    "categories",
    "reports_in_view",
    "nearby_open",
    "create_report",
    "attach_photo",
    "my_reports",
    "report_detail",
    "sync_now",
    "set_settings",
    "set_server",
    "sign_out",
    "kelurahan_outline",
    "report_lifecycle",
    "agencies",
    "stage_photo",
    "act",
    "support",
    "kabar",
    "mark_kabar_read",
    "field_queue",
];
