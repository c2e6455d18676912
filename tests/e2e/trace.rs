//! `tracebench trace`, `peel` and `paths` on the demo case, checked against the sim's truth.

use crate::util::{demo, json, run_ok, sim_truth, tracebench};

#[test]
fn trace_peel_and_paths_follow_the_ransom_to_the_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let seed = summary["seed_address"].as_str().unwrap().to_string();
    let truth = sim_truth(dir.path(), "ransomware");
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

#[test]
fn paths_between_entities_follow_the_case_clustering_and_its_vetoes() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let truth = sim_truth(dir.path(), "ransomware");
    let roles = &truth["roles"];
    let ransoms: Vec<String> = serde_json::from_value(roles["ransom_addresses"].clone()).unwrap();
    let consolidation = roles["consolidation_txid"].as_str().unwrap();
    let deposit = roles["exchange_deposit_address"].as_str().unwrap();
    let from = format!("cluster:{}", ransoms[0]);
    let to = format!("cluster:{deposit}");
    let run = |args: &[&str]| {
        json(&run_ok(
            tracebench(dir.path())
                .args(args)
                .args(["--json", "--case", &case]),
        ))
    };
    let p = run(&["paths", &from, &to, "--max-hops", "12"]);
    assert_eq!(
        p["from_members"].as_array().unwrap().len(),
        ransoms.len(),
        "cluster:<ransom address> stands for every ransom address: {p}"
    );
    assert_eq!(
        p["shortest"]["txids"][0], consolidation,
        "the entity's money leaves through the consolidation"
    );
    assert!(
        p["max_flow"]["value"].as_u64().unwrap() > 0,
        "money flows from the ransom entity to the exchange entity"
    );

    run(&[
        "cluster",
        "veto",
        consolidation,
        &ransoms[0],
        &ransoms[1],
        "--reason",
        "test",
    ]);
    let p = run(&["paths", &from, &to, "--max-hops", "12"]);
    assert_eq!(
        p["from_members"],
        serde_json::json!([ransoms[0]]),
        "with the consolidation vetoed the entity is the one address"
    );
}

/// The ransomware scenario's truth: (seed address, exchange deposit address, peel-chain txids).
fn ransomware_roles(dir: &std::path::Path) -> (String, String, Vec<String>) {
    let truth = sim_truth(dir, "ransomware");
    let roles = &truth["roles"];
    (
        truth["seed_address"].as_str().unwrap().to_string(),
        roles["exchange_deposit_address"]
            .as_str()
            .unwrap()
            .to_string(),
        serde_json::from_value(roles["peel_chain_txids"].clone()).unwrap(),
    )
}

/// A new case holding only what `add <query>` fetched from the built-in sim (for an address,
/// its own history; for a txid, that transaction).
fn thin_case(dir: &std::path::Path, name: &str, query: &str) -> std::path::PathBuf {
    let case = dir.join(name);
    run_ok(
        tracebench(dir)
            .args(["case", "new", "--title", "Thin", "--case"])
            .arg(&case),
    );
    run_ok(
        tracebench(dir)
            .args(["add", query, "--source", "sim:ransomware:1", "--case"])
            .arg(&case),
    );
    case
}

