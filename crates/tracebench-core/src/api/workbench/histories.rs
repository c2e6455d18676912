//! Fetching address histories: one address page by page, or many addresses at once.
//!
//! [`history_pages`] pages through one address's confirmed history (25 a page, up to
//! [`MAX_HISTORY_PAGES`]); a fetch session uses it for one address at a time.
//! [`Workbench::add_addresses`] fetches the histories of many addresses at once, as many in
//! flight as the source's policy allows (each address's own pages stay in order, since each page
//! names the last txid of the one before) and shows the addresses on the canvas: adding a
//! thousand addresses is bound by the source, not by one round trip after the other. Storing is
//! pipelined: the batch's one SQLite transaction is open while the histories arrive
//! ([`crate::store::IngestSession`]) and each history is stored as soon as it and every history
//! before it in address order have arrived, so storing overlaps the fetches still in flight and
//! the case does not depend on the order of the answers. The commit comes after the last one;
//! an error or a dropped future rolls the whole batch back.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::history_progress::PageCounter;
use super::{Fetch, Workbench, MAX_HISTORY_PAGES};
use crate::address::Query;
use crate::api::dto::GraphView;
use crate::api::ApiError;
use crate::graph::NodeRef;
use crate::model::Tx;
use crate::source::esplora::PAGE_SIZE;
use crate::source::{rfc3339, Source, SourceError};
use crate::store::{AuditAction, CaseError, IngestSession, RawResponse, StoredHistory};

/// One address's history as the source gave it.
pub(super) struct HistoryPages {
    /// False when the history has more than [`MAX_HISTORY_PAGES`] pages.
    pub complete: bool,
    /// Txids, newest first, each once.
    pub txids: Vec<String>,
    /// Each page's raw response with the transactions it holds.
    pub pages: Vec<(RawResponse, Vec<Tx>)>,
}

/// Pages through the confirmed history of `address`, newest first.
pub(super) async fn history_pages(
    source: &Source,
    address: &str,
) -> Result<HistoryPages, SourceError> {
    history_pages_counted(source, address, None).await
}

/// [`history_pages`], reporting each page to `counter` (which tells the source's progress sink).
pub(super) async fn history_pages_counted(
    source: &Source,
    address: &str,
    mut counter: Option<&mut PageCounter>,
) -> Result<HistoryPages, SourceError> {
    let mut out = HistoryPages {
        complete: false,
        txids: Vec::new(),
        pages: Vec::new(),
    };
    let mut last_seen: Option<String> = None;
    for _ in 0..MAX_HISTORY_PAGES {
        let (raw, txs) = source.address_txs(address, last_seen.as_deref()).await?;
        let confirmed = txs
            .iter()
            .filter(|t| t.confirmation.block_height.is_some())
            .count();
        last_seen = txs
            .iter()
            .rev()
            .find(|t| t.confirmation.block_height.is_some())
            .map(|t| t.txid.clone());
        for t in &txs {
            if !out.txids.contains(&t.txid) {
                out.txids.push(t.txid.clone());
            }
        }
        let last = confirmed < PAGE_SIZE || last_seen.is_none();
        if let Some(counter) = counter.as_deref_mut() {
            let ids: Vec<String> = txs.iter().map(|t| t.txid.clone()).collect();
            counter.page(source, &ids, last).await;
        }
        out.pages.push((raw, txs));
        if last {
            out.complete = true;
            break;
        }
    }
    Ok(out)
}

impl Fetch<'_> {
    /// Keeps a history fetched by [`history_pages`] for the commit.
    pub(super) fn keep_history(&mut self, address: &str, history: HistoryPages) {
        for (raw, txs) in history.pages {
            for t in &txs {
                self.txs.entry(t.txid.clone()).or_insert_with(|| t.clone());
            }
            self.raws.push((raw, txs));
        }
        self.histories
            .insert(address.to_string(), (history.complete, history.txids));
    }
}

/// What [`Workbench::add_addresses`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct AddAddressesOutcome {
    /// Node ids of the addresses now on the canvas, sorted.
    pub shown: Vec<String>,
    /// Addresses whose history could not be had, with why; they are not shown.
    pub failed: Vec<(String, String)>,
    /// Transactions fetched from the source by this call.
    pub txs_fetched: usize,
    pub graph: GraphView,
}

/// What [`Workbench::show_addresses`] did: the addresses shown and the ones whose history
/// could not be had.
pub(super) struct ShownAddresses {
    /// Node ids of the addresses shown, sorted.
    pub shown: Vec<String>,
    /// Addresses whose history could not be had, in address order, with the source's error.
    pub failures: Vec<(String, SourceError)>,
    pub txs_fetched: usize,
}

impl Workbench {
    /// Shows every address of `addresses` on the canvas, fetching the histories the case lacks
    /// all at once under the source's policy (see the module docs). Every address is checked
    /// first: one that is not a valid address refuses the whole call and changes nothing. An
    /// address whose history cannot be had is listed in `failed` and the rest are shown; when
    /// none can be, the first failure is the error and the case stays as it was.
    pub async fn add_addresses(
        &mut self,
        addresses: &[String],
        now: DateTime<Utc>,
    ) -> Result<AddAddressesOutcome, ApiError> {
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for a in addresses {
            match Query::parse(a, self.network)? {
                Query::Address(address) => {
                    wanted.insert(address.as_str().to_string());
                }
                Query::Tx(t) => {
                    return Err(ApiError::Import(format!(
                        "{t} is a transaction id, not an address (nothing was added)"
                    )))
                }
            }
        }
        let out = self.show_addresses(&wanted, "add_addresses", now).await?;
        if out.shown.is_empty() {
            if let Some((_, e)) = out.failures.into_iter().next() {
                return Err(e.into());
            }
            return Err(ApiError::Import("no address was given".to_string()));
        }
        Ok(AddAddressesOutcome {
            shown: out.shown,
            failed: out
                .failures
                .iter()
                .map(|(a, e)| (a.clone(), e.to_string()))
                .collect(),
            txs_fetched: out.txs_fetched,
            graph: self.graph()?,
        })
    }

