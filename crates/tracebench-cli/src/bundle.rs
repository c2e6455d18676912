//! `tracebench case export` and `tracebench case import`: case bundles (see
//! `tracebench_core::bundle` for the format); `tracebench case verify`: the audit log and the
//! raw responses, checked without writing to the case.

use std::path::Path;

use anyhow::bail;
use chrono::Utc;
use tracebench_core::api::layout_journal::{self, JournalError, LayoutJournal};
use tracebench_core::api::Workbench;

use crate::flags::Cli;

pub fn export(cli: &Cli, out: &Path) -> anyhow::Result<()> {
    let case = crate::case_path(cli)?;
    let mut wb = crate::open_case(case, None)?;
    apply_layout_journal(&mut wb, case)?;
    let s = wb.export_bundle(out, Utc::now())?;
    wb.record_export("bundle", &s.bundle_sha256, Utc::now())?;
    crate::print(cli, &s, || {
        format!(
            "exported case {} to {} ({} raw responses, {} bytes, SHA-256 {})\n\
             content hash: {}\naudit log head: {} ({} entries)",
            s.case_id,
            s.path,
            s.raw_responses,
            s.bundle_bytes,
            s.bundle_sha256,
            s.manifest
                .content_hash
                .as_deref()
                .unwrap_or("(not recorded)"),
            s.manifest.audit_head.as_deref().unwrap_or("(empty log)"),
            s.manifest.audit_entries
        )
    })
}

/// Layout changes the app saved beside the case while it was busy and could not apply before it
/// ended (killed during a fetch: `tracebench_core::api::layout_journal`) go into the case before
/// it is bundled, as the app would apply them when it opens the case, so the bundle holds the
/// layout the analyst last saw. A journal that cannot be read stops the export: the bundle would
/// silently lack what it holds.
fn apply_layout_journal(wb: &mut Workbench, case: &Path) -> anyhow::Result<()> {
    let journal = layout_journal::path_for(case);
    match LayoutJournal::default().replay(wb) {
        Ok(0) => Ok(()),
        Ok(n) => {
            eprintln!(
                "applied {n} layout change(s) the app had saved in {} before the export",
                journal.display()
            );
            Ok(())
        }
        // The readable changes are in; the ones the case refused (a node removed since) are
        // named, and the journal is gone: nothing in it is left to apply.
        Err(e @ JournalError::Refused { .. }) => {
            eprintln!("warning: {e}");
            Ok(())
        }
        Err(e) => bail!(
            "{e}. The bundle was not written; move {} aside to export without its changes",
            journal.display()
        ),
    }
}

pub fn import(cli: &Cli, bundle: &Path, out: &Path) -> anyhow::Result<()> {
    let s = Workbench::import_bundle(bundle, out)?;
    crate::print(cli, &s, || {
        format!(
            "verified {} (SHA-256 {}) and imported case {} to {} ({} raw responses)",
            bundle.display(),
            s.bundle_sha256,
            s.case_id,
            s.path,
            s.raw_responses
        )
    })
}

/// Verifies the case read-only; any finding is an error (non-zero exit) after the verdict is
/// printed.
pub fn verify(cli: &Cli, expect_head: Option<&str>) -> anyhow::Result<()> {
    let path = crate::case_path(cli)?;
    let v = Workbench::verify(path, expect_head)?;
    crate::print(cli, &v, || {
        let mut s = format!(
            "{}: {} audit-log entries, {} raw responses, head {}",
            path.display(),
            v.entries,
            v.raw_responses,
            v.head.as_deref().unwrap_or("(empty log)")
        );
        for f in &v.findings {
            s.push_str(&format!("\nFINDING: {}", f.message));
        }
        if v.ok {
            s.push_str("\nok: the audit chain and every raw response verify");
        }
        s
    })?;
    if !v.ok {
        anyhow::bail!(
            "verification failed: {} finding(s) in {}",
            v.findings.len(),
            path.display()
        );
    }
    Ok(())
}
