//! EVM chains on the workbench, shared by the CLI and the app: which EVM source to ask
//! ([`EvmSourceSpec`], the CLI's `--source` syntax), its connection ([`EvmConnection`]: HTTP
//! client, API key, cancel token, progress sink), adding a `0x…` address or transaction to the
//! case and its canvas ([`Workbench::add_evm`]) and expanding an EVM node page by page
//! ([`Workbench::expand_evm_page`]). Without a connection (offline) both answer from the case
//! alone and change nothing when it lacks what was asked.
//!
//! Every fetch is stored with its raw responses by `Case::ingest_evm_showing`, together with the
//! canvas change and the audit entry, in one transaction: a failure leaves the case as it was.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::expand_page::{PageOutcome, MAX_PAGE_LIMIT};
use super::Workbench;
use crate::address::{EvmAddress, EvmInputError, EvmQuery, EvmTxHash};
use crate::api::dto::GraphView;
use crate::api::view_evm::EvmNode;
use crate::api::ApiError;
use crate::chain::{ChainError, EvmChain};
use crate::config::Config;
use crate::model::AccountTransfer;
use crate::source::evm::{Etherscan, EvmRpc, EvmSourceError};
use crate::source::policy::{CancelToken, Gate, Policy, ProgressSink};
use crate::source::{redact_url, rfc3339, Clock};
use crate::store::{AuditAction, EvmFetch};

/// The public Etherscan API root.
pub const ETHERSCAN_DEFAULT: &str = "https://api.etherscan.io";

/// The EVM simulator's scenario name (`sim:evm-usdt:<seed>`).
pub const EVM_SIM_SCENARIO: &str = "evm-usdt";

/// The chain id the EVM simulator answers as.
pub const EVM_SIM_CHAIN_ID: u64 = 1;

/// Why an EVM request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EvmError {
    #[error("EVM source {text:?}: {detail}")]
    Spec { text: String, detail: String },
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Input(#[from] EvmInputError),
    #[error(transparent)]
    Source(#[from] EvmSourceError),
    #[error("{0}")]
    WrongSource(String),
    #[error(
        "offline: the case does not hold the {what}; go online (or pick an EVM source) to fetch it"
    )]
    Offline { what: String },
    #[error("no EVM source is set: {0}")]
    NoSource(String),
}

impl EvmError {
    /// The API's stable error code (see `ApiError::code`).
    pub fn code(&self) -> &'static str {
        match self {
            EvmError::Spec { .. }
            | EvmError::Chain(_)
            | EvmError::Input(_)
            | EvmError::WrongSource(_)
            | EvmError::NoSource(_) => "invalid_input",
            EvmError::Offline { .. } => "offline",
            EvmError::Source(EvmSourceError::Unreachable { .. }) => "source_unavailable",
            EvmError::Source(_) => "source_error",
        }
    }
}

/// An EVM source, as the CLI's `--source` flag and the app's sources setting name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvmSourceSpec {
    /// `etherscan:<chainid>[=<base_url>]`: addresses' histories through the Etherscan v2 API.
    Etherscan { chain: EvmChain, base_url: String },
    /// `evm-rpc:<chainid>=<url>`: transactions through a node's JSON-RPC.
    Rpc { chain: EvmChain, url: String },
    /// `sim:evm-usdt:<seed>[=<url>]`: the EVM simulator at `url` (which speaks both); without a
    /// URL the caller starts it on loopback.
    Sim { seed: u64, url: Option<String> },
}

/// `text` as errors may show it: secret query parameters and any `user:password@` (whatever
/// the scheme) replaced by `***`.
fn shown(text: &str) -> String {
    let text = redact_url(text);
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        return text;
    };
    let rest = &text[scheme_end..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{}***{}", &text[..scheme_end], &rest[at..]),
        None => text,
    }
}

fn check_url(text: &str, url: &str) -> Result<(), EvmError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(EvmError::Spec {
            text: shown(text),
            detail: "the URL must start with http:// or https://".into(),
        })
    }
}

