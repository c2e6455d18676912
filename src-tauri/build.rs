//! Declares the app's own commands so that tauri-build generates one `allow-<command>` permission
//! for each; with an app manifest, a command is callable only when a capability grants it
//! (capabilities/default.json).

/// Every `#[tauri::command]` registered in `lib.rs`, in snake_case.
const COMMANDS: &[&str] = &[
    "app_flags",
    "recent_cases",
    "open_demo",
    "open_case",
    "case_integrity",
    "create_case",
    "pick_case_file",
    "graph",
    "add_node",
    "add_many",
    "expand_node",
    "expand_page",
    "set_positions",
    "add_note",
    "add_callout",
    "edit_callout",
    "move_callout",
    "set_callout_removed",
    "add_edge_note",
    "retract_note",
    "add_story_step",
    "rename_story_step",
    "move_story_step",
    "remove_story_step",
    "restore_story_step",
    "export_report",
    "report_builder",
    "save_report_settings",
    "preview_report",
    "export_view_picture",
    "export_view_csv",
    "export_bundle",
    "import_bundle",
    "canvas_heights",
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
    "evm_source",
    "set_evm_source",
    "set_offline",
    "cancel_fetch",
    "evm_add",
    "evm_expand_page",
    "evm_trace",
    "btc_source",
    "set_btc_source",
    "graphsense_source",
    "set_graphsense",
    "graphsense_lookup",
    "restore_nodes",
    "viewport",
    "set_viewport",
];

fn main() {
    // The app embeds the built UI (tauri.conf.json's frontendDist) at compile time, but nothing
    // tells cargo so: without this line a rebuilt ui/dist left an app binary with the old UI.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed to process tauri.conf.json and the capabilities");
}
