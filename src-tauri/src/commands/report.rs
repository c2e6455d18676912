//! Exporting the case report (PDF exhibit).

use chrono::Utc;
use tauri::{AppHandle, State};

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
        None => {
            crate::dialog::save_file(
                &app,
                "Export the case report",
                &file_name,
                "PDF document",
                &["pdf"],
            )
            .await?
        }
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
