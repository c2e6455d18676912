//! The Esplora HTTP server, exercised over real HTTP on 127.0.0.1.

use std::collections::BTreeSet;
use std::sync::Arc;

use bitcoin::{OutPoint, Txid};
use serde_json::Value;
use tracebench_sim::{generate, serve, serve_chains, ScenarioKind, SimServer};

use crate::{fixture, seed1};

fn start() -> SimServer {
    serve(
        Arc::new(seed1().clone()),
        "127.0.0.1:0".parse().expect("addr"),
    )
    .expect("server starts")
}

fn get(client: &reqwest::blocking::Client, url: &str) -> (u16, String) {
    let response = client
        .get(url)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    (status, response.text().expect("body"))
}

fn get_json(client: &reqwest::blocking::Client, url: &str) -> Value {
    let (status, body) = get(client, url);
    assert_eq!(status, 200, "GET {url} must succeed, body: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url} is JSON: {e}"))
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn real_tx(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture readable");
    let v: Value = serde_json::from_str(&text).expect("fixture is JSON");
    v.get("tx").cloned().unwrap_or(v)
}

/// The kind of an input, to compare with a real input of the same kind.
fn input_kind(vin: &Value) -> String {
    if vin["is_coinbase"].as_bool() == Some(true) {
        "coinbase".into()
    } else {
        vin["prevout"]["scriptpubkey_type"]
            .as_str()
            .expect("type")
            .into()
    }
}

/// Outputs with an address and OP_RETURN outputs (which have none) have different key sets.
fn output_kind(vout: &Value) -> String {
    match vout["scriptpubkey_type"].as_str() {
        Some("op_return") => "op_return".into(),
        _ => "with address".into(),
    }
}

#[test]
fn tx_json_has_the_field_set_of_real_esplora_responses() {
    let real: Vec<Value> = [
        "tx-p2wpkh-60848192.json",
        "tx-p2sh-p2wpkh-8ce796fe.json",
        "tx-p2tr-2494d26d.json",
        "tx-coinbase-6c7edc23.json",
        "tx-p2pkh-consolidation-40b88e16.json",
    ]
    .into_iter()
    .map(real_tx)
    .collect();
    let mut real_tx_keys = keys(&real[0]);
    real_tx_keys.remove("sigops"); // mempool.space-only extension, not in Esplora
    let mut real_vin = std::collections::BTreeMap::new();
    let mut real_vout = std::collections::BTreeMap::new();
    for tx in &real {
        for vin in tx["vin"].as_array().expect("vin") {
            real_vin.insert(input_kind(vin), keys(vin));
            if !vin["prevout"].is_null() {
                real_vout.insert("prevout".to_string(), keys(&vin["prevout"]));
            }
        }
        for vout in tx["vout"].as_array().expect("vout") {
            real_vout.insert(output_kind(vout), keys(vout));
        }
    }
    let real_status = keys(&real[0]["status"]);

    let server = start();
    let client = reqwest::blocking::Client::new();
    let mut seen_kinds = BTreeSet::new();
    for tx in seed1().transactions() {
        let txid = tx.compute_txid();
        let ours = get_json(&client, &format!("{}/tx/{txid}", server.url()));
        assert_eq!(
            keys(&ours),
            real_tx_keys,
            "tx keys of {txid} must match Esplora"
        );
        assert_eq!(
            keys(&ours["status"]),
            real_status,
            "status keys must match Esplora"
        );
        assert_eq!(
            ours["txid"],
            txid.to_string(),
            "the JSON names its own txid"
        );
        for vin in ours["vin"].as_array().expect("vin") {
            let kind = input_kind(vin);
            if let Some(real_keys) = real_vin.get(&kind) {
                assert_eq!(
                    &keys(vin),
                    real_keys,
                    "vin keys of a {kind} input must match Esplora"
                );
                seen_kinds.insert(kind.clone());
            }
            if !vin["prevout"].is_null() {
                assert_eq!(
                    keys(&vin["prevout"]),
                    real_vout["prevout"],
                    "prevout keys must match"
                );
            }
        }
        for vout in ours["vout"].as_array().expect("vout") {
            let kind = output_kind(vout);
            let real_keys = real_vout
                .get(&kind)
                .unwrap_or_else(|| panic!("real captures show a {kind} output"));
            assert_eq!(
                &keys(vout),
                real_keys,
                "vout keys of a {kind} output must match Esplora"
            );
        }
    }
    for kind in ["coinbase", "v0_p2wpkh", "p2sh", "p2pkh", "v1_p2tr"] {
        assert!(
            seen_kinds.contains(kind),
            "seed 1 must exercise {kind} inputs"
        );
    }
    server.shutdown().expect("clean shutdown");
}

