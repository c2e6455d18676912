//! Progress of one address's history as it is paged: "page 2 of ~4 · 50 of 77 transactions".
//!
//! Esplora pages an address's confirmed history 25 transactions at a time, each page naming the
//! last txid of the one before, so the number of pages is not known from the pages themselves.
//! `/address/:a` says how many transactions the address has (`chain_stats.tx_count`, plus
//! `mempool_stats.tx_count`): a [`PageCounter`] asks it once, only when the first page is full
//! (a one-page history costs no extra request), and reports each page to the source's progress
//! sink as a [`HistoryProgress`]. The count is used for progress only and is not stored (the
//! case keeps no source-reported figures). A Bitcoin Core node keeps no address index, so its
//! address histories fail before any page; its progress is the gate's request count and a
//! batch's transactions done of total.

use std::collections::BTreeSet;

use crate::source::esplora::PAGE_SIZE;
use crate::source::policy::{HistoryProgress, ProgressEvent};
use crate::source::Source;

/// Counts the pages and transactions of one address's history and reports them.
pub(super) struct PageCounter {
    address: String,
    max_pages: usize,
    pages: u64,
    txids: BTreeSet<String>,
    /// (confirmed, in the mempool) as the source said; `None` until asked or when it cannot say.
    stated: Option<(u64, u64)>,
}

impl PageCounter {
    /// A counter for `address`, whose paging stops after `max_pages` pages.
    pub(super) fn new(address: &str, max_pages: usize) -> PageCounter {
        PageCounter {
            address: address.to_string(),
            max_pages,
            pages: 0,
            txids: BTreeSet::new(),
            stated: None,
        }
    }

    /// Records a page of `txids`; `last` says paging ends with it. Before reporting the first
    /// page of a history that goes on, asks the source how many transactions there are (a
    /// source that cannot say leaves the totals unknown; the paging goes on regardless).
    pub(super) async fn page(&mut self, source: &Source, txids: &[String], last: bool) {
        self.pages += 1;
        self.txids.extend(txids.iter().cloned());
        if self.pages == 1 && !last {
            if let Source::Esplora(esplora) = source {
                self.stated = esplora.address_tx_count(&self.address).await.ok();
            }
        }
        if let Some(sink) = source.gate().progress_sink() {
            let gate = source.gate().progress();
            sink(ProgressEvent {
                source_id: source.spec().id.clone(),
                done: gate.done,
                total: None,
                retries: gate.retries,
                failed: gate.failed,
                history: Some(self.progress(last)),
            });
        }
    }

    /// Where the paging stands; a finished history's totals are what was fetched.
    pub(super) fn progress(&self, last: bool) -> HistoryProgress {
        let txs = self.txids.len() as u64;
        let (pages_total, txs_total) = if last {
            (Some(self.pages), Some(txs))
        } else {
            match self.stated {
                Some((confirmed, mempool)) => {
                    let pages = confirmed.div_ceil(PAGE_SIZE as u64).max(1);
                    (
                        Some(pages.min(self.max_pages as u64).max(self.pages)),
                        Some((confirmed + mempool).max(txs)),
                    )
                }
                None => (None, None),
            }
        };
        HistoryProgress {
            address: self.address.clone(),
            pages: self.pages,
            pages_total,
            txs,
            txs_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PageCounter;

    fn ids(range: std::ops::Range<u32>) -> Vec<String> {
        range.map(|i| format!("{i:064x}")).collect()
    }

    #[test]
    fn totals_come_from_the_stated_count_until_the_last_page() {
        let mut c = PageCounter::new("bc1qexample", 40);
        c.pages = 1;
        c.txids.extend(ids(0..25));
        c.stated = Some((77, 0));
        let first = c.progress(false);
        assert_eq!(
            (first.pages, first.pages_total, first.txs, first.txs_total),
            (1, Some(4), 25, Some(77)),
            "77 confirmed transactions take four pages of 25"
        );
        c.pages = 4;
        c.txids.extend(ids(25..77));
        let last = c.progress(true);
        assert_eq!(
            (last.pages, last.pages_total, last.txs, last.txs_total),
            (4, Some(4), 77, Some(77)),
            "the last page reports what was fetched as the total"
        );
    }

    #[test]
    fn a_count_beyond_the_page_limit_is_capped_and_never_below_what_was_fetched() {
        let mut c = PageCounter::new("bc1qexample", 40);
        c.pages = 1;
        c.txids.extend(ids(0..25));
        c.stated = Some((5_000, 0));
        assert_eq!(
            c.progress(false).pages_total,
            Some(40),
            "paging stops at the limit, so the bar counts to the limit"
        );
        c.stated = Some((10, 0));
        let p = c.progress(false);
        assert_eq!(
            (p.pages_total, p.txs_total),
            (Some(1), Some(25)),
            "a count the source gave before new transactions arrived never falls below the pages fetched"
        );
        c.stated = None;
        assert_eq!(
            (c.progress(false).pages_total, c.progress(false).txs_total),
            (None, None),
            "a source that cannot say leaves the totals unknown"
        );
    }
}
