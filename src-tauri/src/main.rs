// No console window next to the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    set_webview_defaults();
    ronda_app_lib::run()
}

/// WebKitGTK reads its renderer settings from the environment when it starts, so they are set
/// here, before anything else runs.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn set_webview_defaults() {
    for (name, value) in
        ronda_app_lib::webview_env::missing(|name| std::env::var_os(name).is_some())
    {
        // SAFETY: this is the first thing `main` does: no other thread exists yet that could
        // read or write the environment at the same time.
        unsafe { std::env::set_var(name, value) };
    }
}
