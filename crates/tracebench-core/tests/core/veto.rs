//! Cluster explanations (chains of merges) and the analyst's vetoes, on real mainnet data
//! (block 277,647 stored in a case as one raw response).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tracebench_core::analysis::{ChainContext, Profile};
use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::cluster::{cluster_with_vetoes, explain, multi_input, Explanation};
use tracebench_core::model::Tx;
use tracebench_core::source::esplora::parse_tx_list;
use tracebench_core::store::{Batch, Case, Ingest, RawResponse};

use crate::util::{fixtures, t0};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

fn block_body() -> Vec<u8> {
    std::fs::read(fixtures().join("esplora/derived/block_277647_txs.json")).unwrap()
}

fn block_txs() -> Vec<Tx> {
    parse_tx_list(MAINNET, &block_body()).unwrap()
}

/// A case holding block 277,647's transactions, stored as one raw response.
fn block_case(dir: &Path) -> PathBuf {
    let path = dir.join("block.tbcase");
    drop(
        Workbench::create(
            &path,
            NewCase {
                title: "Block 277647".into(),
                investigator: "I".into(),
                agency: "A".into(),
                network: tracebench_core::chain::BtcNetwork::Mainnet,
            },
            None,
            t0(),
        )
        .unwrap(),
    );
    let body = block_body();
    let txs = parse_tx_list(MAINNET, &body).unwrap();
    let raw = RawResponse {
        source_id: "fixture:block_277647".into(),
        endpoint: "/block/:hash/txs".into(),
        request: "GET fixture".into(),
        retrieved_at: "2026-11-21T12:00:00Z".into(),
        status: 200,
        content_type: Some("application/json".into()),
        body,
    };
    let mut case = Case::open(&path).unwrap();
    case.ingest(&Ingest {
        source_kind: "esplora",
        synthetic: false,
        batches: vec![Batch {
            raw: &raw,
            txs: &txs,
        }],
        histories: Vec::new(),
        show: Vec::new(),
        show_as_seed: false,
        now: "2026-11-21T12:00:00Z",
    })
    .unwrap();
    path
}

/// Walks the chain from `e.from`: each merge must touch where the walk stands, and the walk
/// must end at `e.to`.
fn assert_valid_chain(e: &Explanation) {
    let mut at = e.from.as_str();
    for m in &e.merges {
        at = if m.a == at {
            m.b.as_str()
        } else if m.b == at {
            m.a.as_str()
        } else {
            panic!("merge {m:?} does not touch {at}: the chain {e:?} is broken");
        };
    }
    assert_eq!(at, e.to, "the chain of {e:?} ends at the second address");
}

#[test]
fn explanations_are_chains_of_merges_and_deterministic() {
    let mut txs = block_txs();
    let clustering = multi_input(&txs);
    let mut checked = 0;
    for c in &clustering.clusters {
        let from = &c.addresses[0];
        for to in &c.addresses[1..] {
            let e = explain(&clustering, from, to);
            assert_eq!(
                e.cluster_id.as_deref(),
                Some(c.id.as_str()),
                "{from} and {to} are in one cluster"
            );
            assert!(!e.merges.is_empty(), "two distinct addresses need a merge");
            for m in &e.merges {
                assert!(
                    c.merges.contains(m) && c.txids.contains(&m.txid),
                    "every merge of the chain belongs to the cluster"
                );
                assert_eq!(m.heuristic, "multi-input", "the conservative profile");
            }
            assert_valid_chain(&e);
            checked += 1;
        }
        assert!(
            c.merges.windows(2).all(|w| w[0] < w[1]),
            "merges are sorted and unique"
        );
    }
    assert!(checked > 0, "block 277,647 has multi-input clusters");
    // Addresses of two different clusters are not explained by anything.
    if let [c1, c2, ..] = clustering.clusters.as_slice() {
        let e = explain(&clustering, &c1.addresses[0], &c2.addresses[0]);
        assert_eq!(e.cluster_id, None, "two clusters are not one");
        assert!(e.merges.is_empty(), "and no chain joins them");
    }
    // The same data in another order gives the same explanations, byte for byte.
    let big = clustering
        .clusters
        .iter()
        .max_by_key(|c| c.addresses.len())
        .unwrap();
    let (a, b) = (&big.addresses[0], big.addresses.last().unwrap());
    let before = serde_json::to_string(&explain(&clustering, a, b)).unwrap();
    txs.reverse();
    let after = serde_json::to_string(&explain(&multi_input(&txs), a, b)).unwrap();
    assert_eq!(before, after, "explanations do not depend on input order");
}

/// A merge (txid, a, b) of block 277,647 whose veto splits a from b.
fn splitting_merge(txs: &[Tx]) -> (String, String, String) {
    let ctx = ChainContext::new(txs, BTreeSet::new());
    let clustering = multi_input(txs);
    for c in clustering.clusters.iter().filter(|c| c.txids.len() >= 2) {
        for m in &c.merges {
            let vetoed = BTreeSet::from([m.txid.clone()]);
            let after = cluster_with_vetoes(txs, &ctx, &Profile::conservative(), &vetoed);
            if explain(&after, &m.a, &m.b).cluster_id.is_none() {
                return (m.txid.clone(), m.a.clone(), m.b.clone());
            }
        }
    }
    panic!("block 277,647 has a cluster of several txs that one veto splits");
}

