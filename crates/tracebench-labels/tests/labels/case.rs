//! Labels applied to a case built from the sim: screening every address of the case and
//! exposure (haircut tracing, stopping at services) against the sim's ground truth.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tracebench_core::analysis::trace::{trace, TaintModel, TraceDirection, TraceStart};
use tracebench_core::api::{NewCase, SourceSpec, Workbench};
use tracebench_labels::{
    exposure, parse, screen_case, Direction, ExposureOptions, Format, LabelStore, SourceFile,
};
use tracebench_sim::Truth;

use crate::empty_store;

/// The ransomware sim (seed 1) served on loopback, and a case expanded from its seed address
/// far enough to hold the whole story.
fn sim_case(dir: &std::path::Path) -> (Workbench, Truth) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let chain = Arc::new(tracebench_sim::generate(
        tracebench_sim::ScenarioKind::Ransomware,
        1,
    ));
    let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap())
        .expect("sim server on loopback");
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    let mut wb = Workbench::create(
        &dir.join("sim.tbcase"),
        NewCase {
            title: "Sim".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(SourceSpec {
            id: chain.source_id(),
            base_url: server.url(),
        }),
        now,
    )
    .unwrap();
    let added = rt.block_on(wb.add(chain.seed_address(), now)).unwrap();
    rt.block_on(wb.expand(&added.node_id, 25, now)).unwrap();
    (wb, chain.truth())
}

fn csv_labels(store: &mut LabelStore, rows: &[(&str, &str, &str)]) {
    let mut text = String::from("address,label,category,source,confidence\n");
    for (address, label, category) in rows {
        text.push_str(&format!("{address},{label},{category},case analyst,90\n"));
    }
    let file = SourceFile::new("case-labels.csv", text, "2026-11-01");
    store.import(parse(Format::Csv, &file).unwrap()).unwrap();
}

#[test]
fn screening_a_case_checks_every_address_and_records_the_packs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, truth) = sim_case(dir.path());
    let mut store = empty_store(dir.path());
    let deposit = truth.roles.exchange_deposit_address.clone();
    csv_labels(&mut store, &[(&deposit, "Example Exchange", "exchange")]);
    let visible = wb.graph().unwrap().nodes.len();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let r = screen_case(&mut wb, &store, now).unwrap();
    assert_eq!(
        r.hits.len(),
        1,
        "one labelled address in the case: {:?}",
        r.hits
    );
    assert_eq!(r.hits[0].address, deposit, "the exchange deposit address");
    assert_eq!(r.hits[0].category.as_str(), "exchange");
    assert_eq!(
        r.screened,
        wb.case().all_addresses().unwrap().len(),
        "every address of the case is screened"
    );
    assert!(r.screened > 0 && visible > 0);
    let pack = store.packs().unwrap().remove(0);
    assert_eq!(r.packs.len(), 1, "the store holds one pack");
    assert_eq!(
        wb.label_packs().unwrap(),
        vec![(pack.id, pack.version, "2026-11-22T09:00:00Z".to_string())],
        "the case records the pack version it was screened against"
    );
}

