//! The sealed tables format 3 adds to format 2's (see `sealed`): the figures of the cover, the
//! scope, the methodology and its measured error rates, the fiat values, the attribution
//! register, the exposure analyses, the audit-log excerpt, the data-provenance table and the coverage statement, each
//! only when its chapter is printed (the cover, scope, audit excerpt and provenance always are).
//!
//! Rows are keyed by what the reader sees (`cover exhibit id`, `error rate change
//! round-amount dataset-x`, `fiat <txid>`, `attribution <address> <label>`, `audit entry 7`,
//! `provenance <source> <SHA-256 prefix>`, `coverage incomplete histories`); a row's JSON is the
//! printed value or the model row behind it. Long lists a chapter prints as one statement (the
//! addresses with incomplete histories, the unresolved outputs) are one row each, so a big case
//! keeps a short manifest.

use std::collections::BTreeMap;

use serde::Serialize;

use super::sealed::{keyed, SealedRow};
use crate::model::{ReportInput, ReportLeg};
use crate::sections::{shown, Section};
use crate::ReportError;

/// The tables a format-2 manifest seals: `report verify` compares only these for a format-2
/// report.
pub const FORMAT_2_TABLES: [&str; 9] = [
    "transaction",
    "cluster",
    "note",
    "narrative hop",
    "story step",
    "figure node",
    "figure edge",
    "EVM transfer",
    "EVM trace",
];

/// Hex digits of a provenance row's SHA-256 in its key.
const PROVENANCE_KEY_HEX: usize = 16;

fn row<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<SealedRow, ReportError> {
    Ok(SealedRow {
        key: key.to_string(),
        json: serde_json::to_string(value).map_err(|e| ReportError::Seal(e.to_string()))?,
    })
}

/// What one hop's fiat statement holds: the rate line and each leg's value, in printed order.
#[derive(Serialize)]
struct HopFiat<'a> {
    valuation: &'a Option<String>,
    inputs: Vec<&'a Option<String>>,
    outputs: Vec<&'a Option<String>>,
}

fn leg_fiat(legs: &[ReportLeg]) -> Vec<&Option<String>> {
    legs.iter().map(|l| &l.fiat).collect()
}

fn cover(input: &ReportInput) -> Result<Vec<SealedRow>, ReportError> {
    let head = input
        .audit
        .iter()
        .max_by_key(|e| e.seq)
        .map(|e| format!("entry {} · {}", e.seq, e.hash));
    let integrity = input.integrity.as_ref();
    Ok(vec![
        row("exhibit id", &crate::exhibit::exhibit_id(input))?,
        row("case id", &input.case.case_id)?,
        row("title", &input.case.title)?,
        row("examiner", &input.case.investigator)?,
        row("agency", &input.case.agency)?,
        row("case created", &input.case.created_utc)?,
        row("tool", &input.tool)?,
        row("build", &input.build)?,
        row("generated", &input.generated_at.to_rfc3339())?,
        row("classification", &crate::exhibit::classification(input))?,
        row("paper", &input.settings.paper)?,
        row("synthetic", &input.synthetic)?,
        row("audit log head", &head)?,
        row("content hash", &integrity.map(|i| &i.content_hash))?,
    ])
}

fn scope(input: &ReportInput) -> Result<Vec<SealedRow>, ReportError> {
    let mut rows = vec![
        row("question", &input.settings.question)?,
        row("summary of findings", &input.settings.summary)?,
    ];
    rows.extend(keyed(&input.seeds, |_, s| format!("seed {}", s.node_id))?);
    Ok(rows)
}

fn methodology(input: &ReportInput) -> Result<Vec<SealedRow>, ReportError> {
    let m = &input.method;
    let mut rows = vec![
        row("chains", &m.chains)?,
        row("sources", &m.sources)?,
        row("profile", &m.profile)?,
        row("datasets", &m.datasets)?,
        row("coinjoins", &m.coinjoins)?,
        row("vetoed", &m.vetoed)?,
        row("valuation rule", &m.valuation)?,
    ];
    rows.extend(keyed(&m.heuristics, |_, h| {
        format!("heuristic {}", h.name)
    })?);
    rows.extend(keyed(&m.validation_coverage, |_, c| {
        format!("validated {}", c.name)
    })?);
    Ok(rows)
}

fn coverage(input: &ReportInput) -> Result<Vec<SealedRow>, ReportError> {
    let c = &input.coverage;
    let mut rows = vec![
        row("history page limit", &c.history_page_limit)?,
        row("complete histories", &c.complete_histories)?,
        row("incomplete histories", &c.incomplete_histories)?,
        row("unresolved outputs", &c.unresolved_outputs)?,
        row("transactions off the graph", &c.off_graph_txs)?,
    ];
    if let Some(evm) = &input.evm {
        rows.push(row("EVM", &evm.coverage)?);
        rows.push(row("EVM failed transactions", &evm.failed)?);
    }
    Ok(rows)
}

/// Adds format 3's tables of what `input` prints to `out` (see the module documentation).
pub fn add_stated(
    input: &ReportInput,
    out: &mut BTreeMap<String, Vec<SealedRow>>,
) -> Result<(), ReportError> {
    let omit = &input.settings.omit;
    out.insert("cover".to_string(), cover(input)?);
    out.insert("scope".to_string(), scope(input)?);
    if shown(omit, Section::Methodology) {
        out.insert("methodology".to_string(), methodology(input)?);
        out.insert(
            "error rate".to_string(),
            keyed(&input.method.validation, |_, v| {
                format!("{} {} {}", v.group, v.name, v.dataset)
            })?,
        );
    }
    if shown(omit, Section::Narrative) {
        let mut fiat = Vec::new();
        // Hops valued (or stating why not) only: a case without price series seals no row.
        for h in input.hops.iter().filter(|h| {
            h.valuation.is_some() || h.inputs.iter().chain(&h.outputs).any(|l| l.fiat.is_some())
        }) {
            let stated = HopFiat {
                valuation: &h.valuation,
                inputs: leg_fiat(&h.inputs),
                outputs: leg_fiat(&h.outputs),
            };
            fiat.push(row(&h.txid, &stated)?);
        }
        if let Some(evm) = &input.evm {
            for t in &evm.transfers {
                fiat.push(row(&t.id(), &t.valuation)?);
            }
        }
        out.insert("fiat".to_string(), fiat);
    }
    if shown(omit, Section::Attributions) {
        let mut register = keyed(&input.attributions, |_, a| {
            format!("{} {}", a.address, crate::display::one_line(&a.label))
        })?;
        register.push(row("label packs", &input.label_packs)?);
        out.insert("attribution".to_string(), register);
    }
    if shown(omit, Section::Exposure) && !input.exposures.is_empty() {
        out.insert(
            "exposure".to_string(),
            keyed(&input.exposures, |_, e| {
                format!("{} {}, {} hops", e.address, e.direction, e.hops)
            })?,
        );
    }
    out.insert(
        "audit entry".to_string(),
        keyed(&input.audit, |_, e| e.seq.to_string())?,
    );
    out.insert(
        "provenance".to_string(),
        keyed(&input.provenance, |_, p| {
            let hex = p.sha256.get(..PROVENANCE_KEY_HEX).unwrap_or(&p.sha256);
            format!("{} {hex}", p.source_id)
        })?,
    );
    if shown(omit, Section::Coverage) {
        out.insert("coverage".to_string(), coverage(input)?);
    }
    Ok(())
}
