//! The coverage statement: what the case does not hold, so no reader mistakes the graph for
//! the whole story.

use crate::display;
use crate::exhibit::{Exhibit, TEXT_LEADING, TEXT_PT};
use crate::model::ReportCoverage;
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Appendix F · Coverage";

fn text(ex: &mut Exhibit, body: &str) {
    ex.paragraph(Face::Regular, TEXT_PT, TEXT_LEADING, 0.0, body, Ink::Black);
    ex.space(1.5);
}

fn items(ex: &mut Exhibit, items: &[String]) {
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

pub fn write(ex: &mut Exhibit, coverage: &ReportCoverage) {
    ex.chapter(TITLE);
    text(
        ex,
        "What the case, and so this report, does not cover. Conclusions hold only for the \
         transactions the case holds; funds may have moved in ways not fetched.",
    );

    ex.subheading("Paging limits and address histories", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "An address's history is fetched page by page, at most {} page(s) per address; a \
             history cut at that limit is recorded as incomplete. Of the addresses on the graph, \
             {} have a complete history in the case and {} do not (listed below): their other \
             transactions were not fetched.",
            coverage.history_page_limit,
            coverage.complete_histories,
            coverage.incomplete_histories.len()
        ),
    );
    items(ex, &coverage.incomplete_histories);

    ex.subheading("Unresolved outputs", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "{} output(s) of transactions on the graph are not spent by any transaction the case \
             holds: each is unspent, or spent by a transaction that was not fetched. The trail \
             was not followed past them.",
            coverage.unresolved_outputs.len()
        ),
    );
    items(ex, &coverage.unresolved_outputs);

    ex.subheading("Not fetched", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "{} transaction(s) in the case are not on the graph (fetched as context, not shown). \
             Not fetched at all: unconfirmed (mempool) transactions not yet returned by the \
             source, data of other chains, off-chain records not imported into the case, and \
             anything beyond the expansions the audit log lists.",
            coverage.off_graph_txs
        ),
    );
}
