//! Shared test support: fixture paths, a sim server on loopback, fixed clocks.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

/// Every `/tx/:txid` capture (top-level files and the `{"tx":…,"hex":…}` corpus), by name.
pub fn tx_captures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let dir = fixtures().join("esplora/mainnet-tx-captures");
    for sub in [dir.clone(), dir.join("corpus")] {
        let mut entries: Vec<_> = std::fs::read_dir(&sub)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        entries.sort();
        for p in entries {
            let bytes = std::fs::read(&p).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let body = if v.get("hex").is_some() {
                serde_json::to_vec(&v["tx"]).unwrap()
            } else {
                bytes
            };
            out.push((p.file_name().unwrap().to_string_lossy().to_string(), body));
        }
    }
    out
}

/// A running sim (ransomware, seed 1) on 127.0.0.1, dropped with the returned guard.
pub struct Sim {
    pub server: tracebench_sim::SimServer,
    pub chain: Arc<tracebench_sim::SimChain>,
    pub rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start() -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let chain = Arc::new(tracebench_sim::generate(
            tracebench_sim::ScenarioKind::Ransomware,
            1,
        ));
        let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap())
            .expect("sim server starts on loopback");
        Sim { server, chain, rt }
    }

    pub fn spec(&self) -> tracebench_core::api::SourceSpec {
        tracebench_core::api::SourceSpec {
            id: self.chain.source_id(),
            base_url: self.server.url(),
        }
    }
}

/// SHA-256 of a file's bytes, to prove a refused file was not touched.
pub fn file_digest(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// The ransomware sim (seed 1) and its transactions rebuilt through the real Esplora parser from
/// the JSON the sim serves over loopback, in block order.
pub fn sim_txs() -> (
    std::sync::Arc<tracebench_sim::SimChain>,
    Vec<tracebench_core::model::Tx>,
) {
    let chain = Arc::new(tracebench_sim::generate(
        tracebench_sim::ScenarioKind::Ransomware,
        1,
    ));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let client = reqwest::Client::new();
    let mut txs = Vec::new();
    for t in chain.transactions() {
        let url = format!("{}/tx/{}", server.url(), t.compute_txid());
        let body = rt.block_on(async {
            client
                .get(&url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        });
        txs.push(
            tracebench_core::source::esplora::parse_tx(
                "bip122:000000000019d6689c085ae165831e93",
                &body,
            )
            .unwrap(),
        );
    }
    (chain, txs)
}
