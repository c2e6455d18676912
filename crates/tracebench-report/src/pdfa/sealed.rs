//! The figures a manifest seals, compactly: for every printed chapter whose figures the case
//! determines, a table of its rows as printed — each row named by the key `report verify` cites
//! on a mismatch (a txid, a cluster id, "1: <step title>") and sealed by a digest of its
//! canonical JSON — with the row count and a digest of the whole table. Chapters the exhibit
//! leaves out seal nothing, so a short exhibit of a large case carries a short manifest.
//!
//! * **Row JSON**: the row's model struct as compact JSON (serde field order).
//! * **Row digest**: the first [`ROW_DIGEST_HEX`] hex digits (128 bits) of SHA-256 over the row
//!   JSON.
//! * **Table digest**: SHA-256 (hex) over every row, in printed order, each its key and its row
//!   JSON as fields (8-byte big-endian length, then the UTF-8 bytes).
//! * **Keys**: unique within a table; a repeated key gets " #2", " #3", … in printed order.
//!
//! Tables (named by what one row is): `transaction` (appendix A, by txid), `cluster`
//! (appendix B, by cluster id), `note` (by position and creation time), `narrative hop` (by
//! txid), `story step` (by number and title), `figure node` (by node id) and `figure edge` (by
//! source > target). Format 3 adds the tables of `stated` (cover, scope, methodology, error
//! rate, fiat, attribution, audit entry, provenance, coverage).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::ReportInput;
use crate::sections::{shown, Section};
use crate::ReportError;

/// Hex digits of a row digest.
pub const ROW_DIGEST_HEX: usize = 32;

/// One chapter's rows as sealed in the manifest.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SealedTable {
    /// Rows the chapter prints.
    pub rows: u64,
    /// SHA-256 (hex) of the whole table (see the module documentation).
    pub sha256: String,
    /// Each row's key and digest.
    pub digests: BTreeMap<String, String>,
}

/// One printed row: its key and its canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRow {
    pub key: String,
    pub json: String,
}

/// The digest of one row's JSON.
pub fn row_digest(json: &str) -> String {
    let mut hex = hex::encode(Sha256::digest(json.as_bytes()));
    hex.truncate(ROW_DIGEST_HEX);
    hex
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

impl SealedTable {
    /// The sealed form of `rows` (in printed order).
    pub fn of(rows: &[SealedRow]) -> SealedTable {
        let mut h = Sha256::new();
        let mut digests = BTreeMap::new();
        for r in rows {
            field(&mut h, r.key.as_bytes());
            field(&mut h, r.json.as_bytes());
            digests.insert(r.key.clone(), row_digest(&r.json));
        }
        SealedTable {
            rows: rows.len() as u64,
            sha256: hex::encode(h.finalize()),
            digests,
        }
    }
}

/// `rows` as sealed rows keyed by `key`, repeated keys numbered.
pub fn keyed<T: Serialize>(
    rows: &[T],
    key: impl Fn(usize, &T) -> String,
) -> Result<Vec<SealedRow>, ReportError> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let base = key(i, row);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                base
            } else {
                format!("{base} #{n}")
            };
            let json = serde_json::to_string(row).map_err(|e| ReportError::Seal(e.to_string()))?;
            Ok(SealedRow { key, json })
        })
        .collect()
}

/// The key of a note: its position and creation time.
pub fn note_key(i: usize, n: &crate::ReportNote) -> String {
    format!("{} ({})", i + 1, n.created_at)
}

/// Every sealed table of the chapters `input` prints, by table name, rows in printed order.
pub fn printed_rows(input: &ReportInput) -> Result<BTreeMap<String, Vec<SealedRow>>, ReportError> {
    let omit = &input.settings.omit;
    let mut out = BTreeMap::new();
    if shown(omit, Section::Transactions) {
        out.insert(
            "transaction".to_string(),
            keyed(&input.transactions, |_, t| t.txid.clone())?,
        );
    }
    if shown(omit, Section::Clusters) {
        out.insert(
            "cluster".to_string(),
            keyed(&input.clusters, |_, c| c.id.clone())?,
        );
    }
    if shown(omit, Section::Notes) {
        out.insert("note".to_string(), keyed(&input.notes, note_key)?);
    }
    if shown(omit, Section::Narrative) {
        out.insert(
            "narrative hop".to_string(),
            keyed(&input.hops, |_, h| h.txid.clone())?,
        );
    }
    if !input.story.is_empty() {
        out.insert(
            "story step".to_string(),
            keyed(&input.story, |i, s| {
                format!("{}: {}", i + 1, crate::display::one_line(&s.title))
            })?,
        );
    }
    if shown(omit, Section::Figures) {
        out.insert(
            "figure node".to_string(),
            keyed(&input.graph.nodes, |_, n| n.id.clone())?,
        );
        out.insert(
            "figure edge".to_string(),
            keyed(&input.graph.edges, |_, e| {
                format!("{} > {}", e.source, e.target)
            })?,
        );
    }
    // EVM rows: the transfers appendix (A2) and the narrative's account-model traces.
    if let Some(evm) = &input.evm {
        if shown(omit, Section::Transactions) {
            out.insert(
                "EVM transfer".to_string(),
                keyed(&evm.transfers, |_, t| t.id())?,
            );
        }
        if shown(omit, Section::Narrative) && !evm.traces.is_empty() {
            out.insert(
                "EVM trace".to_string(),
                keyed(&evm.traces, |_, t| {
                    format!("{} {} {}", t.chain, t.start, t.asset)
                })?,
            );
        }
    }
    super::stated::add_stated(input, &mut out)?;
    Ok(out)
}

/// The sealed tables of what `input` prints.
pub fn tables(input: &ReportInput) -> Result<BTreeMap<String, SealedTable>, ReportError> {
    Ok(printed_rows(input)?
        .iter()
        .map(|(name, rows)| (name.clone(), SealedTable::of(rows)))
        .collect())
}
