//! Normalised transactions, their inputs, outputs and transfers, and address histories.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rusqlite::{params, OptionalExtension};

use super::evidence::{insert_raw, insert_source, RawResponse};
use super::{Case, CaseError};
use crate::model::{Confirmation, Tx, TxInput, TxOutput};

/// Whether an address's transaction history was fetched, and how far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddressHistory {
    pub complete: bool,
    pub tx_count: u64,
    pub fetched_at: String,
}

/// One response to store: its raw bytes and the transactions parsed from them.
pub struct Batch<'a> {
    pub raw: &'a RawResponse,
    pub txs: &'a [Tx],
}

/// An address history fetched: (chain, address, complete, tx_count).
pub type StoredHistory = (String, String, bool, u64);

/// What a source stores in one transaction: evidence plus what was parsed from it.
pub struct Ingest<'a> {
    pub source_kind: &'a str,
    pub synthetic: bool,
    pub batches: Vec<Batch<'a>>,
    /// Address histories fetched in this ingest.
    pub histories: Vec<StoredHistory>,
    /// Canvas nodes to show in the same transaction.
    pub show: Vec<String>,
    /// Whether the shown nodes were added directly by the analyst (starting points).
    pub show_as_seed: bool,
    pub now: &'a str,
}

impl Case {
    /// Stores raw responses and the transactions parsed from them, all in one transaction.
    /// A transaction already in the case keeps its first stored version.
    pub fn ingest(&mut self, ingest: &Ingest<'_>) -> Result<usize, CaseError> {
        self.write(|tx| {
            let mut added = 0;
            let mut known = KnownAddresses::default();
            for batch in &ingest.batches {
                insert_source(
                    tx,
                    &batch.raw.source_id,
                    ingest.source_kind,
                    ingest.synthetic,
                    ingest.now,
                )?;
                let raw_id = insert_raw(tx, batch.raw)?;
                for t in batch.txs {
                    if insert_tx(tx, t, raw_id, &mut known)? {
                        added += 1;
                    }
                }
            }
            store_histories(tx, &ingest.histories, ingest.now)?;
            super::canvas::show(tx, &ingest.show, ingest.show_as_seed, ingest.now)?;
            Ok(added)
        })
    }

    pub fn has_tx(&self, chain: &str, txid: &str) -> Result<bool, CaseError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM tx WHERE chain = ?1 AND txid = ?2",
            params![chain, txid],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// A transaction of the case, read once from the file and then from memory.
    pub fn tx(&self, chain: &str, txid: &str) -> Result<Option<Tx>, CaseError> {
        Ok(self.tx_shared(chain, txid)?.map(|t| Tx::clone(&t)))
    }

    /// [`Case::tx`] without the copy: the cached transaction itself, shared. A look-up that
    /// hits the cache neither allocates nor copies.
    pub fn tx_shared(&self, chain: &str, txid: &str) -> Result<Option<Arc<Tx>>, CaseError> {
        if let Some(t) = self.tx_cache.borrow().get(chain, txid) {
            return Ok(Some(t));
        }
        let found = self.read_tx(chain, txid)?.map(Arc::new);
        if let Some(t) = &found {
            self.tx_cache.borrow_mut().insert(Arc::clone(t));
        }
        Ok(found)
    }

