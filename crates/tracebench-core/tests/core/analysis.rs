//! The analysis engine on real mainnet captures, heuristics.md worked examples, hand-made
//! transactions and the sim's ground truth.

use std::collections::{BTreeMap, BTreeSet};

use tracebench_core::analysis::change::{run, ChangeHeuristic, ChangeParams, ChangeStatus};
use tracebench_core::analysis::coinjoin::{self, wasabi2_denominations, CoinJoinKind};
use tracebench_core::analysis::validate::{self, SimData};
use tracebench_core::analysis::{analyze_tx, ChainContext, Profile};
use tracebench_core::cluster::cluster;
use tracebench_core::model::{Confirmation, Tx, TxInput, TxOutput};
use tracebench_core::source::esplora::{parse_tx, parse_tx_list};

use crate::util::{fixtures, mainnet_capture as capture, tx_captures, MAINNET};

fn block() -> Vec<Tx> {
    let body = std::fs::read(fixtures().join("esplora/derived/block_277647_txs.json")).unwrap();
    parse_tx_list(MAINNET, &body).unwrap()
}

/// A hand-made tx: inputs (address, value), outputs (address, value, script type).
fn tx(txid_seed: u8, inputs: &[(&str, u64)], outputs: &[(&str, u64, &str)]) -> Tx {
    Tx {
        chain: MAINNET.to_string(),
        txid: format!("{:064x}", txid_seed),
        version: 2,
        locktime: 0,
        size: Some(200),
        weight: Some(800),
        fee: Some(
            inputs.iter().map(|i| i.1).sum::<u64>() - outputs.iter().map(|o| o.1).sum::<u64>(),
        ),
        confirmation: Confirmation::default(),
        inputs: inputs
            .iter()
            .enumerate()
            .map(|(k, (a, v))| TxInput {
                index: k as u32,
                prev_txid: Some(format!("{:064x}", 1000 + k)),
                prev_vout: Some(0),
                address: Some(a.to_string()),
                value: *v,
                is_coinbase: false,
                sequence: Some(0xffff_fffd),
            })
            .collect(),
        outputs: outputs
            .iter()
            .enumerate()
            .map(|(k, (a, v, t))| TxOutput {
                index: k as u32,
                address: (!a.is_empty()).then(|| a.to_string()),
                value: *v,
                script_type: t.to_string(),
            })
            .collect(),
    }
}

#[test]
fn every_real_capture_gets_the_right_coinjoin_verdict() {
    let captures = tx_captures();
    assert_eq!(captures.len(), 33, "the 33 real mainnet captures");
    for (name, body) in &captures {
        let t = parse_tx(MAINNET, body).unwrap();
        let expected = if name.starts_with("whirlpool-") {
            Some(CoinJoinKind::Whirlpool)
        } else if name.starts_with("wabisabi") {
            Some(CoinJoinKind::Wasabi2)
        } else if name.starts_with("joinmarket-") {
            Some(CoinJoinKind::Joinmarket)
        } else {
            None
        };
        let found = coinjoin::detect_all(&t);
        assert_eq!(
            found.as_ref().map(|v| v.kind),
            expected,
            "{name}: its file name says what it is; verdict {found:?}"
        );
        if let Some(v) = found {
            assert!(
                v.detector.starts_with(v.kind.as_str()) && v.confidence <= 100,
                "{name}: the verdict names its detector and a 0-100 confidence"
            );
        }
    }
}

