//! EVM (account-model) data in the case: transactions, account transfers, token metadata and
//! skipped logs. Each account transfer is also written to the chain-neutral `transfer` table
//! (`addr:0x…` → `addr:0x…`), so everything that reads transfers sees EVM movements too.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::evidence::{insert_raw, insert_source, RawResponse};
use super::{Case, CaseError};
use crate::model::{AccountTransfer, AccountTransferKind};

/// A transaction on an EVM chain, as far as tracing and the report need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmTx {
    /// CAIP-2 `eip155:<id>`.
    pub chain: String,
    /// `0x` + 64 lower-case hex digits.
    pub txid: String,
    pub block_height: u64,
    pub block_time: i64,
    pub tx_index: u32,
    pub from: String,
    /// `None` for a contract creation.
    pub to: Option<String>,
    /// Native value in wei (decimal text).
    pub value: String,
    /// `Some(true)` succeeded, `Some(false)` failed (moved no value), `None` unknown.
    pub status: Option<bool>,
    pub gas_used: Option<u64>,
    /// Effective gas price in wei (decimal text).
    pub gas_price: Option<String>,
    /// Whether internal value transfers were read (from a trace or Etherscan's internal list).
    pub traced: bool,
}

/// An ERC-20 token contract and what is known of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmToken {
    pub chain: String,
    /// `0x` + 40 lower-case hex digits.
    pub contract: String,
    pub symbol: Option<String>,
    pub name: Option<String>,
    pub decimals: Option<u32>,
}

/// A `Transfer`-topic log that was not decoded as an ERC-20 transfer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedLog {
    pub chain: String,
    pub txid: String,
    pub log_index: u32,
    pub reason: String,
}

/// What an EVM source fetched: its raw responses and the rows parsed from them. Every row
/// names (by position in `raws`) the response it was parsed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvmFetch {
    /// `etherscan` or `evm-rpc`.
    pub source_kind: String,
    pub raws: Vec<RawResponse>,
    pub txs: Vec<(usize, EvmTx)>,
    pub transfers: Vec<(usize, AccountTransfer)>,
    pub tokens: Vec<(usize, EvmToken)>,
    pub skipped: Vec<(usize, SkippedLog)>,
    /// Address histories fetched: (chain, address, complete, transaction count).
    pub histories: Vec<(String, String, bool, u64)>,
}

/// What an ingest added (rows already in the case are kept as first stored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmIngested {
    pub txs: usize,
    pub transfers: usize,
}

/// The `idx` of an account transfer in the case: log index for tokens, trace index otherwise.
fn transfer_idx(t: &AccountTransfer) -> i64 {
    match (t.kind, t.log_index) {
        (AccountTransferKind::Token, Some(l)) => i64::from(l),
        _ => i64::from(t.trace_index),
    }
}

fn kind_from(text: &str) -> Result<AccountTransferKind, rusqlite::Error> {
    match text {
        "native" => Ok(AccountTransferKind::Native),
        "internal" => Ok(AccountTransferKind::Internal),
        "token" => Ok(AccountTransferKind::Token),
        other => Err(rusqlite::Error::InvalidColumnType(
            2,
            format!("account transfer kind {other:?}"),
            rusqlite::types::Type::Text,
        )),
    }
}

impl Case {
    /// Stores an EVM fetch (evidence and parsed rows) in one transaction: all of it or none.
    pub fn ingest_evm(&mut self, fetch: &EvmFetch, now: &str) -> Result<EvmIngested, CaseError> {
        self.ingest_evm_showing(fetch, &[], false, now)
    }

