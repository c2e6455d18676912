//! Synthetic Bitcoin cases with ground truth, served over the Esplora REST API.
//!
//! [`generate`] builds a deterministic, closed-world mainnet-style chain for a
//! [`ScenarioKind`] and a seed: real [`bitcoin::Transaction`]s (real txids, consensus
//! serialisation), real blocks (merkle roots, witness commitments, header hashes; proof of work is
//! not ground), every input spending an earlier output of the same chain, every fee positive.
//! The same seed gives a byte-identical chain on every platform.
//!
//! [`SimChain::truth`] tells who owns each address and which transactions play which role, for
//! grading an investigation; [`serve`] exposes the chain over HTTP with the routes, JSON shapes,
//! paging and error texts of Esplora (mempool.space, Blockstream, electrs), so the app and the CLI
//! reach it through their real Esplora client.
//!
//! [`evm`] does the same for an account-model chain: the `evm-usdt` scenario (stolen USDT moving
//! through several hops) with its truth, served over the Etherscan v2 API and JSON-RPC.
//!
//! ```no_run
//! use std::sync::Arc;
//! let chain = Arc::new(tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1));
//! let server = tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
//! println!("{} starts at {}", server.url(), chain.seed_address());
//! ```

mod canvas_case;
mod chain;
mod error;
mod esplora;
pub mod evm;
mod generate;
mod keys;
mod ledger;
mod prices;
mod ransomware;
mod scenario;
mod server;
mod truth;
mod validation;

pub use canvas_case::{canvas_case, CanvasError, CanvasOptions, CanvasSummary, GRID_SPACING};
pub use chain::{SimBlock, SimChain};
pub use error::SimError;
pub use esplora::CHAIN_TXS_PER_PAGE;
pub use generate::{
    generate_case, generated_source_id, GenerateError, GenerateOptions, GenerateSummary,
    TXS_PER_BLOCK,
};
pub use prices::{price_series_csv, price_source};
pub use scenario::{ScenarioKind, UnknownScenario};
pub use server::{serve, serve_chains, SimServer};
pub use truth::{Expected, Roles, Truth};
pub use validation::{validation_dataset, ValidationDataError};

/// Generates the case `kind` from `seed`. Deterministic: the same arguments always give the
/// same chain, byte for byte.
pub fn generate(kind: ScenarioKind, seed: u64) -> SimChain {
    match kind {
        ScenarioKind::Ransomware => ransomware::generate(seed),
    }
}
