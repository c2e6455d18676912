//! Chains, named by their CAIP-2 ids.
//!
//! Every stored row carries a chain id, so account chains added later share the schema with the
//! UTXO chains supported today.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A Bitcoin network, with its CAIP-2 id (`bip122:<first 16 bytes of the genesis hash>`).
/// A case is on one network (mainnet unless chosen otherwise).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "BtcNetwork.ts")]
pub enum BtcNetwork {
    #[default]
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

    /// Parses a network's name (`mainnet`, `testnet`, `signet`, `regtest`) or CAIP-2 id.
    pub fn parse(text: &str) -> Result<BtcNetwork, NetworkError> {
        let t = text.trim();
        BtcNetwork::ALL
            .into_iter()
            .find(|n| n.name().eq_ignore_ascii_case(t) || n.caip2() == t)
            .ok_or_else(|| NetworkError::Unknown(t.to_string()))
    }

    /// The network a Bitcoin Core node names in `getblockchaininfo`'s `chain` (`main`, `test`,
    /// `signet`, `regtest`). Core's `testnet4` is a chain of its own (another genesis block), not
    /// the `testnet` (testnet3) a case means, so it is refused by name.
    pub fn from_core_chain(chain: &str) -> Result<BtcNetwork, NetworkError> {
        match chain {
            "main" => Ok(BtcNetwork::Mainnet),
            "test" => Ok(BtcNetwork::Testnet),
            "signet" => Ok(BtcNetwork::Signet),
            "regtest" => Ok(BtcNetwork::Regtest),
            other => Err(NetworkError::UnknownCoreChain(other.to_string())),
        }
    }

    /// The hash of this network's genesis block (block 0), as Esplora's `/block-height/0` and
    /// Core's `getblockhash 0` give it.
    pub fn genesis_hash(self) -> &'static str {
        match self {
            BtcNetwork::Mainnet => MAINNET_GENESIS,
            BtcNetwork::Testnet => TESTNET3_GENESIS,
            BtcNetwork::Signet => SIGNET_GENESIS,
            BtcNetwork::Regtest => REGTEST_GENESIS,
        }
    }

    /// The network whose genesis block has the hash `hash` (hex, either case, surrounding
    /// whitespace ignored). `testnet4` is a chain of its own, not the `testnet` (testnet3) a case
    /// means, so it is refused by name, like Core's `testnet4` chain.
    pub fn from_genesis_hash(hash: &str) -> Result<BtcNetwork, NetworkError> {
        let h = hash.trim().to_ascii_lowercase();
        if h == TESTNET4_GENESIS {
            return Err(NetworkError::Testnet4Genesis);
        }
        BtcNetwork::ALL
            .into_iter()
            .find(|n| n.genesis_hash() == h)
            .ok_or(NetworkError::UnknownGenesis(h))
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

/// `--network` in every binary (`tracebench sim serve|truth`, `tracebench case new`,
/// `tracebench-sim generate`): [`BtcNetwork::parse`], so the names and the error are the same.
impl std::str::FromStr for BtcNetwork {
    type Err = NetworkError;

    fn from_str(text: &str) -> Result<BtcNetwork, NetworkError> {
        BtcNetwork::parse(text)
    }
}

const MAINNET_GENESIS: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
const TESTNET3_GENESIS: &str = "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943";
const SIGNET_GENESIS: &str = "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6";
const REGTEST_GENESIS: &str = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";
const TESTNET4_GENESIS: &str = "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043";

/// Why a text does not name a supported Bitcoin network.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum NetworkError {
    #[error("'{0}' is not a Bitcoin network (expected mainnet, testnet, signet or regtest)")]
    Unknown(String),
    #[error("the node is on the Bitcoin chain '{0}', which Tracebench does not support (supported: main, test (testnet3), signet, regtest)")]
    UnknownCoreChain(String),
    #[error("the server is on Bitcoin testnet4 (its block 0 is testnet4's genesis block), a chain of its own that no case is on (supported: mainnet, testnet (testnet3), signet, regtest)")]
    Testnet4Genesis,
    #[error("the server's block 0 is {0}, the genesis block of no Bitcoin network Tracebench supports (mainnet, testnet (testnet3), signet, regtest)")]
    UnknownGenesis(String),
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

/// An EVM chain (account model), named by its EIP-155 chain id; CAIP-2 `eip155:<id>`.
///
/// Only chains whose native asset is known are accepted, so every stored amount names its asset
/// exactly (CAIP-19 `eip155:<id>/slip44:<coin type>` for the native coin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EvmChain {
    chain_id: u64,
}

