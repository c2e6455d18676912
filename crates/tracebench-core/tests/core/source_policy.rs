//! How sources are asked: retries of 429 and 5xx with backoff, Retry-After, timeouts,
//! cancellation, the rate limit, the in-flight bound, progress and partial failure. Against a
//! loopback server answering with real Esplora captures; delays are milliseconds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::source::policy::{CancelToken, Policy, ProgressEvent, Rate};
use tracebench_core::source::{Clock, Connection, Source, SourceError};

use crate::loopback::{Loopback, Reply, Request};
use crate::util::{file_digest, rt, sourceless_case, t0, tx_captures};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

/// Real `/tx/:txid` bodies, by txid (the first `n`).
fn captures(n: usize) -> Vec<(String, Vec<u8>)> {
    tx_captures()
        .into_iter()
        .map(|(_, body)| {
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            (v["txid"].as_str().unwrap().to_string(), body)
        })
        .take(n)
        .collect()
}

fn body_for(caps: &[(String, Vec<u8>)], r: &Request) -> Option<Vec<u8>> {
    let txid = r.path.strip_prefix("/tx/")?;
    caps.iter().find(|(t, _)| t == txid).map(|(_, b)| b.clone())
}

fn fast() -> Policy {
    Policy {
        max_in_flight: 4,
        rate: None,
        max_retries: 3,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(60),
        timeout: Duration::from_secs(5),
        jitter_seed: 7,
    }
}

fn esplora(url: &str, policy: Policy) -> Connection {
    Connection {
        policy,
        ..Connection::new(SourceSpec {
            id: "esplora:loopback".into(),
            base_url: url.into(),
        })
    }
}

fn connect(conn: Connection) -> Source {
    Source::connect(conn, BtcNetwork::Mainnet, Clock::fixed(t0()))
}

/// Answers the network check as mainnet, then the first `fail` requests with `first`, then the
/// captures.
fn flaky(caps: Vec<(String, Vec<u8>)>, fail: usize, first: Reply) -> Loopback {
    let seen = AtomicUsize::new(0);
    Loopback::serve(move |r| {
        if let Some(genesis) = Reply::mainnet_genesis(r) {
            return genesis;
        }
        if seen.fetch_add(1, Ordering::SeqCst) < fail {
            return first.clone();
        }
        match body_for(&caps, r) {
            Some(b) => Reply::json(200, b),
            None => Reply::text(404, "Transaction not found"),
        }
    })
}

fn new_case(dir: &std::path::Path) -> (std::path::PathBuf, Workbench) {
    sourceless_case(dir, "policy.tbcase", "Policy")
}

#[test]
fn a_429_without_retry_after_is_retried_with_backoff_and_stored_once() {
    let caps = captures(1);
    let txid = caps[0].0.clone();
    let server = flaky(caps, 2, Reply::text(429, "Too Many Requests"));
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = new_case(dir.path());
    wb.connect_source(Some(esplora(&server.url, fast())));
    rt().block_on(wb.add(&txid, t0())).unwrap();
    let progress = wb.source().unwrap().gate().progress();
    assert_eq!(progress.retries, 2, "two 429s, two retries: {progress:?}");
    assert_eq!(
        progress.attempts, 4,
        "the network check, and the third attempt answered"
    );
    assert_eq!(
        server.fetch_count(),
        3,
        "the server saw exactly those attempts"
    );
    let raws: Vec<_> = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .filter(|r| r.endpoint != crate::loopback::GENESIS_PATH)
        .collect();
    assert_eq!(
        raws.len(),
        1,
        "only the good answer is evidence; the 429s are not stored: {raws:?}"
    );
    assert_eq!(raws[0].status, 200);
}

