//! Etherscan v2 behaviour: envelope, paging limits, filters, sorting, errors, API key.

use serde_json::{json, Value};

use crate::{etherscan, etherscan_items, seed1, start};

const WINDOW_ERROR: &str =
    "Result window is too large, PageNo x Offset size must be less than or equal to 10000";

fn hot_tokentx(extra: &str) -> String {
    let chain = seed1();
    format!(
        "chainid=1&module=account&action=tokentx&address={}{extra}",
        chain.truth().roles.exchange_hot_wallet
    )
}

#[test]
fn paging_follows_etherscans_result_window() {
    let server = start(seed1(), None);
    let all = etherscan_items(&server, &hot_tokentx(""));
    assert!(all.len() > 10, "the hot wallet has a long token history");
    let page2 = etherscan_items(&server, &hot_tokentx("&page=2&offset=3"));
    assert_eq!(page2, all[3..6].to_vec(), "page 2 of size 3 is items 4–6");
    let answer = etherscan(&server, &hot_tokentx("&page=1&offset=10001"));
    assert_eq!(
        answer,
        json!({"status": "0", "message": "NOTOK", "result": WINDOW_ERROR}),
        "an offset above 10,000 is refused with Etherscan's text"
    );
    let answer = etherscan(&server, &hot_tokentx("&page=3&offset=5000"));
    assert_eq!(
        answer["result"], WINDOW_ERROR,
        "page × offset above 10,000 is refused"
    );
    let answer = etherscan(&server, &hot_tokentx("&page=2&offset=5000"));
    assert_eq!(answer["status"], "0", "a page past the end lists nothing");
    assert_eq!(
        answer,
        json!({"status": "0", "message": "No transactions found", "result": []}),
        "an empty page is Etherscan's `No transactions found`"
    );
}

fn key(item: &Value) -> (u64, u64, u64) {
    let n = |k: &str| item[k].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
    (n("blockNumber"), n("transactionIndex"), n("logIndex"))
}

#[test]
fn sorting_and_block_ranges() {
    let server = start(seed1(), None);
    let asc = etherscan_items(&server, &hot_tokentx("&sort=asc"));
    assert!(
        asc.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "asc is strictly ordered by (block, tx index, log index): no duplicates"
    );
    let mut desc = etherscan_items(&server, &hot_tokentx("&sort=desc"));
    desc.reverse();
    assert_eq!(desc, asc, "desc is the reverse of asc");
    let middle = key(&asc[asc.len() / 2]).0;
    let ranged = etherscan_items(
        &server,
        &hot_tokentx(&format!("&startblock={middle}&endblock={middle}")),
    );
    assert!(
        !ranged.is_empty() && ranged.iter().all(|i| key(i).0 == middle),
        "startblock/endblock bound the block numbers inclusively"
    );
    let expected: Vec<Value> = asc.iter().filter(|i| key(i).0 == middle).cloned().collect();
    assert_eq!(ranged, expected, "the range keeps every item of that block");
}

#[test]
fn errors_use_etherscans_texts() {
    let server = start(seed1(), None);
    let victim = seed1().truth().roles.victim.clone();
    let cases = [
        (
            format!("chainid=56&module=account&action=txlist&address={victim}"),
            "Missing or unsupported chainid parameter (required for v2 api), please see https://api.etherscan.io/v2/chainlist for the list of supported chainids",
        ),
        (
            format!("chainid=1&module=account&action=balancehistory&address={victim}"),
            "Error! Missing Or invalid Action name",
        ),
        (
            "chainid=1&module=account&action=txlist&address=0x1234".to_string(),
            "Error! Invalid address format",
        ),
    ];
    for (query, text) in cases {
        assert_eq!(
            etherscan(&server, &query),
            json!({"status": "0", "message": "NOTOK", "result": text}),
            "{query} is refused with Etherscan's text"
        );
    }
    let unknown = "0x00000000000000000000000000000000000000aa";
    assert_eq!(
        etherscan(
            &server,
            &format!("chainid=1&module=account&action=txlist&address={unknown}")
        ),
        json!({"status": "0", "message": "No transactions found", "result": []}),
        "an address without history is not an error"
    );
}

#[test]
fn a_required_api_key_is_checked() {
    let server = start(seed1(), Some("K3Y-planted"));
    let base = hot_tokentx("");
    let refused = json!({"status": "0", "message": "NOTOK", "result": "Invalid API Key"});
    assert_eq!(
        etherscan(&server, &base),
        refused,
        "a missing key is refused"
    );
    assert_eq!(
        etherscan(&server, &format!("{base}&apikey=wrong")),
        refused,
        "a wrong key is refused"
    );
    let answer = etherscan(&server, &format!("{base}&apikey=K3Y-planted"));
    assert_eq!(answer["status"], "1", "the right key is served: {answer}");
    let open = start(seed1(), None);
    assert_eq!(
        etherscan(&open, &format!("{base}&apikey=anything"))["status"],
        "1",
        "a server without a key ignores apikey"
    );
}

#[test]
fn internal_transactions_by_hash_and_address_agree() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let roles = &chain.truth().roles;
    let by_hash = etherscan_items(
        &server,
        &format!(
            "chainid=1&module=account&action=txlistinternal&txhash={}",
            roles.swap_txid
        ),
    );
    let by_address = etherscan_items(
        &server,
        &format!(
            "chainid=1&module=account&action=txlistinternal&address={}",
            roles.intermediaries[0]
        ),
    );
    assert_eq!(
        by_hash.len(),
        1,
        "the swap moves ether in exactly one internal call"
    );
    assert_eq!(
        by_hash, by_address,
        "the first intermediary's only internal transfer is the swap's payout"
    );
    assert_eq!(
        by_hash[0]["to"],
        roles.intermediaries[0].as_str(),
        "paid to the swapper"
    );
    assert_eq!(
        by_hash[0]["from"],
        roles.dex_pool.as_str(),
        "paid by the pool"
    );
    let failed = etherscan(
        &server,
        &format!(
            "chainid=1&module=account&action=txlistinternal&txhash={}",
            roles.failed_txid
        ),
    );
    assert_eq!(
        failed["status"], "0",
        "the reverted swap moved nothing internally"
    );
}
