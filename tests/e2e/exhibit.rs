//! The court exhibit of the demo case through the real CLI (issue 6 item 1): every section,
//! cited figures (a txid with its block height and UTC time; the error rates equal to
//! `tracebench validate --json`'s), embedded fonts, "Page x of y", A4 and US Letter, exhibit
//! options, byte-identical regeneration, and bad options that leave the case untouched. The
//! rendered pages are kept as PNG under the target's test temp dir for looking at.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{demo, json, pdf_text, run_ok, sim_truth, tracebench};

const EPOCH: &str = "1767225600";

/// Text with whitespace runs collapsed, so wrapped text and table rows can be searched.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{name} must read {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn info_field(pdf: &Path, field: &str) -> String {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix(field).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("pdfinfo reports {field}"))
}

/// `tracebench report` on the demo case with the given extra options, under SOURCE_DATE_EPOCH.
fn report(dir: &Path, case: &str, out: &Path, extra: &[&str]) {
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--offline", "--case", case, "--out"])
            .arg(out)
            .args(extra),
    );
}

/// Keeps the pages as PNG for a human to look at: `<target tmp>/e2e-exhibit/<name>-NN.png`.
fn keep_pages(pdf: &Path, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-exhibit");
    std::fs::create_dir_all(&dir).expect("create the artefact dir");
    let status = Command::new("pdftoppm")
        .args(["-r", "50", "-png"])
        .arg(pdf)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm (poppler-utils) must be installed");
    assert!(status.success(), "pdftoppm must rasterise every page");
    dir
}

