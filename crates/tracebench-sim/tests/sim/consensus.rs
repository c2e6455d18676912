//! Every transaction and block is a real, self-consistent Bitcoin object.

use std::collections::{BTreeMap, BTreeSet};

use bitcoin::consensus::encode::{deserialize, serialize};
use bitcoin::hashes::{sha256d, Hash};
use bitcoin::{Amount, Block, OutPoint, Transaction, Witness};
use tracebench_sim::{generate, ScenarioKind, SimChain};

use crate::seed1;

#[test]
fn transactions_round_trip_and_txids_are_double_sha256_of_the_legacy_serialisation() {
    for tx in seed1().transactions() {
        let bytes = serialize(tx);
        let back: Transaction = deserialize(&bytes).expect("a generated tx decodes");
        assert_eq!(&back, tx, "consensus encoding must round-trip");
        let mut stripped = tx.clone();
        for input in &mut stripped.input {
            input.witness = Witness::new();
        }
        let legacy = serialize(&stripped);
        let hash = sha256d::Hash::hash(&legacy);
        assert_eq!(
            hash.to_byte_array(),
            tx.compute_txid().to_byte_array(),
            "txid must be SHA256d of the non-witness serialisation"
        );
        assert_eq!(tx.version.0, 2, "all transactions are version 2");
    }
}

/// Checks the closed world on any chain: every input spends an earlier output exactly once,
/// amounts balance with a sane fee, and coinbases mature before being spent.
fn assert_closed_world(chain: &SimChain) {
    let mut unspent: BTreeMap<OutPoint, (u64, Option<u32>)> = BTreeMap::new();
    let mut spent: BTreeSet<OutPoint> = BTreeSet::new();
    for block in chain.blocks() {
        for tx in &block.block().txdata {
            let txid = tx.compute_txid();
            let out_sum: u64 = tx.output.iter().map(|o| o.value.to_sat()).sum();
            if !tx.is_coinbase() {
                let mut in_sum = 0;
                for input in &tx.input {
                    let op = input.previous_output;
                    assert!(spent.insert(op), "{op} must be spent only once");
                    let (value, coinbase_height) = unspent.remove(&op).unwrap_or_else(|| {
                        panic!("{txid} spends {op}, which is no earlier output")
                    });
                    if let Some(h) = coinbase_height {
                        assert!(
                            block.height() >= h + 100,
                            "coinbase {op} spent before maturity"
                        );
                    }
                    in_sum += value;
                }
                assert!(in_sum >= out_sum, "{txid}: inputs must cover outputs");
                let fee = in_sum - out_sum;
                let vsize = tx.vsize() as u64;
                assert!(
                    fee >= 2 * vsize && fee <= 41 * vsize + 546,
                    "{txid}: fee {fee} sat for {vsize} vB must be a realistic 2–40 sat/vB"
                );
                assert_eq!(
                    chain.fee(&txid),
                    Some(fee),
                    "the chain reports the real fee"
                );
                assert!(
                    tx.output.iter().all(|o| o.value >= Amount::from_sat(546)),
                    "{txid}: no dust outputs"
                );
            }
            for (vout, out) in tx.output.iter().enumerate() {
                let coinbase = tx.is_coinbase().then_some(block.height());
                unspent.insert(
                    OutPoint::new(txid, vout as u32),
                    (out.value.to_sat(), coinbase),
                );
            }
        }
    }
}

#[test]
fn every_input_spends_an_earlier_output_exactly_once_and_pays_a_fee() {
    assert_closed_world(seed1());
}

#[test]
fn many_seeds_generate_balanced_closed_worlds() {
    for seed in 0..12u64 {
        assert_closed_world(&generate(ScenarioKind::Ransomware, seed));
    }
}

#[test]
fn blocks_have_real_headers_merkle_roots_and_witness_commitments() {
    let chain = seed1();
    let mut previous = None;
    let mut last_time = 0;
    for block in chain.blocks() {
        let b: &Block = block.block();
        assert!(
            b.check_merkle_root(),
            "merkle root of block {} must match its txs",
            block.height()
        );
        assert!(
            b.check_witness_commitment(),
            "witness commitment of block {} must match",
            block.height()
        );
        let header_hash = sha256d::Hash::hash(&serialize(&b.header));
        assert_eq!(
            header_hash.to_byte_array(),
            block.hash().to_byte_array(),
            "block hash is SHA256d of the 80-byte header"
        );
        if let Some(prev) = previous {
            assert_eq!(b.header.prev_blockhash, prev, "blocks link to their parent");
        }
        assert!(b.header.time > last_time, "timestamps rise");
        assert!(b.txdata[0].is_coinbase(), "the coinbase comes first");
        let back: Block = deserialize(&serialize(b)).expect("block decodes");
        assert_eq!(&back, b, "blocks round-trip too");
        previous = Some(block.hash());
        last_time = b.header.time;
    }
    let first = chain.blocks()[0].time();
    assert!(
        (1_714_521_660..=1_714_522_740).contains(&first),
        "the first block comes 1–19 minutes after 2024-05-01T00:00Z, got {first}"
    );
}
