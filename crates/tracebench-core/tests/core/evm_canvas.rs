//! EVM on the canvas: the evm-usdt simulator on loopback (Etherscan v2 and JSON-RPC shapes)
//! fetched into a case through `Workbench::add_evm` / `expand_evm_page` / `trace_evm`, the
//! drawn edges checked against the scenario's ground truth, and refusals that leave the case
//! as it was.

use std::sync::Arc;

use tracebench_core::analysis::trace::{TaintModel, TraceDirection};
use tracebench_core::api::{ApiError, EvmConnection, EvmSourceSpec, GraphView, Workbench};
use tracebench_core::chain::EvmChain;
use tracebench_core::source::Clock;
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions, EvmTruth};

use crate::util::{sourceless_case, t0};

struct EvmSim {
    rt: tokio::runtime::Runtime,
    truth: EvmTruth,
    url: String,
    _server: tracebench_sim::SimServer,
}

fn evm_sim() -> EvmSim {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let chain = Arc::new(generate_evm(1));
    let server = rt
        .block_on(async {
            serve_evm(
                chain.clone(),
                "127.0.0.1:0".parse().unwrap(),
                EvmServeOptions::default(),
            )
        })
        .unwrap();
    EvmSim {
        rt,
        truth: chain.truth().clone(),
        url: server.url(),
        _server: server,
    }
}

fn connect(spec: &str) -> EvmConnection {
    EvmConnection::new(
        EvmSourceSpec::parse(spec).unwrap(),
        None,
        None,
        reqwest::Client::new(),
        Clock::system(),
    )
    .unwrap()
}

fn addr_id(a: &str) -> String {
    format!("eth:addr:{a}")
}

fn tx_id(t: &str) -> String {
    format!("eth:tx:{t}")
}

fn expand_all(sim: &EvmSim, wb: &mut Workbench, conn: Option<&EvmConnection>, id: &str) {
    let page = sim
        .rt
        .block_on(wb.expand_evm_page(id, 0, 200, conn, t0()))
        .unwrap();
    assert!(
        page.shown == page.total,
        "one page of 200 shows all of {id}'s {} neighbours",
        page.total
    );
}

/// Token units on the drawn edges from transactions into `to`, among `txids`.
fn drawn_into(g: &GraphView, to: &str, txids: &[String], asset: &str) -> u128 {
    g.edges
        .iter()
        .filter(|e| e.target == addr_id(to) && e.asset == asset)
        .filter(|e| txids.iter().any(|t| e.source == tx_id(t)))
        .map(|e| {
            e.amount_base
                .parse::<u128>()
                .expect("amount_base is decimal")
        })
        .sum()
}

