//! A generated chain: blocks of real transactions plus indexes by txid, address and outpoint.

use std::collections::BTreeMap;

use std::str::FromStr;

use bitcoin::{Address, Block, BlockHash, Network, OutPoint, Script, Transaction, TxOut, Txid};
use tracebench_core::chain::BtcNetwork;

use crate::scenario::ScenarioKind;
use crate::truth::{multi_input_clusters, Expected, Roles, Truth};

/// One mined block of a synthetic chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimBlock {
    height: u32,
    hash: BlockHash,
    median_time: u32,
    block: Block,
}

impl SimBlock {
    pub(crate) fn new(height: u32, block: Block, median_time: u32) -> SimBlock {
        SimBlock {
            height,
            hash: block.block_hash(),
            median_time,
            block,
        }
    }

    /// Height of the block.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Double-SHA256 of the block's real 80-byte header.
    pub fn hash(&self) -> BlockHash {
        self.hash
    }

    /// Header timestamp (Unix seconds).
    pub fn time(&self) -> u32 {
        self.block.header.time
    }

    /// Median of the timestamps of this block and up to ten before it (BIP113).
    pub fn median_time(&self) -> u32 {
        self.median_time
    }

    /// The block itself: header and transactions, coinbase first.
    pub fn block(&self) -> &Block {
        &self.block
    }
}

/// Where a transaction sits in the chain.
#[derive(Debug, Clone, Copy)]
struct Place {
    block: usize,
    position: usize,
}

/// A deterministic synthetic chain with its ground truth, made by [`crate::generate`].
#[derive(Debug, Clone)]
pub struct SimChain {
    kind: ScenarioKind,
    seed: u64,
    seed_address: String,
    blocks: Vec<SimBlock>,
    owners: BTreeMap<String, String>,
    roles: Roles,
    places: BTreeMap<Txid, Place>,
    histories: BTreeMap<String, Vec<Txid>>,
    spenders: BTreeMap<OutPoint, (Txid, u32)>,
    /// The network the addresses are encoded for (the scripts are the same on every network).
    network: Network,
}

impl SimChain {
    /// Indexes the blocks; `owners` may name unused keys, which are dropped.
    pub(crate) fn new(
        kind: ScenarioKind,
        seed: u64,
        seed_address: String,
        blocks: Vec<SimBlock>,
        owners: BTreeMap<String, String>,
        roles: Roles,
    ) -> SimChain {
        SimChain::new_on(
            kind,
            seed,
            seed_address,
            blocks,
            owners,
            roles,
            Network::Bitcoin,
        )
    }

    /// [`SimChain::new`] with addresses (in `owners`, `roles` and the seed) on `network`.
    fn new_on(
        kind: ScenarioKind,
        seed: u64,
        seed_address: String,
        blocks: Vec<SimBlock>,
        owners: BTreeMap<String, String>,
        roles: Roles,
        network: Network,
    ) -> SimChain {
        let mut places = BTreeMap::new();
        for (block, sim_block) in blocks.iter().enumerate() {
            for (position, tx) in sim_block.block.txdata.iter().enumerate() {
                places.insert(tx.compute_txid(), Place { block, position });
            }
        }
        let mut chain = SimChain {
            kind,
            seed,
            seed_address,
            blocks,
            owners,
            roles,
            places,
            histories: BTreeMap::new(),
            spenders: BTreeMap::new(),
            network,
        };
        let mut histories: BTreeMap<String, Vec<Txid>> = BTreeMap::new();
        let mut spenders = BTreeMap::new();
        for tx in chain.transactions() {
            let txid = tx.compute_txid();
            let mut touched: Vec<String> = Vec::new();
            if !tx.is_coinbase() {
                for (vin, input) in tx.input.iter().enumerate() {
                    spenders.insert(input.previous_output, (txid, vin as u32));
                    if let Some(address) = chain
                        .prevout(&input.previous_output)
                        .and_then(|out| chain.address_of(&out.script_pubkey))
                    {
                        touched.push(address);
                    }
                }
            }
            touched.extend(
                tx.output
                    .iter()
                    .filter_map(|o| chain.address_of(&o.script_pubkey)),
            );
            touched.sort();
            touched.dedup();
            for address in touched {
                histories.entry(address).or_default().push(txid);
            }
        }
        chain
            .owners
            .retain(|address, _| histories.contains_key(address));
        chain.histories = histories;
        chain.spenders = spenders;
        chain
    }

    /// The same chain with its addresses encoded for `network` (bech32 `tb`/`bcrt`, base58
    /// prefixes 0x6f and 0xc4 off mainnet): the scripts, txids, blocks and owners are unchanged,
    /// so a testnet or signet case can be trained and tested without internet. Mainnet returns
    /// the chain as generated, byte for byte.
    pub fn on_network(self, network: BtcNetwork) -> SimChain {
        let target = network_of(network);
        if target == self.network {
            return self;
        }
        let from = self.network;
        let recode = |address: &str| -> String {
            Address::from_str(address)
                .ok()
                .and_then(|a| a.require_network(from).ok())
                .and_then(|a| Address::from_script(&a.script_pubkey(), target).ok())
                .map(|a| a.to_string())
                .unwrap_or_else(|| {
                    unreachable!("every sim address is a standard {from:?} address: {address}")
                })
        };
        let owners = self
            .owners
            .iter()
            .map(|(a, o)| (recode(a), o.clone()))
            .collect();
        let roles = Roles {
            ransom_addresses: self
                .roles
                .ransom_addresses
                .iter()
                .map(|a| recode(a))
                .collect(),
            exchange_hot_wallet: recode(&self.roles.exchange_hot_wallet),
            exchange_deposit_address: recode(&self.roles.exchange_deposit_address),
            ..self.roles.clone()
        };
        SimChain::new_on(
            self.kind,
            self.seed,
            recode(&self.seed_address),
            self.blocks,
            owners,
            roles,
            target,
        )
    }

