//! Bulk paste (`Workbench::add_many`) goes through the batch path over real HTTP: the same case
//! as adding line by line, one audited batch for the addresses, each bad line and each address
//! whose history fails reported on its own line, the rest kept; a paste whose every address
//! fails leaves the case as it was.

use std::collections::{BTreeMap, BTreeSet};

use tracebench_core::api::{SourceSpec, Workbench};

use crate::loopback::{Loopback, Reply};
use crate::util::{batch_case, t0, Sim};

const CHAIN: &str = "bip122:000000000019d6689c085ae165831e93";

/// Stored txids, each address's stored txids, and the raw responses' endpoints (sorted).
fn contents(
    wb: &Workbench,
    addresses: &[String],
) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>, Vec<String>) {
    let txs = wb
        .case()
        .all_txs()
        .unwrap()
        .into_iter()
        .map(|t| t.txid)
        .collect();
    let histories = addresses
        .iter()
        .map(|a| (a.clone(), wb.case().address_txids(CHAIN, a).unwrap()))
        .collect();
    let mut endpoints: Vec<String> = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .map(|r| r.endpoint)
        .collect();
    endpoints.sort();
    (txs, histories, endpoints)
}

fn actions(wb: &Workbench) -> Vec<String> {
    wb.audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn a_paste_stores_what_adding_line_by_line_stores_in_one_audited_batch() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    // 30 addresses (the hot wallet pages inside the batch), one of them twice, a txid and a bad
    // line.
    let addresses: Vec<String> = sim.chain.addresses().take(30).map(str::to_string).collect();
    let txid = sim
        .chain
        .transactions()
        .last()
        .unwrap()
        .compute_txid()
        .to_string();
    let mut lines: Vec<String> = addresses.clone();
    lines.insert(5, "not-an-address".to_string());
    lines.push(addresses[0].clone());
    lines.push(txid.clone());

    let mut one = batch_case(&dir.path().join("one.tbcase"), &sim.spec(), "paste", 0);
    for line in &lines {
        let _ = sim.rt.block_on(one.add(line, t0()));
    }
    let mut pasted = batch_case(&dir.path().join("paste.tbcase"), &sim.spec(), "paste", 0);
    let out = sim
        .rt
        .block_on(pasted.add_many(&lines.join("\n"), t0()))
        .unwrap();

    assert_eq!(
        out.rejected
            .iter()
            .map(|r| (r.line, r.code.as_str()))
            .collect::<Vec<_>>(),
        vec![(6, "invalid_input")],
        "only the bad line is refused, named by its line number: {:?}",
        out.rejected
    );
    let added_lines: Vec<u32> = out.added.iter().map(|p| p.line).collect();
    let expected_lines: Vec<u32> = (1..=lines.len() as u32).filter(|l| *l != 6).collect();
    assert_eq!(
        added_lines, expected_lines,
        "every other line is reported added, in line order"
    );
    assert_eq!(
        out.added.last().map(|p| p.node_id.clone()),
        Some(format!("btc:tx:{txid}")),
        "a txid pasted among addresses is added as a transaction"
    );
    assert_eq!(
        contents(&pasted, &addresses),
        contents(&one, &addresses),
        "the paste stores the same transactions, histories and raw responses as adding line by line"
    );
    let gate = pasted.source().unwrap().gate().progress();
    assert_eq!(
        gate.done as usize,
        pasted.case().raw_responses().unwrap().len(),
        "every request's answer is stored and nothing is fetched twice: {gate:?}"
    );
    let log = actions(&pasted);
    assert_eq!(
        log.iter().filter(|a| *a == "add_addresses").count(),
        1,
        "the pasted addresses are stored by one audited batch: {log:?}"
    );
    assert_eq!(
        log.iter().filter(|a| *a == "add").count(),
        1,
        "only the txid line goes through the one-by-one add: {log:?}"
    );
    let shown: BTreeSet<String> = pasted
        .case()
        .canvas_nodes()
        .unwrap()
        .into_iter()
        .map(|n| n.node_id)
        .collect();
    for a in &addresses {
        assert!(
            shown.contains(&format!("btc:addr:{a}")),
            "{a} is on the canvas"
        );
    }
}

