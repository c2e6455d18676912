//! Benchmark of a source over loopback (issue #5): "Expanding 1,000 addresses from a loopback
//! Esplora server (the sim), rate limit off and the same concurrency in both runs: Tracebench's
//! throughput at least 80% of what the server sustains on its own under a load tool (e.g. wrk)
//! in the same run. Cache hits: 100,000 cached transaction look-ups in under 1 s."
//!
//! 1. Serves ransomware chains of seeds 1, 2, … side by side ([`tracebench_sim::serve_chains`])
//!    until they hold at least 1,000 addresses, and picks the first 1,000 (sorted).
//! 2. Tracebench: a fresh case, the source connected with the rate limit off and
//!    `max_in_flight` = [`IN_FLIGHT`]; the 1,000 addresses through [`Workbench::add_addresses`]
//!    (every history fetched at once under the gate, each stored with its raw responses as soon
//!    as it and those before it arrived, in one SQLite transaction; the addresses shown), then into another fresh case through
//!    [`Workbench::add_many`] (the app's bulk paste: the same batch path, in pastes of
//!    [`MAX_PASTE_LINES`] lines, each line validated and the new addresses connected; left out
//!    with `BENCH_PASTE=0`).
//!    For diagnosis, the same histories through the source layer alone ([`Source::address_txs`]
//!    under the same gate: HTTP, policy and Esplora parsing; nothing stored).
//! 3. wrk: `wrk -t1 -c<IN_FLIGHT>` for `BENCH_WRK_SECONDS` (default 10) cycling through exactly
//!    the request paths Tracebench sent (read back from the case's raw responses).
//! 4. Cache: the case reopened offline; 100,000 look-ups through `Case::tx_shared` right after
//!    opening (each transaction read from SQLite once, then shared from the read cache), 100,000
//!    more with the cache warm, and 100,000 through `Case::tx` (each an owned copy) for
//!    comparison.
//!
//! CPU time is read per thread from `/proc/self/task`, so the server's share (threads named
//! `tracebench-sim*`) and the client's are reported apart. Prints one JSON line.
//! Needs `wrk` on the PATH (or `WRK=/path/to/wrk`). Run by `make bench` (scripts/bench_sources.sh).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use tracebench_core::api::{Clock, NewCase, SourceSpec, Workbench, MAX_PASTE_LINES};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::source::esplora::{parse_tx_list, PAGE_SIZE};
use tracebench_core::source::policy::Policy;
use tracebench_core::source::{Connection, Source, SourceError};
use tracebench_core::store::{Case, CaseMeta, RawResponse};

/// Addresses expanded.
const ADDRESSES: usize = 1_000;
/// Requests in flight: Tracebench's `max_in_flight` and wrk's connection count.
const IN_FLIGHT: usize = 4;
/// Cached look-ups timed.
const LOOKUPS: usize = 100_000;

type Failure = Box<dyn std::error::Error>;

/// CPU seconds of this process's threads, split into the sim server's and everything else.
#[derive(Debug, Clone, Copy, Default)]
struct Cpu {
    server: f64,
    client: f64,
}

impl Cpu {
    fn now() -> Cpu {
        let tick = 100.0; // USER_HZ on Linux
        let mut cpu = Cpu::default();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return cpu;
        };
        for task in tasks.flatten() {
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let comm = &stat[open + 1..close];
            let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
            // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime 15.
            let ticks: f64 = fields
                .get(11..13)
                .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
                .unwrap_or(0.0);
            if comm.starts_with("tracebench-sim") {
                cpu.server += ticks / tick;
            } else {
                cpu.client += ticks / tick;
            }
        }
        cpu
    }

    fn since(self, before: Cpu) -> serde_json::Value {
        serde_json::json!({
            "server_cpu_s": round3(self.server - before.server),
            "client_cpu_s": round3(self.client - before.client),
        })
    }
}

