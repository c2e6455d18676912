//! An address's balance as the case knows it, for the canvas label and the details panel.
//!
//! Bitcoin: the sum of the address's outputs in the case's stored transactions that no stored
//! transaction spends. EVM: per asset, what the address received minus what it sent over the
//! case's transfers (gas fees are not transfers, so they are not counted). Either figure is exact
//! (integer base units) and is only as good as the case's data: when the address's history was
//! not fetched completely (offline, paging), the basis says so and the true balance may differ in
//! either direction (unfetched payments in, unfetched spends out). The case stores no
//! source-reported balance (Esplora's `chain_stats` are not kept), so none is shown.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dto::{GraphView, NodeKind};
use super::view_evm::{amount_text, asset_info, assets_of, EvmNode};
use super::ApiError;
use crate::chain::EvmChain;
use crate::graph::NodeRef;
use crate::model::{format_btc, Tx};
use crate::store::Case;

/// One asset's balance of an address, with how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "BalanceView.ts")]
pub struct BalanceView {
    /// `BTC`, or the CAIP-19 asset id on EVM chains.
    pub asset: String,
    /// `BTC`, `ETH`, `USDT`.
    pub symbol: String,
    /// Decimals of the asset's unit; `None` for a token that never said.
    pub decimals: Option<u32>,
    /// Exact base units as decimal text (satoshi, wei, token units); a leading `-` when the
    /// case holds more sent than received (an EVM history the case lacks part of).
    pub base: String,
    /// The exact amount in the asset's units with its symbol: `0.50000000 BTC`.
    pub amount: String,
    /// True when the address's whole history is in the case: the figure is its balance as of
    /// the fetch; false: only what the case holds (the true balance may differ).
    pub complete: bool,
    /// How the figure was computed and how far it can be trusted, in words.
    pub basis: String,
}

/// Sets the balance of every address node of `view`; `txs` must hold every stored transaction
/// of each Bitcoin address on the canvas (as [`super::view::visible`] reads them).
pub fn attach(case: &Case, txs: &[Tx], view: &mut GraphView) -> Result<(), ApiError> {
    let chain = case.meta().chain.clone();
    let mut btc: BTreeSet<String> = BTreeSet::new();
    let mut evm: BTreeMap<EvmChain, BTreeSet<String>> = BTreeMap::new();
    for n in view.nodes.iter().filter(|n| n.kind == NodeKind::Address) {
        if let Some(EvmNode::Address { chain, address }) = EvmNode::parse(&n.id) {
            evm.entry(chain).or_default().insert(address);
        } else if let Some(NodeRef::Address { address, .. }) = NodeRef::parse(&n.id, &chain) {
            btc.insert(address);
        }
    }
    let sats = btc_balances(txs, &btc);
    let mut evm_sums: BTreeMap<String, Vec<BalanceView>> = BTreeMap::new();
    for (evm_chain, addresses) in &evm {
        evm_sums.extend(evm_balances(case, *evm_chain, addresses)?);
    }
    for n in view.nodes.iter_mut() {
        if n.kind != NodeKind::Address {
            continue;
        }
        if let Some(list) = evm_sums.remove(&n.id) {
            n.balance = list
                .into_iter()
                .map(|b| BalanceView {
                    complete: n.complete,
                    basis: evm_basis(n.complete),
                    ..b
                })
                .collect();
        } else if let Some(NodeRef::Address { address, .. }) = NodeRef::parse(&n.id, &chain) {
            let sat = sats.get(&address).copied().unwrap_or(0);
            let fetched = case
                .address_history(&chain, &address)?
                .filter(|h| h.complete)
                .map(|h| h.fetched_at);
            n.balance = vec![BalanceView {
                asset: "BTC".to_string(),
                symbol: "BTC".to_string(),
                decimals: Some(8),
                base: sat.to_string(),
                amount: format!("{} BTC", format_btc(sat)),
                complete: n.complete,
                basis: btc_basis(n.complete, fetched.as_deref()),
            }];
        }
    }
    Ok(())
}

fn btc_basis(complete: bool, fetched: Option<&str>) -> String {
    match (complete, fetched) {
        (true, Some(at)) => format!(
            "case data: outputs to the address not spent by a transaction in the case; full history fetched {at}"
        ),
        _ => "case data: outputs to the address not spent by a transaction in the case; history incomplete (not fetched, or paged), so the true balance may differ".to_string(),
    }
}

fn evm_basis(complete: bool) -> String {
    let head = "case data: received minus sent over the case's transfers (gas fees not counted)";
    if complete {
        format!("{head}; full history fetched")
    } else {
        format!("{head}; history incomplete, so the true balance may differ")
    }
}

