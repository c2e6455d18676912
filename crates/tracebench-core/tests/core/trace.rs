//! Taint tracing, peel chains and paths: the worked example of heuristics.md §4, the rounding
//! rule, conservation and determinism as properties, and the ransomware sim's ground truth.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tracebench_core::analysis::paths::{max_flow, paths};
use tracebench_core::analysis::peel::{follow, start_for_address, PeelIndex, PeelStop};
use tracebench_core::analysis::trace::{
    trace, OutputStatus, TaintModel, Trace, TraceDirection, TraceStart,
};
use tracebench_core::graph::TxGraph;
use tracebench_core::model::{Confirmation, Tx, TxInput, TxOutput};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";
const BTC: u64 = 100_000_000;

fn txid(n: u64) -> String {
    format!("{n:064x}")
}

/// A transaction `id` at `height` spending `(prev id, vout, address, value)` and paying
/// `(address, value)`.
fn tx(id: u64, height: u64, inputs: &[(u64, u32, &str, u64)], outputs: &[(&str, u64)]) -> Tx {
    let inputs: Vec<TxInput> = inputs
        .iter()
        .enumerate()
        .map(|(k, (p, v, a, value))| TxInput {
            index: k as u32,
            prev_txid: Some(txid(*p)),
            prev_vout: Some(*v),
            address: Some(a.to_string()),
            value: *value,
            is_coinbase: false,
            sequence: None,
        })
        .collect();
    let outputs: Vec<TxOutput> = outputs
        .iter()
        .enumerate()
        .map(|(k, (a, value))| TxOutput {
            index: k as u32,
            address: Some(a.to_string()),
            value: *value,
            script_type: "v0_p2wpkh".into(),
        })
        .collect();
    let fee =
        inputs.iter().map(|i| i.value).sum::<u64>() - outputs.iter().map(|o| o.value).sum::<u64>();
    Tx {
        chain: MAINNET.into(),
        txid: txid(id),
        version: 2,
        locktime: 0,
        size: None,
        weight: None,
        fee: Some(fee),
        confirmation: Confirmation {
            block_height: Some(height),
            block_hash: None,
            block_time: None,
        },
        inputs,
        outputs,
    }
}

/// heuristics.md §4 worked example: 3 stolen (tx 1) + 7 fresh (tx 2) BTC into address X, then
/// tx 3 spends both (stolen first) into ten outputs of 1 BTC.
fn worked_example() -> Vec<Tx> {
    let outs: Vec<(String, u64)> = (0..10).map(|k| (format!("Y{k}"), BTC)).collect();
    let outs: Vec<(&str, u64)> = outs.iter().map(|(a, v)| (a.as_str(), *v)).collect();
    vec![
        tx(
            1,
            100,
            &[(900, 0, "thief-source", 3 * BTC)],
            &[("X", 3 * BTC)],
        ),
        tx(
            2,
            100,
            &[(901, 0, "fresh-source", 7 * BTC)],
            &[("X", 7 * BTC)],
        ),
        tx(3, 101, &[(1, 0, "X", 3 * BTC), (2, 0, "X", 7 * BTC)], &outs),
    ]
}

fn run(txs: &[Tx], start: &str, model: TaintModel, dir: TraceDirection, hops: u32) -> Trace {
    trace(txs, &TraceStart::parse(start), model, dir, hops).expect("trace runs and conserves")
}

fn tainted_of(t: &Trace, id: u64, vout: u32) -> u64 {
    t.output(&format!("{}:{vout}", txid(id)))
        .map(|o| o.tainted)
        .unwrap_or(0)
}

#[test]
fn worked_example_poison_marks_all_ten_btc_stolen() {
    let txs = worked_example();
    let stolen = format!("{}:0", txid(1));
    let t = run(
        &txs,
        &stolen,
        TaintModel::Poison,
        TraceDirection::Forward,
        3,
    );
    let total: u64 = (0..10).map(|v| tainted_of(&t, 3, v)).sum();
    assert_eq!(
        total,
        10 * BTC,
        "poison: any tainted input taints every output"
    );
    assert_eq!(t.output(&stolen).unwrap().hop, 0, "the seed is hop 0");
    assert_eq!(
        t.output(&format!("{}:9", txid(3))).unwrap().hop,
        1,
        "one tx = one hop"
    );
}

