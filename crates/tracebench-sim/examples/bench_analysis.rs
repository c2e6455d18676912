//! Benchmark of issue #4's performance item, on a case written by `tracebench-sim generate`:
//! loading the case, multi-input clustering with CoinJoin detection, and a 6-hop haircut trace
//! from one output, each timed on its own, plus the process's peak memory. Prints one JSON line.
//! The line also carries SHA3-256 fingerprints of the clustering's and the traces' JSON (computed
//! outside the timed sections), so two builds can be shown to give byte-identical results.
//! Run through `make bench` (scripts/bench.sh), which pins it to one core.
//!
//! Usage: `bench_analysis CASE.tbcase`

use std::time::Instant;

use sha3::{Digest, Sha3_256};

use tracebench_core::analysis::trace::{trace, TaintModel, TraceDirection, TraceStart};
use tracebench_core::api::Workbench;
use tracebench_core::cluster;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .ok_or("usage: bench_analysis CASE.tbcase")?;
    let t = Instant::now();
    let wb = Workbench::open(std::path::Path::new(&path), None)?;
    let txs = wb.case().all_txs()?;
    let load_s = t.elapsed().as_secs_f64();
    drop(wb);
    let inputs: usize = txs.iter().map(|t| t.inputs.len()).sum();
    let outputs: usize = txs.iter().map(|t| t.outputs.len()).sum();

    let t = Instant::now();
    let clustering = cluster::multi_input(&txs);
    let cluster_s = t.elapsed().as_secs_f64();
    let clustered_addresses: usize = clustering.clusters.iter().map(|c| c.addresses.len()).sum();

    // The start: output 0 of the transaction in the middle of the chain (block order).
    let start_tx = &txs[txs.len() / 2];
    let start = format!("{}:0", start_tx.txid);
    let t = Instant::now();
    let traced = trace(
        &txs,
        &TraceStart::parse(&start),
        TaintModel::Haircut,
        TraceDirection::Forward,
        6,
    )?;
    let trace_s = t.elapsed().as_secs_f64();

    // The same start walked backward (which outputs funded it), timed and fingerprinted too.
    let t = Instant::now();
    let traced_back = trace(
        &txs,
        &TraceStart::parse(&start),
        TaintModel::Haircut,
        TraceDirection::Backward,
        6,
    )?;
    let trace_backward_s = t.elapsed().as_secs_f64();

    let out = serde_json::json!({
        "bench": "analysis",
        "case_txs": txs.len(),
        "inputs": inputs,
        "outputs": outputs,
        "load_s": load_s,
        "cluster_s": cluster_s,
        "clusters": clustering.clusters.len(),
        "clustered_addresses": clustered_addresses,
        "skipped_coinjoins": clustering.skipped_coinjoins.len(),
        "trace_start": start,
        "trace_hops": 6,
        "trace_s": trace_s,
        "trace_txs": traced.txs.len(),
        "trace_backward_s": trace_backward_s,
        "trace_backward_txs": traced_back.txs.len(),
        "cluster_json_sha3": fingerprint(&clustering)?,
        "trace_json_sha3": fingerprint(&traced)?,
        "trace_backward_json_sha3": fingerprint(&traced_back)?,
        "peak_rss_kib": peak_rss_kib(),
    });
    println!("{out}");
    Ok(())
}

/// SHA3-256 of `value`'s JSON, in hex, streamed into the hash (no copy of the JSON in memory,
/// so the fingerprint does not raise the peak memory measured around the run).
fn fingerprint(value: &impl serde::Serialize) -> Result<String, serde_json::Error> {
    let mut hash = HashWriter(Sha3_256::new());
    serde_json::to_writer(&mut hash, value)?;
    Ok(hex::encode(hash.0.finalize()))
}

struct HashWriter(Sha3_256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process's peak resident set size (VmHWM) in KiB, from /proc/self/status (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
