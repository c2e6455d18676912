//! The EVM sources ask through the shared source policy (`source::policy::Gate`): a 429 or 5xx
//! is retried after a jittered backoff, a `Retry-After` is honoured, and the gate counts it.

use std::time::{Duration, Instant};

use tracebench_core::address::{EvmAddress, EvmTxHash};
use tracebench_core::chain::EvmChain;
use tracebench_core::source::evm::{Etherscan, EvmRpc, EvmSourceError};

use super::server::{self, Replay};
use super::{client, clock, fast_gate, new_case, runtime};

const PAIR: &str = "0x0d4a11d5eeaac28ec3f61d100daf4d40471f1852";
const TX: &str = "0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c";

#[test]
fn etherscan_retries_a_429_and_then_gets_the_history() {
    let srv = server::start(Replay::recorded());
    let es = Etherscan::new(
        client(),
        &format!("{}/flaky/429/1", srv.url),
        None,
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("etherscan:1"));
    let fetch = runtime()
        .block_on(es.address_history(&EvmAddress::parse(PAIR).unwrap()))
        .expect("the second attempt after a 429 succeeds");
    let p = es.gate().progress();
    assert_eq!(
        p.retries, 1,
        "exactly one retry for the one 429 the server sent: {p:?}"
    );
    assert_eq!(p.failed, 0, "no request ended in an error: {p:?}");
    assert!(
        !fetch.raws.is_empty() && fetch.raws.iter().all(|r| r.status == 200),
        "only the successful answers are kept as evidence"
    );
    let dir = tempfile::tempdir().unwrap();
    let (_, mut case) = new_case(dir.path());
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    assert!(
        !case.account_transfers("eip155:1").unwrap().is_empty(),
        "the retried fetch lands in the case like any other"
    );
}

#[test]
fn etherscan_honours_retry_after() {
    let srv = server::start(Replay::recorded());
    let es = Etherscan::new(
        client(),
        &format!("{}/flaky/429ra1/1", srv.url),
        None,
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("etherscan:1"));
    let started = Instant::now();
    runtime()
        .block_on(es.address_history(&EvmAddress::parse(PAIR).unwrap()))
        .expect("after waiting as asked, the source answers");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 is waited for, though the backoff alone is 1 ms: {:?}",
        started.elapsed()
    );
    assert_eq!(es.gate().progress().retries, 1, "one retry after the wait");
}

#[test]
fn a_retry_after_longer_than_allowed_is_reported_with_its_length() {
    let srv = server::start(Replay::recorded());
    let es = Etherscan::new(
        client(),
        &format!("{}/flaky/429ra/5", srv.url),
        None,
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("etherscan:1"));
    let err = runtime()
        .block_on(es.address_history(&EvmAddress::parse(PAIR).unwrap()))
        .unwrap_err();
    assert!(
        matches!(
            err,
            EvmSourceError::RateLimited {
                retry_after: Some(7),
                ..
            }
        ),
        "a 7 s Retry-After above the 1 s limit is an error naming it: {err:?}"
    );
    let p = es.gate().progress();
    assert_eq!(
        (p.attempts, p.retries),
        (1, 0),
        "it is not waited for: one attempt, no retry after it: {p:?}"
    );
}

#[test]
fn the_node_retries_a_503_and_then_answers() {
    let srv = server::start(Replay::recorded());
    let node = EvmRpc::new(
        client(),
        &format!("{}/flaky/503/1/rpc", srv.url),
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("evm-rpc:1"));
    let fetch = runtime()
        .block_on(node.transaction(&EvmTxHash::parse(TX).unwrap()))
        .expect("the node answers after one 503");
    assert!(
        fetch.txs.iter().any(|(_, t)| t.txid == TX),
        "the transaction is read once the node recovers"
    );
    assert_eq!(
        node.gate().progress().retries,
        1,
        "one retry for the one 503"
    );
}

#[test]
fn a_persistent_429_ends_as_rate_limited_after_the_retries() {
    let srv = server::start(Replay::recorded());
    let node = EvmRpc::new(
        client(),
        &format!("{}/flaky/429/9/rpc", srv.url),
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("evm-rpc:1"));
    let err = runtime()
        .block_on(node.transaction(&EvmTxHash::parse(TX).unwrap()))
        .unwrap_err();
    assert!(
        matches!(err, EvmSourceError::RateLimited { .. }),
        "still limited after the last retry: {err:?}"
    );
    let p = node.gate().progress();
    assert_eq!(
        (p.attempts, p.failed),
        (2, 1),
        "the first attempt plus the one retry the policy allows, then one failure: {p:?}"
    );
}

#[test]
fn the_node_honours_retry_after_and_then_answers() {
    let srv = server::start(Replay::recorded());
    let node = EvmRpc::new(
        client(),
        &format!("{}/flaky/429ra1/1/rpc", srv.url),
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("evm-rpc:1"));
    let started = Instant::now();
    let fetch = runtime()
        .block_on(node.transaction(&EvmTxHash::parse(TX).unwrap()))
        .expect("after waiting as asked, the node answers");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 is waited for, though the backoff alone is 1 ms: {:?}",
        started.elapsed()
    );
    assert!(
        fetch.txs.iter().any(|(_, t)| t.txid == TX),
        "the transaction is read after the wait"
    );
    assert_eq!(
        node.gate().progress().retries,
        1,
        "one retry after the wait"
    );
}

#[test]
fn a_node_that_does_not_answer_in_time_is_a_clear_error_and_changes_nothing() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (path, _case) = new_case(dir.path());
    let before = super::digest(&path);
    let node = EvmRpc::new(
        client(),
        &format!("{}/fault/timeout/rpc", srv.url),
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_gate(fast_gate("evm-rpc:1"));
    let err = runtime()
        .block_on(node.transaction(&EvmTxHash::parse(TX).unwrap()))
        .unwrap_err();
    assert!(
        err.to_string().contains("500 ms"),
        "the error says the node did not answer within the 500 ms allowed: {err}"
    );
    let p = node.gate().progress();
    assert_eq!(
        (p.attempts, p.failed),
        (2, 1),
        "a timeout is retried once (max_retries 1), then fails: {p:?}"
    );
    assert_eq!(
        super::digest(&path),
        before,
        "the timed-out request left the case as it was"
    );
}
