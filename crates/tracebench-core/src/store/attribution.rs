//! Attribution data of a case (schema 4): the label-pack versions it was screened against and
//! the exchange records imported as off-chain evidence.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::evidence::{insert_raw, insert_source};
use super::{Case, CaseError, RawResponse};

/// A label-pack version the case was screened against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelPackUse {
    pub pack_id: String,
    pub version: String,
    /// RFC 3339 UTC: when the case first used this version.
    pub first_used_utc: String,
}

/// One deposit or withdrawal of an exchange's answer, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRecord {
    /// The raw response holding the imported file.
    pub raw_id: i64,
    /// 1-based line of the file.
    pub line: usize,
    /// The exchange (the answer's source), as the analyst named it.
    pub source: String,
    pub account_id: String,
    pub address: String,
    pub txid: String,
    pub amount_sat: u64,
    /// RFC 3339 UTC.
    pub time_utc: String,
    /// `deposit` or `withdrawal`.
    pub direction: String,
}

impl Case {
    /// Records that the case was screened against these `(pack_id, version)`s; a version
    /// already recorded keeps its first-use time. One transaction.
    pub fn record_label_packs(
        &mut self,
        packs: &[(String, String)],
        now: &str,
    ) -> Result<(), CaseError> {
        self.write(|tx| {
            for (id, version) in packs {
                tx.execute(
                    "INSERT OR IGNORE INTO label_pack_use (pack_id, version, first_used_utc)
                     VALUES (?1, ?2, ?3)",
                    params![id, version, now],
                )?;
            }
            Ok(())
        })
    }

    /// Every label-pack version the case used, by (pack id, version).
    pub fn label_packs(&self) -> Result<Vec<LabelPackUse>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT pack_id, version, first_used_utc FROM label_pack_use ORDER BY pack_id, version",
        )?;
        let rows = st.query_map([], |r| {
            Ok(LabelPackUse {
                pack_id: r.get(0)?,
                version: r.get(1)?,
                first_used_utc: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// True when a raw response of `source_id` with this SHA-256 is already stored.
    pub fn has_raw(&self, source_id: &str, sha256: &str) -> Result<bool, CaseError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM raw_response WHERE source_id = ?1 AND sha256 = ?2",
            params![source_id, sha256],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Stores an imported exchange answer: the file as a raw response (the evidence) and its
    /// rows pointing at it, in one transaction. `records[..].raw_id` is ignored.
    pub fn add_exchange_records(
        &mut self,
        raw: &RawResponse,
        records: &[ExchangeRecord],
    ) -> Result<i64, CaseError> {
        self.write(|tx| {
            insert_source(tx, &raw.source_id, "exchange-records", false, &raw.retrieved_at)?;
            let raw_id = insert_raw(tx, raw)?;
            for r in records {
                tx.execute(
                    "INSERT INTO exchange_record
                     (raw_id, line, source, account_id, address, txid, amount_sat, time_utc, direction)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        raw_id,
                        r.line as i64,
                        r.source,
                        r.account_id,
                        r.address,
                        r.txid,
                        // Validated on import: at most 21 million BTC, so it fits.
                        r.amount_sat as i64,
                        r.time_utc,
                        r.direction
                    ],
                )?;
            }
            Ok(raw_id)
        })
    }

    /// Every exchange record, by (time, source, account, line).
    pub fn exchange_records(&self) -> Result<Vec<ExchangeRecord>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT raw_id, line, source, account_id, address, txid, amount_sat, time_utc, direction
             FROM exchange_record ORDER BY time_utc, source, account_id, raw_id, line",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ExchangeRecord {
                raw_id: r.get(0)?,
                line: r.get::<_, i64>(1)? as usize,
                source: r.get(2)?,
                account_id: r.get(3)?,
                address: r.get(4)?,
                txid: r.get(5)?,
                amount_sat: r.get::<_, i64>(6)? as u64,
                time_utc: r.get(7)?,
                direction: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every address the case holds (inputs and outputs of its transactions, address nodes of
    /// the canvas), visible or not, sorted.
    pub fn all_addresses(&self) -> Result<Vec<String>, CaseError> {
        let mut set = std::collections::BTreeSet::new();
        for n in self.canvas_nodes()? {
            if let Some((_, a)) = n.node_id.split_once(":addr:") {
                set.insert(a.to_string());
            }
        }
        for t in self.all_txs()? {
            for i in &t.inputs {
                if let Some(a) = &i.address {
                    set.insert(a.clone());
                }
            }
            for o in &t.outputs {
                if let Some(a) = &o.address {
                    set.insert(a.clone());
                }
            }
        }
        Ok(set.into_iter().collect())
    }
}
