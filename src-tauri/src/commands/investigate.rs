//! Growing and annotating the graph of the open case.

use chrono::Utc;
use tauri::State;
use tracebench_core::api::layout_journal::Entry;
use tracebench_core::api::{AddOutcome, ExpandOutcome, NodePosition, NoteView};

use crate::error::CommandError;
use crate::session::Session;

/// Adds an address or a transaction id to the case and its canvas.
#[tauri::command]
pub async fn add_node(
    session: State<'_, Session>,
    query: String,
) -> Result<AddOutcome, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add(query.trim(), Utc::now()).await?)
}

#[tauri::command]
pub async fn expand_node(
    session: State<'_, Session>,
    node_id: String,
    hops: u32,
) -> Result<ExpandOutcome, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.expand(&node_id, hops, Utc::now()).await?)
}

/// Saves where the investigator dragged nodes to.
#[tauri::command]
pub async fn set_positions(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    positions: Vec<NodePosition>,
) -> Result<(), CommandError> {
    // Autosave: never waits for a fetch that holds the case (`Session::save_layout`).
    session.save_layout(&app, Entry::Positions(positions))
}

#[tauri::command]
pub async fn add_note(
    session: State<'_, Session>,
    node_id: String,
    text: String,
) -> Result<NoteView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add_note(&node_id, &text, Utc::now())?)
}

/// Adds every line of a pasted list (addresses or txids, one per line): each bad line is
/// reported with its number, the good ones are added and connected to the canvas.
#[tauri::command]
pub async fn add_many(
    session: State<'_, Session>,
    text: String,
) -> Result<tracebench_core::api::PasteOutcome, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add_many(&text, Utc::now()).await?)
}

/// Shows the next page of a node's neighbours (at most `limit`, from `offset`).
#[tauri::command]
pub async fn expand_page(
    session: State<'_, Session>,
    node_id: String,
    offset: u32,
    limit: u32,
) -> Result<tracebench_core::api::PageOutcome, CommandError> {
    if !(1..=tracebench_core::api::MAX_PAGE_LIMIT).contains(&limit) {
        return Err(CommandError::invalid(format!(
            "the expansion limit must be 1 to {} (got {limit})",
            tracebench_core::api::MAX_PAGE_LIMIT
        )));
    }
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench
        .expand_page(&node_id, offset, limit, Utc::now())
        .await?)
}
