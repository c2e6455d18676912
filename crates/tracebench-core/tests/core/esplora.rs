//! Parsing every real Esplora response we have into the normalised model.

use tracebench_core::chain::BtcNetwork;
use tracebench_core::source::esplora::{parse_outspends, parse_tx, parse_tx_list};

use crate::util::{fixtures, tx_captures};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

#[test]
fn every_real_tx_capture_parses_with_consistent_amounts() {
    let captures = tx_captures();
    assert!(
        captures.len() >= 33,
        "33 real captures are on file, found {}",
        captures.len()
    );
    for (name, body) in captures {
        let raw: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let tx = parse_tx(MAINNET, &body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(tx.txid, raw["txid"].as_str().unwrap(), "{name}: txid kept");
        assert_eq!(
            tx.inputs.len(),
            raw["vin"].as_array().unwrap().len(),
            "{name}: every input"
        );
        assert_eq!(
            tx.outputs.len(),
            raw["vout"].as_array().unwrap().len(),
            "{name}: every output"
        );
        assert_eq!(tx.chain, BtcNetwork::Mainnet.caip2());
        if tx.is_coinbase() {
            assert_eq!(tx.input_sum(), 0, "{name}: a coinbase spends nothing");
        } else {
            assert_eq!(
                tx.input_sum() - tx.output_sum(),
                raw["fee"].as_u64().unwrap(),
                "{name}: inputs − outputs is the fee Esplora reports, to the satoshi"
            );
        }
        assert_eq!(
            tx.confirmation.block_height,
            raw["status"]["block_height"].as_u64(),
            "{name}: block height kept"
        );
        let transfers = tx.transfers("BTC");
        assert_eq!(
            transfers.len(),
            tx.inputs.len() + tx.outputs.len(),
            "{name}: one transfer per input and output"
        );
    }
}

#[test]
fn real_address_history_pages_and_outspends_parse() {
    let dir = fixtures().join("esplora/breez-sdk-greenlight");
    let page =
        std::fs::read(dir.join("address_bc1qvhykeqcpdzu0pdvy99xnh9ckhwzcfskct6h6l2_txs.json"))
            .unwrap();
    let txs = parse_tx_list(MAINNET, &page).unwrap();
    let ids: Vec<&str> = txs.iter().map(|t| &t.txid[..8]).collect();
    assert_eq!(
        ids,
        ["5e0668bf", "07c9d3fb"],
        "newest first, as the API sends them"
    );
    assert!(
        txs[0]
            .inputs
            .iter()
            .any(|i| i.address.as_deref() == Some("bc1qvhykeqcpdzu0pdvy99xnh9ckhwzcfskct6h6l2")),
        "the later tx spends from the address: the hop is visible"
    );
    let page2 =
        std::fs::read(dir.join("address_bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5_txs.json"))
            .unwrap();
    assert_eq!(parse_tx_list(MAINNET, &page2).unwrap().len(), 2);
    let outspends = std::fs::read(dir.join(
        "tx_5e0668bf1cd24f2f8656ee82d4886f5303a06b26838e24b7db73afc59e228985_outspends.json",
    ))
    .unwrap();
    let o = parse_outspends(&outspends).unwrap();
    assert!(o.iter().all(|s| s.spent), "both outputs were spent");
    assert_eq!(o[1].txid.as_deref().map(|t| &t[..8]), Some("61585c40"));
}

#[test]
fn derived_mainnet_blocks_parse_and_fees_add_up() {
    for (file, count, fees) in [
        ("derived/block_277647_txs.json", 213, Some(4_737_355u64)),
        ("derived/blocks_0-255_txs.json", 263, None),
    ] {
        let body = std::fs::read(fixtures().join("esplora").join(file)).unwrap();
        let txs = parse_tx_list(MAINNET, &body).unwrap();
        assert_eq!(txs.len(), count, "{file}: every tx of the block range");
        if let Some(fees) = fees {
            let sum: u64 = txs
                .iter()
                .filter(|t| !t.is_coinbase())
                .map(|t| t.input_sum() - t.output_sum())
                .sum();
            assert_eq!(
                sum, fees,
                "{file}: fees recomputed from prevouts match SOURCE.md"
            );
        }
    }
}

#[test]
fn malformed_responses_are_errors_not_panics() {
    for (body, why) in [
        (&b""[..], "empty body"),
        (b"{\"txid\": 5}", "wrong type"),
        (b"<html>rate limited</html>", "HTML error page"),
        (
            b"{\"txid\":\"abcd\",\"version\":1,\"locktime\":0,\"vin\":[],\"vout\":[]}",
            "bad txid",
        ),
    ] {
        assert!(parse_tx(MAINNET, body).is_err(), "{why} must be refused");
    }
    let truncated = &tx_captures()[0].1;
    assert!(
        parse_tx(MAINNET, &truncated[..truncated.len() / 2]).is_err(),
        "a truncated body must be refused"
    );
}
