//! `tracebench trace eip155:<chain>:<txhash>:<logIndex>`: account-model tracing over the EVM
//! transfers of a case built from the evm-usdt sim (Etherscan v2 on loopback), checked against
//! the scenario's ground truth.

use crate::util::{digest, json, run_ok, sim_serve, sim_truth, tracebench};

#[test]
fn account_trace_of_the_theft_matches_the_scenario_truth() {
    let dir = tempfile::tempdir().unwrap();
    let (server, announced) = sim_serve(dir.path(), &["--scenario", "evm-usdt", "--seed", "1"]);
    let url = announced["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let truth = sim_truth(dir.path(), "evm-usdt");
    let roles = &truth["roles"];
    let case = dir.path().join("evm.tbcase");
    let case_arg = case.to_str().unwrap().to_string();
    run_ok(tracebench(dir.path()).args([
        "case",
        "new",
        "--title",
        "USDT theft",
        "--case",
        &case_arg,
    ]));
    let source = format!("etherscan:1={url}");
    let mut addresses = vec![roles["thief"].as_str().unwrap().to_string()];
    addresses.extend(
        roles["intermediaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    for a in &addresses {
        run_ok(
            tracebench(dir.path())
                .env("TRACEBENCH_ETHERSCAN_KEY", "test-key")
                .args(["add", a, "--source", &source, "--case", &case_arg]),
        );
    }
    drop(server);

    let theft = roles["theft_txid"].as_str().unwrap();
    let deposit = roles["exchange_deposit"].as_str().unwrap();
    let asset = truth["token"]["asset"].as_str().unwrap();
    let start = format!("eip155:1:{theft}:0");
    let reaching = |model: &str| {
        let out = run_ok(tracebench(dir.path()).args([
            "trace", &start, "--model", model, "--hops", "3", "--json", "--case", &case_arg,
        ]));
        let t = json(&out);
        let a = t["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["asset"] == asset)
            .expect("the stolen token is traced");
        assert_eq!(
            a["conservation"]["balanced"], true,
            "{model}: seeded = unresolved + held: {}",
            a["conservation"]
        );
        assert_eq!(
            a["conservation"]["seeded"], truth["expected"]["stolen"],
            "{model}: the seed is the stolen amount"
        );
        let reached = a["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["address"] == deposit)
            .map(|x| x["received"].as_str().unwrap().to_string())
            .unwrap_or_default();
        (reached, out.stdout)
    };
    let (haircut, bytes) = reaching("haircut");
    assert_eq!(
        haircut,
        truth["expected"]["reaching_exchange_haircut"]
            .as_str()
            .unwrap(),
        "haircut: the thief's own clean tokens dilute what reaches the exchange, exactly as the \
         scenario says"
    );
    let (fifo, _) = reaching("fifo");
    assert_eq!(
        fifo,
        truth["expected"]["reaching_exchange_fifo"]
            .as_str()
            .unwrap(),
        "FIFO: the stolen tokens are spent first, exactly as the scenario says"
    );
    assert_eq!(
        reaching("haircut").1,
        bytes,
        "the same case gives byte-identical JSON"
    );

    let before = digest(&case);
    let bad = format!("eip155:1:{theft}:9");
    let out = tracebench(dir.path())
        .args(["trace", &bad, "--case", &case_arg])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a transfer not in the case is an error"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&bad), "the error names the transfer: {err}");
    assert_eq!(
        digest(&case),
        before,
        "a refused trace leaves the case as it was"
    );
}
