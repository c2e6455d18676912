//! The `evm-usdt` scenario: a synthetic EVM chain (stolen USDT moving through several hops) with
//! ground truth, served over the Etherscan v2 account API and Ethereum JSON-RPC.
//!
//! [`generate_evm`] builds the chain deterministically from a seed (addresses from Keccak-256 of
//! random public keys, contract addresses by CREATE, real ERC-20 `Transfer` topics, log blooms,
//! EIP-1559 fees, 12-second blocks); [`serve_evm`] answers on loopback in the real API shapes:
//! Etherscan under `<url>/v2/api`, JSON-RPC at `<url>/` (also `<url>/rpc`). The chain answers as
//! chain id 1 but is synthetic: its truth says so and its token is a look-alike at a generated
//! address, so that no real entity is implied.
//!
//! ```no_run
//! use std::sync::Arc;
//! use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions};
//! let chain = Arc::new(generate_evm(1));
//! let server = serve_evm(chain.clone(), "127.0.0.1:0".parse().unwrap(), EvmServeOptions::default()).unwrap();
//! println!("{}/v2/api starts at {}", server.url(), chain.seed_address());
//! ```

mod abi;
mod builder;
mod chain;
mod etherscan;
mod hash;
mod rpc;
mod server;
mod truth;
mod usdt;

pub use builder::CHAIN_ID;
pub use chain::{CallFrame, CallKind, EvmBlock, EvmChain, EvmLog, EvmToken, EvmTx};
pub use etherscan::RESULT_WINDOW;
pub use hash::{checksum, keccak};
pub use server::{serve_evm, EvmServeOptions};
pub use truth::{EvmExpected, EvmRoles, EvmTruth, TokenTruth};

/// The scenario's name on the command line and in source ids (`sim:evm-usdt:<seed>`).
pub const SCENARIO_NAME: &str = "evm-usdt";

/// Generates the `evm-usdt` case for `seed`. Deterministic: the same seed gives the same chain.
pub fn generate_evm(seed: u64) -> EvmChain {
    usdt::generate(seed)
}