#[test]
fn worked_example_haircut_gives_ten_btc_at_thirty_percent() {
    let txs = worked_example();
    let t = run(
        &txs,
        &format!("{}:0", txid(1)),
        TaintModel::Haircut,
        TraceDirection::Forward,
        3,
    );
    for v in 0..10 {
        assert_eq!(
            tainted_of(&t, 3, v),
            30_000_000,
            "each 1 BTC output is 30 % tainted"
        );
    }
    assert_eq!(
        t.conservation.unresolved,
        3 * BTC,
        "the outputs are not spent in the case: the 3 BTC sit there, unresolved"
    );
    assert_eq!(
        t.conservation.unresolved_outputs, 10,
        "the ten payees; the seed passed its taint on"
    );
}

#[test]
fn worked_example_fifo_gives_the_first_three_out_as_stolen() {
    let txs = worked_example();
    let t = run(
        &txs,
        &format!("{}:0", txid(1)),
        TaintModel::Fifo,
        TraceDirection::Forward,
        3,
    );
    let per_output: Vec<u64> = (0..10).map(|v| tainted_of(&t, 3, v)).collect();
    let mut expected = vec![0; 10];
    expected[..3].fill(BTC);
    assert_eq!(
        per_output, expected,
        "FIFO: the first 3 BTC out are the stolen 3 BTC in"
    );
    assert!(t.conservation.balanced, "FIFO is lossless");
}

#[test]
fn worked_example_backward_attributes_an_output_to_its_funders() {
    let txs = worked_example();
    let first = format!("{}:0", txid(3));
    let h = run(
        &txs,
        &first,
        TaintModel::Haircut,
        TraceDirection::Backward,
        1,
    );
    assert_eq!(
        tainted_of(&h, 1, 0),
        30_000_000,
        "haircut: 30 % from the stolen coin"
    );
    assert_eq!(
        tainted_of(&h, 2, 0),
        70_000_000,
        "haircut: 70 % from the fresh coin"
    );
    assert_eq!(
        h.conservation.held_at_hop_limit, BTC,
        "the funders' creators are in the case, beyond hop 1"
    );
    assert_eq!(
        h.conservation.unresolved, 0,
        "nothing reached the edge of the case"
    );
    let h2 = run(
        &txs,
        &first,
        TaintModel::Haircut,
        TraceDirection::Backward,
        2,
    );
    assert_eq!(
        h2.conservation.unresolved, BTC,
        "two hops back, the coins came from outside the case"
    );
    let f = run(&txs, &first, TaintModel::Fifo, TraceDirection::Backward, 1);
    assert_eq!(
        tainted_of(&f, 1, 0),
        BTC,
        "FIFO: the first BTC out came from the stolen coin"
    );
    assert_eq!(tainted_of(&f, 2, 0), 0, "and none from the fresh one");
}

#[test]
fn rounding_remainders_go_to_the_largest_output_then_the_lowest_vout() {
    // 7 tainted of 10 sat: outputs 3, 4, 2 and fee 1. Floors 2, 2, 1 and fee 0 leave 2 sat,
    // which the largest output (vout 1) takes.
    let txs = vec![
        tx(1, 1, &[(900, 0, "a", 7)], &[("s", 7)]),
        tx(2, 1, &[(901, 0, "b", 3)], &[("c", 3)]),
        tx(
            3,
            2,
            &[(1, 0, "s", 7), (2, 0, "c", 3)],
            &[("p", 3), ("q", 4), ("r", 2)],
        ),
        // A tie: outputs 4, 4, 1, fee 1 → floors 2, 2, 0 and 3 sat left: vout 0 fills up (2),
        // then vout 1 (1).
        tx(4, 1, &[(902, 0, "a", 7)], &[("s2", 7)]),
        tx(5, 1, &[(903, 0, "b", 3)], &[("c2", 3)]),
        tx(
            6,
            2,
            &[(4, 0, "s2", 7), (5, 0, "c2", 3)],
            &[("p", 4), ("q", 4), ("r", 1)],
        ),
    ];
    let t = run(
        &txs,
        &format!("{}:0", txid(1)),
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    );
    let got: Vec<u64> = (0..3).map(|v| tainted_of(&t, 3, v)).collect();
    assert_eq!(
        got,
        vec![2, 4, 1],
        "the remainder goes to the largest output"
    );
    assert_eq!(
        t.conservation.fees, 0,
        "the fee's floor share is 0 and no remainder reaches it"
    );
    let t = run(
        &txs,
        &format!("{}:0", txid(4)),
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    );
    let got: Vec<u64> = (0..3).map(|v| tainted_of(&t, 6, v)).collect();
    assert_eq!(
        got,
        vec![4, 3, 0],
        "ties go to the lowest vout, capped at its value"
    );
}

