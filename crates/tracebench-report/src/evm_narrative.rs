//! The hop-by-hop narrative of the EVM transfers on the graph, and of the account-model traces:
//! each statement cites the transaction hash, block number, UTC time and the exact amount
//! (asset units and base units), with its fiat value where a rate is known, else "no rate".

use crate::display;
use crate::evm_amount;
use crate::evm_appendix;
use crate::evm_model::{ReportEvm, ReportEvmTrace, ReportEvmTransfer};
use crate::exhibit::{Exhibit, Voice, TEXT_LEADING, TEXT_PT};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Hop-by-hop narrative · EVM transfers";

/// The factual sentence about one transfer (`number` is its row in the appendix).
pub fn sentence(number: usize, t: &ReportEvmTransfer) -> String {
    format!(
        "Transfer E{number}: {} sent {} to {} in transaction {} ({}, {} ({}), block {}, {}). \
         Status: {}. {} Source: {}.",
        display::one_line(&t.from),
        evm_amount::stated(&t.amount_base, &t.symbol, t.decimals),
        display::one_line(&t.to),
        display::one_line(&t.txid),
        evm_appendix::position(t),
        display::one_line(&t.chain_name),
        display::one_line(&t.chain),
        t.block_height,
        display::utc_from_unix(t.block_time),
        display::one_line(&t.status),
        display::one_line(&t.valuation),
        display::one_line(&t.source_id),
    )
}

fn trace(ex: &mut Exhibit, t: &ReportEvmTrace) {
    ex.subheading(
        &format!(
            "Account-model trace from {} ({}, {} {}, {} hops)",
            display::short_id(&t.start),
            t.symbol,
            t.model,
            t.direction,
            t.max_hops
        ),
        3.0 * TEXT_LEADING,
    );
    ex.claim(
        Voice::Inference,
        &format!(
            "{} taint model, {} over at most {} hop(s) on {}, starting at {}: {} seeded. Each \
             address holds one pool per asset; the taint of what it sends is decided by the \
             model.",
            t.model,
            t.direction,
            t.max_hops,
            display::one_line(&t.chain),
            display::one_line(&t.start),
            evm_amount::stated(&t.seeded, &t.symbol, t.decimals),
        ),
    );
    for s in &t.steps {
        ex.claim(
            Voice::Inference,
            &format!(
                "Hop {}: {} of the {} sent by {} to {} in transaction {} (block {}, {}, transfer \
                 {}) is tainted. {}",
                s.hop,
                evm_amount::stated(&s.tainted, &t.symbol, t.decimals),
                evm_amount::stated(&s.amount, &t.symbol, t.decimals),
                display::one_line(&s.from),
                display::one_line(&s.to),
                display::one_line(&s.txid),
                s.block_height,
                display::utc_from_unix(s.block_time),
                display::one_line(&s.transfer),
                display::one_line(&s.valuation),
            ),
        );
    }
    ex.claim(
        Voice::Inference,
        &format!(
            "Conservation: {} seeded = {} left at addresses whose later transfers the case does \
             not hold + {} passed on beyond the hop limit: {}.",
            evm_amount::stated(&t.seeded, &t.symbol, t.decimals),
            evm_amount::stated(&t.unresolved, &t.symbol, t.decimals),
            evm_amount::stated(&t.held_at_hop_limit, &t.symbol, t.decimals),
            if t.balanced {
                "balanced"
            } else {
                "not balanced (the poison model taints whole transfers and so exceeds the seed)"
            }
        ),
    );
    ex.space(1.0);
}

pub fn write(ex: &mut Exhibit, evm: &ReportEvm) {
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Every EVM transfer whose transaction is on the graph, grouped by hop (a hop is one \
         transaction away from a seed) and in chain order within a hop. Each statement cites \
         the transaction hash, the block number, the block time in UTC and the exact amount, in \
         the asset's units and in integer base units, with the raw response it was read from. \
         E-numbers refer to Appendix A2. The account-model traces that follow are inferences.",
        Ink::Black,
    );
    ex.space(2.0);
    let mut on_graph: Vec<(usize, &ReportEvmTransfer)> = evm
        .transfers
        .iter()
        .enumerate()
        .filter(|(_, t)| t.hop.is_some())
        .map(|(i, t)| (i + 1, t))
        .collect();
    // Stable: within a hop, the appendix's chain order.
    on_graph.sort_by_key(|(i, t)| (t.hop, *i));
    if on_graph.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The graph shows no EVM transaction.",
            Ink::Black,
        );
    }
    let mut current = None;
    for (number, t) in on_graph {
        if current != t.hop {
            current = t.hop;
            ex.space(1.0);
            ex.subheading(
                &format!("EVM hop {}", t.hop.unwrap_or_default()),
                3.0 * TEXT_LEADING,
            );
        }
        ex.claim(Voice::Fact, &sentence(number, t));
    }
    ex.space(2.0);
    if evm.traces.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "No account-model trace: the canvas has no EVM seed address.",
            Ink::Black,
        );
    }
    for t in &evm.traces {
        trace(ex, t);
    }
}
