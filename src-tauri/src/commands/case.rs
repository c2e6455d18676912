//! Opening cases: the start screen's choices and what the command line asked for.

use std::path::PathBuf;

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, State};
use tracebench_core::api::{GraphView, SourceSpec, Workbench};

use crate::demo;
use crate::error::CommandError;
use crate::launch::Launch;
use crate::recent::RecentCase;
use crate::session::Session;

/// What the UI needs to know before it draws anything.
#[derive(Debug, Serialize)]
pub struct AppFlags {
    /// `TRACEBENCH_TEST=1`: install `window.__tracebench` for the WebDriver tests.
    pub test_mode: bool,
    /// What the command line asked to open.
    pub launch: Launch,
}

#[tauri::command]
pub fn app_flags(session: State<'_, Session>) -> AppFlags {
    AppFlags {
        test_mode: session.places.test_mode,
        launch: session.launch.clone(),
    }
}

#[tauri::command]
pub fn recent_cases(session: State<'_, Session>) -> Vec<RecentCase> {
    session.recent()
}

#[tauri::command]
pub async fn open_demo(session: State<'_, Session>) -> Result<GraphView, CommandError> {
    session.ensure_data_dir()?;
    let path = session.places.demo_case(demo::CASE_FILE_STEM);
    let (source, seed) = {
        let demo = session.demo().await?;
        (demo.source(), demo.seed_address())
    };
    let workbench =
        tracebench_core::api::open_demo(&path, source, &seed, &session.places.user, Utc::now())
            .await?;
    session.install(workbench).await
}

/// Opens a case file: online when a source URL is given, else offline (answers from the case).
#[tauri::command]
pub async fn open_case(
    session: State<'_, Session>,
    path: String,
    source_url: Option<String>,
) -> Result<GraphView, CommandError> {
    let source = source_url.map(esplora_source);
    let workbench = Workbench::open(&PathBuf::from(path), source)?;
    session.install(workbench).await
}

/// Creates a case on the chosen Bitcoin network (the start screen's new-case form) at `path`, or
/// at `<data dir>/cases/<title>.tbcase` when no path is given; never over an existing file. The
/// new case is offline until a source is chosen (Sources menu).
#[tauri::command]
pub async fn create_case(
    session: State<'_, Session>,
    meta: tracebench_core::api::NewCase,
    path: Option<String>,
) -> Result<GraphView, CommandError> {
    if meta.title.trim().is_empty() {
        return Err(CommandError::invalid("A new case needs a title."));
    }
    let path = match path.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => {
            session.ensure_data_dir()?;
            let dir = session.places.data_dir.join("cases");
            std::fs::create_dir_all(&dir)
                .map_err(|e| CommandError::io("creating the cases folder", e))?;
            dir.join(format!("{}.tbcase", case_file_stem(&meta.title)))
        }
    };
    let workbench = Workbench::create_by(&session.places.user, &path, meta, None, Utc::now())?;
    session.install(workbench).await
}

/// A file name from a title, as the CLI's `case new` makes it: lower-case ASCII letters and
/// digits, every other run of characters one `-`.
fn case_file_stem(title: &str) -> String {
    let slug = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "case".to_string()
    } else {
        slug
    }
}

/// The verdict of the open case's page check (`quick_check`, which runs on its own thread after
/// opening so the canvas shows without waiting for it): an error names the damage, and the case
/// then takes no writes. Waits for the verdict without holding the case.
#[tauri::command]
pub async fn case_integrity(session: State<'_, Session>) -> Result<(), CommandError> {
    let watch = {
        let case = session.case().await;
        let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
        workbench.case().integrity_watch()
    };
    tokio::task::spawn_blocking(move || watch.wait())
        .await
        .map_err(|e| CommandError::io("waiting for the case file's integrity check", e))?
        .map_err(tracebench_core::api::ApiError::from)?;
    Ok(())
}

/// Asks for a case file with the platform's open dialog; `None` when cancelled.
#[tauri::command]
pub async fn pick_case_file(app: AppHandle) -> Result<Option<String>, CommandError> {
    let picked = crate::dialog::open_file(
        &app,
        "Open a Tracebench case",
        "Tracebench case",
        &["tbcase"],
    )
    .await?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn graph(session: State<'_, Session>) -> Result<GraphView, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(workbench.graph()?)
}

/// `esplora:<host>` for a base URL such as `https://mempool.space/api`.
pub fn esplora_source(base_url: String) -> SourceSpec {
    let host = base_url
        .split_once("://")
        .map_or(base_url.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    SourceSpec {
        id: format!("esplora:{host}"),
        base_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_esplora_source_is_named_after_its_host() {
        let spec = esplora_source("https://mempool.space/api".into());
        assert_eq!(
            spec.id, "esplora:mempool.space",
            "the source id names the host only"
        );
        assert_eq!(
            spec.base_url, "https://mempool.space/api",
            "the URL is kept whole"
        );
    }
}
