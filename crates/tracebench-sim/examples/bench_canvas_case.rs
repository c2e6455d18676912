//! Makes a case for the canvas benchmark (tests/webdriver/bench/canvas.bench.mjs): a copy of a
//! generated case (`tracebench-sim generate`) with `--nodes N` nodes on its canvas, each at a
//! saved position, chosen so that about twice as many edges join them.
//!
//! ```text
//! bench_canvas_case --from /var/tmp/tb-bench/50k.tbcase --nodes 5000 --out 5k-canvas.tbcase
//! ```
//!
//! The case is made by `tracebench-sim canvas` ([`tracebench_sim::canvas_case`], which says how
//! the nodes are chosen and placed). Prints a JSON summary with the node and edge counts the canvas
//! must show, and how long the core takes to open the case and build the graph view of its
//! canvas (what the app's `open_case` command does). Refuses to overwrite `--out`.
//!
//! With `--zoom Z` the case also gets a saved viewport (what the app saves when the analyst
//! pans and zooms): zoom Z with the grid's top-left corner at the canvas's top-left, so it opens
//! on that part of the canvas instead of the whole graph fitted.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use tracebench_core::api::Workbench;

#[derive(Debug, Parser)]
struct Args {
    /// A generated case file (read only; copied).
    #[arg(long)]
    from: PathBuf,
    /// Nodes to put on the canvas.
    #[arg(long)]
    nodes: usize,
    /// The case file to write (must not exist).
    #[arg(long)]
    out: PathBuf,
    /// Saves a viewport at this zoom, panned to the grid's top-left corner.
    #[arg(long)]
    zoom: Option<f64>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let summary = tracebench_sim::canvas_case(
        &args.from,
        &args.out,
        tracebench_sim::CanvasOptions {
            nodes: args.nodes,
            zoom: args.zoom,
        },
        chrono::Utc::now(),
    )
    .with_context(|| format!("making the canvas case {}", args.out.display()))?;
    // The core's share of opening the case in the app (its `open_case` command): open, then
    // the graph view of the saved canvas; and apart, reading every transaction of the case.
    let clock = Instant::now();
    let wb = Workbench::open(&args.out, None)?;
    let open_s = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let graph = wb.graph()?;
    let graph_s = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let all = wb.case().all_txs()?.len();
    let all_txs_s = clock.elapsed().as_secs_f64();
    let mut out = serde_json::to_value(&summary)?;
    let fields = out
        .as_object_mut()
        .context("the summary is a JSON object")?;
    fields.insert("graph_nodes".into(), graph.nodes.len().into());
    fields.insert("graph_edges".into(), graph.edges.len().into());
    fields.insert("core_open_s".into(), open_s.into());
    fields.insert("core_graph_s".into(), graph_s.into());
    fields.insert("core_all_txs_s".into(), all_txs_s.into());
    fields.insert("core_all_txs".into(), all.into());
    println!("{out}");
    Ok(())
}