#[test]
fn the_hop_limit_holds_taint_and_multi_hop_haircut_keeps_sources() {
    // Two sources merge at tx 3, then tx 4 passes it on.
    let txs = vec![
        tx(1, 1, &[(900, 0, "a", 10)], &[("x", 6), ("y", 4)]),
        tx(3, 2, &[(1, 0, "x", 6), (1, 1, "y", 4)], &[("z", 9)]),
        tx(4, 3, &[(3, 0, "z", 9)], &[("w", 8)]),
    ];
    let both = TraceStart::Outputs(vec![(txid(1), 0), (txid(1), 1)]);
    let t = trace(&txs, &both, TaintModel::Haircut, TraceDirection::Forward, 1).unwrap();
    assert_eq!(
        t.conservation.held_at_hop_limit, 9,
        "tx 4 is beyond one hop: z holds its 9"
    );
    assert_eq!(t.conservation.fees, 1, "tx 3's fee took 1 sat");
    let z = t.output(&format!("{}:0", txid(3))).unwrap();
    assert_eq!(
        z.status,
        OutputStatus::HopLimit,
        "z's spender lies beyond the limit"
    );
    let shares: Vec<u64> = z.sources.iter().map(|s| s.amount).collect();
    assert_eq!(
        shares,
        vec![6, 3],
        "x's 6 sat pass whole; y's 4 lose 1 to the fee (the remainder goes to the output)"
    );
    let t2 = trace(&txs, &both, TaintModel::Haircut, TraceDirection::Forward, 2).unwrap();
    assert_eq!(t2.conservation.fees, 2, "tx 4's fee took 1 more");
    assert_eq!(
        t2.conservation.unresolved, 8,
        "w's spending is not in the case"
    );
}

#[test]
fn an_address_start_seeds_every_received_output_once() {
    let txs = worked_example();
    let t = run(&txs, "X", TaintModel::Haircut, TraceDirection::Forward, 2);
    assert_eq!(t.conservation.seeded, 10 * BTC, "X received 3 + 7 BTC");
    for v in 0..10 {
        assert_eq!(
            tainted_of(&t, 3, v),
            BTC,
            "everything X received is tainted"
        );
    }
    let err = trace(
        &txs,
        &TraceStart::parse("nobody"),
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    );
    assert!(
        err.is_err(),
        "an address the case never paid cannot be traced"
    );
}

