//! The full court exhibit (issue 6 item 1): cover, scope, summary, narrative, methodology and
//! appendices, the four voices, the exhibit id on every page, and A4 and US Letter paper.

use crate::fixture::{self, EXHIBIT_ID, QUESTION, SUMMARY, VALIDATION_PRECISION};
use crate::poppler;
use tracebench_report::{Paper, DEFAULT_CLASSIFICATION};

/// Text with runs of whitespace collapsed, so wrapped and column-laid text can be searched.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_chapter_of_the_court_exhibit_is_there_in_order() {
    let pdf = poppler::render(&fixture::input(false));
    let text = poppler::pages(&pdf.path).concat();
    let chapters = [
        "Scope",
        "Summary of findings",
        "Money flow graph",
        "Hop-by-hop narrative",
        "Methodology",
        "Analyst notes",
        "Appendix A · Transactions",
        "Appendix B · Clusters and membership",
        "Appendix C · Attribution register",
        "Appendix D · Audit log excerpt",
        "Appendix E · Data provenance",
        "Appendix F · Coverage",
    ];
    let outline = poppler::run("pdftotext", &["-l", "1", "-layout"], &pdf.path);
    let mut last = 0;
    for chapter in chapters {
        let at = outline
            .find(chapter)
            .unwrap_or_else(|| panic!("the cover's contents must list {chapter:?}:\n{outline}"));
        assert!(
            at >= last,
            "{chapter:?} must come after the chapter before it in the contents"
        );
        last = at;
        assert!(
            text.matches(chapter).count() >= 2,
            "{chapter:?} must head its own chapter as well as appear in the contents"
        );
    }
    for sub in [
        "The question asked",
        "Starting points (seeds) and their origin",
        "How to read this report",
        "Data sources and chains covered",
        "Heuristics and detectors",
        "Measured error rates (tracebench validate)",
        "Tracing model",
        "CoinJoins, services and bridges",
        "Fiat valuation",
        "Known limitations",
        "Paging limits and address histories",
        "Unresolved outputs",
        "Not fetched",
    ] {
        assert!(
            text.contains(sub),
            "the section {sub:?} must be in the report"
        );
    }
}

#[test]
fn the_cover_names_exhibit_examiner_tool_build_time_and_marking() {
    let input = fixture::input(false);
    let pdf = poppler::render(&input);
    let cover = flat(&poppler::pages(&pdf.path)[0]);
    for (what, value) in [
        ("exhibit id", EXHIBIT_ID),
        ("case id", fixture::CASE_ID),
        ("examiner", "Det. Insp. A. Øverland"),
        ("agency", "State Criminal Police Office, Cybercrime Unit 3"),
        ("tool and version", "Tracebench 0.1.0"),
        ("build hash (first 12 hex digits)", "0123456789ab"),
        ("generation time in UTC", "2024-05-03 14:05:09 UTC"),
        ("default classification", DEFAULT_CLASSIFICATION),
        ("audit log head", &input.audit[1].hash),
    ] {
        assert!(
            cover.contains(value),
            "the cover must show the {what} {value:?}:\n{cover}"
        );
    }
}

#[test]
fn scope_summary_and_narrative_cite_their_facts() {
    let input = fixture::input(false);
    let pdf = poppler::render(&input);
    let text = flat(&poppler::pages(&pdf.path).concat());
    assert!(text.contains(QUESTION), "the question asked is printed");
    assert!(text.contains(SUMMARY), "the analyst's summary is printed");
    assert!(
        text.contains(&input.seeds[0].node_id),
        "each seed is named with its full id"
    );
    assert!(text.contains("(audit entry #2)"), "and where it came from");
    // The first hop: txid, block height and UTC time in one claim, amounts exact.
    let hop = &input.hops[0];
    let claim = format!(
        "Transaction {} (block 842100, 2024-05-01 12:00:00 UTC) spent 1 input(s) totalling \
         4123.45678901 BTC (412345678901 sat)",
        hop.txid
    );
    assert!(
        text.contains(&claim),
        "the narrative cites txid, block height, UTC time and the exact amount: {claim}"
    );
    assert!(
        text.contains(&format!(
            "{} BTC ({} sat)",
            tracebench_report::btc(hop.outputs[0].amount_sat),
            hop.outputs[0].amount_sat
        )),
        "every output amount is exact in BTC and satoshi"
    );
    assert!(
        text.contains("Fiat value: no rate."),
        "a transfer without a known rate says so"
    );
    assert!(
        text.contains("Joins addresses into cluster C-0001 by multi-input (confidence 90)."),
        "inferences about a transaction follow it"
    );
}