#[test]
fn tx_json_values_agree_with_the_chain() {
    let server = start();
    let client = reqwest::blocking::Client::new();
    let roles = seed1().truth().roles;
    let txid: Txid = roles.consolidation_txid.parse().expect("txid");
    let ours = get_json(&client, &format!("{}/tx/{txid}", server.url()));
    let tx = seed1().tx(&txid).expect("tx");
    assert_eq!(
        ours["fee"].as_u64(),
        seed1().fee(&txid),
        "fee is inputs minus outputs"
    );
    assert_eq!(
        ours["weight"].as_u64(),
        Some(tx.weight().to_wu()),
        "real weight"
    );
    assert_eq!(
        ours["vin"][0]["prevout"]["scriptpubkey_type"], "v0_p2wpkh",
        "Esplora type names"
    );
    let asm = ours["vin"][0]["prevout"]["scriptpubkey_asm"]
        .as_str()
        .expect("asm");
    assert!(
        asm.starts_with("OP_0 OP_PUSHBYTES_20 "),
        "Esplora asm style, got {asm}"
    );
    let block = seed1().tx_block(&txid).expect("confirmed");
    assert_eq!(
        ours["status"]["block_hash"],
        block.hash().to_string(),
        "status names the block"
    );
    let (status, hex) = get(&client, &format!("{}/tx/{txid}/hex", server.url()));
    assert_eq!(status, 200, "hex route works");
    assert_eq!(
        hex,
        bitcoin::consensus::encode::serialize_hex(tx),
        "hex is the consensus encoding"
    );
    let status_json = get_json(&client, &format!("{}/tx/{txid}/status", server.url()));
    assert_eq!(
        status_json, ours["status"],
        "/status equals the embedded status"
    );
}

#[test]
fn hot_wallet_paging_returns_every_tx_once_newest_first() {
    let server = start();
    let client = reqwest::blocking::Client::new();
    let hot = seed1().truth().roles.exchange_hot_wallet;
    let mut expected: Vec<String> = seed1()
        .address_txids(&hot)
        .iter()
        .map(Txid::to_string)
        .collect();
    expected.reverse();
    assert!(expected.len() > 25, "paging needs more than one page");

    let first = get_json(&client, &format!("{}/address/{hot}/txs", server.url()));
    let chain_first = get_json(
        &client,
        &format!("{}/address/{hot}/txs/chain", server.url()),
    );
    assert_eq!(
        first, chain_first,
        "without mempool txs, /txs equals /txs/chain"
    );
    let mut pages = vec![first];
    loop {
        let last = pages.last().expect("page");
        let items = last.as_array().expect("array");
        if items.len() < 25 {
            break;
        }
        let last_seen = items[24]["txid"].as_str().expect("txid");
        pages.push(get_json(
            &client,
            &format!("{}/address/{hot}/txs/chain/{last_seen}", server.url()),
        ));
    }
    let mut got = Vec::new();
    let mut heights = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let items = page.as_array().expect("array");
        if i + 1 < pages.len() {
            assert_eq!(items.len(), 25, "every full page has 25 txs");
        }
        for item in items {
            got.push(item["txid"].as_str().expect("txid").to_owned());
            heights.push(item["status"]["block_height"].as_u64().expect("height"));
        }
    }
    assert_eq!(got, expected, "all hot-wallet txs, each once, newest first");
    assert!(
        heights.windows(2).all(|w| w[0] >= w[1]),
        "heights never rise going down the list"
    );

    let stats = get_json(&client, &format!("{}/address/{hot}", server.url()));
    assert_eq!(
        stats["chain_stats"]["tx_count"].as_u64(),
        Some(expected.len() as u64),
        "tx_count"
    );
    assert_eq!(stats["mempool_stats"]["tx_count"], 0, "no mempool");
    let funded = stats["chain_stats"]["funded_txo_sum"]
        .as_u64()
        .expect("sum");
    let spent = stats["chain_stats"]["spent_txo_sum"].as_u64().expect("sum");
    let utxo = get_json(&client, &format!("{}/address/{hot}/utxo", server.url()));
    let unspent: u64 = utxo
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["value"].as_u64().expect("v"))
        .sum();
    assert_eq!(
        funded - spent,
        unspent,
        "balance = funded - spent = sum of utxos"
    );
}

