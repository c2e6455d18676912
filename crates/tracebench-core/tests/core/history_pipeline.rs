//! The pipelined batch (`Workbench::add_addresses`: each history stored as soon as it and those
//! before it arrived, in one write transaction) against real HTTP: the same rows as one
//! `Case::ingest` of the same responses in address order; a failure in the middle of the batch
//! keeps the other histories whole and lists the failed one; a cancel mid-batch leaves a case
//! that verifies, with every stored history whole.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::types::ValueRef;
use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::model::Tx;
use tracebench_core::source::esplora::PAGE_SIZE;
use tracebench_core::source::policy::{CancelToken, Policy};
use tracebench_core::source::Connection;
use tracebench_core::store::{Batch, Case, CaseMeta, Ingest, RawResponse};

use crate::loopback::{Loopback, Reply};
use crate::util::{batch_case, t0, Sim};

const CHAIN: &str = "bip122:000000000019d6689c085ae165831e93";

/// Every row of the evidence and canvas tables, in key order, as text. `retrieved_at` is left
/// out: it is the wall-clock time of each request, which two fetches never share.
fn evidence_dump(path: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let queries: [(&'static str, &str); 9] = [
        (
            "source",
            "SELECT source_id, kind, synthetic, first_used_utc FROM source ORDER BY 1",
        ),
        (
            "raw_response",
            "SELECT id, source_id, endpoint, request, status, content_type, sha256, body
             FROM raw_response ORDER BY id",
        ),
        ("tx", "SELECT * FROM tx ORDER BY chain, txid"),
        (
            "tx_input",
            "SELECT * FROM tx_input ORDER BY chain, txid, idx",
        ),
        (
            "tx_output",
            "SELECT * FROM tx_output ORDER BY chain, txid, idx",
        ),
        (
            "transfer",
            "SELECT * FROM transfer ORDER BY chain, txid, kind, idx",
        ),
        ("address", "SELECT * FROM address ORDER BY chain, address"),
        (
            "address_history",
            "SELECT * FROM address_history ORDER BY chain, address",
        ),
        (
            "canvas_node",
            "SELECT node_id, x, y, seed, added_at FROM canvas_node ORDER BY node_id",
        ),
    ];
    let mut out = BTreeMap::new();
    for (table, sql) in queries {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut cells = Vec::with_capacity(n);
                for i in 0..n {
                    cells.push(match r.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => tracebench_core::store::sha256_hex(b),
                    });
                }
                Ok(cells.join("|"))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out.insert(table, rows);
    }
    out
}

/// Every page of `address`'s history through the source layer alone, as the batch pages it.
fn pages(sim: &Sim, wb: &Workbench, address: &str) -> Vec<(RawResponse, Vec<Tx>)> {
    let source = wb.source().unwrap().clone();
    let mut out = Vec::new();
    let mut last: Option<String> = None;
    loop {
        let (raw, txs) = sim
            .rt
            .block_on(source.address_txs(address, last.as_deref()))
            .unwrap();
        let full = txs.len() == PAGE_SIZE;
        last = txs.last().map(|t| t.txid.clone());
        out.push((raw, txs));
        if !full {
            return out;
        }
    }
}

