//! The Tracebench desktop shell.
//!
//! A thin layer between the web UI (`ui/`) and `tracebench_core::api`: it parses the command line
//! ([`launch`]), finds its directories ([`places`]), holds the open case ([`session`]) and exposes
//! the core through `#[tauri::command]` wrappers ([`commands`]) that call one core function and
//! map the error to a `{code, message}` ([`error`]). It computes nothing the core could.

mod commands;
mod compositing;
mod demo;
mod dialog;
mod error;
mod launch;
mod places;
mod recent;
mod session;

use anyhow::Context;

use crate::launch::Launch;
use crate::places::Places;
use crate::session::Session;

/// Runs the app until its window closes; prints the error and exits 1 if it cannot start.
pub fn run() {
    if let Err(err) = try_run() {
        eprintln!("tracebench-app: {err:#}");
        std::process::exit(1);
    }
}

fn try_run() -> anyhow::Result<()> {
    let launch = Launch::from_args(std::env::args_os().skip(1))?;
    let places = Places::from_env()?;
    compositing::choose();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Session::new(launch, places))
        .manage(commands::evm::EvmState::default())
        .manage(commands::sources::SourcesState::default())
        .invoke_handler(tauri::generate_handler![
            commands::case::app_flags,
            commands::case::recent_cases,
            commands::case::open_demo,
            commands::case::open_case,
            commands::case::create_case,
            commands::case::case_integrity,
            commands::case::pick_case_file,
            commands::case::graph,
            commands::investigate::add_node,
            commands::investigate::add_many,
            commands::investigate::expand_node,
            commands::investigate::expand_page,
            commands::investigate::set_positions,
            commands::investigate::add_note,
            commands::annotate::add_callout,
            commands::annotate::edit_callout,
            commands::annotate::move_callout,
            commands::annotate::set_callout_removed,
            commands::annotate::add_edge_note,
            commands::annotate::retract_note,
            commands::annotate::add_story_step,
            commands::annotate::rename_story_step,
            commands::annotate::move_story_step,
            commands::annotate::remove_story_step,
            commands::annotate::restore_story_step,
            commands::report::export_report,
            commands::report::report_builder,
            commands::report::save_report_settings,
            commands::report::preview_report,
            commands::export::export_view_picture,
            commands::export::export_view_csv,
            commands::bundle::export_bundle,
            commands::bundle::import_bundle,
            commands::timeline::canvas_heights,
            commands::attribution::screen_case,
            commands::attribution::exposure,
            commands::attribution::exchange_records,
            commands::attribution::import_exchange_records,
            commands::analysis::node_details,
            commands::analysis::explain_merge,
            commands::analysis::veto_merge,
            commands::analysis::trace_funds,
            commands::organise::create_entity,
            commands::organise::set_entity_collapsed,
            commands::organise::dissolve_entity,
            commands::organise::set_hidden,
            commands::organise::unhide_all,
            commands::organise::remove_nodes,
            commands::evm::evm_source,
            commands::evm::set_evm_source,
            commands::evm::set_offline,
            commands::evm::cancel_fetch,
            commands::evm::evm_add,
            commands::evm::evm_expand_page,
            commands::evm::evm_trace,
            commands::sources::btc_source,
            commands::sources::set_btc_source,
            commands::sources::graphsense_source,
            commands::sources::set_graphsense,
            commands::sources::graphsense_lookup,
            commands::editing::restore_nodes,
            commands::editing::viewport,
            commands::editing::set_viewport,
        ])
        .run(tauri::generate_context!())
        .context("the app's window could not be run")
}