#[test]
fn outspends_agree_with_the_chain() {
    let server = start();
    let client = reqwest::blocking::Client::new();
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("outspends-5e0668bf.json")).expect("fixture"),
    )
    .expect("json");
    let real_spent_keys = keys(&real[0]);
    let mut saw_unspent = false;
    for tx in seed1().transactions() {
        let txid = tx.compute_txid();
        let outspends = get_json(&client, &format!("{}/tx/{txid}/outspends", server.url()));
        let items = outspends.as_array().expect("array");
        assert_eq!(items.len(), tx.output.len(), "one entry per output");
        for (vout, item) in items.iter().enumerate() {
            match seed1().spender(&OutPoint::new(txid, vout as u32)) {
                Some((spender, vin)) => {
                    assert_eq!(
                        keys(item),
                        real_spent_keys,
                        "spent entries look like Esplora's"
                    );
                    assert_eq!(item["txid"], spender.to_string(), "spender txid");
                    assert_eq!(item["vin"].as_u64(), Some(u64::from(vin)), "spender input");
                }
                None => {
                    saw_unspent = true;
                    assert_eq!(item, &serde_json::json!({"spent": false}), "unspent shape");
                }
            }
        }
    }
    assert!(saw_unspent, "some outputs stay unspent");
}

#[test]
fn blocks_and_tip_are_served() {
    let server = start();
    let client = reqwest::blocking::Client::new();
    let (status, tip) = get(&client, &format!("{}/blocks/tip/height", server.url()));
    assert_eq!(
        (status, tip.clone()),
        (200, seed1().tip_height().to_string()),
        "tip height as text"
    );
    let (status, hash) = get(&client, &format!("{}/block-height/{tip}", server.url()));
    assert_eq!(status, 200, "block-height works");
    let tip_block = seed1().blocks().last().expect("blocks");
    assert_eq!(
        hash,
        tip_block.hash().to_string(),
        "block-height gives the hash as text"
    );
    let block = get_json(&client, &format!("{}/block/{hash}", server.url()));
    let real: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("block-5.json")).expect("fixture"))
            .expect("json");
    assert_eq!(keys(&block), keys(&real), "block JSON keys match Esplora's");
    assert_eq!(
        block["merkle_root"],
        tip_block.block().header.merkle_root.to_string(),
        "merkle root"
    );
    assert_eq!(
        block["tx_count"].as_u64(),
        Some(tip_block.block().txdata.len() as u64),
        "tx count"
    );
    let txids = get_json(&client, &format!("{}/block/{hash}/txids", server.url()));
    assert_eq!(
        txids.as_array().map(Vec::len),
        Some(tip_block.block().txdata.len()),
        "txids"
    );
    let (status, _) = get(
        &client,
        &format!("{}/block-height/{}", server.url(), tip_block.height() + 1),
    );
    assert_eq!(status, 404, "heights above the tip are not found");
}