    /// The network the chain's addresses are encoded for.
    pub fn network(&self) -> BtcNetwork {
        match self.network {
            Network::Testnet => BtcNetwork::Testnet,
            Network::Signet => BtcNetwork::Signet,
            Network::Regtest => BtcNetwork::Regtest,
            _ => BtcNetwork::Mainnet,
        }
    }

    /// rust-bitcoin's name of [`SimChain::network`].
    pub(crate) fn network_code(&self) -> Network {
        self.network
    }

    /// The address of an output script on this chain's network (`None` for OP_RETURN and
    /// non-standard scripts).
    pub(crate) fn address_of(&self, script: &Script) -> Option<String> {
        address_on(script, self.network)
    }

    /// The scenario this chain was generated from.
    pub fn kind(&self) -> ScenarioKind {
        self.kind
    }

    /// The seed this chain was generated from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Stable id of this data source: `sim:<scenario>:<seed>`.
    pub fn source_id(&self) -> String {
        format!("sim:{}:{}", self.kind, self.seed)
    }

    /// The address an investigator starts from (for `ransomware`: the first ransom address).
    pub fn seed_address(&self) -> &str {
        &self.seed_address
    }

    /// The blocks, lowest height first.
    pub fn blocks(&self) -> &[SimBlock] {
        &self.blocks
    }

    /// Every transaction in block order (coinbase first within each block).
    pub fn transactions(&self) -> impl Iterator<Item = &Transaction> + '_ {
        self.blocks.iter().flat_map(|b| b.block.txdata.iter())
    }

    /// Number of transactions, coinbases included.
    pub fn tx_count(&self) -> usize {
        self.places.len()
    }

    /// Height of the highest block.
    pub fn tip_height(&self) -> u32 {
        self.blocks.last().map_or(0, |b| b.height)
    }

    /// The block at `height`, if the chain has it.
    pub fn block_at(&self, height: u32) -> Option<&SimBlock> {
        let first = self.blocks.first()?.height;
        self.blocks.get(height.checked_sub(first)? as usize)
    }

    /// The block with header hash `hash`.
    pub fn block_by_hash(&self, hash: &BlockHash) -> Option<&SimBlock> {
        self.blocks.iter().find(|b| b.hash == *hash)
    }

    /// The transaction with `txid`.
    pub fn tx(&self, txid: &Txid) -> Option<&Transaction> {
        let place = self.places.get(txid)?;
        Some(&self.blocks[place.block].block.txdata[place.position])
    }

    /// The block that confirms `txid`.
    pub fn tx_block(&self, txid: &Txid) -> Option<&SimBlock> {
        self.places.get(txid).map(|p| &self.blocks[p.block])
    }

    /// The output an outpoint refers to.
    pub fn prevout(&self, outpoint: &OutPoint) -> Option<&TxOut> {
        self.tx(&outpoint.txid)?.output.get(outpoint.vout as usize)
    }

    /// The input spending `outpoint`: `(spending txid, input index)`.
    pub fn spender(&self, outpoint: &OutPoint) -> Option<(Txid, u32)> {
        self.spenders.get(outpoint).copied()
    }

    /// Fee of a transaction in satoshi (0 for coinbases).
    pub fn fee(&self, txid: &Txid) -> Option<u64> {
        let tx = self.tx(txid)?;
        if tx.is_coinbase() {
            return Some(0);
        }
        let inputs: u64 = tx
            .input
            .iter()
            .filter_map(|i| self.prevout(&i.previous_output))
            .map(|o| o.value.to_sat())
            .sum();
        let outputs: u64 = tx.output.iter().map(|o| o.value.to_sat()).sum();
        Some(inputs - outputs)
    }

    /// Every address that appears in an output, sorted.
    pub fn addresses(&self) -> impl Iterator<Item = &str> + '_ {
        self.histories.keys().map(String::as_str)
    }

    /// Txids of the confirmed transactions that fund or spend from `address`, oldest first
    /// (block order). Empty for addresses the chain does not know.
    pub fn address_txids(&self, address: &str) -> &[Txid] {
        self.histories.get(address).map_or(&[], Vec::as_slice)
    }

    /// Owner name of an address, from the ground truth.
    pub fn owner(&self, address: &str) -> Option<&str> {
        self.owners.get(address).map(String::as_str)
    }

    /// The ground truth of the case: owners, roles and what the multi-input heuristic finds.
    pub fn truth(&self) -> Truth {
        Truth {
            scenario: self.kind,
            seed: self.seed,
            source_id: self.source_id(),
            synthetic: true,
            seed_address: self.seed_address.clone(),
            owners: self.owners.clone(),
            roles: self.roles.clone(),
            expected: Expected {
                multi_input_clusters: multi_input_clusters(self),
            },
        }
    }
}

/// The address of an output script on `network` (`None` for OP_RETURN and non-standard scripts).
pub(crate) fn address_on(script: &Script, network: Network) -> Option<String> {
    Address::from_script(script, network)
        .ok()
        .map(|a| a.to_string())
}

pub(crate) fn network_of(network: BtcNetwork) -> Network {
    match network {
        BtcNetwork::Mainnet => Network::Bitcoin,
        BtcNetwork::Testnet => Network::Testnet,
        BtcNetwork::Signet => Network::Signet,
        BtcNetwork::Regtest => Network::Regtest,
    }
}
