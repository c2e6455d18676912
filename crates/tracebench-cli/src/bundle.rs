//! `tracebench case export` and `tracebench case import`: case bundles (see
//! `tracebench_core::bundle` for the format).

use std::path::Path;

use chrono::Utc;
use tracebench_core::api::Workbench;

use crate::flags::Cli;

pub fn export(cli: &Cli, out: &Path) -> anyhow::Result<()> {
    let wb = Workbench::open(crate::case_path(cli)?, None)?;
    let s = wb.export_bundle(out, Utc::now())?;
    crate::print(cli, &s, || {
        format!(
            "exported case {} to {} ({} raw responses, {} bytes, SHA-256 {})",
            s.case_id, s.path, s.raw_responses, s.bundle_bytes, s.bundle_sha256
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