#[test]
fn methodology_prints_heuristics_and_measured_error_rates() {
    let input = fixture::input(false);
    let pdf = poppler::render(&input);
    let text = flat(&poppler::pages(&pdf.path).concat());
    for (what, value) in [
        ("the profile", "Clustering profile: conservative."),
        (
            "a heuristic switched on",
            "multi-input (on): Common-input ownership.",
        ),
        (
            "a heuristic switched off",
            "change:power_of_ten (off): Round values are payments.",
        ),
        ("its parameters", "digits = 6"),
        (
            "a measured row",
            "coinjoin: whirlpool captures 36 1 0 12 0 0",
        ),
        ("its precision", VALIDATION_PRECISION),
        (
            "a row measured on synthetic data",
            "sim:ransomware:1 (synthetic data)",
        ),
        (
            "what is validated on synthetic data only",
            "validated on: synthetic-only",
        ),
        ("literature", "Möser & Narayanan"),
        (
            "case law",
            "D'Aloia v Persons Unknown [2024] EWHC 2342 (Ch)",
        ),
        (
            "the valuation rule",
            "No price series is held by this case.",
        ),
    ] {
        assert!(
            text.contains(value),
            "the methodology must show {what}: {value:?}"
        );
    }
}

#[test]
fn facts_inferences_attributions_and_notes_carry_their_own_tags() {
    let mut input = fixture::input(false);
    input.attributions = vec![tracebench_report::ReportAttribution {
        address: input.seeds[0].node_id.clone(),
        label: "Example Exchange deposit".into(),
        category: "exchange".into(),
        source: "analyst CSV".into(),
        source_date: Some("2024-04-30".into()),
        confidence: 80,
    }];
    let pdf = poppler::render(&input);
    let pages = poppler::pages(&pdf.path);
    // Each chapter uses its voice's tag in its own pages, not only in the reading guide.
    for (chapter, tag) in [
        ("Hop-by-hop narrative", "FACT"),
        ("Hop-by-hop narrative", "INFERENCE"),
        ("Appendix C · Attribution register", "ATTRIBUTION"),
        ("Analyst notes", "ANALYST NOTE"),
        ("Summary of findings", "ANALYST NOTE"),
    ] {
        assert!(
            pages.iter().skip(1).any(|p| p.contains(chapter)
                && p.contains(tag)
                && !p.contains("How to read this report")),
            "the {chapter:?} pages must tag their statements {tag:?}, readable in greyscale"
        );
    }
    let text = pages.concat();
    let text = flat(&text);
    assert!(
        text.contains("joined to") && text.contains("· multi-input · confidence 90"),
        "cluster members name the merge that put them there"
    );
    assert!(
        text.contains("first member (the cluster's root)"),
        "the cluster's root is named"
    );
}

#[test]
fn the_audit_excerpt_and_coverage_are_printed() {
    let input = fixture::input(false);
    let pdf = poppler::render(&input);
    let text = flat(&poppler::pages(&pdf.path).concat());
    for entry in &input.audit {
        assert!(
            text.contains(&entry.hash),
            "audit entry {} prints its full hash",
            entry.seq
        );
    }
    assert!(
        text.contains(&format!("--expect-head {}", input.audit[1].hash)),
        "the check against the printed head is spelled out"
    );
    assert!(
        text.contains("at most 40 page(s) per address"),
        "the paging limit is stated"
    );
    assert!(
        text.contains(&input.coverage.unresolved_outputs[0]),
        "unresolved outputs are listed"
    );
}

/// (width, height) in points from pdfinfo's "Page size:" line.
fn page_size(pdf: &std::path::Path) -> (f64, f64) {
    let info = poppler::run("pdfinfo", &[], pdf);
    let line = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .expect("pdfinfo reports the page size");
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a4_and_us_letter_are_both_laid_out_and_numbered() {
    let mut input = fixture::input(true);
    input.settings.classification = "OFFICIAL-SENSITIVE".to_string();
    for (paper, expected, name) in [
        (Paper::A4, (595.28, 841.89), "A4"),
        (Paper::Letter, (612.0, 792.0), "letter"),
    ] {
        input.settings.paper = paper;
        let pdf = poppler::render(&input);
        let (w, h) = page_size(&pdf.path);
        assert!(
            (w - expected.0).abs() < 0.6 && (h - expected.1).abs() < 0.6,
            "{name}: pdfinfo must report {expected:?} pt, got ({w}, {h})"
        );
        let info = poppler::run("pdfinfo", &[], &pdf.path);
        assert!(
            info.contains(&format!("({name})")),
            "pdfinfo names the paper {name}: {info}"
        );
        let pages = poppler::pages(&pdf.path);
        let total = poppler::page_count(&pdf.path);
        assert_eq!(pages.len(), total, "{name}: pdftotext and pdfinfo agree");
        for (i, page) in pages.iter().enumerate() {
            for must in [
                format!("Page {} of {total}", i + 1),
                format!("Exhibit {EXHIBIT_ID}"),
                "OFFICIAL-SENSITIVE".to_string(),
            ] {
                assert!(
                    page.contains(&must),
                    "{name} page {} must carry {must:?}",
                    i + 1
                );
            }
        }
    }
}