    fn read_tx(&self, chain: &str, txid: &str) -> Result<Option<Tx>, CaseError> {
        let head = self
            .conn()
            .prepare_cached(
                "SELECT version, locktime, size, weight, fee, block_height, block_hash, block_time
                 FROM tx WHERE chain = ?1 AND txid = ?2",
            )?
            .query_row(params![chain, txid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                ))
            })
            .optional()?;
        let Some((version, locktime, size, weight, fee, height, hash, time)) = head else {
            return Ok(None);
        };
        let mut st = self.conn().prepare_cached(
            "SELECT idx, prev_txid, prev_vout, address, value, is_coinbase, sequence FROM tx_input
             WHERE chain = ?1 AND txid = ?2 ORDER BY idx",
        )?;
        let inputs = st
            .query_map(params![chain, txid], |r| {
                Ok(TxInput {
                    index: r.get(0)?,
                    prev_txid: r.get(1)?,
                    prev_vout: r.get(2)?,
                    address: r.get(3)?,
                    value: r.get::<_, i64>(4)? as u64,
                    is_coinbase: r.get(5)?,
                    sequence: r.get::<_, Option<i64>>(6)?.map(|v| v as u32),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut st = self.conn().prepare_cached(
            "SELECT idx, address, value, script_type FROM tx_output
             WHERE chain = ?1 AND txid = ?2 ORDER BY idx",
        )?;
        let outputs = st
            .query_map(params![chain, txid], |r| {
                Ok(TxOutput {
                    index: r.get(0)?,
                    address: r.get(1)?,
                    value: r.get::<_, i64>(2)? as u64,
                    script_type: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Tx {
            chain: chain.to_string(),
            txid: txid.to_string(),
            version,
            locktime,
            size: size.map(|v| v as u64),
            weight: weight.map(|v| v as u64),
            fee: fee.map(|v| v as u64),
            confirmation: Confirmation {
                block_height: height.map(|v| v as u64),
                block_hash: hash,
                block_time: time,
            },
            inputs,
            outputs,
        }))
    }

    /// Every transaction in the case, ordered by (block height, txid); unconfirmed last.
    pub fn all_txs(&self) -> Result<Vec<Tx>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT chain, txid FROM tx ORDER BY block_height IS NULL, block_height, txid",
        )?;
        let ids = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for (chain, txid) in ids {
            if let Some(t) = self.tx(&chain, &txid)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Txids in the case that touch `address` (as input or output), sorted.
    ///
    /// The address indexes are named: left to itself, SQLite merges the two halves of the UNION
    /// in txid order through the primary keys and reads every input and output of the chain
    /// (4 s per address in a 50,000-tx case instead of 30 ms).
    pub fn address_txids(&self, chain: &str, address: &str) -> Result<Vec<String>, CaseError> {
        let mut st = self.conn().prepare_cached(
            "SELECT txid FROM tx_input INDEXED BY tx_input_address WHERE chain = ?1 AND address = ?2
             UNION SELECT txid FROM tx_output INDEXED BY tx_output_address
             WHERE chain = ?1 AND address = ?2
             ORDER BY 1",
        )?;
        let rows = st.query_map(params![chain, address], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn address_history(
        &self,
        chain: &str,
        address: &str,
    ) -> Result<Option<AddressHistory>, CaseError> {
        // Cached: the canvas view asks once per address node (thousands on a big canvas).
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT complete, tx_count, fetched_at FROM address_history WHERE chain = ?1 AND address = ?2",
            )?
            .query_row(
                params![chain, address],
                |r| {
                    Ok(AddressHistory {
                        complete: r.get(0)?,
                        tx_count: r.get::<_, i64>(1)? as u64,
                        fetched_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Addresses whose transaction history was fetched completely.
    pub fn complete_histories(&self) -> Result<std::collections::BTreeSet<String>, CaseError> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT address FROM address_history WHERE complete = 1")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The raw response a transaction was parsed from.
    pub fn tx_raw_id(&self, chain: &str, txid: &str) -> Result<Option<i64>, CaseError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT raw_id FROM tx WHERE chain = ?1 AND txid = ?2",
                params![chain, txid],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Records address histories (inside an open write transaction), replacing earlier records of
/// the same addresses.
pub(super) fn store_histories(
    tx: &rusqlite::Connection,
    histories: &[StoredHistory],
    now: &str,
) -> Result<(), CaseError> {
    for (chain, address, complete, count) in histories {
        tx.prepare_cached(
            "INSERT INTO address_history (chain, address, complete, tx_count, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (chain, address) DO UPDATE SET complete = excluded.complete,
                tx_count = excluded.tx_count, fetched_at = excluded.fetched_at",
        )?
        .execute(params![chain, address, complete, *count as i64, now])?;
    }
    Ok(())
}

/// Inserts a transaction and its parts (inside an open write transaction); returns false when
/// it was already stored.
pub(super) fn insert_tx(
    tx: &rusqlite::Connection,
    t: &Tx,
    raw_id: i64,
    known: &mut KnownAddresses,
) -> Result<bool, CaseError> {
    let n = tx.prepare_cached(
        "INSERT OR IGNORE INTO tx (chain, txid, version, locktime, size, weight, fee, block_height, block_hash, block_time, raw_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(
        params![
            t.chain,
            t.txid,
            t.version,
            t.locktime,
            t.size.map(|v| v as i64),
            t.weight.map(|v| v as i64),
            t.fee.map(|v| v as i64),
            t.confirmation.block_height.map(|v| v as i64),
            t.confirmation.block_hash,
            t.confirmation.block_time,
            raw_id
        ],
    )?;
    if n == 0 {
        return Ok(false);
    }
    for i in &t.inputs {
        tx.prepare_cached(
            "INSERT INTO tx_input (chain, txid, idx, prev_txid, prev_vout, address, value, is_coinbase, raw_id, sequence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(
            params![
                t.chain,
                t.txid,
                i.index,
                i.prev_txid,
                i.prev_vout,
                i.address,
                i.value as i64,
                i.is_coinbase,
                raw_id,
                i.sequence.map(i64::from)
            ],
        )?;
        if let Some(a) = &i.address {
            insert_address(tx, &t.chain, a, raw_id, known)?;
        }
    }
    for o in &t.outputs {
        tx.prepare_cached(
            "INSERT INTO tx_output (chain, txid, idx, address, value, script_type, raw_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            t.chain,
            t.txid,
            o.index,
            o.address,
            o.value as i64,
            o.script_type,
            raw_id
        ])?;
        if let Some(a) = &o.address {
            insert_address(tx, &t.chain, a, raw_id, known)?;
        }
    }
    let asset = crate::chain::BtcNetwork::from_caip2(&t.chain)
        .map(|n| n.native_asset())
        .unwrap_or("BTC");
    for tr in t.transfers(asset) {
        tx.prepare_cached(
            "INSERT INTO transfer (chain, txid, kind, idx, from_ref, to_ref, asset, amount, raw_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            tr.chain,
            tr.txid,
            tr.kind.as_str(),
            tr.index,
            tr.from,
            tr.to,
            tr.asset,
            tr.amount,
            raw_id
        ])?;
    }
    Ok(true)
}

/// Addresses recorded in the current write transaction, by chain: an address row keeps the
/// first response it was seen in, so a later sighting in the same transaction needs no statement.
#[derive(Debug, Default)]
pub(super) struct KnownAddresses(HashMap<String, HashSet<String>>);

impl KnownAddresses {
    /// True the first time (chain, address) is seen.
    fn first(&mut self, chain: &str, address: &str) -> bool {
        match self.0.get_mut(chain) {
            Some(set) if set.contains(address) => false,
            Some(set) => set.insert(address.to_string()),
            None => {
                self.0
                    .insert(chain.to_string(), HashSet::from([address.to_string()]));
                true
            }
        }
    }
}

fn insert_address(
    tx: &rusqlite::Connection,
    chain: &str,
    address: &str,
    raw_id: i64,
    known: &mut KnownAddresses,
) -> Result<(), CaseError> {
    if !known.first(chain, address) {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO address (chain, address, raw_id) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![chain, address, raw_id])?;
    Ok(())
}
