//! The workbench: an open case plus the source it may fetch from. One method per use case;
//! the CLI and the app call these and nothing below them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

pub mod annotate;
pub mod block;
pub mod connect;
pub mod evm;
pub mod evm_trace;
pub mod expand_page;
pub mod fetch_trace;
pub mod graphsense;
pub mod histories;
mod history_progress;
pub mod offline;
pub mod organise;
pub mod paste;
pub mod report_settings;
pub mod restore;
pub mod setting_audit;
pub mod viewport;

use super::dto::{AddOutcome, CaseInfo, ExpandOutcome, GraphView, NewCase, NodePosition, NoteView};
use super::ApiError;
use crate::address::Query;
use crate::analysis::{self, ChainContext, Profile, TxAnalysis};
use crate::bundle::{self, BundleSummary};
use crate::chain::BtcNetwork;
use crate::cluster::{self, Clustering, Explanation};
use crate::graph::NodeRef;
use crate::model::Tx;
use crate::source::{rfc3339, Clock, Connection, Source, SourceError, SourceSpec};
use crate::store::{AuditAction, AuditEntry, Batch, Case, CaseMeta, Ingest, RawResponse, Veto};

/// At most this many history pages (of 25 transactions) are fetched per address and expansion,
/// so a busy exchange address cannot flood the case.
pub const MAX_HISTORY_PAGES: usize = 40;

/// An open case and, when online, the source it fetches from.
#[derive(Debug)]
pub struct Workbench {
    case: Case,
    source: Option<Source>,
    /// What `source` was connected with (kept to reconnect with another clock).
    connection: Option<Connection>,
    network: BtcNetwork,
    clock: Clock,
    /// Who the audit log names as the actor ("unknown" until [`Workbench::set_user`]).
    user: String,
}

/// The user the audit log names when none was set.
pub const UNKNOWN_USER: &str = "unknown";

impl Workbench {
    /// Creates a new case file. `source` is the source to fetch from (None: offline).
    pub fn create(
        path: &Path,
        meta: NewCase,
        source: Option<SourceSpec>,
        now: DateTime<Utc>,
    ) -> Result<Workbench, ApiError> {
        Workbench::create_by(UNKNOWN_USER, path, meta, source, now)
    }

    /// [`Workbench::create`] by `user`, who is named in the audit log (its first entry, the
    /// creation, and every action after it).
    pub fn create_by(
        user: &str,
        path: &Path,
        meta: NewCase,
        source: Option<SourceSpec>,
        now: DateTime<Utc>,
    ) -> Result<Workbench, ApiError> {
        let network = meta.network;
        let case_id = new_case_id(path, &meta, now);
        let meta = CaseMeta {
            case_id,
            title: meta.title,
            investigator: meta.investigator,
            agency: meta.agency,
            created_utc: rfc3339(now),
            chain: network.caip2().to_string(),
        };
        let created = AuditAction {
            at_utc: rfc3339(now),
            user: user.to_string(),
            action: "case.create".to_string(),
            detail: serde_json::json!({
                "case_id": meta.case_id,
                "title": meta.title,
                "investigator": meta.investigator,
                "agency": meta.agency,
                "chain": meta.chain,
            }),
        };
        let case = Case::create_audited(path, meta, Some(created))?;
        let mut wb = Workbench::with_case(case, source, network);
        wb.set_user(user);
        Ok(wb)
    }

