//! `tracebench block`: a whole block from a loopback Bitcoin Core node replaying bitcoin-etl's
//! real block 50,001 (verbosity 3, prevouts derived from the spent transactions: see
//! crates/tracebench-core/tests/fixtures/core-rpc/SOURCE.md).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use crate::util::{digest, json, reply_json, run_ok, tracebench};

const BLOCK_50001: &str = "000000001c920d495e1eeef2452b6d1c6c229a919b28196c103ecffebabee141";

/// A node answering `getblockchaininfo` (mainnet), `getblockhash 50001` and `getblock <hash> 3`;
/// anything else as Core answers an unknown block or height.
fn node() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/tracebench-core/tests/fixtures/core-rpc");
    let block = std::fs::read_to_string(dir.join(format!("derived/getblock_{BLOCK_50001}_3.json")))
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                let _ = reader.read_line(&mut h);
                if h.trim_end().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.trim().eq_ignore_ascii_case("content-length") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            let call: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let id = &call["id"];
            let first = &call["params"][0];
            let ok = |r: &str| {
                (
                    200,
                    format!("{{\"result\":{r},\"error\":null,\"id\":{id}}}"),
                )
            };
            let err = |code: i64, m: &str| {
                (500, format!("{{\"result\":null,\"error\":{{\"code\":{code},\"message\":\"{m}\"}},\"id\":{id}}}"))
            };
            let (status, reply) = match call["method"].as_str().unwrap_or_default() {
                "getblockchaininfo" => {
                    ok(r#"{"chain":"main","blocks":50002,"headers":50002,"pruned":false}"#)
                }
                "getblockhash" if first == 50_001 => ok(&format!("\"{BLOCK_50001}\"")),
                "getblockhash" => err(-8, "Block height out of range"),
                "getblock" if first == BLOCK_50001 => ok(&block),
                "getblock" => err(-5, "Block not found"),
                _ => err(-32601, "Method not found"),
            };
            let mut out = stream;
            reply_json(&mut out, &format!("{status} X"), &reply);
        }
    });
    url
}

#[test]
fn tracebench_block_stores_a_whole_block_off_the_canvas_and_refuses_one_above_the_tip() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("block.tbcase");
    let case_arg = case.to_str().unwrap();
    run_ok(tracebench(dir.path()).args(["case", "new", "--title", "Blocks", "--case", case_arg]));
    let source = format!("core:{}", node());
    let out = run_ok(
        tracebench(dir.path()).args(["block", "50001", "--case", case_arg, "--source", &source]),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "stored block 50001 ({BLOCK_50001}): 3 transactions, 3 new"
        )) && text.contains("not on the canvas"),
        "the CLI says what was stored and that the canvas is unchanged: {text}"
    );
    let info = json(&run_ok(
        tracebench(dir.path()).args(["case", "info", "--case", case_arg, "--json"]),
    ));
    assert_eq!(
        info["nodes"], 0,
        "the block's transactions are not on the canvas"
    );
    assert_eq!(
        info["raw_responses"], 3,
        "getblockchaininfo, getblockhash and the one getblock answer are kept as evidence"
    );

    let before = digest(&case);
    let refused = tracebench(dir.path())
        .args(["block", "60000", "--case", case_arg, "--source", &source])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && stderr.contains("block height 60000 is above the node's tip"),
        "a height above the tip is named: {stderr}"
    );
    assert!(digest(&case) == before, "and the case is byte-identical");

    let no_core = tracebench(dir.path())
        .args(["block", "1", "--case", case_arg, "--source", "sim"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&no_core.stderr).contains("needs a Bitcoin Core node"),
        "another source is refused with what to give instead"
    );
}