#[test]
fn a_veto_splits_the_cluster_and_holds_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = block_case(dir.path());
    let (txid, a, b) = splitting_merge(&block_txs());
    let mut wb = Workbench::open(&path, None).unwrap();
    let before = wb.clusters().unwrap();
    let joined = wb.explain(&a, &b).unwrap();
    assert!(joined.cluster_id.is_some(), "joined before the veto");
    assert_valid_chain(&joined);
    let v = wb
        .veto(&txid, &a, &b, "undetected PayJoin", t0())
        .expect("a merge the tx makes can be vetoed");
    assert_eq!(
        v.created_utc, "2026-11-21T12:00:00Z",
        "UTC time of the veto"
    );
    let after = wb.clusters().unwrap();
    assert_eq!(
        after.vetoed,
        vec![txid.clone()],
        "the clustering names the veto"
    );
    assert!(
        after.clusters.len() > before.clusters.len()
            || after
                .clusters
                .iter()
                .map(|c| c.addresses.len())
                .sum::<usize>()
                < before
                    .clusters
                    .iter()
                    .map(|c| c.addresses.len())
                    .sum::<usize>(),
        "the cluster split"
    );
    assert!(
        after
            .clusters
            .iter()
            .all(|c| c.merges.iter().all(|m| m.txid != txid) && !c.txids.contains(&txid)),
        "no merge of the vetoed tx survives"
    );
    assert_eq!(
        wb.explain(&a, &b).unwrap().cluster_id,
        None,
        "a and b are split"
    );
    let json = serde_json::to_string(&after).unwrap();
    drop(wb);

    let wb = Workbench::open(&path, None).unwrap();
    assert_eq!(
        serde_json::to_string(&wb.clusters().unwrap()).unwrap(),
        json,
        "the veto holds after reopening the case, with identical output"
    );
    let all = wb.clusters_with(&Profile::all()).unwrap();
    assert!(
        all.clusters
            .iter()
            .all(|c| c.merges.iter().all(|m| m.txid != txid)),
        "and under every profile"
    );
    let vs = wb.vetoes().unwrap();
    assert_eq!(vs.len(), 1, "one veto recorded");
    assert_eq!(
        (
            vs[0].txid.as_str(),
            vs[0].a.as_str(),
            vs[0].b.as_str(),
            vs[0].reason.as_str()
        ),
        (txid.as_str(), a.as_str(), b.as_str(), "undetected PayJoin"),
        "with what was vetoed and why"
    );
}

#[test]
fn vetoes_of_unknown_txs_or_addresses_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = block_case(dir.path());
    let txs = block_txs();
    let (txid, a, b) = splitting_merge(&txs);
    let coinbase = txs.iter().find(|t| t.is_coinbase()).unwrap().txid.clone();
    let mut wb = Workbench::open(&path, None).unwrap();
    let before = serde_json::to_string(&wb.clusters().unwrap()).unwrap();
    let stranger = "1BitcoinEaterAddressDontSendf59kuE";
    let cases: Vec<(String, String, String, &str, &str)> = vec![
        (
            "ab".repeat(32),
            a.clone(),
            b.clone(),
            "not_found",
            "is not in this case",
        ),
        (
            txid.clone(),
            a.clone(),
            stranger.into(),
            "invalid_input",
            stranger,
        ),
        (
            txid.clone(),
            a.clone(),
            a.clone(),
            "invalid_input",
            "two different",
        ),
        (
            coinbase,
            a.clone(),
            b.clone(),
            "invalid_input",
            "merges no addresses",
        ),
    ];
    for (t, x, y, code, says) in cases {
        let e = wb.veto(&t, &x, &y, "", t0()).unwrap_err();
        assert_eq!(e.code(), code, "veto of ({t}, {x}, {y}): {e}");
        assert!(e.to_string().contains(says), "the error says why: {e}");
    }
    assert!(
        wb.vetoes().unwrap().is_empty(),
        "no refused veto is recorded"
    );
    assert_eq!(
        serde_json::to_string(&wb.clusters().unwrap()).unwrap(),
        before,
        "and the clusters are unchanged"
    );
    wb.veto(&txid, &a, &b, "", t0()).unwrap();
    let e = wb.veto(&txid, &a, &b, "", t0()).unwrap_err();
    assert!(
        e.to_string().contains("already vetoed"),
        "a second veto of the same tx is refused: {e}"
    );
    assert_eq!(wb.vetoes().unwrap().len(), 1, "and not recorded twice");
}

#[test]
fn a_schema_2_case_is_migrated_and_can_record_vetoes() {
    let dir = tempfile::tempdir().unwrap();
    let path = block_case(dir.path());
    {
        // Make it look like a case written before vetoes existed (schema 2).
        crate::util::rewind_to_schema(&path, 2);
    }
    tracebench_core::store::check(&path).expect("the read-only check accepts schema 2");
    let (txid, a, b) = splitting_merge(&block_txs());
    let mut wb = Workbench::open(&path, None).expect("a schema 2 case opens and is migrated");
    wb.veto(&txid, &a, &b, "", t0())
        .expect("and vetoes can be recorded in it");
    assert_eq!(wb.vetoes().unwrap().len(), 1, "the veto is stored");
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(
        v,
        tracebench_core::store::schema_version(),
        "opening migrates a schema 2 case to the newest schema (3 added the veto table)"
    );
}
