//! The methodology section's data: chains and sources, every heuristic and detector with its
//! definition, parameters and confidence, and the measured error rates of `tracebench validate`.

use std::collections::{BTreeMap, BTreeSet};

use tracebench_report::{
    ReportHeuristic, ReportMethod, ReportValidationCoverage, ReportValidationRow,
};

use crate::analysis::validate::{self, Dataset, Validation};
use crate::analysis::{ChangeHeuristic, CoinJoinKind, Profile};
use crate::chain::BtcNetwork;
use crate::cluster::Clustering;
use crate::model::Tx;
use crate::store::StoredRaw;

use super::super::ApiError;

/// What the report says about chains this version can and cannot follow.
pub(super) const SUPPORT: &str = "Supported by this version: Bitcoin (UTXO) transactions \
    of the one network a case is created on (mainnet, testnet, signet or regtest; this \
    case's network and the chains it holds are named above), fetched through an Esplora HTTP API \
    (mempool.space, Blockstream, an own electrs), Bitcoin Core RPC, or the built-in simulator. \
    Account-model (EVM) chains through the Etherscan v2 API (txlist, txlistinternal, tokentx) \
    and plain JSON-RPC (transaction, receipt with ERC-20 Transfer logs decoded, callTracer or \
    trace_transaction), chain ids 1 Ethereum, 10 OP Mainnet, 56 BNB Smart Chain, 100 Gnosis, \
    137 Polygon PoS, 8453 Base, 42161 Arbitrum One, 43114 Avalanche C-Chain and 11155111 \
    Sepolia (testnet). Account-model tracing keeps one pool per (address, asset) and follows \
    value by the poison, haircut or FIFO model in chain order (block, position, log index, \
    trace position); it counts ERC-20 Transfer logs, native value, and internal value from \
    successful call frames only; failed transactions move nothing. TRON is not supported, \
    nor is any chain not listed; bridges are not followed across chains (a bridge deposit ends the trail \
    on its chain); token approvals, NFT (ERC-721/1155) transfers and logs not decoded as \
    ERC-20 transfers (listed under Coverage) carry no value in this report; no fiat rate is \
    imported for tokens.";

const MULTI_INPUT: &str = "Common-input ownership: all input addresses of a transaction are \
    taken to belong to one owner (Meiklejohn et al. 2013, Heuristic 1). Coinbase transactions, \
    detected CoinJoins and vetoed transactions contribute no merge.";

fn change_definition(h: ChangeHeuristic) -> &'static str {
    match h {
        ChangeHeuristic::AddressReuse => {
            "An output paying back to one of the input addresses is change (BlockSci AddressReuse)."
        }
        ChangeHeuristic::AddressType => {
            "When all inputs share one script type, only outputs of that type can be change \
             (BlockSci AddressType)."
        }
        ChangeHeuristic::OptimalChange => {
            "An output smaller than the smallest input can be change; a wallet would not spend an \
             unneeded input (BlockSci OptimalChange)."
        }
        ChangeHeuristic::PowerOfTen => {
            "A value divisible by 10^digits satoshi is taken to be a payment, so the other \
             outputs can be change (BlockSci PowerOfTen)."
        }
        ChangeHeuristic::OneTimeChange => {
            "An output whose address first appears in this transaction and is never reused can \
             be change (Meiklejohn et al. 2013, Heuristic 2); needs complete address histories."
        }
        ChangeHeuristic::Locktime => {
            "An output spent by a transaction that uses locktime the same way as this one can be \
             change (BlockSci Locktime); needs the spending transaction."
        }
        ChangeHeuristic::FixedFee => {
            "An output spent by a transaction paying the same fee rate can be change (BlockSci \
             FixedFee); needs the spending transaction."
        }
        ChangeHeuristic::PeelingChain => {
            "In a peeling chain, the output spent by the next peel is change (BlockSci \
             PeelingChain); needs the spending transaction."
        }
        ChangeHeuristic::ClientBehaviour => {
            "An output whose address is funded for the first time by this transaction can be \
             change (BlockSci ClientChangeAddressBehavior)."
        }
    }
}

fn coinjoin_definition(k: CoinJoinKind) -> &'static str {
    match k {
        CoinJoinKind::Whirlpool => {
            "Samourai Whirlpool mix: five inputs and five outputs of one pool denomination."
        }
        CoinJoinKind::Wasabi2 => {
            "Wasabi 2 (WabiSabi) round: many inputs, many standard-denomination outputs, the \
             coordinator's structure."
        }
        CoinJoinKind::Wasabi1 => {
            "Wasabi 1 round: many equal outputs near 0.1 BTC and the coordinator fee output."
        }
        CoinJoinKind::Joinmarket => {
            "JoinMarket: n equal outputs and up to n change outputs, input sets that fill them."
        }
        CoinJoinKind::Generic => {
            "Generic CoinJoin: several inputs and at least two equal-valued outputs from \
             different input owners."
        }
    }
}

