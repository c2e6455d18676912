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
    /// The exhibit's own settings: ids, marking, paper, the question and the summary.
    #[serde(default)]
    pub settings: ReportSettings,
    /// The commit the producing tool was built from ("unknown" when not built from git).
    #[serde(default)]
    pub build: String,
    /// The case's seed nodes and where each came from (the scope).
    #[serde(default)]
    pub seeds: Vec<ReportSeed>,
    /// One entry per transaction on the graph, hop by hop: the narrative.
    #[serde(default)]
    pub hops: Vec<ReportHop>,
    /// Data sources, heuristics and their measured error rates, the tracing model.
    #[serde(default)]
    pub method: ReportMethod,
    /// The audit log without its `export` entries, oldest first.
    #[serde(default)]
    pub audit: Vec<ReportAuditEntry>,
    /// What the case does not hold: paging limits, incomplete histories, unresolved outputs.
    #[serde(default)]
    pub coverage: ReportCoverage,
    /// The case's content hash and audit-log head, printed in the "Integrity" chapter and
    /// sealed into the PDF (see `pdfa`); `None` leaves the chapter out.
    #[serde(default)]
    pub integrity: Option<crate::pdfa::ReportIntegrity>,
    /// The analyst's story steps, in story order: numbered figures after the money-flow
    /// ones. Absent from the JSON when empty, so settings hashes of earlier exhibits hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub story: Vec<crate::ReportStoryStep>,
    /// The sensitivity annex's findings; printed when `settings.sensitivity` is set. Absent
    /// from the JSON when `None`, so settings hashes of earlier exhibits hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<crate::ReportSensitivity>,
    /// The case's EVM (account-model) data: transfers appendix, narrative, traces, coverage.
    /// Absent from the JSON when the case has none, so settings hashes of earlier exhibits hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evm: Option<crate::ReportEvm>,
}

/// Paper size of the exhibit.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (215.9 × 279.4 mm).
    Letter,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }

    /// `a4` or `letter`, as the command line spells it.
    pub fn parse(text: &str) -> Option<Paper> {
        match text.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

/// The classification marking printed when the caller sets none.
pub const DEFAULT_CLASSIFICATION: &str = "RESTRICTED — LAW ENFORCEMENT";

/// What the examiner sets for one exhibit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportSettings {
    /// The exhibit id; empty means "<case id>-EX1".
    #[serde(default)]
    pub exhibit_id: String,
    /// The marking on every page; empty means [`DEFAULT_CLASSIFICATION`].
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub paper: Paper,
    /// The question the examination answers.
    #[serde(default)]
    pub question: Option<String>,
    /// The analyst's summary of findings.
    #[serde(default)]
    pub summary: Option<String>,
    /// Optional chapters left out (see [`crate::Section`]); the mandatory ones cannot be.
    /// Absent from the JSON when empty, so settings hashes of earlier exhibits hold.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub omit: std::collections::BTreeSet<crate::Section>,
    /// Print the sensitivity annex (the caller fills [`ReportInput::sensitivity`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitivity: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A node the analyst started from, and where it came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportSeed {
    pub node_id: String,
    /// Who added it and when (from the audit log), and the source that answered.
    pub origin: String,
}

/// An address and an exact amount in satoshi, on one side of a transaction.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportLeg {
    /// The address, or a description such as "coinbase" or "no address (op_return)".
    pub address: String,
    pub amount_sat: u64,
    /// The fiat value, with its rate and source, when a rate is known.
    #[serde(default)]
    pub fiat: Option<String>,
}

/// One transaction of the narrative, with everything a claim about it cites.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportHop {
    /// Transactions away from the seeds.
    pub hop: u32,
    pub txid: String,
    pub block_height: Option<u64>,
    /// Unix seconds.
    pub block_time: Option<i64>,
    pub inputs: Vec<ReportLeg>,
    pub outputs: Vec<ReportLeg>,
    pub fee_sat: Option<u64>,
    /// What the analysis inferred about it (CoinJoin verdict, change output), if anything.
    #[serde(default)]
    pub inferences: Vec<String>,
    /// The rate the legs' fiat values use, with its source and time, or why there is none.
    #[serde(default)]
    pub valuation: Option<String>,
    /// The raw response it was parsed from.
    pub source_id: String,
}

/// One heuristic or detector: whether it ran, what it does, with which parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportHeuristic {
    pub name: String,
    pub on: bool,
    pub definition: String,
    pub parameters: String,
    /// 0–100, as the engine weighs it.
    pub confidence: Option<u8>,
}

/// One measured error-rate row of `tracebench validate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportValidationRow {
    /// `coinjoin` or `change`.
    pub group: String,
    pub name: String,
    pub dataset: String,
    pub synthetic: bool,
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
    /// Change only: the case lacked the data the heuristic needs.
    #[serde(default)]
    pub unknown: u64,
    /// Change only: the heuristic does not apply.
    #[serde(default)]
    pub not_applicable: u64,
    pub precision: String,
    pub recall: String,
}

/// How far one detector or heuristic is validated.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportValidationCoverage {
    pub name: String,
    /// `real`, `synthetic-only` or `none`.
    pub validated_on: String,
    pub note: String,
}

/// The methodology section's data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportMethod {
    /// Chains the case holds data of, and what the tool supports.
    pub chains: Vec<String>,
    /// The sources the case's raw responses came from (source id and endpoint base).
    pub sources: Vec<String>,
    /// The clustering profile, e.g. "conservative".
    pub profile: String,
    pub heuristics: Vec<ReportHeuristic>,
    /// Datasets the error rates were measured on: "name: n txs (SYNTHETIC)".
    pub datasets: Vec<String>,
    pub validation: Vec<ReportValidationRow>,
    pub validation_coverage: Vec<ReportValidationCoverage>,
    /// Transactions excluded from clustering as CoinJoins, and those the analyst vetoed.
    pub coinjoins: Vec<String>,
    pub vetoed: Vec<String>,
    /// How fiat values were found, or why there are none.
    pub valuation: String,
}

/// One entry of the audit-log excerpt.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportAuditEntry {
    pub seq: i64,
    /// RFC 3339 UTC.
    pub at_utc: String,
    pub user: String,
    pub action: String,
    pub detail: String,
    pub hash: String,
}

/// What the case does not cover.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportCoverage {
    /// Most history pages fetched per address.
    pub history_page_limit: usize,
    /// Addresses whose history was fetched to the end.
    pub complete_histories: usize,
    /// Addresses of the case whose history was not fetched, or not to the end, sorted.
    pub incomplete_histories: Vec<String>,
    /// Outputs `txid:vout` (with address and amount) not known to be spent within the case.
    pub unresolved_outputs: Vec<String>,
    /// Transactions the case holds that are not on the graph.
    pub off_graph_txs: usize,
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
    /// For each address but the first, the merge that joined it to the cluster.
    #[serde(default)]
    pub members: Vec<ReportMember>,
}

/// How one address came into its cluster: the merge that first reached it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportMember {
    pub address: String,
    /// The member it was linked to.
    pub via: String,
    pub txid: String,
    pub heuristic: String,
    pub confidence: u8,
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
