//! The case's transactions for the report, read in one pass per table: the `tx` rows, their
//! inputs and their outputs, each by one query in storage order (a straight table scan, no
//! look-up per row through the primary-key index), joined in memory. The same transactions as
//! [`Case::all_txs`] in the same order (block height, unconfirmed last, then txid; inputs and
//! outputs by index), with the raw response each was parsed from; a 50,000-tx case is three
//! queries instead of 150,000.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;

use crate::model::{Confirmation, Tx, TxInput, TxOutput};
use crate::store::{Case, CaseError};

/// Every transaction of the case, and the raw response each was parsed from, by txid.
pub struct Ledger {
    pub txs: Vec<Tx>,
    pub raw_of: BTreeMap<String, i64>,
}

/// Reads the ledger of `case` (see the module documentation).
pub fn read(case: &Case) -> Result<Ledger, CaseError> {
    let conn = case.conn();
    let mut st = conn.prepare(
        "SELECT chain, txid, version, locktime, size, weight, fee, block_height, block_hash,
                block_time, raw_id
         FROM tx",
    )?;
    let mut txs = Vec::new();
    let mut raw_of = BTreeMap::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let txid: String = r.get(1)?;
        raw_of.insert(txid.clone(), r.get::<_, i64>(10)?);
        txs.push(Tx {
            chain: r.get(0)?,
            txid,
            version: r.get(2)?,
            locktime: r.get(3)?,
            size: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
            weight: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
            fee: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
            confirmation: Confirmation {
                block_height: r.get::<_, Option<i64>>(7)?.map(|v| v as u64),
                block_hash: r.get(8)?,
                block_time: r.get(9)?,
            },
            inputs: Vec::new(),
            outputs: Vec::new(),
        });
    }
    drop(rows);
    // Position of each transaction by chain and txid; inputs and outputs are mostly stored in
    // the order of their transactions, so the previous row's position is tried first.
    let mut at_of: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for (i, t) in txs.iter().enumerate() {
        at_of
            .entry(t.chain.clone())
            .or_default()
            .insert(t.txid.clone(), i);
    }
    let mut st = conn.prepare(
        "SELECT chain, txid, idx, prev_txid, prev_vout, address, value, is_coinbase, sequence
         FROM tx_input",
    )?;
    let mut at = 0usize;
    let mut rows = st.query(params![])?;
    while let Some(r) = rows.next()? {
        let chain = text(r, 0)?;
        let txid = text(r, 1)?;
        at = seek(&txs, &at_of, at, chain, txid)?;
        txs[at].inputs.push(TxInput {
            index: r.get(2)?,
            prev_txid: r.get(3)?,
            prev_vout: r.get(4)?,
            address: r.get(5)?,
            value: r.get::<_, i64>(6)? as u64,
            is_coinbase: r.get(7)?,
            sequence: r.get::<_, Option<i64>>(8)?.map(|v| v as u32),
        });
    }
    drop(rows);
    let mut st = conn.prepare(
        "SELECT chain, txid, idx, address, value, script_type
         FROM tx_output",
    )?;
    let mut at = 0usize;
    let mut rows = st.query(params![])?;
    while let Some(r) = rows.next()? {
        let chain = text(r, 0)?;
        let txid = text(r, 1)?;
        at = seek(&txs, &at_of, at, chain, txid)?;
        txs[at].outputs.push(TxOutput {
            index: r.get(2)?,
            address: r.get(3)?,
            value: r.get::<_, i64>(4)? as u64,
            script_type: r.get(5)?,
        });
    }
    drop(rows);
    for t in &mut txs {
        t.inputs.sort_by_key(|i| i.index);
        t.outputs.sort_by_key(|o| o.index);
    }
    // The order of `Case::all_txs`: block height ascending, unconfirmed last, then txid.
    txs.sort_by(|a, b| {
        let key = |t: &Tx| {
            (
                t.confirmation.block_height.is_none(),
                t.confirmation.block_height,
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.txid.cmp(&b.txid))
    });
    Ok(Ledger { txs, raw_of })
}

/// Column `i` of `row` as text, borrowed (no allocation per input or output).
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// The position of (chain, txid) in `txs`: `last` when it is there, else by `at_of`.
fn seek(
    txs: &[Tx],
    at_of: &HashMap<String, HashMap<String, usize>>,
    last: usize,
    chain: &str,
    txid: &str,
) -> Result<usize, CaseError> {
    if let Some(t) = txs.get(last) {
        if t.txid == txid && t.chain == chain {
            return Ok(last);
        }
    }
    at_of
        .get(chain)
        .and_then(|m| m.get(txid))
        .copied()
        .ok_or_else(|| CaseError::Missing {
            what: "transaction of an input or output row",
            id: format!("{chain} {txid}"),
        })
}
