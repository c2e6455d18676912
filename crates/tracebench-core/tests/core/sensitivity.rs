//! Sensitivity analysis: each heuristic toggled, on real CoinJoin captures (where a detector
//! demonstrably changes a clustering and a trace) and on the ransomware sim's ground truth.

use std::collections::{BTreeMap, BTreeSet};

use tracebench_core::analysis::sensitivity::{
    cluster_sensitivity, trace_sensitivity, ClusterSensitivity, TraceSensitivity,
};
use tracebench_core::analysis::trace::{TaintModel, TraceDirection, TraceError, TraceStart};
use tracebench_core::analysis::{ChainContext, Profile};
use tracebench_core::model::Tx;

use crate::util::mainnet_capture as capture;

fn clusters(txs: &[Tx], profile: &Profile) -> ClusterSensitivity {
    cluster_sensitivity(
        txs,
        &ChainContext::new(txs, BTreeSet::new()),
        profile,
        &BTreeSet::new(),
    )
}

fn variant<'a>(
    s: &'a ClusterSensitivity,
    heuristic: &str,
) -> &'a tracebench_core::analysis::sensitivity::ClusterVariant {
    s.variants
        .iter()
        .find(|v| v.toggle.heuristic == heuristic)
        .unwrap_or_else(|| panic!("no variant {heuristic}"))
}

fn trace_variant<'a>(
    s: &'a TraceSensitivity,
    heuristic: &str,
) -> &'a tracebench_core::analysis::sensitivity::TraceVariant {
    s.variants
        .iter()
        .find(|v| v.toggle.heuristic == heuristic)
        .unwrap_or_else(|| panic!("no variant {heuristic}"))
}

/// The whirlpool capture's txid and its input addresses in vin order.
const WHIRLPOOL: &str = "323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2";

#[test]
fn real_whirlpool_merges_its_five_inputs_only_when_its_detector_is_off() {
    let tx = capture("whirlpool-coinjoin.json");
    let mut inputs: Vec<String> = tx
        .inputs
        .iter()
        .map(|i| i.address.clone().unwrap())
        .collect();
    inputs.sort();
    let s = clusters(&[tx], &Profile::conservative());
    assert_eq!(
        s.clusters, 0,
        "conservative: the CoinJoin is excluded, nothing merges"
    );
    let v = variant(&s, "coinjoin:whirlpool");
    assert!(
        !v.toggle.enabled,
        "the profile has whirlpool on: the toggle turns it off"
    );
    assert!(
        v.changed,
        "without the Whirlpool detector the mix is read as one owner"
    );
    assert_eq!(v.clusters, 1, "one cluster of all five inputs");
    assert!(v.splits.is_empty(), "turning a detector off only merges");
    assert_eq!(v.merges.len(), 1, "one cluster forms");
    let m = &v.merges[0];
    assert_eq!(
        m.cluster,
        format!("cluster:{}", inputs[0]),
        "named by its smallest address"
    );
    let singletons: Vec<Vec<String>> = inputs.iter().map(|a| vec![a.clone()]).collect();
    assert_eq!(
        m.parts, singletons,
        "five unclustered addresses came together"
    );
    assert_eq!(
        m.moved,
        inputs[1..].to_vec(),
        "the four others join the smallest"
    );
    for other in s
        .variants
        .iter()
        .filter(|v| v.toggle.heuristic != "coinjoin:whirlpool")
    {
        assert!(
            !other.changed,
            "{}: no other detector sees this Whirlpool mix, and a change heuristic does not \
             apply to a CoinJoin",
            other.toggle.heuristic
        );
    }
}

#[test]
fn real_joinmarket_stays_excluded_when_either_of_its_two_detectors_is_off() {
    let s = clusters(
        &[capture("joinmarket-coinjoin.json")],
        &Profile::conservative(),
    );
    for h in ["coinjoin:joinmarket", "coinjoin:generic"] {
        assert!(
            !variant(&s, h).changed,
            "{h} off: the other of the two detectors still finds this JoinMarket CoinJoin, so \
             one toggle alone changes nothing (the redundancy the report should show)"
        );
    }
}

