//! The methodology: data sources and chains, the heuristics on and off with their definitions,
//! parameters and confidence, their measured error rates (`tracebench validate`), the tracing
//! model, how CoinJoins, services and bridges were treated, fiat valuation, and the known
//! limitations with the literature.

use crate::display;
use crate::exhibit::{Exhibit, Voice, TEXT_LEADING, TEXT_PT};
use crate::model::ReportMethod;
use crate::sheet::Ink;
use crate::table::{self, Column};
use crate::typeset::Face;

pub const TITLE: &str = "Methodology";

fn text(ex: &mut Exhibit, body: &str) {
    ex.paragraph(Face::Regular, TEXT_PT, TEXT_LEADING, 0.0, body, Ink::Black);
    ex.space(1.5);
}

fn list(ex: &mut Exhibit, items: &[String], empty: &str) {
    if items.is_empty() {
        text(ex, empty);
        return;
    }
    for item in items {
        ex.paragraph(
            Face::Regular,
            8.0,
            3.8,
            3.0,
            &format!("• {}", display::one_line(item)),
            Ink::Black,
        );
    }
    ex.space(1.5);
}

/// The limitations every tracing report carries, with the literature they come from.
const LIMITATIONS: [&str; 6] = [
    "Common-input ownership is an assumption, not a fact: CoinJoins, PayJoins (BIP 78), \
     dual-funded Lightning channel opens and exchange batching break it, and one false link can \
     merge two large clusters into one (Meiklejohn et al., “A Fistful of Bitcoins”, IMC 2013; \
     Androulaki et al., FC 2013; BlockSci, Kalodner et al., USENIX Security 2020).",
    "Change heuristics are probabilistic; the dynamic ones change their answer as outputs are \
     spent later. No single heuristic should be relied on alone (Möser & Narayanan, \
     “Resurrecting Address Clustering in Bitcoin”, FC 2022).",
    "Peel-chain following is validated against ground truth only in the literature \
     (Kappos et al., “How to Peel a Million”, USENIX Security 2022); this tool's own error rates \
     are those in the table above, measured on the datasets named there.",
    "Taint models (poison, haircut, FIFO) give different answers for the same funds; the choice \
     is a legal one as much as a technical one (Möser, Böhme & Breuker, LNCS 8438).",
    "Error rates are reported because courts ask for them (US v. Sterlingov, D.D.C. \
     No. 21-cr-399, opinion of 29 Feb 2024; US Federal Rule of Evidence 702 as amended \
     1 Dec 2023); a rate measured on synthetic data says how the code behaves, not how often \
     it is right on real wallets.",
    "The method must survive a step-by-step audit (D'Aloia v Persons Unknown [2024] EWHC 2342 \
     (Ch)): every figure here is recomputed from the case file and its stored raw responses.",
];

