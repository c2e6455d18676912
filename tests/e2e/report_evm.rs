//! The court exhibit of cases holding EVM data (issues 5 and 6): a case built from the evm-usdt
//! sim (Etherscan v2 with a required key, and JSON-RPC, on loopback) and a mixed Bitcoin + EVM
//! case. `pdftotext` must show the USDT transfers with exact amounts, tx hashes and block
//! numbers, the failed transaction moving nothing, the methodology naming the EVM chain, the
//! provenance of the Etherscan and JSON-RPC responses with `apikey=***`; regeneration is
//! byte-identical; `report verify` matches, and names the EVM transfer whose amount was altered
//! in a copy of the case.

use std::path::{Path, PathBuf};

use crate::util::{
    demo, pdf_text, report_verify as verify, run_ok, sim_serve, sim_truth, tracebench,
};

const EPOCH: &str = "1767225600";
const KEY: &str = "PLANTEDREPORTKEY5e81";

/// Text with whitespace runs collapsed, so wrapped text can be searched.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `base` units with 6 decimals as the report must print them: `92,129.880000`.
fn usdt(base: &str) -> String {
    let n: u128 = base.parse().expect("a whole number of base units");
    let int = (n / 1_000_000).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:06}", n % 1_000_000)
}

/// Adds the thief's history through Etherscan (key from the environment) and the theft, a
/// split and the failed swap through JSON-RPC, all from the sim at `url`.
fn add_evm(dir: &Path, case: &Path, url: &str, truth: &serde_json::Value) {
    let roles = &truth["roles"];
    run_ok(
        tracebench(dir)
            .env("TRACEBENCH_ETHERSCAN_KEY", KEY)
            .args(["add", roles["thief"].as_str().unwrap(), "--source"])
            .arg(format!("etherscan:1={url}"))
            .arg("--case")
            .arg(case),
    );
    for tx in [
        roles["theft_txid"].as_str().unwrap(),
        roles["split_txids"][0].as_str().unwrap(),
        roles["failed_txid"].as_str().unwrap(),
    ] {
        run_ok(
            tracebench(dir)
                .args(["add", tx, "--source"])
                .arg(format!("evm-rpc:1={url}"))
                .arg("--case")
                .arg(case),
        );
    }
}

fn report(dir: &Path, case: &Path, out: &Path) {
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--offline", "--case"])
            .arg(case)
            .arg("--out")
            .arg(out),
    );
}

/// The verdict's item named `name`: its `ok`, or `None` when the verdict has no such item.
fn item_ok(v: &serde_json::Value, name: &str) -> Option<bool> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == name)
        .map(|i| i["ok"].as_bool().unwrap())
}

