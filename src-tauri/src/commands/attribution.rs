//! Attribution: screening the case's addresses against the label store, exposure by category,
//! and an exchange's records as off-chain evidence.

use std::path::PathBuf;

use chrono::Utc;
use tauri::{AppHandle, State};
use tracebench_core::api::{ExchangeImport, ExchangeRecordView};
use tracebench_labels::{CaseScreening, Direction, Exposure, ExposureOptions};

use crate::error::CommandError;
use crate::session::Session;

/// Screens every address of the open case against sanctions and category labels.
///
/// The first call opens the label store at `<data dir>/labels.sqlite`, installing the built-in
/// pack when the store is new (about 1.5 s, off the async runtime's threads).
#[tauri::command]
pub async fn screen_case(session: State<'_, Session>) -> Result<CaseScreening, CommandError> {
    let store = session.labels().await?;
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(tracebench_labels::screen_case(
        workbench,
        &store,
        Utc::now(),
    )?)
}

/// Exposure of an address to each label category, `hops` deep, outgoing unless `incoming`.
#[tauri::command]
pub async fn exposure(
    session: State<'_, Session>,
    address: String,
    hops: u32,
    incoming: bool,
) -> Result<Exposure, CommandError> {
    let store = session.labels().await?;
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    let opts = ExposureOptions {
        hops,
        direction: if incoming {
            Direction::Incoming
        } else {
            Direction::Outgoing
        },
        decay_percent: None,
    };
    Ok(tracebench_labels::exposure(
        workbench,
        &store,
        address.trim(),
        &opts,
    )?)
}

#[tauri::command]
pub async fn exchange_records(
    session: State<'_, Session>,
) -> Result<Vec<ExchangeRecordView>, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(workbench.exchange_records()?)
}

/// Imports an exchange's CSV of deposits and withdrawals, naming `source` as who gave it.
///
/// Without `path` the platform's open dialog asks for the file (`None` when cancelled). An
/// explicit path is accepted only with `TRACEBENCH_TEST=1`: otherwise the UI could make the
/// shell read any file it names.
#[tauri::command]
pub async fn import_exchange_records(
    app: AppHandle,
    session: State<'_, Session>,
    path: Option<String>,
    source: String,
) -> Result<Option<ExchangeImport>, CommandError> {
    let source = source.trim();
    if source.is_empty() {
        return Err(CommandError::invalid(
            "name the exchange the records come from",
        ));
    }
    let path = match path {
        Some(_) if !session.places.test_mode => {
            return Err(CommandError::invalid(
                "a records file is chosen with the open dialog",
            ))
        }
        Some(p) => PathBuf::from(p),
        None => match crate::dialog::open_file(
            &app,
            "Import an exchange's records (CSV)",
            "CSV",
            &["csv"],
        )
        .await?
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let csv = std::fs::read(&path)
        .map_err(|e| CommandError::io(format!("could not read {}", path.display()), e))?;
    // The file's name goes into the provenance (`import:<file name>`), never its directory.
    let file_name = path.file_name().map_or_else(
        || "records.csv".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(Some(workbench.import_exchange_file(
        &csv,
        source,
        &file_name,
        Utc::now(),
    )?))
}