pub fn write(ex: &mut Exhibit, method: &ReportMethod) {
    ex.chapter(TITLE);

    ex.subheading("Data sources and chains covered", 3.0 * TEXT_LEADING);
    list(ex, &method.chains, "The case holds no chain data.");
    list(ex, &method.sources, "The case records no source.");

    ex.subheading("Heuristics and detectors", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "Clustering profile: {}. The table lists every heuristic and detector the engine \
             has, whether this profile switched it on, its confidence (0–100, as the engine \
             weighs it) and its parameters; the definitions follow.",
            display::one_line(&method.profile)
        ),
    );
    let rows: Vec<Vec<String>> = method
        .heuristics
        .iter()
        .map(|h| {
            vec![
                display::one_line(&h.name),
                if h.on { "on" } else { "off" }.to_string(),
                h.confidence
                    .map_or_else(|| "—".to_string(), |c| c.to_string()),
                display::one_line(&h.parameters),
            ]
        })
        .collect();
    table::draw(
        ex,
        &[
            col("Heuristic / detector", 48.0, Face::Regular, false),
            col("Status", 14.0, Face::Bold, false),
            col("Confidence", 18.0, Face::Regular, true),
            col("Parameters", 94.0, Face::Regular, false),
        ],
        &rows,
    );
    for h in &method.heuristics {
        ex.paragraph(
            Face::Regular,
            8.0,
            3.8,
            0.0,
            &format!(
                "{} ({}): {}",
                display::one_line(&h.name),
                if h.on { "on" } else { "off" },
                h.definition
            ),
            Ink::Black,
        );
        ex.space(0.6);
    }
    ex.space(1.5);

    ex.subheading(
        "Measured error rates (tracebench validate)",
        6.0 * TEXT_LEADING,
    );
    text(
        ex,
        "Counts of true and false positives and negatives of each detector and heuristic on \
         labelled data (unk.: the data a change heuristic needs was missing; n/a: it does not \
         apply), exactly as `tracebench validate --json` of this build reports them for the \
         datasets listed. \
         Rows marked “(synthetic data)” were measured on simulator data only.",
    );
    list(ex, &method.datasets, "No dataset was scored.");
    let rows: Vec<Vec<String>> = method
        .validation
        .iter()
        .map(|r| {
            vec![
                format!("{}: {}", r.group, display::one_line(&r.name)),
                format!(
                    "{}{}",
                    display::one_line(&r.dataset),
                    if r.synthetic { " (synthetic data)" } else { "" }
                ),
                r.tp.to_string(),
                r.fp.to_string(),
                r.fn_.to_string(),
                r.tn.to_string(),
                r.unknown.to_string(),
                r.not_applicable.to_string(),
                display::one_line(&r.precision),
                display::one_line(&r.recall),
            ]
        })
        .collect();
    if rows.is_empty() {
        text(ex, "No error rates were measured for this exhibit.");
    } else {
        table::draw(
            ex,
            &[
                col("Detector / heuristic", 36.0, Face::Regular, false),
                col("Dataset", 50.0, Face::Regular, false),
                col("TP", 9.0, Face::Regular, true),
                col("FP", 9.0, Face::Regular, true),
                col("FN", 9.0, Face::Regular, true),
                col("TN", 10.0, Face::Regular, true),
                col("unk.", 9.0, Face::Regular, true),
                col("n/a", 9.0, Face::Regular, true),
                col("Precision", 17.0, Face::Regular, true),
                col("Recall", 16.0, Face::Regular, true),
            ],
            &rows,
        );
    }
    for c in &method.validation_coverage {
        ex.claim(
            Voice::Inference,
            &format!(
                "{} — validated on: {}. {}",
                display::one_line(&c.name),
                display::one_line(&c.validated_on),
                c.note
            ),
        );
    }
    ex.space(1.5);

    ex.subheading("Tracing model", 3.0 * TEXT_LEADING);
    text(
        ex,
        "The graph and the narrative follow value transaction by transaction: a hop is one \
         transaction, from the seeds outwards. No taint model is applied to them: every amount \
         is stated exactly as the transaction moved it, and which output continues a trail is \
         shown, not decided. Where an exposure analysis is included, its model (haircut: each \
         output carries the share of the taint of the inputs) and its hop limit are named with it.",
    );

    ex.subheading("CoinJoins, services and bridges", 3.0 * TEXT_LEADING);
    let coinjoins = if method.coinjoins.is_empty() {
        "No transaction of the case was detected as a CoinJoin.".to_string()
    } else {
        format!(
            "Transactions detected as CoinJoins contribute no clustering merge (their inputs \
             belong to many owners): {}.",
            method.coinjoins.join(", ")
        )
    };
    text(ex, &coinjoins);
    let vetoed = if method.vetoed.is_empty() {
        "The analyst vetoed no clustering merge.".to_string()
    } else {
        format!(
            "The analyst vetoed the merges of these transactions (see the audit log): {}.",
            method.vetoed.join(", ")
        )
    };
    text(ex, &vetoed);
    text(
        ex,
        "Services (exchanges and other custodians) are stop points: funds reaching an address \
         attributed to a service are not followed further, because the service's internal \
         ledger, not the chain, decides whose they are; its records are requested separately. \
         Bridges: a case holds one chain; funds leaving it through a bridge or swap end the \
         trail here and are not matched to another chain.",
    );

    ex.subheading("Fiat valuation", 2.0 * TEXT_LEADING);
    text(ex, &method.valuation);

    ex.subheading("Known limitations", 3.0 * TEXT_LEADING);
    for limitation in LIMITATIONS {
        ex.paragraph(
            Face::Regular,
            8.0,
            3.8,
            3.0,
            &format!("• {limitation}"),
            Ink::Black,
        );
        ex.space(0.6);
    }
}

fn col(title: &'static str, width: f32, face: Face, right: bool) -> Column {
    Column {
        title,
        width,
        face,
        right,
    }
}
