//! The ground truth describes the chain it comes with.

use std::collections::BTreeSet;

use bitcoin::{Address, Network, Txid};
use tracebench_sim::{generate, ScenarioKind, SimChain};

use crate::seed1;

fn address(script: &bitcoin::Script) -> Option<String> {
    Address::from_script(script, Network::Bitcoin)
        .ok()
        .map(|a| a.to_string())
}

fn input_addresses(chain: &SimChain, txid: &str) -> Vec<String> {
    let tx = chain
        .tx(&txid.parse::<Txid>().expect("role txids parse"))
        .expect("role tx exists");
    tx.input
        .iter()
        .filter_map(|i| chain.prevout(&i.previous_output))
        .filter_map(|o| address(&o.script_pubkey))
        .collect()
}

/// Independent recomputation: merge sets of input addresses until no two sets overlap.
fn clusters_by_merging(chain: &SimChain) -> Vec<Vec<String>> {
    let mut sets: Vec<BTreeSet<String>> = Vec::new();
    for tx in chain
        .transactions()
        .filter(|t| !t.is_coinbase() && t.input.len() >= 2)
    {
        let mut merged: BTreeSet<String> = tx
            .input
            .iter()
            .filter_map(|i| chain.prevout(&i.previous_output))
            .filter_map(|o| address(&o.script_pubkey))
            .collect();
        let (overlapping, rest): (Vec<_>, Vec<_>) =
            sets.into_iter().partition(|s| !s.is_disjoint(&merged));
        for s in overlapping {
            merged.extend(s);
        }
        sets = rest;
        sets.push(merged);
    }
    let mut out: Vec<Vec<String>> = sets
        .into_iter()
        .filter(|s| s.len() >= 2)
        .map(|s| s.into_iter().collect())
        .collect();
    out.sort();
    out
}

fn assert_truth_fits(chain: &SimChain) {
    let truth = chain.truth();
    for tx in chain.transactions() {
        for out in &tx.output {
            if let Some(a) = address(&out.script_pubkey) {
                assert!(
                    truth.owners.contains_key(&a),
                    "address {a} must have an owner"
                );
            }
        }
    }
    assert_eq!(
        truth.owners.keys().cloned().collect::<Vec<_>>(),
        chain.addresses().map(str::to_owned).collect::<Vec<_>>(),
        "owners name exactly the chain's addresses"
    );
    assert_eq!(
        truth.expected.multi_input_clusters,
        clusters_by_merging(chain),
        "expected clusters must be what the plain multi-input heuristic finds"
    );
    let roles = &truth.roles;
    assert!(
        (5..=8).contains(&roles.ransom_addresses.len()),
        "5–8 victims, one ransom address each"
    );
    let unique: BTreeSet<_> = roles.ransom_addresses.iter().collect();
    assert_eq!(
        unique.len(),
        roles.ransom_addresses.len(),
        "ransom addresses are unique per victim"
    );
    for a in &roles.ransom_addresses {
        assert_eq!(
            truth.owners[a], "ransomware-operator",
            "the operator owns ransom addresses"
        );
    }
    let consolidated: BTreeSet<String> = input_addresses(chain, &roles.consolidation_txid)
        .into_iter()
        .collect();
    assert_eq!(
        consolidated,
        roles.ransom_addresses.iter().cloned().collect(),
        "the consolidation spends every ransom address"
    );
    assert!(
        (6..=10).contains(&roles.peel_chain_txids.len()),
        "the peel chain has 6–10 hops, got {}",
        roles.peel_chain_txids.len()
    );
    let sweep_inputs = input_addresses(chain, &roles.sweep_txid);
    assert!(sweep_inputs.len() >= 2, "the sweep is multi-input");
    assert!(
        sweep_inputs.contains(&roles.exchange_deposit_address),
        "the sweep collects the operator's deposit"
    );
    let hot_txs = chain.address_txids(&roles.exchange_hot_wallet).len();
    assert!(
        hot_txs > 25,
        "the hot wallet must need paging, has {hot_txs} txs"
    );
    assert_eq!(
        truth.owners[&roles.exchange_hot_wallet], "exchange-hot-wallet",
        "hot wallet owner"
    );
    let multi_input_victims = roles
        .ransom_payment_txids
        .iter()
        .filter(|t| input_addresses(chain, t).len() >= 2)
        .count();
    assert!(
        multi_input_victims >= 2,
        "some victims pay with several inputs"
    );
}

#[test]
fn seed_1_truth_fits_the_chain() {
    assert_truth_fits(seed1());
}

#[test]
fn truth_fits_the_chain_for_many_seeds() {
    for seed in 2..10u64 {
        assert_truth_fits(&generate(ScenarioKind::Ransomware, seed));
    }
}

#[test]
fn peel_chain_hops_follow_the_bulk() {
    let chain = seed1();
    let roles = chain.truth().roles;
    let mut previous: Txid = roles.consolidation_txid.parse().expect("txid");
    let owners = chain.truth().owners;
    for hop in &roles.peel_chain_txids {
        let txid: Txid = hop.parse().expect("txid");
        let tx = chain.tx(&txid).expect("hop exists");
        assert_eq!(tx.input.len(), 1, "a peel hop spends one coin");
        assert_eq!(
            tx.input[0].previous_output.txid, previous,
            "each hop spends the previous bulk"
        );
        assert_eq!(tx.output.len(), 2, "a hop pays one payee and keeps change");
        let owner_of = |i: usize| {
            address(&tx.output[i].script_pubkey)
                .and_then(|a| owners.get(&a).cloned())
                .unwrap_or_default()
        };
        let change = (0..2)
            .find(|&i| owner_of(i) == "ransomware-operator")
            .expect("the bulk stays with the operator");
        assert_eq!(
            tx.output[1 - change].value.to_sat() % 100_000,
            0,
            "the peeled payment is round-ish"
        );
        previous = txid;
    }
    let last: Txid = roles
        .peel_chain_txids
        .last()
        .expect("hops")
        .parse()
        .expect("txid");
    let pays_deposit = chain.tx(&last).expect("last hop").output.iter().any(|o| {
        address(&o.script_pubkey).as_deref() == Some(roles.exchange_deposit_address.as_str())
    });
    assert!(
        pays_deposit,
        "the last hop lands at the exchange deposit address"
    );
}

#[test]
fn truth_json_has_the_documented_shape() {
    let json = serde_json::to_string(&seed1().truth()).expect("serialises");
    assert!(
        json.starts_with(r#"{"scenario":"ransomware","seed":1,"source_id":"sim:ransomware:1","synthetic":true,"seed_address":"bc1"#),
        "field order is fixed and documented, got {}",
        &json[..120]
    );
    let value: serde_json::Value = serde_json::from_str(&json).expect("parses");
    assert!(
        value["expected"]["multi_input_clusters"].is_array(),
        "clusters are listed"
    );
    let back: tracebench_sim::Truth = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, seed1().truth(), "truth round-trips through JSON");
}
