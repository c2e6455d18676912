//! `generate_case`: a large synthetic case written straight into a case file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::TimeZone;
use tracebench_core::api::Workbench;
use tracebench_core::cluster;
use tracebench_sim::{generate_case, GenerateError, GenerateOptions, TXS_PER_BLOCK};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .expect("a valid time")
}

fn options(txs: u64) -> GenerateOptions {
    GenerateOptions {
        txs,
        seed: 7,
        network: Default::default(),
    }
}

#[test]
fn generated_case_opens_with_exactly_n_txs_and_clusters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gen.tbcase");
    let n = TXS_PER_BLOCK * 2 + 321;
    let summary = generate_case(&path, options(n), now(), "tester").expect("generate");
    assert_eq!(
        summary.txs, n,
        "the summary counts every transaction written"
    );
    assert_eq!(
        summary.blocks, 3,
        "2,321 txs beyond two full blocks need a third"
    );

    let wb = Workbench::open(&path, None).expect("the generated file is a normal case");
    assert!(
        wb.case().is_synthetic().expect("sources"),
        "a generated case is marked synthetic"
    );
    assert_eq!(
        wb.case().sources().expect("sources"),
        vec![("sim:generated:7".to_string(), true)],
        "one synthetic source, named after the seed"
    );
    let txs = wb.case().all_txs().expect("all txs");
    assert_eq!(txs.len() as u64, n, "the case holds exactly N transactions");

    // Closed world: every input spends an output of the case from the same or an earlier block,
    // with that output's value and address, and no output is spent twice.
    // (txid, vout) → (address, value, block height)
    type Created = (Option<String>, u64, Option<u64>);
    let mut outputs: BTreeMap<(String, u32), Created> = BTreeMap::new();
    for t in &txs {
        for o in &t.outputs {
            outputs.insert(
                (t.txid.clone(), o.index),
                (o.address.clone(), o.value, t.confirmation.block_height),
            );
        }
    }
    let mut spent: BTreeSet<(String, u32)> = BTreeSet::new();
    for t in txs.iter().filter(|t| !t.is_coinbase()) {
        assert!(
            t.input_sum() > t.output_sum(),
            "every fee is positive ({})",
            t.txid
        );
        for i in &t.inputs {
            let key = (
                i.prev_txid.clone().expect("a prevout"),
                i.prev_vout.expect("a vout"),
            );
            let prev = outputs
                .get(&key)
                .unwrap_or_else(|| panic!("{} spends {key:?}, which is not in the case", t.txid));
            assert_eq!(
                (prev.0.clone(), prev.1),
                (i.address.clone(), i.value),
                "an input carries its prevout's address and value"
            );
            assert!(
                prev.2 <= t.confirmation.block_height,
                "an input spends an output of the same or an earlier block"
            );
            assert!(spent.insert(key), "no output is spent twice");
        }
    }

    let c = wb
        .clusters()
        .expect("clustering runs on the generated case");
    assert!(
        c.clusters.len() > 10,
        "multi-input spends form clusters (got {})",
        c.clusters.len()
    );
    assert_eq!(
        c.skipped_coinjoins.len() as u64,
        summary.coinjoins,
        "every CoinJoin-shaped transaction is detected and left out of clustering"
    );
    assert!(summary.peel_steps > 0, "peel chains are generated");
    let direct = cluster::multi_input(&txs);
    assert_eq!(
        direct.clusters.len(),
        c.clusters.len(),
        "the workbench clusters the case like cluster::multi_input does"
    );
}

#[test]
fn same_seed_gives_the_same_transactions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let read = |name: &str, seed: u64| {
        let path = dir.path().join(name);
        generate_case(
            &path,
            GenerateOptions {
                txs: 1_500,
                seed,
                network: Default::default(),
            },
            now(),
            "t",
        )
        .expect("generate");
        let wb = Workbench::open(&path, None).expect("open");
        wb.case().all_txs().expect("txs")
    };
    let a = read("a.tbcase", 3);
    let b = read("b.tbcase", 3);
    let c = read("c.tbcase", 4);
    assert_eq!(a, b, "the same seed writes the same transactions");
    assert_ne!(a, c, "another seed writes another chain");
}

#[test]
fn refuses_to_overwrite_and_zero_txs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("exists.tbcase");
    std::fs::write(&path, b"the analyst's file").expect("write");
    let err = generate_case(&path, options(10), now(), "t").expect_err("must refuse");
    assert!(
        matches!(err, GenerateError::Exists(_)),
        "an existing file is refused, got {err}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"the analyst's file",
        "the existing file is untouched"
    );
    let other = dir.path().join("zero.tbcase");
    let err = generate_case(&other, options(0), now(), "t").expect_err("must refuse");
    assert!(matches!(err, GenerateError::NoTxs), "zero txs is refused");
    assert!(!other.exists(), "nothing is written for a refused request");
}