/// Satoshi each of `addresses` holds in outputs of `txs` that no input of `txs` spends.
pub fn btc_balances(txs: &[Tx], addresses: &BTreeSet<String>) -> BTreeMap<String, u64> {
    let spent: BTreeSet<(&str, u32)> = txs
        .iter()
        .flat_map(|t| &t.inputs)
        .filter_map(|i| Some((i.prev_txid.as_deref()?, i.prev_vout?)))
        .collect();
    let mut seen: BTreeSet<(&str, u32)> = BTreeSet::new();
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for t in txs {
        for o in &t.outputs {
            let Some(a) = o.address.as_deref().filter(|a| addresses.contains(*a)) else {
                continue;
            };
            let outpoint = (t.txid.as_str(), o.index);
            // A transaction listed twice counts once.
            if spent.contains(&outpoint) || !seen.insert(outpoint) {
                continue;
            }
            *out.entry(a.to_string()).or_default() += o.value;
        }
    }
    out
}

/// Per canvas node id: received − sent per asset over the chain's stored transfers.
fn evm_balances(
    case: &Case,
    chain: EvmChain,
    addresses: &BTreeSet<String>,
) -> Result<BTreeMap<String, Vec<BalanceView>>, ApiError> {
    let assets = assets_of(case, chain)?;
    // (address, asset) → (received, sent), exact decimal text.
    let mut sums: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for t in case.account_transfers(&chain.caip2())? {
        if addresses.contains(&t.to) {
            let e = sums.entry((t.to.clone(), t.asset.clone())).or_default();
            e.0 = add_decimal(&e.0, &t.amount);
        }
        if addresses.contains(&t.from) {
            let e = sums.entry((t.from.clone(), t.asset.clone())).or_default();
            e.1 = add_decimal(&e.1, &t.amount);
        }
    }
    let mut out: BTreeMap<String, Vec<BalanceView>> = BTreeMap::new();
    for ((address, asset), (received, sent)) in sums {
        let info = asset_info(&assets, &asset);
        let base = sub_decimal(&received, &sent);
        let amount = match base.strip_prefix('-') {
            Some(abs) => format!("-{}", amount_text(abs, &info)),
            None => amount_text(&base, &info),
        };
        let id = EvmNode::Address { chain, address }.id();
        out.entry(id).or_default().push(BalanceView {
            asset: info.id,
            symbol: info.symbol,
            decimals: info.decimals,
            base,
            amount,
            complete: false,
            basis: String::new(),
        });
    }
    Ok(out)
}

/// Digits of a non-negative decimal without leading zeros ("0" for zero or empty).
fn digits(s: &str) -> &str {
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        "0"
    } else {
        t
    }
}

/// a + b for non-negative decimal texts of any length.
pub fn add_decimal(a: &str, b: &str) -> String {
    let (a, b) = (digits(a).as_bytes(), digits(b).as_bytes());
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let x = if i < a.len() {
            a[a.len() - 1 - i] - b'0'
        } else {
            0
        };
        let y = if i < b.len() {
            b[b.len() - 1 - i] - b'0'
        } else {
            0
        };
        let s = x + y + carry;
        out.push(b'0' + s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(b'0' + carry);
    }
    out.reverse();
    digits(&String::from_utf8_lossy(&out)).to_string()
}

