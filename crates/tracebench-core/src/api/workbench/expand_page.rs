//! Expanding a node one page at a time, so a busy address cannot flood the canvas.
//!
//! An address's neighbours are its transactions, oldest first (block time, then txid;
//! unconfirmed last); a transaction's are its addresses (inputs and outputs, sorted). A page
//! shows `limit` of them from `offset` on (a transaction of an address's page comes with its
//! addresses, as a one-hop expansion does) and says how many there are in all, so the UI can
//! offer "25 of 312 · load more". Each page is one fetch session and one SQLite transaction: a
//! page that fails changes nothing, and the pages before it stay.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{tx_addresses, Fetch, Workbench};
use crate::api::dto::GraphView;
use crate::api::ApiError;
use crate::graph::NodeRef;
use crate::source::rfc3339;

/// The most neighbours one page may show.
pub const MAX_PAGE_LIMIT: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PageOutcome.ts")]
pub struct PageOutcome {
    pub node_id: String,
    /// Nodes this page newly showed, sorted.
    pub added: Vec<String>,
    /// Where this page started among the neighbours.
    pub offset: u32,
    /// Neighbours shown so far: `offset` plus this page's.
    pub shown: u32,
    /// Neighbours in all (as far as the case and the source know them).
    pub total: u32,
    /// What the case lacks while no source is connected.
    pub missing: Vec<String>,
    pub graph: GraphView,
}

impl Workbench {
    /// Shows neighbours `offset .. offset + limit` of canvas node `node_id` (`limit` is kept
    /// within 1..=[`MAX_PAGE_LIMIT`]); see the module docs.
    pub async fn expand_page(
        &mut self,
        node_id: &str,
        offset: u32,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<PageOutcome, ApiError> {
        let limit = limit.clamp(1, MAX_PAGE_LIMIT) as usize;
        let chain = self.network.caip2().to_string();
        let not_found = || ApiError::NotFound {
            what: "canvas node",
            id: node_id.to_string(),
        };
        let start = NodeRef::parse(node_id, &chain).ok_or_else(not_found)?;
        let visible: BTreeSet<String> = self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect();
        if !visible.contains(node_id) {
            return Err(not_found());
        }
        let mut fetch = Fetch::new(&mut self.case, self.source.as_ref(), &chain);
        let addr_id = |a: String| {
            NodeRef::Address {
                chain: chain.clone(),
                address: a,
            }
            .id()
        };
        let mut shown: BTreeSet<String> = BTreeSet::new();
        let (total, page_len) = match &start {
            NodeRef::Address { address, .. } => {
                let txids = fetch.history(address).await?;
                let mut txs = Vec::with_capacity(txids.len());
                for txid in &txids {
                    if let Some(tx) = fetch.tx(txid).await? {
                        txs.push(tx);
                    }
                }
                txs.sort_by(|a, b| {
                    let ta = a.confirmation.block_time;
                    let tb = b.confirmation.block_time;
                    (ta.is_none(), ta, &a.txid).cmp(&(tb.is_none(), tb, &b.txid))
                });
                let page: Vec<_> = txs.iter().skip(offset as usize).take(limit).collect();
                for tx in &page {
                    shown.insert(
                        NodeRef::Tx {
                            chain: chain.clone(),
                            txid: tx.txid.clone(),
                        }
                        .id(),
                    );
                    shown.extend(tx_addresses(tx).into_iter().map(addr_id));
                }
                (txs.len(), page.len())
            }
            NodeRef::Tx { txid, .. } => {
                let Some(tx) = fetch.tx(txid).await? else {
                    return Err(not_found());
                };
                let addresses = tx_addresses(&tx);
                let page: Vec<String> = addresses
                    .iter()
                    .skip(offset as usize)
                    .take(limit)
                    .cloned()
                    .collect();
                let n = page.len();
                shown.extend(page.into_iter().map(addr_id));
                (addresses.len(), n)
            }
        };
        let added: Vec<String> = shown.difference(&visible).cloned().collect();
        let missing = fetch.missing.clone();
        let action = crate::store::AuditAction {
            at_utc: rfc3339(now),
            user: self.user.clone(),
            action: "expand_page".to_string(),
            detail: serde_json::json!({"node_id": node_id, "offset": offset, "limit": limit,
                "raw_responses": fetch.raw_hashes()}),
        };
        let nodes: Vec<String> = shown.into_iter().collect();
        fetch.commit(&nodes, false, &rfc3339(now), action)?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(PageOutcome {
            node_id: node_id.to_string(),
            added,
            offset,
            shown: count((offset as usize).min(total) + page_len),
            total: count(total),
            missing,
            graph: self.graph()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::sim_case_with_seed;
    use crate::api::ApiError;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 14, 0, 0).unwrap()
    }

    #[test]
    fn pages_show_a_limited_slice_and_count_the_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, seed, _, (rt, _server)) =
            sim_case_with_seed(&dir.path().join("p.tbcase"), now());

        let first = rt.block_on(wb.expand_page(&seed, 0, 1, now())).unwrap();
        assert!(
            first.total >= 2,
            "the seed received and spent: {}",
            first.total
        );
        assert_eq!(first.shown, 1, "a page of one shows one transaction");
        let txs_shown: Vec<&String> = first
            .added
            .iter()
            .filter(|id| id.contains(":tx:"))
            .collect();
        assert_eq!(
            txs_shown.len(),
            1,
            "one transaction (with its addresses) per page: {:?}",
            first.added
        );
        let second = rt.block_on(wb.expand_page(&seed, 1, 1, now())).unwrap();
        assert_eq!(
            second.shown, 2,
            "the next page continues where the first stopped"
        );
        assert!(
            !second
                .added
                .iter()
                .any(|id| first.added.contains(id) && id.contains(":tx:")),
            "the second page shows another transaction"
        );
        let past = rt
            .block_on(wb.expand_page(&seed, first.total, 25, now()))
            .unwrap();
        assert!(
            past.added.is_empty() && past.shown == past.total,
            "a page past the end shows nothing more"
        );

        // A transaction pages over its addresses.
        let tx = txs_shown[0].clone();
        let page = rt.block_on(wb.expand_page(&tx, 0, 2, now())).unwrap();
        assert!(
            page.shown <= 2 && page.total >= page.shown,
            "at most the limit is shown: {} of {}",
            page.shown,
            page.total
        );

        let log = wb.audit_log().unwrap().len();
        let err = rt
            .block_on(wb.expand_page("btc:addr:bc1qnotshown", 0, 25, now()))
            .unwrap_err();
        assert!(
            matches!(err, ApiError::NotFound { .. }) && err.to_string().contains("bc1qnotshown"),
            "a node not on the canvas is named in the error: {err}"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            log,
            "a refused page writes nothing"
        );
    }
}