fn trace_json(dir: &std::path::Path, case: &std::path::Path, args: &[&str]) -> serde_json::Value {
    json(&run_ok(
        tracebench(dir)
            .arg("trace")
            .args(args)
            .args(["--json", "--case"])
            .arg(case),
    ))
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn trace_fetch_fills_a_thin_case_hop_by_hop_like_a_fully_expanded_one() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, deposit, peels) = ransomware_roles(dir.path());
    // The consolidation, then the peel chain: the deposit is paid at the last peel.
    let hops = (peels.len() + 1).to_string();
    let case = thin_case(dir.path(), "thin.tbcase", &seed);

    let before = crate::util::digest(&case);
    let plain = trace_json(dir.path(), &case, &[&seed, "--hops", &hops]);
    assert_eq!(
        crate::util::digest(&case),
        before,
        "a trace without --fetch reads the case and writes nothing"
    );
    let unresolved_before = plain["conservation"]["unresolved_outputs"]
        .as_u64()
        .unwrap();
    assert!(
        unresolved_before >= 1,
        "the seed's own history leaves the consolidation's spending unresolved: {plain}"
    );
    assert!(
        plain["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["address"] != deposit.as_str()),
        "without fetching the trace cannot reach the exchange deposit"
    );

    let fetched = trace_json(
        dir.path(),
        &case,
        &[
            &seed,
            "--hops",
            &hops,
            "--fetch",
            "--source",
            "sim:ransomware:1",
        ],
    );
    let report = &fetched["fetch"];
    assert_eq!(fetched["offline"], false, "a --fetch trace says it fetched");
    assert_eq!(
        report["unresolved_before"].as_u64(),
        Some(unresolved_before),
        "the report starts from the trace over the case as it was"
    );
    let got = strings(&report["fetched_txids"]);
    for p in &peels {
        assert!(
            got.contains(p),
            "the peel transaction {p} is fetched hop by hop: {got:?}"
        );
    }
    let unspent = strings(&report["unspent"]);
    let max_hops = peels.len() as u64 + 1;
    for o in fetched["outputs"].as_array().unwrap() {
        if o["status"] == "unresolved" {
            let outpoint = o["outpoint"].as_str().unwrap().to_string();
            assert!(
                unspent.contains(&outpoint) || o["hop"].as_u64() == Some(max_hops),
                "within the hop limit, an output stays unresolved only when the source says it \
                 is unspent: {o}"
            );
        }
    }
    for o in strings(&report["still_unresolved"]) {
        let out = fetched["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["outpoint"] == o.as_str())
            .unwrap();
        assert_eq!(
            out["hop"].as_u64(),
            Some(max_hops),
            "only last-hop outputs (spender beyond the limit) are left unknown: {out}"
        );
    }
    assert_eq!(report["failed"], serde_json::json!([]), "nothing failed");
    assert_eq!(report["limit_reached"], false, "500 is plenty here");

    // The same trace over the demo case (expanded from the source) reaches every address with
    // the same amounts.
    let summary = demo(dir.path());
    let full_case = std::path::PathBuf::from(summary["case"].as_str().unwrap());
    let full = trace_json(dir.path(), &full_case, &[&seed, "--hops", &hops]);
    assert_eq!(
        fetched["addresses"], full["addresses"],
        "the fetched case gives every address the same taint as the fully expanded case"
    );
    let at_deposit = |t: &serde_json::Value| {
        t["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["address"] == deposit.as_str())
            .map(|a| a["tainted"].as_u64().unwrap())
    };
    assert!(
        at_deposit(&fetched).is_some_and(|v| v > 0),
        "the fetching trace reaches the exchange deposit"
    );
    assert_eq!(
        at_deposit(&fetched),
        at_deposit(&full),
        "the amount reaching the exchange deposit equals that over the fully expanded case"
    );
    assert_eq!(
        fetched["conservation"]["balanced"], true,
        "haircut conserves taint after fetching"
    );

    // Stored with provenance, in one audited write.
    let c = rusqlite::Connection::open(&case).unwrap();
    let hashes: Vec<String> = {
        let mut st = c
            .prepare("SELECT sha256 FROM raw_response ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let stored = strings(&report["raw_responses"]);
    assert!(
        !stored.is_empty() && hashes.ends_with(&stored),
        "every raw response of the fetch is stored with its SHA-256, in fetch order"
    );
    let outspends: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM raw_response WHERE endpoint LIKE '/tx/%/outspends'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        outspends as usize,
        report["outspends_asked"].as_array().unwrap().len(),
        "the outspends answers the fetch rests on are kept as evidence too"
    );
    let (action, detail): (String, String) = c
        .query_row(
            "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "trace.fetch", "the fetch is one audit-log entry");
    for t in &got {
        assert!(
            detail.contains(t.as_str()),
            "the audit entry names fetched transaction {t}"
        );
    }
    drop(c);
    let verdict = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(
        verdict["ok"], true,
        "the case verifies after the fetch: {verdict}"
    );
}

#[test]
fn trace_fetch_stops_at_its_limit_and_goes_on_from_there() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, _, peels) = ransomware_roles(dir.path());
    let hops = (peels.len() + 1).to_string();
    let case = thin_case(dir.path(), "thin.tbcase", &seed);
    let first = trace_json(
        dir.path(),
        &case,
        &[&seed, "--hops", &hops, "--fetch", "--fetch-limit", "2"],
    );
    assert_eq!(
        strings(&first["fetch"]["fetched_txids"]),
        {
            let mut two = peels[..2].to_vec();
            two.sort();
            two
        },
        "the budget of 2 transactions takes the first two hops of the chain"
    );
    assert_eq!(
        first["fetch"]["limit_reached"], true,
        "the report says the limit stopped it"
    );
    assert!(
        !strings(&first["fetch"]["still_unresolved"]).is_empty(),
        "what the budget left is listed as still unresolved"
    );
    let rest = trace_json(dir.path(), &case, &[&seed, "--hops", &hops, "--fetch"]);
    let mut all = strings(&first["fetch"]["fetched_txids"]);
    all.extend(strings(&rest["fetch"]["fetched_txids"]));
    all.sort();
    let mut want = peels.clone();
    want.sort();
    assert_eq!(
        all, want,
        "a second run fetches only what the first left, kept from before"
    );
    assert_eq!(
        rest["fetch"]["limit_reached"], false,
        "within the default limit"
    );
}

#[test]
fn backward_trace_fetch_fetches_the_creating_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, peels) = ransomware_roles(dir.path());
    let last = peels.last().unwrap();
    let case = thin_case(dir.path(), "thin.tbcase", last);
    let start = format!("{last}:0");
    let fetched = trace_json(
        dir.path(),
        &case,
        &[&start, "--backward", "--hops", "3", "--fetch"],
    );
    let got = strings(&fetched["fetch"]["fetched_txids"]);
    let n = peels.len();
    // Hop 1 is the last peel itself (in the case); hops 2 and 3 are the two peels before it.
    let mut want = peels[n - 3..n - 1].to_vec();
    want.sort();
    assert_eq!(
        got, want,
        "walking back 3 hops fetches the 2 peels before the last one"
    );
    assert_eq!(
        fetched["fetch"]["outspends_asked"],
        serde_json::json!([]),
        "backward, the creator is named by the input: no outspends are needed"
    );
    let summary = demo(dir.path());
    let full_case = std::path::PathBuf::from(summary["case"].as_str().unwrap());
    let full = trace_json(
        dir.path(),
        &full_case,
        &[&start, "--backward", "--hops", "3"],
    );
    assert_eq!(
        fetched["addresses"], full["addresses"],
        "the backward trace over the fetched case equals that over the fully expanded case"
    );
}

