//! The workbench's own EVM clients (tracebench-core's Etherscan v2 and JSON-RPC sources) read
//! the simulator: the end-to-end proof that the served shapes are the ones the workbench parses.

use tracebench_core::address::{EvmAddress, EvmTxHash};
use tracebench_core::chain::EvmChain;
use tracebench_core::model::AccountTransferKind;
use tracebench_core::source::evm::{Etherscan, EvmRpc};
use tracebench_core::source::Clock;
use tracebench_core::store::EvmFetch;

use crate::{seed1, start};

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
        .block_on(future)
}

fn token_moves(fetch: &EvmFetch, asset: &str) -> Vec<(String, String, u128)> {
    fetch
        .transfers
        .iter()
        .map(|(_, t)| t)
        .filter(|t| t.kind == AccountTransferKind::Token && t.asset == asset)
        .map(|t| {
            (
                t.from.clone(),
                t.to.clone(),
                t.amount.parse().expect("decimal"),
            )
        })
        .collect()
}

#[test]
fn the_core_etherscan_client_reads_the_thiefs_history() {
    let chain = seed1();
    let server = start(chain.clone(), Some("planted-key"));
    let truth = chain.truth();
    let roles = &truth.roles;
    let source = Etherscan::new(
        reqwest::Client::new(),
        &server.url(),
        Some("planted-key".into()),
        EvmChain::ETHEREUM,
        Clock::system(),
    );
    let thief = EvmAddress::parse(&roles.thief).expect("a valid address");
    let fetch = block_on(source.address_history(&thief)).expect("the sim serves the history");
    let moves = token_moves(&fetch, &truth.token.asset);
    let stolen: u128 = truth.expected.stolen.parse().expect("decimal");
    assert!(
        moves.contains(&(roles.victim.clone(), roles.thief.clone(), stolen)),
        "the client sees the drain as a token transfer under the truth's CAIP-19 asset: {moves:?}"
    );
    let split_total: u128 = moves
        .iter()
        .filter(|m| m.0 == roles.thief && roles.intermediaries.contains(&m.1))
        .map(|m| m.2)
        .sum();
    let clean: u128 = truth
        .expected
        .thief_clean_before_theft
        .parse()
        .expect("decimal");
    let kept: u128 = truth.token_end_holders[&roles.thief]
        .parse()
        .expect("decimal");
    assert_eq!(
        split_total,
        stolen + clean - kept,
        "the splits are everything the thief held but what it kept"
    );
    let gas_funding = fetch
        .transfers
        .iter()
        .filter(|(_, t)| t.kind == AccountTransferKind::Native && t.from == roles.thief)
        .count();
    assert_eq!(
        gas_funding,
        roles.intermediaries.len(),
        "the thief funds each intermediary with ether for gas"
    );
    assert!(
        fetch
            .raws
            .iter()
            .all(|r| !String::from_utf8_lossy(&r.body).contains("planted-key")),
        "the key is not echoed into the stored bodies"
    );
}

#[test]
fn the_core_rpc_client_reads_the_swap_and_the_reverted_swap() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let truth = chain.truth();
    let roles = &truth.roles;
    let node = EvmRpc::new(
        reqwest::Client::new(),
        &server.url(),
        EvmChain::ETHEREUM,
        Clock::system(),
    );
    let swap = EvmTxHash::parse(&roles.swap_txid).expect("a valid hash");
    let fetch = block_on(node.transaction(&swap)).expect("the sim serves the swap");
    let internal: Vec<_> = fetch
        .transfers
        .iter()
        .map(|(_, t)| t)
        .filter(|t| t.kind == AccountTransferKind::Internal)
        .collect();
    assert_eq!(
        internal.len(),
        1,
        "one internal value transfer: {internal:?}"
    );
    assert_eq!(
        (
            internal[0].from.as_str(),
            internal[0].to.as_str(),
            internal[0].amount.as_str()
        ),
        (
            roles.dex_pool.as_str(),
            roles.intermediaries[0].as_str(),
            truth.expected.swap_wei_out.as_str()
        ),
        "the pool pays the swapper the truth's ether, read from the call trace"
    );
    assert_eq!(
        token_moves(&fetch, &truth.token.asset).len(),
        1,
        "and the swapper's tokens go to the pool in one Transfer log"
    );

    let failed = EvmTxHash::parse(&roles.failed_txid).expect("a valid hash");
    let fetch = block_on(node.transaction(&failed)).expect("the sim serves the reverted swap");
    assert_eq!(
        fetch.txs.first().map(|(_, t)| t.status),
        Some(Some(false)),
        "the client sees the revert"
    );
    assert!(
        fetch.transfers.iter().all(|(_, t)| t.amount == "0"),
        "a reverted transaction moves nothing: {:?}",
        fetch.transfers
    );
}
