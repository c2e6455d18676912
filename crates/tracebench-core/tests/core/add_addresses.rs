//! Adding many addresses at once (`Workbench::add_addresses`) against the sim over real HTTP:
//! the same case as adding them one by one, nothing fetched twice, bad input refused whole, a
//! dead source leaving the case untouched.

use std::collections::BTreeSet;

use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::source::Connection;

use crate::util::{batch_case, t0, Sim};

const CHAIN: &str = "bip122:000000000019d6689c085ae165831e93";

/// Every stored transaction and every complete history, to compare two cases.
fn contents(wb: &Workbench, addresses: &[String]) -> (BTreeSet<String>, Vec<(String, u64)>) {
    let txs = wb
        .case()
        .all_txs()
        .unwrap()
        .into_iter()
        .map(|t| t.txid)
        .collect();
    let histories = addresses
        .iter()
        .map(|a| {
            let h = wb
                .case()
                .address_history(CHAIN, a)
                .unwrap()
                .unwrap_or_else(|| panic!("{a} has a stored history"));
            assert!(h.complete, "the history of {a} is complete");
            (
                a.clone(),
                wb.case().address_txids(CHAIN, a).unwrap().len() as u64,
            )
        })
        .collect();
    (txs, histories)
}

#[test]
fn many_addresses_at_once_store_what_one_by_one_stores() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    // The hot wallet has more than one page of history: paging happens inside the batch.
    let addresses: Vec<String> = sim.chain.addresses().take(30).map(str::to_string).collect();
    let mut one = batch_case(&dir.path().join("one.tbcase"), &sim.spec(), "many", 3);
    for a in &addresses {
        sim.rt.block_on(one.add(a, t0())).unwrap();
    }
    let mut many = batch_case(&dir.path().join("many.tbcase"), &sim.spec(), "many", 3);
    let out = sim
        .rt
        .block_on(many.add_addresses(&addresses, t0()))
        .unwrap();
    assert!(
        out.failed.is_empty(),
        "the sim answers every history: {:?}",
        out.failed
    );
    let expected: Vec<String> = addresses
        .iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|a| format!("btc:addr:{a}"))
        .collect();
    assert_eq!(out.shown, expected, "every address is shown, sorted");
    assert_eq!(
        out.graph.nodes.len(),
        addresses.len(),
        "the graph shows the addresses and nothing else"
    );
    assert_eq!(
        contents(&many, &addresses),
        contents(&one, &addresses),
        "the batch stores the same transactions and histories as adding one by one"
    );
    assert_eq!(
        many.case().raw_responses().unwrap().len(),
        one.case().raw_responses().unwrap().len(),
        "and keeps the same raw responses as evidence"
    );
    let gate = many.source().unwrap().gate().progress();
    assert_eq!(
        gate.done as usize,
        many.case().raw_responses().unwrap().len(),
        "one request per stored page, no retries: {gate:?}"
    );
    assert!(out.txs_fetched > 0, "transactions came from the source");

    // A second call finds every history in the case and asks the source nothing.
    let again = sim
        .rt
        .block_on(many.add_addresses(&addresses, t0()))
        .unwrap();
    assert_eq!(
        again.txs_fetched, 0,
        "complete histories are not fetched again"
    );
    assert_eq!(
        many.source().unwrap().gate().progress().done,
        gate.done,
        "no request was sent for histories the case holds"
    );
}

#[test]
fn a_bad_line_refuses_the_whole_batch_and_a_dead_source_changes_nothing() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refuse.tbcase");
    let mut wb = batch_case(&path, &sim.spec(), "many", 3);
    let good: Vec<String> = sim.chain.addresses().take(3).map(str::to_string).collect();
    let mut with_bad = good.clone();
    with_bad.push("bc1-not-an-address".to_string());
    let e = sim
        .rt
        .block_on(wb.add_addresses(&with_bad, t0()))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input", "{e}");
    assert!(
        e.to_string().contains("bc1-not-an-address"),
        "the error names the bad address: {e}"
    );
    let txid = "ab".repeat(32);
    let e = sim
        .rt
        .block_on(wb.add_addresses(&[good[0].clone(), txid.clone()], t0()))
        .unwrap_err();
    assert!(
        e.to_string().contains(&txid) && e.to_string().contains("not an address"),
        "a txid among addresses is named: {e}"
    );
    assert_eq!(
        wb.source().unwrap().gate().progress().done,
        0,
        "nothing is fetched before every line is valid"
    );
    assert!(
        wb.case().canvas_nodes().unwrap().is_empty(),
        "nothing was shown"
    );
    assert!(
        wb.case().all_txs().unwrap().is_empty(),
        "nothing was stored"
    );
    drop(wb);

    let dead = SourceSpec {
        id: "esplora:dead".into(),
        base_url: "http://127.0.0.1:9".into(),
    };
    let mut wb = Workbench::open(&path, None).unwrap();
    let mut connection = Connection::new(dead);
    connection.policy.max_retries = 0;
    wb.connect_source(Some(connection));
    let before = wb.case().raw_responses().unwrap().len();
    let e = sim.rt.block_on(wb.add_addresses(&good, t0())).unwrap_err();
    assert_eq!(e.code(), "source_unavailable", "{e}");
    assert!(
        e.to_string().contains("127.0.0.1:9"),
        "names where it tried: {e}"
    );
    assert_eq!(
        wb.case().raw_responses().unwrap().len(),
        before,
        "no response was stored"
    );
    assert!(
        wb.case().canvas_nodes().unwrap().is_empty(),
        "no address was shown when none could be fetched"
    );
}