#[test]
fn trace_fetch_offline_or_unreachable_is_a_clear_error_and_keeps_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, _, _) = ransomware_roles(dir.path());
    let case = thin_case(dir.path(), "thin.tbcase", &seed);
    let before = crate::util::digest(&case);
    let fail = |extra: &[&str]| {
        let out = tracebench(dir.path())
            .args(["trace", &seed, "--hops", "8", "--fetch"])
            .args(extra)
            .arg("--case")
            .arg(&case)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{extra:?} must fail");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = fail(&["--offline"]);
    assert!(
        err.contains("--fetch") && err.contains("--offline"),
        "names the contradiction: {err}"
    );
    assert_eq!(
        crate::util::digest(&case),
        before,
        "a refused --fetch leaves the case byte-identical"
    );
    let out = tracebench(dir.path())
        .args([
            "trace",
            &format!("eip155:1:0x{}:0", "ab".repeat(32)),
            "--fetch",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "an account-model start cannot --fetch"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("account-model") && err.contains("--fetch"),
        "says --fetch follows Bitcoin outputs only: {err}"
    );
    let err = fail(&["--source", "http://127.0.0.1:9"]);
    assert!(
        err.contains("unreachable") && err.contains("127.0.0.1:9"),
        "names the source and the failure: {err}"
    );
    assert_eq!(
        crate::util::digest(&case),
        before,
        "a fetch that got nothing leaves the case byte-identical"
    );
}