/// A random DAG of transactions from a tape of random numbers: each tx spends some unspent
/// outputs of earlier ones (sometimes an outside coin too), pays 1–3 outputs and a small fee.
fn random_dag(tape: &[u64]) -> Vec<Tx> {
    let mut tape = tape.iter().copied().cycle();
    let mut next = move |m: u64| tape.next().unwrap_or(0) % m.max(1);
    let n = 2 + next(8);
    let mut unspent: Vec<(u64, u32, String, u64)> = Vec::new();
    let mut txs = Vec::new();
    for id in 1..=n {
        let mut ins: Vec<(u64, u32, String, u64)> = Vec::new();
        if !unspent.is_empty() {
            let take = 1 + next(unspent.len() as u64);
            for _ in 0..take {
                if unspent.is_empty() {
                    break;
                }
                let k = next(unspent.len() as u64) as usize;
                ins.push(unspent.remove(k));
            }
        }
        if ins.is_empty() || next(3) == 0 {
            ins.push((1000 + id, 0, format!("ext{id}"), 1 + next(100_000)));
        }
        let total: u64 = ins.iter().map(|i| i.3).sum();
        let fee = next(total / 10 + 1);
        let mut left = total - fee;
        let outs = 1 + next(3);
        let mut outputs: Vec<(String, u64)> = Vec::new();
        for k in 0..outs {
            let v = if k + 1 == outs { left } else { next(left + 1) };
            left -= v;
            outputs.push((format!("a{}", next(6)), v));
        }
        let ins_ref: Vec<(u64, u32, &str, u64)> = ins
            .iter()
            .map(|(p, v, a, val)| (*p, *v, a.as_str(), *val))
            .collect();
        let outs_ref: Vec<(&str, u64)> = outputs.iter().map(|(a, v)| (a.as_str(), *v)).collect();
        let t = tx(id, id, &ins_ref, &outs_ref);
        for (k, (a, v)) in outputs.iter().enumerate() {
            unspent.push((id, k as u32, a.clone(), *v));
        }
        txs.push(t);
    }
    txs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn taint_is_conserved_on_random_dags(tape in prop::collection::vec(any::<u64>(), 64), hops in 1u32..6, backward: bool) {
        let txs = random_dag(&tape);
        let dir = if backward { TraceDirection::Backward } else { TraceDirection::Forward };
        let last = txs.last().unwrap();
        let start = if backward {
            TraceStart::Outputs(vec![(last.txid.clone(), 0)])
        } else {
            TraceStart::Outputs(vec![(txs[0].txid.clone(), 0)])
        };
        for model in [TaintModel::Poison, TaintModel::Haircut, TaintModel::Fifo] {
            let t = trace(&txs, &start, model, dir, hops).expect("conservation holds");
            for o in &t.outputs {
                prop_assert!(o.tainted <= o.value, "{} carries more taint than value", o.outpoint);
            }
            if model != TaintModel::Poison {
                let c = &t.conservation;
                prop_assert!(c.balanced, "shares add up");
                prop_assert_eq!(c.seeded, c.fees + c.held_at_hop_limit + c.unresolved + c.coinbase, "seed = fees + held + unresolved");
                let terminal: u64 = t.outputs.iter().filter(|o| o.status != OutputStatus::Passed).map(|o| o.tainted).sum();
                prop_assert_eq!(terminal + c.fees, c.seeded, "the terminal outputs and fees hold the whole seed");
            }
        }
    }

    #[test]
    fn the_same_case_gives_byte_identical_json(tape in prop::collection::vec(any::<u64>(), 64), hops in 1u32..6) {
        let txs = random_dag(&tape);
        let mut shuffled = txs.clone();
        shuffled.reverse();
        let start = TraceStart::Outputs(vec![(txs[0].txid.clone(), 0)]);
        for model in [TaintModel::Poison, TaintModel::Haircut, TaintModel::Fifo] {
            let a = serde_json::to_vec(&trace(&txs, &start, model, TraceDirection::Forward, hops).unwrap()).unwrap();
            let b = serde_json::to_vec(&trace(&shuffled, &start, model, TraceDirection::Forward, hops).unwrap()).unwrap();
            prop_assert_eq!(a, b, "output does not depend on the order the case lists its txs");
        }
    }
}

/// The ransomware sim (seed 1), its txs rebuilt through the real Esplora parser from the sim's
/// own JSON (as in cluster.rs), and its ground truth.
fn sim_case() -> (Vec<Tx>, serde_json::Value, String) {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    (txs, truth, chain.seed_address().to_string())
}