/// Every detector and heuristic the engine has, on or off under `profile`.
pub fn heuristics(profile: &Profile) -> Vec<ReportHeuristic> {
    let mut out = vec![ReportHeuristic {
        name: "multi-input".to_string(),
        on: profile.multi_input,
        definition: MULTI_INPUT.to_string(),
        parameters: "none".to_string(),
        confidence: Some(90),
    }];
    for k in CoinJoinKind::ALL {
        out.push(ReportHeuristic {
            name: format!("coinjoin:{}", k.as_str()),
            on: profile.coinjoin_detectors.contains(&k),
            definition: coinjoin_definition(k).to_string(),
            parameters: "structural rules; each verdict states its own confidence".to_string(),
            confidence: None,
        });
    }
    for h in ChangeHeuristic::ALL {
        out.push(ReportHeuristic {
            name: format!("change:{}", h.as_str()),
            on: profile.change.contains(&h),
            definition: change_definition(h).to_string(),
            parameters: if h == ChangeHeuristic::PowerOfTen {
                format!("digits = {}", profile.params.power_of_ten_digits)
            } else if h.is_dynamic() {
                "dynamic: answers only with the data the case holds".to_string()
            } else {
                "none".to_string()
            },
            confidence: Some(h.confidence()),
        });
    }
    out
}

/// The rows of `validation` as the report prints them.
pub fn validation_rows(v: &Validation) -> Vec<ReportValidationRow> {
    let row = |group: &str, r: &validate::Row| ReportValidationRow {
        group: group.to_string(),
        name: r.name.clone(),
        dataset: r.dataset.clone(),
        synthetic: r.synthetic,
        tp: r.counts.tp,
        fp: r.counts.fp,
        fn_: r.counts.fn_,
        tn: r.counts.tn,
        unknown: r.counts.unknown,
        not_applicable: r.counts.not_applicable,
        precision: r.counts.precision.clone(),
        recall: r.counts.recall.clone(),
    };
    v.coinjoin
        .iter()
        .map(|r| row("coinjoin", r))
        .chain(v.change.iter().map(|r| row("change", r)))
        .collect()
}

/// The methodology's first line: the network the case is on, from the case itself.
pub fn case_network(chain: &str) -> String {
    match BtcNetwork::from_caip2(chain) {
        Some(n) => format!(
            "Bitcoin network of this case: {} ({chain}). Every Bitcoin address added was checked \
             against it, and Bitcoin sources whose network is known (an Esplora URL naming its \
             network, a Bitcoin Core node's getblockchaininfo) had to serve it.",
            n.name()
        ),
        None => format!("Chain of this case: {chain}."),
    }
}

/// The methodology data: the embedded real datasets and `extra` scored exactly as
/// `tracebench validate` scores them.
pub fn method(
    txs: &[Tx],
    raws: &[StoredRaw],
    clustering: &Clustering,
    profile: &Profile,
    extra: &[Dataset],
) -> Result<ReportMethod, ApiError> {
    let mut sets = validate::real_datasets().map_err(|e| ApiError::Report(e.to_string()))?;
    sets.extend(extra.iter().cloned());
    let v = validate::score(&sets);

    let chains: BTreeSet<&str> = txs.iter().map(|t| t.chain.as_str()).collect();
    let mut chain_lines: Vec<String> = chains
        .iter()
        .map(|c| match BtcNetwork::from_caip2(c) {
            Some(n) => format!("Chain covered: Bitcoin {} ({c})", n.name()),
            None => format!("Chain covered: {c}"),
        })
        .collect();
    chain_lines.push(SUPPORT.to_string());

    let mut by_source: BTreeMap<&str, (usize, BTreeSet<&str>, &str, &str)> = BTreeMap::new();
    for r in raws {
        let e = by_source.entry(r.source_id.as_str()).or_insert((
            0,
            BTreeSet::new(),
            r.retrieved_at.as_str(),
            r.retrieved_at.as_str(),
        ));
        e.0 += 1;
        e.1.insert(r.endpoint.split('/').nth(1).unwrap_or(r.endpoint.as_str()));
        e.2 = e.2.min(r.retrieved_at.as_str());
        e.3 = e.3.max(r.retrieved_at.as_str());
    }
    let sources = by_source
        .into_iter()
        .map(|(id, (n, routes, first, last))| {
            format!(
                "Source {id}: {n} raw response(s), routes /{}, retrieved {first} to {last}",
                routes.into_iter().collect::<Vec<_>>().join(", /")
            )
        })
        .collect();

    Ok(ReportMethod {
        chains: chain_lines,
        sources,
        profile: profile.label(),
        heuristics: heuristics(profile),
        datasets: v
            .datasets
            .iter()
            .map(|d| {
                format!(
                    "{}: {} transaction(s), {} CoinJoin-labelled, {} change-labelled{}",
                    d.name,
                    d.transactions,
                    d.coinjoin_labelled,
                    d.change_labelled,
                    if d.synthetic { " (synthetic data)" } else { "" }
                )
            })
            .chain(v.notes.iter().cloned())
            .collect(),
        validation: validation_rows(&v),
        validation_coverage: v
            .coverage
            .iter()
            .map(|c| ReportValidationCoverage {
                name: c.name.clone(),
                validated_on: c.validated_on.clone(),
                note: c.note.clone(),
            })
            .collect(),
        coinjoins: clustering.skipped_coinjoins.clone(),
        vetoed: clustering.vetoed.clone(),
        // Set by the caller from the case's price series.
        valuation: String::new(),
    })
}