#[test]
fn evm_usdt_theft_is_drawn_with_exact_token_edges_and_traced_to_the_truth() {
    let sim = evm_sim();
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = sourceless_case(dir.path(), "evm.tbcase", "USDT theft");
    let conn = connect(&format!("sim:evm-usdt:1={}", sim.url));
    let roles = &sim.truth.roles;
    let asset = sim.truth.token.asset.clone();

    let added = sim
        .rt
        .block_on(wb.add_evm(&sim.truth.seed_address, Some(&conn), t0()))
        .unwrap();
    assert_eq!(
        added.node_id,
        addr_id(&roles.victim),
        "Ethereum (chain 1) addresses get eth:addr: ids, lower-case"
    );
    let victim = added
        .graph
        .nodes
        .iter()
        .find(|n| n.id == added.node_id)
        .expect("the added address is on the canvas")
        .clone();
    assert_eq!(
        victim.label,
        tracebench_core::address::EvmAddress::parse(&roles.victim)
            .unwrap()
            .checksummed(),
        "the label is the EIP-55 checksummed address"
    );
    assert!(
        victim.complete,
        "the simulator's history is complete within the paging window"
    );
    assert_eq!(added.source_id.as_deref(), Some("sim:evm-usdt:1"));
    assert!(
        added.graph.case.synthetic,
        "sim data marks the case synthetic"
    );

    // Victim -> its transactions (the theft among them) -> the thief -> the splits -> the
    // intermediaries -> their deposits -> the exchange deposit address.
    expand_all(&sim, &mut wb, Some(&conn), &addr_id(&roles.victim));
    let g = wb.graph().unwrap();
    let theft_in = g
        .edges
        .iter()
        .find(|e| e.source == addr_id(&roles.victim) && e.target == tx_id(&roles.theft_txid))
        .expect("the drain is drawn from the victim into the theft transaction");
    assert_eq!(
        (theft_in.asset.as_str(), theft_in.amount_base.as_str()),
        (asset.as_str(), sim.truth.expected.stolen.as_str()),
        "the theft edge carries the token and exactly the stolen base units"
    );
    assert_eq!(
        (theft_in.symbol.as_str(), theft_in.decimals),
        (
            sim.truth.token.symbol.as_str(),
            Some(u32::from(sim.truth.token.decimals))
        ),
        "the token's symbol and decimals are recorded on the edge"
    );
    assert!(
        theft_in
            .amount
            .ends_with(&format!(" {}", sim.truth.token.symbol))
            && !theft_in.amount.contains('e'),
        "the amount text is exact decimal in the token's units: {}",
        theft_in.amount
    );
    let details = wb.node_details(&addr_id(&roles.victim)).unwrap();
    let drained: Vec<_> = details
        .rows
        .iter()
        .filter(|r| r.counterpart.as_deref() == Some(tx_id(&roles.theft_txid).as_str()))
        .collect();
    assert_eq!(
        drained.len(),
        1,
        "the victim's details list the drain once: {drained:?}"
    );
    assert_eq!(
        (drained[0].amount_base.as_str(), drained[0].asset.as_str()),
        (sim.truth.expected.stolen.as_str(), asset.as_str()),
        "the details row carries the exact stolen amount and the token"
    );
    assert_eq!(
        details.label,
        victim.label.clone(),
        "details name the address EIP-55 checksummed"
    );
    expand_all(&sim, &mut wb, Some(&conn), &tx_id(&roles.theft_txid));
    expand_all(&sim, &mut wb, Some(&conn), &addr_id(&roles.thief));
    for i in &roles.intermediaries {
        expand_all(&sim, &mut wb, Some(&conn), &addr_id(i));
    }
    let g = wb.graph().unwrap();
    let deposited: u128 = sim.truth.expected.deposited_at_exchange.parse().unwrap();
    assert_eq!(
        drawn_into(&g, &roles.exchange_deposit, &roles.deposit_txids, &asset),
        deposited,
        "the drawn deposit edges into the exchange sum exactly to what the scenario deposited"
    );
    assert!(
        g.edges
            .iter()
            .all(|e| e.asset != asset || e.amount_sat == 0),
        "a token amount never pretends to be satoshi"
    );
    let failed_tx = g.nodes.iter().find(|n| n.id == tx_id(&roles.failed_txid));
    if failed_tx.is_some() {
        assert!(
            !g.edges
                .iter()
                .any(|e| e.source == tx_id(&roles.failed_txid) && e.asset == asset),
            "the reverted swap moved no token, so no token edge leaves it"
        );
    }
    let first = serde_json::to_string(&wb.graph().unwrap()).unwrap();
    assert_eq!(
        first,
        serde_json::to_string(&wb.graph().unwrap()).unwrap(),
        "the same case gives the same graph, byte for byte"
    );

    // Haircut from the victim, fetching what the taint reaches: the exchange gets the truth.
    let trace = sim
        .rt
        .block_on(wb.trace_evm(
            &roles.victim,
            EvmChain::ETHEREUM,
            TaintModel::Haircut,
            TraceDirection::Forward,
            10,
            Some(&conn),
            40,
            t0(),
        ))
        .unwrap();
    let token = trace
        .assets
        .iter()
        .find(|a| a.asset == asset)
        .expect("the token is traced");
    assert!(token.balanced, "haircut conserves the seeded taint");
    let at_exchange = token
        .addresses
        .iter()
        .find(|a| a.node_id == addr_id(&roles.exchange_deposit))
        .expect("taint reaches the exchange deposit address");
    assert_eq!(
        at_exchange.received, sim.truth.expected.reaching_exchange_haircut,
        "haircut from the victim: what reaches the exchange is the scenario's truth"
    );

    // Offline, the same trace from the stored data alone gives the same answer.
    let offline = sim
        .rt
        .block_on(wb.trace_evm(
            &roles.victim,
            EvmChain::ETHEREUM,
            TaintModel::Haircut,
            TraceDirection::Forward,
            10,
            None,
            40,
            t0(),
        ))
        .unwrap();
    assert_eq!(
        offline.assets, trace.assets,
        "offline the case alone answers the same trace"
    );
    assert!(offline.fetched.is_empty(), "nothing is fetched offline");
}

