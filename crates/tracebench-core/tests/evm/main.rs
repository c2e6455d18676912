//! EVM chains: EIP-55 addresses, the Etherscan v2 and JSON-RPC sources against a loopback
//! replay of recorded mainnet data, and the case's account-transfer store.

mod address;
mod etherscan;
mod policy;
mod rpc;
mod server;

use chrono::{TimeZone, Utc};
use tracebench_core::source::policy::{Gate, Policy};
use tracebench_core::source::Clock;
use tracebench_core::store::{Case, CaseMeta};

pub fn clock() -> Clock {
    Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap())
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

/// A gate with millisecond backoff, one retry, a short per-attempt timeout and no rate
/// limit, so the fault tests are fast; a `Retry-After` above 1 s is reported, not waited for.
pub fn fast_gate(source_id: &str) -> Gate {
    Gate::new(
        source_id,
        Policy {
            max_in_flight: 2,
            rate: None,
            max_retries: 1,
            backoff_base: std::time::Duration::from_millis(1),
            backoff_max: std::time::Duration::from_millis(5),
            max_retry_after: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_millis(500),
            jitter_seed: 7,
        },
        clock(),
    )
}

pub fn new_case(dir: &std::path::Path) -> (std::path::PathBuf, Case) {
    let path = dir.join("evm.tbcase");
    let case = Case::create(
        &path,
        CaseMeta {
            case_id: "TB-EVM-1".into(),
            title: "EVM".into(),
            investigator: "tester".into(),
            agency: "lab".into(),
            created_utc: "2026-11-21T12:00:00Z".into(),
            chain: "eip155:1".into(),
        },
    )
    .unwrap();
    (path, case)
}

/// SHA-256 of a file's bytes and of its WAL, to prove a failed fetch wrote nothing.
pub fn digest(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(std::fs::read(path).unwrap());
    let wal = path.with_extension("tbcase-wal");
    if wal.exists() {
        h.update(std::fs::read(wal).unwrap());
    }
    hex::encode(h.finalize())
}
