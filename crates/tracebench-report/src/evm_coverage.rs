//! The EVM part of the coverage statement: how address histories were paged, which block
//! ranges were asked for, which histories are incomplete, the account-model trace fetches and
//! their limit, and the logs that were not decoded, with the reason.

use crate::display;
use crate::evm_model::ReportEvmCoverage;
use crate::exhibit::{Exhibit, TEXT_LEADING, TEXT_PT};
use crate::sheet::Ink;
use crate::typeset::Face;

fn text(ex: &mut Exhibit, body: &str) {
    ex.paragraph(Face::Regular, TEXT_PT, TEXT_LEADING, 0.0, body, Ink::Black);
    ex.space(1.5);
}

fn items(ex: &mut Exhibit, items: &[String], empty: &str) {
    if items.is_empty() {
        text(ex, empty);
        return;
    }
    for item in items {
        ex.paragraph(
            Face::Mono,
            6.5,
            3.2,
            3.0,
            &display::one_line(item),
            Ink::Black,
        );
    }
    ex.space(1.5);
}

/// Written at the end of the coverage chapter.
pub fn write(ex: &mut Exhibit, c: &ReportEvmCoverage) {
    ex.subheading(
        "EVM chains: paging limits and histories",
        3.0 * TEXT_LEADING,
    );
    text(ex, &display::one_line(&c.paging));
    items(
        ex,
        &c.histories,
        "No EVM address history was fetched: only single transactions.",
    );
    ex.subheading("EVM block ranges fetched", 3.0 * TEXT_LEADING);
    items(
        ex,
        &c.block_ranges,
        "No address list was fetched through Etherscan (transactions were read one by one \
         through JSON-RPC).",
    );
    ex.subheading("EVM account-model trace fetches", 3.0 * TEXT_LEADING);
    items(
        ex,
        &c.trace_fetches,
        "No account-model trace fetched further histories (the audit log has no trace.fetch \
         entry).",
    );
    ex.subheading("EVM logs not decoded", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "{} log(s) with the ERC-20 Transfer topic were not decoded as token transfers and \
             moved nothing in this report (for example ERC-721 transfers, whose third topic is a \
             token id, or logs whose data is not one 32-byte amount):",
            c.skipped_logs.len()
        ),
    );
    items(ex, &c.skipped_logs, "None.");
}
