//! The label record, the packs labels come in, and what an import reports.

use serde::{Deserialize, Serialize};

use crate::category::Category;

/// One attribution of an address, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The address as the source wrote it.
    pub address: String,
    /// The chain as the source named it ("XBT", "ETH", "USDT", …).
    pub chain: String,
    /// The CAIP-2 id of that chain, when the name identifies one network.
    pub caip2: Option<String>,
    pub label: String,
    pub category: Category,
    /// Who says so (list name, URL or analyst).
    pub source: String,
    /// When the source said so (ISO date), when known.
    pub source_date: Option<String>,
    /// 0–100.
    pub confidence: u8,
    pub notes: String,
}

/// A label as stored: imported in a pack, or entered by an analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLabel {
    #[serde(flatten)]
    pub label: Label,
    /// `analyst` for analyst labels, else the pack id.
    pub pack_id: String,
    pub pack_version: String,
    pub analyst: bool,
}

/// Import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Tagpack,
    Csv,
    Ofac,
    Etherscan,
    Ransomware,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Tagpack => "tagpack",
            Format::Csv => "csv",
            Format::Ofac => "ofac",
            Format::Etherscan => "etherscan",
            Format::Ransomware => "ransomware",
        }
    }
}

/// A versioned set of labels from one source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    /// Stable id: `ofac-sdn:XBT`, `tagpack:ransomware`, … A newer file replaces the pack.
    pub id: String,
    /// `<source date>.<first 8 hex digits of the file's SHA-256>`.
    pub version: String,
    pub format: Format,
    pub title: String,
    pub source: String,
    pub source_date: String,
    pub licence: String,
    pub sha256: String,
    /// Part of the built-in pack shipped with Tracebench.
    pub builtin: bool,
}

/// An entry of an import file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidLine {
    /// 1-based line in the file.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for InvalidLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A new label whose address already carries a label of another category. Both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub line: usize,
    pub address: String,
    pub label: String,
    pub category: Category,
    pub source: String,
    /// The labels already there: `(label, category, source)`.
    pub existing: Vec<(String, Category, String)>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub pack_id: String,
    pub pack_version: String,
    /// The version this import replaced, when the pack was there before.
    pub replaced_version: Option<String>,
    /// Entries read from the file.
    pub entries: usize,
    /// Labels added.
    pub imported: usize,
    /// Entries already in the store (same address, chain, label, category and source) or
    /// repeated in the file; not added again.
    pub duplicates: usize,
    /// Entries whose address already had a label of another category; added, both kept.
    pub conflicts: Vec<Conflict>,
    /// Addresses the replaced version listed and this one does not (e.g. delisted by OFAC).
    pub dropped: Vec<String>,
    /// A file with invalid lines imports nothing, so this is empty unless the caller chose to
    /// skip them ([`crate::Parsed::skip_invalid`], `--skip-invalid`): then it lists them.
    pub invalid: Vec<InvalidLine>,
}