#[test]
fn real_whirlpool_backward_trace_loses_its_inputs_when_the_detector_stops_it() {
    let tx = capture("whirlpool-coinjoin.json");
    assert_eq!(tx.txid, WHIRLPOOL, "the capture is the mix named here");
    let seed_address = tx.outputs[0].address.clone().unwrap();
    let s = trace_sensitivity(
        &[tx],
        &TraceStart::parse(&format!("{WHIRLPOOL}:0")),
        TaintModel::Haircut,
        TraceDirection::Backward,
        1,
    )
    .unwrap();
    // Backward haircut of output 0 (5,000,000 sat) over the inputs 5,010,000 ×3 (vin 0, 2, 4)
    // and 5,000,000 ×2 (vin 1, 3), 25,030,000 in all: floor(5e6 × 5.01e6 / 25.03e6) = 1,000,799
    // and floor(5e6 × 5e6 / 25.03e6) = 998,801; 3 × 1,000,799 + 2 × 998,801 = 4,999,999, and
    // the 1 sat remainder goes to the largest input, lowest vin: vin 0.
    let expected: BTreeMap<&str, u64> = BTreeMap::from([
        ("bc1qgwv9hn979rex0rhfp3cknfdkyrgk04493gclvv", 1_000_800),
        ("bc1qtkgstl44zcltvd62s7kctxtjqjht0zmufhqr9f", 998_801),
        ("bc1q528pyda90y4j9nuqrcm65rlxz9txljtn208dqm", 1_000_799),
        ("bc1qnuu6u8d4rm7kavmrnepn36ltt5gqjutf34rtfv", 998_801),
        ("bc1q88yvt3sqx7hucswejmna7pvpc4ga7j0ukfppwq", 1_000_799),
    ]);
    let got: BTreeMap<&str, u64> = s
        .destinations
        .iter()
        .map(|d| (d.address.as_str(), d.tainted))
        .collect();
    assert_eq!(
        got, expected,
        "the baseline walks through the mix to its five inputs"
    );
    let v = trace_variant(&s, "coinjoin-stop:whirlpool");
    assert_eq!(
        v.stopped_at,
        vec![WHIRLPOOL.to_string()],
        "the Whirlpool detector stops the walk at this mix"
    );
    assert_eq!(
        v.conservation.stopped, 5_000_000,
        "the whole seed stays on the seed output"
    );
    assert_eq!(
        v.gains.len(),
        1,
        "one destination gains: the seed output itself"
    );
    assert_eq!(
        (
            v.gains[0].address.as_str(),
            v.gains[0].before,
            v.gains[0].after,
            v.gains[0].amount
        ),
        (seed_address.as_str(), 0, 5_000_000, 5_000_000),
        "the seed output keeps its 5,000,000 sat"
    );
    let lost: BTreeMap<&str, u64> = v
        .losses
        .iter()
        .map(|l| {
            assert_eq!(
                l.after, 0,
                "{}: nothing reaches an input past the stop",
                l.address
            );
            assert_eq!(l.before, l.amount, "{}: loses all it had", l.address);
            (l.address.as_str(), l.amount)
        })
        .collect();
    assert_eq!(
        lost, expected,
        "each input loses exactly its baseline share"
    );
    for k in ["wasabi2", "wasabi1", "joinmarket", "generic"] {
        let other = trace_variant(&s, &format!("coinjoin-stop:{k}"));
        assert!(
            !other.changed && other.stopped_at.is_empty(),
            "{k} does not find this Whirlpool mix, so stopping at its CoinJoins changes nothing"
        );
    }
}

#[test]
fn sim_clustering_sensitivity_matches_the_scenario() {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    let expected: Vec<Vec<String>> =
        serde_json::from_value(truth["expected"]["multi_input_clusters"].clone()).unwrap();
    let owners: BTreeMap<String, String> = serde_json::from_value(truth["owners"].clone()).unwrap();
    let s = clusters(&txs, &Profile::conservative());
    assert_eq!(
        s.clusters,
        expected.len(),
        "the baseline is the truth's clustering"
    );

    let off = variant(&s, "multi_input");
    assert!(!off.toggle.enabled, "conservative has multi-input on");
    assert_eq!(
        off.clusters, 0,
        "without multi-input no address joins another"
    );
    assert!(
        off.merges.is_empty(),
        "turning a heuristic off never merges"
    );
    let splits: Vec<(String, Vec<String>)> = off
        .splits
        .iter()
        .map(|sp| {
            assert!(
                sp.parts.iter().all(|p| p.len() == 1),
                "{}: every address stands alone",
                sp.cluster
            );
            (sp.cluster.clone(), sp.moved.clone())
        })
        .collect();
    let want: Vec<(String, Vec<String>)> = expected
        .iter()
        .map(|c| (format!("cluster:{}", c[0]), c[1..].to_vec()))
        .collect();
    assert_eq!(
        splits, want,
        "every true cluster splits; all but its smallest address move"
    );

    for k in ["whirlpool", "wasabi2", "wasabi1", "joinmarket", "generic"] {
        assert!(
            !variant(&s, &format!("coinjoin:{k}")).changed,
            "the ransomware scenario has no CoinJoin, so no detector changes its clusters"
        );
    }
    let mut changed = 0;
    for v in s
        .variants
        .iter()
        .filter(|v| v.toggle.heuristic.starts_with("change:"))
    {
        assert!(
            v.toggle.enabled,
            "conservative has every change heuristic off"
        );
        assert!(
            v.splits.is_empty(),
            "{}: turning a heuristic on adds merges, so it cannot split a cluster",
            v.toggle.heuristic
        );
        for m in &v.merges {
            assert!(
                m.parts.iter().flatten().all(|a| owners.contains_key(a)),
                "{}: every merged address is a scenario address",
                v.toggle.heuristic
            );
        }
        changed += usize::from(v.changed);
    }
    let by_type = variant(&s, "change:address_type");
    assert!(
        by_type.changed,
        "the scenario's wallets use several script types, so address-type change is decisive"
    );
    for m in &by_type.merges {
        let who: BTreeSet<&str> = m
            .parts
            .iter()
            .flatten()
            .map(|a| owners[a].as_str())
            .collect();
        assert_eq!(
            who.len(),
            1,
            "{}: every address-type merge in the sim joins one true owner ({who:?})",
            m.cluster
        );
    }
    assert!(
        changed >= 1,
        "some change heuristic changes the sim's clustering"
    );
}

