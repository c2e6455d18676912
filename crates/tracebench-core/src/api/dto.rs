//! Types that cross the API boundary (to the app's UI and the CLI's JSON). TypeScript
//! definitions are generated from these into ui/src/bindings (see the `bindings` test).

use super::ApiError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "NewCase.ts")]
pub struct NewCase {
    pub title: String,
    pub investigator: String,
    pub agency: String,
    /// The Bitcoin network the case is on (mainnet when left out); every address added is
    /// checked against it and every source must serve it.
    #[serde(default)]
    pub network: crate::chain::BtcNetwork,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "CaseInfo.ts")]
pub struct CaseInfo {
    pub case_id: String,
    pub title: String,
    pub investigator: String,
    pub agency: String,
    pub created_utc: String,
    /// CAIP-2 chain id.
    pub chain: String,
    pub path: String,
    /// True when any data comes from tracebench-sim: everything built from it is marked
    /// "SYNTHETIC – TRAINING DATA".
    pub synthetic: bool,
    /// The connected source, or `None` when the case is open offline.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "NodeKind.ts")]
pub enum NodeKind {
    Address,
    Transaction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "NoteView.ts")]
pub struct NoteView {
    pub id: i64,
    pub target: String,
    pub text: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "NodeView.ts")]
pub struct NodeView {
    /// `btc:addr:<address>` or `btc:tx:<txid>`.
    pub id: String,
    pub kind: NodeKind,
    /// The full address or txid.
    pub label: String,
    /// A short form for the canvas: first 8 and last 4 characters.
    pub short: String,
    /// Saved canvas position, else the core's left-to-right flow layout.
    pub x: f64,
    pub y: f64,
    /// True when the position was saved by the analyst.
    pub pinned: bool,
    /// Hops from the case's seed nodes, when connected to one.
    pub hop: Option<u32>,
    /// Block time (tx) or first seen (address), unix seconds UTC.
    pub time: Option<i64>,
    pub notes: Vec<NoteView>,
    /// False when the case lacks data for this node (its history or the tx itself).
    pub complete: bool,
    /// The entity (`entity:<n>`) this node was grouped into, if any.
    pub entity: Option<String>,
    /// Hidden by the analyst: still in the case, not drawn.
    pub hidden: bool,
    /// For an address: its balance as the case knows it, per asset, with its basis
    /// ([`super::view_balance`]); empty for a transaction.
    #[serde(default)]
    pub balance: Vec<super::view_balance::BalanceView>,
}

/// A named group of canvas nodes (drawn as a compound node), with its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "EntityView.ts")]
pub struct EntityView {
    /// `entity:<n>`.
    pub id: String,
    pub name: String,
    /// One of `exchange`, `service`, `mixer`, `victim`, `suspect`, `merchant`, `other`.
    pub category: String,
    /// Collapsed: the members are drawn as the one entity node.
    pub collapsed: bool,
    /// Member node ids, sorted.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "EdgeView.ts")]
pub struct EdgeView {
    pub id: String,
    pub source: String,
    pub target: String,
    /// Base units (satoshi).
    #[ts(type = "number")]
    pub amount_sat: u64,
    /// "0.12345678 BTC".
    pub amount: String,
    #[ts(type = "number | null")]
    pub time: Option<i64>,
    /// The analyst's notes on this edge, oldest first.
    #[serde(default)]
    pub notes: Vec<NoteView>,
    /// The asset moved: `BTC` on Bitcoin, the CAIP-19 id on EVM chains
    /// (`eip155:1/slip44:60`, `eip155:1/erc20:0x…`). Sums never mix assets.
    #[serde(default)]
    pub asset: String,
    /// The asset's symbol (`BTC`, `ETH`, `USDT`).
    #[serde(default)]
    pub symbol: String,
    /// Decimals of the asset's unit (8 for BTC, 18 for ether); `None` for a token that never
    /// said.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The exact amount in base units (satoshi, wei, token units) as decimal text: a 256-bit
    /// token amount does not fit `amount_sat` (which is 0 on EVM edges).
    #[serde(default)]
    pub amount_base: String,
    /// The fiat value by the daily-UTC-close rule, with its rate and source, when the case holds
    /// a rate for the transfer's date ([`super::view_fiat`]).
    #[serde(default)]
    pub fiat: Option<super::view_fiat::FiatValue>,
    /// Why there is no fiat value ("no USD daily close on 2024-05-03"); empty when `fiat` is set.
    #[serde(default)]
    pub no_rate: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "GraphView.ts")]
pub struct GraphView {
    pub case: CaseInfo,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
    /// The analyst's entities, by id.
    pub entities: Vec<EntityView>,
    /// Free-text callouts placed on the canvas, by id.
    #[serde(default)]
    pub callouts: Vec<super::annotation::CalloutView>,
    /// The storyboard's steps, in story order.
    #[serde(default)]
    pub story: Vec<super::annotation::StoryStepView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AddOutcome.ts")]
pub struct AddOutcome {
    pub node_id: String,
    /// Transactions shown with the node because they join it to nodes already on the canvas.
    #[serde(default)]
    pub connected: Vec<String>,
    pub graph: GraphView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ExpandOutcome.ts")]
pub struct ExpandOutcome {
    /// Nodes newly shown by this expansion, sorted.
    pub added: Vec<String>,
    /// What could not be expanded because the case lacks it and no source is connected.
    pub missing: Vec<String>,
    /// What the source failed to give, each with why; everything else is shown (a partial
    /// failure keeps what succeeded).
    #[serde(default)]
    pub failed: Vec<String>,
    pub graph: GraphView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "NodePosition.ts")]
pub struct NodePosition {
    pub id: String,
    pub x: f64,
    pub y: f64,
}

impl NodePosition {
    /// Refuses a position that is not a finite number, naming the node (before anything is saved).
    pub fn check_all(positions: &[NodePosition]) -> Result<(), ApiError> {
        match positions
            .iter()
            .find(|p| !p.x.is_finite() || !p.y.is_finite())
        {
            Some(p) => Err(ApiError::Report(format!(
                "position of {} is not a finite number",
                p.id
            ))),
            None => Ok(()),
        }
    }
}

/// What an import of exchange records did. With any invalid line nothing is imported:
/// `rows` is 0 and `invalid` names each bad line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ExchangeImport.ts")]
pub struct ExchangeImport {
    /// Records imported.
    pub rows: usize,
    /// Imported records whose address or txid is in the case.
    pub linked: usize,
    /// `(line, reason)`, 1-based lines of the file (the header is line 1).
    pub invalid: Vec<(usize, String)>,
    /// `exchange:<source>`: the provenance source id of the stored file.
    pub source_id: String,
    /// SHA-256 of the imported file's bytes.
    pub sha256: String,
}

/// One deposit or withdrawal an exchange reported, as off-chain evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ExchangeRecordView.ts")]
pub struct ExchangeRecordView {
    /// The exchange, as named on import.
    pub source: String,
    pub account_id: String,
    pub address: String,
    pub txid: String,
    #[ts(type = "number")]
    pub amount_sat: u64,
    /// RFC 3339 UTC.
    pub time_utc: String,
    /// `deposit` or `withdrawal`.
    pub direction: String,
    /// True when the address or the txid is in the case.
    pub on_chain: bool,
}