    /// Shows the valid addresses `wanted` (canonical forms): fetches the histories the case
    /// lacks at once and stores each as soon as it and those before it (in address order) have
    /// arrived, in the batch's one write transaction, so storing overlaps the fetches still in
    /// flight and the case is the same whatever order the answers came in; then the audit entry
    /// `action` and the shown addresses, and the commit. When no address can be shown nothing is
    /// written and every failure is returned. Does not build the graph view.
    pub(super) async fn show_addresses(
        &mut self,
        wanted: &BTreeSet<String>,
        action: &str,
        now: DateTime<Utc>,
    ) -> Result<ShownAddresses, ApiError> {
        let chain = self.network.caip2().to_string();
        let mut to_fetch = Vec::new();
        for a in wanted {
            if self.case.address_history(&chain, a)?.is_none() {
                to_fetch.push(a.clone());
            }
        }
        let at = rfc3339(now);
        let (kind, synthetic) = match self.source.as_ref() {
            Some(s) => (s.kind().as_str(), s.spec().is_synthetic()),
            None => ("esplora", false),
        };
        let mut failures: Vec<(String, SourceError)> = Vec::new();
        let session = self.case.begin_ingest(kind, synthetic, &at)?;
        let mut batch = InOrder::new(session, &chain, to_fetch.len());
        if let Some(source) = self.source.as_ref() {
            let mut set = tokio::task::JoinSet::new();
            for (i, address) in to_fetch.iter().enumerate() {
                let source = source.clone();
                let address = address.clone();
                set.spawn(async move { (i, history_pages(&source, &address).await) });
            }
            while let Some(joined) = set.join_next().await {
                let (i, result) = joined.expect("a history task does not panic");
                batch.arrived(i, result, &to_fetch, &mut failures)?;
            }
        } else {
            for a in &to_fetch {
                failures.push((
                    a.clone(),
                    SourceError::Offline {
                        what: format!("history of address {a}"),
                    },
                ));
            }
        }
        let failed_set: BTreeSet<&String> = failures.iter().map(|(a, _)| a).collect();
        let shown: Vec<String> = wanted
            .iter()
            .filter(|a| !failed_set.contains(a))
            .map(|a| {
                NodeRef::Address {
                    chain: chain.clone(),
                    address: a.clone(),
                }
                .id()
            })
            .collect();
        if shown.is_empty() {
            // Dropping the batch rolls its transaction back: the case stays as it was.
            return Ok(ShownAddresses {
                shown,
                failures,
                txs_fetched: 0,
            });
        }
        // The connection's network check (Esplora `/block-height/0`), kept with this batch.
        if let Some(raw) = self.source.as_ref().and_then(Source::take_network_answer) {
            batch.session.store(&raw, Vec::new())?;
        }
        let failed: Vec<(String, String)> = failures
            .iter()
            .map(|(a, e)| (a.clone(), e.to_string()))
            .collect();
        let audit = AuditAction {
            at_utc: at,
            user: self.user.clone(),
            action: action.to_string(),
            detail: serde_json::json!({"node_ids": shown, "failed": failed,
                "raw_responses": batch.session.raw_hashes()}),
        };
        let txs_fetched = batch.txids.len();
        batch
            .session
            .finish(&batch.histories, &shown, true, Some(&audit))?;
        Ok(ShownAddresses {
            shown,
            failures,
            txs_fetched,
        })
    }
}

/// The histories of a batch as they arrive, stored in address order: each one is stored as
/// soon as every history before it has arrived (stored, or failed and left out).
struct InOrder<'a> {
    session: IngestSession<'a>,
    chain: String,
    /// Arrived but not yet stored, by position in the batch.
    slots: Vec<Option<Result<HistoryPages, SourceError>>>,
    /// Position of the next history to store.
    next: usize,
    /// The histories stored, in address order.
    histories: Vec<StoredHistory>,
    /// Every transaction the stored histories hold.
    txids: BTreeSet<String>,
}

impl<'a> InOrder<'a> {
    fn new(session: IngestSession<'a>, chain: &str, len: usize) -> InOrder<'a> {
        InOrder {
            session,
            chain: chain.to_string(),
            slots: (0..len).map(|_| None).collect(),
            next: 0,
            histories: Vec::new(),
            txids: BTreeSet::new(),
        }
    }

    /// Takes the history of `addresses[i]` and stores every history now ready; a history that
    /// failed is added to `failures`.
    fn arrived(
        &mut self,
        i: usize,
        result: Result<HistoryPages, SourceError>,
        addresses: &[String],
        failures: &mut Vec<(String, SourceError)>,
    ) -> Result<(), CaseError> {
        self.slots[i] = Some(result);
        while let Some(slot) = self.slots.get_mut(self.next).and_then(Option::take) {
            let address = &addresses[self.next];
            self.next += 1;
            match slot {
                Ok(history) => self.store(address, history)?,
                Err(e) => failures.push((address.clone(), e)),
            }
        }
        Ok(())
    }

    fn store(&mut self, address: &str, history: HistoryPages) -> Result<(), CaseError> {
        for (raw, txs) in history.pages {
            self.txids.extend(txs.iter().map(|t| t.txid.clone()));
            self.session.store(&raw, txs)?;
        }
        self.histories.push((
            self.chain.clone(),
            address.to_string(),
            history.complete,
            history.txids.len() as u64,
        ));
        Ok(())
    }
}
