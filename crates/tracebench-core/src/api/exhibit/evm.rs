//! The report's EVM part, from the case: every account transfer (the transfers appendix, rule
//! as for Bitcoin: every transfer the case holds), the failed transactions, the EVM nodes and
//! edges of the canvas for the figures, an account-model trace from each EVM seed address for
//! the narrative (haircut, forward, [`TRACE_HOPS`] hops: the parameters of the sensitivity
//! annex's trace), fiat values by the price module's rule, and the EVM coverage.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;
use rusqlite::params;
use tracebench_report::{
    GraphEdge, GraphNode, ReportEvm, ReportEvmCoverage, ReportEvmFailedTx, ReportEvmTrace,
    ReportEvmTraceStep, ReportEvmTransfer, ReportGraph,
};

use crate::address::EvmAddress;
use crate::analysis::account_trace::{self, AccountTraceError};
use crate::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use crate::api::dto::{CaseInfo, GraphView};
use crate::api::view_evm::{self, AssetInfo, EvmNode};
use crate::chain::EvmChain;
use crate::model::{AccountTransfer, AccountTransferKind};
use crate::price::{self, PriceSeries};
use crate::source::evm::Paging;
use crate::store::{Case, CaseError, StoredRaw};

use super::super::ApiError;

/// Hops of the narrative's account-model traces (the sensitivity annex's trace depth).
pub const TRACE_HOPS: u32 = 6;

fn report_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::Report(e.to_string())
}

/// EIP-55 form of a lower-case address (as stored), or the text itself.
fn checksummed(address: &str) -> String {
    EvmAddress::parse(address)
        .map(|a| a.checksummed())
        .unwrap_or_else(|_| address.to_string())
}

/// The EVM chains the case holds transactions or transfers of, by chain id.
fn chains(case: &Case) -> Result<Vec<EvmChain>, ApiError> {
    let ids = chain_ids(case)?;
    let mut out: BTreeSet<EvmChain> = BTreeSet::new();
    for id in ids {
        out.insert(EvmChain::parse(&id).map_err(report_error)?);
    }
    Ok(out.into_iter().collect())
}

