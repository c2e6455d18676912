//! `Workbench::trace_fetching` (`trace --fetch`) against a loopback Esplora that serves the
//! sim's own responses but fails one transaction: what succeeded is kept, the failure listed.

use std::collections::BTreeMap;

use tracebench_core::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use tracebench_core::api::{NewCase, SourceSpec, TraceFetchRequest, Workbench};
use tracebench_core::source::Connection;

use crate::loopback::{Loopback, Reply};
use crate::util::{t0, Sim};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

/// Every `/tx/:txid` and `/tx/:txid/outspends` body the sim serves, by path.
fn sim_bodies(sim: &Sim) -> BTreeMap<String, Vec<u8>> {
    let client = reqwest::Client::new();
    let mut bodies = BTreeMap::new();
    for t in sim.chain.transactions() {
        let txid = t.compute_txid().to_string();
        for path in [format!("/tx/{txid}"), format!("/tx/{txid}/outspends")] {
            let url = format!("{}{path}", sim.server.url());
            let body = sim.rt.block_on(async {
                let r = client.get(&url).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200, "the sim serves {path}");
                r.bytes().await.unwrap().to_vec()
            });
            bodies.insert(path, body);
        }
    }
    bodies
}

#[test]
fn a_partial_failure_keeps_what_was_fetched_and_names_what_failed() {
    let sim = Sim::start();
    let truth = sim.chain.truth();
    let peels = truth.roles.peel_chain_txids.clone();
    assert!(peels.len() >= 4, "the scenario has a peel chain to break");
    let broken = peels[3].clone();
    let bodies = sim_bodies(&sim);
    let broken_path = format!("/tx/{broken}");
    let lb = Loopback::serve(move |r| {
        if r.path == broken_path {
            return Reply::text(404, "Transaction not found");
        }
        match bodies.get(&r.path) {
            Some(b) => Reply::json(200, b.clone()),
            None => Reply::text(404, "not found"),
        }
    });

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.tbcase");
    let mut wb = Workbench::create(
        &path,
        NewCase {
            title: "F".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    let seed = sim.chain.seed_address().to_string();
    sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    wb.connect_source(Some(Connection::new(SourceSpec {
        id: sim.chain.source_id(),
        base_url: lb.url.clone(),
    })));
    let req = TraceFetchRequest {
        start: TraceStart::Address(seed.clone()),
        model: TaintModel::Haircut,
        direction: TraceDirection::Forward,
        max_hops: peels.len() as u32 + 1,
        fetch_limit: 500,
    };
    let out = sim
        .rt
        .block_on(wb.trace_fetching(&req, t0()))
        .expect("a partial failure is not an error");
    let r = &out.fetch;
    assert_eq!(
        r.failed.len(),
        1,
        "exactly the broken transaction failed: {r:?}"
    );
    assert_eq!(
        r.failed[0].what,
        format!("transaction {broken}"),
        "the failure names the transaction"
    );
    assert!(
        r.failed[0].error.contains("404"),
        "the failure says why: {}",
        r.failed[0].error
    );
    let mut before_break = peels[..3].to_vec();
    before_break.sort();
    assert_eq!(
        r.fetched_txids, before_break,
        "the hops before the broken one are fetched, nothing past it"
    );
    assert!(
        !r.still_unresolved.is_empty()
            && r.still_unresolved
                .iter()
                .all(|o| o.starts_with(&format!("{}:", peels[2]))),
        "the output the broken transaction spends stays unresolved, and only it: {:?}",
        r.still_unresolved
    );
    assert!(
        out.trace.conservation.balanced,
        "the trace over what was kept still conserves taint"
    );
    drop(wb);

    let reopened = Workbench::open(&path, None).unwrap();
    for p in &peels[..3] {
        assert!(
            reopened.case().has_tx(MAINNET, p).unwrap(),
            "fetched transaction {p} is stored in the case"
        );
    }
    assert!(
        !reopened.case().has_tx(MAINNET, &broken).unwrap(),
        "the failed transaction is not in the case"
    );
    let log = reopened.audit_log().unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        last.action, "trace.fetch",
        "the fetch is recorded in the audit log"
    );
    let detail = &last.detail;
    assert!(
        detail.contains(&broken),
        "the audit entry names what failed: {detail}"
    );
}
