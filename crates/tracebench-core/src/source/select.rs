//! The one source interface the workbench fetches through: which kind a source id names, the
//! credentials and policy it is connected with, and the calls every Bitcoin source answers.

use super::core_rpc::{CoreRpc, RpcAuth};
use super::esplora::Esplora;
use super::policy::{CancelToken, Gate, Policy, ProgressEvent, ProgressSink};
use super::{Clock, SourceError, SourceSpec};
use crate::chain::BtcNetwork;
use crate::model::Tx;
use crate::store::RawResponse;

/// The kinds of Bitcoin source, named by the prefix of the source id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Esplora REST (`esplora:…`, `sim:…`, or any other id).
    Esplora,
    /// Bitcoin Core JSON-RPC (`core:…`).
    CoreRpc,
}

impl SourceKind {
    pub fn of(spec: &SourceSpec) -> SourceKind {
        if spec.id.starts_with("core:") {
            SourceKind::CoreRpc
        } else {
            SourceKind::Esplora
        }
    }

    /// As recorded in the case's `source.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Esplora => "esplora",
            SourceKind::CoreRpc => "bitcoin-core",
        }
    }
}

/// A source as the user chose it, with what it needs to connect (kept out of [`SourceSpec`],
/// which is stored and shown: credentials never are).
#[derive(Clone)]
pub struct Connection {
    pub spec: SourceSpec,
    /// Node credentials for a Core source.
    pub rpc_auth: Option<RpcAuth>,
    pub policy: Policy,
    pub cancel: CancelToken,
    pub progress: Option<ProgressSink>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("spec", &self.spec)
            .field("rpc_auth", &self.rpc_auth)
            .field("policy", &self.policy)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Connection {
    /// The source with no credentials, the default policy, no cancel and no progress.
    pub fn new(spec: SourceSpec) -> Connection {
        Connection {
            spec,
            rpc_auth: None,
            policy: Policy::default(),
            cancel: CancelToken::new(),
            progress: None,
        }
    }
}

/// A transaction fetched from a source: the response it was parsed from, and any others its
/// figures rest on (the block header giving its height, spent transactions giving input values).
#[derive(Debug, Clone)]
pub struct TxFetch {
    pub raw: RawResponse,
    pub supporting: Vec<RawResponse>,
    pub tx: Tx,
}

/// A connected source.
#[derive(Debug, Clone)]
pub enum Source {
    Esplora(Esplora),
    CoreRpc(CoreRpc),
}

impl Source {
    pub fn connect(conn: Connection, network: BtcNetwork, clock: Clock) -> Source {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Tracebench/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds with static settings");
        let gate = Gate::with(
            &conn.spec.id,
            conn.policy.clone(),
            clock.clone(),
            conn.cancel.clone(),
            conn.progress.clone(),
        );
        match SourceKind::of(&conn.spec) {
            SourceKind::Esplora => Source::Esplora(Esplora::with_gate(
                client,
                conn.spec,
                network.caip2(),
                clock,
                gate,
            )),
            SourceKind::CoreRpc => Source::CoreRpc(CoreRpc::new(
                client,
                conn.spec,
                network,
                clock,
                conn.rpc_auth,
                gate,
            )),
        }
    }

    pub fn spec(&self) -> &SourceSpec {
        match self {
            Source::Esplora(s) => s.spec(),
            Source::CoreRpc(s) => s.spec(),
        }
    }

    pub fn kind(&self) -> SourceKind {
        match self {
            Source::Esplora(_) => SourceKind::Esplora,
            Source::CoreRpc(_) => SourceKind::CoreRpc,
        }
    }

    pub fn gate(&self) -> &Gate {
        match self {
            Source::Esplora(s) => s.gate(),
            Source::CoreRpc(s) => s.gate(),
        }
    }

    /// The answer of the connection's network check (Esplora's `/block-height/0`), once, for
    /// the commit that stores it; Core hands its `getblockchaininfo` to its first fetch itself.
    pub fn take_network_answer(&self) -> Option<RawResponse> {
        match self {
            Source::Esplora(s) => s.take_network_answer(),
            Source::CoreRpc(_) => None,
        }
    }

    /// One transaction by txid.
    pub async fn tx(&self, txid: &str) -> Result<TxFetch, SourceError> {
        match self {
            Source::Esplora(s) => {
                let (raw, tx) = s.tx(txid).await?;
                Ok(TxFetch {
                    raw,
                    supporting: Vec::new(),
                    tx,
                })
            }
            Source::CoreRpc(s) => s.tx(txid).await,
        }
    }

    /// One page of an address's confirmed history (see [`Esplora::address_txs`]); a Core node
    /// has no address index and says so.
    pub async fn address_txs(
        &self,
        address: &str,
        last_seen: Option<&str>,
    ) -> Result<(RawResponse, Vec<Tx>), SourceError> {
        match self {
            Source::Esplora(s) => s.address_txs(address, last_seen).await,
            Source::CoreRpc(s) => Err(s.address_history_unsupported(address)),
        }
    }

    /// Which transaction spends each output of `txid` (`/tx/:txid/outspends`); a Core node
    /// keeps no spent-output index and says so.
    pub async fn outspends(
        &self,
        txid: &str,
    ) -> Result<(RawResponse, Vec<super::esplora::Outspend>), SourceError> {
        match self {
            Source::Esplora(s) => s.outspends(txid).await,
            Source::CoreRpc(s) => Err(SourceError::Unsupported {
                source_id: s.spec().id.clone(),
                what: format!("tell which transactions spend the outputs of {txid}"),
                why: "Bitcoin Core keeps no index of spending transactions; use an Esplora source"
                    .to_string(),
            }),
        }
    }

    /// Many transactions at once, as many in flight as the policy allows. What succeeded is
    /// kept (in the order asked) and what failed is listed with its error; progress reports
    /// done/total after each transaction.
    pub async fn txs(&self, txids: &[String]) -> Batch {
        let total = txids.len() as u64;
        let mut set = tokio::task::JoinSet::new();
        for (i, txid) in txids.iter().enumerate() {
            let source = self.clone();
            let txid = txid.clone();
            set.spawn(async move { (i, txid.clone(), source.tx(&txid).await) });
        }
        let mut slots: Vec<Option<Result<TxFetch, SourceError>>> =
            (0..txids.len()).map(|_| None).collect();
        let mut done = 0u64;
        let mut failed = 0u64;
        while let Some(joined) = set.join_next().await {
            let (i, _, result) = joined.expect("a fetch task does not panic");
            done += 1;
            if result.is_err() {
                failed += 1;
            }
            slots[i] = Some(result);
            if let Some(sink) = self.gate().progress_sink() {
                sink(ProgressEvent {
                    source_id: self.spec().id.clone(),
                    done,
                    total: Some(total),
                    retries: self.gate().progress().retries,
                    failed,
                    history: None,
                });
            }
        }
        let mut batch = Batch::default();
        for (txid, slot) in txids.iter().zip(slots) {
            match slot.expect("every task reported") {
                Ok(f) => batch.fetched.push(f),
                Err(e) => batch.failed.push((txid.clone(), e)),
            }
        }
        batch
    }
}

/// What [`Source::txs`] got: the transactions fetched and, apart, what failed and why.
#[derive(Debug, Default)]
pub struct Batch {
    pub fetched: Vec<TxFetch>,
    pub failed: Vec<(String, SourceError)>,
}