fn chain_ids(case: &Case) -> Result<Vec<String>, CaseError> {
    let mut st = case.conn().prepare(
        "SELECT chain FROM evm_tx UNION SELECT chain FROM account_transfer
         UNION SELECT chain FROM evm_skipped_log",
    )?;
    let ids = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

/// The raw response of every account transfer of `chain`, by (txid, kind, idx).
fn transfer_raws(
    case: &Case,
    chain: &str,
) -> Result<BTreeMap<(String, String, i64), i64>, CaseError> {
    let mut st = case
        .conn()
        .prepare("SELECT txid, kind, idx, raw_id FROM account_transfer WHERE chain = ?1")?;
    let rows = st
        .query_map(params![chain], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The raw response of every EVM transaction of `chain`, by txid.
fn tx_raws(case: &Case, chain: &str) -> Result<BTreeMap<String, i64>, CaseError> {
    let mut st = case
        .conn()
        .prepare("SELECT txid, raw_id FROM evm_tx WHERE chain = ?1")?;
    let rows = st
        .query_map(params![chain], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The stored `idx` of a transfer: its log index for a token, its trace index otherwise.
fn idx(t: &AccountTransfer) -> i64 {
    match (t.kind, t.log_index) {
        (AccountTransferKind::Token, Some(l)) => i64::from(l),
        _ => i64::from(t.trace_index),
    }
}

/// Fiat values of EVM assets by the price module's rule (daily UTC close on the block's date).
/// Only native coins can have a series (the price import refuses tokens): an ether transfer is
/// valued by the series of its CAIP-19 id or, failing that, of `ETH`.
struct Valuer<'c> {
    case: &'c Case,
    series: Vec<PriceSeries>,
}

impl Valuer<'_> {
    /// The series key and currency valuing `asset`, if the case holds one.
    fn series_for(&self, asset: &str) -> Option<(String, String)> {
        let mut keys = vec![asset.to_string()];
        if asset.ends_with("/slip44:60") {
            keys.push("ETH".to_string());
        }
        keys.into_iter()
            .filter(|k| price::asset_decimals(k).is_some())
            .find_map(|k| {
                self.series
                    .iter()
                    .find(|s| s.asset == k)
                    .map(|s| (k.clone(), s.currency.clone()))
            })
    }

    /// "Fiat value: …" with the rate and its source, or "Fiat value: no rate (…)".
    fn value(&self, asset: &AssetInfo, amount: &str, time: i64) -> Result<String, ApiError> {
        let Some((key, currency)) = self.series_for(&asset.id) else {
            return Ok(format!(
                "Fiat value: no rate (the case holds no price series for {} ({})).",
                asset.symbol, asset.id
            ));
        };
        let date = DateTime::from_timestamp(time, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| format!("unix {time}"));
        Ok(
            match price::value_transfer(self.case, &key, amount, time, &currency)
                .map_err(report_error)?
            {
                Some(v) => format!(
                    "Fiat value: {} {} at 1 {} = {} {} ({}, rate of {}, daily UTC close of \
                     {date}).",
                    v.fiat, v.currency, asset.symbol, v.rate, v.currency, v.source, v.rate_time_utc
                ),
                None => format!("Fiat value: no rate ({currency} daily close of {key} on {date})."),
            },
        )
    }
}

/// What the EVM part adds to a report: its model, and the methodology's chain lines and
/// valuation statement.
pub struct EvmPart {
    pub report: ReportEvm,
    pub chain_lines: Vec<String>,
    pub valuation: String,
}

/// The methodology's statement of how EVM transfers are valued.
const VALUATION: &str = "EVM transfers are stated exactly in the asset's units and in integer \
    base units. They are valued by the same rule where the case holds a price series for the \
    asset (a native coin by its CAIP-19 id, ether also by ETH); ERC-20 tokens have no series \
    (price files hold native assets only), so a token transfer says “no rate”, as does a day \
    without a rate.";

/// The report's EVM part; `None` when the case holds no EVM data.
pub fn part(
    case: &Case,
    raws: &[StoredRaw],
    graph: &ReportGraph,
) -> Result<Option<EvmPart>, ApiError> {
    let chains = chains(case)?;
    if chains.is_empty() {
        return Ok(None);
    }
    let raw_by_id: BTreeMap<i64, &StoredRaw> = raws.iter().map(|r| (r.id, r)).collect();
    let raw = |id: Option<i64>| -> (String, String) {
        id.and_then(|id| raw_by_id.get(&id))
            .map(|r| (r.source_id.clone(), r.sha256.clone()))
            .unwrap_or_else(|| ("(not recorded)".to_string(), "(not recorded)".to_string()))
    };
    let hop_of: BTreeMap<&str, u32> = graph.nodes.iter().map(|n| (n.id.as_str(), n.hop)).collect();
    let valuer = Valuer {
        case,
        series: case.price_series()?,
    };
    let canvas = case.canvas_nodes()?;
    let mut out = ReportEvm::default();
    let mut chain_lines = Vec::new();
    for chain in &chains {
        let caip2 = chain.caip2();
        let assets = view_evm::assets_of(case, *chain)?;
        let transfers = case.account_transfers(&caip2)?;
        let txs = case.evm_txs(&caip2)?;
        let t_raws = transfer_raws(case, &caip2)?;
        let x_raws = tx_raws(case, &caip2)?;
        let status: BTreeMap<&str, Option<bool>> =
            txs.iter().map(|t| (t.txid.as_str(), t.status)).collect();
        chain_lines.push(format!(
            "Chain covered: {} ({caip2}), account model: {} transfer(s), {} transaction(s) held",
            chain.name(),
            transfers.len(),
            txs.len()
        ));
        for t in &transfers {
            let asset = view_evm::asset_info(&assets, &t.asset);
            let tx_node = EvmNode::Tx {
                chain: *chain,
                txid: t.txid.clone(),
            }
            .id();
            let (source_id, raw_sha256) = raw(t_raws
                .get(&(t.txid.clone(), t.kind.as_str().to_string(), idx(t)))
                .copied());
            out.transfers.push(ReportEvmTransfer {
                chain: caip2.clone(),
                chain_name: chain.name().to_string(),
                txid: t.txid.clone(),
                kind: t.kind.as_str().to_string(),
                log_index: t.log_index,
                trace_index: t.trace_index,
                block_height: t.block_height,
                block_time: t.block_time,
                from: checksummed(&t.from),
                to: checksummed(&t.to),
                asset: asset.id.clone(),
                symbol: asset.symbol.clone(),
                decimals: asset.decimals,
                amount_base: t.amount.clone(),
                status: match status.get(t.txid.as_str()) {
                    Some(Some(true)) => "succeeded".to_string(),
                    Some(Some(false)) => "failed (a failed transaction moves nothing)".to_string(),
                    Some(None) => "not reported by the source (no receipt status)".to_string(),
                    None => "succeeded per the source's transfer list (the transaction itself \
                             was not fetched)"
                        .to_string(),
                },
                valuation: valuer.value(&asset, &t.amount, t.block_time)?,
                hop: hop_of.get(tx_node.as_str()).copied(),
                source_id,
                raw_sha256,
            });
        }
        for t in txs.iter().filter(|t| t.status == Some(false)) {
            let (source_id, raw_sha256) = raw(x_raws.get(&t.txid).copied());
            out.failed.push(ReportEvmFailedTx {
                chain: caip2.clone(),
                chain_name: chain.name().to_string(),
                txid: t.txid.clone(),
                block_height: t.block_height,
                block_time: t.block_time,
                from: checksummed(&t.from),
                to: t.to.as_deref().map(checksummed),
                source_id,
                raw_sha256,
            });
        }
        let seeds: Vec<String> = canvas
            .iter()
            .filter(|c| c.seed)
            .filter_map(|c| match EvmNode::parse(&c.node_id) {
                Some(EvmNode::Address { chain: c2, address }) if c2 == *chain => Some(address),
                _ => None,
            })
            .collect();
        for seed in seeds {
            out.traces
                .extend(traces(&valuer, &assets, &transfers, *chain, &seed)?);
        }
        for s in case.evm_skipped_logs(&caip2)? {
            out.coverage.skipped_logs.push(format!(
                "{caip2} {} log {}: {}",
                s.txid, s.log_index, s.reason
            ));
        }
    }
    out.coverage = coverage(case, raws, out.coverage.skipped_logs)?;
    Ok(Some(EvmPart {
        report: out,
        chain_lines,
        valuation: VALUATION.to_string(),
    }))
}

/// The haircut forward traces from `seed` (lower-case address), one per asset it received.
fn traces(
    valuer: &Valuer<'_>,
    assets: &BTreeMap<String, AssetInfo>,
    transfers: &[AccountTransfer],
    chain: EvmChain,
    seed: &str,
) -> Result<Vec<ReportEvmTrace>, ApiError> {
    let trace = match account_trace::trace_accounts(
        transfers,
        &TraceStart::Address(seed.to_string()),
        TaintModel::Haircut,
        TraceDirection::Forward,
        TRACE_HOPS,
    ) {
        Ok(t) => t,
        // A seed that never received anything in the case starts no trace.
        Err(AccountTraceError::UnknownAddress(_)) => return Ok(Vec::new()),
        Err(e) => return Err(report_error(e)),
    };
    let by_id: BTreeMap<String, &AccountTransfer> = transfers
        .iter()
        .map(|t| (account_trace::transfer_id(t), t))
        .collect();
    let mut out = Vec::new();
    for a in &trace.assets {
        let asset = view_evm::asset_info(assets, &a.asset);
        let mut steps = Vec::with_capacity(a.transfers.len());
        for s in &a.transfers {
            let (height, time) = by_id
                .get(&s.id)
                .map_or((0, 0), |t| (t.block_height, t.block_time));
            steps.push(ReportEvmTraceStep {
                hop: s.hop,
                transfer: s.id.clone(),
                txid: s.txid.clone(),
                block_height: height,
                block_time: time,
                from: checksummed(&s.from),
                to: checksummed(&s.to),
                amount: s.amount.clone(),
                tainted: s.tainted.clone(),
                valuation: valuer.value(&asset, &s.tainted, time)?,
            });
        }
        out.push(ReportEvmTrace {
            model: trace.model.as_str().to_string(),
            direction: match trace.direction {
                TraceDirection::Forward => "forward",
                TraceDirection::Backward => "backward",
            }
            .to_string(),
            max_hops: trace.max_hops,
            chain: chain.caip2(),
            start: checksummed(seed),
            asset: asset.id.clone(),
            symbol: asset.symbol.clone(),
            decimals: asset.decimals,
            seeded: a.conservation.seeded.clone(),
            steps,
            unresolved: a.conservation.unresolved.clone(),
            held_at_hop_limit: a.conservation.held_at_hop_limit.clone(),
            balanced: a.conservation.balanced,
        });
    }
    Ok(out)
}

/// The value of `key` in a URL query (`a=1&b=2`).
fn query_value<'a>(request: &'a str, key: &str) -> Option<&'a str> {
    let query = request.split_once('?').map_or(request, |(_, q)| q);
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// Every EVM address history of the case: (chain, address, complete, transaction count).
fn evm_histories(case: &Case) -> Result<Vec<(String, String, bool, i64)>, CaseError> {
    let mut st = case.conn().prepare(
        "SELECT chain, address, complete, tx_count FROM address_history
         WHERE chain LIKE 'eip155:%' ORDER BY chain, address",
    )?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The EVM coverage: paging, histories, the block ranges asked for, trace fetches.
fn coverage(
    case: &Case,
    raws: &[StoredRaw],
    skipped_logs: Vec<String>,
) -> Result<ReportEvmCoverage, ApiError> {
    let paging = Paging::default();
    let mut histories = Vec::new();
    {
        for (chain, address, complete, n) in evm_histories(case)? {
            histories.push(format!(
                "{chain} {}: {}, {n} transaction(s)",
                checksummed(&address),
                if complete {
                    "complete"
                } else {
                    "INCOMPLETE (request limit reached or fetch cut short)"
                }
            ));
        }
    }
    // (chain, address, list) → (lowest start block, pages asked for)
    let mut ranges: BTreeMap<(String, String, String), (u64, u64)> = BTreeMap::new();
    for r in raws {
        let req = r.request.as_str();
        let (Some(chain), Some(action), Some(address), Some(start)) = (
            query_value(req, "chainid"),
            query_value(req, "action"),
            query_value(req, "address"),
            query_value(req, "startblock").and_then(|s| s.parse::<u64>().ok()),
        ) else {
            continue;
        };
        let e = ranges
            .entry((
                format!("eip155:{chain}"),
                checksummed(&address.to_ascii_lowercase()),
                action.to_string(),
            ))
            .or_insert((start, 0));
        e.0 = e.0.min(start);
        e.1 += 1;
    }
    let block_ranges = ranges
        .into_iter()
        .map(|((chain, address, action), (start, requests))| {
            format!(
                "{chain} {address} {action}: blocks from {start} to the latest the source \
                 served, {requests} request(s)"
            )
        })
        .collect();
    let trace_fetches = case
        .audit_log()?
        .into_iter()
        .filter(|e| e.action == "trace.fetch")
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let count = |k: &str| d[k].as_array().map_or(0, Vec::len);
            format!(
                "audit entry #{} ({}): {} {} history(ies) fetched, {} failed",
                e.seq,
                e.at_utc,
                d["chain"].as_str().unwrap_or("?"),
                count("fetched"),
                count("failed")
            )
        })
        .collect();
    Ok(ReportEvmCoverage {
        paging: format!(
            "Etherscan v2 address lists (txlist, txlistinternal, tokentx) are read {} rows per \
             page within a block range of at most {} rows (the API's window), then restarted \
             from the last block seen, rows already seen dropped by their natural key; at most \
             {} requests per list and address, beyond which the history is recorded as \
             incomplete. JSON-RPC reads single transactions (receipt, trace) only. An \
             account-model trace with fetching reads at most --fetch-limit histories (default \
             {}); the limit used is not recorded in the case, the fetches are (below).",
            paging.offset,
            paging.window,
            paging.max_requests,
            super::super::DEFAULT_FETCH_LIMIT
        ),
        histories,
        block_ranges,
        trace_fetches,
        skipped_logs,
    })
}

/// The EVM nodes and edges of the canvas in the report's graph model (short ids in the
/// figures, keyed to Appendix A2 by transaction hash and address), appended to `graph`.
pub fn extend_graph(case: &Case, info: &CaseInfo, graph: &mut ReportGraph) -> Result<(), ApiError> {
    let mut view = GraphView {
        case: info.clone(),
        nodes: Vec::new(),
        edges: Vec::new(),
        entities: Vec::new(),
        callouts: Vec::new(),
        story: Vec::new(),
    };
    view_evm::extend(case, &mut view)?;
    let known: BTreeSet<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    for n in view.nodes {
        if known.contains(&n.id) {
            continue;
        }
        graph.nodes.push(GraphNode {
            kind: match n.kind {
                crate::api::dto::NodeKind::Transaction => tracebench_report::NodeKind::Transaction,
                _ => tracebench_report::NodeKind::Address,
            },
            label: n.label,
            time: n.time,
            hop: n.hop.unwrap_or(0),
            position: n.pinned.then_some((n.x, n.y)),
            id: n.id,
        });
    }
    for e in view.edges {
        graph.edges.push(GraphEdge {
            source: e.source,
            target: e.target,
            amount_sat: 0,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_support_statement_names_every_supported_evm_chain() {
        for c in EvmChain::all() {
            let named = format!("{} {}", c.chain_id(), c.name());
            assert!(
                super::super::method::SUPPORT.contains(&named),
                "the methodology must say exactly which EVM chains are supported: {named} missing"
            );
        }
    }

    #[test]
    fn block_ranges_are_read_from_the_stored_request() {
        let req = "/v2/api?chainid=1&module=account&action=tokentx&address=0xab&startblock=17&\
                   endblock=99999999&page=2&offset=1000&sort=asc&apikey=***";
        assert_eq!(
            query_value(req, "startblock"),
            Some("17"),
            "the start block of the range asked for"
        );
        assert_eq!(
            query_value(req, "apikey"),
            Some("***"),
            "the stored request carries the redacted key only"
        );
        assert_eq!(query_value(req, "missing"), None, "absent keys are None");
    }
}
