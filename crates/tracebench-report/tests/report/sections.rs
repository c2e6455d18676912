//! Every section and every fact the exhibit must carry is in the text layer.

use crate::fixture::{self, CASE_ID};
use crate::poppler;

#[test]
fn every_section_and_key_fact_is_in_the_text() {
    let input = fixture::input(true);
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).concat();
    for title in [
        "Money flow graph",
        "Figure 1 of 3",
        "Key to figure 1",
        "Transactions",
        "Clusters",
        "Analyst notes",
        "Data provenance",
        "Contents",
    ] {
        assert!(
            text.contains(title),
            "section title {title:?} must be in the report"
        );
    }
    for fact in [
        CASE_ID,
        "Det. Insp. A. Øverland",
        "State Criminal Police Office, Cybercrime Unit 3",
        "Tracebench 0.1.0",
        "2024-05-03 14:05:09 UTC",
        "2024-05-01 08:30:00 UTC",
        "multi-input (common-input-ownership)",
        "GET /tx/",
        "?key=***",
    ] {
        assert!(text.contains(fact), "cover and sections must show {fact:?}");
    }
    for tx in &input.transactions {
        assert!(
            text.contains(&tx.txid),
            "the full txid {} must be printed on one line",
            tx.txid
        );
        assert!(
            text.contains(&tx.source_id),
            "each row names its source {}",
            tx.source_id
        );
    }
    for record in &input.provenance {
        assert!(
            text.contains(&record.sha256),
            "the full SHA-256 {} must be in the appendix",
            record.sha256
        );
    }
    for cluster in &input.clusters {
        for address in &cluster.addresses {
            assert!(
                text.contains(address.as_str()),
                "cluster member {address} must be listed"
            );
        }
    }
    assert!(
        text.contains("Note 1"),
        "analyst notes are labelled as notes"
    );
    assert!(
        text.contains("Second paragraph"),
        "a line break in a note keeps its text"
    );
}

#[test]
fn amounts_are_printed_in_btc_with_eight_decimals() {
    let input = fixture::input(false);
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).concat();
    for tx in &input.transactions {
        for sat in [Some(tx.input_sat), Some(tx.output_sat), tx.fee_sat]
            .into_iter()
            .flatten()
        {
            let btc = tracebench_report::btc(sat);
            assert!(
                text.contains(&btc),
                "amount {sat} sat must appear as {btc} BTC"
            );
        }
    }
    assert!(
        text.contains("4123.45678901"),
        "the seed balance keeps all eight decimals"
    );
    assert!(
        text.contains("21000000.00000000"),
        "the largest amount fits its cell in full"
    );
    assert!(
        text.contains("0.00001410"),
        "a small fee keeps its leading zeros"
    );
}

#[test]
fn empty_case_still_renders_every_section() {
    let mut input = fixture::input(false);
    input.graph.nodes.clear();
    input.graph.edges.clear();
    input.transactions.clear();
    input.clusters.clear();
    input.provenance.clear();
    input.notes.clear();
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).concat();
    assert!(
        text.contains("The case graph has no nodes."),
        "an empty graph is stated, not left blank"
    );
    assert!(
        text.contains("No clusters were inferred"),
        "missing clusters are stated"
    );
    assert!(
        text.contains("No raw responses are recorded."),
        "missing provenance is stated"
    );
}

#[test]
fn attributions_and_exposure_are_listed_with_their_sources() {
    use tracebench_report::{ReportAttribution, ReportExposure, ReportExposureCategory};
    let mut input = fixture::input(false);
    let plain = poppler::pages(&poppler::render(&input).path).concat();
    assert!(
        plain.contains("No address of the case carries an attribution."),
        "the register is always there and says when it is empty: an exhibit states what it lacks"
    );
    assert!(
        !plain.contains("Exposure"),
        "without exposure analyses the exposure section is left out"
    );
    let seed = input.notes[0].target.clone();
    input.attributions = vec![ReportAttribution {
        address: seed.clone(),
        label: "Example Exchange deposit".into(),
        category: "exchange".into(),
        source: "analyst CSV".into(),
        source_date: Some("2024-04-30".into()),
        confidence: 80,
    }];
    input.label_packs = Some("csv:analyst 2024-04-30.0123abcd".into());
    input.exposures = vec![ReportExposure {
        address: seed.clone(),
        direction: "outgoing".into(),
        total_sat: 200_000_000,
        model: "haircut".into(),
        hops: 5,
        decay_percent: None,
        categories: vec![ReportExposureCategory {
            category: "exchange".into(),
            direct_sat: 0,
            indirect_sat: 24_690_000,
            share: "12.34%".into(),
            min_hops: 3,
            via: vec![seed.clone()],
        }],
    }];
    let rendered = poppler::render(&input);
    let text = poppler::pages(&rendered.path).concat();
    for fact in [
        "Attribution register",
        "Attributions (third-party labels)",
        "Example Exchange deposit",
        "analyst CSV",
        "2024-04-30",
        "confidence 80/100",
        "csv:analyst 2024-04-30.0123abcd",
        "Exposure",
        "12.34%",
        "0.24690000",
        "no decay",
    ] {
        assert!(
            text.contains(fact),
            "the attribution sections must show {fact:?}"
        );
    }
    assert!(
        rendered.bytes == poppler::render(&input).bytes,
        "attributions keep the report deterministic"
    );
}
