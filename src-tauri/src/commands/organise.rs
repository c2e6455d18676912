//! Organising the canvas: entities, hiding and removing nodes. Each returns the new graph.

use chrono::Utc;
use tauri::State;
use tracebench_core::api::GraphView;

use crate::error::CommandError;
use crate::session::Session;

/// Groups canvas nodes into a named entity with a category.
#[tauri::command]
pub async fn create_entity(
    session: State<'_, Session>,
    name: String,
    category: String,
    members: Vec<String>,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.create_entity(&name, &category, &members, Utc::now())?)
}

/// Collapses an entity into one node, or expands it.
#[tauri::command]
pub async fn set_entity_collapsed(
    session: State<'_, Session>,
    entity_id: String,
    collapsed: bool,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.set_entity_collapsed(&entity_id, collapsed, Utc::now())?)
}

/// Dissolves an entity; its members stay on the canvas.
#[tauri::command]
pub async fn dissolve_entity(
    session: State<'_, Session>,
    entity_id: String,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.dissolve_entity(&entity_id, Utc::now())?)
}

/// Hides canvas nodes, or shows them again.
#[tauri::command]
pub async fn set_hidden(
    session: State<'_, Session>,
    ids: Vec<String>,
    hidden: bool,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.set_hidden(&ids, hidden, Utc::now())?)
}

/// Shows every hidden node again.
#[tauri::command]
pub async fn unhide_all(session: State<'_, Session>) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.unhide_all(Utc::now())?)
}

/// Takes nodes off the canvas; their data and notes stay in the case.
#[tauri::command]
pub async fn remove_nodes(
    session: State<'_, Session>,
    ids: Vec<String>,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.remove_nodes(&ids, Utc::now())?)
}