#[test]
fn worked_examples_of_heuristics_md() {
    // T1: Whirlpool 0.05, 3 new entrants + 2 remixers; BlockSci's generic rule is false (p=3≠5).
    let t1 = capture("whirlpool-coinjoin.json");
    assert!(
        coinjoin::whirlpool(&t1).is_some(),
        "T1 is Whirlpool by structure"
    );
    assert!(
        coinjoin::generic(&t1).is_none(),
        "T1: BlockSci isCoinjoin is false"
    );
    // T2: Wasabi 2 under the am-i-exposed rule (nSequence all final, locktime 0, sorted).
    let t2 = capture("wabisabi-coinjoin.json");
    assert_eq!(
        coinjoin::wasabi2(&t2).map(|v| v.detector),
        Some("wasabi2:am-i-exposed".to_string()),
        "T2 meets the am-i-exposed rule, which needs the parsed nSequence"
    );
    // T3: BlockSci true, GraphSense JoinMarket false (n = 2); our two-party rule catches it.
    let t3 = capture("joinmarket-coinjoin.json");
    assert!(
        coinjoin::generic(&t3).is_some(),
        "T3: BlockSci isCoinjoin is true"
    );
    assert_eq!(
        coinjoin::joinmarket(&t3).map(|v| (v.detector, v.confidence)),
        Some(("joinmarket:two-party".to_string(), 30)),
        "T3: GraphSense's rule needs n ≥ 3; the two-party split applies, at low confidence"
    );
    // T4: no unique static change: OptimalChange and PowerOfTen return both outputs.
    let t4 = capture("simple-legacy-p2pkh.json");
    let ctx = ChainContext::empty();
    let p = ChangeParams::default();
    for h in [ChangeHeuristic::OptimalChange, ChangeHeuristic::PowerOfTen] {
        assert_eq!(
            run(h, &t4, &ctx, &p).outputs,
            vec![0, 1],
            "T4: {h:?} cannot rule out either output"
        );
    }
    // T6: 1 in / 143 out is not a CoinJoin and gives no CIOH links.
    let t6 = capture("batch-withdrawal-143.json");
    assert!(coinjoin::detect_all(&t6).is_none(), "T6 is not a CoinJoin");
    assert!(
        tracebench_core::cluster::multi_input(&[t6])
            .clusters
            .is_empty(),
        "T6: one input, nothing to merge"
    );
    // §2.3: 78 standard denominations within Dumplings' bounds.
    assert_eq!(
        wasabi2_denominations().len(),
        78,
        "heuristics.md recomputed 78 values"
    );
}

#[test]
fn whirlpool_structure_rule_is_not_tied_to_historic_pool_sizes() {
    // A 0.025 BTC pool (Ashigaru) is not in the historic pool list but has the shape.
    assert!(
        coinjoin::whirlpool(&capture("whirlpool-ashigaru.json")).is_some(),
        "structure, not pool size"
    );
    // Six inputs all at d: no new entrant pays the fee, so 0 < remixers ≤ 4 fails.
    let d = 1_000_000;
    let ins: Vec<(String, u64)> = (0..5).map(|k| (format!("in{k}"), d)).collect();
    let outs: Vec<(String, u64)> = (0..5).map(|k| (format!("out{k}"), d)).collect();
    let t = tx(
        7,
        &ins.iter()
            .map(|(a, v)| (a.as_str(), *v))
            .collect::<Vec<_>>(),
        &outs
            .iter()
            .map(|(a, v)| (a.as_str(), *v, "v0_p2wpkh"))
            .collect::<Vec<_>>(),
    );
    assert!(
        coinjoin::whirlpool(&t).is_none(),
        "five remixers and no entrant is not a Whirlpool round"
    );
}

#[test]
fn a_tx0_shaped_tx_is_a_premix_not_a_coinjoin() {
    // No capture is a Tx0, so this one is built by hand: 1 input, 4 premix outputs of
    // 1,000,170 sat (the 0.01 pool plus ε), the coordinator fee 50,000, one change, one OP_RETURN.
    let t = tx(
        9,
        &[("bc1qsender0000000000000000000000000000000", 4_500_000)],
        &[
            ("", 0, "op_return"),
            ("bc1qfee", 50_000, "v0_p2wpkh"),
            ("bc1qpre1", 1_000_170, "v0_p2wpkh"),
            ("bc1qpre2", 1_000_170, "v0_p2wpkh"),
            ("bc1qpre3", 1_000_170, "v0_p2wpkh"),
            ("bc1qpre4", 1_000_170, "v0_p2wpkh"),
            ("bc1qchange", 448_000, "v0_p2wpkh"),
        ],
    );
    let a = analyze_tx(&t, &ChainContext::empty(), &Profile::conservative());
    assert!(a.coinjoin.is_none(), "Tx0 is not a CoinJoin");
    let p = a.premix.expect("Tx0 is recognised as a premix");
    assert_eq!(
        (p.pool, p.premix_outputs.clone(), p.fee_output, p.confidence),
        (1_000_000, vec![2, 3, 4, 5], 1, 60),
        "pool 0.01, four premixes, fee at vout 1; 60 until a premix is seen entering a CoinJoin"
    );
}