    /// [`Case::ingest_evm`] and, in the same transaction, shows `show` on the canvas (as seeds
    /// when `seed`).
    pub fn ingest_evm_showing(
        &mut self,
        fetch: &EvmFetch,
        show: &[String],
        seed: bool,
        now: &str,
    ) -> Result<EvmIngested, CaseError> {
        self.write(|tx| {
            let mut raw_ids = Vec::with_capacity(fetch.raws.len());
            for raw in &fetch.raws {
                let synthetic = raw.source_id.starts_with("sim:");
                insert_source(tx, &raw.source_id, &fetch.source_kind, synthetic, now)?;
                raw_ids.push(insert_raw(tx, raw)?);
            }
            let raw_id = |i: usize| {
                raw_ids.get(i).copied().ok_or(CaseError::Missing {
                    what: "raw response of a parsed row",
                    id: i.to_string(),
                })
            };
            let mut added = EvmIngested::default();
            for (r, t) in &fetch.txs {
                added.txs += tx.execute(
                    "INSERT OR IGNORE INTO evm_tx (chain, txid, block_height, block_time, tx_index,
                        from_addr, to_addr, value, status, gas_used, gas_price, traced, raw_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        t.chain,
                        t.txid,
                        t.block_height as i64,
                        t.block_time,
                        t.tx_index,
                        t.from,
                        t.to,
                        t.value,
                        t.status,
                        t.gas_used.map(|g| g as i64),
                        t.gas_price,
                        t.traced,
                        raw_id(*r)?
                    ],
                )?;
            }
            for (r, t) in &fetch.transfers {
                let idx = transfer_idx(t);
                let raw = raw_id(*r)?;
                let n = tx.execute(
                    "INSERT OR IGNORE INTO account_transfer (chain, txid, kind, idx, block_height,
                        block_time, tx_index, log_index, trace_index, from_addr, to_addr, asset,
                        amount, raw_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    params![
                        t.chain,
                        t.txid,
                        t.kind.as_str(),
                        idx,
                        t.block_height as i64,
                        t.block_time,
                        t.tx_index,
                        t.log_index,
                        t.trace_index,
                        t.from,
                        t.to,
                        t.asset,
                        t.amount,
                        raw
                    ],
                )?;
                if n > 0 {
                    added.transfers += 1;
                    tx.execute(
                        "INSERT OR IGNORE INTO transfer (chain, txid, kind, idx, from_ref, to_ref, asset, amount, raw_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![
                            t.chain,
                            t.txid,
                            t.kind.as_str(),
                            idx,
                            format!("addr:{}", t.from),
                            format!("addr:{}", t.to),
                            t.asset,
                            t.amount,
                            raw
                        ],
                    )?;
                }
            }
            for (r, k) in &fetch.tokens {
                // A later source may know more (Etherscan names the symbol, a node may not).
                tx.execute(
                    "INSERT INTO evm_token (chain, contract, symbol, name, decimals, raw_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (chain, contract) DO UPDATE SET
                        symbol = COALESCE(evm_token.symbol, excluded.symbol),
                        name = COALESCE(evm_token.name, excluded.name),
                        decimals = COALESCE(evm_token.decimals, excluded.decimals)",
                    params![k.chain, k.contract, k.symbol, k.name, k.decimals, raw_id(*r)?],
                )?;
            }
            for (r, s) in &fetch.skipped {
                tx.execute(
                    "INSERT OR IGNORE INTO evm_skipped_log (chain, txid, log_index, reason, raw_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![s.chain, s.txid, s.log_index, s.reason, raw_id(*r)?],
                )?;
            }
            for (chain, address, complete, count) in &fetch.histories {
                tx.execute(
                    "INSERT INTO address_history (chain, address, complete, tx_count, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (chain, address) DO UPDATE SET complete = excluded.complete,
                        tx_count = excluded.tx_count, fetched_at = excluded.fetched_at",
                    params![chain, address, complete, *count as i64, now],
                )?;
            }
            super::canvas::show(tx, show, seed, now)?;
            Ok(added)
        })
    }

    /// Every account transfer of `chain`, sorted by [`AccountTransfer::order_key`] (then by
    /// txid, kind and index, so equal keys have a fixed order).
    pub fn account_transfers(&self, chain: &str) -> Result<Vec<AccountTransfer>, CaseError> {
        let mut st = self.conn().prepare_cached(
            "SELECT chain, txid, kind, block_height, block_time, tx_index, log_index, trace_index,
                    from_addr, to_addr, asset, amount
             FROM account_transfer WHERE chain = ?1
             ORDER BY block_height, tx_index, COALESCE(log_index, -1), trace_index, txid, kind, idx",
        )?;
        let rows = st.query_map([chain], |r| {
            Ok(AccountTransfer {
                chain: r.get(0)?,
                txid: r.get(1)?,
                kind: kind_from(&r.get::<_, String>(2)?)?,
                block_height: r.get::<_, i64>(3)? as u64,
                block_time: r.get(4)?,
                tx_index: r.get(5)?,
                log_index: r.get(6)?,
                trace_index: r.get(7)?,
                from: r.get(8)?,
                to: r.get(9)?,
                asset: r.get(10)?,
                amount: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every EVM transaction of `chain`, by (block height, tx index).
    pub fn evm_txs(&self, chain: &str) -> Result<Vec<EvmTx>, CaseError> {
        let mut st = self.conn().prepare_cached(
            "SELECT chain, txid, block_height, block_time, tx_index, from_addr, to_addr, value,
                    status, gas_used, gas_price, traced
             FROM evm_tx WHERE chain = ?1 ORDER BY block_height, tx_index, txid",
        )?;
        let rows = st.query_map([chain], read_evm_tx)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One EVM transaction of the case.
    pub fn evm_tx(&self, chain: &str, txid: &str) -> Result<Option<EvmTx>, CaseError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT chain, txid, block_height, block_time, tx_index, from_addr, to_addr, value,
                        status, gas_used, gas_price, traced
                 FROM evm_tx WHERE chain = ?1 AND txid = ?2",
                params![chain, txid],
                read_evm_tx,
            )
            .optional()?)
    }

    /// Token contracts of `chain` with their symbol and decimals, by contract.
    pub fn evm_tokens(&self, chain: &str) -> Result<Vec<EvmToken>, CaseError> {
        let mut st = self.conn().prepare_cached(
            "SELECT chain, contract, symbol, name, decimals FROM evm_token
             WHERE chain = ?1 ORDER BY contract",
        )?;
        let rows = st.query_map([chain], |r| {
            Ok(EvmToken {
                chain: r.get(0)?,
                contract: r.get(1)?,
                symbol: r.get(2)?,
                name: r.get(3)?,
                decimals: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Logs with the `Transfer` topic that were not decoded, with the reason, by (txid, index).
    pub fn evm_skipped_logs(&self, chain: &str) -> Result<Vec<SkippedLog>, CaseError> {
        let mut st = self.conn().prepare_cached(
            "SELECT chain, txid, log_index, reason FROM evm_skipped_log
             WHERE chain = ?1 ORDER BY txid, log_index",
        )?;
        let rows = st.query_map([chain], |r| {
            Ok(SkippedLog {
                chain: r.get(0)?,
                txid: r.get(1)?,
                log_index: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn read_evm_tx(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvmTx> {
    Ok(EvmTx {
        chain: r.get(0)?,
        txid: r.get(1)?,
        block_height: r.get::<_, i64>(2)? as u64,
        block_time: r.get(3)?,
        tx_index: r.get(4)?,
        from: r.get(5)?,
        to: r.get(6)?,
        value: r.get(7)?,
        status: r.get(8)?,
        gas_used: r.get::<_, Option<i64>>(9)?.map(|g| g as u64),
        gas_price: r.get(10)?,
        traced: r.get(11)?,
    })
}
