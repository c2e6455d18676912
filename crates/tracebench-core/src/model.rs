//! The normalised, chain-neutral model that sources produce and the case stores.
//!
//! A UTXO transaction is kept with its inputs and outputs, and its value movements are also
//! expressed as [`Transfer`]s (`address → tx` for inputs, `tx → address` for outputs), so account
//! chains fit the same tables and the graph is built from transfers alone.

use serde::{Deserialize, Serialize};

/// Where a transaction was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Confirmation {
    pub block_height: Option<u64>,
    pub block_hash: Option<String>,
    /// Block time, unix seconds (UTC).
    pub block_time: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxInput {
    pub index: u32,
    /// `None` for a coinbase input.
    pub prev_txid: Option<String>,
    pub prev_vout: Option<u32>,
    /// The spent output's address, when it has one.
    pub address: Option<String>,
    /// The spent output's value in satoshi (0 for coinbase).
    pub value: u64,
    pub is_coinbase: bool,
    /// nSequence, when the source gave it (WabiSabi CoinJoins use 0xffffffff on every input).
    #[serde(default)]
    pub sequence: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxOutput {
    pub index: u32,
    pub address: Option<String>,
    pub value: u64,
    /// Esplora's script type name (p2pkh, v0_p2wpkh, op_return, …).
    pub script_type: String,
}

/// A transaction as normalised from a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tx {
    pub chain: String,
    pub txid: String,
    pub version: i64,
    pub locktime: i64,
    pub size: Option<u64>,
    pub weight: Option<u64>,
    pub fee: Option<u64>,
    pub confirmation: Confirmation,
    pub inputs: Vec<TxInput>,
    pub outputs: Vec<TxOutput>,
}

impl Tx {
    pub fn input_sum(&self) -> u64 {
        self.inputs.iter().map(|i| i.value).sum()
    }

    pub fn output_sum(&self) -> u64 {
        self.outputs.iter().map(|o| o.value).sum()
    }

    pub fn is_coinbase(&self) -> bool {
        self.inputs.iter().any(|i| i.is_coinbase)
    }

    /// The value movements of this transaction, in a fixed order (inputs, then outputs).
    pub fn transfers(&self, asset: &str) -> Vec<Transfer> {
        let tx_ref = format!("tx:{}", self.txid);
        let mut out = Vec::with_capacity(self.inputs.len() + self.outputs.len());
        for i in &self.inputs {
            out.push(Transfer {
                chain: self.chain.clone(),
                txid: self.txid.clone(),
                index: i64::from(i.index),
                kind: TransferKind::Input,
                from: i
                    .address
                    .as_ref()
                    .map(|a| format!("addr:{a}"))
                    .unwrap_or_else(|| {
                        if i.is_coinbase {
                            "coinbase".to_string()
                        } else {
                            "script:unknown".to_string()
                        }
                    }),
                to: tx_ref.clone(),
                asset: asset.to_string(),
                amount: i.value.to_string(),
            });
        }
        for o in &self.outputs {
            out.push(Transfer {
                chain: self.chain.clone(),
                txid: self.txid.clone(),
                index: i64::from(o.index),
                kind: TransferKind::Output,
                from: tx_ref.clone(),
                to: o
                    .address
                    .as_ref()
                    .map(|a| format!("addr:{a}"))
                    .unwrap_or_else(|| format!("script:{}", o.script_type)),
                asset: asset.to_string(),
                amount: o.value.to_string(),
            });
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransferKind {
    Input,
    Output,
}

impl TransferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Input => "input",
            TransferKind::Output => "output",
        }
    }
}

/// One value movement: `from` and `to` are node references (`addr:<address>`, `tx:<txid>`),
/// `amount` a decimal integer in the asset's base units (text, so 256-bit token amounts fit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub chain: String,
    pub txid: String,
    pub index: i64,
    pub kind: TransferKind,
    pub from: String,
    pub to: String,
    pub asset: String,
    pub amount: String,
}

/// What kind of account-model value movement a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountTransferKind {
    /// The native value of a top-level transaction (ETH, BNB, …).
    Native,
    /// Native value moved by a successful internal call frame (callTracer / trace_transaction).
    Internal,
    /// An ERC-20 `Transfer(address,address,uint256)` log.
    Token,
}

impl AccountTransferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountTransferKind::Native => "native",
            AccountTransferKind::Internal => "internal",
            AccountTransferKind::Token => "token",
        }
    }
}

/// One value movement on an account-model chain (EVM): the unit that account-model tracing
/// consumes. Ordering within a chain is `(block_height, tx_index, log_index, trace_index)`, with
/// native and internal movements (no log index) before the transaction's token logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountTransfer {
    /// CAIP-2 chain id, e.g. `eip155:1` (Ethereum) or `eip155:56` (BNB Smart Chain).
    pub chain: String,
    /// Transaction hash, `0x` + 64 lowercase hex digits.
    pub txid: String,
    pub block_height: u64,
    /// Block time, unix seconds (UTC).
    pub block_time: i64,
    /// Position of the transaction in its block.
    pub tx_index: u32,
    /// Log index in the block, for token transfers; `None` for native and internal value.
    pub log_index: Option<u32>,
    /// Position of the call frame in the trace (0 = the top-level call), for native and internal
    /// value; 0 for token transfers.
    pub trace_index: u32,
    pub kind: AccountTransferKind,
    /// Sender and receiver, `0x` + 40 lowercase hex digits (display applies EIP-55).
    pub from: String,
    pub to: String,
    /// CAIP-19 asset id: `eip155:1/slip44:60` for ether, `eip155:1/erc20:0x…` for a token.
    pub asset: String,
    /// Exact amount in wei or token base units (uint256 fits: decimal text).
    pub amount: String,
}

impl AccountTransfer {
    /// The ordering key account-model tracing uses (FIFO and pool updates follow it).
    pub fn order_key(&self) -> (u64, u32, i64, u32) {
        (
            self.block_height,
            self.tx_index,
            self.log_index.map_or(-1, i64::from),
            self.trace_index,
        )
    }
}

/// Formats satoshi as BTC with exactly 8 decimals, without floats.
pub fn format_btc(sat: u64) -> String {
    format!("{}.{:08}", sat / 100_000_000, sat % 100_000_000)
}

#[cfg(test)]
mod tests {
    use super::format_btc;

    #[test]
    fn btc_formatting_is_exact_integer_arithmetic() {
        assert_eq!(format_btc(0), "0.00000000");
        assert_eq!(
            format_btc(1),
            "0.00000001",
            "one satoshi is the 8th decimal"
        );
        assert_eq!(format_btc(2_100_000_000_000_000), "21000000.00000000");
        assert_eq!(
            format_btc(123_456_789),
            "1.23456789",
            "no float rounding may creep in"
        );
    }
}
