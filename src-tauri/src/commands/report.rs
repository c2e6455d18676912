//! The report builder and the export of the case report (PDF exhibit).
//!
//! The exhibit is built exactly as `tracebench report` builds it: the case's stored exhibit
//! settings, the label store's attributions (the case is screened first), and the same
//! validation datasets (`tracebench_sim::validation_dataset`, as `tracebench validate` scores),
//! so the same case under the same `SOURCE_DATE_EPOCH` gives the same bytes from the app and
//! the command line, and two exports in one session give the same bytes.

use std::sync::OnceLock;

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, State};
use tracebench_core::analysis::validate::Dataset;
use tracebench_core::api::{ExhibitOptions, ReportSettings, Workbench};
use tracebench_report::{Section, MANDATORY};

use crate::error::CommandError;
use crate::session::Session;

/// An optional chapter the builder offers.
#[derive(Debug, Clone, Serialize)]
pub struct SectionChoice {
    pub key: &'static str,
    pub title: &'static str,
}

/// A chapter every exhibit has, and why.
#[derive(Debug, Clone, Serialize)]
pub struct MandatoryChoice {
    pub title: &'static str,
    pub why: &'static str,
}

/// What the report builder shows: the settings in force and the choices it offers.
#[derive(Debug, Clone, Serialize)]
pub struct ReportBuilder {
    pub settings: ReportSettings,
    pub sections: Vec<SectionChoice>,
    pub mandatory: Vec<MandatoryChoice>,
    /// The exhibit id printed when none is set.
    pub default_exhibit_id: String,
}

/// The simulator's labelled dataset, built once per process (it is deterministic).
fn sim_dataset() -> Result<Dataset, CommandError> {
    static SIM: OnceLock<Result<Dataset, String>> = OnceLock::new();
    SIM.get_or_init(|| tracebench_sim::validation_dataset().map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| CommandError {
            code: "report",
            message: format!("the validation dataset could not be built: {e}"),
        })
}

/// The exhibit under `settings`, with the attributions of the label store (the case is
/// screened against it first, as `tracebench report` does).
async fn render(
    session: &Session,
    settings: ReportSettings,
) -> Result<(String, Vec<u8>), CommandError> {
    let store = session.labels().await?;
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    let extras = tracebench_labels::report_extras(workbench, &store, &[], 0, Utc::now())?;
    let options = ExhibitOptions {
        settings,
        validation_datasets: vec![sim_dataset()?],
    };
    let pdf = workbench.report_pdf_as(session.places.report_time(), extras, &options)?;
    Ok((workbench.info().case_id, pdf))
}

fn open(case: &mut Option<Workbench>) -> Result<&mut Workbench, CommandError> {
    case.as_mut().ok_or_else(CommandError::no_case)
}

/// The builder's contents: the stored settings and the chapters one may leave out.
#[tauri::command]
pub async fn report_builder(session: State<'_, Session>) -> Result<ReportBuilder, CommandError> {
    let mut case = session.case().await;
    let wb = open(&mut case)?;
    Ok(ReportBuilder {
        settings: wb.report_settings()?,
        sections: Section::ALL
            .iter()
            .map(|s| SectionChoice {
                key: s.key(),
                title: s.title(),
            })
            .collect(),
        mandatory: MANDATORY
            .iter()
            .map(|m| MandatoryChoice {
                title: m.title,
                why: m.why,
            })
            .collect(),
        default_exhibit_id: format!("{}-EX1", wb.info().case_id),
    })
}

/// Stores the exhibit settings in the case (audited; nothing is written when they are
/// unchanged or refused). Returns the settings in force.
#[tauri::command]
pub async fn save_report_settings(
    session: State<'_, Session>,
    settings: ReportSettings,
) -> Result<ReportSettings, CommandError> {
    let mut case = session.case().await;
    let wb = open(&mut case)?;
    wb.save_report_settings(settings, Utc::now())?;
    Ok(wb.report_settings()?)
}

/// The exhibit under `settings` (not stored), as PDF bytes for the preview.
#[tauri::command]
pub async fn preview_report(
    session: State<'_, Session>,
    settings: ReportSettings,
) -> Result<tauri::ipc::Response, CommandError> {
    tracebench_core::api::check_report_settings(&settings)?;
    let (_, pdf) = render(&session, settings).await?;
    Ok(tauri::ipc::Response::new(pdf))
}

/// Writes the report and returns its path; `None` when the save dialog was cancelled. With
/// `settings`, they are stored in the case first (audited) and used.
///
/// With `TRACEBENCH_EXPORT_DIR` set the file goes to `<dir>/<case_id>-report.pdf` without a dialog.
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    session: State<'_, Session>,
    settings: Option<ReportSettings>,
) -> Result<Option<String>, CommandError> {
    let settings = {
        let mut case = session.case().await;
        let wb = open(&mut case)?;
        if let Some(s) = settings {
            wb.save_report_settings(s, Utc::now())?;
        }
        wb.report_settings()?
    };
    let (case_id, pdf) = render(&session, settings).await?;
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
