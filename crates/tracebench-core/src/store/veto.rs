//! The analyst's vetoes of clustering merges (schema 3): what was vetoed, why, and when.

use std::collections::BTreeSet;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Case, CaseError};

/// One recorded veto: transaction `txid` is not to merge any addresses (see
/// [`crate::cluster::cluster_with_vetoes`]); `a` and `b` are the addresses the analyst named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "Veto.ts")]
pub struct Veto {
    pub id: i64,
    pub chain: String,
    pub txid: String,
    pub a: String,
    pub b: String,
    pub reason: String,
    /// RFC 3339 UTC.
    pub created_utc: String,
}

impl Case {
    /// Records a veto (one transaction) and returns it.
    pub fn add_veto(
        &mut self,
        chain: &str,
        txid: &str,
        a: &str,
        b: &str,
        reason: &str,
        now: &str,
    ) -> Result<Veto, CaseError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO veto (chain, txid, addr_a, addr_b, reason, created_utc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![chain, txid, a, b, reason, now],
            )?;
            Ok(Veto {
                id: tx.last_insert_rowid(),
                chain: chain.to_string(),
                txid: txid.to_string(),
                a: a.to_string(),
                b: b.to_string(),
                reason: reason.to_string(),
                created_utc: now.to_string(),
            })
        })
    }

    /// Every veto, oldest first.
    pub fn vetoes(&self) -> Result<Vec<Veto>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT id, chain, txid, addr_a, addr_b, reason, created_utc FROM veto ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Veto {
                id: r.get(0)?,
                chain: r.get(1)?,
                txid: r.get(2)?,
                a: r.get(3)?,
                b: r.get(4)?,
                reason: r.get(5)?,
                created_utc: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The vetoed txids of `chain`.
    pub fn vetoed_txids(&self, chain: &str) -> Result<BTreeSet<String>, CaseError> {
        Ok(self
            .vetoes()?
            .into_iter()
            .filter(|v| v.chain == chain)
            .map(|v| v.txid)
            .collect())
    }
}