/// Adds the ratio to wrk's rate to a measured run (nothing to a run left out).
fn with_ratio(mut run: serde_json::Value, wrk_rate: f64) -> serde_json::Value {
    if let Some(rate) = run["requests_per_s"].as_f64() {
        run["ratio_to_wrk"] = round3(rate / wrk_rate).into();
    }
    run
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The source as Tracebench connects it here: rate limit off, [`IN_FLIGHT`] requests at once.
fn connection(spec: &SourceSpec) -> Connection {
    let mut connection = Connection::new(spec.clone());
    connection.policy = Policy {
        max_in_flight: IN_FLIGHT,
        rate: None,
        ..Policy::default()
    };
    connection
}

/// Every page of every address's history through the source alone; returns the pages fetched.
async fn fetch_only(source: &Source, addresses: &[String]) -> Result<u64, Failure> {
    let mut set = tokio::task::JoinSet::new();
    for a in addresses {
        let (source, a) = (source.clone(), a.clone());
        set.spawn(async move {
            let mut pages = 0u64;
            let mut last: Option<String> = None;
            loop {
                let (_, txs) = source.address_txs(&a, last.as_deref()).await?;
                pages += 1;
                if txs.len() < PAGE_SIZE {
                    return Ok::<u64, SourceError>(pages);
                }
                last = txs.last().map(|t| t.txid.clone());
            }
        });
    }
    let mut pages = 0;
    while let Some(done) = set.join_next().await {
        pages += done??;
    }
    Ok(pages)
}

fn new_case(path: &Path, spec: &SourceSpec) -> Result<Workbench, Failure> {
    let mut wb = Workbench::create(
        path,
        NewCase {
            title: "bench sources".into(),
            investigator: String::new(),
            agency: String::new(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        chrono::Utc::now(),
    )?;
    wb.connect_source(Some(connection(spec)));
    Ok(wb)
}

/// Requests the workbench's source sent so far.
fn requests(wb: &Workbench) -> u64 {
    wb.source().map(|s| s.gate().progress().done).unwrap_or(0)
}

/// Runs wrk against `base` cycling through `paths`; returns requests/s and the raw summary.
fn wrk(base: &str, paths: &[String], dir: &Path, seconds: u64) -> Result<(f64, String), Failure> {
    let script = dir.join("paths.lua");
    let mut lua = String::from("local paths = {\n");
    for p in paths {
        lua.push_str(&format!("  {p:?},\n"));
    }
    lua.push_str(
        "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
    );
    std::fs::write(&script, lua)?;
    let bin = std::env::var("WRK").unwrap_or_else(|_| "wrk".to_string());
    let out = Command::new(&bin)
        .args([
            "-t1",
            &format!("-c{IN_FLIGHT}"),
            &format!("-d{seconds}s"),
            "-s",
        ])
        .arg(&script)
        .arg(base)
        .output()
        .map_err(|e| format!("running {bin} (install it: apt-get install -y wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    if text.contains("Non-2xx") || text.contains("Socket errors") {
        return Err(format!("wrk saw errors, the comparison would be unfair:\n{text}").into());
    }
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    Ok((rate, text))
}

/// Lower bounds of storing (diagnosis; no network, nothing else on the clock): the batch's
/// responses read back from its case file and stored again into fresh case files through the
/// same `IngestSession` the batch uses, each in one transaction with its commit:
/// `raw_only` stores every body with its SHA-256 and provenance and nothing else (the bare
/// minimum of "every response stored with provenance"); `raw_and_rows` adds the parsed
/// transactions' rows (tx, inputs, outputs, addresses, transfers). `parse` is the Esplora JSON
/// parsing of the same bodies, which the batch does on the fetch tasks.
fn store_bounds(batch_path: &Path, dir: &Path) -> Result<serde_json::Value, Failure> {
    let (chain, raws) = {
        let case = Case::open(batch_path)?;
        let chain = case.meta().chain.clone();
        let mut raws = Vec::new();
        for r in case.raw_responses()? {
            let body = case.raw_body(r.id)?;
            raws.push(RawResponse {
                source_id: r.source_id,
                endpoint: r.endpoint,
                request: r.request,
                retrieved_at: r.retrieved_at,
                status: r.status,
                content_type: Some("application/json".to_string()),
                body,
            });
        }
        (chain, raws)
    };
    let t = Instant::now();
    let mut parsed = Vec::with_capacity(raws.len());
    for r in &raws {
        // The batch also stored the source's network check (not a transaction list).
        parsed.push(if r.endpoint.contains("/txs") {
            parse_tx_list(&chain, &r.body).map_err(|e| format!("{}: {e}", r.endpoint))?
        } else {
            Vec::new()
        });
    }
    let parse_s = t.elapsed().as_secs_f64();
    let rows: usize = parsed.iter().map(Vec::len).sum();

    let store = |name: &str, with_rows: bool| -> Result<f64, Failure> {
        let mut case = Case::create(
            &dir.join(format!("{name}.tbcase")),
            CaseMeta {
                case_id: format!("bench-{name}"),
                title: format!("bench {name}"),
                investigator: String::new(),
                agency: String::new(),
                created_utc: "2026-11-22T00:00:00Z".to_string(),
                chain: chain.clone(),
            },
        )?;
        let txs: Vec<Vec<tracebench_core::model::Tx>> = if with_rows {
            parsed.clone()
        } else {
            raws.iter().map(|_| Vec::new()).collect()
        };
        let t = Instant::now();
        let mut session = case.begin_ingest("esplora", true, "2026-11-22T00:00:00Z")?;
        for (raw, txs) in raws.iter().zip(txs) {
            session.store(raw, txs)?;
        }
        session.finish(&[], &[], false, None)?;
        Ok(t.elapsed().as_secs_f64())
    };
    let raw_only_s = store("raw_only", false)?;
    let raw_and_rows_s = store("raw_and_rows", true)?;
    let per_response_ms = |s: f64| round3(1000.0 * s / raws.len() as f64);
    Ok(serde_json::json!({
        "responses": raws.len(),
        "txs_parsed": rows,
        "parse_s": round3(parse_s),
        "parse_ms_per_response": per_response_ms(parse_s),
        "raw_only_s": round3(raw_only_s),
        "raw_only_ms_per_response": per_response_ms(raw_only_s),
        "raw_and_rows_s": round3(raw_and_rows_s),
        "raw_and_rows_ms_per_response": per_response_ms(raw_and_rows_s),
    }))
}

fn main() -> Result<(), Failure> {
    let wrk_seconds: u64 = std::env::var("BENCH_WRK_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    let mut chains = Vec::new();
    let mut all: BTreeSet<String> = BTreeSet::new();
    for seed in 1u64.. {
        let chain = tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, seed);
        all.extend(chain.addresses().map(str::to_string));
        chains.push(Arc::new(chain));
        if all.len() >= ADDRESSES {
            break;
        }
    }
    let picked: Vec<String> = all.into_iter().take(ADDRESSES).collect();
    let server = tracebench_sim::serve_chains(&chains, "127.0.0.1:0".parse()?)?;
    let spec = SourceSpec {
        id: "sim:ransomware:bench".into(),
        base_url: server.url(),
    };
    let dir = tempfile::tempdir()?;

    // Tracebench, every history at once under the gate.
    let batch_path = dir.path().join("batch.tbcase");
    let mut wb = new_case(&batch_path, &spec)?;
    let cpu = Cpu::now();
    let t = Instant::now();
    let fetched = rt.block_on(wb.add_addresses(&picked, chrono::Utc::now()))?;
    let batch_s = t.elapsed().as_secs_f64();
    let batch_cpu = Cpu::now().since(cpu);
    let batch_requests = requests(&wb);
    if !fetched.failed.is_empty() {
        return Err(format!("histories failed: {:?}", fetched.failed).into());
    }
    let paths: Vec<String> = wb
        .case()
        .raw_responses()?
        .into_iter()
        .map(|r| r.endpoint)
        .collect();
    drop(wb);

    // Tracebench, the same addresses pasted (the app's bulk paste), MAX_PASTE_LINES at a time.
    let path = dir.path().join("paste.tbcase");
    let paste = if std::env::var("BENCH_PASTE").as_deref() == Ok("0") {
        serde_json::Value::Null
    } else {
        let mut wb = new_case(&path, &spec)?;
        let cpu = Cpu::now();
        let t = Instant::now();
        for chunk in picked.chunks(MAX_PASTE_LINES) {
            let out = rt.block_on(wb.add_many(&chunk.join("\n"), chrono::Utc::now()))?;
            if !out.rejected.is_empty() {
                return Err(format!("pasted lines refused: {:?}", out.rejected).into());
            }
        }
        let seconds = t.elapsed().as_secs_f64();
        let cpu = Cpu::now().since(cpu);
        let requests = requests(&wb);
        let rate = requests as f64 / seconds;
        serde_json::json!({
            "requests": requests,
            "seconds": round3(seconds),
            "requests_per_s": rate.round(),
            "cpu": cpu,
        })
    };

    // Diagnosis: the source layer alone (HTTP, gate, Esplora parsing), storing nothing.
    let source = Source::connect(connection(&spec), BtcNetwork::Mainnet, Clock::system());
    let cpu = Cpu::now();
    let t = Instant::now();
    let pages = rt.block_on(fetch_only(&source, &picked))?;
    let source_s = t.elapsed().as_secs_f64();
    let source_cpu = Cpu::now().since(cpu);

    // The server alone under wrk, the same paths and connection count.
    let cpu = Cpu::now();
    let (wrk_rate, wrk_text) = wrk(&server.url(), &paths, dir.path(), wrk_seconds)?;
    let wrk_cpu = Cpu::now().since(cpu);
    server.shutdown()?;

    let bounds = store_bounds(&batch_path, dir.path())?;

    // Cached look-ups from the case file, through the read path the app uses.
    let wb = Workbench::open(&batch_path, None)?;
    let chain_id = wb.case().meta().chain.clone();
    let txids: Vec<String> = wb.case().all_txs()?.into_iter().map(|t| t.txid).collect();
    drop(wb);
    let wb = Workbench::open(&batch_path, None)?;
    let mut inputs = 0usize;
    let mut lookups = |n: usize, owned: bool| -> Result<f64, Failure> {
        let t = Instant::now();
        for i in 0..n {
            let txid = &txids[(i * 7919) % txids.len()];
            let missing = || format!("{txid} is not in the case");
            inputs += if owned {
                wb.case()
                    .tx(&chain_id, txid)?
                    .ok_or_else(missing)?
                    .inputs
                    .len()
            } else {
                wb.case()
                    .tx_shared(&chain_id, txid)?
                    .ok_or_else(missing)?
                    .inputs
                    .len()
            };
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let cold_s = lookups(LOOKUPS, false)?;
    let warm_s = lookups(LOOKUPS, false)?;
    let owned_s = lookups(LOOKUPS, true)?;

    let batch_rate = batch_requests as f64 / batch_s;
    println!(
        "{}",
        serde_json::json!({
            "bench": "sources",
            "addresses": picked.len(),
            "chains": chains.len(),
            "in_flight": IN_FLIGHT,
            "paste": with_ratio(paste, wrk_rate),
            "batch": {
                "requests": batch_requests,
                "seconds": round3(batch_s),
                "requests_per_s": batch_rate.round(),
                "ratio_to_wrk": round3(batch_rate / wrk_rate),
                "txs_fetched": fetched.txs_fetched,
                "cpu": batch_cpu,
            },
            "source_only": {
                "requests": pages,
                "seconds": round3(source_s),
                "requests_per_s": (pages as f64 / source_s).round(),
                "ratio_to_wrk": round3(pages as f64 / source_s / wrk_rate),
                "cpu": source_cpu,
            },
            "wrk": {
                "seconds": wrk_seconds,
                "paths": paths.len(),
                "requests_per_s": wrk_rate.round(),
                "cpu": wrk_cpu,
                "summary": wrk_text.lines().map(str::trim).collect::<Vec<_>>().join(" | "),
            },
            "store_bounds": bounds,
            "budget_ms_per_response_at_80pct_of_wrk": round3(1000.0 / (0.8 * wrk_rate)),
            "cache": {
                "case_txs": txids.len(),
                "lookups": LOOKUPS,
                "cold_s": round3(cold_s),
                "warm_s": round3(warm_s),
                "warm_lookups_per_s": (LOOKUPS as f64 / warm_s).round(),
                "owned_copies_s": round3(owned_s),
                "checksum_inputs": inputs,
            },
        })
    );
    Ok(())
}
