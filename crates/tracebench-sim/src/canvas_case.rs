//! A big canvas on a generated case: `tracebench-sim canvas` (and the canvas benchmark's
//! `bench_canvas_case` example).
//!
//! [`canvas_case`] copies a case (`tracebench-sim generate`) and puts `nodes` of its nodes on the
//! copy's canvas, each at a saved position, chosen so that about twice as many edges join them.
//! Edges need reused addresses (a generated case reuses few), so the canvas takes the A
//! addresses with the most transactions in the whole case and the N − A transactions with the
//! most edges to them (an input or output address counts once per side), A chosen so that the
//! edges come closest to 2·N. Positions are a grid filled in the order nodes were chosen (a
//! transaction, then its chosen addresses), [`GRID_SPACING`] px apart, so joined nodes sit near
//! each other.
//!
//! With a zoom the copy also gets a saved viewport (what the app saves when the analyst pans and
//! zooms): that zoom with the grid's top-left corner at the canvas's top-left, so the app opens
//! it on that corner instead of the whole graph fitted. The source case is only read; the copy
//! is never written over an existing file, and a copy that could not be finished is removed.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use tracebench_core::api::{ApiError, Viewport, Workbench, VIEWPORT_ZOOM};
use tracebench_core::graph::NodeRef;
use tracebench_core::model::Tx;
use tracebench_core::store::{Case, CaseError};

/// Distance between neighbouring grid positions (graph coordinates, px at zoom 1).
pub const GRID_SPACING: f64 = 90.0;

/// What to put on the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CanvasOptions {
    /// Nodes to put on the canvas (at least 2; fewer when the case has fewer).
    pub nodes: usize,
    /// A viewport to save: this zoom, panned to the grid's top-left corner.
    pub zoom: Option<f64>,
}

/// What was written: the counts the app's canvas must show, and where the grid starts and ends.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CanvasSummary {
    pub case: PathBuf,
    pub from: PathBuf,
    /// Transactions in the case (on the canvas or not).
    pub case_txs: usize,
    /// Nodes put on the canvas.
    pub nodes: usize,
    pub tx_nodes: usize,
    pub address_nodes: usize,
    /// Edges the choice expected (an address once per side of a transaction).
    pub edges: usize,
    /// Nodes and edges of the core's graph view of the canvas (what the app draws).
    pub graph_nodes: usize,
    pub graph_edges: usize,
    /// The saved viewport's zoom, if one was saved.
    pub saved_zoom: Option<f64>,
    /// Grid columns; node `i` sits at (`i % columns`, `i / columns`) × [`GRID_SPACING`].
    pub columns: usize,
    /// The node in the grid's first cell (top-left, at 0, 0).
    pub first_placed: String,
    /// The node in the grid's last cell (bottom row, farthest from the top-left corner).
    pub last_placed: String,
}

