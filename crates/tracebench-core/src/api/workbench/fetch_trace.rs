//! `trace --fetch`: a taint trace that fills the gaps of the case from the source, hop by hop.
//!
//! The trace runs over the case; every output it reports `unresolved` whose next transaction
//! would still lie within the hop limit is looked up: forward, the source is asked which
//! transaction spends it (`/tx/:txid/outspends`) and that transaction is fetched (`/tx/:txid`);
//! backward, the transaction that created the coin is fetched. The trace then runs again over
//! the case plus what was fetched, until nothing new is found within the hop limit or the fetch
//! budget (transactions) is spent. Everything fetched (the outspends answers included) is kept
//! with its provenance and written in one SQLite transaction with one `trace.fetch` audit-log
//! entry naming it; a fetch that fails is listed and the rest is kept. When nothing at all could
//! be fetched, the failure is the answer and the case is not written to.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Fetch, Workbench};
use crate::analysis::trace::{
    self, OutputStatus, TaintModel, Trace, TraceDirection, TraceError, TraceStart,
};
use crate::api::ApiError;
use crate::model::Tx;
use crate::source::esplora::Outspend;
use crate::source::{rfc3339, SourceError};
use crate::store::AuditAction;

/// Transactions a `trace --fetch` fetches at most unless told otherwise.
pub const DEFAULT_FETCH_LIMIT: usize = 500;

/// What a trace with fetching is asked to do.
#[derive(Debug, Clone)]
pub struct TraceFetchRequest {
    pub start: TraceStart,
    pub model: TaintModel,
    pub direction: TraceDirection,
    pub max_hops: u32,
    /// At most this many transactions are fetched.
    pub fetch_limit: usize,
}

/// One thing the source could not give; the rest was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchFailure {
    /// `outspends of <txid>` or `transaction <txid>`.
    pub what: String,
    pub error: String,
}

/// What a `trace --fetch` fetched, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceFetchReport {
    /// The source id fetched from.
    pub source: String,
    /// Rounds of fetching (each followed by a new trace).
    pub rounds: u32,
    /// Unresolved outputs of the trace over the case as it was.
    pub unresolved_before: usize,
    /// Transactions fetched and stored, sorted by txid.
    pub fetched_txids: Vec<String>,
    /// Transactions whose outspends were asked, sorted.
    pub outspends_asked: Vec<String>,
    /// Unresolved outputs the source reports unspent (nothing to follow), sorted.
    pub unspent: Vec<String>,
    /// Unresolved outputs of the final trace whose spending is still unknown, sorted: at the
    /// last hop (their spender would lie beyond the hop limit, so it is not looked up), or their
    /// lookup failed, or the fetch limit was reached first.
    pub still_unresolved: Vec<String>,
    /// What failed, in the order it failed.
    pub failed: Vec<FetchFailure>,
    /// The transaction budget.
    pub fetch_limit: usize,
    /// True when the budget stopped the fetching before everything within the hop limit was
    /// found.
    pub limit_reached: bool,
    /// SHA-256 of each raw response stored, in fetch order.
    pub raw_responses: Vec<String>,
}

/// The final trace (over the case after fetching) and what was fetched for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchedTrace {
    #[serde(flatten)]
    pub trace: Trace,
    pub fetch: TraceFetchReport,
}