#[test]
fn static_change_heuristics_on_hand_made_and_real_txs() {
    let ctx = ChainContext::empty();
    let p = ChangeParams::default();
    // 1 P2PKH input of 5,000,000 → 3,000,000 to a P2WPKH payee, 1,999,000 back as P2PKH.
    let t = tx(
        3,
        &[("1SenderAddressxxxxxxxxxxxxxxxxxxxx", 5_000_000)],
        &[
            (
                "bc1qpayeexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                3_000_000,
                "v0_p2wpkh",
            ),
            ("1ChangeAddressxxxxxxxxxxxxxxxxxxxx", 1_999_000, "p2pkh"),
        ],
    );
    let out = |h| run(h, &t, &ctx, &p).outputs;
    assert_eq!(
        out(ChangeHeuristic::AddressType),
        vec![1],
        "only vout 1 is P2PKH like the input"
    );
    assert_eq!(
        out(ChangeHeuristic::PowerOfTen),
        vec![1],
        "3,000,000 is round, so a payment"
    );
    assert_eq!(
        out(ChangeHeuristic::AddressReuse),
        Vec::<u32>::new(),
        "no output pays an input address"
    );
    assert_eq!(
        out(ChangeHeuristic::OptimalChange),
        vec![0, 1],
        "one input: every output is below it"
    );
    // Two inputs: optimal change keeps only outputs below the smaller input.
    let t2 = tx(
        4,
        &[("1a", 700_000), ("1b", 600_000)],
        &[("1c", 1_000_000, "p2pkh"), ("1d", 290_000, "p2pkh")],
    );
    assert_eq!(
        run(ChangeHeuristic::OptimalChange, &t2, &ctx, &p).outputs,
        vec![1],
        "only 290,000 is below the smallest input"
    );
    // Real: the address-reuse capture's change is vout 1, back to the spending address.
    let real = capture("address-reuse-change.json");
    assert_eq!(
        run(ChangeHeuristic::AddressReuse, &real, &ctx, &p).unique(),
        Some(1),
        "address-reuse-change.json returns its change to the input address"
    );
    assert_eq!(
        run(ChangeHeuristic::PowerOfTen, &real, &ctx, &p).unique(),
        Some(1),
        "the payment there is a round 3,000,000 sat"
    );
    let batch = capture("batch-payment.json");
    assert_eq!(
        run(ChangeHeuristic::AddressReuse, &batch, &ctx, &p).unique(),
        Some(8),
        "batch-payment.json returns its change to the input address at vout 8"
    );
}

#[test]
fn dynamic_change_heuristics_say_unknown_without_data_and_decide_with_it() {
    let p = ChangeParams::default();
    let real = capture("address-reuse-change.json");
    for h in [
        ChangeHeuristic::Locktime,
        ChangeHeuristic::FixedFee,
        ChangeHeuristic::PeelingChain,
        ChangeHeuristic::OneTimeChange,
        ChangeHeuristic::ClientBehaviour,
    ] {
        let v = run(h, &real, &ChainContext::empty(), &p);
        if h == ChangeHeuristic::OneTimeChange {
            // Self-change is present, so Meiklejohn's rule labels none without any history.
            assert_eq!(
                (v.status, v.outputs.len()),
                (ChangeStatus::Ok, 0),
                "self-change: none"
            );
        } else {
            assert_eq!(
                v.status,
                ChangeStatus::Unknown,
                "{h:?} needs data a lone tx lacks"
            );
        }
    }
    // A closed world: a → b (peel) → c (peel). In b, vout 1 continues the chain.
    let a = tx(
        20,
        &[("1src", 10_000_000)],
        &[("1pay0", 1_000_000, "p2pkh"), ("1hop1", 8_990_000, "p2pkh")],
    );
    let mut b = tx(
        21,
        &[("1hop1", 8_990_000)],
        &[("1pay1", 1_000_000, "p2pkh"), ("1hop2", 7_980_000, "p2pkh")],
    );
    b.inputs[0].prev_txid = Some(a.txid.clone());
    b.inputs[0].prev_vout = Some(1);
    let mut c = tx(
        22,
        &[("1hop2", 7_980_000)],
        &[("1pay2", 1_000_000, "p2pkh"), ("1hop3", 6_970_000, "p2pkh")],
    );
    c.inputs[0].prev_txid = Some(b.txid.clone());
    c.inputs[0].prev_vout = Some(1);
    let mut spend_pay = tx(23, &[("1pay1", 1_000_000)], &[("1x", 990_000, "p2pkh")]);
    spend_pay.inputs[0].prev_txid = Some(b.txid.clone());
    spend_pay.inputs[0].prev_vout = Some(0);
    spend_pay.locktime = 500_000;
    let world = vec![a, b.clone(), c, spend_pay];
    let ctx = ChainContext::closed_world(&world);
    assert_eq!(
        run(ChangeHeuristic::PeelingChain, &b, &ctx, &p).unique(),
        Some(1),
        "the output spent by the next peel continues the chain"
    );
    assert_eq!(
        run(ChangeHeuristic::Locktime, &b, &ctx, &p).unique(),
        Some(1),
        "vout 0's spender uses a locktime, b does not"
    );
    assert_eq!(
        run(ChangeHeuristic::OneTimeChange, &b, &ctx, &p).status,
        ChangeStatus::Ok,
        "a closed world knows every first appearance"
    );
}

