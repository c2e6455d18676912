//! Editing: putting nodes back on the canvas (the core's half of undo and redo) and the saved
//! canvas viewport (autosaved by the UI, so the case reopens on the analyst's view).

use chrono::Utc;
use tauri::State;
use tracebench_core::api::layout_journal::Entry;
use tracebench_core::api::{GraphView, RestoreNode, Viewport};

use crate::error::CommandError;
use crate::session::Session;

/// Puts nodes back on the canvas with their position, entity and hidden flag.
#[tauri::command]
pub async fn restore_nodes(
    session: State<'_, Session>,
    nodes: Vec<RestoreNode>,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.restore_nodes(&nodes, Utc::now())?)
}

/// The canvas viewport saved in the open case, or null.
#[tauri::command]
pub async fn viewport(session: State<'_, Session>) -> Result<Option<Viewport>, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(workbench.viewport()?)
}

/// Saves the canvas viewport in the open case (through the layout journal while the case is
/// busy: `Session::save_layout`).
#[tauri::command]
pub async fn set_viewport(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    viewport: Viewport,
) -> Result<(), CommandError> {
    session.save_layout(
        &app,
        Entry::Viewport {
            view: viewport,
            at: Utc::now(),
        },
    )
}