    /// Opens an existing case file after checking it; it is not written to if the check fails.
    pub fn open(path: &Path, source: Option<SourceSpec>) -> Result<Workbench, ApiError> {
        let case = Case::open(path)?;
        let network = BtcNetwork::from_caip2(&case.meta().chain).ok_or_else(|| {
            ApiError::Case(crate::store::CaseError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("unsupported chain {}", case.meta().chain),
            })
        })?;
        Ok(Workbench::with_case(case, source, network))
    }

    fn with_case(case: Case, source: Option<SourceSpec>, network: BtcNetwork) -> Workbench {
        let clock = Clock::system();
        let connection = source.map(Connection::new);
        let source = connection
            .clone()
            .map(|c| Source::connect(c, network, clock.clone()));
        Workbench {
            case,
            source,
            connection,
            network,
            clock,
            user: UNKNOWN_USER.to_string(),
        }
    }

    /// Sets who the audit log names for the actions from now on (the edges pass
    /// `$TRACEBENCH_USER`, else `$USER`; the core reads no environment).
    pub fn set_user(&mut self, user: &str) {
        self.user = user.to_string();
    }

    /// Who the audit log names for this workbench's actions.
    pub fn user(&self) -> &str {
        &self.user
    }

    fn action(&self, action: &str, detail: serde_json::Value, now: DateTime<Utc>) -> AuditAction {
        AuditAction {
            at_utc: rfc3339(now),
            user: self.user.clone(),
            action: action.to_string(),
            detail,
        }
    }

    /// Records an export (`kind`: `report`, `bundle`, …) and the SHA-256 of what was written.
    pub fn record_export(
        &mut self,
        kind: &str,
        sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<AuditEntry, ApiError> {
        let action = self.action(
            "export",
            serde_json::json!({"kind": kind, "sha256": sha256}),
            now,
        );
        Ok(self.case.record_audit(action)?)
    }

    /// The case's audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEntry>, ApiError> {
        Ok(self.case.audit_log()?)
    }

    /// The hash of the newest audit-log entry (`None` for an empty log).
    pub fn audit_head(&self) -> Result<Option<String>, ApiError> {
        Ok(self.case.audit_head()?)
    }

    /// Verifies the case at `path` without writing to it (see [`crate::store::audit::verify`]).
    pub fn verify(
        path: &Path,
        expect_head: Option<&str>,
    ) -> Result<crate::store::AuditVerdict, ApiError> {
        Ok(crate::store::audit::verify(path, expect_head)?)
    }

    /// Replaces the clock used for retrieval times (tests, reproducible runs).
    pub fn set_clock(&mut self, clock: Clock) {
        self.source = self
            .connection
            .clone()
            .map(|c| Source::connect(c, self.network, clock.clone()));
        self.clock = clock;
    }

    /// Connects to a source with its credentials, policy, cancel token and progress sink
    /// (`None`: offline). Credentials stay in memory; the case records only the source id.
    pub fn connect_source(&mut self, connection: Option<Connection>) {
        self.source = connection
            .clone()
            .map(|c| Source::connect(c, self.network, self.clock.clone()));
        self.connection = connection;
    }

    /// The Bitcoin network of the case (its chain).
    pub fn network(&self) -> BtcNetwork {
        self.network
    }

    /// The connected source, if any.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    pub fn case(&self) -> &Case {
        &self.case
    }

    pub fn info(&self) -> CaseInfo {
        let m = self.case.meta();
        CaseInfo {
            case_id: m.case_id.clone(),
            title: m.title.clone(),
            investigator: m.investigator.clone(),
            agency: m.agency.clone(),
            created_utc: m.created_utc.clone(),
            chain: m.chain.clone(),
            path: self.case.path().display().to_string(),
            synthetic: self.case.is_synthetic().unwrap_or(false)
                || self
                    .source
                    .as_ref()
                    .is_some_and(|s| s.spec().is_synthetic()),
            source: self.source.as_ref().map(|s| s.spec().id.clone()),
        }
    }

    /// The visible graph, with positions and notes.
    pub fn graph(&self) -> Result<GraphView, ApiError> {
        super::view::graph_view(&self.case, self.info())
    }

    /// Adds an address or transaction to the canvas, fetching what the case lacks.
    pub async fn add(&mut self, query: &str, now: DateTime<Utc>) -> Result<AddOutcome, ApiError> {
        let query = Query::parse(query, self.network)?;
        let chain = self.network.caip2().to_string();
        let node = match &query {
            Query::Address(a) => NodeRef::Address {
                chain: chain.clone(),
                address: a.as_str().to_string(),
            },
            Query::Tx(t) => NodeRef::Tx {
                chain: chain.clone(),
                txid: t.as_str().to_string(),
            },
        };
        let mut fetch = Fetch::new(&mut self.case, self.source.as_ref(), &chain);
        match &node {
            NodeRef::Address { address, .. } => {
                fetch.history(address).await?;
            }
            NodeRef::Tx { txid, .. } => {
                fetch.tx(txid).await?;
            }
        }
        if let Some(what) = fetch.missing.first() {
            return Err(SourceError::Offline { what: what.clone() }.into());
        }
        let node_id = node.id();
        let action = AuditAction {
            at_utc: rfc3339(now),
            user: self.user.clone(),
            action: "add".to_string(),
            detail: serde_json::json!({"node_id": node_id,
                "raw_responses": fetch.raw_hashes()}),
        };
        let was_shown = fetch
            .case
            .canvas_nodes()?
            .iter()
            .any(|n| n.node_id == node_id);
        fetch.commit(std::slice::from_ref(&node_id), true, &rfc3339(now), action)?;
        // A new node connects to what is already on the canvas (connect.rs).
        let connected = if was_shown {
            Vec::new()
        } else {
            self.connect_new(std::slice::from_ref(&node_id), now)?
        };
        Ok(AddOutcome {
            node_id,
            connected,
            graph: self.graph()?,
        })
    }

    /// Expands a visible node by `hops` transactions: an address shows its transactions and
    /// their counterparties; a transaction shows its input and output addresses. Offline, what
    /// the case lacks is listed in `missing` and the rest is shown.
    pub async fn expand(
        &mut self,
        node_id: &str,
        hops: u32,
        now: DateTime<Utc>,
    ) -> Result<ExpandOutcome, ApiError> {
        let chain = self.network.caip2().to_string();
        let start = NodeRef::parse(node_id, &chain).ok_or_else(|| ApiError::NotFound {
            what: "node",
            id: node_id.to_string(),
        })?;
        let visible: BTreeSet<String> = self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect();
        if !visible.contains(node_id) {
            return Err(ApiError::NotFound {
                what: "canvas node",
                id: node_id.to_string(),
            });
        }
        let mut fetch = Fetch::new(&mut self.case, self.source.as_ref(), &chain);
        let mut shown: BTreeSet<String> = BTreeSet::new();
        let mut expanded: BTreeSet<NodeRef> = BTreeSet::new();
        let mut frontier = vec![start];
        // What the source could not give: kept apart, the rest is still shown (partial failure).
        let mut failures: Vec<(String, SourceError)> = Vec::new();
        'hops: for _ in 0..hops.max(1) {
            let mut next: BTreeSet<NodeRef> = BTreeSet::new();
            for node in std::mem::take(&mut frontier) {
                if !expanded.insert(node.clone()) {
                    continue;
                }
                let txids = match &node {
                    NodeRef::Address { address, .. } => match fetch.history(address).await {
                        Ok(ids) => ids,
                        Err(ApiError::Source(e)) => {
                            let cancelled = matches!(e, SourceError::Cancelled { .. });
                            failures.push((format!("history of address {address}"), e));
                            if cancelled {
                                break 'hops;
                            }
                            continue;
                        }
                        Err(e) => return Err(e),
                    },
                    NodeRef::Tx { txid, .. } => vec![txid.clone()],
                };
                let mut failed_txids = BTreeSet::new();
                for (txid, e) in fetch.prefetch(&txids).await? {
                    failed_txids.insert(txid.clone());
                    failures.push((format!("transaction {txid}"), e));
                }
                for txid in txids {
                    if failed_txids.contains(&txid) {
                        continue;
                    }
                    let Some(tx) = fetch.tx(&txid).await? else {
                        continue;
                    };
                    let tx_node = NodeRef::Tx {
                        chain: chain.clone(),
                        txid: tx.txid.clone(),
                    };
                    shown.insert(tx_node.id());
                    for a in tx_addresses(&tx) {
                        let a_node = NodeRef::Address {
                            chain: chain.clone(),
                            address: a,
                        };
                        shown.insert(a_node.id());
                        if !expanded.contains(&a_node) {
                            next.insert(a_node);
                        }
                    }
                }
            }
            frontier = next.into_iter().collect();
            if frontier.is_empty() {
                break;
            }
        }
        let added: Vec<String> = shown.difference(&visible).cloned().collect();
        if added.is_empty() && fetch.raws.is_empty() && !failures.is_empty() {
            // Nothing succeeded: the failure is the answer, and the case stays as it was.
            return Err(failures.swap_remove(0).1.into());
        }
        let missing = fetch.missing.clone();
        let failed: Vec<String> = failures
            .iter()
            .map(|(what, e)| format!("{what}: {e}"))
            .collect();
        let show: Vec<String> = shown.into_iter().collect();
        let action = AuditAction {
            at_utc: rfc3339(now),
            user: self.user.clone(),
            action: "expand".to_string(),
            detail: serde_json::json!({"node_id": node_id, "hops": hops, "added": added,
                "missing": missing, "failed": failed, "raw_responses": fetch.raw_hashes()}),
        };
        fetch.commit(&show, false, &rfc3339(now), action)?;
        Ok(ExpandOutcome {
            added,
            missing,
            failed,
            graph: self.graph()?,
        })
    }

    /// Saves canvas positions; nothing is saved if any id is not on the canvas.
    pub fn set_positions(&mut self, positions: &[NodePosition]) -> Result<(), ApiError> {
        NodePosition::check_all(positions)?;
        let rows: Vec<(String, f64, f64)> =
            positions.iter().map(|p| (p.id.clone(), p.x, p.y)).collect();
        let ids: Vec<&str> = rows.iter().map(|(id, _, _)| id.as_str()).collect();
        let action = self.action(
            "positions",
            serde_json::json!({"ids": ids}),
            self.clock.now(),
        );
        self.case.audited(action, |c| c.set_positions(&rows))?;
        Ok(())
    }

    /// Attaches an analyst note to a node on the canvas. The text is stored as given and is
    /// always shown as text, never as markup.
    pub fn add_note(
        &mut self,
        node_id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<NoteView, ApiError> {
        if text.trim().is_empty() {
            return Err(crate::address::InputError::Empty.into());
        }
        let visible = self
            .case
            .canvas_nodes()?
            .into_iter()
            .any(|n| n.node_id == node_id);
        if !visible {
            return Err(ApiError::NotFound {
                what: "canvas node",
                id: node_id.to_string(),
            });
        }
        let action = self.action(
            "note",
            serde_json::json!({"target": node_id, "text": text}),
            now,
        );
        let n = self
            .case
            .audited(action, |c| c.add_note(node_id, text, &rfc3339(now)))?;
        Ok(NoteView {
            id: n.id,
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        })
    }

    /// Multi-input clustering over every transaction in the case, the analyst's vetoes applied.
    pub fn clusters(&self) -> Result<Clustering, ApiError> {
        let txs = self.case.all_txs()?;
        let vetoed = self.case.vetoed_txids(self.network.caip2())?;
        Ok(cluster::cluster_with_vetoes(
            &txs,
            &ChainContext::new(&txs, BTreeSet::new()),
            &Profile::conservative(),
            &vetoed,
        ))
    }

    /// Clustering under `profile`, the analyst's vetoes applied; the case's transactions and
    /// complete address histories answer the dynamic change heuristics.
    pub fn clusters_with(&self, profile: &Profile) -> Result<Clustering, ApiError> {
        let txs = self.case.all_txs()?;
        let ctx = ChainContext::new(&txs, self.case.complete_histories()?);
        let vetoed = self.case.vetoed_txids(self.network.caip2())?;
        Ok(cluster::cluster_with_vetoes(&txs, &ctx, profile, &vetoed))
    }

    /// What the details panel shows about canvas node `node_id`: its transactions, first and
    /// last seen, its cluster (conservative profile, vetoes applied) or a transaction's findings.
    pub fn node_details(&self, node_id: &str) -> Result<super::NodeDetails, ApiError> {
        super::view::node_details(&self.case, &self.clusters()?, node_id)
    }

    /// What each heuristic changes about the clustering under `profile` (vetoes applied):
    /// see [`analysis::sensitivity::cluster_sensitivity`].
    pub fn cluster_sensitivity(
        &self,
        profile: &Profile,
    ) -> Result<analysis::sensitivity::ClusterSensitivity, ApiError> {
        let txs = self.case.all_txs()?;
        let ctx = ChainContext::new(&txs, self.case.complete_histories()?);
        let vetoed = self.case.vetoed_txids(self.network.caip2())?;
        Ok(analysis::sensitivity::cluster_sensitivity(
            &txs, &ctx, profile, &vetoed,
        ))
    }

    /// The chain of merges that joined `a` and `b` under the conservative profile (see
    /// [`cluster::explain`]); `cluster_id` is `None` when they are not in one cluster.
    pub fn explain(&self, a: &str, b: &str) -> Result<Explanation, ApiError> {
        self.explain_with(a, b, &Profile::conservative())
    }

    /// [`Workbench::explain`] under `profile`.
    pub fn explain_with(
        &self,
        a: &str,
        b: &str,
        profile: &Profile,
    ) -> Result<Explanation, ApiError> {
        Ok(cluster::explain(&self.clusters_with(profile)?, a, b))
    }

    /// Vetoes the merges of `txid`: from now on that transaction joins no addresses (neither by
    /// multi-input nor by change), so clusters it alone held together split. The veto is valid
    /// only when, under the widest built-in profile (`all`) and the vetoes already made, `txid`
    /// makes merges and both `a` and `b` are addresses it merges; otherwise nothing is recorded.
    pub fn veto(
        &mut self,
        txid: &str,
        a: &str,
        b: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Veto, ApiError> {
        let chain = self.network.caip2().to_string();
        if a == b {
            return Err(ApiError::Veto(format!(
                "name two different addresses (both were {a})"
            )));
        }
        let txs = self.case.all_txs()?;
        if !txs.iter().any(|t| t.txid == txid) {
            return Err(ApiError::NotFound {
                what: "transaction",
                id: txid.to_string(),
            });
        }
        if self.case.vetoed_txids(&chain)?.contains(txid) {
            return Err(ApiError::Veto(format!(
                "the merges of transaction {txid} are already vetoed"
            )));
        }
        let ctx = ChainContext::new(&txs, self.case.complete_histories()?);
        let (merges, _) = cluster::merges(&txs, &ctx, &Profile::all());
        let touched: BTreeSet<&str> = merges
            .iter()
            .filter(|m| m.txid == txid)
            .flat_map(|m| [m.a.as_str(), m.b.as_str()])
            .collect();
        if touched.is_empty() {
            return Err(ApiError::Veto(format!(
                "transaction {txid} merges no addresses (a coinbase, a CoinJoin or a single-owner spend)"
            )));
        }
        for addr in [a, b] {
            if !touched.contains(addr) {
                return Err(ApiError::Veto(format!(
                    "transaction {txid} does not merge address {addr}"
                )));
            }
        }
        let action = self.action(
            "veto",
            serde_json::json!({"chain": chain, "txid": txid, "a": a, "b": b, "reason": reason}),
            now,
        );
        Ok(self.case.audited(action, |c| {
            c.add_veto(&chain, txid, a, b, reason, &rfc3339(now))
        })?)
    }

    /// Writes the case as a bundle to `out` ([`crate::bundle`]); refuses to overwrite `out`.
    pub fn export_bundle(&self, out: &Path, now: DateTime<Utc>) -> Result<BundleSummary, ApiError> {
        Ok(bundle::export(&self.case, out, now)?)
    }

    /// Verifies the bundle at `bundle` completely, then writes its case to `out` (never over an
    /// existing file). Open it with [`Workbench::open`].
    pub fn import_bundle(bundle: &Path, out: &Path) -> Result<BundleSummary, ApiError> {
        Ok(bundle::import(bundle, out)?)
    }

    /// Every veto of the case, oldest first.
    pub fn vetoes(&self) -> Result<Vec<Veto>, ApiError> {
        Ok(self.case.vetoes()?)
    }

    /// One transaction of the case analysed under `profile`, with the case as context;
    /// `None` when the case does not hold it.
    pub fn analyze_tx(
        &self,
        txid: &str,
        profile: &Profile,
    ) -> Result<Option<TxAnalysis>, ApiError> {
        let txs = self.case.all_txs()?;
        let ctx = ChainContext::new(&txs, self.case.complete_histories()?);
        Ok(txs
            .iter()
            .find(|t| t.txid == txid)
            .map(|t| analysis::analyze_tx(t, &ctx, profile)))
    }

    /// The court report as PDF bytes; `generated_at` is printed on it (derive it from
    /// `SOURCE_DATE_EPOCH` for reproducible output).
    pub fn report_pdf(&self, generated_at: DateTime<Utc>) -> Result<Vec<u8>, ApiError> {
        self.report_pdf_with(generated_at, super::ReportExtras::default())
    }

    /// [`Workbench::report_pdf`] with attributions, exposures and the label-pack line the
    /// caller adds (the core knows no label store). The case's exchange records are always
    /// listed as attributions; without a note, the label-pack versions the case recorded are
    /// named.
    pub fn report_pdf_with(
        &self,
        generated_at: DateTime<Utc>,
        extra: super::ReportExtras,
    ) -> Result<Vec<u8>, ApiError> {
        let input = super::exhibit::report_input(&self.case, self.info(), generated_at, extra)?;
        tracebench_report::render_pdf(&input).map_err(|e| ApiError::Report(e.to_string()))
    }

    /// Records that the case was screened against these label packs `(pack_id, version)`.
    /// Screening again against versions already recorded changes nothing and logs nothing, so
    /// a repeated report does not change the case (nor its content hash).
    pub fn record_label_packs(
        &mut self,
        packs: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let known: BTreeSet<(String, String)> = self
            .case
            .label_packs()?
            .into_iter()
            .map(|p| (p.pack_id, p.version))
            .collect();
        if packs.iter().all(|p| known.contains(p)) {
            return Ok(());
        }
        let action = self.action("labels.use", serde_json::json!({"packs": packs}), now);
        Ok(self
            .case
            .audited(action, |c| c.record_label_packs(packs, &rfc3339(now)))?)
    }

    /// The label-pack versions the case used: `(pack_id, version, first_used_utc)`.
    pub fn label_packs(&self) -> Result<Vec<(String, String, String)>, ApiError> {
        Ok(self
            .case
            .label_packs()?
            .into_iter()
            .map(|p| (p.pack_id, p.version, p.first_used_utc))
            .collect())
    }

    /// Imports an exchange's answer (CSV of deposits and withdrawals) as off-chain evidence:
    /// all rows, or nothing when any line is invalid (then `invalid` names them). The file is
    /// stored as a raw response of source `exchange:<source>`.
    pub fn import_exchange_records(
        &mut self,
        csv: &[u8],
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<super::ExchangeImport, ApiError> {
        self.import_exchange_file(csv, source, "records.csv", now)
    }

    /// [`Workbench::import_exchange_records`] naming the imported file (provenance endpoint
    /// `import:<file name>`).
    pub fn import_exchange_file(
        &mut self,
        csv: &[u8],
        source: &str,
        file_name: &str,
        now: DateTime<Utc>,
    ) -> Result<super::ExchangeImport, ApiError> {
        let action = self.action(
            "records.import",
            serde_json::json!({"source": source, "file": file_name, "sha256": crate::store::sha256_hex(csv)}),
            now,
        );
        let network = self.network;
        self.case.audited(action, |c| {
            super::attribution::import(c, network, csv, source, file_name, now)
        })
    }

    /// The case's exchange records, each marked `on_chain` when its address or txid is in the
    /// case.
    pub fn exchange_records(&self) -> Result<Vec<super::ExchangeRecordView>, ApiError> {
        super::attribution::views(&self.case)
    }

    /// The clock this workbench stamps retrievals with.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}

/// Addresses of a transaction's inputs and outputs, sorted, without duplicates.
fn tx_addresses(tx: &Tx) -> Vec<String> {
    let set: BTreeSet<&String> = tx
        .inputs
        .iter()
        .filter_map(|i| i.address.as_ref())
        .chain(tx.outputs.iter().filter_map(|o| o.address.as_ref()))
        .collect();
    set.into_iter().cloned().collect()
}

/// A case id that is unique and readable: `TB-<date>-<8 hex>`.
fn new_case_id(path: &Path, meta: &NewCase, now: DateTime<Utc>) -> String {
    let mut h = Sha256::new();
    h.update(path.display().to_string().as_bytes());
    h.update(meta.title.as_bytes());
    h.update(now.timestamp_nanos_opt().unwrap_or_default().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    let digest = hex::encode(h.finalize());
    format!(
        "TB-{}-{}",
        now.format("%Y%m%d"),
        &digest[..8].to_uppercase()
    )
}

/// One fetch session: answers from the case first, then from the source, and keeps everything
/// fetched in memory until [`Fetch::commit`] writes it (with the canvas change) in one
/// transaction, so a failure part-way leaves the case exactly as it was.
struct Fetch<'a> {
    case: &'a mut Case,
    source: Option<&'a Source>,
    chain: String,
    raws: Vec<(RawResponse, Vec<Tx>)>,
    txs: BTreeMap<String, Tx>,
    histories: BTreeMap<String, (bool, Vec<String>)>,
    missing: Vec<String>,
}

impl<'a> Fetch<'a> {
    fn new(case: &'a mut Case, source: Option<&'a Source>, chain: &str) -> Fetch<'a> {
        Fetch {
            case,
            source,
            chain: chain.to_string(),
            raws: Vec::new(),
            txs: BTreeMap::new(),
            histories: BTreeMap::new(),
            missing: Vec::new(),
        }
    }

    async fn tx(&mut self, txid: &str) -> Result<Option<Tx>, ApiError> {
        if let Some(t) = self.txs.get(txid) {
            return Ok(Some(t.clone()));
        }
        if let Some(t) = self.case.tx(&self.chain, txid)? {
            return Ok(Some(t));
        }
        let Some(source) = self.source else {
            self.note_missing(format!("transaction {txid}"));
            return Ok(None);
        };
        let fetched = source.tx(txid).await?;
        Ok(Some(self.keep(fetched)))
    }

    /// Fetches the transactions of `txids` that neither this session nor the case holds, as
    /// many at once as the source's policy allows; returns the ones that failed, with why.
    async fn prefetch(&mut self, txids: &[String]) -> Result<Vec<(String, SourceError)>, ApiError> {
        let Some(source) = self.source else {
            return Ok(Vec::new());
        };
        let mut wanted = Vec::new();
        for t in txids {
            if !self.txs.contains_key(t) && !self.case.has_tx(&self.chain, t)? {
                wanted.push(t.clone());
            }
        }
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let batch = source.txs(&wanted).await;
        for f in batch.fetched {
            self.keep(f);
        }
        Ok(batch.failed)
    }

    /// Keeps a fetched transaction and the responses it rests on for the commit.
    fn keep(&mut self, fetched: crate::source::TxFetch) -> Tx {
        let tx = fetched.tx;
        self.txs.insert(tx.txid.clone(), tx.clone());
        self.raws.push((fetched.raw, vec![tx.clone()]));
        for raw in fetched.supporting {
            // A block header several transactions rest on is stored once per session.
            let known = self
                .raws
                .iter()
                .any(|(r, _)| r.endpoint == raw.endpoint && r.body == raw.body);
            if !known {
                self.raws.push((raw, Vec::new()));
            }
        }
        tx
    }

    /// Txids of the address's history: all of it when the case has it complete, else fetched
    /// page by page (up to [`MAX_HISTORY_PAGES`]).
    async fn history(&mut self, address: &str) -> Result<Vec<String>, ApiError> {
        if let Some((_, ids)) = self.histories.get(address) {
            return Ok(ids.clone());
        }
        let known = self.case.address_history(&self.chain, address)?;
        if known.is_some() || self.source.is_none() {
            if known.is_none() {
                self.note_missing(format!("history of address {address}"));
            }
            return Ok(self.case.address_txids(&self.chain, address)?);
        }
        let source = self.source.expect("checked above");
        // Counted page by page ("page 2 of 4") when someone listens to the source's progress.
        let mut counter = source
            .gate()
            .progress_sink()
            .map(|_| history_progress::PageCounter::new(address, MAX_HISTORY_PAGES));
        let history = histories::history_pages_counted(source, address, counter.as_mut()).await?;
        let ids = history.txids.clone();
        self.keep_history(address, history);
        let mut all: BTreeSet<String> = ids.into_iter().collect();
        all.extend(self.case.address_txids(&self.chain, address)?);
        Ok(all.into_iter().collect())
    }

    fn note_missing(&mut self, what: String) {
        if !self.missing.contains(&what) {
            self.missing.push(what);
        }
    }

    /// Writes everything fetched and shows `nodes` on the canvas, in one transaction.
    /// SHA-256 of each raw response fetched in this session, in fetch order.
    fn raw_hashes(&mut self) -> Vec<String> {
        self.keep_network_answer();
        self.raws.iter().map(|(raw, _)| raw.sha256()).collect()
    }

    /// Keeps the connection's network check (Esplora `/block-height/0`) for the commit, first:
    /// it was asked before anything else. Stored once per connection.
    fn keep_network_answer(&mut self) {
        if let Some(raw) = self.source.and_then(Source::take_network_answer) {
            self.raws.insert(0, (raw, Vec::new()));
        }
    }

    fn commit(
        mut self,
        nodes: &[String],
        seed: bool,
        now: &str,
        action: AuditAction,
    ) -> Result<(), ApiError> {
        self.keep_network_answer();
        let (kind, synthetic) = match self.source {
            Some(s) => (s.kind().as_str(), s.spec().is_synthetic()),
            None => ("esplora", false),
        };
        let histories = self
            .histories
            .iter()
            .map(|(a, (complete, ids))| {
                (self.chain.clone(), a.clone(), *complete, ids.len() as u64)
            })
            .collect();
        let ingest = Ingest {
            source_kind: kind,
            synthetic,
            batches: self
                .raws
                .iter()
                .map(|(raw, txs)| Batch { raw, txs })
                .collect(),
            histories,
            show: nodes.to_vec(),
            show_as_seed: seed,
            now,
        };
        self.case.audited(action, |c| c.ingest(&ingest))?;
        Ok(())
    }
}