#[test]
fn clustering_is_order_invariant_and_byte_identical_across_runs() {
    let mut txs = block();
    txs.push(capture("whirlpool-coinjoin.json"));
    txs.push(capture("joinmarket-6cb2433f.json"));
    for profile in [Profile::conservative(), Profile::all()] {
        let run_once = |txs: &[Tx]| {
            let ctx = ChainContext::new(txs, BTreeSet::new());
            serde_json::to_string(&cluster(txs, &ctx, &profile)).unwrap()
        };
        let a = run_once(&txs);
        let again = run_once(&txs);
        let mut rev = txs.clone();
        rev.reverse();
        let b = run_once(&rev);
        let mut shuffled = txs.clone();
        shuffled.rotate_left(57);
        for t in &mut shuffled {
            t.inputs.reverse();
        }
        let c = run_once(&shuffled);
        assert_eq!(
            a, again,
            "{}: same input, byte-identical JSON",
            profile.name
        );
        assert_eq!(a, b, "{}: reversed tx order, same JSON", profile.name);
        assert_eq!(
            a, c,
            "{}: rotated txs and reversed inputs, same JSON",
            profile.name
        );
        let parsed: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(
            parsed["profile"],
            profile.name.as_str(),
            "the profile is recorded"
        );
        let skipped: Vec<String> =
            serde_json::from_value(parsed["skipped_coinjoins"].clone()).unwrap();
        assert!(
            skipped.contains(
                &"323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2".to_string()
            ),
            "{}: the Whirlpool round never merges its inputs",
            profile.name
        );
    }
}

#[test]
fn a_toml_profile_switching_a_heuristic_off_changes_the_result() {
    // Payment of a round 3,000,000 to a fresh P2PKH: power of ten alone picks vout 1 as change.
    let t = tx(
        30,
        &[("1Alice", 5_000_000)],
        &[
            ("1Bob", 3_000_000, "p2pkh"),
            ("1AliceChange", 1_999_000, "p2pkh"),
        ],
    );
    let txs = vec![t];
    let ctx = ChainContext::new(&txs, BTreeSet::new());
    let with = Profile::from_toml(
        "name = \"p10\"\nheuristics = [\"multi_input\", \"power_of_ten\"]\n",
        "p10.toml",
    )
    .unwrap();
    let without = Profile::from_toml(
        "name = \"none\"\nheuristics = [\"multi_input\"]\n[parameters]\npower_of_ten_digits = 6\n",
        "none.toml",
    )
    .unwrap();
    let on = cluster(&txs, &ctx, &with);
    let off = cluster(&txs, &ctx, &without);
    assert_eq!(
        on.clusters
            .iter()
            .map(|c| c.addresses.clone())
            .collect::<Vec<_>>(),
        vec![vec!["1Alice".to_string(), "1AliceChange".to_string()]],
        "power of ten joins the change to the sender"
    );
    assert!(off.clusters.is_empty(), "switched off, nothing is merged");
    assert!(
        on.heuristics
            .contains(&"change:power_of_ten(digits=6)".to_string())
            && !off.heuristics.iter().any(|h| h.starts_with("change:")),
        "the heuristics used are recorded: {:?} / {:?}",
        on.heuristics,
        off.heuristics
    );
    assert!(
        on.profile.contains("p10.toml"),
        "the file profile is recorded by name and path"
    );
}

