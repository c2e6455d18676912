//! The platform's file dialogs, awaited: `None` when the user cancels.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::error::CommandError;

/// Asks for an existing file, offering only `extensions` under the filter `filter`.
pub async fn open_file(
    app: &AppHandle,
    title: &str,
    filter: &str,
    extensions: &[&str],
) -> Result<Option<PathBuf>, CommandError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter, extensions)
        .pick_file(move |picked| {
            let _ = tx.send(picked);
        });
    local_path(rx.await, "open")
}

/// Asks where to save `file_name`, offering only `extensions` under the filter `filter`.
pub async fn save_file(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter: &str,
    extensions: &[&str],
) -> Result<Option<PathBuf>, CommandError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter, extensions)
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    local_path(rx.await, "save")
}

fn local_path(
    answer: Result<Option<FilePath>, tokio::sync::oneshot::error::RecvError>,
    which: &str,
) -> Result<Option<PathBuf>, CommandError> {
    let picked = answer
        .map_err(|e| CommandError::io(format!("the {which} dialog closed unexpectedly"), e))?;
    picked
        .map(|p| p.into_path())
        .transpose()
        .map_err(|e| CommandError::io("the chosen file is not a local path", e))
}
