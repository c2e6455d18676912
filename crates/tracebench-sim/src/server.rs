//! An Esplora-compatible HTTP server over a [`SimChain`], on loopback.
//!
//! Routes, JSON shapes, paging and error texts follow Blockstream's electrs (the API of
//! mempool.space and blockstream.info), so clients talk to it exactly as to the real thing.

use std::net::{SocketAddr, TcpListener};
use std::str::FromStr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use bitcoin::{Address, BlockHash, Network, Txid};
use tokio::sync::oneshot;

use crate::chain::SimChain;
use crate::error::SimError;
use crate::esplora::{Responses, CHAIN_TXS_PER_PAGE};

/// A running simulator server. Dropping it shuts the server down too.
#[derive(Debug)]
pub struct SimServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), String>>>,
}

impl SimServer {
    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash): the Esplora API root, or for
    /// [`crate::evm::serve_evm`] the root of `/v2/api` (Etherscan) and of JSON-RPC (`POST /`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, lets requests in flight finish (at most a few seconds) and
    /// waits for the server thread to end.
    pub fn shutdown(mut self) -> Result<(), SimError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), SimError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(Err(message))) => Err(SimError::Serve(message)),
            Some(Err(_)) => Err(SimError::Serve("the server thread panicked".into())),
            Some(Ok(Ok(()))) | None => Ok(()),
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// Serves `chain` over the Esplora REST API on `bind` (use port 0 for a free port).
///
/// Every response is rendered before this returns; the server then runs on its own thread with
/// its own Tokio runtime, so this can be called from synchronous and asynchronous code alike.
pub fn serve(chain: Arc<SimChain>, bind: SocketAddr) -> Result<SimServer, SimError> {
    let responses = Arc::new(Responses::render(&chain));
    spawn(bind, router(responses))
}

/// Serves several independent chains side by side over one Esplora API (see
/// [`serve`]), for load tests that need more addresses than one scenario has (e.g. a thousand
/// addresses from fourteen ransomware seeds). Every transaction and address of every chain is
/// served; `/block-height/:h` answers with the first chain that has a block at `h`. Fails if two
/// chains share a txid or an address.
pub fn serve_chains(chains: &[Arc<SimChain>], bind: SocketAddr) -> Result<SimServer, SimError> {
    let responses = Responses::render_many(chains).map_err(SimError::Serve)?;
    spawn(bind, router(Arc::new(responses)))
}

/// Binds `bind` and serves `app` on its own thread and Tokio runtime.
pub(crate) fn spawn(bind: SocketAddr, app: Router) -> Result<SimServer, SimError> {
    let listener =
        TcpListener::bind(bind).map_err(|source| SimError::Bind { addr: bind, source })?;
    listener.set_nonblocking(true).map_err(SimError::Start)?;
    let addr = listener.local_addr().map_err(SimError::Start)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tracebench-sim-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(SimError::Start)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("tracebench-sim".into())
        .spawn(move || {
            let result = runtime.block_on(run(listener, app, stopped));
            runtime.shutdown_timeout(Duration::from_millis(200));
            result
        })
        .map_err(SimError::Start)?;
    Ok(SimServer {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

async fn run(
    listener: TcpListener,
    app: Router,
    stopped: oneshot::Receiver<()>,
) -> Result<(), String> {
    // Small answers on kept-alive connections: without TCP_NODELAY a response can wait for the
    // client's delayed ACK (Nagle), which shows as 40 ms stalls under load.
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| e.to_string())?
        .tap_io(|tcp| {
            // A socket that refuses the option still serves, only with Nagle's delays.
            let _ = tcp.set_nodelay(true);
        });
    let (grace, graceful) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = graceful.await;
            })
            .await
    });
    // Stop on request, or when the SimServer is dropped (the sender goes away).
    let _ = stopped.await;
    let _ = grace.send(());
    match tokio::time::timeout(Duration::from_secs(3), server).await {
        Ok(Ok(Ok(()))) | Err(_) => Ok(()),
        Ok(Ok(Err(e))) => Err(e.to_string()),
        Ok(Err(e)) => Err(e.to_string()),
    }
}

type Shared = State<Arc<Responses>>;