#[test]
fn errors_match_esplora() {
    let server = start();
    let client = reqwest::blocking::Client::new();
    let base = server.url();
    let unknown = "00".repeat(32);
    let cases = [
        (format!("{base}/tx/{unknown}"), 404, "Transaction not found"),
        (
            format!("{base}/tx/{unknown}/outspends"),
            404,
            "Transaction not found",
        ),
        (format!("{base}/tx/xyz"), 400, "Invalid hex string"),
        (format!("{base}/tx/abcd"), 400, "Invalid hex string"),
        (
            format!("{base}/address/notanaddress/txs"),
            400,
            "Invalid Bitcoin address",
        ),
        (
            format!("{base}/address/tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx/txs"),
            400,
            "Invalid Bitcoin address",
        ),
        (
            format!("{base}/address/mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"),
            400,
            "Invalid Bitcoin address",
        ),
    ];
    for (url, status, body) in cases {
        assert_eq!(
            get(&client, &url),
            (status, body.to_owned()),
            "Esplora's error for {url}"
        );
    }
    let (status, _) = get(&client, &format!("{base}/no/such/route"));
    assert_eq!(status, 404, "unknown routes are 404");
    let unknown_address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    let empty = get_json(&client, &format!("{base}/address/{unknown_address}/txs"));
    assert_eq!(
        empty,
        serde_json::json!([]),
        "a valid unknown address has no history"
    );
    server.shutdown().expect("clean shutdown");
}

#[test]
fn servers_shut_down_and_release_their_port() {
    let chain = Arc::new(generate(ScenarioKind::Ransomware, 3));
    let server = serve(chain.clone(), "127.0.0.1:0".parse().expect("addr")).expect("starts");
    let addr = server.local_addr();
    assert!(
        server.url().starts_with("http://127.0.0.1:"),
        "loopback URL without trailing slash"
    );
    assert!(!server.url().ends_with('/'), "no trailing slash");
    server.shutdown().expect("clean shutdown");
    let again = serve(chain, addr).expect("the port is free again after shutdown");
    drop(again);
}

#[test]
fn several_chains_are_served_side_by_side_and_a_shared_one_is_refused() {
    let a = Arc::new(generate(ScenarioKind::Ransomware, 4));
    let b = Arc::new(generate(ScenarioKind::Ransomware, 5));
    let server = serve_chains(
        &[a.clone(), b.clone()],
        "127.0.0.1:0".parse().expect("addr"),
    )
    .expect("two different seeds share no txid or address");
    let client = reqwest::blocking::Client::new();
    for chain in [&a, &b] {
        let address = chain.seed_address();
        let history = get_json(&client, &format!("{}/address/{address}/txs", server.url()));
        let served: BTreeSet<String> = history
            .as_array()
            .expect("a history is a JSON array")
            .iter()
            .map(|t| t["txid"].as_str().expect("txid").to_string())
            .collect();
        let expected: BTreeSet<String> = chain
            .address_txids(address)
            .iter()
            .rev()
            .take(25)
            .map(|t| t.to_string())
            .collect();
        assert_eq!(
            served,
            expected,
            "the seed address of chain {} has its own newest 25 transactions",
            chain.seed()
        );
        let txid = chain.address_txids(address)[0];
        let tx = get_json(&client, &format!("{}/tx/{txid}", server.url()));
        assert_eq!(
            tx["txid"].as_str(),
            Some(txid.to_string().as_str()),
            "every chain's transactions are served"
        );
    }
    let tip = get(&client, &format!("{}/blocks/tip/height", server.url()));
    assert_eq!(
        tip,
        (200, a.tip_height().max(b.tip_height()).to_string()),
        "the tip is the highest of the chains"
    );
    server.shutdown().expect("clean shutdown");
    let e = serve_chains(&[a.clone(), a], "127.0.0.1:0".parse().expect("addr"))
        .expect_err("the same chain twice shares every txid");
    assert!(
        e.to_string().contains("is in two of the chains"),
        "the error says what two chains share: {e}"
    );
}
