//! Chains, named by their CAIP-2 ids.
//!
//! Every stored row carries a chain id, so account chains added later share the schema with the
//! UTXO chains supported today.

use serde::{Deserialize, Serialize};

/// A Bitcoin network, with its CAIP-2 id (`bip122:<first 16 bytes of the genesis hash>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BtcNetwork {
    Mainnet,
    Testnet,
    Signet,
    Regtest,
}

impl BtcNetwork {
    pub const ALL: [BtcNetwork; 4] = [
        BtcNetwork::Mainnet,
        BtcNetwork::Testnet,
        BtcNetwork::Signet,
        BtcNetwork::Regtest,
    ];

    /// The CAIP-2 chain id of this network.
    pub fn caip2(self) -> &'static str {
        match self {
            BtcNetwork::Mainnet => "bip122:000000000019d6689c085ae165831e93",
            BtcNetwork::Testnet => "bip122:000000000933ea01ad0ee984209779ba",
            BtcNetwork::Signet => "bip122:00000008819873e925422c1ff0f99f7c",
            BtcNetwork::Regtest => "bip122:0f9188f13cb7b2c71f2a335e3a4fc328",
        }
    }

    pub fn from_caip2(id: &str) -> Option<BtcNetwork> {
        BtcNetwork::ALL.into_iter().find(|n| n.caip2() == id)
    }

    pub fn name(self) -> &'static str {
        match self {
            BtcNetwork::Mainnet => "mainnet",
            BtcNetwork::Testnet => "testnet",
            BtcNetwork::Signet => "signet",
            BtcNetwork::Regtest => "regtest",
        }
    }

    pub(crate) fn to_bitcoin(self) -> bitcoin::Network {
        match self {
            BtcNetwork::Mainnet => bitcoin::Network::Bitcoin,
            BtcNetwork::Testnet => bitcoin::Network::Testnet,
            BtcNetwork::Signet => bitcoin::Network::Signet,
            BtcNetwork::Regtest => bitcoin::Network::Regtest,
        }
    }

    /// The asset moved natively on this network, as stored in transfers.
    pub fn native_asset(self) -> &'static str {
        "BTC"
    }
}

/// Prefix of canvas node ids for a chain (`btc:addr:<address>`, `btc:tx:<txid>`).
pub fn node_prefix(chain: &str) -> &'static str {
    match BtcNetwork::from_caip2(chain) {
        Some(BtcNetwork::Mainnet) | None => "btc",
        Some(BtcNetwork::Testnet) => "tbtc",
        Some(BtcNetwork::Signet) => "sbtc",
        Some(BtcNetwork::Regtest) => "rbtc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caip2_ids_round_trip_and_mainnet_is_the_genesis_prefix() {
        assert_eq!(
            BtcNetwork::Mainnet.caip2(),
            "bip122:000000000019d6689c085ae165831e93",
            "CAIP-4 defines mainnet as the first 32 hex chars of the genesis block hash"
        );
        for n in BtcNetwork::ALL {
            assert_eq!(
                BtcNetwork::from_caip2(n.caip2()),
                Some(n),
                "{n:?} must round-trip"
            );
        }
    }
}
