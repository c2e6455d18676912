//! Benchmark of issue #4's performance item, on a case written by `tracebench-sim generate`:
//! loading the case, multi-input clustering with CoinJoin detection, and a 6-hop haircut trace
//! from one output, each timed on its own, plus the process's peak memory. Prints one JSON line.
//! The line also carries SHA3-256 fingerprints of the clustering's and the traces' JSON (computed
//! outside the timed sections), so two builds can be shown to give byte-identical results.
//! Every timed section reports its wall time (`*_s`) and the CPU time the process's (single)
//! thread spent in it (`*_cpu_s`, from /proc/thread-self/schedstat, user + system, in ns): on a
//! shared machine the wall time includes waiting for the core, the CPU time does not.
//! Run through `make bench` (scripts/bench.sh), which pins it to one core.
//!
//! Usage: `bench_analysis CASE.tbcase`

use std::time::Instant;

use sha3::{Digest, Sha3_256};

use tracebench_core::analysis::trace::{trace, TaintModel, TraceDirection, TraceStart};
use tracebench_core::api::Workbench;
use tracebench_core::cluster;

// The same allocator as the `tracebench` and app binaries (mimalloc), so the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .ok_or("usage: bench_analysis CASE.tbcase")?;
    let (t, c) = (Instant::now(), cpu_s());
    let wb = Workbench::open(std::path::Path::new(&path), None)?;
    let txs = wb.case().all_txs()?;
    // Closing the workbench frees what loading left behind, and glibc's allocator sorts those
    // freed blocks into its bins at the next large request (a long walk after a big load).
    // That request is made here, so the clean-up after loading is counted as loading, not as
    // part of whichever analysis step happens to allocate first.
    drop(wb);
    drop(std::hint::black_box(Vec::<u8>::with_capacity(1 << 20)));
    let load_s = t.elapsed().as_secs_f64();
    let load_cpu_s = cpu_s() - c;
    let inputs: usize = txs.iter().map(|t| t.inputs.len()).sum();
    let outputs: usize = txs.iter().map(|t| t.outputs.len()).sum();

    let (t, c) = (Instant::now(), cpu_s());
    let clustering = cluster::multi_input(&txs);
    let cluster_s = t.elapsed().as_secs_f64();
    let cluster_cpu_s = cpu_s() - c;
    let clustered_addresses: usize = clustering.clusters.iter().map(|c| c.addresses.len()).sum();

    // The start: output 0 of the transaction in the middle of the chain (block order).
    let start_tx = &txs[txs.len() / 2];
    let start = format!("{}:0", start_tx.txid);
    let (t, c) = (Instant::now(), cpu_s());
    let traced = trace(
        &txs,
        &TraceStart::parse(&start),
        TaintModel::Haircut,
        TraceDirection::Forward,
        6,
    )?;
    let trace_s = t.elapsed().as_secs_f64();
    let trace_cpu_s = cpu_s() - c;

    // The same start walked backward (which outputs funded it), timed and fingerprinted too.
    let (t, c) = (Instant::now(), cpu_s());
    let traced_back = trace(
        &txs,
        &TraceStart::parse(&start),
        TaintModel::Haircut,
        TraceDirection::Backward,
        6,
    )?;
    let trace_backward_s = t.elapsed().as_secs_f64();
    let trace_backward_cpu_s = cpu_s() - c;

    let out = serde_json::json!({
        "bench": "analysis",
        "case_txs": txs.len(),
        "inputs": inputs,
        "outputs": outputs,
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "cluster_s": cluster_s,
        "cluster_cpu_s": cluster_cpu_s,
        "clusters": clustering.clusters.len(),
        "clustered_addresses": clustered_addresses,
        "skipped_coinjoins": clustering.skipped_coinjoins.len(),
        "trace_start": start,
        "trace_hops": 6,
        "trace_s": trace_s,
        "trace_cpu_s": trace_cpu_s,
        "trace_txs": traced.txs.len(),
        "trace_backward_s": trace_backward_s,
        "trace_backward_cpu_s": trace_backward_cpu_s,
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

/// CPU time (user + system) this thread has used so far, in seconds: the first field of
/// /proc/thread-self/schedstat (Linux), in nanoseconds. NaN where that file is missing, so a
/// missing figure shows as `null` in the JSON rather than as a wrong number.
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(f64::NAN, |ns| ns as f64 / 1e9)
}

/// The process's peak resident set size (VmHWM) in KiB, from /proc/self/status (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
