use tracebench_core::address::EvmAddress;
use tracebench_core::chain::EvmChain;
use tracebench_core::model::AccountTransferKind;
use tracebench_core::source::evm::{Etherscan, EvmSourceError, Paging};
use tracebench_core::store::Case;

use super::server::{self, read_json, Replay};
use super::{client, clock, digest, fast_gate, new_case, runtime};

const BOT: &str = "0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b";
const PAIR: &str = "0x0d4a11d5eeaac28ec3f61d100daf4d40471f1852";

fn etherscan(base: &str, key: Option<&str>, paging: Paging) -> Etherscan {
    Etherscan::new(
        client(),
        base,
        key.map(str::to_string),
        EvmChain::ETHEREUM,
        clock(),
    )
    .with_paging(paging)
    .with_gate(fast_gate("etherscan:1"))
}

/// Small pages and a small window, so the 28 transactions and 35 token transfers of the
/// fixture address need both page steps and a restart from the last block.
fn small_pages() -> Paging {
    Paging {
        offset: 5,
        window: 25,
        max_requests: 50,
    }
}

#[test]
fn an_address_history_pages_by_block_range_without_duplicates() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (_, mut case) = new_case(dir.path());
    let es = etherscan(&srv.url, None, small_pages());
    let fetch = runtime()
        .block_on(es.address_history(&EvmAddress::parse(BOT).unwrap()))
        .expect("the recorded history replays");
    let requests = srv.requests.lock().unwrap().clone();
    assert!(
        requests.iter().any(|r| r.contains("action=txlist&")
            && r.contains("startblock=17173050&endblock=99999999&page=1&")),
        "after a full window, paging restarts from the last block seen: {requests:#?}"
    );
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();

    let chain = "eip155:1";
    let txlist = read_json(&format!("etherscan/txlist_{BOT}.json"));
    let txlist = txlist.as_array().unwrap();
    let txs = case.evm_txs(chain).unwrap();
    assert_eq!(
        txs.len(),
        txlist.len(),
        "every transaction once, despite re-fetched pages"
    );
    let failed: Vec<_> = txs.iter().filter(|t| t.status == Some(false)).collect();
    assert_eq!(
        failed.len(),
        1,
        "the fixture has one failed transaction (isError=1)"
    );

    let transfers = case.account_transfers(chain).unwrap();
    let native: Vec<_> = transfers
        .iter()
        .filter(|t| t.kind == AccountTransferKind::Native)
        .collect();
    let expected_native: Vec<(String, String)> = txlist
        .iter()
        .filter(|r| r["isError"] == "0" && r["value"] != "0")
        .map(|r| {
            (
                r["hash"].as_str().unwrap().to_string(),
                r["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut got_native: Vec<(String, String)> = native
        .iter()
        .map(|t| (t.txid.clone(), t.amount.clone()))
        .collect();
    let mut want = expected_native.clone();
    got_native.sort();
    want.sort();
    assert_eq!(
        got_native, want,
        "one native transfer per successful transaction with value, wei exact"
    );
    assert!(
        !native.iter().any(|t| t.txid == failed[0].txid),
        "a failed transaction moves no value"
    );

    let tokentx = read_json(&format!("etherscan/tokentx_{BOT}.json"));
    let tokentx = tokentx.as_array().unwrap();
    let mut got_tokens: Vec<(String, u32, String)> = transfers
        .iter()
        .filter(|t| t.kind == AccountTransferKind::Token)
        .map(|t| (t.txid.clone(), t.log_index.unwrap(), t.amount.clone()))
        .collect();
    let mut want_tokens: Vec<(String, u32, String)> = tokentx
        .iter()
        .map(|r| {
            (
                r["hash"].as_str().unwrap().to_string(),
                r["logIndex"].as_str().unwrap().parse().unwrap(),
                r["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got_tokens.sort();
    want_tokens.sort();
    assert_eq!(
        got_tokens, want_tokens,
        "every WETH transfer once, by (hash, log index), amounts exact in base units"
    );
    assert!(
        transfers
            .iter()
            .filter(|t| t.kind == AccountTransferKind::Token)
            .all(|t| t.asset == "eip155:1/erc20:0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
        "token transfers name the WETH contract as a CAIP-19 asset"
    );
    let keys: Vec<_> = transfers.iter().map(|t| t.order_key()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "account_transfers is sorted by order_key");

    let tokens = case.evm_tokens(chain).unwrap();
    assert_eq!(tokens.len(), 1, "one token contract");
    assert_eq!(
        (tokens[0].symbol.as_deref(), tokens[0].decimals),
        (Some("WETH"), Some(18)),
        "symbol and decimals are recorded from tokentx"
    );
    let h = case.address_history(chain, BOT).unwrap().unwrap();
    assert!(h.complete, "the history was read to its end");

    let conn = rusqlite::Connection::open(case.path()).unwrap();
    let neutral: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM transfer WHERE chain = 'eip155:1' AND from_ref LIKE 'addr:0x%' AND to_ref LIKE 'addr:0x%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        neutral as usize,
        transfers.len(),
        "each account transfer is also a chain-neutral transfer"
    );
    let raws = case.raw_responses().unwrap();
    assert_eq!(
        raws.len(),
        requests.len(),
        "every response is kept as evidence, one per request"
    );
    assert!(
        raws.iter().all(|r| r.source_id == "etherscan:1"),
        "provenance names the source and chain"
    );

    // Fetching again adds nothing new: the case de-duplicates across fetches too.
    let again = runtime()
        .block_on(es.address_history(&EvmAddress::parse(BOT).unwrap()))
        .unwrap();
    let added = case.ingest_evm(&again, "2026-11-21T13:00:00Z").unwrap();
    assert_eq!(
        (added.txs, added.transfers),
        (0, 0),
        "a second fetch of the same history adds no rows"
    );
}

#[test]
fn an_address_with_only_token_movements_records_usdt_decimals() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (_, mut case) = new_case(dir.path());
    let fetch = runtime()
        .block_on(
            etherscan(&srv.url, None, Paging::default())
                .address_history(&EvmAddress::parse(PAIR).unwrap()),
        )
        .expect("'No transactions found' is an empty list, not an error");
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    let tokens = case.evm_tokens("eip155:1").unwrap();
    let usdt = tokens
        .iter()
        .find(|t| t.contract == "0xdac17f958d2ee523a2206206994597c13d831ec7")
        .expect("USDT is recorded");
    assert_eq!(
        (usdt.symbol.as_deref(), usdt.decimals),
        (Some("USDT"), Some(6)),
        "USDT has 6 decimals"
    );
    let out: Vec<_> = case
        .account_transfers("eip155:1")
        .unwrap()
        .into_iter()
        .filter(|t| {
            t.from == PAIR
                && t.asset
                    .ends_with("0xdac17f958d2ee523a2206206994597c13d831ec7")
        })
        .collect();
    assert_eq!(out.len(), 1, "the pair sent USDT once in these blocks");
    assert_eq!(
        out[0].amount, "7200000000",
        "7,200 USDT in base units, as in the ETL export"
    );
    assert!(
        case.evm_txs("eip155:1").unwrap().is_empty(),
        "no normal transactions"
    );
}

#[test]
fn more_results_in_one_block_than_the_window_is_a_clear_error() {
    let srv = server::start(Replay::recorded());
    let paging = Paging {
        offset: 5,
        window: 10,
        max_requests: 50,
    };
    let err = runtime()
        .block_on(
            etherscan(&srv.url, None, paging).address_history(&EvmAddress::parse(BOT).unwrap()),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            EvmSourceError::PagingStuck {
                block: 17173050,
                ..
            }
        ),
        "23 token transfers in block 17,173,050 cannot be paged with a window of 10: {err}"
    );
}

#[test]
fn the_api_key_is_sent_but_never_stored() {
    let key = "PLANTEDKEY9f3b2c7d";
    let srv = server::start(Replay {
        api_key: Some(key.to_string()),
        ..Replay::recorded()
    });
    let dir = tempfile::tempdir().unwrap();
    let (path, mut case) = new_case(dir.path());
    let before = digest(&path);
    let wrong = runtime()
        .block_on(
            etherscan(&srv.url, Some("WRONGKEY"), Paging::default())
                .address_history(&EvmAddress::parse(PAIR).unwrap()),
        )
        .unwrap_err();
    assert!(
        matches!(wrong, EvmSourceError::InvalidKey { .. }),
        "Etherscan's 'Invalid API Key' is named as such: {wrong}"
    );
    assert!(
        !wrong.to_string().contains("WRONGKEY"),
        "the error does not echo the key: {wrong}"
    );
    assert_eq!(
        digest(&path),
        before,
        "a refused key changes nothing in the case"
    );

    let fetch = runtime()
        .block_on(
            etherscan(&srv.url, Some(key), Paging::default())
                .address_history(&EvmAddress::parse(PAIR).unwrap()),
        )
        .expect("the right key is accepted");
    assert!(
        srv.requests.lock().unwrap().iter().any(|r| r.contains(key)),
        "the key does go to the server"
    );
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    for raw in case.raw_responses().unwrap() {
        assert!(
            raw.request.contains("apikey=***") && !raw.request.contains(key),
            "the stored request has the key masked: {}",
            raw.request
        );
    }
    drop(case);
    let case = Case::open(&path).unwrap();
    drop(case);
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("tbcase-wal")) {
        bytes.extend(wal);
    }
    assert!(
        !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
        "the planted key appears nowhere in the case file"
    );
}

/// Whether an error is of the expected kind.
type ErrorKind = fn(&EvmSourceError) -> bool;

#[test]
fn failing_responses_are_clear_errors_and_leave_the_case_as_it_was() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (path, mut case) = new_case(dir.path());
    let rt = runtime();
    let fetch = rt
        .block_on(
            etherscan(&srv.url, None, Paging::default())
                .address_history(&EvmAddress::parse(PAIR).unwrap()),
        )
        .unwrap();
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    let before = digest(&path);
    let transfers = case.account_transfers("eip155:1").unwrap();
    let cases: [(&str, ErrorKind, &str); 8] = [
        (
            "429",
            |e| {
                matches!(
                    e,
                    EvmSourceError::RateLimited {
                        retry_after: None,
                        ..
                    }
                )
            },
            "rate limiting",
        ),
        (
            "429ra",
            |e| {
                matches!(
                    e,
                    EvmSourceError::RateLimited {
                        retry_after: Some(7),
                        ..
                    }
                )
            },
            "retry after 7 s",
        ),
        (
            "500",
            |e| matches!(e, EvmSourceError::Http { status: 500, .. }),
            "HTTP 500",
        ),
        (
            "badjson",
            |e| matches!(e, EvmSourceError::Malformed { .. }),
            "not valid Etherscan data",
        ),
        (
            "html",
            |e| matches!(e, EvmSourceError::NotJson { .. }),
            "not JSON",
        ),
        (
            "ratelimit",
            |e| matches!(e, EvmSourceError::RateLimited { .. }),
            "rate limiting",
        ),
        (
            "truncated",
            |e| matches!(e, EvmSourceError::Truncated { .. }),
            "cut off",
        ),
        (
            "timeout",
            |e| matches!(e, EvmSourceError::Unreachable { .. }),
            "timed out",
        ),
    ];
    for (kind, is, text) in cases {
        let base = format!("{}/fault/{kind}", srv.url);
        let err = rt
            .block_on(
                etherscan(&base, Some("SECRETKEY"), Paging::default())
                    .address_history(&EvmAddress::parse(PAIR).unwrap()),
            )
            .unwrap_err();
        assert!(is(&err), "fault {kind} gives the right error kind: {err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(text),
            "fault {kind}: the message says {text:?}: {msg}"
        );
        assert!(
            !msg.contains("SECRETKEY"),
            "fault {kind}: no key in the message: {msg}"
        );
        assert_eq!(
            digest(&path),
            before,
            "fault {kind} leaves the case file as it was"
        );
    }
    assert_eq!(
        case.account_transfers("eip155:1").unwrap(),
        transfers,
        "the stored transfers are unchanged"
    );
}