#[test]
fn the_demo_exhibit_has_every_section_and_cites_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let pdf = dir.path().join("exhibit.pdf");
    report(
        dir.path(),
        case,
        &pdf,
        &[
            "--exhibit-id",
            "EXH-2026-07",
            "--classification",
            "OFFICIAL-SENSITIVE",
            "--question",
            "Where did the ransom paid to the seed address go?",
            "--summary",
            "The ransom was consolidated and peeled towards exchange deposits.",
        ],
    );
    let raw = pdf_text(&pdf);
    let text = flat(&raw);
    for heading in [
        "Scope",
        "The question asked",
        "Starting points (seeds) and their origin",
        "How to read this report",
        "Summary of findings",
        "Money flow graph",
        "Hop-by-hop narrative",
        "Methodology",
        "Data sources and chains covered",
        "Heuristics and detectors",
        "Measured error rates (tracebench validate)",
        "Tracing model",
        "CoinJoins, services and bridges",
        "Fiat valuation",
        "Known limitations",
        "Appendix A · Transactions",
        "Appendix B · Clusters and membership",
        "Appendix C · Attribution register",
        "Appendix D · Audit log excerpt",
        "Appendix E · Data provenance",
        "Appendix F · Coverage",
    ] {
        assert!(
            text.contains(heading),
            "the exhibit must have the section {heading:?}"
        );
    }
    for (what, value) in [
        (
            "the question",
            "Where did the ransom paid to the seed address go?",
        ),
        (
            "the summary",
            "The ransom was consolidated and peeled towards exchange deposits.",
        ),
        (
            "the generation time from SOURCE_DATE_EPOCH",
            "Generated (UTC) 2026-01-01 00:00:00 UTC",
        ),
        ("the chains covered", "Chain covered: Bitcoin"),
        ("the unsupported chain", "TRON is not supported"),
        (
            "the clustering profile",
            "Clustering profile: conservative.",
        ),
        ("a heuristic switched off", "change:power_of_ten (off)"),
        ("the seed's origin", "Added as a starting point by"),
    ] {
        assert!(
            text.contains(value),
            "the exhibit must show {what}: {value:?}"
        );
    }
    let seed = summary["seed_address"].as_str().unwrap();
    assert!(
        text.contains(seed),
        "the seed address {seed} is named in the scope"
    );

    // A cited fact: the consolidation txid with its block height and UTC time, from the case.
    let truth = sim_truth(dir.path(), "ransomware");
    let txid = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let db = rusqlite::Connection::open(case).unwrap();
    let (height, time): (i64, i64) = db
        .query_row(
            "SELECT block_height, block_time FROM tx WHERE txid = ?1",
            [txid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the case holds the consolidation");
    drop(db);
    let when = chrono_free_utc(time);
    let claim = format!("Transaction {txid} (block {height}, {when}) spent");
    assert!(
        text.contains(&claim),
        "the narrative cites the txid with its block height and UTC time: {claim:?}"
    );

    // Every measured error rate equals `tracebench validate --json`'s.
    let v = json(&run_ok(tracebench(dir.path()).args(["validate", "--json"])));
    let mut rows = 0;
    for (group, list) in [("coinjoin", &v["coinjoin"]), ("change", &v["change"])] {
        for r in list.as_array().unwrap() {
            let dataset = r["dataset"].as_str().unwrap();
            let line = format!(
                "{group}: {} {dataset}{} {} {} {} {} {} {} {} {}",
                r["name"].as_str().unwrap(),
                if r["synthetic"].as_bool().unwrap() {
                    " (synthetic data)"
                } else {
                    ""
                },
                r["tp"],
                r["fp"],
                r["fn"],
                r["tn"],
                r["unknown"],
                r["not_applicable"],
                r["precision"].as_str().unwrap(),
                r["recall"].as_str().unwrap(),
            );
            assert!(
                text.contains(&line),
                "the methodology must print the validate row {line:?}"
            );
            rows += 1;
        }
    }
    assert!(
        rows > 10,
        "validate scores every detector and heuristic: {rows} rows"
    );
    for c in v["coverage"].as_array().unwrap() {
        let line = format!(
            "{} — validated on: {}.",
            c["name"].as_str().unwrap(),
            c["validated_on"].as_str().unwrap()
        );
        assert!(
            text.contains(&line),
            "the report says how far each is validated: {line:?}"
        );
    }
    assert!(
        text.contains("validated on: synthetic-only"),
        "the detectors validated only on synthetic data are named as such"
    );

    // Fonts, page numbering, header on every page.
    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "the report uses fonts");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "every font is embedded: {row}");
    }
    let n: usize = info_field(&pdf, "Pages:").parse().unwrap();
    let pages: Vec<&str> = raw
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(
        pages.len(),
        n,
        "pdftotext and pdfinfo agree on the page count"
    );
    for (i, page) in pages.iter().enumerate() {
        for must in [
            format!("Page {} of {n}", i + 1),
            "Exhibit EXH-2026-07".to_string(),
            "OFFICIAL-SENSITIVE".to_string(),
            "SYNTHETIC – TRAINING DATA".to_string(),
        ] {
            assert!(page.contains(&must), "page {} must carry {must:?}", i + 1);
        }
    }
    assert!(
        info_field(&pdf, "Page size:").contains("(A4)"),
        "A4 is the default paper"
    );
    let kept = keep_pages(&pdf, "demo-a4");
    assert!(
        kept.join("demo-a4-01.png").exists() || kept.join("demo-a4-001.png").exists(),
        "the cover is kept as PNG"
    );
}

/// Unix seconds as "YYYY-MM-DD HH:MM:SS UTC" (civil-from-days, so the test needs no date crate).
fn chrono_free_utc(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[test]
fn letter_paper_and_regeneration_are_byte_identical_per_paper() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let mut bytes = Vec::new();
    for name in ["l1.pdf", "l2.pdf"] {
        let out = dir.path().join(name);
        report(dir.path(), case, &out, &["--paper", "letter"]);
        bytes.push(std::fs::read(&out).unwrap());
    }
    assert!(
        bytes[0] == bytes[1],
        "two reports from the same case under the same SOURCE_DATE_EPOCH are byte-identical \
         (screening again and the export entry change nothing the report reads); text diff: {}",
        text_diff(&dir.path().join("l1.pdf"), &dir.path().join("l2.pdf"))
    );
    let letter = dir.path().join("l1.pdf");
    assert!(
        info_field(&letter, "Page size:").contains("(letter)"),
        "--paper letter gives US Letter pages"
    );
    let n: usize = info_field(&letter, "Pages:").parse().unwrap();
    assert!(
        pdf_text(&letter).contains(&format!("Page {n} of {n}")),
        "the last Letter page is numbered against the real page count"
    );
    keep_pages(&letter, "demo-letter");
}

