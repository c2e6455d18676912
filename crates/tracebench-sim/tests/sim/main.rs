//! Integration tests of tracebench-sim: one binary, one module per area.

mod canvas;
mod cli;
mod consensus;
mod generate;
mod golden;
mod network;
mod prices;
mod server;
mod truth;

use std::path::PathBuf;
use std::sync::OnceLock;

use tracebench_sim::{generate, ScenarioKind, SimChain};

/// The seed-1 ransomware chain, generated once per test binary.
pub fn seed1() -> &'static SimChain {
    static CHAIN: OnceLock<SimChain> = OnceLock::new();
    CHAIN.get_or_init(|| generate(ScenarioKind::Ransomware, 1))
}

/// Path of a file in this crate's tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}
