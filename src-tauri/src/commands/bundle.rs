//! Case bundles from the Case menu: "Export bundle…" writes the open case as one `.tbbundle`
//! (audited as an export, as `tracebench case export` is) and "Import bundle…" verifies a bundle
//! completely, writes its case where the investigator chooses and hands the path back for the
//! UI to open. Both go through the core's bundle API (`Workbench::export_bundle` /
//! `import_bundle`, see `tracebench_core::bundle`), never through the command line.
//!
//! With `TRACEBENCH_EXPORT_DIR` set no dialog is shown: an export goes to
//! `<dir>/<case_id>-<UTC time>.tbbundle` and an import writes `<dir>/<bundle name>.tbcase`. A
//! bundle path from the UI is accepted only with `TRACEBENCH_TEST=1`; otherwise the platform's
//! open dialog asks for it. Neither ever writes over an existing file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::{AppHandle, State};
use tracebench_core::api::Workbench;
use tracebench_core::bundle::BundleSummary;

use crate::error::CommandError;
use crate::session::Session;

/// What an export wrote or an import verified and wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleReceipt {
    /// The bundle file.
    pub bundle: String,
    /// Export: the open case's file; import: the new case file.
    pub case_path: String,
    pub case_id: String,
    /// Size of the bundle in bytes.
    pub bytes: u64,
    /// SHA-256 of the whole bundle file.
    pub sha256: String,
    pub raw_responses: usize,
    /// The case's content hash printed on the bundle's manifest.
    pub content_hash: Option<String>,
    /// The newest audit-log entry of the bundled case (`None` for an empty log).
    pub audit_head: Option<String>,
    pub audit_entries: u64,
}

impl BundleReceipt {
    fn new(bundle: &Path, case_path: &str, s: &BundleSummary) -> BundleReceipt {
        BundleReceipt {
            bundle: bundle.display().to_string(),
            case_path: case_path.to_string(),
            case_id: s.case_id.clone(),
            bytes: s.bundle_bytes,
            sha256: s.bundle_sha256.clone(),
            raw_responses: s.raw_responses,
            content_hash: s.manifest.content_hash.clone(),
            audit_head: s.manifest.audit_head.clone(),
            audit_entries: s.manifest.audit_entries,
        }
    }
}

/// Writes the open case as a bundle and records the export (with the bundle's SHA-256) in its
/// audit log; `None` when the save dialog was cancelled.
#[tauri::command]
pub async fn export_bundle(
    app: AppHandle,
    session: State<'_, Session>,
) -> Result<Option<BundleReceipt>, CommandError> {
    let asked = {
        let case = session.case().await;
        case.as_ref().ok_or_else(CommandError::no_case)?.info()
    };
    let target = match &session.places.export_dir {
        Some(dir) => Some(export_target(dir, &asked.case_id, Utc::now())?),
        None => {
            crate::dialog::save_file(
                &app,
                "Export the case as a bundle",
                &format!("{}.tbbundle", asked.case_id),
                "Tracebench case bundle",
                &["tbbundle"],
            )
            .await?
        }
    };
    let Some(target) = target else {
        return Ok(None);
    };
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    if workbench.info().case_id != asked.case_id {
        return Err(CommandError::invalid(format!(
            "another case was opened while the save dialog was open; the bundle of {} was not written",
            asked.case_id
        )));
    }
    let summary = tokio::task::block_in_place(|| workbench.export_bundle(&target, Utc::now()))?;
    workbench.record_export("bundle", &summary.bundle_sha256, Utc::now())?;
    Ok(Some(BundleReceipt::new(&target, &asked.path, &summary)))
}

/// Verifies a bundle and writes its case (nothing is written unless every check passes, and
/// never over an existing file); `None` when a dialog was cancelled. The UI then opens the
/// new case, which puts it on the recent-cases list.
#[tauri::command]
pub async fn import_bundle(
    app: AppHandle,
    session: State<'_, Session>,
    path: Option<String>,
) -> Result<Option<BundleReceipt>, CommandError> {
    let bundle = match path {
        Some(_) if !session.places.test_mode => {
            return Err(CommandError::invalid(
                "a bundle is chosen with the open dialog",
            ))
        }
        Some(p) => PathBuf::from(p),
        None => match crate::dialog::open_file(
            &app,
            "Import a case bundle",
            "Tracebench case bundle",
            &["tbbundle"],
        )
        .await?
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let target = match &session.places.export_dir {
        Some(dir) => Some(import_target(dir, &bundle)?),
        None => {
            crate::dialog::save_file(
                &app,
                "Save the imported case",
                &case_file_name(&bundle),
                "Tracebench case",
                &["tbcase"],
            )
            .await?
        }
    };
    let Some(target) = target else {
        return Ok(None);
    };
    tokio::task::block_in_place(|| import_into(&bundle, &target)).map(Some)
}

/// `<dir>/<case_id>-<YYYYMMDDTHHMMSSZ>.tbbundle`, creating `dir`.
fn export_target(dir: &Path, case_id: &str, now: DateTime<Utc>) -> Result<PathBuf, CommandError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CommandError::io("could not create the export directory", e))?;
    Ok(dir.join(format!(
        "{case_id}-{}.tbbundle",
        now.format("%Y%m%dT%H%M%SZ")
    )))
}

/// `<dir>/<bundle name without .tbbundle>.tbcase`, creating `dir`.
fn import_target(dir: &Path, bundle: &Path) -> Result<PathBuf, CommandError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CommandError::io("could not create the export directory", e))?;
    Ok(dir.join(case_file_name(bundle)))
}

