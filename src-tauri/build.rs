include!("src/command_names.rs");

fn main() {
    // Every command gets `allow-<command>` and `deny-<command>` permissions; with an app manifest
    // Tauri checks app commands against the capabilities, so a window not granted a command
    // cannot call it.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build step failed");
}
