//! Ground truth of the `evm-usdt` scenario. Amounts are decimal strings of base units (wei, or
//! the token's 6-decimal units) so that every JSON reader keeps them exact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The ground truth of one generated EVM case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmTruth {
    /// `evm-usdt`.
    pub scenario: String,
    pub seed: u64,
    /// `sim:evm-usdt:<seed>`.
    pub source_id: String,
    /// Always `true`: the chain is synthetic and must never be mistaken for real evidence,
    /// even though it answers as chain id 1.
    pub synthetic: bool,
    /// CAIP-2 id of the chain the sim answers as (`eip155:1`).
    pub chain: String,
    /// Where the investigation starts: the victim's address.
    pub seed_address: String,
    /// The scenario's token (a USDT look-alike at a generated address, not the real USDT).
    pub token: TokenTruth,
    /// Every address of the chain → its owner (`victim`, `thief`, `intermediary-2`,
    /// `exchange-deposit`, `exchange-hot-wallet`, `dex-router`, `dex-pool`, `user-3`, …).
    pub owners: BTreeMap<String, String>,
    /// Ether each address held before the first block (the genesis state), wei.
    pub genesis_wei: BTreeMap<String, String>,
    /// Addresses holding a non-zero token balance after the last block, with that balance.
    /// Every other address received exactly as much of the token as it sent.
    pub token_end_holders: BTreeMap<String, String>,
    pub roles: EvmRoles,
    pub expected: EvmExpected,
}

/// The scenario's ERC-20 token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTruth {
    pub contract: String,
    /// CAIP-19 asset id, `eip155:1/erc20:<contract>`.
    pub asset: String,
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
}

/// Addresses and transactions that play a part in the theft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmRoles {
    pub victim: String,
    pub thief: String,
    /// In the order the thief paid them.
    pub intermediaries: Vec<String>,
    pub dex_router: String,
    pub dex_pool: String,
    pub exchange_deposit: String,
    pub exchange_hot_wallet: String,
    /// The victim's `approve(thief, max)`: the phishing signature.
    pub approval_txid: String,
    /// The thief's `transferFrom(victim, thief, stolen)` that drains the victim.
    pub theft_txid: String,
    /// Block log index of the drain's `Transfer` log (a trace starts at
    /// `eip155:1:<theft_txid>:<theft_log_index>`).
    pub theft_log_index: u32,
    /// The thief's payments to the intermediaries, in order.
    pub split_txids: Vec<String>,
    /// The first intermediary's successful token → ether swap.
    pub swap_txid: String,
    /// The second intermediary's reverted swap: status 0, no logs, no value moved.
    pub failed_txid: String,
    /// The intermediaries' payments into the exchange deposit address, in order.
    pub deposit_txids: Vec<String>,
    /// The exchange's forward of the deposit address's whole balance to its hot wallet.
    pub sweep_txid: String,
}

/// Results an investigation of the token is expected to reproduce (base units, decimal text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmExpected {
    /// Token units taken from the victim in the theft transaction.
    pub stolen: String,
    /// Clean token units the thief held before the theft (mixed with the stolen ones).
    pub thief_clean_before_theft: String,
    /// Token units paid into the exchange deposit address by the intermediaries.
    pub deposited_at_exchange: String,
    /// Stolen units reaching the exchange (counted once, at the deposit address) under the
    /// haircut model: every outgoing transfer carries the sender's tainted share of its balance.
    pub reaching_exchange_haircut: String,
    /// Stolen units reaching the exchange under FIFO: an address spends what it received first.
    pub reaching_exchange_fifo: String,
    /// Ether (wei) the swap paid the first intermediary through an internal call.
    pub swap_wei_out: String,
}
