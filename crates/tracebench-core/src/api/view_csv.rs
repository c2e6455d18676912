//! The canvas's visible transfers as CSV: one row per transfer between two visible nodes (an
//! input `address → transaction` or an output `transaction → address`; for EVM chains the
//! sender → transaction and transaction → receiver legs of each account transfer), in readable
//! units (exact decimal BTC, or the EVM asset's amount by its decimals, never a float) beside the
//! exact base units (satoshi, wei, token units) and the decimals, the chain (CAIP-2: block
//! heights of different chains are not comparable), UTC times (ISO 8601 with `Z`) and, where
//! the case holds a price series for the asset, the fiat value by the daily-UTC-close rule with
//! the rate's source; otherwise "no rate" and why.

mod evm;

use std::collections::BTreeSet;

use chrono::DateTime;

use super::view::{node_label, visible};
use super::view_evm::EvmNode;
use super::ApiError;
use crate::graph::NodeRef;
use crate::model::format_btc;
use crate::price::{self, Valuation};
use crate::store::Case;

/// The asset a Bitcoin case's transfers are stated in.
const ASSET: &str = "BTC";

/// The header row, in column order.
pub const TRANSFERS_CSV_HEADER: [&str; 14] = [
    "txid",
    "chain",
    "block_height",
    "time_utc",
    "from",
    "to",
    "amount",
    "asset",
    "decimals",
    "amount_base_units",
    "fiat_value",
    "fiat_currency",
    "rate",
    "rate_source",
];

/// The CSV text and how many transfer rows it holds (the header not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransfersCsv {
    pub text: String,
    pub rows: usize,
}

/// One transfer row before it is written.
struct Row {
    time: Option<i64>,
    /// CAIP-2 id of the chain.
    chain: String,
    height: Option<u64>,
    txid: String,
    /// 0 for an input (money into the transaction), 1 for an output; inputs first.
    side: u8,
    /// Order within the transaction and side: a UTXO's index; an EVM transfer's log index (-1
    /// for native value) and call-frame position.
    index: (i64, u32),
    from: String,
    to: String,
    /// The asset's symbol (BTC, ETH, a token's).
    symbol: String,
    decimals: Option<u32>,
    /// Exact base units as decimal text.
    amount_base: String,
    /// The amount in the asset's units, exactly.
    amount: String,
    /// The asset id prices are kept under (`BTC`, a CAIP-19 id).
    price_asset: String,
}

