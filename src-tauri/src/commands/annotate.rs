//! Annotating the canvas: callouts, notes on edges, retracting a note, and the storyboard.
//! Each is a thin wrapper over `Workbench` (api/workbench/annotate.rs); each change is audited
//! in the case, and a refused one changes nothing.

use chrono::Utc;
use tauri::State;
use tracebench_core::api::{Annotated, GraphView, NoteView};

use crate::error::CommandError;
use crate::session::Session;

/// Places a free-text callout on the canvas, optionally pointing at a node.
#[tauri::command]
pub async fn add_callout(
    session: State<'_, Session>,
    text: String,
    x: f64,
    y: f64,
    anchor: Option<String>,
) -> Result<Annotated, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add_callout(&text, x, y, anchor.as_deref(), Utc::now())?)
}

/// Changes a callout's text.
#[tauri::command]
pub async fn edit_callout(
    session: State<'_, Session>,
    id: i64,
    text: String,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.edit_callout(id, &text, Utc::now())?)
}

/// Moves a callout on the canvas.
#[tauri::command]
pub async fn move_callout(
    session: State<'_, Session>,
    id: i64,
    x: f64,
    y: f64,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.move_callout(id, x, y, Utc::now())?)
}

/// Takes a callout off the canvas (`removed`), or puts it back.
#[tauri::command]
pub async fn set_callout_removed(
    session: State<'_, Session>,
    id: i64,
    removed: bool,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.set_callout_removed(id, removed, Utc::now())?)
}

/// Attaches an analyst note to an edge (`<source>><target>#<index>`).
#[tauri::command]
pub async fn add_edge_note(
    session: State<'_, Session>,
    edge_id: String,
    text: String,
) -> Result<NoteView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add_edge_note(&edge_id, &text, Utc::now())?)
}

/// Retracts a note (it stays in the case, marked retracted).
#[tauri::command]
pub async fn retract_note(
    session: State<'_, Session>,
    note_id: i64,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.retract_note(note_id, Utc::now())?)
}

/// Appends a story step: title, caption and the selected path (node and edge ids).
#[tauri::command]
pub async fn add_story_step(
    session: State<'_, Session>,
    title: String,
    caption: String,
    nodes: Vec<String>,
    edges: Vec<String>,
) -> Result<Annotated, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.add_story_step(&title, &caption, &nodes, &edges, Utc::now())?)
}

/// Renames a story step and sets its caption.
#[tauri::command]
pub async fn rename_story_step(
    session: State<'_, Session>,
    id: i64,
    title: String,
    caption: String,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.rename_story_step(id, &title, &caption, Utc::now())?)
}

/// Moves a story step to 1-based `to_position` (also used by the report builder).
#[tauri::command]
pub async fn move_story_step(
    session: State<'_, Session>,
    id: i64,
    to_position: i64,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.move_story_step(id, to_position, Utc::now())?)
}

/// Removes a story step (kept in the case, marked removed).
#[tauri::command]
pub async fn remove_story_step(
    session: State<'_, Session>,
    id: i64,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.remove_story_step(id, Utc::now())?)
}

/// Puts a removed story step back at 1-based `position`.
#[tauri::command]
pub async fn restore_story_step(
    session: State<'_, Session>,
    id: i64,
    position: i64,
) -> Result<GraphView, CommandError> {
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.restore_story_step(id, position, Utc::now())?)
}