/// The first differing line of two PDFs' text, for a readable failure message.
fn text_diff(a: &Path, b: &Path) -> String {
    let (a, b) = (pdf_text(a), pdf_text(b));
    a.lines().zip(b.lines()).find(|(x, y)| x != y).map_or_else(
        || "the text is the same; the bytes differ".to_string(),
        |(x, y)| format!("{x:?} vs {y:?}"),
    )
}

#[test]
fn bad_exhibit_options_are_named_and_leave_the_case_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let before = std::fs::read(case).unwrap();
    let out = dir.path().join("bad.pdf");
    for (args, names) in [
        (vec!["--paper", "legal"], "legal"),
        (
            vec!["--summary-file", "no-such-summary.txt"],
            "no-such-summary.txt",
        ),
    ] {
        let result = tracebench(dir.path())
            .args(["report", "--offline", "--case", case, "--out"])
            .arg(&out)
            .args(&args)
            .output()
            .unwrap();
        assert!(!result.status.success(), "{args:?} must be refused");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains(names),
            "the error names what was wrong ({names}): {stderr}"
        );
        assert!(!out.exists(), "no report is written for {args:?}");
        assert_eq!(
            std::fs::read(case).unwrap(),
            before,
            "a refused report leaves the case file byte for byte as it was"
        );
    }
}

#[test]
fn fiat_values_cite_their_rate_and_a_missing_rate_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let truth = sim_truth(dir.path(), "ransomware");
    let txid = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let db = rusqlite::Connection::open(case).unwrap();
    let (time, value): (i64, i64) = db
        .query_row(
            "SELECT t.block_time, o.value FROM tx t JOIN tx_output o ON o.chain = t.chain AND o.txid = t.txid \
             WHERE t.txid = ?1 ORDER BY o.idx LIMIT 1",
            [txid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the case holds the consolidation and its first output");
    drop(db);
    let day = &chrono_free_utc(time)[..10];
    let day_before = &chrono_free_utc(time - 86_400)[..10];
    let import = |name: &str, date: &str| {
        let csv = dir.path().join(name);
        std::fs::write(
            &csv,
            format!(
                "asset,time_utc,currency,rate,source\nBTC,{date}T23:59:59Z,USD,100000.00,sim:e2e-series\n"
            ),
        )
        .unwrap();
        run_ok(
            tracebench(dir.path())
                .args(["prices", "import", "--case", case])
                .arg(&csv),
        );
    };
    // First only the day before: the transaction's own date has no rate.
    import("before.csv", day_before);
    let pdf = dir.path().join("no-rate.pdf");
    report(dir.path(), case, &pdf, &[]);
    let text = flat(&pdf_text(&pdf));
    assert!(
        text.contains(&format!("Fiat value: no rate (USD daily close on {day}).")),
        "a day without a rate says \"no rate\": the day before is not used, nothing interpolated"
    );
    assert!(
        !text.contains("Fiat values at 1 BTC"),
        "and no transaction is valued with another day's rate"
    );
    // Then the day's own close.
    import("day.csv", day);
    let pdf = dir.path().join("fiat.pdf");
    report(dir.path(), case, &pdf, &[]);
    let text = flat(&pdf_text(&pdf));
    // 1 BTC = 100000.00 USD: cents = sat / 10, rounded half to even.
    let sat = value as u64;
    let (q, r) = (sat / 10, sat % 10);
    let cents = if r > 5 || (r == 5 && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    let leg = format!("({sat} sat), {}.{:02} USD", cents / 100, cents % 100);
    assert!(
        text.contains(&leg),
        "the consolidation's first output is valued exactly at the day's close: {leg:?}"
    );
    assert!(
        text.contains(&format!(
            "Fiat values at 1 BTC = 100000.00 USD (sim:e2e-series, rate of {day}T23:59:59Z"
        )),
        "the narrative cites the rate, its source and its time"
    );
    assert!(
        text.contains("Transfers are valued in USD by the rule: daily UTC close"),
        "the methodology states the valuation rule"
    );
}
