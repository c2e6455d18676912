//! How the CLI names a case's chain: the Bitcoin network by name, beside its CAIP-2 id.

use tracebench_core::chain::BtcNetwork;

/// `mainnet`, `testnet`, … for a Bitcoin chain id; the id itself for any other chain.
pub fn name_of(chain: &str) -> String {
    BtcNetwork::from_caip2(chain)
        .map(|n| n.name().to_string())
        .unwrap_or_else(|| chain.to_string())
}

/// `Bitcoin testnet (bip122:…)`, as `case info` prints it.
pub fn line(chain: &str) -> String {
    match BtcNetwork::from_caip2(chain) {
        Some(n) => format!("Bitcoin {} ({chain})", n.name()),
        None => chain.to_string(),
    }
}
