//! What `report verify` derives the report's figures under, read from the case and the label
//! store without writing to either: the exhibit settings in force when the report was made,
//! and the attribution register and exposure analyses as `tracebench report` made them.

use std::path::Path;

use anyhow::Context;
use tracebench_core::api::{AttributionRow, ExposureRow, ReportExtras, ReportSettings, Workbench};
use tracebench_labels::{Builtin, Direction, ExposureOptions, LabelStore};
use tracebench_report::ExposureAsked;

/// The audit-log action holding exhibit settings (see `Workbench::save_report_settings`).
const REPORT_SETTINGS_ACTION: &str = "report.settings";

/// The exhibit settings in force at audit entry `seq`: the newest `report.settings` entry up to
/// it (the report's own settings, saved before it was built), or the defaults when none was.
pub fn settings_at(wb: &Workbench, seq: Option<i64>) -> anyhow::Result<ReportSettings> {
    let log = wb.case().audit_log()?;
    let Some(entry) = log
        .iter()
        .rev()
        .filter(|e| seq.is_none_or(|s| e.seq <= s))
        .find(|e| e.action == REPORT_SETTINGS_ACTION)
    else {
        return Ok(ReportSettings::default());
    };
    let detail: serde_json::Value = serde_json::from_str(&entry.detail)
        .with_context(|| format!("audit entry {} holds unreadable report settings", entry.seq))?;
    serde_json::from_value(detail.get("settings").cloned().unwrap_or_default())
        .with_context(|| format!("audit entry {} holds unreadable report settings", entry.seq))
}

/// The attributions `tracebench report` adds from the label store (every address of the case
/// screened, hits by address), its label-pack line and the exposure analyses `asked`, read
/// only: unlike `report`, nothing is recorded in the case. `labels` is the store (default:
/// `<data dir>/labels.sqlite`).
pub fn label_extras(
    wb: &Workbench,
    labels: Option<&Path>,
    asked: &[ExposureAsked],
) -> anyhow::Result<ReportExtras> {
    // As `report` opens it: a given store must exist; the default one is made on first use,
    // with the built-in pack (so another machine re-derives a report screened against it).
    let path = match labels {
        Some(p) if !p.exists() => anyhow::bail!(
            "the label store {} does not exist, so the attribution register cannot be \
             re-derived from it",
            p.display()
        ),
        Some(p) => p.to_path_buf(),
        None => {
            let dir = crate::places::data_dir()?;
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.join("labels.sqlite")
        }
    };
    let store = LabelStore::open(&path, Builtin::Install)
        .with_context(|| format!("opening the label store {}", path.display()))?;
    let hits = store.screen(&wb.case().all_addresses()?)?;
    let packs = store.packs()?;
    let note = if packs.is_empty() {
        "no label packs (analyst labels only)".to_string()
    } else {
        packs
            .iter()
            .map(|p| format!("{} {}", p.id, p.version))
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ok(ReportExtras {
        attributions: hits
            .into_iter()
            .map(|h| AttributionRow {
                address: h.address,
                label: h.label,
                category: h.category.as_str().to_string(),
                source: h.source,
                source_date: h.source_date,
                confidence: h.confidence,
            })
            .collect(),
        exposures: asked
            .iter()
            .map(|a| exposure(wb, &store, a))
            .collect::<anyhow::Result<_>>()?,
        label_packs_note: Some(note),
    })
}

/// One exposure analysis re-run as `tracebench report --exposure` ran it.
fn exposure(
    wb: &Workbench,
    store: &LabelStore,
    asked: &ExposureAsked,
) -> anyhow::Result<ExposureRow> {
    let direction = match asked.direction.as_str() {
        "outgoing" => Direction::Outgoing,
        "incoming" => Direction::Incoming,
        other => anyhow::bail!(
            "the report's exposure of {} has the direction {other:?}: neither outgoing nor incoming",
            asked.address
        ),
    };
    let opts = ExposureOptions {
        hops: asked.hops,
        direction,
        decay_percent: asked.decay_percent,
    };
    Ok(tracebench_labels::exposure(wb, store, &asked.address, &opts)?.into_row())
}