/// (chain id, name, native symbol, SLIP-44 coin type of the native asset)
const EVM_CHAINS: &[(u64, &str, &str, u32)] = &[
    (1, "Ethereum", "ETH", 60),
    (10, "OP Mainnet", "ETH", 60),
    (56, "BNB Smart Chain", "BNB", 714),
    (100, "Gnosis", "XDAI", 700),
    (137, "Polygon PoS", "POL", 966),
    (8453, "Base", "ETH", 60),
    (42161, "Arbitrum One", "ETH", 60),
    (43114, "Avalanche C-Chain", "AVAX", 9000),
    (11155111, "Sepolia (testnet)", "ETH", 60),
];

/// Why a chain id is not usable.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ChainError {
    #[error("EVM chain id {0} is not supported (supported: {list})", list = EvmChain::supported_list())]
    UnsupportedEvm(u64),
    #[error("'{0}' is not an EVM chain id (expected a number such as 1, 56, 137 or 42161, or eip155:<id>)")]
    NotEvm(String),
}

impl EvmChain {
    pub const ETHEREUM: EvmChain = EvmChain { chain_id: 1 };
    pub const BSC: EvmChain = EvmChain { chain_id: 56 };
    pub const POLYGON: EvmChain = EvmChain { chain_id: 137 };
    pub const ARBITRUM: EvmChain = EvmChain { chain_id: 42161 };

    /// A supported chain by its EIP-155 id.
    pub fn new(chain_id: u64) -> Result<EvmChain, ChainError> {
        if EVM_CHAINS.iter().any(|c| c.0 == chain_id) {
            Ok(EvmChain { chain_id })
        } else {
            Err(ChainError::UnsupportedEvm(chain_id))
        }
    }

    /// Parses `56` or `eip155:56`.
    pub fn parse(text: &str) -> Result<EvmChain, ChainError> {
        let t = text.trim();
        let digits = t.strip_prefix("eip155:").unwrap_or(t);
        let id: u64 = digits
            .parse()
            .map_err(|_| ChainError::NotEvm(t.to_string()))?;
        EvmChain::new(id)
    }