#[test]
fn a_500_then_200_keeps_the_answer_and_a_500_to_the_end_is_a_clear_error() {
    let caps = captures(1);
    let txid = caps[0].0.clone();
    let rt = rt();
    let server = flaky(caps.clone(), 1, Reply::text(500, "database locked"));
    let source = connect(esplora(&server.url, fast()));
    let f = rt.block_on(source.tx(&txid)).unwrap();
    assert_eq!(f.tx.txid, txid, "the retry got the transaction");
    assert_eq!(source.gate().progress().retries, 1, "one retry counted");

    let server = flaky(caps, 100, Reply::text(503, "maintenance"));
    let source = connect(esplora(&server.url, fast()));
    let e = rt.block_on(source.tx(&txid)).unwrap_err();
    assert!(
        e.to_string().contains("HTTP 503") && e.to_string().contains("after 4 attempts"),
        "names the status and that it was retried: {e}"
    );
    assert_eq!(
        server.fetch_count(),
        4,
        "1 attempt + max_retries 3, no more"
    );
    assert_eq!(source.gate().progress().failed, 1, "counted as failed");
}

#[test]
fn retry_after_is_honoured_as_seconds_and_as_an_http_date_and_a_too_long_wait_is_refused() {
    let caps = captures(1);
    let txid = caps[0].0.clone();
    let rt = rt();
    // A backoff of 30 s would make this test hang if Retry-After were ignored.
    let slow_backoff = Policy {
        backoff_base: Duration::from_secs(30),
        backoff_max: Duration::from_secs(30),
        ..fast()
    };
    for value in ["0", "Sat, 21 Nov 2026 11:59:00 GMT"] {
        let server = flaky(
            caps.clone(),
            1,
            Reply::text(429, "slow down").with_header("Retry-After", value),
        );
        let source = connect(esplora(&server.url, slow_backoff.clone()));
        rt.block_on(source.tx(&txid)).unwrap();
        let asked = server.fetches();
        assert_eq!(asked.len(), 2, "retried once after Retry-After {value:?}");
        // The backoff's jitter waits at least half its 30 s; the retry came before that could
        // have passed, so the wait was Retry-After's (now, by the fixed clock).
        let gap = asked[1].at.duration_since(asked[0].at);
        assert!(
            gap < slow_backoff.backoff_base / 2,
            "Retry-After {value:?} replaced the 30 s backoff (retry {gap:?} after the 429)"
        );
    }
    let server = flaky(
        caps,
        1,
        Reply::text(429, "slow down").with_header("Retry-After", "120"),
    );
    let source = connect(esplora(&server.url, fast()));
    let e = rt.block_on(source.tx(&txid)).unwrap_err();
    assert!(
        matches!(e, SourceError::RetryAfterTooLong { seconds: 120, .. }),
        "a 2-minute Retry-After (limit 60 s) is reported, not slept through: {e:?}"
    );
    assert!(
        e.to_string().contains("120 s"),
        "the message says how long: {e}"
    );
    assert_eq!(server.fetch_count(), 1, "and no retry was sent");
}

#[test]
fn a_slow_answer_times_out_with_a_clear_error_and_the_case_is_unchanged() {
    let caps = captures(1);
    let txid = caps[0].0.clone();
    let server = Loopback::serve(move |r| match body_for(&caps, r) {
        Some(b) => Reply::json(200, b).after(Duration::from_secs(3)),
        None => Reply::mainnet_genesis(r).unwrap_or_else(|| Reply::text(404, "not found")),
    });
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = new_case(dir.path());
    drop(wb);
    let before = file_digest(&path);
    let mut wb = Workbench::open(&path, None).unwrap();
    wb.connect_source(Some(esplora(
        &server.url,
        Policy {
            timeout: Duration::from_millis(50),
            max_retries: 1,
            ..fast()
        },
    )));
    let e = rt().block_on(wb.add(&txid, t0())).unwrap_err();
    assert!(
        e.to_string().contains("within 50 ms") && e.to_string().contains("2 attempt"),
        "the timeout and the attempts are named: {e}"
    );
    assert_eq!(e.code(), "source_error");
    assert_eq!(
        (server.fetch_count(), server.fetches_replied()),
        (2, 0),
        "both attempts were sent and the caller had its error before the server answered either"
    );
    drop(wb);
    assert_eq!(file_digest(&path), before, "nothing was written");
}