#[test]
fn sim_peel_chain_trace_and_paths_match_the_ground_truth() {
    let (txs, truth, seed_address) = sim_case();
    let roles = &truth["roles"];
    let peel_truth: Vec<String> =
        serde_json::from_value(roles["peel_chain_txids"].clone()).unwrap();
    let consolidation = roles["consolidation_txid"].as_str().unwrap();
    let deposit = roles["exchange_deposit_address"].as_str().unwrap();
    let sweep = roles["sweep_txid"].as_str().unwrap();

    // Peel chain: followed from its first tx, it is exactly the truth's chain.
    let index = PeelIndex::new(&txs);
    let chain = follow(&index, &peel_truth[0], 100, &BTreeSet::new()).unwrap();
    let found: Vec<String> = chain.txids().into_iter().map(String::from).collect();
    assert_eq!(
        found, peel_truth,
        "the follower recovers the sim's peel chain, in order"
    );
    assert_eq!(
        chain.stop,
        PeelStop::Unspent,
        "the last change output is never spent"
    );
    let last = txs
        .iter()
        .find(|t| t.txid == *peel_truth.last().unwrap())
        .unwrap();
    let to_deposit = last
        .outputs
        .iter()
        .find(|o| o.address.as_deref() == Some(deposit))
        .expect("the last peel pays the exchange deposit address");
    assert!(
        chain
            .payments
            .iter()
            .any(|p| p.txid == last.txid && p.vout == to_deposit.index),
        "the cash-out to the exchange is recorded as the last peeled payment"
    );
    assert_eq!(
        chain.payments.len(),
        peel_truth.len(),
        "one payment peeled per hop"
    );
    let stopped = follow(
        &index,
        &peel_truth[0],
        100,
        &BTreeSet::from([chain.steps[1].continuing_address.clone().unwrap()]),
    )
    .unwrap();
    assert_eq!(
        (stopped.stop, stopped.steps.len()),
        (PeelStop::Service, 2),
        "a stop address ends the chain"
    );
    let short = follow(&index, &peel_truth[0], 3, &BTreeSet::new()).unwrap();
    assert_eq!(
        (short.stop, short.steps.len()),
        (PeelStop::DepthLimit, 3),
        "the depth limit holds"
    );
    let holder = txs
        .iter()
        .find(|t| t.txid == consolidation)
        .unwrap()
        .outputs[0]
        .address
        .clone()
        .unwrap();
    assert_eq!(
        start_for_address(&index, &holder).unwrap(),
        peel_truth[0],
        "an address starts at its first peel"
    );
    assert!(
        !index.is_peeling_chain(txs.iter().find(|t| t.txid == sweep).unwrap()),
        "the sweep is no peel"
    );

    // Haircut from the consolidation output reaches the deposit with what the sim sent there.
    let cons = txs.iter().find(|t| t.txid == consolidation).unwrap();
    let start = TraceStart::Outputs(
        cons.outputs
            .iter()
            .map(|o| (cons.txid.clone(), o.index))
            .collect(),
    );
    let t = trace(
        &txs,
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        peel_truth.len() as u32,
    )
    .unwrap();
    let reached = t
        .address(deposit)
        .expect("the trace reaches the exchange deposit address");
    assert_eq!(
        reached.tainted, to_deposit.value,
        "all of the cash-out is ransom money"
    );
    assert_eq!(
        reached.hop,
        peel_truth.len() as u32,
        "one hop per peel transaction"
    );
    assert!(t.conservation.balanced, "conservation holds on the sim");

    // Paths from the ransom address to the deposit: ransom → consolidation → peels → deposit.
    let graph = TxGraph::build(&txs);
    let p = paths(&graph, &seed_address, deposit, peel_truth.len() as u32 + 1).unwrap();
    let shortest = p
        .shortest
        .expect("a path from the ransom to the exchange exists");
    assert_eq!(
        shortest.hops as usize,
        peel_truth.len() + 1,
        "consolidation plus every peel"
    );
    assert_eq!(
        shortest.txids[0], consolidation,
        "the first hop is the consolidation"
    );
    assert_eq!(&shortest.txids[1..], &peel_truth[..], "then the peel chain");
    assert!(
        p.all.contains(&shortest),
        "the shortest path is among the simple paths"
    );
    assert!(
        p.max_flow.value > 0,
        "money can flow from the ransom to the exchange"
    );
    let ransoms: Vec<String> = serde_json::from_value(roles["ransom_addresses"].clone()).unwrap();
    let f = max_flow(&graph, &ransoms, &[deposit.to_string()]).unwrap();
    assert_eq!(
        f.value, to_deposit.value,
        "the only way in is the cash-out itself"
    );
}

#[test]
fn paths_list_every_simple_route_in_a_fixed_order_and_the_flow_is_bounded_by_capacity() {
    // a pays b and c in tx 1; b pays d in tx 2; c pays d in tx 3; a also pays d directly in tx 4.
    let txs = vec![
        tx(1, 1, &[(900, 0, "a", 10)], &[("b", 4), ("c", 5)]),
        tx(2, 2, &[(1, 0, "b", 4)], &[("d", 3)]),
        tx(3, 2, &[(1, 1, "c", 5)], &[("d", 5)]),
        tx(4, 3, &[(901, 0, "a", 2)], &[("d", 2)]),
    ];
    let graph = TxGraph::build(&txs);
    let p = paths(&graph, "a", "d", 2).unwrap();
    let shortest = p.shortest.clone().unwrap();
    assert_eq!(
        (shortest.hops, shortest.txids.clone()),
        (1, vec![txid(4)]),
        "the direct payment is one hop"
    );
    let routes: Vec<(u32, Vec<String>)> = p
        .all
        .iter()
        .map(|x| (x.hops, x.addresses.clone()))
        .collect();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    assert_eq!(
        routes,
        vec![
            (1, s(&["a", "d"])),
            (2, s(&["a", "b", "d"])),
            (2, s(&["a", "c", "d"]))
        ],
        "every simple path, ordered by hops then addresses"
    );
    assert_eq!(
        paths(&graph, "a", "d", 1).unwrap().all.len(),
        1,
        "max hops bounds the listing"
    );
    assert_eq!(
        p.max_flow.value,
        3 + 5 + 2,
        "b→d carries 3, c→d 5 and the direct 2"
    );
    let reversed: Vec<Tx> = txs.iter().rev().cloned().collect();
    assert_eq!(
        serde_json::to_vec(&paths(&TxGraph::build(&reversed), "a", "d", 2).unwrap()).unwrap(),
        serde_json::to_vec(&p).unwrap(),
        "the result does not depend on the case's tx order"
    );
    assert!(
        paths(&graph, "a", "nowhere", 2).is_err(),
        "an unknown address is an error"
    );
}