/// The theft's block number, as the case holds it.
fn block_of(case: &Path, txid: &str) -> i64 {
    let db =
        rusqlite::Connection::open_with_flags(case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    db.query_row(
        "SELECT block_height FROM account_transfer WHERE txid = ?1 AND kind = 'token'",
        [txid],
        |r| r.get(0),
    )
    .expect("the theft's token transfer is in the case")
}

/// The first native (ether) transfer of the case: (block time, wei).
fn first_native(case: &Path) -> (i64, u128) {
    let db =
        rusqlite::Connection::open_with_flags(case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let (time, amount): (i64, String) = db
        .query_row(
            "SELECT block_time, amount FROM account_transfer WHERE kind = 'native'
             ORDER BY block_height, tx_index LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the thief's history holds an ether transfer");
    (time, amount.parse().expect("wei as a decimal integer"))
}

/// `YYYY-MM-DD` of unix seconds (UTC), by the civil-from-days algorithm.
fn utc_day(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A consistent copy of `case` (WAL included) at `to`.
fn copy_case(case: &Path, to: &Path) -> PathBuf {
    let db =
        rusqlite::Connection::open_with_flags(case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    db.execute("VACUUM INTO ?1", [to.to_str().unwrap()])
        .expect("copy the case");
    to.to_path_buf()
}

#[test]
fn an_evm_case_report_states_exact_transfers_and_verify_catches_an_altered_amount() {
    let dir = tempfile::tempdir().unwrap();
    let (server, announced) = sim_serve(
        dir.path(),
        &["--scenario", "evm-usdt", "--seed", "1", "--api-key", KEY],
    );
    let url = announced["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let truth = sim_truth(dir.path(), "evm-usdt");
    let case = dir.path().join("usdt.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "USDT theft", "--case"])
            .arg(&case),
    );
    add_evm(dir.path(), &case, &url, &truth);
    drop(server);
    // An ETH rate for the day of the first native transfer, none for the token.
    let (time, wei) = first_native(&case);
    let day = utc_day(time);
    let csv = dir.path().join("eth.csv");
    std::fs::write(
        &csv,
        format!(
            "asset,time_utc,currency,rate,source\nETH,{day}T23:59:59Z,USD,3000.00,sim:e2e-eth\n"
        ),
    )
    .unwrap();
    run_ok(
        tracebench(dir.path())
            .args(["prices", "import", "--case"])
            .arg(&case)
            .arg(&csv),
    );

    let pdf = dir.path().join("a.pdf");
    report(dir.path(), &case, &pdf);
    let again = dir.path().join("b.pdf");
    report(dir.path(), &case, &again);
    assert!(
        std::fs::read(&pdf).unwrap() == std::fs::read(&again).unwrap(),
        "two reports of the same EVM case under SOURCE_DATE_EPOCH are byte-identical"
    );

    let text = flat(&pdf_text(&pdf));
    let roles = &truth["roles"];
    let theft = roles["theft_txid"].as_str().unwrap();
    let stolen = truth["expected"]["stolen"].as_str().unwrap();
    assert!(
        text.contains("Appendix A2 · EVM transfers"),
        "the EVM transfers appendix is printed"
    );
    let held: i64 =
        rusqlite::Connection::open_with_flags(&case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM account_transfer", [], |r| r.get(0))
            .unwrap();
    assert!(
        text.contains(&format!(
            "EVM (account-model) data: {held} transfer(s) in Appendix A2"
        )),
        "the scope counts every EVM transfer the case holds ({held})"
    );
    assert!(
        !text.contains("The graph shows no transaction")
            && !text.contains("are not part of this report"),
        "an EVM case no longer reads as empty or unsupported"
    );
    let amount = format!("{} USDT ({stolen} base units, 6 decimals)", usdt(stolen));
    assert!(
        text.contains(&amount),
        "the stolen amount is stated exactly in USDT and base units: {amount}"
    );
    assert!(
        text.contains(&format!("tx {theft}")),
        "the appendix cites the theft's full hash"
    );
    let block = block_of(&case, theft);
    assert!(
        text.contains(&format!("block {block}")),
        "the theft's block number {block} is cited"
    );
    assert!(
        text.contains("Transfer E") && text.contains(&format!("transaction {theft}")),
        "the narrative states the theft transfer as a fact"
    );
    assert!(
        text.contains("Account-model trace from"),
        "the narrative states the account-model trace from the seed address"
    );
    assert!(
        text.contains("status: FAILED (reverted) — moved no value")
            && text.contains(roles["failed_txid"].as_str().unwrap()),
        "the failed swap is listed as moving nothing"
    );
    assert!(
        text.contains("Fiat value: no rate (the case holds no price series for USDT"),
        "a token transfer without a price series says \"no rate\""
    );
    // 1 ETH = 3000.00 USD: cents = wei × 300000 / 10^18, rounded half to even.
    let scale = 1_000_000_000_000_000_000u128;
    let (q, r) = ((wei * 300_000) / scale, (wei * 300_000) % scale);
    let cents = if r * 2 > scale || (r * 2 == scale && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    let valued = format!(
        "Fiat value: {}.{:02} USD at 1 ETH = 3000.00 USD (sim:e2e-eth, rate of {day}T23:59:59Z, \
         daily UTC close of {day}).",
        cents / 100,
        cents % 100
    );
    assert!(
        text.contains(&valued),
        "the ether transfer is valued exactly at the day's close, citing its source: {valued}"
    );
    assert!(
        text.contains("Chain covered: Ethereum (eip155:1)") && text.contains("42161 Arbitrum One"),
        "the methodology names the case's EVM chain and the supported chain ids"
    );
    assert!(
        !text.contains("testnet, signet and regtest"),
        "no claim of Bitcoin networks cases cannot be created on"
    );
    assert!(
        text.contains("apikey=***") && text.contains("etherscan:1") && text.contains("evm-rpc:1"),
        "the provenance table lists the Etherscan and JSON-RPC responses, key redacted"
    );
    assert!(
        text.contains("EVM block ranges fetched") && text.contains("tokentx: blocks from 0"),
        "the coverage states the block ranges the Etherscan lists were fetched for"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        !text.contains(KEY) && !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
        "the API key is nowhere in the report"
    );

    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(ok, "the report verifies against its case: {v}");
    let row = format!("EVM transfer eip155:1:{theft}:0");
    assert_eq!(
        item_ok(&v, &row),
        Some(true),
        "verify re-derives the theft's EVM row: {v}"
    );
    assert_eq!(
        item_ok(&v, &format!("figure node eth:tx:{theft}")),
        Some(true),
        "the theft transaction is a node of the sealed figure: {v}"
    );

    let tampered = copy_case(&case, &dir.path().join("tampered.tbcase"));
    let db = rusqlite::Connection::open(&tampered).unwrap();
    let changed = db
        .execute(
            "UPDATE account_transfer SET amount = '1' WHERE txid = ?1 AND kind = 'token'",
            [theft],
        )
        .unwrap();
    assert_eq!(changed, 1, "one transfer altered in the copy");
    drop(db);
    let (ok, v) = verify(dir.path(), &tampered, &pdf);
    assert!(!ok, "an altered EVM amount is a mismatch");
    assert_eq!(
        item_ok(&v, &row),
        Some(false),
        "the altered transfer is named: {v}"
    );
    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(ok, "the original case still verifies: {v}");
}

#[test]
fn a_mixed_bitcoin_and_evm_case_reports_both_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = PathBuf::from(summary["case"].as_str().unwrap());
    let (server, announced) = sim_serve(
        dir.path(),
        &["--scenario", "evm-usdt", "--seed", "1", "--api-key", KEY],
    );
    let url = announced["url"].as_str().unwrap().to_string();
    let truth = sim_truth(dir.path(), "evm-usdt");
    add_evm(dir.path(), &case, &url, &truth);
    drop(server);

    let pdf = dir.path().join("mixed.pdf");
    report(dir.path(), &case, &pdf);
    let text = flat(&pdf_text(&pdf));
    let theft = truth["roles"]["theft_txid"].as_str().unwrap();
    assert!(
        text.contains("Appendix A · Transactions") && text.contains("Appendix A2 · EVM transfers"),
        "both the Bitcoin and the EVM appendix are printed"
    );
    assert!(
        text.contains("Chain covered: Bitcoin")
            && text.contains("Chain covered: Ethereum (eip155:1)"),
        "the methodology names both chains"
    );
    assert!(
        text.contains(" sat)") && text.contains(&format!("transaction {theft}")),
        "the narrative states Bitcoin amounts in satoshi and the EVM theft transfer"
    );
    assert!(
        text.contains("apikey=***") && text.contains("sim:ransomware:1"),
        "provenance lists the Bitcoin sim's and the Etherscan responses"
    );
    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(ok, "the mixed report verifies: {v}");
    assert_eq!(
        item_ok(&v, &format!("EVM transfer eip155:1:{theft}:0")),
        Some(true),
        "the EVM rows are re-derived in a mixed case too: {v}"
    );
}
