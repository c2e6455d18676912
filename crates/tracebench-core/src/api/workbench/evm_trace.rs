//! Account-model tracing from the workbench ([`Workbench::trace_evm`]): the case's account
//! transfers of one EVM chain traced by [`crate::analysis::account_trace`], fetching as it goes.
//!
//! With a connection, each round traces the case and then fetches the history of every address
//! the taint reached whose history the case lacks (or holds incomplete), nearest hop first, until
//! nothing new is reached or `fetch_limit` histories were fetched; the fetched histories are
//! stored with their raw responses and one `trace.fetch` audit entry in one transaction, and a
//! history that fails is listed and the rest kept. Offline it traces what the case holds and
//! lists the reached addresses whose history is missing. The result names each node by its
//! canvas id and each amount in exact base units and in the asset's units.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::evm::{EvmConnection, EvmError};
use super::Workbench;
use crate::address::EvmAddress;
use crate::analysis::account_trace::{trace_accounts, AccountTrace};
use crate::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use crate::api::view_evm::{amount_text, asset_info, assets_of, EvmNode};
use crate::api::ApiError;
use crate::chain::EvmChain;
use crate::source::rfc3339;
use crate::store::{AuditAction, EvmFetch};

/// Histories fetched by one trace at most, unless the caller says otherwise.
pub const DEFAULT_EVM_FETCH_LIMIT: u32 = 40;

/// Where the taint rests at one address, in one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvmTaintAt.ts")]
pub struct EvmTaintAt {
    /// The address's canvas id (`eth:addr:0x…`).
    pub node_id: String,
    /// EIP-55.
    pub address: String,
    /// Tainted base units that reached it (decimal text), and the same in the asset's units.
    pub received: String,
    pub received_text: String,
    /// Tainted base units still there at the end of the data.
    pub remaining: String,
    pub held_at_hop_limit: String,
    pub hop: u32,
}

/// One asset's trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvmAssetTrace.ts")]
pub struct EvmAssetTrace {
    /// CAIP-19.
    pub asset: String,
    pub symbol: String,
    pub decimals: Option<u32>,
    /// Base units seeded, and the conservation account (seeded = unresolved + held at the hop
    /// limit for haircut and FIFO).
    pub seeded: String,
    pub seeded_text: String,
    pub unresolved: String,
    pub held_at_hop_limit: String,
    pub balanced: bool,
    /// By hop, then address.
    pub addresses: Vec<EvmTaintAt>,
}

/// An account-model trace as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvmTraceView.ts")]
pub struct EvmTraceView {
    /// CAIP-2.
    pub chain: String,
    pub model: String,
    pub direction: String,
    pub max_hops: u32,
    pub seeds: Vec<String>,
    pub assets: Vec<EvmAssetTrace>,
    /// Addresses (EIP-55) whose history this trace fetched, in fetch order.
    pub fetched: Vec<String>,
    /// Histories the source failed to give, each with why.
    pub failed: Vec<String>,
    /// Reached addresses whose history the case lacks and that were not fetched (offline, or
    /// over the fetch limit).
    pub missing: Vec<String>,
}

/// The chain and start of an EVM trace: an address (`0x…` or an EVM canvas id) or a transfer
/// id `eip155:<chainid>:<txhash>:<logIndex>`.
fn parse_start(start: &str, default_chain: EvmChain) -> Result<(EvmChain, TraceStart), ApiError> {
    let start = start.trim();
    if let Some(node) = EvmNode::parse(start) {
        return match node {
            EvmNode::Address { chain, address } => Ok((chain, TraceStart::Address(address))),
            EvmNode::Tx { .. } => Err(EvmError::WrongSource(format!(
                "{start} is a transaction: trace from an address or a transfer \
                 eip155:<chainid>:<txhash>:<logIndex>"
            ))
            .into()),
        };
    }
    if start.starts_with("eip155:") {
        let parsed = TraceStart::parse(start);
        let TraceStart::Transfer { chain, .. } = &parsed else {
            return Err(EvmError::WrongSource(format!(
                "{start:?} is not a transfer id eip155:<chainid>:<txhash>:<logIndex>"
            ))
            .into());
        };
        let chain = EvmChain::parse(chain).map_err(EvmError::from)?;
        return Ok((chain, parsed));
    }
    let a = EvmAddress::parse(start).map_err(EvmError::from)?;
    Ok((default_chain, TraceStart::Address(a.as_str().to_string())))
}

