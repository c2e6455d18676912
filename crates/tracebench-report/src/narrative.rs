//! The hop-by-hop narrative: one paragraph per transaction on the graph, in hop and time
//! order, each citing txid, block height, UTC time and exact amounts; the analysis's
//! inferences about it follow, styled as inferences.

use crate::display;
use crate::exhibit::{Exhibit, Voice, TEXT_LEADING, TEXT_PT};
use crate::model::{ReportHop, ReportLeg};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Hop-by-hop narrative";

/// An exact amount: BTC with eight decimals and the integer satoshi, plus fiat when known.
pub fn amount(leg: &ReportLeg) -> String {
    let mut s = format!(
        "{} BTC ({} sat)",
        display::btc(leg.amount_sat),
        leg.amount_sat
    );
    if let Some(fiat) = &leg.fiat {
        s.push_str(&format!(", {}", display::one_line(fiat)));
    }
    s
}

fn legs(legs: &[ReportLeg]) -> String {
    legs.iter()
        .map(|l| format!("{}: {}", display::one_line(&l.address), amount(l)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The factual sentence about one transaction.
pub fn sentence(hop: &ReportHop) -> String {
    let block = hop
        .block_height
        .map_or_else(|| "unconfirmed".to_string(), |h| format!("block {h}"));
    let time = hop
        .block_time
        .map_or_else(|| "time unknown".to_string(), display::utc_from_unix);
    let spent: u64 = hop.inputs.iter().map(|l| l.amount_sat).sum();
    let paid: u64 = hop.outputs.iter().map(|l| l.amount_sat).sum();
    let fee = hop.fee_sat.map_or_else(
        || "fee not reported".to_string(),
        |f| format!("fee {} BTC ({f} sat)", display::btc(f)),
    );
    let valuation = match &hop.valuation {
        Some(v) => format!(" {}", display::one_line(v)),
        None => " Fiat value: no rate.".to_string(),
    };
    format!(
        "Transaction {} ({block}, {time}) spent {} input(s) totalling {} BTC ({spent} sat) — {} — \
         and paid {} output(s) totalling {} BTC ({paid} sat) — {} — {fee}.{valuation} Source: {}.",
        display::one_line(&hop.txid),
        hop.inputs.len(),
        display::btc(spent),
        legs(&hop.inputs),
        hop.outputs.len(),
        display::btc(paid),
        legs(&hop.outputs),
        display::one_line(&hop.source_id),
    )
}

pub fn write(ex: &mut Exhibit, hops: &[ReportHop]) {
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Every transaction on the graph, grouped by hop (a hop is one transaction away from a \
         seed) and in time order within a hop. Each statement cites the txid, the block height, \
         the block time in UTC and every amount exactly, in BTC and integer satoshi, with the \
         raw response it was read from. What the analysis inferred about a transaction follows \
         it as an inference.",
        Ink::Black,
    );
    ex.space(2.0);
    if hops.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The graph shows no transaction.",
            Ink::Black,
        );
        return;
    }
    let mut ordered: Vec<&ReportHop> = hops.iter().collect();
    ordered.sort_by(|a, b| {
        (a.hop, a.block_time.is_none(), a.block_time, &a.txid).cmp(&(
            b.hop,
            b.block_time.is_none(),
            b.block_time,
            &b.txid,
        ))
    });
    let mut current = None;
    for (i, hop) in ordered.iter().enumerate() {
        if current != Some(hop.hop) {
            current = Some(hop.hop);
            ex.space(1.0);
            ex.subheading(&format!("Hop {}", hop.hop), 3.0 * TEXT_LEADING);
        }
        ex.paragraph(
            Face::Bold,
            8.0,
            3.8,
            0.0,
            &format!("Step {}", i + 1),
            Ink::Black,
        );
        ex.claim(Voice::Fact, &sentence(hop));
        for inference in &hop.inferences {
            ex.claim(Voice::Inference, inference);
        }
        ex.space(1.0);
    }
}