#[test]
fn sim_trace_sensitivity_accounts_for_every_satoshi() {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    let consolidation = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let start = TraceStart::parse(&format!("{consolidation}:0"));
    let s = trace_sensitivity(
        &txs,
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        12,
    )
    .unwrap();
    let sum = |d: &[tracebench_core::analysis::sensitivity::Destination]| -> u64 {
        d.iter().map(|x| x.tainted).sum()
    };
    assert_eq!(
        sum(&s.destinations),
        s.conservation.seeded - s.conservation.fees,
        "haircut: all seeded value not paid as fees comes to rest at a destination"
    );
    let names: Vec<&str> = s
        .variants
        .iter()
        .map(|v| v.toggle.heuristic.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "model:poison",
            "model:fifo",
            "coinjoin-stop:whirlpool",
            "coinjoin-stop:wasabi2",
            "coinjoin-stop:wasabi1",
            "coinjoin-stop:joinmarket",
            "coinjoin-stop:generic"
        ],
        "the other models, then each detector in precedence order"
    );
    let poison = trace_variant(&s, "model:poison");
    assert!(
        poison.changed,
        "poison taints whole outputs where haircut takes shares"
    );
    assert!(
        poison.losses.is_empty(),
        "poison taints every output haircut reaches, wholly: no destination can lose"
    );
    let fifo = trace_variant(&s, "model:fifo");
    assert!(fifo.changed, "FIFO follows the first coins, not shares");
    let gained: u64 = fifo.gains.iter().map(|g| g.amount).sum();
    let lost: u64 = fifo.losses.iter().map(|g| g.amount).sum();
    assert_eq!(
        i128::from(gained) - i128::from(lost),
        i128::from(s.conservation.fees) - i128::from(fifo.conservation.fees),
        "FIFO and haircut both conserve: what destinations gain net is what the fees lose"
    );
    for g in fifo.gains.iter().chain(&fifo.losses) {
        let before = s
            .destinations
            .iter()
            .find(|d| d.address == g.address)
            .map_or(0, |d| d.tainted);
        assert_eq!(
            g.before, before,
            "{}: before is the baseline amount",
            g.address
        );
        assert_eq!(
            g.amount,
            g.after.abs_diff(g.before),
            "{}: amount is the change",
            g.address
        );
    }
    for v in s
        .variants
        .iter()
        .filter(|v| v.toggle.heuristic.starts_with("coinjoin-stop:"))
    {
        assert!(
            !v.changed && v.stopped_at.is_empty(),
            "{}: no CoinJoin in the scenario, nothing to stop at",
            v.toggle.heuristic
        );
    }
}

#[test]
fn sensitivity_json_is_byte_identical_across_runs_and_tx_orders() {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    let consolidation = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let start = TraceStart::parse(&format!("{consolidation}:0"));
    let run = |txs: &[Tx]| {
        let c = serde_json::to_vec(&clusters(txs, &Profile::all())).unwrap();
        let t = serde_json::to_vec(
            &trace_sensitivity(txs, &start, TaintModel::Fifo, TraceDirection::Forward, 8).unwrap(),
        )
        .unwrap();
        (c, t)
    };
    let first = run(&txs);
    assert_eq!(first, run(&txs), "the same case gives the same bytes");
    let mut reversed = txs.clone();
    reversed.reverse();
    assert_eq!(
        first,
        run(&reversed),
        "the order the case lists its txs does not matter"
    );
}

#[test]
fn an_unknown_start_is_named_in_the_error() {
    let tx = capture("whirlpool-coinjoin.json");
    let err = trace_sensitivity(
        &[tx],
        &TraceStart::parse(&format!("{WHIRLPOOL}:9")),
        TaintModel::Haircut,
        TraceDirection::Forward,
        3,
    )
    .unwrap_err();
    assert_eq!(
        err,
        TraceError::UnknownOutput(format!("{WHIRLPOOL}:9")),
        "the output that is not in the case is named"
    );
}