#[test]
fn cancel_stops_before_the_next_request_and_during_a_wait() {
    let caps = captures(1);
    let txid = caps[0].0.clone();
    let rt = rt();
    let server = flaky(caps.clone(), 0, Reply::text(200, ""));
    let cancel = CancelToken::new();
    cancel.cancel();
    let source = connect(Connection {
        cancel: cancel.clone(),
        ..esplora(&server.url, fast())
    });
    let e = rt.block_on(source.tx(&txid)).unwrap_err();
    assert!(
        matches!(e, SourceError::Cancelled { .. }),
        "cancelled: {e:?}"
    );
    assert_eq!(server.count(), 0, "a cancelled fetch sends nothing");

    let server = Loopback::serve(move |r| match body_for(&caps, r) {
        Some(b) => Reply::json(200, b).after(Duration::from_secs(3)),
        None => Reply::mainnet_genesis(r).unwrap_or_else(|| Reply::text(404, "not found")),
    });
    let cancel = CancelToken::new();
    let source = connect(Connection {
        cancel: cancel.clone(),
        ..esplora(&server.url, fast())
    });
    let e = rt.block_on(async {
        let c = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            c.cancel();
        });
        source.tx(&txid).await.unwrap_err()
    });
    assert!(
        matches!(e, SourceError::Cancelled { .. }),
        "cancelled: {e:?}"
    );
    assert_eq!(
        (server.fetch_count(), server.fetches_replied()),
        (1, 0),
        "the request was sent and the cancel ended the wait before the 3 s answer came"
    );
}

#[test]
fn the_rate_limit_spaces_requests_and_in_flight_requests_stay_bounded() {
    let caps = captures(6);
    let txids: Vec<String> = caps.iter().map(|(t, _)| t.clone()).collect();
    let rt = rt();
    let c = caps.clone();
    let server = Loopback::serve(move |r| match body_for(&c, r) {
        Some(b) => Reply::json(200, b),
        None => Reply::text(404, "not found"),
    });
    let source = connect(esplora(
        &server.url,
        Policy {
            rate: Some(Rate {
                per_second: 20,
                burst: 1,
            }),
            ..fast()
        },
    ));
    let started = Instant::now();
    let batch = rt.block_on(source.txs(&txids));
    assert_eq!(batch.fetched.len(), 6, "all fetched: {:?}", batch.failed);
    assert!(
        started.elapsed() >= Duration::from_millis(240),
        "6 requests at 20/s with a burst of 1 take at least 5 × 50 ms: {:?}",
        started.elapsed()
    );

    let server = Loopback::serve(move |r| match body_for(&caps, r) {
        Some(b) => Reply::json(200, b).after(Duration::from_millis(60)),
        None => Reply::text(404, "not found"),
    });
    let source = connect(esplora(
        &server.url,
        Policy {
            max_in_flight: 2,
            ..fast()
        },
    ));
    let batch = rt.block_on(source.txs(&txids));
    assert_eq!(batch.fetched.len(), 6, "all fetched: {:?}", batch.failed);
    assert_eq!(
        server.peak_in_flight.load(Ordering::SeqCst),
        2,
        "six requests, never more than two at once, and two at once were used"
    );
}

