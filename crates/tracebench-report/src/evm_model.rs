//! The report model of a case's EVM (account-model) data: the transfers appendix, the
//! hop-by-hop statements about EVM transfers, the account-model traces and the EVM coverage.
//!
//! Amounts are the exact base-unit integers as decimal text (uint256 does not fit a `u64`), with
//! the asset's symbol and decimals when the case knows them; nothing here is a float.

use serde::{Deserialize, Serialize};

/// Everything the report states about the case's EVM data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvm {
    /// Every account transfer of the case, by chain and then in chain order (block, position in
    /// the block, log index, trace index).
    pub transfers: Vec<ReportEvmTransfer>,
    /// Transactions the case holds that failed on chain: they moved no value.
    #[serde(default)]
    pub failed: Vec<ReportEvmFailedTx>,
    /// Account-model traces the narrative states (one per EVM seed address and asset).
    #[serde(default)]
    pub traces: Vec<ReportEvmTrace>,
    #[serde(default)]
    pub coverage: ReportEvmCoverage,
}

/// One value movement on an EVM chain: an ERC-20 `Transfer` log, the native value of a
/// transaction, or the value of a successful internal call.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvmTransfer {
    /// CAIP-2 `eip155:<id>`.
    pub chain: String,
    /// The chain's name, e.g. "Ethereum".
    pub chain_name: String,
    /// `0x` + 64 hex digits.
    pub txid: String,
    /// `token`, `native` or `internal`.
    pub kind: String,
    /// The log index of a token transfer.
    pub log_index: Option<u32>,
    /// The call frame's position in the trace (0 = the top-level call) of native and internal
    /// value.
    pub trace_index: u32,
    pub block_height: u64,
    /// Unix seconds (UTC).
    pub block_time: i64,
    /// EIP-55 checksummed.
    pub from: String,
    pub to: String,
    /// CAIP-19 asset id.
    pub asset: String,
    /// ETH, USDT, …; the contract's short form when the token never said.
    pub symbol: String,
    /// `None` when the token's decimals are not known.
    pub decimals: Option<u32>,
    /// The exact amount in base units, decimal text.
    pub amount_base: String,
    /// The transaction's status as the case holds it ("succeeded", or why it is not known).
    pub status: String,
    /// The fiat value with its rate and source, or why there is none ("no rate …").
    pub valuation: String,
    /// The hop of its transaction node on the graph, `None` when not drawn.
    pub hop: Option<u32>,
    /// The raw response it was parsed from: source id and SHA-256 (see the provenance
    /// appendix).
    pub source_id: String,
    pub raw_sha256: String,
}

impl ReportEvmTransfer {
    /// The transfer's id as account-model tracing names it:
    /// `eip155:<id>:<txhash>:<logIndex>` for a token transfer, `…:call:<traceIndex>` otherwise.
    pub fn id(&self) -> String {
        match (self.kind.as_str(), self.log_index) {
            ("token", Some(log)) => format!("{}:{}:{log}", self.chain, self.txid),
            _ => format!("{}:{}:call:{}", self.chain, self.txid, self.trace_index),
        }
    }
}

/// A transaction that failed on chain (reverted): it moved no value, whatever it attempted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvmFailedTx {
    pub chain: String,
    pub chain_name: String,
    pub txid: String,
    pub block_height: u64,
    pub block_time: i64,
    pub from: String,
    /// `None` for a contract creation.
    pub to: Option<String>,
    pub source_id: String,
    pub raw_sha256: String,
}

/// One account-model trace: the taint model, its start and what reached where.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvmTrace {
    /// `haircut`, `fifo` or `poison`.
    pub model: String,
    /// `forward` or `backward`.
    pub direction: String,
    pub max_hops: u32,
    pub chain: String,
    /// The start: an address (EIP-55) or a transfer id.
    pub start: String,
    pub asset: String,
    pub symbol: String,
    pub decimals: Option<u32>,
    /// Base units seeded at the start.
    pub seeded: String,
    /// The transfers the taint passed along, by hop and chain order.
    pub steps: Vec<ReportEvmTraceStep>,
    /// Taint left at addresses whose later transfers are not in the case.
    pub unresolved: String,
    /// Taint passed on beyond the hop limit (counted, not followed).
    pub held_at_hop_limit: String,
    /// seeded = unresolved + held at the hop limit.
    pub balanced: bool,
}

/// One tainted transfer of a trace.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvmTraceStep {
    pub hop: u32,
    /// The transfer id (see [`ReportEvmTransfer::id`]).
    pub transfer: String,
    pub txid: String,
    pub block_height: u64,
    pub block_time: i64,
    pub from: String,
    pub to: String,
    /// The whole transfer, base units.
    pub amount: String,
    /// Its tainted part, base units.
    pub tainted: String,
    /// The fiat value of the tainted part, or why there is none.
    pub valuation: String,
}

/// What the case's EVM data does not cover.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportEvmCoverage {
    /// How address histories are paged (rows per page, the API's window, requests per list).
    pub paging: String,
    /// Address histories fetched: "chain address: complete|incomplete, n transaction(s)".
    pub histories: Vec<String>,
    /// Block ranges the Etherscan requests asked for, per chain, address and list.
    pub block_ranges: Vec<String>,
    /// Account-model trace fetches the audit log records, with their fetch limit.
    pub trace_fetches: Vec<String>,
    /// `Transfer`-topic logs not decoded as ERC-20 transfers: "chain txid log n: reason".
    pub skipped_logs: Vec<String>,
}