impl EvmSourceSpec {
    /// Parses `etherscan:<chainid>[=<base_url>]`, `evm-rpc:<chainid>=<url>` or
    /// `sim:evm-usdt:<seed>[=<url>]`; a trailing `/` of a URL is dropped.
    pub fn parse(text: &str) -> Result<EvmSourceSpec, EvmError> {
        let text = text.trim();
        let spec_err = |detail: String| EvmError::Spec {
            text: shown(text),
            detail,
        };
        let (kind, rest) = text.split_once(':').ok_or_else(|| {
            spec_err("use etherscan:<chainid>[=<base_url>], evm-rpc:<chainid>=<url> or sim:evm-usdt:<seed>[=<url>]".into())
        })?;
        let (id, url) = match rest.split_once('=') {
            Some((i, u)) => (i, Some(u.trim().trim_end_matches('/').to_string())),
            None => (rest, None),
        };
        if let Some(u) = &url {
            check_url(text, u)?;
        }
        match kind {
            "sim" => {
                let (scenario, seed) = id.split_once(':').ok_or_else(|| {
                    spec_err(format!("expected sim:{EVM_SIM_SCENARIO}:<seed>[=<url>]"))
                })?;
                if scenario != EVM_SIM_SCENARIO {
                    return Err(spec_err(format!(
                        "the simulator serves EVM data only for the {EVM_SIM_SCENARIO} scenario, not {scenario:?}"
                    )));
                }
                let seed = seed
                    .parse()
                    .map_err(|_| spec_err(format!("the seed {seed:?} is not a whole number")))?;
                Ok(EvmSourceSpec::Sim { seed, url })
            }
            "etherscan" => Ok(EvmSourceSpec::Etherscan {
                chain: EvmChain::parse(id)?,
                base_url: url.unwrap_or_else(|| ETHERSCAN_DEFAULT.to_string()),
            }),
            "evm-rpc" => {
                let chain = EvmChain::parse(id)?;
                let url = url.ok_or_else(|| {
                    spec_err("a node needs its URL: evm-rpc:<chainid>=<url>".into())
                })?;
                Ok(EvmSourceSpec::Rpc { chain, url })
            }
            other => Err(spec_err(format!(
                "unknown EVM source kind {other:?}: use etherscan:<chainid>[=<base_url>], evm-rpc:<chainid>=<url> or sim:evm-usdt:<seed>[=<url>]"
            ))),
        }
    }

    pub fn chain(&self) -> EvmChain {
        match self {
            EvmSourceSpec::Etherscan { chain, .. } | EvmSourceSpec::Rpc { chain, .. } => *chain,
            EvmSourceSpec::Sim { .. } => EvmChain::new(EVM_SIM_CHAIN_ID)
                .expect("the simulator's chain id is a supported chain"),
        }
    }

    /// The source id provenance records: `etherscan:<id>`, `evm-rpc:<id>` or `sim:evm-usdt:<seed>`.
    pub fn source_id(&self) -> String {
        match self {
            EvmSourceSpec::Etherscan { chain, .. } => format!("etherscan:{}", chain.chain_id()),
            EvmSourceSpec::Rpc { chain, .. } => format!("evm-rpc:{}", chain.chain_id()),
            EvmSourceSpec::Sim { seed, .. } => format!("sim:{EVM_SIM_SCENARIO}:{seed}"),
        }
    }

    /// The spec as text, secrets in its URL replaced by `***`.
    pub fn describe(&self) -> String {
        let text = match self {
            EvmSourceSpec::Etherscan { chain, base_url } => {
                format!("etherscan:{}={base_url}", chain.chain_id())
            }
            EvmSourceSpec::Rpc { chain, url } => format!("evm-rpc:{}={url}", chain.chain_id()),
            EvmSourceSpec::Sim { seed, url: Some(u) } => {
                format!("sim:{EVM_SIM_SCENARIO}:{seed}={u}")
            }
            EvmSourceSpec::Sim { seed, url: None } => format!("sim:{EVM_SIM_SCENARIO}:{seed}"),
        };
        shown(&text)
    }
}

/// The Etherscan API key of `config.toml`: `api_key` under `[source."etherscan:<chainid>"]`,
/// else under `[source."etherscan"]`.
pub fn etherscan_key(config: &Config, chain: EvmChain) -> Option<String> {
    let id = format!("etherscan:{}", chain.chain_id());
    [id.as_str(), "etherscan"]
        .iter()
        .find_map(|id| config.secrets(id).and_then(|s| s.api_key.clone()))
        .filter(|k| !k.trim().is_empty())
}

/// A connected EVM source: the spec with the URL to ask, the API key (memory only), the HTTP
/// client, and the cancel token and progress sink every request's gate reports to.
#[derive(Clone)]
pub struct EvmConnection {
    pub spec: EvmSourceSpec,
    url: String,
    api_key: Option<String>,
    client: reqwest::Client,
    clock: Clock,
    cancel: CancelToken,
    progress: Option<ProgressSink>,
}

