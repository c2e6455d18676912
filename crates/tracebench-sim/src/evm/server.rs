//! The HTTP face of an [`EvmChain`]: Etherscan v2 at `GET /v2/api`, JSON-RPC at `POST /` and
//! `POST /rpc`, on loopback.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::chain::EvmChain;
use super::{etherscan, rpc};
use crate::error::SimError;
use crate::server::{spawn, SimServer};

/// How the EVM server behaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvmServeOptions {
    /// When set, Etherscan queries must carry `apikey=<this>`; others get Etherscan's
    /// `{"status":"0","message":"NOTOK","result":"Invalid API Key"}`.
    pub api_key: Option<String>,
}

struct Served {
    chain: Arc<EvmChain>,
    options: EvmServeOptions,
}

/// Serves `chain` on `bind` (port 0 for a free port): Etherscan v2 under `<url>/v2/api`,
/// JSON-RPC at `<url>/` and `<url>/rpc`.
pub fn serve_evm(
    chain: Arc<EvmChain>,
    bind: SocketAddr,
    options: EvmServeOptions,
) -> Result<SimServer, SimError> {
    let served = Arc::new(Served { chain, options });
    let app = Router::new()
        .route("/v2/api", get(etherscan_api))
        .route("/", post(json_rpc))
        .route("/rpc", post(json_rpc))
        .fallback(not_found)
        .with_state(served);
    spawn(bind, app)
}

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap_or_else(|e| unreachable!("static headers are valid: {e}"))
}

fn json(value: &serde_json::Value) -> Response {
    let body = serde_json::to_vec(value)
        .unwrap_or_else(|e| unreachable!("a serde_json::Value always serialises: {e}"));
    respond(StatusCode::OK, "application/json", body)
}

async fn etherscan_api(State(s): State<Arc<Served>>, uri: Uri) -> Response {
    let query = etherscan::parse_query(uri.query().unwrap_or_default());
    json(&etherscan::answer(
        &s.chain,
        &query,
        s.options.api_key.as_deref(),
    ))
}

/// geth refuses bodies that are not declared as JSON, with 415 and this text.
async fn json_rpc(State(s): State<Arc<Served>>, headers: HeaderMap, body: Bytes) -> Response {
    let declared_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !declared_json {
        return respond(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/plain; charset=utf-8",
            b"invalid content type, only application/json is supported".to_vec(),
        );
    }
    json(&rpc::answer(&s.chain, &body))
}

async fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        b"404 page not found".to_vec(),
    )
}