/// The case file a bundle imports to by default: its name with `.tbcase` for `.tbbundle`.
fn case_file_name(bundle: &Path) -> String {
    let stem = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".to_string());
    format!("{stem}.tbcase")
}

/// Refuses a target that exists before reading the bundle, then verifies the bundle and writes
/// its case to `target` (the core writes through a temporary file linked into place only when
/// every check passed).
fn import_into(bundle: &Path, target: &Path) -> Result<BundleReceipt, CommandError> {
    if target.exists() {
        return Err(CommandError {
            code: "bundle_invalid",
            message: format!(
                "{} already exists; the bundle was not imported over it",
                target.display()
            ),
        });
    }
    let summary = Workbench::import_bundle(bundle, target)?;
    Ok(BundleReceipt::new(bundle, &summary.path, &summary))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use tracebench_core::api::SourceSpec;
    use tracebench_sim::ScenarioKind;

    use super::*;

    /// A real demo case (the ransomware scenario fetched from the simulator on loopback) and a
    /// bundle of it, both in `dir`.
    fn demo_bundle(dir: &Path) -> (PathBuf, PathBuf, Workbench) {
        let chain = Arc::new(tracebench_sim::generate(ScenarioKind::Ransomware, 1));
        let server =
            tracebench_sim::serve(Arc::clone(&chain), "127.0.0.1:0".parse().unwrap()).unwrap();
        let source = SourceSpec {
            id: chain.source_id(),
            base_url: server.url(),
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let case = dir.join("demo.tbcase");
        let rt = tokio::runtime::Runtime::new().unwrap();
        let wb = rt
            .block_on(tracebench_core::api::open_demo(
                &case,
                source,
                chain.seed_address(),
                "tester",
                now,
            ))
            .unwrap();
        let bundle = export_target(&dir.join("out"), &wb.info().case_id, now).unwrap();
        wb.export_bundle(&bundle, now).unwrap();
        (case, bundle, wb)
    }

    #[test]
    fn names_follow_the_case_and_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 5, 7).unwrap();
        let out = export_target(&dir.path().join("new"), "TB-1", now).unwrap();
        assert_eq!(
            out,
            dir.path()
                .join("new")
                .join("TB-1-20261122T090507Z.tbbundle"),
            "the export is named after the case and the UTC time, so two exports never collide"
        );
        assert!(
            dir.path().join("new").is_dir(),
            "the export directory is created when missing"
        );
        assert_eq!(
            case_file_name(Path::new("/x/TB-1-20261122T090507Z.tbbundle")),
            "TB-1-20261122T090507Z.tbcase",
            "an import is named after its bundle"
        );
        assert_eq!(
            case_file_name(Path::new("/")),
            "imported.tbcase",
            "a path without a file name still gives a case file name"
        );
    }

    #[test]
    fn an_import_target_that_exists_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (_case, bundle, _wb) = demo_bundle(dir.path());
        let target = import_target(dir.path(), &bundle).unwrap();
        std::fs::write(&target, b"the investigator's own file").unwrap();
        let err = import_into(&bundle, &target).expect_err("an existing file must not be replaced");
        assert_eq!(err.code, "bundle_invalid", "the refusal is the bundle's");
        assert!(
            err.message.contains(&target.display().to_string()) && err.message.contains("exists"),
            "the refusal names the file that exists: {}",
            err.message
        );
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"the investigator's own file",
            "the existing file is unchanged"
        );
    }

    #[test]
    fn a_tampered_bundle_is_refused_naming_the_entry_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (_case, bundle, _wb) = demo_bundle(dir.path());
        let mut bytes = std::fs::read(&bundle).unwrap();
        // The database entry's data starts after its 512-byte tar header.
        bytes[512 + 4096] ^= 0x01;
        let tampered = dir.path().join("tampered.tbbundle");
        std::fs::write(&tampered, &bytes).unwrap();
        let target = import_target(&dir.path().join("imports"), &tampered).unwrap();
        let err = import_into(&tampered, &target).expect_err("a changed byte must be caught");
        assert_eq!(
            err.code, "bundle_invalid",
            "a damaged bundle is the bundle's fault"
        );
        assert!(
            err.message.contains("case.tbcase"),
            "the refusal names the damaged entry: {}",
            err.message
        );
        assert!(!target.exists(), "nothing is written for a refused bundle");
        assert_eq!(
            std::fs::read_dir(dir.path().join("imports"))
                .unwrap()
                .count(),
            0,
            "no temporary file is left behind either"
        );
    }

    #[test]
    fn an_intact_bundle_imports_to_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        let (_case, bundle, wb) = demo_bundle(dir.path());
        let target = import_target(&dir.path().join("imports"), &bundle).unwrap();
        let receipt = import_into(&bundle, &target).unwrap();
        assert_eq!(
            receipt.case_path,
            target.display().to_string(),
            "the receipt names the new case file for the UI to open"
        );
        assert_eq!(
            receipt.sha256,
            tracebench_core::store::sha256_hex(&std::fs::read(&bundle).unwrap()),
            "the receipt's SHA-256 is the bundle file's"
        );
        assert_eq!(
            receipt.audit_head,
            wb.audit_head().unwrap(),
            "the audit head printed on the bundle is the case's"
        );
        let imported = Workbench::open(&target, None).unwrap();
        let (a, b) = (wb.graph().unwrap(), imported.graph().unwrap());
        assert_eq!(
            (a.nodes.len(), a.edges.len()),
            (b.nodes.len(), b.edges.len()),
            "the imported case shows the same canvas"
        );
        assert_eq!(
            imported.info().case_id,
            wb.info().case_id,
            "the imported case is the same case"
        );
    }
}