/// First-page bodies of sim addresses whose history fits one page, by request path.
fn single_page_histories(sim: &Sim, n: usize) -> Vec<(String, String, Vec<u8>)> {
    let client = reqwest::Client::new();
    let base = sim.server.url();
    let mut out = Vec::new();
    for a in sim.chain.addresses() {
        let path = format!("/address/{a}/txs");
        let body = sim.rt.block_on(async {
            client
                .get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec()
        });
        let txs: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        if !txs.is_empty() && txs.len() < 25 {
            out.push((a.to_string(), path, body));
        }
        if out.len() == n {
            break;
        }
    }
    assert_eq!(
        out.len(),
        n,
        "the sim has {n} addresses with one page of history"
    );
    out
}

#[test]
fn an_address_whose_history_fails_is_reported_on_its_line_and_the_others_are_kept() {
    let sim = Sim::start();
    let histories = single_page_histories(&sim, 4);
    let poisoned = histories[1].0.clone();
    let bodies: BTreeMap<String, Vec<u8>> = histories
        .iter()
        .map(|(_, path, body)| (path.clone(), body.clone()))
        .collect();
    let poisoned_path = format!("/address/{poisoned}/txs");
    let server = Loopback::serve(move |req| {
        if req.path == poisoned_path {
            // A truncated body: the history cannot be read.
            return Reply::json(200, b"[{\"txid\": \"ab".to_vec());
        }
        match bodies.get(&req.path) {
            Some(body) => Reply::json(200, body.clone()),
            None => Reply::text(404, "Address not found"),
        }
    });
    let spec = SourceSpec {
        id: "esplora:loopback".into(),
        base_url: server.url.clone(),
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.tbcase");
    let mut wb = batch_case(&path, &spec, "paste", 0);
    let addresses: Vec<String> = histories.iter().map(|(a, _, _)| a.clone()).collect();

    // Every address fails: nothing changes.
    let log_before = wb.audit_log().unwrap().len();
    let out = sim
        .rt
        .block_on(wb.add_many(&format!("{poisoned}\n"), t0()))
        .unwrap();
    assert_eq!(
        out.rejected
            .iter()
            .map(|r| (r.line, r.code.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "source_error")],
        "the failing address is reported on its line: {:?}",
        out.rejected
    );
    assert!(
        out.rejected[0].message.contains(&poisoned),
        "the message names the request that failed: {}",
        out.rejected[0].message
    );
    assert!(
        wb.audit_log().unwrap().len() == log_before
            && wb.case().raw_responses().unwrap().is_empty()
            && wb.case().canvas_nodes().unwrap().is_empty(),
        "a paste whose every address failed leaves the case as it was"
    );

    // One failing address among good ones and a bad line: the good ones are kept.
    let text = format!(
        "{}\n{}\n\nzzz\n{}\n{}\n",
        addresses[0], addresses[1], addresses[2], addresses[3]
    );
    let out = sim.rt.block_on(wb.add_many(&text, t0())).unwrap();
    assert_eq!(
        out.added.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![1, 5, 6],
        "the good addresses are added: {:?}",
        out.added
    );
    assert_eq!(
        out.rejected
            .iter()
            .map(|r| (r.line, r.code.as_str(), r.input.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (2, "source_error", poisoned.as_str()),
            (4, "invalid_input", "zzz")
        ],
        "the failing address and the bad line are each reported on their own line"
    );
    let kept = contents(&wb, &addresses);
    assert!(
        wb.case()
            .address_history(CHAIN, &poisoned)
            .unwrap()
            .is_none()
            && !kept.2.iter().any(|e| e.contains(&poisoned)),
        "nothing of the failed history was stored: {:?}",
        kept.2
    );
    assert_eq!(
        kept.2.iter().filter(|e| e.starts_with("/address/")).count(),
        3,
        "the three good histories are stored with their raw responses: {:?}",
        kept.2
    );
    assert_eq!(
        kept.2.iter().filter(|e| *e == "/block-height/0").count(),
        1,
        "with the connection's network check, once: {:?}",
        kept.2
    );
    for a in [&addresses[0], &addresses[2], &addresses[3]] {
        assert!(
            wb.case().address_history(CHAIN, a).unwrap().is_some(),
            "the history of {a} is stored"
        );
    }
    let log = wb.audit_log().unwrap();
    let new_entries = &log[log_before..];
    let actions: Vec<&str> = new_entries.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.first() == Some(&"add_addresses") && actions[1..].iter().all(|a| *a == "connect"),
        "one audited batch, then the transactions joining the pasted addresses: {actions:?}"
    );
    assert!(
        new_entries[0].detail.contains(&poisoned),
        "the audit entry lists the failed address: {}",
        new_entries[0].detail
    );
}
