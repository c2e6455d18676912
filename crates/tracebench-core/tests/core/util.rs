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
        Sim::serve(tracebench_sim::generate(
            tracebench_sim::ScenarioKind::Ransomware,
            1,
        ))
    }

    /// The same chain with its addresses encoded for `network`, served as that network.
    pub fn on(network: tracebench_core::chain::BtcNetwork) -> Sim {
        Sim::serve(
            tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1)
                .on_network(network),
        )
    }

    fn serve(chain: tracebench_sim::SimChain) -> Sim {
        let chain = Arc::new(chain);
        let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap())
            .expect("sim server starts on loopback");
        Sim {
            server,
            chain,
            rt: rt(),
        }
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

/// The tables each schema version added, in order: schema N has the tables of every entry up to N.
/// Used to turn a fresh case back into one written by an older build (migration tests).
const TABLES_BY_SCHEMA: &[&[&str]] = &[
    &[
        "case_meta",
        "source",
        "raw_response",
        "tx",
        "tx_input",
        "tx_output",
        "transfer",
        "address",
        "address_history",
        "canvas_node",
        "note",
    ],
    &[],
    &["veto"],
    &["label_pack_use", "exchange_record"],
    &["audit_log"],
];

/// Rewinds a case file to what a build of schema `version` wrote: every table a later migration
/// added is dropped and `user_version` set. Tables are found in `sqlite_master`, so a migration
/// added later needs no change here. Only schemas 2..=5 are supported (0002 added a column,
/// which a rewind to schema 1 would have to remove).
pub fn rewind_to_schema(path: &std::path::Path, version: usize) {
    assert!(
        (2..=TABLES_BY_SCHEMA.len()).contains(&version),
        "rewind supports schemas 2..=5"
    );
    let keep: Vec<&str> = TABLES_BY_SCHEMA[..version]
        .iter()
        .flat_map(|t| t.iter().copied())
        .collect();
    let c = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables.iter().filter(|t| !keep.contains(&t.as_str())) {
        c.execute_batch(&format!("DROP TABLE \"{t}\";")).unwrap();
    }
    c.pragma_update(None, "user_version", version as i64)
        .unwrap();
}

/// The CAIP-2 id of Bitcoin mainnet, the chain of the real captures.
pub const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

/// The mainnet `/tx/:txid` capture named `name`, through the real Esplora parser.
pub fn mainnet_capture(name: &str) -> tracebench_core::model::Tx {
    let captures = tx_captures();
    let body = &captures
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no capture {name}"))
        .1;
    tracebench_core::source::esplora::parse_tx(MAINNET, body).unwrap()
}

/// A new case `dir/file` titled `title` with no source connected (investigator "T", agency "U").
pub fn sourceless_case(
    dir: &std::path::Path,
    file: &str,
    title: &str,
) -> (PathBuf, tracebench_core::api::Workbench) {
    let path = dir.join(file);
    let wb = tracebench_core::api::Workbench::create(
        &path,
        tracebench_core::api::NewCase {
            title: title.into(),
            investigator: "T".into(),
            agency: "U".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    )
    .unwrap();
    (path, wb)
}

/// A case at `path` titled `title`, opened by analyst "alice" on `sim`: the seed added, expanded
/// one hop and noted. Returns the workbench and the seed's node id.
pub fn alices_seed_case(
    sim: &Sim,
    path: &std::path::Path,
    title: &str,
) -> (tracebench_core::api::Workbench, String) {
    let mut wb = tracebench_core::api::Workbench::create_by(
        "alice",
        path,
        tracebench_core::api::NewCase {
            title: title.into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    let seed = sim.chain.seed_address().to_string();
    let added = sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    sim.rt.block_on(wb.expand(&added.node_id, 1, t0())).unwrap();
    wb.add_note(&added.node_id, "seed of the case", t0())
        .unwrap();
    (wb, added.node_id)
}

/// A new case connected to `spec` for batch fetches: 3 requests in flight, no rate limit,
/// `max_retries` retries (the source policy's other defaults).
pub fn batch_case(
    path: &std::path::Path,
    spec: &tracebench_core::api::SourceSpec,
    title: &str,
    max_retries: u32,
) -> tracebench_core::api::Workbench {
    let mut wb = tracebench_core::api::Workbench::create(
        path,
        tracebench_core::api::NewCase {
            title: title.into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    )
    .unwrap();
    let mut connection = tracebench_core::source::Connection::new(spec.clone());
    connection.policy = tracebench_core::source::policy::Policy {
        max_in_flight: 3,
        rate: None,
        max_retries,
        ..tracebench_core::source::policy::Policy::default()
    };
    wb.connect_source(Some(connection));
    wb
}

/// A runtime with two worker threads, for tests whose sources fetch concurrently.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A runtime on the test's own thread.
pub fn current_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}
