//! The scope (the question asked, the seeds and where each came from, how to read the
//! report) and the analyst's summary of findings.

use crate::display;
use crate::exhibit::{Exhibit, Voice, TEXT_LEADING, TEXT_PT};
use crate::model::{NodeKind, ReportInput};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const SCOPE: &str = "Scope";
pub const SUMMARY: &str = "Summary of findings";

pub fn write(ex: &mut Exhibit, input: &ReportInput, figures: usize) {
    ex.chapter(SCOPE);
    ex.subheading("The question asked", 2.0 * TEXT_LEADING);
    match input.settings.question.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => ex.claim(Voice::Note, q),
        _ => ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "No question was recorded for this exhibit.",
            Ink::Black,
        ),
    }
    ex.space(2.0);

    ex.subheading(
        "Starting points (seeds) and their origin",
        3.0 * TEXT_LEADING,
    );
    if input.seeds.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The case has no seed nodes.",
            Ink::Black,
        );
    }
    let mut seeds: Vec<_> = input.seeds.iter().collect();
    seeds.sort_by(|a, b| a.node_id.cmp(&b.node_id));
    for seed in seeds {
        ex.paragraph(
            Face::Mono,
            7.5,
            3.6,
            0.0,
            &display::one_line(&seed.node_id),
            Ink::Black,
        );
        ex.claim(Voice::Fact, &seed.origin);
    }
    ex.space(2.0);

    ex.subheading("What this exhibit contains", 3.0 * TEXT_LEADING);
    let addresses = input
        .graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Address)
        .count();
    let mut contents = format!(
        "{} graph node(s) ({} address(es), {} transaction(s)) and {} edge(s) in {} figure(s); a \
         hop-by-hop narrative of {} transaction(s); {} transaction record(s) in the full table; \
         {} cluster(s); {} attribution(s); {} analyst note(s); {} audit-log entries; {} \
         provenance record(s). Every transaction row names the raw response it was parsed from, \
         listed with its SHA-256 under “Data provenance”.",
        input.graph.nodes.len(),
        addresses,
        input.graph.nodes.len() - addresses,
        input.graph.edges.len(),
        figures,
        input.hops.len(),
        input.transactions.len(),
        input.clusters.len(),
        input.attributions.len(),
        input.notes.len(),
        input.audit.len(),
        input.provenance.len(),
    );
    if let Some(evm) = &input.evm {
        contents.push_str(&format!(
            " EVM (account-model) data: {} transfer(s) in Appendix A2, {} of them on the graph \
             and stated in the EVM narrative; {} failed transaction(s); {} account-model \
             trace(s).",
            evm.transfers.len(),
            evm.transfers.iter().filter(|t| t.hop.is_some()).count(),
            evm.failed.len(),
            evm.traces.len()
        ));
    }
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        &contents,
        Ink::Black,
    );
    ex.space(2.0);

    ex.subheading("How to read this report", 4.0 * TEXT_LEADING);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Four kinds of statement are kept apart throughout. Each carries its tag in the left \
         column and its own mark in the margin, so the distinction survives greyscale printing:",
        Ink::Black,
    );
    ex.space(1.0);
    for voice in Voice::ALL {
        ex.claim(voice, voice.meaning());
    }
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Amounts are exact: integer satoshi, also shown as BTC with eight decimals. Times are UTC.",
        Ink::Black,
    );
}

pub fn summary(ex: &mut Exhibit, input: &ReportInput) {
    ex.chapter(SUMMARY);
    match input.settings.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => ex.claim(Voice::Note, s),
        _ => ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The examiner wrote no summary for this exhibit. The sections that follow state the \
             facts and inferences without one.",
            Ink::Black,
        ),
    }
}