impl Workbench {
    /// Traces `start` over the case's transfers of its EVM chain; see the module docs.
    /// `default_chain` is the chain of a bare `0x` address (the connected source's chain).
    #[allow(clippy::too_many_arguments)]
    pub async fn trace_evm(
        &mut self,
        start: &str,
        default_chain: EvmChain,
        model: TaintModel,
        direction: TraceDirection,
        max_hops: u32,
        source: Option<&EvmConnection>,
        fetch_limit: u32,
        now: DateTime<Utc>,
    ) -> Result<EvmTraceView, ApiError> {
        let (chain, start) = parse_start(start, default_chain)?;
        let caip2 = chain.caip2();
        let source = source.filter(|s| s.spec.chain() == chain);
        let mut fetches: Vec<EvmFetch> = Vec::new();
        let mut fetched: Vec<String> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        let mut tried: BTreeSet<String> = BTreeSet::new();
        let mut transfers = self.case.account_transfers(&caip2)?;
        let run = |transfers: &[crate::model::AccountTransfer]| {
            trace_accounts(transfers, &start, model, direction, max_hops)
                .map_err(|e| ApiError::Canvas(format!("trace not run: {e}")))
        };
        if let TraceStart::Address(a) = &start {
            // The start's own history first: a trace from an address needs its transfers.
            let known = self.case.address_history(&caip2, a)?;
            if !known.is_some_and(|h| h.complete) {
                if let Some(s) = source {
                    tried.insert(a.clone());
                    let addr = EvmAddress::parse(a).map_err(EvmError::from)?;
                    let f = s.address_history(&addr).await?;
                    transfers.extend(f.transfers.iter().map(|(_, t)| t.clone()));
                    fetched.push(addr.checksummed());
                    fetches.push(f);
                }
            }
        }
        let mut trace: AccountTrace = run(&transfers)?;
        let mut missing: Vec<String>;
        loop {
            // Reached addresses without a complete history, nearest hop first.
            let mut lacking: Vec<(u32, String)> = Vec::new();
            for a in trace.assets.iter().flat_map(|x| x.addresses.iter()) {
                let known = self.case.address_history(&caip2, &a.address)?;
                let fetched_now = fetches
                    .iter()
                    .any(|f| f.histories.iter().any(|h| h.1 == a.address && h.2));
                if !known.is_some_and(|h| h.complete) && !fetched_now {
                    lacking.push((a.hop, a.address.clone()));
                }
            }
            lacking.sort();
            lacking.dedup_by(|x, y| x.1 == y.1);
            missing = lacking
                .iter()
                .filter(|(_, a)| !tried.contains(a))
                .map(|(_, a)| a.clone())
                .collect();
            let Some(s) = source else { break };
            let budget = (fetch_limit as usize).saturating_sub(tried.len());
            if missing.is_empty() || budget == 0 {
                break;
            }
            let mut got_any = false;
            for a in missing.iter().take(budget) {
                tried.insert(a.clone());
                let addr = EvmAddress::parse(a).map_err(EvmError::from)?;
                match s.address_history(&addr).await {
                    Ok(f) => {
                        transfers.extend(f.transfers.iter().map(|(_, t)| t.clone()));
                        fetched.push(addr.checksummed());
                        fetches.push(f);
                        got_any = true;
                    }
                    Err(EvmError::Source(e)) => {
                        let stop = s.cancel_token().is_cancelled();
                        failed.push(format!("history of {}: {e}", addr.checksummed()));
                        if stop {
                            break;
                        }
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if !got_any {
                break;
            }
            trace = run(&transfers)?;
        }
        if !fetches.is_empty() {
            let at = rfc3339(now);
            let raws: Vec<String> = fetches
                .iter()
                .flat_map(|f| f.raws.iter().map(|r| r.sha256()))
                .collect();
            let action = AuditAction {
                at_utc: at.clone(),
                user: self.user.clone(),
                action: "trace.fetch".to_string(),
                detail: serde_json::json!({"chain": caip2, "fetched": fetched,
                    "failed": failed, "raw_responses": raws}),
            };
            let merged = merge_fetches(fetches);
            self.case
                .audited(action, |c| c.ingest_evm_showing(&merged, &[], false, &at))?;
            // Trace what the case now holds, so the answer reads the stored data alone.
            trace = run(&self.case.account_transfers(&caip2)?)?;
        }
        let assets = assets_of(&self.case, chain)?;
        let addr_node = |a: &str| EvmNode::Address {
            chain,
            address: a.to_string(),
        };
        Ok(EvmTraceView {
            chain: caip2,
            model: format!("{:?}", trace.model).to_lowercase(),
            direction: format!("{:?}", trace.direction).to_lowercase(),
            max_hops: trace.max_hops,
            seeds: trace.seeds.clone(),
            assets: trace
                .assets
                .iter()
                .map(|x| {
                    let info = asset_info(&assets, &x.asset);
                    let mut addresses: Vec<EvmTaintAt> = x
                        .addresses
                        .iter()
                        .map(|a| EvmTaintAt {
                            node_id: addr_node(&a.address).id(),
                            address: addr_node(&a.address).label(),
                            received_text: amount_text(&a.received, &info),
                            received: a.received.clone(),
                            remaining: a.remaining.clone(),
                            held_at_hop_limit: a.held_at_hop_limit.clone(),
                            hop: a.hop,
                        })
                        .collect();
                    addresses.sort_by(|p, q| (p.hop, &p.node_id).cmp(&(q.hop, &q.node_id)));
                    EvmAssetTrace {
                        symbol: info.symbol.clone(),
                        decimals: info.decimals,
                        seeded_text: amount_text(&x.conservation.seeded, &info),
                        seeded: x.conservation.seeded.clone(),
                        unresolved: x.conservation.unresolved.clone(),
                        held_at_hop_limit: x.conservation.held_at_hop_limit.clone(),
                        balanced: x.conservation.balanced,
                        asset: x.asset.clone(),
                        addresses,
                    }
                })
                .collect(),
            fetched,
            failed,
            missing: missing
                .iter()
                .map(|a| format!("history of {}", addr_node(a).label()))
                .collect(),
        })
    }
}

/// Several fetches as one, each row pointing at its raw response in the merged list.
fn merge_fetches(fetches: Vec<EvmFetch>) -> EvmFetch {
    let mut out = EvmFetch {
        source_kind: fetches
            .first()
            .map(|f| f.source_kind.clone())
            .unwrap_or_default(),
        ..EvmFetch::default()
    };
    for f in fetches {
        let base = out.raws.len();
        out.raws.extend(f.raws);
        out.txs
            .extend(f.txs.into_iter().map(|(i, t)| (base + i, t)));
        out.transfers
            .extend(f.transfers.into_iter().map(|(i, t)| (base + i, t)));
        out.tokens
            .extend(f.tokens.into_iter().map(|(i, t)| (base + i, t)));
        out.skipped
            .extend(f.skipped.into_iter().map(|(i, t)| (base + i, t)));
        out.histories.extend(f.histories);
    }
    out
}