#[test]
fn the_pipelined_batch_stores_the_rows_one_ingest_of_the_same_responses_stores() {
    fn assert_send<T: Send>(_: &T) {}
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    // The hot wallet has more than one page: paging happens inside the pipelined batch.
    let addresses: Vec<String> = sim.chain.addresses().take(30).map(str::to_string).collect();
    let sorted: Vec<String> = addresses
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let piped_path = dir.path().join("piped.tbcase");
    let mut piped = batch_case(&piped_path, &sim.spec(), "pipeline", 3);
    let batch = piped.add_addresses(&addresses, t0());
    assert_send(&batch);
    let out = sim.rt.block_on(batch).unwrap();
    assert!(
        out.failed.is_empty(),
        "the sim answers every history: {:?}",
        out.failed
    );

    // The same responses, fetched one address after the other in address order and stored by
    // one `Case::ingest`: the order the batch promises whatever order the answers came in.
    let reference_path = dir.path().join("reference.tbcase");
    let fetcher = batch_case(&dir.path().join("fetcher.tbcase"), &sim.spec(), "fetch", 3);
    let mut reference = Case::create(
        &reference_path,
        CaseMeta {
            case_id: "TB-REFERENCE".into(),
            title: "reference".into(),
            investigator: "I".into(),
            agency: "A".into(),
            created_utc: "2024-05-01T12:00:00Z".into(),
            chain: CHAIN.into(),
        },
    )
    .unwrap();
    let mut responses = Vec::new();
    let mut histories = Vec::new();
    for a in &sorted {
        let history = pages(&sim, &fetcher, a);
        let txids: BTreeSet<&String> = history
            .iter()
            .flat_map(|(_, t)| t.iter().map(|t| &t.txid))
            .collect();
        histories.push((CHAIN.to_string(), a.clone(), true, txids.len() as u64));
        responses.extend(history);
    }
    // The connection's network check (`/block-height/0`), which the batch keeps after the
    // histories.
    responses.extend(
        fetcher
            .source()
            .unwrap()
            .take_network_answer()
            .map(|raw| (raw, Vec::new())),
    );
    let now = tracebench_core::source::rfc3339(t0());
    let show: Vec<String> = sorted.iter().map(|a| format!("btc:addr:{a}")).collect();
    reference
        .ingest(&Ingest {
            source_kind: "esplora",
            synthetic: true,
            batches: responses
                .iter()
                .map(|(raw, txs)| Batch { raw, txs })
                .collect(),
            histories,
            show,
            show_as_seed: true,
            now: &now,
        })
        .unwrap();
    drop(reference);

    let cached = piped.case().all_txs().unwrap();
    drop(piped);
    let (got, want) = (evidence_dump(&piped_path), evidence_dump(&reference_path));
    for (table, rows) in &want {
        assert!(
            !rows.is_empty() || *table == "canvas_node",
            "the reference has {table} rows"
        );
        assert_eq!(
            &got[table], rows,
            "the pipelined batch stores exactly the {table} rows of one ingest in address order"
        );
    }

    let reopened = Workbench::open(&piped_path, None).unwrap();
    assert_eq!(
        reopened.case().all_txs().unwrap(),
        cached,
        "the transactions the batch put in the read cache are the ones the file holds"
    );
    let log = reopened.audit_log().unwrap();
    let entry = log.last().unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    let hashes: Vec<String> = reopened
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .map(|r| r.sha256)
        .collect();
    assert_eq!(
        detail["raw_responses"],
        serde_json::json!(hashes),
        "the audit entry lists every stored response's SHA-256 in storage order"
    );
    assert!(
        Workbench::verify(&piped_path, None).unwrap().ok,
        "the case verifies: audit chain and raw responses"
    );
}

