//! EVM transfers in the canvas's CSV (`api::transfers_csv`) and in the block-height filter's
//! heights (`api::canvas_heights`), on the evm-usdt simulator (seed 1) on loopback: exact base
//! units beside the amount in the token's units, symbol and decimals, tx hash, block, UTC time
//! and the chain; a byte snapshot of the CSV; unknown ids refused with the case unchanged.

use std::collections::BTreeMap;
use std::sync::Arc;

use tracebench_core::api::{
    canvas_heights, transfers_csv, ApiError, EvmConnection, EvmSourceSpec, GraphView, Workbench,
};
use tracebench_core::source::Clock;
use tracebench_core::store::Case;
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions, EvmTruth};

use crate::util::{fixtures, sourceless_case, t0};

struct EvmSim {
    rt: tokio::runtime::Runtime,
    truth: EvmTruth,
    conn: EvmConnection,
    _server: tracebench_sim::SimServer,
}

fn evm_sim() -> EvmSim {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let chain = Arc::new(generate_evm(1));
    let server = rt
        .block_on(async {
            serve_evm(
                chain.clone(),
                "127.0.0.1:0".parse().expect("loopback"),
                EvmServeOptions::default(),
            )
        })
        .expect("the EVM simulator serves on loopback");
    let conn = EvmConnection::new(
        EvmSourceSpec::parse(&format!("sim:evm-usdt:1={}", server.url())).expect("spec"),
        None,
        None,
        reqwest::Client::new(),
        Clock::system(),
    )
    .expect("connection");
    EvmSim {
        rt,
        truth: chain.truth().clone(),
        conn,
        _server: server,
    }
}

fn expand(sim: &EvmSim, wb: &mut Workbench, id: &str) {
    sim.rt
        .block_on(wb.expand_evm_page(id, 0, 200, Some(&sim.conn), t0()))
        .expect("expansion from the simulator");
}

fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a well-formed CSV row");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// `base` base units with `decimals` decimals, by integer arithmetic (no float anywhere).
fn units(base: &str, decimals: u32) -> String {
    let n: u128 = base.parse().expect("decimal base units");
    let scale = 10u128.pow(decimals);
    let frac = format!("{:0width$}", n % scale, width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (n / scale).to_string()
    } else {
        format!("{}.{frac}", n / scale)
    }
}

/// The victim, the theft and the thief's onward transfers on a canvas; its path and graph.
fn theft_canvas(sim: &EvmSim, dir: &std::path::Path) -> (std::path::PathBuf, GraphView) {
    let (path, mut wb) = sourceless_case(dir, "evm.tbcase", "USDT theft CSV");
    let roles = &sim.truth.roles;
    sim.rt
        .block_on(wb.add_evm(&sim.truth.seed_address, Some(&sim.conn), t0()))
        .expect("the seed is added from the simulator");
    expand(sim, &mut wb, &format!("eth:addr:{}", roles.victim));
    expand(sim, &mut wb, &format!("eth:tx:{}", roles.theft_txid));
    expand(sim, &mut wb, &format!("eth:addr:{}", roles.thief));
    let graph = wb.graph().expect("graph");
    (path, graph)
}

#[test]
fn evm_transfers_are_written_exactly_with_symbol_decimals_block_and_chain() {
    let sim = evm_sim();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = theft_canvas(&sim, dir.path());
    let case = Case::open(&path).expect("open case");
    let ids: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    let out = transfers_csv(&case, &ids).expect("the EVM canvas is written as CSV");
    let parsed = rows(&out.text);
    assert_eq!(
        parsed.len(),
        graph.edges.len(),
        "one row per edge the canvas draws between the given nodes"
    );
    assert!(!parsed.is_empty(), "the theft canvas has transfers");

    let roles = &sim.truth.roles;
    let token = &sim.truth.token;
    let victim = tracebench_core::address::EvmAddress::parse(&roles.victim)
        .expect("victim address")
        .checksummed();
    let theft = parsed
        .iter()
        .find(|r| r["from"] == victim && r["to"] == roles.theft_txid && r["asset"] == token.symbol)
        .expect("the drain victim → theft transaction is a row");
    assert_eq!(
        theft["amount_base_units"], sim.truth.expected.stolen,
        "the stolen amount is written in exact token base units"
    );
    assert_eq!(
        theft["decimals"],
        token.decimals.to_string(),
        "the token's decimals are stated"
    );
    assert_eq!(
        theft["amount"],
        units(&sim.truth.expected.stolen, u32::from(token.decimals)),
        "the amount in the token's units is exact (integer arithmetic, no float)"
    );
    assert_eq!(theft["chain"], "eip155:1", "the chain is named (CAIP-2)");
    assert_eq!(theft["txid"], roles.theft_txid, "the tx hash is written");
    let heights = canvas_heights(&case).expect("heights");
    assert_eq!(
        theft["block_height"],
        heights[&format!("eth:tx:{}", roles.theft_txid)].to_string(),
        "the row's block is the height the time filter uses for that transaction"
    );
    for r in &parsed {
        assert!(
            r["time_utc"].ends_with('Z') && r["time_utc"].len() == 20,
            "UTC times in ISO 8601 with Z: {}",
            r["time_utc"]
        );
        assert!(
            !r["amount_base_units"].is_empty()
                && r["amount_base_units"].bytes().all(|b| b.is_ascii_digit()),
            "base units are a whole number: {}",
            r["amount_base_units"]
        );
        if let Ok(d) = r["decimals"].parse::<u32>() {
            assert_eq!(
                r["amount"],
                units(&r["amount_base_units"], d),
                "every row's amount is its base units by its decimals, exactly"
            );
        }
        assert_eq!(r["fiat_value"], "no rate", "the case holds no price series");
        assert_eq!(
            r["rate_source"],
            format!("no {} price series in the case", r["asset"]),
            "the missing rate names the asset"
        );
    }
    for n in graph.nodes.iter().filter(|n| n.id.starts_with("eth:tx:")) {
        assert!(
            heights.contains_key(&n.id),
            "every EVM transaction on the canvas has its block height: {}",
            n.id
        );
    }
    assert!(
        heights.keys().all(|k| k.starts_with("eth:tx:")),
        "only transactions have heights, under ids naming their chain"
    );

    // The snapshot is stored with LF line ends, so git's line-end handling cannot break it.
    let snapshot = fixtures().join("view-csv/evm-usdt-canvas.csv");
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert_eq!(
        out.text.replace("\r\n", "\n"),
        expected,
        "the CSV of the evm-usdt theft canvas is byte-stable (snapshot {})",
        snapshot.display()
    );
}

#[test]
fn an_evm_id_not_on_the_canvas_is_refused_and_nothing_changes() {
    let sim = evm_sim();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = theft_canvas(&sim, dir.path());
    let case = Case::open(&path).expect("open case");
    let audit = case.audit_log().expect("audit").len();
    let mut ids: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    let absent = format!("eth:addr:0x{}", "ab".repeat(20));
    ids.push(absent.clone());
    let err = transfers_csv(&case, &ids).expect_err("an id not on the canvas");
    assert!(
        matches!(&err, ApiError::NotFound { id, .. } if id == &absent),
        "the refusal names the id: {err:?}"
    );
    assert_eq!(
        case.audit_log().expect("audit").len(),
        audit,
        "a refused export writes nothing"
    );
    assert_eq!(
        wb_graph(&path),
        graph,
        "the canvas is unchanged by the refused export"
    );
}

fn wb_graph(path: &std::path::Path) -> GraphView {
    Workbench::open(path, None)
        .expect("reopen")
        .graph()
        .expect("graph")
}