/// Why a canvas case could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CanvasError {
    #[error("--nodes must be at least 2, got {0}")]
    TooFewNodes(usize),
    #[error(
        "--zoom must be a number from {low} to {high} (got {zoom})",
        low = VIEWPORT_ZOOM.start(),
        high = VIEWPORT_ZOOM.end()
    )]
    Zoom { zoom: f64 },
    #[error("{0} already exists; refusing to overwrite it")]
    Exists(PathBuf),
    #[error("copying {from} to {to}: {source}")]
    Copy {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
    #[error("{0} has no addresses on its transactions")]
    NoAddresses(PathBuf),
    #[error("the case: {0}")]
    Case(#[from] CaseError),
    #[error("the case: {0}")]
    Api(#[from] ApiError),
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

/// Copies `from` to `out` (which must not exist) and lays out a canvas of `options.nodes` nodes
/// on the copy, with a saved viewport when `options.zoom` is set; `now` is when the nodes were
/// added and the viewport saved. On an error after the copy was made, the copy is removed.
pub fn canvas_case(
    from: &Path,
    out: &Path,
    options: CanvasOptions,
    now: DateTime<Utc>,
) -> Result<CanvasSummary, CanvasError> {
    if options.nodes < 2 {
        return Err(CanvasError::TooFewNodes(options.nodes));
    }
    // The saved view: that zoom on the grid's top-left corner, refused by the core's own rule.
    let view = options
        .zoom
        .map(|zoom| {
            let view = Viewport {
                zoom,
                pan_x: 0.0,
                pan_y: 0.0,
            };
            view.check()
                .map(|()| view)
                .map_err(|_| CanvasError::Zoom { zoom })
        })
        .transpose()?;
    copy_new(from, out)?;
    lay_out(from, out, options.nodes, view, now).inspect_err(|_| {
        // The copy is ours (it did not exist before): a half-made canvas case is not left behind.
        let _ = std::fs::remove_file(out);
    })
}

/// Copies `from` to a new file `out`, refusing to write over an existing one.
fn copy_new(from: &Path, out: &Path) -> Result<(), CanvasError> {
    let copy_error = |source| CanvasError::Copy {
        from: from.to_path_buf(),
        to: out.to_path_buf(),
        source,
    };
    let mut reader = std::fs::File::open(from).map_err(copy_error)?;
    let mut writer = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(CanvasError::Exists(out.to_path_buf()))
        }
        Err(e) => return Err(copy_error(e)),
    };
    let copied = io::copy(&mut reader, &mut writer).and_then(|_| writer.sync_all());
    if let Err(e) = copied {
        drop(writer);
        let _ = std::fs::remove_file(out);
        return Err(copy_error(e));
    }
    Ok(())
}

fn lay_out(
    from: &Path,
    out: &Path,
    nodes: usize,
    view: Option<Viewport>,
    now: DateTime<Utc>,
) -> Result<CanvasSummary, CanvasError> {
    let mut case = Case::open(out)?;
    let chain = case.meta().chain.clone();
    let mut txs = case.all_txs()?;
    txs.sort_by(|a, b| {
        (a.confirmation.block_height, &a.txid).cmp(&(b.confirmation.block_height, &b.txid))
    });
    // Addresses by how many transactions they take part in (once per side), busiest first:
    // reused addresses are what give a canvas more edges than nodes.
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
        return Err(CanvasError::NoAddresses(from.to_path_buf()));
    }
    // The number of address nodes whose edges come closest to twice the node count.
    let target = 2 * nodes;
    let most = ranked.len().min(nodes - 1);
    let mut best: Option<(usize, usize)> = None;
    for step in 1..=40 {
        let a = (most * step / 40).max(1);
        let (_, _, edges) = pick(&txs, &ranked, nodes, a);
        let off = edges.abs_diff(target);
        if best.is_none_or(|(_, b)| off < b) {
            best = Some((a, off));
        }
    }
    let a = best.map_or(1, |(a, _)| a);
    let (picked, chosen, edges) = pick(&txs, &ranked, nodes, a);

    // Grid order: each transaction, then its chosen addresses not placed yet; addresses no
    // chosen transaction touches go last (by rank).
    let mut order: Vec<String> = Vec::with_capacity(nodes);
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
    let stamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    case.show_nodes(&order, false, &stamp)?;
    let columns = (order.len() as f64).sqrt().ceil() as usize;
    let positions: Vec<(String, f64, f64)> = order
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (row, col) = (i / columns, i % columns);
            (
                id.clone(),
                col as f64 * GRID_SPACING,
                row as f64 * GRID_SPACING,
            )
        })
        .collect();
    case.set_positions(&positions)?;
    drop(case);

    let mut wb = Workbench::open(out, None)?;
    if let Some(view) = view {
        wb.set_viewport(view, now)?;
    }
    let graph = wb.graph()?;
    Ok(CanvasSummary {
        case: out.to_path_buf(),
        from: from.to_path_buf(),
        case_txs: txs.len(),
        nodes: order.len(),
        tx_nodes: picked.len(),
        address_nodes: chosen.len(),
        edges,
        graph_nodes: graph.nodes.len(),
        graph_edges: graph.edges.len(),
        saved_zoom: view.map(|v| v.zoom),
        columns,
        first_placed: order.first().cloned().unwrap_or_default(),
        last_placed: order.last().cloned().unwrap_or_default(),
    })
}
