//! Benchmark: cached transaction look-ups from a case file (issue: "100,000 cached transaction
//! look-ups in under 1 s"). Builds a case from the sim over loopback, then reads transactions
//! back from the SQLite file. Prints one JSON line. Run: `make bench`.

use std::sync::Arc;
use std::time::Instant;

use tracebench_core::api::{NewCase, SourceSpec, Workbench};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let chain = Arc::new(tracebench_sim::generate(
        tracebench_sim::ScenarioKind::Ransomware,
        1,
    ));
    let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap())
        .expect("sim on loopback");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.tbcase");
    let spec = SourceSpec {
        id: chain.source_id(),
        base_url: server.url(),
    };
    let now = chrono::Utc::now();
    let mut wb = Workbench::create(
        &path,
        NewCase {
            title: "bench".into(),
            investigator: String::new(),
            agency: String::new(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(spec),
        now,
    )
    .expect("case");
    let t = Instant::now();
    let added = rt.block_on(wb.add(chain.seed_address(), now)).expect("add");
    rt.block_on(wb.expand(&added.node_id, 30, now))
        .expect("expand");
    let fetch_s = t.elapsed().as_secs_f64();
    let requests = wb.case().raw_responses().expect("raws").len();
    drop(wb);
    let wb = Workbench::open(&path, None).expect("reopen offline");
    let chain_id = wb.case().meta().chain.clone();
    let txids: Vec<String> = wb
        .case()
        .all_txs()
        .expect("txs")
        .into_iter()
        .map(|t| t.txid)
        .collect();
    let lookups = 100_000usize;
    let t = Instant::now();
    let mut inputs = 0usize;
    for i in 0..lookups {
        let tx = wb
            .case()
            .tx(&chain_id, &txids[(i * 7919) % txids.len()])
            .expect("lookup")
            .expect("cached");
        inputs += tx.inputs.len();
    }
    let lookup_s = t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "bench": "cache",
            "case_txs": txids.len(),
            "expand_requests": requests,
            "expand_whole_case_s": fetch_s,
            "cached_lookups": lookups,
            "cached_lookups_s": lookup_s,
            "lookups_per_s": (lookups as f64 / lookup_s).round(),
            "checksum_inputs": inputs,
        })
    );
}
