//! The report's seal: the machine-readable manifest of the figures the report states, the
//! settings hash, and the document id derived from them, so `tracebench report verify` can
//! re-derive every figure from the case and compare.
//!
//! * **Settings hash**: SHA-256 (hex) of the report model as rendered — the JSON of the
//!   [`ReportInput`] (serde field names, keys in byte order) without `integrity` and
//!   `generated_at`: every section, option, setting and third-party input (labels, exposures).
//! * **Document id**: the first 16 bytes of SHA-256 over the length-prefixed fields
//!   (`tracebench-report-docid/1`, content hash or "", settings hash, generation time in unix
//!   seconds, decimal) — each field its UTF-8 bytes preceded by their length as an 8-byte
//!   big-endian integer. It is the trailer `/ID` (both halves) and, as a UUID, the XMP
//!   `xmpMM:DocumentID` and `xmpMM:InstanceID`.
//! * **Manifest**: [`ReportManifest`] as compact JSON with every non-ASCII character escaped
//!   (`\uXXXX`), stored in the XMP packet as `tbr:manifest`, its SHA-256 as
//!   `tbr:manifestSHA256` and printed on the "Integrity" page. Format 3 seals every figure the
//!   printed chapters state, as row digests (see `sealed` and `stated`); format 2 sealed the
//!   row tables only; format 1 held every transaction row, cluster and note of the case in
//!   full.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::sealed::SealedTable;

use crate::model::{ReportCluster, ReportInput, ReportNote, ReportTx};
use crate::ReportError;

/// `format` of a manifest this build writes.
pub const MANIFEST_FORMAT: &str = "tracebench-report-manifest/3";

/// `format` of the manifests that sealed only the row tables (transactions, clusters, notes,
/// narrative hops, story steps, figure elements, EVM transfers and traces); `report verify`
/// still reads them and compares those tables only.
pub const MANIFEST_FORMAT_2: &str = "tracebench-report-manifest/2";

/// `format` of the first manifests, which held every transaction row, cluster and note of the
/// case in full whatever the exhibit printed; `report verify` still reads them.
pub const MANIFEST_FORMAT_1: &str = "tracebench-report-manifest/1";

/// The case-derived hashes a report prints, filled in by the engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportIntegrity {
    /// SHA-256 (hex) of the case's canonical content dump (export entries left out).
    pub content_hash: String,
    /// Hash of the newest audit-log entry that is not an export (`None` for an empty log).
    pub audit_head: Option<String>,
    /// Sequence number of that entry.
    pub audit_seq: Option<i64>,
}

/// Every figure the report states that the case determines, as the report states it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportManifest {
    pub format: String,
    pub case_id: String,
    /// Unix seconds of the generation time (`SOURCE_DATE_EPOCH` when set).
    pub generated_unix: i64,
    pub content_hash: Option<String>,
    pub audit_head: Option<String>,
    pub audit_seq: Option<i64>,
    pub settings_hash: String,
    /// 32 upper-case hex digits: the trailer /ID.
    pub document_id: String,
    /// The optional chapters the exhibit left out (format 2): `report verify` derives the same
    /// chapters.
    #[serde(default)]
    pub omit: BTreeSet<crate::Section>,
    /// The printed chapters' figures, as sealed tables by name (format 2; see `sealed`).
    #[serde(default)]
    pub tables: BTreeMap<String, SealedTable>,
    /// Format 1 only: every transaction row of the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<ReportTx>,
    /// Format 1 only: every cluster of the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<ReportCluster>,
    /// Format 1 only: every note of the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<ReportNote>,
    /// The sensitivity annex's findings, when the exhibit prints the annex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<crate::ReportSensitivity>,
    /// Format 3: the exposure analyses the printed exposure chapter holds (what was asked,
    /// not the figures, which the `exposure` table seals), so `report verify` re-runs them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<ExposureAsked>,
}

/// One exposure analysis the report printed: its address and parameters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExposureAsked {
    pub address: String,
    /// `outgoing` or `incoming`.
    pub direction: String,
    pub hops: u32,
    pub decay_percent: Option<u32>,
}

/// The manifest of one render, its exact bytes and their hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Seal {
    pub manifest: ReportManifest,
    /// The manifest as embedded: compact JSON, ASCII only.
    pub manifest_json: String,
    /// SHA-256 (hex) of `manifest_json`.
    pub manifest_sha256: String,
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// The settings hash of `input` (see the module documentation).
pub fn settings_hash(input: &ReportInput) -> Result<String, ReportError> {
    let mut model = serde_json::to_value(input).map_err(|e| ReportError::Seal(e.to_string()))?;
    if let Some(map) = model.as_object_mut() {
        map.remove("integrity");
        map.remove("generated_at");
    }
    let bytes = serde_json::to_vec(&model).map_err(|e| ReportError::Seal(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// The document id (32 upper-case hex digits) for these inputs.
pub fn document_id(content_hash: Option<&str>, settings_hash: &str, generated_unix: i64) -> String {
    let mut h = Sha256::new();
    field(&mut h, b"tracebench-report-docid/1");
    field(&mut h, content_hash.unwrap_or("").as_bytes());
    field(&mut h, settings_hash.as_bytes());
    field(&mut h, generated_unix.to_string().as_bytes());
    hex::encode_upper(&h.finalize()[..16])
}

/// JSON text with every non-ASCII character written as `\uXXXX` (UTF-16 units): still the
/// same JSON value, and safe in any XML packet.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

impl ReportManifest {
    /// The manifest of what `input` states, with its settings hash and document id.
    pub fn of(input: &ReportInput) -> Result<ReportManifest, ReportError> {
        let settings_hash = settings_hash(input)?;
        let integrity = input.integrity.as_ref();
        let content_hash = integrity.map(|i| i.content_hash.clone());
        let generated_unix = input.generated_at.timestamp();
        Ok(ReportManifest {
            format: MANIFEST_FORMAT.to_string(),
            case_id: input.case.case_id.clone(),
            generated_unix,
            document_id: document_id(content_hash.as_deref(), &settings_hash, generated_unix),
            content_hash,
            audit_head: integrity.and_then(|i| i.audit_head.clone()),
            audit_seq: integrity.and_then(|i| i.audit_seq),
            settings_hash,
            omit: input.settings.omit.clone(),
            tables: super::sealed::tables(input)?,
            transactions: Vec::new(),
            clusters: Vec::new(),
            notes: Vec::new(),
            sensitivity: if input.settings.sensitivity {
                input.sensitivity.clone()
            } else {
                None
            },
            exposures: if crate::sections::shown(&input.settings.omit, crate::Section::Exposure) {
                input
                    .exposures
                    .iter()
                    .map(|e| ExposureAsked {
                        address: e.address.clone(),
                        direction: e.direction.clone(),
                        hops: e.hops,
                        decay_percent: e.decay_percent,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
    }
}

impl Seal {
    pub fn of(input: &ReportInput) -> Result<Seal, ReportError> {
        let manifest = ReportManifest::of(input)?;
        let json =
            serde_json::to_string(&manifest).map_err(|e| ReportError::Seal(e.to_string()))?;
        let manifest_json = ascii_json(&json);
        let manifest_sha256 = hex::encode(Sha256::digest(manifest_json.as_bytes()));
        Ok(Seal {
            manifest,
            manifest_json,
            manifest_sha256,
        })
    }
}