#[test]
fn a_batch_keeps_what_succeeded_lists_what_failed_and_reports_progress() {
    let caps = captures(3);
    let mut txids: Vec<String> = caps.iter().map(|(t, _)| t.clone()).collect();
    let unknown = "00".repeat(32);
    txids.insert(1, unknown.clone());
    let server = flaky(caps, 0, Reply::text(200, ""));
    let events: Arc<Mutex<Vec<ProgressEvent>>> = Arc::default();
    let sink = events.clone();
    let source = connect(Connection {
        progress: Some(Arc::new(move |e: ProgressEvent| {
            sink.lock().unwrap().push(e)
        })),
        ..esplora(&server.url, fast())
    });
    let batch = rt().block_on(source.txs(&txids));
    let got: Vec<&str> = batch.fetched.iter().map(|f| f.tx.txid.as_str()).collect();
    let want: Vec<&str> = txids
        .iter()
        .filter(|t| **t != unknown)
        .map(String::as_str)
        .collect();
    assert_eq!(
        got, want,
        "the three good transactions are kept, in the order asked"
    );
    assert_eq!(batch.failed.len(), 1, "one failure");
    assert_eq!(batch.failed[0].0, unknown, "named by txid");
    assert!(
        batch.failed[0].1.to_string().contains("HTTP 404"),
        "with its reason: {}",
        batch.failed[0].1
    );
    let events = events.lock().unwrap();
    let totals: Vec<(u64, Option<u64>)> = events
        .iter()
        .filter(|e| e.total.is_some())
        .map(|e| (e.done, e.total))
        .collect();
    assert_eq!(
        totals,
        [(1, Some(4)), (2, Some(4)), (3, Some(4)), (4, Some(4))],
        "a done/total count after each transaction"
    );
    assert_eq!(
        events
            .iter()
            .rev()
            .find(|e| e.total.is_some())
            .unwrap()
            .failed,
        1,
        "the last report counts the failure"
    );
}

/// GET `path` from `base` (a plain HTTP/1.1 server on loopback): status and body.
fn forward(base: &str, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "the sim sends sized bodies"
    );
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, all[split + 4..].to_vec())
}

#[test]
fn expanding_past_an_address_whose_history_fails_keeps_the_rest_and_names_it() {
    let sim = crate::util::Sim::start();
    let seed = sim.chain.seed_address().to_string();
    let sim_url = sim.server.url();
    let broken: Arc<Mutex<Option<String>>> = Arc::default();
    let b = broken.clone();
    let proxy = Loopback::serve(move |r| {
        if let Some(bad) = b.lock().unwrap().as_deref() {
            if r.path.starts_with(&format!("/address/{bad}/")) {
                return Reply::text(500, "history index unavailable");
            }
        }
        let (status, body) = forward(&sim_url, &r.path);
        Reply::json(status, body)
    });
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = new_case(dir.path());
    wb.connect_source(Some(Connection {
        spec: SourceSpec {
            id: sim.chain.source_id(),
            base_url: proxy.url.clone(),
        },
        ..esplora(&proxy.url, fast())
    }));
    let seed_node = sim.rt.block_on(wb.add(&seed, t0())).unwrap().node_id;
    let mut counterparties: Vec<String> = Vec::new();
    let seed_txs = wb.case().address_txids(MAINNET, &seed).unwrap();
    for t in &seed_txs {
        let tx = wb.case().tx(MAINNET, t).unwrap().unwrap();
        for a in tx.outputs.iter().filter_map(|o| o.address.clone()) {
            if a != seed && !counterparties.contains(&a) {
                counterparties.push(a);
            }
        }
    }
    assert!(
        counterparties.len() >= 2,
        "the seed pays several addresses: {counterparties:?}"
    );
    let bad = counterparties[0].clone();
    *broken.lock().unwrap() = Some(bad.clone());
    let out = sim.rt.block_on(wb.expand(&seed_node, 2, t0())).unwrap();
    assert_eq!(out.failed.len(), 1, "one address failed: {:?}", out.failed);
    assert!(
        out.failed[0].contains(&bad) && out.failed[0].contains("HTTP 500"),
        "named with its reason: {}",
        out.failed[0]
    );
    let good = &counterparties[1];
    assert!(
        wb.case().address_history(MAINNET, good).unwrap().is_some(),
        "the other address's history was fetched and kept"
    );
    assert!(
        wb.case().address_history(MAINNET, &bad).unwrap().is_none(),
        "the failed one is not marked as fetched, so it is tried again next time"
    );
    assert!(
        !out.added.is_empty(),
        "the expansion still added what succeeded"
    );
}
