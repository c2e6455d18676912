//! A testnet case through the CLI: `case new --network testnet`, the sim served on testnet,
//! `add`, and a mainnet address refused with both networks named.

use crate::util::{digest, json, run_ok, sim_serve, tracebench};

#[test]
fn a_testnet_case_takes_testnet_addresses_from_the_testnet_sim_and_refuses_mainnet_ones() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("testnet.tbcase");
    let case_arg = case.to_str().unwrap();
    let created = json(&run_ok(tracebench(dir.path()).args([
        "case",
        "new",
        "--title",
        "Testnet case",
        "--network",
        "testnet",
        "--case",
        case_arg,
        "--json",
    ])));
    assert_eq!(
        created["chain"], "bip122:000000000933ea01ad0ee984209779ba",
        "the case is on testnet (CAIP-2 of testnet3's genesis)"
    );
    let info = run_ok(tracebench(dir.path()).args(["case", "info", "--case", case_arg]));
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        text.contains("network: Bitcoin testnet (bip122:000000000933ea01ad0ee984209779ba)"),
        "case info names the network: {text}"
    );

    let (server, announced) = sim_serve(
        dir.path(),
        &[
            "--scenario",
            "ransomware",
            "--seed",
            "1",
            "--network",
            "testnet",
        ],
    );
    let url = announced["url"].as_str().unwrap().to_string();
    let seed = announced["seed_address"].as_str().unwrap().to_string();
    assert!(
        seed.starts_with("tb1") || seed.starts_with(['m', 'n', '2']),
        "the sim announces a testnet seed address: {seed}"
    );
    let truth = json(&run_ok(tracebench(dir.path()).args([
        "sim",
        "truth",
        "--scenario",
        "ransomware",
        "--seed",
        "1",
        "--network",
        "testnet",
    ])));
    assert_eq!(
        truth["seed_address"], seed,
        "sim truth --network testnet lists the same addresses the server serves"
    );

    let added =
        json(&run_ok(tracebench(dir.path()).args([
            "add", &seed, "--case", case_arg, "--source", &url, "--json",
        ])));
    assert_eq!(
        added["node_id"],
        format!("tbtc:addr:{seed}"),
        "the testnet seed is added from the testnet sim"
    );
    assert!(
        added["nodes"].as_u64().unwrap() >= 1,
        "it is on the canvas: {added}"
    );

    let mainnet = json(&run_ok(tracebench(dir.path()).args([
        "sim",
        "truth",
        "--scenario",
        "ransomware",
        "--seed",
        "1",
    ])));
    let mainnet_seed = mainnet["seed_address"].as_str().unwrap();
    assert!(
        mainnet_seed.starts_with("bc1") || mainnet_seed.starts_with(['1', '3']),
        "without --network the truth stays on mainnet: {mainnet_seed}"
    );
    let before = digest(&case);
    let refused = tracebench(dir.path())
        .args(["add", mainnet_seed, "--case", case_arg, "--source", &url])
        .output()
        .unwrap();
    drop(server);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "a mainnet address is refused");
    assert!(
        stderr.contains(&format!(
            "'{mainnet_seed}' is a Bitcoin mainnet address; this case is Bitcoin testnet"
        )),
        "the message names both networks: {stderr}"
    );
    assert!(
        digest(&case) == before,
        "the refused add leaves the case byte-identical"
    );
}

#[test]
fn an_unknown_network_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = tracebench(dir.path())
        .args(["case", "new", "--title", "X", "--network", "testnet4"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("'testnet4' is not a Bitcoin network"),
        "the unknown name is named: {stderr}"
    );
}

#[test]
fn a_mainnet_case_refuses_a_loopback_esplora_that_serves_testnet_and_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("mainnet.tbcase");
    let case_arg = case.to_str().unwrap();
    run_ok(tracebench(dir.path()).args(["case", "new", "--title", "Mainnet", "--case", case_arg]));
    let (server, announced) = sim_serve(
        dir.path(),
        &["--scenario", "ransomware", "--network", "testnet"],
    );
    let url = announced["url"].as_str().unwrap().to_string();
    let truth = json(&run_ok(tracebench(dir.path()).args([
        "sim",
        "truth",
        "--scenario",
        "ransomware",
        "--network",
        "testnet",
    ])));
    // A txid looks the same on every network: only the server's genesis block can tell.
    let txid = truth["roles"]["ransom_payment_txids"][0]
        .as_str()
        .expect("the truth lists the ransom payments")
        .to_string();
    let before = digest(&case);
    let refused = tracebench(dir.path())
        .args(["add", &txid, "--case", case_arg, "--source", &url])
        .output()
        .unwrap();
    drop(server);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success()
            && stderr.contains("the server is on Bitcoin testnet")
            && stderr.contains("Bitcoin mainnet"),
        "a loopback URL names no network, so the server's genesis block is asked and both \
         networks are named: {stderr}"
    );
    assert!(
        digest(&case) == before,
        "the refused source leaves the case byte-identical"
    );
}
