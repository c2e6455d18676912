//! `canvas_case` and `tracebench-sim canvas`: a generated case copied with a big canvas at
//! saved grid positions and a saved viewport (what the app's big-case path opens).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use chrono::TimeZone;
use tracebench_core::api::{Viewport, Workbench};
use tracebench_sim::{
    canvas_case, generate_case, CanvasError, CanvasOptions, GenerateOptions, GRID_SPACING,
};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .expect("a valid time")
}

/// A generated case of 400 transactions in `dir`.
fn generated(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("gen.tbcase");
    let options = GenerateOptions {
        txs: 400,
        seed: 7,
        network: Default::default(),
    };
    generate_case(&path, options, now(), "tester").expect("generate");
    path
}

fn options(nodes: usize, zoom: Option<f64>) -> CanvasOptions {
    CanvasOptions { nodes, zoom }
}

#[test]
fn canvas_case_places_the_nodes_on_a_grid_and_saves_the_viewport() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = generated(dir.path());
    let before = std::fs::read(&from).expect("read the generated case");
    let out = dir.path().join("canvas.tbcase");
    let summary = canvas_case(&from, &out, options(120, Some(1.0)), now()).expect("canvas case");

    assert_eq!(
        std::fs::read(&from).expect("read the generated case again"),
        before,
        "the source case is only read, never changed"
    );
    assert_eq!(summary.nodes, 120, "a 400-tx case has enough nodes for 120");
    assert_eq!(
        summary.tx_nodes + summary.address_nodes,
        summary.nodes,
        "every node is a chosen transaction or a chosen address"
    );
    let wb = Workbench::open(&out, None).expect("the canvas case opens");
    let graph = wb.graph().expect("graph view");
    assert_eq!(
        graph.nodes.len(),
        summary.nodes,
        "the case's canvas holds exactly the nodes the summary names"
    );
    assert_eq!(
        (graph.nodes.len(), graph.edges.len()),
        (summary.graph_nodes, summary.graph_edges),
        "the summary's graph counts are the core's graph view of the canvas"
    );
    assert!(
        graph.edges.len() > graph.nodes.len(),
        "reused addresses join the nodes with more edges than nodes ({} edges, {} nodes)",
        graph.edges.len(),
        graph.nodes.len()
    );
    let columns = summary.columns;
    assert_eq!(
        columns, 11,
        "120 nodes fill an 11-column grid (ceil of sqrt 120)"
    );
    let at = |id: &str| {
        let node = graph
            .nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("{id} is on the canvas"));
        (node.x, node.y)
    };
    assert_eq!(
        at(&summary.first_placed),
        (0.0, 0.0),
        "the first node sits in the grid's top-left cell"
    );
    let last = summary.nodes - 1;
    assert_eq!(
        at(&summary.last_placed),
        (
            (last % columns) as f64 * GRID_SPACING,
            (last / columns) as f64 * GRID_SPACING
        ),
        "the last node sits in the grid's last cell, far from the top-left corner"
    );
    let cells: BTreeSet<(i64, i64)> = graph
        .nodes
        .iter()
        .map(|n| (n.x as i64, n.y as i64))
        .collect();
    assert_eq!(
        cells.len(),
        summary.nodes,
        "every node has its own grid cell"
    );
    assert!(
        graph.nodes.iter().all(|n| n.x % GRID_SPACING == 0.0
            && n.y % GRID_SPACING == 0.0
            && n.x < columns as f64 * GRID_SPACING),
        "every position is a grid cell"
    );
    assert_eq!(
        wb.viewport().expect("read the viewport"),
        Some(Viewport {
            zoom: 1.0,
            pan_x: 0.0,
            pan_y: 0.0
        }),
        "the saved viewport is zoom 1 on the grid's top-left corner"
    );
}

