//! The generated EVM chain: blocks, transactions, receipts' logs and call traces, as plain data
//! that the Etherscan and JSON-RPC renderers read.

use std::collections::BTreeMap;

use super::hash::{Address, Bloom, H256};
use super::truth::EvmTruth;

/// One sealed block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmBlock {
    pub number: u64,
    pub hash: H256,
    pub parent_hash: H256,
    /// Unix seconds; 12 s after the parent.
    pub timestamp: u64,
    /// Fee recipient.
    pub miner: Address,
    /// EIP-1559 base fee, wei per gas.
    pub base_fee: u128,
    pub gas_limit: u64,
    pub gas_used: u64,
    /// Indexes into [`EvmChain::txs`] of this block's transactions, in block order.
    pub txs: Vec<usize>,
    pub bloom: Bloom,
    pub state_root: H256,
    pub receipts_root: H256,
    pub transactions_root: H256,
    pub mix_hash: H256,
    /// Approximate RLP size in bytes.
    pub size: u64,
}

/// An event log emitted by a successful transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmLog {
    /// The emitting contract.
    pub address: Address,
    pub topics: Vec<H256>,
    pub data: Vec<u8>,
    /// Position of the log in its block.
    pub log_index: u32,
}

/// The kind of a call frame, as geth's callTracer names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Call,
    StaticCall,
}

impl CallKind {
    /// callTracer's `type` (`CALL`).
    pub fn geth_name(self) -> &'static str {
        match self {
            CallKind::Call => "CALL",
            CallKind::StaticCall => "STATICCALL",
        }
    }

    /// Parity's `action.callType` (`call`).
    pub fn parity_name(self) -> &'static str {
        match self {
            CallKind::Call => "call",
            CallKind::StaticCall => "staticcall",
        }
    }
}

/// One call frame of a transaction's execution (the top-level call is the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFrame {
    pub kind: CallKind,
    pub from: Address,
    pub to: Address,
    /// Wei moved by this frame (only when it, and every frame above it, succeeded).
    pub value: u128,
    pub gas: u64,
    pub gas_used: u64,
    pub input: Vec<u8>,
    pub output: Vec<u8>,
    /// `execution reverted`, when the frame failed.
    pub error: Option<String>,
    /// The decoded `Error(string)` of a revert.
    pub revert_reason: Option<String>,
    pub calls: Vec<CallFrame>,
}

impl CallFrame {
    /// Every frame in depth-first pre-order with its trace address (`[]` for the root).
    pub fn flatten(&self) -> Vec<(Vec<usize>, &CallFrame)> {
        fn walk<'a>(
            frame: &'a CallFrame,
            path: Vec<usize>,
            out: &mut Vec<(Vec<usize>, &'a CallFrame)>,
        ) {
            out.push((path.clone(), frame));
            for (i, child) in frame.calls.iter().enumerate() {
                let mut child_path = path.clone();
                child_path.push(i);
                walk(child, child_path, out);
            }
        }
        let mut out = Vec::new();
        walk(self, Vec::new(), &mut out);
        out
    }
}

/// One EIP-1559 (type 2) transaction with its receipt and trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmTx {
    pub hash: H256,
    pub block_number: u64,
    /// Position in the block.
    pub index: u32,
    pub from: Address,
    pub to: Address,
    pub nonce: u64,
    pub value: u128,
    /// Gas limit.
    pub gas: u64,
    pub gas_used: u64,
    pub cumulative_gas_used: u64,
    pub max_fee_per_gas: u128,
    pub max_priority_fee_per_gas: u128,
    /// Base fee plus the priority fee actually paid.
    pub effective_gas_price: u128,
    pub input: Vec<u8>,
    /// Receipt status: `false` for a reverted transaction (which emits no logs and moves no value).
    pub success: bool,
    pub logs: Vec<EvmLog>,
    pub bloom: Bloom,
    /// The execution trace; the root is the top-level call.
    pub trace: CallFrame,
    pub r: H256,
    pub s: H256,
    pub y_parity: u8,
}

impl EvmTx {
    /// The fee the sender paid, in wei.
    pub fn fee(&self) -> u128 {
        u128::from(self.gas_used) * self.effective_gas_price
    }
}

/// The ERC-20 token of the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmToken {
    pub contract: Address,
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
}

/// A generated EVM chain with its ground truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmChain {
    pub(crate) chain_id: u64,
    pub(crate) blocks: Vec<EvmBlock>,
    pub(crate) txs: Vec<EvmTx>,
    pub(crate) by_hash: BTreeMap<H256, usize>,
    pub(crate) token: EvmToken,
    pub(crate) truth: EvmTruth,
}

impl EvmChain {
    /// EIP-155 chain id served by `eth_chainId` and accepted as Etherscan's `chainid`.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// `sim:evm-usdt:<seed>`.
    pub fn source_id(&self) -> String {
        self.truth.source_id.clone()
    }

    /// Where the investigation starts: the victim's address (lowercase hex).
    pub fn seed_address(&self) -> &str {
        &self.truth.seed_address
    }

    /// The ground truth.
    pub fn truth(&self) -> &EvmTruth {
        &self.truth
    }

    /// The blocks, in height order.
    pub fn blocks(&self) -> &[EvmBlock] {
        &self.blocks
    }

    /// Every transaction, in chain order.
    pub fn transactions(&self) -> &[EvmTx] {
        &self.txs
    }

    /// The scenario's token.
    pub fn token(&self) -> &EvmToken {
        &self.token
    }

    /// The highest block number.
    pub fn tip(&self) -> u64 {
        self.blocks.last().map_or(0, |b| b.number)
    }

    pub(crate) fn tx(&self, hash: &H256) -> Option<&EvmTx> {
        self.by_hash.get(hash).map(|i| &self.txs[*i])
    }

    pub(crate) fn block(&self, number: u64) -> Option<&EvmBlock> {
        let first = self.blocks.first()?.number;
        let i = usize::try_from(number.checked_sub(first)?).ok()?;
        self.blocks.get(i)
    }

    pub(crate) fn block_by_hash(&self, hash: &H256) -> Option<&EvmBlock> {
        self.blocks.iter().find(|b| b.hash == *hash)
    }
}