#[test]
fn malformed_toml_profile_names_the_line() {
    let err = Profile::from_toml("name = \"x\"\nheuristics = [\"multi_input\"\n", "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.toml") && err.contains("line "),
        "error names file and line: {err}"
    );
    let err = Profile::from_toml("name = \"x\"\n\nheuristics = 5\n", "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 3"),
        "the wrongly typed value is on line 3: {err}"
    );
    let err = Profile::from_toml("name = \"x\"\nheuristics = [\"telepathy\"]\n", "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("telepathy"),
        "an unknown heuristic is named: {err}"
    );
}

/// The sim as model txs, in chain order, through the real Esplora parser (the sim's own JSON).
fn sim_data() -> SimData {
    let (chain, txs) = crate::util::sim_txs();
    SimData {
        name: "sim:ransomware:1".to_string(),
        txs,
        owners: chain.truth().owners,
    }
}

#[test]
fn validation_scores_real_and_synthetic_data() {
    let mut sets = validate::real_datasets().unwrap();
    let sim = sim_data();
    sets.push(validate::sim_dataset(&sim));
    let v = validate::score(&sets);
    let row = |name: &str, ds: &str| {
        v.coinjoin
            .iter()
            .chain(&v.change)
            .find(|r| r.name == name && r.dataset == ds)
            .unwrap_or_else(|| panic!("row {name}/{ds}"))
            .counts
            .clone()
    };
    let any = row("any", "mainnet-captures");
    assert_eq!(
        (any.tp, any.fp, any.fn_),
        (5, 0, 0),
        "all 5 real CoinJoins found, no false alarm"
    );
    let block = row("any", "block-277647");
    assert_eq!(block.fp, 0, "no CoinJoin in a 2013 block");
    let reuse = row("address_reuse", "block-277647");
    assert_eq!(
        (reuse.tp, reuse.fp),
        (70, 0),
        "self-change labels are reuse by construction"
    );
    let sim_cj = row("any", "sim:ransomware:1");
    assert_eq!(sim_cj.fp, 0, "the sim has no CoinJoins");
    let peel = row("peeling_chain", "sim:ransomware:1");
    assert!(peel.tp > 0, "the sim's peel chain is found: {peel:?}");
    assert!(
        v.coverage
            .iter()
            .any(|c| c.name == "locktime" && c.validated_on == "synthetic-only"),
        "dynamic heuristics are flagged as validated only on synthetic data"
    );
    // Byte-identical on re-run.
    let again = validate::score(&sets);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        serde_json::to_string(&again).unwrap(),
        "validation is deterministic"
    );
}

#[test]
fn embedded_fixtures_equal_the_captures() {
    let mut by_name: BTreeMap<String, Tx> = BTreeMap::new();
    for (name, body) in tx_captures() {
        by_name.insert(name, parse_tx(MAINNET, &body).unwrap());
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/analysis/validation");
    // Order: the labels file's order (top-level files, then corpus).
    let labels: Vec<serde_json::Value> = serde_json::from_str(validate::CAPTURES_LABELS).unwrap();
    let captures: Vec<Tx> = labels
        .iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap();
            let base = file.rsplit('/').next().unwrap();
            by_name[base].clone()
        })
        .collect();
    let fresh_captures = serde_json::to_string(&captures).unwrap();
    let fresh_block = serde_json::to_string(&block()).unwrap();
    if std::env::var("UPDATE_VALIDATION").is_ok_and(|v| v == "1") {
        std::fs::write(dir.join("captures_txs.json"), &fresh_captures).unwrap();
        std::fs::write(dir.join("block_277647_txs.json"), &fresh_block).unwrap();
    }
    assert_eq!(
        validate::CAPTURES_TXS.trim(),
        fresh_captures,
        "captures_txs.json is stale: UPDATE_VALIDATION=1 cargo test -p tracebench-core embedded_fixtures"
    );
    assert_eq!(
        validate::BLOCK_277647_TXS.trim(),
        fresh_block,
        "block_277647_txs.json is stale"
    );
}