/// First-page bodies of sim addresses whose history fits one page, in address order.
fn single_page_histories(sim: &Sim, n: usize) -> Vec<(String, Vec<u8>)> {
    let client = reqwest::Client::new();
    let base = sim.server.url();
    let mut out = Vec::new();
    let all: BTreeSet<&str> = sim.chain.addresses().collect();
    for a in all {
        let body = sim.rt.block_on(async {
            let r = client
                .get(format!("{base}/address/{a}/txs"))
                .send()
                .await
                .unwrap();
            r.bytes().await.unwrap().to_vec()
        });
        let txs: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        if !txs.is_empty() && txs.len() < PAGE_SIZE {
            out.push((a.to_string(), body));
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

/// A case connected to `url` with `max_in_flight` requests at once, no retries and `cancel`.
fn loopback_case(path: &Path, url: &str, cancel: CancelToken) -> Workbench {
    let mut wb = batch_case(
        path,
        &SourceSpec {
            id: "esplora:loopback".into(),
            base_url: url.into(),
        },
        "loopback",
        0,
    );
    let mut connection = Connection::new(SourceSpec {
        id: "esplora:loopback".into(),
        base_url: url.into(),
    });
    connection.policy = Policy {
        max_in_flight: 2,
        rate: None,
        max_retries: 0,
        ..Policy::default()
    };
    connection.cancel = cancel;
    wb.connect_source(Some(connection));
    wb
}

/// Every address with a stored history has every transaction of its responses stored, each
/// resting on a stored raw response, and is on the canvas; no other address is.
fn assert_histories_whole(wb: &Workbench, addresses: &[String]) -> BTreeSet<String> {
    let raws: BTreeSet<i64> = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let canvas: BTreeSet<String> = wb
        .case()
        .canvas_nodes()
        .unwrap()
        .into_iter()
        .map(|n| n.node_id)
        .collect();
    let mut stored = BTreeSet::new();
    for a in addresses {
        let Some(h) = wb.case().address_history(CHAIN, a).unwrap() else {
            assert!(
                !canvas.contains(&format!("btc:addr:{a}")),
                "{a} without a history is not shown"
            );
            continue;
        };
        let txids = wb.case().address_txids(CHAIN, a).unwrap();
        assert_eq!(
            txids.len() as u64,
            h.tx_count,
            "every transaction of {a}'s history is stored"
        );
        for t in &txids {
            let raw = wb.case().tx_raw_id(CHAIN, t).unwrap().unwrap();
            assert!(raws.contains(&raw), "{t} rests on a stored raw response");
        }
        assert!(
            canvas.contains(&format!("btc:addr:{a}")),
            "{a}, whose history is stored, is shown"
        );
        stored.insert(a.clone());
    }
    stored
}

#[test]
fn a_failure_in_the_middle_keeps_the_histories_around_it_whole_and_lists_it() {
    let sim = Sim::start();
    let histories = single_page_histories(&sim, 6);
    let addresses: Vec<String> = histories.iter().map(|(a, _)| a.clone()).collect();
    let poisoned = addresses[2].clone();
    let bodies: BTreeMap<String, Vec<u8>> = histories
        .into_iter()
        .map(|(a, body)| (format!("/address/{a}/txs"), body))
        .collect();
    let poisoned_path = format!("/address/{poisoned}/txs");
    let server = Loopback::serve(move |req| {
        if req.path == poisoned_path {
            return Reply::text(500, "storage backend down");
        }
        match bodies.get(&req.path) {
            Some(body) => Reply::json(200, body.clone()),
            None => Reply::text(404, "Address not found"),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("middle.tbcase");
    let mut wb = loopback_case(&path, &server.url, CancelToken::new());
    let out = sim.rt.block_on(wb.add_addresses(&addresses, t0())).unwrap();
    assert_eq!(
        out.failed
            .iter()
            .map(|(a, _)| a.clone())
            .collect::<Vec<_>>(),
        vec![poisoned.clone()],
        "only the address whose source answered 500 failed: {:?}",
        out.failed
    );
    assert!(
        out.failed[0].1.contains("500"),
        "the failure says why: {}",
        out.failed[0].1
    );
    let stored = assert_histories_whole(&wb, &addresses);
    let expected: BTreeSet<String> = addresses
        .iter()
        .filter(|a| **a != poisoned)
        .cloned()
        .collect();
    assert_eq!(
        stored, expected,
        "the histories before and after the failed one are stored"
    );
    assert_eq!(
        wb.case().raw_responses().unwrap().len(),
        5 + 1,
        "one raw response per stored history, none for the failed one, and the connection's \
         network check"
    );
    assert!(
        Workbench::verify(&path, None).unwrap().ok,
        "the case verifies"
    );
}

#[test]
fn a_cancel_mid_batch_keeps_what_arrived_before_it_whole_and_the_case_verifies() {
    use std::sync::{Arc, Mutex};
    let sim = Sim::start();
    let histories = single_page_histories(&sim, 8);
    let addresses: Vec<String> = histories.iter().map(|(a, _)| a.clone()).collect();
    let cancel = CancelToken::new();
    let bodies: BTreeMap<String, Vec<u8>> = histories
        .into_iter()
        .map(|(a, body)| (format!("/address/{a}/txs"), body))
        .collect();
    // Paths the server received, in order; the fourth request is when the investigator presses
    // cancel (the tasks need not reach the server in address order).
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let (token, log) = (cancel.clone(), Arc::clone(&received));
    let server = Loopback::serve(move |req| {
        let mut log = log.lock().unwrap();
        log.push(req.path.clone());
        if log.len() == 4 {
            token.cancel();
        }
        match bodies.get(&req.path) {
            Some(body) => Reply::json(200, body.clone()),
            None => Reply::text(404, "Address not found"),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cancel.tbcase");
    let mut wb = loopback_case(&path, &server.url, cancel);
    let out = sim.rt.block_on(wb.add_addresses(&addresses, t0())).unwrap();
    let received: BTreeSet<String> = received.lock().unwrap().iter().cloned().collect();
    assert!(
        received.len() >= 4 && received.len() < addresses.len(),
        "the cancel came in the middle of the batch: {received:?}"
    );
    let failed: BTreeSet<String> = out.failed.iter().map(|(a, _)| a.clone()).collect();
    assert!(
        out.failed.iter().all(|(_, e)| e.contains("cancelled")),
        "each address left out is listed as cancelled: {:?}",
        out.failed
    );
    let stored = assert_histories_whole(&wb, &addresses);
    assert!(
        !stored.is_empty()
            && stored
                .iter()
                .all(|a| received.contains(&format!("/address/{a}/txs"))),
        "what arrived before the cancel is kept, and only what the server answered: {stored:?}"
    );
    assert!(
        addresses
            .iter()
            .filter(|a| !received.contains(&format!("/address/{a}/txs")))
            .all(|a| failed.contains(a)),
        "every address not requested before the cancel is listed as failed: {failed:?}"
    );
    assert_eq!(
        stored.len() + failed.len(),
        addresses.len(),
        "every address is either stored or listed as failed"
    );
    drop(wb);
    let verdict = Workbench::verify(&path, None).unwrap();
    assert!(
        verdict.ok,
        "the cancelled batch leaves a case that verifies: {:?}",
        verdict.findings
    );
}
