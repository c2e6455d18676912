//! Attribution on the demo case: `tracebench exposure`, `screen --case`, `records import` and
//! the attribution register of `tracebench report`, with a label store prepared by
//! `tracebench labels import --format csv`.

use crate::util::{demo, json, pdf_text, run_ok, tracebench};

#[test]
fn exposure_screening_records_and_the_attribution_register() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let seed = summary["seed_address"].as_str().unwrap().to_string();
    let truth = json(&run_ok(tracebench(dir.path()).args(["sim", "truth"])));
    let roles = &truth["roles"];
    let deposit = roles["exchange_deposit_address"]
        .as_str()
        .unwrap()
        .to_string();
    let peels: Vec<String> = serde_json::from_value(roles["peel_chain_txids"].clone()).unwrap();

    let store = dir.path().join("labels.sqlite");
    let labels = dir.path().join("case-labels.csv");
    std::fs::write(
        &labels,
        format!(
            "address,label,category,source,confidence,chain,source_date\n\
             {deposit},Example Exchange deposit,exchange,Exchange KYC reply,95,BTC,2026-10-01\n"
        ),
    )
    .unwrap();
    run_ok(
        tracebench(dir.path())
            .args(["labels", "import", "--format", "csv"])
            .arg(&labels)
            .arg("--labels")
            .arg(&store),
    );

    let exp = json(&run_ok(
        tracebench(dir.path())
            .args(["exposure", &seed, "--case", &case, "--hops", "30", "--json"])
            .arg("--labels")
            .arg(&store),
    ));
    let cats = exp["categories"].as_array().unwrap();
    let exchange = cats
        .iter()
        .find(|c| c["category"] == "exchange")
        .expect("the ransom reaches the labelled exchange deposit");
    assert_eq!(
        exchange["via"],
        serde_json::json!([deposit]),
        "reached through the deposit address"
    );
    assert_eq!(
        exchange["min_hops"].as_u64(),
        Some(peels.len() as u64 + 1),
        "consolidation plus the peel chain, a hop per transaction"
    );
    assert_eq!(exp["model"], "haircut");
    assert!(
        exchange["share"].as_str().unwrap().ends_with('%'),
        "a share as a percentage"
    );

    let scr = json(&run_ok(
        tracebench(dir.path())
            .args(["screen", "--case", &case, "--json"])
            .arg("--labels")
            .arg(&store),
    ));
    let hits = scr["hits"].as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["address"] == deposit.as_str() && h["category"] == "exchange"),
        "screening the case flags the deposit address: {hits:?}"
    );
    assert!(
        scr["screened"].as_u64().unwrap() > 1,
        "every address of the case is screened"
    );
    assert!(
        scr["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["pack_id"].as_str().unwrap().starts_with("csv:")),
        "the pack versions used are listed: {}",
        scr["packs"]
    );

    // Exchange records: one bad line refuses the whole file.
    let last_peel = peels.last().unwrap();
    let bad = dir.path().join("answer-bad.csv");
    std::fs::write(
        &bad,
        format!(
            "account_id,address,txid,amount,time\n\
             U-77,{deposit},{last_peel},0.01,2026-03-01 10:00:00\n\
             U-77,{deposit},nothex,0.01,2026-03-01 10:00:00\n"
        ),
    )
    .unwrap();
    let out = tracebench(dir.path())
        .args(["records", "import"])
        .arg(&bad)
        .args(["--source", "Example Exchange", "--case", &case])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a file with a bad line is refused");
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 3") && said.contains("nothing imported"),
        "the bad line is named by number: {said}"
    );
    let listed = json(&run_ok(
        tracebench(dir.path()).args(["records", "list", "--case", &case, "--json"]),
    ));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "nothing was imported from the refused file"
    );
    let good = dir.path().join("answer.csv");
    std::fs::write(
        &good,
        format!(
            "account_id,address,txid,amount,time\n\
             U-77,{deposit},{last_peel},0.01,2026-03-01 10:00:00\n"
        ),
    )
    .unwrap();
    let imported = json(&run_ok(
        tracebench(dir.path())
            .args(["records", "import"])
            .arg(&good)
            .args(["--source", "Example Exchange", "--case", &case, "--json"]),
    ));
    assert_eq!(
        (imported["rows"].as_u64(), imported["linked"].as_u64()),
        (Some(1), Some(1)),
        "the record is imported and linked to the case"
    );

    let pdf = dir.path().join("report.pdf");
    run_ok(
        tracebench(dir.path())
            .args(["report", "--case", &case, "--out"])
            .arg(&pdf)
            .arg("--labels")
            .arg(&store),
    );
    let text = pdf_text(&pdf);
    for fact in [
        "Attribution register",
        "Attributions (third-party labels)",
        "Example Exchange deposit",
        "Exchange KYC reply",
        "exchange records: Example Exchange",
        "Screened against",
    ] {
        assert!(text.contains(fact), "the report shows {fact:?}");
    }
}

#[test]
fn an_entity_is_named_by_its_cluster_id_or_by_any_member() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let clusters = json(&run_ok(
        tracebench(dir.path()).args(["cluster", "--json", "--case", &case]),
    ));
    let cluster = clusters["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["addresses"].as_array().unwrap().len() > 1)
        .expect("the demo has a multi-input cluster");
    let id = cluster["id"].as_str().unwrap().to_string();
    let other_member = cluster["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .find(|a| format!("cluster:{a}") != id)
        .expect("a member that is not the one the id names")
        .to_string();
    // The result without the echo of what was typed.
    let exposure = |start: &str| {
        let mut v = json(&run_ok(
            tracebench(dir.path())
                .args(["exposure", start, "--case", &case, "--hops", "30", "--json"])
                .arg("--labels")
                .arg(dir.path().join("labels.sqlite")),
        ));
        assert_eq!(v["address"], start, "the start is echoed as typed");
        v.as_object_mut().unwrap().remove("address");
        v
    };
    assert_eq!(
        exposure(&id),
        exposure(&format!("cluster:{other_member}")),
        "cluster:<any member> names the same entity as its id {id}, as `paths` takes it"
    );
    let out = tracebench(dir.path())
        .args([
            "exposure",
            "cluster:1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            "--case",
            &case,
        ])
        .output()
        .unwrap();
    assert!(
        !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("neither a cluster of this case"),
        "an address outside every cluster is refused with a clear message: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
