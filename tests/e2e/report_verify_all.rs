//! `report verify` re-derives every figure of the exhibit (manifest format 3): the cover, the
//! scope, the methodology's measured error rates, the fiat values, the attribution register,
//! the audit-log excerpt, the data-provenance table and the coverage statement. Each change
//! made behind the tool's back in a copy of the case (a price rate, an exchange record's
//! account, a raw response's retrieval time), and a report stating another error rate than the
//! tool measures, is named by its row key; a format-2 manifest (row tables only, as earlier
//! builds wrote) is still read and compared on its own tables.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::util::{demo, report_verify as verify, run_ok, tracebench, verdict_items as names};

const EPOCH: &str = "1767225600";

/// A demo case holding a BTC/USD close on the date of a canvas transaction and an exchange
/// record for one of its output addresses: (case, txid, address).
fn case_with_rates_and_records(dir: &Path) -> (PathBuf, String, String) {
    let case = dir.join(demo(dir)["case"].as_str().unwrap());
    let (txid, address, day): (String, String, String) = {
        let c = rusqlite::Connection::open(&case).unwrap();
        c.query_row(
            "SELECT t.txid, o.address, date(t.block_time, 'unixepoch') FROM tx t
             JOIN tx_output o ON o.chain = t.chain AND o.txid = t.txid
             WHERE 'btc:tx:' || t.txid IN (SELECT node_id FROM canvas_node)
               AND o.address IS NOT NULL AND t.block_time IS NOT NULL
             ORDER BY t.txid, o.idx LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the demo canvas shows a confirmed transaction with an output address")
    };
    let prices = dir.join("btc-usd.csv");
    std::fs::write(
        &prices,
        format!("asset,time_utc,currency,rate,source\nBTC,{day}T23:59:59Z,USD,100000.00,sim:e2e-series\n"),
    )
    .unwrap();
    run_ok(
        tracebench(dir)
            .args(["prices", "import", "--case"])
            .arg(&case)
            .arg(&prices),
    );
    let records = dir.join("answer.csv");
    std::fs::write(
        &records,
        format!("account_id,address,txid,amount,time\nU-77,{address},{txid},0.01,{day} 10:00:00\n"),
    )
    .unwrap();
    run_ok(
        tracebench(dir)
            .args(["records", "import"])
            .arg(&records)
            .args(["--source", "Example Exchange", "--case"])
            .arg(&case),
    );
    (case, txid, address)
}

fn report(dir: &Path, case: &Path, out: &Path) {
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--no-labels", "--json", "--out"])
            .arg(out)
            .arg("--case")
            .arg(case),
    );
}

/// A copy of `case` changed by `sql` (which must change at least one row).
fn tampered(dir: &Path, case: &Path, name: &str, sql: &str) -> PathBuf {
    let copy = dir.join(name);
    std::fs::copy(case, &copy).unwrap();
    let n = rusqlite::Connection::open(&copy)
        .unwrap()
        .execute(sql, [])
        .unwrap();
    assert!(n >= 1, "{sql} changes a row of the copy");
    copy
}