#[test]
fn canvas_case_without_zoom_saves_no_viewport() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = generated(dir.path());
    let out = dir.path().join("canvas.tbcase");
    canvas_case(&from, &out, options(40, None), now()).expect("canvas case");
    let wb = Workbench::open(&out, None).expect("the canvas case opens");
    assert_eq!(
        wb.viewport().expect("read the viewport"),
        None,
        "without --zoom the case opens fitted, as a case nobody panned"
    );
}

#[test]
fn canvas_case_refuses_bad_input_and_changes_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = generated(dir.path());
    let before = std::fs::read(&from).expect("read the generated case");

    let existing = dir.path().join("existing.tbcase");
    std::fs::write(&existing, b"the analyst's file").expect("write");
    let err = canvas_case(&from, &existing, options(40, Some(1.0)), now())
        .expect_err("an existing --out is refused");
    assert!(
        matches!(err, CanvasError::Exists(ref p) if p == &existing),
        "the error names the existing file: {err}"
    );
    assert_eq!(
        std::fs::read(&existing).expect("read"),
        b"the analyst's file",
        "an existing file is never written over"
    );

    let out = dir.path().join("canvas.tbcase");
    let err = canvas_case(&from, &out, options(40, Some(0.0)), now())
        .expect_err("a zoom of 0 is refused");
    assert!(
        err.to_string().contains("--zoom") && err.to_string().contains("got 0"),
        "the error names the option and the bad value: {err}"
    );
    assert!(!out.exists(), "a refused zoom writes no case");

    let err = canvas_case(&from, &out, options(1, None), now()).expect_err("one node is refused");
    assert_eq!(
        err.to_string(),
        "--nodes must be at least 2, got 1",
        "the error names the option and the bad value"
    );
    assert!(!out.exists(), "refused --nodes writes no case");

    let not_a_case = dir.path().join("notes.txt");
    std::fs::write(&not_a_case, b"not a case file").expect("write");
    let err = canvas_case(&not_a_case, &out, options(40, None), now())
        .expect_err("a file that is not a case is refused");
    assert!(
        matches!(err, CanvasError::Case(_) | CanvasError::Api(_)),
        "the case store refuses it: {err}"
    );
    assert!(
        !out.exists(),
        "the copy of a file that is not a case is removed"
    );
    assert_eq!(
        std::fs::read(&not_a_case).expect("read"),
        b"not a case file",
        "--from is only read"
    );
    assert_eq!(
        std::fs::read(&from).expect("read the generated case"),
        before,
        "no refusal touched the source case"
    );
}

#[test]
fn the_canvas_subcommand_prints_the_summary_and_refuses_a_bad_zoom() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = generated(dir.path());
    let out = dir.path().join("canvas.tbcase");
    let run = |zoom: &str| {
        Command::new(env!("CARGO_BIN_EXE_tracebench-sim"))
            .args([
                "canvas",
                "--nodes",
                "60",
                &format!("--zoom={zoom}"),
                "--from",
            ])
            .arg(&from)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("tracebench-sim runs")
    };
    let refused = run("-3");
    assert!(
        !refused.status.success(),
        "a negative zoom fails the command"
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--zoom must be a number") && stderr.contains("got -3"),
        "stderr names --zoom and the bad value: {stderr}"
    );
    assert!(!out.exists(), "a refused zoom writes no case");

    let made = run("1");
    assert!(
        made.status.success(),
        "canvas succeeds: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&made.stdout).expect("the summary is JSON");
    let wb = Workbench::open(&out, None).expect("the canvas case opens");
    let graph = wb.graph().expect("graph view");
    assert_eq!(
        summary["nodes"], 60,
        "the summary counts the nodes asked for"
    );
    assert_eq!(
        (
            summary["graph_nodes"].as_u64(),
            summary["graph_edges"].as_u64()
        ),
        (
            Some(graph.nodes.len() as u64),
            Some(graph.edges.len() as u64)
        ),
        "the summary's counts are what the case's canvas holds"
    );
    assert_eq!(
        summary["saved_zoom"], 1.0,
        "the summary names the saved zoom"
    );
}