#[test]
fn the_peel_follower_stops_where_the_chain_forks_and_refuses_non_peels() {
    // tx 1 (1-in 2-out) has both outputs spent by peel-like txs 2 and 3: two continue.
    let txs = vec![
        tx(1, 1, &[(900, 0, "a", 100)], &[("b", 60), ("c", 39)]),
        tx(2, 2, &[(1, 0, "b", 60)], &[("d", 30), ("e", 29)]),
        tx(3, 2, &[(1, 1, "c", 39)], &[("f", 20), ("g", 18)]),
        tx(4, 3, &[(2, 0, "d", 30), (2, 1, "e", 29)], &[("h", 58)]),
    ];
    let index = PeelIndex::new(&txs);
    let c = follow(&index, &txid(1), 10, &BTreeSet::new()).unwrap();
    assert_eq!(
        c.stop,
        PeelStop::SeveralContinue,
        "two outputs continue: ambiguous"
    );
    assert_eq!(
        c.undetermined.len(),
        2,
        "both outputs are left undetermined"
    );
    let c = follow(&index, &txid(2), 10, &BTreeSet::new()).unwrap();
    assert_eq!(
        c.stop,
        PeelStop::NoContinuation,
        "tx 4 (two inputs) is no peel"
    );
    assert!(
        follow(&index, &txid(4), 10, &BTreeSet::new()).is_err(),
        "a 2-in tx is not a peel"
    );
    assert!(
        follow(&index, &txid(99), 10, &BTreeSet::new()).is_err(),
        "unknown tx"
    );
}

#[test]
fn backward_haircut_ends_at_coinbases_with_the_minted_value() {
    // Walking back far enough from the cash-out reaches the miners' coinbase transactions,
    // whose input carries no value on the wire: the taint ends there, balanced.
    let (txs, truth, _) = sim_case();
    let deposit = truth["roles"]["exchange_deposit_address"].as_str().unwrap();
    for model in [TaintModel::Haircut, TaintModel::Fifo] {
        let t = trace(
            &txs,
            &TraceStart::Address(deposit.to_string()),
            model,
            TraceDirection::Backward,
            1000,
        )
        .expect("a backward trace into coinbases succeeds");
        assert!(
            t.conservation.coinbase > 0,
            "{model:?}: the trail ends at newly minted coins"
        );
        assert!(
            t.outputs
                .iter()
                .any(|o| o.status == OutputStatus::Coinbase && o.tainted > 0),
            "{model:?}: coinbase inputs are listed as such"
        );
        assert!(t.conservation.balanced, "{model:?}: conservation holds");
    }
}

#[test]
fn haircut_remainders_of_many_sources_never_overfill_an_output() {
    // Three fully tainted sources (1, 1 and 2 sat) merge into two outputs of 2 sat. Placing
    // each source's remainder before the next source's floor parts once pushed 3 sat into a
    // 2-sat output; every floor part must be placed before any remainder.
    let txs = vec![
        tx(1, 1, &[(900, 0, "m", 5)], &[("a", 1), ("b", 1), ("c", 2)]),
        tx(
            2,
            2,
            &[(1, 0, "a", 1), (1, 1, "b", 1), (1, 2, "c", 2)],
            &[("x", 2), ("y", 2)],
        ),
    ];
    let start = TraceStart::Outputs(vec![(txid(1), 0), (txid(1), 1), (txid(1), 2)]);
    let t = trace(
        &txs,
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        3,
    )
    .unwrap();
    for o in [format!("{}:0", txid(2)), format!("{}:1", txid(2))] {
        let out = t.output(&o).unwrap();
        assert_eq!(
            out.tainted, 2,
            "{o} is fully tainted, and no more than its value"
        );
        let by_source: u64 = out.sources.iter().map(|s| s.amount).sum();
        assert_eq!(by_source, 2, "{o}: the sources' shares add up to its value");
    }
}
