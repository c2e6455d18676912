//! Benchmark: the core's share of opening a case in the app (its `open_case` command), split
//! into its parts. Issue #3: "a case with 50,000 transactions opens to an interactive canvas
//! showing its saved view in under 2 s". Reads the case only (a copy is advised all the same:
//! opening checks and may migrate it).
//!
//! ```text
//! bench_case_open /var/tmp/tb-bench/NAME-canvas-1000.tbcase [RUNS]
//! ```
//!
//! Prints one JSON line per run: `open_s` (`Workbench::open`: header, application id, schema
//! and metadata checks, migrations check; the page check starts on its own thread), `graph_s`
//! (`Workbench::graph`, the canvas's saved view), `json_s` and `json_bytes` (serialising the view
//! as the app's IPC does), `integrity_wait_s` (how much longer the page check ran after the view
//! was ready) and, apart, `quick_check_s` (the page check alone, what opening used to wait for).

use std::path::PathBuf;
use std::time::Instant;

use tracebench_core::api::Workbench;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: bench_case_open CASE [RUNS]"));
    let runs: usize = args
        .next()
        .map(|r| r.parse().expect("RUNS is a number"))
        .unwrap_or(3);
    for run in 1..=runs {
        let clock = Instant::now();
        let wb = Workbench::open(&path, None).expect("the case opens");
        let open_s = clock.elapsed().as_secs_f64();
        let clock = Instant::now();
        let graph = wb.graph().expect("the view builds");
        let graph_s = clock.elapsed().as_secs_f64();
        let clock = Instant::now();
        let json = serde_json::to_vec(&graph).expect("the view serialises");
        let json_s = clock.elapsed().as_secs_f64();
        let clock = Instant::now();
        wb.case()
            .integrity()
            .expect("the case passes its page check");
        let integrity_wait_s = clock.elapsed().as_secs_f64();
        drop(wb);
        let clock = Instant::now();
        tracebench_core::store::check(&path).expect("the whole check passes");
        let quick_check_s = clock.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({
                "run": run,
                "case": path,
                "nodes": graph.nodes.len(),
                "edges": graph.edges.len(),
                "open_s": open_s,
                "graph_s": graph_s,
                "json_s": json_s,
                "json_bytes": json.len(),
                "integrity_wait_s": integrity_wait_s,
                "quick_check_s": quick_check_s,
            })
        );
    }
}
