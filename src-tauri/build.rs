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
    "add_many",
    "expand_node",
    "expand_page",
    "set_positions",
    "add_note",
    "export_report",
    "screen_case",
    "exposure",
    "exchange_records",
    "import_exchange_records",
    "node_details",
    "explain_merge",
    "veto_merge",
    "trace_funds",
    "create_entity",
    "set_entity_collapsed",
    "dissolve_entity",
    "set_hidden",
    "unhide_all",
    "remove_nodes",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed to process tauri.conf.json and the capabilities");
}