/// The manifest of `pdf` as stored (XML-unescaped JSON).
fn manifest_text(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let inner = text
        .split("<tbr:manifest>")
        .nth(1)
        .and_then(|rest| rest.split("</tbr:manifest>").next())
        .expect("the XMP packet holds the manifest");
    inner
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> usize {
    from + hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{} is in the PDF", String::from_utf8_lossy(needle)))
}

/// `pdf` with its manifest replaced by `edit`'s (padded with spaces to the same length, so
/// every byte offset of the file holds) and the stated manifest hash updated to match: a
/// report whose seal is intact but states what `edit` makes it state.
fn resealed(pdf: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let open = find(pdf, b"<tbr:manifest>", 0) + "<tbr:manifest>".len();
    let close = find(pdf, b"</tbr:manifest>", open);
    let stored_len = close - open;
    let mut m: serde_json::Value = serde_json::from_str(&manifest_text(pdf)).unwrap();
    edit(&mut m);
    let mut json = serde_json::to_string(&m)
        .unwrap()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(
        json.len() <= stored_len,
        "the edited manifest fits in place"
    );
    json.push_str(&" ".repeat(stored_len - json.len()));
    let unescaped = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let old_hash = hex::encode(Sha256::digest(manifest_text(pdf).as_bytes()));
    let new_hash = hex::encode(Sha256::digest(unescaped.as_bytes()));
    let mut out = pdf.to_vec();
    out[open..close].copy_from_slice(json.as_bytes());
    let at = find(
        &out,
        format!("<tbr:manifestSHA256>{old_hash}</tbr:manifestSHA256>").as_bytes(),
        0,
    ) + "<tbr:manifestSHA256>".len();
    out[at..at + new_hash.len()].copy_from_slice(new_hash.as_bytes());
    out
}

#[test]
fn verify_re_derives_every_figure_and_names_each_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let (case, txid, address) = case_with_rates_and_records(dir.path());
    let pdf = dir.path().join("exhibit.pdf");
    report(dir.path(), &case, &pdf);
    let bytes = std::fs::read(&pdf).unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest_text(&bytes)).unwrap();
    assert_eq!(
        m["format"], "tracebench-report-manifest/3",
        "this build seals every figure (format 3)"
    );

    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(ok, "an untouched case matches every figure: {v}");
    let checked = names(&v, true);
    let label = "Example Exchange account U-77";
    for prefix in [
        "cover exhibit id".to_string(),
        "cover content hash".to_string(),
        "cover audit log head".to_string(),
        "scope summary of findings".to_string(),
        "error rate ".to_string(),
        "methodology valuation rule".to_string(),
        format!("fiat {txid}"),
        format!("attribution {address} {label}"),
        "attribution label packs".to_string(),
        "audit entry 1".to_string(),
        "provenance ".to_string(),
        "coverage incomplete histories".to_string(),
        "pages".to_string(),
    ] {
        assert!(
            checked.iter().any(|c| c.starts_with(&prefix)),
            "verify re-derives {prefix}…: {checked:?}"
        );
    }

    // Three hundred notes added behind the tool's back: the notes are named, and the exhibit
    // laid out again from the case has more pages than the "Page x of y" the report states.
    let changed = tampered(
        dir.path(),
        &case,
        "notes.tbcase",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO note (target, text, created_at)
         SELECT (SELECT node_id FROM canvas_node ORDER BY node_id LIMIT 1),
                'An added note, long enough to take a line of the notes chapter: ' || i,
                '2026-01-01T00:00:00Z' FROM n",
    );
    let (ok, v) = verify(dir.path(), &changed, &pdf);
    assert!(!ok, "added notes fail verification");
    let bad = names(&v, false);
    assert!(
        bad.contains(&"pages".to_string()),
        "the page count the report states is no longer what the case lays out: {bad:?}"
    );

    // A changed price rate: the fiat values of the transaction are named.
    let changed = tampered(
        dir.path(),
        &case,
        "rate.tbcase",
        "UPDATE price_rate SET rate = '100001.00'",
    );
    let (ok, v) = verify(dir.path(), &changed, &pdf);
    assert!(!ok, "a changed rate fails verification");
    let bad = names(&v, false);
    assert!(
        bad.contains(&format!("fiat {txid}")),
        "the changed rate is named by the transaction it values: {bad:?}"
    );

    // A changed exchange record: the register's row is named by address and label.
    let changed = tampered(
        dir.path(),
        &case,
        "record.tbcase",
        "UPDATE exchange_record SET account_id = 'U-78'",
    );
    let (ok, v) = verify(dir.path(), &changed, &pdf);
    assert!(!ok, "a changed attribution fails verification");
    let bad = names(&v, false);
    assert!(
        bad.iter()
            .any(|b| b.starts_with(&format!("attribution {address} {label}"))),
        "the attribution the report states is named: {bad:?}"
    );
    assert!(
        !bad.iter().any(|b| b.starts_with("fiat ")),
        "no fiat value changed with the record: {bad:?}"
    );

    // A raw response's retrieval time changed: its provenance row is named.
    let (source, sha): (String, String) = rusqlite::Connection::open(&case)
        .unwrap()
        .query_row(
            "SELECT source_id, sha256 FROM raw_response ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let changed = tampered(
        dir.path(),
        &case,
        "retrieved.tbcase",
        "UPDATE raw_response SET retrieved_at = '2020-01-01T00:00:00Z'
         WHERE id = (SELECT MIN(id) FROM raw_response)",
    );
    let (ok, v) = verify(dir.path(), &changed, &pdf);
    assert!(!ok, "a changed retrieval time fails verification");
    let bad = names(&v, false);
    let key = format!("provenance {source} {}", &sha[..16]);
    assert!(
        bad.contains(&key),
        "the response is named by its source and SHA-256 prefix ({key}): {bad:?}"
    );

    // A report stating another measured error rate than `tracebench validate` gives (one
    // row's digest changed, the seal re-made so it is intact): the rate is named.
    let rate_key = m["tables"]["error rate"]["digests"]
        .as_object()
        .and_then(|d| d.keys().next().cloned())
        .expect("the methodology's error rates are sealed");
    let other = resealed(&bytes, |m| {
        let d = &mut m["tables"]["error rate"]["digests"][&rate_key];
        *d = serde_json::Value::String("0".repeat(32));
    });
    let other_pdf = dir.path().join("other-rate.pdf");
    std::fs::write(&other_pdf, other).unwrap();
    let (ok, v) = verify(dir.path(), &case, &other_pdf);
    assert!(
        !ok,
        "a report stating another error rate fails verification"
    );
    let bad = names(&v, false);
    assert!(
        bad.contains(&format!("error rate {rate_key}")),
        "the error rate is named by group, heuristic and dataset: {bad:?}"
    );
    assert!(
        !bad.iter().any(|b| b == "manifest hash"),
        "the re-made seal is intact, so only the figure differs: {bad:?}"
    );
}

