//! Price rates of a case (schema 8): stored with the raw response of the file they came from.
//! Parsing and the valuation rule live in [`crate::price`].

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::evidence::{insert_raw, insert_source};
use super::{Case, CaseError, RawResponse};
use crate::price::{utc_day, PriceRate, PriceSeries};

const COLUMNS: &str = "raw_id, line, asset, time_utc, unix_time, currency, rate, source";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriceRate> {
    Ok(PriceRate {
        raw_id: r.get(0)?,
        line: r.get::<_, i64>(1)? as usize,
        asset: r.get(2)?,
        time_utc: r.get(3)?,
        unix_time: r.get(4)?,
        currency: r.get(5)?,
        rate: r.get(6)?,
        source: r.get(7)?,
    })
}

impl Case {
    /// Stores an imported price file (the evidence) and its rates pointing at it, in one
    /// transaction. `rates[..].raw_id` is ignored.
    pub fn add_price_rates(
        &mut self,
        raw: &RawResponse,
        synthetic: bool,
        rates: &[PriceRate],
    ) -> Result<i64, CaseError> {
        self.write(|tx| {
            insert_source(tx, &raw.source_id, "prices", synthetic, &raw.retrieved_at)?;
            let raw_id = insert_raw(tx, raw)?;
            let mut st = tx.prepare_cached(
                "INSERT INTO price_rate (raw_id, line, asset, time_utc, unix_time, currency, rate, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rates {
                st.execute(params![
                    raw_id,
                    r.line as i64,
                    r.asset,
                    r.time_utc,
                    r.unix_time,
                    r.currency,
                    r.rate,
                    r.source
                ])?;
            }
            Ok(raw_id)
        })
    }

    /// The rate of (asset, currency) at exactly `unix_time`, if the case holds one.
    pub fn price_rate_at(
        &self,
        asset: &str,
        currency: &str,
        unix_time: i64,
    ) -> Result<Option<PriceRate>, CaseError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM price_rate WHERE asset = ?1 AND currency = ?2 AND unix_time = ?3"
            ))?
            .query_row(params![asset, currency, unix_time], row)
            .optional()?)
    }

    /// The daily UTC close of (asset, currency) on `date`: the rate with the latest time in
    /// [date 00:00:00, date 23:59:59] UTC, or `None`.
    pub fn daily_close(
        &self,
        asset: &str,
        currency: &str,
        date: NaiveDate,
    ) -> Result<Option<PriceRate>, CaseError> {
        let (start, end) = utc_day(date);
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM price_rate
                 WHERE asset = ?1 AND currency = ?2 AND unix_time BETWEEN ?3 AND ?4
                 ORDER BY unix_time DESC LIMIT 1"
            ))?
            .query_row(params![asset, currency, start, end], row)
            .optional()?)
    }

    /// Every rate of the case, by (asset, currency, time).
    pub fn price_rates(&self) -> Result<Vec<PriceRate>, CaseError> {
        let mut st = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM price_rate ORDER BY asset, currency, unix_time"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The case's price series: one per (asset, currency, source), sorted, with their extent.
    pub fn price_series(&self) -> Result<Vec<PriceSeries>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT asset, currency, source, COUNT(*), MIN(time_utc), MAX(time_utc) FROM price_rate
             GROUP BY asset, currency, source ORDER BY asset, currency, source",
        )?;
        let rows = st.query_map([], |r| {
            Ok(PriceSeries {
                asset: r.get(0)?,
                currency: r.get(1)?,
                source: r.get(2)?,
                rates: r.get::<_, i64>(3)? as usize,
                first_utc: r.get(4)?,
                last_utc: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
