//! The plain report model: everything a report shows, filled in by the engine from a case.
//!
//! Amounts are integer satoshi; times are unix seconds or RFC 3339 strings exactly as the
//! case store holds them. Nothing here is derived: the renderer only formats and draws.

use serde::{Deserialize, Serialize};

/// Everything one PDF exhibit contains.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportInput {
    pub case: ReportCase,
    /// Name and version of the producing tool, e.g. "Tracebench 0.1.0".
    pub tool: String,
    /// The moment the report is generated; the caller derives it from `SOURCE_DATE_EPOCH`
    /// when set. Every date inside the PDF comes from this value.
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// True for synthetic (training) data: every page then carries "SYNTHETIC – TRAINING DATA".
    pub synthetic: bool,
    pub graph: ReportGraph,
    pub transactions: Vec<ReportTx>,
    pub clusters: Vec<ReportCluster>,
    pub provenance: Vec<ReportProvenance>,
    pub notes: Vec<ReportNote>,
    /// Third-party and off-chain attributions of the case's addresses (label lists, exchange
    /// records), each with its source: the attribution register.
    #[serde(default)]
    pub attributions: Vec<ReportAttribution>,
    /// Exposure analyses to include; the section is left out when empty.
    #[serde(default)]
    pub exposures: Vec<ReportExposure>,
    /// Which label-pack versions the case was screened against, as one line.
    #[serde(default)]
    pub label_packs: Option<String>,
}

/// The case the exhibit belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportCase {
    pub case_id: String,
    pub title: String,
    pub investigator: String,
    pub agency: String,
    /// RFC 3339.
    pub created_utc: String,
}

/// The money-flow graph to draw.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReportGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// What a graph node stands for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Address,
    Transaction,
}

/// One address or transaction on the graph.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GraphNode {
    /// `"btc:addr:<address>"` or `"btc:tx:<txid>"`.
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// Unix seconds: the block time of a transaction, the first-seen time of an address.
    pub time: Option<i64>,
    /// Transactions away from the case's seed nodes.
    pub hop: u32,
    /// Saved canvas position; takes precedence over the computed layout.
    pub position: Option<(f64, f64)>,
}

/// A directed flow of value between two nodes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    pub amount_sat: u64,
}

/// One transaction row of the table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportTx {
    pub txid: String,
    pub block_height: Option<u64>,
    /// Unix seconds.
    pub block_time: Option<i64>,
    pub input_sat: u64,
    pub output_sat: u64,
    pub fee_sat: Option<u64>,
    /// The raw response this row was parsed from (see the provenance appendix).
    pub source_id: String,
}

/// A heuristic inference grouping addresses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportCluster {
    pub id: String,
    pub heuristic: String,
    pub addresses: Vec<String>,
}

/// Where one raw response came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportProvenance {
    pub source_id: String,
    pub endpoint: String,
    /// The request, with secrets already replaced by `***`.
    pub request: String,
    /// RFC 3339 UTC.
    pub retrieved_at: String,
    /// Hex SHA-256 of the exact response bytes.
    pub sha256: String,
}

/// An analyst's note (opinion, not fact).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportNote {
    pub target: String,
    pub text: String,
    pub created_at: String,
}

/// One attribution of an address: who says whom it belongs to, and how sure.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportAttribution {
    pub address: String,
    pub label: String,
    pub category: String,
    /// The list, pack or records the attribution comes from.
    pub source: String,
    /// When the source said so, when known.
    pub source_date: Option<String>,
    /// 0–100.
    pub confidence: u8,
}

/// Exposure of one address to categories of counterparties.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportExposure {
    pub address: String,
    /// `outgoing` (where funds went) or `incoming` (where they came from).
    pub direction: String,
    /// Satoshi traced from the address (the 100 % the shares refer to).
    pub total_sat: u64,
    /// The taint model, e.g. `haircut`.
    pub model: String,
    pub hops: u32,
    pub decay_percent: Option<u32>,
    pub categories: Vec<ReportExposureCategory>,
}

/// Exposure to one category.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportExposureCategory {
    pub category: String,
    /// Satoshi reaching the category in one hop.
    pub direct_sat: u64,
    /// Satoshi reaching it in more than one hop.
    pub indirect_sat: u64,
    /// Share of `total_sat`, e.g. "12.34%".
    pub share: String,
    /// The nearest hop at which the category was reached.
    pub min_hops: u32,
    /// The labelled addresses reached, sorted.
    pub via: Vec<String>,
}