/// The transfers between the nodes `visible_ids` (canvas ids as drawn, e.g. `btc:addr:…`,
/// `eth:tx:0x…`), as CSV, earliest first (unconfirmed last), then by chain and txid, inputs
/// before outputs, by index.
///
/// Every id must be a node on the case's canvas; an id that is not is refused with its text,
/// and nothing is produced. Duplicates are ignored. The case is only read.
pub fn transfers_csv(case: &Case, visible_ids: &[String]) -> Result<TransfersCsv, ApiError> {
    let v = visible(case)?;
    let chain = case.meta().chain.clone();
    let on_canvas: BTreeSet<String> = v.nodes.iter().map(|n| n.node.id()).collect();
    let mut chosen = BTreeSet::new();
    let mut evm_ids = Vec::new();
    for id in visible_ids {
        if let Some(node) = EvmNode::parse(id) {
            evm_ids.push((node, id.clone()));
            continue;
        }
        if NodeRef::parse(id, &chain).is_none() {
            return Err(ApiError::Canvas(format!(
                "'{id}' is not a canvas node id (expected an address or transaction id of this case's chain)"
            )));
        }
        if !on_canvas.contains(id) {
            return Err(ApiError::NotFound {
                what: "canvas node",
                id: id.clone(),
            });
        }
        chosen.insert(id.clone());
    }
    let mut rows = Vec::new();
    for (from, to, flow) in v.graph.edges() {
        let (a, b) = (v.graph.node_ref(from), v.graph.node_ref(to));
        if !chosen.contains(&a.id()) || !chosen.contains(&b.id()) {
            continue;
        }
        let (txid, side) = match (a, b) {
            (_, NodeRef::Tx { txid, .. }) => (txid.clone(), 0),
            (NodeRef::Tx { txid, .. }, _) => (txid.clone(), 1),
            _ => continue,
        };
        let height = case
            .tx(&chain, &txid)?
            .and_then(|t| t.confirmation.block_height);
        rows.push(Row {
            time: flow.time,
            chain: chain.clone(),
            height,
            txid,
            side,
            index: (i64::from(flow.index), 0),
            from: node_label(a).to_string(),
            to: node_label(b).to_string(),
            symbol: ASSET.to_string(),
            decimals: Some(8),
            amount_base: flow.amount.to_string(),
            amount: format_btc(flow.amount),
            price_asset: ASSET.to_string(),
        });
    }
    rows.extend(evm::rows(case, &evm_ids)?);
    rows.sort_by(|x, y| {
        (x.time.is_none(), x.time, &x.chain, &x.txid, x.side, x.index).cmp(&(
            y.time.is_none(),
            y.time,
            &y.chain,
            &y.txid,
            y.side,
            y.index,
        ))
    });
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write_err = |e: csv::Error| ApiError::Report(format!("CSV not written: {e}"));
    out.write_record(TRANSFERS_CSV_HEADER).map_err(write_err)?;
    for r in &rows {
        let time_utc = r.time.map(utc_text).unwrap_or_default();
        let currency = price_currency(case, &r.price_asset)?;
        let (fiat, fiat_currency, rate, source) = valuation(case, r, currency.as_deref())?;
        out.write_record([
            r.txid.as_str(),
            &r.chain,
            &r.height.map(|h| h.to_string()).unwrap_or_default(),
            &time_utc,
            &r.from,
            &r.to,
            &r.amount,
            &r.symbol,
            &r.decimals.map(|d| d.to_string()).unwrap_or_default(),
            &r.amount_base,
            &fiat,
            &fiat_currency,
            &rate,
            &source,
        ])
        .map_err(write_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Report(format!("CSV not written: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| ApiError::Report(format!("CSV is not UTF-8: {e}")))?;
    Ok(TransfersCsv {
        text,
        rows: rows.len(),
    })
}

/// `2024-03-05T14:02:11Z`.
fn utc_text(time: i64) -> String {
    DateTime::from_timestamp(time, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| format!("unix {time}"))
}

/// The first currency (sorted) the case holds a series of `asset` for (for BTC, as the report
/// values in).
fn price_currency(case: &Case, asset: &str) -> Result<Option<String>, ApiError> {
    let mut currencies: Vec<String> = case
        .price_series()?
        .into_iter()
        .filter(|s| s.asset == asset)
        .map(|s| s.currency)
        .collect();
    currencies.sort();
    Ok(currencies.into_iter().next())
}

/// (fiat value, currency, rate, rate source) of a row, or "no rate" and the reason.
fn valuation(
    case: &Case,
    r: &Row,
    currency: Option<&str>,
) -> Result<(String, String, String, String), ApiError> {
    let no_rate = |why: String| Ok(("no rate".to_string(), String::new(), String::new(), why));
    let Some(currency) = currency else {
        return no_rate(if r.price_asset == ASSET {
            "no price series in the case".to_string()
        } else {
            format!("no {} price series in the case", r.symbol)
        });
    };
    let Some(time) = r.time else {
        return no_rate("unconfirmed: no block date".to_string());
    };
    let value = price::value_transfer(case, &r.price_asset, &r.amount_base, time, currency)
        .map_err(|e| ApiError::Report(e.to_string()))?;
    match value {
        Some(Valuation {
            fiat,
            currency,
            rate,
            rate_time_utc,
            source,
            ..
        }) => Ok((
            fiat,
            currency,
            rate,
            format!("{source}, daily UTC close ({rate_time_utc})"),
        )),
        None => {
            let day = utc_text(time);
            no_rate(format!(
                "no {currency} daily close on {}",
                day.get(..10).unwrap_or(&day)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utc_text;

    #[test]
    fn utc_text_is_iso_8601_with_z() {
        assert_eq!(
            utc_text(1_709_647_331),
            "2024-03-05T14:02:11Z",
            "times are written in UTC, seconds precision, with the Z suffix"
        );
    }
}
