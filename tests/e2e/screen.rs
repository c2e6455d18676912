//! `tracebench screen` and `tracebench labels`: screening against the built-in pack on a fresh
//! install, strict imports, and refusing a foreign --labels file.

use crate::util::{json, run_ok, tracebench};

#[test]
fn screen_flags_ofac_and_ransomware_addresses_on_a_fresh_install() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("addresses.txt");
    std::fs::write(
        &list,
        "# seized wallet export\n\
         1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n\
         \n\
         0x722122df12d4e14e13ac3b6895a86e84145b6967\n\
         13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94\n\
         123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX\n\
         bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5\n",
    )
    .unwrap();
    let out = json(&run_ok(
        tracebench(dir.path())
            .arg("screen")
            .arg(&list)
            .arg("--json"),
    ));
    assert_eq!(
        out["screened"], 5,
        "five addresses; the comment and blank line are skipped"
    );
    let hits = out["hits"].as_array().unwrap();
    let addresses: Vec<&str> = hits
        .iter()
        .map(|h| h["address"].as_str().unwrap())
        .collect();
    let mut sorted = addresses.clone();
    sorted.sort();
    assert_eq!(addresses, sorted, "hits are sorted by address");
    for clean in [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5",
    ] {
        assert!(!addresses.contains(&clean), "{clean} is on no list");
    }
    let hit = |addr: &str, source: &str| {
        hits.iter()
            .find(|h| h["address"] == addr && h["source"].as_str().unwrap().contains(source))
    };
    let eth = hit(
        "0x722122df12d4e14e13ac3b6895a86e84145b6967",
        "OFAC SDN list (ETH)",
    )
    .expect("the lower-cased OFAC ETH address is flagged");
    assert_eq!(
        (
            eth["chain"].as_str(),
            eth["category"].as_str(),
            eth["confidence"].as_u64()
        ),
        (Some("ETH"), Some("sanctioned"), Some(100)),
        "the hit names the chain its list gave"
    );
    let keys: Vec<&String> = eth.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "address",
            "category",
            "chain",
            "confidence",
            "label",
            "source",
            "source_date"
        ],
        "a hit has exactly the documented fields"
    );
    assert!(
        hit("123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX", "OFAC SDN list (XBT)").is_some(),
        "OFAC BTC"
    );
    let wannacry = hit("13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94", "ransomware.yaml").expect("WannaCry");
    assert_eq!(wannacry["category"], "ransomware", "ransomware category");
    assert!(
        dir.path().join("data/labels.sqlite").exists(),
        "the default store is <data dir>/labels.sqlite"
    );
}

#[test]
fn a_malformed_csv_is_rejected_with_line_numbers_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("labels.sqlite");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "address,label,category,source,confidence\n\
         bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5,Suspect deposit,exchange,Case 12 subpoena,70\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "address,label,category,source,confidence\n\
         12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkg,Someone,exchange,Case 12,70\n\
         12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkX,Typo,exchange,Case 12,70\n\
         12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkg,Someone,exchange,Case 12,seventy\n",
    )
    .unwrap();
    let out = tracebench(dir.path())
        .args(["labels", "import", "--format", "csv"])
        .arg(&bad)
        .arg("--labels")
        .arg(&store)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a file with invalid lines fails");
    assert!(
        stderr.contains("line 3:") && stderr.contains("line 4:") && !stderr.contains("line 2:"),
        "each bad line is named, the good one is not: {stderr}"
    );
    let listed = json(&run_ok(
        tracebench(dir.path())
            .args([
                "labels",
                "list",
                "12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkg",
                "--json",
                "--labels",
            ])
            .arg(&store),
    ));
    assert_eq!(
        listed["labels"],
        serde_json::json!([]),
        "line 2 was not imported either"
    );

    let report = json(&run_ok(
        tracebench(dir.path())
            .args(["labels", "import", "--format", "csv", "--json"])
            .arg(&good)
            .arg("--labels")
            .arg(&store),
    ));
    assert_eq!(
        (report["imported"].as_u64(), report["duplicates"].as_u64()),
        (Some(1), Some(0)),
        "the good file imports its one label: {report}"
    );
}

#[test]
fn a_foreign_file_given_as_labels_is_refused_and_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::util::demo(dir.path());
    let case = std::path::PathBuf::from(demo["case"].as_str().unwrap());
    let before = std::fs::read(&case).unwrap();
    let list = dir.path().join("a.txt");
    std::fs::write(&list, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n").unwrap();
    let out = tracebench(dir.path())
        .arg("screen")
        .arg(&list)
        .arg("--labels")
        .arg(&case)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a case file is not a label store");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a Tracebench label store"),
        "the refusal says why"
    );
    assert_eq!(
        std::fs::read(&case).unwrap(),
        before,
        "the case file was not touched"
    );
}