fn router(responses: Arc<Responses>) -> Router {
    Router::new()
        .route("/tx/{txid}", get(tx))
        .route("/tx/{txid}/hex", get(tx_hex))
        .route("/tx/{txid}/raw", get(tx_raw))
        .route("/tx/{txid}/status", get(tx_status))
        .route("/tx/{txid}/outspends", get(tx_outspends))
        .route("/address/{address}", get(address_stats))
        .route("/address/{address}/txs", get(address_txs))
        .route("/address/{address}/txs/chain", get(address_txs))
        .route(
            "/address/{address}/txs/chain/{last_seen}",
            get(address_txs_after),
        )
        .route("/address/{address}/txs/mempool", get(address_mempool))
        .route("/address/{address}/utxo", get(address_utxo))
        .route("/blocks/tip/height", get(tip_height))
        .route("/blocks/tip/hash", get(tip_hash))
        .route("/block/{hash}", get(block))
        .route("/block/{hash}/txids", get(block_txids))
        .route("/block/{hash}/status", get(block_status))
        .route("/block-height/{height}", get(block_at_height))
        .fallback(not_found)
        .with_state(responses)
}

/// An Esplora error: a status with a plain-text message.
struct EsploraError(StatusCode, &'static str);

impl IntoResponse for EsploraError {
    fn into_response(self) -> Response {
        text(self.0, Bytes::from_static(self.1.as_bytes()))
    }
}

const TX_NOT_FOUND: EsploraError = EsploraError(StatusCode::NOT_FOUND, "Transaction not found");
const BLOCK_NOT_FOUND: EsploraError = EsploraError(StatusCode::NOT_FOUND, "Block not found");
const INVALID_HEX: EsploraError = EsploraError(StatusCode::BAD_REQUEST, "Invalid hex string");
const INVALID_ADDRESS: EsploraError =
    EsploraError(StatusCode::BAD_REQUEST, "Invalid Bitcoin address");

fn with_type(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap_or_else(|e| unreachable!("static headers are valid: {e}"))
}

fn json(body: Bytes) -> Response {
    with_type(StatusCode::OK, "application/json", body)
}

fn text(status: StatusCode, body: Bytes) -> Response {
    with_type(status, "text/plain", body)
}

fn parse_txid(s: &str) -> Result<Txid, EsploraError> {
    Txid::from_str(s).map_err(|_| INVALID_HEX)
}

fn parse_block_hash(s: &str) -> Result<BlockHash, EsploraError> {
    BlockHash::from_str(s).map_err(|_| INVALID_HEX)
}

/// The canonical form of an address of the served network.
fn parse_address(s: &str, network: Network) -> Result<String, EsploraError> {
    Address::from_str(s)
        .ok()
        .and_then(|a| a.require_network(network).ok())
        .map(|a| a.to_string())
        .ok_or(INVALID_ADDRESS)
}

async fn tx(State(r): Shared, Path(txid): Path<String>) -> Result<Response, EsploraError> {
    let tx = r.txs.get(&parse_txid(&txid)?).ok_or(TX_NOT_FOUND)?;
    Ok(json(tx.json.clone()))
}

async fn tx_hex(State(r): Shared, Path(txid): Path<String>) -> Result<Response, EsploraError> {
    let tx = r.txs.get(&parse_txid(&txid)?).ok_or(TX_NOT_FOUND)?;
    Ok(text(StatusCode::OK, tx.hex.clone()))
}

async fn tx_raw(State(r): Shared, Path(txid): Path<String>) -> Result<Response, EsploraError> {
    let tx = r.txs.get(&parse_txid(&txid)?).ok_or(TX_NOT_FOUND)?;
    Ok(with_type(
        StatusCode::OK,
        "application/octet-stream",
        tx.raw.clone(),
    ))
}

async fn tx_status(State(r): Shared, Path(txid): Path<String>) -> Result<Response, EsploraError> {
    let tx = r.txs.get(&parse_txid(&txid)?).ok_or(TX_NOT_FOUND)?;
    Ok(json(tx.status.clone()))
}

async fn tx_outspends(
    State(r): Shared,
    Path(txid): Path<String>,
) -> Result<Response, EsploraError> {
    let tx = r.txs.get(&parse_txid(&txid)?).ok_or(TX_NOT_FOUND)?;
    Ok(json(tx.outspends.clone()))
}

async fn address_stats(
    State(r): Shared,
    Path(address): Path<String>,
) -> Result<Response, EsploraError> {
    let address = parse_address(&address, r.network)?;
    Ok(match r.addresses.get(&address) {
        Some(entry) => json(entry.stats.clone()),
        None => json(Bytes::from(format!(
            "{{\"address\":\"{address}\",\"chain_stats\":{z},\"mempool_stats\":{z}}}",
            z = "{\"funded_txo_count\":0,\"funded_txo_sum\":0,\"spent_txo_count\":0,\"spent_txo_sum\":0,\"tx_count\":0}"
        ))),
    })
}

/// `/address/:a/txs` (no mempool here, so: the first 25 confirmed) and `/txs/chain`.
async fn address_txs(
    State(r): Shared,
    Path(address): Path<String>,
) -> Result<Response, EsploraError> {
    let address = parse_address(&address, r.network)?;
    let history = r
        .addresses
        .get(&address)
        .map_or(&[][..], |a| &a.history[..]);
    Ok(json(r.tx_list(history.iter().take(CHAIN_TXS_PER_PAGE))))
}

/// `/address/:a/txs/chain/:last_seen_txid`: the 25 confirmed after `last_seen_txid`.
async fn address_txs_after(
    State(r): Shared,
    Path((address, last_seen)): Path<(String, String)>,
) -> Result<Response, EsploraError> {
    let address = parse_address(&address, r.network)?;
    let last_seen = parse_txid(&last_seen)?;
    let history = r
        .addresses
        .get(&address)
        .map_or(&[][..], |a| &a.history[..]);
    let page = history
        .iter()
        .skip_while(|txid| **txid != last_seen)
        .skip(1)
        .take(CHAIN_TXS_PER_PAGE);
    Ok(json(r.tx_list(page)))
}

async fn address_mempool(
    State(r): Shared,
    Path(address): Path<String>,
) -> Result<Response, EsploraError> {
    parse_address(&address, r.network)?;
    Ok(json(Bytes::from_static(b"[]")))
}

async fn address_utxo(
    State(r): Shared,
    Path(address): Path<String>,
) -> Result<Response, EsploraError> {
    let address = parse_address(&address, r.network)?;
    Ok(match r.addresses.get(&address) {
        Some(entry) => json(entry.utxo.clone()),
        None => json(Bytes::from_static(b"[]")),
    })
}

async fn tip_height(State(r): Shared) -> Response {
    text(StatusCode::OK, Bytes::from(r.tip_height.to_string()))
}

async fn tip_hash(State(r): Shared) -> Response {
    text(StatusCode::OK, Bytes::from(r.tip_hash.clone()))
}

async fn block(State(r): Shared, Path(hash): Path<String>) -> Result<Response, EsploraError> {
    let block = r
        .blocks
        .get(&parse_block_hash(&hash)?)
        .ok_or(BLOCK_NOT_FOUND)?;
    Ok(json(block.json.clone()))
}

async fn block_txids(State(r): Shared, Path(hash): Path<String>) -> Result<Response, EsploraError> {
    let block = r
        .blocks
        .get(&parse_block_hash(&hash)?)
        .ok_or(BLOCK_NOT_FOUND)?;
    Ok(json(block.txids.clone()))
}

async fn block_status(
    State(r): Shared,
    Path(hash): Path<String>,
) -> Result<Response, EsploraError> {
    let block = r
        .blocks
        .get(&parse_block_hash(&hash)?)
        .ok_or(BLOCK_NOT_FOUND)?;
    Ok(json(block.status.clone()))
}

async fn block_at_height(
    State(r): Shared,
    Path(height): Path<String>,
) -> Result<Response, EsploraError> {
    let height: u32 = height.parse().map_err(|_| BLOCK_NOT_FOUND)?;
    let hash = r.heights.get(&height).ok_or(BLOCK_NOT_FOUND)?;
    Ok(text(StatusCode::OK, Bytes::from(hash.to_string())))
}

async fn not_found() -> EsploraError {
    EsploraError(StatusCode::NOT_FOUND, "Not Found")
}