impl std::fmt::Debug for EvmConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvmConnection")
            .field("spec", &self.spec.describe())
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

impl EvmConnection {
    /// Connects `spec`; a simulator without a URL must be given the one it was started at
    /// (`sim_url`).
    pub fn new(
        spec: EvmSourceSpec,
        sim_url: Option<String>,
        api_key: Option<String>,
        client: reqwest::Client,
        clock: Clock,
    ) -> Result<EvmConnection, EvmError> {
        let url = match &spec {
            EvmSourceSpec::Etherscan { base_url, .. } => base_url.clone(),
            EvmSourceSpec::Rpc { url, .. } => url.clone(),
            EvmSourceSpec::Sim { url: Some(u), .. } => u.clone(),
            EvmSourceSpec::Sim { url: None, .. } => sim_url.ok_or_else(|| {
                EvmError::NoSource("the EVM simulator is not running: give its URL".into())
            })?,
        };
        Ok(EvmConnection {
            spec,
            url,
            api_key: api_key.filter(|k| !k.trim().is_empty()),
            client,
            clock,
            cancel: CancelToken::new(),
            progress: None,
        })
    }

    /// [`EvmConnection::new`] with the workbench's own HTTP client (30 s timeout, a Tracebench
    /// user agent).
    pub fn open(
        spec: EvmSourceSpec,
        sim_url: Option<String>,
        api_key: Option<String>,
        clock: Clock,
    ) -> Result<EvmConnection, EvmError> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .user_agent(concat!("Tracebench/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| EvmError::NoSource(format!("the HTTP client could not be built: {e}")))?;
        EvmConnection::new(spec, sim_url, api_key, client, clock)
    }

    /// Whether an API key is set (the key itself never leaves the connection).
    pub fn has_key(&self) -> bool {
        self.api_key.is_some()
    }

    /// Reports every finished request to `sink`.
    pub fn with_progress(mut self, sink: ProgressSink) -> EvmConnection {
        self.progress = Some(sink);
        self
    }

    /// Cancels the fetches under way (and every later one until [`EvmConnection::reset_cancel`]).
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// A fresh cancel token for the next fetch.
    pub fn reset_cancel(&mut self) {
        self.cancel = CancelToken::new();
    }

    fn gate(&self) -> Gate {
        Gate::with(
            &self.spec.source_id(),
            Policy::default(),
            self.clock.clone(),
            self.cancel.clone(),
            self.progress.clone(),
        )
    }

    /// An address's history (Etherscan or the simulator).
    pub async fn address_history(&self, address: &EvmAddress) -> Result<EvmFetch, EvmError> {
        let chain = self.spec.chain();
        let es = match &self.spec {
            EvmSourceSpec::Rpc { .. } => {
                return Err(EvmError::WrongSource(
                    "a node's JSON-RPC cannot list an address's history: pick an Etherscan source (etherscan:<chainid>[=<base_url>])".into(),
                ))
            }
            EvmSourceSpec::Etherscan { .. } => Etherscan::new(
                self.client.clone(),
                &self.url,
                self.api_key.clone(),
                chain,
                self.clock.clone(),
            ),
            EvmSourceSpec::Sim { .. } => Etherscan::new(
                self.client.clone(),
                &self.url,
                self.api_key.clone(),
                chain,
                self.clock.clone(),
            )
            .with_source_id(&self.spec.source_id()),
        };
        Ok(es.with_gate(self.gate()).address_history(address).await?)
    }

    /// One transaction (a node's JSON-RPC or the simulator).
    pub async fn transaction(&self, hash: &EvmTxHash) -> Result<EvmFetch, EvmError> {
        let chain = self.spec.chain();
        let node = match &self.spec {
            EvmSourceSpec::Etherscan { .. } => {
                return Err(EvmError::WrongSource(
                    "transactions are read from a node: pick an EVM JSON-RPC source (evm-rpc:<chainid>=<url>)".into(),
                ))
            }
            EvmSourceSpec::Rpc { .. } => {
                EvmRpc::new(self.client.clone(), &self.url, chain, self.clock.clone())
            }
            EvmSourceSpec::Sim { .. } => {
                EvmRpc::new(self.client.clone(), &self.url, chain, self.clock.clone())
                    .with_source_id(&self.spec.source_id())
            }
        };
        Ok(node.with_gate(self.gate()).transaction(hash).await?)
    }
}

/// What adding an EVM address or transaction did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvmAddOutcome.ts")]
pub struct EvmAddOutcome {
    /// The canvas node (`eth:addr:0x…`, `bsc:tx:0x…`).
    pub node_id: String,
    /// CAIP-2, e.g. `eip155:1`.
    pub chain: String,
    pub chain_name: String,
    /// `address` or `transaction`.
    pub kind: String,
    /// The address (EIP-55) or the transaction hash.
    pub shown: String,
    /// The source that answered; `None` offline (answered from the case).
    pub source_id: Option<String>,
    #[ts(type = "number")]
    pub raw_responses: u64,
    #[ts(type = "number")]
    pub txs_added: u64,
    #[ts(type = "number")]
    pub transfers_added: u64,
    /// Transfers of this chain in the case after the add.
    #[ts(type = "number")]
    pub transfers_in_case: u64,
    /// False when the source's request limit cut the history short.
    pub complete: bool,
    pub graph: GraphView,
}

/// The chain holding `query` in the case: the one `hint` names, else the first supported chain
/// whose data has it.
fn chain_in_case(
    case: &crate::store::Case,
    query: &EvmQuery,
    hint: Option<EvmChain>,
) -> Result<Option<EvmChain>, ApiError> {
    let chains: Vec<EvmChain> = match hint {
        Some(c) => vec![c],
        None => EvmChain::all().collect(),
    };
    for c in chains {
        let caip2 = c.caip2();
        let held = match query {
            EvmQuery::Address(a) => case.address_history(&caip2, a.as_str())?.is_some(),
            EvmQuery::Tx(h) => case.evm_tx(&caip2, h.as_str())?.is_some(),
        };
        if held {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// The transactions an address took part in, oldest first (order key, then txid).
fn txids_of(transfers: &[AccountTransfer], address: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in transfers {
        if (t.from == address || t.to == address) && seen.insert(t.txid.clone()) {
            out.push(t.txid.clone());
        }
    }
    out
}

/// The addresses of a transaction's transfers, sorted.
fn addresses_of(transfers: &[AccountTransfer], txid: &str) -> Vec<String> {
    let set: BTreeSet<&String> = transfers
        .iter()
        .filter(|t| t.txid == txid)
        .flat_map(|t| [&t.from, &t.to])
        .collect();
    set.into_iter().cloned().collect()
}

impl Workbench {
    /// Adds an EVM address or transaction hash (`0x…`, EIP-55 checked) to the case and shows it
    /// on the canvas as a starting point. With `source` its history or the transaction is
    /// fetched and stored with provenance; without (offline) the case must already hold it.
    pub async fn add_evm(
        &mut self,
        query: &str,
        source: Option<&EvmConnection>,
        now: DateTime<Utc>,
    ) -> Result<EvmAddOutcome, ApiError> {
        let query = EvmQuery::parse(query).map_err(EvmError::from)?;
        let (kind, shown) = match &query {
            EvmQuery::Address(a) => ("address", a.checksummed()),
            EvmQuery::Tx(h) => ("transaction", h.as_str().to_string()),
        };
        let at = rfc3339(now);
        let (chain, fetch) = match source {
            Some(conn) => {
                let fetch = match &query {
                    EvmQuery::Address(a) => conn.address_history(a).await?,
                    EvmQuery::Tx(h) => conn.transaction(h).await?,
                };
                (conn.spec.chain(), Some(fetch))
            }
            None => {
                let chain =
                    chain_in_case(&self.case, &query, None)?.ok_or_else(|| EvmError::Offline {
                        what: format!("{kind} {shown}"),
                    })?;
                (chain, None)
            }
        };
        let node = match &query {
            EvmQuery::Address(a) => EvmNode::Address {
                chain,
                address: a.as_str().to_string(),
            },
            EvmQuery::Tx(h) => EvmNode::Tx {
                chain,
                txid: h.as_str().to_string(),
            },
        };
        let node_id = node.id();
        let source_id = source.map(|s| s.spec.source_id());
        let raws: Vec<String> = fetch
            .iter()
            .flat_map(|f| f.raws.iter().map(|r| r.sha256()))
            .collect();
        let action = AuditAction {
            at_utc: at.clone(),
            user: self.user.clone(),
            action: "evm.add".to_string(),
            detail: serde_json::json!({"chain": chain.caip2(), kind: shown, "node_id": node_id,
                "source": source_id, "offline": source.is_none(), "raw_responses": raws}),
        };
        let show = [node_id.clone()];
        let added = match &fetch {
            Some(f) => self
                .case
                .audited(action, |c| c.ingest_evm_showing(f, &show, true, &at))?,
            None => {
                self.case
                    .audited(action, |c| c.show_nodes(&show, true, &at))?;
                Default::default()
            }
        };
        let caip2 = chain.caip2();
        let complete = match (&fetch, &query) {
            (Some(f), _) => f.histories.iter().all(|h| h.2),
            (None, EvmQuery::Address(a)) => self
                .case
                .address_history(&caip2, a.as_str())?
                .is_some_and(|h| h.complete),
            (None, EvmQuery::Tx(_)) => true,
        };
        Ok(EvmAddOutcome {
            node_id,
            chain: caip2.clone(),
            chain_name: chain.name().to_string(),
            kind: kind.to_string(),
            shown,
            source_id,
            raw_responses: raws.len() as u64,
            txs_added: added.txs as u64,
            transfers_added: added.transfers as u64,
            transfers_in_case: self.case.account_transfers(&caip2)?.len() as u64,
            complete,
            graph: self.graph()?,
        })
    }

    /// Shows neighbours `offset .. offset + limit` of EVM canvas node `node_id`: an address's
    /// transactions oldest first, each with the addresses of its transfers; a transaction's
    /// addresses. An address whose history the case lacks (or holds incomplete) is fetched
    /// through `source`; offline, what is missing is listed and the rest shown.
    pub async fn expand_evm_page(
        &mut self,
        node_id: &str,
        offset: u32,
        limit: u32,
        source: Option<&EvmConnection>,
        now: DateTime<Utc>,
    ) -> Result<PageOutcome, ApiError> {
        let limit = limit.clamp(1, MAX_PAGE_LIMIT) as usize;
        let not_found = || ApiError::NotFound {
            what: "canvas node",
            id: node_id.to_string(),
        };
        let node = EvmNode::parse(node_id).ok_or_else(not_found)?;
        let visible: BTreeSet<String> = self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect();
        if !visible.contains(node_id) {
            return Err(not_found());
        }
        let chain = node.chain();
        let caip2 = chain.caip2();
        if let Some(s) = source {
            if s.spec.chain() != chain {
                return Err(EvmError::WrongSource(format!(
                    "the EVM source {} answers for {} ({}), not for {} ({caip2}) where {node_id} is",
                    s.spec.describe(),
                    s.spec.chain().name(),
                    s.spec.chain().caip2(),
                    chain.name()
                ))
                .into());
            }
        }
        let mut missing = Vec::new();
        let fetch: Option<EvmFetch> = match &node {
            EvmNode::Address { address, .. } => {
                let known = self.case.address_history(&caip2, address)?;
                match (known.as_ref().is_some_and(|h| h.complete), source) {
                    (true, _) => None,
                    (false, Some(s)) => {
                        let a = EvmAddress::parse(address).map_err(EvmError::from)?;
                        Some(s.address_history(&a).await?)
                    }
                    (false, None) => {
                        missing.push(format!(
                            "{}history of address {} on {caip2}",
                            if known.is_some() {
                                "the rest of the "
                            } else {
                                ""
                            },
                            node.label()
                        ));
                        None
                    }
                }
            }
            EvmNode::Tx { txid, .. } => {
                let held = self.case.evm_tx(&caip2, txid)?.is_some();
                match (held, source) {
                    (true, _) => None,
                    (false, Some(s)) if !matches!(s.spec, EvmSourceSpec::Etherscan { .. }) => {
                        let h = EvmTxHash::parse(txid).map_err(EvmError::from)?;
                        Some(s.transaction(&h).await?)
                    }
                    (false, _) => {
                        missing.push(format!("transaction {txid} on {caip2}"));
                        None
                    }
                }
            }
        };
        // The neighbours, from the case's transfers and what was just fetched.
        let mut transfers = self.case.account_transfers(&caip2)?;
        if let Some(f) = &fetch {
            transfers.extend(f.transfers.iter().map(|(_, t)| t.clone()));
            transfers.sort_by(|a, b| {
                (a.order_key(), &a.txid, a.kind, &a.from, &a.to).cmp(&(
                    b.order_key(),
                    &b.txid,
                    b.kind,
                    &b.from,
                    &b.to,
                ))
            });
        }
        let addr_id = |a: &str| {
            EvmNode::Address {
                chain,
                address: a.to_string(),
            }
            .id()
        };
        let mut shown: BTreeSet<String> = BTreeSet::new();
        let (total, page_len) = match &node {
            EvmNode::Address { address, .. } => {
                let txids = txids_of(&transfers, address);
                let page: Vec<&String> = txids.iter().skip(offset as usize).take(limit).collect();
                for txid in &page {
                    shown.insert(
                        EvmNode::Tx {
                            chain,
                            txid: (*txid).clone(),
                        }
                        .id(),
                    );
                    for a in addresses_of(&transfers, txid) {
                        shown.insert(addr_id(&a));
                    }
                }
                (txids.len(), page.len())
            }
            EvmNode::Tx { txid, .. } => {
                let addrs = addresses_of(&transfers, txid);
                let page: Vec<&String> = addrs.iter().skip(offset as usize).take(limit).collect();
                for a in &page {
                    shown.insert(addr_id(a));
                }
                (addrs.len(), page.len())
            }
        };
        let added: Vec<String> = shown.difference(&visible).cloned().collect();
        let show: Vec<String> = shown.into_iter().collect();
        let at = rfc3339(now);
        let raws: Vec<String> = fetch
            .iter()
            .flat_map(|f| f.raws.iter().map(|r| r.sha256()))
            .collect();
        let action = AuditAction {
            at_utc: at.clone(),
            user: self.user.clone(),
            action: "expand".to_string(),
            detail: serde_json::json!({"node_id": node_id, "offset": offset, "limit": limit,
                "added": added, "missing": missing, "source": source.map(|s| s.spec.source_id()),
                "raw_responses": raws}),
        };
        match &fetch {
            Some(f) => {
                self.case
                    .audited(action, |c| c.ingest_evm_showing(f, &show, false, &at))?;
            }
            None if !added.is_empty() => {
                self.case
                    .audited(action, |c| c.show_nodes(&show, false, &at))?;
            }
            None => {}
        }
        Ok(PageOutcome {
            node_id: node_id.to_string(),
            added,
            offset,
            shown: (offset as usize + page_len).min(total) as u32,
            total: total as u32,
            missing,
            graph: self.graph()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_specs_parse_with_clear_errors() {
        assert_eq!(
            EvmSourceSpec::parse("etherscan:56=http://127.0.0.1:9/").unwrap(),
            EvmSourceSpec::Etherscan {
                chain: EvmChain::BSC,
                base_url: "http://127.0.0.1:9".into()
            },
            "chain id and base URL, trailing slash dropped"
        );
        assert_eq!(
            EvmSourceSpec::parse("sim:evm-usdt:7=http://127.0.0.1:9").unwrap(),
            EvmSourceSpec::Sim {
                seed: 7,
                url: Some("http://127.0.0.1:9".into())
            },
            "the simulator at a URL"
        );
        assert_eq!(
            EvmSourceSpec::parse("evm-rpc:137=http://127.0.0.1:8545")
                .unwrap()
                .source_id(),
            "evm-rpc:137",
            "a node's source id names its chain"
        );
        for (bad, named) in [
            ("etherscan:31337=http://x", "31337"),
            ("evm-rpc:1", "URL"),
            ("evm-rpc:1=ftp://x", "http://"),
            ("sim:ransomware:1", "evm-usdt"),
            ("sim:evm-usdt:one", "\"one\""),
            ("graphsense:1", "unknown EVM source kind"),
        ] {
            let err = EvmSourceSpec::parse(bad).unwrap_err().to_string();
            assert!(
                err.contains(named),
                "{bad} is refused naming {named}: {err}"
            );
        }
        let described = EvmSourceSpec::parse("evm-rpc:1=http://u:secret@127.0.0.1:8545/?apikey=k")
            .unwrap()
            .describe();
        assert!(
            !described.contains("secret") && !described.contains("apikey=k"),
            "the sources menu never shows a password or key: {described}"
        );
        let err = EvmSourceSpec::parse("evm-rpc:1=ftp://u:secret@x/?apikey=k")
            .unwrap_err()
            .to_string();
        assert!(
            !err.contains("secret"),
            "a refused spec's error never echoes a password: {err}"
        );
    }
}
