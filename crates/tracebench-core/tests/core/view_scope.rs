//! The canvas view is built from the canvas's transactions and those of its addresses only:
//! transactions the case holds away from the canvas change nothing in it.

use tracebench_core::api::{GraphView, NewCase, Workbench};

use crate::util::{t0, Sim};

/// What the canvas shows, without the case header (its counts differ).
fn drawn(g: &GraphView) -> String {
    let nodes: Vec<_> = g
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.hop, n.time, n.complete, n.x, n.y))
        .collect();
    format!("{nodes:?}\n{:?}", g.edges)
}

#[test]
fn transactions_of_nodes_off_the_canvas_change_nothing_on_it() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbench::create(
        &dir.path().join("scope.tbcase"),
        NewCase {
            title: "scope".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    let seed = sim.chain.seed_address().to_string();
    let node = sim.rt.block_on(wb.add(&seed, t0())).unwrap().node_id;
    let expanded = sim.rt.block_on(wb.expand(&node, 1, t0())).unwrap().graph;
    assert!(
        expanded.edges.len() > 2,
        "the expansion draws edges, so there is something to compare"
    );
    let txs_before = wb.case().all_txs().unwrap().len();
    let shown: std::collections::BTreeSet<String> =
        expanded.nodes.iter().map(|n| n.id.clone()).collect();
    // Addresses none of whose transactions touches a node on the canvas.
    let near: std::collections::BTreeSet<bitcoin::Txid> = sim
        .chain
        .addresses()
        .filter(|a| shown.contains(&format!("btc:addr:{a}")))
        .flat_map(|a| sim.chain.address_txids(a).iter().copied())
        .collect();
    let others: Vec<String> = sim
        .chain
        .addresses()
        .filter(|a| sim.chain.address_txids(a).iter().all(|t| !near.contains(t)))
        .take(20)
        .map(str::to_string)
        .collect();
    assert!(
        !others.is_empty(),
        "the sim has addresses away from the seed"
    );
    let added = sim
        .rt
        .block_on(wb.add_addresses(&others, t0()))
        .unwrap()
        .shown;
    assert!(
        wb.case().all_txs().unwrap().len() > txs_before,
        "the other addresses brought transactions into the case"
    );
    let after = wb.remove_nodes(&added, t0()).unwrap();
    assert_eq!(
        drawn(&after),
        drawn(&expanded),
        "with the other addresses off the canvas again, their transactions change no node, \
         hop, time or edge of the view"
    );
}