fn cmp_decimal(a: &str, b: &str) -> Ordering {
    let (a, b) = (digits(a), digits(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// a − b for non-negative decimal texts, with a leading `-` when b is larger.
pub fn sub_decimal(a: &str, b: &str) -> String {
    if cmp_decimal(a, b) == Ordering::Less {
        return format!("-{}", sub_decimal(b, a));
    }
    let (a, b) = (digits(a).as_bytes(), digits(b).as_bytes());
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for i in 0..a.len() {
        let x = (a[a.len() - 1 - i] - b'0') as i8;
        let y = if i < b.len() {
            (b[b.len() - 1 - i] - b'0') as i8
        } else {
            0
        };
        let mut d = x - y - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out.push(b'0' + d as u8);
    }
    out.reverse();
    digits(&String::from_utf8_lossy(&out)).to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use bitcoin::{Address, Network, OutPoint};
    use chrono::{TimeZone, Utc};

    use super::{add_decimal, sub_decimal};
    use crate::api::view::tests::demo_case_with_source;

    /// The sim's own ledger: satoshi per address in outputs no transaction of the chain spends.
    fn ledger_balances(chain: &tracebench_sim::SimChain) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for tx in chain.transactions() {
            let txid = tx.compute_txid();
            for (vout, o) in tx.output.iter().enumerate() {
                let Ok(a) = Address::from_script(&o.script_pubkey, Network::Bitcoin) else {
                    continue;
                };
                let outpoint = OutPoint::new(txid, vout as u32);
                if chain.spender(&outpoint).is_none() {
                    *out.entry(a.to_string()).or_default() += o.value.to_sat();
                }
            }
        }
        out
    }

    #[test]
    fn a_fully_fetched_address_shows_the_balance_of_the_sims_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, seed, chain, (rt, _server)) = demo_case_with_source(dir.path());
        let ledger = ledger_balances(&chain);
        // An address with coins left (and not the seed): added, so its whole history is fetched.
        let rich = ledger
            .iter()
            .filter(|(a, sat)| **sat > 0 && !seed.ends_with(a.as_str()))
            .map(|(a, _)| a.clone())
            .next()
            .expect("the sim leaves unspent coins somewhere");
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 13, 0, 0).unwrap();
        let added = rt.block_on(wb.add(&rich, now)).unwrap();
        let g = wb.graph().unwrap();
        for (id, address) in [
            (added.node_id.as_str(), rich.as_str()),
            (seed.as_str(), chain.seed_address()),
        ] {
            let node = g.nodes.iter().find(|n| n.id == id).unwrap();
            assert!(node.complete, "{id}: added, so its history is complete");
            assert_eq!(node.balance.len(), 1, "{id}: one asset on Bitcoin");
            let b = &node.balance[0];
            let want = ledger.get(address).copied().unwrap_or(0);
            assert_eq!(
                b.base,
                want.to_string(),
                "{id}: the case's unspent outputs equal the sim's ledger exactly"
            );
            assert_eq!(
                b.amount,
                format!("{} BTC", crate::model::format_btc(want)),
                "{id}: the amount is exact BTC with 8 decimals"
            );
            assert!(
                b.complete && b.basis.contains("full history fetched"),
                "{id}: the basis says the history is complete: {}",
                b.basis
            );
        }
        assert!(
            g.nodes
                .iter()
                .filter(|n| n.kind == crate::api::NodeKind::Transaction)
                .all(|n| n.balance.is_empty()),
            "transactions carry no balance"
        );
    }

    #[test]
    fn an_address_with_incomplete_history_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (wb, _seed, _chain, _server) = demo_case_with_source(dir.path());
        let g = wb.graph().unwrap();
        let partial = g
            .nodes
            .iter()
            .find(|n| n.kind == crate::api::NodeKind::Address && !n.complete)
            .expect("a one-hop expansion shows counterparties whose history was not fetched");
        let b = &partial.balance[0];
        assert!(
            !b.complete && b.basis.contains("history incomplete"),
            "an incomplete history is labelled honestly: {}",
            b.basis
        );
    }

    #[test]
    fn evm_addresses_show_their_token_balance_as_the_sims_ledger_ends() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let chain = std::sync::Arc::new(tracebench_sim::evm::generate_evm(1));
        let server = rt
            .block_on(async {
                tracebench_sim::evm::serve_evm(
                    chain.clone(),
                    "127.0.0.1:0".parse().unwrap(),
                    tracebench_sim::evm::EvmServeOptions::default(),
                )
            })
            .unwrap();
        let truth = chain.truth().clone();
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let mut wb = crate::api::Workbench::create(
            &dir.path().join("evm.tbcase"),
            crate::api::NewCase {
                title: "E".into(),
                investigator: "I".into(),
                agency: "A".into(),
                network: crate::chain::BtcNetwork::Mainnet,
            },
            None,
            now,
        )
        .unwrap();
        let conn = crate::api::EvmConnection::new(
            crate::api::EvmSourceSpec::parse(&format!("sim:evm-usdt:1={}", server.url())).unwrap(),
            None,
            None,
            reqwest::Client::new(),
            crate::source::Clock::system(),
        )
        .unwrap();
        for address in [&truth.roles.victim, &truth.roles.thief] {
            let added = rt.block_on(wb.add_evm(address, Some(&conn), now)).unwrap();
            let g = wb.graph().unwrap();
            let node = g.nodes.iter().find(|n| n.id == added.node_id).unwrap();
            assert!(node.complete, "{address}: the sim's history is complete");
            let token = node
                .balance
                .iter()
                .find(|b| b.asset == truth.token.asset)
                .unwrap_or_else(|| panic!("{address}: moved the token, so has a token balance"));
            let want = truth
                .token_end_holders
                .get(address.as_str())
                .cloned()
                .unwrap_or_else(|| "0".to_string());
            assert_eq!(
                token.base, want,
                "{address}: received − sent equals the sim's end balance exactly"
            );
            assert!(
                token.amount.ends_with(&truth.token.symbol),
                "{address}: the amount names the token: {}",
                token.amount
            );
            assert!(
                token.basis.contains("gas fees not counted"),
                "{address}: the basis says what is left out: {}",
                token.basis
            );
        }
    }

    #[test]
    fn decimal_sums_and_differences_are_exact_beyond_u128() {
        let big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(
            add_decimal(big, "1"),
            "115792089237316195423570985008687907853269984665640564039457584007913129639936",
            "uint256 max + 1 is exact"
        );
        assert_eq!(sub_decimal("1000", "1"), "999", "borrows across digits");
        assert_eq!(
            sub_decimal("5", "12"),
            "-7",
            "more sent than received is negative"
        );
        assert_eq!(sub_decimal("007", "7"), "0", "leading zeros do not matter");
    }
}
