//! `tracebench case export` and `tracebench case import`: case bundles (see
//! `tracebench_core::bundle` for the format); `tracebench case verify`: the audit log and the
//! raw responses, checked without writing to the case.

use std::path::Path;

use chrono::Utc;
use tracebench_core::api::Workbench;

use crate::flags::Cli;

pub fn export(cli: &Cli, out: &Path) -> anyhow::Result<()> {
    let mut wb = crate::open_case(crate::case_path(cli)?, None)?;
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
