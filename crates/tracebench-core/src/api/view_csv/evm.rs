//! The EVM rows of the canvas's transfer CSV: for each account transfer whose transaction is
//! among the chosen nodes, the leg sender → transaction and the leg transaction → receiver, each
//! when both its ends are chosen (as the canvas draws them, `view_evm::extend`). Amounts are the
//! stored decimal text (wei, token base units: 256-bit values fit) and the same amount in the
//! asset's units by its decimals, exactly.

use std::collections::BTreeSet;

use super::Row;
use crate::api::view_evm::{asset_info, assets_of, format_units, EvmNode};
use crate::api::ApiError;
use crate::chain::EvmChain;
use crate::store::Case;

/// The rows between the chosen EVM nodes `ids` ((node, canvas id)); an id that is not on the
/// canvas is refused with its text.
pub(super) fn rows(case: &Case, ids: &[(EvmNode, String)]) -> Result<Vec<Row>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let on_canvas: BTreeSet<String> = case
        .canvas_nodes()?
        .into_iter()
        .map(|c| c.node_id)
        .collect();
    let mut chosen = BTreeSet::new();
    let mut chains: BTreeSet<EvmChain> = BTreeSet::new();
    for (node, id) in ids {
        if !on_canvas.contains(id) {
            return Err(ApiError::NotFound {
                what: "canvas node",
                id: id.clone(),
            });
        }
        chosen.insert(id.clone());
        chains.insert(node.chain());
    }
    let mut rows = Vec::new();
    // One row per leg, however often a transfer is stored.
    let mut seen = BTreeSet::new();
    for chain in chains {
        let caip2 = chain.caip2();
        let assets = assets_of(case, chain)?;
        for t in case.account_transfers(&caip2)? {
            let tx = EvmNode::Tx {
                chain,
                txid: t.txid.clone(),
            };
            if !chosen.contains(&tx.id()) {
                continue;
            }
            let from = EvmNode::Address {
                chain,
                address: t.from.clone(),
            };
            let to = EvmNode::Address {
                chain,
                address: t.to.clone(),
            };
            let asset = asset_info(&assets, &t.asset);
            let index = (t.log_index.map_or(-1, i64::from), t.trace_index);
            for (side, source, target) in [(0u8, &from, &tx), (1u8, &tx, &to)] {
                if !chosen.contains(&source.id()) || !chosen.contains(&target.id()) {
                    continue;
                }
                if !seen.insert((t.txid.clone(), side, index, t.asset.clone())) {
                    continue;
                }
                rows.push(Row {
                    time: Some(t.block_time),
                    chain: caip2.clone(),
                    height: Some(t.block_height),
                    txid: t.txid.clone(),
                    side,
                    index,
                    from: source.label(),
                    to: target.label(),
                    symbol: asset.symbol.clone(),
                    decimals: asset.decimals,
                    amount_base: base_units(&t.amount),
                    amount: format_units(&t.amount, asset.decimals),
                    price_asset: asset.id.clone(),
                });
            }
        }
    }
    Ok(rows)
}

/// Decimal text without leading zeros ("0" for zero).
fn base_units(amount: &str) -> String {
    let digits = amount.trim_start_matches('0');
    if digits.is_empty() {
        "0".to_string()
    } else {
        digits.to_string()
    }
}
