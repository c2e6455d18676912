//! `tracebench add <0x…> --offline`: what the case already holds for an EVM address or
//! transaction, and what it lacks, without asking any source (as `expand --offline` lists what
//! is missing for Bitcoin instead of failing).

use serde::Serialize;
use tracebench_core::address::EvmQuery;
use tracebench_core::chain::EvmChain;
use tracebench_core::model::AccountTransfer;
use tracebench_core::store::Case;

/// The case's answer for one query.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OfflineAnswer {
    pub offline: bool,
    /// CAIP-2 ids of the chains consulted, sorted.
    pub chains: Vec<String>,
    /// The address (EIP-55) or transaction hash asked for.
    pub query: String,
    /// Stored transfers the query touches, in chain, block, transaction and log order.
    pub transfers: Vec<AccountTransfer>,
    /// Distinct transactions of those transfers (and the asked-for transaction if stored).
    pub txs: Vec<String>,
    /// What the case lacks to answer fully; empty when the stored data is complete.
    pub missing: Vec<String>,
}

/// Answers `query` from the case alone. `chain` is the chain the `--source` flag names; without
/// one, every supported EVM chain that holds data for the query is consulted.
pub fn answer(
    case: &Case,
    query: &EvmQuery,
    chain: Option<EvmChain>,
) -> anyhow::Result<OfflineAnswer> {
    let chains: Vec<EvmChain> = match chain {
        Some(c) => vec![c],
        None => EvmChain::all().collect(),
    };
    let mut used = Vec::new();
    let mut transfers = Vec::new();
    let mut txs = Vec::new();
    let mut missing = Vec::new();
    let shown = match query {
        EvmQuery::Address(a) => a.checksummed(),
        EvmQuery::Tx(h) => h.as_str().to_string(),
    };
    for c in &chains {
        let caip2 = c.caip2();
        let on_chain: Vec<AccountTransfer> = case
            .account_transfers(&caip2)?
            .into_iter()
            .filter(|t| match query {
                EvmQuery::Address(a) => t.from == a.as_str() || t.to == a.as_str(),
                EvmQuery::Tx(h) => t.txid == h.as_str(),
            })
            .collect();
        match query {
            EvmQuery::Address(a) => {
                let history = case.address_history(&caip2, a.as_str())?;
                if history.is_none() && on_chain.is_empty() && chain.is_none() {
                    continue;
                }
                match history {
                    None => missing.push(format!("history of address {shown} on {caip2}")),
                    Some(h) if !h.complete => missing.push(format!(
                        "the rest of the history of address {shown} on {caip2} (fetched {}: {} transaction(s), the source's request limit was reached)",
                        h.fetched_at, h.tx_count
                    )),
                    Some(_) => {}
                }
            }
            EvmQuery::Tx(h) => {
                let stored = case.evm_tx(&caip2, h.as_str())?;
                if stored.is_none() && on_chain.is_empty() && chain.is_none() {
                    continue;
                }
                match stored {
                    Some(t) => txs.push(t.txid),
                    None => missing.push(format!("transaction {shown} on {caip2}")),
                }
            }
        }
        used.push(caip2);
        txs.extend(on_chain.iter().map(|t| t.txid.clone()));
        transfers.extend(on_chain);
    }
    if used.is_empty() {
        missing.push(match query {
            EvmQuery::Address(_) => {
                format!("history of address {shown} (no EVM chain in the case holds it)")
            }
            EvmQuery::Tx(_) => format!("transaction {shown} (no EVM chain in the case holds it)"),
        });
    }
    used.sort();
    txs.sort();
    txs.dedup();
    Ok(OfflineAnswer {
        offline: true,
        chains: used,
        query: shown,
        transfers,
        txs,
        missing,
    })
}

impl OfflineAnswer {
    /// The human-readable answer: a summary line, then one `missing (offline): …` line each.
    pub fn text(&self) -> String {
        let mut s = format!(
            "offline: {} has {} transfer(s) in {} transaction(s) in the case{}",
            self.query,
            self.transfers.len(),
            self.txs.len(),
            if self.chains.is_empty() {
                String::new()
            } else {
                format!(" on {}", self.chains.join(", "))
            }
        );
        for t in &self.transfers {
            s.push_str(&format!(
                "\n  {} {} {} -> {} {} {}",
                t.txid,
                t.kind.as_str(),
                t.from,
                t.to,
                t.amount,
                t.asset
            ));
        }
        for m in &self.missing {
            s.push_str(&format!("\nmissing (offline): {m}"));
        }
        s
    }
}
