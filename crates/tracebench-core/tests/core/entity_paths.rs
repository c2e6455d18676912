//! Paths and maximum flow between entities (`cluster:<addr>`), on the ransomware sim: from the
//! ransom addresses' cluster to the exchange's deposit cluster, with and without a veto.

use std::collections::BTreeSet;

use tracebench_core::analysis::paths::{paths, paths_between, Endpoint, PathError};
use tracebench_core::analysis::{ChainContext, Profile};
use tracebench_core::cluster::{cluster_with_vetoes, multi_input};
use tracebench_core::graph::TxGraph;

#[test]
fn paths_between_entities_run_from_any_member_to_the_first_member_reached() {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    let roles = &truth["roles"];
    let ransoms: Vec<String> = serde_json::from_value(roles["ransom_addresses"].clone()).unwrap();
    let deposit = roles["exchange_deposit_address"].as_str().unwrap();
    let consolidation = roles["consolidation_txid"].as_str().unwrap();
    let clustering = multi_input(&txs);
    let graph = TxGraph::build(&txs);

    let from = Endpoint::resolve(&format!("cluster:{}", ransoms[3]), &clustering);
    let to = Endpoint::resolve(&format!("cluster:{deposit}"), &clustering);
    let mut sorted_ransoms = ransoms.clone();
    sorted_ransoms.sort();
    assert_eq!(
        from.members, sorted_ransoms,
        "the consolidation joins the six ransom addresses into one entity"
    );
    assert_eq!(
        from.id,
        format!("cluster:{}", sorted_ransoms[0]),
        "an entity is named by its smallest address, whichever member named it"
    );
    assert!(
        to.members.len() > 1 && to.members.iter().any(|a| a == deposit),
        "the exchange sweeps the operator's deposit with other users' deposits: one entity"
    );

    let hops = 12;
    let p = paths_between(&graph, &from, &to, hops).unwrap();
    let single = paths(&graph, &ransoms[3], deposit, hops).unwrap();
    assert_eq!(p.from, from.id, "the result names the entity");
    assert_eq!(p.from_members, from.members, "and lists its members");
    let shortest = p.shortest.clone().expect("the ransom reaches the exchange");
    assert_eq!(
        shortest.txids[0], consolidation,
        "every route out of the ransom entity starts with the consolidation"
    );
    assert!(
        shortest.hops <= single.shortest.as_ref().unwrap().hops,
        "an entity is reached no later than one of its members"
    );
    assert!(!p.all.is_empty(), "simple paths exist within {hops} hops");
    let members_of = |m: &[String]| m.iter().cloned().collect::<BTreeSet<String>>();
    let (sources, sinks) = (members_of(&from.members), members_of(&to.members));
    for path in &p.all {
        let (first, last) = (&path.addresses[0], path.addresses.last().unwrap());
        assert!(
            sources.contains(first),
            "a path starts at a member of the source entity"
        );
        assert!(
            sinks.contains(last),
            "and ends at a member of the destination entity"
        );
        let inner = &path.addresses[1..path.addresses.len() - 1];
        assert!(
            inner
                .iter()
                .all(|a| !sources.contains(a) && !sinks.contains(a)),
            "no path passes through another member of either entity: {path:?}"
        );
        assert!(path.hops <= hops, "no path is longer than the limit");
    }
    for sp in &single.all {
        assert!(
            p.all.contains(sp),
            "every address-to-address path is also a path between their entities"
        );
    }
    assert!(
        p.max_flow.value >= single.max_flow.value,
        "more sources and sinks can only raise the maximum flow ({} < {})",
        p.max_flow.value,
        single.max_flow.value
    );
    assert_eq!(
        p.max_flow.sources, from.members,
        "the flow runs from every member of the source entity"
    );
    assert_eq!(
        p.max_flow.sinks, to.members,
        "to every member of the destination entity"
    );
}

#[test]
fn a_veto_shrinks_the_entity_a_path_starts_from() {
    let (chain, txs) = crate::util::sim_txs();
    let truth = serde_json::to_value(chain.truth()).unwrap();
    let ransom = truth["roles"]["ransom_addresses"][0].as_str().unwrap();
    let consolidation = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let vetoed = BTreeSet::from([consolidation.to_string()]);
    let clustering = cluster_with_vetoes(
        &txs,
        &ChainContext::new(&txs, BTreeSet::new()),
        &Profile::conservative(),
        &vetoed,
    );
    let e = Endpoint::resolve(&format!("cluster:{ransom}"), &clustering);
    assert_eq!(
        e.members,
        vec![ransom.to_string()],
        "with the consolidation vetoed the ransom address stands alone"
    );
    assert_eq!(
        e.id,
        format!("cluster:{ransom}"),
        "an entity of one address is still named as asked"
    );
}

#[test]
fn overlapping_or_unknown_endpoints_are_refused_by_name() {
    let (_, txs) = crate::util::sim_txs();
    let clustering = multi_input(&txs);
    let graph = TxGraph::build(&txs);
    let c = &clustering.clusters[0];
    let entity = Endpoint::resolve(&format!("cluster:{}", c.addresses[1]), &clustering);
    let member = Endpoint::address(&c.addresses[1]);
    assert_eq!(
        paths_between(&graph, &entity, &member, 4).unwrap_err(),
        PathError::Overlap(c.id.clone(), c.addresses[1].clone(), c.addresses[1].clone()),
        "an entity and one of its own members share an address: no path between them"
    );
    let nowhere = Endpoint::address("bc1qnotinthecase");
    assert_eq!(
        paths_between(&graph, &entity, &nowhere, 4).unwrap_err(),
        PathError::UnknownAddress("bc1qnotinthecase".to_string()),
        "an address the case does not hold is named"
    );
}