#[test]
fn exposure_to_the_exchange_is_the_haircut_share_that_reached_its_deposit() {
    let dir = tempfile::tempdir().unwrap();
    let (wb, truth) = sim_case(dir.path());
    let mut store = empty_store(dir.path());
    let deposit = truth.roles.exchange_deposit_address.clone();
    let hot = truth.roles.exchange_hot_wallet.clone();
    // The hot wallet is labelled too: without stopping at the deposit, the sweep would count
    // the same coins a second time.
    csv_labels(
        &mut store,
        &[
            (&deposit, "Example Exchange deposit", "exchange"),
            (&hot, "Example Exchange hot wallet", "exchange"),
        ],
    );
    let txs = wb.case().all_txs().unwrap();
    let ids: BTreeSet<&str> = txs.iter().map(|t| t.txid.as_str()).collect();
    assert!(
        ids.contains(truth.roles.sweep_txid.as_str()),
        "the case holds the exchange's sweep into the hot wallet"
    );
    let peels = truth.roles.peel_chain_txids.len() as u32;
    let hops = peels + 3;
    let seed = truth.seed_address.clone();
    let e = exposure(
        &wb,
        &store,
        &seed,
        &ExposureOptions {
            hops,
            direction: Direction::Outgoing,
            decay_percent: None,
        },
    )
    .unwrap();

    // What the sim paid to the seed (the ransom of victim 1) is the 100 %.
    let r1: u64 = txs
        .iter()
        .flat_map(|t| &t.outputs)
        .filter(|o| o.address.as_deref() == Some(seed.as_str()))
        .map(|o| o.value)
        .sum();
    assert_eq!(e.total_sat, r1, "the total is what the address received");
    assert_eq!(e.categories.len(), 1, "only the exchange is reached: {e:?}");
    let c = &e.categories[0];
    assert_eq!(c.category, "exchange");
    assert_eq!(
        c.via,
        vec![deposit.clone()],
        "tracing stops at the deposit: the sweep into the hot wallet is not counted again"
    );
    // A hop is one transaction: consolidation (1), then each peel; the last peel pays the
    // deposit.
    assert_eq!(c.min_hops, peels + 1, "consolidation + the peel chain");
    assert_eq!(
        c.direct_sat, 0,
        "nothing reaches the exchange in one transaction"
    );

    // The sim sent `to_deposit` there; the ransom of victim 1 is r1 of the consolidated R, and
    // haircut keeps that proportion through every peel (± 1 sat of rounding per hop).
    let last = txs
        .iter()
        .find(|t| Some(&t.txid) == truth.roles.peel_chain_txids.last())
        .unwrap();
    let to_deposit: u64 = last
        .outputs
        .iter()
        .filter(|o| o.address.as_deref() == Some(deposit.as_str()))
        .map(|o| o.value)
        .sum();
    let cons = txs
        .iter()
        .find(|t| t.txid == truth.roles.consolidation_txid)
        .unwrap();
    let big_r = cons.input_sum();
    let expected = (u128::from(to_deposit) * u128::from(r1) / u128::from(big_r)) as u64;
    let got = c.indirect_sat;
    assert!(
        got.abs_diff(expected) <= u64::from(hops),
        "exchange exposure {got} sat ≈ {to_deposit} × {r1} / {big_r} = {expected} sat"
    );
    // Stopping at the deposit does not change what arrives there.
    let plain = trace(
        &txs,
        &TraceStart::Address(seed.clone()),
        TaintModel::Haircut,
        TraceDirection::Forward,
        hops,
    )
    .unwrap();
    assert_eq!(
        got,
        plain.address(&deposit).unwrap().tainted,
        "the exposure is the haircut taint the deposit received"
    );
    let bp = u128::from(got) * 10_000 / u128::from(r1);
    assert_eq!(
        c.share,
        format!("{}.{:02}%", bp / 100, bp % 100),
        "the share is exchange sat / total, from integers"
    );

    // Decay only when asked: 10 % per hop after the first.
    let decayed = exposure(
        &wb,
        &store,
        &seed,
        &ExposureOptions {
            hops,
            direction: Direction::Outgoing,
            decay_percent: Some(10),
        },
    )
    .unwrap();
    assert!(
        decayed.categories[0].indirect_sat < got,
        "decay lowers exposure reached over several hops"
    );

    // Incoming: the deposit's funds came from the ransom addresses.
    std::fs::create_dir_all(dir.path().join("two")).unwrap();
    let mut store2 = empty_store(&dir.path().join("two"));
    let ransom: Vec<(&str, &str, &str)> = truth
        .roles
        .ransom_addresses
        .iter()
        .map(|a| (a.as_str(), "Ransom address", "ransomware"))
        .collect();
    csv_labels(&mut store2, &ransom);
    let back = exposure(
        &wb,
        &store2,
        &deposit,
        &ExposureOptions {
            hops,
            direction: Direction::Incoming,
            decay_percent: None,
        },
    )
    .unwrap();
    let rw = back
        .categories
        .iter()
        .find(|c| c.category == "ransomware")
        .expect("the deposit's funds trace back to ransom addresses");
    assert_eq!(
        rw.min_hops,
        peels + 1,
        "back through the peel chain and the consolidation"
    );
}

#[test]
fn an_entity_s_exposure_starts_from_everything_its_members_received() {
    let dir = tempfile::tempdir().unwrap();
    let (wb, truth) = sim_case(dir.path());
    let mut store = empty_store(dir.path());
    let deposit = truth.roles.exchange_deposit_address.clone();
    csv_labels(&mut store, &[(&deposit, "Example Exchange", "exchange")]);
    // The operator's ransom addresses are one cluster: the consolidation spends them together.
    let clustering = wb.clusters().unwrap();
    let cluster = clustering
        .clusters
        .iter()
        .find(|c| c.addresses.contains(&truth.seed_address))
        .expect("the seed address is clustered with the other ransom addresses");
    let ransom: BTreeSet<String> = truth.roles.ransom_addresses.iter().cloned().collect();
    assert_eq!(
        cluster.addresses.iter().cloned().collect::<BTreeSet<_>>(),
        ransom,
        "the cluster is exactly the operator's ransom addresses"
    );
    let peels = truth.roles.peel_chain_txids.len() as u32;
    let e = exposure(
        &wb,
        &store,
        &cluster.id,
        &ExposureOptions {
            hops: peels + 3,
            direction: Direction::Outgoing,
            decay_percent: None,
        },
    )
    .unwrap();
    let txs = wb.case().all_txs().unwrap();
    let received: u64 = txs
        .iter()
        .flat_map(|t| &t.outputs)
        .filter(|o| o.address.as_ref().is_some_and(|a| ransom.contains(a)))
        .map(|o| o.value)
        .sum();
    assert_eq!(
        e.total_sat, received,
        "the entity's total is what all its members received"
    );
    let last = txs
        .iter()
        .find(|t| Some(&t.txid) == truth.roles.peel_chain_txids.last())
        .unwrap();
    let to_deposit: u64 = last
        .outputs
        .iter()
        .filter(|o| o.address.as_deref() == Some(deposit.as_str()))
        .map(|o| o.value)
        .sum();
    let c = &e.categories[0];
    assert_eq!(c.category, "exchange");
    assert!(
        c.indirect_sat.abs_diff(to_deposit) <= u64::from(peels + 3),
        "all consolidated ransom is the entity's, so (almost, rounding aside) everything the \
         sim sent to the deposit counts: {} vs {to_deposit}",
        c.indirect_sat
    );
    let err = exposure(
        &wb,
        &store,
        "cluster:bc1qnotacluster",
        &ExposureOptions {
            hops: 2,
            direction: Direction::Outgoing,
            decay_percent: None,
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("cluster:bc1qnotacluster"),
        "an unknown entity is named: {err}"
    );
}
