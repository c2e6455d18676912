//! The sensitivity annex and the examiner's choice of chapters, read back with pdftotext.

use tracebench_report::{
    read_seal, settings_hash, ReportSensitivity, Section, SensitivityAmount,
    SensitivityClusterToggle, SensitivityShift, SensitivityTrace, SensitivityTraceToggle,
    SENSITIVITY_TITLE,
};

use crate::fixture;
use crate::poppler;

const MOVED: &str = "bc1qmovedaddressxxxxxxxxxxxxxxxxxxxxxxxxx";
const GAINER: &str = "bc1qgainerxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const LOSER: &str = "bc1qloserxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

fn annex() -> ReportSensitivity {
    ReportSensitivity {
        profile: "conservative".to_string(),
        heuristics: vec!["multi_input".to_string()],
        clusters: 2,
        cluster_toggles: vec![
            SensitivityClusterToggle {
                heuristic: "multi_input".to_string(),
                enabled: false,
                clusters: 0,
                splits: vec![SensitivityShift {
                    cluster: "cluster:bc1qaaaa".to_string(),
                    parts: 3,
                    moved: vec![MOVED.to_string()],
                }],
                merges: Vec::new(),
            },
            SensitivityClusterToggle {
                heuristic: "change:round_amount".to_string(),
                enabled: true,
                clusters: 2,
                splits: Vec::new(),
                merges: Vec::new(),
            },
        ],
        traces: vec![SensitivityTrace {
            start: "bc1qseedxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_string(),
            model: "haircut".to_string(),
            direction: "forward".to_string(),
            hops: 6,
            destinations: 4,
            toggles: vec![SensitivityTraceToggle {
                heuristic: "model:poison".to_string(),
                enabled: true,
                gains: vec![SensitivityAmount {
                    address: GAINER.to_string(),
                    before_sat: 1_000,
                    after_sat: 123_456_789,
                }],
                losses: vec![SensitivityAmount {
                    address: LOSER.to_string(),
                    before_sat: 50_000_000,
                    after_sat: 7,
                }],
            }],
        }],
        untraced: vec!["btc:tx:abcd (a transaction seed)".to_string()],
    }
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_annex_lists_each_toggle_with_exact_amounts_as_inferences() {
    let mut input = fixture::input(true);
    input.settings.sensitivity = true;
    input.sensitivity = Some(annex());
    let pdf = poppler::render(&input);
    let text = squeeze(&poppler::pages(&pdf.path).concat());
    for expected in [
        SENSITIVITY_TITLE,
        "How to read this annex.",
        "multi_input switched off: 0 cluster(s) instead of 2; 1 split, 0 form.",
        "Cluster cluster:bc1qaaaa splits into 3 parts; moved:",
        "change:round_amount switched on: no cluster changes (2 cluster(s)).",
        "model:poison switched on: 1 destination(s) gain, 1 lose tainted value.",
        GAINER,
        LOSER,
        "123456789",
        "+1.23455789",
        "-0.49999993",
        "Not traced: btc:tx:abcd (a transaction seed).",
    ] {
        assert!(
            text.contains(expected),
            "the annex must state {expected:?} (exact amounts, every toggle)"
        );
    }
    assert!(
        text.contains("INFERENCE"),
        "the annex's statements are tagged as inferences"
    );
    let seal = read_seal(&pdf.bytes).expect("the report is sealed");
    assert_eq!(
        seal.manifest.and_then(|m| m.sensitivity),
        Some(annex()),
        "the seal carries the annex's figures so `report verify` can re-derive them"
    );
}

#[test]
fn without_the_setting_there_is_no_annex_and_the_settings_hash_changes() {
    let mut input = fixture::input(true);
    input.sensitivity = Some(annex());
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).concat();
    assert!(
        !text.contains(SENSITIVITY_TITLE),
        "the annex is printed only when the examiner asks for it"
    );
    let off = settings_hash(&input).expect("hash");
    input.settings.sensitivity = true;
    assert_ne!(
        off,
        settings_hash(&input).expect("hash"),
        "the annex choice is part of the settings hash"
    );
}

#[test]
fn an_omitted_section_is_left_out_and_said_to_be_left_out() {
    let full = poppler::render(&fixture::input(true));
    let full_text = poppler::pages(&full.path).concat();
    assert!(
        full_text.contains("Appendix A · Transactions"),
        "the full exhibit has the transaction appendix"
    );
    let mut input = fixture::input(true);
    input.settings.omit.insert(Section::Transactions);
    input.settings.omit.insert(Section::Narrative);
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).concat();
    for title in ["Appendix A · Transactions", "Hop-by-hop narrative"] {
        assert_eq!(
            text.matches(title).count(),
            1,
            "an omitted chapter is named once, in the statement, and neither printed nor in \
             the contents: {title}"
        );
    }
    assert!(
        full_text.matches(&fixture::txid(0)).count() > text.matches(&fixture::txid(0)).count(),
        "the transaction table's rows are gone with it"
    );
    let flat = squeeze(&text);
    assert!(
        flat.contains(
            "Left out of this exhibit at the examiner's choice: Hop-by-hop narrative; Appendix A · Transactions."
        ),
        "the scope says which chapters were left out, so the gap reads as a choice"
    );
    for mandatory in [
        "Scope",
        "Appendix D · Audit log excerpt",
        "Appendix E · Data provenance",
    ] {
        assert!(
            text.contains(mandatory),
            "{mandatory} stays in every exhibit"
        );
    }
    assert!(
        poppler::page_count(&pdf.path) < poppler::page_count(&full.path),
        "leaving chapters out makes the exhibit shorter"
    );
    assert_ne!(
        settings_hash(&input).expect("hash"),
        settings_hash(&fixture::input(true)).expect("hash"),
        "the chapter choice is part of the settings hash"
    );
}