#[test]
fn refused_evm_adds_name_the_problem_and_leave_the_case_as_it_was() {
    let sim = evm_sim();
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = sourceless_case(dir.path(), "evm.tbcase", "refusals");
    let conn = connect(&format!("sim:evm-usdt:1={}", sim.url));
    sim.rt
        .block_on(wb.add_evm(&sim.truth.seed_address, Some(&conn), t0()))
        .unwrap();
    let before = wb.case().content_hash().unwrap();

    let victim = tracebench_core::address::EvmAddress::parse(&sim.truth.roles.victim).unwrap();
    let good = victim.checksummed();
    // Flip the case of the first letter of the checksummed form: a mistyped checksum.
    let pos = good[2..]
        .find(|c: char| c.is_ascii_alphabetic())
        .expect("40 hex digits hold a letter")
        + 2;
    let mut bad = good.clone();
    let c = bad.as_bytes()[pos] as char;
    let flipped = if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        c.to_ascii_uppercase()
    };
    bad.replace_range(pos..=pos, &flipped.to_string());
    let err = sim
        .rt
        .block_on(wb.add_evm(&bad, Some(&conn), t0()))
        .unwrap_err();
    assert!(
        err.to_string().contains("checksum") && err.to_string().contains(&good),
        "a wrong EIP-55 checksum is named with the right form: {err}"
    );
    assert_eq!(err.code(), "invalid_input");

    let unknown = "0x00000000000000000000000000000000000000a1";
    let err = sim
        .rt
        .block_on(wb.add_evm(unknown, None, t0()))
        .unwrap_err();
    assert_eq!(
        err.code(),
        "offline",
        "offline, an address the case lacks is refused as offline: {err}"
    );

    let dead = connect("sim:evm-usdt:1=http://127.0.0.1:9");
    let err = sim
        .rt
        .block_on(wb.add_evm(unknown, Some(&dead), t0()))
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Evm(_)) && err.to_string().contains("127.0.0.1:9"),
        "an unreachable source is named: {err}"
    );

    let rpc_only = connect(&format!("evm-rpc:1={}", sim.url));
    let err = sim
        .rt
        .block_on(wb.add_evm(unknown, Some(&rpc_only), t0()))
        .unwrap_err();
    assert!(
        err.to_string().contains("Etherscan"),
        "a node cannot list an address's history, and the error says what can: {err}"
    );
    assert_eq!(
        wb.case().content_hash().unwrap(),
        before,
        "no refusal changed a byte of the case's content"
    );

    // Offline, an address the case holds is added from the case alone.
    let again = sim.rt.block_on(wb.add_evm(&good, None, t0())).unwrap();
    assert_eq!(again.source_id, None, "answered from the case");
    assert_eq!(again.node_id, addr_id(&sim.truth.roles.victim));
}

#[test]
fn offline_expansion_lists_what_is_missing_and_marks_the_node_incomplete() {
    let sim = evm_sim();
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = sourceless_case(dir.path(), "evm.tbcase", "offline");
    let conn = connect(&format!("sim:evm-usdt:1={}", sim.url));
    sim.rt
        .block_on(wb.add_evm(&sim.truth.seed_address, Some(&conn), t0()))
        .unwrap();
    expand_all(
        &sim,
        &mut wb,
        Some(&conn),
        &addr_id(&sim.truth.roles.victim),
    );
    let thief = addr_id(&sim.truth.roles.thief);
    let g = wb.graph().unwrap();
    let node = g
        .nodes
        .iter()
        .find(|n| n.id == thief)
        .expect("the thief is drawn after expanding the victim");
    assert!(
        !node.complete,
        "the thief's history was never fetched: the node is marked incomplete"
    );
    let before = wb.case().content_hash().unwrap();
    let page = sim
        .rt
        .block_on(wb.expand_evm_page(&thief, 0, 50, None, t0()))
        .unwrap();
    assert!(
        page.missing
            .iter()
            .any(|m| m.contains("history of address")),
        "offline, the missing history is listed: {:?}",
        page.missing
    );
    assert!(
        page.total >= 1,
        "what the case already holds (the theft) is still a neighbour"
    );
    assert_eq!(
        wb.case().content_hash().unwrap().sha256,
        before.sha256,
        "an offline expansion that shows nothing new writes nothing"
    );
}
