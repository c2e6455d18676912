//! Screening: which of these addresses carry a label, and from which source.

use serde::{Deserialize, Serialize};

use crate::category::Category;

/// A screened address that carries a label. One hit per label: an address with labels from
/// two sources is two hits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hit {
    /// The address as it was screened.
    pub address: String,
    /// The chain as the label's list named it.
    pub chain: String,
    pub category: Category,
    pub label: String,
    pub source: String,
    pub source_date: Option<String>,
    pub confidence: u8,
}

/// Reads a file of addresses: one per line; blank lines and `#` comments skipped.
pub fn read_addresses(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}