#[derive(Debug, thiserror::Error)]
pub enum TraceFetchError {
    #[error("trace --fetch needs a source to fetch from, and this case is open offline")]
    NoSource,
    #[error("trace --fetch follows Bitcoin outputs; {0} is an account-model start, traced over the case only")]
    AccountStart(String),
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<SourceError> for TraceFetchError {
    fn from(e: SourceError) -> Self {
        TraceFetchError::Api(e.into())
    }
}

impl From<crate::store::CaseError> for TraceFetchError {
    fn from(e: crate::store::CaseError) -> Self {
        TraceFetchError::Api(e.into())
    }
}

/// The session's bookkeeping between rounds.
#[derive(Default)]
struct Progress {
    /// Outspends answers by the txid asked about.
    outspends: BTreeMap<String, Vec<Outspend>>,
    /// Outpoints the source reports unspent.
    unspent: BTreeSet<String>,
    /// Txids and outpoints whose lookup failed: not asked again in this session.
    given_up: BTreeSet<String>,
    failures: Vec<(String, SourceError)>,
    fetched: usize,
    limit_reached: bool,
    rounds: u32,
    cancelled: bool,
}

impl Progress {
    fn fail(&mut self, what: String, e: SourceError) {
        self.cancelled |= matches!(e, SourceError::Cancelled { .. });
        self.failures.push((what, e));
    }
}

impl Workbench {
    /// Traces `req.start` and fetches, hop by hop, what the case lacks within the hop limit
    /// (see the module docs). Returns the trace over the case after fetching.
    pub async fn trace_fetching(
        &mut self,
        req: &TraceFetchRequest,
        now: DateTime<Utc>,
    ) -> Result<FetchedTrace, TraceFetchError> {
        if let TraceStart::Transfer { chain, txid, .. } = &req.start {
            return Err(TraceFetchError::AccountStart(format!("{chain}:{txid}")));
        }
        let source = self.source.as_ref().ok_or(TraceFetchError::NoSource)?;
        let source_id = source.spec().id.clone();
        let chain = self.network.caip2().to_string();
        let mut fetch = Fetch::new(&mut self.case, Some(source), &chain);
        let mut p = Progress::default();

        // Seed outputs named by txid are fetched first when the case lacks them.
        if let TraceStart::Outputs(outs) = &req.start {
            let ids: BTreeSet<String> = outs.iter().map(|(t, _)| t.clone()).collect();
            let ids: Vec<String> = ids.into_iter().take(req.fetch_limit).collect();
            fetch_txs(&mut fetch, &mut p, &ids).await?;
        }

        let mut unresolved_before = None;
        loop {
            let txs = session_txs(&fetch)?;
            let t = trace::trace(&txs, &req.start, req.model, req.direction, req.max_hops)?;
            unresolved_before.get_or_insert(t.conservation.unresolved_outputs);
            if p.cancelled {
                break;
            }
            // An output at hop h leads to a transaction at hop h + 1.
            let pending: Vec<(&str, u32, &str)> = t
                .outputs
                .iter()
                .filter(|o| o.status == OutputStatus::Unresolved && o.hop < req.max_hops)
                .filter_map(|o| o.vout.map(|v| (o.txid.as_str(), v, o.outpoint.as_str())))
                .collect();
            let mut wanted: BTreeSet<String> = BTreeSet::new();
            match req.direction {
                TraceDirection::Forward => {
                    let creators: BTreeSet<&str> = pending.iter().map(|(t, _, _)| *t).collect();
                    for txid in creators {
                        if p.outspends.contains_key(txid) || p.given_up.contains(txid) {
                            continue;
                        }
                        match source.outspends(txid).await {
                            Ok((raw, spends)) => {
                                fetch.raws.push((raw, Vec::new()));
                                p.outspends.insert(txid.to_string(), spends);
                            }
                            Err(e) => {
                                p.given_up.insert(txid.to_string());
                                p.fail(format!("outspends of {txid}"), e);
                                if p.cancelled {
                                    break;
                                }
                            }
                        }
                    }
                    for (txid, vout, outpoint) in &pending {
                        if p.given_up.contains(*outpoint) {
                            continue;
                        }
                        let Some(spends) = p.outspends.get(*txid) else {
                            continue;
                        };
                        match spends.get(*vout as usize) {
                            Some(Outspend {
                                spent: true,
                                txid: Some(spender),
                                ..
                            }) => {
                                wanted.insert(spender.to_ascii_lowercase());
                            }
                            Some(Outspend { spent: false, .. }) => {
                                p.unspent.insert(outpoint.to_string());
                            }
                            _ => {
                                p.given_up.insert(outpoint.to_string());
                                p.fail(
                                    format!("outspends of {txid}"),
                                    SourceError::Malformed {
                                        source_id: source_id.clone(),
                                        endpoint: format!("/tx/{txid}/outspends"),
                                        detail: format!("no spending status for output {vout}"),
                                    },
                                );
                            }
                        }
                    }
                }
                TraceDirection::Backward => {
                    wanted.extend(pending.iter().map(|(t, _, _)| t.to_string()));
                }
            }
            let mut new: Vec<String> = Vec::new();
            for txid in wanted {
                if !p.given_up.contains(&txid)
                    && !fetch.txs.contains_key(&txid)
                    && !fetch.case.has_tx(&chain, &txid)?
                {
                    new.push(txid);
                }
            }
            if new.is_empty() || p.cancelled {
                break;
            }
            let room = req.fetch_limit.saturating_sub(p.fetched);
            if new.len() > room {
                p.limit_reached = true;
                new.truncate(room);
            }
            if new.is_empty() {
                break;
            }
            p.rounds += 1;
            fetch_txs(&mut fetch, &mut p, &new).await?;
        }

        if fetch.raws.is_empty() && !p.failures.is_empty() {
            // Nothing succeeded: the failure is the answer, and the case stays as it was.
            return Err(p.failures.swap_remove(0).1.into());
        }
        let mut fetched_txids: Vec<String> = fetch.txs.keys().cloned().collect();
        fetched_txids.sort();
        let failed: Vec<FetchFailure> = p
            .failures
            .iter()
            .map(|(what, e)| FetchFailure {
                what: what.clone(),
                error: e.to_string(),
            })
            .collect();
        let report = TraceFetchReport {
            source: source_id,
            rounds: p.rounds,
            unresolved_before: unresolved_before.unwrap_or(0),
            fetched_txids,
            outspends_asked: p.outspends.keys().cloned().collect(),
            unspent: p.unspent.iter().cloned().collect(),
            still_unresolved: Vec::new(),
            failed,
            fetch_limit: req.fetch_limit,
            limit_reached: p.limit_reached,
            raw_responses: fetch.raw_hashes(),
        };
        if !fetch.raws.is_empty() {
            let action = AuditAction {
                at_utc: rfc3339(now),
                user: self.user.clone(),
                action: "trace.fetch".to_string(),
                detail: serde_json::json!({
                    "start": start_label(&req.start),
                    "model": req.model.as_str(),
                    "direction": match req.direction {
                        TraceDirection::Forward => "forward",
                        TraceDirection::Backward => "backward",
                    },
                    "hops": req.max_hops,
                    "fetch_limit": req.fetch_limit,
                    "fetched_txids": report.fetched_txids,
                    "outspends_asked": report.outspends_asked,
                    "failed": report.failed.iter().map(|f| format!("{}: {}", f.what, f.error)).collect::<Vec<_>>(),
                    "raw_responses": report.raw_responses,
                }),
            };
            fetch.commit(&[], false, &rfc3339(now), action)?;
        }
        let txs = self.case.all_txs()?;
        let mut t = trace::trace(&txs, &req.start, req.model, req.direction, req.max_hops)?;
        t.offline = false;
        let mut report = report;
        report.still_unresolved = t
            .outputs
            .iter()
            .filter(|o| o.status == OutputStatus::Unresolved && !p.unspent.contains(&o.outpoint))
            .map(|o| o.outpoint.clone())
            .collect();
        report.still_unresolved.sort();
        Ok(FetchedTrace {
            trace: t,
            fetch: report,
        })
    }
}

/// Fetches `txids` into the session, noting what failed and counting what was fetched.
async fn fetch_txs(
    fetch: &mut Fetch<'_>,
    p: &mut Progress,
    txids: &[String],
) -> Result<(), ApiError> {
    let before = fetch.txs.len();
    for (txid, e) in fetch.prefetch(txids).await? {
        p.given_up.insert(txid.clone());
        p.fail(format!("transaction {txid}"), e);
    }
    p.fetched += fetch.txs.len() - before;
    Ok(())
}

/// The case's transactions plus those fetched in this session.
fn session_txs(fetch: &Fetch<'_>) -> Result<Vec<Tx>, ApiError> {
    let mut txs = fetch.case.all_txs()?;
    let known: BTreeSet<String> = txs.iter().map(|t| t.txid.clone()).collect();
    txs.extend(
        fetch
            .txs
            .values()
            .filter(|t| !known.contains(&t.txid))
            .cloned(),
    );
    Ok(txs)
}

fn start_label(start: &TraceStart) -> String {
    match start {
        TraceStart::Outputs(outs) => outs
            .iter()
            .map(|(t, v)| format!("{t}:{v}"))
            .collect::<Vec<_>>()
            .join(","),
        TraceStart::Address(a) => a.clone(),
        TraceStart::Entity { id, .. } => id.clone(),
        TraceStart::Transfer {
            chain,
            txid,
            log_index,
        } => format!("{chain}:{txid}:{log_index}"),
    }
}
