//! Makes a case for the canvas benchmark (tests/webdriver/bench/canvas.bench.mjs): a copy of a
//! generated case (`tracebench-sim generate`) with `--nodes N` nodes on its canvas, each at a
//! saved position, chosen so that about twice as many edges join them.
//!
//! ```text
//! bench_canvas_case --from /var/tmp/tb-bench/50k.tbcase --nodes 5000 --out 5k-canvas.tbcase
//! ```
//!
//! Edges need reused addresses (a generated case reuses few), so the canvas takes the A
//! addresses with the most transactions in the whole case and the N − A transactions with the
//! most edges to them (an input or output address counts once per side), A chosen so that the
//! edges come closest to 2·N. Positions are a grid filled in the
//! order nodes were chosen (a transaction, then its chosen addresses), 90 px apart, so joined
//! nodes sit near each other. Prints a JSON summary with the node and edge counts the canvas
//! must show, and how long the core takes to open the case and build the graph view of its
//! canvas (what the app's `open_case` command does). Refuses to overwrite `--out`.
//!
//! With `--zoom Z` the case also gets a saved viewport (what the app saves when the analyst
//! pans and zooms): zoom Z with the grid's top-left corner at the canvas's top-left, so it opens
//! on that part of the canvas instead of the whole graph fitted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Parser;
use tracebench_core::api::Workbench;
use tracebench_core::graph::NodeRef;
use tracebench_core::model::Tx;
use tracebench_core::store::Case;

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

/// Distinct addresses of a transaction's inputs and of its outputs (an edge each way).
fn sides(tx: &Tx) -> (BTreeSet<&str>, BTreeSet<&str>) {
    let inputs = tx
        .inputs
        .iter()
        .filter_map(|i| i.address.as_deref())
        .collect();
    let outputs = tx
        .outputs
        .iter()
        .filter_map(|o| o.address.as_deref())
        .collect();
    (inputs, outputs)
}

/// The canvas's choice for `addresses` address nodes out of `nodes`: the addresses with the
/// most transactions in the whole case (ties by address), then the `nodes − addresses`
/// transactions with the most edges to those addresses (ties by block order). Returns the
/// chosen transactions (indexes into `txs`, in block order), the chosen addresses and the edges
/// between them.
fn pick<'a>(
    txs: &'a [Tx],
    ranked: &[&'a str],
    nodes: usize,
    addresses: usize,
) -> (Vec<usize>, BTreeSet<&'a str>, usize) {
    let chosen: BTreeSet<&str> = ranked.iter().take(addresses).copied().collect();
    let mut scored: Vec<(usize, usize)> = txs
        .iter()
        .enumerate()
        .map(|(i, tx)| {
            let (inputs, outputs) = sides(tx);
            let joined = inputs.iter().filter(|a| chosen.contains(*a)).count()
                + outputs.iter().filter(|a| chosen.contains(*a)).count();
            (i, joined)
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(nodes.saturating_sub(chosen.len()));
    let edges = scored.iter().map(|(_, e)| e).sum();
    let mut picked: Vec<usize> = scored.into_iter().map(|(i, _)| i).collect();
    picked.sort_unstable();
    (picked, chosen, edges)
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.nodes < 2 {
        bail!("--nodes must be at least 2, got {}", args.nodes);
    }
    if args.out.exists() {
        bail!(
            "{} already exists; refusing to overwrite it",
            args.out.display()
        );
    }
    std::fs::copy(&args.from, &args.out)
        .with_context(|| format!("copying {} to {}", args.from.display(), args.out.display()))?;
    let mut case =
        Case::open(&args.out).with_context(|| format!("opening {}", args.out.display()))?;
    let chain = case.meta().chain.clone();
    let mut txs = case.all_txs()?;
    txs.sort_by(|a, b| {
        (a.confirmation.block_height, &a.txid).cmp(&(b.confirmation.block_height, &b.txid))
    });
    // Addresses by how many transactions they take part in (an edge each way counts once per
    // side), busiest first: reused addresses are what give a canvas more edges than nodes.
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    for tx in &txs {
        let (inputs, outputs) = sides(tx);
        for a in inputs.into_iter().chain(outputs) {
            *degree.entry(a).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = degree.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let ranked: Vec<&str> = ranked.into_iter().map(|(a, _)| a).collect();
    if ranked.is_empty() {
        bail!(
            "{} has no addresses on its transactions",
            args.from.display()
        );
    }
    // The number of address nodes whose edges come closest to twice the node count.
    let target = 2 * args.nodes;
    let most = ranked.len().min(args.nodes - 1);
    let mut best: Option<(usize, usize)> = None;
    for step in 1..=40 {
        let a = (most * step / 40).max(1);
        let (_, _, edges) = pick(&txs, &ranked, args.nodes, a);
        let off = edges.abs_diff(target);
        if best.is_none_or(|(_, b)| off < b) {
            best = Some((a, off));
        }
    }
    let (a, _) = best.context("no choice of address nodes")?;
    let (picked, chosen, edges) = pick(&txs, &ranked, args.nodes, a);

    // Grid order: each transaction, then its chosen addresses not placed yet; addresses no
    // chosen transaction touches go last (by rank).
    let mut order: Vec<String> = Vec::with_capacity(args.nodes);
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let address_id = |a: &str| {
        NodeRef::Address {
            chain: chain.clone(),
            address: a.to_string(),
        }
        .id()
    };
    for &i in &picked {
        let tx = &txs[i];
        order.push(
            NodeRef::Tx {
                chain: chain.clone(),
                txid: tx.txid.clone(),
            }
            .id(),
        );
        let (inputs, outputs) = sides(tx);
        for a in inputs.into_iter().chain(outputs) {
            if chosen.contains(a) && placed.insert(a) {
                order.push(address_id(a));
            }
        }
    }
    for a in ranked.iter().take(a) {
        if placed.insert(a) {
            order.push(address_id(a));
        }
    }
    let now = chrono::Utc::now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .to_string();
    case.show_nodes(&order, false, &now)?;
    let columns = (order.len() as f64).sqrt().ceil() as usize;
    let positions: Vec<(String, f64, f64)> = order
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (row, col) = (i / columns, i % columns);
            (id.clone(), col as f64 * 90.0, row as f64 * 90.0)
        })
        .collect();
    case.set_positions(&positions)?;
    drop(case);
    if let Some(zoom) = args.zoom {
        let mut wb = Workbench::open(&args.out, None)?;
        let view = tracebench_core::api::Viewport {
            zoom,
            pan_x: 0.0,
            pan_y: 0.0,
        };
        wb.set_viewport(view, chrono::Utc::now())
            .with_context(|| format!("saving the viewport at zoom {zoom}"))?;
    }
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
    println!(
        "{}",
        serde_json::json!({
            "case": args.out,
            "from": args.from,
            "case_txs": txs.len(),
            "nodes": order.len(),
            "tx_nodes": picked.len(),
            "address_nodes": chosen.len(),
            "edges": edges,
            "graph_nodes": graph.nodes.len(),
            "graph_edges": graph.edges.len(),
            "core_open_s": open_s,
            "core_graph_s": graph_s,
            "core_all_txs_s": all_txs_s,
            "core_all_txs": all,
            "saved_zoom": args.zoom,
        })
    );
    Ok(())
}
