//! Exporting the case report (PDF exhibit).

use std::path::PathBuf;

use chrono::Utc;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::session::Session;

/// Writes the report and returns its path; `None` when the save dialog was cancelled.
///
/// With `TRACEBENCH_EXPORT_DIR` set the file goes to `<dir>/<case_id>-report.pdf` without a dialog.
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    session: State<'_, Session>,
) -> Result<Option<String>, CommandError> {
    let (case_id, pdf) = {
        // Labels reach the report with their source and confidence: the case is screened
        // against the label store first, exactly as `tracebench report` does.
        let store = session.labels().await?;
        let mut case = session.case().await;
        let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
        let extras = tracebench_labels::report_extras(workbench, &store, &[], 0, Utc::now())?;
        let pdf = workbench.report_pdf_with(session.places.report_time(), extras)?;
        (workbench.info().case_id, pdf)
    };
    let file_name = format!("{case_id}-report.pdf");
    let target = match &session.places.export_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CommandError::io("could not create the export directory", e))?;
            Some(dir.join(file_name))
        }
        None => ask_where(&app, &file_name).await?,
    };
    let Some(target) = target else {
        return Ok(None);
    };
    std::fs::write(&target, &pdf)
        .map_err(|e| CommandError::io(format!("could not write {}", target.display()), e))?;
    if let Some(wb) = session.case().await.as_mut() {
        wb.record_export(
            "report",
            &tracebench_core::store::sha256_hex(&pdf),
            Utc::now(),
        )?;
    }
    Ok(Some(target.display().to_string()))
}

async fn ask_where(app: &AppHandle, file_name: &str) -> Result<Option<PathBuf>, CommandError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export the case report")
        .set_file_name(file_name)
        .add_filter("PDF document", &["pdf"])
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    let picked = rx
        .await
        .map_err(|e| CommandError::io("the save dialog closed unexpectedly", e))?;
    picked
        .map(|p| p.into_path())
        .transpose()
        .map_err(|e| CommandError::io("the chosen file is not a local path", e))
}
