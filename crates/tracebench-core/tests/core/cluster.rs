//! Multi-input clustering on real mainnet data and on the sim's ground truth.

use tracebench_core::cluster::{looks_like_coinjoin, multi_input};
use tracebench_core::source::esplora::parse_tx;
use tracebench_core::source::esplora::parse_tx_list;

use crate::util::{fixtures, tx_captures};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

#[test]
fn clustering_is_independent_of_input_order() {
    let body = std::fs::read(fixtures().join("esplora/derived/block_277647_txs.json")).unwrap();
    let mut txs = parse_tx_list(MAINNET, &body).unwrap();
    let a = serde_json::to_string(&multi_input(&txs)).unwrap();
    txs.reverse();
    let b = serde_json::to_string(&multi_input(&txs)).unwrap();
    txs.rotate_left(71);
    let c = serde_json::to_string(&multi_input(&txs)).unwrap();
    assert_eq!(a, b, "reversed input gives byte-identical JSON");
    assert_eq!(a, c, "rotated input gives byte-identical JSON");
    let result = multi_input(&txs);
    assert!(
        !result.clusters.is_empty(),
        "block 277,647 has multi-input txs"
    );
    for c in &result.clusters {
        assert!(c.addresses.len() >= 2);
        assert!(
            c.addresses.windows(2).all(|w| w[0] < w[1]),
            "members sorted"
        );
        assert!(
            !c.txids.is_empty(),
            "every cluster names the txs that merged it"
        );
    }
}

#[test]
fn known_coinjoins_are_flagged_and_ordinary_payments_are_not() {
    let captures = tx_captures();
    let by_name = |n: &str| {
        let body = &captures.iter().find(|(name, _)| name == n).unwrap().1;
        parse_tx(MAINNET, body).unwrap()
    };
    // BlockSci's generic rule is the JoinMarket shape; Whirlpool and WabiSabi need their own
    // detectors (heuristics.md §2), which the generic rule does not replace.
    for n in ["joinmarket-coinjoin.json", "joinmarket-6cb2433f.json"] {
        assert!(
            looks_like_coinjoin(&by_name(n)),
            "{n} is a CoinJoin and must not merge its inputs"
        );
    }
    for n in [
        "consolidation-5in1out.json",
        "simple-legacy-p2pkh.json",
        "batch-payment.json",
    ] {
        assert!(
            !looks_like_coinjoin(&by_name(n)),
            "{n} is an ordinary transaction"
        );
    }
    let consolidation = multi_input(&[by_name("consolidation-5in1out.json")]);
    assert_eq!(
        consolidation.clusters.len(),
        1,
        "a 5-input consolidation is one owner"
    );
}

#[test]
fn sim_ground_truth_is_what_multi_input_finds() {
    let chain = tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1);
    let truth = serde_json::to_value(chain.truth()).unwrap();
    drop(chain);
    let expected: Vec<Vec<String>> =
        serde_json::from_value(truth["expected"]["multi_input_clusters"].clone()).unwrap();
    // The chain's txs rebuilt through the real Esplora parser, from the sim's own JSON.
    let (_, txs) = crate::util::sim_txs();
    let found: Vec<Vec<String>> = multi_input(&txs)
        .clusters
        .into_iter()
        .map(|c| c.addresses)
        .collect();
    assert_eq!(
        found, expected,
        "the engine's clusters equal the scenario's ground truth"
    );
}
