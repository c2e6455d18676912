//! The timeline's block-height mode: the heights of the canvas's transactions.

use std::collections::BTreeMap;

use tauri::State;

use crate::error::CommandError;
use crate::session::Session;

/// `btc:tx:<txid>` → block height for the confirmed transactions on the canvas.
#[tauri::command]
pub async fn canvas_heights(
    session: State<'_, Session>,
) -> Result<BTreeMap<String, u64>, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(tracebench_core::api::canvas_heights(workbench.case())?)
}
