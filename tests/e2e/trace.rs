//! `tracebench trace`, `peel` and `paths` on the demo case, checked against the sim's truth.

use crate::util::{demo, json, run_ok, tracebench};

#[test]
fn trace_peel_and_paths_follow_the_ransom_to_the_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let seed = summary["seed_address"].as_str().unwrap().to_string();
    let truth = json(&run_ok(tracebench(dir.path()).args([
        "sim",
        "truth",
        "--scenario",
        "ransomware",
        "--seed",
        "1",
        "--json",
    ])));
    let roles = &truth["roles"];
    let peels: Vec<String> = serde_json::from_value(roles["peel_chain_txids"].clone()).unwrap();
    let consolidation = roles["consolidation_txid"].as_str().unwrap();
    let deposit = roles["exchange_deposit_address"].as_str().unwrap();
    let run = |args: &[&str]| {
        let out = run_ok(
            tracebench(dir.path())
                .args(args)
                .args(["--json", "--case", &case]),
        );
        (json(&out), out.stdout)
    };

    let (peel, _) = run(&["peel", &peels[0]]);
    let steps: Vec<String> = peel["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["txid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        steps, peels,
        "the CLI follows the sim's peel chain, in order"
    );
    let cash_out = peel["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["address"] == deposit)
        .expect("the cash-out to the exchange is a peeled payment");
    let cash_out_value = cash_out["amount"].as_u64().unwrap();

    let hops = peels.len().to_string();
    let start = format!("{consolidation}:0");
    let (t, bytes) = run(&["trace", &start, "--model", "haircut", "--hops", &hops]);
    let reached = t["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["address"] == deposit)
        .expect("the haircut trace reaches the deposit address");
    assert_eq!(
        reached["tainted"].as_u64(),
        Some(cash_out_value),
        "all of the cash-out is tainted"
    );
    assert_eq!(
        t["conservation"]["balanced"], true,
        "haircut conserves taint"
    );
    assert_eq!(t["offline"], true, "a trace reads only the case");
    let (_, again) = run(&["trace", &start, "--model", "haircut", "--hops", &hops]);
    assert_eq!(bytes, again, "the same case gives byte-identical JSON");
    for model in ["poison", "fifo"] {
        let (m, _) = run(&["trace", &start, "--model", model, "--hops", &hops]);
        assert_eq!(m["model"], model, "the model is recorded with the result");
        assert!(
            m["addresses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["address"] == deposit),
            "{model} reaches the deposit address too"
        );
    }
    let back_hops = (peels.len() + 1).to_string();
    let (b, _) = run(&[
        "trace",
        deposit,
        "--model",
        "haircut",
        "--hops",
        &back_hops,
        "--backward",
    ]);
    assert_eq!(b["direction"], "backward", "the direction is recorded");
    assert!(
        b["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["address"] == seed.as_str()),
        "backward from the exchange, the ransom address is among the funders"
    );

    let (p, _) = run(&["paths", &seed, deposit, "--max-hops", &back_hops]);
    assert_eq!(
        p["shortest"]["hops"].as_u64(),
        Some(peels.len() as u64 + 1),
        "ransom → consolidation → every peel → exchange"
    );
    assert!(
        !p["all"].as_array().unwrap().is_empty(),
        "the simple paths include it"
    );
    assert!(
        p["max_flow"]["value"].as_u64().unwrap() > 0,
        "money can flow that way"
    );
}
