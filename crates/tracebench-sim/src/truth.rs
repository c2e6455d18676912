//! Ground truth of a synthetic case: who owns each address, which transactions play which role,
//! and what a plain heuristic is expected to find. Serialised as JSON with a fixed field order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::chain::SimChain;
use crate::scenario::ScenarioKind;

/// The ground truth of one generated case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// Scenario that produced the case.
    pub scenario: ScenarioKind,
    /// Seed that produced the case.
    pub seed: u64,
    /// `sim:<scenario>:<seed>`.
    pub source_id: String,
    /// Always `true`: the data is synthetic and must never be mistaken for real evidence.
    pub synthetic: bool,
    /// Where the investigation starts.
    pub seed_address: String,
    /// Every address of the chain → its owner (`victim-3`, `ransomware-operator`,
    /// `exchange-hot-wallet`, `exchange`, `exchange-user-2`, `miner`, `peel-payee-4`).
    pub owners: BTreeMap<String, String>,
    /// The parts of the story an investigator should find.
    pub roles: Roles,
    /// What heuristics are expected to find.
    pub expected: Expected,
}

/// Addresses and transactions that play a named role in the case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    /// One ransom address per victim, in victim order (`victim-1` first).
    pub ransom_addresses: Vec<String>,
    /// The victims' ransom payments, in victim order.
    pub ransom_payment_txids: Vec<String>,
    /// The operator's transaction that merges all ransom addresses.
    pub consolidation_txid: String,
    /// The peel chain after the consolidation, hop by hop.
    pub peel_chain_txids: Vec<String>,
    /// The exchange's reused hot-wallet address.
    pub exchange_hot_wallet: String,
    /// The exchange deposit address where the peel chain cashes out.
    pub exchange_deposit_address: String,
    /// The exchange's sweep of that deposit (with other users' deposits) into the hot wallet.
    pub sweep_txid: String,
}

/// Results that analysis of the whole chain is expected to reproduce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Clusters of the common-input-ownership heuristic alone over every non-coinbase
    /// transaction with two or more inputs: only clusters of two or more addresses, each sorted,
    /// sorted by first address.
    pub multi_input_clusters: Vec<Vec<String>>,
}

/// Union-find over the input addresses of every multi-input transaction of the chain.
pub(crate) fn multi_input_clusters(chain: &SimChain) -> Vec<Vec<String>> {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for tx in chain.transactions() {
        if tx.is_coinbase() || tx.input.len() < 2 {
            continue;
        }
        let mut members = Vec::new();
        for input in &tx.input {
            let Some(address) = chain
                .prevout(&input.previous_output)
                .and_then(|out| chain.address_of(&out.script_pubkey))
            else {
                continue;
            };
            let next = ids.len();
            let id = *ids.entry(address).or_insert(next);
            if id == parent.len() {
                parent.push(id);
            }
            members.push(id);
        }
        for pair in members.windows(2) {
            let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (address, id) in &ids {
        let r = root(&mut parent, *id);
        groups.entry(r).or_default().push(address.clone());
    }
    let mut clusters: Vec<Vec<String>> = groups
        .into_values()
        .filter(|g| g.len() >= 2)
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    clusters.sort();
    clusters
}