#[test]
fn a_format_2_manifest_is_compared_on_its_own_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (case, txid, _) = case_with_rates_and_records(dir.path());
    let pdf = dir.path().join("exhibit.pdf");
    report(dir.path(), &case, &pdf);
    const FORMAT_2: [&str; 9] = [
        "transaction",
        "cluster",
        "note",
        "narrative hop",
        "story step",
        "figure node",
        "figure edge",
        "EVM transfer",
        "EVM trace",
    ];
    let old = resealed(&std::fs::read(&pdf).unwrap(), |m| {
        m["format"] = "tracebench-report-manifest/2".into();
        m["tables"]
            .as_object_mut()
            .unwrap()
            .retain(|name, _| FORMAT_2.contains(&name.as_str()));
    });
    let old_pdf = dir.path().join("format-2.pdf");
    std::fs::write(&old_pdf, old).unwrap();
    let (ok, v) = verify(dir.path(), &case, &old_pdf);
    assert!(
        ok,
        "a format-2 report verifies against its untouched case: {v}"
    );
    let checked = names(&v, true);
    assert!(
        checked.contains(&format!("narrative hop {txid}")),
        "its row tables are compared: {checked:?}"
    );
    assert!(
        !checked
            .iter()
            .any(|c| c.starts_with("cover ") || c.starts_with("fiat ")),
        "format 3's tables are not asked of a format-2 report: {checked:?}"
    );

    let changed = tampered(
        dir.path(),
        &case,
        "rate.tbcase",
        "UPDATE price_rate SET rate = '100001.00'",
    );
    let (ok, v) = verify(dir.path(), &changed, &old_pdf);
    assert!(!ok, "a changed rate still fails a format-2 report");
    let bad = names(&v, false);
    assert!(
        bad.contains(&format!("narrative hop {txid}")),
        "format 2 names the changed fiat value by its narrative hop: {bad:?}"
    );
}

#[test]
fn the_label_store_register_and_exposure_are_re_derived_and_a_changed_label_named() {
    let dir = tempfile::tempdir().unwrap();
    let (case, txid, address) = case_with_rates_and_records(dir.path());
    // An exposure from an input address of the transaction paying the labelled address.
    let from: String = rusqlite::Connection::open(&case)
        .unwrap()
        .query_row(
            "SELECT address FROM tx_input WHERE txid = ?1 AND address IS NOT NULL
             ORDER BY idx LIMIT 1",
            [&txid],
            |r| r.get(0),
        )
        .expect("the transaction spends from an address");
    let store = dir.path().join("labels.sqlite");
    let labels = dir.path().join("labels.csv");
    std::fs::write(
        &labels,
        format!(
            "address,label,category,source,confidence\n{address},Suspect deposit,exchange,Case 12 subpoena,70\n"
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
    let pdf = dir.path().join("exhibit.pdf");
    run_ok(
        tracebench(dir.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--json", "--exposure", &from, "--labels"])
            .arg(&store)
            .arg("--out")
            .arg(&pdf)
            .arg("--case")
            .arg(&case),
    );
    let verify_with = |case: &Path| {
        let out = tracebench(dir.path())
            .args(["report", "verify", "--json", "--labels"])
            .arg(&store)
            .arg("--case")
            .arg(case)
            .arg(&pdf)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "verify prints JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.success(), v)
    };
    let (ok, v) = verify_with(&case);
    assert!(
        ok,
        "the register screened from the label store re-derives (read only): {v}"
    );
    let key = format!("attribution {address} Suspect deposit");
    let exposure = format!("exposure {from} outgoing, 10 hops");
    for name in [&key, &exposure] {
        assert!(
            names(&v, true).contains(name),
            "{name} is re-derived from the case and the label store: {:?}",
            names(&v, true)
                .into_iter()
                .filter(|n| n.starts_with("expos") || n.starts_with("attribution"))
                .collect::<Vec<_>>()
        );
    }

    // A store given that does not exist: the register cannot be re-derived, and says why.
    let out = tracebench(dir.path())
        .args(["report", "verify", "--json", "--labels"])
        .arg(dir.path().join("missing.sqlite"))
        .arg("--case")
        .arg(&case)
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a missing label store fails verification"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "attribution register source")
        .unwrap_or_else(|| panic!("the register's source is an item: {v}"));
    assert!(
        source["derived"]
            .as_str()
            .is_some_and(|d| d.contains("missing.sqlite") && d.contains("does not exist")),
        "the item names the missing store: {source}"
    );
    assert!(
        !dir.path().join("missing.sqlite").exists(),
        "verify does not create a store it was pointed at"
    );

    // The label's category and confidence changed in the store after the export.
    let n = rusqlite::Connection::open(&store)
        .unwrap()
        .execute(
            "UPDATE label SET confidence = 40, category = 'ransomware'
             WHERE label = 'Suspect deposit'",
            [],
        )
        .unwrap();
    assert_eq!(n, 1, "the imported label is in the store");
    let (ok, v) = verify_with(&case);
    assert!(!ok, "a changed confidence fails verification");
    let bad = names(&v, false);
    assert!(
        bad.contains(&key),
        "the attribution is named by address and label: {bad:?}"
    );
    assert!(
        bad.contains(&exposure),
        "the exposure reaching the relabelled address is named: {bad:?}"
    );
}
