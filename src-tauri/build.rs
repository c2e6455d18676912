//! Declares the app's own commands so that tauri-build generates one `allow-<command>` permission
//! for each; with an app manifest, a command is callable only when a capability grants it
//! (capabilities/default.json).

/// Every `#[tauri::command]` registered in `lib.rs`, in snake_case.
const COMMANDS: &[&str] = &[
    "app_flags",
    "recent_cases",
    "open_demo",
    "open_case",
    "pick_case_file",
    "graph",
    "add_node",
    "expand_node",
    "set_positions",
    "add_note",
    "export_report",
    "screen_case",
    "exposure",
    "exchange_records",
    "import_exchange_records",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed to process tauri.conf.json and the capabilities");
}