    fn entry(self) -> &'static (u64, &'static str, &'static str, u32) {
        EVM_CHAINS
            .iter()
            .find(|c| c.0 == self.chain_id)
            .expect("constructed from the table")
    }

    fn supported_list() -> String {
        EVM_CHAINS
            .iter()
            .map(|c| format!("{} {}", c.0, c.1))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn chain_id(self) -> u64 {
        self.chain_id
    }

    /// CAIP-2 id, e.g. `eip155:56`.
    pub fn caip2(self) -> String {
        format!("eip155:{}", self.chain_id)
    }

    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// Symbol of the native coin (ETH, BNB, POL, …).
    pub fn native_symbol(self) -> &'static str {
        self.entry().2
    }

    /// CAIP-19 id of the native coin, e.g. `eip155:1/slip44:60`.
    pub fn native_asset(self) -> String {
        format!("{}/slip44:{}", self.caip2(), self.entry().3)
    }

    /// CAIP-19 id of an ERC-20 token (`contract` lower-case `0x…`).
    pub fn token_asset(self, contract: &str) -> String {
        format!("{}/erc20:{contract}", self.caip2())
    }

    /// The supported chains, by id.
    pub fn all() -> impl Iterator<Item = EvmChain> {
        EVM_CHAINS.iter().map(|c| EvmChain { chain_id: c.0 })
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

    #[test]
    fn networks_parse_by_name_or_id_and_core_chain_names_map() {
        for n in BtcNetwork::ALL {
            assert_eq!(BtcNetwork::parse(n.name()), Ok(n), "{n:?} by its name");
            assert_eq!(
                BtcNetwork::parse(n.caip2()),
                Ok(n),
                "{n:?} by its CAIP-2 id"
            );
        }
        assert_eq!(
            BtcNetwork::default(),
            BtcNetwork::Mainnet,
            "a case is on mainnet unless chosen otherwise"
        );
        assert!(
            BtcNetwork::parse("testnet3")
                .unwrap_err()
                .to_string()
                .contains("testnet3"),
            "an unknown name is named in the refusal"
        );
        assert_eq!(
            BtcNetwork::from_core_chain("test"),
            Ok(BtcNetwork::Testnet),
            "Core calls testnet3 'test'"
        );
        assert_eq!(
            BtcNetwork::from_core_chain("main"),
            Ok(BtcNetwork::Mainnet),
            "Core calls mainnet 'main'"
        );
        assert!(
            matches!(
                BtcNetwork::from_core_chain("testnet4"),
                Err(NetworkError::UnknownCoreChain(c)) if c == "testnet4"
            ),
            "testnet4 has another genesis block than the testnet a case means"
        );
    }

    #[test]
    fn a_genesis_hash_names_its_network_and_testnet4_is_refused_by_name() {
        for n in BtcNetwork::ALL {
            assert_eq!(
                BtcNetwork::from_genesis_hash(n.genesis_hash()),
                Ok(n),
                "{}'s genesis block names it",
                n.name()
            );
            assert!(
                n.caip2()
                    .strip_prefix("bip122:")
                    .is_some_and(|p| n.genesis_hash().starts_with(p)),
                "CAIP-2 ids are the genesis hash's first 16 bytes, so the two tables agree for {}",
                n.name()
            );
        }
        assert_eq!(
            BtcNetwork::from_genesis_hash(
                " 000000000019D6689C085AE165831E934FF763AE46A2A6C172B3F1B60A8CE26F\n"
            ),
            Ok(BtcNetwork::Mainnet),
            "an answer's case and trailing newline do not matter"
        );
        assert_eq!(
            BtcNetwork::from_genesis_hash(
                "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043"
            ),
            Err(NetworkError::Testnet4Genesis),
            "testnet4 is a chain no case is on"
        );
        let unknown = BtcNetwork::from_genesis_hash("00ff")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("00ff") && unknown.contains("mainnet"),
            "an unknown genesis block is named with the supported networks: {unknown}"
        );
    }

    #[test]
    fn evm_chains_name_their_caip_ids_and_native_assets() {
        let bsc = EvmChain::parse("eip155:56").expect("BNB Smart Chain is supported");
        assert_eq!(bsc, EvmChain::BSC, "eip155:56 and 56 name the same chain");
        assert_eq!(
            bsc.native_asset(),
            "eip155:56/slip44:714",
            "BNB is SLIP-44 coin type 714"
        );
        assert_eq!(
            EvmChain::ARBITRUM.native_asset(),
            "eip155:42161/slip44:60",
            "Arbitrum's native coin is ether"
        );
        assert_eq!(
            EvmChain::ETHEREUM.token_asset("0xdac17f958d2ee523a2206206994597c13d831ec7"),
            "eip155:1/erc20:0xdac17f958d2ee523a2206206994597c13d831ec7"
        );
        let err = EvmChain::parse("999999").unwrap_err().to_string();
        assert!(
            err.contains("999999") && err.contains("56 BNB Smart Chain"),
            "an unknown id is named and the supported ones listed: {err}"
        );
        assert!(
            matches!(EvmChain::parse("bsc"), Err(ChainError::NotEvm(_))),
            "a name is not an id"
        );
    }
}
